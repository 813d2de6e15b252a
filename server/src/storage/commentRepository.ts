import type { Db } from './db.js';

/** The words under a thread's anchor when the server last located it, and their context then. */
export interface SeenWords {
  quote: string;
  prefix: string;
  suffix: string;
}

/** A comment thread as stored. Anchors are encoded Yjs relative positions (null: whole section). */
export interface ThreadRecord {
  id: string;
  documentId: string;
  sectionId: string;
  anchorStart: Uint8Array | null;
  anchorEnd: Uint8Array | null;
  quote: string;
  prefix: string;
  suffix: string;
  /** The words last seen under the anchor, once they differed from `quote`; null before. */
  lastSeen: SeenWords | null;
  orphaned: boolean;
  status: 'open' | 'resolved';
  resolvedBy: { id: string; name: string } | null;
  resolvedAt: string | null;
  createdBy: { id: string; name: string };
  createdAt: string;
  deletedAt: string | null;
}

/** A message of a thread. `body` is kept after deletion (for the audit) but never served. */
export interface CommentRecord {
  id: string;
  threadId: string;
  author: { id: string; name: string };
  body: string;
  /** User ids validly mentioned when the body was written. */
  mentions: string[];
  createdAt: string;
  editedAt: string | null;
  deletedAt: string | null;
  deletedBy: string | null;
}

/** A thread to insert: the anchor fields of {@link ThreadRecord}, and who opens it (a user id). */
export interface NewThread extends Pick<
  ThreadRecord,
  | 'id'
  | 'documentId'
  | 'sectionId'
  | 'anchorStart'
  | 'anchorEnd'
  | 'quote'
  | 'prefix'
  | 'suffix'
  | 'createdAt'
> {
  createdBy: string;
}

export interface NewComment {
  id: string;
  threadId: string;
  authorId: string;
  body: string;
  mentions: string[];
  createdAt: string;
}

/** A thread whose location changed: new positions, section, orphan state, words seen there. */
export interface AnchorUpdate {
  id: string;
  sectionId: string;
  anchorStart: Uint8Array | null;
  anchorEnd: Uint8Array | null;
  orphaned: boolean;
  lastSeen: SeenWords | null;
}

/**
 * Comment threads and their messages (issue 10). Every change that another request could race
 * with is a single conditional statement (`... WHERE status = 'open'`), so two people resolving
 * at once make one resolution and the loser learns it from the returned `false`.
 */
export interface CommentRepository {
  /** Inserts a thread and its opening message in one transaction. */
  insertThread(thread: NewThread, first: NewComment): void;
  /** A thread, deleted or not (callers decide), or undefined. */
  findThread(id: string): ThreadRecord | undefined;
  /** The threads of a document that are not deleted, oldest first. */
  threadsOf(documentId: string): ThreadRecord[];
  /** Messages of the given threads, oldest first, by thread id. */
  commentsOf(threadIds: readonly string[]): Map<string, CommentRecord[]>;
  /** Adds a reply, unless the thread was deleted meanwhile (then returns false). */
  insertComment(comment: NewComment): boolean;
  findComment(id: string): CommentRecord | undefined;
  /** Changes a message's body unless it was deleted meanwhile. */
  editComment(id: string, body: string, mentions: string[], at: string): boolean;
  /** Marks a message deleted unless it already was. */
  deleteComment(id: string, by: string, at: string): boolean;
  /** Moves a thread from `from` to the other status; false if it was not in `from` (or is deleted). */
  setStatus(id: string, from: 'open' | 'resolved', by: string, at: string): boolean;
  /** Hides a thread (moderation) unless it already was. */
  deleteThread(id: string, by: string, at: string): boolean;
  /** Stores where threads are now and the words seen there, in one transaction. */
  updateAnchors(updates: readonly AnchorUpdate[]): void;
  /** Open, not deleted threads per document, for the given documents (one grouped query). */
  openThreadCounts(documentIds: readonly string[]): Map<string, number>;
  /** Open and resolved thread counts of one document. */
  countsOf(documentId: string): { open: number; resolved: number };
  /** People taking part in a thread: authors of its messages not deleted, and people they mention. */
  participants(threadId: string): string[];
  /** Display names of the given accounts, by user id (unknown ids are absent). */
  userNames(userIds: readonly string[]): Map<string, string>;
}

interface ThreadRow {
  id: string;
  document_id: string;
  section_id: string;
  anchor_start: Buffer | null;
  anchor_end: Buffer | null;
  quote: string;
  prefix: string;
  suffix: string;
  seen_quote: string | null;
  seen_prefix: string;
  seen_suffix: string;
  orphaned: number;
  status: 'open' | 'resolved';
  resolved_by: string | null;
  resolved_by_name: string | null;
  resolved_at: string | null;
  created_by: string;
  created_by_name: string;
  created_at: string;
  deleted_at: string | null;
}

