import * as Y from 'yjs';
import type { Db } from './db.js';

/** Deleted characters and elements: Yjs client id → [clock, length] ranges, sorted. */
export type DeletedRanges = Record<string, [number, number][]>;

/**
 * A log row a compaction folds: its author and its bytes (`CollabStore.rowsToFold`), plain data so
 * that the decoding runs in the compaction worker (`collab/offload.ts`).
 */
export interface AuthoredRow {
  authorId: string;
  data: Uint8Array;
}

/**
 * What the log rows up to a compaction's `upToSeq` deleted, per author, decoded off the event loop
 * ({@link foldRows}): `rows` is how many authored rows were read, so that the write can check that
 * they are still exactly those it deletes.
 */
export interface FoldedDeletions {
  rows: number;
  byAuthor: Record<string, DeletedRanges>;
}

/** What is stored for one document: the compacted state and the updates appended since. */
export interface StoredDocument {
  state: Uint8Array | null;
  /** The state the last compaction replaced: the fallback when `state` cannot be read. */
  previousState?: Uint8Array | null;
  updates: Uint8Array[];
  /** Log sequence number of each update, in the same order (to quarantine one). */
  seqs?: number[];
}

/**
 * Durable storage of collaborative documents: an append-only update log plus a compacted state.
 *
 * Group commit: `append` queues an update in memory and `commit` writes every queued update in one
 * transaction. The websocket transport calls `commit` before any frame leaves the process, so an
 * update is on disk (in the WAL) before its acknowledgement or its broadcast, at the cost of one
 * SQLite transaction per event-loop turn instead of one per keystroke. Updates queued by other
 * paths (server-side edits) are committed at the end of the turn anyway.
 */
export interface CollabStore {
  /** Queues an accepted update; `authorId` is the account it is written for (null: the system). */
  append(documentId: string, update: Uint8Array, authorId?: string | null): void;
  /** Writes every queued update in one transaction. Throws if it cannot: nothing may then be acknowledged. */
  commit(): void;
  load(documentId: string): StoredDocument;
  /**
   * Replaces state + log by `state` in one transaction. Only log rows up to `upToSeq` are removed,
   * so updates appended while the caller was encoding are kept. What each removed row deleted is
   * first folded into its author's deletions (`document_deletions`), for version compares: from
   * `folded` when given (decoded in the worker from {@link rowsToFold}'s rows; used only if the
   * authored rows up to `upToSeq` are still as many as it folded), else by decoding them here.
   */
  compact(documentId: string, state: Uint8Array, upToSeq: number, folded?: FoldedDeletions): void;
  /**
   * The authored log rows up to `upToSeq` that {@link compact} folds, undecoded (a read, no
   * decoding: cheap on the event loop), for {@link foldRows} in the worker.
   */
  rowsToFold(documentId: string, upToSeq: number): AuthoredRow[];
  /** Highest log sequence number written so far (0 when empty), for {@link compact}. */
  lastSeq(): number;
  /** Number of log rows not yet compacted for a document. */
  pendingUpdates(documentId: string): number;
  /**
   * Group commits since the start: how many, the longest (ms) and how many took over 10 ms (a
   * commit waits for a checkpoint that holds the write lock). For diagnostics and the benchmark.
   */
  commitStats(): { commits: number; longestMs: number; over10ms: number };
  /**
   * Moves what could not be read aside, in one transaction: the log rows `seqs`, and with
   * `state: true` the current state, which the previous one replaces. Nothing is deleted.
   */
  quarantine(documentId: string, what: { seqs: number[]; state: boolean }, reason: string): void;
  /** Every document with a stored state or log rows. */
  documentIds(): string[];
  /**
   * What each person deleted in a document (user id → ranges): what compactions folded, plus what
   * the log rows not yet compacted delete. For version compares (issue 11).
   */
  deletions(documentId: string): Map<string, DeletedRanges>;
}

