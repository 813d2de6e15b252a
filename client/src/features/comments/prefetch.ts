import type { ThreadListDto } from '@essaim/protocol';
import { listThreads } from './api.js';

/**
 * The list of a document's threads asked for as soon as the document's page opens, before its
 * text is read from this browser's copy and its editor built, so that it is there when the
 * comments' hook and the highlights' plugin arrive (after the text's first drawing, issue 16): the
 * hook gives it to the highlights at once, in one step. Where the CSS Custom Highlight API paints them (Chromium) this
 * lays nothing out again; the decorations' fallback inserts spans into the text already laid out
 * (docs/PERFORMANCE.md, section h).
 *
 * One request per document at a time; the answer is taken once ({@link takePrefetchedThreads}) and
 * forgotten after {@link PREFETCH_TTL_MS}, so a later opening asks the server again. A failure (offline,
 * forbidden) is forgotten at once: the comments hook then asks again and says what went wrong.
 */

/** How long an answer waits to be taken (ms): longer than opening a large document from IndexedDB. */
export const PREFETCH_TTL_MS = 30_000;

interface Prefetched {
  promise: Promise<ThreadListDto>;
  /** The answer once it arrived (read synchronously when the editor is built). */
  result: ThreadListDto | null;
  /** `performance.now()` of the request. */
  at: number;
}

const prefetched = new Map<string, Prefetched>();

/** Starts fetching the threads of `documentId` (nothing if a fresh request is already there). */
export function prefetchThreads(documentId: string): void {
  const existing = prefetched.get(documentId);
  if (existing && performance.now() - existing.at < PREFETCH_TTL_MS) return;
  const entry: Prefetched = { promise: listThreads(documentId), result: null, at: performance.now() };
  prefetched.set(documentId, entry);
  entry.promise.then(
    (list) => {
      // An aborted body reads as nothing (apiFetch): treat it as a failure.
      if (list) entry.result = list;
      else if (prefetched.get(documentId) === entry) prefetched.delete(documentId);
    },
    () => {
      if (prefetched.get(documentId) === entry) prefetched.delete(documentId);
    },
  );
}

/**
 * Takes the prefetched threads of `documentId`, once: `ready` when the answer is already there
 * (usable in the first render), else the request still under way; null when nothing fresh was asked.
 */
export function takePrefetchedThreads(
  documentId: string,
): { ready: ThreadListDto | null; promise: Promise<ThreadListDto> } | null {
  const found = peekPrefetchedThreads(documentId);
  prefetched.delete(documentId);
  return found;
}

/**
 * What {@link takePrefetchedThreads} would give, leaving it there: for a component's first render,
 * which React may throw away and start again (a render resumed after a lazy chunk arrived), the
 * component taking it once mounted.
 */
export function peekPrefetchedThreads(
  documentId: string,
): { ready: ThreadListDto | null; promise: Promise<ThreadListDto> } | null {
  const entry = prefetched.get(documentId);
  if (!entry || performance.now() - entry.at >= PREFETCH_TTL_MS) return null;
  return { ready: entry.result, promise: entry.promise };
}
