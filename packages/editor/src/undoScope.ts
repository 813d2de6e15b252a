import type { EditorState } from '@tiptap/pm/state';
import { getRelativeSelection, ySyncPluginKey, yUndoPluginKey } from '@tiptap/y-tiptap';
import * as Y from 'yjs';
import { alignEnds } from './textMoves.js';
import {
  attributesAt,
  indexOf,
  insertAfterCharacter,
  insertBeforeCharacter,
  textsWrittenIn,
  type ItemList,
} from './yItems.js';

/**
 * An undo or a redo takes back only what it changed, and keeps what co-writers typed since.
 *
 * Yjs's `UndoManager` records, for each step, the items a transaction inserted and the items it
 * deleted; undoing deletes the first and inserts copies of the second. When the step moved text
 * from one block to another (a split, a join, a paste of several paragraphs, a paragraph made a
 * heading or wrapped in a list: y-tiptap deletes the text and inserts a copy), the undo moves it
 * back the same way, and what co-writers typed into the moved text since is not in the copy:
 * - typed in a block the undo deletes (the heading made from a paragraph, the list around it), it
 *   is deleted with the block, and the server cannot tell that from a deletion by hand
 *   (issue 8: a heading toggled, undone and redone while someone types in it, 3 runs of 3);
 * - typed in a paragraph the undo empties, it stays there alone: y-tiptap's delete filter never
 *   deletes a paragraph that still holds text, so the co-writer's words end in a stray paragraph,
 *   out of their sentence (a split undone, a list or heading redone);
 * - when the next undo or redo deletes the block again, Yjs records the co-writer's characters
 *   among the step's deletions, and the one after writes them back as copies, while the server
 *   has already written them again where the text went: they stand twice (a join undone, redone
 *   and undone while someone types in it).
 *
 * {@link undoOnlyOwnChanges} makes each undo and redo, in its own Yjs transaction (one update, so
 * the server sees a change of block made by someone who had every character), carry co-writers'
 * characters along: each run of them is written again after the copy of the step's character just
 * before it (in a block that goes away, the nearest one that has a copy), with its formatting, the
 * old one deleted, and a paragraph the filter kept only for them deleted once emptied. The step
 * recorded for the next undo or redo holds only the step's own items: neither the co-writers'
 * characters nor the carried copies, which the next one carries again. The formatting co-writers
 * gave the step's own characters since (a word the split moved, made bold by someone else) goes
 * to the characters the undo writes back too: each step records the formatting it left on its
 * characters, and what differs when it is undone or redone is someone else's. Keystrokes still on their
 * way are the server's (sectionForwarding.ts) and each editor's (textMoves.ts) to follow.
 */

type DeleteSet = ReturnType<typeof Y.createDeleteSet>;
type StackItem = Y.UndoManager['undoStack'][number];

interface Range {
  clock: number;
  len: number;
}

/** A delete set (client → ranges) from unsorted ranges; sorted and merged as Yjs reads them. */
function deleteSetOf(ranges: Map<number, Range[]>): DeleteSet {
  const ds = Y.createDeleteSet();
  for (const [client, list] of ranges) if (list.length > 0) ds.clients.set(client, list as never);
  return Y.mergeDeleteSets([ds]);
}

/** The ranges of `a` also in `b`, per client. */
function intersect(a: DeleteSet, b: DeleteSet): DeleteSet {
  const out = new Map<number, Range[]>();
  for (const [client, ranges] of a.clients) {
    const others = b.clients.get(client) ?? [];
    const kept: Range[] = [];
    for (const r of ranges)
      for (const o of others) {
        const start = Math.max(r.clock, o.clock);
        const end = Math.min(r.clock + r.len, o.clock + o.len);
        if (end > start) kept.push({ clock: start, len: end - start });
      }
    out.set(client, kept);
  }
  return deleteSetOf(out);
}

/** The ranges of `a` not in `b`, per client. */
function subtract(a: DeleteSet, b: DeleteSet): DeleteSet {
  const out = new Map<number, Range[]>();
  for (const [client, ranges] of a.clients) {
    const others = [...(b.clients.get(client) ?? [])].sort((x, y) => x.clock - y.clock);
    const kept: Range[] = [];
    for (const r of ranges) {
      let start = r.clock;
      const end = r.clock + r.len;
      for (const o of others) {
        if (o.clock + o.len <= start || o.clock >= end) continue;
        if (o.clock > start) kept.push({ clock: start, len: o.clock - start });
        start = Math.max(start, o.clock + o.len);
      }
      if (end > start) kept.push({ clock: start, len: end - start });
    }
    out.set(client, kept);
  }
  return deleteSetOf(out);
}

// ---------------------------------------------------------------------------------------------
// The formatting a step left on its characters

/** `length` consecutive characters of `client` from `clock`, formatted `attributes` by the step. */
interface FormatRun {
  clock: number;
  length: number;
  attributes: Record<string, unknown>;
}

