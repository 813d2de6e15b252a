import * as Y from 'yjs';
import { FRAGMENT } from '@essaim/protocol';
import { recordSectionCopy, writersOf } from './copiedClocks.js';
import { detectTextMoves, type TextMoves } from './textMoves.js';
import {
  forwarderOf,
  indexAfter,
  indexOf,
  insertAfterCharacter,
  forEachCharacter,
  itemAt,
  liveCharactersWrittenIn,
  textsWrittenIn,
  type ItemId,
} from './yItems.js';

export type { ItemId } from './yItems.js';

/**
 * Section moves and restorations that lose no keystroke.
 *
 * Yjs has no move: a section is moved (or a deleted required section is put back) by inserting a
 * deep copy and deleting the old element. Edits that a co-editor makes to the old element after
 * that (keystrokes in flight, or everything typed offline until reconnecting) are integrated by
 * Yjs as deleted, since their parent is deleted, and would be lost. A *forwarding* records, for
 * each moved or restored section, where every Yjs item of the old subtree went in the new one
 * (elements one to one, characters by id ranges); {@link forwardLateEdits} re-applies such late
 * edits at the mapped place, right after the transaction that brought them.
 *
 * For the late edits to be readable, the old subtree must not be garbage-collected: the document's
 * `gcFilter` keeps every item under a forwarded old root (see {@link forwardingsOf}). Without that,
 * Yjs would replace a late keystroke whose left neighbour was collected by a GC struct and its
 * text would be gone before anyone could read it.
 *
 * Everything here works on plain Y.Docs (no Hocuspocus): the server wires it to connections.
 */

/**
 * What a forwarding knows about one run of old items:
 * - `map`: `length` consecutive items (clocks) of `client` from `clock` went to the same number of
 *   consecutive items of `toClient` from `toClock` (characters; or one element, length 1);
 * - `follow`: the same for characters the forwarding had sent somewhere (its copies) and that a
 *   person's change moved on since (see {@link forwardMovedTargets}): late text written after one
 *   of them follows it, but a late deletion of it is not carried (the change that moved it deleted
 *   it knowingly, and someone undoing or cutting it again would take the copies away);
 * - `format`: the old formatting mark at this id was in effect for the writer (it was live when the
 *   section was copied, or a late writer added it): it decides the marks of a late keystroke;
 * - `unformat`: a late writer removed that mark.
 */
export type ForwardEntry =
  | {
      kind: 'map' | 'follow';
      client: number;
      clock: number;
      length: number;
      toClient: number;
      toClock: number;
    }
  | { kind: 'format' | 'unformat'; client: number; clock: number };

/** One moved or restored section. */
export interface ForwardingRecord {
  /** Derived from the old root (`f-<client>-<clock>`, base 36): an element is deleted only once. */
  id: string;
  /** The deleted section element. */
  oldRoot: ItemId;
  /** The section element that replaced it. */
  newRoot: ItemId;
  /** Epoch milliseconds, for expiry. */
  createdAt: number;
}

/** A change to the forwardings of a document, for whoever stores them. */
export interface ForwardingChange {
  record: ForwardingRecord;
  /** New entries, in the order they were made. */
  entries: ForwardEntry[];
  /** True when the forwarding itself is new (its first entries). */
  created: boolean;
}

/** What is read here of any shared type (element, text, fragment): its item lists. */
interface YType {
  _start: Y.Item | null;
  _map: Map<string, Y.Item>;
  _item: Y.Item | null;
}
/** The delete set carried by an update, as `Y.decodeUpdate` returns it. */
export type UpdateDeletes = ReturnType<typeof Y.decodeUpdate>['ds'];
type Visible = (item: Y.Item) => boolean;

interface Segment {
  /** The old client (the key of the index by old client, kept here for the index by new client). */
  fromClient: number;
  clock: number;
  length: number;
  toClient: number;
  toClock: number;
  record: ForwardingRecord;
}

/** Chained moves (a section moved again before a late edit arrived) are followed this far. */
const MAX_HOPS = 32;

const key = (id: ItemId): string => `${id.client}:${id.clock}`;
const idOf = (item: Y.Item): ItemId => ({ client: item.id.client, clock: item.id.clock });

/**
 * The forwardings of one document: an index from old item ids to new ones, the formatting marks
 * in effect for late writers, and the old roots the garbage collector must spare. Obtain it with
 * {@link forwardingsOf}.
 */
export class SectionForwardings {
  private readonly records = new Map<string, ForwardingRecord>();
  private readonly roots = new Map<string, ForwardingRecord>();
  /** By old client, sorted by clock, never overlapping. */
  private readonly segments = new Map<number, Segment[]>();
  /** The `follow` entries, the same way (see {@link ForwardEntry}). */
  private readonly follows = new Map<number, Segment[]>();
  /** The same segments by new client, sorted by new clock (several old ranges may go to one element). */
  private readonly targets = new Map<number, Segment[]>();
  /** Longest segment of each new client: how far back a target may start. */
  private readonly longestTarget = new Map<number, number>();
  /** Live formatting marks: old client → clock → forwarding. */
  private readonly formats = new Map<number, Map<number, ForwardingRecord>>();
  private readonly listeners = new Set<(change: ForwardingChange) => void>();
  /** Forwardings of paragraphs joined to the one before (late edits with no anchor go at its end). */
  private readonly joins = new Set<string>();
  /** Deleted elements holding an old root (a list unwrapped around a paragraph): kept with it. */
  private readonly holders = new Map<string, string[]>();
  private readonly held = new Map<string, number>();
  /** Forwardings whose writer's knowledge is told by another item than the old root (see {@link setWitness}). */
  private readonly witnesses = new Map<string, ItemId>();

  /** Number of forwardings installed. */
  get size(): number {
    return this.records.size;
  }

  /** Every forwarding installed, oldest first. */
  list(): ForwardingRecord[] {
    return [...this.records.values()];
  }

  /**
   * Installs a forwarding with its entries, or adds entries to one already installed (same id).
   * `notify: false` for forwardings read back from storage, so they are not stored twice.
   */
  add(record: ForwardingRecord, entries: readonly ForwardEntry[], { notify = true } = {}): void {
    const known = this.records.get(record.id);
    const target = known ?? record;
    if (!known) {
      this.records.set(record.id, record);
      this.roots.set(key(record.oldRoot), record);
    }
    for (const entry of entries) this.index(entry, target);
    if (notify && (entries.length > 0 || !known)) {
      const change = { record: target, entries: [...entries], created: !known };
      for (const listener of this.listeners) listener(change);
    }
  }

  /**
   * Tells the listeners about entries already indexed (re-applied edits are indexed one by one as
   * they are made, so the next ones can chain on them, and announced together at the end).
   */
  announce(record: ForwardingRecord, entries: readonly ForwardEntry[]): void {
    if (entries.length === 0) return;
    const change = { record, entries: [...entries], created: false };
    for (const listener of this.listeners) listener(change);
  }

  /**
   * Forgets a forwarding: late edits to its old subtree are no longer carried over, and the
   * garbage collector may take that subtree. Returns the record, or null if it was not installed.
   */
  remove(id: string): ForwardingRecord | null {
    const record = this.records.get(id);
    if (!record) return null;
    this.records.delete(id);
    this.joins.delete(id);
    this.witnesses.delete(id);
    for (const k of this.holders.get(id) ?? []) {
      const count = (this.held.get(k) ?? 1) - 1;
      if (count > 0) this.held.set(k, count);
      else this.held.delete(k);
    }
    this.holders.delete(id);
    this.roots.delete(key(record.oldRoot));
    for (const index of [this.segments, this.follows, this.targets])
      for (const [client, list] of index) {
        const kept = list.filter((s) => s.record !== record);
        if (kept.length > 0) index.set(client, kept);
        else index.delete(client);
      }
    for (const byClock of this.formats.values())
      for (const [clock, owner] of byClock) if (owner === record) byClock.delete(clock);
    return record;
  }

  /**
   * Marks a forwarding as a join's (a paragraph appended to the one before it): a late keystroke
   * with no forwarded neighbour goes at the end of that paragraph, not at its start. Kept in
   * memory only: after a restart such a keystroke goes at the start.
   */
  markJoin(id: string): void {
    this.joins.add(id);
  }

  /**
   * Keeps readable, as long as the forwarding lasts, the deleted elements around its old root: the
   * garbage collector replaces the whole subtree of a deleted element it collects, old root
   * included (a paragraph taken out of a list is deleted with the list).
   */
  keepHolders(record: ForwardingRecord, oldRoot: Y.Item): void {
    const keys: string[] = [];
    for (let parent = oldRoot.parent; parent instanceof Y.AbstractType && parent._item?.deleted;) {
      const item: Y.Item = parent._item;
      keys.push(key(item.id));
      parent = item.parent;
    }
    if (keys.length === 0 || this.holders.has(record.id)) return;
    this.holders.set(record.id, keys);
    for (const k of keys) this.held.set(k, (this.held.get(k) ?? 0) + 1);
  }

  /**
   * Says which item's deletion, in a writer's delete set, tells that the writer knew of the
   * forwarding (its deletions in the old subtree are then not carried; see {@link forwardLateEdits}).
   * By default the old root: a writer who deleted it knew of the move. A paragraph the server
   * took back ({@link dropRepeatedSplits}) is its own writer's, which deletes it again when it
   * undoes its split, not knowing of the take-back: what says it knew is the first character its
   * split had moved, which only a full state diff deletes again. In memory only: after a restart,
   * the old root again.
   */
  setWitness(id: string, witness: ItemId): void {
    this.witnesses.set(id, witness);
  }

  /** Whether a writer whose update deleted `writerDeletes` knew of the forwarding (see {@link setWitness}). */
  knownBy(record: ForwardingRecord, writerDeletes: UpdateDeletes): boolean {
    const witness = this.witnesses.get(record.id) ?? record.oldRoot;
    return Y.isDeleted(writerDeletes, Y.createID(witness.client, witness.clock));
  }

  /** Whether the forwarding is a join's (see {@link markJoin}). */
  isJoin(record: ForwardingRecord): boolean {
    return this.joins.has(record.id);
  }