export function sqliteCollabStore(db: Db): CollabStore {
  const append = db.prepare<[string, Uint8Array, number, string | null]>(
    'INSERT INTO document_updates (document_id, data, created_at, author_id) VALUES (?, ?, ?, ?)',
  );
  const authoredRows = db.prepare<[string, number], { author_id: string; data: Buffer }>(
    'SELECT author_id, data FROM document_updates WHERE document_id = ? AND seq <= ? AND author_id IS NOT NULL',
  );
  const deletionsOf = db.prepare<[string, string], { ranges: string }>(
    'SELECT ranges FROM document_deletions WHERE document_id = ? AND user_id = ?',
  );
  const saveDeletions = db.prepare<[string, string, string]>(
    `INSERT INTO document_deletions (document_id, user_id, ranges) VALUES (?, ?, ?)
     ON CONFLICT (document_id, user_id) DO UPDATE SET ranges = excluded.ranges`,
  );
  const allDeletions = db.prepare<[string], { user_id: string; ranges: string }>(
    'SELECT user_id, ranges FROM document_deletions WHERE document_id = ?',
  );
  const authoredCount = db.prepare<[string, number], { n: number }>(
    'SELECT COUNT(*) AS n FROM document_updates WHERE document_id = ? AND seq <= ? AND author_id IS NOT NULL',
  );
  const readRows = (documentId: string, upToSeq: number): AuthoredRow[] =>
    authoredRows.all(documentId, upToSeq).map((r) => ({ authorId: r.author_id, data: r.data }));
  /** What the log rows up to `upToSeq` delete, per author. */
  const loggedDeletions = (documentId: string, upToSeq: number): Map<string, DeletedRanges[]> =>
    new Map(Object.entries(foldRows(readRows(documentId, upToSeq)).byAuthor).map(([a, r]) => [a, [r]]));
  /**
   * Folds what the log rows up to `upToSeq` deleted into their authors' deletions: `folded` (from
   * the worker) when it still covers every authored row up to `upToSeq`, else decoded here.
   */
  const foldDeletions = (documentId: string, upToSeq: number, folded?: FoldedDeletions): void => {
    const byAuthor =
      folded && folded.rows === (authoredCount.get(documentId, upToSeq)?.n ?? 0)
        ? folded.byAuthor
        : foldRows(readRows(documentId, upToSeq)).byAuthor;
    for (const [userId, ranges] of Object.entries(byAuthor)) {
      const list = [ranges];
      const stored = deletionsOf.get(documentId, userId);
      if (stored) list.push(JSON.parse(stored.ranges) as DeletedRanges);
      saveDeletions.run(documentId, userId, JSON.stringify(mergeRanges(list)));
    }
  };
  const state = db.prepare<[string], { state: Buffer; previous_state: Buffer | null }>(
    'SELECT state, previous_state FROM document_states WHERE document_id = ?',
  );
  const log = db.prepare<[string], { seq: number; data: Buffer }>(
    'SELECT seq, data FROM document_updates WHERE document_id = ? ORDER BY seq',
  );
  // The replaced state is kept as the fallback, unless it is the same blob (nothing changed).
  // last_seq: the last of the document's rows folded into the state (migration 17), which tells
  // the start-up catch-up whether the document's index lags its text.
  const upsertState = db.prepare<[string, Uint8Array, string, string, number]>(
    `INSERT INTO document_states (document_id, state, updated_at, last_seq)
     VALUES (?, ?, ?, COALESCE((SELECT MAX(seq) FROM document_updates WHERE document_id = ? AND seq <= ?), 0))
     ON CONFLICT (document_id) DO UPDATE SET
       previous_state = CASE WHEN document_states.state = excluded.state
                             THEN document_states.previous_state ELSE document_states.state END,
       state = excluded.state, updated_at = excluded.updated_at,
       last_seq = MAX(document_states.last_seq, excluded.last_seq)`,
  );
  const quarantineRow = db.prepare<[string, string, number]>(
    `INSERT INTO document_quarantine (document_id, kind, data, reason, quarantined_at)
     SELECT document_id, 'update', data, ?, ? FROM document_updates WHERE seq = ?`,
  );
  const deleteRow = db.prepare<[number]>('DELETE FROM document_updates WHERE seq = ?');
  const quarantineState = db.prepare<[string, string, string]>(
    `INSERT INTO document_quarantine (document_id, kind, data, reason, quarantined_at)
     SELECT document_id, 'state', state, ?, ? FROM document_states WHERE document_id = ?`,
  );
  // The previous state takes the place of the unreadable one, or the row goes when there is none.
  const promotePrevious = db.prepare<[string]>(
    `UPDATE document_states SET state = previous_state, previous_state = NULL
     WHERE document_id = ? AND previous_state IS NOT NULL`,
  );
  const dropState = db.prepare<[string]>(
    'DELETE FROM document_states WHERE document_id = ? AND previous_state IS NULL',
  );
  const ids = db.prepare<[], { id: string }>(
    `SELECT document_id AS id FROM document_states
     UNION SELECT DISTINCT document_id FROM document_updates ORDER BY id`,
  );
  const deleteLog = db.prepare<[string, number]>(
    'DELETE FROM document_updates WHERE document_id = ? AND seq <= ?',
  );
  const lastSeq = db.prepare<[], { seq: number | null }>('SELECT MAX(seq) AS seq FROM document_updates');
  const pending = db.prepare<[string], { n: number }>(
    'SELECT COUNT(*) AS n FROM document_updates WHERE document_id = ?',
  );
  let highestSeq = lastSeq.get()?.seq ?? 0;
  const commits = { commits: 0, longestMs: 0, over10ms: 0 };
  let queue: { documentId: string; update: Uint8Array; at: number; authorId: string | null }[] = [];

  const compact = db.transaction(
    (documentId: string, blob: Uint8Array, upToSeq: number, folded: FoldedDeletions | undefined) => {
      foldDeletions(documentId, upToSeq, folded);
      upsertState.run(documentId, blob, new Date().toISOString(), documentId, upToSeq);
      deleteLog.run(documentId, upToSeq);
    },
  );
  const quarantine = db.transaction(
    (documentId: string, what: { seqs: number[]; state: boolean }, reason: string) => {
      const at = new Date().toISOString();
      for (const seq of what.seqs) {
        quarantineRow.run(reason, at, seq);
        deleteRow.run(seq);
      }
      if (what.state) {
        quarantineState.run(reason, at, documentId);
        promotePrevious.run(documentId);
        dropState.run(documentId);
      }
    },
  );
  const writeBatch = db.transaction((batch: typeof queue) => {
    for (const item of batch)
      highestSeq = Number(append.run(item.documentId, item.update, item.at, item.authorId).lastInsertRowid);
  });

  const commit = (): void => {
    if (queue.length === 0) return;
    const batch = queue;
    queue = [];
    const started = performance.now();
    try {
      writeBatch.immediate(batch);
    } catch (error) {
      queue = batch.concat(queue);
      throw error;
    }
    const took = performance.now() - started;
    commits.commits++;
    if (took > commits.longestMs) commits.longestMs = took;
    if (took > 10) commits.over10ms++;
  };

  return {
    append(documentId, update, authorId = null) {
      // Fallback for updates no socket flush will commit: the end of this turn. A failure there
      // is an uncaught exception, and the process stops rather than lose what it accepted.
      if (queue.length === 0) setImmediate(commit);
      queue.push({ documentId, update, at: Date.now(), authorId });
    },
    commit,
    load(documentId) {
      commit();
      const stored = state.get(documentId);
      const rows = log.all(documentId);
      return {
        state: stored?.state ?? null,
        previousState: stored?.previous_state ?? null,
        updates: rows.map((r) => r.data),
        seqs: rows.map((r) => r.seq),
      };
    },
    compact: (documentId, blob, upToSeq, folded) => {
      commit();
      compact.immediate(documentId, blob, upToSeq, folded);
    },
    rowsToFold: (documentId, upToSeq) => {
      commit();
      return readRows(documentId, upToSeq);
    },
    lastSeq: () => {
      commit();
      return highestSeq;
    },
    pendingUpdates: (documentId) => {
      commit();
      return pending.get(documentId)?.n ?? 0;
    },
    commitStats: () => ({ ...commits }),
    quarantine: (documentId, what, reason) => {
      commit();
      quarantine.immediate(documentId, what, reason);
    },
    documentIds: () => {
      commit();
      return ids.all().map((r) => r.id);
    },
    deletions: (documentId) => {
      commit();
      const byAuthor = loggedDeletions(documentId, Number.MAX_SAFE_INTEGER);
      for (const row of allDeletions.all(documentId)) {
        const list = byAuthor.get(row.user_id) ?? [];
        list.push(JSON.parse(row.ranges) as DeletedRanges);
        byAuthor.set(row.user_id, list);
      }
      return new Map([...byAuthor].map(([userId, list]) => [userId, mergeRanges(list)]));
    },
  };
}

