import { chooseColour, type ColourClaim } from '@essaim/domain';
import { readableState } from './awarenessGuard.js';

/** What the colour keeper needs of y-protocols' `Awareness`. */
export interface ColourAwareness {
  readonly clientID: number;
  getStates(): Map<number, unknown>;
  getLocalState(): Record<string, unknown> | null;
  setLocalStateField(field: string, value: unknown): void;
  on(event: 'change', listener: () => void): void;
  off(event: 'change', listener: () => void): void;
}

/** What the colour keeper needs of the provider: whether the first sync is done, and its event. */
export interface SyncSource {
  readonly isSynced: boolean;
  on(event: 'synced', listener: () => void): unknown;
  off(event: 'synced', listener: () => void): unknown;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The colour claim of an awareness `user` field, or null when it carries no colour; its `person`
 * is the account (`user.id`, always set by the server, set by the editor for this page's own).
 */
function claimOf(clientId: number, user: unknown): ColourClaim | null {
  if (!isObject(user) || typeof user.color !== 'string') return null;
  const claim: ColourClaim = { clientId, colour: user.color, settled: user.colourSettled === true };
  return typeof user.id === 'string' ? { ...claim, person: user.id } : claim;
}

/**
 * Keeps this page's presence colour (awareness `user.color`, read by the caret, its label and the
 * presence list of everyone) distinct from the colours of the others in the document (issue 16).
 *
 * The rule (`chooseColour` of @essaim/domain): a person keeps their colour unless someone they
 * must give way to holds it (someone already settled, or at the same moment someone with a lower
 * client id), and then takes the first palette colour nobody holds; the tabs of one person share
 * the colour of their first tab. A page announces its colour
 * as settled (`user.colourSettled`) once the first sync is done: the server sends the awareness
 * of everyone present before that, so the page has compared its colour with all of them.
 * The server keeps a palette colour chosen by the page and replaces anything else by the colour
 * this rule gives a newcomer (`relayedPresence`, server/src/collab/AwarenessBindingExtension.ts).
 *
 * Runs at every awareness change (an arrival, a colour change, the editor setting `user` again)
 * and once the provider is synced. Returns the function that stops it.
 */
export function keepDistinctColour(awareness: ColourAwareness, provider: SyncSource): () => void {
  const resolve = (): void => {
    const local = awareness.getLocalState();
    const user = local?.user;
    const mine = claimOf(awareness.clientID, user);
    if (!isObject(user) || !mine) return;
    const others: ColourClaim[] = [];
    for (const [clientId, state] of awareness.getStates()) {
      if (clientId === awareness.clientID) continue;
      const claim = claimOf(clientId, readableState(state)?.user);
      if (claim) others.push(claim);
    }
    const colour = chooseColour(mine, others);
    const settled = mine.settled || provider.isSynced;
    if (colour !== mine.colour || settled !== mine.settled) {
      awareness.setLocalStateField('user', { ...user, color: colour, colourSettled: settled });
    }
  };
  awareness.on('change', resolve);
  provider.on('synced', resolve);
  resolve();
  return () => {
    awareness.off('change', resolve);
    provider.off('synced', resolve);
  };
}