  /** Calls `listener` after each change (new forwarding or new entries). Returns the unsubscriber. */
  onChange(listener: (change: ForwardingChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Where the old item at `id` went (one step, no chain), or null when it is not forwarded: its
   * `map` entry, or failing that its `follow` one.
   */
  lookup(id: ItemId): ItemId | null {
    const found = this.segmentAt(this.segments, id) ?? this.segmentAt(this.follows, id);
    return found ? { client: found.toClient, clock: found.toClock + (id.clock - found.clock) } : null;
  }

  /**
   * The mapped parts of the old range [clock, clock + length) of `client`, with their targets
   * (`map` entries only: where a late deletion is carried).
   */
  mapped(
    client: number,
    clock: number,
    length: number,
  ): (ItemId & { length: number; record: ForwardingRecord })[] {
    const list = this.segments.get(client);
    if (!list) return [];
    const out: (ItemId & { length: number; record: ForwardingRecord })[] = [];
    const end = clock + length;
    for (let i = Math.max(0, this.floor(list, clock)); i < list.length; i++) {
      const s = list[i] as Segment;
      if (s.clock >= end) break;
      const from = Math.max(clock, s.clock);
      const to = Math.min(end, s.clock + s.length);
      if (from < to)
        out.push({
          client: s.toClient,
          clock: s.toClock + (from - s.clock),
          length: to - from,
          record: s.record,
        });
    }
    return out;
  }

  /**
   * The parts of the range [clock, clock + length) of `client` that forwardings sent items to (as
   * copies it wrote or paired), each with the forwarding that did; sorted by clock, a part may be
   * named twice when two old items went to one element.
   */
  targetsIn(
    client: number,
    clock: number,
    length: number,
  ): { clock: number; length: number; record: ForwardingRecord }[] {
    const list = this.targets.get(client);
    if (!list) return [];
    const reach = this.longestTarget.get(client) ?? 1;
    const end = clock + length;
    let i = Math.max(0, this.floorTarget(list, clock));
    while (i > 0 && (list[i - 1] as Segment).toClock + reach > clock) i--;
    const out: { clock: number; length: number; record: ForwardingRecord }[] = [];
    for (; i < list.length; i++) {
      const s = list[i] as Segment;
      if (s.toClock >= end) break;
      const from = Math.max(clock, s.toClock);
      const to = Math.min(end, s.toClock + s.length);
      if (from < to) out.push({ clock: from, length: to - from, record: s.record });
    }
    return out;
  }

  /**
   * {@link sourceOf} for a run of `length` items from `id` (of one client, clocks in a row), one
   * stretch at a time: the longest first stretch of it whose items all come from one run of old
   * items (`source`: the old item of the stretch's first, the next ones following it clock by
   * clock) or all have none (`source` null), and that stretch's length (at least 1). Each item of
   * the stretch gets what {@link sourceOf} gives it.
   */
  sourceRunOf(id: ItemId, length: number): { source: ItemId | null; length: number } {
    const list = this.targets.get(id.client);
    if (!list) return { source: null, length };
    const floor = this.floorTarget(list, id.clock);
    // The items up to the next segment's start are looked up from the same floor.
    const next = list[floor + 1];
    const rest = Math.min(length, next ? next.toClock - id.clock : length);
    const reach = this.longestTarget.get(id.client) ?? 1;
    for (let i = floor; i >= 0; i--) {
      const s = list[i] as Segment;
      if (s.toClock + reach <= id.clock) break;
      // A segment before the floor that ends before `id` holds none of the items after it either.
      if (id.clock < s.toClock + s.length)
        return {
          source: { client: s.fromClient, clock: s.clock + (id.clock - s.toClock) },
          length: Math.min(rest, s.toClock + s.length - id.clock),
        };
    }
    return { source: null, length: rest };
  }

  /**
   * The old item a forwarding sent to `id` (one step back, the reverse of {@link lookup}), or null
   * when `id` is no forwarding's copy.
   */
  sourceOf(id: ItemId): ItemId | null {
    const list = this.targets.get(id.client);
    if (!list) return null;
    const reach = this.longestTarget.get(id.client) ?? 1;
    for (let i = this.floorTarget(list, id.clock); i >= 0; i--) {
      const s = list[i] as Segment;
      if (s.toClock + reach <= id.clock) break;
      if (id.clock < s.toClock + s.length)
        return { client: s.fromClient, clock: s.clock + (id.clock - s.toClock) };
    }
    return null;
  }

  /** Whether the old formatting mark at `id` is in effect for late writers. */
  isLiveFormat(id: ItemId): boolean {
    return this.formats.get(id.client)?.has(id.clock) ?? false;
  }

  /** The live formatting marks among the old ids [clock, clock + length) of `client`. */
  liveFormatsIn(client: number, clock: number, length: number): { id: ItemId; record: ForwardingRecord }[] {
    const byClock = this.formats.get(client);
    if (!byClock) return [];
    const out: { id: ItemId; record: ForwardingRecord }[] = [];
    for (const [c, record] of byClock)
      if (c >= clock && c < clock + length) out.push({ id: { client, clock: c }, record });
    return out;
  }

  /** Whether `id` is the old root of a forwarding. */
  isOldRoot(id: ItemId): boolean {
    return this.roots.has(key(id));
  }

  /** The forwarding whose old subtree holds `item` (the item itself or an ancestor is its old root). */
  recordOf(item: Y.Item): ForwardingRecord | null {
    if (this.roots.size === 0) return null;
    let current: Y.Item | null = item;
    while (current) {
      const record = this.roots.get(key(current.id));
      if (record) return record;
      const parent: Y.Item['parent'] = current.parent;
      current = parent instanceof Y.AbstractType ? parent._item : null;
    }
    return null;
  }

  /** For the document's `gcFilter`: true for the items of a forwarded old subtree, kept readable. */
  keeps(item: Y.Item): boolean {
    return this.held.has(key(item.id)) || this.recordOf(item) !== null;
  }

  private index(entry: ForwardEntry, record: ForwardingRecord): void {
    if (entry.kind === 'map' || entry.kind === 'follow') {
      this.insertSegment(entry.kind === 'map' ? this.segments : this.follows, entry.client, {
        fromClient: entry.client,
        clock: entry.clock,
        length: entry.length,
        toClient: entry.toClient,
        toClock: entry.toClock,
        record,
      });
      return;
    }
    let byClock = this.formats.get(entry.client);
    if (entry.kind === 'format') {
      if (!byClock) this.formats.set(entry.client, (byClock = new Map()));
      byClock.set(entry.clock, record);
    } else {
      byClock?.delete(entry.clock);
    }
  }

  private insertSegment(index: Map<number, Segment[]>, client: number, segment: Segment): void {
    let list = index.get(client);
    if (!list) index.set(client, (list = []));
    // Items are forwarded once; should a range come again, the first mapping stays.
    if (this.mapped(client, segment.clock, segment.length).length > 0) return;
    if (index === this.follows && this.segmentAt(this.follows, { client, clock: segment.clock })) return;
    const at = this.floor(list, segment.clock) + 1;
    list.splice(at, 0, segment);
    let targets = this.targets.get(segment.toClient);
    if (!targets) this.targets.set(segment.toClient, (targets = []));
    targets.splice(this.floorTarget(targets, segment.toClock) + 1, 0, segment);
    const longest = this.longestTarget.get(segment.toClient) ?? 0;
    if (segment.length > longest) this.longestTarget.set(segment.toClient, segment.length);
  }

  /** Index of the last target segment starting at or before `clock` (-1 if none). */
  private floorTarget(list: Segment[], clock: number): number {
    let lo = 0;
    let hi = list.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if ((list[mid] as Segment).toClock <= clock) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found;
  }

  private segmentAt(index: Map<number, Segment[]>, id: ItemId): Segment | null {
    const list = index.get(id.client);
    if (!list) return null;
    const s = list[this.floor(list, id.clock)];
    return s && id.clock < s.clock + s.length ? s : null;
  }

  /** Index of the last segment starting at or before `clock` (-1 if none). */
  private floor(list: Segment[], clock: number): number {
    let lo = 0;
    let hi = list.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if ((list[mid] as Segment).clock <= clock) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found;
  }
}

const registry = new WeakMap<Y.Doc, SectionForwardings>();

/**
 * The forwardings of a document, created on first use. Creating them wraps the document's
 * `gcFilter` so the old subtrees stay readable: on the server, call this before the stored state
 * is applied, or the load itself would collect them.
 */
export function forwardingsOf(doc: Y.Doc): SectionForwardings {
  let forwardings = registry.get(doc);
  if (!forwardings) {
    const created = new SectionForwardings();
    forwardings = created;
    registry.set(doc, created);
    const previous = doc.gcFilter;
    doc.gcFilter = (item) => previous(item) && !created.keeps(item);
  }
  return forwardings;
}

/**
 * Keeps at most `keep` forwardings in `doc` (the most recent), and lets Yjs collect the old copies
 * of the others at once: each kept old copy weighs on the document (memory, stored state, size
 * limit) as long as it is kept, so someone moving sections again and again must not make it grow
 * without bound. Call it outside any transaction. Returns the retired forwardings, for storage to
 * forget them.
 */
export function retireForwardings(doc: Y.Doc, keep: number): ForwardingRecord[] {
  const forwardings = registry.get(doc);
  if (!forwardings || forwardings.size <= keep) return [];
  const retired = forwardings
    .list()
    .sort((a, b) => a.createdAt - b.createdAt)
    .slice(0, forwardings.size - keep);
  // Collecting a deleted element collects its whole subtree, late items included.
  const roots = Y.createDeleteSet();
  for (const record of retired) {
    forwardings.remove(record.id);
    const { client, clock } = record.oldRoot;
    if (clock >= Y.getState(doc.store, client)) continue;
    const list = roots.clients.get(client) ?? [];
    list.push({ clock, len: 1 });
    roots.clients.set(client, list);
  }
  for (const list of roots.clients.values()) list.sort((a, b) => a.clock - b.clock);
  if (doc.gc) Y.tryGc(roots, doc.store, doc.gcFilter);
  return retired;
}

/** Transactions made here (moves, restorations, re-applied edits): never inspected for late edits. */
const ownTransactions = new WeakSet<Y.Transaction>();

/** Whether a transaction is a move or a re-application made by this module. */
export function isForwardingTransaction(transaction: Y.Transaction): boolean {
  return ownTransactions.has(transaction);
}

// ---------------------------------------------------------------------------------------------
// Copying a subtree, as it was

function lastValue(item: Y.Item): unknown {
  const values = item.content.getContent() as unknown[];
  return values[values.length - 1];
}

function copyAttributes(target: Y.XmlElement | Y.XmlText, source: YType, visible: Visible): void {
  for (const [name, item] of source._map) {
    if (!visible(item)) continue;
    const { content } = item;
    // Attribute values are plain JSON (ContentAny) or bytes; nested Yjs types are not used here.
    if (content instanceof Y.ContentAny || content instanceof Y.ContentBinary)
      target.setAttribute(name, lastValue(item) as string);
  }
}

type DeltaOp = { insert: string | object; attributes?: Record<string, unknown> };

/** The text of `text` as a delta, counting only the items `visible` accepts (a past state). */
function textDelta(text: Y.XmlText, visible: Visible): DeltaOp[] {
  const ops: DeltaOp[] = [];
  const attributes = new Map<string, unknown>();
  let str = '';
  const withAttributes = (insert: string | object): DeltaOp =>
    attributes.size > 0 ? { insert, attributes: Object.fromEntries(attributes) } : { insert };
  const flush = () => {
    if (str !== '') ops.push(withAttributes(str));
    str = '';
  };
  for (let n = text._start; n; n = n.right) {
    if (!visible(n)) continue;
    const { content } = n;
    if (content instanceof Y.ContentString) {
      str += content.str;
    } else if (content instanceof Y.ContentFormat) {
      flush();
      if (content.value === null) attributes.delete(content.key);
      else attributes.set(content.key, content.value);
    } else if (content instanceof Y.ContentEmbed) {
      flush();
      ops.push(withAttributes(content.embed));
    }
  }
  flush();
  return ops;
}

/** The child types of an element, in order, that `visible` accepts. */
function childTypes(element: YType, visible: Visible): (Y.XmlElement | Y.XmlText)[] {
  const out: (Y.XmlElement | Y.XmlText)[] = [];
  for (let n = element._start; n; n = n.right) {
    if (!visible(n) || !(n.content instanceof Y.ContentType)) continue;
    const child = n.content.type;
    if (child instanceof Y.XmlText || child instanceof Y.XmlElement) out.push(child);
  }
  return out;
}

/** Fills the (integrated, empty) `target` with a deep copy of `source` as `visible` sees it. */
function fillElement(target: Y.XmlElement, source: Y.XmlElement, visible: Visible): void {
  copyAttributes(target, source, visible);
  childTypes(source, visible).forEach((child, index) => {
    if (child instanceof Y.XmlText) {
      const text = new Y.XmlText();
      target.insert(index, [text]);
      copyAttributes(text, child, visible);
      // No sanitising: a code block's text may well end with a line break.
      text.applyDelta(textDelta(child, visible), { sanitize: false });
    } else {
      const element = new Y.XmlElement(child.nodeName);
      target.insert(index, [element]);
      fillElement(element, child, visible);
    }
  });
}

const isCharacter = (item: Y.Item): boolean =>
  item.content instanceof Y.ContentString || item.content instanceof Y.ContentEmbed;

/** Entries pairing the old subtree (as `visible` sees it) with its fresh copy, item by item. */
function pairSubtrees(old: YType, copy: YType, visible: Visible, out: ForwardEntry[]): void {
  const from = old._item;
  const to = copy._item;
  if (!from || !to) return;
  out.push({
    kind: 'map',
    client: from.id.client,
    clock: from.id.clock,
    length: 1,
    toClient: to.id.client,
    toClock: to.id.clock,
  });
  if (old instanceof Y.XmlText) {
    pairText(old, copy, visible, out);
    return;
  }
  const copies = childTypes(copy, (item) => !item.deleted);
  childTypes(old, visible).forEach((child, index) => {
    const counterpart = copies[index];
    if (counterpart) pairSubtrees(child, counterpart, visible, out);
  });
}

function pairText(old: YType, copy: YType, visible: Visible, out: ForwardEntry[]): void {
  const olds: Y.Item[] = [];
  for (let n = old._start; n; n = n.right) {
    if (!visible(n)) continue;
    if (isCharacter(n)) olds.push(n);
    else if (n.content instanceof Y.ContentFormat) out.push({ kind: 'format', ...idOf(n) });
  }
  const news: Y.Item[] = [];
  for (let n = copy._start; n; n = n.right) if (!n.deleted && isCharacter(n)) news.push(n);
  let i = 0;
  let j = 0;
  let oi = 0;
  let nj = 0;
  while (i < olds.length && j < news.length) {
    const a = olds[i] as Y.Item;
    const b = news[j] as Y.Item;
    const length = Math.min(a.length - oi, b.length - nj);
    out.push({
      kind: 'map',
      client: a.id.client,
      clock: a.id.clock + oi,
      length,
      toClient: b.id.client,
      toClock: b.id.clock + nj,
    });
    oi += length;
    nj += length;
    if (oi === a.length) [i, oi] = [i + 1, 0];
    if (nj === b.length) [j, nj] = [j + 1, 0];
  }
}

/** Merges consecutive map entries (same clients, both sides contiguous): smaller to store. */
function compact(entries: ForwardEntry[]): ForwardEntry[] {
  const out: ForwardEntry[] = [];
  for (const entry of entries) {
    const last = out[out.length - 1];
    if (
      (last?.kind === 'map' || last?.kind === 'follow') &&
      entry.kind === last.kind &&
      last.client === entry.client &&
      last.toClient === entry.toClient &&
      last.clock + last.length === entry.clock &&
      last.toClock + last.length === entry.toClock
    )
      last.length += entry.length;
    else out.push({ ...entry });
  }
  return out;
}

/** Position of `item` among the visible, countable children of `parent` (text: in characters). */
function visibleIndexOf(parent: YType, item: Y.Item): number | null {
  let index = 0;
  for (let n = parent._start; n; n = n.right) {
    if (n === item) return index;
    if (!n.deleted && n.countable) index += n.length;
  }
  return null;
}

/** The forwarding of the old root `oldRoot` to `newRoot`; its id derives from the old root. */
function forwardingRecord(oldRoot: ItemId, newRoot: ItemId, now: number): ForwardingRecord {
  return {
    id: `f-${oldRoot.client.toString(36)}-${oldRoot.clock.toString(36)}`,
    oldRoot,
    newRoot,
    createdAt: now,
  };
}

/**
 * Runs `write` in one transaction of `doc` with `origin`, marked as a forwarding's own (not
 * inspected again), under the client id just below the lowest of `writers` (see
 * {@link forwardingClient}), then gives the document its own id back.
 */
function writeAsWriters(doc: Y.Doc, writers: readonly number[], origin: unknown, write: () => void): void {
  const serverClient = doc.clientID;
  doc.transact((own) => {
    ownTransactions.add(own);
    doc.clientID = forwardingClient(writers, serverClient);
    try {
      write();
    } finally {
      doc.clientID = serverClient;
    }
  }, origin);
}

/**
 * Inserts at `index` of the fragment a deep copy of `source` as `visible` sees it, records the
 * forwarding old → copy, and returns the copy. The caller is inside a transaction.
 */
function relocate(
  doc: Y.Doc,
  fragment: Y.XmlFragment,
  index: number,
  source: Y.XmlElement,
  visible: Visible,
  now: number,
): Y.XmlElement {
  const copy = new Y.XmlElement(source.nodeName);
  fragment.insert(index, [copy]);
  fillElement(copy, source, visible);
  const entries: ForwardEntry[] = [];
  pairSubtrees(source, copy, visible, entries);
  forwardingsOf(doc).add(
    forwardingRecord(idOf(source._item as Y.Item), idOf(copy._item as Y.Item), now),
    compact(entries),
  );
  return copy;
}

/**
 * What the record of a move or restoration reads of the section's `copy`, in one walk of it for
 * all the writers (copiedClocks.ts {@link CopyReader}): its live characters, and, for each of
 * `forwarders` (client ids under which the server wrote writers' late keystrokes again), the runs
 * of live characters of the copy that the server wrote under it or that are copies of such
 * characters (through `forwardings`, as {@link writtenAgainFor} tells), as
 * `[client, clock, length, …]` in document order. Forwarders the document has no character of are
 * left out. The characters are followed back a stretch at a time ({@link SectionForwardings.sourceRunOf}),
 * not one by one. Exported for its benchmark (bench/sectionMoves.ts).
 */
export function readCopy(
  forwardings: SectionForwardings,
  copy: Y.XmlElement,
  forwarders: Iterable<number>,
): { characters: Set<Y.Item>; rewrites: Map<number, number[]> } {
  const characters = new Set<Y.Item>();
  const rewrites = new Map<number, number[]>();
  for (const forwarder of forwarders) if (copy.doc?.store.clients.has(forwarder)) rewrites.set(forwarder, []);
  forEachCharacter(copy, (n) => {
    characters.add(n);
    if (rewrites.size === 0) return;
    /** Notes the characters [offset, offset + length) of `n` as re-writes of each of `forwarders`. */
    const note = (offset: number, length: number, forwarders: readonly number[]): void => {
      const clock = n.id.clock + offset;
      for (const forwarder of forwarders) {
        const out = rewrites.get(forwarder) as number[];
        const k = out.length - 3;
        if (k >= 0 && out[k] === n.id.client && (out[k + 1] as number) + (out[k + 2] as number) === clock)
          out[k + 2] = (out[k + 2] as number) + length;
        else out.push(n.id.client, clock, length);
      }
    };
    /**
     * Follows the `length` characters of `n` from `offset`, which stand for the items from
     * (`client`, `clock`) `hops` forwardings back, further back, a stretch of items at a time, and
     * notes them with every forwarder met on the way (`met`, then `client` when it is one).
     */
    const follow = (
      client: number,
      clock: number,
      length: number,
      offset: number,
      hops: number,
      met: readonly number[],
    ): void => {
      const here = rewrites.has(client) && !met.includes(client) ? [...met, client] : met;
      if (hops + 1 >= MAX_HOPS) return note(offset, length, here);
      for (let done = 0; done < length;) {
        const run = forwardings.sourceRunOf({ client, clock: clock + done }, length - done);
        if (run.source)
          follow(run.source.client, run.source.clock, run.length, offset + done, hops + 1, here);
        else if (here.length > 0) note(offset + done, run.length, here);
        done += run.length;
      }
    };
    follow(n.id.client, n.id.clock, n.length, 0, 0, []);
  });
  return { characters, rewrites };
}

/**
 * What a move and a restoration share: inserts at `index` of the fragment a deep copy of the
 * section `source` as `visible` sees it, records the forwarding old → copy ({@link relocate}), and
 * records, under the section's id, which of its writers' characters the copy holds and where
 * their last ones stand in it (copiedClocks.ts `recordSectionCopy`), for the editors whose
 * keystrokes in the old section are still on their way. Returns the copy. The caller is inside
 * the transaction of the move or restoration, and deletes the old section when it is still there.
 */
function relocateSection(
  doc: Y.Doc,
  fragment: Y.XmlFragment,
  index: number,
  source: Y.XmlElement,
  visible: Visible,
  now: number,
): Y.XmlElement {
  const writers = writersOf(doc, source, new Set(), visible);
  const copy = relocate(doc, fragment, index, source, visible, now);
  // Read on the copy: a deleted element's attributes read as undefined.
  const sectionId = copy.getAttribute('id');
  if (typeof sectionId !== 'string') return copy;
  const forwardings = forwardingsOf(doc);
  recordSectionCopy(doc, sectionId, writers, (all) => {
    const { characters, rewrites } = readCopy(forwardings, copy, [...all].map(forwarderOf));
    return {
      whereNow: (id) => {
        const to = resolve(doc, forwardings, id);
        const item = to ? itemAt(doc, to) : null;
        return to && item && characters.has(item) ? Y.createID(to.client, to.clock) : null;
      },
      rewritesOf: (client) => rewrites.get(forwarderOf(client)) ?? [],
    };
  });
  return copy;
}

const isSection = (node: unknown): node is Y.XmlElement =>
  node instanceof Y.XmlElement && node.nodeName === 'section';

/** What {@link moveSection} did. */
export type MoveOutcome = 'moved' | 'unchanged' | 'unknown-section' | 'unknown-target' | 'invalid-request';

/**
 * Moves the section `sectionId` directly after the section `afterSectionId` (`null`: before every
 * other section), in one transaction with `origin`: a deep copy (same `id` and `key`, every child,
 * attribute and formatting mark) is inserted there, the old element deleted, and a forwarding
 * recorded so late edits to the old element follow. A section already at that place is left
 * alone (`unchanged`): two identical requests crossing each other make one move. The same
 * transaction records which of each writer's characters the copy holds (copiedClocks.ts).
 * `now` (epoch ms) dates the forwarding.
 */
export function moveSection(
  doc: Y.Doc,
  sectionId: string,
  afterSectionId: string | null,
  origin: unknown,
  now = Date.now(),
): MoveOutcome {
  if (sectionId === afterSectionId) return 'invalid-request';
  const fragment = doc.getXmlFragment(FRAGMENT);
  const children = fragment.toArray();
  const sections = children.filter(isSection);
  const source = sections.find((s) => s.getAttribute('id') === sectionId);
  if (!source) return 'unknown-section';
  const previous = sections[sections.indexOf(source) - 1] ?? null;
  let index: number;
  if (afterSectionId === null) {
    if (previous === null) return 'unchanged';
    index = children.indexOf(sections[0] as Y.XmlElement);
  } else {
    const after = sections.find((s) => s.getAttribute('id') === afterSectionId);
    if (!after) return 'unknown-target';
    if (previous === after) return 'unchanged';
    index = children.indexOf(after) + 1;
  }
  doc.transact((transaction) => {
    ownTransactions.add(transaction);
    relocateSection(doc, fragment, index, source, (item) => !item.deleted, now);
    const at = visibleIndexOf(fragment, source._item as Y.Item);
    if (at !== null) fragment.delete(at, 1);
  }, origin);
  return 'moved';
}

/**
 * Puts back, at `index` of the fragment, a section element deleted by `deleting` (the transaction
 * being observed): its content is the content it had before that transaction (items deleted by
 * it count, items deleted earlier do not), a forwarding old → restored carries over the late
 * edits, and the same record as a move's (copiedClocks.ts) tells the editors typing in it which of
 * their keystrokes the restored copy holds. Call it from an observer of `deleting`, inside a
 * transaction. Returns null when the element can no longer be read (already garbage-collected),
 * for the caller to fall back on.
 */
export function restoreDeletedSection(
  doc: Y.Doc,
  index: number,
  element: Y.XmlElement,
  deleting: Y.Transaction,
  now = Date.now(),
): Y.XmlElement | null {
  const item = element._item;
  if (!item || !(item.content instanceof Y.ContentType) || item.content.type !== element) return null;
  const visible: Visible = (n) => !n.deleted || Y.isDeleted(deleting.deleteSet, n.id);
  return relocateSection(doc, doc.getXmlFragment(FRAGMENT), index, element, visible, now);
}

// ---------------------------------------------------------------------------------------------
// Late edits

/** Follows forwardings from an old id to the item that now stands for it (live if there is one). */
function resolve(doc: Y.Doc, forwardings: SectionForwardings, id: ItemId): ItemId | null {
  let current = forwardings.lookup(id);
  for (let hop = 0; current && hop < MAX_HOPS; hop++) {
    const struct = itemAt(doc, current);
    if (!struct || !struct.deleted) return current;
    const next = forwardings.lookup(current);
    if (!next) return current;
    current = next;
  }
  return current;
}

/** The items created by this doc's client since `clock`, for reading back what an insert made. */
function createdSince(doc: Y.Doc, clock: number, match: (item: Y.Item) => boolean): Y.Item | null {
  const structs = doc.store.clients.get(doc.clientID);
  if (!structs || clock >= Y.getState(doc.store, doc.clientID)) return null;
  for (let i = Y.findIndexSS(structs, clock); i < structs.length; i++) {
    const s = structs[i];
    if (s instanceof Y.Item && match(s)) return s;
  }
  return null;
}

interface LateContext {
  doc: Y.Doc;
  forwardings: SectionForwardings;
  /** Late items not handled yet. */
  pending: Set<Y.Item>;
  /** Every late item of the transaction. */
  late: Set<Y.Item>;
  writerDeletes: UpdateDeletes | null;
  /** New entries, by forwarding. */
  entries: Map<ForwardingRecord, ForwardEntry[]>;
}

const deletedByWriter = (ctx: LateContext, item: Y.Item): boolean =>
  ctx.writerDeletes !== null && Y.isDeleted(ctx.writerDeletes, item.id);

function note(ctx: LateContext, record: ForwardingRecord, entry: ForwardEntry): void {
  const list = ctx.entries.get(record);
  if (list) list.push(entry);
  else ctx.entries.set(record, [entry]);
  // Indexed at once, so later late items of the same transaction can chain on this one.
  ctx.forwardings.add(record, [entry], { notify: false });
}

/** The marks the late writer saw on `item`: the live formatting marks before it in the old text. */
function writerAttributes(ctx: LateContext, oldText: YType, item: Y.Item): Record<string, unknown> {
  const attributes = new Map<string, unknown>();
  for (let n = oldText._start; n && n !== item; n = n.right) {
    const { content } = n;
    if (!(content instanceof Y.ContentFormat)) continue;
    const live = ctx.late.has(n) ? !deletedByWriter(ctx, n) : ctx.forwardings.isLiveFormat(idOf(n));
    if (!live) continue;
    if (content.value === null) attributes.delete(content.key);
    else attributes.set(content.key, content.value);
  }
  return Object.fromEntries(attributes);
}

/**
 * The text a late character goes into when its forwarded neighbour `mapped` is a live character
 * of another text than `target` (the text its old text was forwarded to): the characters of the
 * forwarded text moved again since (a joined paragraph split, or the join undone), and the late
 * character follows its neighbour, not the text it came from. Null otherwise.
 */
function movedNeighbourText(ctx: LateContext, target: YType, mapped: ItemId): Y.XmlText | null {
  if (!(target instanceof Y.XmlText)) return null;
  const neighbour = itemAt(ctx.doc, mapped);
  const text = neighbour?.parent;
  if (!neighbour || neighbour.deleted || !(text instanceof Y.XmlText) || text === target) return null;
  return text._item && !text._item.deleted ? text : null;
}

/**
 * Where to put the late item: after the nearest item on its left that is forwarded, in `target`
 * or, for a character whose forwarded neighbour moved on to another text, in that text.
 * `wait` when an unhandled late item stands in between (handled first, then this one chains on it).
 */
function insertionPlace(
  ctx: LateContext,
  item: Y.Item,
  target: YType,
  record: ForwardingRecord,
): { target: YType; index: number } | 'wait' {
  for (let n = item.left; n; n = n.left) {
    if (ctx.pending.has(n)) return 'wait';
    if (!n.countable) continue;
    const mapped = resolve(ctx.doc, ctx.forwardings, {
      client: n.id.client,
      clock: n.id.clock + n.length - 1,
    });
    if (!mapped) continue;
    const moved = movedNeighbourText(ctx, target, mapped);
    const into = moved ?? target;
    const index = indexAfter(into, mapped);
    if (index !== null) return { target: into, index: index + writersEarlierText(ctx, item, into, index) };
  }
  // Nothing forwarded on its left (typed at the start): just before what its right neighbour became.
  for (let n = item.right; n; n = n.right) {
    if (!n.countable || ctx.pending.has(n)) continue;
    const mapped = resolve(ctx.doc, ctx.forwardings, idOf(n));
    if (!mapped) continue;
    const moved = movedNeighbourText(ctx, target, mapped);
    const into = moved ?? target;
    const index = indexAfter(into, mapped);
    // Just before that character: `indexAfter` gives the place after it, or, when it was deleted
    // since (its text moved again), the place where it was, which is already just before it.
    // Going one back from there put the word inside the word before (« gamm w0r9 a », issue 8).
    if (index !== null)
      return { target: into, index: itemAt(ctx.doc, mapped)?.deleted ? index : Math.max(0, index - 1) };
  }
  return {
    target,
    index: ctx.forwardings.isJoin(record) && target instanceof Y.XmlText ? target.length : 0,
  };
}

/**
 * How many characters of `into`, from the visible index `index` on, are the late item's writer's
 * earlier keystrokes written again here (under its client id minus one, {@link forwardingClient}),
 * up to what the item was typed before. The writer had not seen them when it typed the item: they
 * were on their way, and the move showed the text without them. Written before them, the item cut
 * the writer's word (« base06|0 A », typed « ␣A » then « 0 » while a co-writer moved the section
 * twice; tester of stop 35: « A02␣␣A03 … A20base07 »). Zero when `into` is not a text.
 */
function writersEarlierText(ctx: LateContext, item: Y.Item, into: YType, index: number): number {
  if (!(into instanceof Y.XmlText) || !(item.content instanceof Y.ContentString)) return 0;
  const forwarder = forwarderOf(item.id.client);
  const { rightOrigin } = item;
  const right = rightOrigin
    ? resolve(ctx.doc, ctx.forwardings, { client: rightOrigin.client, clock: rightOrigin.clock })
    : null;
  let seen = 0;
  let count = 0;
  for (let n = into._start; n; n = n.right) {
    if (n.deleted || !n.countable) continue;
    // Whole items before the place are counted at once (a long paragraph has many).
    if (seen + n.length <= index) {
      seen += n.length;
      continue;
    }
    for (let i = 0; i < n.length; i++, seen++) {
      if (seen < index) continue;
      const id = { client: n.id.client, clock: n.id.clock + i };
      if (!writtenAgainFor(ctx, id, forwarder)) return count;
      if (right && right.client === id.client && right.clock === id.clock) return count;
      count++;
    }
  }
  return count;
}

/** Whether `id` is a character the server wrote again under `forwarder`, or a copy of one (a later move's). */
function writtenAgainFor(ctx: LateContext, id: ItemId, forwarder: number): boolean {
  let at: ItemId | null = id;
  for (let hops = 0; at && hops < MAX_HOPS; hops++) {
    if (at.client === forwarder) return true;
    at = ctx.forwardings.sourceOf(at);
  }
  return false;
}

type Handled = 'done' | 'wait' | 'drop';

function forwardItem(ctx: LateContext, item: Y.Item): Handled {
  const record = ctx.forwardings.recordOf(item);
  if (!record || ctx.forwardings.lookup(idOf(item))) return 'drop';
  const { content } = item;
  if (deletedByWriter(ctx, item)) return 'drop';
  if (content instanceof Y.ContentFormat) {
    note(ctx, record, { kind: 'format', ...idOf(item) });
    return 'done';
  }
  const oldParent = item.parent;
  if (!(oldParent instanceof Y.AbstractType) || !oldParent._item) return 'drop';
  const parentId = resolve(ctx.doc, ctx.forwardings, idOf(oldParent._item));
  if (!parentId) return ctx.pending.has(oldParent._item) ? 'wait' : 'drop';
  const parentItem = itemAt(ctx.doc, parentId);
  if (!parentItem || parentItem.deleted || !(parentItem.content instanceof Y.ContentType)) return 'drop';
  const parentType = parentItem.content.type;

  if (item.parentSub !== null) {
    // An attribute (a heading's level, an image's source): the current value wins. Not across a
    // change of type (a heading's level on the paragraph that replaced it).
    if (
      oldParent instanceof Y.XmlElement &&
      parentType instanceof Y.XmlElement &&
      oldParent.nodeName !== parentType.nodeName
    )
      return 'done';
    const current = oldParent._map.get(item.parentSub) === item;
    if (current && (parentType instanceof Y.XmlElement || parentType instanceof Y.XmlText))
      parentType.setAttribute(item.parentSub, lastValue(item) as string);
    return 'done';
  }

  const place = insertionPlace(ctx, item, parentType, record);
  if (place === 'wait') return 'wait';
  const { target, index } = place;
  const before = Y.getState(ctx.doc.store, ctx.doc.clientID);
  let created: Y.Item | null = null;
  if (target instanceof Y.XmlText) {
    const attributes = writerAttributes(ctx, oldParent, item);
    if (content instanceof Y.ContentString) {
      target.insert(index, content.str, attributes);
      created = createdSince(
        ctx.doc,
        before,
        (n) => n.content instanceof Y.ContentString && n.parent === target,
      );
    } else if (content instanceof Y.ContentEmbed) {
      target.insertEmbed(index, content.embed, attributes);
      created = createdSince(
        ctx.doc,
        before,
        (n) => n.content instanceof Y.ContentEmbed && n.parent === target,
      );
    }
  } else if (
    (target instanceof Y.XmlElement || target instanceof Y.XmlFragment) &&
    content instanceof Y.ContentType
  ) {
    const type = content.type;
    const fresh =
      type instanceof Y.XmlText
        ? new Y.XmlText()
        : type instanceof Y.XmlElement
          ? new Y.XmlElement(type.nodeName)
          : null;
    if (fresh) {
      target.insert(index, [fresh]);
      created = fresh._item;
    }
  }
  if (!created) return 'drop';
  note(ctx, record, {
    kind: 'map',
    client: item.id.client,
    clock: item.id.clock,
    length: item.length,
    toClient: created.id.client,
    toClock: created.id.clock,
  });
  return 'done';
}

/** Deletes, wherever they now stand, the items the old range [clock, clock + length) went to. */
/** Which deletions a pass of {@link deleteAt} makes: characters first, then elements. */
type DeletionPass = 'characters' | 'elements';

function deleteForwarded(
  ctx: LateContext,
  client: number,
  clock: number,
  length: number,
  hops: number,
  pass: DeletionPass,
): void {
  for (const target of ctx.forwardings.mapped(client, clock, length))
    deleteAt(ctx, target, target.length, hops, pass);
}

/** Whether a text, or an element in any descendant, holds characters. */
function holdsText(element: YType): boolean {
  if (element instanceof Y.XmlText) return element.length > 0;
  for (let n = element._start; n; n = n.right) {
    if (n.deleted || !(n.content instanceof Y.ContentType)) continue;
    const child = n.content.type;
    if (child instanceof Y.XmlText ? child.length > 0 : holdsText(child as unknown as YType)) return true;
  }
  return false;
}

/**
 * Deletes what the old range became. The characters the writer deleted are deleted in a first
 * pass; an element it deleted (a paragraph it joined to the one before) is deleted in a second
 * one, unless it still holds text then: characters the writer never had (typed there by others
 * meanwhile), which its deletion would otherwise take along.
 */
function deleteAt(ctx: LateContext, start: ItemId, length: number, hops: number, pass: DeletionPass): void {
  let clock = start.clock;
  const end = start.clock + length;
  while (clock < end) {
    const item = itemAt(ctx.doc, { client: start.client, clock });
    if (!item) return;
    const count = Math.min(end, item.id.clock + item.length) - clock;
    if (item.deleted) {
      if (hops < MAX_HOPS) deleteForwarded(ctx, start.client, clock, count, hops + 1, pass);
    } else if (item.content instanceof Y.ContentType) {
      if (pass === 'elements' && !holdsText(item.content.type as unknown as YType))
        deleteLive(item, clock - item.id.clock, count);
    } else if (pass === 'characters') deleteLive(item, clock - item.id.clock, count);
    clock += count;
  }
}

function deleteLive(item: Y.Item, offset: number, count: number): void {
  const parent = item.parent;
  if (item.parentSub !== null || !(parent instanceof Y.AbstractType) || !item.countable) return;
  const index = visibleIndexOf(parent, item);
  if (index === null) return;
  if (parent instanceof Y.XmlText) parent.delete(index + offset, count);
  else if (parent instanceof Y.XmlElement || parent instanceof Y.XmlFragment) parent.delete(index, 1);
}

/**
 * The Yjs client id the re-applied items are written with: just below their writer's.
 *
 * A writer whose keystrokes were in flight when the section moved receives the move, and keeps
 * typing in the new section, before it receives its own keystrokes re-applied there. Its next
 * characters and the re-applied ones then share a left neighbour, and Yjs orders such concurrent
 * inserts by client id, lower first: written under the writer's id minus one, the re-applied text
 * stays before what its writer typed after it, on every replica. That a real client holds that
 * id is as likely as two clients drawing the same random id, a risk Yjs already takes (and a
 * client that sees items of its own id it did not write draws a new id). Falls back on the
 * document's own id when there is nothing to insert or no such id.
 */
function forwardingClient(writers: readonly number[], fallback: number): number {
  const lowest = Math.min(...writers);
  return lowest > 0 && lowest !== Infinity ? forwarderOf(lowest) : fallback;
}

/** The late items of a transaction: added by it inside a forwarded old subtree. */
function lateItems(doc: Y.Doc, transaction: Y.Transaction, forwardings: SectionForwardings): Y.Item[] {
  const late: Y.Item[] = [];
  for (const [client, after] of transaction.afterState) {
    const before = transaction.beforeState.get(client) ?? 0;
    if (after <= before) continue;
    const structs = doc.store.clients.get(client);
    if (!structs) continue;
    for (let i = Y.findIndexSS(structs, before); i < structs.length; i++) {
      const s = structs[i];
      if (!s || s.id.clock >= after) break;
      // Cheap test first: only an item whose parent is deleted can be late.
      if (!(s instanceof Y.Item) || !s.deleted) continue;
      const parent = s.parent;
      if (!(parent instanceof Y.AbstractType) || !parent._item?.deleted) continue;
      if (forwardings.recordOf(s)) late.push(s);
    }
  }
  return late;
}

/**
 * Re-applies, in the sections that replaced them, the edits `transaction` made to forwarded old
 * subtrees: text inserted after an old character goes after the character it became (with the
 * marks the writer saw), new elements (Enter makes a paragraph) are created in the mapped parent
 * at the mapped place, attributes are set, and deleted old characters delete the characters they
 * became. Chained moves are followed. Every re-applied item is added to the forwarding so later
 * keystrokes that chain on it map too. Runs one transaction with `origin`; returns whether it did.
 *
 * `writerDeletes` is the delete set of the update being applied (decoded from the message), since
 * deletions of already-deleted items leave no trace in `transaction.deleteSet`. A delete set that
 * holds an old root says its writer knew of the move (a full state diff after reconnecting
 * repeats every deletion it knows, the move's included): its deletions there are not forwarded.
 */
export function forwardLateEdits(
  doc: Y.Doc,
  transaction: Y.Transaction,
  writerDeletes: UpdateDeletes | null,
  origin: unknown,
): boolean {
  const forwardings = registry.get(doc);
  if (!forwardings || forwardings.size === 0) return false;
  const late = lateItems(doc, transaction, forwardings);
  const deletions: (ItemId & { length: number })[] = [];
  const unformats: { id: ItemId; record: ForwardingRecord }[] = [];
  if (writerDeletes) {
    const knowsMove = (record: ForwardingRecord) => forwardings.knownBy(record, writerDeletes);
    for (const [client, ranges] of writerDeletes.clients) {
      for (const { clock, len } of ranges) {
        for (const part of forwardings.mapped(client, clock, len))
          if (!knowsMove(part.record)) deletions.push(part);
        for (const format of forwardings.liveFormatsIn(client, clock, len))
          if (!knowsMove(format.record)) unformats.push(format);
      }
    }
  }
  if (late.length === 0 && deletions.length === 0 && unformats.length === 0) return false;

  const ctx: LateContext = {
    doc,
    forwardings,
    pending: new Set(late),
    late: new Set(late),
    writerDeletes,
    entries: new Map(),
  };
  // See forwardingClient: the re-applied items stay before what their writer typed meanwhile.
  writeAsWriters(
    doc,
    late.map((item) => item.id.client),
    origin,
    () => {
      let progress = true;
      while (ctx.pending.size > 0 && progress) {
        progress = false;
        for (const item of [...ctx.pending]) {
          if (forwardItem(ctx, item) === 'wait') continue;
          ctx.pending.delete(item);
          progress = true;
        }
      }
      for (const pass of ['characters', 'elements'] as const)
        for (const part of deletions) deleteAt(ctx, part, part.length, 0, pass);
      for (const { id, record } of unformats) note(ctx, record, { kind: 'unformat', ...id });
    },
  );
  for (const [record, entries] of ctx.entries) forwardings.announce(record, entries);
  return true;
}

// ---------------------------------------------------------------------------------------------
// Blocks replaced in place

/**
 * Textblocks the editor's Yjs binding replaces by delete + insert when their type changes
 * (paragraph ↔ heading ↔ code block): y-tiptap's `updateYFragment` updates an element in place
 * only when its node name stays the same.
 */
const TEXTBLOCKS = new Set(['paragraph', 'heading', 'codeBlock']);

/**
 * Longest text (characters) of a replaced block that is forwarded. Each forwarding keeps the old
 * copy readable until it is retired (see {@link retireForwardings}): a client replacing huge
 * blocks again and again must not make the document hold many copies of them.
 */
export const MAX_FORWARDED_BLOCK_CHARS = 20_000;

const isTextblockItem = (item: Y.Item): boolean =>
  item.content instanceof Y.ContentType &&
  item.content.type instanceof Y.XmlElement &&
  TEXTBLOCKS.has(item.content.type.nodeName);

/** Whether `item` was created by `transaction`. */
const createdBy = (transaction: Y.Transaction, item: Y.Item): boolean =>
  item.id.clock >= (transaction.beforeState.get(item.id.client) ?? 0);

/**
 * The textblock elements `transaction` deleted whose parent is still there, grouped by parent.
 * Reads the delete set only (a keystroke deletes nothing, a Backspace one character): the cost
 * on the keystroke path is a map lookup.
 */
function deletedTextblocks(doc: Y.Doc, transaction: Y.Transaction): Map<YType, Set<Y.Item>> {
  const byParent = new Map<YType, Set<Y.Item>>();
  for (const [client, ranges] of transaction.deleteSet.clients) {
    const structs = doc.store.clients.get(client);
    if (!structs) continue;
    for (const { clock, len } of ranges) {
      for (let i = Y.findIndexSS(structs, clock); i < structs.length; i++) {
        const s = structs[i];
        if (!s || s.id.clock >= clock + len) break;
        if (
          !(s instanceof Y.Item) ||
          s.parentSub !== null ||
          createdBy(transaction, s) ||
          !isTextblockItem(s)
        )
          continue;
        // Grouped under the nearest ancestor still there: a list unwrapped into paragraphs
        // deletes the list with the paragraphs in it.
        let parent: unknown = s.parent;
        while (
          parent instanceof Y.AbstractType &&
          parent._item?.deleted &&
          Y.isDeleted(transaction.deleteSet, parent._item.id) &&
          !createdBy(transaction, parent._item)
        )
          parent = parent._item.parent;
        if (!(parent instanceof Y.AbstractType) || parent._item?.deleted) continue;
        const set = byParent.get(parent) ?? new Set<Y.Item>();
        set.add(s);
        byParent.set(parent, set);
      }
    }
  }
  return byParent;
}

/**
 * The textblocks of the subtree of `item` (itself if it is one), in document order, that `keep`
 * accepts: a list, a list item or a quote holds its paragraphs a few levels down.
 */
function textblocksIn(item: Y.Item, keep: (item: Y.Item) => boolean, out: Y.Item[] = []): Y.Item[] {
  if (isTextblockItem(item)) {
    if (keep(item)) out.push(item);
    return out;
  }
  const { content } = item;
  if (content instanceof Y.ContentType && content.type instanceof Y.XmlElement)
    for (let n = content.type._start; n; n = n.right) if (n.countable) textblocksIn(n, keep, out);
  return out;
}

/**
 * Pairs each deleted textblock with the textblock `transaction` inserted at the same place: same
 * parent, with the same siblings (neither inserted nor deleted by the transaction) before both.
 * Several at one place pair in order. Textblocks wrapped in a list or a quote (the paragraph made
 * a list item) or unwrapped from one count at the place of their outermost new or deleted element.
 */
function replacedInPlace(
  transaction: Y.Transaction,
  parent: YType,
  deleted: Set<Y.Item>,
): [Y.Item, Y.Item][] {
  const olds = new Map<number, Y.Item[]>();
  const news = new Map<number, Y.Item[]>();
  const push = (map: Map<number, Y.Item[]>, gap: number, item: Y.Item) => {
    const list = map.get(gap);
    if (list) list.push(item);
    else map.set(gap, [item]);
  };
  let gap = 0;
  for (let n = parent._start; n; n = n.right) {
    if (!n.countable) continue;
    if (createdBy(transaction, n)) {
      if (!n.deleted) for (const fresh of textblocksIn(n, (t) => !t.deleted)) push(news, gap, fresh);
    } else if (n.deleted) {
      for (const old of textblocksIn(n, (t) => deleted.has(t))) push(olds, gap, old);
    } else gap++;
  }
  const pairs: [Y.Item, Y.Item][] = [];
  for (const [at, list] of olds) {
    const fresh = news.get(at) ?? [];
    list.forEach((old, i) => {
      const counterpart = fresh[i];
      if (counterpart) pairs.push([old, counterpart]);
    });
  }
  return pairs;
}

/** The character items of a text as `visible` sees them, one entry per character (UTF-16 unit). */
function characters(text: YType, visible: Visible): { ids: ItemId[]; str: string } {
  const ids: ItemId[] = [];
  let str = '';
  for (let n = text._start; n; n = n.right) {
    if (!visible(n) || !isCharacter(n)) continue;
    str += n.content instanceof Y.ContentString ? n.content.str : '\uFFFC';
    for (let k = 0; k < n.length; k++) ids.push({ client: n.id.client, clock: n.id.clock + k });
  }
  return { ids, str };
}

/** Characters of the old text the writer of the replacement did not have: re-inserted after pairing. */
interface MissingRun {
  /** The replacement's text, and where in it (characters) the run goes. */
  target: Y.XmlText;
  index: number;
  /** The old characters, one id each, and the old text's delta slice they make. */
  ids: ItemId[];
  ops: DeltaOp[];
}

/** The part [from, to) (characters) of a delta made of inserts. */
function sliceDelta(ops: readonly DeltaOp[], from: number, to: number): DeltaOp[] {
  const out: DeltaOp[] = [];
  let at = 0;
  for (const op of ops) {
    const length = typeof op.insert === 'string' ? op.insert.length : 1;
    const start = Math.max(from, at);
    const end = Math.min(to, at + length);
    if (start < end)
      out.push({
        ...op,
        insert: typeof op.insert === 'string' ? op.insert.slice(start - at, end - at) : op.insert,
      });
    at += length;
  }
  return out;
}

/**
 * The characters of an old text paired with those of its replacement, which holds the same
 * characters save runs that its writer did not have: `pairs` as [index in old, index in new], and
 * the runs [from, to) of old characters to write again, each at index `at` of the new text (once
 * the runs before are written). Null when the texts differ otherwise, or a missing run holds a
 * character `mayReinsert` refuses (its writer deleted it knowingly).
 *
 * The characters `mayReinsert` refuses are the ones the writer had: when they are exactly the new
 * text, the pairing is exact, whatever repeats in the text (a typist's « w2r90 » typed before
 * « s0r59 », both framed by spaces, is the run, not « w2r90 » plus the following space). When
 * the new text is those characters with one run more (what the writer typed in the new block
 * before the change reached the server: a join undone offline, then typed in), they are paired
 * with its start and end around that run. Otherwise the common start and end of the two texts are
 * paired and what lies between is the one run.
 */
function pairCharacters(
  before: { ids: ItemId[]; str: string },
  after: { ids: ItemId[]; str: string },
  mayReinsert: (id: ItemId) => boolean,
): { pairs: [number, number][]; runs: [number, number, number][] } | null {
  const reinsert = before.ids.map(mayReinsert);
  let seen = '';
  before.ids.forEach((_, k) => {
    if (!reinsert[k]) seen += before.str[k] as string;
  });
  const pairs: [number, number][] = [];
  const runs: [number, number, number][] = [];
  /** Pairs and runs when the `l`th character the writer had is at `placeOf(l)` in the new text. */
  const place = (placeOf: (l: number) => number) => {
    let l = 0;
    let written = 0;
    for (let k = 0; k < before.ids.length; k++) {
      if (!reinsert[k]) {
        pairs.push([k, placeOf(l++)]);
        continue;
      }
      const last = runs[runs.length - 1];
      if (last && last[1] === k) last[1] = k + 1;
      else runs.push([k, k + 1, (l === 0 ? 0 : placeOf(l - 1) + 1) + written]);
      written++;
    }
    return { pairs, runs };
  };
  if (seen === after.str) return place((l) => l);
  const shorter = after.str.length;
  if (before.str.length >= shorter) {
    let prefix = 0;
    while (prefix < shorter && before.str[prefix] === after.str[prefix]) prefix++;
    let suffix = 0;
    while (
      suffix < shorter - prefix &&
      before.str[before.str.length - 1 - suffix] === after.str[shorter - 1 - suffix]
    )
      suffix++;
    if (prefix + suffix !== shorter) return null;
    const runEnd = before.str.length - suffix;
    for (let k = 0; k < prefix; k++) pairs.push([k, k]);
    for (let k = 0; k < suffix; k++) pairs.push([runEnd + k, prefix + k]);
    if (runEnd > prefix) {
      if (!reinsert.slice(prefix, runEnd).every(Boolean)) return null;
      runs.push([prefix, runEnd, prefix]);
    }
    return { pairs, runs };
  }
  // The characters the writer had, whole, around one run it typed since in the new block.
  if (seen.length === 0 || seen.length >= after.str.length) return null;
  let suffix = 0;
  while (suffix < seen.length && seen[seen.length - 1 - suffix] === after.str[after.str.length - 1 - suffix])
    suffix++;
  const prefix = seen.length - suffix;
  if (!after.str.startsWith(seen.slice(0, prefix))) return null;
  const extra = after.str.length - seen.length;
  return place((l) => (l < prefix ? l : l + extra));
}

/**
 * Pairs the old textblock (as `visible` sees it) with its replacement when they hold the same
 * inline content, except for runs of characters that the replacement lacks (typed by someone else
 * and not yet known to the writer of the replacement; see {@link pairCharacters}): the other
 * characters map one to one, the runs are returned to be re-inserted. `mayReinsert` says whether
 * a character may be re-inserted (not when its writer deleted it knowingly). False when they
 * differ otherwise (a real edit, not a change of type).
 */
function pairReplacement(
  old: Y.XmlElement,
  fresh: Y.XmlElement,
  visible: Visible,
  mayReinsert: (id: ItemId) => boolean,
  out: ForwardEntry[],
  missing: MissingRun[],
): boolean {
  const olds = childTypes(old, visible);
  const news = childTypes(fresh, (item) => !item.deleted);
  if (olds.length !== news.length) return false;
  const entries: ForwardEntry[] = [];
  const runs: MissingRun[] = [];
  const map = (from: ItemId, to: ItemId): void => {
    entries.push({ kind: 'map', ...from, length: 1, toClient: to.client, toClock: to.clock });
  };
  map(idOf(old._item as Y.Item), idOf(fresh._item as Y.Item));
  for (let i = 0; i < olds.length; i++) {
    const a = olds[i] as Y.XmlElement | Y.XmlText;
    const b = news[i] as Y.XmlElement | Y.XmlText;
    if (a instanceof Y.XmlElement || b instanceof Y.XmlElement) {
      // Inline atoms (hard break, footnote, reference): same kind, nothing inside.
      if (!(a instanceof Y.XmlElement && b instanceof Y.XmlElement) || a.nodeName !== b.nodeName)
        return false;
      if (childTypes(a, visible).length > 0 || b.length > 0) return false;
      map(idOf(a._item as Y.Item), idOf(b._item as Y.Item));
      continue;
    }
    map(idOf(a._item as Y.Item), idOf(b._item as Y.Item));
    for (let n = a._start; n; n = n.right)
      if (visible(n) && n.content instanceof Y.ContentFormat) entries.push({ kind: 'format', ...idOf(n) });
    const before = characters(a, visible);
    const after = characters(b, (item) => !item.deleted);
    if (before.str.length > MAX_FORWARDED_BLOCK_CHARS) return false;
    const paired = pairCharacters(before, after, mayReinsert);
    if (!paired) return false;
    for (const [k, l] of paired.pairs) map(before.ids[k] as ItemId, after.ids[l] as ItemId);
    const ops = paired.runs.length > 0 ? textDelta(a, visible) : [];
    for (const [from, to, at] of paired.runs)
      runs.push({ target: b, index: at, ids: before.ids.slice(from, to), ops: sliceDelta(ops, from, to) });
  }
  out.push(...entries);
  missing.push(...runs);
  return true;
}

/**
 * The textblocks a person's `transaction` deleted, grouped by the element still there around them,
 * and what was visible before it (not created by it, not deleted earlier). Null for a
 * transaction that deletes no textblock, or one of the forwardings' own.
 */
function blocksDeletedBy(
  doc: Y.Doc,
  transaction: Y.Transaction,
): { groups: Map<YType, Set<Y.Item>>; visible: Visible } | null {
  if (transaction.deleteSet.clients.size === 0 || ownTransactions.has(transaction)) return null;
  const groups = deletedTextblocks(doc, transaction);
  if (groups.size === 0) return null;
  const visible: Visible = (n) =>
    !createdBy(transaction, n) && (!n.deleted || Y.isDeleted(transaction.deleteSet, n.id));
  return { groups, visible };
}

/**
 * Installs the forwarding of the deleted block `oldItem` to `newRoot` with `entries` (now, before
 * Yjs collects the deleted block at the end of the transaction), keeping the deleted elements
 * around it readable too. `join` marks a join's.
 */
function installForwarding(
  forwardings: SectionForwardings,
  oldItem: Y.Item,
  newRoot: ItemId,
  entries: ForwardEntry[],
  now: number,
  join = false,
): ForwardingRecord {
  const record = forwardingRecord(idOf(oldItem), newRoot, now);
  if (join) forwardings.markJoin(record.id);
  forwardings.add(record, compact(entries));
  forwardings.keepHolders(record, oldItem);
  return record;
}

/** Writes again, in one transaction under their writers' id minus one, the runs of each forwarding. */
function writeRunsAgain<R extends { ids: ItemId[] }>(
  doc: Y.Doc,
  installed: readonly { record: ForwardingRecord; runs: R[] }[],
  origin: unknown,
  write: (record: ForwardingRecord, run: R) => void,
): void {
  const runs = installed.flatMap(({ record, runs: list }) => list.map((run) => ({ record, run })));
  if (runs.length === 0) return;
  const writers = runs.flatMap(({ run }) => run.ids.map((id) => id.client));
  writeAsWriters(doc, writers, origin, () => {
    for (const { record, run } of runs) write(record, run);
  });
}

/**
 * Carries into a textblock that replaced another in place (a change of type or level: y-tiptap
 * deletes the element and inserts a new one) what the writer of the replacement did not have:
 * characters others typed there just before, and, through a forwarding old → new like a moved
 * section's, every keystroke still on its way for the old block. Without it, both are lost (Yjs
 * integrates them into a deleted element).
 *
 * A deleted textblock is paired with a textblock inserted at the same place in the same parent by
 * the same transaction whose text is the old text, possibly without the characters its writer
 * did not have (one run per text when that cannot be told): those characters are re-inserted
 * where they were (after their left neighbour, with the marks they had), written under their
 * writer's client id minus one like re-applied late edits (see {@link forwardingClient}).
 * `writerDeletes` (the delete set of the update, or null) tells the characters the writer saw: a
 * run it deleted knowingly is a real edit, and no pairing is made; without it, a run written by
 * the replacement's own writer is taken as such.
 * Returns the forwardings installed.
 */
export function forwardReplacedBlocks(
  doc: Y.Doc,
  transaction: Y.Transaction,
  writerDeletes: UpdateDeletes | null,
  origin: unknown,
  now = Date.now(),
): ForwardingRecord[] {
  const deleted = blocksDeletedBy(doc, transaction);
  if (!deleted) return [];
  const { groups, visible } = deleted;
  const forwardings = forwardingsOf(doc);
  const installed: { record: ForwardingRecord; runs: MissingRun[] }[] = [];
  for (const [parent, deleted] of groups) {
    for (const [oldItem, freshItem] of replacedInPlace(transaction, parent, deleted)) {
      const old = (oldItem.content as Y.ContentType).type as Y.XmlElement;
      const fresh = (freshItem.content as Y.ContentType).type as Y.XmlElement;
      // Per character: the writer may have seen the first characters of an item and not the rest.
      const mayReinsert = (id: ItemId): boolean =>
        writerDeletes
          ? !Y.isDeleted(writerDeletes, Y.createID(id.client, id.clock))
          : id.client !== freshItem.id.client;
      const entries: ForwardEntry[] = [];
      const runs: MissingRun[] = [];
      if (forwardings.isOldRoot(idOf(oldItem))) continue;
      if (!pairReplacement(old, fresh, visible, mayReinsert, entries, runs)) continue;
      const record = installForwarding(forwardings, oldItem, idOf(freshItem), entries, now);
      installed.push({ record, runs });
    }
  }
  writeRunsAgain(doc, installed, origin, (record, run) => {
    const before = Y.getState(doc.store, doc.clientID);
    run.target.applyDelta([{ retain: run.index }, ...run.ops], { sanitize: false });
    const created: ItemId[] = [];
    const structs = doc.store.clients.get(doc.clientID) ?? [];
    if (before < Y.getState(doc.store, doc.clientID))
      for (let i = Y.findIndexSS(structs, before); i < structs.length; i++) {
        const s = structs[i];
        if (s instanceof Y.Item && s.parent === run.target && isCharacter(s))
          for (let k = 0; k < s.length; k++) created.push({ client: s.id.client, clock: s.id.clock + k });
      }
    const entries: ForwardEntry[] = [];
    run.ids.forEach((id, k) => {
      const to = created[k];
      if (to) entries.push({ kind: 'map', ...id, length: 1, toClient: to.client, toClock: to.clock });
    });
    forwardings.add(record, compact(entries));
  });
  return installed.map(({ record }) => record);
}

/**
 * The nearest live sibling before `item` that was there before `transaction`, if it is a
 * textblock: where what a join's writer did not have goes when no copy of the joined text is
 * found. Blocks the same change wrote are passed over: a join and a split of the paragraph before,
 * made offline and sent together, put the split's new paragraph just before `item`, and when a
 * co-writer had meanwhile joined away the paragraph the join appended to (an undone split), the
 * copy went into a deleted paragraph. Stopping at the new paragraph left what the joiner did not
 * have nowhere (issue 8, fuzz: a co-writer's word typed at the end of the joined paragraph was
 * lost).
 */
function previousTextblock(transaction: Y.Transaction, item: Y.Item): Y.Item | null {
  let n = item.left;
  while (n && (n.deleted || !n.countable || createdBy(transaction, n))) n = n.left;
  return n && isTextblockItem(n) ? n : null;
}

/** The first Y.XmlText of a textblock element, or null. */
function firstText(element: Y.XmlElement): Y.XmlText | null {
  return childTypes(element, (n) => !n.deleted).find((c): c is Y.XmlText => c instanceof Y.XmlText) ?? null;
}

/** The last Y.XmlText of a textblock element, or null. */
function lastText(element: Y.XmlElement): Y.XmlText | null {
  const texts = childTypes(element, (n) => !n.deleted).filter((c): c is Y.XmlText => c instanceof Y.XmlText);
  return texts[texts.length - 1] ?? null;
}

/** The live text holding the live character `id`, or null. */
function liveTextOf(doc: Y.Doc, id: ItemId): Y.XmlText | null {
  const item = itemAt(doc, id);
  const text = item?.parent;
  return item && !item.deleted && text instanceof Y.XmlText && text._item && !text._item.deleted
    ? text
    : null;
}

/** Characters a join's writer did not have, to write again in the paragraph it joined into. */
interface UnseenRun {
  target: Y.XmlText;
  /** Nearest old character on their left that has a copy (or was written again), or null. */
  left: ItemId | null;
  right: ItemId | null;
  ids: ItemId[];
  str: string;
  /** Written at the start of `target` when it has no neighbour there: `target` stands for the old paragraph itself. */
  atStart: boolean;
}

/**
 * Carries into the paragraph a join kept what was in the paragraph it deleted and its writer did
 * not have. A join (Backspace at the start of a paragraph, Delete at the end of the one before,
 * a selection across them deleted) deletes the element of the second paragraph and appends a copy
 * of its text to the first: characters others typed in it just before (the writer had not
 * received them) are deleted with the element, and keystrokes still on their way for it are
 * integrated into a deleted element. Both would be lost.
 *
 * A textblock deleted by `transaction` in a parent that stays is paired with the textblock that
 * received the copy of its characters ({@link detectTextMoves}), or, when its writer had none of
 * its characters still there, with the textblock the same change wrote at its place (a join undone
 * offline re-creates it) or else the textblock before it. A forwarding old → kept is installed (element, texts, and
 * each copied character), so late keystrokes follow like a moved section's; the characters the
 * writer did not have (deleted by this transaction, absent from `writerDeletes`) are written
 * again after the copy of their left neighbour (at the end of the kept paragraph for an empty
 * one), under their writer's client id minus one. Without `writerDeletes` nothing is written
 * again (what the writer saw cannot be told). Blocks replaced in place are left to
 * {@link forwardReplacedBlocks}, which runs first. Returns the forwardings installed.
 */
export function forwardJoinedBlocks(
  doc: Y.Doc,
  transaction: Y.Transaction,
  writerDeletes: UpdateDeletes | null,
  origin: unknown,
  now = Date.now(),
): ForwardingRecord[] {
  const deleted = blocksDeletedBy(doc, transaction);
  if (!deleted) return [];
  const { groups, visible: seenBefore } = deleted;
  const forwardings = forwardingsOf(doc);
  const unseen = (id: ItemId): boolean =>
    writerDeletes !== null && !Y.isDeleted(writerDeletes, Y.createID(id.client, id.clock));
  let moves: TextMoves | null = null;
  const installed: { record: ForwardingRecord; runs: UnseenRun[] }[] = [];
  for (const [parent, deleted] of groups) {
    let inPlace: [Y.Item, Y.Item][] | null = null;
    for (const oldItem of deleted) {
      if (forwardings.isOldRoot(idOf(oldItem))) continue;
      const old = (oldItem.content as Y.ContentType).type as Y.XmlElement;
      const texts = childTypes(old, seenBefore).filter((c): c is Y.XmlText => c instanceof Y.XmlText);
      moves ??= detectTextMoves(transaction, writerDeletes ? (id) => Y.isDeleted(writerDeletes, id) : null);
      const found = moves;
      // Its characters' copies: appended to a paragraph that was there (the join), or, when the
      // same change split the joined text again, in a new paragraph beside it (its end).
      const copyOf = (id: Y.ID): Y.ID | null => {
        const joined = found.lookup(id);
        if (joined) return joined;
        const moved = found.follow(id);
        const text = moved ? itemAt(doc, moved)?.parent : null;
        const block = text instanceof Y.XmlText ? text._item?.parent : null;
        return block instanceof Y.XmlElement && block._item?.parent === oldItem.parent ? moved : null;
      };
      const entries: ForwardEntry[] = [];
      let target: Y.XmlText | null = null;
      // Characters the writer had, and how many of them have a copy.
      let had = 0;
      let copied = 0;
      for (const text of texts)
        for (let n = text._start; n; n = n.right) {
          if (!seenBefore(n) || !isCharacter(n)) continue;
          for (let k = 0; k < n.length; k++) {
            const to = copyOf(Y.createID(n.id.client, n.id.clock + k));
            if (!unseen({ client: n.id.client, clock: n.id.clock + k })) {
              had++;
              if (to) copied++;
            }
            if (!to) continue;
            entries.push({
              kind: 'map',
              client: n.id.client,
              clock: n.id.clock + k,
              length: 1,
              toClient: to.client,
              toClock: to.clock,
            });
            const copy = itemAt(doc, to);
            if (!target && copy?.parent instanceof Y.XmlText) target = copy.parent;
          }
        }
      // The writer had none of its characters (others deleted them, or it saw the paragraph
      // empty) and wrote a paragraph at its place in the same change: a join undone offline
      // re-creates the paragraph as the writer had it, while a co-writer had moved its text away
      // (a split) and typed in what stayed. What the writer did not have goes into that
      // paragraph, at its start (issue 8, fuzz: the co-writer's word was lost).
      let recreated = false;
      if (!target && had === 0) {
        inPlace ??= replacedInPlace(transaction, parent, deleted);
        const fresh = inPlace.find(([o]) => o === oldItem)?.[1];
        target = fresh ? firstText((fresh.content as Y.ContentType).type as Y.XmlElement) : null;
        recreated = target !== null;
      }
      if (!target) {
        const previous = previousTextblock(transaction, oldItem);
        target = previous ? lastText((previous.content as Y.ContentType).type as Y.XmlElement) : null;
      }
      let kept = target?._item?.parent;
      // A paragraph the same change created holds the copy only when every character the writer
      // had went there: a join undone before the change reached the server (offline) re-creates
      // the paragraph, its text whole, maybe elsewhere than the one deleted (text inserted there
      // meanwhile). Otherwise (new paragraphs pasted over old ones, or only the end of the
      // paragraph cut off into a new one, its start joined to a paragraph a co-writer had joined
      // away meanwhile) it is not the move's target, but what the writer did not have still needs
      // a place: the textblock before, as when no character has a copy. Skipping the paragraph
      // lost a co-writer's text joined to its end (issue 8, fuzz: « Delta epsilon » lost).
      if (
        !recreated &&
        kept instanceof Y.XmlElement &&
        kept._item &&
        createdBy(transaction, kept._item) &&
        (had === 0 || copied < had)
      ) {
        const previous = previousTextblock(transaction, oldItem);
        target = previous ? lastText((previous.content as Y.ContentType).type as Y.XmlElement) : null;
        kept = target?._item?.parent;
      }
      if (!target || !(kept instanceof Y.XmlElement) || !kept._item || kept._item.deleted) continue;
      entries.unshift({
        kind: 'map',
        ...idOf(oldItem),
        length: 1,
        toClient: kept._item.id.client,
        toClock: kept._item.id.clock,
      });
      const targetItem = target._item as Y.Item;
      for (const text of texts)
        entries.push({
          kind: 'map',
          ...idOf(text._item as Y.Item),
          length: 1,
          toClient: targetItem.id.client,
          toClock: targetItem.id.clock,
        });
      // What the writer did not have, in runs with their neighbours that have a copy.
      const runs: UnseenRun[] = [];
      for (const text of texts) {
        let left: ItemId | null = null;
        let run: UnseenRun | null = null;
        for (let n = text._start; n; n = n.right) {
          if (!seenBefore(n) || !(n.content instanceof Y.ContentString)) continue;
          for (let k = 0; k < n.length; k++) {
            const id = { client: n.id.client, clock: n.id.clock + k };
            if (copyOf(Y.createID(id.client, id.clock))) {
              if (run) run.right = id;
              run = null;
              left = id;
            } else if (unseen(id) || left !== null) {
              // Unseen by the writer, or seen but not copied although text before it was: an undo
              // or a redo re-creates only the characters its own change had, and drops those typed
              // into them since (a join undone, then redone). A deletion by hand in the same change
              // only ever takes the joined paragraph's start, which has no copied text before it.
              if (!run)
                runs.push((run = { target, left, right: null, ids: [], str: '', atStart: recreated }));
              run.ids.push(id);
              run.str += n.content.str[k] as string;
            } else run = null;
          }
        }
      }
      const record = installForwarding(forwardings, oldItem, idOf(kept._item), entries, now, true);
      installed.push({ record, runs });
    }
  }
  writeRunsAgain(doc, installed, origin, (record, run) => {
    const left = run.left ? resolve(doc, forwardings, run.left) : null;
    const right = run.right ? resolve(doc, forwardings, run.right) : null;
    // After the copy of their left neighbour, wherever it went: a join and a split in one change
    // send the start of the paragraph to the one before and its end to a new one.
    const leftText = left ? liveTextOf(doc, left) : null;
    const target = leftText ?? (right ? liveTextOf(doc, right) : null) ?? run.target;
    const afterLeft = left ? indexAfter(target, left) : null;
    const beforeRight = right ? indexAfter(target, right) : null;
    const index = afterLeft ?? (beforeRight !== null ? beforeRight - 1 : run.atStart ? 0 : target.length);
    const start = Y.getState(doc.store, doc.clientID);
    if (left && indexOf(target, left) !== null) insertAfterCharacter(target, left, run.str);
    else target.insert(index, run.str);
    const entries: ForwardEntry[] = run.ids.map((id, k) => ({
      kind: 'map',
      ...id,
      length: 1,
      toClient: doc.clientID,
      toClock: start + k,
    }));
    forwardings.add(record, compact(entries));
  });
  return installed.map(({ record }) => record);
}

/**
 * The characters {@link dropRepeatedJoins} and {@link dropJoinedSplitEnds} took back, each with
 * the join forwarding that maps it to the copy kept ({@link forwardDroppedCopies}). In memory:
 * after a restart, a keystroke hung on one of them stays where Yjs puts it (next to the copy kept,
 * maybe before it).
 */
const droppedCopies = new WeakMap<Y.Doc, Map<string, ForwardingRecord>>();

/**
 * Forwards the dropped copies onto the kept ones: adds to `record` (the join forwarding of the
 * paragraph they were copied from) a `map` entry from each taken-back character to the character
 * kept in its place (`pairs`: [taken back, kept], one character each; compacted into runs), and
 * remembers each taken-back character with `record` in {@link droppedCopies}, so that its writer's
 * later deletion of it (an undo of the join) is carried to the copy kept ({@link forwardLateEdits})
 * and what its writer typed after it is written again after the copy kept
 * ({@link forwardAfterDroppedCopies}). Deletes nothing: the caller deletes the copies, before or
 * after as its case needs.
 */
function forwardDroppedCopies(
  doc: Y.Doc,
  forwardings: SectionForwardings,
  record: ForwardingRecord,
  pairs: readonly (readonly [ItemId, ItemId])[],
): void {
  forwardings.add(
    record,
    compact(
      pairs.map(([copy, to]) => ({
        kind: 'map',
        ...copy,
        length: 1,
        toClient: to.client,
        toClock: to.clock,
      })),
    ),
  );
  const keys = droppedCopies.get(doc) ?? new Map<string, ForwardingRecord>();
  droppedCopies.set(doc, keys);
  for (const [copy] of pairs) keys.set(key(copy), record);
}

/** A run of characters `transaction` wrote into one text, consecutive as the text reads now. */
interface WrittenRun {
  ids: ItemId[];
  str: string;
}

/** The live characters `transaction` wrote into `text`, in runs consecutive in the text. */
function runsWrittenBy(transaction: Y.Transaction, text: Y.XmlText): WrittenRun[] {
  const runs: WrittenRun[] = [];
  let run: WrittenRun | null = null;
  for (let n = text._start; n; n = n.right) {
    if (n.deleted || !n.countable) continue;
    if (!(n.content instanceof Y.ContentString) || !createdBy(transaction, n)) {
      run = null;
      continue;
    }
    if (!run) runs.push((run = { ids: [], str: '' }));
    for (let k = 0; k < n.length; k++) run.ids.push({ client: n.id.client, clock: n.id.clock + k });
    run.str += n.content.str;
  }
  return runs;
}

/** The live characters of `text` whose keys `wanted` holds, as ranges of visible indexes, in order. */
function visibleRanges(text: Y.XmlText, wanted: ReadonlySet<string>): { index: number; length: number }[] {
  const ranges: { index: number; length: number }[] = [];
  let index = 0;
  for (let n = text._start; n; n = n.right) {
    if (n.deleted || !n.countable) continue;
    for (let k = 0; k < n.length; k++, index++) {
      if (!wanted.has(key({ client: n.id.client, clock: n.id.clock + k }))) continue;
      const last = ranges[ranges.length - 1];
      if (last && last.index + last.length === index) last.length++;
      else ranges.push({ index, length: 1 });
    }
  }
  return ranges;
}

/**
 * The split copies (by key) that characters `transaction` wrote were taken back onto
 * ({@link dropJoinedSplitEnds}: the end of a join's copy that a co-writer's split had already
 * moved), read from {@link droppedCopies} and the forwardings. Costs a walk of the dropped copies.
 */
function splitEndsTakenBackBy(
  doc: Y.Doc,
  transaction: Y.Transaction,
  forwardings: SectionForwardings,
): Set<string> {
  const onto = new Set<string>();
  for (const k of droppedCopies.get(doc)?.keys() ?? []) {
    const [client, clock] = k.split(':').map(Number) as [number, number];
    const before = transaction.beforeState.get(client) ?? 0;
    if (clock < before || clock >= (transaction.afterState.get(client) ?? 0)) continue;
    const to = forwardings.lookup({ client, clock });
    if (to) onto.add(key(to));
  }
  return onto;
}

/**
 * Takes back the copy a join made of a paragraph that a co-writer had already joined away.
 *
 * Yjs has no move: a join deletes the second paragraph and appends a copy of its text to the
 * first ({@link forwardJoinedBlocks}). Two people who join the same paragraph at the same time
 * (neither has received the other's join) each append their own copy, and the paragraph's text
 * came out twice (issue 8, the most common doubling of the co-writing fuzz). The server, which
 * receives the joins one after the other, keeps the first: when `transaction` (with the delete
 * set `writerDeletes` of its update) deletes a paragraph that a join forwarding already took
 * away (or a forwarding of the paragraph replaced in place: a join undone offline in the update
 * that made it), the characters its writer had there that the first change copied (they still
 * resolve to a live copy) are found, in their order, among the characters `transaction` wrote
 * into the text holding those copies or into the paragraph before, and deleted there; each deleted copy is mapped to the first one, so a
 * later deletion of it by its writer (an undo of the join) is carried to the copy that stays, and
 * what its writer types after it is written again after the copy kept
 * ({@link forwardAfterDroppedCopies}). Both copies stay (a doubling, but no word lost or glued to
 * another) when the first copy has moved on since (cut, undone) or was reached through this
 * change's own text, when the later one holds text the first could not have (typed in the
 * paragraph in the same change, offline; or characters of the paragraph a co-writer's split or
 * deletion had taken away before the first join, whose content is gone, unless
 * {@link dropJoinedSplitEnds} took their copy back in this change), or when it cannot be found
 * whole (a join edited in the same change). Costs a look-up per join forwarding for a transaction
 * whose writer both deleted and wrote (and a walk of the dropped copies when the paragraph holds
 * collected characters). Returns the characters taken back.
 */
export function dropRepeatedJoins(
  doc: Y.Doc,
  transaction: Y.Transaction,
  writerDeletes: UpdateDeletes | null,
  origin: unknown,
): number {
  const forwardings = registry.get(doc);
  if (!forwardings || forwardings.size === 0 || ownTransactions.has(transaction)) return 0;
  if (!writerDeletes || writerDeletes.clients.size === 0) return 0;
  const wrote = [...transaction.afterState].some(
    ([client, after]) => after > (transaction.beforeState.get(client) ?? 0),
  );
  if (!wrote) return 0;
  const drops: { record: ForwardingRecord; text: Y.XmlText; pairs: [ItemId, ItemId][] }[] = [];
  let takenBackSplitEnds: ReadonlySet<string> | undefined;
  for (const record of forwardings.list()) {
    const rootId = Y.createID(record.oldRoot.client, record.oldRoot.clock);
    // Deleted by the writer, but before this transaction: someone else's join came first (or
    // someone's join undone offline in the same update, which replaced the paragraph in place).
    if (!Y.isDeleted(writerDeletes, rootId) || Y.isDeleted(transaction.deleteSet, rootId)) continue;
    const root = itemAt(doc, record.oldRoot);
    if (!root?.deleted || !(root.content instanceof Y.ContentType)) continue;
    if (!forwardings.isJoin(record) && !isTextblockItem(root)) continue;
    const had: ItemId[] = [];
    let str = '';
    // A character the writer had there whose content is gone (deleted before the first join, by
    // a co-writer's split or Backspace, and collected) is in the writer's copy too, where nothing
    // can be matched against it: the later copy is then no repeat of the first, unless this
    // change's dropJoinedSplitEnds already took that character's copy back (the split's copy of
    // it kept). Matching the readable part alone glued words: a lone space, all that was left to
    // read of « ␣␣w2r5␣ », matched the space before a word the writer had typed in another
    // paragraph, and that word came out glued to the next (issue 8, fuzz seed 4: « w2r19w2r0 »).
    let unreadable = false;
    for (const text of childTypes(root.content.type as unknown as YType, () => true)) {
      if (!(text instanceof Y.XmlText)) continue;
      for (let n = text._start; n && !unreadable; n = n.right) {
        const collected = n.content instanceof Y.ContentDeleted;
        if (!(n.content instanceof Y.ContentString) && !collected) continue;
        for (let k = 0; k < n.length; k++) {
          const id = Y.createID(n.id.client, n.id.clock + k);
          if (!Y.isDeleted(writerDeletes, id)) continue;
          if (collected) {
            takenBackSplitEnds ??= splitEndsTakenBackBy(doc, transaction, forwardings);
            const firstCopy = splitCopies.get(doc)?.get(id.client, id.clock);
            if (firstCopy && takenBackSplitEnds.has(key(firstCopy))) continue;
            unreadable = true;
            break;
          }
          had.push({ client: id.client, clock: id.clock });
          str += (n.content as Y.ContentString).str[k] as string;
        }
      }
    }
    if (unreadable || had.length === 0) continue;
    // Every character the writer had there was there before this change, and the first join's
    // copy of each is still there, in one text. A copy moved on since (cut, undone) is no longer
    // the one to keep; and when the writer had typed or moved text into the paragraph before
    // joining it (offline), the later copy is more than a repeat: taking back only the shared
    // characters, spaces between its words among them, glued its words (issue 8, fuzz: « w2r5w1r6 »).
    const copies = had.map((id) => {
      const old = itemAt(doc, id);
      return old && !createdBy(transaction, old) ? resolve(doc, forwardings, id) : null;
    });
    const first = copies[0];
    const text = first ? itemAt(doc, first)?.parent : null;
    if (!(text instanceof Y.XmlText) || !text._item || text._item.deleted) continue;
    // None of them written by this change: a first copy carried into this change's own text (the
    // writer's block replaced in place in the same update, its characters paired by their
    // letters) is no co-writer's, and the later copy matched against it was partly itself: what
    // was left of the match, two characters paired by chance with the same letters further on,
    // was taken back (issue 8, fuzz seed 4: an offline join undone, whose text a paragraph joined
    // in the same change had lengthened, had « 3␣ » of « ␣w2r3␣ » paired with the « 3␣ » that
    // ends « ␣w0r33␣ », and « w2r3 » came out as « w2r »).
    const whole = copies.every((copy) => {
      const item = copy ? itemAt(doc, copy) : null;
      return item !== null && !item.deleted && item.parent === text && !createdBy(transaction, item);
    });
    if (!whole) continue;
    // The later copy is appended to the paragraph before, which holds the first copy too, unless
    // the first join was undone offline in the same update that made it: the text is then back in
    // a paragraph of its own (issue 8, fuzz: joined by one, joined then unjoined by another).
    const firstBlock = text._item.parent instanceof Y.AbstractType ? text._item.parent._item : null;
    let previous = root.left;
    while (
      previous &&
      (previous.deleted || !previous.countable || createdBy(transaction, previous) || previous === firstBlock)
    )
      previous = previous.left;
    const before =
      previous && isTextblockItem(previous)
        ? lastText((previous.content as Y.ContentType).type as Y.XmlElement)
        : null;
    const texts =
      before && before !== text && before._item && !before._item.deleted ? [text, before] : [text];
    search: for (const into of texts)
      for (const run of runsWrittenBy(transaction, into)) {
        const at = run.str.indexOf(str);
        if (at < 0) continue;
        const pairs: [ItemId, ItemId][] = [];
        copies.forEach((to, i) => {
          const copy = run.ids[at + i] as ItemId;
          if (to && (to.client !== copy.client || to.clock !== copy.clock)) pairs.push([copy, to]);
        });
        if (pairs.length > 0) drops.push({ record, text: into, pairs });
        break search;
      }
  }
  if (drops.length === 0) return 0;
  let dropped = 0;
  writeAsWriters(doc, [], origin, () => {
    for (const { record, text, pairs } of drops) {
      // From the end, in ranges consecutive in the text, so that the indexes stay right.
      const ranges = visibleRanges(text, new Set(pairs.map(([copy]) => key(copy))));
      for (const { index, length } of ranges.reverse()) {
        text.delete(index, length);
        dropped += length;
      }
      forwardDroppedCopies(doc, forwardings, record, pairs);
    }
  });
  return dropped;
}

/**
 * Writes again after the copy kept what `transaction` wrote just after a copy
 * {@link dropRepeatedJoins} took back: the writer of the later join, typing at the end of the
 * text it had joined (or inside it) before it received the first join, hangs its keystrokes on its
 * own copy, and Yjs puts them where that copy was, before the copy kept when the writer's client
 * id is the lower (issue 8: « gamma end Delta epsilon »). Each such run of characters (and what the
 * same transaction wrote after it) is deleted and written again, under its writer's client id
 * minus one, after the character of the copy kept that its anchor stands for; the forwarding
 * maps it there, so that its writer's later deletion of it is carried. Only what hangs on a
 * dropped copy directly is carried here: the editor of the writer follows the rest, as for any
 * move of its own text (textMoves.ts). Costs a look-up per item written while there are dropped
 * copies. Returns the characters written again.
 */
function forwardAfterDroppedCopies(doc: Y.Doc, transaction: Y.Transaction, origin: unknown): number {
  const dropped = droppedCopies.get(doc);
  const forwardings = registry.get(doc);
  if (!dropped || dropped.size === 0 || !forwardings || ownTransactions.has(transaction)) return 0;
  const written: Y.Item[] = [];
  for (const [client, after] of transaction.afterState) {
    const before = transaction.beforeState.get(client) ?? 0;
    if (after > before) written.push(...liveCharactersWrittenIn(doc, client, before, after));
  }
  // Anchors of this transaction's own items once written again (a word typed in several items).
  const moved = new Map<string, { to: ItemId; record: ForwardingRecord }>();
  const targetOf = (item: Y.Item): { to: ItemId; record: ForwardingRecord } | null => {
    if (!item.origin) return null;
    const inPass = moved.get(key(item.origin));
    if (inPass) return inPass;
    const record = dropped.get(key(item.origin));
    // Typed inside or at the end of the dropped copy (what follows is the copy too, or nothing):
    // text typed just before the copy kept, by someone who saw it, hangs on the dropped copy too
    // (Y.Text puts it after the deleted characters there) but stays where its writer saw it.
    const right = item.rightOrigin;
    if (!record || (right && !dropped.has(key(right)) && !moved.has(key(right)))) return null;
    const to = forwardings.lookup(item.origin);
    return to ? { to, record } : null;
  };
  let count = 0;
  if (!written.some((item) => targetOf(item) !== null)) return 0;
  writeAsWriters(
    doc,
    written.map((item) => item.id.client),
    origin,
    () => {
      let progress = true;
      while (progress) {
        progress = false;
        for (const item of written) {
          if (item.deleted || !(item.content instanceof Y.ContentString)) continue;
          const found = targetOf(item);
          const anchor = found ? itemAt(doc, found.to) : null;
          const text = anchor?.parent;
          const from = item.parent;
          if (
            !found ||
            !anchor ||
            anchor.deleted ||
            !(text instanceof Y.XmlText) ||
            !(from instanceof Y.XmlText)
          )
            continue;
          const str = item.content.str;
          const index = indexOf(from, item.id);
          if (index === null) continue;
          const { client, clock } = item.id;
          from.delete(index, str.length);
          const start = insertAfterCharacter(text, found.to, str);
          for (let k = 0; k < str.length; k++)
            moved.set(key({ client, clock: clock + k }), {
              to: { client: start.client, clock: start.clock + k },
              record: found.record,
            });
          forwardings.add(found.record, [
            { kind: 'map', client, clock, length: str.length, toClient: start.client, toClock: start.clock },
          ]);
          count += str.length;
          progress = true;
        }
      }
    },
  );
  return count;
}

// ---------------------------------------------------------------------------------------------
// Splits made twice

/**
 * Most characters whose first split copy is remembered per document ({@link recordSplitCopies}):
 * the oldest are forgotten first. A split made concurrently with another is recent (in flight, or
 * offline for a while); the cost of the look-up in {@link dropRepeatedSplits} stays bounded.
 */
const MAX_SPLIT_COPIES = 20_000;

/**
 * A run of characters remembered by a {@link SplitMemory}: the `length` characters of writer
 * `client` with clocks `clock` … `clock + length - 1`, whose first split copies are the characters
 * of writer `toClient` with clocks `toClock` … `toClock + length - 1`, in the same order. The runs
 * are linked from the oldest remembered to the newest (`older`, `newer`); within a run, the
 * characters were remembered in clock order.
 */
interface SplitRun {
  client: number;
  clock: number;
  /** Characters, at least 1. */
  length: number;
  toClient: number;
  toClock: number;
  older: SplitRun | null;
  newer: SplitRun | null;
}

/**
 * For each character a person's split moved into a new paragraph, its first copy: the moved
 * character's id (client, clock) → the copy's id, remembered in order, at most `max` characters
 * (the oldest forgotten first, {@link SplitMemory.trim}). Behaves as a `Map` from each character's
 * key to its copy that keeps its insertion order (what it replaced, H8s), but stores runs: the
 * characters of one writer with consecutive clocks, remembered one after the other, whose copies
 * are consecutive too (an Enter moves the text its writer typed in one go, and writes its copy in
 * one go) are one {@link SplitRun}, about 106 bytes, where the `Map` held about 136 bytes a
 * character. Per writer, the runs are sorted by clock in an array, read by binary search (as Yjs
 * reads its StructStore): a look-up costs O(log runs), remembering a character O(runs) at worst
 * (an insertion in the array), usually O(log runs).
 */
export class SplitMemory {
  /** Each writer's runs, sorted by `clock`, not overlapping. */
  private readonly byClient = new Map<number, SplitRun[]>();
  private oldest: SplitRun | null = null;
  private newest: SplitRun | null = null;
  private chars = 0;
  /** Runs in the writers' arrays, and how many of them are empty (forgotten by {@link SplitMemory.trim}). */
  private stored = 0;
  private empty = 0;

  /** @param max most characters kept by {@link SplitMemory.trim} */
  constructor(readonly max: number) {}

  /** Characters remembered. */
  get size(): number {
    return this.chars;
  }

  /** Runs holding characters (for the tests and the measures: about 106 bytes of heap a run). */
  get runs(): number {
    return this.stored - this.empty;
  }

  /** The index in `runs` (sorted by clock) of the run holding `clock`, or -1. */
  private static indexOf(runs: readonly SplitRun[], clock: number): number {
    let lo = 0;
    let hi = runs.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const run = runs[mid] as SplitRun;
      if (clock < run.clock) hi = mid - 1;
      else if (clock >= run.clock + run.length) lo = mid + 1;
      else return mid;
    }
    return -1;
  }

  /** The first copy remembered for the character (client, clock), or null. */
  get(client: number, clock: number): ItemId | null {
    const runs = this.byClient.get(client);
    if (!runs) return null;
    const run = runs[SplitMemory.indexOf(runs, clock)];
    return run ? { client: run.toClient, clock: run.toClock + clock - run.clock } : null;
  }

  /** Whether the character (client, clock) is remembered. */
  has(client: number, clock: number): boolean {
    const runs = this.byClient.get(client);
    return runs !== undefined && SplitMemory.indexOf(runs, clock) >= 0;
  }

  /**
   * Remembers `copy` as the first copy of the character (client, clock), as the newest character
   * (what it remembered before for that character is forgotten). Does not trim: see
   * {@link SplitMemory.trim}.
   */
  set(client: number, clock: number, copy: ItemId): void {
    this.forget(client, clock);
    this.chars++;
    let runs = this.byClient.get(client);
    // The lower bound: the first run that starts at or after `clock` (none holds it now).
    let lo = 0;
    if (runs) {
      let hi = runs.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if ((runs[mid] as SplitRun).clock < clock) lo = mid + 1;
        else hi = mid;
      }
      // Empty runs that start there leave first: no empty run may start inside a run that holds
      // characters (the binary searches step over an empty run by its start alone).
      while (this.empty > 0 && runs[lo]?.clock === clock && runs[lo]?.length === 0) {
        runs.splice(lo, 1);
        this.stored--;
        this.empty--;
      }
    }
    const tail = this.newest;
    // Appended to the newest run when it continues it (the next character of the same Enter).
    if (
      tail &&
      tail.client === client &&
      tail.clock + tail.length === clock &&
      tail.toClient === copy.client &&
      tail.toClock + tail.length === copy.clock
    ) {
      tail.length++;
      return;
    }
    const run: SplitRun = {
      client,
      clock,
      length: 1,
      toClient: copy.client,
      toClock: copy.clock,
      older: tail,
      newer: null,
    };
    if (tail) tail.newer = run;
    else this.oldest = run;
    this.newest = run;
    if (!runs) {
      runs = [];
      this.byClient.set(client, runs);
    }
    if (lo === runs.length) runs.push(run);
    else runs.splice(lo, 0, run);
    this.stored++;
  }

