import type { EmailPreference, NotificationKind } from '@essaim/protocol';
import type { Db } from './db.js';

export interface NewNotification {
  id: string;
  userId: string;
  kind: NotificationKind;
  documentId: string;
  /** The thread, or null for a review decision that has none (submission, approval). */
  threadId: string | null;
  commentId: string | null;
  /** For review decisions: the section, its title and the decision's message as they were. */
  section?: { id: string; title: string; message: string | null };
  actorId: string;
  createdAt: string;
}

/**
 * A notification with what is needed to show it and to decide, at read time, whether its reader
 * may still see its document (espace, assignees are read by the service).
 */
export interface NotificationRecord {
  id: string;
  userId: string;
  kind: NotificationKind;
  documentId: string;
  documentTitle: string;
  espaceId: string | null;
  documentArchived: boolean;
  threadId: string | null;
  /** The thread's quote, or null without a thread. */
  threadQuote: string | null;
  /** For review decisions: the section (title as it was) and the decision's message. */
  section: { id: string; title: string } | null;
  message: string | null;
  commentId: string | null;
  /** The comment's body, or null when there is none or it was deleted. */
  commentBody: string | null;
  actor: { id: string; name: string };
  createdAt: string;
  readAt: string | null;
  emailedAt: string | null;
}

/**
 * Notifications (comments: mention, reply, resolution; reviews: submission, approval, request for
 * changes) and each person's email preference. Notifications
 * whose thread or comment was deleted are never returned: their content is gone.
 */
export interface NotificationRepository {
  insert(notifications: readonly NewNotification[]): void;
  /** A person's notifications, newest first; `unreadOnly` keeps the unread ones. */
  listForUser(userId: string, options: { unreadOnly: boolean; limit: number }): NotificationRecord[];
  /** Unread notifications of a person, by document (to count only readable documents). */
  unreadByDocument(userId: string): Map<string, number>;
  /** Marks some of a person's notifications read (others' ids are ignored). */
  markRead(userId: string, ids: readonly string[], at: string): void;
  markAllRead(userId: string, at: string): void;
  /** Notifications not emailed yet, for one person or everyone, oldest first. */
  pendingEmails(userId?: string): NotificationRecord[];
  markEmailed(ids: readonly string[], at: string): void;
  /** The email preference, or undefined when the person never chose. */
  preference(userId: string): { email: EmailPreference; lastDigestAt: string | null } | undefined;
  setPreference(userId: string, email: EmailPreference): void;
  setLastDigest(userId: string, at: string): void;
}

interface Row {
  id: string;
  user_id: string;
  kind: NotificationKind;
  document_id: string;
  document_title: string;
  espace_id: string | null;
  archived_at: string | null;
  thread_id: string | null;
  thread_quote: string | null;
  section_id: string | null;
  section_title: string | null;
  message: string | null;
  comment_id: string | null;
  comment_body: string | null;
  actor_id: string;
  actor_name: string;
  created_at: string;
  read_at: string | null;
  emailed_at: string | null;
}

/** A notification whose thread or comment was deleted is never shown: its content is gone. */
const VISIBLE = `(n.thread_id IS NULL OR t.deleted_at IS NULL)
  AND (n.comment_id IS NULL OR m.deleted_at IS NULL)`;

const COLUMNS = `n.id, n.user_id, n.kind, n.document_id, d.title AS document_title, d.espace_id,
  d.archived_at, n.thread_id, t.quote AS thread_quote, n.section_id, n.section_title, n.message,
  n.comment_id,
  CASE WHEN m.deleted_at IS NULL THEN m.body END AS comment_body, n.actor_id, a.name AS actor_name,
  n.created_at, n.read_at, n.emailed_at
  FROM notifications n
  JOIN documents d ON d.id = n.document_id
  LEFT JOIN comment_threads t ON t.id = n.thread_id
  JOIN users a ON a.id = n.actor_id
  LEFT JOIN comments m ON m.id = n.comment_id
  WHERE ${VISIBLE}`;

function fromRow(r: Row): NotificationRecord {
  return {
    id: r.id,
    userId: r.user_id,
    kind: r.kind,
    documentId: r.document_id,
    documentTitle: r.document_title,
    espaceId: r.espace_id,
    documentArchived: r.archived_at !== null,
    threadId: r.thread_id,
    threadQuote: r.thread_quote,
    section: r.section_id !== null ? { id: r.section_id, title: r.section_title ?? '' } : null,
    message: r.message,
    commentId: r.comment_id,
    commentBody: r.comment_body,
    actor: { id: r.actor_id, name: r.actor_name },
    createdAt: r.created_at,
    readAt: r.read_at,
    emailedAt: r.emailed_at,
  };
}

