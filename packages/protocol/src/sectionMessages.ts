import { z } from 'zod/mini';
import { SECTION_MOVE_OUTCOMES } from './liveMessages.js';

/**
 * Section moves travel as Hocuspocus stateless messages (JSON strings): a move is performed by the
 * server on the live document, one at a time, never by each editor (Yjs has no move: two editors
 * moving the same section would each insert their own copy).
 */

/**
 * « Monter » / « Descendre »: put section `sectionId` directly after section `afterSectionId`
 * (`null`: before every other section). The target is what the person sees, so two identical
 * requests crossing each other make one move: the second finds the section already there.
 * `requestId` (any short string chosen by the client) comes back in the reply.
 */
export interface SectionMoveRequest {
  type: 'section-move';
  requestId: string;
  sectionId: string;
  afterSectionId: string | null;
}

/**
 * What the server did with a move request, sent to the requester only.
 * - `moved`: done; every editor receives the change as an ordinary document update, which the
 *   server sends before this reply.
 * - `unchanged`: the section already was at that place (someone else's identical move won).
 * - `read-only`: the connection may not edit the document.
 * - `unknown-section` / `unknown-target`: no section has that id any more (removed meanwhile).
 * - `invalid-request`: a section cannot be put after itself, or the message is malformed.
 */
export type SectionMoveOutcome =
  'moved' | 'unchanged' | 'read-only' | 'unknown-section' | 'unknown-target' | 'invalid-request';

export interface SectionMoveReply {
  type: 'section-move-result';
  requestId: string;
  outcome: SectionMoveOutcome;
}

/** Ids are short strings (uuids, `s-…` derived ids): anything longer is not a section id. */
const sectionId = z.string().check(z.minLength(1), z.maxLength(200));

const moveRequest = z.object({
  type: z.literal('section-move'),
  requestId: z.string().check(z.maxLength(100)),
  sectionId,
  afterSectionId: z.nullable(sectionId),
});

const moveReply = z.object({
  type: z.literal('section-move-result'),
  requestId: z.string().check(z.maxLength(100)),
  outcome: z.enum(SECTION_MOVE_OUTCOMES),
});

function parseJson(payload: string): unknown {
  try {
    return JSON.parse(payload) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * Reads a stateless payload as a move request. Returns `null` when the payload is another kind of
 * message (its `type` is not `section-move`), `'invalid'` when it claims to be a move request but
 * is malformed, so the server can answer `invalid-request`.
 */
export function parseSectionMoveRequest(payload: string): SectionMoveRequest | 'invalid' | null {
  const json = parseJson(payload);
  if (typeof json !== 'object' || json === null || (json as { type?: unknown }).type !== 'section-move')
    return null;
  const parsed = moveRequest.safeParse(json);
  return parsed.success ? parsed.data : 'invalid';
}

/** Reads a stateless payload as the reply to a move request; `null` for any other payload. */
export function parseSectionMoveReply(payload: string): SectionMoveReply | null {
  const parsed = moveReply.safeParse(parseJson(payload));
  return parsed.success ? parsed.data : null;
}