/**
 * The formatting of a step's characters as the step left them, by client (runs sorted by clock),
 * and which characters it covers: what an undo or a redo compares with their formatting when it
 * takes them away, to tell what co-writers changed since.
 */
interface Formatting {
  runs: Map<number, FormatRun[]>;
  covered: DeleteSet;
}

/**
 * Adds to `into` the formatting, now, of the live characters in `ids` (a step's insertions),
 * walking once each text they are in. Cost: the items of those texts.
 */
function recordFormatting(doc: Y.Doc, ids: DeleteSet, into: Formatting): void {
  const texts = new Set<Y.XmlText>();
  for (const [client, ranges] of ids.clients)
    for (const { clock, len } of ranges as Range[]) textsWrittenIn(doc, client, clock, clock + len, texts);
  const added = new Map<number, Range[]>();
  for (const text of texts) {
    const formatting = new Map<string, unknown>();
    for (let n = text._start; n; n = n.right) {
      const { content } = n;
      if (n.deleted) continue;
      if (content instanceof Y.ContentFormat) {
        if (content.value === null) formatting.delete(content.key);
        else formatting.set(content.key, content.value);
        continue;
      }
      if (!(content instanceof Y.ContentString)) continue;
      const client = n.id.client;
      const ranges = (ids.clients.get(client) ?? []) as Range[];
      for (const r of ranges) {
        const start = Math.max(r.clock, n.id.clock);
        const end = Math.min(r.clock + r.len, n.id.clock + n.length);
        if (end <= start) continue;
        const list = into.runs.get(client) ?? [];
        list.push({ clock: start, length: end - start, attributes: Object.fromEntries(formatting) });
        into.runs.set(client, list);
        const done = added.get(client) ?? [];
        done.push({ clock: start, len: end - start });
        added.set(client, done);
      }
    }
  }
  for (const list of into.runs.values()) list.sort((x, y) => x.clock - y.clock);
  into.covered = Y.mergeDeleteSets([into.covered, deleteSetOf(added)]);
}

/** The formatting `formatting` recorded for the character `id`, or null when it has none. */
function recordedAt(formatting: Formatting, id: Y.ID): Record<string, unknown> | null {
  const runs = formatting.runs.get(id.client);
  if (!runs) return null;
  let low = 0;
  let high = runs.length - 1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    const run = runs[middle] as FormatRun;
    if (id.clock < run.clock) high = middle - 1;
    else if (id.clock >= run.clock + run.length) low = middle + 1;
    else return run.attributes;
  }
  return null;
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** What changed from `from` to `to`: each mark added or changed with its value, each removed as null. */
function formattingChange(
  from: Record<string, unknown>,
  to: Record<string, unknown>,
): Record<string, unknown> {
  const change: Record<string, unknown> = {};
  for (const name of Object.keys(from)) if (!(name in to)) change[name] = null;
  for (const [name, value] of Object.entries(to)) if (!same(from[name], value)) change[name] = value;
  return change;
}

// ---------------------------------------------------------------------------------------------
// Carrying co-writers' characters along an undo or a redo

/** A character of a text as it was before the undo's transaction. */
interface Char {
  id: Y.ID;
  str: string;
  /** One of the popped step's own characters (the undo deletes it). */
  own: boolean;
  /** Still there after the undo (a co-writer's character in a paragraph the filter kept). */
  live: boolean;
  /** Its formatting (y-prosemirror marks) as it was. */
  attributes: Record<string, unknown>;
}

/** A run of characters: the step's own ones deleted by the undo, or the undo's copies. */
interface Run {
  text: Y.XmlText;
  str: string;
  ids: Y.ID[];
}

const key = (id: Y.ID): string => `${id.client}:${id.clock}`;

/** What the undo's transaction did, read while it is still open. */
interface UndoChange {
  doc: Y.Doc;
  transaction: Y.Transaction;
  /** The items the undo tried to delete (its step's insertions), and those its filter kept. */
  offered: readonly Y.Item[];
  kept: readonly Y.Item[];
}

/** The step's own characters, by id: the character items the undo tried to delete. */
function ownCharacters(offered: readonly Y.Item[]): DeleteSet {
  const ranges = new Map<number, Range[]>();
  for (const item of offered) {
    if (!(item.content instanceof Y.ContentString)) continue;
    const list = ranges.get(item.id.client) ?? [];
    list.push({ clock: item.id.clock, len: item.length });
    ranges.set(item.id.client, list);
  }
  return deleteSetOf(ranges);
}

/** The element holding a text (a paragraph, a heading), or null. */
const elementOf = (text: Y.XmlText): Y.Item | null => {
  const parent = text._item?.parent;
  return parent instanceof Y.XmlElement ? parent._item : null;
};

/**
 * The characters of the texts the undo took its own characters from, as they were before it, and
 * the runs of its own characters (co-writers' characters between them do not cut a run: the copy
 * lacks them).
 */
