import { documentReviewStates, sectionReviewStates } from '@essaim/domain';
import type { ReviewedDocumentSectionsDto } from '@essaim/protocol';
import { readSavedAnswer } from '../../shared/readSavedAnswer.js';
import type { AnswerStore } from '../../shared/savedAnswers.js';

/*
 * Reading back the review saved with a document's local copy (`shared/savedAnswers.ts`). Only an
 * offline opening needs it: it comes with the chunk of the parts around the editor's text
 * (`textFrame.lazy.ts`), out of the JavaScript of the page's first drawing.
 */

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null;
const isIn = (list: readonly string[], value: unknown) => typeof value === 'string' && list.includes(value);

/**
 * Whether `value` reads as a `GET /api/documents/:id/sections` answer for this page: what
 * `documentReviewView` and the section headers read is there, of the right type. An answer saved
 * on this device by an older build, or damaged, is refused (and not drawn).
 */
export function isReviewedSectionsAnswer(value: unknown): value is ReviewedDocumentSectionsDto {
  if (!isRecord(value) || !Array.isArray(value.sections) || !isRecord(value.review)) return false;
  const { review } = value;
  return (
    isIn(documentReviewStates, value.reviewState) &&
    typeof review.newVersionInProgress === 'boolean' &&
    value.sections.every(
      (s: unknown) =>
        isRecord(s) &&
        typeof s.id === 'string' &&
        typeof s.title === 'string' &&
        typeof s.hash === 'string' &&
        typeof s.required === 'boolean' &&
        isRecord(s.review) &&
        isIn(sectionReviewStates, s.review.state) &&
        typeof s.review.stale === 'boolean' &&
        typeof s.review.locked === 'boolean' &&
        Array.isArray(s.review.actions),
    )
  );
}

/** The sections' review last answered to `userId` and saved in `store`, or null. */
export const readSavedReview = (store: AnswerStore, userId: string) =>
  readSavedAnswer(store, 'sections', userId, isReviewedSectionsAnswer);