interface CommentRow {
  id: string;
  thread_id: string;
  author_id: string;
  author_name: string;
  body: string;
  mentions: string;
  created_at: string;
  edited_at: string | null;
  deleted_at: string | null;
  deleted_by: string | null;
}

const THREAD_COLUMNS = `t.id, t.document_id, t.section_id, t.anchor_start, t.anchor_end, t.quote,
  t.prefix, t.suffix, t.seen_quote, t.seen_prefix, t.seen_suffix, t.orphaned, t.status, t.resolved_by, r.name AS resolved_by_name, t.resolved_at,
  t.created_by, c.name AS created_by_name, t.created_at, t.deleted_at
  FROM comment_threads t
  JOIN users c ON c.id = t.created_by
  LEFT JOIN users r ON r.id = t.resolved_by`;

const COMMENT_COLUMNS = `m.id, m.thread_id, m.author_id, u.name AS author_name, m.body, m.mentions,
  m.created_at, m.edited_at, m.deleted_at, m.deleted_by
  FROM comments m JOIN users u ON u.id = m.author_id`;

const bytes = (b: Buffer | null): Uint8Array | null => (b ? new Uint8Array(b) : null);

function threadFromRow(r: ThreadRow): ThreadRecord {
  return {
    id: r.id,
    documentId: r.document_id,
    sectionId: r.section_id,
    anchorStart: bytes(r.anchor_start),
    anchorEnd: bytes(r.anchor_end),
    quote: r.quote,
    prefix: r.prefix,
    suffix: r.suffix,
    lastSeen:
      r.seen_quote === null ? null : { quote: r.seen_quote, prefix: r.seen_prefix, suffix: r.seen_suffix },
    orphaned: r.orphaned === 1,
    status: r.status,
    resolvedBy: r.resolved_by ? { id: r.resolved_by, name: r.resolved_by_name ?? '' } : null,
    resolvedAt: r.resolved_at,
    createdBy: { id: r.created_by, name: r.created_by_name },
    createdAt: r.created_at,
    deletedAt: r.deleted_at,
  };
}

function mentionsFrom(json: string): string[] {
  try {
    const parsed = JSON.parse(json) as unknown;
    return Array.isArray(parsed) ? parsed.filter((v): v is string => typeof v === 'string') : [];
  } catch {
    return [];
  }
}

function commentFromRow(r: CommentRow): CommentRecord {
  return {
    id: r.id,
    threadId: r.thread_id,
    author: { id: r.author_id, name: r.author_name },
    body: r.body,
    mentions: mentionsFrom(r.mentions),
    createdAt: r.created_at,
    editedAt: r.edited_at,
    deletedAt: r.deleted_at,
    deletedBy: r.deleted_by,
  };
}

