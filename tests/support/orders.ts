import * as Y from 'yjs';
import { FROM_SERVER, type Client } from './yNetwork.js';

/**
 * Orders of keystrokes and deliveries for the co-writing tests of `packages/editor` that replay a
 * browser test without a browser (issue 8): the server's updates delivered several at once, as
 * Hocuspocus sends a turn's changes, and the shrinking of an order that fails.
 */

/** Delivers to `client` the next `count` updates of the server, merged into one. */
export function deliverMerged(client: Client, count = Infinity): void {
  const updates = client.inbox.splice(0, count);
  if (updates.length > 0) Y.applyUpdate(client.doc, Y.mergeUpdates(updates), FROM_SERVER);
}

/**
 * The shortest order found by removing steps one by one while `replay` still fails on it.
 * `replay(steps)` plays an order, skipping the steps it cannot play, and answers whether it
 * failed and the steps it played.
 */
export function shrinkOrder(
  steps: readonly string[],
  replay: (steps: string[]) => { failed: boolean; played: string[] },
): string[] {
  let best = [...steps];
  for (let changed = true; changed;) {
    changed = false;
    for (let i = best.length - 1; i >= 0; i--) {
      const r = replay([...best.slice(0, i), ...best.slice(i + 1)]);
      if (r.failed) {
        best = r.played;
        changed = true;
      }
    }
  }
  return best;
}

/** The typist's and the co-writer's Yjs client ids, in both orders: Yjs breaks ties by client id. */
export const CLIENT_ID_ORDERS = [
  [100, 200],
  [200, 100],
] as const;

/** « lower » or « higher »: the typist's client id against the co-writer's, for a test's name. */
export const typistIdOrder = (ids: readonly [number, number]): string =>
  ids[0] < ids[1] ? 'lower' : 'higher';
