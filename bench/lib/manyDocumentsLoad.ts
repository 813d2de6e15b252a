/**
 * Load generator of `bench/manyDocuments.ts`, in a child process of its own (the server is in
 * another one): `clientsPerDocument` Node providers per document (one websocket each), one of them
 * the writer, who types a real editing trace (seph-blog1) into the document's first paragraph at
 * about `updatesPerSecond` updates a second; the others read. Every inserted character is
 * timestamped by its writer (keyed by its Yjs clock) and every reader records when it sees it, on
 * this process's one clock.
 *
 * Protocol: the parent sends `{ params }`; once every document has converged the child sends
 * `{ converged: true }` and waits for `'leave'` (the parent measures the server with every client
 * still connected meanwhile); then every client leaves at once and the child replies
 * `{ ok: true, result }` (or `{ ok: false, error }`) and exits.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import * as Y from 'yjs';
import { connectClient, isSettled, waitFor, type NodeClient } from './clients.js';
import { LOOP_RESOLUTION_MS, lateMs, round, seededRandom, summarize, type Summary } from './stats.js';
import { applyPatches, loadTrace, type Patch } from './trace.js';

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
  /** Clients connecting at once. */
  connectConcurrency: number;
  seed: number;
}

/** One second of the measured window (by the second a reader saw the characters). */
export interface LatencySecond {
  /** `Date.now()` of the start of that second. */
  at: number;
  count: number;
  p50: number;
  p99: number;
  max: number;
}

export interface ManyLoadResult {
  /** Each client's connection: created → first sync, ms; and all of them, from the first created. */
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
  /** The load generator's own CPU during the measured window (ms) and its event-loop delay. */
  cpuMs: number;
  loopDelayMs: { p50: number; p99: number; max: number };
  /** Every reader equals its writer and every update is acknowledged. */
  converged: boolean;
  /** Documents whose readers did not converge (names), at most 10. */
  divergent: string[];
  /** The writer's final text of each document (first paragraph), by name. */
  texts: Record<string, string>;
  /** `Date.now()` marks: measured window, and when the last client was destroyed. */
  measureStart: number;
  measureEnd: number;
  leftAt: number;
  /** Characters in each document's paragraph when the measure started (mean). */
  meanCharsAtStart: number;
}

interface DocumentLoad {
  name: string;
  writer: NodeClient;
  readers: NodeClient[];
  /** Clock of the first character of each insert → when it was typed (performance.now()). */
  sent: Map<number, number>;
  next: number;
}

