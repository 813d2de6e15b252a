import path from 'node:path';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { Logger } from '../logger.js';
import { legacyStorageForBench } from './benchLegacy.js';
import { JOURNAL_SIZE_LIMIT_BYTES, type Db } from './db.js';

/**
 * Frames of WAL (bytes: frames × (page size + 24)) past which the worker starts the WAL over with a
 * RESTART checkpoint: 16 MiB, a quarter of the bound issue 17 asks for (64 MiB), so a burst of
 * writes between two looks stays far under it. A RESTART holds SQLite's write lock only to copy the
 * frames written since the PASSIVE checkpoint just before it and sync them (median 0.3 ms in a
 * prototype, mean 1.9–3.7 ms on this loaded machine: `bench/lib/manyDocumentsCheckpoints.ts`); the
 * WAL file keeps its size and the next commits write over it from the start, so
 * its size on disk stays near this threshold.
 */
export const WAL_RESTART_ABOVE_BYTES = 16 * 2 ** 20;

/**
 * WAL file size (bytes) past which the worker truncates it to zero bytes, once the writers pause
 * ({@link WAL_IDLE_MS} without a group commit nor growth of the file): 4 MiB. A TRUNCATE holds the write lock while the
 * file system frees the file's blocks (mean 15–17 ms for 32 MiB, measured by the same
 * micro-benchmark), so it only runs when nobody waits to write.
 */
export const WAL_TRUNCATE_IDLE_ABOVE_BYTES = 4 * 2 ** 20;

/** Milliseconds without a group commit nor growth of the WAL file after which the writers count as paused. */
export const WAL_IDLE_MS = 1000;

/** Idle TRUNCATEs kept from finishing by a reader in a row after which a warning is logged (once). */
const TRUNCATE_BUSY_WARN_AFTER = 10;

/** Upper bounds (ms) of the buckets of a {@link DurationTally}; the last bucket is everything above. */
export const DURATION_BUCKETS_MS = [0.25, 0.5, 1, 2, 5, 10, 25, 50, 100] as const;

/**
 * A distribution of durations (ms): how many, their total and longest, and how many fell in each
 * bucket of {@link DURATION_BUCKETS_MS} (`buckets[i]`: at most `DURATION_BUCKETS_MS[i]` and more
 * than the bound before; the last entry: above 100 ms). For diagnostics and the benchmark.
 */
export interface DurationTally {
  count: number;
  totalMs: number;
  longestMs: number;
  buckets: number[];
}

/** An empty {@link DurationTally}. */
export function durationTally(): DurationTally {
  return {
    count: 0,
    totalMs: 0,
    longestMs: 0,
    buckets: new Array<number>(DURATION_BUCKETS_MS.length + 1).fill(0),
  };
}

/** Adds one duration (ms) to `tally`. */
export function addDuration(tally: DurationTally, ms: number): void {
  tally.count++;
  tally.totalMs += ms;
  if (ms > tally.longestMs) tally.longestMs = ms;
  let i = 0;
  while (i < DURATION_BUCKETS_MS.length && ms > (DURATION_BUCKETS_MS[i] as number)) i++;
  tally.buckets[i] = (tally.buckets[i] ?? 0) + 1;
}

/**
 * The smallest bucket bound (ms) under which at least `share` (0–1) of the durations of `tally`
 * fall: an upper bound of that quantile (the longest duration when it is past the last bound; 0
 * when the tally is empty).
 */
export function tallyQuantileMs(tally: DurationTally, share: number): number {
  if (tally.count === 0) return 0;
  let seen = 0;
  for (let i = 0; i < DURATION_BUCKETS_MS.length; i++) {
    seen += tally.buckets[i] ?? 0;
    if (seen >= share * tally.count) return DURATION_BUCKETS_MS[i] as number;
  }
  return tally.longestMs;
}

/**
 * Checkpoints of this process that held SQLite's write lock (one server per process): RESTART
 * (the WAL started over, under load) and TRUNCATE (the file cut to zero, writers paused), each
 * done and given up (`busy`: a reader or a writer kept it from finishing; tried again at the next
 * look), and the distribution of their durations in the worker (ms: waiting for the lock, then
 * holding it). For diagnostics and the benchmark.
 */
export const walLockedCheckpoints = {
  restart: { busy: 0, ...durationTally() },
  truncate: { busy: 0, ...durationTally() },
};