function textsBefore(change: UndoChange, own: DeleteSet): Map<Y.XmlText, Char[]> {
  const { transaction } = change;
  const deletedNow = Y.mergeDeleteSets([transaction.deleteSet]);
  const createdNow = (n: Y.Item) => n.id.clock >= (transaction.beforeState.get(n.id.client) ?? 0);
  const visibleBefore = (n: Y.Item) => !createdNow(n) && (!n.deleted || Y.isDeleted(deletedNow, n.id));
  const texts = new Set<Y.XmlText>();
  for (const item of change.offered)
    if (item.content instanceof Y.ContentString && item.parent instanceof Y.XmlText && visibleBefore(item))
      texts.add(item.parent);
  const out = new Map<Y.XmlText, Char[]>();
  for (const text of texts) {
    const chars: Char[] = [];
    const formatting = new Map<string, unknown>();
    for (let n = text._start; n; n = n.right) {
      const { content } = n;
      if (!visibleBefore(n)) continue;
      if (content instanceof Y.ContentFormat) {
        if (content.value === null) formatting.delete(content.key);
        else formatting.set(content.key, content.value);
      }
      if (!(content instanceof Y.ContentString)) continue;
      const attributes = Object.fromEntries(formatting);
      for (let k = 0; k < n.length; k++) {
        const id = Y.createID(n.id.client, n.id.clock + k);
        chars.push({
          id,
          str: content.str[k] as string,
          own: Y.isDeleted(own, id),
          live: !n.deleted,
          attributes,
        });
      }
    }
    out.set(text, chars);
  }
  return out;
}

/** The characters the undo wrote (its copies of the step's deletions), in runs per text. */
function copiesOf(change: UndoChange, from: number): Run[] {
  const { doc } = change;
  const texts = textsWrittenIn(doc, doc.clientID, from);
  const runs: Run[] = [];
  for (const text of texts) {
    let current: Run | null = null;
    for (let n = text._start; n; n = n.right) {
      const { content } = n;
      if (n.deleted || !(content instanceof Y.ContentString)) continue;
      if (n.id.client !== doc.clientID || n.id.clock < from) {
        current = null;
        continue;
      }
      if (!current) runs.push((current = { text, str: '', ids: [] }));
      for (let k = 0; k < n.length; k++) {
        current.str += content.str[k] as string;
        current.ids.push(Y.createID(n.id.client, n.id.clock + k));
      }
    }
  }
  return runs;
}

/**
 * Pairs the step's own characters with the undo's copies of the text it restores: each run of own
 * characters with the run of copies that has the most in common with it at either end (as
 * textMoves.ts pairs a move). Returns own character → copy, and records old text → new text in
 * `textMoves`.
 */
function pairCopies(
  texts: Map<Y.XmlText, Char[]>,
  copies: readonly Run[],
  textMoves: Map<Y.XmlText, Y.XmlText>,
): Map<string, Y.ID> {
  const owns: Run[] = [];
  for (const [text, chars] of texts) {
    const run: Run = { text, str: '', ids: [] };
    for (const c of chars)
      if (c.own) {
        run.str += c.str;
        run.ids.push(c.id);
      }
    if (run.ids.length > 0) owns.push(run);
  }
  const candidates: { from: Run; to: Run; pairs: [number, number][] }[] = [];
  for (const from of owns)
    for (const to of copies) {
      if (to.text === from.text) continue;
      const pairs = alignEnds(from.str, to.str, []);
      if (pairs.length > 0) candidates.push({ from, to, pairs });
    }
  candidates.sort((a, b) => b.pairs.length - a.pairs.length);
  const used = new Set<Run>();
  const map = new Map<string, Y.ID>();
  for (const { from, to, pairs } of candidates) {
    if (used.has(from) || used.has(to)) continue;
    used.add(from);
    used.add(to);
    textMoves.set(from.text, to.text);
    for (const [f, t] of pairs) map.set(key(from.ids[f] as Y.ID), to.ids[t] as Y.ID);
  }
  return map;
}

/** Co-writers' characters to write again next to a copy: after `after`, or before `before`. */
interface Carry {
  chars: Char[];
  after: Y.ID | null;
  before: Y.ID | null;
}

/**
 * The runs of co-writers' characters of `chars` (one text) to carry, with where: after the copy of
 * the own character just before the run; in a text that goes away with the undo, failing that,
 * after the copy of the nearest own character before it that has one, or before the copy of the
 * nearest after it. Characters with none of these stay where they are.
 */
function carriesIn(chars: readonly Char[], copyOf: Map<string, Y.ID>, goingAway: boolean): Carry[] {
  const out: Carry[] = [];
  let i = 0;
  while (i < chars.length) {
    if ((chars[i] as Char).own) {
      i++;
      continue;
    }
    let end = i;
    while (end < chars.length && !(chars[end] as Char).own) end++;
    const run = chars.slice(i, end);
    const left = i > 0 ? copyOf.get(key((chars[i - 1] as Char).id)) : undefined;
    let carry: Carry | null = left ? { chars: run, after: left, before: null } : null;
    if (!carry && goingAway) {
      for (let k = i - 1; k >= 0 && !carry; k--) {
        const copy = copyOf.get(key((chars[k] as Char).id));
        if (copy) carry = { chars: run, after: copy, before: null };
      }
      for (let k = end; k < chars.length && !carry; k++) {
        const copy = copyOf.get(key((chars[k] as Char).id));
        if (copy) carry = { chars: run, after: null, before: copy };
      }
    }
    if (carry) out.push(carry);
    i = end;
  }
  return out;
}

