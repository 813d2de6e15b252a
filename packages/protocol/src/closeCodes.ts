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
  /** A frame or awareness state over the configured size. */
  TooLarge: 4413,
  /** The server is stopping; the client should reconnect shortly. */
  ServerShutdown: 4503,
} as const;
export type CloseCode = (typeof CloseCode)[keyof typeof CloseCode];

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
