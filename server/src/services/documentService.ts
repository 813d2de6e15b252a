import { randomUUID } from 'node:crypto';
import {
  can,
  categoryLabels,
  collabAccess,
  documentKindLabels,
  DomainError,
  estimatePages,
  forbidden,
  notFound,
  sectionTemplate,
  structureTypeLabels,
  templates,
  type Actor,
  type Target,
} from '@essaim/domain';
import {
  countBlocks,
  sectionsOf,
  templateContent,
  writeJSONToYdoc,
  ydocToNode,
  type DocJSON,
} from '@essaim/editor';
import {
  documentName,
  emptyMetadata,
  META_MAP,
  metadataKeys,
  readMetadata,
  type ActivityDto,
  type CatalogueQuery,
  type CreateDocumentInput,
  type DocumentDto,
  type DocumentMetadata,
  type DocumentSectionsDto,
} from '@essaim/protocol';
import * as Y from 'yjs';
import { territoireLabel, territoires } from '../reference/territoires.js';
import { applyStored, type CollabStore } from '../storage/collabStore.js';
import type {
  AssigneeRecord,
  DocumentIndex,
  DocumentRecord,
  DocumentRepository,
  StoredSection,
} from '../storage/documentRepository.js';
import type { EspaceRepository } from '../storage/espaceRepository.js';
import type { ThemeRepository } from '../storage/themeRepository.js';
import type { AccessEvents } from './accessEvents.js';
import type { AuditService } from './auditService.js';

type DocumentTarget = Extract<Target, { type: 'document' }>;

/** What one person changed in a document since it was last indexed (read from their transactions). */
export interface EditorChanges {
  userId: string;
  /** Sections whose content they edited. */
  sectionIds: Set<string>;
  /** Metadata fields they set. */
  fields: Set<string>;
  /** Whether they added, removed or moved sections (or edited blocks outside any section). */
  structure: boolean;
}

/** What the catalogue needs from the comment threads (issue 10), without depending on their service. */
export interface ThreadCounts {
  /** Open threads per document id, for the given documents (one grouped query). */
  openThreads(documentIds: readonly string[]): ReadonlyMap<string, number>;
}

/** What a program seeding documents may put in them instead of the bare template. */
export interface CreateOptions {
  /** Full content (ProseMirror JSON, validated against the schema) in place of the template's. */
  content?: DocJSON;
  metadata?: Partial<DocumentMetadata>;
}

const userIdOf = (actor: Actor): string | null => (actor.kind === 'user' ? actor.userId : null);

/** Lower case without accents, for searching French text. */
const fold = (text: string): string =>
  text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();

const collator = new Intl.Collator('fr', { sensitivity: 'base', numeric: true });

/**
 * The index of a document as it stands: metadata from its `meta` map, sections with their hashes,
 * and the estimated page count. Pure: used at creation and each time the document is stored.
 */
export function indexOf(ydoc: Y.Doc): DocumentIndex {
  const meta = ydoc.getMap<unknown>(META_MAP);
  const node = ydocToNode(ydoc);
  return {
    metadata: readMetadata((key) => meta.get(key)),
    sections: sectionsOf(node),
    pages: estimatePages(node.textContent.length, countBlocks(node)),
  };
}

/** Use cases on documents: every one checks access with `can()` before touching storage. */
export class DocumentService {
  constructor(
    private readonly documents: DocumentRepository,
    private readonly espaces: EspaceRepository,
    private readonly themes: ThemeRepository,
    private readonly store: CollabStore,
    private readonly audit: AuditService,
    private readonly events: AccessEvents,
    private readonly threads: ThreadCounts = { openThreads: () => new Map() },
    private readonly now: () => Date = () => new Date(),
  ) {}