/** The ranges an update deletes, or null when it deletes nothing or cannot be read. */
function deletedRangesOf(update: Uint8Array): DeletedRanges | null {
  try {
    const { ds } = Y.decodeUpdate(update);
    if (ds.clients.size === 0) return null;
    const out: DeletedRanges = {};
    for (const [client, items] of ds.clients) out[String(client)] = items.map((d) => [d.clock, d.len]);
    return out;
  } catch {
    return null;
  }
}

/**
 * What `rows` delete, per author: each row's deletions (an unreadable row deletes nothing here)
 * merged by author ({@link mergeRanges}). Pure: run by the compaction worker on the rows
 * `rowsToFold` read, or on the main thread when there is no worker (measured on 200 keystroke
 * rows: about 0.1 ms; it grows with the rows' size, e.g. pasted text or long logs after a crash).
 */
export function foldRows(rows: readonly AuthoredRow[]): FoldedDeletions {
  const lists = new Map<string, DeletedRanges[]>();
  for (const row of rows) {
    const ranges = deletedRangesOf(row.data);
    if (!ranges) continue;
    const list = lists.get(row.authorId) ?? [];
    list.push(ranges);
    lists.set(row.authorId, list);
  }
  const byAuthor: Record<string, DeletedRanges> = {};
  for (const [authorId, list] of lists) byAuthor[authorId] = mergeRanges(list);
  return { rows: rows.length, byAuthor };
}

