import type { ReuseSignalStatus } from '@essaim/protocol';
import type { Db } from './db.js';

/** A reuse signal as stored (issue 13). */
export interface ReuseSignalRecord {
  id: string;
  documentId: string;
  documentTitle: string;
  espaceId: string | null;
  territoire: string;
  structureType: string;
  structure: string;
  email: string | null;
  message: string;
  status: ReuseSignalStatus;
  createdAt: string;
  moderatedAt: string | null;
}

export type NewReuseSignal = Omit<
  ReuseSignalRecord,
  'documentTitle' | 'espaceId' | 'status' | 'moderatedAt'
> & {
  addressHash: string;
};

/** Reuse signals: held for moderation, approved ones shown and counted. */
export interface SignalRepository {
  insert(signal: NewReuseSignal): void;
  /** Signals sent from one address (keyed hash) since `since` (ISO 8601): the flood cap. */
  countFrom(addressHash: string, since: string): number;
  /** Signals of an espace's documents in one status, newest first. */
  forEspace(espaceId: string, status: ReuseSignalStatus, limit: number): ReuseSignalRecord[];
  findById(id: string): ReuseSignalRecord | undefined;
  /** Moves a signal out of `en_attente`; false when it was not waiting (already moderated). */
  moderate(
    id: string,
    status: Exclude<ReuseSignalStatus, 'en_attente'>,
    by: string | null,
    at: string,
  ): boolean;
  /** Approved signals of a document, newest first (shown on its portal page). */
  approvedFor(documentId: string): ReuseSignalRecord[];
  /** Approved signals per document, for these documents (catalogue counts). */
  approvedCounts(documentIds: readonly string[]): Map<string, number>;
  /**
   * Approved signals per territory where the practice is reused (the signal's `territoire`: map
   * counts), of documents on the portal (a visible publication, not archived), optionally of one
   * espace.
   */
  approvedByTerritory(espaceId?: string): Map<string, number>;
}

interface Row {
  id: string;
  document_id: string;
  document_title: string;
  espace_id: string | null;
  territoire: string;
  structure_type: string;
  structure: string;
  email: string | null;
  message: string;
  status: ReuseSignalStatus;
  created_at: string;
  moderated_at: string | null;
}

const SELECT = `SELECT r.*, d.title AS document_title, d.espace_id FROM reuse_signals r
  JOIN documents d ON d.id = r.document_id`;

const fromRow = (r: Row): ReuseSignalRecord => ({
  id: r.id,
  documentId: r.document_id,
  documentTitle: r.document_title,
  espaceId: r.espace_id,
  territoire: r.territoire,
  structureType: r.structure_type,
  structure: r.structure,
  email: r.email,
  message: r.message,
  status: r.status,
  createdAt: r.created_at,
  moderatedAt: r.moderated_at,
});

export function sqliteSignalRepository(db: Db): SignalRepository {
  const q = {
    insert: db.prepare(
      `INSERT INTO reuse_signals (id, document_id, territoire, structure_type, structure, email,
         message, address_hash, created_at)
       VALUES (@id, @documentId, @territoire, @structureType, @structure, @email, @message,
         @addressHash, @createdAt)`,
    ),
    countFrom: db.prepare<[string, string], { n: number }>(
      'SELECT COUNT(*) AS n FROM reuse_signals WHERE address_hash = ? AND created_at >= ?',
    ),
    forEspace: db.prepare<[string, string, number], Row>(
      `${SELECT} WHERE d.espace_id = ? AND r.status = ? ORDER BY r.created_at DESC, r.rowid DESC LIMIT ?`,
    ),
    byId: db.prepare<[string], Row>(`${SELECT} WHERE r.id = ?`),
    moderate: db.prepare<[string, string | null, string, string]>(
      `UPDATE reuse_signals SET status = ?, moderated_by = ?, moderated_at = ?
       WHERE id = ? AND status = 'en_attente'`,
    ),
    approvedFor: db.prepare<[string], Row>(
      `${SELECT} WHERE r.document_id = ? AND r.status = 'approuve' ORDER BY r.created_at DESC`,
    ),
    counts: db.prepare<[string], { document_id: string; n: number }>(
      `SELECT document_id, COUNT(*) AS n FROM reuse_signals
       WHERE status = 'approuve' AND document_id IN (SELECT value FROM json_each(?)) GROUP BY document_id`,
    ),
    byTerritory: db.prepare<{ espaceId: string | null }, { territoire: string; n: number }>(
      `SELECT r.territoire, COUNT(*) AS n FROM reuse_signals r JOIN documents d ON d.id = r.document_id
       WHERE r.status = 'approuve' AND d.archived_at IS NULL
         AND (@espaceId IS NULL OR d.espace_id = @espaceId)
         AND EXISTS (SELECT 1 FROM publications p WHERE p.document_id = d.id AND p.hidden_at IS NULL)
       GROUP BY r.territoire`,
    ),
  };
  return {
    insert: (signal) => {
      q.insert.run(signal);
    },
    countFrom: (addressHash, since) => q.countFrom.get(addressHash, since)?.n ?? 0,
    forEspace: (espaceId, status, limit) => q.forEspace.all(espaceId, status, limit).map(fromRow),
    findById: (id) => {
      const row = q.byId.get(id);
      return row ? fromRow(row) : undefined;
    },
    moderate: (id, status, by, at) => q.moderate.run(status, by, at, id).changes === 1,
    approvedFor: (documentId) => q.approvedFor.all(documentId).map(fromRow),
    approvedCounts: (documentIds) =>
      new Map(q.counts.all(JSON.stringify(documentIds)).map((r) => [r.document_id, r.n])),
    approvedByTerritory: (espaceId) =>
      new Map(q.byTerritory.all({ espaceId: espaceId ?? null }).map((r) => [r.territoire, r.n])),
  };
}