/** What the worker reports after each look at the WAL that checkpointed something. */
export interface CheckpointReport {
  /** Frames in the WAL and frames copied into the database by the PASSIVE checkpoint. */
  log: number;
  checkpointed: number;
  /** The WAL file's size before this checkpoint, bytes. */
  walBytes: number;
  /**
   * Present when a checkpoint that takes the write lock followed: RESTART (the WAL's frames were
   * past the threshold) or TRUNCATE (the file was past its idle threshold and the writers paused);
   * whether it completed (`busy`: a reader kept it from starting the WAL over; tried again at the
   * next look), how long it took (ms), and whether the commit gate was held meanwhile (`gated`:
   * no group commit was pending or running when it started, and none started until it ended).
   */
  locked?: { mode: 'RESTART' | 'TRUNCATE'; busy: boolean; ms: number; gated: boolean };
  /** After an idle TRUNCATE: how many in a row a reader kept from finishing (0 when it finished). */
  busyInARow?: number;
}

/** The commit gate's bits (`CommitGate`, shared with the worker's source below). */
const PENDING = 1;
const COMMITTING = 2;
const CHECKPOINTING = 4;

/**
 * A lock word shared (`SharedArrayBuffer`) by the main thread's group commits and the checkpoint
 * worker, so that a group commit never queues behind a checkpoint that holds SQLite's write lock
 * and never sleeps in SQLite's busy handler (whose sleeps of 1, 2, 5, 10, 15, 20, 25… ms turned a
 * 20 ms lock into a 33 ms wait).
 *
 * Word 0 holds three bits: `PENDING` (an update was recorded and awaits its commit), `COMMITTING`
 * (the main thread is in a group commit) and `CHECKPOINTING` (the worker is in a RESTART or
 * TRUNCATE checkpoint). The worker starts such a checkpoint only when neither of the first two is
 * set, setting the third in the same compare-and-exchange; a group commit that finds the third set
 * waits on the word (`Atomics.wait`, woken by the worker the moment it is done, at most
 * `timeoutMs`). Word 1 counts group commits (the worker's way of telling that writers paused).
 *
 * The gate never replaces SQLite's locks: a commit that gives up waiting, or a write that does not
 * go through the gate (compaction, REST requests), still takes SQLite's write lock, and waits in
 * SQLite's busy handler if the worker holds it.
 */
export class CommitGate {
  /**
   * `[bits, group commits, behind]`: `behind` is 1 while the WAL held more than three times the
   * restart threshold of frames at the worker's last look (48 MiB by default), else 0.
   */
  readonly words: Int32Array;

  constructor(buffer: SharedArrayBuffer = new SharedArrayBuffer(12)) {
    this.words = new Int32Array(buffer);
  }

  /** Step 2 of `durableUpdates.ts`: an update awaits its commit; no checkpoint may start. */
  notePending(): void {
    Atomics.or(this.words, 0, PENDING);
  }

  /**
   * Before a group commit: waits while a checkpoint holds the write lock (at most `timeoutMs`, then
   * goes on: SQLite's own lock still protects the commit), then marks the commit in progress.
   * Returns the milliseconds waited.
   */
  enter(timeoutMs = 1000): number {
    let waitedMs = 0;
    for (;;) {
      const bits = Atomics.load(this.words, 0);
      if ((bits & CHECKPOINTING) !== 0 && waitedMs < timeoutMs) {
        const began = performance.now();
        Atomics.wait(this.words, 0, bits, timeoutMs - waitedMs);
        waitedMs += performance.now() - began;
        continue;
      }
      if (Atomics.compareExchange(this.words, 0, bits, bits | COMMITTING) === bits) return waitedMs;
    }
  }

  /** After a group commit (committed or failed): nothing pending, nothing in progress. */
  leave(): void {
    Atomics.and(this.words, 0, ~(PENDING | COMMITTING));
    Atomics.add(this.words, 1, 1);
    Atomics.notify(this.words, 0);
  }

  /**
   * Whether the WAL held more than three times the restart threshold of frames at the worker's
   * last look (48 MiB by default; looked at every 100 ms while it grows), and was not started over
   * since: the checkpointer has not caught up with a burst of writes (compactions when many people
   * leave), and work that can wait (compactions, indexing: `collab/backgroundQueue.ts`) should.
   * One atomic read. (The file's size would not tell: after a RESTART the file keeps its size
   * while writers write over it from the start.)
   */
  walBehind(): boolean {
    return Atomics.load(this.words, 2) === 1;
  }

