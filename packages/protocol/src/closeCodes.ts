/**
 * Reasons the server gives when it refuses a document on an open websocket (Hocuspocus sends them
 * in a permission-denied message; the socket itself stays open for the other documents). The
 * client maps each one to a French sentence; programs match on the string.
 */
export const DenialReason = {
  /** The name is not `doc.<id>` or no such document exists. */
  DocumentNotFound: 'document-not-found',
  /** The actor may not read this document. */
  Forbidden: 'forbidden',
  /** No valid session (used once accounts exist). */
  Unauthorized: 'unauthorized',
  /**
   * Neither the stored state nor the update log of this document can be read: nothing is served
   * (and nothing overwritten) until an operator runs `document:check --repair`.
   */
  DocumentDamaged: 'document-damaged',
  /**
   * The account already holds as many open websockets as the server allows one account
   * (`COLLAB_MAX_SOCKETS_PER_ACCOUNT`, 50 by default): one tab per open document, so closing
   * tabs of Essaim frees places. Retrying at once would be refused again.
   */
  TooManyConnections: 'too-many-connections',
} as const;
export type DenialReason = (typeof DenialReason)[keyof typeof DenialReason];

/**
 * Websocket close codes (4000-4999 is the range RFC 6455 leaves to applications). Each domain
 * error maps to exactly one code, mirroring its HTTP status so logs read the same on both sides.
 */
export const CloseCode = {
  /** A frame could not be decoded: only that connection is closed. */
  BadMessage: 4400,
  Unauthorized: 4401,
  Forbidden: 4403,
  NotFound: 4404,
  /** A frame or awareness state over the configured size, or a document that would grow past its limit. */
  TooLarge: 4413,
  /** An update that decodes but writes what a document may not hold (see {@link UpdateRefusal}). */
  UpdateRefused: 4422,
  /** The server is stopping; the client should reconnect shortly. */
  ServerShutdown: 4503,
} as const;
export type CloseCode = (typeof CloseCode)[keyof typeof CloseCode];

/**
 * Why the server refused an update. Hocuspocus closes the document connection with a close message
 * whose reason is one of these strings (the socket stays open for other documents). The refused
 * update is not applied, stored nor broadcast; resending it would be refused again, so a client
 * must stop resending it automatically and tell the person what to do.
 */
export const UpdateRefusal = {
  /** The bytes are not a Yjs update, or it holds malformed structs (e.g. a zero-length struct). */
  Malformed: 'malformed-update',
  /**
   * The update decodes but writes what no editor writes: another root type than the `default`
   * fragment and the `meta` map, an unknown node or attribute, a value out of bounds, nesting deeper
   * than allowed, or a reference to content the server does not have.
   */
  Invalid: 'invalid-update',
  /** Applying the update would take the document past its configured size. */
  DocumentTooLarge: 'document-too-large',
  /**
   * The update holds more structs or client ids than an editor sends at once (a paste of more
   * than about 1,600 table rows): refused from its first bytes, before anything is decoded.
   */
  UpdateTooLarge: 'update-too-large',
} as const;
export type UpdateRefusal = (typeof UpdateRefusal)[keyof typeof UpdateRefusal];

/**
 * Most Yjs structs one update may carry (`update-too-large` beyond): an editor sends one struct
 * per place typed in, or a paste (about twelve per paragraph of formatted text, six per table
 * cell). The server checks it from the update's first bytes; the editor refuses a larger paste
 * before applying it. Measured in server/src/collab/updateValidation.ts.
 */
export const MAX_UPDATE_STRUCTS = 50_000;

/** Every reason a refused update can carry, for clients matching close reasons. */
export function isUpdateRefusal(reason: unknown): reason is UpdateRefusal {
  return Object.values(UpdateRefusal).includes(reason as UpdateRefusal);
}

/** Standard code `ws` uses when a frame exceeds `maxPayload`. */
export const MESSAGE_TOO_BIG = 1009;

/**
 * Stateless messages the server sends on a document connection (JSON strings). `access` tells an
 * open editor that the person's rights changed while connected (role, assignment).
 */
export type ServerStatelessMessage = { type: 'access'; access: 'read' | 'write' };

export function parseServerStateless(payload: string): ServerStatelessMessage | null {
  try {
    const value: unknown = JSON.parse(payload);
    if (
      typeof value === 'object' &&
      value !== null &&
      (value as { type?: unknown }).type === 'access' &&
      ((value as { access?: unknown }).access === 'read' ||
        (value as { access?: unknown }).access === 'write')
    ) {
      return value as ServerStatelessMessage;
    }
  } catch {
    // not ours
  }
  return null;
}
