import { can, conflict, forbidden, notFound, themeIdFrom, type Actor } from '@essaim/domain';
import type { ThemeDto } from '@essaim/protocol';
import type { EspaceRepository } from '../storage/espaceRepository.js';
import type { ThemeRecord, ThemeRepository } from '../storage/themeRepository.js';
import type { AuditService } from './auditService.js';

const dto = (t: ThemeRecord): ThemeDto => ({
  id: t.id,
  label: t.label,
  archived: t.archivedAt !== null,
  documents: t.documents,
});

const sameLabel = (a: string, b: string) => a.localeCompare(b, 'fr', { sensitivity: 'base' }) === 0;

/**
 * The themes of an espace. Everyone in the espace reads them; the animateur adds, renames and
 * archives them. A theme is never deleted: documents keep the ids they carry.
 */
export class ThemeService {
  constructor(
    private readonly themes: ThemeRepository,
    private readonly espaces: EspaceRepository,
    private readonly audit: AuditService,
    private readonly now: () => Date = () => new Date(),
  ) {}

  list(actor: Actor, espaceId: string): ThemeDto[] {
    this.check(actor, espaceId, 'read');
    return this.themes.list(espaceId).map(dto);
  }

  create(actor: Actor, espaceId: string, label: string): ThemeDto {
    this.check(actor, espaceId, 'manage');
    const existing = this.themes.list(espaceId);
    if (existing.some((t) => sameLabel(t.label, label)))
      throw conflict('Un thème porte déjà ce libellé dans cet espace.');
    const base = themeIdFrom(label);
    let id = base;
    for (let n = 2; existing.some((t) => t.id === id); n++) id = `${base}-${n}`;
    this.themes.add(espaceId, [{ id, label }]);
    this.record(actor, 'theme.create', espaceId, { id, label });
    return dto(this.themes.find(espaceId, id) as ThemeRecord);
  }

  update(
    actor: Actor,
    espaceId: string,
    id: string,
    change: { label?: string; archived?: boolean },
  ): ThemeDto {
    this.check(actor, espaceId, 'manage');
    const current = this.themes.find(espaceId, id);
    if (!current) throw notFound('Ce thème n’existe pas.');
    if (
      change.label !== undefined &&
      this.themes.list(espaceId).some((t) => t.id !== id && sameLabel(t.label, change.label as string))
    )
      throw conflict('Un thème porte déjà ce libellé dans cet espace.');
    const archivedAt =
      change.archived === undefined
        ? undefined
        : change.archived
          ? (current.archivedAt ?? this.now().toISOString())
          : null;
    this.themes.update(espaceId, id, { label: change.label, archivedAt });
    this.record(actor, 'theme.update', espaceId, { id, ...change });
    return dto(this.themes.find(espaceId, id) as ThemeRecord);
  }

  private check(actor: Actor, espaceId: string, need: 'read' | 'manage'): void {
    if (!this.espaces.findById(espaceId)) throw notFound('Cet espace de travail n’existe pas.');
    if (!can(actor, 'espace.read', { type: 'espace', espaceId }))
      throw forbidden('Vous n’êtes pas membre de cet espace de travail.');
    if (need === 'manage' && !can(actor, 'espace.manageThemes', { type: 'espace', espaceId }))
      throw forbidden('Seul l’animateur modifie la liste des thèmes.');
  }

  private record(
    actor: Actor,
    action: 'theme.create' | 'theme.update',
    espaceId: string,
    details: object,
  ): void {
    this.audit.record({
      actorId: actor.kind === 'user' ? actor.userId : null,
      action,
      target: { type: 'espace', id: espaceId },
      details: { ...details },
    });
  }
}