/** The union of several sets of deleted ranges, each client's ranges sorted and merged. */
export function mergeRanges(sets: DeletedRanges[]): DeletedRanges {
  const all = new Map<string, [number, number][]>();
  for (const set of sets)
    for (const [client, ranges] of Object.entries(set))
      all.set(client, [...(all.get(client) ?? []), ...ranges]);
  const out: DeletedRanges = {};
  for (const [client, ranges] of all) {
    ranges.sort((a, b) => a[0] - b[0]);
    const merged: [number, number][] = [];
    for (const [clock, len] of ranges) {
      const last = merged[merged.length - 1];
      if (last && clock <= last[0] + last[1]) last[1] = Math.max(last[1], clock + len - last[0]);
      else merged.push([clock, len]);
    }
    out[client] = merged;
  }
  return out;
}

/** What could not be read while loading a stored document (see {@link applyStored}). */
export interface LoadReport {
  /** The current state failed to load (`usedPrevious`: its fallback was loaded instead). */
  stateUnreadable: boolean;
  usedPrevious: boolean;
  /** Sequence numbers of the log rows that could not be read, and why. */
  unreadableRows: { seq: number; reason: string }[];
  /** Whether anything at all was loaded (a state or a row). */
  loadedAnything: boolean;
}

/**
 * Why `bytes` cannot be applied, or null. Decoding first keeps a bad row from being half applied;
 * a zero-length struct decodes and applies but makes every later encoding unloadable, so it counts
 * as unreadable too.
 */
function unreadable(bytes: Uint8Array): string | null {
  try {
    const { structs, ds } = Y.decodeUpdate(bytes);
    if (structs.some((s) => !(s.length >= 1))) return 'struct of length zero';
    for (const ranges of ds.clients.values())
      if (ranges.some((r) => !(r.len >= 1))) return 'deletion of length zero';
    return null;
  } catch (error) {
    return error instanceof Error ? error.message : 'undecodable';
  }
}

function tryApply(ydoc: Y.Doc, bytes: Uint8Array): string | null {
  const reason = unreadable(bytes);
  if (reason) return reason;
  try {
    Y.applyUpdate(ydoc, bytes);
    return null;
  } catch (error) {
    return error instanceof Error ? error.message : 'unreadable';
  }
}

/**
 * Loads a stored document into a Y.Doc, in one transaction: the state (or, if it cannot be read,
 * the previous one), then each readable log row in order; what cannot be read is skipped and
 * reported, never thrown, so one bad row does not hide a whole document. Applying rows one by one
 * is about three times faster than `Y.mergeUpdates` on long logs.
 */
