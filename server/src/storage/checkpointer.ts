import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { Logger } from '../logger.js';
import type { Db } from './db.js';

/**
 * Copies the WAL into the database file from a worker thread.
 *
 * SQLite's automatic checkpoint runs inside whichever commit crosses the threshold, on the event
 * loop, and ends with an fsync: measured here at 5-30 ms, and up to 1.4 s under disk contention,
 * during which no websocket is served. The server's connection turns it off and this worker, with
 * its own connection, runs PASSIVE checkpoints (they never block writers) every interval.
 */
export class WalCheckpointer {
  private worker: Worker | undefined;
  /** Frames in the WAL and frames copied, as of the last checkpoint (for diagnostics and tests). */
  lastCheckpoint: { log: number; checkpointed: number } | undefined;

  constructor(
    private readonly db: Db,
    private readonly file: string,
    private readonly logger: Logger,
    private readonly intervalMs = 1000,
  ) {}

  start(): void {
    this.db.pragma('wal_autocheckpoint = 0');
    const driver = createRequire(import.meta.url).resolve('better-sqlite3');
    this.worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { driver, file: this.file, intervalMs: this.intervalMs },
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
        this.lastCheckpoint = message as { log: number; checkpointed: number };
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
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file);
db.pragma('busy_timeout = 1000');
const checkpoint = () => {
  try {
    const [result] = db.pragma('wal_checkpoint(PASSIVE)');
    parentPort.postMessage({ log: result.log, checkpointed: result.checkpointed });
  } catch (error) {
    parentPort.postMessage({ error: String((error && error.message) || error) });
  }
};
const timer = setInterval(checkpoint, workerData.intervalMs);
parentPort.on('message', (message) => {
  if (message !== 'stop') return;
  clearInterval(timer);
  checkpoint();
  db.close();
  process.exit(0);
});
`;