  /** Whether the worker is in a checkpoint that holds SQLite's write lock. One atomic read. */
  checkpointing(): boolean {
    return (Atomics.load(this.words, 0) & CHECKPOINTING) !== 0;
  }

  /** Clears the worker's bit (the worker stopped or crashed while holding it) and wakes the waiters. */
  release(): void {
    Atomics.and(this.words, 0, ~CHECKPOINTING);
    Atomics.notify(this.words, 0);
  }
}

const gates = new Map<string, CommitGate>();

/**
 * The commit gate of the database at `databaseFile` in this process: shared by its checkpoint
 * worker ({@link WalCheckpointer}) and the group commits of the update log
 * (`collab/durableUpdates.ts`), created at the first call.
 */
export function commitGateFor(databaseFile: string): CommitGate {
  const key = path.resolve(databaseFile);
  let gate = gates.get(key);
  if (!gate) gates.set(key, (gate = new CommitGate()));
  return gate;
}

/** How the worker keeps the WAL bounded. */
export interface CheckpointerOptions {
  /** Time between two looks at the WAL (ms); default 100. */
  lookMs?: number;
  /** Time between two PASSIVE checkpoints when no group commit is seen (ms); default 1,000. */
  intervalMs?: number;
  /**
   * WAL frames (bytes) past which the WAL is started over; 0: never, PASSIVE checkpoints only (the
   * behaviour before issue 17, kept for the benchmark's reference). Default
   * {@link WAL_RESTART_ABOVE_BYTES}.
   */
  restartAboveBytes?: number;
  /** WAL file size past which it is truncated once writers pause; default {@link WAL_TRUNCATE_IDLE_ABOVE_BYTES}. */
  truncateIdleAboveBytes?: number;
  /** Milliseconds without a group commit before the writers count as paused; default {@link WAL_IDLE_MS}. */
  idleMs?: number;
  /**
   * `restart` (default): as described on {@link WalCheckpointer}. `truncate`: the rule of
   * 2026-11-29 (past the threshold in file size, default 32 MiB, TRUNCATE at once without the
   * gate), kept for the benchmark's same-run reference (`ESSAIM_BENCH_CHECKPOINT=truncate`).
   */
  strategy?: 'restart' | 'truncate';
}

/**
 * The checkpoint strategy the benchmark asks for in the server's environment
 * (`ESSAIM_BENCH_CHECKPOINT=truncate`: the rule before 2026-11-30; anything else: the users'
 * one). Not a setting: users never run with it.
 */
export function checkpointStrategyForBench(env: NodeJS.ProcessEnv = process.env): 'restart' | 'truncate' {
  return env.ESSAIM_BENCH_CHECKPOINT === 'truncate' ? 'truncate' : 'restart';
}

/**
 * Copies the WAL into the database file from a worker thread, and keeps the WAL bounded.
 *
 * SQLite's automatic checkpoint runs inside whichever commit crosses the threshold, on the event
 * loop, and ends with an fsync: measured here at 5-30 ms, and up to 1.4 s under disk contention,
 * during which no websocket is served. The server's connection turns it off and this worker, with
 * its own connection, runs PASSIVE checkpoints (they never block writers): at every look
 * (`lookMs`, 100 ms) when group commits happened since the previous one or the WAL file grew or
 * is past the threshold, else every `intervalMs`.
 *
 * PASSIVE checkpoints alone let the WAL grow without end under continuous writing: SQLite starts
 * the WAL over only when a write begins after a checkpoint that copied every frame, and with a
 * commit every few milliseconds one always lands while the checkpoint syncs (issue 17 measured 282 MiB
 * of WAL for a 6.3 MB database). As SQLite's documentation recommends for a writer that never
 * pauses (https://sqlite.org/wal.html, « Avoiding Excessively Large WAL Files »), once the WAL
 * holds more than `restartAboveBytes` of frames the worker follows the PASSIVE checkpoint with a
 * second one (the frames written meanwhile) and a RESTART one, which takes the write lock, copies
 * the few frames written since, syncs and makes the next writer start the WAL over from its first
 * byte. It does so through the {@link CommitGate}: only when no group commit is pending or running
 * (waiting up to 50 ms for such a moment, else going on without it), and a group commit that comes
 * meanwhile waits on the gate, woken the moment the lock is released. A completed RESTART is not
 * repeated until someone writes: until the next writer starts the WAL over, SQLite still counts
 * the frames it holds (all copied), and a RESTART at every look kept the idle TRUNCATE below from
 * ever running (a WAL found past the threshold at start-up after a SIGKILL stayed at 41.7 MB until
 * the next edit). The file keeps its size (writers write over it), so it is truncated
 * (TRUNCATE: the file system frees its blocks, mean 15–17 ms
 * for 32 MiB, a cost a RESTART does not have) only once no group commit came and the file did not
 * grow for `idleMs` (writes that bypass the gate: compactions when people leave, the REST API, the
 * server's start-up), and the file is past `truncateIdleAboveBytes`; a TRUNCATE that a reader kept
 * from completing is tried again `idleMs` later, for as long as it takes (logged at debug level,
 * and as a warning after ten in a row). Both connections set `journal_size_limit`
 * ({@link JOURNAL_SIZE_LIMIT_BYTES}), which bounds the file if the worker stops and SQLite's own
 * checkpoints take over.
 *
 * Durability is SQLite's: a RESTART or TRUNCATE never drops a frame that was not copied and synced
 * into the database first (SQLite refuses to start the WAL over otherwise, `busy`).
 */
