import type { Db } from './db.js';

/** A Yjs item id as stored. */
export interface StoredItemId {
  client: number;
  clock: number;
}

/**
 * One section forwarding as stored (see packages/editor `sectionForwarding.ts`): the old and the
 * new section elements, and the item map in the chunks it was written in (JSON text produced by
 * `encodeForwardEntries`, opaque here).
 */
export interface StoredForwarding {
  id: string;
  oldRoot: StoredItemId;
  newRoot: StoredItemId;
  /** Epoch milliseconds. */
  createdAt: number;
  /** Oldest chunk first. */
  chunks: string[];
}

/**
 * Section forwardings, kept beside the document so they outlive its unloading and a restart: a
 * writer who was offline when a section moved may come back hours later.
 */
export interface ForwardingRepository {
  /**
   * Deletes the forwardings of `documentId` created before `since` (epoch ms), then returns the
   * others, oldest first, with their chunks.
   */
  load(documentId: string, since: number): StoredForwarding[];
  /** Stores a new forwarding with its first chunk. Storing the same id again adds the chunk only. */
  create(documentId: string, forwarding: Omit<StoredForwarding, 'chunks'>, chunk: string): void;
  /** Appends a chunk of entries to a stored forwarding. */
  append(documentId: string, forwardingId: string, chunk: string): void;
  /** Forgets forwardings (with their entries). */
  remove(documentId: string, forwardingIds: readonly string[]): void;
}

interface ForwardingRow {
  id: string;
  old_root_client: number;
  old_root_clock: number;
  new_root_client: number;
  new_root_clock: number;
  created_at: number;
}

/** {@link ForwardingRepository} on the tables of migration 4 (entries are deleted with their forwarding). */
export function sqliteForwardingRepository(db: Db): ForwardingRepository {
  const purge = db.prepare<[string, number]>(
    'DELETE FROM section_forwardings WHERE document_id = ? AND created_at < ?',
  );
  const list = db.prepare<[string], ForwardingRow>(
    `SELECT id, old_root_client, old_root_clock, new_root_client, new_root_clock, created_at
       FROM section_forwardings WHERE document_id = ? ORDER BY created_at, id`,
  );
  const chunks = db.prepare<[string], { forwarding_id: string; entries: string }>(
    'SELECT forwarding_id, entries FROM section_forwarding_entries WHERE document_id = ? ORDER BY seq',
  );
  const insert = db.prepare<[string, string, number, number, number, number, number]>(
    `INSERT OR IGNORE INTO section_forwardings
       (document_id, id, old_root_client, old_root_clock, new_root_client, new_root_clock, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
  );
  const removeOne = db.prepare<[string, string]>(
    'DELETE FROM section_forwardings WHERE document_id = ? AND id = ?',
  );
  const appendChunk = db.prepare<[string, string, string]>(
    'INSERT INTO section_forwarding_entries (document_id, forwarding_id, entries) VALUES (?, ?, ?)',
  );

  const load = db.transaction((documentId: string, since: number): StoredForwarding[] => {
    purge.run(documentId, since);
    const byId = new Map<string, StoredForwarding>();
    for (const row of list.all(documentId)) {
      byId.set(row.id, {
        id: row.id,
        oldRoot: { client: row.old_root_client, clock: row.old_root_clock },
        newRoot: { client: row.new_root_client, clock: row.new_root_clock },
        createdAt: row.created_at,
        chunks: [],
      });
    }
    for (const chunk of chunks.all(documentId)) byId.get(chunk.forwarding_id)?.chunks.push(chunk.entries);
    return [...byId.values()];
  });

  const create = db.transaction(
    (documentId: string, f: Omit<StoredForwarding, 'chunks'>, chunk: string): void => {
      insert.run(
        documentId,
        f.id,
        f.oldRoot.client,
        f.oldRoot.clock,
        f.newRoot.client,
        f.newRoot.clock,
        f.createdAt,
      );
      appendChunk.run(documentId, f.id, chunk);
    },
  );

  const remove = db.transaction((documentId: string, ids: readonly string[]): void => {
    for (const id of ids) removeOne.run(documentId, id);
  });

  return {
    load: (documentId, since) => load.immediate(documentId, since),
    remove: (documentId, ids) => remove.immediate(documentId, ids),
    create: (documentId, forwarding, chunk) => create.immediate(documentId, forwarding, chunk),
    append: (documentId, forwardingId, chunk) => void appendChunk.run(documentId, forwardingId, chunk),
  };
}
