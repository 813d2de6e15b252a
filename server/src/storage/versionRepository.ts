import type { VersionKind } from '@essaim/protocol';
import * as Y from 'yjs';
import type { Db } from './db.js';

/**
 * Most steps from a version stored in full to one stored as a diff: reading a version applies at
 * most this many diffs (measured in bench/versions.ts, docs/PERFORMANCE.md (i)).
 */
export const MAX_DELTA_DEPTH = 20;

interface StoredState {
  version_id: string;
  base: string | null;
  depth: number;
  state: Buffer;
}

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
  /**
   * The full state of a version (Yjs V2), or null. Versions are stored as what they add to the
   * one before (a Yjs diff), with a full state every {@link MAX_DELTA_DEPTH} versions.
   */
  state(versionId: string): Uint8Array | null;
  /** Deletes versions by id (thinning), folding what each added into the versions based on it; returns how many went. */
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
  const insertVersion = db.prepare<
    [string, string, string, string, string | null, string, string | null, string]
  >(
    `INSERT INTO document_versions (id, document_id, number, kind, label, authors, created_by, created_at)
     VALUES (?, ?, (SELECT COALESCE(MAX(number), 0) + 1 FROM document_versions WHERE document_id = ?), ?, ?, ?, ?, ?)`,
  );
  const insertState = db.prepare<[string, string | null, number, Uint8Array]>(
    'INSERT INTO document_version_states (version_id, base, depth, state) VALUES (?, ?, ?, ?)',
  );
  const stored = db.prepare<[string], StoredState>(
    'SELECT version_id, base, depth, state FROM document_version_states WHERE version_id = ?',
  );
  const newest = db.prepare<[string], { id: string }>(
    'SELECT id FROM document_versions WHERE document_id = ? ORDER BY number DESC LIMIT 1',
  );
  const dependents = db.prepare<[string], StoredState>(
    'SELECT version_id, base, depth, state FROM document_version_states WHERE base = ?',
  );
  const rebase = db.prepare<[string | null, number, Uint8Array, string]>(
    'UPDATE document_version_states SET base = ?, depth = ?, state = ? WHERE version_id = ?',
  );
  /** The full state of a version: its base's, with what it adds (V2). */
  const fullState = (versionId: string): Uint8Array | null => {
    const chain: Uint8Array[] = [];
    for (let row = stored.get(versionId); row; row = row.base ? stored.get(row.base) : undefined) {
      chain.unshift(row.state);
      if (!row.base) return chain.length === 1 ? row.state : Y.mergeUpdatesV2(chain);
    }
    return null;
  };
  const insert = db.transaction((v: NewVersion) => {
    const previous = newest.get(v.documentId);
    const base = previous ? stored.get(previous.id) : undefined;
    const baseState = base && base.depth < MAX_DELTA_DEPTH ? fullState(base.version_id) : null;
    insertVersion.run(
      v.id,
      v.documentId,
      v.documentId,
      v.kind,
      v.label,
      JSON.stringify(v.authorIds),
      v.createdBy,
      v.createdAt,
    );
    if (base && baseState)
      insertState.run(
        v.id,
        base.version_id,
        base.depth + 1,
        Y.diffUpdateV2(v.state, Y.encodeStateVectorFromUpdateV2(baseState)),
      );
    else insertState.run(v.id, null, 0, v.state);
  });
  /** Removes a version, its dependents now based on its own base with what it added folded in. */
  const removeOne = (id: string): number => {
    const own = stored.get(id);
    if (own)
      for (const child of dependents.all(id)) {
        if (own.base)
          rebase.run(own.base, own.depth, Y.mergeUpdatesV2([own.state, child.state]), child.version_id);
        else rebase.run(null, 0, Y.mergeUpdatesV2([own.state, child.state]), child.version_id);
      }
    return remove.run(id).changes;
  };
  const list = db.prepare<[string], Row>(`SELECT ${columns} WHERE v.document_id = ? ORDER BY v.number DESC`);
  const get = db.prepare<[string, string], Row>(`SELECT ${columns} WHERE v.document_id = ? AND v.id = ?`);
  const latest = db.prepare<[string], Row>(
    `SELECT ${columns} WHERE v.document_id = ? ORDER BY v.number DESC LIMIT 1`,
  );
  const remove = db.prepare<[string]>('DELETE FROM document_versions WHERE id = ?');
  const removeAll = db.transaction((ids: string[]) => ids.reduce((n, id) => n + removeOne(id), 0));
  return {
    insert(v) {
      // BEGIN IMMEDIATE: the transaction reads (the previous version) before it writes. A deferred
      // one holding its read while the checkpoint worker holds the write lock and waits for
      // readers (RESTART, TRUNCATE) is a deadlock SQLite answers at once with SQLITE_BUSY, without
      // the busy handler (https://sqlite.org/c3ref/busy_handler.html); taking the write lock first
      // waits for the checkpoint instead. Seen as a 500 on an approval (portalLoad, CI).
      insert.immediate(v);
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
    state: (versionId) => fullState(versionId),
    remove: (ids) => (ids.length === 0 ? 0 : removeAll.immediate(ids)),
  };
}
