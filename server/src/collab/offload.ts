import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Logger } from '../logger.js';
import type { ComputedIndex } from '../services/indexingService.js';
import type { AuthoredRow, FoldedDeletions, LiveSummary, StoredDocument } from '../storage/collabStore.js';
import type { DepartureResult } from './departures.js';

/**
 * For `bench/manyDocuments.ts`'s same-run reference only (its `inline` variant): with
 * `ESSAIM_BENCH_INLINE_JOBS=1` in the server's environment, the server builds no worker and the
 * background jobs run whole on the event loop, as before. Not a setting: users never run with it.
 */
export function inlineJobsForBench(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.ESSAIM_BENCH_INLINE_JOBS === '1';
}

/** A request to the worker (`offloadWorker.ts`). */
export type OffloadRequest =
  | { id: number; kind: 'prove'; state: Uint8Array; live: LiveSummary; rows?: AuthoredRow[] }
  | { id: number; kind: 'index'; state: Uint8Array | StoredDocument }
  | {
      id: number;
      kind: 'departure';
      state: Uint8Array;
      live: LiveSummary;
      rows?: AuthoredRow[];
      index: boolean;
    };

/** The worker's answer to one request; `ms`: the time it took there. */
export type OffloadReply =
  | {
      id: number;
      ok: true;
      ms: number;
      computed?: ComputedIndex;
      folded?: FoldedDeletions;
      /** A departure's answer (`runDeparture`, departures.ts). */
      departure?: DepartureResult;
    }
  | { id: number; ok: false; error: string };

/**
 * The worker could not run the job (it failed to start, crashed, or the pool is closed): the
 * caller runs the job on the main thread instead, as without a pool.
 */
export class OffloadUnavailable extends Error {
  constructor(reason: string) {
    super(`offload worker unavailable: ${reason}`);
  }
}

/**
 * Jobs the worker ran, by kind: count, total and longest time in the worker (ms). `departure`: a
 * departing document's proof and index from one decoding (departures.ts).
 */
export type OffloadStats = Record<
  'prove' | 'index' | 'departure',
  { jobs: number; totalMs: number; longestMs: number }
>;

export interface OffloadOptions {
  logger: Logger;
  /** The worker is stopped after this long without a job (ms; default 5 s): its memory is given back. */
  idleMs?: number;
  /** After the worker fails, jobs run on the main thread this long before a new worker is tried (ms; default 30 s). */
  retryAfterMs?: number;
  /** Starts the worker thread (default: `offloadWorker.ts`, see {@link spawnWorker}); tests give a failing one. */
  spawn?: () => Worker;
  /** Pipelines (encode, work in the worker, write) running at once; see {@link Offload.pipeline}. Default 2. */
  maxPipelines?: number;
}

/**
 * One worker thread for the CPU-heavy halves of the background jobs (issue 17): the proof of a
 * compaction and the reading of a document for indexing, each a few ms to tens of ms for a fiche,
 * during which the event loop used to serve no socket. The main thread encodes the document's
 * state (and, for a proof, its state vector and deletions: `summarizeLive`) in one short turn,
 * the worker decodes and works, and the main thread writes the result in another short turn:
 * every SQLite write stays on the main connection.
 *
 * One worker is enough on two cores (the main thread needs the other). It is started at the first
 * job, so a process that never compacts never starts it; it holds the process open only while a
 * job is in flight (`unref` otherwise), stops after `idleMs` without a job (its heap is given
 * back), and {@link close} terminates it. If it cannot start or crashes, the jobs waiting reject
 * with {@link OffloadUnavailable} and the callers run them on the main thread, as before, for
 * `retryAfterMs`.
 */
export class Offload {
  private worker: Worker | undefined;
  private readonly pending = new Map<
    number,
    { resolve: (reply: OffloadReply) => void; reject: (error: unknown) => void }
  >();
  private nextId = 1;
  private idleTimer: NodeJS.Timeout | undefined;
  private closed = false;
  private brokenUntil = 0;
  private readonly counters: OffloadStats = {
    prove: { jobs: 0, totalMs: 0, longestMs: 0 },
    index: { jobs: 0, totalMs: 0, longestMs: 0 },
    departure: { jobs: 0, totalMs: 0, longestMs: 0 },
  };
  /** Holds in force ({@link hold}), and the requests waiting for them to end. */
  private holds = 0;
  private readonly heldRequests: (() => void)[] = [];
  /** Workers started since the pool was made (a new one after each idle stop or failure). */
  started = 0;
  /** Pipelines running now, and those waiting for a place (FIFO). */
  private pipelines = 0;
  private readonly waitingPipelines: { start: () => void; key: string | undefined }[] = [];

  constructor(private readonly options: OffloadOptions) {}

