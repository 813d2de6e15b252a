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
});
