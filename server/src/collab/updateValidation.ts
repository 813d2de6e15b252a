import { schema } from '@essaim/editor';
import {
  FRAGMENT,
  isMetadataValueOfType,
  MAX_UPDATE_STRUCTS,
  META_MAP,
  metadataKeys,
  SECTION_MOVES_MAP,
  UpdateRefusal,
} from '@essaim/protocol';
import * as decoding from 'lib0/decoding';
import * as Y from 'yjs';

/**
 * Checking what a Yjs update writes before it is applied, stored or broadcast.
 *
 * Access control says who may write; this says what may be written. A writer's client can send any
 * bytes, and some that decode are poison: a zero-length struct makes every later encoding of the
 * document unloadable, other root types and huge values bloat what every reader downloads, nesting
 * without bound overflows the stack of whoever reads the document, an unknown node, attribute or
 * mark is deleted by every editor that renders it (y-prosemirror drops what the schema rejects, and
 * that deletion is itself a change sent to everybody). The rules below accept exactly what the
 * shared editor (packages/editor) writes, within bounds.
 *
 * Cost: proportional to the update (one pass over its structs, a binary search in the document's
 * struct store per reference), never to the document; a keystroke is a few microseconds
 * (bench/updateChecks.ts). An update holding more structs than an editor ever sends at once
 * ({@link MAX_UPDATE_STRUCTS}) is refused by {@link scanUpdate} before anything is decoded: reading
 * its headers costs microseconds, where decoding, checking and applying it would hold the event
 * loop, and every other person's keystrokes, for seconds (bench/hostileUpdate.ts).
 */

/*
 * `MAX_UPDATE_STRUCTS` (packages/protocol, shared with the editor's paste check): most structs
 * (items and garbage-collected ranges) one update may hold. What an editor sends at
 * once is a keystroke (one or two structs), a formatting change (a few), what was typed offline
 * (one struct per place typed in) or a paste: about twelve per paragraph of formatted text (100
 * pages: 6,200 structs in 0.62 MB, so the 2 MiB message limit stops such a paste near 20,000), six
 * per table cell (a 500-row table of 5 columns: 15,500). Above this, an update is not an editor's:
 * checking, applying, storing and relaying it costs the server 5 to 10 µs a struct (2 cores,
 * bench/hostileUpdate.ts), up to half a second at this bound, during which nobody's keystrokes
 * move; the tester's 180,000 structs held everybody for 5.3 s.
 */
export { MAX_UPDATE_STRUCTS };

/**
 * Most Yjs client ids one update may write under. An editor writes under its own id, and a
 * reconnecting one also under the ids of its earlier offline sessions (one per page load). The
 * server ties each new id to its writer with a row in SQLite (`document_clients`): thousands of
 * made-up ids in one update would cost as many writes, and rows.
 */
export const MAX_UPDATE_CLIENTS = 256;

/** Bounds {@link scanUpdate} applies: structs, and client ids written under, in one update. */
export interface UpdateBounds {
  structs: number;
  clients: number;
}

const EDITOR_BOUNDS: UpdateBounds = { structs: MAX_UPDATE_STRUCTS, clients: MAX_UPDATE_CLIENTS };

/** Deepest element nesting a document may reach (fragment = 0, a section = 1, its blocks = 2...). */
export const MAX_NESTING_DEPTH = 32;

/**
 * Yjs client ids are random unsigned 32-bit integers (`Doc.clientID`); clocks and lengths count
 * characters and structs of one client. Anything beyond these bounds is no editor's, and numbers
 * near 2^53 lose precision in the arithmetic Yjs does on them.
 */
const MAX_CLIENT_ID = 0xffffffff;
const MAX_CLOCK = 2 ** 40;

/** Largest JSON text of one `meta` entry or one attribute value, in UTF-16 code units. */
const MAX_VALUE_CHARS = 8 * 1024;

/**
 * The decision on an update. Accepted: `writers` lists the Yjs client ids under which it adds new
 * structs (the server ties each to the person who first wrote under it), `deletes` whether it
 * deletes anything, `deleteSet` what it deletes (the items its writer had: the forwardings of late
 * edits tell from it what the writer saw), `freedChars` how many characters of text it deletes (a
 * lower bound of what the document's encoding loses).
 */
export type UpdateVerdict =
  | {
      ok: true;
      writers: number[];
      deletes: boolean;
      deleteSet?: ReturnType<typeof Y.decodeUpdate>['ds'];
      freedChars: number;
    }
  | UpdateRejection;

/** Why an update is refused: the reason its writer is told, and a detail for the server's log. */
export interface UpdateRejection {
  ok: false;
  refusal: UpdateRefusal;
  detail: string;
}

const refuse = (refusal: UpdateRefusal, detail: string): UpdateRejection => ({ ok: false, refusal, detail });

class Refused extends Error {
  constructor(
    readonly refusal: UpdateRefusal,
    readonly detail: string,
  ) {
    super(detail);
  }
}
const invalid = (detail: string): never => {
  throw new Refused(UpdateRefusal.Invalid, detail);
};
const malformed = (detail: string): never => {
  throw new Refused(UpdateRefusal.Malformed, detail);
};

