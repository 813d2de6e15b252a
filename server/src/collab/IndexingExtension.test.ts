import { randomUUID } from 'node:crypto';
import { documentName } from '@essaim/protocol';
import { describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { createLogger } from '../logger.js';
import { BackgroundQueue, phaseOf } from './backgroundQueue.js';
import { IndexingExtension } from './IndexingExtension.js';

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
  const extension = new IndexingExtension(
    { indexStored },
    createLogger('silent'),
    new BackgroundQueue(),
    SPREAD,
  );
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
});