  /** Forgets the character (client, clock). Returns whether it was remembered. */
  forget(client: number, clock: number): boolean {
    const runs = this.byClient.get(client);
    if (!runs) return false;
    const index = SplitMemory.indexOf(runs, clock);
    const run = runs[index];
    if (!run) return false;
    this.chars--;
    const offset = clock - run.clock;
    if (run.length === 1) this.unlink(runs, index, run);
    else if (offset === 0) {
      run.clock++;
      run.toClock++;
      run.length--;
    } else if (offset === run.length - 1) run.length--;
    else {
      // Cut in two: the characters after it were remembered after those before, before the next run.
      const right: SplitRun = {
        client,
        clock: clock + 1,
        length: run.length - offset - 1,
        toClient: run.toClient,
        toClock: run.toClock + offset + 1,
        older: run,
        newer: run.newer,
      };
      if (run.newer) run.newer.older = right;
      else this.newest = right;
      run.newer = right;
      run.length = offset;
      runs.splice(index + 1, 0, right);
      this.stored++;
    }
    return true;
  }

  /** Removes `run`, at `index` in `runs` (its writer's), from the array and the age list. */
  private unlink(runs: SplitRun[], index: number, run: SplitRun): void {
    runs.splice(index, 1);
    this.stored--;
    if (runs.length === 0) this.byClient.delete(run.client);
    if (run.older) run.older.newer = run.newer;
    else this.oldest = run.newer;
    if (run.newer) run.newer.older = run.older;
    else this.newest = run.older;
  }