// ---------------------------------------------------------------------------------------------
// What the schema allows, computed once from packages/editor's schema.

/** Node names that may appear, anywhere, in the content of each node (its content expression's types). */
function childTypesOf(typeName: string): Set<string> {
  const type = schema.nodes[typeName];
  const names = new Set<string>();
  if (!type) return names;
  const seen = new Set<unknown>();
  const stack = [type.contentMatch];
  while (stack.length > 0) {
    const match = stack.pop();
    if (!match || seen.has(match)) continue;
    seen.add(match);
    for (let i = 0; i < match.edgeCount; i++) {
      const edge = match.edge(i);
      names.add(edge.type.name);
      stack.push(edge.next);
    }
  }
  return names;
}

const allowedChildren = new Map<string, Set<string>>(
  Object.keys(schema.nodes).map((name) => [name, childTypesOf(name)]),
);
const topLevelChildren = childTypesOf(schema.topNodeType.name);

type ValueRule = (value: unknown) => boolean;
const isString =
  (max: number): ValueRule =>
  (v) =>
    typeof v === 'string' && v.length <= max;
const orNull =
  (rule: ValueRule): ValueRule =>
  (v) =>
    v === null || rule(v);
const isInt =
  (min: number, max: number): ValueRule =>
  (v) =>
    typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;
const oneOf =
  (...values: unknown[]): ValueRule =>
  (v) =>
    values.includes(v);
/** Links: web, mail and phone addresses, or paths of this site. Never `javascript:` or `data:`. */
const isHref: ValueRule = (v) =>
  typeof v === 'string' && v.length <= 2048 && /^(https?:|mailto:|tel:|\/|#)/i.test(v.trim());
/** Images are uploads of this site, by content hash (server/src/services/fileService.ts). */
const isImageSource: ValueRule = (v) => typeof v === 'string' && /^\/api\/files\/[0-9a-f]{64}$/.test(v);
const isId = isString(128);

/** Cells span at most this many columns or rows: a table wider than that is not a fiche's. */
const MAX_SPAN = 100;
const cellAttributes: Record<string, ValueRule> = {
  colspan: isInt(1, MAX_SPAN),
  rowspan: isInt(1, MAX_SPAN),
  colwidth: (v) =>
    v === null ||
    (Array.isArray(v) && v.length <= MAX_SPAN && v.every((w) => w === null || isInt(0, 10_000)(w))),
  align: oneOf(null, 'left', 'center', 'right'),
};

/**
 * Attributes each node may carry, with the values editors write. y-prosemirror stores a node's
 * non-null attributes as the element's attributes; a name missing here is refused.
 */
const nodeAttributes: Record<string, Record<string, ValueRule>> = {
  section: { id: isId, key: orNull(isId) },
  heading: { level: isInt(1, 6) },
  codeBlock: { language: orNull(isString(64)) },
  orderedList: { start: isInt(-1_000_000, 1_000_000), type: orNull(isString(8)) },
  footnote: { text: isString(5_000) },
  docRef: { documentId: orNull(isId), title: isString(500) },
  image: {
    src: isImageSource,
    alt: orNull(isString(1_000)),
    title: orNull(isString(500)),
    width: orNull(isInt(1, 10_000)),
    height: orNull(isInt(1, 10_000)),
  },
  tableCell: cellAttributes,
  tableHeader: cellAttributes,
};

/** Attributes of each mark (stored as Yjs format attributes on text). */
const markAttributes: Record<string, Record<string, ValueRule>> = {
  link: {
    href: isHref,
    target: orNull(isString(32)),
    rel: orNull(isString(200)),
    class: orNull(isString(200)),
    title: orNull(isString(500)),
  },
};

for (const name of Object.keys(schema.nodes)) {
  const declared = Object.keys(schema.nodes[name]?.spec.attrs ?? {});
  const ruled = Object.keys(nodeAttributes[name] ?? {});
  const unruled = declared.filter((a) => !ruled.includes(a));
  // A schema change must come with its rule here, or every editor writing the new attribute
  // would be refused: fail at start, in tests, not in front of a user.
  if (unruled.length > 0) throw new Error(`updateValidation: no rule for ${name}.${unruled.join(', ')}`);
}

const metaKeys = new Set<string>(metadataKeys);

const jsonWithin = (value: unknown, max: number): boolean => {
  try {
    const text = JSON.stringify(value);
    return text !== undefined && text.length <= max;
  } catch {
    return false;
  }
};

// ---------------------------------------------------------------------------------------------
// Where each struct of an update goes.

/** What a struct is inserted into. `gc`: a parent already garbage-collected; Yjs discards it. */
type Parent = (
  | { kind: 'fragment'; depth: 0 }
  | { kind: 'meta' }
  | { kind: 'element'; nodeName: string; depth: number }
  | { kind: 'text'; depth: number }
  | { kind: 'gc' }
  /** The section move records: the server's only (packages/editor `copiedClocks.ts`). */
  | { kind: 'server' }
) & {
  /** Which shared type it is: the document's type, or the update's item that creates it. */
  node: object;
};

const ROOT_FRAGMENT = { root: FRAGMENT };
const ROOT_META = { root: META_MAP };
const GC_PARENT: Parent = { kind: 'gc', node: { gc: true } };
const FRAGMENT_PARENT: Parent = { kind: 'fragment', depth: 0, node: ROOT_FRAGMENT };
const META_PARENT: Parent = { kind: 'meta', node: ROOT_META };
const SERVER_PARENT: Parent = { kind: 'server', node: { root: SECTION_MOVES_MAP } };

/** A struct's parent and, for map entries and attributes, its key. */
interface Placement {
  parent: Parent;
  parentSub: string | null;
}

type Struct = Y.Item | Y.GC | Y.Skip;
type Decoded = { structs: Struct[]; ds: ReturnType<typeof Y.decodeUpdate>['ds'] };

/** The placement of an existing shared type, read from the live document. */
function placementOfType(doc: Y.Doc, type: unknown, cache: WeakMap<object, Parent>): Parent {
  if (typeof type !== 'object' || type === null) return GC_PARENT;
  const cached = cache.get(type);
  if (cached) return cached;
  let parent: Parent;
  if (type === doc.share.get(FRAGMENT)) parent = FRAGMENT_PARENT;
  else if (type === doc.share.get(META_MAP)) parent = META_PARENT;
  else if (type === doc.share.get(SECTION_MOVES_MAP)) parent = SERVER_PARENT;
  else if (type instanceof Y.XmlText || type instanceof Y.XmlElement) {
    const item = type._item;
    const above = item ? placementOfType(doc, item.parent, cache) : GC_PARENT;
    const depth = 'depth' in above ? above.depth + 1 : 1;
    parent =
      type instanceof Y.XmlText
        ? { kind: 'text', depth, node: type }
        : { kind: 'element', nodeName: type.nodeName, depth, node: type };
  } else parent = GC_PARENT;
  cache.set(type, parent);
  return parent;
}

const isIdInBounds = (id: Y.ID): boolean =>
  Number.isInteger(id.client) &&
  id.client >= 0 &&
  id.client <= MAX_CLIENT_ID &&
  Number.isInteger(id.clock) &&
  id.clock >= 0 &&
  id.clock < MAX_CLOCK;

/** Finds the struct of `structs` (sorted by clock) that holds `clock`, or undefined. */
function findStruct(structs: readonly Struct[], clock: number): Struct | undefined {
  let low = 0;
  let high = structs.length - 1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    const s = structs[mid] as Struct;
    if (clock < s.id.clock) high = mid - 1;
    else if (clock >= s.id.clock + s.length) low = mid + 1;
    else return s;
  }
  return undefined;
}

