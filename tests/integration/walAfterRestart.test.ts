import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { writableDocument } from '../support/accounts.js';
import { connectAs, synced, type NodeClient } from '../support/provider.js';
import { repoRoot, spawnServer, tempDataDir, type ChildServer } from '../support/server.js';

/**
 * Issue 17: the WAL is truncated once writers pause (`WAL_TRUNCATE_IDLE_ABOVE_BYTES`, 4 MiB, after
 * `WAL_IDLE_MS`, 1 s, without a write: server/src/storage/checkpointer.ts). A tester found it left
 * at 41.7 MB for good after a restart that followed a SIGKILL, until the next edit: the WAL held
 * more frames than the restart threshold (16 MiB), every one copied by the checkpoint worker; SQLite
 * starts such a WAL over only at the next write, so the worker started it over (RESTART) again at
 * every look, and that RESTART kept the idle TRUNCATE from ever running.
 */

/** What the idle TRUNCATE brings the WAL under (`WAL_TRUNCATE_IDLE_ABOVE_BYTES`). */
const TRUNCATE_ABOVE = 4 * 2 ** 20;
/** The restart threshold (`WAL_RESTART_ABOVE_BYTES`): the tester's WAL held more frames than this. */
const RESTART_ABOVE = 16 * 2 ** 20;

const open: NodeClient[] = [];
const children: ChildServer[] = [];

afterEach(() => {
  for (const c of open.splice(0)) c.destroy();
  for (const child of children.splice(0)) child.process.kill('SIGKILL');
});

const walBytes = (dataDir: string): number => {
  try {
    return fs.statSync(path.join(dataDir, 'essaim.sqlite-wal')).size;
  } catch {
    return 0;
  }
};

/**
 * A process that writes `mebibytes` MiB into the database in one transaction, without SQLite's
 * automatic checkpoint (as a server's burst of writes between two checkpoints), then closes its
 * connection or is killed with SIGKILL before it can (and leaves a WAL holding that many MiB of
 * frames, none copied). The rows are ballast under keys of the settings table nobody reads.
 */
async function outsideWriter(dataDir: string, mebibytes: number, end: 'SIGKILL' | 'close'): Promise<void> {
  const driver = createRequire(path.join(repoRoot, 'server/package.json')).resolve('better-sqlite3');
  const script = `
    const Database = require(${JSON.stringify(driver)});
    const db = new Database(${JSON.stringify(path.join(dataDir, 'essaim.sqlite'))});
    db.pragma('journal_mode = WAL');
    db.pragma('wal_autocheckpoint = 0');
    db.pragma('busy_timeout = 5000');
    const insert = db.prepare('INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)');
    db.transaction(() => {
      for (let i = 0; i < ${mebibytes}; i++) insert.run('test-ballast-' + i, 'x'.repeat(2 ** 20));
    })();
    if (${JSON.stringify(end)} === 'SIGKILL') process.kill(process.pid, 'SIGKILL');
    db.close();
  `;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exit = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  expect({ ...exit, stderr }).toEqual(
    end === 'SIGKILL' ? { code: null, signal: 'SIGKILL', stderr: '' } : { code: 0, signal: null, stderr: '' },
  );
}

/** Starts the built server on `dataDir` as a child process (SIGKILLed after the test). */
async function serverOn(dataDir: string): Promise<ChildServer> {
  const server = await spawnServer(dataDir);
  children.push(server);
  return server;
}

describe('the WAL after a restart', () => {
  it('is truncated within seconds, with no write at all, when the server starts on a WAL holding more than the restart threshold left by a SIGKILL', async () => {
    const dataDir = tempDataDir('essaim-wal-restart');
    const first = await serverOn(dataDir);
    await writableDocument(first.url);
    first.process.kill('SIGTERM');
    expect(await first.exited).toBe(0);

    await outsideWriter(dataDir, 24, 'SIGKILL');
    expect(walBytes(dataDir)).toBeGreaterThan(RESTART_ABOVE);

    await serverOn(dataDir);
    // Nobody connects and nothing is written: only the checkpoint worker touches the WAL.
    await expect.poll(() => walBytes(dataDir), { timeout: 15_000 }).toBeLessThan(TRUNCATE_ABOVE);
  });

  it(
    'is truncated within seconds, with no write at all, after the server was SIGKILLed in the middle of edits',
    { timeout: 90_000 },
    async () => {
      const dataDir = tempDataDir('essaim-wal-restart');
      const server = await serverOn(dataDir);
      const { admin, name } = await writableDocument(server.url);
      const writer = connectAs(admin, server.wsUrl, name);
      open.push(writer);
      const text = await synced(writer);
      // Big insertions, one every few milliseconds: the WAL passes the idle threshold quickly.
      const paragraph = 'Maraudes sociales en Gironde, accueil de jour et veille sociale. '.repeat(150);
      const typing = setInterval(() => text.insert(text.length, paragraph), 5);
      try {
        await expect
          .poll(() => walBytes(dataDir), { timeout: 60_000 })
          .toBeGreaterThan(TRUNCATE_ABOVE + 2 ** 20);
      } finally {
        server.process.kill('SIGKILL');
        clearInterval(typing);
      }
      await server.exited;
      writer.destroy();
      expect(walBytes(dataDir)).toBeGreaterThan(TRUNCATE_ABOVE);

      await serverOn(dataDir);
      await expect.poll(() => walBytes(dataDir), { timeout: 15_000 }).toBeLessThan(TRUNCATE_ABOVE);
    },
  );

  it('is truncated once another process’s burst of writes stops, and is under the idle threshold within seconds after a SIGTERM and a clean start', async () => {
    const dataDir = tempDataDir('essaim-wal-restart');
    const server = await serverOn(dataDir);
    await writableDocument(server.url);
    // Another process (the CLI) writes a burst past the restart threshold while the server runs:
    // once it stops, the running server truncates the WAL too.
    await outsideWriter(dataDir, 24, 'close');
    await expect.poll(() => walBytes(dataDir), { timeout: 15_000 }).toBeLessThan(TRUNCATE_ABOVE);
    await outsideWriter(dataDir, 24, 'close');
    server.process.kill('SIGTERM');
    expect(await server.exited).toBe(0);

    await serverOn(dataDir);
    await expect.poll(() => walBytes(dataDir), { timeout: 15_000 }).toBeLessThan(TRUNCATE_ABOVE);
  });
});
