import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../logger.js';
import { WalCheckpointer } from './checkpointer.js';
import { openDatabase } from './db.js';

describe('WAL checkpoints off the event loop', () => {
  it('copies the WAL into the database from a worker while the main connection keeps writing', async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'essaim-ckpt-')), 'essaim.sqlite');
    const db = openDatabase(file, { synchronous: 'NORMAL' });
    const checkpointer = new WalCheckpointer(db, file, createLogger('silent'), 20);
    checkpointer.start();
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
    const insert = db.prepare(
      "INSERT INTO documents (id, kind, title, created_at, updated_at) VALUES (?, 'fiche', 't', 'x', 'x')",
    );
    for (let i = 0; i < 200; i++) insert.run(`doc-${i}`);
    await expect
      .poll(() => {
        const last = checkpointer.lastCheckpoint;
        return last !== undefined && last.log > 0 && last.checkpointed === last.log;
      })
      .toBe(true);
    await checkpointer.stop();
    db.close();
    // Everything is readable from a fresh connection after the stop.
    const again = openDatabase(file, { synchronous: 'NORMAL' });
    expect(again.prepare('SELECT COUNT(*) AS n FROM documents').get()).toEqual({ n: 200 });
    again.close();
  });

  it('keeps the WAL bounded while the main connection never stops writing, and no frame is lost', async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'essaim-ckpt-')), 'essaim.sqlite');
    const db = openDatabase(file, { synchronous: 'NORMAL' });
    const limit = 256 * 1024;
    const checkpointer = new WalCheckpointer(db, file, createLogger('silent'), 10, limit);
    checkpointer.start();
    const insert = db.prepare(
      "INSERT INTO documents (id, kind, title, created_at, updated_at) VALUES (?, 'fiche', ?, 'x', 'x')",
    );
    const wal = `${file}-wal`;
    let written = 0;
    // A commit every millisecond or so, as the group commit does under load: PASSIVE checkpoints
    // alone never find the pause they need to start the WAL over (it grows by megabytes here).
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
      .toBeGreaterThanOrEqual(3);
    // Once the writing stops, the WAL goes back under the threshold.
    await expect.poll(() => fs.statSync(wal).size, { timeout: 10_000 }).toBeLessThanOrEqual(limit);
    await checkpointer.stop();
    db.close();
    const again = openDatabase(file, { synchronous: 'NORMAL' });
    expect(again.prepare('SELECT COUNT(*) AS n FROM documents').get()).toEqual({ n: written });
    again.close();
  });

  it('never resets the WAL with a threshold of 0 (the behaviour before issue 17)', async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'essaim-ckpt-')), 'essaim.sqlite');
    const db = openDatabase(file, { synchronous: 'NORMAL' });
    const checkpointer = new WalCheckpointer(db, file, createLogger('silent'), 10, 0);
    checkpointer.start();
    const insert = db.prepare(
      "INSERT INTO documents (id, kind, title, created_at, updated_at) VALUES (?, 'fiche', 't', 'x', 'x')",
    );
    for (let i = 0; i < 50; i++) insert.run(`doc-${i}`);
    await expect.poll(() => checkpointer.lastCheckpoint?.checkpointed ?? 0).toBeGreaterThan(0);
    expect(checkpointer.lastCheckpoint?.truncate).toBeUndefined();
    expect(checkpointer.truncations).toBe(0);
    await checkpointer.stop();
    db.close();
  });
});