export function applyStored(ydoc: Y.Doc, stored: StoredDocument, origin?: unknown): LoadReport {
  const report: LoadReport = {
    stateUnreadable: false,
    usedPrevious: false,
    unreadableRows: [],
    loadedAnything: false,
  };
  if (!stored.state && stored.updates.length === 0) return report;
  ydoc.transact(() => {
    if (stored.state) {
      if (tryApply(ydoc, stored.state) === null) report.loadedAnything = true;
      else {
        report.stateUnreadable = true;
        if (stored.previousState && tryApply(ydoc, stored.previousState) === null) {
          report.usedPrevious = true;
          report.loadedAnything = true;
        }
      }
    }
    stored.updates.forEach((update, i) => {
      const reason = tryApply(ydoc, update);
      if (reason === null) report.loadedAnything = true;
      else report.unreadableRows.push({ seq: stored.seqs?.[i] ?? -1, reason });
    });
  }, origin);
  return report;
}

/** Whether a load met anything it could not read. */
export const isDamaged = (report: LoadReport): boolean =>
  report.stateUnreadable || report.unreadableRows.length > 0;

/**
 * What a compaction's proof compares the encoded state with, taken from the live document in the
 * same turn as the encoding: plain data, so that the proof can run in a worker thread
 * (`collab/offload.ts`) while the live document goes on changing.
 */
export interface LiveSummary {
  /** `Y.encodeStateVector(live)`. */
  stateVector: Uint8Array;
  /** The live document's deletions: client → [clock, length] ranges, as the struct store has them. */
  deleteSet: [number, [number, number][]][];
  /** Whether the live document holds updates it could not integrate yet (pending structs or deletions). */
  pending: boolean;
}

/** The deletions of a struct store as plain data (see {@link LiveSummary.deleteSet}), sorted by client. */
function plainDeleteSet(doc: Y.Doc): [number, [number, number][]][] {
  const ds = Y.createDeleteSetFromStructStore(doc.store);
  return [...ds.clients.entries()]
    .map(([client, items]): [number, [number, number][]] => [client, items.map((d) => [d.clock, d.len])])
    .sort((a, b) => a[0] - b[0]);
}

/** {@link LiveSummary} of a live document, at this moment. */
export function summarizeLive(live: Y.Doc): LiveSummary {
  return {
    stateVector: Y.encodeStateVector(live),
    deleteSet: plainDeleteSet(live),
    pending: live.store.pendingStructs !== null || live.store.pendingDs !== null,
  };
}

/**
 * Proves that `state` (an encoding of `live`) loads back into the same document: it decodes, has
 * no zero-length struct, leaves nothing pending, and holds the same structs and deletions. Throws
 * with the reason otherwise: a compaction must then keep the log and the previous state.
 */
export function proveState(state: Uint8Array, live: Y.Doc): void {
  proveAgainst(state, summarizeLive(live));
}

/**
 * {@link proveState} against a {@link LiveSummary} taken when `state` was encoded: pure, what the
 * compaction worker runs (decoding a fiche's state into a fresh document: a few ms to tens of ms).
 *
 * `read`, when given, is handed the decoded copy once `state` is applied and before it is compared
 * (so it runs even when the proof then fails, as long as the state decodes): a departing
 * document's index is read from the same decoding (`collab/departures.ts`). It must not write to
 * the copy; what it throws propagates as is.
 */
export function proveAgainst(state: Uint8Array, live: LiveSummary, read?: (copy: Y.Doc) => void): void {
  const reason = unreadable(state);
  if (reason) throw new Error(`compacted state would not load: ${reason}`);
  const copy = new Y.Doc({ gc: false });
  try {
    Y.applyUpdate(copy, state);
    read?.(copy);
    // What Yjs holds back as pending is re-encoded with the state: it must decode too.
    if (copy.store.pendingStructs) Y.decodeUpdate(copy.store.pendingStructs.update);
    if (copy.store.pendingDs) Y.decodeUpdate(copy.store.pendingDs);
    if (!live.pending && (copy.store.pendingStructs || copy.store.pendingDs))
      throw new Error('compacted state would load with missing parts');
    const same =
      Buffer.from(Y.encodeStateVector(copy)).equals(live.stateVector) &&
      JSON.stringify(plainDeleteSet(copy)) === JSON.stringify(live.deleteSet);
    if (!same) throw new Error('compacted state differs from the live document');
  } finally {
    copy.destroy();
  }
}
