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
import { CATALOGUE_PAGE_SIZE, type CatalogueQuery, type DocumentListDto } from '@essaim/protocol';
import { territoireLabel, territoires } from '../reference/territoires.js';
import type { AssigneeRecord, DocumentRepository, DocumentSummary } from '../storage/documentRepository.js';
import {
  documentDto,
  type PublicationSummaries,
  type ReviewProgress,
  type ThreadCounts,
} from './documentDto.js';
import { targetWithAssignees } from './documentTarget.js';
import type { DraftHit, DraftSearchFilters } from './draftSearchService.js';
import { Slicer, type SliceOptions } from './slicer.js';

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
 * Documents of a page, from its first, whose matches get their snippets: past them, a match says
 * where the words are without the text around them (a snippet costs its text's stems). A page of
 * the catalogue's default size ({@link CATALOGUE_PAGE_SIZE}) has all its snippets.
 */
export const SNIPPET_DOCUMENTS = 100;

/** Summaries read per chunk (about 1–2 ms each on this machine), between which the loop may run. */
const SUMMARY_CHUNK = 250;
/** Whole documents read, and their review computed, per chunk (`sort=progress`, `pages`, `reviewState`). */
const WHOLE_CHUNK = 50;

/**
 * What {@link CatalogueService.list} takes: the route's parsed `catalogueQuery`, whose `limit` and
 * `offset` carry their defaults, or fewer fields (benchmarks, scripts): a missing `limit` is
 * {@link CATALOGUE_PAGE_SIZE}, a missing `offset` 0.
 */
export type CatalogueListQuery = Omit<CatalogueQuery, 'limit' | 'offset'> &
  Partial<Pick<CatalogueQuery, 'limit' | 'offset'>>;

/** The catalogue: finding documents among those a person may read (filters, search, sort, pages). */
export class CatalogueService {
  constructor(
    private readonly documents: DocumentRepository,
    private readonly threads: ThreadCounts,
    private readonly reviews: ReviewProgress,
    private readonly published: PublicationSummaries,
    private readonly drafts: DraftTextSearch = noDraftSearch,
    private readonly slices: SliceOptions = {},
  ) {}

  /**
   * One page of the catalogue: documents the actor may see, filtered and sorted, from `offset`,
   * at most `limit` (issue 17), with `total` (documents matching before paging) and `nextOffset`
   * (null on the last page). Filters on columns run in SQL; the French-aware sort runs here.
   * Words (`q`) find a document when its title or metadata hold every one of them (accents and
   * case aside), or when one of its sections or comment threads does (the full-text search of
   * drafts, issue 18: French stems, `"…"` phrases); such a document carries its `matches`. With
   * words, documents come best first unless another sort is asked for: title and metadata
   * matches, then by full-text rank (bm25).
   *
   * Cost (issue 17: 3,468 documents took 250–430 ms of event loop per call): every candidate is
   * read as a summary (no sections, `DocumentRepository.searchSummaries`), checked, searched and
   * sorted (the sort needs them all; sorting 3,000 takes under 1 ms), while the whole records, the
   * DTOs, the open thread counts, the publications, the snippets and the review progress are read
   * for the page alone, unless the review state filters or the progress or the page count sorts
   * (then every document is read whole). Reading, checking and reading whole run in slices of
   * about 4 ms ({@link Slicer}), as the full-text search and its snippets do: the answer comes in
   * a later turn, and nobody's keystrokes wait behind a page (tester BR36: three catalogue loops
   * took writer → reader p99 from 18 to 199 ms, 96 ms sliced; a `sort=progress` loop to 241 ms,
   * 43 ms sliced). The sort is total (ties broken by title, then id), so pages asked one after
   * the other cover every document once while nothing changes.
   * @throws DomainError `forbidden` when `espaceId` names an espace the actor is not a member of.
   */
  async list(actor: Actor, query: CatalogueListQuery = {}): Promise<DocumentListDto> {
    const limit = query.limit ?? CATALOGUE_PAGE_SIZE;
    const offset = query.offset ?? 0;
    if (actor.kind !== 'user') return { documents: [], total: 0, nextOffset: null };
    let espaceIds: string[] | null;
    if (query.espaceId) {
      if (!can(actor, 'document.list', { type: 'espace', espaceId: query.espaceId }))
        throw forbidden('Vous n’êtes pas membre de cet espace de travail.');
      espaceIds = [query.espaceId];
    } else {
      espaceIds = can(actor, 'espace.listAll', { type: 'instance' }) ? null : [...actor.roles.keys()];
    }
    // Summaries only (issue 17): the sections, read for the page below, cost 7 times more. Read
    // in chunks, checked and read whole in slices: a page over 3,000 documents held the event
    // loop 30–45 ms in one turn, and a member looping on it delayed everyone's keystrokes
    // (tester BR36: writer → reader p99 756 ms); `sort=progress`, 0.4–2.9 s.
    const slicer = new Slicer(this.slices);
    const filter = {
      espaceIds,
      archived: query.archived === 'true',
      kind: query.kind,
      theme: query.theme,
      categorie: query.categorie,
      structureType: query.structureType,
      territoires: query.territoire ? territoryCodes(query.territoire) : undefined,
      assignee: query.assignee === 'me' ? actor.userId : query.assignee,
      annee: query.annee,
    };
    const records: DocumentSummary[] = [];
    for (let after: number | null = 0; after !== null;) {
      const chunk = this.documents.searchSummaryChunk(filter, after, SUMMARY_CHUNK);
      records.push(...chunk.documents);
      after = chunk.next;
      await slicer.check();
    }
    // Quotes mark phrases for the full-text search; titles and metadata are matched word by word.
    const words = query.q
      ? [...new Set(fold(query.q.replace(/"/g, ' ')).split(/\s+/).filter(Boolean))].slice(0, MAX_SEARCH_TERMS)
      : [];
    // Every candidate's assignees: who may read it, and the « rapporteurs » sort.
    const assignees = this.documents.assigneesOf(records.map((r) => r.id));
    const readable: { r: DocumentSummary; a: AssigneeRecord[] }[] = [];
    for (const r of records) {
      const a = assignees.get(r.id) ?? [];
      if (can(actor, 'document.read', targetWithAssignees(r, a))) readable.push({ r, a });
      await slicer.check();
    }
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
    const visible = readable.filter(({ r }) => byMetadata.has(r.id) || byText.has(r.id)).map((v) => v.r);
    const sort = query.sort ?? (query.q ? 'relevance' : 'updated');
    // The review state filters and the progress and pages sorts read every document whole (their
    // sections, their page count); otherwise only the page's documents are, below.
    const readsAll = Boolean(query.reviewState) || sort === 'progress' || sort === 'pages';
    const pages = new Map<string, number>();
    let reviewsOfAll: Map<string, DocumentReview> | undefined;
    if (readsAll) {
      const progress = Boolean(query.reviewState) || sort === 'progress';
      if (progress) reviewsOfAll = new Map();
      for (let from = 0; from < visible.length; from += WHOLE_CHUNK) {
        const whole = this.documents.findMany(visible.slice(from, from + WHOLE_CHUNK).map((r) => r.id));
        for (const r of whole) pages.set(r.id, r.pages);
        if (reviewsOfAll)
          for (const [id, review] of this.reviews.progressOf(whole)) reviewsOfAll.set(id, review);
        await slicer.check();
      }
    }
    const inState = reviewsOfAll
      ? visible.filter(
          (r) =>
            !query.reviewState || (reviewsOfAll.get(r.id)?.state ?? 'en_redaction') === query.reviewState,
        )
      : visible;
    const sorted =
      sort === 'relevance' && query.q
        ? byRelevance(inState, byMetadata, byText)
        : sortRecords(
            inState,
            sort === 'relevance' ? 'updated' : sort,
            query.order,
            assignees,
            reviewsOfAll ?? new Map(),
            pages,
          );
    const page = sorted.slice(offset, offset + limit);
    const end = offset + page.length;
    const nextOffset = end < sorted.length ? end : null;
    if (byText.size > 0)
      await this.drafts.addSnippetsInSlices(
        query.q ?? '',
        page
          .slice(0, SNIPPET_DOCUMENTS)
          .map((r) => byText.get(r.id))
          .filter((hit): hit is DraftHit => hit !== undefined),
      );
    const ids = page.map((r) => r.id);
    const pageRecords = this.documents.findMany(ids);
    const openThreads = this.threads.openThreads(ids);
    const published = this.published.summariesOf(ids);
    const reviews = reviewsOfAll ?? this.reviews.progressOf(pageRecords);
    const documents = pageRecords.map((r) => {
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
    return { documents, total: sorted.length, nextOffset };
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
  records: readonly DocumentSummary[],
  byMetadata: ReadonlySet<string>,
  byText: ReadonlyMap<string, DraftHit>,
): DocumentSummary[] {
  const rank = (r: DocumentSummary): number => byText.get(r.id)?.rank ?? Number.POSITIVE_INFINITY;
  return [...records].sort(
    (a, b) =>
      Number(!byMetadata.has(a.id)) - Number(!byMetadata.has(b.id)) ||
      rank(a) - rank(b) ||
      byTitleThenId(a, b),
  );
}

/**
 * The last tie-break of every sort: title (French collation), then id, so that two documents never
 * compare equal and the pages of one order neither repeat nor skip a document (issue 17).
 */
function byTitleThenId(a: DocumentSummary, b: DocumentSummary): number {
  return collator.compare(a.title, b.title) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

function searchText(r: DocumentSummary): string {
  const m = r.metadata;
  return fold([r.title, m.structure, m.public, m.contact, ...m.motsCles].join(' '));
}

function sortRecords(
  records: DocumentSummary[],
  sort: Exclude<NonNullable<CatalogueQuery['sort']>, 'relevance'>,
  order: 'asc' | 'desc' | undefined,
  assignees: ReadonlyMap<string, AssigneeRecord[]>,
  reviews: ReadonlyMap<string, DocumentReview>,
  pageCounts: ReadonlyMap<string, number>,
): DocumentSummary[] {
  const key: (r: DocumentSummary) => string | number | null = {
    updated: (r: DocumentSummary) => r.updatedAt,
    created: (r: DocumentSummary) => r.createdAt,
    title: (r: DocumentSummary) => r.title,
    categorie: (r: DocumentSummary) => (r.metadata.categorie ? categoryLabels[r.metadata.categorie] : null),
    kind: (r: DocumentSummary) => documentKindLabels[r.kind],
    structureType: (r: DocumentSummary) =>
      r.metadata.structureType ? structureTypeLabels[r.metadata.structureType] : null,
    rapporteurs: (r: DocumentSummary) =>
      assignees
        .get(r.id)
        ?.map((a) => a.name)
        .join(', ') || null,
    territoire: (r: DocumentSummary) =>
      r.metadata.territoire ? territoireLabel(r.metadata.territoire) : null,
    structure: (r: DocumentSummary) => r.metadata.structure || null,
    annee: (r: DocumentSummary) => r.metadata.anneeDemarrage,
    pages: (r: DocumentSummary) => pageCounts.get(r.id) ?? 0,
    progress: (r: DocumentSummary) => {
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
    if (x === null || y === null) return (x === null ? 1 : 0) - (y === null ? 1 : 0) || byTitleThenId(a, b);
    const c = typeof x === 'number' && typeof y === 'number' ? x - y : collator.compare(String(x), String(y));
    return direction * c || byTitleThenId(a, b);
  });
}
