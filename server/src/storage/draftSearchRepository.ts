import Database from 'better-sqlite3';
import type { Db } from './db.js';

/** The stems an entry is indexed under (services/frenchText.ts `frenchStems`). */
export interface DraftStems {
  title: string;
  body: string;
}

/** What the index keeps of one section of a draft, or of one comment thread. */
export interface DraftEntryContent {
  /** The section's title ('' for a thread). */
  title: string;
  /** Plain text: the section's blocks, or the thread's messages, one per line. */
  text: string;
  stems: DraftStems;
}

/** A section as the document holds it now: its id and content hash (packages/editor `sectionsOf`). */
export interface DraftSectionKey {
  sectionId: string;
  hash: string;
}

/** One entry found by a search: where it is, and its bm25 rank (negative; lower is better). */
export interface DraftHitRow {
  entryId: number;
  documentId: string;
  sectionId: string | null;
  /** The section's title ('' for a thread). */
  title: string;
  threadId: string | null;
  rank: number;
}

/**
 * The full-text index of drafts and comment threads (issue 18; migration 15): `draft_search_entries`
 * (where each entry is, its title and hash), `draft_search_texts` (its text), `draft_search`
 * (FTS5 over French stems, contentless, its rows deleted with their entry by a trigger), and
 * `draft_search_documents`, the documents whose sections are indexed. Every write of one
 * document or thread is one transaction.
 */
export interface DraftSearchRepository {
  /**
   * Makes the document's section entries those of `sections`, in one IMMEDIATE transaction:
   * entries of sections no longer there are removed; a section whose stored hash differs (or that
   * has none) is written again with `content(sectionId)`, called inside the transaction so that
   * what is compared is what is replaced; with `force`, every section is written again. Marks the
   * document indexed at `at` (ISO date). Returns how many sections were written.
   */
  saveSections(
    documentId: string,
    sections: readonly DraftSectionKey[],
    content: (sectionId: string) => DraftEntryContent,
    at: string,
    force?: boolean,
  ): number;
  /**
   * Makes the thread's entry `entry` (replaced when `hash` differs from the stored one), or removes
   * it (null: a thread deleted, or without any message left). One transaction.
   */
  saveThread(
    documentId: string,
    threadId: string,
    entry: (DraftEntryContent & { hash: string }) | null,
  ): void;
  /** Removes every entry of a document and its mark (documents are archived, not deleted; for tests and tools). */
  removeDocument(documentId: string): void;
  /**
   * The entries matching an FTS5 expression built from stems by the caller, best first (bm25,
   * section titles ×5 over the text), at most `limit`, of every document: callers keep those of
   * the documents they may show.
   * @throws SqliteError when the expression is not valid FTS5 (callers build it so it never is).
   */
  search(expression: string, limit: number): DraftHitRow[];
  /**
   * The entries matching `expression` with their bm25 rank (as {@link search}, in no particular
   * order, without a limit), read one at a time from a read-only connection of its own on the
   * database file, so that the caller may let other work run (on the main connection too) between
   * two rows: bm25 is computed as each row is read. Null when the database has no file (in
   * memory). `close()` must be called (it ends the connection's read transaction).
   * @throws SqliteError when the expression is not valid FTS5 (at the first `next()`).
   */
  rankedReader(expression: string): RankedReader | null;
  /** The text of these entries, by entry id. */
  texts(entryIds: readonly number[]): Map<number, string>;
  /**
   * The text of one entry as its UTF-8 bytes (one copy, no decoding: a snippet decodes only what
   * it reads), or undefined when there is no such entry.
   */
  textBytes(entryId: number): Uint8Array | undefined;
  /** Up to `limit` documents whose sections were never indexed (oldest first). */
  unindexedDocuments(limit: number): string[];
  /** Those of `documentIds` whose sections were never indexed. */
  unindexedAmong(documentIds: readonly string[]): string[];
  /** Empties the whole index (entries, FTS rows, marks) in one transaction: every document is then unindexed. */
  clear(): void;
  /** Merges the FTS5 index's segments (after a rebuild). */
  optimize(): void;
  /** Bytes the index takes in the database file (its tables and indexes, from `dbstat`), or null. */
  sizeBytes(): number | null;
  /** Whether the database is still open (background work stops once it is closed). */
  isOpen(): boolean;
}

/** Ranked entries read one at a time ({@link DraftSearchRepository.rankedReader}). */
export interface RankedReader {
  /** The next entry, or undefined when all were read (the reader is then closed). */
  next(): DraftHitRow | undefined;
  /** Ends the read (idempotent). */
  close(): void;
}