/** Whether an element (or text) holds anything: characters, or an element other than an empty text. */
function holdsContent(type: ItemList): boolean {
  for (let n = type._start; n; n = n.right) {
    if (n.deleted || !n.countable) continue;
    const { content } = n;
    if (!(content instanceof Y.ContentType)) return true;
    const child = content.type;
    if (!(child instanceof Y.XmlText) || child.length > 0) return true;
  }
  return false;
}

/** Deletes the live item `item` from its parent (an element, a text). */
function deleteItem(item: Y.Item): void {
  const parent = item.parent;
  if (!(parent instanceof Y.XmlElement || parent instanceof Y.XmlFragment || parent instanceof Y.XmlText))
    return;
  let index = 0;
  for (let n = parent._start; n && n !== item; n = n.right) if (!n.deleted && n.countable) index += n.length;
  parent.delete(index, item.length);
}

/** Splits a run into pieces of one formatting each. */
function byFormatting(chars: readonly Char[]): Char[][] {
  const pieces: Char[][] = [];
  for (const c of chars) {
    const last = pieces[pieces.length - 1];
    const previous = last?.[last.length - 1];
    if (last && previous && JSON.stringify(previous.attributes) === JSON.stringify(c.attributes))
      last.push(c);
    else pieces.push([c]);
  }
  return pieces;
}

/** Gives the characters [index, index + length) of `text`, now formatted `current`, the formatting `wanted`. */
function reformat(
  text: Y.XmlText,
  index: number,
  length: number,
  current: Record<string, unknown>,
  wanted: Record<string, unknown>,
): void {
  const change: Record<string, unknown> = {};
  for (const name of Object.keys(current)) if (!(name in wanted)) change[name] = null;
  for (const [name, value] of Object.entries(wanted))
    if (JSON.stringify(current[name]) !== JSON.stringify(value)) change[name] = value;
  if (Object.keys(change).length > 0) text.format(index, length, change);
}

/** What an undo or a redo carried: the items it wrote for that, and where characters went. */
interface Carried {
  /** The copies of co-writers' characters (and their formatting), to leave out of the next step. */
  copies: DeleteSet;
  /** Old character → the character that now stands for it: the step's own and co-writers'. */
  moved: Map<string, Y.ID>;
  /** Old text → the text the copies of its characters went to. */
  texts: Map<Y.XmlText, Y.XmlText>;
}

/**
 * Carries co-writers' characters along the undo `change` (see the module's comment), inside its
 * transaction. Returns what it wrote and where the characters went.
 */
function carryOthersText(change: UndoChange, formatting: Formatting | null): Carried {
  const { doc, transaction } = change;
  const carried: Carried = { copies: Y.createDeleteSet(), moved: new Map(), texts: new Map() };
  const own = ownCharacters(change.offered);
  if (own.clients.size === 0) return carried;
  const texts = textsBefore(change, own);
  const copies = copiesOf(change, transaction.beforeState.get(doc.clientID) ?? 0);
  const copyOf = pairCopies(texts, copies, carried.texts);
  carried.moved = copyOf;
  if (copyOf.size === 0) return carried;
  const start = Y.getState(doc.store, doc.clientID);
  const written = (): DeleteSet => {
    const end = Y.getState(doc.store, doc.clientID);
    return end > start
      ? deleteSetOf(new Map([[doc.clientID, [{ clock: start, len: end - start }]]]))
      : Y.createDeleteSet();
  };
  if (formatting) carryOthersFormatting(doc, texts, copyOf, formatting);
  if (![...texts.values()].some((chars) => chars.some((c) => !c.own))) {
    carried.copies = written();
    return carried;
  }
  const offered = new Set(change.offered);
  const goesAway = (item: Y.Item | null) => item !== null && (item.deleted || offered.has(item));
  const emptied = new Set<Y.Item>();
  const lastWritten = new Map<string, Y.ID>();
  for (const [text, chars] of texts) {
    const goingAway = goesAway(text._item) || goesAway(elementOf(text));
    for (const carry of carriesIn(chars, copyOf, goingAway)) {
      const anchor = (carry.after ?? carry.before) as Y.ID;
      const target = Y.getItem(doc.store, anchor);
      if (!(target instanceof Y.Item) || !(target.parent instanceof Y.XmlText) || target.deleted) continue;
      const into = target.parent;
      let after = carry.after ? (lastWritten.get(key(carry.after)) ?? carry.after) : null;
      for (const piece of byFormatting(carry.chars)) {
        const str = piece.map((c) => c.str).join('');
        const first = after
          ? insertAfterCharacter(into, after, str)
          : insertBeforeCharacter(into, anchor, str);
        const index = indexOf(into, first);
        const current = attributesAt(into, first);
        if (index !== null && current)
          reformat(into, index, str.length, current, (piece[0] as Char).attributes);
        piece.forEach((c, k) => copyOf.set(key(c.id), Y.createID(first.client, first.clock + k)));
        after = Y.createID(first.client, first.clock + str.length - 1);
      }
      if (carry.after && after) lastWritten.set(key(carry.after), after);
      // The originals still there (in a paragraph the filter kept) go: they now stand in the copy.
      for (const c of carry.chars) {
        if (!c.live) continue;
        const index = indexOf(text, c.id);
        if (index !== null) text.delete(index, 1);
      }
      const element = elementOf(text);
      if (element) emptied.add(element);
    }
  }
  // A paragraph the undo meant to delete, kept by the filter only for what was just carried away.
  for (const item of change.kept) {
    if (item.deleted || !emptied.has(item) || !(item.content instanceof Y.ContentType)) continue;
    if (!holdsContent(item.content.type as unknown as ItemList)) deleteItem(item);
  }
  carried.copies = written();
  return carried;
}