  /**
   * Runs `work` (a whole pipeline: encode a state on the main thread, work on it in the worker,
   * write the result) once fewer than `maxPipelines` (default 2) are running; the others wait
   * their turn, FIFO, before encoding anything. So encoded states waiting for the worker never
   * pile up in memory (with 400 documents stored in the same seconds, hundreds of them were held
   * at once: +210 MiB of RSS at the peak), and a document's state is encoded when its turn comes,
   * the newest one. One worker serves one job at a time: two pipelines keep it busy while the
   * main thread encodes or writes the other. `key` (a document name) lets {@link hurry} find it.
   */
  async pipeline<T>(work: () => Promise<T>, key?: string): Promise<T> {
    if (this.pipelines >= (this.options.maxPipelines ?? 2)) {
      await new Promise<void>((start) => this.waitingPipelines.push({ start, key }));
    } else {
      this.pipelines++;
    }
    try {
      return await work();
    } finally {
      // The place goes to the next one waiting, or is given back.
      const next = this.waitingPipelines.shift();
      if (next) next.start();
      else this.pipelines--;
    }
  }

  /**
   * Moves the pipelines waiting under `key` to the front of the line (someone is loading that
   * document again and waits for its compaction); nothing if none waits. Returns how many moved.
   */
  hurry(key: string): number {
    const mine = this.waitingPipelines.filter((w) => w.key === key);
    if (mine.length === 0) return 0;
    const others = this.waitingPipelines.filter((w) => w.key !== key);
    this.waitingPipelines.splice(0, this.waitingPipelines.length, ...mine, ...others);
    return mine.length;
  }

  /**
   * Holds every request until the function returned is called (tests: a slow worker, without
   * sleeping). Requests made meanwhile wait, in order, then go to the worker. Idempotent release.
   */
  hold(): () => void {
    this.holds++;
    let held = true;
    return () => {
      if (!held) return;
      held = false;
      if (--this.holds === 0) for (const go of this.heldRequests.splice(0)) go();
    };
  }

  /** Pipelines waiting for a place (tests, diagnostics). */
  get waitingForPipeline(): number {
    return this.waitingPipelines.length;
  }

  /** Jobs sent to the worker and not answered yet. */
  get inFlight(): number {
    return this.pending.size;
  }

  /** Whether a worker thread is running now. */
  get running(): boolean {
    return this.worker !== undefined;
  }

  /** Counters since the start (a copy). */
  stats(): OffloadStats {
    return structuredClone(this.counters);
  }

  /**
   * Proves in the worker that `state` loads back into the document `live` summarizes
   * (`proveAgainst`, collabStore.ts) and, given the log `rows` the compaction removes
   * (`CollabStore.rowsToFold`), decodes there what they deleted, per author (`foldRows`): the
   * write then only merges it (`CollabStore.compact`'s `folded`). Resolves with that (undefined
   * without `rows`). Rejects with the proof's reason (an `Error`), or with
   * {@link OffloadUnavailable} when the worker cannot run it.
   */
  async prove(
    state: Uint8Array,
    live: LiveSummary,
    rows?: AuthoredRow[],
  ): Promise<FoldedDeletions | undefined> {
    const reply = await this.request({ kind: 'prove', state, live, ...(rows ? { rows } : {}) });
    return reply.folded;
  }

  /**
   * Reads an encoded document state in the worker and returns its index and the search content of
   * its sections (`computeIndex`, indexingService.ts). `state` may also be a document as stored
   * (state and log rows, read as a load reads them: `applyStored`, unreadable parts skipped).
   * Rejects like {@link prove}.
   */
  async index(state: Uint8Array | StoredDocument): Promise<ComputedIndex> {
    const reply = await this.request({ kind: 'index', state });
    if (!reply.computed) throw new Error('offload worker answered without an index');
    return reply.computed;
  }

  /**
   * Proves a departing document's state and, with `index`, reads its index from the same decoding
   * in the worker (`runDeparture`, departures.ts: half the worker's time of {@link prove} then
   * {@link index}). Resolves with the answer, failures included (`proofError`, `indexError`);
   * rejects only with {@link OffloadUnavailable} when the worker cannot run it.
   */
  async departure(
    state: Uint8Array,
    live: LiveSummary,
    rows: AuthoredRow[] | undefined,
    index: boolean,
  ): Promise<DepartureResult> {
    const reply = await this.request({ kind: 'departure', state, live, index, ...(rows ? { rows } : {}) });
    if (!reply.departure) throw new Error('offload worker answered without a departure');
    return reply.departure;
  }

  /** Terminates the worker; jobs in flight reject with {@link OffloadUnavailable}, later ones at once. Idempotent. */
  async close(): Promise<void> {
    this.closed = true;
    await this.stop('closed');
  }

