import { randomUUID } from 'node:crypto';
import { can, DomainError, forbidden, notFound, rateLimited, templates, type Actor } from '@essaim/domain';
import { templateContent, writeJSONToYdoc, type DocJSON } from '@essaim/editor';
import {
  emptyMetadata,
  META_MAP,
  metadataKeys,
  type CreateDocumentInput,
  type DocumentDto,
  type DocumentMetadata,
} from '@essaim/protocol';
import * as Y from 'yjs';
import type { AssigneeRecord, DocumentRecord, DocumentRepository } from '../storage/documentRepository.js';
import type { EspaceRepository } from '../storage/espaceRepository.js';
import type { ThemeRepository } from '../storage/themeRepository.js';
import type { AccessEvents } from './accessEvents.js';
import type { AuditService } from './auditService.js';
import {
  documentDto,
  type PublicationSummaries,
  type ReviewProgress,
  type ThreadCounts,
} from './documentDto.js';
import {
  assertMayChange,
  existingDocument,
  readableDocument,
  targetWithAssignees,
  type DocumentTarget,
} from './documentTarget.js';
import { indexOf } from './indexingService.js';

/** What a program seeding documents may put in them instead of the bare template. */
export interface CreateOptions {
  /** Full content (ProseMirror JSON, validated against the schema) in place of the template's. */
  content?: DocJSON;
  metadata?: Partial<DocumentMetadata>;
}

/**
 * How many documents one account may create (issue 17, tester BR33 F1: one account created 3,000
 * documents in 52 s, and every catalogue call then cost 2.2 MB). A working group writes a few
 * dozen fiches over months; the questionnaire's import (later) runs as the server, not counted.
 */
export interface DocumentLimits {
  /** Documents one account may create in a sliding hour (`DOCUMENTS_PER_HOUR_PER_ACCOUNT`, 60 by default); 0: no limit. */
  perHourPerAccount: number;
}

const HOUR_MS = 3_600_000;

const userIdOf = (actor: Actor): string | null => (actor.kind === 'user' ? actor.userId : null);

const collator = new Intl.Collator('fr', { sensitivity: 'base', numeric: true });

/**
 * The life of a document: creation from its template, reading one, assignment of rapporteurs,
 * archive and restore. Every use case checks access with `can()` before touching storage; the
 * catalogue, sections and indexing are their own services.
 */
export class DocumentService {
  constructor(
    private readonly documents: DocumentRepository,
    private readonly espaces: EspaceRepository,
    private readonly themes: ThemeRepository,
    private readonly audit: AuditService,
    private readonly events: AccessEvents,
    private readonly threads: ThreadCounts,
    private readonly reviews: ReviewProgress,
    private readonly published: PublicationSummaries,
    private readonly limits: DocumentLimits = { perHourPerAccount: 0 },
    private readonly now: () => Date = () => new Date(),
  ) {}

  private dto(actor: Actor, r: DocumentRecord, assignees: AssigneeRecord[]): DocumentDto {
    const openThreads = this.threads.openThreads([r.id]).get(r.id) ?? 0;
    const review = this.reviews.progressOf([r]).get(r.id);
    const published = this.published.summariesOf([r.id]).get(r.id);
    return documentDto(
      actor,
      r,
      targetWithAssignees(r, assignees),
      assignees,
      openThreads,
      review,
      published,
    );
  }

  /**
   * Creates a document with its template applied: the initial Yjs state (sections with fresh ids,
   * metadata) is written in the same transaction as the document row, so a document never exists
   * without its content. Errors: `not_found` (espace), `forbidden`, `invalid_input` (unknown
   * theme), `rate_limited` (429 with `Retry-After`: the account created
   * {@link DocumentLimits.perHourPerAccount} documents in the last hour).
   */
  create(actor: Actor, input: CreateDocumentInput, options: CreateOptions = {}): DocumentDto {
    if (!this.espaces.findById(input.espaceId)) throw notFound('Cet espace de travail n’existe pas.');
    if (!can(actor, 'document.create', { type: 'espace', espaceId: input.espaceId })) {
      throw forbidden('Vous ne pouvez pas créer de document dans cet espace de travail.');
    }
    const limit = this.limits.perHourPerAccount;
    if (actor.kind === 'user' && limit > 0) {
      const since = new Date(this.now().getTime() - HOUR_MS).toISOString();
      if (this.documents.countCreatedSince(actor.userId, since) >= limit)
        throw rateLimited(
          `Vous avez créé ${limit} documents dans l’heure, le maximum pour un compte. Réessayez plus tard, ou demandez à l’administrateur de relever la limite.`,
          HOUR_MS / 1000,
        );
    }
    const themes = [...new Set([...input.themes, ...(options.metadata?.themes ?? [])])];
    const known = new Set(
      this.themes
        .list(input.espaceId)
        .filter((t) => !t.archivedAt)
        .map((t) => t.id),
    );
    const unknown = themes.filter((t) => !known.has(t));
    if (unknown.length > 0) {
      throw new DomainError('invalid_input', `Thème inconnu dans cet espace : ${unknown.join(', ')}.`);
    }

    const ydoc = new Y.Doc();
    writeJSONToYdoc(ydoc, options.content ?? this.initialContent(input));
    const metadata: DocumentMetadata = {
      ...emptyMetadata(),
      ...options.metadata,
      title: input.title,
      themes,
    };
    const meta = ydoc.getMap<unknown>(META_MAP);
    ydoc.transact(() => {
      for (const key of metadataKeys) meta.set(key, metadata[key]);
    });
    const index = indexOf(ydoc);
    const at = this.now().toISOString();
    const record = {
      id: randomUUID(),
      espaceId: input.espaceId,
      kind: input.kind,
      title: input.title,
      createdAt: at,
      updatedAt: at,
      metadata: index.metadata,
      sections: index.sections,
      pages: index.pages,
    };
    this.documents.insert(record, Y.encodeStateAsUpdate(ydoc));
    ydoc.destroy();
    // The rapporteur who starts a document writes it.
    if (actor.kind === 'user' && actor.roles.get(input.espaceId) === 'rapporteur') {
      this.documents.assign(record.id, actor.userId, actor.userId, at);
    }
    this.documents.recordActivity({
      documentId: record.id,
      userId: userIdOf(actor),
      kind: 'created',
      sections: [],
      fields: [],
      at,
    });
    this.audit.record({
      actorId: userIdOf(actor),
      action: 'document.create',
      target: { type: 'document', id: record.id },
      details: { kind: input.kind, espaceId: input.espaceId },
    });
    return this.get(actor, record.id);
  }

