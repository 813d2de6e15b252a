import { useEffect, useState } from 'react';
import type { Loadable } from './useLoad.js';

/**
 * The server's last answers about an open document (its sections' review, its publications),
 * kept with the document's local copy so a page opened offline draws them where they stand
 * instead of drawing the text without them and inserting them above every section once the
 * network is back (tester F1: layout shift 0.88 on a computer, 0.98 on a phone).
 *
 * They are written in the `custom` store of the document's own y-indexeddb database (`doc.<id>`,
 * `IndexeddbPersistence.get` / `set`): one database per document, deleted with the text at logout
 * or when another account logs in (`localData.ts`). Each entry is keyed and stamped with the
 * account it was answered to, and is read back only for that account. This is application data
 * read on purpose, never an HTTP response: the service worker caches no API answer, and a saved
 * answer is drawn marked as this device's state until the server's replaces it. Saving is done
 * here; reading back, only needed offline, comes with the editor's late chunk
 * (`readSavedAnswer.ts`).
 */

/** The part of y-indexeddb's `IndexeddbPersistence` used here: its key-value store. */
export interface AnswerStore {
  get(key: string): Promise<unknown>;
  set(key: string, value: unknown): Promise<unknown>;
}

/** Bumped when what is saved changes shape: older entries are then ignored. */
export const SAVED_ANSWER_FORMAT = 1;

/** The key of `kind` answered to account `userId`, in the document's database. */
export const savedAnswerKey = (kind: string, userId: string): string => `essaim.reponse.${kind}.${userId}`;

/** Saves `value` as the last answer of `kind` to `userId`; a failure (storage full) is ignored. */
export async function saveAnswer(
  store: AnswerStore,
  kind: string,
  userId: string,
  value: unknown,
): Promise<void> {
  try {
    await store.set(savedAnswerKey(kind, userId), { format: SAVED_ANSWER_FORMAT, user: userId, value });
  } catch {
    // Without a saved answer, an offline page draws what it drew before.
  }
}

/**
 * Saves `value`, the server's answer of `kind` as this page shows it to `userId`, in `store`
 * each time it changes (by identity), for a page opened offline later; nothing while it is null
 * (no answer, or a saved one shown). One write per change: the answers kept are small (a
 * document's sections' review, its publications, its threads).
 */
export function useKeptAnswer(store: AnswerStore | null, kind: string, userId: string, value: unknown): void {
  useEffect(() => {
    if (value !== null && store) void saveAnswer(store, kind, userId, value);
  }, [value, store, kind, userId]);
}

/** An answer as the page draws it: the server's, or this device's saved one (`saved`). */
export interface ShownAnswer<T> {
  state: Loadable<T>;
  /** Drawn from this device's saved answer, the server being unreachable. */
  saved: boolean;
}

/**
 * Keeps the server's answer `loaded` saved in `store` for `userId`, and stands in for it with the
 * saved one while the server is unreachable (`unreachable`). While the saved answer is being read,
 * a network failure shows as still loading, so the page does not draw the failure first.
 */
export function useSavedAnswer<T>(
  store: AnswerStore | null,
  kind: string,
  userId: string,
  loaded: Loadable<T>,
  unreachable: boolean,
  /** Reads the saved answer back (`readSavedAnswer`, in the editor's late chunk). */
  read: (store: AnswerStore, userId: string) => Promise<T | null>,
): ShownAnswer<T> {
  const [saved, setSaved] = useState<{ value: T | null } | null>(store ? null : { value: null });
  useEffect(() => {
    if (!store) return;
    let stopped = false;
    const settle = (value: T | null) => {
      if (!stopped) setSaved((current) => current ?? { value });
    };
    read(store, userId).then(settle, () => settle(null));
    return () => {
      stopped = true;
    };
    // `read` is a module-level function.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [store, userId]);
  const value = loaded.status === 'ready' ? loaded.value : null;
  // The newest answer of the server wins over a saved one (still being read, or older).
  const [answered, setAnswered] = useState<T | null>(null);
  if (value !== null && value !== answered) setAnswered(value);
  useKeptAnswer(store, kind, userId, value);
  if (loaded.status !== 'error' || !unreachable) return { state: loaded, saved: false };
  const last = answered ?? saved?.value ?? null;
  if (last !== null) return { state: { status: 'ready', value: last }, saved: true };
  return { state: saved ? loaded : { status: 'loading' }, saved: false };
}