  private async request(
    job:
      | Omit<Extract<OffloadRequest, { kind: 'prove' }>, 'id'>
      | Omit<Extract<OffloadRequest, { kind: 'index' }>, 'id'>
      | Omit<Extract<OffloadRequest, { kind: 'departure' }>, 'id'>,
  ): Promise<Extract<OffloadReply, { ok: true }>> {
    if (this.holds > 0) await new Promise<void>((go) => this.heldRequests.push(go));
    return this.send(job);
  }

  private send(
    job:
      | Omit<Extract<OffloadRequest, { kind: 'prove' }>, 'id'>
      | Omit<Extract<OffloadRequest, { kind: 'index' }>, 'id'>
      | Omit<Extract<OffloadRequest, { kind: 'departure' }>, 'id'>,
  ): Promise<Extract<OffloadReply, { ok: true }>> {
    if (this.closed) return Promise.reject(new OffloadUnavailable('closed'));
    if (Date.now() < this.brokenUntil) return Promise.reject(new OffloadUnavailable('failed recently'));
    let worker: Worker;
    try {
      worker = this.worker ?? this.start();
    } catch (error) {
      this.fail(error);
      return Promise.reject(new OffloadUnavailable(String(error)));
    }
    clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
    const id = this.nextId++;
    return new Promise<OffloadReply>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      if (this.pending.size === 1) worker.ref();
      worker.postMessage({ ...job, id } as OffloadRequest);
    }).then((reply) => {
      if (!reply.ok) throw new Error(reply.error);
      const kind = this.counters[job.kind];
      kind.jobs++;
      kind.totalMs += reply.ms;
      kind.longestMs = Math.max(kind.longestMs, reply.ms);
      return reply;
    });
  }

  private start(): Worker {
    const worker = (this.options.spawn ?? spawnWorker)();
    this.worker = worker;
    this.started++;
    worker.unref();
    worker.on('message', (reply: OffloadReply) => {
      const waiting = this.pending.get(reply.id);
      if (!waiting) return;
      this.pending.delete(reply.id);
      waiting.resolve(reply);
      if (this.pending.size === 0 && this.worker === worker) this.idle(worker);
    });
    worker.on('error', (error) => {
      if (this.worker !== worker) return;
      this.options.logger.error(
        { err: error },
        'offload worker failed; background jobs run on the main thread',
      );
      this.fail(error);
    });
    worker.on('exit', (code) => {
      if (this.worker !== worker) return;
      this.fail(new Error(`offload worker exited with code ${code}`));
    });
    return worker;
  }

  /** Nothing in flight: the worker no longer holds the process, and stops after `idleMs`. */
  private idle(worker: Worker): void {
    worker.unref();
    clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => {
      if (this.pending.size === 0 && this.worker === worker) void this.stop('idle');
    }, this.options.idleMs ?? 5_000);
    this.idleTimer.unref();
  }

  private fail(error: unknown): void {
    this.brokenUntil = Date.now() + (this.options.retryAfterMs ?? 30_000);
    void this.stop(error instanceof Error ? error.message : String(error));
  }

  private async stop(reason: string): Promise<void> {
    clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
    const worker = this.worker;
    this.worker = undefined;
    const waiting = [...this.pending.values()];
    this.pending.clear();
    for (const job of waiting) job.reject(new OffloadUnavailable(reason));
    if (worker) await worker.terminate();
  }
}

/**
 * The worker's young generation (MiB): 8 instead of V8's default (16 MiB semi-spaces, 48 MiB in
 * all) keeps about 20 MiB of RSS while it runs (measured with 100 jobs on a 7,500-character fiche:
 * +72 instead of +94 MiB under tsx); its scavenges, more frequent, happen off the event loop.
 */
const resourceLimits = { maxYoungGenerationSizeMb: 8 };

/**
 * Starts `offloadWorker`: the compiled `.js` next to this file, or, when the server runs from its
 * TypeScript sources (tests, `tsx`, the benchmarks), the `.ts` entry through tsx's loader registered
 * inside the worker (Node 20 does not carry the parent's loader into a worker thread, and refuses a
 * `.ts` entry), with the `@essaim/source` condition so the workspace packages resolve to their
 * sources as in the parent.
 */
function spawnWorker(): Worker {
  const here = import.meta.url;
  if (!here.endsWith('.ts')) return new Worker(new URL('./offloadWorker.js', here), { resourceLimits });
  const tsxRoot = path.dirname(createRequire(here).resolve('tsx/package.json'));
  const tsx = pathToFileURL(path.join(tsxRoot, 'dist/esm/api/index.mjs')).href;
  const entry = new URL('./offloadWorker.ts', here).href;
  const source = `import { register } from ${JSON.stringify(tsx)}; register(); await import(${JSON.stringify(entry)});`;
  return new Worker(new URL(`data:text/javascript,${encodeURIComponent(source)}`), {
    execArgv: ['--conditions=@essaim/source'],
    resourceLimits,
  });
}
