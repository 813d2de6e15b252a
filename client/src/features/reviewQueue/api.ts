import type {
  DocumentDiffDto,
  DocumentDto,
  ReviewedDocumentSectionsDto,
  ReviewQueueDto,
  ReviewSectionInput,
  SectionReviewReplyDto,
} from '@essaim/protocol';
import { apiFetch } from '../../shared/api.js';
import { listAllDocuments } from '../documents/api.js';
import { getEspaceRecent } from '../espaces/api.js';

/**
 * Calls of the « Relecture » dashboard (issue 12; contract in the README and
 * `packages/protocol/src/review.ts`). Every failure is an `ApiError` whose message is French and
 * meant to be shown as it is.
 */

const documentPath = (id: string) => `/documents/${encodeURIComponent(id)}`;

/** What narrows the queue: one document, one theme (ids; null for all). */
export interface QueueScope {
  documentId: string | null;
  theme: string | null;
}

/**
 * `GET /api/espaces/:id/review-queue?documentId=&theme=`: the sections waiting for the caller and
 * each readable document's progress. 403 for a membre.
 */
export function getReviewQueue(
  espaceId: string,
  scope: QueueScope,
  signal?: AbortSignal,
): Promise<ReviewQueueDto> {
  const query = new URLSearchParams();
  if (scope.documentId) query.set('documentId', scope.documentId);
  if (scope.theme) query.set('theme', scope.theme);
  const search = query.toString() ? `?${query.toString()}` : '';
  return apiFetch<ReviewQueueDto>(`/espaces/${encodeURIComponent(espaceId)}/review-queue${search}`, {
    signal,
  });
}

/**
 * `GET /api/documents/:id/sections`: the document's sections as the collaborative server holds
 * them now, each with its `hash` (sent back when approving) and its review (`actions`: the steps
 * the caller may take).
 */
export function getReviewedSections(
  documentId: string,
  signal?: AbortSignal,
): Promise<ReviewedDocumentSectionsDto> {
  return apiFetch<ReviewedDocumentSectionsDto>(`${documentPath(documentId)}/sections`, { signal });
}

/**
 * `POST /api/documents/:id/sections/:sectionId/review` `{action, message?, hash?}`: one review
 * step. Rejects with the server's French reason (403 not allowed, 409 state or words changed, 400
 * message missing, with `details` on `message`).
 */
export function reviewSection(
  documentId: string,
  sectionId: string,
  input: ReviewSectionInput,
): Promise<SectionReviewReplyDto['section']> {
  return apiFetch<SectionReviewReplyDto>(
    `${documentPath(documentId)}/sections/${encodeURIComponent(sectionId)}/review`,
    { method: 'POST', json: input },
  ).then((body) => body.section);
}

/** `GET /api/documents/:id/diff?from=<versionId>&to=current`: what changed since that version. */
export function compareWithCurrent(
  documentId: string,
  versionId: string,
  signal?: AbortSignal,
): Promise<DocumentDiffDto> {
  const query = new URLSearchParams({ from: versionId, to: 'current' });
  return apiFetch<DocumentDiffDto>(`${documentPath(documentId)}/diff?${query.toString()}`, { signal });
}

/**
 * The espace's current documents, by title (the dashboard's « Document » filter), narrowed to a
 * theme when one is chosen: every one of them, read page after page (`listAllDocuments`, issue 17).
 */
export function listDocumentsByTitle(
  espaceId: string,
  theme: string | null,
  signal?: AbortSignal,
): Promise<DocumentDto[]> {
  return listAllDocuments(
    { espaceId, archived: 'false', sort: 'title', order: 'asc', ...(theme ? { theme } : {}) },
    signal,
  );
}

/**
 * Whether the caller sees the espace's « Relecture » dashboard: `permissions.readReviewQueue` of
 * `GET /api/espaces/:id` (computed by `can(actor, 'review.readQueue')` on the server), the answer the
 * page's other readers share (`getEspaceRecent`).
 */
export function canReadReviewQueue(espaceId: string): Promise<boolean> {
  return getEspaceRecent(espaceId).then((espace) => espace.permissions.readReviewQueue);
}

/** Address of the document's review journal as a CSV download. */
export const journalCsvUrl = (documentId: string): string =>
  `/api${documentPath(documentId)}/review-journal?format=csv`;
