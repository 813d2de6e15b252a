import type { AuthorDto, CommentDto, ThreadDto } from '@essaim/protocol';
import { readSavedAnswer } from '../../shared/readSavedAnswer.js';
import type { AnswerStore } from '../../shared/savedAnswers.js';

/*
 * The threads of a document saved with its local copy (`shared/savedAnswers.ts`), so a page opened
 * offline draws them, in the panel and in the text, marked as this device's, where it drew « Les
 * commentaires n'ont pas pu être chargés » before (issue 16). The comments come in the editor's
 * late chunk: so does this file.
 */

/**
 * The kind of the saved answer, in the document's database (`savedAnswerKey`); saved by the
 * comments' hook through `useKeptAnswer`.
 */
export const SAVED_THREADS = 'threads';

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null;
const isAuthor = (value: unknown): value is AuthorDto =>
  isRecord(value) && typeof value.id === 'string' && typeof value.name === 'string';
const isStringOrNull = (value: unknown) => value === null || typeof value === 'string';

function isComment(value: unknown): value is CommentDto {
  return (
    isRecord(value) &&
    typeof value.id === 'string' &&
    typeof value.threadId === 'string' &&
    isAuthor(value.author) &&
    typeof value.body === 'string' &&
    Array.isArray(value.mentions) &&
    value.mentions.every(isAuthor) &&
    typeof value.createdAt === 'string' &&
    isStringOrNull(value.editedAt) &&
    typeof value.deleted === 'boolean' &&
    typeof value.moderated === 'boolean'
  );
}

function isThread(value: unknown): value is ThreadDto {
  if (!isRecord(value)) return false;
  const { anchor } = value;
  return (
    typeof value.id === 'string' &&
    typeof value.documentId === 'string' &&
    typeof value.sectionId === 'string' &&
    isStringOrNull(value.sectionTitle) &&
    (anchor === null ||
      (isRecord(anchor) && typeof anchor.start === 'string' && typeof anchor.end === 'string')) &&
    typeof value.quote === 'string' &&
    isStringOrNull(value.currentQuote) &&
    (value.status === 'open' || value.status === 'resolved') &&
    typeof value.orphaned === 'boolean' &&
    typeof value.wholeSection === 'boolean' &&
    isAuthor(value.createdBy) &&
    typeof value.createdAt === 'string' &&
    (value.resolvedBy === null || isAuthor(value.resolvedBy)) &&
    isStringOrNull(value.resolvedAt) &&
    Array.isArray(value.comments) &&
    value.comments.every(isComment)
  );
}

/**
 * Whether `value` reads as the threads of `GET /api/documents/:id/threads` as this page draws
 * them (`ThreadDto[]`): an answer saved on this device by an older build, or damaged, is refused
 * and not drawn.
 */
export function isSavedThreads(value: unknown): value is ThreadDto[] {
  return Array.isArray(value) && value.every(isThread);
}

/**
 * The threads last shown to `userId` and saved in `store`, or null (none, another account's, a
 * refused value, a database that fails or does not answer within 2 s: `readSavedAnswer`). Each
 * message is drawn with no « Modifier » or « Supprimer »: nothing can be sent from an offline page.
 */
export async function readSavedThreads(store: AnswerStore, userId: string): Promise<ThreadDto[] | null> {
  const threads = await readSavedAnswer(store, SAVED_THREADS, userId, isSavedThreads);
  return (
    threads?.map((thread) => ({
      ...thread,
      comments: thread.comments.map((comment) => ({ ...comment, canEdit: false, canDelete: false })),
    })) ?? null
  );
}
