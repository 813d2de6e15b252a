import {
  categories,
  documentKindNames,
  isStartYear,
  structureTypes,
  type Categorie,
  type DocumentReviewState,
  type StructureType,
} from '@essaim/domain';
import { SEARCH_TEXT_MAX, type CatalogueSort, type DocumentKind } from '@essaim/protocol';

export type SortOrder = 'asc' | 'desc';

/** What the catalogue shows: every filter, the sort and its order. */
export interface CatalogueFilters {
  /**
   * Words searched by the server in the title, the structure, the public and the keywords, and in
   * the text of the sections and the comments (issue 18; `"…"` for an exact phrase).
   */
  q: string;
  kind: DocumentKind | null;
  /** A theme id of the espace. */
  theme: string | null;
  categorie: Categorie | null;
  /** `dep:07`, `reg:84` or `national`. */
  territoire: string | null;
  structureType: StructureType | null;
  /** A user id: documents this person writes. */
  rapporteur: string | null;
  /** « Mes documents »: documents the current person writes (`assignee=me`). */
  mine: boolean;
  annee: number | null;
  /** The document's review state (issue 12): « En relecture », « Prête à publier »… */
  reviewState: DocumentReviewState | null;
  /** Shows the archived documents instead of the current ones. */
  archived: boolean;
  sort: CatalogueSort;
  order: SortOrder;
}

export const DEFAULT_SORT: CatalogueSort = 'updated';

/**
 * The sort the catalogue takes when the person chose none: best match first while words are
 * searched (issue 18), most recently changed first otherwise.
 */
export function naturalSort(q: string): CatalogueSort {
  return q.trim() ? 'relevance' : DEFAULT_SORT;
}

/**
 * Dates, years, lengths and review progress read best largest first (the most advanced documents
 * on top), relevance best first; names and labels alphabetically.
 */
export function defaultOrder(sort: CatalogueSort): SortOrder {
  return sort === 'updated' ||
    sort === 'created' ||
    sort === 'annee' ||
    sort === 'pages' ||
    sort === 'progress' ||
    sort === 'relevance'
    ? 'desc'
    : 'asc';
}

export const emptyFilters = (): CatalogueFilters => ({
  q: '',
  kind: null,
  theme: null,
  categorie: null,
  territoire: null,
  structureType: null,
  rapporteur: null,
  mine: false,
  annee: null,
  reviewState: null,
  archived: false,
  sort: DEFAULT_SORT,
  order: defaultOrder(DEFAULT_SORT),
});

/**
 * Names of the parameters in the page's address. They are French, as people read and share them
 * (`/espaces/x?theme=aller-vers&tri=titre`); the API has its own names (see `toApiQuery`).
 */
export const URL_PARAMS = {
  q: 'q',
  kind: 'type',
  theme: 'theme',
  categorie: 'categorie',
  territoire: 'territoire',
  structureType: 'structure',
  rapporteur: 'rapporteur',
  mine: 'mes-documents',
  annee: 'annee',
  reviewState: 'etat',
  archived: 'archives',
  sort: 'tri',
  order: 'ordre',
} as const satisfies Record<keyof CatalogueFilters, string>;

/** Sort keys as written in the address. */
const SORT_IN_URL = {
  updated: 'modification',
  created: 'creation',
  title: 'titre',
  categorie: 'categorie',
  territoire: 'territoire',
  structure: 'structure',
  annee: 'annee',
  pages: 'pages',
  kind: 'type',
  structureType: 'type-de-structure',
  rapporteurs: 'rapporteurs',
  progress: 'avancement',
  relevance: 'pertinence',
} as const satisfies Record<CatalogueSort, string>;

/** Review states as written in the address (`etat=prete-a-publier`). */
const REVIEW_STATE_IN_URL = {
  en_redaction: 'en-redaction',
  en_relecture: 'en-relecture',
  prete_a_publier: 'prete-a-publier',
  publiee: 'publiee',
} as const satisfies Record<DocumentReviewState, string>;

const ORDER_IN_URL = { asc: 'croissant', desc: 'decroissant' } as const satisfies Record<SortOrder, string>;

const YES = 'oui';
const TERRITORY = /^(dep:[0-9][0-9AB][0-9]?|reg:[0-9]{2}|national)$/;

function oneOf<T extends string>(values: readonly T[], raw: string | null): T | null {
  return raw !== null && (values as readonly string[]).includes(raw) ? (raw as T) : null;
}

function keyOf<T extends string>(table: Record<T, string>, raw: string | null): T | null {
  const entry = Object.entries(table).find(([, value]) => value === raw);
  return entry ? (entry[0] as T) : null;
}

function text(raw: string | null): string | null {
  const value = raw?.trim().slice(0, SEARCH_TEXT_MAX) ?? '';
  return value === '' ? null : value;
}

/**
 * A starting year as the metadata panel and the server accept it (1900 to next year:
 * `isStartYear` of @essaim/domain), or null.
 */
export function parseYear(raw: string | null | undefined, now: Date = new Date()): number | null {
  if (!raw || !/^\s*\d{4}\s*$/.test(raw)) return null;
  const year = Number(raw);
  return isStartYear(year, now) ? year : null;
}

/**
 * The filters written in the page's address. Values the catalogue does not know (a mistyped
 * category, a sort that does not exist) are dropped: the page shows what it can rather than fail.
 */
