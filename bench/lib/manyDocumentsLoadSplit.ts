/**
 * The load generator of `bench/manyDocuments.ts`, split over `processes` child processes
 * (`manyDocumentsLoad.ts`, issue 17): 2,000 Node providers in one process paused it for up to
 * 145–312 ms, and those pauses counted as the server's latency. Document `i`'s writer lives in
 * process `i mod processes`, its readers in the other processes (round-robin), so a writer and
 * its readers never share a process; every process writes some documents and reads others. With
 * one process, writers and readers share it (the former benchmark).
 *
 * A latency is a reader's receive time minus its writer's send time, both
 * `performance.timeOrigin + performance.now()` of their own processes (ms since the epoch,
 * comparable on one machine: see `manyDocumentsLoad.ts`). A pause of the writer's process between
 * its keystroke and the socket write, or of the reader's process before it handles the frame, is
 * still counted; the pauses are smaller with half the providers per process, and each process's
 * event-loop delay is reported.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { LoadReply, LoadRequest } from './manyDocumentsLoad.js';
import type { Delivery, Pause } from './manyDocumentsTail.js';
import { epochNow } from './manyDocumentsLoad.js';
import { requestReply } from './spawn.js';
import { round, summarize, type Summary } from './stats.js';

const loadEntry = fileURLToPath(new URL('./manyDocumentsLoad.ts', import.meta.url));

export interface ManyLoadParams {
  wsUrl: string;
  token: string;
  documents: string[];
  clientsPerDocument: number;
  /** Mean rate of each writer (its pauses are drawn between 0.5 and 1.5 times the mean). */
  updatesPerSecond: number;
  /** Transactions of the trace each writer puts into its document first, in one update. */
  prefillTxns: number;
  /** Typing before the measured window (not counted). */
  warmupSeconds: number;
  seconds: number;
  /** Each keystroke also moves the writer's caret in awareness, as the editor does. */
  awareness: boolean;
  /** Clients connecting at once (over all processes). */
  connectConcurrency: number;
  seed: number;
  /** Processes of the load generator (at least 1; 2 or more keep readers apart from their writer). */
  processes: number;
}

/** One second of the measured window (by the second a reader saw the characters). */
export interface LatencySecond {
  /** Epoch ms of the start of that second. */
  at: number;
  count: number;
  p50: number;
  p99: number;
  max: number;
}

export interface ManyLoadResult {
  /** Each client's connection: created → first sync, ms; and all of them (the slowest process). */
  connectMs: Summary;
  connectAllMs: number;
  /** Writer's insert → a reader of the same document sees it, ms (measured window only). */
  latencyMs: Summary;
  perSecond: LatencySecond[];
  /** Updates the writers sent during the measured window, and per second. */
  updates: number;
  updatesPerSecond: number;
  /** Readers' deliveries counted in `latencyMs`. */
  deliveries: number;
  /** The load generator's CPU during the measured window (ms, all processes) and its worst event-loop delay. */
  cpuMs: number;
  loopDelayMs: { p50: number; p99: number; max: number };
  /** Each process: its CPU (ms) and event-loop delay during the window, and what it held. */
  processes: { cpuMs: number; loopDelayMs: { p50: number; p99: number; max: number }; clients: number }[];
  /** Every reader equals its writer and every update is acknowledged. */
  converged: boolean;
  /** Documents whose readers did not converge (names), at most 10. */
  divergent: string[];
  /** The writer's final text of each document (first paragraph), by name. */
  texts: Record<string, string>;
  /** Every delivery counted in `latencyMs`, with its writer's and reader's processes. */
  deliveryTimes: Delivery[];
  /** Each process's garbage-collection pauses from the window's start (sorted by start). */
  gcPauses: Pause[][];
  /** Epoch ms: measured window, and when the last client was destroyed. */
  measureStart: number;
  measureEnd: number;
  leftAt: number;
  /** Characters in each document's paragraph when the measure started (mean). */
  meanCharsAtStart: number;
}