/** The shared type an item holds, as a parent for other structs. */
function typeAsParent(item: Y.Item, above: Parent): Parent {
  const content = item.content;
  if (content instanceof Y.ContentDeleted) return GC_PARENT;
  if (!(content instanceof Y.ContentType)) return invalid('parent that is not a shared type');
  const depth = 'depth' in above ? above.depth + 1 : 1;
  if (content.type instanceof Y.XmlText) return { kind: 'text', depth, node: item };
  if (content.type instanceof Y.XmlElement)
    return { kind: 'element', nodeName: content.type.nodeName, depth, node: item };
  return invalid('shared type that documents do not hold');
}

/** Resolves where each item of an update is inserted, against the update itself and the document. */
class Placements {
  private readonly resolved = new Map<Y.Item, Placement>();
  /** The placements of types the update creates, by the item that creates them (one identity each). */
  private readonly created = new Map<Y.Item, Parent>();
  private readonly typeCache = new WeakMap<object, Parent>();

  constructor(
    private readonly doc: Y.Doc,
    private readonly byClient: Map<number, Struct[]>,
  ) {}

  /**
   * The struct holding `id`: in the document when it has it (Yjs ignores the update's copy of
   * what it already has, whatever that copy says), else in this update, else `missing`.
   */
  private lookup(id: Y.ID): { struct: Struct; fromUpdate: boolean } | 'missing' {
    if (id.clock < Y.getState(this.doc.store, id.client)) {
      return { struct: Y.getItem(this.doc.store, id) as Struct, fromUpdate: false };
    }
    const own = this.byClient.get(id.client);
    const inUpdate = own ? findStruct(own, id.clock) : undefined;
    return inUpdate ? { struct: inUpdate, fromUpdate: true } : 'missing';
  }

  /** The type held by the struct with `id` (a parent given by id). */
  private parentFromId(id: Y.ID, pending: Set<Y.Item>): Parent | Y.Item {
    const found = this.lookup(id);
    if (found === 'missing') return invalid('parent the server does not have');
    const { struct, fromUpdate } = found;
    if (!(struct instanceof Y.Item)) return GC_PARENT;
    if (!fromUpdate) {
      if (struct.content instanceof Y.ContentType)
        return placementOfType(this.doc, struct.content.type, this.typeCache);
      if (struct.content instanceof Y.ContentDeleted) return GC_PARENT;
      return invalid('parent that is not a shared type');
    }
    // A parent id names the item's first clock; a type is one struct of length 1.
    if (struct.id.clock !== id.clock) return invalid('parent inside a run of content');
    const known = this.resolved.get(struct);
    if (known) {
      let parent = this.created.get(struct);
      if (!parent) this.created.set(struct, (parent = typeAsParent(struct, known.parent)));
      return parent;
    }
    if (pending.has(struct)) return invalid('items that contain each other');
    return struct;
  }

