import { randomUUID } from 'node:crypto';
import { can, collabAccess, DomainError, forbidden, notFound, type Actor, type Target } from '@essaim/domain';
import { documentName, type CreateDocumentInput, type DocumentDto } from '@essaim/protocol';
import type { AssigneeRecord, DocumentRecord, DocumentRepository } from '../storage/documentRepository.js';
import type { EspaceRepository } from '../storage/espaceRepository.js';
import type { AccessEvents } from './accessEvents.js';
import type { AuditService } from './auditService.js';

type DocumentTarget = Extract<Target, { type: 'document' }>;

/** Use cases on documents: every one checks access with `can()` before touching storage. */
export class DocumentService {
  constructor(
    private readonly documents: DocumentRepository,
    private readonly espaces: EspaceRepository,
    private readonly audit: AuditService,
    private readonly events: AccessEvents,
    private readonly now: () => Date = () => new Date(),
  ) {}

  private dto(actor: Actor, r: DocumentRecord, assignees: AssigneeRecord[]): DocumentDto {
    const target = this.targetOf(r, assignees);
    return {
      id: r.id,
      name: documentName(r.id),
      espaceId: r.espaceId,
      title: r.title,
      kind: r.kind,
      assignees,
      access: collabAccess(actor, target) === 'write' ? 'write' : 'read',
      createdAt: r.createdAt,
      updatedAt: r.updatedAt,
    };
  }

  private targetOf(r: DocumentRecord, assignees: readonly AssigneeRecord[]): DocumentTarget {
    // Documents from before espaces existed belong to no espace: only administrators see them.
    return {
      type: 'document',
      espaceId: r.espaceId ?? '',
      documentId: r.id,
      assignees: assignees.map((a) => a.userId),
    };
  }

  create(actor: Actor, input: CreateDocumentInput): DocumentDto {
    if (!this.espaces.findById(input.espaceId)) throw notFound('Cet espace de travail n’existe pas.');
    if (!can(actor, 'document.create', { type: 'espace', espaceId: input.espaceId })) {
      throw forbidden('Vous ne pouvez pas créer de document dans cet espace de travail.');
    }
    const at = this.now().toISOString();
    const record = {
      id: randomUUID(),
      espaceId: input.espaceId,
      kind: input.kind,
      title: input.title,
      createdAt: at,
      updatedAt: at,
    };
    this.documents.insert(record);
    // The rapporteur who starts a document writes it.
    if (actor.kind === 'user' && actor.roles.get(input.espaceId) === 'rapporteur') {
      this.documents.assign(record.id, actor.userId, actor.userId, at);
    }
    return this.dto(actor, { ...record, archivedAt: null }, this.documents.assignees(record.id));
  }

  /** Documents the actor may see, in one espace or in all of theirs. */
  list(actor: Actor, espaceId?: string): DocumentDto[] {
    if (actor.kind !== 'user') return [];
    let espaceIds: string[] | null;
    if (espaceId) {
      if (!can(actor, 'document.list', { type: 'espace', espaceId }))
        throw forbidden('Vous n’êtes pas membre de cet espace de travail.');
      espaceIds = [espaceId];
    } else {
      espaceIds = can(actor, 'espace.listAll', { type: 'instance' }) ? null : [...actor.roles.keys()];
    }
    const records = this.documents.listActive(espaceIds);
    const assignees = this.documents.assigneesOf(records.map((r) => r.id));
    return records
      .map((r) => ({ r, a: assignees.get(r.id) ?? [] }))
      .filter(({ r, a }) => can(actor, 'document.read', this.targetOf(r, a)))
      .map(({ r, a }) => this.dto(actor, r, a));
  }

  get(actor: Actor, id: string): DocumentDto {
    const { record, target } = this.load(id);
    if (!can(actor, 'document.read', target)) throw this.hidden(actor);
    return this.dto(actor, record, this.documents.assignees(id));
  }

  /** What `can()` needs to judge access to a live document, or undefined if there is none. */
  accessTarget(id: string): DocumentTarget | undefined {
    const record = this.documents.findById(id);
    if (!record || record.archivedAt) return undefined;
    return this.targetOf(record, this.documents.assignees(id));
  }

  assign(actor: Actor, documentId: string, userId: string): DocumentDto {
    const { record, target } = this.load(documentId);
    if (!can(actor, 'document.assign', target)) throw forbidden('Seul l’animateur attribue les documents.');
    const role = record.espaceId ? this.espaces.roleOf(record.espaceId, userId) : undefined;
    if (role !== 'rapporteur' && role !== 'animateur') {
      throw new DomainError(
        'invalid_input',
        'Seul un rapporteur ou un animateur de l’espace peut être attribué à un document.',
      );
    }
    if (
      this.documents.assign(
        documentId,
        userId,
        actor.kind === 'user' ? actor.userId : null,
        this.now().toISOString(),
      )
    ) {
      this.audit.record({
        actorId: actor.kind === 'user' ? actor.userId : null,
        action: 'document.assign',
        target: { type: 'document', id: documentId },
        details: { userId },
      });
      this.events.userChanged(userId);
    }
    return this.dto(actor, record, this.documents.assignees(documentId));
  }

  unassign(actor: Actor, documentId: string, userId: string): DocumentDto {
    const { record, target } = this.load(documentId);
    if (!can(actor, 'document.assign', target)) throw forbidden('Seul l’animateur attribue les documents.');
    if (this.documents.unassign(documentId, userId)) {
      this.audit.record({
        actorId: actor.kind === 'user' ? actor.userId : null,
        action: 'document.unassign',
        target: { type: 'document', id: documentId },
        details: { userId },
      });
      this.events.userChanged(userId);
    }
    return this.dto(actor, record, this.documents.assignees(documentId));
  }

  /** Records that a document's content changed (for "most recent first" lists). */
  markChanged(id: string): void {
    this.documents.touch(id, this.now().toISOString());
  }

  private load(id: string): { record: DocumentRecord; target: DocumentTarget } {
    const record = this.documents.findById(id);
    if (!record || record.archivedAt) throw notFound('Ce document n’existe pas.');
    return { record, target: this.targetOf(record, this.documents.assignees(id)) };
  }

  /** Outsiders learn nothing about a document's existence; members without the right get a 403. */
  private hidden(actor: Actor): DomainError {
    return actor.kind === 'user'
      ? forbidden('Vous n’avez pas accès à ce document.')
      : notFound('Ce document n’existe pas.');
  }
}
