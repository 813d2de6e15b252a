import fs from 'node:fs';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { Logger } from '../logger.js';
import { legacyStorageForBench } from './benchLegacy.js';
import { JOURNAL_SIZE_LIMIT_BYTES, type Db } from './db.js';

/**
 * WAL size (bytes) past which a checkpoint also resets and truncates the WAL: 32 MiB, half the
 * bound issue 17 asks for (64 MiB), so a burst of writes between two looks stays under it. Each
 * TRUNCATE makes the next commits wait for its write lock (a few frames and two fsyncs): the
 * larger the threshold, the rarer those waits.
 */
export const WAL_TRUNCATE_ABOVE_BYTES = 32 * 2 ** 20;

/**
 * Whether the WAL of `databaseFile` is past one and a half times {@link WAL_TRUNCATE_ABOVE_BYTES}
 * (48 MiB): the checkpointer has not caught up with a burst of writes yet, and work that can wait
 * (compactions, indexing: `collab/backgroundQueue.ts`) should. One `stat` call.
 */
export function walBehind(databaseFile: string): boolean {
  try {
    return fs.statSync(`${databaseFile}-wal`).size > WAL_TRUNCATE_ABOVE_BYTES * 1.5;
  } catch {
    return false;
  }
}

/**
 * TRUNCATE checkpoints of this process (one server per process): done, given up (a reader stayed),
 * and the longest one in ms, during which the server's commits waited. For diagnostics and the
 * benchmark.
 */
export const walTruncations = { done: 0, busy: 0, longestMs: 0, totalMs: 0 };

/** What the worker reports after each checkpoint. */
export interface CheckpointReport {
  /** Frames in the WAL and frames copied into the database by the PASSIVE checkpoint. */
  log: number;
  checkpointed: number;
  /** The WAL file's size before this checkpoint, bytes. */
  walBytes: number;
  /**
   * Present when the WAL was past the threshold: whether the TRUNCATE checkpoint that followed
   * completed (`busy`: a reader kept it from resetting the WAL; tried again at the next look) and
   * how long it took in the worker (ms: waiting for the write lock, then holding it).
   */
  truncate?: { busy: boolean; ms: number };
}

/**
 * Copies the WAL into the database file from a worker thread, and keeps the WAL bounded.
 *
 * SQLite's automatic checkpoint runs inside whichever commit crosses the threshold, on the event
 * loop, and ends with an fsync: measured here at 5-30 ms, and up to 1.4 s under disk contention,
 * during which no websocket is served. The server's connection turns it off and this worker, with
 * its own connection, runs PASSIVE checkpoints (they never block writers) every interval.
 *
 * PASSIVE checkpoints alone let the WAL grow without end under continuous writing: SQLite starts
 * the WAL over only when a write begins after a checkpoint that copied every frame, and with a
 * commit every few milliseconds one always lands while the checkpoint syncs (issue 17 measured 282 MiB
 * of WAL for a 6.3 MB database). As SQLite's documentation recommends for a writer that never
 * pauses (https://sqlite.org/wal.html, « Avoiding Excessively Large WAL Files »), once the WAL
 * file is past `truncateAboveBytes` (looked at ten times an interval, so that a burst of writes is
 * caught) the worker follows a PASSIVE checkpoint with a second one and a TRUNCATE: the TRUNCATE
 * holds the write lock only to copy the few frames written since, sync, and reset the WAL to zero
 * bytes, and waits at most 50 ms for readers (else it gives up and tries again at the next look),
 * so the main connection's next commit waits for a short lock, never for the big copy. Both
 * connections also set `journal_size_limit` ({@link JOURNAL_SIZE_LIMIT_BYTES}), which bounds the
 * file if the worker stops and SQLite's own checkpoints take over.
 */
export class WalCheckpointer {
  private worker: Worker | undefined;
  /** The last checkpoint's report (for diagnostics and tests). */
  lastCheckpoint: CheckpointReport | undefined;
  /** TRUNCATE checkpoints done, and the longest one (ms). */
  truncations = 0;
  longestTruncateMs = 0;

