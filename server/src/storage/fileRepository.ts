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
  /**
   * {@link record}, refused when the link would take the document or the uploader past a quota
   * (bytes of distinct files linked to the document; of distinct files the account uploaded), checked
   * in the same IMMEDIATE transaction as the insert so parallel uploads cannot all pass the check.
   * A file already linked to this document adds nothing and always passes.
   */
  recordWithinQuota(
    file: FileRecord,
    link: FileLink,
    quota: UploadQuota,
  ): { created: boolean; linked: boolean } | { refused: 'document' | 'account' };
  /** Bytes of the distinct files linked to a document, and uploaded by an account. */
  usage(documentId: string, userId: string | null): { documentBytes: number; accountBytes: number };
  /**
   * Files no link younger than `cutoff` (ISO date) protects: every upload of them is older.
   * Candidates for removal once no document shows them.
   */
  unprotectedFiles(cutoff: string): { hash: string; size: number }[];
  /**
   * Removes a file's row and its links, in one transaction, unless a link younger than `cutoff`
   * appeared meanwhile (an upload of the same bytes). True when removed.
   */
  removeFile(hash: string, cutoff: string): boolean;
}

/** Upload quotas, in bytes. */
export interface UploadQuota {
  documentBytes: number;
  accountBytes: number;
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
  const more = {
    linked: db.prepare<[string, string], { one: number }>(
      'SELECT 1 AS one FROM document_files WHERE document_id = ? AND hash = ?',
    ),
    documentBytes: db.prepare<[string], { bytes: number | null }>(
      `SELECT SUM(f.size) AS bytes FROM files f
       WHERE f.hash IN (SELECT hash FROM document_files WHERE document_id = ?)`,
    ),
    accountBytes: db.prepare<[string], { bytes: number | null }>(
      `SELECT SUM(f.size) AS bytes FROM files f
       WHERE f.hash IN (SELECT hash FROM document_files WHERE uploaded_by = ?)`,
    ),
    uploadedBy: db.prepare<[string, string], { one: number }>(
      'SELECT 1 AS one FROM document_files WHERE uploaded_by = ? AND hash = ? LIMIT 1',
    ),
    unprotected: db.prepare<[string, string], { hash: string; size: number }>(
      `SELECT f.hash, f.size FROM files f
       WHERE f.created_at < ?
         AND NOT EXISTS (SELECT 1 FROM document_files l WHERE l.hash = f.hash AND l.uploaded_at >= ?)`,
    ),
    youngLink: db.prepare<[string, string], { one: number }>(
      'SELECT 1 AS one FROM document_files WHERE hash = ? AND uploaded_at >= ? LIMIT 1',
    ),
    deleteLinks: db.prepare<[string]>('DELETE FROM document_files WHERE hash = ?'),
    deleteFile: db.prepare<[string]>('DELETE FROM files WHERE hash = ?'),
  };
  const bytesOf = (row: { bytes: number | null } | undefined): number => row?.bytes ?? 0;
  const usage = (documentId: string, userId: string | null) => ({
    documentBytes: bytesOf(more.documentBytes.get(documentId)),
    accountBytes: userId ? bytesOf(more.accountBytes.get(userId)) : 0,
  });
  const recordWithinQuota = db.transaction(
    (
      file: FileRecord,
      link: FileLink,
      quota: UploadQuota,
    ): { created: boolean; linked: boolean } | { refused: 'document' | 'account' } => {
      if (!more.linked.get(link.documentId, file.hash)) {
        const used = usage(link.documentId, link.uploadedBy);
        const size = q.find.get(file.hash)?.size ?? file.size;
        if (used.documentBytes + size > quota.documentBytes) return { refused: 'document' };
        const counted = link.uploadedBy !== null && more.uploadedBy.get(link.uploadedBy, file.hash);
        if (link.uploadedBy !== null && !counted && used.accountBytes + size > quota.accountBytes)
          return { refused: 'account' };
      }
      return record(file, link);
    },
  );
  const removeFile = db.transaction((hash: string, cutoff: string): boolean => {
    if (more.youngLink.get(hash, cutoff)) return false;
    more.deleteLinks.run(hash);
    return more.deleteFile.run(hash).changes > 0;
  });
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
    recordWithinQuota: (file, link, quota) => recordWithinQuota.immediate(file, link, quota),
    usage,
    unprotectedFiles: (cutoff) => more.unprotected.all(cutoff, cutoff),
    removeFile: (hash, cutoff) => removeFile.immediate(hash, cutoff),
  };
}
