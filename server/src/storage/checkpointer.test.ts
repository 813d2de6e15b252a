import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../logger.js';
import {
  addDuration,
  CommitGate,
  commitGateFor,
  durationTally,
  tallyQuantileMs,
  WalCheckpointer,
  walLockedCheckpoints,
  type CheckpointerOptions,
} from './checkpointer.js';
import { openDatabase, type Db } from './db.js';

function freshDatabase(): { file: string; db: Db } {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'essaim-ckpt-')), 'essaim.sqlite');
  const db = openDatabase(file, { synchronous: 'NORMAL' });
  // The migrations' frames: out of the way, so the WAL file starts at zero bytes.
  db.pragma('wal_checkpoint(TRUNCATE)');
  return { file, db };
}

function started(db: Db, file: string, options: CheckpointerOptions): WalCheckpointer {
  const checkpointer = new WalCheckpointer(db, file, createLogger('silent'), options);
  checkpointer.start();
  return checkpointer;
}

const insertDocument = (db: Db) =>
  db.prepare<[string, string]>(
    "INSERT INTO documents (id, kind, title, created_at, updated_at) VALUES (?, 'fiche', ?, 'x', 'x')",
  );

/** A group commit as `durableUpdates.ts` makes it: pending, then through the gate. */
function gatedCommit(gate: CommitGate, write: () => void): void {
  gate.notePending();
  gate.enter();
  try {
    write();
  } finally {
    gate.leave();
  }
}

const walSize = (file: string): number => {
  try {
    return fs.statSync(`${file}-wal`).size;
  } catch {
    return 0;
  }
};

function rowsOf(file: string): number {
  const again = openDatabase(file, { synchronous: 'NORMAL' });
  try {
    return (again.prepare('SELECT COUNT(*) AS n FROM documents').get() as { n: number }).n;
  } finally {
    again.close();
  }
}