  /**
   * @param intervalMs time between two checkpoints
   * @param truncateAboveBytes WAL size past which the WAL is reset and truncated (0: never, the
   *   behaviour before issue 17, kept for the benchmark's reference)
   */
  constructor(
    private readonly db: Db,
    private readonly file: string,
    private readonly logger: Logger,
    private readonly intervalMs = 1000,
    private readonly truncateAboveBytes = legacyStorageForBench() ? 0 : WAL_TRUNCATE_ABOVE_BYTES,
  ) {}

  start(): void {
    this.db.pragma('wal_autocheckpoint = 0');
    const driver = createRequire(import.meta.url).resolve('better-sqlite3');
    this.worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: {
        driver,
        file: this.file,
        intervalMs: this.intervalMs,
        truncateAboveBytes: this.truncateAboveBytes,
        journalSizeLimit: this.truncateAboveBytes > 0 ? JOURNAL_SIZE_LIMIT_BYTES : -1,
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
        if (report.truncate?.busy) walTruncations.busy++;
        else if (report.truncate) {
          this.truncations++;
          this.longestTruncateMs = Math.max(this.longestTruncateMs, report.truncate.ms);
          walTruncations.done++;
          walTruncations.totalMs += report.truncate.ms;
          walTruncations.longestMs = Math.max(walTruncations.longestMs, report.truncate.ms);
          if (report.truncate.ms > 100)
            this.logger.warn({ ms: Math.round(report.truncate.ms) }, 'WAL truncation held the writers back');
        }
      }
    });
    this.worker.on('error', (error) => {
      // Never leave the WAL growing without bound: fall back to SQLite's own checkpoints.
      this.logger.error({ err: error }, 'checkpoint worker stopped; automatic checkpoints restored');
      this.db.pragma('wal_autocheckpoint = 1000');
      this.worker = undefined;
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
  }
}

const WORKER_SOURCE = `
const fs = require('node:fs');
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file);
db.pragma('busy_timeout = 1000');
db.pragma('journal_size_limit = ' + workerData.journalSizeLimit);
const wal = workerData.file + '-wal';
const walBytes = () => {
  try {
    return fs.statSync(wal).size;
  } catch {
    return 0;
  }
};
const checkpoint = () => {
  try {
    const bytes = walBytes();
    const [result] = db.pragma('wal_checkpoint(PASSIVE)');
    const report = { log: result.log, checkpointed: result.checkpointed, walBytes: bytes };
    if (workerData.truncateAboveBytes > 0 && bytes > workerData.truncateAboveBytes) {
      // Most frames were just copied without blocking anyone; a second PASSIVE copies what was
      // written meanwhile, so that the TRUNCATE holds the write lock for a few frames only.
      db.pragma('wal_checkpoint(PASSIVE)');
      db.pragma('busy_timeout = 50');
      const started = performance.now();
      try {
        const [truncated] = db.pragma('wal_checkpoint(TRUNCATE)');
        report.truncate = { busy: truncated.busy !== 0, ms: performance.now() - started };
      } finally {
        db.pragma('busy_timeout = 1000');
      }
    }
    parentPort.postMessage(report);
  } catch (error) {
    parentPort.postMessage({ error: String((error && error.message) || error) });
  }
};
const timer = setInterval(checkpoint, workerData.intervalMs);
// Between two checkpoints, a burst of writes (compactions when many people leave at once) can pass
// the threshold: look at the WAL's size ten times an interval, and checkpoint at once when it is past.
const watch =
  workerData.truncateAboveBytes > 0
    ? setInterval(() => {
        if (walBytes() > workerData.truncateAboveBytes) checkpoint();
      }, Math.max(1, Math.round(workerData.intervalMs / 10)))
    : undefined;
parentPort.on('message', (message) => {
  if (message !== 'stop') return;
  clearInterval(timer);
  clearInterval(watch);
  checkpoint();
  db.close();
  process.exit(0);
});
`;