export function sqliteNotificationRepository(db: Db): NotificationRepository {
  const q = {
    insert: db.prepare<
      [
        string,
        string,
        string,
        string,
        string | null,
        string | null,
        string | null,
        string | null,
        string | null,
        string,
        string,
      ]
    >(
      `INSERT INTO notifications (id, user_id, kind, document_id, thread_id, comment_id, section_id,
         section_title, message, actor_id, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    list: db.prepare<[string, number], Row>(
      `SELECT ${COLUMNS} AND n.user_id = ? ORDER BY n.created_at DESC, n.rowid DESC LIMIT ?`,
    ),
    listUnread: db.prepare<[string, number], Row>(
      `SELECT ${COLUMNS} AND n.user_id = ? AND n.read_at IS NULL
       ORDER BY n.created_at DESC, n.rowid DESC LIMIT ?`,
    ),
    unread: db.prepare<[string], { document_id: string; n: number }>(
      `SELECT n.document_id, COUNT(*) AS n FROM notifications n
       LEFT JOIN comment_threads t ON t.id = n.thread_id
       LEFT JOIN comments m ON m.id = n.comment_id
       WHERE n.user_id = ? AND n.read_at IS NULL AND ${VISIBLE}
       GROUP BY n.document_id`,
    ),
    markRead: db.prepare<[string, string, string]>(
      `UPDATE notifications SET read_at = ?
       WHERE user_id = ? AND read_at IS NULL AND id IN (SELECT value FROM json_each(?))`,
    ),
    markAllRead: db.prepare<[string, string]>(
      'UPDATE notifications SET read_at = ? WHERE user_id = ? AND read_at IS NULL',
    ),
    pending: db.prepare<[], Row>(`SELECT ${COLUMNS} AND n.emailed_at IS NULL ORDER BY n.created_at, n.rowid`),
    pendingFor: db.prepare<[string], Row>(
      `SELECT ${COLUMNS} AND n.emailed_at IS NULL AND n.user_id = ? ORDER BY n.created_at, n.rowid`,
    ),
    markEmailed: db.prepare<[string, string]>(
      'UPDATE notifications SET emailed_at = ? WHERE id IN (SELECT value FROM json_each(?))',
    ),
    preference: db.prepare<[string], { email: EmailPreference; last_digest_at: string | null }>(
      'SELECT email, last_digest_at FROM notification_preferences WHERE user_id = ?',
    ),
    setPreference: db.prepare<[string, string]>(
      `INSERT INTO notification_preferences (user_id, email) VALUES (?, ?)
       ON CONFLICT (user_id) DO UPDATE SET email = excluded.email`,
    ),
    setLastDigest: db.prepare<[string, string]>(
      `INSERT INTO notification_preferences (user_id, email, last_digest_at) VALUES (?, 'daily', ?)
       ON CONFLICT (user_id) DO UPDATE SET last_digest_at = excluded.last_digest_at`,
    ),
  };
  const insert = db.transaction((rows: readonly NewNotification[]) => {
    for (const n of rows)
      q.insert.run(
        n.id,
        n.userId,
        n.kind,
        n.documentId,
        n.threadId,
        n.commentId,
        n.section?.id ?? null,
        n.section?.title ?? null,
        n.section?.message ?? null,
        n.actorId,
        n.createdAt,
      );
  });
  return {
    insert: (rows) => {
      if (rows.length > 0) insert.immediate(rows);
    },
    listForUser: (userId, { unreadOnly, limit }) =>
      (unreadOnly ? q.listUnread : q.list).all(userId, limit).map(fromRow),
    unreadByDocument: (userId) => new Map(q.unread.all(userId).map((r) => [r.document_id, r.n])),
    markRead: (userId, ids, at) => {
      if (ids.length > 0) q.markRead.run(at, userId, JSON.stringify(ids));
    },
    markAllRead: (userId, at) => {
      q.markAllRead.run(at, userId);
    },
    pendingEmails: (userId) => (userId ? q.pendingFor.all(userId) : q.pending.all()).map(fromRow),
    markEmailed: (ids, at) => {
      if (ids.length > 0) q.markEmailed.run(at, JSON.stringify(ids));
    },
    preference: (userId) => {
      const row = q.preference.get(userId);
      return row && { email: row.email, lastDigestAt: row.last_digest_at };
    },
    setPreference: (userId, email) => {
      q.setPreference.run(userId, email);
    },
    setLastDigest: (userId, at) => {
      q.setLastDigest.run(userId, at);
    },
  };
}
