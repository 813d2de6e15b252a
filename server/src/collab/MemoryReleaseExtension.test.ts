import v8 from 'node:v8';
import { describe, expect, it, vi } from 'vitest';
import { createLogger } from '../logger.js';
import { Departures } from './departures.js';
import { MemoryReleaseExtension, memoryReducingCollection } from './MemoryReleaseExtension.js';

/** A Hocuspocus as the hooks see it: only its count of loaded documents. */
function server() {
  const state = { documents: 0 };
  const instance = { getDocumentsCount: () => state.documents };
  return { state, payload: { instance } as never };
}

function setup() {
  const collect = vi.fn();
  const extension = new MemoryReleaseExtension(createLogger('silent'), {
    collect,
    settleMs: 5,
    minIntervalMs: 50,
  });
  return { collect, extension, ...server() };
}

async function load(s: ReturnType<typeof setup>, count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    await s.extension.afterLoadDocument(s.payload);
    s.state.documents++;
  }
}

async function unload(s: ReturnType<typeof setup>, count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    s.state.documents--;
    await s.extension.afterUnloadDocument(s.payload);
  }
}

/** An extension sharing departures of which one is still held (`release` gives it back). */
function withDepartureHeld() {
  const departures = new Departures();
  const release = departures.hold(1024);
  const collect = vi.fn();
  const extension = new MemoryReleaseExtension(createLogger('silent'), {
    collect,
    settleMs: 1,
    minIntervalMs: 5,
    departures,
  });
  return { departures, release, collect, extension, ...server() };
}

describe('MemoryReleaseExtension', () => {
  it('collects once after a wave of departures leaves at most a tenth of the peak loaded', async () => {
    const s = setup();
    await load(s, 40);
    await unload(s, 30);
    // Ten documents still loaded: a quarter of the peak, left to V8.
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(s.collect).not.toHaveBeenCalled();
    await unload(s, 7);
    await vi.waitFor(() => expect(s.collect).toHaveBeenCalledTimes(1));
    expect(s.extension.collections).toBe(1);
  });

  it('does not collect when someone opens a document again before the departures settle', async () => {
    const s = setup();
    await load(s, 10);
    await unload(s, 10);
    await load(s, 1);
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(s.collect).not.toHaveBeenCalled();
  });

  it('waits for the minimum interval between two collections instead of collecting again at once', async () => {
    const s = setup();
    await load(s, 5);
    await unload(s, 5);
    await vi.waitFor(() => expect(s.collect).toHaveBeenCalledTimes(1));
    const first = performance.now();
    await load(s, 5);
    await unload(s, 5);
    await vi.waitFor(() => expect(s.collect).toHaveBeenCalledTimes(2));
    expect(performance.now() - first).toBeGreaterThanOrEqual(40);
  });

  it('collects again once the departed documents’ jobs have ended, their bytes being garbage then', async () => {
    const s = withDepartureHeld();
    await load(s, 10);
    await unload(s, 10);
    await vi.waitFor(() => expect(s.collect).toHaveBeenCalledTimes(1));
    s.release();
    await vi.waitFor(() => expect(s.collect).toHaveBeenCalledTimes(2));
    // Nothing held any more: no third collection.
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(s.collect).toHaveBeenCalledTimes(2);
  });

  it('does not collect again after the departures when someone opened a document meanwhile', async () => {
    const s = withDepartureHeld();
    await load(s, 10);
    await unload(s, 10);
    await vi.waitFor(() => expect(s.collect).toHaveBeenCalledTimes(1));
    await load(s, 5);
    s.release();
    await s.departures.drained();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(s.collect).toHaveBeenCalledTimes(1);
  });

  it('does nothing where no collector can be reached', async () => {
    const s = server();
    const extension = new MemoryReleaseExtension(createLogger('silent'), { collect: null, settleMs: 1 });
    await extension.afterLoadDocument(s.payload);
    await extension.afterUnloadDocument(s.payload);
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(extension.collections).toBe(0);
  });
});

describe('the default collection', () => {
  it('gives back the young generation a full collection leaves committed', async () => {
    const newSpace = () =>
      v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space')?.space_size ?? 0;
    // Short-lived objects fill the young generation to its largest size.
    let made = 0;
    for (let round = 0; round < 40; round++) {
      made += Array.from({ length: 50_000 }, (_, i) => ({ i, text: `mot ${i}` })).length;
    }
    expect(made).toBe(2_000_000);
    const before = newSpace();
    await memoryReducingCollection();
    expect(newSpace()).toBeLessThan(before);
  });
});
