import type { Db } from './db.js';

/** Instance-wide key/value settings shared by every process on the same database. */
export interface SettingsRepository {
  get(key: string): string | undefined;
  /** Returns the stored value, storing `create()` first if there was none (atomic). */
  getOrCreate(key: string, create: () => string): string;
  set(key: string, value: string): void;
}

export function sqliteSettingsRepository(db: Db): SettingsRepository {
  const get = db.prepare<[string], { value: string }>('SELECT value FROM settings WHERE key = ?');
  const upsert = db.prepare<[string, string]>(
    'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
  );
  const insert = db.prepare<[string, string]>('INSERT OR IGNORE INTO settings (key, value) VALUES (?, ?)');
  const getOrCreate = db.transaction((key: string, create: () => string) => {
    insert.run(key, create());
    return get.get(key)?.value as string;
  });
  return {
    get: (key) => get.get(key)?.value,
    getOrCreate: (key, create) => get.get(key)?.value ?? getOrCreate.immediate(key, create),
    set: (key, value) => void upsert.run(key, value),
  };
}