  /**
   * Forgets the oldest characters beyond `max`. A run forgotten whole is emptied (length 0: it
   * holds no character, and the binary searches step over it) and stays in its writer's array until
   * a quarter of the arrays' runs are empty, then they all leave in one pass (removing them one by
   * one shifted the whole array each time: a third of a millisecond per Enter when each character
   * is a run of its own).
   */
  trim(): void {
    while (this.chars > this.max && this.oldest) {
      const run = this.oldest;
      const n = Math.min(run.length, this.chars - this.max);
      this.chars -= n;
      if (n === run.length) {
        run.length = 0;
        this.oldest = run.newer;
        if (run.newer) run.newer.older = null;
        else this.newest = null;
        run.newer = null;
        this.empty++;
      } else {
        run.clock += n;
        run.toClock += n;
        run.length -= n;
      }
    }
    if (this.empty * 4 <= this.stored) return;
    for (const [client, runs] of this.byClient) {
      const live = runs.filter((run) => run.length > 0);
      if (live.length > 0) this.byClient.set(client, live);
      else this.byClient.delete(client);
    }
    this.stored -= this.empty;
    this.empty = 0;
  }

  /** Calls `visit` with each character remembered (client, clock), the oldest first. */
  forEach(visit: (client: number, clock: number) => void): void {
    for (let run = this.oldest; run; run = run.newer)
      for (let k = 0; k < run.length; k++) visit(run.client, run.clock + k);
  }
}

