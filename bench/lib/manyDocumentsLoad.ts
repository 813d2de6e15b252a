/**
 * One process of the load generator of `bench/manyDocuments.ts` (issue 17). The load is split over
 * several such processes (`manyDocumentsLoadSplit.ts` starts and drives them): each process holds
 * the writer of some documents and readers of the others, and **a document's readers never live
 * in its writer's process**. A writer types a real editing trace (seph-blog1) into its document's
 * first paragraph at about `updatesPerSecond` updates a second, moving its caret in awareness; a
 * reader records when it sees each transaction of the writer.
 *
 * Clock: every time here is `performance.timeOrigin + performance.now()` (ms since the epoch,
 * sub-millisecond). On one machine, processes compare these times directly: `timeOrigin` is the
 * process's start read from the system clock in high resolution and `now()` is monotonic, so two
 * processes differ only by how precisely each read the system clock at start (microseconds) and
 * by any step of the system clock between their starts (none expected during a run: NTP slews).
 *
 * Protocol (one request at a time from the parent, one reply each):
 * `start` → `connected`; `prefill` → `prefilled` (its writers' text lengths); `await` (every
 * document's length) → `ready`; `type` (window in epoch ms) → `typed` once the window is over and
 * its writers acknowledged everything (texts, send times, CPU, loop delay); `converge` (every
 * writer's text) → `converged` (its readers' receive times); `leave` → `left`, then it exits.
 */
