import { randomUUID } from 'node:crypto';
import { templates } from '@essaim/domain';
import { templateContent, writeJSONToYdoc } from '@essaim/editor';
import { documentName, META_MAP } from '@essaim/protocol';
import { describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { createLogger } from '../logger.js';
import { BackgroundQueue, phaseOf } from './backgroundQueue.js';
import { computeIndex, type ComputedIndex } from '../services/indexingService.js';
import { IndexingExtension } from './IndexingExtension.js';
import { OffloadUnavailable } from './offload.js';
import { applyStored, type StoredDocument } from '../storage/collabStore.js';

const SPREAD = { debounceMs: 2_000, maxDebounceMs: 400 };

/** A document name whose phase is at least `least` (so that its wait is long enough to observe). */
function nameWithPhase(least: number): string {
  for (;;) {
    const name = documentName(randomUUID());
    if (phaseOf(name) >= least) return name;
  }
}

/** A loaded document as the hooks see it: `people` connected, last changed `changedAgoMs` ago. */
function loaded(people: { count: number }, changedAgoMs: number): Y.Doc {
  return Object.assign(new Y.Doc(), {
    getConnectionsCount: () => people.count,
    lastChangeTime: Date.now() - changedAgoMs,
  });
}

function setup() {
  const indexStored = vi.fn();
  const extension = new IndexingExtension({ indexStored }, createLogger('silent'), {
    queue: new BackgroundQueue(),
    spread: SPREAD,
  });
  return { indexStored, extension };
}

const store = (name: string, document: Y.Doc) => ({ documentName: name, document }) as never;

describe('IndexingExtension', () => {
  it('indexes a document still being edited after its own share of maxDebounce, not at once', async () => {
    const { indexStored, extension } = setup();
    const name = nameWithPhase(0.5);
    const started = performance.now();
    await extension.onStoreDocument(store(name, loaded({ count: 2 }, 100)));
    expect(indexStored).toHaveBeenCalledTimes(1);
    expect(performance.now() - started).toBeGreaterThanOrEqual(phaseOf(name) * SPREAD.maxDebounceMs - 5);
    expect(extension.heldEntries()).toBe(0);
  });

  it('indexes at once after a pause in the typing', async () => {
    const { indexStored, extension } = setup();
    const name = nameWithPhase(0.9);
    const started = performance.now();
    await extension.onStoreDocument(store(name, loaded({ count: 2 }, 2_500)));
    expect(indexStored).toHaveBeenCalledTimes(1);
    expect(performance.now() - started).toBeLessThan(phaseOf(name) * SPREAD.maxDebounceMs);
  });

  it('stops waiting when the last person leaves, so the document can be stored and unloaded', async () => {
    const { indexStored, extension } = setup();
    const name = nameWithPhase(0.9);
    const people = { count: 1 };
    const stored = extension.onStoreDocument(store(name, loaded(people, 10)));
    expect(extension.heldEntries()).toBe(1);
    people.count = 0;
    const started = performance.now();
    await extension.onDisconnect({ documentName: name, clientsCount: 0 } as never);
    await stored;
    expect(indexStored).toHaveBeenCalledTimes(1);
    expect(performance.now() - started).toBeLessThan(phaseOf(name) * SPREAD.maxDebounceMs - 50);
    expect(extension.heldEntries()).toBe(0);
  });

  it('with a worker, only encodes on the main thread and writes what the worker read, in two queue jobs', async () => {
    const indexStored = vi.fn();
    const indexComputed = vi.fn();
    const states: Uint8Array[] = [];
    const offload = {
      index: async (state: Uint8Array): Promise<ComputedIndex> => {
        states.push(state);
        const copy = new Y.Doc();
        Y.applyUpdate(copy, state);
        return computeIndex(copy);
      },
      pipeline: <T>(work: () => Promise<T>) => work(),
    };
    const queue = new BackgroundQueue();
    const extension = new IndexingExtension({ indexStored, indexComputed }, createLogger('silent'), {
      queue,
      spread: SPREAD,
      offload,
    });
    const doc = fiche(loaded({ count: 0 }, 5_000));
    await extension.onStoreDocument(store(documentName(randomUUID()), doc));
    expect(indexStored).not.toHaveBeenCalled();
    expect(states).toHaveLength(1);
    expect(indexComputed).toHaveBeenCalledTimes(1);
    expect((indexComputed.mock.calls[0]?.[1] as ComputedIndex).index.metadata.title).toBe('Rapport');
    expect(queue.stats().kinds).toMatchObject({ indexing: { jobs: 1 }, 'indexing:write': { jobs: 1 } });
    expect(extension.heldEntries()).toBe(0);
  });

  it('reads the document on the main thread when the worker is unavailable', async () => {
    const indexComputed = vi.fn();
    const offload = {
      index: () => Promise.reject(new OffloadUnavailable('closed')),
      pipeline: <T>(work: () => Promise<T>) => work(),
    };
    const extension = new IndexingExtension({ indexStored: vi.fn(), indexComputed }, createLogger('silent'), {
      queue: new BackgroundQueue(),
      spread: SPREAD,
      offload,
    });
    const doc = fiche(loaded({ count: 0 }, 5_000));
    await extension.onStoreDocument(store(documentName(randomUUID()), doc));
    expect(indexComputed).toHaveBeenCalledWith(expect.any(String), computeIndex(doc), [], 0);
  });
});

describe('IndexingExtension.catchUpStale', () => {
  it('indexes each stale document from its stored text at the log position read before the load, and a loaded one from its live copy', async () => {
    const storedDoc = fiche(new Y.Doc());
    const liveDoc = fiche(new Y.Doc());
    liveDoc.getMap(META_MAP).set('title', 'En ligne');
    const [storedId, liveId] = [randomUUID(), randomUUID()].sort();
    const indexComputed = vi.fn();
    const loads: string[] = [];
    let seq = 40;
    const extension = new IndexingExtension(
      {
        indexStored: vi.fn(),
        indexComputed,
        position: () => seq,
        staleIndexes: (limit: number, after = '') =>
          [storedId ?? '', liveId ?? ''].filter((id) => id > after).slice(0, limit),
      },
      createLogger('silent'),
      {
        queue: new BackgroundQueue(),
        // The worker's reading, here: a state, or a document as stored.
        offload: {
          index: async (source: Uint8Array | StoredDocument): Promise<ComputedIndex> => {
            const copy = new Y.Doc();
            if (source instanceof Uint8Array) Y.applyUpdate(copy, source);
            else applyStored(copy, source);
            return computeIndex(copy);
          },
          pipeline: <T>(work: () => Promise<T>) => work(),
        },
        stored: {
          load: (id: string) => {
            loads.push(id);
            seq = 41; // written meanwhile: the index must not claim it
            return { state: Y.encodeStateAsUpdate(storedDoc), updates: [] };
          },
        },
      },
    );
    await extension.onConfigure({
      instance: { documents: new Map([[documentName(liveId ?? ''), liveDoc]]) },
    } as never);
    await vi.waitFor(() => expect(indexComputed).toHaveBeenCalledTimes(2));
    expect(loads).toEqual([storedId]);
    const calls = new Map(indexComputed.mock.calls.map((c) => [c[0] as string, c]));
    expect((calls.get(storedId ?? '')?.[1] as ComputedIndex).index.metadata.title).toBe('Rapport');
    expect(calls.get(storedId ?? '')?.[3]).toBe(40);
    expect((calls.get(liveId ?? '')?.[1] as ComputedIndex).index.metadata.title).toBe('En ligne');
    expect(extension.heldEntries()).toBe(0);
  });
});

/** `doc` holding a fiche titled « Rapport ». */
function fiche(doc: Y.Doc): Y.Doc {
  let n = 0;
  writeJSONToYdoc(
    doc,
    templateContent(templates.fiche, () => `s-${++n}`),
  );
  doc.getMap(META_MAP).set('title', 'Rapport');
  return doc;
}
