import type { Db } from './db.js';

/** Uploaded files (by content hash) and the documents they were uploaded into. */
export interface FileRepository {
  /** Placeholder: the uploads work fills this in. */
  readonly db: Db;
}

export function sqliteFileRepository(db: Db): FileRepository {
  return { db };
}
