import {
  isTransactionOrigin,
  type beforeHandleAwarenessPayload,
  type Connection,
  type Document,
  type Extension,
} from '@hocuspocus/server';
import { isReadableCursor } from '@essaim/protocol';
import type { Logger } from '../logger.js';
import type { CollabContext } from './context.js';

/**
 * Presence (Yjs awareness) as the server relays it (issue 15, item 7).
 *
 * - Each awareness client id is bound to the connection that first announced it in a document,
 *   for as long as that connection is open: an update from another connection claiming it is
 *   dropped (not relayed, nothing replaced), so nobody replaces someone else's presence entry or
 *   caret, not even from a second connection of the same account (`MessageGuardExtension` already
 *   closes a connection that claims an id another person announced or wrote under). Dropping
 *   rather than closing lets a person whose old connection is not yet known to be dead reconnect
 *   at once; her entry is hers again when the old connection ends.
 * - A state's `cursor` that readers cannot resolve (not `{anchor, head}` relative positions) is
 *   replaced by `null` before it is relayed: a malformed caret threw uncaught errors in other
 *   people's pages. A state that is not an object is dropped.
 *
 * Runs after the Authentication extension has written the account's real name and colour.
 */
export class AwarenessBindingExtension implements Extension<CollabContext> {
  extensionName = 'awareness-binding';
  priority = 900;

  /** The connection holding each client id of each loaded document. */
  private readonly holders = new WeakMap<Document, Map<number, Connection<CollabContext>>>();

  constructor(private readonly logger: Logger) {}

  async beforeHandleAwareness({
    document,
    documentName,
    states,
    transactionOrigin,
  }: beforeHandleAwarenessPayload<CollabContext>): Promise<void> {
    const connection =
      isTransactionOrigin(transactionOrigin) && transactionOrigin.source === 'connection'
        ? (transactionOrigin.connection as Connection<CollabContext>)
        : undefined;
    for (const [clientId, state] of states) {
      if (typeof state !== 'object' || state === null || Array.isArray(state)) {
        states.delete(clientId);
        continue;
      }
      if (connection && !this.bind(document, clientId, connection)) {
        this.logger.info(
          { documentName, clientId, userId: connection.context.userId },
          'awareness of a client id held by another connection dropped',
        );
        states.delete(clientId);
        continue;
      }
      if ('cursor' in state && !isReadableCursor(state.cursor)) state.cursor = null;
    }
  }

  /**
   * Binds `clientId` to `connection` unless another connection still open on the document holds
   * it. False when it is held elsewhere.
   */
  private bind(document: Document, clientId: number, connection: Connection<CollabContext>): boolean {
    let holders = this.holders.get(document);
    if (!holders) this.holders.set(document, (holders = new Map()));
    const holder = holders.get(clientId);
    if (holder === connection) return true;
    if (holder && document.hasConnection(holder)) return false;
    // Forget the ids of connections that have ended before the map grows with reconnections.
    if (holders.size >= 64 + 2 * document.getConnectionsCount()) {
      for (const [id, held] of holders) if (!document.hasConnection(held)) holders.delete(id);
    }
    holders.set(clientId, connection);
    return true;
  }
}
