import type { Db } from './db.js';

export interface AuditEntry {
  id: number;
  at: string;
  actorId: string | null;
  actorName: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  details: Record<string, unknown> | null;
  ip: string | null;
}

export type NewAuditEntry = Omit<AuditEntry, 'id' | 'actorName'>;

/** Append-only record of security-relevant events. */
export interface AuditRepository {
  /** Appends an entry; returns its id. */
  append(entry: NewAuditEntry): number;
  /** Replaces the details of an entry (the running count of an aggregated flood row). */
  setDetails(id: number, details: Record<string, unknown>): void;
  /** Most recent first; `before` pages backwards by id. */
  list(limit: number, before?: number): AuditEntry[];
}

interface Row {
  id: number;
  at: string;
  actor_id: string | null;
  actor_name: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  details: string | null;
  ip: string | null;
}

export function sqliteAuditRepository(db: Db): AuditRepository {
  const insert = db.prepare(
    `INSERT INTO audit_log (at, actor_id, action, target_type, target_id, details, ip)
     VALUES (@at, @actorId, @action, @targetType, @targetId, @details, @ip)`,
  );
  const list = db.prepare<[number, number], Row>(
    `SELECT a.*, u.name AS actor_name FROM audit_log a LEFT JOIN users u ON u.id = a.actor_id
     WHERE a.id < ? ORDER BY a.id DESC LIMIT ?`,
  );
  const setDetails = db.prepare<[string, number]>('UPDATE audit_log SET details = ? WHERE id = ?');
  return {
    append: (e) =>
      Number(insert.run({ ...e, details: e.details ? JSON.stringify(e.details) : null }).lastInsertRowid),
    setDetails: (id, details) => void setDetails.run(JSON.stringify(details), id),
    list: (limit, before = Number.MAX_SAFE_INTEGER) =>
      list.all(before, limit).map((r) => ({
        id: r.id,
        at: r.at,
        actorId: r.actor_id,
        actorName: r.actor_name,
        action: r.action,
        targetType: r.target_type,
        targetId: r.target_id,
        details: r.details ? (JSON.parse(r.details) as Record<string, unknown>) : null,
        ip: r.ip,
      })),
  };
}
