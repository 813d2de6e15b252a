/**
 * Which pauses the slowest deliveries of `bench/manyDocuments.ts` overlapped (issue 17): a
 * garbage-collection pause of the reader's process, of the writer's process (both the load
 * generator's), or of the server. It explains the tail; it changes nothing in what is measured
 * (`latencyMs` stays the reader's receive time minus the writer's keystroke time).
 */
import { percentile } from './stats.js';

/** One delivery: writer's keystroke and reader's receive times (epoch ms), and their processes. */
export interface Delivery {
  typedAt: number;
  receivedAt: number;
  writerProcess: number;
  readerProcess: number;
}

/** A pause: [epoch ms it started, ms]. */
export type Pause = readonly [startedAt: number, durationMs: number];

/** What the deliveries at or above the p99 overlapped (see {@link tailCauses}). */
export interface TailCauses {
  /** The p99 of every delivery (ms) and how many deliveries reach it. */
  p99Ms: number;
  tail: number;
  /** Tail deliveries overlapping a GC pause of the reader's process, of the writer's process, of the server. */
  withReaderGc: number;
  withWriterGc: number;
  withServerGc: number;
  /** Tail deliveries overlapping no GC pause at all. */
  withNoGc: number;
  /**
   * Mean milliseconds of a tail delivery spent in GC pauses, by where the pause happened (overlap
   * of the pause with the delivery's interval).
   */
  meanReaderGcMs: number;
  meanWriterGcMs: number;
  meanServerGcMs: number;
  /**
   * The p99 once the load generator's own GC pauses inside each delivery are taken out of it (a
   * diagnostic: what the p99 would be with a load generator that never collected; the server's
   * pauses stay in).
   */
  p99WithoutGeneratorGcMs: number;
}

/** Total overlap (ms) of `[from, to]` with `pauses` (sorted by start). */
export function overlapMs(pauses: readonly Pause[], from: number, to: number): number {
  // First pause that could end after `from`: pauses are short, so start from the first that starts
  // after `from − 1 s` (no GC pause lasts a second).
  let lo = 0;
  let hi = pauses.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((pauses[mid] as Pause)[0] < from - 1000) lo = mid + 1;
    else hi = mid;
  }
  let total = 0;
  for (let i = lo; i < pauses.length; i++) {
    const [start, duration] = pauses[i] as Pause;
    if (start >= to) break;
    total += Math.max(0, Math.min(to, start + duration) - Math.max(from, start));
  }
  return total;
}

const round2 = (n: number): number => Math.round(n * 100) / 100;

/**
 * For the deliveries at or above the p99: how many overlapped a GC pause of the reader's process,
 * of the writer's process and of the server, and the p99 without the generator's own pauses.
 *
 * @param generatorPauses each load-generator process's pauses, by process index, sorted by start
 * @param serverPauses the server's main-thread pauses, sorted by start
 */
export function tailCauses(
  deliveries: readonly Delivery[],
  generatorPauses: readonly (readonly Pause[])[],
  serverPauses: readonly Pause[],
): TailCauses {
  const latency = (d: Delivery): number => d.receivedAt - d.typedAt;
  const sorted = deliveries.map(latency).sort((a, b) => a - b);
  const p99 = sorted.length > 0 ? percentile(sorted, 99) : 0;
  const none: Pause[] = [];
  let tail = 0;
  let withReaderGc = 0;
  let withWriterGc = 0;
  let withServerGc = 0;
  let withNoGc = 0;
  let readerMs = 0;
  let writerMs = 0;
  let serverMs = 0;
  const withoutGenerator: number[] = [];
  for (const d of deliveries) {
    const reader = overlapMs(generatorPauses[d.readerProcess] ?? none, d.typedAt, d.receivedAt);
    const writer =
      d.writerProcess === d.readerProcess
        ? 0
        : overlapMs(generatorPauses[d.writerProcess] ?? none, d.typedAt, d.receivedAt);
    withoutGenerator.push(latency(d) - reader - writer);
    if (latency(d) < p99) continue;
    const server = overlapMs(serverPauses, d.typedAt, d.receivedAt);
    tail++;
    if (reader > 0) withReaderGc++;
    if (writer > 0) withWriterGc++;
    if (server > 0) withServerGc++;
    if (reader === 0 && writer === 0 && server === 0) withNoGc++;
    readerMs += reader;
    writerMs += writer;
    serverMs += server;
  }
  withoutGenerator.sort((a, b) => a - b);
  const mean = (ms: number): number => round2(ms / Math.max(1, tail));
  return {
    p99Ms: round2(p99),
    tail,
    withReaderGc,
    withWriterGc,
    withServerGc,
    withNoGc,
    meanReaderGcMs: mean(readerMs),
    meanWriterGcMs: mean(writerMs),
    meanServerGcMs: mean(serverMs),
    p99WithoutGeneratorGcMs: round2(withoutGenerator.length > 0 ? percentile(withoutGenerator, 99) : 0),
  };
}