/**
 * Gives the copies an undo or a redo made of its step's own characters the formatting co-writers
 * changed on those characters since the step (`formatting`: as the step left them; the characters'
 * `attributes`: as they were just before the undo), each mark added, changed or removed by them
 * and only those: A's bold on B's words survives B's undo of the split, join, paste or change of
 * block that had moved them, as in Google Docs, where one's undo never removes a format another
 * person applied. Characters the step left no record for keep the formatting the undo gives them.
 */
function carryOthersFormatting(
  doc: Y.Doc,
  texts: Map<Y.XmlText, Char[]>,
  copyOf: Map<string, Y.ID>,
  formatting: Formatting,
): void {
  const pending = new Map<Y.XmlText, Map<string, Record<string, unknown>>>();
  for (const chars of texts.values())
    for (const c of chars) {
      if (!c.own) continue;
      const copy = copyOf.get(key(c.id));
      const recorded = copy ? recordedAt(formatting, c.id) : null;
      if (!copy || !recorded) continue;
      const change = formattingChange(recorded, c.attributes);
      if (Object.keys(change).length === 0) continue;
      const item: unknown = Y.getItem(doc.store, copy);
      if (!(item instanceof Y.Item) || item.deleted || !(item.parent instanceof Y.XmlText)) continue;
      const changes = pending.get(item.parent) ?? new Map<string, Record<string, unknown>>();
      changes.set(key(copy), change);
      pending.set(item.parent, changes);
    }
  for (const [text, changes] of pending) {
    // Walks the text once: each changed character's index and formatting now, in ranges of
    // consecutive characters getting the same change.
    const ranges: { index: number; length: number; change: Record<string, unknown>; json: string }[] = [];
    const current = new Map<string, unknown>();
    let index = 0;
    for (let n = text._start; n; n = n.right) {
      const { content } = n;
      if (n.deleted) continue;
      if (content instanceof Y.ContentFormat) {
        if (content.value === null) current.delete(content.key);
        else current.set(content.key, content.value);
        continue;
      }
      if (!n.countable) continue;
      if (content instanceof Y.ContentString)
        for (let k = 0; k < n.length; k++) {
          const wanted = changes.get(`${n.id.client}:${n.id.clock + k}`);
          if (!wanted) continue;
          const change: Record<string, unknown> = {};
          for (const [name, value] of Object.entries(wanted))
            if (!same(current.get(name), value)) change[name] = value;
          if (Object.keys(change).length === 0) continue;
          const json = JSON.stringify(change);
          const last = ranges[ranges.length - 1];
          if (last && last.json === json && last.index + last.length === index + k) last.length++;
          else ranges.push({ index: index + k, length: 1, change, json });
        }
      index += n.length;
    }
    for (const { index: at, length, change } of ranges) text.format(at, length, change);
  }
}

// ---------------------------------------------------------------------------------------------
// Wiring into an UndoManager

/** What {@link undoOnlyOwnChanges} needs of Yjs's UndoManager events. */
type StackItemAdded = { stackItem: StackItem };

/** What the caller of {@link undoOnlyOwnChanges} may add to each undo and redo. */
export interface StepHooks {
  /** Before the undo or redo, outside its transaction. */
  beforeStep?: () => void;
  /** Inside its transaction, once it is done, with where it moved characters. */
  afterStep?: (moves: StepMoves) => void;
  /** When Yjs files the step it recorded (for the next redo or undo), its sets already trimmed. */
  filed?: (stackItem: StackItem) => void;
}