export function sqliteCommentRepository(db: Db): CommentRepository {
  const q = {
    insertThread: db.prepare<
      [string, string, string, Uint8Array | null, Uint8Array | null, string, string, string, string, string]
    >(
      `INSERT INTO comment_threads (id, document_id, section_id, anchor_start, anchor_end, quote, prefix,
         suffix, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    insertComment: db.prepare<[string, string, string, string, string, string]>(
      `INSERT INTO comments (id, thread_id, author_id, body, mentions, created_at)
       SELECT ?, t.id, ?, ?, ?, ? FROM comment_threads t WHERE t.id = ? AND t.deleted_at IS NULL`,
    ),
    thread: db.prepare<[string], ThreadRow>(`SELECT ${THREAD_COLUMNS} WHERE t.id = ?`),
    threadsOf: db.prepare<[string], ThreadRow>(
      `SELECT ${THREAD_COLUMNS} WHERE t.document_id = ? AND t.deleted_at IS NULL ORDER BY t.created_at, t.id`,
    ),
    commentsOf: db.prepare<[string], CommentRow>(
      `SELECT ${COMMENT_COLUMNS} WHERE m.thread_id IN (SELECT value FROM json_each(?))
       ORDER BY m.created_at, m.rowid`,
    ),
    comment: db.prepare<[string], CommentRow>(`SELECT ${COMMENT_COLUMNS} WHERE m.id = ?`),
    edit: db.prepare<[string, string, string, string]>(
      'UPDATE comments SET body = ?, mentions = ?, edited_at = ? WHERE id = ? AND deleted_at IS NULL',
    ),
    deleteComment: db.prepare<[string, string, string]>(
      'UPDATE comments SET deleted_at = ?, deleted_by = ? WHERE id = ? AND deleted_at IS NULL',
    ),
    resolve: db.prepare<[string, string, string]>(
      `UPDATE comment_threads SET status = 'resolved', resolved_by = ?, resolved_at = ?
       WHERE id = ? AND status = 'open' AND deleted_at IS NULL`,
    ),
    reopen: db.prepare<[string]>(
      `UPDATE comment_threads SET status = 'open', resolved_by = NULL, resolved_at = NULL
       WHERE id = ? AND status = 'resolved' AND deleted_at IS NULL`,
    ),
    deleteThread: db.prepare<[string, string, string]>(
      'UPDATE comment_threads SET deleted_at = ?, deleted_by = ? WHERE id = ? AND deleted_at IS NULL',
    ),
    anchor: db.prepare<
      [string, Uint8Array | null, Uint8Array | null, number, string | null, string, string, string]
    >(
      `UPDATE comment_threads SET section_id = ?, anchor_start = ?, anchor_end = ?, orphaned = ?,
         seen_quote = ?, seen_prefix = ?, seen_suffix = ? WHERE id = ?`,
    ),
    openCounts: db.prepare<[string], { document_id: string; n: number }>(
      `SELECT document_id, COUNT(*) AS n FROM comment_threads
       WHERE document_id IN (SELECT value FROM json_each(?)) AND status = 'open' AND deleted_at IS NULL
       GROUP BY document_id`,
    ),
    counts: db.prepare<[string], { status: 'open' | 'resolved'; n: number }>(
      `SELECT status, COUNT(*) AS n FROM comment_threads WHERE document_id = ? AND deleted_at IS NULL
       GROUP BY status`,
    ),
    participants: db.prepare<[string, string], { user_id: string }>(
      `SELECT author_id AS user_id FROM comments WHERE thread_id = ? AND deleted_at IS NULL
       UNION
       SELECT j.value FROM comments m, json_each(m.mentions) j WHERE m.thread_id = ? AND m.deleted_at IS NULL`,
    ),
    userNames: db.prepare<[string], { id: string; name: string }>(
      'SELECT id, name FROM users WHERE id IN (SELECT value FROM json_each(?))',
    ),
  };
  const insertThread = db.transaction((thread: NewThread, first: NewComment) => {
    q.insertThread.run(
      thread.id,
      thread.documentId,
      thread.sectionId,
      thread.anchorStart,
      thread.anchorEnd,
      thread.quote,
      thread.prefix,
      thread.suffix,
      thread.createdBy,
      thread.createdAt,
    );
    q.insertComment.run(
      first.id,
      first.authorId,
      first.body,
      JSON.stringify(first.mentions),
      first.createdAt,
      thread.id,
    );
  });
  const updateAnchors = db.transaction((updates: readonly AnchorUpdate[]) => {
    for (const u of updates)
      q.anchor.run(
        u.sectionId,
        u.anchorStart,
        u.anchorEnd,
        u.orphaned ? 1 : 0,
        u.lastSeen?.quote ?? null,
        u.lastSeen?.prefix ?? '',
        u.lastSeen?.suffix ?? '',
        u.id,
      );
  });
  return {
    insertThread: (thread, first) => insertThread.immediate(thread, first),
    findThread: (id) => {
      const row = q.thread.get(id);
      return row && threadFromRow(row);
    },
    threadsOf: (documentId) => q.threadsOf.all(documentId).map(threadFromRow),
    commentsOf: (threadIds) => {
      const out = new Map<string, CommentRecord[]>(threadIds.map((id) => [id, []]));
      if (threadIds.length === 0) return out;
      for (const row of q.commentsOf.all(JSON.stringify(threadIds))) {
        out.get(row.thread_id)?.push(commentFromRow(row));
      }
      return out;
    },
    insertComment: (c) =>
      q.insertComment.run(c.id, c.authorId, c.body, JSON.stringify(c.mentions), c.createdAt, c.threadId)
        .changes > 0,
    findComment: (id) => {
      const row = q.comment.get(id);
      return row && commentFromRow(row);
    },
    editComment: (id, body, mentions, at) => q.edit.run(body, JSON.stringify(mentions), at, id).changes > 0,
    deleteComment: (id, by, at) => q.deleteComment.run(at, by, id).changes > 0,
    setStatus: (id, from, by, at) =>
      (from === 'open' ? q.resolve.run(by, at, id) : q.reopen.run(id)).changes > 0,
    deleteThread: (id, by, at) => q.deleteThread.run(at, by, id).changes > 0,
    updateAnchors: (updates) => {
      if (updates.length > 0) updateAnchors.immediate(updates);
    },
    openThreadCounts: (documentIds) => {
      const out = new Map<string, number>();
      if (documentIds.length === 0) return out;
      for (const row of q.openCounts.all(JSON.stringify(documentIds))) out.set(row.document_id, row.n);
      return out;
    },
    countsOf: (documentId) => {
      const counts = { open: 0, resolved: 0 };
      for (const row of q.counts.all(documentId)) counts[row.status] = row.n;
      return counts;
    },
    participants: (threadId) => q.participants.all(threadId, threadId).map((r) => r.user_id),
    userNames: (userIds) => {
      const out = new Map<string, string>();
      if (userIds.length === 0) return out;
      for (const row of q.userNames.all(JSON.stringify(userIds))) out.set(row.id, row.name);
      return out;
    },
  };
}
