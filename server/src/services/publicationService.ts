import { randomUUID } from 'node:crypto';
import {
  ARCHIVED_READ_ONLY_MESSAGE,
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
import { foldFrench, frenchStem, frenchStems, frenchWords } from './frenchText.js';
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
    if (record.archivedAt) throw conflict(ARCHIVED_READ_ONLY_MESSAGE);
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
    if (!hidden && record.archivedAt) throw conflict(ARCHIVED_READ_ONLY_MESSAGE);
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
  const stems = [...new Set(frenchStems(query).split(' ').filter(Boolean))].slice(0, MAX_SEARCH_TERMS);
  if (stems.length === 0) return null;
  // A prefix of one or two letters would expand to most of the index (« e e e … » froze the
  // server for seconds): such stems match whole words only.
  return stems.map((s) => `"${s.replace(/"/g, '""')}"${s.length >= 3 ? '*' : ''}`).join(' ');
}

/** Distinct words of a query that are searched; the others are ignored (bounded work). */
export const MAX_SEARCH_TERMS = 10;

/** Texts up to this many characters are read whole for a snippet; longer ones around one place. */
const SNIPPET_WHOLE_TEXT = 4096;
/** Characters read before and after the place a longer text's words were found. */
const SNIPPET_BEFORE = 300;
const SNIPPET_AFTER = 700;
/** At most this many places a query's letters appear are looked at in a longer text. */
const SNIPPET_CANDIDATES = 2000;
/** At most this many distinct words found there are stemmed. */
const SNIPPET_STEMMED = 64;

/**
 * Each letter a-z and every Latin letter that folds to it (`foldFrench`: « é », « É », « È » →
 * « e »), as a regular expression class, then optional combining accents (text written decomposed).
 */
const LETTER_CLASSES: ReadonlyMap<string, string> = (() => {
  const variants = new Map<string, string[]>();
  for (let cp = 0x41; cp <= 0x24f; cp++) {
    const char = String.fromCodePoint(cp);
    const folded = foldFrench(char);
    if (/^[a-z]$/.test(folded)) variants.set(folded, [...(variants.get(folded) ?? []), char]);
  }
  return new Map([...variants].map(([letter, chars]) => [letter, `[${chars.join('')}][\\u0300-\\u036f]*`]));
})();

/** The ligatures `foldFrench` writes out (« œ » → « oe »), as patterns of either spelling. */
const LIGATURES: ReadonlyMap<string, string> = new Map([
  ['oe', '[œŒ]'],
  ['ae', '[æÆ]'],
]);

/**
 * A folded word (letters and digits) as a pattern that matches it however it is accented, cased
 * or ligatured (« oeuvre » finds « Œuvre »).
 */
function accentInsensitive(folded: string): string {
  const letter = (char: string): string =>
    LETTER_CLASSES.get(char) ?? char.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');
  const chars = [...folded];
  let out = '';
  for (let i = 0; i < chars.length; i++) {
    const pair = `${chars[i]}${chars[i + 1] ?? ''}`;
    const ligature = LIGATURES.get(pair);
    if (ligature) {
      out += `(?:${letter(pair[0] ?? '')}${letter(pair[1] ?? '')}|${ligature})`;
      i++;
    } else out += letter(chars[i] ?? '');
  }
  return out;
}

/** Letters and digits, and the accents of text written decomposed (NFD), make words. */
const WORD_CHAR = /[\p{L}\p{N}\p{M}]/u;
const WORD_AT = /[\p{L}\p{N}\p{M}]+/uy;

/**
 * Where the first word of `text` whose stem starts like one of `stems` probably is, found without
 * reading the whole text word by word: a native regular expression finds where the beginnings of
 * the stems (their last two letters dropped: the stemmer rewrites endings, « conférence » →
 * « conferent ») or the folded query words are written, however accented or cased, at the start
 * of a word; only the words found there are stemmed to check them, at most
 * {@link SNIPPET_STEMMED} distinct ones among {@link SNIPPET_CANDIDATES} places. Null when none is
 * found so (a match in the title or the keywords, or a word the stemmer changed too much).
 */
