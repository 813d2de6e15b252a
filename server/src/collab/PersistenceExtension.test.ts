import { randomUUID } from 'node:crypto';
import { documentName } from '@essaim/protocol';
import type { onStoreDocumentPayload } from '@hocuspocus/server';
import { describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { createLogger } from '../logger.js';
import {
  foldRows,
  proveAgainst,
  sqliteCollabStore,
  type CollabStore,
  type FoldedDeletions,
} from '../storage/collabStore.js';
import { openDatabase } from '../storage/db.js';
import { sqliteDocumentRepository } from '../storage/documentRepository.js';
import type { CollabContext } from './context.js';
import { BackgroundQueue } from './backgroundQueue.js';
import { durableUpdates } from './durableUpdates.js';
import { OffloadUnavailable, type Offload } from './offload.js';
import { PersistenceExtension, spreadFactor } from './PersistenceExtension.js';
import { emptyFicheRecord } from '../../../tests/support/records.js';

type FakeOffload = Pick<Offload, 'prove' | 'close' | 'stats' | 'pipeline'>;

/** A fake's pipeline: no limit (Offload's own limit is tested in offload.test.ts). */
const anyPipeline = <T>(work: () => Promise<T>): Promise<T> => work();

/**
 * A worker stand-in whose proofs wait until `release()` is called (then run `proveAgainst` and
 * `foldRows` as the worker does, or fail as `fail` says).
 */
function heldOffload(fail?: () => Error | undefined) {
  const held: (() => void)[] = [];
  const offload: FakeOffload = {
    pipeline: anyPipeline,
    prove: (state, live, rows) =>
      new Promise<FoldedDeletions | undefined>((resolve, reject) => {
        held.push(() => {
          const error = fail?.();
          if (error) return reject(error);
          try {
            proveAgainst(state, live);
            resolve(rows ? foldRows(rows) : undefined);
          } catch (e) {
            reject(e);
          }
        });
      }),
    close: async () => undefined,
    stats: () => ({
      prove: { jobs: 0, totalMs: 0, longestMs: 0 },
      index: { jobs: 0, totalMs: 0, longestMs: 0 },
      departure: { jobs: 0, totalMs: 0, longestMs: 0 },
    }),
  };
  return {
    offload,
    waiting: () => held.length,
    release: () => held.splice(0).forEach((run) => run()),
  };
}

function setup(
  storeOverride?: (real: CollabStore) => CollabStore,
  options: { queue?: BackgroundQueue; compactAfterUpdates?: number; offload?: FakeOffload } = {},
) {
  const db = openDatabase(':memory:', { synchronous: 'NORMAL' });
  const repository = sqliteDocumentRepository(db);
  const id = randomUUID();
  repository.insert(emptyFicheRecord(id), Y.encodeStateAsUpdate(new Y.Doc()));
  const name = documentName(id);
  const real = sqliteCollabStore(db);
  const store = storeOverride ? storeOverride(real) : real;
  const extension = new PersistenceExtension({
    store,
    logger: createLogger('silent'),
    retryDelayMs: 5,
    durable: durableUpdates({ store }),
    ...options,
  });
  return { db, id, name, real, extension };
}

const storePayload = (documentName: string, document: Y.Doc) =>
  ({ documentName, document }) as unknown as onStoreDocumentPayload<CollabContext>;

/** A loaded document as Hocuspocus hands it to the hooks, with `connections` people on it. */
function loadedDocument(connections: { count: number }): Y.Doc {
  return Object.assign(new Y.Doc(), { getConnectionsCount: () => connections.count });
}

/** Wires `doc`'s updates to the extension's `onChange`, as Hocuspocus does. */
function logChanges(extension: PersistenceExtension, name: string, doc: Y.Doc): void {
  doc.on('update', (update: Uint8Array) => {
    void extension.onChange({ documentName: name, document: doc, update, transactionOrigin: null } as never);
  });
}

describe('PersistenceExtension', () => {
  it('appends every change to the log and folds the log into one state on store', async () => {
    const { id, name, real, extension } = setup();
    const doc = new Y.Doc();
    doc.on('update', (update: Uint8Array) => {
      void extension.onChange({ documentName: name, update, transactionOrigin: null } as never);
    });
    doc.getText('t').insert(0, 'un ');
    doc.getText('t').insert(3, 'deux');
    // Queued, then committed together (pendingUpdates commits first, as every read does).
    expect(real.pendingUpdates(id)).toBe(2);

    await extension.onStoreDocument(storePayload(name, doc));
    expect(real.pendingUpdates(id)).toBe(0);
    const loaded = new Y.Doc();
    await extension.onLoadDocument({ documentName: name, document: loaded } as never);
    expect(loaded.getText('t').toString()).toBe('un deux');
  });

  it('rethrows a failed compaction and retries it until it succeeds, losing nothing', async () => {
    let failures = 2;
    const { id, name, real, extension } = setup((store) => ({
      ...store,
      compact: (...args) => {
        if (failures-- > 0) throw new Error('disque occupé');
        store.compact(...args);
      },
    }));
    const doc = new Y.Doc();
    doc.on('update', (update: Uint8Array) => {
      void extension.onChange({ documentName: name, update, transactionOrigin: null } as never);
    });
    doc.getText('t').insert(0, 'texte important');

    await expect(extension.onStoreDocument(storePayload(name, doc))).rejects.toThrow('disque occupé');
    await vi.waitFor(() => expect(real.pendingUpdates(id)).toBe(0));
    const loaded = new Y.Doc();
    await extension.onLoadDocument({ documentName: name, document: loaded } as never);
    expect(loaded.getText('t').toString()).toBe('texte important');
    await extension.onDestroy();
  });

  it('leaves a connected document with few updates in the log, and compacts it once it has enough', async () => {
    const queue = new BackgroundQueue();
    const { id, name, real, extension } = setup(undefined, { queue, compactAfterUpdates: 20 });
    const people = { count: 2 };
    const doc = loadedDocument(people);
    await extension.onLoadDocument({ documentName: name, document: doc } as never);
    logChanges(extension, name, doc);
    for (let i = 0; i < 5; i++) doc.getText('t').insert(0, 'a');

    await extension.onStoreDocument(storePayload(name, doc));
    expect(real.pendingUpdates(id)).toBe(5);

    // Past this document's own threshold (20 × its spread factor), the next store compacts.
    const needed = Math.ceil(20 * spreadFactor(name));
    for (let i = 5; i < needed; i++) doc.getText('t').insert(0, 'b');
    await extension.onStoreDocument(storePayload(name, doc));
    expect(real.pendingUpdates(id)).toBe(0);
    expect(queue.stats().kinds.compaction?.jobs).toBe(1);
  });

  it('compacts whatever is left in the log when the last person leaves and before unloading', async () => {
    const { id, name, real, extension } = setup(undefined, {
      queue: new BackgroundQueue(),
      compactAfterUpdates: 1000,
    });
    const people = { count: 1 };
    const doc = loadedDocument(people);
    await extension.onLoadDocument({ documentName: name, document: doc } as never);
    logChanges(extension, name, doc);
    doc.getText('t').insert(0, 'dernier mot');
    await extension.onStoreDocument(storePayload(name, doc));
    expect(real.pendingUpdates(id)).toBe(1);

    // Hocuspocus unloads a document whose store already ran without storing it again.
    people.count = 0;
    await extension.beforeUnloadDocument({ documentName: name, document: doc } as never);
    expect(real.pendingUpdates(id)).toBe(0);

    // A store at the last departure compacts whatever the count.
    doc.getText('t').insert(0, 'encore ');
    await extension.onStoreDocument(storePayload(name, doc));
    expect(real.pendingUpdates(id)).toBe(0);
    const loaded = new Y.Doc();
    await extension.onLoadDocument({ documentName: name, document: loaded } as never);
    expect(loaded.getText('t').toString()).toBe('encore dernier mot');
  });

  it('with a worker, encodes on the main thread, proves in the worker, then writes, keeping what was typed meanwhile', async () => {
    const queue = new BackgroundQueue();
    const worker = heldOffload();
    const { id, name, real, extension } = setup(undefined, { queue, offload: worker.offload });
    const people = { count: 0 };
    const doc = loadedDocument(people);
    await extension.onLoadDocument({ documentName: name, document: doc } as never);
    logChanges(extension, name, doc);
    doc.getText('t').insert(0, 'avant');

    const stored = extension.onStoreDocument(storePayload(name, doc));
    await vi.waitFor(() => expect(worker.waiting()).toBe(1));
    // Typed while the worker proves: logged after the encoding, so it stays in the log.
    doc.getText('t').insert(5, ' pendant');
    expect(real.pendingUpdates(id)).toBe(2);
    worker.release();
    await stored;
    expect(real.pendingUpdates(id)).toBe(1);
    expect(queue.stats().kinds).toMatchObject({ compaction: { jobs: 1 }, 'compaction:write': { jobs: 1 } });

    // The update still in the log is folded by the next compaction (the count kept it).
    const unloading = extension.beforeUnloadDocument({ documentName: name, document: doc } as never);
    await vi.waitFor(() => expect(worker.waiting()).toBe(1));
    worker.release();
    await unloading;
    expect(real.pendingUpdates(id)).toBe(0);
    const loaded = new Y.Doc();
    await extension.onLoadDocument({ documentName: name, document: loaded } as never);
    expect(loaded.getText('t').toString()).toBe('avant pendant');
    expect(extension.heldEntries()).toBe(0);
  });

  it('with a worker, hands the write the deletions the worker folded from the rows it removes', async () => {
    const queue = new BackgroundQueue();
    const worker = heldOffload();
    const folds: (FoldedDeletions | undefined)[] = [];
    const { id, name, real, extension } = setup(
      (store) => ({
        ...store,
        compact: (...args) => {
          folds.push(args[3]);
          store.compact(...args);
        },
      }),
      { queue, offload: worker.offload },
    );
    const doc = loadedDocument({ count: 0 });
    await extension.onLoadDocument({ documentName: name, document: doc } as never);
    // Written for a person, as the collaborative server does.
    doc.on('update', (update: Uint8Array) => real.append(id, update, 'alice'));
    doc.getText('t').insert(0, 'texte à moitié effacé');
    doc.getText('t').delete(5, 10);
    const expected = real.deletions(id);

    const stored = extension.onStoreDocument(storePayload(name, doc));
    await vi.waitFor(() => expect(worker.waiting()).toBe(1));
    worker.release();
    await stored;
    expect(folds).toHaveLength(1);
    expect(folds[0]?.rows).toBe(2);
    expect(Object.keys(folds[0]?.byAuthor ?? {})).toEqual(['alice']);
    expect(real.pendingUpdates(id)).toBe(0);
    expect(real.deletions(id)).toEqual(expected);
  });

  it('never lets an older compaction of a document replace a newer one: they run one after the other', async () => {
    const queue = new BackgroundQueue();
    const worker = heldOffload();
    const { id, name, real, extension } = setup(undefined, { queue, offload: worker.offload });
    const doc = loadedDocument({ count: 0 });
    await extension.onLoadDocument({ documentName: name, document: doc } as never);
    logChanges(extension, name, doc);
    doc.getText('t').insert(0, 'un');
    const first = extension.onStoreDocument(storePayload(name, doc));
    await vi.waitFor(() => expect(worker.waiting()).toBe(1));
    doc.getText('t').insert(2, ' deux');
    const second = extension.onStoreDocument(storePayload(name, doc));
    // The second waits for the first to be written before it encodes anything.
    await new Promise((resolve) => setImmediate(resolve));
    expect(worker.waiting()).toBe(1);
    worker.release();
    await first;
    await vi.waitFor(() => expect(worker.waiting()).toBe(1));
    worker.release();
    await second;
    expect(real.pendingUpdates(id)).toBe(0);
    const loaded = new Y.Doc();
    await extension.onLoadDocument({ documentName: name, document: loaded } as never);
    expect(loaded.getText('t').toString()).toBe('un deux');
  });

  it('keeps the log and retries when the worker’s proof fails, and proves on the main thread when no worker can', async () => {
    const queue = new BackgroundQueue();
    const errors = [
      new Error('compacted state differs from the live document'),
      new OffloadUnavailable('crashed'),
    ];
    const worker = heldOffload(() => errors.shift());
    const { id, name, real, extension } = setup(undefined, { queue, offload: worker.offload });
    const doc = loadedDocument({ count: 0 });
    await extension.onLoadDocument({ documentName: name, document: doc } as never);
    logChanges(extension, name, doc);
    doc.getText('t').insert(0, 'texte prouvé');

    const failing = extension.onStoreDocument(storePayload(name, doc));
    await vi.waitFor(() => expect(worker.waiting()).toBe(1));
    worker.release();
    await expect(failing).rejects.toThrow('differs');
    expect(real.pendingUpdates(id)).toBe(1);
    // The retry (on the main thread) folds the log.
    await vi.waitFor(() => expect(real.pendingUpdates(id)).toBe(0));

    doc.getText('t').insert(0, 'encore ');
    const unavailable = extension.onStoreDocument(storePayload(name, doc));
    await vi.waitFor(() => expect(worker.waiting()).toBe(1));
    worker.release();
    await unavailable;
    expect(real.pendingUpdates(id)).toBe(0);
    const loaded = new Y.Doc();
    await extension.onLoadDocument({ documentName: name, document: loaded } as never);
    expect(loaded.getText('t').toString()).toBe('encore texte prouvé');
    await extension.onDestroy();
  });

  it('spreads the threshold of each document between 0.75 and 1.25 times the setting', () => {
    const factors = Array.from({ length: 400 }, () => spreadFactor(documentName(randomUUID())));
    expect(Math.min(...factors)).toBeGreaterThanOrEqual(0.75);
    expect(Math.max(...factors)).toBeLessThan(1.25);
    // Spread, not clustered: both halves of the range are used.
    expect(factors.filter((f) => f < 1).length).toBeGreaterThan(100);
    expect(factors.filter((f) => f >= 1).length).toBeGreaterThan(100);
  });
});
