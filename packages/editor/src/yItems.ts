import * as Y from 'yjs';

/**
 * Reading Yjs items by id, shared by the forwardings (sectionForwarding.ts) and the editors'
 * repairs (textMoves.ts). Read-only.
 */

/** A Yjs item id as stored (client, clock). */
export interface ItemId {
  client: number;
  clock: number;
}

/** The item holding the id (a character inside it, or an element), or null when unknown or a GC struct. */
export function itemAt(doc: Y.Doc, id: ItemId): Y.Item | null {
  if (id.clock >= Y.getState(doc.store, id.client)) return null;
  const struct: unknown = Y.getItem(doc.store, Y.createID(id.client, id.clock));
  return struct instanceof Y.Item ? struct : null;
}

/** What is read here of a shared type (text, element, fragment): its list of items. */
export interface ItemList {
  _start: Y.Item | null;
}

/**
 * Where the character or element `target` stands among the visible children of `parent`: the
 * visible index of its first position (for a deleted one, where it was), and whether it is
 * visible. Null when it is not a child of `parent`.
 */
function placeOf(parent: ItemList, target: ItemId): { index: number; visible: boolean } | null {
  let index = 0;
  for (let n = parent._start; n; n = n.right) {
    const visible = !n.deleted && n.countable;
    if (n.id.client === target.client && target.clock >= n.id.clock && target.clock < n.id.clock + n.length)
      return { index: index + (visible ? target.clock - n.id.clock : 0), visible };
    if (visible) index += n.length;
  }
  return null;
}

/** Position just after `target` among `parent`'s visible children (where it was, if deleted). */
export function indexAfter(parent: ItemList, target: ItemId): number | null {
  const place = placeOf(parent, target);
  return place ? place.index + (place.visible ? 1 : 0) : null;
}

/** Visible index of `target` among `parent`'s children, or null when it is deleted or elsewhere. */
export function indexOf(parent: ItemList, target: ItemId): number | null {
  const place = placeOf(parent, target);
  return place?.visible ? place.index : null;
}
