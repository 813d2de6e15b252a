import type { DocumentDto, DocumentListDto } from '@essaim/protocol';

/**
 * The catalogue's pages as the page keeps them (issue 17): the documents shown so far, in the
 * server's order, how many match the query in all, and where the next page starts.
 */
export interface ShownPages {
  /** The API query (`toApiQuery`) these pages answer, without `offset` or `limit`. */
  query: string;
  documents: DocumentDto[];
  /** Documents matching the query on the server, shown or not. */
  total: number;
  /** The `offset` of the next page, or null when the last page is shown. */
  nextOffset: number | null;
  /** Pages shown: 1 until « Afficher plus de documents ». */
  pages: number;
}

/** The first page of `query`, as the page keeps it. */
export function firstPage(query: string, page: DocumentListDto): ShownPages {
  return {
    query,
    documents: dedupe(page.documents),
    total: page.total,
    nextOffset: page.nextOffset,
    pages: 1,
  };
}

/**
 * `shown` with the next `page` appended. A document already shown (it moved between two pages:
 * changed meanwhile under « Dernière modification ») is kept where it was and not shown twice;
 * `firstNewId` is the first document of `page` that was not shown yet (where the focus goes), or
 * null when the page brought nothing new.
 */
export function appendPage(
  shown: ShownPages,
  page: DocumentListDto,
): { pages: ShownPages; firstNewId: string | null } {
  const known = new Set(shown.documents.map((d) => d.id));
  const added = dedupe(page.documents).filter((d) => !known.has(d.id));
  return {
    pages: {
      query: shown.query,
      documents: [...shown.documents, ...added],
      total: page.total,
      nextOffset: page.nextOffset,
      pages: shown.pages + 1,
    },
    firstNewId: added[0]?.id ?? null,
  };
}

/**
 * `shown` without the document `id` (archived or restored from the catalogue: it left the list):
 * one fewer in the total, and the next page starts one earlier, so that no document is skipped.
 */
export function withoutDocument(shown: ShownPages, id: string): ShownPages {
  if (!shown.documents.some((d) => d.id === id)) return shown;
  return {
    ...shown,
    documents: shown.documents.filter((d) => d.id !== id),
    total: Math.max(0, shown.total - 1),
    nextOffset: shown.nextOffset === null ? null : Math.max(0, shown.nextOffset - 1),
  };
}

/** Documents matching the query that are not shown yet (never negative). */
export const remainingCount = (shown: ShownPages): number =>
  Math.max(0, shown.total - shown.documents.length);

/** The API query of the page that starts at `offset` (the default page size). */
export const pageQuery = (query: string, offset: number): string =>
  offset === 0 ? query : `${query}&offset=${offset}`;

function dedupe(documents: readonly DocumentDto[]): DocumentDto[] {
  const seen = new Set<string>();
  return documents.filter((d) => {
    if (seen.has(d.id)) return false;
    seen.add(d.id);
    return true;
  });
}
