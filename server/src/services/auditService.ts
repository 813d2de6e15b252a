import type { AuditAction, AuditEntryDto } from '@essaim/protocol';

export type { AuditAction };
import { can, forbidden, type Actor } from '@essaim/domain';
import type { AuditRepository } from '../storage/auditRepository.js';

export interface AuditEvent {
  actorId: string | null;
  action: AuditAction;
  target?: { type: string; id: string };
  details?: Record<string, unknown>;
  ip?: string | null;
}

/** How long one aggregated row gathers the repetitions of a flood (ms). */
export const FLOOD_WINDOW_MS = 10 * 60 * 1000;

/** The row a flood is being counted in. */
interface FloodRow {
  id: number;
  count: number;
  startedAt: number;
  details: Record<string, unknown>;
  /** When the row's count was last written (ms), and whether a newer count waits in memory. */
  writtenAt: number;
  last: string;
  dirty: boolean;
}

/** A flood's row is rewritten at most this often (ms); reading the log writes what waits. */
const FLOOD_WRITE_INTERVAL_MS = 1000;

export class AuditService {
  private readonly floods = new Map<string, FloodRow>();

  constructor(
    private readonly repository: AuditRepository,
    private readonly now: () => Date = () => new Date(),
  ) {}

  record(event: AuditEvent): void {
    this.append(event);
  }

  /**
   * Records an event that can repeat by the thousand (a flood of refused logins wrote 1,000 rows in
   * 8 s, issue 15): one row per `key` and window of {@link FLOOD_WINDOW_MS}, written at the first
   * occurrence with `count: 1`, `first` and `last` (ISO dates) in its details; each repetition in
   * the window raises `count` and `last` of that same row, written at most once a second (and
   * whenever the log is read), so a flood costs no write per event. `key` names what repeats (the
   * action and, say, the address): different keys get different rows.
   */
  recordRepeated(event: AuditEvent, key: string, windowMs = FLOOD_WINDOW_MS): void {
    const now = this.now();
    const at = now.getTime();
    const flood = this.floods.get(key);
    if (flood && at - flood.startedAt < windowMs) {
      flood.count += 1;
      flood.last = now.toISOString();
      flood.dirty = true;
      if (at - flood.writtenAt >= FLOOD_WRITE_INTERVAL_MS) this.writeFlood(flood, at);
      return;
    }
    if (flood?.dirty) this.writeFlood(flood, at);
    if (this.floods.size >= 10_000) {
      this.flushRepeated();
      for (const [k, row] of this.floods) if (at - row.startedAt >= windowMs) this.floods.delete(k);
    }
    const details = { ...event.details, first: now.toISOString() };
    const last = now.toISOString();
    const id = this.append({ ...event, details: { ...details, count: 1, last } });
    this.floods.set(key, { id, count: 1, startedAt: at, details, writtenAt: at, last, dirty: false });
  }

  /** Writes the counts of floods that changed since their row was last written. */
  flushRepeated(): void {
    const at = this.now().getTime();
    for (const flood of this.floods.values()) if (flood.dirty) this.writeFlood(flood, at);
  }

  private writeFlood(flood: FloodRow, at: number): void {
    this.repository.setDetails(flood.id, { ...flood.details, count: flood.count, last: flood.last });
    flood.writtenAt = at;
    flood.dirty = false;
  }

  private append(event: AuditEvent): number {
    return this.repository.append({
      at: this.now().toISOString(),
      actorId: event.actorId,
      action: event.action,
      targetType: event.target?.type ?? null,
      targetId: event.target?.id ?? null,
      details: event.details ?? null,
      ip: event.ip ?? null,
    });
  }

  list(actor: Actor, limit = 100, before?: number): AuditEntryDto[] {
    if (!can(actor, 'audit.read', { type: 'instance' })) throw forbidden();
    this.flushRepeated();
    return this.repository.list(Math.min(Math.max(limit, 1), 500), before).map((e) => ({
      id: e.id,
      at: e.at,
      actor: e.actorId ? { id: e.actorId, name: e.actorName } : null,
      action: e.action,
      targetType: e.targetType,
      targetId: e.targetId,
      details: e.details,
      ip: e.ip,
    }));
  }
}