  /** The placement of whatever holds `id`: the place where an item with that neighbour goes. */
  at(id: Y.ID): Placement {
    const found = this.lookup(id);
    if (found === 'missing') return invalid('neighbour the server does not have');
    const { struct, fromUpdate } = found;
    if (!(struct instanceof Y.Item)) return { parent: GC_PARENT, parentSub: null };
    if (fromUpdate) return this.of(struct);
    return this.ofKnown(struct);
  }

  /** The placement of an item the document already has. */
  ofKnown(struct: Y.Item | Y.GC): Placement {
    if (!(struct instanceof Y.Item) || struct.parent === null) return { parent: GC_PARENT, parentSub: null };
    return { parent: placementOfType(this.doc, struct.parent, this.typeCache), parentSub: struct.parentSub };
  }

  /** The placement of a neighbour (origin or right origin), which the item shares. */
  private placementFromNeighbour(id: Y.ID, pending: Set<Y.Item>): Placement | Y.Item {
    const found = this.lookup(id);
    if (found === 'missing') return invalid('neighbour the server does not have');
    const { struct, fromUpdate } = found;
    if (!fromUpdate || !(struct instanceof Y.Item)) return this.at(id);
    const known = this.resolved.get(struct);
    if (known) return known;
    if (pending.has(struct)) return invalid('items that follow each other in a loop');
    return struct;
  }

  /** Where `item` goes. Iterative: a long run of typed characters chains thousands of origins. */
  of(item: Y.Item): Placement {
    const known = this.resolved.get(item);
    if (known) return known;
    const stack: Y.Item[] = [item];
    const pending = new Set<Y.Item>(stack);
    while (stack.length > 0) {
      const current = stack[stack.length - 1] as Y.Item;
      let result: Placement | Y.Item;
      if (typeof current.parent === 'string') {
        const parent: Parent =
          current.parent === FRAGMENT
            ? FRAGMENT_PARENT
            : current.parent === META_MAP
              ? META_PARENT
              : invalid(`root type « ${current.parent} »`);
        result = { parent, parentSub: current.parentSub };
      } else if (current.parent !== null) {
        const parent = this.parentFromId(current.parent as unknown as Y.ID, pending);
        result = parent instanceof Y.Item ? parent : { parent, parentSub: current.parentSub };
      } else {
        const neighbour = current.origin ?? current.rightOrigin;
        if (!neighbour) return malformed('item without parent nor neighbour');
        result = this.placementFromNeighbour(neighbour, pending);
      }
      if (result instanceof Y.Item) {
        stack.push(result);
        pending.add(result);
        continue;
      }
      this.resolved.set(current, result);
      stack.pop();
      pending.delete(current);
    }
    return this.resolved.get(item) as Placement;
  }
}

// ---------------------------------------------------------------------------------------------
// The rules.

function checkContent(item: Y.Item, { parent, parentSub }: Placement): void {
  const content = item.content;
  // Written after one of its entries (a new value for the same key), a forged record would make
  // editors take keystrokes on their way for copied ones, or the other way round.
  if (parent.kind === 'server') return invalid('section move record written by a client');
  if (parent.kind === 'gc' || content instanceof Y.ContentDeleted) return;
  if (parent.kind === 'meta') {
    if (parentSub === null || !metaKeys.has(parentSub)) return invalid(`métadonnée « ${parentSub} »`);
    if (!(content instanceof Y.ContentAny) || content.arr.length !== 1)
      return invalid('metadata value of another kind than JSON');
    if (!jsonWithin(content.arr[0], MAX_VALUE_CHARS)) return invalid('metadata value too large');
    // The catalogue reads the field with the type the editor writes: a value of another type
    // would leave the document and the catalogue disagreeing (packages/protocol/src/metadata.ts).
    if (!isMetadataValueOfType(parentSub, content.arr[0]))
      return invalid(`métadonnée « ${parentSub} » d’un autre type que le sien`);
    return;
  }
  if (parent.kind === 'text') {
    if (parentSub !== null) return invalid('attribute on text');
    if (content instanceof Y.ContentString) return;
    if (content instanceof Y.ContentFormat) return checkFormat(content);
    return invalid('text content that editors never write');
  }
  const nodeName = parent.kind === 'element' ? parent.nodeName : schema.topNodeType.name;
  if (parentSub !== null) {
    if (parent.kind === 'fragment') return invalid('attribute on the document');
    const rule = nodeAttributes[nodeName]?.[parentSub];
    if (!rule) return invalid(`attribute « ${parentSub} » on « ${nodeName} »`);
    // A section's template key is its identity for the required-section guard and reviews: set
    // when the section is made, never changed afterwards (no editor does).
    if (nodeName === 'section' && parentSub === 'key' && parent.node instanceof Y.XmlElement)
      return invalid('key of an existing section changed');
    if (!(content instanceof Y.ContentAny) || content.arr.length !== 1)
      return invalid('attribute value of another kind than JSON');
    if (!jsonWithin(content.arr[0], MAX_VALUE_CHARS) || !rule(content.arr[0]))
      return invalid(`value of « ${nodeName}.${parentSub} »`);
    return;
  }
  if (!(content instanceof Y.ContentType)) return invalid(`content of « ${nodeName} »`);
  const depth = parent.depth + 1;
  if (depth > MAX_NESTING_DEPTH) return invalid(`nesting deeper than ${MAX_NESTING_DEPTH}`);
  const allowed = parent.kind === 'fragment' ? topLevelChildren : allowedChildren.get(nodeName);
  if (content.type instanceof Y.XmlText) {
    if (!allowed?.has('text')) return invalid(`text directly in « ${nodeName} »`);
    return;
  }
  if (!(content.type instanceof Y.XmlElement)) return invalid('shared type that documents do not hold');
  const child = content.type.nodeName;
  if (!schema.nodes[child] || child === 'text') return invalid(`node « ${child} »`);
  if (!allowed?.has(child)) return invalid(`« ${child} » inside « ${nodeName} »`);
  // A section opens with its one title: y-prosemirror writes the title first (no left neighbour)
  // and every later block after something. Anything else placed first, or a second title, is not
  // an editor's doing.
  if (nodeName === 'section' && (child === 'sectionTitle') !== (item.origin === null))
    return invalid(child === 'sectionTitle' ? 'second section title' : `« ${child} » before a section title`);
}

