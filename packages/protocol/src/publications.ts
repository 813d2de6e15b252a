import { z } from 'zod/mini';
import { searchText } from './catalogue.js';
import type { AuthorDto } from './comments.js';
import { queryInteger } from './inputRules.js';

/**
 * Publication and the public portal (issue 13): the shapes of the publication routes and of the
 * public search. The portal's pages are HTML under `/pratiques/`.
 */

/** Publication N of a document, as the publication routes give it. */
export interface PublicationDto {
  id: string;
  documentId: string;
  number: number;
  /** Its own address on the portal, for ever: `/pratiques/<slug>/v/<N>`. */
  url: string;
  /** The document's address on the portal, which shows its newest visible publication. */
  documentUrl: string;
  /** The `publication` version recorded when it was published (issue 11). */
  versionId: string | null;
  title: string;
  publishedAt: string;
  publishedBy: AuthorDto | null;
  /** Unpublished: kept, out of the portal, search and feed, until republished. */
  hidden: boolean;
}

/** Answer of `POST /api/documents/:id/publications` (201). */
export interface PublishReplyDto {
  number: number;
  url: string;
  publication: PublicationDto;
}

/** Answer of `GET /api/documents/:id/publications`: newest first. */
export interface PublicationListDto {
  publications: PublicationDto[];
}

/** Query of `GET /api/public/search` (and of the portal's search page). */
export const publicSearchQuery = z.object({
  q: z._default(searchText, ''),
  limit: z._default(queryInteger({ name: 'limit', min: 1, max: 100 }), 20),
});
export type PublicSearchQuery = z.infer<typeof publicSearchQuery>;

/** One result of the public search: `snippet` is HTML (escaped text, matches in `<mark>`). */
export interface PublicSearchResultDto {
  title: string;
  url: string;
  snippet: string;
}

/** Answer of `GET /api/public/search?q=`: best match first. */
export interface PublicSearchDto {
  results: PublicSearchResultDto[];
}

/**
 * Stateless message broadcast to every connection of a document after it is published,
 * unpublished or republished: refetch its sections and publications (the state « publiée »).
 */
export interface PublicationChangedMessage {
  type: 'publication-changed';
  /** The newest publication's number. */
  number: number;
  /** The document is unpublished (hidden from the portal). */
  hidden: boolean;
}

const publicationChanged = z.object({
  type: z.literal('publication-changed'),
  number: z.number().check(z.int(), z.gte(1)),
  hidden: z.boolean(),
});

/** Reads a stateless payload as a `publication-changed` message; `null` for any other or malformed one. */
export function parsePublicationChangedMessage(payload: string): PublicationChangedMessage | null {
  let json: unknown;
  try {
    json = JSON.parse(payload) as unknown;
  } catch {
    return null;
  }
  const parsed = publicationChanged.safeParse(json);
  return parsed.success ? parsed.data : null;
}