  private dto(
    actor: Actor,
    r: DocumentRecord,
    assignees: AssigneeRecord[],
    openThreads: number = this.threads.openThreads([r.id]).get(r.id) ?? 0,
  ): DocumentDto {
    const target = this.targetOf(r, assignees);
    return {
      id: r.id,
      name: documentName(r.id),
      espaceId: r.espaceId,
      title: r.title,
      kind: r.kind,
      assignees,
      access: !r.archivedAt && collabAccess(actor, target) === 'write' ? 'write' : 'read',
      canArchive: can(actor, 'document.archive', target),
      metadata: { ...r.metadata, title: r.title },
      progress: { sections: r.sections.length, approved: 0 },
      pages: r.pages,
      lastEditor:
        r.lastEditorId && r.lastEditorName ? { userId: r.lastEditorId, name: r.lastEditorName } : null,
      createdAt: r.createdAt,
      updatedAt: r.updatedAt,
      archivedAt: r.archivedAt,
      openThreads,
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

  /**
   * Creates a document with its template applied: the initial Yjs state (sections with fresh ids,
   * metadata) is written in the same transaction as the document row, so a document never exists
   * without its content.
   */
  create(actor: Actor, input: CreateDocumentInput, options: CreateOptions = {}): DocumentDto {
    if (!this.espaces.findById(input.espaceId)) throw notFound('Cet espace de travail n’existe pas.');
    if (!can(actor, 'document.create', { type: 'espace', espaceId: input.espaceId })) {
      throw forbidden('Vous ne pouvez pas créer de document dans cet espace de travail.');
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

  /**
   * The catalogue: documents the actor may see, filtered and sorted. Filters on columns run in
   * SQL; the free-text search and the French-aware sort run here.
   */
  list(actor: Actor, query: CatalogueQuery = {}): DocumentDto[] {
    if (actor.kind !== 'user') return [];
    let espaceIds: string[] | null;
    if (query.espaceId) {
      if (!can(actor, 'document.list', { type: 'espace', espaceId: query.espaceId }))
        throw forbidden('Vous n’êtes pas membre de cet espace de travail.');
      espaceIds = [query.espaceId];
    } else {
      espaceIds = can(actor, 'espace.listAll', { type: 'instance' }) ? null : [...actor.roles.keys()];
    }
    const records = this.documents.search({
      espaceIds,
      archived: query.archived === 'true',
      kind: query.kind,
      theme: query.theme,
      categorie: query.categorie,
      structureType: query.structureType,
      territoires: query.territoire ? territoryCodes(query.territoire) : undefined,
      assignee: query.assignee === 'me' ? actor.userId : query.assignee,
      annee: query.annee,
    });
    const words = query.q ? fold(query.q).split(/\s+/).filter(Boolean) : [];
    const assignees = this.documents.assigneesOf(records.map((r) => r.id));
    const visible = records
      .map((r) => ({ r, a: assignees.get(r.id) ?? [] }))
      .filter(({ r, a }) => can(actor, 'document.read', this.targetOf(r, a)))
      .filter(({ r }) => words.every((w) => searchText(r).includes(w)));
    const sorted = sortRecords(
      visible.map((v) => v.r),
      query.sort ?? 'updated',
      query.order,
      assignees,
    );
    const openThreads = this.threads.openThreads(sorted.map((r) => r.id));
    return sorted.map((r) => this.dto(actor, r, assignees.get(r.id) ?? [], openThreads.get(r.id) ?? 0));
  }

  /** A document, archived or not (an archived one comes back read-only, to be restored). */
  get(actor: Actor, id: string): DocumentDto {
    const { record, target } = this.load(id, { archived: true });
    if (!can(actor, 'document.read', target)) throw this.hidden(actor);
    return this.dto(actor, record, this.documents.assignees(id));
  }

  /** The kind of a document (which template it follows), for the collaborative server. */
  kindOf(id: string): DocumentRecord['kind'] | undefined {
    return this.documents.findById(id)?.kind;
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
    const { record, target } = this.load(documentId);
    if (!can(actor, 'document.assign', target)) throw forbidden('Seul l’animateur attribue les documents.');
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
    const { record, target } = this.load(id, { archived: true });
    if (!can(actor, 'document.read', target)) throw this.hidden(actor);
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

  /** The sections of the stored document, with their hashes, and required sections missing. */
  sections(actor: Actor, id: string): DocumentSectionsDto {
    const { record, target } = this.load(id, { archived: true });
    if (!can(actor, 'document.read', target)) throw this.hidden(actor);
    const ydoc = new Y.Doc();
    try {
      applyStored(ydoc, this.store.load(id));
      const sections = sectionsOf(ydocToNode(ydoc));
      const template = templates[record.kind];
      const present = new Set(sections.map((s) => s.key));
      return {
        sections: sections.map((s) => ({
          id: s.id,
          key: s.key,
          title: s.title,
          hash: s.hash,
          characters: s.characters,
          required: sectionTemplate(record.kind, s.key)?.required ?? false,
        })),
        missingRequired: template.sections
          .filter((t) => t.required && !present.has(t.key))
          .map((t) => t.title),
      };
    } finally {
      ydoc.destroy();
    }
  }

  /**
   * Mirrors a stored document into its row (metadata, sections, pages) and records who changed
   * which sections and fields. Called by the collaborative server each time it stores a document;
   * `editors` say what each person touched since the previous call, most recent last.
   */
  indexStored(id: string, ydoc: Y.Doc, editors: readonly EditorChanges[]): void {
    const record = this.documents.findById(id);
    if (!record) return;
    const index = indexOf(ydoc);
    const changes = sectionChanges(record.sections, index.sections);
    const before: DocumentMetadata = { ...record.metadata, title: record.title };
    const changedFields = metadataKeys.filter(
      (k) =>
        JSON.stringify(before[k]) !== JSON.stringify(index.metadata[k]) &&
        !(k === 'title' && !index.metadata.title),
    );
    const changed =
      editors.length > 0 ||
      changedFields.length > 0 ||
      JSON.stringify(record.sections) !== JSON.stringify(index.sections) ||
      record.pages !== index.pages;
    const at = changed ? this.now().toISOString() : null;
    this.documents.saveIndex(id, index, editors.at(-1)?.userId ?? null, at);
    if (!at) return;
    for (const editor of editors) {
      // Each person is credited with what they touched and what really changed.
      const sections = changes
        .filter((s) => editor.sectionIds.has(s.id) || (editor.structure && s.structural))
        .map((s) => s.title);
      const fields = changedFields.filter((f) => editor.fields.has(f));
      if (sections.length === 0 && fields.length === 0) continue;
      this.documents.recordActivity({
        documentId: id,
        userId: editor.userId,
        kind: 'edited',
        sections,
        fields,
        at,
      });
    }
  }

  /** Who changed what, when, in an espace. */
  activity(actor: Actor, espaceId: string, limit = 30): ActivityDto[] {
    if (!this.espaces.findById(espaceId)) throw notFound('Cet espace de travail n’existe pas.');
    if (!can(actor, 'document.list', { type: 'espace', espaceId }))
      throw forbidden('Vous n’êtes pas membre de cet espace de travail.');
    return this.documents.activityInEspace(espaceId, Math.min(Math.max(limit, 1), 100));
  }

  private load(
    id: string,
    options: { archived?: boolean } = {},
  ): { record: DocumentRecord; target: DocumentTarget } {
    const record = this.documents.findById(id);
    if (!record || (record.archivedAt && !options.archived)) throw notFound('Ce document n’existe pas.');
    return { record, target: this.targetOf(record, this.documents.assignees(id)) };
  }

  /** Outsiders learn nothing about a document's existence; members without the right get a 403. */
  private hidden(actor: Actor): DomainError {
    return actor.kind === 'user'
      ? forbidden('Vous n’avez pas accès à ce document.')
      : notFound('Ce document n’existe pas.');
  }
}

/** A région matches itself and each of its départements; anything else matches only itself. */
function territoryCodes(code: string): string[] {
  if (!code.startsWith('reg:')) return [code];
  const region = code.slice(4);
  return [
    code,
    ...territoires()
      .departements.filter((d) => d.region === region)
      .map((d) => `dep:${d.code}`),
  ];
}

function searchText(r: DocumentRecord): string {
  const m = r.metadata;
  return fold([r.title, m.structure, m.public, m.contact, ...m.motsCles].join(' '));
}

/**
 * Sections whose content changed, in document order, then those removed; `structural` marks the
 * sections added or removed (credited to whoever changed the document's structure).
 */
function sectionChanges(
  before: readonly StoredSection[],
  after: readonly StoredSection[],
): { id: string; title: string; structural: boolean }[] {
  const old = new Map(before.map((s) => [s.id, s.hash]));
  const now = new Set(after.map((s) => s.id));
  return [
    ...after
      .filter((s) => old.get(s.id) !== s.hash)
      .map((s) => ({ id: s.id, title: s.title, structural: !old.has(s.id) })),
    ...before.filter((s) => !now.has(s.id)).map((s) => ({ id: s.id, title: s.title, structural: true })),
  ];
}

function sortRecords(
  records: DocumentRecord[],
  sort: NonNullable<CatalogueQuery['sort']>,
  order: 'asc' | 'desc' | undefined,
  assignees: ReadonlyMap<string, AssigneeRecord[]>,
): DocumentRecord[] {
  const key: (r: DocumentRecord) => string | number | null = {
    updated: (r: DocumentRecord) => r.updatedAt,
    created: (r: DocumentRecord) => r.createdAt,
    title: (r: DocumentRecord) => r.title,
    categorie: (r: DocumentRecord) => (r.metadata.categorie ? categoryLabels[r.metadata.categorie] : null),
    kind: (r: DocumentRecord) => documentKindLabels[r.kind],
    structureType: (r: DocumentRecord) =>
      r.metadata.structureType ? structureTypeLabels[r.metadata.structureType] : null,
    rapporteurs: (r: DocumentRecord) =>
      assignees
        .get(r.id)
        ?.map((a) => a.name)
        .join(', ') || null,
    territoire: (r: DocumentRecord) =>
      r.metadata.territoire ? territoireLabel(r.metadata.territoire) : null,
    structure: (r: DocumentRecord) => r.metadata.structure || null,
    annee: (r: DocumentRecord) => r.metadata.anneeDemarrage,
    pages: (r: DocumentRecord) => r.pages,
  }[sort];
  // Dates read newest first by default, everything else A to Z.
  const direction = (order ?? (sort === 'updated' || sort === 'created' ? 'desc' : 'asc')) === 'asc' ? 1 : -1;
  return [...records].sort((a, b) => {
    const x = key(a);
    const y = key(b);
    // Documents without a value go last, whatever the order.
    if (x === null || y === null)
      return (x === null ? 1 : 0) - (y === null ? 1 : 0) || collator.compare(a.title, b.title);
    const c = typeof x === 'number' && typeof y === 'number' ? x - y : collator.compare(String(x), String(y));
    return direction * c || collator.compare(a.title, b.title);
  });
}
