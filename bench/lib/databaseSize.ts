import fs from 'node:fs';
import type Database from 'better-sqlite3';

/** The size of an SQLite database on disk, once its write-ahead log is folded into it. */
export interface DatabaseSize {
  /** The main file, after `PRAGMA wal_checkpoint(TRUNCATE)`. */
  fileBytes: number;
  /** The write-ahead log before the checkpoint (its high-water mark: SQLite reuses it, never shrinks it). */
  walBytesBefore: number;
  /** What is left in `-wal` after the checkpoint (0 unless a reader kept the checkpoint from finishing). */
  walBytes: number;
  /** Checkpoints that could not complete (the server's checkpoint worker was running one) before one did. */
  checkpointBusy: number;
  pageSize: number;
  /** Pages in use (the file's pages minus the free list: rows deleted, e.g. thinned versions). */
  usedBytes: number;
  freeBytes: number;
  /** Bytes of pages per table and index (SQLite's `dbstat`), largest first; only those over 1 page. */
  tables: Record<string, number>;
}

/**
 * Folds the write-ahead log into the main file (`wal_checkpoint(TRUNCATE)` on `db`, a connection
 * to `file`: the server's own, so nothing else must be writing; tried again every 50 ms, up to 5 s,
 * while another checkpoint holds it back) and measures the file, its free pages and what each
 * table occupies. Sizes in bytes.
 */
export async function checkpointAndMeasure(db: Database.Database, file: string): Promise<DatabaseSize> {
  const wal = `${file}-wal`;
  const walBytesBefore = fs.existsSync(wal) ? fs.statSync(wal).size : 0;
  let busy = 0;
  for (;;) {
    const [checkpoint] = db.pragma('wal_checkpoint(TRUNCATE)') as { busy: number }[];
    if (!checkpoint?.busy || busy >= 100) break;
    busy++;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const pageSize = db.pragma('page_size', { simple: true }) as number;
  const pages = db.pragma('page_count', { simple: true }) as number;
  const free = db.pragma('freelist_count', { simple: true }) as number;
  const rows = db
    .prepare<[], { name: string; bytes: number }>(
      'SELECT name, SUM(pgsize) AS bytes FROM dbstat GROUP BY name ORDER BY bytes DESC',
    )
    .all();
  const tables: Record<string, number> = {};
  for (const row of rows) if (row.bytes > pageSize) tables[row.name] = row.bytes;
  return {
    fileBytes: fs.statSync(file).size,
    walBytesBefore,
    walBytes: fs.existsSync(wal) ? fs.statSync(wal).size : 0,
    checkpointBusy: busy,
    pageSize,
    usedBytes: (pages - free) * pageSize,
    freeBytes: free * pageSize,
    tables,
  };
}

/** What one document occupies, blob by blob (bytes of the stored values, without SQLite's pages). */
export interface DocumentBytes {
  /** The compacted live state (`document_states.state`, Yjs v1). */
  stateBytes: number;
  /** The state the last compaction replaced, kept as a fallback. */
  previousStateBytes: number;
  /** Update-log rows not compacted yet, and their bytes. */
  logRows: number;
  logBytes: number;
  /** Versions kept, their states' total (Yjs v2) and the largest one. */
  versions: number;
  versionsBytes: number;
  largestVersionBytes: number;
  /** Versions kept per kind. */
  versionsByKind: Record<string, number>;
  /** Who deleted what (`document_deletions`, JSON), folded from the log at each compaction. */
  deletionsBytes: number;
}

/** Reads {@link DocumentBytes} of `documentId` from `db`. */
export function documentBytes(db: Database.Database, documentId: string): DocumentBytes {
  const one = <T>(sql: string): T => db.prepare<[string], T>(sql).get(documentId) as T;
  const state = one<{ s: number | null; p: number | null } | undefined>(
    'SELECT LENGTH(state) AS s, LENGTH(previous_state) AS p FROM document_states WHERE document_id = ?',
  );
  const log = one<{ n: number; b: number | null }>(
    'SELECT COUNT(*) AS n, SUM(LENGTH(data)) AS b FROM document_updates WHERE document_id = ?',
  );
  const versions = one<{ n: number; b: number | null; m: number | null }>(
    `SELECT COUNT(*) AS n, SUM(LENGTH(s.state)) AS b, MAX(LENGTH(s.state)) AS m
     FROM document_versions v JOIN document_version_states s ON s.version_id = v.id WHERE v.document_id = ?`,
  );
  const kinds = db
    .prepare<[string], { kind: string; n: number }>(
      'SELECT kind, COUNT(*) AS n FROM document_versions WHERE document_id = ? GROUP BY kind',
    )
    .all(documentId);
  const deletions = one<{ b: number | null }>(
    'SELECT SUM(LENGTH(ranges)) AS b FROM document_deletions WHERE document_id = ?',
  );
  return {
    stateBytes: state?.s ?? 0,
    previousStateBytes: state?.p ?? 0,
    logRows: log.n,
    logBytes: log.b ?? 0,
    versions: versions.n,
    versionsBytes: versions.b ?? 0,
    largestVersionBytes: versions.m ?? 0,
    versionsByKind: Object.fromEntries(kinds.map((k) => [k.kind, k.n])),
    deletionsBytes: deletions.b ?? 0,
  };
}
