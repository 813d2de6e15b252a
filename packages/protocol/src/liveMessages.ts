import { documentReviewStates, reviewEvents } from '@essaim/domain';
import type { ThreadChange, ThreadsChangedMessage } from './comments.js';
import type { PublicationChangedMessage } from './publications.js';
import type { ReviewChangedMessage, SectionLockedMessage } from './review.js';
import type { SectionMoveOutcome, SectionMoveReply } from './sectionMessages.js';

/**
 * Readers of the stateless messages the open editor receives from the server, without zod (issue
 * 16: zod is 7 KB gzipped, and the editor's first drawing needs only these few tiny shapes). Each
 * one accepts exactly what the zod schema of the same message accepts (`parseSectionMoveReply`,
 * `parseThreadsChangedMessage`, `parseSectionLockedMessage`, `parseReviewChangedMessage`,
 * `parsePublicationChangedMessage`) and returns the same value, keeping only the message's own
 * keys; liveMessages.test.ts checks both on generated payloads. The server keeps the schemas.
 * Nothing here may import zod or a module that does.
 */

/** A JSON payload's top-level object (not null, not an array), or `null` for anything else. */
function jsonObject(payload: string): Record<string, unknown> | null {
  let value: unknown;
  try {
    value = JSON.parse(payload) as unknown;
  } catch {
    return null;
  }
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : null;
}

/**
 * Length of `text` in Unicode code points, as zod (4.6) measures strings for `minLength` and
 * `maxLength`: a surrogate pair counts once, a lone surrogate once. Arrays are measured by `length`.
 */
export function codePointLength(text: string): number {
  let count = text.length;
  for (let i = 0; i < text.length - 1; i++) {
    if ((text.charCodeAt(i) & 0xfc00) === 0xd800 && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      count--;
      i++;
    }
  }
  return count;
}

/** A string of `min` to `max` code points (zod's `minLength`/`maxLength`). */
function isText(value: unknown, min: number, max: number): value is string {
  if (typeof value !== 'string') return false;
  const length = codePointLength(value);
  return length >= min && length <= max;
}

/** One of `values` (zod's `enum`). */
function isOneOf<T extends string>(value: unknown, values: readonly T[]): value is T {
  return typeof value === 'string' && (values as readonly string[]).includes(value);
}

/** A finite safe integer of at least `min` (zod's `number().check(int(), gte(min))`). */
function isCount(value: unknown, min: number): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= min;
}

/** Every {@link SectionMoveOutcome}, for this reader and the schema (sectionMessages.ts). */
export const SECTION_MOVE_OUTCOMES: readonly [SectionMoveOutcome, ...SectionMoveOutcome[]] = [
  'moved',
  'unchanged',
  'read-only',
  'unknown-section',
  'unknown-target',
  'invalid-request',
];

/** Every {@link ThreadChange}, for this reader and the schema (comments.ts). */
export const THREAD_CHANGES: readonly [ThreadChange, ...ThreadChange[]] = [
  'created',
  'commented',
  'edited',
  'deleted',
  'resolved',
  'reopened',
  'thread-deleted',
  'anchors',
];

/** `parseSectionMoveReply` without zod: the reply to a move request, `null` for any other payload. */
export function parseSectionMoveReplyLight(payload: string): SectionMoveReply | null {
  const json = jsonObject(payload);
  if (json?.type !== 'section-move-result') return null;
  const { requestId, outcome } = json;
  if (!isText(requestId, 0, 100) || !isOneOf(outcome, SECTION_MOVE_OUTCOMES)) return null;
  return { type: 'section-move-result', requestId, outcome };
}

/** `parseThreadsChangedMessage` without zod: a `threads-changed` message, `null` for any other payload. */
export function parseThreadsChangedMessageLight(payload: string): ThreadsChangedMessage | null {
  const json = jsonObject(payload);
  if (json?.type !== 'threads-changed') return null;
  const { threadId, change, openThreads } = json;
  if (threadId !== null && !isText(threadId, 0, 200)) return null;
  if (!isOneOf(change, THREAD_CHANGES) || !isCount(openThreads, 0)) return null;
  return { type: 'threads-changed', threadId, change, openThreads };
}

/** `parseSectionLockedMessage` without zod: a `section-locked` message, `null` for any other payload. */
export function parseSectionLockedMessageLight(payload: string): SectionLockedMessage | null {
  const json = jsonObject(payload);
  if (json?.type !== 'section-locked') return null;
  const { sectionId, title } = json;
  if (!isText(sectionId, 1, 200) || !isText(title, 0, 1000)) return null;
  return { type: 'section-locked', sectionId, title };
}

/** `parseReviewChangedMessage` without zod: a `review-changed` message, `null` for any other payload. */
export function parseReviewChangedMessageLight(payload: string): ReviewChangedMessage | null {
  const json = jsonObject(payload);
  if (json?.type !== 'review-changed') return null;
  const { sectionId, event, reviewState } = json;
  if (
    !isText(sectionId, 1, 200) ||
    !isOneOf(event, reviewEvents) ||
    !isOneOf(reviewState, documentReviewStates)
  )
    return null;
  return { type: 'review-changed', sectionId, event, reviewState };
}

/** `parsePublicationChangedMessage` without zod: a `publication-changed` message, `null` for any other payload. */
export function parsePublicationChangedMessageLight(payload: string): PublicationChangedMessage | null {
  const json = jsonObject(payload);
  if (json?.type !== 'publication-changed') return null;
  const { number, hidden } = json;
  if (!isCount(number, 1) || typeof hidden !== 'boolean') return null;
  return { type: 'publication-changed', number, hidden };
}

/** The French notice of a change reverted inside a locked section (`section-locked`). */
export function sectionLockedNotice(title: string): string {
  const name = title.trim();
  return name
    ? `La section « ${name} » est verrouillée : votre modification a été annulée.`
    : 'Section verrouillée : votre modification a été annulée.';
}
