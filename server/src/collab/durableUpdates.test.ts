import { randomUUID } from 'node:crypto';
import { documentName } from '@essaim/protocol';
import { Worker } from 'node:worker_threads';
import { describe, expect, it, vi } from 'vitest';
import type { CollabStore } from '../storage/collabStore.js';
import { CommitGate } from '../storage/checkpointer.js';
import type { CollabContext } from './context.js';
import { durableUpdates, groupCommitTimes, type DurableUpdates } from './durableUpdates.js';

const PENDING = 1;
const CHECKPOINTING = 4;

function fakeStore(): { store: CollabStore; committed: Uint8Array[][]; queued: Uint8Array[] } {
  const queued: Uint8Array[] = [];
  const committed: Uint8Array[][] = [];
  const store = {
    append: (_id: string, update: Uint8Array) => void queued.push(update),
    commit: () => {
      if (queued.length > 0) committed.push(queued.splice(0));
    },
  } as unknown as CollabStore;
  return { store, committed, queued };
}

/** An update from nobody in particular (no transaction origin: the author is the system). */
const payload = (name: string): Parameters<DurableUpdates['record']>[0] => ({
  documentName: name,
  update: new Uint8Array([1, 2, 3]),
  transactionOrigin: null,
  context: {} as CollabContext,
});

describe('the durable path through the commit gate', () => {
  it('marks an update pending for the checkpoint worker until its group commit, then counts the commit', () => {
    const gate = new CommitGate();
    const { store, committed } = fakeStore();
    const durable = durableUpdates({ store, gate });
    const before = groupCommitTimes.count;
    durable.record(payload(documentName(randomUUID())));
    expect(Atomics.load(gate.words, 0) & PENDING).toBe(PENDING);
    durable.commitBeforeSend();
    expect(committed).toHaveLength(1);
    expect(Atomics.load(gate.words, 0)).toBe(0);
    expect(Atomics.load(gate.words, 1)).toBe(1);
    expect(groupCommitTimes.count).toBe(before + 1);
    // A flush with nothing recorded (presence frames) leaves the gate alone.
    durable.commitBeforeSend();
    expect(Atomics.load(gate.words, 1)).toBe(1);
  });

  it('clears the pending mark at the end of the turn when no socket flush commits the update', async () => {
    const gate = new CommitGate();
    const { store, committed } = fakeStore();
    const durable = durableUpdates({ store, gate });
    durable.record(payload(documentName(randomUUID())));
    await vi.waitFor(() => expect(Atomics.load(gate.words, 0)).toBe(0));
    expect(committed).toHaveLength(1);
  });

  it('waits for a checkpoint that holds the write lock, and commits as soon as the worker releases it', async () => {
    const gate = new CommitGate();
    const { store, committed } = fakeStore();
    const durable = durableUpdates({ store, gate });
    // A thread plays the checkpoint worker: it takes the gate, holds it 50 ms, releases it.
    const worker = new Worker(
      `const { parentPort, workerData } = require('node:worker_threads');
       const words = new Int32Array(workerData);
       parentPort.once('message', () => {
         Atomics.or(words, 0, ${CHECKPOINTING});
         parentPort.postMessage('held');
         Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 50);
         Atomics.and(words, 0, ~${CHECKPOINTING});
         Atomics.notify(words, 0);
       });`,
      { eval: true, workerData: gate.words.buffer },
    );
    worker.postMessage('go');
    await new Promise((resolve) => worker.once('message', resolve));
    expect(gate.checkpointing()).toBe(true);
    durable.record(payload(documentName(randomUUID())));
    const started = performance.now();
    durable.commitBeforeSend();
    const waited = performance.now() - started;
    expect(committed).toHaveLength(1);
    // Woken by the release, well before the gate's own timeout (1 s).
    expect(waited).toBeGreaterThanOrEqual(20);
    expect(waited).toBeLessThan(900);
    await worker.terminate();
  });
});
