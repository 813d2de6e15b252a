import {
  isTransactionOrigin,
  type beforeHandleAwarenessPayload,
  type Connection,
  type Document,
  type Extension,
} from '@hocuspocus/server';
import { chooseColour, isPresenceColour, type ColourClaim } from '@essaim/domain';
import { isReadableCursor } from '@essaim/protocol';
import type { Logger } from '../logger.js';
import type { CollabContext } from './context.js';

/** Longest root type name (`tname`) of a caret's relative position; the editor's is `default`. */
export const MAX_CARET_TYPE_NAME = 64;

/** The account a presence state is written for: the connection's (`CollabContext.user`). */
export type PresenceAccount = NonNullable<CollabContext['user']>;

/** A presence state as the server relays it: the only fields the pages read. */
export interface RelayedPresence {
  /** Who: always the connection's account; the colour one of `PRESENCE_PALETTE`. */
  user: { id: string; name: string; color: string; colourSettled: boolean };
  /** Where their caret is, as the caret plugin reads it; present when the page sent one. */
  cursor?: { anchor: RelativePositionJSON; head: RelativePositionJSON } | null;
}

/** A relative position as `Y.relativePositionToJSON` writes it, rebuilt field by field. */
interface RelativePositionJSON {
  type?: { client: number; clock: number };
  tname?: string;
  item?: { client: number; clock: number };
  assoc?: number;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const idOf = (value: unknown): { client: number; clock: number } | undefined =>
  isObject(value) ? { client: value.client as number, clock: value.clock as number } : undefined;

/** A copy of a position `isReadableCursor` accepted, with its known fields only; null when too long. */
function relativePosition(value: unknown): RelativePositionJSON | null {
  if (!isObject(value)) return null;
  const { tname, assoc } = value;
  if (typeof tname === 'string' && tname.length > MAX_CARET_TYPE_NAME) return null;
  const type = idOf(value.type);
  const item = idOf(value.item);
  return {
    ...(type ? { type } : {}),
    ...(typeof tname === 'string' ? { tname } : {}),
    ...(item ? { item } : {}),
    ...(typeof assoc === 'number' ? { assoc } : {}),
  };
}

/** The caret of a state: its `{anchor, head}` rebuilt, or null when readers could not place it. */
function caretOf(value: unknown): RelayedPresence['cursor'] {
  if (!isObject(value) || !isReadableCursor(value)) return null;
  const anchor = relativePosition(value.anchor);
  const head = relativePosition(value.head);
  return anchor && head ? { anchor, head } : null;
}

/** The colour claims of the other people present (their `user.color`), as the pages read them. */
function claimsOf(present: Map<number, unknown>, clientId: number): ColourClaim[] {
  const claims: ColourClaim[] = [];
  for (const [id, state] of present) {
    if (id === clientId || !isObject(state) || !isObject(state.user)) continue;
    const { color, colourSettled, id: person } = state.user;
    if (typeof color === 'string')
      claims.push({
        clientId: id,
        colour: color,
        settled: colourSettled === true,
        ...(typeof person === 'string' ? { person } : {}),
      });
  }
  return claims;
}

/**
 * The presence (Yjs awareness) state the server relays for `state`, sent by `account`'s connection
 * under `clientId`: the shape the pages read and nothing else (client/src/features/presence/,
 * the editor's caret extension), whatever the client sent.
 *
 * - `user`: the account's id and name, always (a state without `user`, such as the empty state a
 *   provider announces before its editor sets one, gets it: the person is there, their caret is
 *   theirs, and a page's connection check, which waits for its own state to come back, keeps
 *   working). Its `color` is the page's when it is a colour of `PRESENCE_PALETTE` (the page keeps
 *   it distinct from the others' by `chooseColour`, client/src/features/presence/presenceColour.ts);
 *   anything else (or none) is replaced by the colour that rule gives a newcomer holding the
 *   account's own colour among the `present` states (the document's awareness): the first colour
 *   nobody holds when someone does, so the negotiation still ends with distinct colours; it is
 *   then announced unsettled. `colourSettled` is a boolean (true only when the page said true).
 *   Once this connection's colour for `clientId` was relayed settled (`settledBefore`), another
 *   colour is taken only when `chooseColour` makes that settled colour give way; otherwise the
 *   settled colour is kept, whatever the page sends.
 * - `cursor`: kept when the state has one, rebuilt from the fields of a relative position
 *   (`{anchor, head}`, `isReadableCursor` of @essaim/protocol, root type names of at most
 *   {@link MAX_CARET_TYPE_NAME} characters); `null` when readers could not place it.
 * - Every other field is dropped. Sizes are bounded: the account's name (at most 100 characters
 *   when the account is made), a palette colour, a caret of six integers and a short type name.
 *
 * Pure; `state` must be an object.
 */
export function relayedPresence(
  state: Record<string, unknown>,
  account: PresenceAccount,
  clientId: number,
  present: Map<number, unknown>,
  settledBefore: string | null = null,
): RelayedPresence {
  const claimed = isObject(state.user) ? state.user : {};
  let negotiated = isPresenceColour(claimed.color) ? claimed.color : null;
  // A settled colour moves only when the rule makes it give way: a page announcing a new colour
  // at will, still « settled », made the honest pages it collided with take another one, again
  // and again (tester BR29: a membre cycling colours flipped everybody's).
  if (
    settledBefore !== null &&
    negotiated !== settledBefore &&
    chooseColour(
      { clientId, colour: settledBefore, settled: true, person: account.id },
      claimsOf(present, clientId),
    ) === settledBefore
  ) {
    negotiated = settledBefore;
  }
  // A colour the page never negotiated: the one the rule gives a newcomer, announced unsettled.
  const color =
    negotiated ??
    chooseColour(
      { clientId, colour: account.color, settled: false, person: account.id },
      claimsOf(present, clientId),
    );
  const colourSettled = negotiated !== null && claimed.colourSettled === true;
  const user = { id: account.id, name: account.name, color, colourSettled };
  return 'cursor' in state ? { user, cursor: caretOf(state.cursor) } : { user };
}

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
 * - A state a connection sends is relayed in the shape the pages read, nothing more
 *   ({@link relayedPresence}): `user` always the connection's account (added when missing), its
 *   colour one of the presence palette, a `cursor` readers can place or `null` (a malformed caret
 *   threw uncaught errors in other people's pages), every other field dropped. A state that is
 *   not an object is dropped, except a removal (`null`) from the connection holding the id.
 *
 * The only place presence is rewritten (the Authentication extension only puts the account in the
 * connection's context).
 */
export class AwarenessBindingExtension implements Extension<CollabContext> {
  extensionName = 'awareness-binding';
  priority = 1010;

  /** The connection holding each client id of each loaded document. */
  private readonly holders = new WeakMap<Document, Map<number, Connection<CollabContext>>>();
  /**
   * The last colour relayed settled for each client id of each connection, kept across the
   * connection's removals of its state (a removal then a new state must not reset it).
   */
  private readonly settledColours = new WeakMap<Connection<CollabContext>, Map<number, string>>();

  constructor(private readonly logger: Logger) {}

  async beforeHandleAwareness({
    document,
    documentName,
    states,
    transactionOrigin,
    awareness,
  }: beforeHandleAwarenessPayload<CollabContext>): Promise<void> {
    const connection =
      isTransactionOrigin(transactionOrigin) && transactionOrigin.source === 'connection'
        ? (transactionOrigin.connection as Connection<CollabContext>)
        : undefined;
    for (const [clientId, state] of states) {
      // A person leaving while the socket stays open (the page closed the document): relayed when
      // the connection holds that id, or the others kept a ghost until Yjs's 30 s timeout
      // (tester BR29). Anybody else's removal is dropped, as any other state for their id.
      if (state === null && connection && this.holders.get(document)?.get(clientId) === connection) continue;
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
      const account = connection?.context.user;
      if (account && connection) {
        let settled = this.settledColours.get(connection);
        if (!settled) this.settledColours.set(connection, (settled = new Map()));
        const relayed = relayedPresence(
          state,
          account,
          clientId,
          awareness.getStates(),
          settled.get(clientId) ?? null,
        );
        if (relayed.user.colourSettled) settled.set(clientId, relayed.user.color);
        states.set(clientId, relayed);
      }
      // Not from a connection (the server's own, another instance's relay): a caret readers can place.
      else if ('cursor' in state && !isReadableCursor(state.cursor)) state.cursor = null;
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
