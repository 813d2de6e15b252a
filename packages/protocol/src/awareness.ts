/**
 * What a reader of someone's Yjs awareness state (presence, caret) can use: the rule shared by the
 * server, which relays only readable carets (server/src/collab/AwarenessBindingExtension.ts), and
 * the page, which ignores what it cannot read (client/src/features/presence/awarenessGuard.ts).
 * Issue 15: a malformed caret threw uncaught errors in other people's pages, from the caret
 * plugin's `Y.createRelativePositionFromJSON`.
 */

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Non-negative safe integers, as Yjs ids are made of. */
const isCount = (value: unknown): boolean =>
  typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;

const isAbsent = (value: unknown): boolean => value === undefined || value === null;

const isId = (value: unknown): boolean => isObject(value) && isCount(value.client) && isCount(value.clock);

/**
 * A relative position in JSON as `Y.relativePositionToJSON` writes it: an `item` or `type` id
 * (`{client, clock}`) or a root type name `tname`, at least one of them, and an integer `assoc`.
 * Anything else makes `Y.createRelativePositionFromJSON` or the caret plugin throw in every reader.
 */
export function isRelativePositionJSON(value: unknown): boolean {
  if (!isObject(value)) return false;
  const { item, type, tname, assoc } = value;
  if (!isAbsent(item) && !isId(item)) return false;
  if (!isAbsent(type) && !isId(type)) return false;
  if (!isAbsent(tname) && typeof tname !== 'string') return false;
  if (!isAbsent(assoc) && !(typeof assoc === 'number' && Number.isSafeInteger(assoc))) return false;
  return !isAbsent(item) || !isAbsent(type) || typeof tname === 'string';
}

/** A caret the caret plugin can place: absent, null, or `{anchor, head}` relative positions. */
export function isReadableCursor(value: unknown): boolean {
  if (isAbsent(value)) return true;
  return isObject(value) && isRelativePositionJSON(value.anchor) && isRelativePositionJSON(value.head);
}
