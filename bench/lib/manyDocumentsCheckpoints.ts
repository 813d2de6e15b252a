/**
 * Micro-measure of what the WAL checkpoints cost the group commits (issue 17), without the load
 * generator: in one process, the server's durable path (`collab/durableUpdates.ts` over
 * `sqliteCollabStore`, the update log of a fresh database file with `BENCH_CKPT_DOCS` (400) fiches)
 * records `BENCH_CKPT_RATE` (800) updates a second (60-byte updates, one or two per group commit,
 * one commit per timer turn) for `BENCH_CKPT_SECONDS` (30) s while the checkpoint worker
 * (`storage/checkpointer.ts`) keeps the WAL bounded, once per strategy, `BENCH_CKPT_REPEAT` (2)
 * times alternating: `restart` (RESTART past 16 MiB of frames through the commit gate, TRUNCATE
 * once writers pause: the users' server) and `truncate` (TRUNCATE past 32 MiB of WAL file without
 * the gate: the rule of 2026-11-29). Reports per run the group commits' wall time (count, mean,
 * upper bounds of p50 / p99 / p99.9, longest, how many over 1 / 5 / 10 / 25 ms), the checkpoints
 * that held the write lock (count, mean, longest) and the largest WAL file, with the CPU pressure.
 * Run: `npx tsx --conditions=@essaim/source bench/lib/manyDocumentsCheckpoints.ts`.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { documentName } from '@essaim/protocol';
import type { CollabContext } from '../../server/src/collab/context.js';
import { durableUpdates, groupCommitTimes } from '../../server/src/collab/durableUpdates.js';
import { createLogger } from '../../server/src/logger.js';
import {
  commitGateFor,
  DURATION_BUCKETS_MS,
  durationTally,
  tallyQuantileMs,
  walLockedCheckpoints,
  WalCheckpointer,
  type DurationTally,
} from '../../server/src/storage/checkpointer.js';
import { sqliteCollabStore } from '../../server/src/storage/collabStore.js';
import { openDatabase } from '../../server/src/storage/db.js';
import { envInt } from './env.js';

const DOCS = envInt('BENCH_CKPT_DOCS', 400);
const RATE = envInt('BENCH_CKPT_RATE', 800);
const SECONDS = envInt('BENCH_CKPT_SECONDS', 30);
const REPEAT = envInt('BENCH_CKPT_REPEAT', 2);

type Strategy = 'restart' | 'truncate';

const pressure = (): string => fs.readFileSync('/proc/pressure/cpu', 'utf8').split('\n')[0] ?? '';
const round = (n: number, digits = 2): number => Math.round(n * 10 ** digits) / 10 ** digits;

function diff(a: DurationTally, b: DurationTally): DurationTally {
  return {
    count: b.count - a.count,
    totalMs: b.totalMs - a.totalMs,
    longestMs: b.longestMs,
    buckets: b.buckets.map((n, i) => n - (a.buckets[i] ?? 0)),
  };
}

const over = (t: DurationTally, ms: number): number =>
  t.buckets.slice(DURATION_BUCKETS_MS.findIndex((b) => b === ms) + 1).reduce((a, b) => a + b, 0);

async function runOnce(strategy: Strategy): Promise<Record<string, unknown>> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'essaim-ckpt-bench-'));
  const file = path.join(dir, 'essaim.sqlite');
  const db = openDatabase(file, { synchronous: 'NORMAL' });
  const insert = db.prepare(
    "INSERT INTO documents (id, kind, title, created_at, updated_at) VALUES (?, 'fiche', 't', 'x', 'x')",
  );
  const names = Array.from({ length: DOCS }, () => {
    const id = randomUUID();
    insert.run(id);
    return documentName(id);
  });
  db.pragma('wal_checkpoint(TRUNCATE)');
  const checkpointer = new WalCheckpointer(db, file, createLogger('silent'), { strategy });
  checkpointer.start();
  const store = sqliteCollabStore(db);
  const durable = durableUpdates({ store, ...(strategy === 'restart' ? { gate: commitGateFor(file) } : {}) });
  // The process's tallies start afresh for each run (their longest is not a difference).
  Object.assign(groupCommitTimes, durationTally());
  Object.assign(walLockedCheckpoints.restart, { busy: 0, ...durationTally() });
  Object.assign(walLockedCheckpoints.truncate, { busy: 0, ...durationTally() });
  const commitsBefore = structuredClone(groupCommitTimes);
  const lockedBefore = structuredClone(walLockedCheckpoints);
  const end = performance.now() + SECONDS * 1000;
  const started = performance.now();
  let updates = 0;
  let largestWal = 0;
  const update = new Uint8Array(60).fill(7);
  while (performance.now() < end) {
    // Behind schedule: two updates in this commit, as a busy turn does.
    const due = Math.floor(((performance.now() - started) / 1000) * RATE) - updates;
    for (let i = 0; i < Math.min(2, Math.max(1, due)); i++) {
      durable.record({
        documentName: names[updates % DOCS] as string,
        update,
        transactionOrigin: null,
        context: {} as CollabContext,
      });
      updates++;
    }
    durable.commitBeforeSend();
    if (updates % 100 < 2) largestWal = Math.max(largestWal, fs.statSync(`${file}-wal`).size);
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  const commits = diff(commitsBefore, groupCommitTimes);
  const lockedRestart = diff(lockedBefore.restart, walLockedCheckpoints.restart);
  const lockedTruncate = diff(lockedBefore.truncate, walLockedCheckpoints.truncate);
  await checkpointer.stop();
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
  const locked = (t: DurationTally) => ({
    count: t.count,
    meanMs: round(t.totalMs / Math.max(1, t.count)),
    longestMs: round(t.count > 0 ? t.longestMs : 0, 1),
  });
  return {
    strategy,
    updatesPerSecond: Math.round(updates / SECONDS),
    groupCommits: {
      count: commits.count,
      meanMs: round(commits.totalMs / Math.max(1, commits.count), 3),
      p50AtMostMs: tallyQuantileMs(commits, 0.5),
      p99AtMostMs: tallyQuantileMs(commits, 0.99),
      p999AtMostMs: tallyQuantileMs(commits, 0.999),
      longestMs: round(commits.longestMs, 1),
      over1: over(commits, 1),
      over5: over(commits, 5),
      over10: over(commits, 10),
      over25: over(commits, 25),
    },
    restart: { ...locked(lockedRestart), busy: walLockedCheckpoints.restart.busy },
    truncate: locked(lockedTruncate),
    largestWalMiB: round(largestWal / 2 ** 20, 1),
    pressure: pressure(),
  };
}

for (let r = 0; r < REPEAT; r++) {
  const order: Strategy[] = r % 2 === 0 ? ['restart', 'truncate'] : ['truncate', 'restart'];
  for (const strategy of order) {
    const result = await runOnce(strategy);
    process.stdout.write(`${JSON.stringify(result)}\n`);
  }
}
