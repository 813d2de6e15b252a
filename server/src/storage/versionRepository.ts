import type { VersionKind } from '@essaim/protocol';
import type { Db } from './db.js';

/** A version as stored, without its state (see {@link VersionRepository.state}). */
export interface VersionRecord {
  id: string;
  documentId: string;
  number: number;
  kind: VersionKind;
  label: string | null;
  /** User ids whose changes went into this version since the previous one. */
  authorIds: string[];
  createdBy: { id: string; name: string } | null;
  /** ISO 8601. */
  createdAt: string;
}

/** A new version: its full state, Yjs V2 encoding. */
export interface NewVersion {
  id: string;
  documentId: string;
  kind: VersionKind;
  label: string | null;
  state: Uint8Array;
  authorIds: string[];
  createdBy: string | null;
  createdAt: string;
}

/**
 * Versions of documents (`document_versions`, issue 11). Who deleted what is the collab store's
 * (`CollabStore.deletions`).
 */
export interface VersionRepository {
  /** Records a version with the next number of its document; returns it. */
  insert(version: NewVersion): VersionRecord;
  /** Versions of a document, newest first. */
  list(documentId: string): VersionRecord[];
  get(documentId: string, versionId: string): VersionRecord | null;
  latest(documentId: string): VersionRecord | null;
  /** The stored state of a version (Yjs V2), or null. */
  state(versionId: string): Uint8Array | null;
  /** Deletes versions by id (thinning); returns how many went. */
  remove(ids: string[]): number;
}

interface Row {
  id: string;
  document_id: string;
  number: number;
  kind: VersionKind;
  label: string | null;
  authors: string;
  created_by: string | null;
  creator_name: string | null;
  created_at: string;
}

const toRecord = (r: Row): VersionRecord => ({
  id: r.id,
  documentId: r.document_id,
  number: r.number,
  kind: r.kind,
  label: r.label,
  authorIds: JSON.parse(r.authors) as string[],
  createdBy: r.created_by ? { id: r.created_by, name: r.creator_name ?? '' } : null,
  createdAt: r.created_at,
});

const columns = `v.id, v.document_id, v.number, v.kind, v.label, v.authors, v.created_by,
  u.name AS creator_name, v.created_at
  FROM document_versions v LEFT JOIN users u ON u.id = v.created_by`;

export function sqliteVersionRepository(db: Db): VersionRepository {
  const insert = db.prepare<
    [string, string, string, string, string | null, Uint8Array, string, string | null, string]
  >(
    `INSERT INTO document_versions (id, document_id, number, kind, label, state, authors, created_by, created_at)
     VALUES (?, ?, (SELECT COALESCE(MAX(number), 0) + 1 FROM document_versions WHERE document_id = ?), ?, ?, ?, ?, ?, ?)`,
  );
  const list = db.prepare<[string], Row>(`SELECT ${columns} WHERE v.document_id = ? ORDER BY v.number DESC`);
  const get = db.prepare<[string, string], Row>(`SELECT ${columns} WHERE v.document_id = ? AND v.id = ?`);
  const latest = db.prepare<[string], Row>(
    `SELECT ${columns} WHERE v.document_id = ? ORDER BY v.number DESC LIMIT 1`,
  );
  const state = db.prepare<[string], { state: Buffer }>('SELECT state FROM document_versions WHERE id = ?');
  const remove = db.prepare<[string]>('DELETE FROM document_versions WHERE id = ?');
  const removeAll = db.transaction((ids: string[]) => ids.reduce((n, id) => n + remove.run(id).changes, 0));
  return {
    insert(v) {
      insert.run(
        v.id,
        v.documentId,
        v.documentId,
        v.kind,
        v.label,
        v.state,
        JSON.stringify(v.authorIds),
        v.createdBy,
        v.createdAt,
      );
      const row = get.get(v.documentId, v.id);
      if (!row) throw new Error(`version ${v.id} not recorded`);
      return toRecord(row);
    },
    list: (documentId) => list.all(documentId).map(toRecord),
    get: (documentId, versionId) => {
      const row = get.get(documentId, versionId);
      return row ? toRecord(row) : null;
    },
    latest: (documentId) => {
      const row = latest.get(documentId);
      return row ? toRecord(row) : null;
    },
    state: (versionId) => state.get(versionId)?.state ?? null,
    remove: (ids) => (ids.length === 0 ? 0 : removeAll.immediate(ids)),
  };
}
