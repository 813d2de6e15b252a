import { randomUUID } from 'node:crypto';
import {
  can,
  categoryLabels,
  conflict,
  documentReviewStateLabels,
  forbidden,
  notFound,
  structureTypeLabels,
  type Actor,
} from '@essaim/domain';
import { ydocToNode, type DocJSON } from '@essaim/editor';
import {
  META_MAP,
  readMetadata,
  withoutInvisibleControls,
  type DocumentMetadata,
  type PublicationChangedMessage,
  type PublicationDto,
} from '@essaim/protocol';
import type * as Y from 'yjs';
import { territoireLabel } from '../reference/territoires.js';
import type { CollabStore } from '../storage/collabStore.js';
import type { DocumentRepository } from '../storage/documentRepository.js';
import type {
  PublicationRecord,
  PublicationRepository,
  PublicationStems,
} from '../storage/publicationRepository.js';
import type { SignalRepository } from '../storage/signalRepository.js';
import type { ThemeRepository } from '../storage/themeRepository.js';
import type { AuditService } from './auditService.js';
import type { PublicationSummaries, PublishedSummary } from './documentDto.js';
import { readableDocument } from './documentTarget.js';
import { foldFrench, frenchStems } from './frenchText.js';
import { noLiveDocuments, readCurrentDocument, type LiveDocuments } from './liveDocuments.js';
import { escapeHtml, publishedHtml, type PublishedLinks } from './publishedHtml.js';
import { isPublishedText, type ReviewService } from './reviewService.js';
import type { VersionService } from './versionService.js';

const userIdOf = (actor: Actor): string | null => (actor.kind === 'user' ? actor.userId : null);

/** Where the portal serves uploaded images of published documents (issue 13). */
export const PORTAL_FILES = '/pratiques/fichiers/';

/** The portal address of a published document, and of one of its publications. */
export const portalUrl = (slug: string, number?: number): string =>
  number === undefined ? `/pratiques/${slug}` : `/pratiques/${slug}/v/${number}`;

/**
 * A slug for a title: folded French (no accents, lower case), words joined by hyphens, at most 80
 * characters, never a word the portal uses for its own pages; `-2`, `-3`… when taken.
 */
export function slugFor(title: string, taken: (slug: string) => boolean): string {
  const base =
    foldFrench(title)
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 80)
      .replace(/-+$/, '') || 'pratique';
  const reserved = new Set(['recherche', 'fichiers', 'carte', 'flux.atom', 'a-propos', 'v']);
  for (let n = 1; ; n++) {
    const slug = n === 1 ? base : `${base}-${n}`;
    if (!reserved.has(slug) && !taken(slug)) return slug;
  }
}

/**
 * Publication (issue 13): the animateur publishes a document that is prête à publier; the server
 * freezes it as publication N (a `publication` version, ProseMirror JSON, sanitized HTML, plain
 * text, metadata, the section hashes) and indexes it for the portal's search. Later drafts never
 * change a publication; unpublishing hides the document from the portal (kept, audited,
 * reversible).
 */
export class PublicationService {
  private live: LiveDocuments = noLiveDocuments;

