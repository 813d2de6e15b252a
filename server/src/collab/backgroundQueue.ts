/**
 * Background work on stored documents (compaction, indexing), drained a bounded amount per turn of
 * the event loop so that it never comes in storms (issue 17).
 *
 * Hocuspocus runs the store hooks of a document in the turn of the update that crosses its
 * `maxDebounce`; with hundreds of documents edited continuously since the same moment, all of them
 * were compacted and indexed within the same second, every 10 s, while their readers waited for
 * the next keystroke. Jobs put here run one after another in later turns (`setImmediate`): each
 * turn runs at least one job, then more only while the turn has used less than `budgetMs`, so the
 * sockets are read between two jobs and a keystroke waits at most for one job, never for hundreds.
 *
 * Only work that can wait goes here: the update log is written before any acknowledgement on its
 * own path (`durableUpdates.ts`), never through this queue.
 */
export interface BackgroundQueueOptions {
  /**
   * Milliseconds of jobs one turn may run before the queue yields (at least one job runs per turn).
   * Default 4 ms.
   */
  budgetMs?: number;
  /**
   * Back-pressure: while this returns true, no job starts; the queue looks again every `holdMs`
   * (default 50 ms). Used to let the WAL checkpointer catch up with a burst of compactions.
   */
  holdWhile?: () => boolean;
  holdMs?: number;
}

/** What the queue has run, per kind of job (for diagnostics and the benchmark). */
export interface QueueStats {
  /**
   * Jobs run, their total and longest duration (ms), and how many took over 10 ms (`over10ms`: a
   * job waiting for SQLite's write lock or paused by a garbage collection, rather than long by
   * itself), by the kind given to {@link BackgroundQueue.run}.
   */
  kinds: Record<string, { jobs: number; totalMs: number; longestMs: number; over10ms?: number }>;
  /** Jobs waiting now. */
  waiting: number;
  /**
   * Background work started and not over yet beyond the jobs waiting here (set by
   * `PersistenceExtension.queueStats`: compactions and indexings of documents between their
   * halves, in the worker or waiting for it); absent where nobody counts them.
   */
  inFlight?: number;
  /** Times the queue held its jobs back under back-pressure. */
  held: number;
}

interface Job {
  kind: string;
  run: () => unknown;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/** Error of the jobs still waiting when the queue is closed (the server is stopping). */
export class QueueClosed extends Error {
  constructor() {
    super('background queue closed');
  }
}

/** A FIFO of synchronous jobs run in later turns of the event loop, within a budget per turn. */
export class BackgroundQueue {
  private jobs: Job[] = [];
  private head = 0;
  private scheduled = false;
  private closed = false;
  private readonly budgetMs: number;
  private readonly kinds: QueueStats['kinds'] = {};
  /** Times the queue held its jobs back (`holdWhile`). */
  private held = 0;

  constructor(private readonly options: BackgroundQueueOptions = {}) {
    this.budgetMs = options.budgetMs ?? 4;
  }

  /** Jobs waiting to run. */
  get size(): number {
    return this.jobs.length - this.head;
  }

  /** Counters since the start (a copy). */
  stats(): QueueStats {
    return { kinds: structuredClone(this.kinds), waiting: this.size, held: this.held };
  }

  /**
   * Runs `job` in a later turn, after the jobs queued before it; resolves with its result or
   * rejects with its error. Rejects with {@link QueueClosed} once the queue is closed. `kind`
   * names the job in {@link stats}.
   */
  run<T>(kind: string, job: () => T): Promise<T> {
    if (this.closed) return Promise.reject(new QueueClosed());
    return new Promise<T>((resolve, reject) => {
      this.jobs.push({ kind, run: job, resolve: resolve as (value: unknown) => void, reject });
      this.schedule();
    });
  }

  /** Refuses new jobs and rejects the waiting ones with {@link QueueClosed}. Idempotent. */
  close(): void {
    this.closed = true;
    const waiting = this.jobs.slice(this.head);
    this.jobs = [];
    this.head = 0;
    for (const job of waiting) job.reject(new QueueClosed());
  }

  private schedule(): void {
    if (this.scheduled || this.size === 0) return;
    this.scheduled = true;
    setImmediate(this.drain);
  }

  private readonly drain = (): void => {
    this.scheduled = false;
    if (this.closed) return;
    if (this.options.holdWhile?.()) {
      this.held++;
      this.scheduled = true;
      setTimeout(this.drain, this.options.holdMs ?? 50);
      return;
    }
    const start = performance.now();
    do {
      const job = this.jobs[this.head++];
      if (!job) break;
      const began = performance.now();
      try {
        job.resolve(job.run());
      } catch (error) {
        job.reject(error);
      }
      const took = performance.now() - began;
      const kind = (this.kinds[job.kind] ??= { jobs: 0, totalMs: 0, longestMs: 0, over10ms: 0 });
      kind.jobs++;
      kind.totalMs += took;
      kind.longestMs = Math.max(kind.longestMs, took);
      if (took > 10) kind.over10ms = (kind.over10ms ?? 0) + 1;
    } while (this.size > 0 && performance.now() - start < this.budgetMs);
    // Compact the array now and then instead of shifting at every job.
    if (this.head > 1024 || this.head === this.jobs.length) {
      this.jobs = this.jobs.slice(this.head);
      this.head = 0;
    }
    this.schedule();
  };
}

/**
 * A number in [0, 1) fixed for each document name (FNV-1a hash): its phase, so that documents
 * edited since the same moment spread their background work instead of asking for it in the same
 * turn (compaction thresholds, indexing offsets).
 */
export function phaseOf(documentName: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < documentName.length; i++) {
    hash ^= documentName.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) / 2 ** 32;
}
