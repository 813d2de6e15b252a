import type { Db } from './db.js';

/** A stored file: its bytes live under `DATA_DIR/files/<first 2 hex>/<hash>`. */
export interface FileRecord {
  /** sha256 of the content, 64 lowercase hex characters. */
  hash: string;
  mime: string;
  size: number;
  createdAt: string;
}

export interface FileLink {
  documentId: string;
  uploadedBy: string | null;
  uploadedAt: string;
}

/**
 * Uploaded files (by content hash) and the documents they were uploaded into. An interface so a
 * PostgreSQL implementation can take its place.
 */
export interface FileRepository {
  find(hash: string): FileRecord | undefined;
  /** The documents a file was uploaded into (reading it needs read access to one of them). */
  documentsOf(hash: string): string[];
  /**
   * Records a file (kept as it is when already known) and its link to a document, in one
   * transaction. `linked` is false when this document already had this file.
   */
  record(file: FileRecord, link: FileLink): { created: boolean; linked: boolean };
}

interface Row {
  hash: string;
  mime: string;
  size: number;
  created_at: string;
}

export function sqliteFileRepository(db: Db): FileRepository {
  const q = {
    find: db.prepare<[string], Row>('SELECT hash, mime, size, created_at FROM files WHERE hash = ?'),
    documentsOf: db.prepare<[string], { document_id: string }>(
      'SELECT document_id FROM document_files WHERE hash = ? ORDER BY uploaded_at',
    ),
    insertFile: db.prepare<[string, string, number, string]>(
      'INSERT OR IGNORE INTO files (hash, mime, size, created_at) VALUES (?, ?, ?, ?)',
    ),
    link: db.prepare<[string, string, string | null, string]>(
      `INSERT OR IGNORE INTO document_files (document_id, hash, uploaded_by, uploaded_at)
       VALUES (?, ?, ?, ?)`,
    ),
  };
  const record = db.transaction((file: FileRecord, link: FileLink) => {
    const created = q.insertFile.run(file.hash, file.mime, file.size, file.createdAt).changes > 0;
    const linked = q.link.run(link.documentId, file.hash, link.uploadedBy, link.uploadedAt).changes > 0;
    return { created, linked };
  });
  return {
    find: (hash) => {
      const row = q.find.get(hash);
      return row && { hash: row.hash, mime: row.mime, size: row.size, createdAt: row.created_at };
    },
    documentsOf: (hash) => q.documentsOf.all(hash).map((r) => r.document_id),
    record: (file, link) => record.immediate(file, link),
  };
}