/**
 * For each document, its {@link SplitMemory}: each character a person's split moved into a new
 * paragraph → its first copy (the split that reached the server first). In memory: after a
 * restart, a split repeated by a co-writer who had not received the first one keeps both copies.
 */
const splitCopies = new WeakMap<Y.Doc, SplitMemory>();

/** A split taken back ({@link dropRepeatedSplits}): the characters it moved, and their first copies. */
interface TakenBack {
  sources: ItemId[];
  firsts: ItemId[];
  /** The text moved, read when it was taken back (the garbage collector takes deleted copies' content). */
  str: string;
}

/** Most splits taken back remembered per document, for their writers' undo (the oldest forgotten first). */
const MAX_TAKEN_BACK = 256;

/** The splits taken back, by their first moved character's key. In memory, like {@link splitCopies}. */
const takenBack = new WeakMap<Y.Doc, Map<string, TakenBack>>();

/** Whether `doc` remembers split copies, so that a later split of the same text may be taken back. */
export function remembersSplits(doc: Y.Doc): boolean {
  return (splitCopies.get(doc)?.size ?? 0) > 0;
}

/** The live textblocks `transaction` created in an element that was there before it. */
function textblocksCreatedBy(doc: Y.Doc, transaction: Y.Transaction): Y.Item[] {
  const out: Y.Item[] = [];
  for (const [client, after] of transaction.afterState) {
    const before = transaction.beforeState.get(client) ?? 0;
    const structs = after > before ? doc.store.clients.get(client) : undefined;
    if (!structs) continue;
    for (let i = Y.findIndexSS(structs, before); i < structs.length; i++) {
      const s = structs[i];
      if (!s || s.id.clock >= after) break;
      if (!(s instanceof Y.Item) || s.deleted || s.parentSub !== null || !isTextblockItem(s)) continue;
      const parent = s.parent;
      if (parent instanceof Y.AbstractType && parent._item && createdBy(transaction, parent._item)) continue;
      if (parent instanceof Y.AbstractType && parent._item?.deleted) continue;
      out.push(s);
    }
  }
  return out;
}

