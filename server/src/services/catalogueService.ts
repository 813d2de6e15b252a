import { MAX_SEARCH_TERMS } from './publicationService.js';
import {
  can,
  categoryLabels,
  documentKindLabels,
  forbidden,
  structureTypeLabels,
  type Actor,
  type DocumentReview,
} from '@essaim/domain';
import type { CatalogueQuery, DocumentDto } from '@essaim/protocol';
import { territoireLabel, territoires } from '../reference/territoires.js';
import type { AssigneeRecord, DocumentRecord, DocumentRepository } from '../storage/documentRepository.js';
import {
  documentDto,
  type PublicationSummaries,
  type ReviewProgress,
  type ThreadCounts,
} from './documentDto.js';
import { targetWithAssignees } from './documentTarget.js';
import type { DraftHit, DraftSearchFilters } from './draftSearchService.js';

/** Lower case without accents, for searching French text. */
const fold = (text: string): string =>
  text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();

const collator = new Intl.Collator('fr', { sensitivity: 'base', numeric: true });

/** The full-text search of drafts the catalogue asks (`DraftSearchService`). */
export interface DraftTextSearch {
  searchInSlices(
    actor: Actor,
    query: string,
    filters: DraftSearchFilters,
  ): Promise<ReadonlyMap<string, DraftHit>>;
  addSnippetsInSlices(query: string, hits: Iterable<DraftHit>): Promise<void>;
}

const noDraftSearch: DraftTextSearch = {
  searchInSlices: () => Promise.resolve(new Map()),
  addSnippetsInSlices: () => Promise.resolve(),
};

/**
 * Documents of an answer, from its first, whose matches get their snippets: past them, a match
 * says where the words are without the text around them (a snippet costs its text's stems).
 */
export const SNIPPET_DOCUMENTS = 100;

/** The catalogue: finding documents among those a person may read (filters, search, sort). */
export class CatalogueService {
  constructor(
    private readonly documents: DocumentRepository,
    private readonly threads: ThreadCounts,
    private readonly reviews: ReviewProgress,
    private readonly published: PublicationSummaries,
    private readonly drafts: DraftTextSearch = noDraftSearch,
  ) {}

  /**
   * The catalogue: documents the actor may see, filtered and sorted. Filters on columns run in
   * SQL; the French-aware sort runs here. Words (`q`) find a document when its title or metadata
   * hold every one of them (accents and case aside), or when one of its sections or comment
   * threads does (the full-text search of drafts, issue 18: French stems, `"…"` phrases); such a
   * document carries its `matches`. With words, documents come best first unless another sort is
   * asked for: title and metadata matches, then by full-text rank (bm25). The full-text search
   * and its snippets share the event loop (a few ms at a time, issue 17): the answer comes in a
   * later turn.
   */
  async list(actor: Actor, query: CatalogueQuery = {}): Promise<DocumentDto[]> {
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
    // Quotes mark phrases for the full-text search; titles and metadata are matched word by word.
    const words = query.q
      ? [...new Set(fold(query.q.replace(/"/g, ' ')).split(/\s+/).filter(Boolean))].slice(0, MAX_SEARCH_TERMS)
      : [];
    const assignees = this.documents.assigneesOf(records.map((r) => r.id));
    const readable = records
      .map((r) => ({ r, a: assignees.get(r.id) ?? [] }))
      .filter(({ r, a }) => can(actor, 'document.read', targetWithAssignees(r, a)));
    const byMetadata = new Set(
      readable
        .filter(({ r }) => !query.q || (words.length > 0 && words.every((w) => searchText(r).includes(w))))
        .map(({ r }) => r.id),
    );
    const byText: ReadonlyMap<string, DraftHit> = query.q
      ? await this.drafts.searchInSlices(actor, query.q, {
          archived: query.archived === 'true',
          candidates: readable.map(({ r, a }) => ({ record: r, assignees: a })),
        })
      : new Map();
    const visible = readable.filter(({ r }) => byMetadata.has(r.id) || byText.has(r.id));
    const reviews = this.reviews.progressOf(visible.map((v) => v.r));
    const inState = visible
      .map((v) => v.r)
      .filter(
        (r) => !query.reviewState || (reviews.get(r.id)?.state ?? 'en_redaction') === query.reviewState,
      );
    const sort = query.sort ?? (query.q ? 'relevance' : 'updated');
    const sorted =
      sort === 'relevance' && query.q
        ? byRelevance(inState, byMetadata, byText)
        : sortRecords(inState, sort === 'relevance' ? 'updated' : sort, query.order, assignees, reviews);
    if (byText.size > 0)
      await this.drafts.addSnippetsInSlices(
        query.q ?? '',
        sorted
          .slice(0, SNIPPET_DOCUMENTS)
          .map((r) => byText.get(r.id))
          .filter((hit): hit is DraftHit => hit !== undefined),
      );
    const openThreads = this.threads.openThreads(sorted.map((r) => r.id));
    const published = this.published.summariesOf(sorted.map((r) => r.id));
    return sorted.map((r) => {
      const a = assignees.get(r.id) ?? [];
      const dto = documentDto(
        actor,
        r,
        targetWithAssignees(r, a),
        a,
        openThreads.get(r.id) ?? 0,
        reviews.get(r.id),
        published.get(r.id),
      );
      const hit = byText.get(r.id);
      if (!hit) return dto;
      const matches = hit.matches.map(({ sectionId, sectionTitle, threadId, snippet }) => ({
        sectionId,
        sectionTitle,
        threadId,
        snippet,
      }));
      return { ...dto, matches };
    });
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

/**
 * Best first: documents whose title or metadata hold every word, then the others; within each,
 * by the rank of their best section or thread (bm25: lower is better; none last), then by title.
 */
function byRelevance(
  records: readonly DocumentRecord[],
  byMetadata: ReadonlySet<string>,
  byText: ReadonlyMap<string, DraftHit>,
): DocumentRecord[] {
  const rank = (r: DocumentRecord): number => byText.get(r.id)?.rank ?? Number.POSITIVE_INFINITY;
  return [...records].sort(
    (a, b) =>
      Number(!byMetadata.has(a.id)) - Number(!byMetadata.has(b.id)) ||
      rank(a) - rank(b) ||
      collator.compare(a.title, b.title),
  );
}

function searchText(r: DocumentRecord): string {
  const m = r.metadata;
  return fold([r.title, m.structure, m.public, m.contact, ...m.motsCles].join(' '));
}

function sortRecords(
  records: DocumentRecord[],
  sort: Exclude<NonNullable<CatalogueQuery['sort']>, 'relevance'>,
  order: 'asc' | 'desc' | undefined,
  assignees: ReadonlyMap<string, AssigneeRecord[]>,
  reviews: ReadonlyMap<string, DocumentReview>,
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
    progress: (r: DocumentRecord) => {
      const review = reviews.get(r.id);
      return review && review.total > 0 ? review.approved / review.total : 0;
    },
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
