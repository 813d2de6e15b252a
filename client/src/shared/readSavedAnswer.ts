import { SAVED_ANSWER_FORMAT, savedAnswerKey, type AnswerStore } from './savedAnswers.js';

/** Longest wait (ms) for the local database: past it, the page goes on without saved answers. */
const READ_TIMEOUT_MS = 2000;

/**
 * The last answer of `kind` saved for `userId` by `saveAnswer` (`savedAnswers.ts`), or null:
 * none, another account's, another format, a value `isValid` refuses, or a database that fails
 * or does not answer within 2 s. Used by the editor's late chunk only (an offline opening).
 */
export async function readSavedAnswer<T>(
  store: AnswerStore,
  kind: string,
  userId: string,
  isValid: (value: unknown) => value is T,
): Promise<T | null> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    const saved: unknown = await Promise.race([
      store.get(savedAnswerKey(kind, userId)),
      new Promise((resolve) => (timer = setTimeout(resolve, READ_TIMEOUT_MS, null))),
    ]);
    if (typeof saved !== 'object' || saved === null) return null;
    const { format, user, value } = saved as Record<string, unknown>;
    return format === SAVED_ANSWER_FORMAT && user === userId && isValid(value) ? value : null;
  } catch {
    return null;
  } finally {
    clearTimeout(timer);
  }
}