/**
 * Remembers where a person's split (Enter in a paragraph: the binding deletes the paragraph's end
 * and writes a copy of it in a new paragraph) sent each character it moved, so that the same split
 * made at the same time by a co-writer who had not received it can be taken back
 * ({@link dropRepeatedSplits}). Only characters `transaction` deleted whose copy
 * ({@link detectTextMoves}, with the writer's delete set when known) is in a textblock it created
 * count; a character already remembered keeps its first copy while that copy is live. Costs the
 * detection of moves for a transaction that deletes characters and creates a textblock, nothing
 * otherwise. Returns the number of characters remembered.
 */
export function recordSplitCopies(
  doc: Y.Doc,
  transaction: Y.Transaction,
  writerDeletes: UpdateDeletes | null,
): number {
  if (transaction.deleteSet.clients.size === 0 || ownTransactions.has(transaction)) return 0;
  const created = textblocksCreatedBy(doc, transaction);
  if (created.length === 0) return 0;
  const blocks = new Set<unknown>(
    created.map((item) => item.content instanceof Y.ContentType && item.content.type),
  );
  const moves = detectTextMoves(transaction, writerDeletes ? (id) => Y.isDeleted(writerDeletes, id) : null);
  if (!moves.any) return 0;
  const sources: Y.ID[] = [];
  Y.iterateDeletedStructs(transaction, transaction.deleteSet, (struct) => {
    if (
      struct instanceof Y.Item &&
      struct.content instanceof Y.ContentString &&
      struct.parent instanceof Y.XmlText &&
      !createdBy(transaction, struct)
    )
      for (let k = 0; k < struct.length; k++) sources.push(Y.createID(struct.id.client, struct.id.clock + k));
  });
  const copies = splitCopies.get(doc) ?? new SplitMemory(MAX_SPLIT_COPIES);
  let recorded = 0;
  for (const source of sources) {
    const copy = moves.follow(source);
    const item = copy ? itemAt(doc, copy) : null;
    const text = item?.parent;
    if (!copy || !item || item.deleted || !(text instanceof Y.XmlText) || !blocks.has(text._item?.parent))
      continue;
    const known = copies.get(source.client, source.clock);
    const knownItem = known ? itemAt(doc, known) : null;
    if (knownItem && !knownItem.deleted) continue;
    copies.set(source.client, source.clock, { client: copy.client, clock: copy.clock });
    recorded++;
  }
  // The oldest first, once all are remembered (a character met twice in one change is kept once).
  copies.trim();
  if (copies.size > 0) splitCopies.set(doc, copies);

  return recorded;
}