export class WalCheckpointer {
  private worker: Worker | undefined;
  /** The last checkpoint's report (for diagnostics and tests). */
  lastCheckpoint: CheckpointReport | undefined;
  /** The last RESTART or TRUNCATE checkpoint's outcome (for diagnostics and tests). */
  lastLocked: CheckpointReport['locked'];
  /** Reports received (looks at the WAL that checkpointed something). */
  reports = 0;
  /** RESTART and TRUNCATE checkpoints done, and the longest one (ms). */
  restarts = 0;
  truncations = 0;
  longestLockedMs = 0;
  private readonly gate: CommitGate;
  private readonly options: Required<CheckpointerOptions>;

  constructor(
    private readonly db: Db,
    private readonly file: string,
    private readonly logger: Logger,
    options: CheckpointerOptions = {},
  ) {
    this.gate = commitGateFor(file);
    const strategy = options.strategy ?? checkpointStrategyForBench();
    this.options = {
      lookMs: options.lookMs ?? 100,
      intervalMs: options.intervalMs ?? 1000,
      restartAboveBytes:
        options.restartAboveBytes ??
        (legacyStorageForBench() ? 0 : strategy === 'truncate' ? 32 * 2 ** 20 : WAL_RESTART_ABOVE_BYTES),
      truncateIdleAboveBytes: options.truncateIdleAboveBytes ?? WAL_TRUNCATE_IDLE_ABOVE_BYTES,
      idleMs: options.idleMs ?? WAL_IDLE_MS,
      strategy,
    };
  }

  start(): void {
    this.db.pragma('wal_autocheckpoint = 0');
    const driver = createRequire(import.meta.url).resolve('better-sqlite3');
    this.worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: {
        driver,
        file: this.file,
        ...this.options,
        journalSizeLimit: this.options.restartAboveBytes > 0 ? JOURNAL_SIZE_LIMIT_BYTES : -1,
        gate: this.gate.words.buffer,
        bits: { PENDING, COMMITTING, CHECKPOINTING },
      },
    });
    this.worker.unref();
    this.worker.on('message', (message: unknown) => {
      if (typeof message !== 'object' || message === null) return;
      if ('error' in message) {
        this.logger.warn(
          { error: (message as { error: string }).error },
          'WAL checkpoint failed, will retry',
        );
      } else if ('log' in message) {
        const report = message as CheckpointReport;
        this.lastCheckpoint = report;
        this.reports++;
        const locked = report.locked;
        if (!locked) return;
        this.lastLocked = locked;
        const tally =
          locked.mode === 'RESTART' ? walLockedCheckpoints.restart : walLockedCheckpoints.truncate;
        if (locked.busy) {
          tally.busy++;
          if (locked.mode === 'TRUNCATE') {
            const inARow = report.busyInARow ?? 0;
            const fields = { walBytes: report.walBytes, inARow };
            // Tried again every idle period; a read transaction left open would keep it busy.
            if (inARow === TRUNCATE_BUSY_WARN_AFTER)
              this.logger.warn(fields, 'WAL truncation kept from finishing by a reader, still trying');
            else this.logger.debug(fields, 'WAL truncation busy (a reader), will retry');
          }
          return;
        }
        addDuration(tally, locked.ms);
        if (locked.mode === 'RESTART') this.restarts++;
        else this.truncations++;
        this.longestLockedMs = Math.max(this.longestLockedMs, locked.ms);
        if (locked.ms > 100)
          this.logger.warn(
            { ms: Math.round(locked.ms), mode: locked.mode },
            'WAL checkpoint held the writers back',
          );
      }
    });
    this.worker.on('error', (error) => {
      // Never leave the WAL growing without bound: fall back to SQLite's own checkpoints.
      this.logger.error({ err: error }, 'checkpoint worker stopped; automatic checkpoints restored');
      this.db.pragma('wal_autocheckpoint = 1000');
      this.worker = undefined;
      this.gate.release();
    });
  }

  /** Stops the worker after a last checkpoint. */
  async stop(): Promise<void> {
    const worker = this.worker;
    if (!worker) return;
    this.worker = undefined;
    // Unreferenced while the server runs, so it never keeps a process alive; referenced while
    // stopping, so the process waits for the last checkpoint.
    worker.ref();
    await new Promise<void>((resolve) => {
      worker.once('exit', () => resolve());
      worker.postMessage('stop');
    });
    this.gate.release();
  }
}