const RANKED_SQL = `SELECT e.id, e.document_id, e.section_id, e.title, e.thread_id, r.rank
  FROM (SELECT rowid, bm25(draft_search, 5.0, 1.0) AS rank FROM draft_search WHERE draft_search MATCH ?) r
  JOIN draft_search_entries e ON e.id = r.rowid`;

interface HitRow {
  id: number;
  document_id: string;
  section_id: string | null;
  title: string;
  thread_id: string | null;
  rank: number;
}

const hitOf = (r: HitRow): DraftHitRow => ({
  entryId: r.id,
  documentId: r.document_id,
  sectionId: r.section_id,
  title: r.title,
  threadId: r.thread_id,
  rank: r.rank,
});

/** The SQLite {@link DraftSearchRepository}. */
export function sqliteDraftSearchRepository(db: Db): DraftSearchRepository {
  const q = {
    sectionHashes: db.prepare<[string], { id: number; section_id: string; hash: string }>(
      'SELECT id, section_id, hash FROM draft_search_entries WHERE document_id = ? AND section_id IS NOT NULL',
    ),
    deleteEntry: db.prepare<[number]>('DELETE FROM draft_search_entries WHERE id = ?'),
    insertSection: db.prepare<[string, string, string, string]>(
      `INSERT INTO draft_search_entries (document_id, section_id, title, hash) VALUES (?, ?, ?, ?)`,
    ),
    insertThread: db.prepare<[string, string, string]>(
      `INSERT INTO draft_search_entries (document_id, thread_id, hash) VALUES (?, ?, ?)`,
    ),
    insertText: db.prepare<[number | bigint, string]>(
      'INSERT INTO draft_search_texts (entry_id, text) VALUES (?, ?)',
    ),
    index: db.prepare<[number | bigint, string, string]>(
      'INSERT INTO draft_search (rowid, title, body) VALUES (?, ?, ?)',
    ),
    markIndexed: db.prepare<[string, string]>(
      `INSERT INTO draft_search_documents (document_id, indexed_at) VALUES (?, ?)
       ON CONFLICT (document_id) DO UPDATE SET indexed_at = excluded.indexed_at`,
    ),
    threadEntry: db.prepare<[string], { id: number; hash: string }>(
      'SELECT id, hash FROM draft_search_entries WHERE thread_id = ?',
    ),
    documentExists: db.prepare<[string], { n: number }>('SELECT 1 AS n FROM documents WHERE id = ?'),
    removeEntries: db.prepare<[string]>('DELETE FROM draft_search_entries WHERE document_id = ?'),
    removeMark: db.prepare<[string]>('DELETE FROM draft_search_documents WHERE document_id = ?'),
    search: db.prepare<[string, number], HitRow>(
      `SELECT e.id, e.document_id, e.section_id, e.title, e.thread_id, r.rank
       FROM (SELECT rowid, bm25(draft_search, 5.0, 1.0) AS rank
             FROM draft_search WHERE draft_search MATCH ? ORDER BY rank LIMIT ?) r
       JOIN draft_search_entries e ON e.id = r.rowid
       ORDER BY r.rank`,
    ),
    textBytes: db.prepare<[number], { bytes: Uint8Array }>(
      'SELECT CAST(text AS BLOB) AS bytes FROM draft_search_texts WHERE entry_id = ?',
    ),
    texts: db.prepare<[string], { entry_id: number; text: string }>(
      'SELECT entry_id, text FROM draft_search_texts WHERE entry_id IN (SELECT value FROM json_each(?))',
    ),
    unindexed: db.prepare<[number], { id: string }>(
      `SELECT id FROM documents d
       WHERE NOT EXISTS (SELECT 1 FROM draft_search_documents x WHERE x.document_id = d.id)
       ORDER BY created_at, id LIMIT ?`,
    ),
    unindexedAmong: db.prepare<[string], { id: string }>(
      `SELECT value AS id FROM json_each(?)
       WHERE NOT EXISTS (SELECT 1 FROM draft_search_documents x WHERE x.document_id = value)`,
    ),
  };

  const saveSections = db.transaction(
    (
      documentId: string,
      sections: readonly DraftSectionKey[],
      content: (sectionId: string) => DraftEntryContent,
      at: string,
      force: boolean,
    ): number => {
      // The document may have gone meanwhile (its entries would fail their foreign key).
      if (!q.documentExists.get(documentId)) return 0;
      const stored = new Map(q.sectionHashes.all(documentId).map((r) => [r.section_id, r]));
      const present = new Set(sections.map((s) => s.sectionId));
      for (const [sectionId, row] of stored) if (!present.has(sectionId)) q.deleteEntry.run(row.id);
      let written = 0;
      for (const { sectionId, hash } of sections) {
        const old = stored.get(sectionId);
        if (old && old.hash === hash && !force) continue;
        if (old) q.deleteEntry.run(old.id);
        const entry = content(sectionId);
        const { lastInsertRowid } = q.insertSection.run(documentId, sectionId, entry.title, hash);
        q.insertText.run(lastInsertRowid, entry.text);
        q.index.run(lastInsertRowid, entry.stems.title, entry.stems.body);
        written++;
      }
      q.markIndexed.run(documentId, at);
      return written;
    },
  );

  const saveThread = db.transaction(
    (documentId: string, threadId: string, entry: (DraftEntryContent & { hash: string }) | null) => {
      const old = q.threadEntry.get(threadId);
      if (old && entry && old.hash === entry.hash) return;
      if (old) q.deleteEntry.run(old.id);
      if (!entry || !q.documentExists.get(documentId)) return;
      const { lastInsertRowid } = q.insertThread.run(documentId, threadId, entry.hash);
      q.insertText.run(lastInsertRowid, entry.text);
      q.index.run(lastInsertRowid, entry.stems.title, entry.stems.body);
    },
  );

  const removeDocument = db.transaction((documentId: string) => {
    q.removeEntries.run(documentId);
    q.removeMark.run(documentId);
  });

  const clear = db.transaction(() => {
    db.exec('DELETE FROM draft_search_texts');
    db.exec('DELETE FROM draft_search_entries');
    // Whatever the entries' trigger left (an index out of step is what a rebuild is for).
    db.exec(`INSERT INTO draft_search (draft_search) VALUES ('delete-all')`);
    db.exec('DELETE FROM draft_search_documents');
  });

  return {
    saveSections: (documentId, sections, content, at, force = false) =>
      saveSections.immediate(documentId, sections, content, at, force),
    saveThread: (documentId, threadId, entry) => saveThread.immediate(documentId, threadId, entry),
    removeDocument: (documentId) => removeDocument.immediate(documentId),
    search: (expression, limit) => q.search.all(expression, limit).map(hitOf),
    textBytes: (entryId) => q.textBytes.get(entryId)?.bytes,
    rankedReader: (expression) => {
      if (db.memory || !db.name) return null;
      // A reader of a WAL database waits for nobody; should SQLite still say busy (a recovery),
      // the search fails within 100 ms rather than hold the event loop (better-sqlite3's 5 s).
      const reader = new Database(db.name, { readonly: true, fileMustExist: true, timeout: 100 });
      let rows: IterableIterator<HitRow> | undefined;
      let open = true;
      const close = (): void => {
        if (!open) return;
        open = false;
        rows?.return?.();
        reader.close();
      };
      return {
        next: () => {
          if (!open) return undefined;
          try {
            rows ??= reader.prepare<[string], HitRow>(RANKED_SQL).iterate(expression);
            const step = rows.next();
            if (step.done) {
              close();
              return undefined;
            }
            return hitOf(step.value);
          } catch (error) {
            close();
            throw error;
          }
        },
        close,
      };
    },
    texts: (entryIds) =>
      new Map(q.texts.all(JSON.stringify(entryIds)).map((r) => [r.entry_id, r.text] as const)),
    unindexedDocuments: (limit) => q.unindexed.all(limit).map((r) => r.id),
    unindexedAmong: (documentIds) => q.unindexedAmong.all(JSON.stringify(documentIds)).map((r) => r.id),
    clear: () => clear.immediate(),
    optimize: () => void db.exec(`INSERT INTO draft_search (draft_search) VALUES ('optimize')`),
    sizeBytes: () => {
      try {
        const row = db
          .prepare<[], { bytes: number | null }>(
            `SELECT SUM(pgsize) AS bytes FROM dbstat
             WHERE name LIKE 'draft_search%' OR name LIKE 'sqlite_autoindex_draft_search%'`,
          )
          .get();
        return row?.bytes ?? 0;
      } catch {
        // dbstat is a compile-time option of SQLite.
        return null;
      }
    },
    isOpen: () => db.open,
  };
}
