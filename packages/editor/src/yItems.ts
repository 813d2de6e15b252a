import * as Y from 'yjs';

/**
 * Reading Yjs items by id, shared by the forwardings (sectionForwarding.ts) and the editors'
 * repairs (textMoves.ts), and the one write both need: text hung on a given character.
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
 * Calls `visit` with each character item (a string of a text) under `parent`, nested types
 * included, in document order, among the items `visible` counts (live ones by default; a type it
 * does not count is not entered). The walk of a section's item tree that a move's record reads
 * (copiedClocks.ts `writersOf` on the old section, sectionForwarding.ts `readCopy` on its copy).
 */
export function forEachCharacter(
  parent: ItemList,
  visit: (item: Y.Item) => void,
  visible: (item: Y.Item) => boolean = (item) => !item.deleted,
): void {
  for (let n = parent._start; n; n = n.right) {
    if (!visible(n)) continue;
    const { content } = n;
    if (content instanceof Y.ContentString) visit(n);
    else if (content instanceof Y.ContentType) forEachCharacter(content.type, visit, visible);
  }
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

/**
 * Inserts `str` into `text` just after the live character `after` (a character of `text`), with
 * that character as its Yjs origin, and returns the id of its first character.
 *
 * `Y.Text.insert(index)` places text after the deleted characters that follow the character before
 * `index`, and gives it the last of them as origin: text written again after a moved character
 * then hangs on a character deleted earlier, and is left behind when that character's text moves
 * again (issue 8: a join undone, redone and undone while someone types in it). Written here, it
 * hangs on `after` itself. Formatting is that of `after`'s place. Throws when `after` is not a
 * character of `text`.
 */
export function insertAfterCharacter(text: Y.XmlText, after: ItemId, str: string): Y.ID {
  const doc = text.doc;
  if (!doc) throw new Error('texte hors document');
  return doc.transact((transaction) => {
    const left = Y.getItemCleanEnd(transaction, doc.store, Y.createID(after.client, after.clock));
    if (left.parent !== text || !(left.content instanceof Y.ContentString))
      throw new Error('caractère hors du texte');
    const id = Y.createID(doc.clientID, Y.getState(doc.store, doc.clientID));
    const right = left.right;
    const item = new Y.Item(
      id,
      left,
      left.lastId,
      right,
      right ? right.id : null,
      text,
      null,
      new Y.ContentString(str),
    );
    item.integrate(transaction, 0);
    // Y.Text caches index → item markers that an insertion done by hand does not update.
    text._searchMarker?.splice(0);
    return id;
  });
}

/**
 * Inserts `str` into `text` just before the live character `before` (a character of `text`), with
 * that character as its Yjs right origin and the item on its left as its left origin, and returns
 * the id of its first character. Formatting is that of `before`'s place. Throws when `before` is
 * not a character of `text`.
 */
export function insertBeforeCharacter(text: Y.XmlText, before: ItemId, str: string): Y.ID {
  const doc = text.doc;
  if (!doc) throw new Error('texte hors document');
  return doc.transact((transaction) => {
    const right = Y.getItemCleanStart(transaction, Y.createID(before.client, before.clock));
    if (right.parent !== text || !(right.content instanceof Y.ContentString))
      throw new Error('caractère hors du texte');
    const id = Y.createID(doc.clientID, Y.getState(doc.store, doc.clientID));
    const left = right.left;
    const item = new Y.Item(
      id,
      left,
      left ? left.lastId : null,
      right,
      right.id,
      text,
      null,
      new Y.ContentString(str),
    );
    item.integrate(transaction, 0);
    text._searchMarker?.splice(0);
    return id;
  });
}

/**
 * The formatting attributes (y-prosemirror marks: name → attributes) in effect at the character
 * `at` of `text`, from its live formatting items. Null when `at` is not in `text`.
 */
export function attributesAt(text: ItemList, at: ItemId): Record<string, unknown> | null {
  const attributes = new Map<string, unknown>();
  for (let n = text._start; n; n = n.right) {
    if (n.id.client === at.client && at.clock >= n.id.clock && at.clock < n.id.clock + n.length)
      return Object.fromEntries(attributes);
    const { content } = n;
    if (!(content instanceof Y.ContentFormat) || n.deleted) continue;
    if (content.value === null) attributes.delete(content.key);
    else attributes.set(content.key, content.value);
  }
  return null;
}

/**
 * Adds to `into` (and answers it) each `Y.XmlText` holding a live character that `client` wrote
 * with a clock in `[from, to)` (`to`: up to the client's last struct). What a step, a transaction
 * or a forwarding inserted is looked for there. Cost: the client's structs in that range.
 */
export function textsWrittenIn(
  doc: Y.Doc,
  client: number,
  from: number,
  to = Number.POSITIVE_INFINITY,
  into = new Set<Y.XmlText>(),
): Set<Y.XmlText> {
  for (const item of liveCharactersWrittenIn(doc, client, from, to)) into.add(item.parent as Y.XmlText);
  return into;
}

/**
 * The items of live characters (strings in a `Y.XmlText`) that `client` wrote with a clock in
 * `[from, to)`, in clock order. Cost: the client's structs in that range.
 */
export function* liveCharactersWrittenIn(
  doc: Y.Doc,
  client: number,
  from: number,
  to = Number.POSITIVE_INFINITY,
): Generator<Y.Item> {
  const structs = doc.store.clients.get(client);
  if (!structs || structs.length === 0 || from >= Y.getState(doc.store, client)) return;
  for (let i = Y.findIndexSS(structs, from); i < structs.length; i++) {
    const s = structs[i];
    if (!s || s.id.clock >= to) break;
    if (
      s instanceof Y.Item &&
      !s.deleted &&
      s.content instanceof Y.ContentString &&
      s.parent instanceof Y.XmlText
    )
      yield s;
  }
}

/**
 * The client id under which the server writes again what `client` typed and lost to a
 * co-writer's change (late edits forwarded, keystrokes a join deleted): one less than the
 * writer's own, so that Yjs puts the text written again before what its writer types next at the
 * same place (`sectionForwarding.ts`, `forwardingClient`).
 */
export const forwarderOf = (client: number): number => client - 1;

/** Whether `id` is a character `doc`'s own client wrote, or the server wrote again for it ({@link forwarderOf}). */
export const isOwnOrForwarded = (doc: Y.Doc, id: ItemId): boolean =>
  id.client === doc.clientID || id.client === forwarderOf(doc.clientID);