/**
 * The characters of the writer's delete set that were deleted before `transaction` (by someone
 * else's change: not in the transaction's own delete set) and whose first split copy is
 * remembered, by the text they were in, in that text's order.
 */
function splitSourcesGoneBefore(
  doc: Y.Doc,
  transaction: Y.Transaction,
  writerDeletes: UpdateDeletes,
  copies: SplitMemory,
): Map<Y.XmlText, { ids: ItemId[]; str: string }> {
  const wanted = new Set<string>();
  const texts = new Set<Y.XmlText>();
  const consider = (id: ItemId): void => {
    if (!copies.has(id.client, id.clock)) return;
    const yid = Y.createID(id.client, id.clock);
    if (!Y.isDeleted(writerDeletes, yid) || Y.isDeleted(transaction.deleteSet, yid)) return;
    const item = itemAt(doc, id);
    if (!item?.deleted || !(item.parent instanceof Y.XmlText) || createdBy(transaction, item)) return;
    wanted.add(key(id));
    texts.add(item.parent);
  };
  // The smaller of the two is walked: an update's own deletions, or the characters remembered
  // (a full state diff, after a reconnection, repeats every deletion its writer knows).
  let deleted = 0;
  for (const ranges of writerDeletes.clients.values()) for (const { len } of ranges) deleted += len;
  if (deleted <= copies.size) {
    for (const [client, ranges] of writerDeletes.clients)
      for (const { clock, len } of ranges)
        for (let c = clock; c < clock + len; c++) consider({ client, clock: c });
  } else copies.forEach((client, clock) => consider({ client, clock }));
  // Read through their first copies: the garbage collector took the deleted characters' content
  // at the end of the split that deleted them (only forwarded subtrees are kept readable).
  const charOf = (id: ItemId): string => {
    const copy = copies.get(id.client, id.clock);
    const item = copy ? itemAt(doc, copy) : null;
    return copy && item?.content instanceof Y.ContentString
      ? (item.content.str[copy.clock - item.id.clock] ?? '\uFFFC')
      : '\uFFFC';
  };
  const out = new Map<Y.XmlText, { ids: ItemId[]; str: string }>();
  for (const text of texts) {
    const run = { ids: [] as ItemId[], str: '' };
    for (let n = text._start; n; n = n.right) {
      if (!n.deleted || n.content instanceof Y.ContentFormat || n.content instanceof Y.ContentType) continue;
      for (let k = 0; k < n.length; k++) {
        const id = { client: n.id.client, clock: n.id.clock + k };
        if (!wanted.has(key(id))) continue;
        run.ids.push(id);
        run.str += charOf(id);
      }
    }
    out.set(text, run);
  }
  return out;
}

/**
 * The characters of a textblock `transaction` created, when they are all its own and plain text
 * (formatting aside) in one Y.XmlText: the candidates for a repeated split's copy. Null otherwise.
 */
function newBlockCopy(
  transaction: Y.Transaction,
  block: Y.Item,
): { text: Y.XmlText; ids: ItemId[]; str: string } | null {
  const element = (block.content as Y.ContentType).type as Y.XmlElement;
  const children = childTypes(element, (n) => !n.deleted);
  const text = children[0];
  if (children.length !== 1 || !(text instanceof Y.XmlText)) return null;
  const ids: ItemId[] = [];
  let str = '';
  for (let n = text._start; n; n = n.right) {
    if (n.deleted || n.content instanceof Y.ContentFormat) continue;
    if (!(n.content instanceof Y.ContentString) || !createdBy(transaction, n)) return null;
    for (let k = 0; k < n.length; k++) ids.push({ client: n.id.client, clock: n.id.clock + k });
    str += n.content.str;
  }
  return ids.length > 0 ? { text, ids, str } : null;
}

/**
 * The first copies of `sources`, when each is live and they stand in one live text (not `not`),
 * consecutive (no live character between them) and in the same order. Null otherwise.
 */
function firstCopiesInOrder(
  doc: Y.Doc,
  transaction: Y.Transaction,
  copies: SplitMemory,
  sources: readonly ItemId[],
  not: Y.XmlText,
): { text: Y.XmlText; ids: ItemId[] } | null {
  const firsts = sources.map((id) => copies.get(id.client, id.clock));
  const first = firsts[0] ? itemAt(doc, firsts[0]) : null;
  const text = first?.parent;
  if (!first || first.deleted || !(text instanceof Y.XmlText) || text === not) return null;
  if (!text._item || text._item.deleted || createdBy(transaction, first)) return null;
  // Walk the text once from the first copy: each next live character must be the next copy.
  let at = 0;
  let started = false;
  for (let n: Y.Item | null = text._start; n && at < firsts.length; n = n.right) {
    if (n.deleted || !n.countable) continue;
    for (let k = 0; k < n.length && at < firsts.length; k++) {
      const want = firsts[at];
      const here = { client: n.id.client, clock: n.id.clock + k };
      const match =
        want !== null && want !== undefined && want.client === here.client && want.clock === here.clock;
      if (!started) {
        if (!match) continue;
        started = true;
      } else if (!match) return null;
      at++;
    }
  }
  return at === firsts.length ? { text, ids: firsts as ItemId[] } : null;
}

/**
 * Takes back a paragraph that repeats a co-writer's split: two people who press Enter at the
 * same place of the same paragraph at the same time (neither has received the other's split)
 * each delete the paragraph's end and write their own copy of it in a new paragraph (Yjs has no
 * move), and the end of the paragraph came out twice (issue 8, the most common doubling of the
 * co-writing fuzz). The server, which receives the splits one after the other, keeps the first
 * (remembered by {@link recordSplitCopies}): when `transaction` creates a textblock whose text,
 * all of it written by `transaction`, is a copy of characters its writer deleted
 * (`writerDeletes`) that an earlier split had already moved, and the first copies of those
 * characters are live, consecutive and in order in one text, the new textblock is deleted and a
 * forwarding maps it (element, text, each character) to the first copy. Late keystrokes its
 * writer types in it (after its split, before it receives the take-back) then go next to the
 * copy kept ({@link forwardLateEdits}), and its writer's later deletions there (an undo of its
 * split, a Backspace) are carried to that copy (the forwarding's witness is a moved character, not
 * the paragraph: see {@link SectionForwardings.setWitness}).
 *
 * Both copies stay (text doubled, no character lost) when the new paragraph holds anything else
 * (its writer typed in it in the same change, offline), when the first copy moved on or was
 * changed inside (a co-writer typed between its characters, joined or undid it), or when the new
 * paragraph is not a direct child of an element that was there before. Costs, for a transaction
 * that creates a textblock while splits are remembered, a walk of the writer's deletions (or of
 * the remembered characters, whichever is smaller). Returns the forwardings installed.
 */
export function dropRepeatedSplits(
  doc: Y.Doc,
  transaction: Y.Transaction,
  writerDeletes: UpdateDeletes | null,
  origin: unknown,
  now = Date.now(),
): ForwardingRecord[] {
  const copies = splitCopies.get(doc);
  if (!copies || copies.size === 0 || !writerDeletes || ownTransactions.has(transaction)) return [];
  if (writerDeletes.clients.size === 0) return [];
  const created = textblocksCreatedBy(doc, transaction);
  if (created.length === 0) return [];
  const candidates = created.flatMap((block) => {
    const copy = newBlockCopy(transaction, block);
    return copy ? [{ block, copy }] : [];
  });
  if (candidates.length === 0) return [];
  const gone = splitSourcesGoneBefore(doc, transaction, writerDeletes, copies);
  if (gone.size === 0) return [];
  const forwardings = registry.get(doc);
  const drops: ({ block: Y.Item } & TakenBack & {
      kept: Y.XmlText;
      entries: ForwardEntry[];
      witness: ItemId;
    })[] = [];
  const used = new Set<string>();
  for (const { block, copy } of candidates) {
    let found: (TakenBack & { kept: Y.XmlText; entries: ForwardEntry[]; witness: ItemId }) | null = null;
    for (const [, sources] of gone) {
      for (
        let at = sources.str.indexOf(copy.str);
        at >= 0 && !found;
        at = sources.str.indexOf(copy.str, at + 1)
      ) {
        const ids = sources.ids.slice(at, at + copy.ids.length);
        if (ids.some((id) => used.has(key(id)))) continue;
        // A moved character that a forwarding sent elsewhere (the paragraph joined or moved since):
        // its writer's deletion of it is carried there ({@link forwardLateEdits}), which already
        // leaves one copy. Taking this one back too lost the text (issue 8, fuzz: « epsilon »).
        const carried = (id: ItemId): boolean =>
          forwardings !== undefined &&
          forwardings
            .mapped(id.client, id.clock, 1)
            .some((part) => !forwardings.knownBy(part.record, writerDeletes));
        if (ids.some(carried)) continue;
        const firsts = firstCopiesInOrder(doc, transaction, copies, ids, copy.text);
        const keptText = firsts?.text._item;
        const keptElement = keptText?.parent;
        if (!firsts || !keptText || !(keptElement instanceof Y.XmlElement) || !keptElement._item) continue;
        // The paragraph and its text only followed: its writer's deletion of them (an undo of its
        // split) must not take away the kept paragraph, where its co-writer may be typing
        // (undoneRepeatedSplits joins it back, with a forwarding, once it is empty).
        const follow = (from: Y.Item, to: Y.Item): ForwardEntry => ({
          kind: 'follow',
          ...idOf(from),
          length: 1,
          toClient: to.id.client,
          toClock: to.id.clock,
        });
        const entries: ForwardEntry[] = [
          follow(block, keptElement._item),
          follow(copy.text._item as Y.Item, keptText),
        ];
        copy.ids.forEach((id, k) => {
          const to = firsts.ids[k] as ItemId;
          entries.push({ kind: 'map', ...id, length: 1, toClient: to.client, toClock: to.clock });
        });
        for (const id of ids) used.add(key(id));
        found = {
          kept: firsts.text,
          entries,
          witness: ids[0] as ItemId,
          sources: ids,
          firsts: firsts.ids,
          str: copy.str,
        };
      }
      if (found) break;
    }
    if (found) drops.push({ block, ...found });
  }
  if (drops.length === 0) return [];
  const installing = forwardingsOf(doc);
  const installed: ForwardingRecord[] = [];
  const taken = takenBack.get(doc) ?? new Map<string, TakenBack>();
  takenBack.set(doc, taken);
  for (const { block, kept, entries, witness, sources, firsts, str } of drops) {
    taken.set(key(sources[0] as ItemId), { sources, firsts, str });
    for (const k of taken.keys()) {
      if (taken.size <= MAX_TAKEN_BACK) break;
      taken.delete(k);
    }
    const newRoot = (kept._item?.parent as Y.XmlElement)._item as Y.Item;
    // Installed before the deletion: the garbage collector, at the end of the transaction that
    // deletes the paragraph, must spare it for the keystrokes still on their way for it.
    const record = installForwarding(installing, block, idOf(newRoot), entries, now);
    installing.setWitness(record.id, witness);
    installed.push(record);
  }
  writeAsWriters(doc, [], origin, () => {
    for (const { block } of drops) {
      const parent = block.parent;
      if (!(parent instanceof Y.XmlElement || parent instanceof Y.XmlFragment)) continue;
      const index = visibleIndexOf(parent as unknown as YType, block);
      if (index !== null) parent.delete(index, 1);
    }
  });
  return installed;
}