function firstWordAt(text: string, query: string, stems: readonly string[]): number | null {
  const prefixes = new Set<string>();
  for (const stem of stems) prefixes.add(stem.slice(0, Math.max(Math.min(3, stem.length), stem.length - 2)));
  for (const word of frenchWords(foldFrench(query))) prefixes.add(word);
  const shortest = [...prefixes].filter((p) => ![...prefixes].some((q) => q !== p && p.startsWith(q)));
  if (shortest.length === 0) return null;
  const pattern = new RegExp(shortest.map(accentInsensitive).join('|'), 'g');
  const checked = new Map<string, boolean>();
  for (let n = 0; n < SNIPPET_CANDIDATES; n++) {
    const found = pattern.exec(text);
    if (!found) return null;
    const at = found.index;
    if (at > 0 && WORD_CHAR.test(text[at - 1] ?? '')) continue;
    WORD_AT.lastIndex = at;
    const word = WORD_AT.exec(text)?.[0].toLowerCase() ?? '';
    let hit = checked.get(word);
    if (hit === undefined) {
      if (checked.size >= SNIPPET_STEMMED) return null;
      const stem = frenchStem(word);
      hit = stems.some((s) => stem.startsWith(s));
      checked.set(word, hit);
    }
    if (hit) return at;
  }
  return null;
}

/**
 * About `width` characters of `text` around the first word whose stem starts like one of the
 * query's stems, with every such word in `<mark>`; escaped HTML. The start of the text when no
 * word matches (a match in the title or the keywords). The one snippet of the public search, for
 * `/api/public/search` and the portal's `/pratiques/recherche` alike.
 *
 * Bounded whatever the text's length (a published fiche may hold megabytes): a text up to
 * {@link SNIPPET_WHOLE_TEXT} characters is read word by word; a longer one is searched natively
 * for where the words are ({@link firstWordAt}) and only a window of about a thousand
 * characters around that place (or its start) is read word by word, so the tokenizer and the
 * stemmer never see more than a few KB of it.
 */
export function snippetOf(text: string, query: string, width = 220): string {
  const stems = frenchStems(query).split(' ').filter(Boolean);
  if (text.length <= SNIPPET_WHOLE_TEXT) return snippetIn(text, stems, width, false, false);
  const at = stems.length > 0 ? firstWordAt(text, query, stems) : null;
  let from = 0;
  if (at !== null && at > SNIPPET_BEFORE) {
    from = at - SNIPPET_BEFORE;
    // Starts after the word the window cuts, if any (`at` itself starts a word).
    while (from < at && WORD_CHAR.test(text[from - 1] ?? '') && WORD_CHAR.test(text[from] ?? '')) from++;
  }
  const to = Math.min(text.length, (at ?? 0) + SNIPPET_AFTER);
  return snippetIn(text.slice(from, to), stems, width, from > 0, to < text.length);
}

/**
 * The snippet of `window` (a whole text, or a part of one: `before` and `after` say whether the
 * text goes on on either side, which then shows as « … »).
 */
function snippetIn(
  window: string,
  stems: readonly string[],
  width: number,
  before: boolean,
  after: boolean,
): string {
  const words = [...window.matchAll(/[\p{L}\p{N}][\p{L}\p{N}\p{M}]*/gu)];
  const hits = words.filter((w) => {
    const stem = frenchStem(w[0].toLowerCase());
    return stems.some((s) => stem.startsWith(s));
  });
  const first = hits[0]?.index ?? 0;
  let start = Math.max(0, first - Math.floor(width / 3));
  if (start > 0) start = window.indexOf(' ', start) + 1 || start;
  let end = Math.min(window.length, start + width);
  if (end < window.length) end = window.lastIndexOf(' ', end) > start ? window.lastIndexOf(' ', end) : end;
  let out = '';
  let at = start;
  for (const hit of hits) {
    const from = hit.index;
    const to = from + hit[0].length;
    if (from < start || to > end) continue;
    out += escapeHtml(window.slice(at, from)) + `<mark>${escapeHtml(hit[0])}</mark>`;
    at = to;
  }
  out += escapeHtml(window.slice(at, end));
  const open = start > 0 || before ? '… ' : '';
  const close = end < window.length || after ? ' …' : '';
  return `${open}${out.replace(/\s+/g, ' ').trim()}${close}`;
}