function checkFormat(format: Y.ContentFormat): void {
  // y-prosemirror names a format after its mark, with `--<hash>` for marks that may overlap.
  const markName = format.key.split('--')[0] ?? '';
  if (!schema.marks[markName]) return invalid(`mark « ${format.key} »`);
  const value: unknown = format.value;
  if (value === null) return;
  if (typeof value !== 'object' || Array.isArray(value)) return invalid(`value of mark « ${markName} »`);
  const rules = markAttributes[markName] ?? {};
  for (const [name, attr] of Object.entries(value as Record<string, unknown>)) {
    const rule = rules[name];
    if (!rule || !rule(attr) || !jsonWithin(attr, MAX_VALUE_CHARS))
      return invalid(`attribute « ${name} » of mark « ${markName} »`);
  }
}

/** The live items of the document that a delete set removes (items it already lost are skipped). */
function* deletedItems(doc: Y.Doc, ds: Decoded['ds']): Generator<Y.Item> {
  for (const [client, ranges] of ds.clients) {
    const structs = doc.store.clients.get(client);
    if (!structs) continue;
    const state = Y.getState(doc.store, client);
    for (const { clock, len } of ranges) {
      if (clock >= state) continue;
      for (let i = Y.findIndexSS(structs, clock); i < structs.length; i++) {
        const struct = structs[i];
        if (!struct || struct.id.clock >= clock + len) break;
        if (struct instanceof Y.Item && !struct.deleted) yield struct;
      }
    }
  }
}

/**
 * Deleting a section's title without the section is refused, unless the same update gives it a new
 * one: no editor does it (a title goes with its section), and every editor would render a section
 * without its title by deleting it, with everybody's text in it. Deleting a section's last block is
 * accepted: two people deleting one block each at the same moment do it honestly. The server then
 * gives the section an empty paragraph (`EmptyTextblocksExtension`), and the patched editor shows
 * it filled meanwhile instead of deleting it (patches/).
 */
function checkSectionTitles(doc: Y.Doc, ds: Decoded['ds'], inserted: Map<object, string[]>): void {
  const deletedTitles = new Map<Y.XmlElement, number>();
  for (const item of deletedItems(doc, ds)) {
    if (!(item.content instanceof Y.ContentType) || !(item.content.type instanceof Y.XmlElement)) continue;
    if (item.content.type.nodeName !== 'sectionTitle') continue;
    const section = item.parent;
    if (!(section instanceof Y.XmlElement) || section.nodeName !== 'section') continue;
    const sectionItem = section._item;
    if (!sectionItem || sectionItem.deleted || Y.isDeleted(ds, sectionItem.id)) continue;
    deletedTitles.set(section, (deletedTitles.get(section) ?? 0) + 1);
    if (!(inserted.get(section) ?? []).includes('sectionTitle'))
      return invalid('section title deleted without its section');
  }
  // One title per section: a second one (placed anywhere by Yjs) is no editor's doing.
  for (const [node, names] of inserted) {
    const added = names.filter((n) => n === 'sectionTitle').length;
    if (added === 0) continue;
    const existing =
      node instanceof Y.XmlElement
        ? node.toArray().filter((c) => c instanceof Y.XmlElement && c.nodeName === 'sectionTitle').length -
          (deletedTitles.get(node) ?? 0)
        : 0;
    if (existing + added > 1) return invalid('second section title');
  }
}

/**
 * Deleting a section move record is refused: only the server writes them, and replaces them
 * itself (packages/editor `copiedClocks.ts`). No editor touches them.
 */