describe('WAL checkpoints off the event loop', () => {
  it('copies the WAL into the database from a worker while the main connection keeps writing', async () => {
    const { file, db } = freshDatabase();
    const checkpointer = started(db, file, { intervalMs: 20, lookMs: 10 });
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
    const insert = insertDocument(db);
    for (let i = 0; i < 200; i++) insert.run(`doc-${i}`, 't');
    await expect
      .poll(() => {
        const last = checkpointer.lastCheckpoint;
        return last !== undefined && last.log > 0 && last.checkpointed === last.log;
      })
      .toBe(true);
    await checkpointer.stop();
    db.close();
    // Everything is readable from a fresh connection after the stop.
    expect(rowsOf(file)).toBe(200);
  });

  it(
    'starts the WAL over while group commits never pause, so the file stays near the threshold, and no row is lost',
    { timeout: 40_000 },
    async () => {
      const { file, db } = freshDatabase();
      const limit = 256 * 1024;
      // Writers never pause for a second here: the WAL is started over (RESTART), not truncated.
      const checkpointer = started(db, file, {
        lookMs: 10,
        intervalMs: 10,
        restartAboveBytes: limit,
        idleMs: 60_000,
      });
      const gate = commitGateFor(file);
      const insert = insertDocument(db);
      let written = 0;
      let largest = 0;
      // A commit every millisecond or so, as the group commit does under load: PASSIVE checkpoints
      // alone never find the pause they need to start the WAL over (it grows by megabytes here).
      while (checkpointer.restarts < 20) {
        gatedCommit(gate, () => insert.run(`doc-${written++}`, 'x'.repeat(500)));
        largest = Math.max(largest, walSize(file));
        await new Promise((resolve) => setTimeout(resolve, 1));
      }
      expect(checkpointer.truncations).toBe(0);
      // The file is written over from its start: without the restarts it would have passed 20
      // times the threshold (a margin of 16 for a worker the machine starves of CPU).
      expect(largest).toBeLessThan(16 * limit);
      await checkpointer.stop();
      db.close();
      expect(rowsOf(file)).toBe(written);
    },
  );

  it(
    'truncates the WAL once every writer pauses, never while a commit is pending, again after writes that bypass the gate, never for nothing',
    { timeout: 30_000 },
    async () => {
      const { file, db } = freshDatabase();
      const gate = commitGateFor(file);
      const checkpointer = started(db, file, {
        lookMs: 10,
        intervalMs: 10,
        restartAboveBytes: 64 * 2 ** 20,
        truncateIdleAboveBytes: 64 * 1024,
        idleMs: 50,
      });
      const insert = insertDocument(db);
      for (let i = 0; i < 300; i++) gatedCommit(gate, () => insert.run(`doc-${i}`, 'x'.repeat(500)));
      expect(walSize(file)).toBeGreaterThan(64 * 1024);
      // An update waits for its commit: however long the writers then pause, no TRUNCATE starts.
      gate.notePending();
      const seen = checkpointer.reports;
      await expect.poll(() => checkpointer.lastCheckpoint?.checkpointed ?? 0).toBeGreaterThan(0);
      await expect.poll(() => checkpointer.reports, { timeout: 10_000 }).toBeGreaterThan(seen + 5);
      expect(checkpointer.truncations).toBe(0);
      expect(walSize(file)).toBeGreaterThan(64 * 1024);
      // The commit comes; once the writers pause, the file is cut to zero bytes.
      gatedCommit(gate, () => insert.run('doc-last', 'x'));
      await expect.poll(() => checkpointer.truncations, { timeout: 10_000 }).toBe(1);
      expect(walSize(file)).toBe(0);
      expect(checkpointer.lastLocked).toMatchObject({ mode: 'TRUNCATE', busy: false, gated: true });
      // Writes that bypass the gate (compactions as people leave, the REST API, the start-up)
      // grow it again: once they pause too, it is cut again (tester BR25: 46.6 MiB left for good
      // after the compactions of 144 documents' departure).
      for (let i = 0; i < 300; i++) insert.run(`bypass-${i}`, 'x'.repeat(500));
      expect(walSize(file)).toBeGreaterThan(64 * 1024);
      await expect.poll(() => checkpointer.truncations, { timeout: 10_000 }).toBe(2);
      expect(walSize(file)).toBe(0);
      // Nothing written since: no TRUNCATE again and again.
      const afterSecond = checkpointer.reports;
      await expect.poll(() => checkpointer.reports, { timeout: 10_000 }).toBeGreaterThan(afterSecond + 5);
      expect(checkpointer.truncations).toBe(2);
      // The next pause after a group commit truncates again.
      for (let i = 0; i < 300; i++) gatedCommit(gate, () => insert.run(`doc-again-${i}`, 'x'.repeat(500)));
      await expect.poll(() => checkpointer.truncations, { timeout: 10_000 }).toBe(3);
      await checkpointer.stop();
      db.close();
      expect(rowsOf(file)).toBe(901);
    },
  );

  it(
    'truncates once writers pause a WAL found past the restart threshold at start-up (after a SIGKILL), instead of starting it over again at every look',
    { timeout: 30_000 },
    async () => {
      const { file, db } = freshDatabase();
      const limit = 256 * 1024;
      const insert = insertDocument(db);
      // What a killed server leaves, or start-up writes make before anyone edits: a WAL holding
      // far more than the restart threshold, every frame written outside the gate.
      const burst = (prefix: string) =>
        db.transaction(() => {
          for (let i = 0; i < 300; i++) insert.run(`${prefix}-${i}`, 'x'.repeat(2000));
        })();
      burst('before-start');
      expect(walSize(file)).toBeGreaterThan(2 * limit);
      const checkpointer = started(db, file, {
        lookMs: 10,
        intervalMs: 10,
        restartAboveBytes: limit,
        truncateIdleAboveBytes: 64 * 1024,
        idleMs: 50,
      });
      // Nobody writes: SQLite still counts the copied frames until the next write, and a RESTART
      // at every look kept the idle TRUNCATE from ever running (the file stayed as it was).
      await expect.poll(() => checkpointer.truncations, { timeout: 10_000 }).toBe(1);
      expect(walSize(file)).toBe(0);
      expect(checkpointer.restarts).toBeLessThanOrEqual(1);
      // The same once writes that bypass the gate stop past the threshold while the server runs.
      burst('bypass');
      await expect.poll(() => checkpointer.truncations, { timeout: 10_000 }).toBe(2);
      expect(walSize(file)).toBe(0);
      expect(checkpointer.restarts).toBeLessThanOrEqual(2);
      expect(commitGateFor(file).walBehind()).toBe(false);
      await checkpointer.stop();
      db.close();
      expect(rowsOf(file)).toBe(600);
    },
  );

  it(
    'tries a TRUNCATE again, idle period after idle period, while a reader keeps it from finishing, and truncates once the reader is gone',
    { timeout: 30_000 },
    async () => {
      const { file, db } = freshDatabase();
      const insert = insertDocument(db);
      // A read transaction left open (another connection) from before the writes.
      const reader = new Database(file);
      reader.exec('BEGIN');
      reader.prepare('SELECT COUNT(*) FROM documents').get();
      for (let i = 0; i < 300; i++) insert.run(`doc-${i}`, 'x'.repeat(500));
      const busyBefore = walLockedCheckpoints.truncate.busy;
      const checkpointer = started(db, file, {
        lookMs: 10,
        intervalMs: 10,
        restartAboveBytes: 64 * 2 ** 20,
        truncateIdleAboveBytes: 64 * 1024,
        idleMs: 50,
      });
      await expect
        .poll(() => walLockedCheckpoints.truncate.busy - busyBefore, { timeout: 10_000 })
        .toBeGreaterThanOrEqual(3);
      expect(checkpointer.truncations).toBe(0);
      expect(checkpointer.lastLocked).toMatchObject({ mode: 'TRUNCATE', busy: true });
      reader.exec('COMMIT');
      reader.close();
      await expect.poll(() => checkpointer.truncations, { timeout: 10_000 }).toBe(1);
      expect(walSize(file)).toBe(0);
      await checkpointer.stop();
      db.close();
    },
  );

  it(
    'tells the background queue it is behind while a reader keeps the WAL from starting over, and no longer once it has',
    { timeout: 40_000 },
    async () => {
      const { file, db } = freshDatabase();
      const limit = 64 * 1024;
      const checkpointer = started(db, file, { lookMs: 10, restartAboveBytes: limit, idleMs: 60_000 });
      const gate = commitGateFor(file);
      const insert = insertDocument(db);
      // A reader in an open transaction (another connection): no checkpoint may start the WAL over.
      const reader = new Database(file);
      reader.exec('BEGIN');
      reader.prepare('SELECT COUNT(*) FROM documents').get();
      let written = 0;
      while (!gate.walBehind()) {
        gatedCommit(gate, () => insert.run(`doc-${written++}`, 'x'.repeat(500)));
        await new Promise((resolve) => setTimeout(resolve, 1));
      }
      expect(walSize(file)).toBeGreaterThan(3 * limit);
      reader.exec('COMMIT');
      reader.close();
      await expect.poll(() => gate.walBehind(), { timeout: 10_000 }).toBe(false);
      expect(checkpointer.restarts).toBeGreaterThanOrEqual(1);
      await checkpointer.stop();
      db.close();
      expect(rowsOf(file)).toBe(written);
    },
  );

  it(
    'keeps the rule of 2026-11-29 for the benchmark: TRUNCATE past the threshold, without the gate',
    { timeout: 40_000 },
    async () => {
      const { file, db } = freshDatabase();
      const limit = 256 * 1024;
      const checkpointer = started(db, file, { lookMs: 10, restartAboveBytes: limit, strategy: 'truncate' });
      const insert = insertDocument(db);
      let written = 0;
      await expect
        .poll(
          async () => {
            for (let i = 0; i < 20; i++) {
              insert.run(`doc-${written++}`, 'x'.repeat(500));
              await new Promise((resolve) => setTimeout(resolve, 1));
            }
            return checkpointer.truncations;
          },
          { timeout: 30_000, interval: 1 },
        )
        .toBeGreaterThanOrEqual(2);
      expect(checkpointer.restarts).toBe(0);
      expect(checkpointer.lastLocked).toMatchObject({ mode: 'TRUNCATE', gated: false });
      await checkpointer.stop();
      db.close();
      expect(rowsOf(file)).toBe(written);
    },
  );

  it('never resets the WAL with a threshold of 0 (the behaviour before issue 17)', async () => {
    const { file, db } = freshDatabase();
    const checkpointer = started(db, file, { intervalMs: 10, lookMs: 10, restartAboveBytes: 0, idleMs: 0 });
    const insert = insertDocument(db);
    for (let i = 0; i < 50; i++) insert.run(`doc-${i}`, 't');
    await expect.poll(() => checkpointer.lastCheckpoint?.checkpointed ?? 0).toBeGreaterThan(0);
    expect(checkpointer.lastLocked).toBeUndefined();
    expect(checkpointer.restarts + checkpointer.truncations).toBe(0);
    await checkpointer.stop();
    db.close();
  });
});

