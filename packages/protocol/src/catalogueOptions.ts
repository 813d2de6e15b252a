/*
 * The catalogue's options without zod: its sort keys, page sizes and the longest search text. The
 * catalogue page reads them before its first drawing; the query schemas built on them, with zod,
 * are in catalogue.ts (issue 16: zod stays out of the first JavaScript).
 */

/** Longest search text (`q`) of the catalogue and of the public search, in characters. */
export const SEARCH_TEXT_MAX = 200;
/** The search text's subject in its French messages (« La recherche ne peut pas dépasser… »). */
export const SEARCH_TEXT_SUBJECT = 'La recherche';

/** Sort keys of the catalogue. */
export const catalogueSorts = [
  'updated',
  'created',
  'title',
  'categorie',
  'territoire',
  'structure',
  'annee',
  'pages',
  'kind',
  'structureType',
  'rapporteurs',
  /** Review progress: share of sections approved and not stale (issue 12). */
  'progress',
  /**
   * With words (`q`), best match first (issue 18): documents whose title or metadata hold every
   * word, then by the full-text rank (bm25) of their best section or comment thread. Without
   * words, as `updated`. The default whenever `q` is given and no sort is asked for.
   */
  'relevance',
] as const;
export type CatalogueSort = (typeof catalogueSorts)[number];

/**
 * Documents in one page of the catalogue when the query gives no `limit` (issue 17): what the
 * catalogue page shows before « Afficher plus de documents ».
 */
export const CATALOGUE_PAGE_SIZE = 50;

/**
 * Most documents one page of `GET /api/documents` may hold (issue 17): the answer's cost (DTOs,
 * thread counts, publications, review progress, snippets) grows with the page, so a caller that
 * needs every document pages through with this size instead of asking for all at once.
 */
export const CATALOGUE_PAGE_SIZE_MAX = 200;