function checkServerOnly(doc: Y.Doc, ds: Decoded['ds']): void {
  const records = doc.share.get(SECTION_MOVES_MAP);
  if (!records) return;
  for (const item of deletedItems(doc, ds))
    if (item.parent === records) return invalid('section move record deleted by a client');
}

// ---------------------------------------------------------------------------------------------
// Reading an update's outline without decoding it.

/** The outline of an update that {@link scanUpdate} read through. */
export interface UpdateOutline {
  /** Structs it holds (items, garbage-collected ranges and skips), over every client. */
  structs: number;
  /** Deleted ranges of its delete set. */
  deleteRanges: number;
}

/** A cursor over the bytes of an update; every read checks the end of the bytes. */
class ByteReader {
  pos = 0;
  constructor(readonly bytes: Uint8Array) {}

  /** A lib0 variable-length unsigned integer (at most 2^53). */
  uint(): number {
    let value = 0;
    let factor = 1;
    const { bytes } = this;
    while (this.pos < bytes.length) {
      const byte = bytes[this.pos++] as number;
      value += (byte & 0x7f) * factor;
      if (byte < 0x80) return value;
      factor *= 128;
      if (value > Number.MAX_SAFE_INTEGER) return malformed('integer out of range');
    }
    return malformed('update cut short');
  }

  /** Skips an id (client, clock). */
  skipId(): void {
    this.uint();
    this.uint();
  }

  byte(): number {
    if (this.pos >= this.bytes.length) return malformed('update cut short');
    return this.bytes[this.pos++] as number;
  }

  /** Skips a length-prefixed byte string (Yjs strings, keys, JSON texts and buffers). */
  skipBytes(): void {
    const length = this.uint();
    if (length > this.bytes.length - this.pos) return malformed('update cut short');
    this.pos += length;
  }

  /** Skips one lib0 `Any` value (attribute and metadata values), decoding it. */
  skipAny(): void {
    const decoder = decoding.createDecoder(this.bytes);
    decoder.pos = this.pos;
    try {
      decoding.readAny(decoder);
    } catch {
      return malformed('unreadable value');
    }
    if (decoder.pos > this.bytes.length) return malformed('update cut short');
    this.pos = decoder.pos;
  }
}

/** Type references of Yjs's encoding that carry a name (XmlElement's node name, XmlHook's). */
const NAMED_TYPE_REFS = new Set([3, 5]);
/** Type references of the shared types Yjs knows (Array, Map, Text, XmlElement, XmlFragment, XmlHook, XmlText). */
const MAX_TYPE_REF = 6;

/** Skips the content of an item whose info byte is `info` (Yjs's `readItemContent`, encoding v1). */
function skipContent(reader: ByteReader, info: number): void {
  switch (info & 0x1f) {
    case 1: // deleted: its length
      reader.uint();
      return;
    case 2: // JSON: a count, then that many JSON texts
    case 8: {
      // Any: a count, then that many values
      const count = reader.uint();
      for (let i = 0; i < count; i++) {
        if ((info & 0x1f) === 2) reader.skipBytes();
        else reader.skipAny();
      }
      return;
    }
    case 3: // binary
    case 4: // string
    case 5: // embed (JSON text)
      reader.skipBytes();
      return;
    case 6: // format: key, then JSON text
      reader.skipBytes();
      reader.skipBytes();
      return;
    case 7: {
      // shared type: its reference, and a name for XML elements and hooks
      const ref = reader.uint();
      if (ref > MAX_TYPE_REF) return malformed('unknown shared type');
      if (NAMED_TYPE_REFS.has(ref)) reader.skipBytes();
      return;
    }
    case 9: // subdocument: guid, then options
      reader.skipBytes();
      reader.skipAny();
      return;
    default:
      return malformed('unknown content');
  }
}

/**
 * Reads the outline of `update` (Yjs update encoding v1) without building any struct: how many
 * structs and deleted ranges it holds. Refuses (`invalid-update`), as soon as its headers say so,
 * an update writing under more than `bounds.clients` client ids or holding more than
 * `bounds.structs` structs: more than an editor sends at once ({@link MAX_UPDATE_STRUCTS},
 * {@link MAX_UPDATE_CLIENTS}). Refuses as `malformed-update` bytes that end before the outline
 * does, or hold a content kind or shared type Yjs does not know.
 * Cost: a few tens of nanoseconds per struct, no allocation except for `Any` values (attribute and
 * metadata values); a first client announcing too many structs is refused after three numbers.
 * Format: yjs `readClientsStructRefs` and `readDeleteSet` (UpdateDecoderV1).
 */
