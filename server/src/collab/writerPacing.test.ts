import { describe, expect, it } from 'vitest';
import { WriterPacing } from './writerPacing.js';

describe('WriterPacing', () => {
  const paced = () => {
    let now = 0;
    const pacing = new WriterPacing({ capacity: 50_000, perSecond: 25_000, now: () => now });
    return { pacing, advance: (ms: number) => (now += ms) };
  };

  it('lets one update of the largest size through at once, and typing always', () => {
    const { pacing } = paced();
    expect(pacing.debit('karima', 50_000)).toBe(0);
    const other = paced();
    for (let i = 0; i < 1000; i++) expect(other.pacing.debit('karima', 3)).toBe(0);
  });

  it('makes the largest updates sent back to back wait for the budget to refill', () => {
    const { pacing, advance } = paced();
    expect(pacing.debit('victor', 49_999)).toBe(0);
    expect(pacing.debit('victor', 49_999)).toBe(2000);
    advance(2000);
    // Two seconds later the budget is back to zero: the third waits two seconds more.
    expect(pacing.debit('victor', 49_999)).toBe(2000);
  });

  it('keeps each writer’s budget apart', () => {
    const { pacing } = paced();
    pacing.debit('victor', 50_000);
    expect(pacing.debit('victor', 10_000)).toBe(400);
    expect(pacing.debit('karima', 10_000)).toBe(0);
  });

  it('gives the whole budget back after a pause, never more than its capacity', () => {
    const { pacing, advance } = paced();
    pacing.debit('victor', 50_000);
    advance(60_000);
    expect(pacing.debit('victor', 50_000)).toBe(0);
    expect(pacing.debit('victor', 1)).toBe(1);
  });
});
