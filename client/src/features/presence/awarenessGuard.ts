/**
 * Other people's awareness states (presence, carets) are data from the network: a state this page
 * cannot read must be ignored, never thrown on (issue 15: a malformed cursor threw uncaught errors
 * in other people's pages, from the caret plugin's `Y.createRelativePositionFromJSON`). The
 * server already relays only readable carets (server/src/collab/AwarenessBindingExtension.ts);
 * this is the page's own guard, for a server of another version or anything that slips through.
 * The rule of a readable caret is shared with the server (`isReadableCursor`, @essaim/protocol).
 */

import { isReadableCursor } from '@essaim/protocol';

/** Re-exported for awarenessGuard.test.ts. */
export { isReadableCursor };

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The readable part of a remote awareness state, or null when nothing of it is: not an object.
 * A `user` that is not an object is left out; so is a caret that cannot be placed (`cursor: null`).
 * Returns the state itself when it is readable as it is.
 */
export function readableState(state: unknown): Record<string, unknown> | null {
  if (!isObject(state)) return null;
  const userOk = !('user' in state) || isObject(state.user);
  const cursorOk = isReadableCursor(state.cursor);
  if (userOk && cursorOk) return state;
  const { user, cursor, ...rest } = state;
  return { ...rest, ...(userOk ? { user } : {}), ...(cursorOk ? { cursor } : { cursor: null }) };
}

/** What the guard needs of y-protocols' `Awareness`. */
export interface GuardedAwareness {
  readonly clientID: number;
  getStates(): Map<number, unknown>;
  on(event: 'change', listener: (change: { added: number[]; updated: number[] }) => void): void;
  off(event: 'change', listener: (change: { added: number[]; updated: number[] }) => void): void;
}

/**
 * Repairs, in place and as they arrive, the remote states this page cannot read: a state that is
 * not an object is dropped, a caret that cannot be placed becomes `null`, a `user` that is not an
 * object is removed. Install it right after creating the provider, before the editor: listeners
 * run in the order they were added, so the caret plugin then only ever sees readable states.
 * Returns the function that removes the guard.
 */
export function guardAwarenessStates(awareness: GuardedAwareness): () => void {
  const repair = ({ added, updated }: { added: number[]; updated: number[] }): void => {
    const states = awareness.getStates();
    for (const clientId of [...added, ...updated]) {
      if (clientId === awareness.clientID) continue;
      const state = states.get(clientId);
      const readable = readableState(state);
      if (readable === null) states.delete(clientId);
      else if (readable !== state) states.set(clientId, readable);
    }
  };
  awareness.on('change', repair);
  return () => awareness.off('change', repair);
}
