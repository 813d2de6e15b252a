import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { can, conflict, forbidden, invalidInput, notFound, rateLimited, type Actor } from '@essaim/domain';
import {
  UNKNOWN_TERRITOIRE_MESSAGE,
  type ReuseSignalDto,
  type ReuseSignalInput,
  type ReuseSignalStatus,
} from '@essaim/protocol';
import { isTerritoire, territoireLabel } from '../reference/territoires.js';
import type { EspaceRepository } from '../storage/espaceRepository.js';
import type { PublicationRepository } from '../storage/publicationRepository.js';
import type { SettingsRepository } from '../storage/settingsRepository.js';
import type { ReuseSignalRecord, SignalRepository } from '../storage/signalRepository.js';
import type { AuditService } from './auditService.js';

/**
 * How many signals one address may leave: per hour and per day. A person tells where they try a
 * practice a few times at most; a flood of 1,000 posts from one address keeps 5 (issue 13).
 */
export const SIGNALS_PER_HOUR = 5;
export const SIGNALS_PER_DAY = 20;
const HOUR = 3_600_000;

const userIdOf = (actor: Actor): string | null => (actor.kind === 'user' ? actor.userId : null);

/**
 * Reuse signals (issue 13): a visitor of the portal says, without an account, where and in which
 * kind of structure they try a published practice. Spam-safe: only on a published practice, a
 * honeypot field, bounded lengths, plain text only (shown escaped), at most
 * {@link SIGNALS_PER_HOUR} per hour and {@link SIGNALS_PER_DAY} per day per address (kept as a
 * keyed hash, never in clear). Every signal waits for the animateur's moderation before it is
 * shown on the fiche and counted.
 */
export class SignalService {
  private addressKey: string | null = null;

  constructor(
    private readonly signals: SignalRepository,
    private readonly publications: Pick<PublicationRepository, 'findBySlug'>,
    private readonly espaces: Pick<EspaceRepository, 'findById'>,
    private readonly settings: Pick<SettingsRepository, 'getOrCreate'>,
    private readonly audit: AuditService,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /**
   * A signal left on the portal page of `slug` from `address` (the request's IP). Returns
   * `stored: false` for a form that filled the honeypot (thanked all the same, nothing kept).
   * @throws DomainError `not_found` (no visible publication), `invalid_input` (a territory code
   *   that names no real territory), `rate_limited` (429, Retry-After).
   */
  submit(slug: string, input: ReuseSignalInput, address: string | null): { stored: boolean } {
    const publication = this.publications.findBySlug(slug);
    if (!publication) throw notFound('Cette pratique n’est pas publiée.');
    if (input.site.trim() !== '') return { stored: false };
    if (!isTerritoire(input.territoire))
      throw invalidInput(`Requête invalide : ${UNKNOWN_TERRITOIRE_MESSAGE}`, [
        { path: 'territoire', message: UNKNOWN_TERRITOIRE_MESSAGE },
      ]);
    const addressHash = this.hashOf(address ?? 'inconnue');
    const now = this.now();
    if (this.signals.countFrom(addressHash, new Date(now.getTime() - HOUR).toISOString()) >= SIGNALS_PER_HOUR)
      throw rateLimited('Vous avez déjà envoyé plusieurs signalements : réessayez dans une heure.', 3600);
    if (
      this.signals.countFrom(addressHash, new Date(now.getTime() - 24 * HOUR).toISOString()) >=
      SIGNALS_PER_DAY
    )
      throw rateLimited(
        'Vous avez déjà envoyé beaucoup de signalements aujourd’hui : réessayez demain.',
        86_400,
      );
    this.signals.insert({
      id: randomUUID(),
      documentId: publication.documentId,
      territoire: input.territoire,
      structureType: input.structureType,
      structure: input.structure,
      email: input.email || null,
      message: input.message,
      addressHash,
      createdAt: now.toISOString(),
    });
    return { stored: true };
  }

  /**
   * `GET /api/espaces/:id/signals?status=`: the espace's signals in one status, newest first.
   * @throws DomainError `not_found` (espace), `forbidden` (not the animateur).
   */
  list(actor: Actor, espaceId: string, status: ReuseSignalStatus): ReuseSignalDto[] {
    if (!this.espaces.findById(espaceId)) throw notFound('Cet espace de travail n’existe pas.');
    if (!can(actor, 'portal.moderateSignals', { type: 'espace', espaceId }))
      throw forbidden('Seul l’animateur de l’espace modère les signalements de reprise.');
    return this.signals.forEspace(espaceId, status, 500).map(dto);
  }

  /**
   * `POST /api/signals/:id/approve|reject`: the animateur's decision on a waiting signal. Audited.
   * @throws DomainError `not_found`, `forbidden`, `conflict` (409: already moderated).
   */
  moderate(actor: Actor, signalId: string, approve: boolean): ReuseSignalDto {
    const signal = this.signals.findById(signalId);
    if (!signal || !signal.espaceId) throw notFound('Ce signalement n’existe pas.');
    if (!can(actor, 'portal.moderateSignals', { type: 'espace', espaceId: signal.espaceId }))
      throw forbidden('Seul l’animateur de l’espace modère les signalements de reprise.');
    const at = this.now().toISOString();
    if (!this.signals.moderate(signalId, approve ? 'approuve' : 'refuse', userIdOf(actor), at))
      throw conflict('Ce signalement a déjà été modéré.');
    this.audit.record({
      actorId: userIdOf(actor),
      action: 'signal.moderate',
      target: { type: 'document', id: signal.documentId },
      details: { signalId, decision: approve ? 'approuve' : 'refuse' },
    });
    return dto(this.signals.findById(signalId) ?? signal);
  }

  /** Approved signals of a document, newest first, for its portal page (no email). */
  approvedFor(documentId: string): ReuseSignalRecord[] {
    return this.signals.approvedFor(documentId).map((s) => ({ ...s, email: null }));
  }

  /**
   * Approved signals per document, for these documents (the counts the portal's cards and the
   * catalogue show: « 3 reprises signalées »). Documents without any are absent.
   */
  approvedCounts(documentIds: readonly string[]): Map<string, number> {
    return documentIds.length === 0 ? new Map() : this.signals.approvedCounts(documentIds);
  }

  /**
   * Approved signals per territory code where practices are reused (`dep:59`, `reg:32`,
   * `national`), for practices on the portal, optionally of one espace: the map's counts.
   */
  approvedByTerritory(espaceId?: string): Map<string, number> {
    return this.signals.approvedByTerritory(espaceId);
  }

  private hashOf(address: string): string {
    this.addressKey ??= this.settings.getOrCreate('reuse_signal_address_key', () =>
      randomBytes(32).toString('hex'),
    );
    return createHmac('sha256', this.addressKey).update(address).digest('hex');
  }
}

function dto(s: ReuseSignalRecord): ReuseSignalDto {
  return {
    id: s.id,
    document: { id: s.documentId, title: s.documentTitle },
    territoire: s.territoire,
    territoireLabel: territoireLabel(s.territoire) ?? s.territoire,
    structureType: s.structureType,
    structure: s.structure,
    email: s.email,
    message: s.message,
    status: s.status,
    createdAt: s.createdAt,
    moderatedAt: s.moderatedAt,
  };
}