describe('the commit gate', () => {
  it('lets a commit through at once when no checkpoint holds the lock, and marks it in progress', () => {
    const gate = new CommitGate();
    gate.notePending();
    expect(gate.enter()).toBe(0);
    expect(Atomics.load(gate.words, 0)).toBe(1 | 2);
    gate.leave();
    expect(Atomics.load(gate.words, 0)).toBe(0);
    expect(Atomics.load(gate.words, 1)).toBe(1);
  });

  it('makes a commit wait while the worker holds the lock, and gives up after its timeout rather than hang', () => {
    const gate = new CommitGate();
    Atomics.or(gate.words, 0, 4);
    expect(gate.checkpointing()).toBe(true);
    expect(gate.enter(30)).toBeGreaterThanOrEqual(25);
    gate.leave();
    // A worker that stopped while holding it: the checkpointer releases the gate.
    gate.release();
    expect(gate.checkpointing()).toBe(false);
    expect(gate.enter(30)).toBe(0);
    gate.leave();
  });

  it('gives one gate per database file, whatever the path spelling', () => {
    expect(commitGateFor('/tmp/a/../a/essaim.sqlite')).toBe(commitGateFor('/tmp/a/essaim.sqlite'));
    expect(commitGateFor('/tmp/b/essaim.sqlite')).not.toBe(commitGateFor('/tmp/a/essaim.sqlite'));
  });
});

describe('duration tallies', () => {
  it('counts durations into buckets and bounds their quantiles from above', () => {
    const tally = durationTally();
    for (let i = 0; i < 98; i++) addDuration(tally, 0.1);
    addDuration(tally, 7);
    addDuration(tally, 300);
    expect(tally.count).toBe(100);
    expect(tally.longestMs).toBe(300);
    expect(tally.buckets[0]).toBe(98);
    expect(tallyQuantileMs(tally, 0.5)).toBe(0.25);
    expect(tallyQuantileMs(tally, 0.99)).toBe(10);
    expect(tallyQuantileMs(tally, 1)).toBe(300);
    expect(tallyQuantileMs(durationTally(), 0.99)).toBe(0);
  });
});