import { constants, monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';
import * as Y from 'yjs';
import { connectClient, isSettled, waitFor, type NodeClient } from './clients.js';
import { LOOP_RESOLUTION_MS, lateMs, seededRandom } from './stats.js';
import { applyPatches, loadTrace, type Patch } from './trace.js';

/** Ms since the epoch, comparable across processes of one machine (see the module's comment). */
export const epochNow = (): number => performance.timeOrigin + performance.now();

/** What one process of the load generator holds. */
export interface LoadPartParams {
  wsUrl: string;
  token: string;
  /** Documents whose writer is here. */
  writes: string[];
  /** Documents with readers here, and how many. */
  reads: { name: string; readers: number }[];
  updatesPerSecond: number;
  prefillTxns: number;
  awareness: boolean;
  connectConcurrency: number;
  seed: number;
}

export type LoadRequest =
  | { type: 'start'; params: LoadPartParams }
  | { type: 'prefill' }
  | { type: 'await'; lengths: Record<string, number>; writers: Record<string, number> }
  | { type: 'type'; measureStart: number; measureEnd: number }
  | { type: 'converge'; texts: Record<string, string>; timeoutMs: number }
  | { type: 'leave' };

export type LoadReply =
  | { type: 'connected'; connectMs: number[]; connectAllMs: number }
  | {
      type: 'prefilled';
      lengths: Record<string, number>;
      /** The Yjs client id of each writer here, by document. */
      writers: Record<string, number>;
    }
  | { type: 'ready' }
  | {
      type: 'typed';
      texts: Record<string, string>;
      /** Per document written here: [Yjs clock of an insert's first character, epoch ms it was typed]. */
      sent: Record<string, [number, number][]>;
      updates: number;
      cpuMs: number;
      windowMs: number;
      loopDelayMs: { p50: number; p99: number; max: number };
      /**
       * This process's garbage-collection pauses from the start of the window until its writers
       * were acknowledged: [epoch ms it started, ms, scavenge?]. A reader here cannot see a frame
       * during one; a writer here cannot send.
       */
      gcPauses: [number, number, boolean][];
    }
  | {
      type: 'converged';
      divergent: string[];
      /** Per document read here: [writer's clock before, after, epoch ms], one per transaction and reader. */
      received: Record<string, [number, number, number][]>;
    }
  | { type: 'left'; leftAt: number }
  | { type: 'error'; error: string };

interface Written {
  name: string;
  writer: NodeClient;
  sent: [number, number][];
  next: number;
}

interface Read {
  name: string;
  readers: NodeClient[];
  received: [number, number, number][];
}

class LoadPart {
  private readonly all: NodeClient[] = [];
  private written: Written[] = [];
  private read: Read[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private typing = false;
  private readonly trace: { patches: Patch[] }[] = loadTrace('seph-blog1').txns;

  constructor(private readonly p: LoadPartParams) {}

  async connect(): Promise<LoadReply> {
    const plan: { name: string; role: 'writer' | 'reader' }[] = [
      ...this.p.writes.map((name) => ({ name, role: 'writer' as const })),
      ...this.p.reads.flatMap(({ name, readers }) =>
        Array.from({ length: readers }, () => ({ name, role: 'reader' as const })),
      ),
    ];
    const writers = new Map<string, NodeClient>();
    const readers = new Map<string, NodeClient[]>();
    const connectMs: number[] = [];
    const t0 = performance.now();
    let cursor = 0;
    const worker = async (): Promise<void> => {
      while (cursor < plan.length) {
        const { name, role } = plan[cursor++] as (typeof plan)[number];
        const started = performance.now();
        const client = connectClient(this.p.wsUrl, name, { token: this.p.token });
        this.all.push(client);
        if (role === 'writer') writers.set(name, client);
        else readers.set(name, [...(readers.get(name) ?? []), client]);
        await waitFor(() => client.provider.isSynced, 60_000, `connexion à ${name}`);
        connectMs.push(performance.now() - started);
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, this.p.connectConcurrency) }, worker));
    this.written = this.p.writes.map((name) => ({
      name,
      writer: writers.get(name) as NodeClient,
      sent: [],
      next: this.p.prefillTxns,
    }));
    this.read = this.p.reads.map(({ name }) => ({ name, readers: readers.get(name) ?? [], received: [] }));
    return { type: 'connected', connectMs, connectAllMs: performance.now() - t0 };
  }

  /** The start of the trace, one update per document, 20 documents at a time. */
  async prefill(): Promise<LoadReply> {
    for (let i = 0; i < this.written.length; i += 20) {
      const batch = this.written.slice(i, i + 20);
      for (const { writer } of batch) {
        const text = writer.text;
        writer.ydoc.transact(() => {
          for (let k = 0; k < this.p.prefillTxns; k++) applyPatches(text, this.trace[k]?.patches ?? []);
        });
      }
      await waitFor(() => batch.every((w) => isSettled(w.writer)), 60_000, 'préremplissage');
    }
    return {
      type: 'prefilled',
      lengths: Object.fromEntries(this.written.map((w) => [w.name, w.writer.text.length])),
      writers: Object.fromEntries(this.written.map((w) => [w.name, w.writer.ydoc.clientID])),
    };
  }

  /** Waits until every reader here has its writer's prefill, then listens to the writers' transactions. */
  async awaitPrefill(lengths: Record<string, number>, writers: Record<string, number>): Promise<LoadReply> {
    await waitFor(
      () => this.read.every((r) => r.readers.every((c) => c.text.length === lengths[r.name] && isSettled(c))),
      120_000,
      'préremplissage chez les lecteurs',
    );
    for (const read of this.read) {
      const writerId = writers[read.name];
      if (writerId === undefined) throw new Error(`pas de rédacteur pour ${read.name}`);
      for (const reader of read.readers) {
        reader.text.observe((_event, transaction) => {
          const after = transaction.afterState.get(writerId);
          if (after === undefined) return;
          const before = transaction.beforeState.get(writerId) ?? 0;
          if (after > before) read.received.push([before, after, epochNow()]);
        });
      }
    }
    return { type: 'ready' };
  }

  /** Types from now until `measureEnd`; records what it types between `measureStart` and `measureEnd`. */
  async type(measureStart: number, measureEnd: number): Promise<LoadReply> {
    const random = seededRandom(this.p.seed);
    let updates = 0;
    const keystroke = (w: Written): void => {
      // The trace (137,154 transactions) outlasts any run: past its end the writer stops.
      const txn = this.trace[w.next++];
      if (!txn) return;
      const { ydoc, text, provider } = w.writer;
      const now = epochNow();
      if (now >= measureStart && now < measureEnd) {
        updates++;
        if (txn.patches.some(([, , inserted]) => inserted.length > 0))
          w.sent.push([Y.getState(ydoc.store, ydoc.clientID), now]);
      }
      ydoc.transact(() => applyPatches(text, txn.patches));
      if (this.p.awareness) {
        const last = txn.patches[txn.patches.length - 1];
        const index = last ? Math.min(text.length, last[0] + last[2].length) : 0;
        const json = Y.relativePositionToJSON(Y.createRelativePositionFromTypeIndex(text, index));
        provider.setAwarenessField('cursor', { anchor: json, head: json });
      }
    };
    this.typing = true;
    const meanPause = 1000 / this.p.updatesPerSecond;
    for (const w of this.written) {
      const schedule = (delay: number): void => {
        const timer = setTimeout(() => {
          this.timers.delete(timer);
          if (!this.typing) return;
          keystroke(w);
          schedule(meanPause * (0.5 + random()));
        }, delay);
        this.timers.add(timer);
      };
      schedule(meanPause * random());
    }
    const at = (epoch: number): Promise<void> =>
      new Promise((resolve) => setTimeout(resolve, Math.max(0, epoch - epochNow())));
    await at(measureStart);
    const loopDelay = monitorEventLoopDelay({ resolution: LOOP_RESOLUTION_MS });
    loopDelay.enable();
    const gcPauses: [number, number, boolean][] = [];
    const gcObserver = new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) {
        const kind = (entry as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind;
        gcPauses.push([
          performance.timeOrigin + entry.startTime,
          entry.duration,
          kind === constants.NODE_PERFORMANCE_GC_MINOR,
        ]);
      }
    });
    gcObserver.observe({ entryTypes: ['gc'] });
    const cpu0 = process.cpuUsage();
    const m0 = epochNow();
    await at(measureEnd);
    this.typing = false;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    const cpu = process.cpuUsage(cpu0);
    const windowMs = epochNow() - m0;
    loopDelay.disable();
    await waitFor(() => this.written.every((w) => isSettled(w.writer)), 60_000, 'accusés de réception');
    gcObserver.disconnect();
    return {
      type: 'typed',
      texts: Object.fromEntries(this.written.map((w) => [w.name, w.writer.text.toString()])),
      sent: Object.fromEntries(this.written.map((w) => [w.name, w.sent])),
      updates,
      cpuMs: (cpu.user + cpu.system) / 1000,
      windowMs,
      loopDelayMs: {
        p50: lateMs(loopDelay.percentile(50)),
        p99: lateMs(loopDelay.percentile(99)),
        max: lateMs(loopDelay.max),
      },
      gcPauses,
    };
  }

  /** Waits until every reader here equals its writer's final text (or the timeout). */
  async converge(texts: Record<string, string>, timeoutMs: number): Promise<LoadReply> {
    const agrees = (r: Read): boolean =>
      r.readers.every((c) => isSettled(c) && c.text.toString() === texts[r.name]);
    try {
      await waitFor(() => this.read.every(agrees), timeoutMs, 'convergence');
    } catch {
      // Reported through `divergent`.
    }
    return {
      type: 'converged',
      divergent: this.read
        .filter((r) => !agrees(r))
        .slice(0, 10)
        .map((r) => r.name),
      received: Object.fromEntries(this.read.map((r) => [r.name, r.received])),
    };
  }

  leave(): LoadReply {
    this.typing = false;
    for (const timer of this.timers) clearTimeout(timer);
    for (const client of this.all) client.destroy();
    return { type: 'left', leftAt: epochNow() };
  }
}

if (process.send) {
  let part: LoadPart | undefined;
  const handle = async (request: LoadRequest): Promise<LoadReply> => {
    if (request.type === 'start') {
      part = new LoadPart(request.params);
      return part.connect();
    }
    if (!part) throw new Error('processus de charge non démarré');
    switch (request.type) {
      case 'prefill':
        return part.prefill();
      case 'await':
        return part.awaitPrefill(request.lengths, request.writers);
      case 'type':
        return part.type(request.measureStart, request.measureEnd);
      case 'converge':
        return part.converge(request.texts, request.timeoutMs);
      case 'leave':
        return part.leave();
    }
  };
  process.on('message', (request: LoadRequest) => {
    handle(request)
      .catch((error: unknown): LoadReply => ({
        type: 'error',
        error: error instanceof Error ? (error.stack ?? error.message) : String(error),
      }))
      .then((reply) =>
        process.send?.(reply, () => {
          if (reply.type === 'left' || reply.type === 'error') {
            part?.leave();
            process.exit(0);
          }
        }),
      );
  });
}
