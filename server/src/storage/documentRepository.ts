import type { DocumentKind } from '@essaim/protocol';
import type { Db } from './db.js';

export interface DocumentRecord {
  id: string;
  kind: DocumentKind;
  title: string;
  createdAt: string;
  updatedAt: string;
  archivedAt: string | null;
}

/**
 * Document metadata. An interface so a PostgreSQL implementation can take its place when several
 * server instances share one database.
 */
export interface DocumentRepository {
  insert(record: Omit<DocumentRecord, 'archivedAt'>): void;
  findById(id: string): DocumentRecord | undefined;
  /** Documents not archived, most recently changed first. */
  listActive(): DocumentRecord[];
  touch(id: string, at: string): void;
}

interface Row {
  id: string;
  kind: DocumentKind;
  title: string;
  created_at: string;
  updated_at: string;
  archived_at: string | null;
}

const fromRow = (r: Row): DocumentRecord => ({
  id: r.id,
  kind: r.kind,
  title: r.title,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  archivedAt: r.archived_at,
});

export function sqliteDocumentRepository(db: Db): DocumentRepository {
  const insert = db.prepare<[string, string, string, string, string]>(
    'INSERT INTO documents (id, kind, title, created_at, updated_at) VALUES (?, ?, ?, ?, ?)',
  );
  const byId = db.prepare<[string], Row>('SELECT * FROM documents WHERE id = ?');
  const active = db.prepare<[], Row>(
    'SELECT * FROM documents WHERE archived_at IS NULL ORDER BY updated_at DESC, title',
  );
  const touch = db.prepare<[string, string]>('UPDATE documents SET updated_at = ? WHERE id = ?');
  return {
    insert: (r) => void insert.run(r.id, r.kind, r.title, r.createdAt, r.updatedAt),
    findById: (id) => {
      const row = byId.get(id);
      return row && fromRow(row);
    },
    listActive: () => active.all().map(fromRow),
    touch: (id, at) => void touch.run(at, id),
  };
}