/**
 * Takes back, from the copy a join appended to the paragraph before, the end of the joined
 * paragraph that a co-writer's split had already moved into a paragraph of its own: one person
 * cuts « Delta| epsilon » (Enter) while another, who has not received the cut, joins « Delta
 * epsilon » to the paragraph before (Backspace at its start). The join appends its own copy of
 * the whole text, the cut had written « epsilon » in a new paragraph, and « epsilon » came out
 * twice (issue 8, fuzz). The server received the cut first ({@link recordSplitCopies}): when the
 * characters `transaction` appended to a text that was there before end with a copy of the
 * characters its writer deleted (`writerDeletes`) that the cut had already moved, in the
 * paragraph the same change joined away (its join forwarding, {@link forwardJoinedBlocks}), and
 * the cut's copies of them are live, consecutive and in order in one text, that end of the
 * appended copy is deleted; each character deleted is mapped to the cut's copy in the join's
 * forwarding, so that its writer's later deletion of it (an undo of the join) is carried there,
 * and what its writer typed after it is written again after the copy kept
 * ({@link forwardAfterDroppedCopies}). The start of the appended copy stays: the paragraph ends up
 * as if the cut then the join had been made one after the other. Both copies stay when the
 * appended text does not end with the cut's text (its writer typed there in the same change).
 * Costs, for a transaction that deletes and writes while splits are remembered, a walk of the
 * writer's deletions (or of the remembered characters) and of the texts it wrote into. Returns
 * the characters taken back.
 */
export function dropJoinedSplitEnds(
  doc: Y.Doc,
  transaction: Y.Transaction,
  writerDeletes: UpdateDeletes | null,
  origin: unknown,
): number {
  const copies = splitCopies.get(doc);
  const forwardings = registry.get(doc);
  if (!copies || copies.size === 0 || !forwardings || forwardings.size === 0) return 0;
  if (!writerDeletes || transaction.deleteSet.clients.size === 0 || ownTransactions.has(transaction))
    return 0;
  const gone = splitSourcesGoneBefore(doc, transaction, writerDeletes, copies);
  if (gone.size === 0) return 0;
  const texts = new Set<Y.XmlText>();
  for (const [client, after] of transaction.afterState) {
    const before = transaction.beforeState.get(client) ?? 0;
    if (after > before) textsWrittenIn(doc, client, before, after, texts);
  }
  const drops: { text: Y.XmlText; record: ForwardingRecord; pairs: [ItemId, ItemId][] }[] = [];
  const used = new Set<Y.XmlText>();
  for (const text of texts) {
    if (!text._item || text._item.deleted || createdBy(transaction, text._item)) continue;
    for (const run of runsWrittenBy(transaction, text))
      for (const [source, sources] of gone) {
        if (used.has(source) || sources.ids.length === 0 || !run.str.endsWith(sources.str)) continue;
        const record = source._item ? forwardings.recordOf(source._item) : null;
        if (!record || !forwardings.isJoin(record) || !source._item?.deleted) continue;
        const firsts = firstCopiesInOrder(doc, transaction, copies, sources.ids, text);
        if (!firsts) continue;
        const appended = run.ids.slice(run.ids.length - sources.ids.length);
        drops.push({ text, record, pairs: appended.map((copy, i) => [copy, firsts.ids[i] as ItemId]) });
        used.add(source);
        break;
      }
  }
  if (drops.length === 0) return 0;
  let dropped = 0;
  writeAsWriters(doc, [], origin, () => {
    for (const { text, record, pairs } of drops) {
      // Installed before the deletion: a late keystroke chained on a copy taken back follows it.
      forwardDroppedCopies(doc, forwardings, record, pairs);
      for (const { index, length } of visibleRanges(
        text,
        new Set(pairs.map(([copy]) => key(copy))),
      ).reverse()) {
        text.delete(index, length);
        dropped += length;
      }
    }
  });
  return dropped;
}

/**
 * Joins back into its paragraph the copy a split kept when the writer of the split taken back
 * ({@link dropRepeatedSplits}) undoes its own: its undo writes the moved text again at its old
 * place (new characters, hung before the first of the old ones), and deletes the paragraph taken
 * back, which the server already deleted. Without this, the paragraph's end came out twice: once
 * where the undo put it back, once in the copy kept (issue 8). When `transaction` writes, right
 * before the first character of a split taken back, the text that split moved, in another
 * paragraph than the copy kept: the characters of the copy kept still there are deleted, and the
 * paragraph that held them, when nothing else is left in it, is deleted too, with a forwarding to
 * the paragraph the text came back to (each character of the copy kept mapped to the one written
 * again), so that what its writer types in it meanwhile follows the text. A paragraph the copy
 * kept shares with other text (its writer typed there) stays, without the copy. Costs a look-up
 * per character item `transaction` writes while splits taken back are remembered. Returns the
 * forwardings installed.
 */
export function undoneRepeatedSplits(
  doc: Y.Doc,
  transaction: Y.Transaction,
  origin: unknown,
  now = Date.now(),
): ForwardingRecord[] {
  const taken = takenBack.get(doc);
  const forwardings = registry.get(doc);
  if (!taken || taken.size === 0 || !forwardings || ownTransactions.has(transaction)) return [];
  const undone: { restored: ItemId[]; current: ItemId[]; kept: Y.XmlText; into: Y.XmlText }[] = [];
  for (const [client, after] of transaction.afterState) {
    const before = transaction.beforeState.get(client) ?? 0;
    if (after <= before) continue;
    for (const item of liveCharactersWrittenIn(doc, client, before, after)) {
      const entry = item.rightOrigin ? taken.get(key(item.rightOrigin)) : undefined;
      const into = item.parent;
      if (!entry || !(into instanceof Y.XmlText)) continue;
      const restored: ItemId[] = [];
      let str = '';
      for (let n: Y.Item | null = item; n && restored.length < entry.sources.length; n = n.right) {
        if (n.deleted || n.content instanceof Y.ContentFormat) continue;
        if (!(n.content instanceof Y.ContentString) || !createdBy(transaction, n)) break;
        for (let k = 0; k < n.length && restored.length < entry.sources.length; k++) {
          restored.push({ client: n.id.client, clock: n.id.clock + k });
          str += n.content.str[k] as string;
        }
      }
      if (str !== entry.str) continue;
      // What stands for the moved text now: the copy kept, wherever forwardings sent it since.
      const current = entry.firsts.map((id) => resolve(doc, forwardings, id) ?? id);
      const kept = itemAt(doc, current[0] as ItemId)?.parent;
      if (!(kept instanceof Y.XmlText) || kept === into || !kept._item || kept._item.deleted) continue;
      if (current.some((id) => itemAt(doc, id)?.parent !== kept)) continue;
      taken.delete(key(entry.sources[0] as ItemId));
      undone.push({ restored, current, kept, into });
    }
  }
  if (undone.length === 0) return [];
  const installed: ForwardingRecord[] = [];
  writeAsWriters(doc, [], origin, () => {
    for (const { restored, current, kept, into } of undone) {
      const ranges = visibleRanges(kept, new Set(current.map(key)));
      for (const { index, length } of ranges.reverse()) kept.delete(index, length);
      const element = kept._item?.parent;
      const target = into._item?.parent;
      if (!(element instanceof Y.XmlElement) || !element._item || holdsText(element)) continue;
      if (!(target instanceof Y.XmlElement) || !target._item) continue;
      const parent = element._item.parent;
      if (!(parent instanceof Y.XmlElement || parent instanceof Y.XmlFragment)) continue;
      const index = visibleIndexOf(parent as unknown as YType, element._item);
      if (index === null) continue;
      const map = (from: ItemId, to: ItemId): ForwardEntry => ({
        kind: 'map',
        ...from,
        length: 1,
        toClient: to.client,
        toClock: to.clock,
      });
      const entries = [
        map(idOf(element._item), idOf(target._item)),
        map(idOf(kept._item as Y.Item), idOf(into._item as Y.Item)),
        ...current.map((id, k) => map(id, restored[k] as ItemId)),
      ];
      // Installed before the deletion, so that the garbage collector spares the paragraph.
      installed.push(installForwarding(forwardings, element._item, idOf(target._item), entries, now, true));
      parent.delete(index, 1);
    }
  });
  return installed;
}

/**
 * Follows, for late edits, the characters a forwarding sent somewhere when a person's change moves
 * them again without deleting their block: a split (Enter in the joined paragraph), a paste of
 * several paragraphs, and the undo of a join, which deletes the copies appended to the paragraph
 * before and writes the text again in a paragraph of its own. Without it, a keystroke still on its
 * way for the joined paragraph (or typed offline in it) follows the forwarding to a copy that is
 * no longer there, and lands where that copy was: at the end of the paragraph before, away from
 * its words (issue 8: « Premier paragraphe.abcdefghij klm » and « Alpha beta »).
 *
 * The characters `transaction` deleted that a forwarding sent there are paired with their copies
 * ({@link detectTextMoves}; `writerDeletes`, when known, tells the characters the writer had) and
 * each pair is added to the forwarding that sent them, so that {@link forwardLateEdits} follows the
 * chain for the late edits of the transactions after this one (run it after this one's: the
 * deletions that make the move must not be carried to the copies as late deletions). A character
 * already forwarded (its block was replaced or joined: {@link forwardReplacedBlocks} and
 * {@link forwardJoinedBlocks} run first) keeps its forwarding. Costs a look-up per deleted range in
 * a document with forwardings, nothing otherwise. Returns the number of characters followed.
 */
export function forwardMovedTargets(
  doc: Y.Doc,
  transaction: Y.Transaction,
  writerDeletes: UpdateDeletes | null,
): number {
  const forwardings = registry.get(doc);
  if (!forwardings || forwardings.size === 0 || ownTransactions.has(transaction)) return 0;
  const sent: { id: ItemId; record: ForwardingRecord }[] = [];
  for (const [client, ranges] of transaction.deleteSet.clients)
    for (const { clock, len } of ranges)
      for (const part of forwardings.targetsIn(client, clock, len))
        for (let c = part.clock; c < part.clock + part.length; c++) {
          const id = { client, clock: c };
          if (!forwardings.lookup(id)) sent.push({ id, record: part.record });
        }
  if (sent.length === 0) return 0;
  const moves = detectTextMoves(transaction, writerDeletes ? (id) => Y.isDeleted(writerDeletes, id) : null);
  if (!moves.any) return 0;
  const byRecord = new Map<ForwardingRecord, ForwardEntry[]>();
  for (const { id, record } of sent) {
    const to = moves.follow(Y.createID(id.client, id.clock));
    if (!to) continue;
    const entries = byRecord.get(record) ?? [];
    entries.push({ kind: 'follow', ...id, length: 1, toClient: to.client, toClock: to.clock });
    byRecord.set(record, entries);
  }
  let followed = 0;
  for (const [record, entries] of byRecord) {
    forwardings.add(record, compact(entries));
    followed += entries.length;
  }
  return followed;
}

/** What {@link watchLateEdits} needs to know about the transactions of a document. */
export interface LateEditSource {
  /** Whether a transaction carries people's edits (on the server: it comes from a connection). */
  inspect(transaction: Y.Transaction): boolean;
  /** The delete set of the update the transaction applied, when known (see {@link forwardLateEdits}). */
  writerDeletes(transaction: Y.Transaction): UpdateDeletes | null;
  /** The origin to give the transaction that re-applies a transaction's late edits. */
  origin(transaction: Y.Transaction): unknown;
  /** The clock dating new forwardings (epoch ms); `Date.now` when absent. */
  now?: () => number;
}

/**
 * Runs {@link forwardReplacedBlocks}, {@link forwardJoinedBlocks}, {@link dropRepeatedSplits},
 * {@link recordSplitCopies}, {@link forwardLateEdits},
 * {@link dropRepeatedJoins} (and the keystrokes hung on what it took back) then
 * {@link forwardMovedTargets} after every inspected
 * transaction of `doc` (its own transactions excepted). A transaction that deletes nothing, in a
 * document without forwardings, costs two map lookups. Returns the function that stops watching.
 */
export function watchLateEdits(doc: Y.Doc, source: LateEditSource): () => void {
  const handler = (transaction: Y.Transaction): void => {
    if (ownTransactions.has(transaction)) return;
    const deletes = transaction.deleteSet.clients.size > 0;
    // A repeated split deletes nothing that was still there: its writer's deletions are all of
    // characters the first split had deleted.
    if (!deletes && !registry.get(doc)?.size && !remembersSplits(doc)) return;
    if (!source.inspect(transaction)) return;
    const writerDeletes = source.writerDeletes(transaction);
    const now = (source.now ?? Date.now)();
    if (deletes) {
      forwardReplacedBlocks(doc, transaction, writerDeletes, source.origin(transaction), now);
      forwardJoinedBlocks(doc, transaction, writerDeletes, source.origin(transaction), now);
    }
    // Before the split is remembered: a repeated split's copy must not become a first copy.
    dropRepeatedSplits(doc, transaction, writerDeletes, source.origin(transaction), now);
    dropJoinedSplitEnds(doc, transaction, writerDeletes, source.origin(transaction));
    if (deletes) recordSplitCopies(doc, transaction, writerDeletes);
    if (registry.get(doc)?.size) {
      forwardLateEdits(doc, transaction, writerDeletes, source.origin(transaction));
      // After: the undo of a split taken back has had its deletions carried to the copy kept.
      undoneRepeatedSplits(doc, transaction, source.origin(transaction), now);
      dropRepeatedJoins(doc, transaction, writerDeletes, source.origin(transaction));
      forwardAfterDroppedCopies(doc, transaction, source.origin(transaction));
    }
    // After: the deletions that make the move are not late deletions to carry after it.
    if (deletes) forwardMovedTargets(doc, transaction, writerDeletes);
  };
  doc.on('afterTransaction', handler);
  return () => doc.off('afterTransaction', handler);
}

/** Forwarding entries as stored: a JSON array of number arrays (`[0, client, clock, length, toClient, toClock]`, `[3, …]` the same for a `follow` entry, `[1, client, clock]` for a live mark, `[2, client, clock]` for a removed one). */
export function encodeForwardEntries(entries: readonly ForwardEntry[]): string {
  return JSON.stringify(
    entries.map((e) =>
      e.kind === 'map' || e.kind === 'follow'
        ? [e.kind === 'map' ? 0 : 3, e.client, e.clock, e.length, e.toClient, e.toClock]
        : [e.kind === 'format' ? 1 : 2, e.client, e.clock],
    ),
  );
}

/** Reads {@link encodeForwardEntries}' output; throws on anything else. */
export function decodeForwardEntries(text: string): ForwardEntry[] {
  const rows = JSON.parse(text) as unknown;
  if (!Array.isArray(rows)) throw new Error('Entrées de renvoi illisibles');
  return rows.map((row): ForwardEntry => {
    if (!Array.isArray(row) || !row.every((n) => Number.isSafeInteger(n) && (n as number) >= 0))
      throw new Error('Entrée de renvoi illisible');
    const [kind, client, clock, length, toClient, toClock] = row as number[];
    if ((kind === 0 || kind === 3) && row.length === 6)
      return {
        kind: kind === 0 ? 'map' : 'follow',
        client: client as number,
        clock: clock as number,
        length: length as number,
        toClient: toClient as number,
        toClock: toClock as number,
      };
    if ((kind === 1 || kind === 2) && row.length === 3)
      return { kind: kind === 1 ? 'format' : 'unformat', client: client as number, clock: clock as number };
    throw new Error('Entrée de renvoi illisible');
  });
}