export function scanUpdate(
  update: Uint8Array,
  bounds: UpdateBounds = EDITOR_BOUNDS,
): ({ ok: true } & UpdateOutline) | UpdateRejection {
  const reader = new ByteReader(update);
  try {
    let structs = 0;
    const clients = reader.uint();
    if (clients > bounds.clients)
      return refuse(UpdateRefusal.UpdateTooLarge, `more than ${bounds.clients} client ids in one update`);
    for (let c = 0; c < clients; c++) {
      const count = reader.uint();
      structs += count;
      if (structs > bounds.structs)
        return refuse(UpdateRefusal.UpdateTooLarge, `more than ${bounds.structs} structs in one update`);
      reader.uint(); // client
      reader.uint(); // clock of its first struct
      for (let i = 0; i < count; i++) {
        const info = reader.byte();
        const kind = info & 0x1f;
        if (kind === 0 || kind === 10) {
          reader.uint(); // length of a GC range or a skip
          continue;
        }
        if (info & 0x80) reader.skipId(); // origin
        if (info & 0x40) reader.skipId(); // right origin
        if ((info & 0xc0) === 0) {
          // Parent: a root type's name or an item's id; then, maybe, a map key.
          if (reader.uint() === 1) reader.skipBytes();
          else reader.skipId();
          if (info & 0x20) reader.skipBytes();
        }
        skipContent(reader, info);
      }
    }
    let deleteRanges = 0;
    const deleteClients = reader.uint();
    for (let c = 0; c < deleteClients; c++) {
      reader.uint(); // client
      const ranges = reader.uint();
      for (let i = 0; i < ranges; i++) reader.skipId(); // clock and length: two numbers as well
      deleteRanges += ranges;
    }
    return { ok: true, structs, deleteRanges };
  } catch (error) {
    if (error instanceof Refused) return refuse(error.refusal, error.detail);
    return refuse(UpdateRefusal.Malformed, 'unreadable update');
  }
}

/**
 * Decides whether `update` (Yjs update encoding v1) may be applied to `doc`. Pure: reads the
 * document, changes nothing.
 *
 * Refused as `malformed-update`: bytes that do not decode, a struct or deletion of length zero,
 * a struct with neither parent nor neighbour. Refused as `invalid-update`: a struct the server
 * cannot place (a gap in a client's clock, a parent or neighbour it does not have: Yjs would hold
 * it back as pending and carry it into every later encoding), a `Skip`, another root type than
 * `default` and `meta`, a shared type, node, attribute, mark or value that the shared editor never
 * writes, nesting deeper than {@link MAX_NESTING_DEPTH}, or a write or deletion in the section move
 * records (`sectionMoves`: the server's only). Structs the document already has are not checked
 * again (Yjs ignores them).
 */
export function validateUpdate(doc: Y.Doc, update: Uint8Array): UpdateVerdict {
  const outline = scanUpdate(update);
  if (!outline.ok) return outline;
  let decoded: Decoded;
  try {
    decoded = Y.decodeUpdate(update) as Decoded;
  } catch {
    return refuse(UpdateRefusal.Malformed, 'not a Yjs update');
  }
  try {
    const byClient = new Map<number, Struct[]>();
    for (const struct of decoded.structs) {
      if (!(struct.length >= 1)) return refuse(UpdateRefusal.Malformed, 'struct of length zero');
      if (!isIdInBounds(struct.id) || struct.id.clock + struct.length > MAX_CLOCK)
        return refuse(UpdateRefusal.Malformed, 'client id or clock out of bounds');
      if (struct instanceof Y.Skip) return refuse(UpdateRefusal.Invalid, 'gap in an update');
      const list = byClient.get(struct.id.client);
      if (list) {
        const last = list[list.length - 1] as Struct;
        if (struct.id.clock !== last.id.clock + last.length)
          return refuse(UpdateRefusal.Malformed, 'structs out of order');
        list.push(struct);
      } else {
        if (struct.id.clock > Y.getState(doc.store, struct.id.client))
          return refuse(UpdateRefusal.Invalid, 'gap in a client’s clock');
        byClient.set(struct.id.client, [struct]);
      }
    }
    const placements = new Placements(doc, byClient);
    /** Element names each parent receives from this update (by the parent's identity). */
    const inserted = new Map<object, string[]>();
    /** Whether the struct holding `id` is in this update or in the document. */
    const exists = (id: Y.ID): boolean => {
      if (!isIdInBounds(id)) return false;
      const own = byClient.get(id.client);
      return (
        (own !== undefined && findStruct(own, id.clock) !== undefined) ||
        id.clock < Y.getState(doc.store, id.client)
      );
    };
    for (const [client, structs] of byClient) {
      const known = Y.getState(doc.store, client);
      for (const struct of structs) {
        if (struct.id.clock + struct.length <= known || !(struct instanceof Y.Item)) continue;
        // Yjs holds back, as pending, an item any of whose references it lacks, and carries it
        // into every later encoding of the document: each reference must be there.
        for (const ref of [struct.origin, struct.rightOrigin, struct.parent])
          if (ref !== null && typeof ref === 'object' && !exists(ref as Y.ID))
            return refuse(UpdateRefusal.Invalid, 'reference to content the server does not have');
        const placement = placements.of(struct);
        // Part of this struct is already known: Yjs links the rest after the client's previous
        // item but inserts it into the parent its own references name. Both must be one list.
        if (struct.id.clock < known) {
          const previous = placements.ofKnown(Y.getItem(doc.store, Y.createID(client, known - 1)));
          if (
            previous.parent.kind === 'gc' ||
            placement.parent.kind === 'gc' ||
            previous.parent.node !== placement.parent.node ||
            previous.parentSub !== placement.parentSub
          )
            return refuse(UpdateRefusal.Invalid, 'overlap continued in another place');
        }
        // Yjs takes the parent from the left neighbour and links the item before the right one,
        // without checking they share a list: neighbours in two places corrupt both lists.
        if (struct.origin && struct.rightOrigin) {
          const right = placements.at(struct.rightOrigin);
          if (
            placement.parent.kind !== 'gc' &&
            right.parent.kind !== 'gc' &&
            (right.parent.node !== placement.parent.node || right.parentSub !== placement.parentSub)
          )
            return refuse(UpdateRefusal.Invalid, 'neighbours in two different places');
        }
        checkContent(struct, placement);
        if (struct.content instanceof Y.ContentType && struct.content.type instanceof Y.XmlElement) {
          const names = inserted.get(placement.parent.node) ?? [];
          names.push(struct.content.type.nodeName);
          inserted.set(placement.parent.node, names);
        }
      }
    }
    for (const [client, ranges] of decoded.ds.clients) {
      const own = byClient.get(client);
      const last = own?.[own.length - 1];
      const end = Math.max(Y.getState(doc.store, client), last ? last.id.clock + last.length : 0);
      if (!(client >= 0 && client <= MAX_CLIENT_ID))
        return refuse(UpdateRefusal.Malformed, 'client id out of bounds');
      for (const { clock, len } of ranges) {
        if (!(len >= 1)) return refuse(UpdateRefusal.Malformed, 'deletion of length zero');
        if (clock + len > end)
          return refuse(UpdateRefusal.Invalid, 'deletion of content the server does not have');
      }
    }
    checkSectionTitles(doc, decoded.ds, inserted);
    checkServerOnly(doc, decoded.ds);
    const writers = [...byClient]
      .filter(([client, structs]) => {
        const last = structs[structs.length - 1] as Struct;
        return last.id.clock + last.length > Y.getState(doc.store, client);
      })
      .map(([client]) => client);
    let freedChars = 0;
    for (const item of deletedItems(doc, decoded.ds))
      if (item.content instanceof Y.ContentString) freedChars += item.content.str.length;
    const deletes = decoded.ds.clients.size > 0;
    return { ok: true, writers, deletes, ...(deletes ? { deleteSet: decoded.ds } : {}), freedChars };
  } catch (error) {
    if (error instanceof Refused) return refuse(error.refusal, error.detail);
    return refuse(UpdateRefusal.Malformed, error instanceof Error ? error.message : 'unreadable update');
  }
}