const WORKER_SOURCE = `
const fs = require('node:fs');
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const { PENDING, COMMITTING, CHECKPOINTING } = workerData.bits;
const gate = new Int32Array(workerData.gate);
const db = new Database(workerData.file);
db.pragma('busy_timeout = 1000');
db.pragma('journal_size_limit = ' + workerData.journalSizeLimit);
const frameBytes = db.pragma('page_size', { simple: true }) + 24;
const wal = workerData.file + '-wal';
const walBytes = () => {
  try {
    return fs.statSync(wal).size;
  } catch {
    return 0;
  }
};
// The WAL header's checkpoint sequence number and salts (bytes 12-23, https://sqlite.org/fileformat2.html#walformat):
// the writer that starts the WAL over rewrites them; a RESTART checkpoint does not.
const walSalts = () => {
  let fd;
  try {
    fd = fs.openSync(wal, 'r');
    const header = Buffer.alloc(12);
    return fs.readSync(fd, header, 0, 12, 12) === 12 ? header.toString('hex') : '';
  } catch {
    return '';
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
};
// Takes the commit gate at a moment when no group commit is pending or running, waiting at most ms.
const takeGate = (ms) => {
  const end = performance.now() + ms;
  for (;;) {
    const bits = Atomics.load(gate, 0);
    if ((bits & (PENDING | COMMITTING)) === 0) {
      if (Atomics.compareExchange(gate, 0, bits, bits | CHECKPOINTING) === bits) return true;
      continue;
    }
    const left = end - performance.now();
    if (left <= 0) return false;
    Atomics.wait(gate, 0, bits, Math.min(left, 2));
  }
};
// A checkpoint that takes the write lock, through the gate when it can be had within gateMs (a
// TRUNCATE only then: it runs when writers paused). Null when not run.
const locked = (mode, gateMs, busyMs, gateRequired) => {
  const gated = workerData.strategy === 'restart' && takeGate(gateMs);
  if (!gated && gateRequired) return null;
  db.pragma('busy_timeout = ' + busyMs);
  const started = performance.now();
  try {
    const [result] = db.pragma('wal_checkpoint(' + mode + ')');
    // Every frame is in the database and the next writer starts the WAL over.
    if (result.busy === 0) Atomics.store(gate, 2, 0);
    return { result, locked: { mode, busy: result.busy !== 0, ms: performance.now() - started, gated } };
  } finally {
    if (gated) {
      Atomics.and(gate, 0, ~CHECKPOINTING);
      Atomics.notify(gate, 0);
    }
    db.pragma('busy_timeout = 1000');
  }
};
const bounded = workerData.restartAboveBytes > 0;
let commitsSeen = Atomics.load(gate, 1);
let lastCommitAt = performance.now();
let lastPassiveAt = performance.now();
// The WAL is truncated once every writer paused: no group commit and no growth of the file (writes
// that bypass the gate: compactions when people leave, the REST API, start-up) for idleMs. A
// TRUNCATE that found a reader in the way is tried again idleMs later, not at every look.
let lastBytes = walBytes();
let lastGrowthAt = performance.now();
let lastTruncateTryAt = -Infinity;
let truncateBusyInARow = 0;
// A completed RESTART does not start the WAL over itself: the next writer does. Until one writes,
// every PASSIVE checkpoint still counts the frames the WAL held (all copied), and a RESTART has
// nothing left to do. Without a write (after a restart of the server that found a big WAL, or once
// the writes that bypass the gate stop), the worker used to RESTART again at every look, and that
// RESTART kept the idle TRUNCATE from ever running (41.7 MB left until the next write). The frames
// and header of the WAL at the last completed RESTART: the same ones mean nobody wrote since.
let restarted = null;
const look = (final) => {
  try {
    const now = performance.now();
    const commits = Atomics.load(gate, 1);
    const wrote = commits !== commitsSeen;
    if (wrote) {
      commitsSeen = commits;
      lastCommitAt = now;
    }
    const bytes = walBytes();
    let report;
    const oldRule = workerData.strategy === 'truncate' && bounded && bytes > workerData.restartAboveBytes;
    // Writes that bypass the gate (compactions when many people leave) grow the file, or write
    // over it past the threshold after a RESTART: look at the frames then too.
    const written = wrote || bytes > lastBytes || bytes > workerData.restartAboveBytes;
    if (bytes !== lastBytes) lastGrowthAt = now;
    lastBytes = bytes;
    if (final || now - lastPassiveAt >= workerData.intervalMs || (bounded && workerData.strategy === 'restart' && written) || oldRule) {
      lastPassiveAt = now;
      const [passive] = db.pragma('wal_checkpoint(PASSIVE)');
      if (restarted && (passive.log !== restarted.log || passive.checkpointed !== passive.log || walSalts() !== restarted.salts)) restarted = null;
      // Frames still to be written over: none while the WAL waits for its next writer to start it over.
      const frames = restarted ? 0 : passive.log;
      Atomics.store(gate, 2, bounded && frames * frameBytes > 3 * workerData.restartAboveBytes ? 1 : 0);
      report = { log: passive.log, checkpointed: passive.checkpointed, walBytes: bytes };
      if (!final && (oldRule || (bounded && workerData.strategy === 'restart' && frames * frameBytes > workerData.restartAboveBytes))) {
        // Most frames were just copied without blocking anyone; a second PASSIVE copies what was
        // written meanwhile, so that the locked checkpoint copies and syncs a few frames only.
        db.pragma('wal_checkpoint(PASSIVE)');
        const done = oldRule ? locked('TRUNCATE', 0, 50, false) : locked('RESTART', 50, 20, false);
        if (done) report.locked = done.locked;
        if (done && !oldRule && !done.locked.busy) restarted = { log: done.result.log, salts: walSalts() };
      }
    }
    if (
      !final && bounded && workerData.strategy === 'restart' && !(report && report.locked) &&
      now - lastCommitAt >= workerData.idleMs && now - lastGrowthAt >= workerData.idleMs &&
      now - lastTruncateTryAt >= workerData.idleMs && bytes > workerData.truncateIdleAboveBytes
    ) {
      lastTruncateTryAt = now;
      const done = locked('TRUNCATE', 5, 20, true);
      if (done && !done.locked.busy) {
        // Commits that ended while the worker waited for the gate came before the TRUNCATE.
        commitsSeen = Atomics.load(gate, 1);
        lastBytes = walBytes();
        restarted = null;
      }
      // Tried again idleMs later, for as long as it takes; said once, when a reader kept it from
      // finishing ten times in a row (a read transaction left open).
      if (done) truncateBusyInARow = done.locked.busy ? truncateBusyInARow + 1 : 0;
      if (done) report = { log: done.result.log, checkpointed: done.result.checkpointed, walBytes: bytes, locked: done.locked, busyInARow: truncateBusyInARow };
    }
    if (report) parentPort.postMessage(report);
  } catch (error) {
    parentPort.postMessage({ error: String((error && error.message) || error) });
  }
};
const timer = setInterval(() => look(false), workerData.lookMs);
parentPort.on('message', (message) => {
  if (message !== 'stop') return;
  clearInterval(timer);
  look(true);
  db.close();
  process.exit(0);
});
`;
