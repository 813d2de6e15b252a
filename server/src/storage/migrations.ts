/**
 * Numbered schema migrations, applied in order at start inside one transaction each. A migration
 * is never edited once released: add a new one. `PRAGMA user_version` holds the last applied number.
 */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const migrations: Migration[] = [
  {
    version: 1,
    name: 'documents and their collaborative state',
    sql: `
      CREATE TABLE documents (
        id          TEXT PRIMARY KEY,
        kind        TEXT NOT NULL CHECK (kind IN ('fiche', 'synthese')),
        title       TEXT NOT NULL,
        created_at  TEXT NOT NULL,
        updated_at  TEXT NOT NULL,
        archived_at TEXT
      ) STRICT;

      -- Compacted Yjs state: one blob per document, rewritten by compaction.
      CREATE TABLE document_states (
        document_id TEXT PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
        state       BLOB NOT NULL,
        updated_at  TEXT NOT NULL
      ) STRICT;

      -- Every update the server accepted, appended before it is acknowledged or broadcast.
      -- Compaction folds rows into document_states and deletes them in the same transaction.
      CREATE TABLE document_updates (
        seq         INTEGER PRIMARY KEY AUTOINCREMENT,
        document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        data        BLOB NOT NULL,
        created_at  INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX document_updates_by_document ON document_updates (document_id, seq);
    `,
  },
];
