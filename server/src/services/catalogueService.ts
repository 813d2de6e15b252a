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

/** Lower case without accents, for searching French text. */
const fold = (text: string): string =>
  text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();

const collator = new Intl.Collator('fr', { sensitivity: 'base', numeric: true });

/** The catalogue: finding documents among those a person may read (filters, search, sort). */
export class CatalogueService {
  constructor(
    private readonly documents: DocumentRepository,
    private readonly threads: ThreadCounts,
    private readonly reviews: ReviewProgress,
    private readonly published: PublicationSummaries,
  ) {}

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
      .filter(({ r, a }) => can(actor, 'document.read', targetWithAssignees(r, a)))
      .filter(({ r }) => words.every((w) => searchText(r).includes(w)));
    const reviews = this.reviews.progressOf(visible.map((v) => v.r));
    const inState = visible
      .map((v) => v.r)
      .filter(
        (r) => !query.reviewState || (reviews.get(r.id)?.state ?? 'en_redaction') === query.reviewState,
      );
    const sorted = sortRecords(inState, query.sort ?? 'updated', query.order, assignees, reviews);
    const openThreads = this.threads.openThreads(sorted.map((r) => r.id));
    const published = this.published.summariesOf(sorted.map((r) => r.id));
    return sorted.map((r) => {
      const a = assignees.get(r.id) ?? [];
      return documentDto(
        actor,
        r,
        targetWithAssignees(r, a),
        a,
        openThreads.get(r.id) ?? 0,
        reviews.get(r.id),
        published.get(r.id),
      );
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

function searchText(r: DocumentRecord): string {
  const m = r.metadata;
  return fold([r.title, m.structure, m.public, m.contact, ...m.motsCles].join(' '));
}

function sortRecords(
  records: DocumentRecord[],
  sort: NonNullable<CatalogueQuery['sort']>,
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