  /**
   * The template's content. A synthèse starts with its annexes listing the espace's fiches as live
   * links (their titles follow the fiches); rapporteurs add the fiches written later.
   */
  private initialContent(input: CreateDocumentInput): DocJSON {
    const content = templateContent(templates[input.kind], randomUUID);
    if (input.kind !== 'synthese') return content;
    const fiches = this.documents
      .search({ espaceIds: [input.espaceId], archived: false, kind: 'fiche' })
      .sort((a, b) => collator.compare(a.title, b.title));
    const annexes = content.content?.find((s) => s.attrs?.key === 'annexes');
    if (annexes?.content && fiches.length > 0) {
      annexes.content = [
        annexes.content[0] as DocJSON,
        {
          type: 'bulletList',
          content: fiches.map((f) => ({
            type: 'listItem',
            content: [
              {
                type: 'paragraph',
                content: [{ type: 'docRef', attrs: { documentId: f.id, title: f.title } }],
              },
            ],
          })),
        },
      ];
    }
    return content;
  }

  /** A document, archived or not (an archived one comes back read-only, to be restored). */
  get(actor: Actor, id: string): DocumentDto {
    const { record } = readableDocument(this.documents, actor, id, { archived: true });
    return this.dto(actor, record, this.documents.assignees(id));
  }

  /** The kind of a document (which template it follows), for the collaborative server. */
  kindOf(id: string): DocumentRecord['kind'] | undefined {
    return this.documents.findById(id)?.kind;
  }

  /**
   * What `can()` needs to judge access to a stored document, archived ones included (`archived`
   * says which), or undefined if there is none: for the changes that answer 409 on an archived
   * document (`assertMayChange`).
   */
  storedTarget(id: string): DocumentTarget | undefined {
    const record = this.documents.findById(id);
    return record ? targetWithAssignees(record, this.documents.assignees(id)) : undefined;
  }

  /** What `can()` needs to judge access to a live document, or undefined if there is none. */
  accessTarget(id: string): DocumentTarget | undefined {
    const record = this.documents.findById(id);
    if (!record || record.archivedAt) return undefined;
    return targetWithAssignees(record, this.documents.assignees(id));
  }

  assign(actor: Actor, documentId: string, userId: string): DocumentDto {
    const { record, target } = existingDocument(this.documents, documentId, { archived: true });
    assertMayChange(actor, 'document.assign', target, 'Seul l’animateur attribue les documents.');
    const role = record.espaceId ? this.espaces.roleOf(record.espaceId, userId) : undefined;
    if (role !== 'rapporteur' && role !== 'animateur') {
      throw new DomainError(
        'invalid_input',
        'Seul un rapporteur ou un animateur de l’espace peut être attribué à un document.',
      );
    }
    if (this.documents.assign(documentId, userId, userIdOf(actor), this.now().toISOString())) {
      this.audit.record({
        actorId: userIdOf(actor),
        action: 'document.assign',
        target: { type: 'document', id: documentId },
        details: { userId },
      });
      this.events.userChanged(userId);
    }
    return this.dto(actor, record, this.documents.assignees(documentId));
  }

  unassign(actor: Actor, documentId: string, userId: string): DocumentDto {
    const { record, target } = existingDocument(this.documents, documentId, { archived: true });
    assertMayChange(actor, 'document.assign', target, 'Seul l’animateur attribue les documents.');
    if (this.documents.unassign(documentId, userId)) {
      this.audit.record({
        actorId: userIdOf(actor),
        action: 'document.unassign',
        target: { type: 'document', id: documentId },
        details: { userId },
      });
      this.events.userChanged(userId);
    }
    return this.dto(actor, record, this.documents.assignees(documentId));
  }

  /**
   * Archives a document: it leaves the catalogue, open editors are closed, its content is kept
   * whole. Nothing is ever deleted by a click; {@link restore} brings it back.
   */
  archive(actor: Actor, id: string): DocumentDto {
    return this.setArchived(actor, id, true);
  }

  restore(actor: Actor, id: string): DocumentDto {
    return this.setArchived(actor, id, false);
  }

  private setArchived(actor: Actor, id: string, archived: boolean): DocumentDto {
    const { record, target } = readableDocument(this.documents, actor, id, { archived: true });
    if (!can(actor, 'document.archive', target))
      throw forbidden('Seul l’animateur archive et restaure les documents.');
    if (Boolean(record.archivedAt) !== archived) {
      const at = this.now().toISOString();
      this.documents.setArchived(id, archived ? at : null);
      this.documents.recordActivity({
        documentId: id,
        userId: userIdOf(actor),
        kind: archived ? 'archived' : 'restored',
        sections: [],
        fields: [],
        at,
      });
      this.audit.record({
        actorId: userIdOf(actor),
        action: archived ? 'document.archive' : 'document.restore',
        target: { type: 'document', id },
      });
      this.events.documentChanged(id);
    }
    return this.get(actor, id);
  }
}