export function readFilters(params: URLSearchParams): CatalogueFilters {
  const q = text(params.get(URL_PARAMS.q)) ?? '';
  const asked = keyOf(SORT_IN_URL, params.get(URL_PARAMS.sort));
  // Relevance needs words: without them, the natural sort.
  const sort = asked && (asked !== 'relevance' || q) ? asked : naturalSort(q);
  const mine = params.get(URL_PARAMS.mine) === YES;
  return {
    q,
    kind: oneOf(documentKindNames, params.get(URL_PARAMS.kind)),
    theme: text(params.get(URL_PARAMS.theme)),
    categorie: oneOf(categories, params.get(URL_PARAMS.categorie)),
    territoire: TERRITORY.test(params.get(URL_PARAMS.territoire) ?? '')
      ? params.get(URL_PARAMS.territoire)
      : null,
    structureType: oneOf(structureTypes, params.get(URL_PARAMS.structureType)),
    // « Mes documents » and one rapporteur are two ways to filter on the same field.
    rapporteur: mine ? null : text(params.get(URL_PARAMS.rapporteur)),
    mine,
    annee: parseYear(params.get(URL_PARAMS.annee)),
    reviewState: keyOf(REVIEW_STATE_IN_URL, params.get(URL_PARAMS.reviewState)),
    archived: params.get(URL_PARAMS.archived) === YES,
    sort,
    order: keyOf(ORDER_IN_URL, params.get(URL_PARAMS.order)) ?? defaultOrder(sort),
  };
}

/**
 * The address parameters for these filters, keeping the parameters that are not filters (the
 * display mode). Default values are left out, so an unfiltered catalogue has a clean address.
 */
export function writeFilters(filters: CatalogueFilters, base = new URLSearchParams()): URLSearchParams {
  const params = new URLSearchParams(base);
  for (const name of Object.values(URL_PARAMS)) params.delete(name);
  const set = (name: string, value: string | null | false) => {
    if (value) params.set(name, value);
  };
  set(URL_PARAMS.q, filters.q.trim());
  set(URL_PARAMS.kind, filters.kind);
  set(URL_PARAMS.theme, filters.theme);
  set(URL_PARAMS.categorie, filters.categorie);
  set(URL_PARAMS.territoire, filters.territoire);
  set(URL_PARAMS.structureType, filters.structureType);
  set(URL_PARAMS.rapporteur, filters.mine ? null : filters.rapporteur);
  set(URL_PARAMS.mine, filters.mine && YES);
  set(URL_PARAMS.annee, filters.annee === null ? null : String(filters.annee));
  set(URL_PARAMS.reviewState, filters.reviewState && REVIEW_STATE_IN_URL[filters.reviewState]);
  set(URL_PARAMS.archived, filters.archived && YES);
  set(URL_PARAMS.sort, filters.sort === naturalSort(filters.q) ? null : SORT_IN_URL[filters.sort]);
  set(URL_PARAMS.order, filters.order === defaultOrder(filters.sort) ? null : ORDER_IN_URL[filters.order]);
  return params;
}

/** The query string of `GET /api/documents` for these filters (the server filters and sorts). */
export function toApiQuery(espaceId: string, filters: CatalogueFilters): string {
  const params = new URLSearchParams({ espaceId });
  const set = (name: string, value: string | null) => {
    if (value) params.set(name, value);
  };
  set('q', filters.q.trim());
  set('kind', filters.kind);
  set('theme', filters.theme);
  set('categorie', filters.categorie);
  set('territoire', filters.territoire);
  set('structureType', filters.structureType);
  set('assignee', filters.mine ? 'me' : filters.rapporteur);
  set('annee', filters.annee === null ? null : String(filters.annee));
  set('reviewState', filters.reviewState);
  params.set('archived', String(filters.archived));
  params.set('sort', filters.sort);
  params.set('order', filters.order);
  return params.toString();
}

/** How many filters narrow the list (the sort does not; showing archived documents does). */
export function activeFilterCount(filters: CatalogueFilters): number {
  const values = [
    filters.q.trim() !== '',
    filters.kind,
    filters.theme,
    filters.categorie,
    filters.territoire,
    filters.structureType,
    filters.rapporteur,
    filters.mine,
    filters.annee !== null,
    filters.reviewState,
    filters.archived,
  ];
  return values.filter(Boolean).length;
}

/** The filters cleared, keeping the sort the person chose (relevance goes with the words). */
export function resetFilters(filters: CatalogueFilters): CatalogueFilters {
  return filters.sort === 'relevance' || filters.sort === naturalSort(filters.q)
    ? emptyFilters()
    : { ...emptyFilters(), sort: filters.sort, order: filters.order };
}

/**
 * New search words. A sort the person did not choose follows them: best match first as soon as
 * words are searched, most recently changed first when they are cleared; a chosen sort stays.
 */
export function withQuery(filters: CatalogueFilters, q: string): CatalogueFilters {
  const natural = filters.sort === naturalSort(filters.q);
  if (!natural && !(filters.sort === 'relevance' && !q.trim())) return { ...filters, q };
  const sort = naturalSort(q);
  return { ...filters, q, sort, order: defaultOrder(sort) };
}

/** Changing the sort resets its order to the natural one for that key. */
export function withSort(filters: CatalogueFilters, sort: CatalogueSort): CatalogueFilters {
  return { ...filters, sort, order: defaultOrder(sort) };
}