  constructor(
    private readonly publications: PublicationRepository,
    private readonly documents: DocumentRepository,
    private readonly themes: ThemeRepository,
    private readonly store: CollabStore,
    private readonly reviews: Pick<ReviewService, 'currentReview'>,
    private readonly versions: Pick<VersionService, 'record'>,
    private readonly audit: AuditService,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Wires the collaborative server (set once it exists; the command line has none). */
  useLiveDocuments(live: LiveDocuments): void {
    this.live = live;
  }

  /**
   * `POST /api/documents/:id/publications`: publishes the document as it stands now.
   * @throws DomainError `not_found`, `forbidden` (403: not the animateur), `conflict` (409: not
   *   prête à publier, archived, or this very text is already the newest publication).
   */
  publish(actor: Actor, documentId: string): PublicationDto {
    const { record, target } = readableDocument(this.documents, actor, documentId, { archived: true });
    if (!can(actor, 'publication.publish', { ...target, archived: false }))
      throw forbidden('Seul l’animateur de l’espace publie les documents.');
    if (record.archivedAt) throw conflict('Ce document est archivé : il ne peut pas être publié.');
    const { sections, review } = this.reviews.currentReview(record);
    if (review.draftState !== 'prete_a_publier')
      throw conflict(
        `Ce document n’est pas prêt à publier (${documentReviewStateLabels[review.draftState].toLowerCase()}, ` +
          `${review.approved} sur ${review.total} sections approuvées) : chaque section obligatoire doit être approuvée et à jour.`,
      );
    if (review.state === 'publiee' && !review.newVersionInProgress)
      throw conflict('Cette version du document est déjà publiée.');
    const latest = this.publications.forDocument(documentId)[0];
    const { content, text, metadata } = this.snapshot(documentId);
    // Unpublished, and not changed since: publishing would copy it; republishing shows it again.
    if (latest && isPublishedText(latest, sections, metadata))
      throw conflict(
        `Ce texte est déjà celui de la publication ${latest.number}, dépubliée : utilisez « Republier » pour la remettre en ligne.`,
      );
    const number = (latest?.number ?? 0) + 1;
    const version = this.versions.record(documentId, 'publication', `Publication ${number}`, userIdOf(actor));
    const html = publishedHtml(content, this.links()).html;
    const publication = this.publications.insert(
      {
        id: randomUUID(),
        documentId,
        versionId: version.id,
        kind: record.kind,
        title: metadata.title || record.title,
        metadata,
        content,
        html,
        text,
        sectionHashes: Object.fromEntries(sections.map((s) => [s.id, s.hash])),
        themeLabels: this.themeLabelsOf(metadata.themes, record.espaceId),
        publishedBy: userIdOf(actor),
        publishedAt: this.now().toISOString(),
      },
      this.stems(metadata.title || record.title, metadata, text, record.espaceId),
      (taken) => slugFor(metadata.title || record.title, taken),
    );
    this.audit.record({
      actorId: userIdOf(actor),
      action: 'publication.publish',
      target: { type: 'document', id: documentId },
      details: { number: publication.number, versionId: version.id },
    });
    this.announce(documentId, publication.number, false);
    return dto(publication);
  }

  /**
   * Rebuilds the public search index of every visible publication with today's stems (after
   * `FRENCH_STEMS_VERSION` changed). Returns how many documents were indexed again.
   */
  reindexSearch(): number {
    const visible = this.publications.listVisible({ limit: -1 });
    for (const p of visible) {
      const espaceId = this.documents.findById(p.documentId)?.espaceId ?? null;
      this.publications.reindex(p.documentId, this.stems(p.title, p.metadata, p.text, espaceId));
    }
    return visible.length;
  }

  /** Tells the document's open editors that its publication changed (`publication-changed`). */
  private announce(documentId: string, number: number, hidden: boolean): void {
    const message: PublicationChangedMessage = { type: 'publication-changed', number, hidden };
    this.live.broadcast(documentId, message);
  }

  /** `GET /api/documents/:id/publications`: newest first, hidden ones included. */
  list(actor: Actor, documentId: string): PublicationDto[] {
    readableDocument(this.documents, actor, documentId, { archived: true });
    return this.publications.forDocument(documentId).map(dto);
  }

  /**
   * `POST /api/publications/:id/unpublish|republish`: hides the document (all its publications)
   * from the portal, its search and its feed, or shows it again. Audited.
   * @throws DomainError `not_found`, `forbidden`, `conflict` (409: already so).
   */
  setHidden(actor: Actor, publicationId: string, hidden: boolean): PublicationDto {
    const publication = this.publications.findById(publicationId);
    if (!publication) throw notFound('Cette publication n’existe pas.');
    const { record, target } = readableDocument(this.documents, actor, publication.documentId, {
      archived: true,
    });
    if (!can(actor, 'publication.publish', { ...target, archived: false }))
      throw forbidden('Seul l’animateur de l’espace publie et dépublie les documents.');
    if (!hidden && record.archivedAt)
      throw conflict('Ce document est archivé : restaurez-le avant de le remettre en ligne.');
    const newest = this.publications.forDocument(publication.documentId)[0] ?? publication;
    const changed = this.publications.setHidden(
      publication.documentId,
      hidden ? { at: this.now().toISOString(), by: userIdOf(actor) } : null,
      hidden ? null : this.stems(newest.title, newest.metadata, newest.text, record.espaceId),
    );
    if (!changed) throw conflict(hidden ? 'Ce document est déjà dépublié.' : 'Ce document est déjà publié.');
    this.audit.record({
      actorId: userIdOf(actor),
      action: hidden ? 'publication.unpublish' : 'publication.republish',
      target: { type: 'document', id: publication.documentId },
      details: { publicationId },
    });
    this.announce(publication.documentId, newest.number, hidden);
    return dto(this.publications.findById(publicationId) ?? publication);
  }

  /**
   * Visible publication `number` of the document at `slug` (or its newest), for the portal: what
   * the portal shows, its downloads and its reuse signals (never of an archived document).
   */
  visible(slug: string, number?: number): PublicationRecord | undefined {
    const publication = this.publications.findBySlug(slug, number);
    if (!publication) return undefined;
    return this.documents.findById(publication.documentId)?.archivedAt ? undefined : publication;
  }

  /**
   * The public search: visible publications of documents not archived, best first (bm25, title
   * ×10 and keywords ×5 over the text). Never a draft: only publications are indexed.
   */
  search(query: string, limit = 20): SearchResult[] {
    const expression = searchExpression(query);
    if (!expression) return [];
    return this.publications
      .search(expression, limit)
      .map(({ publication }) => ({ publication, snippet: snippetOf(publication.text, query) }));
  }

  /**
   * Links of published pages: another document leads to its portal page while it has a visible
   * publication; an uploaded image to its portal address.
   */
  links(): PublishedLinks {
    return {
      documentUrl: (documentId) => {
        const latest = this.publications.latestOf([documentId]).get(documentId);
        return latest && latest.hiddenAt === null ? portalUrl(latest.slug) : null;
      },
      imageUrl: (src) => {
        const match = /^\/api\/files\/([0-9a-f]{64})$/.exec(src);
        return match ? `${PORTAL_FILES}${match[1]}` : null;
      },
    };
  }

  /**
   * The document as the collaborative server holds it now: JSON, plain text, metadata, without
   * any invisible control character (`withoutInvisibleControls`): what is frozen is clean.
   */
  private snapshot(documentId: string): { content: DocJSON; text: string; metadata: DocumentMetadata } {
    const read = (doc: Y.Doc) => {
      const node = ydocToNode(doc);
      const meta = doc.getMap<unknown>(META_MAP);
      return {
        content: node.toJSON() as DocJSON,
        // Blocks on their own lines, footnotes where they are called.
        text: node.textBetween(0, node.content.size, '\n', (leaf) =>
          leaf.type.name === 'footnote'
            ? ` (${String(leaf.attrs.text)})`
            : leaf.type.name === 'docRef'
              ? String(leaf.attrs.title)
              : '',
        ),
        metadata: readMetadata((key) => meta.get(key)),
      };
    };
    return withoutInvisibleControls(readCurrentDocument(this.live, this.store, documentId, read));
  }

  /** The labels of `themes` in the espace now, by theme id (frozen with a publication). */
  private themeLabelsOf(themes: readonly string[], espaceId: string | null): Record<string, string> {
    const labels = new Map((espaceId ? this.themes.list(espaceId) : []).map((t) => [t.id, t.label]));
    return Object.fromEntries(themes.flatMap((id) => (labels.has(id) ? [[id, labels.get(id) ?? id]] : [])));
  }

  /** What the search index keeps: stems of the title, of the keywords and labels, of the text. */
  private stems(title: string, m: DocumentMetadata, text: string, espaceId: string | null): PublicationStems {
    const themeLabels = new Map((espaceId ? this.themes.list(espaceId) : []).map((t) => [t.id, t.label]));
    const keywords = [
      ...m.motsCles,
      ...m.themes.map((t) => themeLabels.get(t) ?? t),
      m.categorie ? categoryLabels[m.categorie] : '',
      m.structureType ? structureTypeLabels[m.structureType] : '',
      m.territoire ? territoireLabel(m.territoire) : '',
      m.structure,
      m.public,
    ].join(' ');
    return { title: frenchStems(title), keywords: frenchStems(keywords), body: frenchStems(text) };
  }
}

/**
 * The {@link PublicationSummaries} of the document lists (issue 13): for each document whose
 * newest publication is visible, its number and slug, and its approved reuse signals. Two grouped
 * queries whatever the number of documents.
 */
export function publicationSummaries(
  publications: Pick<PublicationRepository, 'latestOf'>,
  signals: Pick<SignalRepository, 'approvedCounts'>,
): PublicationSummaries {
  return {
    summariesOf(documentIds) {
      const out = new Map<string, PublishedSummary>();
      if (documentIds.length === 0) return out;
      const latest = publications.latestOf(documentIds);
      const shown = [...latest.values()].filter((p) => p.hiddenAt === null);
      const reuses = shown.length > 0 ? signals.approvedCounts(shown.map((p) => p.documentId)) : new Map();
      for (const p of shown)
        out.set(p.documentId, { number: p.number, slug: p.slug, reuses: reuses.get(p.documentId) ?? 0 });
      return out;
    },
  };
}

/** A publication as the API gives it. */
export function dto(p: PublicationRecord): PublicationDto {
  return {
    id: p.id,
    documentId: p.documentId,
    number: p.number,
    url: portalUrl(p.slug, p.number),
    documentUrl: portalUrl(p.slug),
    versionId: p.versionId,
    title: p.title,
    publishedAt: p.publishedAt,
    publishedBy: p.publishedBy ? { id: p.publishedBy, name: p.publishedByName ?? 'Personne inconnue' } : null,
    hidden: p.hiddenAt !== null,
  };
}

/** One result of the public search, best first. */
export interface SearchResult {
  publication: PublicationRecord;
  /** HTML: escaped text around the first words found, the words in `<mark>`. */
  snippet: string;
}

/**
 * The FTS5 expression of a query typed by a person: every word must be found, as a stem or the
 * beginning of one (« conférence familiale » finds « conférences familiales »; « aller vers »
 * finds « aller-vers »). Null when the query has no word. Quotes are doubled: nothing typed is
 * read as FTS5 syntax.
 */
export function searchExpression(query: string): string | null {
  const stems = frenchStems(query).split(' ').filter(Boolean);
  if (stems.length === 0) return null;
  return stems.map((s) => `"${s.replace(/"/g, '""')}"*`).join(' ');
}

/**
 * About `width` characters of `text` around the first word whose stem starts like one of the
 * query's stems, with every such word in `<mark>`; escaped HTML. The start of the text when no
 * word matches (a match in the title or the keywords).
 */
export function snippetOf(text: string, query: string, width = 220): string {
  const stems = frenchStems(query).split(' ').filter(Boolean);
  const words = [...text.matchAll(/[\p{L}\p{N}]+/gu)];
  const hits = words.filter((w) => {
    const stem = frenchStems(w[0]);
    return stems.some((s) => stem.startsWith(s));
  });
  const first = hits[0]?.index ?? 0;
  let start = Math.max(0, first - Math.floor(width / 3));
  if (start > 0) start = text.indexOf(' ', start) + 1 || start;
  let end = Math.min(text.length, start + width);
  if (end < text.length) end = text.lastIndexOf(' ', end) > start ? text.lastIndexOf(' ', end) : end;
  let out = '';
  let at = start;
  for (const hit of hits) {
    const from = hit.index;
    const to = from + hit[0].length;
    if (from < start || to > end) continue;
    out += escapeHtml(text.slice(at, from)) + `<mark>${escapeHtml(hit[0])}</mark>`;
    at = to;
  }
  out += escapeHtml(text.slice(at, end));
  return `${start > 0 ? '… ' : ''}${out.replace(/\s+/g, ' ').trim()}${end < text.length ? ' …' : ''}`;
}
