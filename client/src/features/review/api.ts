import type { ReviewEvent } from '@essaim/domain';
import type {
  ReviewedDocumentSectionsDto,
  ReviewJournalEntryDto,
  ReviewedSectionDto,
  SectionReviewReplyDto,
} from '@essaim/protocol';
import { apiFetch } from '../../shared/api.js';

/**
 * Calls of the section-review routes (issue 12, contract in the README and
 * `packages/protocol/src/review.ts`). Every failure is an `ApiError` whose message is the
 * server's French sentence, to be shown as it is.
 */

const documentPath = (documentId: string) => `/documents/${encodeURIComponent(documentId)}`;

/**
 * `GET /api/documents/:id/sections`: every section with its review (state, stale, locked, last
 * decision, the steps the caller may take now) and the document's review state and progress.
 */
export function getReviewedSections(
  documentId: string,
  signal?: AbortSignal,
): Promise<ReviewedDocumentSectionsDto> {
  return apiFetch<ReviewedDocumentSectionsDto>(`${documentPath(documentId)}/sections`, { signal });
}

/** What a review step sends: the event, an optional message, the section hash the person saw. */
export interface ReviewStep {
  action: ReviewEvent;
  /** Optional; required (non-blank) for `request_changes`. */
  message?: string;
  /**
   * The section's hash as the person saw it (`sectionHash` of the editor's section). The server
   * refuses the step with 409 when the section has changed since: nobody approves unread words.
   */
  hash?: string;
}

/**
 * `POST /api/documents/:id/sections/:sectionId/review`: one step of a section's review; resolves
 * with the section after it. 403 (`can()` refuses), 409 (the state machine refuses, or someone
 * decided or wrote meanwhile), 400 (a request for changes without a message), each with a French
 * message.
 */
export function reviewSection(
  documentId: string,
  sectionId: string,
  step: ReviewStep,
): Promise<ReviewedSectionDto> {
  return apiFetch<SectionReviewReplyDto>(
    `${documentPath(documentId)}/sections/${encodeURIComponent(sectionId)}/review`,
    { method: 'POST', json: step },
  ).then((body) => body.section);
}

/** `GET /api/documents/:id/review-journal`: every review decision of the document, oldest first. */
export function getReviewJournal(documentId: string, signal?: AbortSignal): Promise<ReviewJournalEntryDto[]> {
  return apiFetch<{ entries: ReviewJournalEntryDto[] }>(`${documentPath(documentId)}/review-journal`, {
    signal,
  }).then((body) => body.entries);
}

/** The address of the journal as a CSV file (`;`-separated, UTF-8 with a byte-order mark). */
export function reviewJournalCsvUrl(documentId: string): string {
  return `/api${documentPath(documentId)}/review-journal?format=csv`;
}
