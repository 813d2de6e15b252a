import { describe, expect, it } from 'vitest';
import { SplitMemory, type ItemId } from './sectionForwarding.js';
import { seededRandom } from '../../../tests/support/random.js';

/**
 * The split memory's runs (H8s) must answer as the `Map` they replaced did: moved character's key
 * « client:clock » → first copy, a character set again moved to the newest, the oldest forgotten
 * first beyond the cap, iterated in insertion order (the order decides which text the take-back
 * reads first). A seeded random walk of the operations recordSplitCopies makes, on both.
 */

/** The structure SplitMemory replaced, with the operations recordSplitCopies made on it. */
class MapMemory {
  readonly map = new Map<string, ItemId>();
  constructor(readonly max: number) {}
  set(client: number, clock: number, copy: ItemId): void {
    const k = `${client}:${clock}`;
    this.map.delete(k);
    this.map.set(k, copy);
  }
  trim(): void {
    for (const k of this.map.keys()) {
      if (this.map.size <= this.max) break;
      this.map.delete(k);
    }
  }
  keys(): string[] {
    return [...this.map.keys()];
  }
}

/** The differences between `memory` and `reference` (size, order, every look-up), as readable lines. */
function differences(memory: SplitMemory, reference: MapMemory, clients: number[], clocks: number): string[] {
  const out: string[] = [];
  if (memory.size !== reference.map.size) out.push(`size ${memory.size} ≠ ${reference.map.size}`);
  const keys: string[] = [];
  memory.forEach((client, clock) => keys.push(`${client}:${clock}`));
  if (keys.join(' ') !== reference.keys().join(' ')) out.push('order');
  for (const client of clients)
    for (let clock = 0; clock < clocks; clock++) {
      const want = reference.map.get(`${client}:${clock}`) ?? null;
      const got = memory.get(client, clock);
      if (got?.client !== want?.client || got?.clock !== want?.clock || memory.has(client, clock) !== !!want)
        out.push(`${client}:${clock} → ${JSON.stringify(got)} ≠ ${JSON.stringify(want)}`);
    }
  return out;
}

describe('SplitMemory', () => {
  it('answers as the per-character Map it replaced, in the same order, through re-sets and the cap', () => {
    for (let seed = 1; seed <= 30; seed++) {
      const next = seededRandom(seed);
      const max = 20 + Math.floor(next() * 200);
      const clients = [1, 2_345_678_901, 4_294_967_295];
      const clocks = 400;
      const memory = new SplitMemory(max);
      const reference = new MapMemory(max);
      let copyClock = 0;
      for (let change = 0; change < 60; change++) {
        // One change: an Enter moving a stretch of one writer's characters, sometimes several
        // stretches (typed at different times), sometimes a character again (its first copy gone).
        const stretches = 1 + Math.floor(next() * 3);
        for (let s = 0; s < stretches; s++) {
          const client = clients[Math.floor(next() * clients.length)] as number;
          const start = Math.floor(next() * clocks);
          const length = Math.min(1 + Math.floor(next() * 30), clocks - start);
          const toClient = clients[Math.floor(next() * clients.length)] as number;
          if (next() < 0.2) copyClock += 1 + Math.floor(next() * 3); // copies not consecutive
          for (let k = 0; k < length; k++) {
            if (next() < 0.05) continue; // a character not moved by this Enter
            const copy = { client: toClient, clock: copyClock++ };
            memory.set(client, start + k, copy);
            reference.set(client, start + k, copy);
          }
        }
        memory.trim();
        reference.trim();
        const wrong = differences(memory, reference, clients, clocks);
        if (wrong.length > 0) expect({ seed, change, wrong: wrong.slice(0, 5) }).toBeNull();
      }
    }
  });

  it('stores an Enter as one run: the characters typed in one go and their copy written in one go', () => {
    const memory = new SplitMemory(20_000);
    for (let k = 0; k < 40; k++) memory.set(7, 100 + k, { client: 9, clock: 500 + k });
    expect(memory.size).toBe(40);
    expect(memory.runs).toBe(1);
    expect(memory.get(7, 120)).toEqual({ client: 9, clock: 520 });
    // Remembered again in the middle (its first copy was deleted): cut in three, the newest last.
    memory.set(7, 120, { client: 9, clock: 900 });
    expect(memory.runs).toBe(3);
    expect(memory.get(7, 120)).toEqual({ client: 9, clock: 900 });
    expect(memory.get(7, 121)).toEqual({ client: 9, clock: 521 });
    const order: number[] = [];
    memory.forEach((_, clock) => order.push(clock));
    expect(order.at(-1)).toBe(120);
    expect(order.slice(19, 21)).toEqual([119, 121]);
  });
});