/**
 * Makes `undoManager` (the editor's, from y-tiptap's undo plugin, or any Yjs UndoManager) keep
 * co-writers' text through its undos and redos (see the module's comment):
 * - each undo or redo runs in one transaction with its carrying of co-writers' characters;
 * - the step it records for the next one holds only the deletions of items the popped step had
 *   inserted, and none of the carried copies.
 * A new step's own changes (a keystroke, a join) are recorded as Yjs records them. An undo or a
 * redo called inside another transaction runs as Yjs's alone. `options` adds to each undo and
 * redo (see {@link StepHooks}: the editor keeps the undoer's caret with them). Returns the
 * function that stops.
 */
export function undoOnlyOwnChanges(undoManager: Y.UndoManager, options: StepHooks = {}): () => void {
  const doc = undoManager.doc;
  /**
   * The step being undone or redone, the copies its undo wrote, and the formatting it gave its
   * own characters (before any co-writer's was carried), until its transaction ends.
   */
  let current: { popped: StackItem; copies: DeleteSet; formatting: Formatting } | null = null;
  /** The formatting each step left on its characters (see {@link carryOthersFormatting}). */
  const formattings = new WeakMap<StackItem, Formatting>();
  const onAdded = ({ stackItem }: StackItemAdded): void => {
    const popped = current?.popped ?? undoManager.currStackItem;
    if (!(undoManager.undoing || undoManager.redoing) || !popped) {
      const formatting: Formatting = { runs: new Map(), covered: Y.createDeleteSet() };
      recordFormatting(doc, stackItem.insertions, formatting);
      formattings.set(stackItem, formatting);
      return;
    }
    // New objects: the recorded sets are the transaction's own, from which the update is encoded.
    stackItem.deletions = intersect(stackItem.deletions, standingFor(doc.store, popped.insertions));
    if (current) {
      stackItem.insertions = subtract(stackItem.insertions, current.copies);
      formattings.set(stackItem, current.formatting);
      options.filed?.(stackItem);
    }
  };
  /** A change merged into the last step (typed within the capture timeout): its characters too. */
  const onUpdated = ({ stackItem }: StackItemAdded): void => {
    const formatting = formattings.get(stackItem);
    if (formatting) recordFormatting(doc, subtract(stackItem.insertions, formatting.covered), formatting);
  };
  const originalUndo = undoManager.undo.bind(undoManager);
  const originalRedo = undoManager.redo.bind(undoManager);
  const wrap = (pop: () => StackItem | null, flag: 'undoing' | 'redoing') => (): StackItem | null => {
    if (doc._transaction !== null) return pop();
    const filter = undoManager.deleteFilter;
    let popped: StackItem | null = null;
    options.beforeStep?.();
    try {
      doc.transact((transaction) => {
        const offered: Y.Item[] = [];
        const kept: Y.Item[] = [];
        undoManager.deleteFilter = (item) => {
          const deletes = filter(item);
          offered.push(item);
          if (!deletes) kept.push(item);
          return deletes;
        };
        const stack = flag === 'undoing' ? undoManager.undoStack : undoManager.redoStack;
        // A step whose deleted text cannot be written back any more is dropped, not half undone.
        while (stack.length > 0 && !canWriteBack(doc, stack[stack.length - 1] as StackItem)) stack.pop();
        const next = stack[stack.length - 1];
        if (next) splitRedoneInsertions(transaction, next);
        popped = pop();
        undoManager.deleteFilter = filter;
        if (!popped) return;
        // The formatting the step gives the characters it writes back, as Yjs wrote them.
        const formatting: Formatting = { runs: new Map(), covered: Y.createDeleteSet() };
        const from = transaction.beforeState.get(doc.clientID) ?? 0;
        const to = Y.getState(doc.store, doc.clientID);
        if (to > from)
          recordFormatting(
            doc,
            deleteSetOf(new Map([[doc.clientID, [{ clock: from, len: to - from }]]])),
            formatting,
          );
        const carried = carryOthersText({ doc, transaction, offered, kept }, formattings.get(popped) ?? null);
        current = { popped, copies: carried.copies, formatting };
        options.afterStep?.(stepMoves(doc, carried));
        // Yjs files the step when the transaction ends, on the stack this flag names.
        undoManager[flag] = true;
      }, undoManager);
    } finally {
      undoManager.deleteFilter = filter;
      undoManager[flag] = false;
      current = null;
    }
    return popped;
  };
  undoManager.undo = wrap(originalUndo, 'undoing');
  undoManager.redo = wrap(originalRedo, 'redoing');
  undoManager.on('stack-item-added', onAdded);
  undoManager.on('stack-item-updated', onUpdated);
  return () => {
    undoManager.off('stack-item-added', onAdded);
    undoManager.off('stack-item-updated', onUpdated);
    undoManager.undo = originalUndo;
    undoManager.redo = originalRedo;
  };
}

