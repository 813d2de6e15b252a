/** Order statistics for latency samples. */
export interface Summary {
  count: number;
  min: number;
  mean: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

/**
 * The p-th percentile (0..100) of ascending `sorted` values, interpolating linearly between the
 * two closest ranks (the "R-7" definition used by NumPy and spreadsheets). NaN when empty.
 */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  if (p <= 0) return sorted[0] as number;
  if (p >= 100) return sorted[sorted.length - 1] as number;
  const rank = (p / 100) * (sorted.length - 1);
  const lower = Math.floor(rank);
  const upper = Math.ceil(rank);
  const a = sorted[lower] as number;
  const b = sorted[upper] as number;
  return a + (b - a) * (rank - lower);
}

export function median(values: readonly number[]): number {
  return percentile(
    [...values].sort((a, b) => a - b),
    50,
  );
}

/** count, min, mean, p50, p95, p99, max of `values` (any order), rounded to `digits`. */
export function summarize(values: readonly number[], digits = 2): Summary {
  const sorted = Float64Array.from(values).sort();
  const list = Array.from(sorted);
  const mean = list.length === 0 ? Number.NaN : list.reduce((s, v) => s + v, 0) / list.length;
  return {
    count: list.length,
    min: round(list[0] ?? Number.NaN, digits),
    mean: round(mean, digits),
    p50: round(percentile(list, 50), digits),
    p95: round(percentile(list, 95), digits),
    p99: round(percentile(list, 99), digits),
    max: round(list[list.length - 1] ?? Number.NaN, digits),
  };
}

export function round(value: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** A small seeded generator (mulberry32), so every run types the same keystrokes. */
export { seededRandom } from '../../tests/support/random.js';

/** Sampling period of the event-loop delay monitors. */
export const LOOP_RESOLUTION_MS = 5;

/**
 * A value of `monitorEventLoopDelay` (ns between two ticks of its timer) as the lateness in ms:
 * the timer's own period is subtracted.
 */
export function lateMs(nanoseconds: number): number {
  return round(Math.max(0, nanoseconds / 1e6 - LOOP_RESOLUTION_MS));
}
