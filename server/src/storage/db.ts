import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { legacyStorageForBench } from './benchLegacy.js';
import { migrations as defaultMigrations, type Migration } from './migrations.js';

export type Db = Database.Database;

/**
 * Size (bytes) the WAL file is cut back to whenever SQLite starts it over: 64 MiB. SQLite keeps a
 * WAL file at its high-water mark otherwise (https://sqlite.org/pragma.html#pragma_journal_size_limit).
 */
export const JOURNAL_SIZE_LIMIT_BYTES = 64 * 2 ** 20;

export interface OpenDatabaseOptions {
  /** `NORMAL` in WAL mode survives a process crash; `FULL` also survives a power loss. */
  synchronous: 'NORMAL' | 'FULL';
  migrations?: Migration[];
}

/**
 * Opens (creating folder and file when missing) and migrates the database. Every process that
 * touches `DATA_DIR` (server, CLI, tests) goes through here, so pragmas never differ.
 */
export function openDatabase(file: string, options: OpenDatabaseOptions): Db {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${options.synchronous}`);
  db.pragma('foreign_keys = ON');
  // Another process (the CLI) may hold the write lock for a moment: wait instead of failing.
  db.pragma('busy_timeout = 5000');
  if (!legacyStorageForBench()) db.pragma(`journal_size_limit = ${JOURNAL_SIZE_LIMIT_BYTES}`);
  migrate(db, options.migrations ?? defaultMigrations);
  return db;
}

/** Applies the migrations newer than the database's `user_version`, each in its own transaction. */
export function migrate(db: Db, migrations: Migration[]): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  const pending = migrations.filter((m) => m.version > current).sort((a, b) => a.version - b.version);
  for (const migration of pending) {
    db.transaction(() => {
      db.exec(migration.sql);
      db.pragma(`user_version = ${migration.version}`);
    }).immediate();
  }
}