/**
 * Whether undoing (or redoing) `step` can write back every character it deleted: Yjs writes a
 * deleted character back into its text only when that text is there, or was written back, or is
 * written back by the same step (itself deleted by the step, in an element that can be).
 *
 * A co-writer may have deleted the text since: joined the paragraph one had split to the one
 * before (y-tiptap deletes the paragraph and appends a copy of its text). Undoing the split then
 * deletes the new paragraph, with the second half of the text and what was typed in it since, and
 * cannot write that half back into the first: the text is gone for everyone (issue 8, fuzz). Such
 * a step is not undone: what it did stays, as when the step no longer applies in Google Docs.
 */
function canWriteBack(doc: Y.Doc, step: StackItem): boolean {
  const { deletions } = step;
  const { store } = doc;
  const restorable = (item: Y.Item | null, depth: number): boolean => {
    if (!item || !item.deleted) return true;
    if (depth > MAX_HOPS) return false;
    if (item.redone !== null) {
      // Yjs writes into the element's last written-back copy, live or not.
      let last: Y.Item = item;
      for (let hops = 0; last.redone !== null && hops < MAX_HOPS; hops++) {
        const next = Y.getItem(store, last.redone);
        if (!(next instanceof Y.Item)) return false;
        last = next;
      }
      return !last.deleted;
    }
    if (!Y.isDeleted(deletions, item.id)) return false;
    const parent = item.parent;
    return !(parent instanceof Y.AbstractType) || restorable(parent._item, depth + 1);
  };
  for (const [client, ranges] of deletions.clients) {
    const structs = store.clients.get(client);
    if (!structs) continue;
    const state = Y.getState(store, client);
    for (const { clock, len } of ranges) {
      if (clock >= state) continue;
      for (let i = Y.findIndexSS(structs, clock); i < structs.length; i++) {
        const struct = structs[i];
        if (!struct || struct.id.clock >= clock + len) break;
        if (!(struct instanceof Y.Item) || !(struct.content instanceof Y.ContentString)) continue;
        if (!struct.deleted || struct.redone !== null) continue;
        const parent = struct.parent;
        if (parent instanceof Y.AbstractType && !restorable(parent._item, 0)) return false;
      }
    }
  }
  return true;
}

/**
 * The ids of `ids` and of the items that stand for them after undos and redos (Yjs's `redone`
 * chains, followed at most {@link MAX_HOPS} times): what a step inserted, as it stands now.
 *
 * A step's insertions that an undo deleted and a later undo wrote back (a split, then a join of
 * its new paragraph, both undone: the second undo writes back the paragraph and its text) are
 * other items than the step recorded. Undoing the step deletes those; the step filed for its redo
 * must list them, or the redo has nothing to write back and the text the undo took is gone for
 * everyone (issue 8, fuzz: split, join, undo, undo, redo lost the split's second half).
 */
function standingFor(store: Y.Doc['store'], ids: DeleteSet): DeleteSet {
  const out = new Map<number, Range[]>();
  const visit = (client: number, clock: number, len: number, hops: number): void => {
    const list = out.get(client) ?? [];
    list.push({ clock, len });
    out.set(client, list);
    const structs = store.clients.get(client);
    if (!structs || hops >= MAX_HOPS || clock >= Y.getState(store, client)) return;
    const end = clock + len;
    for (let i = Y.findIndexSS(structs, clock); i < structs.length; i++) {
      const s = structs[i];
      if (!s || s.id.clock >= end) break;
      if (!(s instanceof Y.Item) || s.redone === null) continue;
      const from = Math.max(clock, s.id.clock);
      const to = Math.min(end, s.id.clock + s.length);
      visit(s.redone.client, s.redone.clock + (from - s.id.clock), to - from, hops + 1);
    }
  };
  for (const [client, ranges] of ids.clients)
    for (const { clock, len } of ranges) visit(client, clock, len, 0);
  return deleteSetOf(out);
}

/**
 * Cuts the items that stand for `step`'s insertions after an earlier undo or redo (Yjs's `redone`
 * chain) to the exact size of the insertions, so that undoing `step` deletes those and nothing
 * more.
 *
 * Yjs merges one's consecutive items: a join's copy and the word typed right after it become one
 * item. An undo that writes them back (a split undone) writes that one item again; undoing the join
 * next follows the copy's ids to that new item, cuts it where the copy starts, not where it ends,
 * and deletes it whole, the word typed after the copy with it (yjs 13.6 `popStackItem`; issue 8,
 * fuzz: a word typed after a joined paragraph lost when the join was undone after a split of it
 * was undone). Call it inside the undo's transaction, before Yjs pops `step`.
 */
function splitRedoneInsertions(transaction: Y.Transaction, step: StackItem): void {
  const { store } = transaction.doc;
  Y.iterateDeletedStructs(transaction, step.insertions, (struct) => {
    if (!(struct instanceof Y.Item)) return;
    const length = struct.length;
    for (let hops = 0, next = struct.redone; next !== null && hops < MAX_HOPS; hops++) {
      if (next.clock >= Y.getState(store, next.client)) return;
      const item = Y.getItemCleanStart(transaction, next);
      if (!(item instanceof Y.Item)) return;
      if (item.length > length)
        Y.getItemCleanEnd(transaction, store, Y.createID(next.client, next.clock + length - 1));
      next = item.redone;
    }
  });
}