/**
 * The Yjs client ids of the content `update` needs and `doc` does not have (nor the update itself):
 * a client whose structs in the update start past what the document holds of it (a gap in its
 * clock), the client of an origin, right origin or parent the update names and nobody has, and a
 * client whose deletions reach past what is known of it. Empty when nothing is missing; null when
 * the update does not decode, holds a `Skip`, or a client's structs are not one run.
 *
 * Used when {@link validateUpdate} refuses an update as `invalid-update`: a writer whose earlier
 * updates the server never received (lost in a restart: sent, never stored) sends new ones that
 * build on them, and Yjs peers then ask for what they lack (a SyncStep1) instead of refusing.
 * Only the missing clients' owners may be asked so (`MessageGuardExtension`).
 */
export function missingClients(doc: Y.Doc, update: Uint8Array): Set<number> | null {
  let decoded: Decoded;
  try {
    decoded = Y.decodeUpdate(update) as Decoded;
  } catch {
    return null;
  }
  /** The clocks of each client's structs in the update: `[first, end)`. */
  const runs = new Map<number, { first: number; end: number }>();
  for (const struct of decoded.structs) {
    if (struct instanceof Y.Skip || !(struct.length >= 1)) return null;
    const { client, clock } = struct.id;
    const run = runs.get(client);
    if (!run) runs.set(client, { first: clock, end: clock + struct.length });
    else if (clock !== run.end) return null;
    else run.end = clock + struct.length;
  }
  const state = (client: number): number => Y.getState(doc.store, client);
  const has = (id: Y.ID): boolean => {
    if (id.clock < state(id.client)) return true;
    const run = runs.get(id.client);
    return run !== undefined && id.clock >= run.first && id.clock < run.end;
  };
  const missing = new Set<number>();
  for (const [client, run] of runs) if (run.first > state(client)) missing.add(client);
  for (const struct of decoded.structs) {
    if (!(struct instanceof Y.Item)) continue;
    for (const ref of [struct.origin, struct.rightOrigin, struct.parent]) {
      if (ref === null || typeof ref !== 'object' || !('client' in ref) || !('clock' in ref)) continue;
      const id = ref as Y.ID;
      if (!has(id)) missing.add(id.client);
    }
  }
  for (const [client, ranges] of decoded.ds.clients) {
    const end = Math.max(state(client), runs.get(client)?.end ?? 0);
    if (ranges.some(({ clock, len }) => clock + len > end)) missing.add(client);
  }
  return missing;
}