export async function runManyLoad(p: ManyLoadParams): Promise<ManyLoadResult> {
  const random = seededRandom(p.seed);
  const trace = loadTrace('seph-blog1');
  const txns: { patches: Patch[] }[] = trace.txns;
  const all: NodeClient[] = [];
  /** Each writer's next keystroke. */
  const timers: (NodeJS.Timeout | undefined)[] = [];
  const clearTimers = (): void => {
    for (const timer of timers) clearTimeout(timer);
  };
  try {
    // Connect, `connectConcurrency` clients at a time.
    const connectTimes: number[] = [];
    const t0 = performance.now();
    const plan = p.documents.flatMap((name) => Array.from({ length: p.clientsPerDocument }, () => name));
    const byDocument = new Map<string, NodeClient[]>();
    let cursor = 0;
    const worker = async (): Promise<void> => {
      while (cursor < plan.length) {
        const name = plan[cursor++] as string;
        const started = performance.now();
        const client = connectClient(p.wsUrl, name, { token: p.token });
        all.push(client);
        const list = byDocument.get(name) ?? [];
        list.push(client);
        byDocument.set(name, list);
        await waitFor(() => client.provider.isSynced, 60_000, `connexion à ${name}`);
        connectTimes.push(performance.now() - started);
      }
    };
    await Promise.all(Array.from({ length: p.connectConcurrency }, worker));
    const connectAllMs = performance.now() - t0;

    const loads: DocumentLoad[] = p.documents.map((name) => {
      const [writer, ...readers] = byDocument.get(name) ?? [];
      if (!writer) throw new Error(`aucun client pour ${name}`);
      return { name, writer, readers, sent: new Map(), next: p.prefillTxns };
    });

    // Prefill: the start of the trace, one update per document, 20 documents at a time.
    for (let i = 0; i < loads.length; i += 20) {
      const batch = loads.slice(i, i + 20);
      for (const load of batch) {
        const text = load.writer.text;
        load.writer.ydoc.transact(() => {
          for (let k = 0; k < p.prefillTxns; k++) applyPatches(text, txns[k]?.patches ?? []);
        });
      }
      await waitFor(
        () =>
          batch.every(
            (l) =>
              isSettled(l.writer) &&
              l.readers.every((r) => r.text.length === l.writer.text.length && isSettled(r)),
          ),
        60_000,
        'préremplissage',
      );
    }
    const meanCharsAtStart = loads.reduce((s, l) => s + l.writer.text.length, 0) / Math.max(1, loads.length);

    let measuring = false;
    const latencies: number[] = [];
    const seconds = new Map<number, number[]>();
    let updates = 0;
    for (const load of loads) {
      const writerId = load.writer.ydoc.clientID;
      for (const reader of load.readers) {
        reader.text.observe((_event, transaction) => {
          if (!measuring) return;
          const after = transaction.afterState.get(writerId);
          if (after === undefined) return;
          const now = performance.now();
          for (let clock = transaction.beforeState.get(writerId) ?? 0; clock < after; clock++) {
            const at = load.sent.get(clock);
            if (at === undefined) continue;
            const latency = now - at;
            latencies.push(latency);
            const second = Math.floor((performance.timeOrigin + now) / 1000) * 1000;
            const list = seconds.get(second) ?? [];
            list.push(latency);
            seconds.set(second, list);
          }
        });
      }
    }

    const keystroke = (load: DocumentLoad): void => {
      // The trace (137,154 transactions) outlasts any run: past its end the writer stops.
      const txn = txns[load.next++];
      if (!txn) return;
      const { ydoc, text, provider } = load.writer;
      if (measuring) {
        updates++;
        if (txn.patches.some(([, , inserted]) => inserted.length > 0))
          load.sent.set(Y.getState(ydoc.store, ydoc.clientID), performance.now());
      }
      ydoc.transact(() => applyPatches(text, txn.patches));
      if (p.awareness) {
        const last = txn.patches[txn.patches.length - 1];
        const index = last ? Math.min(text.length, last[0] + last[2].length) : 0;
        const json = Y.relativePositionToJSON(Y.createRelativePositionFromTypeIndex(text, index));
        provider.setAwarenessField('cursor', { anchor: json, head: json });
      }
    };

    let typing = true;
    const meanPause = 1000 / p.updatesPerSecond;
    loads.forEach((load, i) => {
      const tick = (): void => {
        if (!typing) return;
        keystroke(load);
        timers[i] = setTimeout(tick, meanPause * (0.5 + random()));
      };
      timers[i] = setTimeout(tick, meanPause * random());
    });

    await new Promise((resolve) => setTimeout(resolve, p.warmupSeconds * 1000));
    const loopDelay = monitorEventLoopDelay({ resolution: LOOP_RESOLUTION_MS });
    loopDelay.enable();
    const cpu0 = process.cpuUsage();
    measuring = true;
    const measureStart = Date.now();
    const m0 = performance.now();
    await new Promise((resolve) => setTimeout(resolve, p.seconds * 1000));
    typing = false;
    const elapsed = (performance.now() - m0) / 1000;
    const measureEnd = Date.now();
    const cpu = process.cpuUsage(cpu0);
    loopDelay.disable();
    clearTimers();

    let converged = true;
    const divergent: string[] = [];
    const agrees = (l: DocumentLoad): boolean =>
      isSettled(l.writer) && l.readers.every((r) => r.text.toString() === l.writer.text.toString());
    try {
      await waitFor(() => loads.every(agrees), 30_000, 'convergence');
    } catch {
      converged = false;
      divergent.push(
        ...loads
          .filter((l) => !agrees(l))
          .slice(0, 10)
          .map((l) => l.name),
      );
    }
    measuring = false;
    const texts: Record<string, string> = {};
    for (const load of loads) texts[load.name] = load.writer.text.toString();

    await new Promise<void>((resolve) => {
      process.once('message', () => resolve());
      process.send?.({ converged: true });
    });

    for (const client of all) client.destroy();
    const leftAt = Date.now();

    return {
      connectMs: summarize(connectTimes),
      connectAllMs: Math.round(connectAllMs),
      latencyMs: summarize(latencies),
      perSecond: [...seconds.entries()]
        .sort((a, b) => a[0] - b[0])
        .map(([at, list]) => {
          const s = summarize(list);
          return { at, count: s.count, p50: s.p50, p99: s.p99, max: s.max };
        }),
      updates,
      updatesPerSecond: round(updates / elapsed, 1),
      deliveries: latencies.length,
      cpuMs: Math.round((cpu.user + cpu.system) / 1000),
      loopDelayMs: {
        p50: lateMs(loopDelay.percentile(50)),
        p99: lateMs(loopDelay.percentile(99)),
        max: lateMs(loopDelay.max),
      },
      converged,
      divergent,
      texts,
      measureStart,
      measureEnd,
      leftAt,
      meanCharsAtStart: Math.round(meanCharsAtStart),
    };
  } finally {
    clearTimers();
    for (const client of all) client.destroy();
  }
}

if (process.send)
  process.once('message', ({ params }: { params: ManyLoadParams }) => {
    runManyLoad(params)
      .then((result) => ({ ok: true as const, result }))
      .catch((error: unknown) => ({
        ok: false as const,
        error: error instanceof Error ? (error.stack ?? error.message) : String(error),
      }))
      .then((reply) => process.send?.(reply, () => process.exit(0)));
  });