/**
 * Where an undo or a redo moved characters and texts: {@link StepMoves.position} gives, for a Yjs
 * relative position, the one that now stands for it (following Yjs's own redone items, then the
 * copies the step made of its characters and of co-writers'), or the same when it did not move.
 */
export interface StepMoves {
  position(relative: Y.RelativePosition): Y.RelativePosition;
}

/** Hops followed through redone items and copies, at most (each undo or redo adds one). */
const MAX_HOPS = 64;

function stepMoves(doc: Y.Doc, carried: Carried): StepMoves {
  const live = (id: Y.ID): Y.Item | null => {
    if (id.clock >= Y.getState(doc.store, id.client)) return null;
    const struct: unknown = Y.getItem(doc.store, id);
    return struct instanceof Y.Item ? struct : null;
  };
  const followChar = (start: Y.ID): Y.ID | null => {
    let id = start;
    for (let hop = 0; hop < MAX_HOPS; hop++) {
      const item = live(id);
      if (!item) return null;
      if (!item.deleted) return id;
      const copy = carried.moved.get(key(id));
      if (copy) id = copy;
      else if (item.redone) id = Y.createID(item.redone.client, item.redone.clock + id.clock - item.id.clock);
      else return null;
    }
    return null;
  };
  return {
    position(relative) {
      if (relative.item) {
        const id = followChar(relative.item);
        return id && !Y.compareIDs(id, relative.item)
          ? new Y.RelativePosition(null, null, id, relative.assoc)
          : relative;
      }
      // At the start (`assoc` < 0) or the end of a text: the same end of the text its characters
      // went to, unless Yjs follows the text itself (re-created by the step).
      const typeItem = relative.type ? live(relative.type) : null;
      const text = typeItem?.content instanceof Y.ContentType ? typeItem.content.type : null;
      if (!typeItem?.deleted || typeItem.redone || !(text instanceof Y.XmlText)) return relative;
      const moved = carried.texts.get(text);
      if (!moved) return relative;
      return Y.createRelativePositionFromTypeIndex(
        moved,
        relative.assoc < 0 ? 0 : moved.length,
        relative.assoc,
      );
    },
  };
}

/** What y-tiptap's sync binding keeps of the selection to restore after a Yjs transaction. */
interface BindingSelection {
  type: string;
  anchor: Y.RelativePosition | null;
  head: Y.RelativePosition | null;
}

/** The part of y-tiptap's sync binding read and set here. */
interface SyncBinding {
  beforeTransactionSelection: BindingSelection | null;
}

function bindingOf(view: { readonly state: EditorState }): SyncBinding | null {
  const sync: unknown = ySyncPluginKey.getState(view.state);
  const binding = typeof sync === 'object' && sync !== null ? (sync as { binding?: unknown }).binding : null;
  return typeof binding === 'object' && binding !== null ? (binding as SyncBinding) : null;
}

/**
 * The undoer's caret through undos and redos, in a Tiptap editor:
 * - the selection filed with the step an undo or a redo records (restored by the next redo or
 *   undo) is the one from just before it: y-tiptap files the one its undo plugin computes from
 *   the editor's previous state against the Yjs document already changed, so that a paragraph
 *   made a list item, undone then redone, put the caret two characters further, or in the next
 *   section's title;
 * - the selection restored is put where the step moved the characters it is relative to.
 */
function keepSelection(view: { readonly state: EditorState }): StepHooks {
  let before: unknown = null;
  return {
    beforeStep() {
      const binding = bindingOf(view);
      before = binding
        ? getRelativeSelection(binding as unknown as Parameters<typeof getRelativeSelection>[0], view.state)
        : null;
    },
    afterStep(moves) {
      const binding = bindingOf(view);
      const selection = binding?.beforeTransactionSelection;
      if (!binding || !selection || selection.type !== 'text') return;
      binding.beforeTransactionSelection = {
        ...selection,
        anchor: selection.anchor && moves.position(selection.anchor),
        head: selection.head && moves.position(selection.head),
      };
    },
    filed(stackItem) {
      const binding = bindingOf(view);
      if (binding && before) stackItem.meta.set(binding, before);
    },
  };
}

/**
 * {@link undoOnlyOwnChanges} on the UndoManager of a Tiptap editor's Collaboration extension
 * (y-tiptap's undo plugin), the undoer's caret following the characters each step moves.
 * Returns the function that stops; a no-op without the plugin.
 */
export function undoOnlyOwnChangesInEditor(view: { readonly state: EditorState }): () => void {
  const state: unknown = yUndoPluginKey.getState(view.state);
  const undoManager =
    typeof state === 'object' && state !== null ? (state as { undoManager?: unknown }).undoManager : null;
  return undoManager instanceof Y.UndoManager
    ? undoOnlyOwnChanges(undoManager, keepSelection(view))
    : () => undefined;
}
