import type { PublicationDto } from '@essaim/protocol';
import { readSavedAnswer } from '../../shared/readSavedAnswer.js';
import type { AnswerStore } from '../../shared/savedAnswers.js';

/*
 * Reading back the publications saved with a document's local copy (`shared/savedAnswers.ts`),
 * for an offline opening: in the chunk of the parts around the editor's text (`textFrame.lazy.ts`).
 */

/**
 * Whether `value` reads as the list of `GET /api/documents/:id/publications` for this page (an
 * answer saved on this device by an older build, or damaged, is refused and not drawn).
 */
export function isPublicationList(value: unknown): value is PublicationDto[] {
  return (
    Array.isArray(value) &&
    value.every((p: unknown) => {
      if (typeof p !== 'object' || p === null) return false;
      const { id, number, hidden, url, publishedAt } = p as Record<string, unknown>;
      return (
        typeof id === 'string' &&
        typeof number === 'number' &&
        typeof hidden === 'boolean' &&
        typeof url === 'string' &&
        typeof publishedAt === 'string'
      );
    })
  );
}

/** The publications last answered to `userId` and saved in `store`, or null. */
export const readSavedPublications = (store: AnswerStore, userId: string) =>
  readSavedAnswer(store, 'publications', userId, isPublicationList);