type Reply<T extends LoadReply['type']> = Extract<LoadReply, { type: T }>;

/** A load process with one request in flight at a time. */
function loadProcess(): {
  process: ChildProcess;
  request<T extends LoadReply['type']>(message: LoadRequest, expect: T, timeoutMs: number): Promise<Reply<T>>;
} {
  const proc = fork(loadEntry, [], {
    execArgv: process.execArgv,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return {
    process: proc,
    request: async <T extends LoadReply['type']>(message: LoadRequest, expect: T, timeoutMs: number) => {
      const reply = await requestReply<LoadReply>(proc, message, timeoutMs, 'générateur de charge');
      if (reply.type !== expect)
        throw new Error(`générateur de charge : « ${reply.type} » au lieu de « ${expect} »`);
      return reply as Reply<T>;
    },
  };
}

/** Which process holds each document's writer and readers. */
export function assignLoad(
  documents: readonly string[],
  clientsPerDocument: number,
  processes: number,
): { writes: string[]; reads: { name: string; readers: number }[] }[] {
  const parts = Array.from({ length: processes }, () => ({
    writes: [] as string[],
    reads: new Map<string, number>(),
  }));
  documents.forEach((name, i) => {
    const home = i % processes;
    (parts[home] as (typeof parts)[number]).writes.push(name);
    for (let r = 0; r < clientsPerDocument - 1; r++) {
      // Round-robin over the other processes (over all of them when there is only one).
      const at = processes === 1 ? 0 : (home + 1 + (r % (processes - 1))) % processes;
      const reads = (parts[at] as (typeof parts)[number]).reads;
      reads.set(name, (reads.get(name) ?? 0) + 1);
    }
  });
  return parts.map((p) => ({
    writes: p.writes,
    reads: [...p.reads].map(([name, readers]) => ({ name, readers })),
  }));
}

/**
 * Runs the load: connects every client, prefills, types for `warmupSeconds` then `seconds`
 * (measured), waits for every reader to equal its writer, runs `beforeLeave` with every client
 * still connected, then every client leaves at once. Rejects if a process fails or `timeoutMs` passes.
 */
export async function runManyLoad(
  p: ManyLoadParams,
  timeoutMs: number,
  beforeLeave: () => Promise<void>,
  onWindow?: (measureStart: number, measureEnd: number) => Promise<void>,
): Promise<ManyLoadResult> {
  const count = Math.max(1, Math.min(p.processes, p.documents.length));
  const parts = assignLoad(p.documents, p.clientsPerDocument, count);
  const procs = parts.map(() => loadProcess());
  const deadline = Date.now() + timeoutMs;
  const left = (): number => Math.max(1_000, deadline - Date.now());
  const all = <T extends LoadReply['type']>(
    message: (i: number) => LoadRequest,
    expect: T,
  ): Promise<Reply<T>[]> => Promise.all(procs.map((proc, i) => proc.request(message(i), expect, left())));
  try {
    const connected = await all(
      (i) => ({
        type: 'start',
        params: {
          wsUrl: p.wsUrl,
          token: p.token,
          ...(parts[i] as (typeof parts)[number]),
          updatesPerSecond: p.updatesPerSecond,
          prefillTxns: p.prefillTxns,
          awareness: p.awareness,
          connectConcurrency: Math.ceil(p.connectConcurrency / count),
          seed: p.seed + i,
        },
      }),
      'connected',
    );
    const prefilled = await all(() => ({ type: 'prefill' }), 'prefilled');
    const lengths = Object.assign({}, ...prefilled.map((r) => r.lengths)) as Record<string, number>;
    const writers = Object.assign({}, ...prefilled.map((r) => r.writers)) as Record<string, number>;
    await all(() => ({ type: 'await', lengths, writers }), 'ready');
    const meanCharsAtStart =
      Object.values(lengths).reduce((s, n) => s + n, 0) / Math.max(1, p.documents.length);

    // A little margin for the request to reach every process before typing starts.
    const measureStart = epochNow() + 200 + p.warmupSeconds * 1000;
    const measureEnd = measureStart + p.seconds * 1000;
    await onWindow?.(measureStart, measureEnd);
    const typed = await all(() => ({ type: 'type', measureStart, measureEnd }), 'typed');
    const texts = Object.assign({}, ...typed.map((r) => r.texts)) as Record<string, string>;
    const converged = await all(() => ({ type: 'converge', texts, timeoutMs: 30_000 }), 'converged');
    await beforeLeave();
    const leftAt = Math.max(...(await all(() => ({ type: 'leave' }), 'left')).map((r) => r.leftAt));

    // Latencies: each reader's receive time minus its writer's send time, on the epoch clock.
    const sent = new Map<string, Map<number, number>>();
    for (const r of typed) for (const [name, list] of Object.entries(r.sent)) sent.set(name, new Map(list));
    const latencies: number[] = [];
    const deliveryTimes: Delivery[] = [];
    const writerProcess = new Map(p.documents.map((name, i) => [name, i % count]));
    const seconds = new Map<number, number[]>();
    for (const [readerProcess, r] of converged.entries()) {
      for (const [name, received] of Object.entries(r.received)) {
        const times = sent.get(name);
        if (!times) continue;
        for (const [before, after, at] of received) {
          for (let clock = before; clock < after; clock++) {
            const typedAt = times.get(clock);
            if (typedAt === undefined) continue;
            const latency = at - typedAt;
            latencies.push(latency);
            deliveryTimes.push({
              typedAt,
              receivedAt: at,
              writerProcess: writerProcess.get(name) ?? readerProcess,
              readerProcess,
            });
            const second = Math.floor(at / 1000) * 1000;
            const list = seconds.get(second) ?? [];
            list.push(latency);
            seconds.set(second, list);
          }
        }
      }
    }
    const updates = typed.reduce((s, r) => s + r.updates, 0);
    const windowMs = Math.max(...typed.map((r) => r.windowMs));
    const divergent = converged.flatMap((r) => r.divergent).slice(0, 10);
    return {
      connectMs: summarize(connected.flatMap((r) => r.connectMs)),
      connectAllMs: Math.round(Math.max(...connected.map((r) => r.connectAllMs))),
      latencyMs: summarize(latencies),
      perSecond: [...seconds.entries()]
        .sort((a, b) => a[0] - b[0])
        .map(([at, list]) => {
          const s = summarize(list);
          return { at, count: s.count, p50: s.p50, p99: s.p99, max: s.max };
        }),
      updates,
      updatesPerSecond: round(updates / (windowMs / 1000), 1),
      deliveries: latencies.length,
      cpuMs: Math.round(typed.reduce((s, r) => s + r.cpuMs, 0)),
      loopDelayMs: {
        p50: Math.max(...typed.map((r) => r.loopDelayMs.p50)),
        p99: Math.max(...typed.map((r) => r.loopDelayMs.p99)),
        max: Math.max(...typed.map((r) => r.loopDelayMs.max)),
      },
      processes: typed.map((r, i) => ({
        cpuMs: Math.round(r.cpuMs),
        loopDelayMs: r.loopDelayMs,
        clients: (parts[i]?.writes.length ?? 0) + (parts[i]?.reads.reduce((s, x) => s + x.readers, 0) ?? 0),
      })),
      converged: divergent.length === 0,
      divergent,
      texts,
      deliveryTimes,
      gcPauses: typed.map((r) => r.gcPauses.map(([at, ms]): Pause => [at, ms]).sort((a, b) => a[0] - b[0])),
      measureStart,
      measureEnd,
      leftAt,
      meanCharsAtStart: Math.round(meanCharsAtStart),
    };
  } finally {
    for (const proc of procs) if (proc.process.exitCode === null) proc.process.kill('SIGKILL');
  }
}
