import { z } from 'zod/mini';
import {
  documentKindNames,
  TITLE_MAX_LENGTH,
  type DocumentKindName,
  type DocumentReviewState,
} from '@essaim/domain';
import type { DocumentMatchDto } from './catalogue.js';
import { singleLineText } from './inputRules.js';
import type { DocumentMetadata } from './metadata.js';

/** The two kinds of documents a working group writes (defined with their templates in domain). */
export const documentKinds = documentKindNames;
export type DocumentKind = DocumentKindName;

/** A document's title: single-line text ({@link singleLineText}), 1 to `TITLE_MAX_LENGTH` characters. */
export const documentTitle = singleLineText({ subject: 'Le titre', max: TITLE_MAX_LENGTH });

/** Body of `POST /api/documents`. Titles are trimmed; an empty title is refused. */
export const createDocumentInput = z.object({
  espaceId: z
    .string({ error: 'L’espace de travail est obligatoire.' })
    .check(
      z.minLength(1, { error: 'L’espace de travail est obligatoire.' }),
      z.maxLength(100, { error: 'Identifiant d’espace trop long.' }),
    ),
  title: documentTitle,
  kind: z.enum(documentKinds, {
    error: 'Le type doit être « fiche » ou « synthese ».',
  }),
  /** Theme ids of the espace; unknown ones are refused. */
  themes: z._default(
    z
      .array(
        z
          .string({ error: 'Un thème doit être un identifiant.' })
          .check(z.maxLength(100, { error: 'Identifiant de thème trop long.' })),
        {
          error: 'Les thèmes forment une liste.',
        },
      )
      .check(z.maxLength(10, { error: 'Dix thèmes au plus.' })),
    [],
  ),
});
export type CreateDocumentInput = z.infer<typeof createDocumentInput>;

/** A document as the API returns it. `name` is the collaborative name to open with a provider. */
export interface DocumentDto {
  id: string;
  name: string;
  espaceId: string | null;
  /** Rapporteurs assigned to write this document. */
  assignees: { userId: string; name: string }[];
  /** What the caller may do with it. */
  access: 'write' | 'read';
  /** Whether the caller may archive and restore it (the animateur). */
  canArchive: boolean;
  /**
   * Whether the caller may publish, unpublish and republish it (issue 13): `can(actor,
   * 'publication.publish')`, the animateur of its espace; false once archived.
   */
  canPublish: boolean;
  title: string;
  kind: DocumentKind;
  /** Metadata as last stored (the live values are in the document's `meta` map). */
  metadata: DocumentMetadata;
  /** Sections in the document, and how many are approved and not stale (issue 12). */
  progress: { sections: number; approved: number };
  /** Where the document's review stands, from its sections as last stored (issue 12). */
  reviewState: DocumentReviewState;
  /** Estimated printed pages. */
  pages: number;
  /** Who last changed the text, and when. */
  lastEditor: { userId: string; name: string } | null;
  createdAt: string;
  updatedAt: string;
  /** Set when the document is archived; archived documents are read-only and out of the catalogue. */
  archivedAt: string | null;
  /** Open comment threads on the document (issue 10). */
  openThreads: number;
  /** Its newest publication while it is on the portal (issue 13), or null. */
  publication: DocumentPublicationDto | null;
  /**
   * Catalogue searches with words only (issue 18): where they were found in the text, best first,
   * at most 3; absent elsewhere, and for a document found by its title or metadata alone.
   */
  matches?: DocumentMatchDto[];
}

/** What a list of documents shows of a published one (issue 13). */
export interface DocumentPublicationDto {
  /** « Publiée (version N) ». */
  number: number;
  /** Its page on the portal: `/pratiques/<slug>`. */
  url: string;
  /** The draft moved on since (« Une nouvelle version est en cours de rédaction »). */
  newVersionInProgress: boolean;
  /** Approved reuse signals (« 3 reprises signalées »). */
  reuses: number;
}

/**
 * One page of `GET /api/documents` (issue 17): the documents from `offset`, at most `limit`, in
 * the order asked for.
 */
export interface DocumentListDto {
  documents: DocumentDto[];
  /** Documents matching the query (filters, words, review state), before paging. */
  total: number;
  /**
   * The `offset` that asks for the next page, or null when this page holds the last matching
   * document (or when nothing matches).
   */
  nextOffset: number | null;
}

/**
 * Error body of every `/api` failure: `error` is a stable code for programs, `message` a French
 * sentence for people, `details` the offending fields when the body was invalid.
 */
export interface ApiErrorDto {
  error: string;
  message: string;
  details?: { path: string; message: string }[];
}
