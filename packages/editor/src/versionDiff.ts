import { categoryLabels, defaultThemes, structureTypeLabels } from '@essaim/domain';
import { FRAGMENT, META_MAP, metadataKeys, readMetadata, type DocumentMetadata } from '@essaim/protocol';
import { diffArrays, wordsWithSpaceDiff } from 'diff';
import * as Y from 'yjs';
import { schema } from './extensions.js';

/**
 * Comparing two versions of one document (issue 11, « comparer »): section by section, word by
 * word, each inserted or deleted run attributed to its author, plus the metadata fields that
 * changed. Pure: both Y.Docs are only read (no transaction, no write), so a live document can be
 * compared too. The result maps 1:1 onto `SectionDiffDto`, `MetadataChangeDto` and
 * `DocumentDiffDto.authors` of `@essaim/protocol` (versions.ts), author ids becoming
 * `{ id, name }` on the server.
 *
 * How a section is compared:
 * - Its text is its title (first line) then one line per textblock (paragraph, heading, list
 *   item paragraph, table cell paragraph, code block), in document order, joined with `\n`. A
 *   changed title is thus a change of the first line, shown and counted like any other. Inline
 *   atoms read as the editor's plain text: a footnote ` [note : …]`, a link to a document its
 *   title, a line break `\n`; an image is a line `[image : alt]` (or `[image]`). Formatting
 *   (bold, links…), block types (a paragraph made a list item) and horizontal rules are not
 *   compared; the lines that are in lists are told, so that the view can draw them as lists
 *   ({@link SectionDiff.lists}).
 * - The Yjs id of each character is kept as runs (one entry per Yjs item read, in typed arrays:
 *   its first character's offset, client and clock), never one entry per character. A section
 *   whose text is the same on both sides is `unchanged` without further work.
 * - Lines are aligned first (jsdiff's Myers diff on whole lines), so the word diff only runs on
 *   changed lines. Within a run of changed lines, the stretches of characters that are the same
 *   Yjs items on both sides (cut back to word boundaries) are equal at once; only what lies
 *   between them is cut into jsdiff's `diffWordsWithSpace` tokens (each word, run of spaces, line
 *   break or other character), cut apart where string items meet an atom read as text. Tokens
 *   made of the very same Yjs items in both versions are equal and anchor the alignment; the gaps
 *   between them are aligned with jsdiff's Myers diff (`diffArrays`) by text, a token of an atom
 *   matching only a token of an atom (else the space of a footnote could stand for a space typed
 *   next to it, which then showed as unchanged while the footnote's own space showed as inserted
 *   by whoever made the footnote). So an inserted « le » or space is never mistaken for the one
 *   already there (which would attribute the insertion to whoever typed the old one), a
 *   paragraph split shows as an inserted line break, and text copied with new Yjs items (a moved
 *   section, a restore) still matches by text. Lines match the same way: equal text, and a line
 *   whose block is the same Yjs item on both sides matches only that block.
 * - Inside each run the word diff marks as changed, characters whose Yjs id is in both versions
 *   are equal: they were neither inserted nor deleted. « chat » → « chats » is then « chat »
 *   equal and « s » inserted by whoever typed it, not « chat » deleted by nobody. The rest is
 *   inserted (characters of `to`) or deleted (characters of `from`), split where the author
 *   changes. A line break is attributed through the Yjs item of the block that starts after it
 *   (whoever made or removed the paragraph).
 *
 * Who a change is attributed to, in both directions (`from` may be newer than `to`: going back):
 * - text the other side has never had (its Yjs id is past the other side's state vector) was
 *   written in between: its author is who wrote it (`insertedBy`). Comparing forwards these are
 *   the insertions; comparing backwards, the deletions (going back undoes that writing);
 * - text the other side had and deleted was deleted in between: its author is who deleted it
 *   (`deletedBy`, from the update log). Comparing forwards these are the deletions; comparing
 *   backwards, the insertions (going back brings that text back). When the log does not say who
 *   deleted it (a change the server made for nobody, such as a forwarding that moved a person's
 *   late keystrokes), it is attributed to who wrote it;
 * - the author is null (« Auteur inconnu ») only when neither is known: text written under a Yjs
 *   client id nobody owns.
 *
 * Sections are matched by their stable id (`attrs.id`, with sectionsOf's `~n` suffix for a
 * duplicated one); top-level blocks outside any section (documents older than sections) are not
 * compared. A section moved with its text unchanged is `unchanged`, at its new place.
 */

/** An answer of {@link DiffAttribution}: an author, and how many consecutive ids it covers. */
export interface AuthorSpan {
  /** Author key (a user id), or null when unknown. */
  author: string | null;
  /** How many ids, from the one asked on (same client, following clocks), share `author`: 1 to the length asked. */
  length: number;
}

/**
 * Who wrote and who deleted what, as the server's update log knows it. Asked about spans of
 * consecutive Yjs ids of one client (`clock` to `clock + length - 1`), once per span that
 * changed, never about equal text; each answer covers the first ids of the span.
 */
export interface DiffAttribution {
  /** Who wrote these characters (the person who owns the Yjs client id), or null. */
  insertedBy(client: number, clock: number, length: number): AuthorSpan;
  /** Who deleted these characters, or null when the log does not say. */
  deletedBy(client: number, clock: number, length: number): AuthorSpan;
}

/** A run of a compared section's text; see `DiffPartDto` (author is a user id here). */
export interface DiffPart {
  kind: 'equal' | 'insert' | 'delete';
  text: string;
  /** Who made the change (see {@link diffDocuments} for the rule); null for `equal` or when unknown. */
  author: string | null;
}

/** One list a line is in: a level of a (possibly nested) bullet or ordered list. */
export interface DiffListLevel {
  ordered: boolean;
  /** The number of the line's list item: for an ordered list, its `start` plus the item's index; for a bullet list, 1, 2, 3… */
  number: number;
  /** The line is the first textblock of that list item (a later one continues the same item). */
  first: boolean;
}

/** A line of a compared section that is in a list. */
export interface DiffListLine {
  /** Index of the line in its side's text: 0 is the title line, 1 the first block… */
  line: number;
  /** The lists the line is in, outermost first. */
  lists: DiffListLevel[];
}

/** One compared section; see `SectionDiffDto`. */
export interface SectionDiff {
  /** The section's stable id. */
  id: string;
  /** Template key, or null for a section a rapporteur added. */
  key: string | null;
  /** Title in `to` (in `from` for a removed section), trimmed. */
  title: string;
  status: 'changed' | 'added' | 'removed' | 'unchanged';
  /** Number of `insert` and `delete` parts. */
  changes: number;
  /**
   * The title line, then one line per block, separated by `\n`: equal + delete parts concatenate
   * to the text in `from`, equal + insert parts to the text in `to`. Adjacent parts never share
   * kind and author. Empty for an empty text.
   */
  parts: DiffPart[];
  /**
   * The lines of each side that are in lists (line numbers count the `\n` of equal + delete parts
   * for `from`, of equal + insert parts for `to`). Absent when neither side has a list, so that
   * list-free answers stay as they were.
   */
  lists?: { from: DiffListLine[]; to: DiffListLine[] };
}

/** A metadata field that differs; see `MetadataChangeDto`. */
export interface MetadataChange {
  field: keyof DocumentMetadata;
  /** French label of the field, as the metadata panel words it. */
  label: string;
  /** Display string of the value in `from` (« Non précisé » / « Aucun » when empty). */
  from: string;
  to: string;
}

/** What {@link diffDocuments} returns. */
export interface DocumentDiff {
  /** Changed, added and removed sections first (in `to`'s order, removed ones where they were), then unchanged ones. */
  sections: SectionDiff[];
  /** Changed fields, in the order of `metadataKeys`. */
  metadata: MetadataChange[];
  /** Every author of an insert or delete part, once, in order of first appearance in `sections`. */
  authors: string[];
}

/** Options of {@link diffDocuments}. */
export interface DiffOptions {
  /** Label of a theme id. Default: the default themes' labels, else the id. */
  themeLabel?: (id: string) => string;
  /** Name of a territory (`dep:07`, `reg:84`, `national`). Default: « National », « Département 07 », « Région 84 ». */
  territoireLabel?: (code: string) => string;
  /** Token comparisons the alignment may spend; default {@link WORD_DIFF_BUDGET} (tests lower it). */
  wordDiffBudget?: number;
}

/** French label of each metadata field, the same words as the client's metadata panel. */
export const METADATA_LABELS: Record<keyof DocumentMetadata, string> = {
  title: 'Titre',
  themes: 'Thèmes',
  categorie: 'Catégorie de la pratique',
  territoire: 'Territoire',
  structure: 'Structure porteuse',
  structureType: 'Type de structure',
  public: 'Public concerné',
  anneeDemarrage: 'Année de démarrage',
  contact: 'Contact',
  motsCles: 'Mots-clés',
};

const NOT_SET = 'Non précisé';
const NONE = 'Aucun';

/**
 * Compares two states of the same document (`from` and `to`, in the direction asked: `to` may be
 * the older one; both full Y.Docs, garbage collected or not) without writing to either.
 * `attribution` is asked once per changed span of consecutive Yjs ids (see {@link AuthorSpan}),
 * never about equal text; who a change is attributed to is told at the top of this module.
 * `options` turn theme ids and territory codes into names for the metadata changes.
 *
 * Cost: linear in the number of Yjs items read (not characters) and in the length of the
 * sections that changed, plus Myers's O((n + m)·d) for the lines of each changed section and the
 * tokens between the unchanged ends of each changed range (d = units changed). Their sum is
 * bounded by {@link WORD_DIFF_BUDGET}: past it (a document rewritten throughout), the remaining
 * changed ranges are compared by Yjs id only, characters kept equal and the rest deleted then
 * inserted, which is exact about who changed what but not aligned word by word. Measured in
 * docs/PERFORMANCE.md (i).
 */
export function diffDocuments(
  from: Y.Doc,
  to: Y.Doc,
  attribution: DiffAttribution,
  options: DiffOptions = {},
): DocumentDiff {
  const before = readSections(from);
  const after = readSections(to);
  const beforeById = new Map(before.map((s) => [s.id, s]));
  const afterIds = new Set(after.map((s) => s.id));
  const authors = new Attributor(attribution, from, to);
  const budget: Budget = { left: options.wordDiffBudget ?? WORD_DIFF_BUDGET };

  // Removed sections go right after the section that preceded them in `from` and is still there.
  const removedAfter = new Map<string | null, SectionText[]>();
  let anchor: string | null = null;
  for (const s of before) {
    if (afterIds.has(s.id)) anchor = s.id;
    else removedAfter.set(anchor, [...(removedAfter.get(anchor) ?? []), s]);
  }

  const all: SectionDiff[] = [];
  for (const s of removedAfter.get(null) ?? []) all.push(removedSection(s, authors));
  for (const s of after) {
    const old = beforeById.get(s.id);
    all.push(old ? comparedSection(old, s, authors, budget) : addedSection(s, authors));
    for (const r of removedAfter.get(s.id) ?? []) all.push(removedSection(r, authors));
  }
  const sections = [
    ...all.filter((s) => s.status !== 'unchanged'),
    ...all.filter((s) => s.status === 'unchanged'),
  ];

  const seen = new Set<string>();
  for (const s of sections)
    for (const p of s.parts) if (p.author !== null && !seen.has(p.author)) seen.add(p.author);

  return { sections, metadata: metadataChanges(from, to, options), authors: [...seen] };
}

// ---------------------------------------------------------------------------------------------
// Reading a section's text with the Yjs ids of its characters, as runs, without writing.

/** Deeper elements are left out, as read.ts does. */
const MAX_DEPTH = 64;

/**
 * Growable columns of numbers, one row per run of characters: where it starts in the text, the
 * Yjs id of its first character, and whether each following character has the next clock (the
 * characters of a string item) or the same one (an atom read as several characters).
 */
class Runs {
  start = new Int32Array(64);
  client = new Float64Array(64);
  clock = new Float64Array(64);
  step = new Uint8Array(64);
  count = 0;

  push(start: number, client: number, clock: number, step: boolean): void {
    if (this.count === this.start.length) {
      const grow = <T extends Int32Array | Float64Array | Uint8Array>(column: T, copy: T): T => {
        copy.set(column);
        return copy;
      };
      const size = this.count * 2;
      this.start = grow(this.start, new Int32Array(size));
      this.client = grow(this.client, new Float64Array(size));
      this.clock = grow(this.clock, new Float64Array(size));
      this.step = grow(this.step, new Uint8Array(size));
    }
    this.start[this.count] = start;
    this.client[this.count] = client;
    this.clock[this.count] = clock;
    this.step[this.count] = step ? 1 : 0;
    this.count++;
  }
}

/** A text and the Yjs ids of its characters (as {@link Runs}), with its lines. */
interface IdText {
  text: string;
  runs: Runs;
  /** Where each line starts (at its `\n`, but for the first) and the Yjs id of its block (as runs of one character). */
  lines: Runs;
  /** The lines that are in lists. */
  lists: DiffListLine[];
}

interface SectionText {
  id: string;
  key: string | null;
  title: string;
  body: IdText;
}

class IdTextBuilder {
  private readonly chunks: string[] = [];
  private length = 0;
  private readonly runs = new Runs();
  private readonly lines = new Runs();
  private readonly lists: DiffListLine[] = [];

  /** Characters of one Yjs item: `step` when each has its own clock (a string), not for an atom. */
  push(str: string, id: Y.ID, step: boolean): void {
    if (str === '') return;
    this.chunks.push(str);
    this.runs.push(this.length, id.client, id.clock, step);
    this.length += str.length;
  }

  /**
   * Starts a line: a `\n` attributed to `id` (the block's item), except before the first line.
   * `lists`: the lists the line is in (their `first` flags are then cleared: a later line of the
   * same item continues it).
   */
  line(id: Y.ID, lists: DiffListLevel[] = []): void {
    if (lists.length > 0) {
      this.lists.push({ line: this.lines.count, lists: lists.map((level) => ({ ...level })) });
      for (const level of lists) level.first = false;
    }
    this.lines.push(this.length, id.client, id.clock, false);
    if (this.lines.count > 1) this.push('\n', id, false);
  }

  /** The text written since `chunk` (a value of {@link chunkCount}). */
  textSince(chunk: number): string {
    return this.chunks.slice(chunk).join('');
  }

  get chunkCount(): number {
    return this.chunks.length;
  }

  build(): IdText {
    return { text: this.chunks.join(''), runs: this.runs, lines: this.lines, lists: this.lists };
  }
}

/** Index of the run holding character `offset` (the last run starting at or before it). */
function runAt(runs: Runs, offset: number): number {
  let lo = 0;
  let hi = runs.count - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((runs.start[mid] as number) <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Where run `r` of `ids` ends (exclusive). */
function runEnd(ids: IdText, r: number): number {
  return r + 1 < ids.runs.count ? (ids.runs.start[r + 1] as number) : ids.text.length;
}

/** The Yjs client of character `offset` in run `r`. */
const clientIn = (runs: Runs, r: number): number => runs.client[r] as number;

/** The Yjs clock of character `offset` in run `r`. */
function clockIn(runs: Runs, r: number, offset: number): number {
  const clock = runs.clock[r] as number;
  return runs.step[r] === 1 ? clock + offset - (runs.start[r] as number) : clock;
}

/** Whether character `i` of `a` and character `j` of `b` are the same Yjs id. */
function sameIdAt(a: IdText, i: number, b: IdText, j: number): boolean {
  const ra = runAt(a.runs, i);
  const rb = runAt(b.runs, j);
  return clientIn(a.runs, ra) === clientIn(b.runs, rb) && clockIn(a.runs, ra, i) === clockIn(b.runs, rb, j);
}

/** The next live item from `item` on (itself included), or null: a type's children are read from its item list, nothing written. */
function live(item: Y.Item | null): Y.Item | null {
  let n = item;
  while (n && (n.deleted || !n.countable)) n = n.right;
  return n;
}

function childElement(item: Y.Item): Y.XmlElement | null {
  return item.content instanceof Y.ContentType && item.content.type instanceof Y.XmlElement
    ? item.content.type
    : null;
}

function childText(item: Y.Item): Y.XmlText | null {
  return item.content instanceof Y.ContentType && item.content.type instanceof Y.XmlText
    ? item.content.type
    : null;
}

function itemIdOf(type: { _item: Y.Item | null }): Y.ID | null {
  return type._item?.id ?? null;
}

/** The Yjs item holding an attribute's current value (whoever last set it wrote it). */
function attributeItemId(element: Y.XmlElement, name: string): Y.ID | null {
  const item = element._map.get(name);
  return item && !item.deleted ? item.id : null;
}

function stringAttribute(element: Y.XmlElement, name: string): string {
  const value: unknown = element.getAttribute(name);
  return typeof value === 'string' ? value : value == null ? '' : String(value);
}

function readText(text: Y.XmlText, out: IdTextBuilder): void {
  for (let item = live(text._start); item; item = live(item.right))
    if (item.content instanceof Y.ContentString) out.push(item.content.str, item.id, true);
}

/** Inline content of a textblock: its texts and the plain text of its inline atoms. */
function readInline(block: Y.XmlElement, out: IdTextBuilder): void {
  for (let item = live(block._start); item; item = live(item.right)) {
    const text = childText(item);
    if (text) {
      readText(text, out);
      continue;
    }
    const atom = childElement(item);
    if (!atom) continue;
    switch (atom.nodeName) {
      case 'hardBreak':
        out.push('\n', item.id, false);
        break;
      case 'footnote':
        out.push(
          ` [note : ${stringAttribute(atom, 'text')}]`,
          attributeItemId(atom, 'text') ?? item.id,
          false,
        );
        break;
      case 'docRef':
        out.push(stringAttribute(atom, 'title'), attributeItemId(atom, 'title') ?? item.id, false);
        break;
    }
  }
}

/** The number of an ordered list's first item (its `start` attribute, 1 by default). */
function listStart(list: Y.XmlElement): number {
  const start = Number(list.getAttribute('start'));
  return Number.isInteger(start) ? start : 1;
}

function readBlock(
  element: Y.XmlElement,
  id: Y.ID,
  out: IdTextBuilder,
  depth: number,
  lists: DiffListLevel[],
): void {
  const type = schema.nodes[element.nodeName];
  if (!type || depth > MAX_DEPTH) return;
  if (type.isTextblock) {
    out.line(id, lists);
    readInline(element, out);
  } else if (element.nodeName === 'image') {
    out.line(id, lists);
    const alt = stringAttribute(element, 'alt').trim();
    out.push(alt ? `[image : ${alt}]` : '[image]', id, false);
  } else if (element.nodeName === 'bulletList' || element.nodeName === 'orderedList') {
    const ordered = element.nodeName === 'orderedList';
    let number = ordered ? listStart(element) : 1;
    for (let item = live(element._start); item; item = live(item.right)) {
      const child = childElement(item);
      if (!child) continue;
      const level: DiffListLevel = { ordered, number, first: true };
      readBlock(child, item.id, out, depth + 1, [...lists, level]);
      number++;
    }
  } else if (!type.isLeaf) {
    for (let item = live(element._start); item; item = live(item.right)) {
      const child = childElement(item);
      if (child) readBlock(child, item.id, out, depth + 1, lists);
    }
  }
}

/** The sections of a document, read as sectionsOf reads them (same ids, keys and titles). */
function readSections(doc: Y.Doc): SectionText[] {
  const out: SectionText[] = [];
  const seen = new Map<string, number>();
  for (let item = live(doc.getXmlFragment(FRAGMENT)._start); item; item = live(item.right)) {
    const section = childElement(item);
    if (!section || section.nodeName !== 'section') continue;
    const raw: unknown = section.getAttribute('id');
    const stored = typeof raw === 'string' && raw !== '' ? raw : 'sans-id';
    const count = seen.get(stored) ?? 0;
    seen.set(stored, count + 1);
    const key: unknown = section.getAttribute('key');

    const body = new IdTextBuilder();
    let title = '';
    let first = true;
    for (let childItem = live(section._start); childItem; childItem = live(childItem.right)) {
      const child = childElement(childItem);
      if (!child) continue;
      if (first && child.nodeName === 'sectionTitle') {
        body.line(childItem.id);
        const start = body.chunkCount;
        readInline(child, body);
        title = body.textSince(start);
      } else {
        if (first) body.line(itemIdOf(section) ?? childItem.id); // no title: an empty first line
        readBlock(child, childItem.id, body, 1, []);
      }
      first = false;
    }
    out.push({
      id: count === 0 ? stored : `${stored}~${count}`,
      key: typeof key === 'string' ? key : null,
      title: title.trim(),
      body: body.build(),
    });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Comparing texts: lines, then words within changed lines, then characters within changed words.

/** A line or a token of a text, as the Myers diff compares them. */
interface Unit {
  text: string;
  /** Offset of its first character in the section's text. */
  start: number;
  index: number;
  /** Yjs id of its first character (a token) or of its block (a line). */
  client: number;
  clock: number;
  /** Index of the unit made of the same Yjs items in the other text, or -1. */
  twin: number;
  /** A token of an atom read as text (a footnote, a link to a document, an image): see {@link tokensOf}. */
  atom: boolean;
}

/**
 * Units match when their text is equal and both are of atoms or neither is, and a unit with a
 * twin matches only its twin.
 */
function sameUnit(a: Unit, b: Unit): boolean {
  return a.text === b.text && a.atom === b.atom && (a.twin === b.index || (a.twin < 0 && b.twin < 0));
}

/** Units by Yjs id: client → clock → index, -1 when two units share the id. */
function indexById(units: Unit[]): Map<number, Map<number, number>> {
  const index = new Map<number, Map<number, number>>();
  for (const u of units) {
    let clocks = index.get(u.client);
    if (!clocks) index.set(u.client, (clocks = new Map()));
    clocks.set(u.clock, clocks.has(u.clock) ? -1 : u.index);
  }
  return index;
}

/**
 * Pairs the units made of the same Yjs items on both sides: same id, same text, and `same` for
 * what the id does not say (a token's last character). Ambiguous ids pair nothing.
 */
function pairTwins(old: Unit[], next: Unit[], same: (a: Unit, b: Unit) => boolean): void {
  const index = indexById(old);
  const taken = new Map<number, number>();
  for (const u of next) {
    const i = index.get(u.client)?.get(u.clock) ?? -1;
    const a = old[i];
    if (a && a.text === u.text && same(a, u)) taken.set(i, taken.has(i) ? -1 : u.index);
  }
  for (const [i, j] of taken) {
    const a = old[i];
    const b = next[j];
    if (!a || !b) continue;
    a.twin = j;
    b.twin = i;
  }
}

/** The lines of a text (title, then one per block), each with the Yjs id of its block. */
function linesOf(ids: IdText): Unit[] {
  const { lines } = ids;
  const out: Unit[] = [];
  for (let index = 0; index < lines.count; index++) {
    const start = lines.start[index] as number;
    const end = index + 1 < lines.count ? (lines.start[index + 1] as number) : ids.text.length;
    out.push({
      text: ids.text.slice(start, end),
      start,
      index,
      client: lines.client[index] as number,
      clock: lines.clock[index] as number,
      twin: -1,
      atom: false,
    });
  }
  return out;
}

/** Whether runs `a` and `b` are atoms with the same Yjs id (one atom read as several runs: an image's line break and text). */
function sameAtom(runs: Runs, a: number, b: number): boolean {
  return (
    runs.step[a] !== 1 &&
    runs.step[b] !== 1 &&
    runs.client[a] === runs.client[b] &&
    runs.clock[a] === runs.clock[b]
  );
}

/**
 * jsdiff's `diffWordsWithSpace` tokens of text[start, end) (words, runs of spaces, line breaks,
 * other characters), cut apart where string items meet an atom read as text. A token of an atom
 * (its words all start with the atom's id, so they are never twins) is marked, and only matches
 * a token of an atom by text: a space of a footnote cannot stand for a space someone typed next
 * to it (which then showed as unchanged while the footnote's own space showed as inserted by
 * whoever made the footnote), while a footnote whose text changed is still compared word by word.
 */
function tokensOf(ids: IdText, start: number, end: number): Unit[] {
  const out: Unit[] = [];
  const { runs, text } = ids;
  let at = start;
  let r = runAt(runs, start);
  while (at < end && r < runs.count) {
    const atom = runs.step[r] !== 1;
    // The runs read together: one atom's (an image's line and text), or a stretch of string runs.
    let k = r;
    while (
      k + 1 < runs.count &&
      (runs.start[k + 1] as number) < end &&
      (atom ? sameAtom(runs, r, k + 1) : runs.step[k + 1] === 1)
    )
      k++;
    const stop = Math.min(end, runEnd(ids, k));
    let cursor = r;
    for (const piece of wordsWithSpaceDiff.tokenize(text.slice(at, stop))) {
      while (cursor + 1 < runs.count && (runs.start[cursor + 1] as number) <= at) cursor++;
      out.push({
        text: piece,
        start: at,
        index: out.length,
        client: clientIn(runs, cursor),
        clock: clockIn(runs, cursor, at),
        twin: -1,
        atom,
      });
      at += piece.length;
    }
    at = stop;
    r = k + 1;
  }
  return out;
}

/** Whether two tokens also end with the same Yjs item. */
function sameEnd(old: IdText, next: IdText): (a: Unit, b: Unit) => boolean {
  return (a, b) => sameIdAt(old, a.start + a.text.length - 1, next, b.start + b.text.length - 1);
}

/** What the word diffs of one comparison may still spend, in token comparisons. */
interface Budget {
  left: number;
}

/**
 * Token comparisons the word diffs of one {@link diffDocuments} call may spend, counted as Myers's
 * bound (n + m)·d. About 100 ms of work on the machines we measured; past it, a changed range is
 * compared character by character by Yjs id only (see {@link diffDocuments}).
 */
export const WORD_DIFF_BUDGET = 1_500_000;

/** The characters of jsdiff's word tokens (`extendedWordChars` of its `diffWordsWithSpace`). */
const WORD_CHAR =
  /[a-zA-Z0-9_\u{AD}\u{C0}-\u{D6}\u{D8}-\u{F6}\u{F8}-\u{2C6}\u{2C8}-\u{2D7}\u{2DE}-\u{2FF}\u{1E00}-\u{1EFF}]/u;
/** The characters of its runs of spaces (white space but line breaks). */
const SPACE_CHAR = /[^\S\n\r]/;

const WORD = 0;
const SPACE = 1;
const OTHER = 2;

/** Which of jsdiff's token kinds a character belongs to: a word, a run of spaces, or other. */
function charClass(char: string): number {
  return WORD_CHAR.test(char) ? WORD : SPACE_CHAR.test(char) ? SPACE : OTHER;
}

/**
 * Whether jsdiff's `diffWordsWithSpace` tokenizer ends a token between `before` and `after` (one
 * UTF-16 code unit each): words and runs of spaces are maximal, `\r\n` and a surrogate pair are
 * one token, every other character is one.
 */
function tokenBoundary(before: string, after: string): boolean {
  const high = before.charCodeAt(0);
  const low = after.charCodeAt(0);
  if (high >= 0xd800 && high <= 0xdbff && low >= 0xdc00 && low <= 0xdfff) return false;
  if (before === '\r' && after === '\n') return false;
  const cls = charClass(before);
  return cls === OTHER || cls !== charClass(after);
}

/**
 * Whether {@link tokensOf} of text[lo, hi) ends a token at `at`: at either end, where string items
 * meet an atom (or two atoms meet), and where jsdiff's tokenizer would between two characters.
 */
function tokenEdge(ids: IdText, at: number, lo: number, hi: number): boolean {
  if (at <= lo || at >= hi) return true;
  const { runs } = ids;
  const before = runAt(runs, at - 1);
  const after = runAt(runs, at);
  const atoms = runs.step[before] !== 1 || runs.step[after] !== 1;
  if (atoms && !sameAtom(runs, before, after)) return true;
  return tokenBoundary(ids.text[at - 1] as string, ids.text[at] as string);
}

/** Whether run `r` of `ids` is a line break read alone: one `\n` whose Yjs id no other character has. */
function loneLineBreak(ids: IdText, r: number): boolean {
  const { runs } = ids;
  const start = runs.start[r] as number;
  if (ids.text[start] !== '\n' || runEnd(ids, r) - start !== 1) return false;
  return !(r > 0 && sameAtom(runs, r - 1, r)) && !(r + 1 < runs.count && sameAtom(runs, r, r + 1));
}

/**
 * How many characters from `i` (in `old`) and `j` (in `next`), at most `max`, are the same Yjs
 * ids on both sides.
 */
function sharedIds(old: IdText, i: number, next: IdText, j: number, max: number): number {
  let n = 0;
  while (n < max) {
    const ra = runAt(old.runs, i + n);
    const rb = runAt(next.runs, j + n);
    if (
      clientIn(old.runs, ra) !== clientIn(next.runs, rb) ||
      clockIn(old.runs, ra, i + n) !== clockIn(next.runs, rb, j + n)
    )
      break;
    // The rest of both runs are the same ids when both are strings (the following clocks) or both
    // atoms (one clock); otherwise one character at a time.
    const left =
      (old.runs.step[ra] === 1) !== (next.runs.step[rb] === 1)
        ? 1
        : Math.min(runEnd(old, ra) - (i + n), runEnd(next, rb) - (j + n));
    n += Math.min(left, max - n);
  }
  return n;
}

/** Stretches shorter than this are not taken as anchors by {@link compareWords} (fewer, larger calls). */
const MIN_ANCHOR = 16;

/**
 * Compares text[oldStart, oldEnd) with text[newStart, newEnd) word by word, into `out`. Stretches
 * of characters that are the same Yjs items on both sides (strings, and lone line breaks), cut back
 * to token edges, are equal at once: the tokens within them are those that would be twins, in
 * order (Yjs never reorders items), so they would anchor the alignment anyway, and the result is
 * the same as comparing the whole range token by token. Only what lies between them is cut into
 * tokens ({@link tokensOf}), those made of the same Yjs items on both sides anchoring the diff, and
 * only the gaps between those going through Myers's diff, by text ({@link compareTokens}).
 */
function compareWords(
  c: Comparison,
  oldStart: number,
  oldEnd: number,
  newStart: number,
  newEnd: number,
): void {
  if (oldStart === oldEnd || newStart === newEnd) {
    refineHunk(c, oldStart, oldEnd, newStart, newEnd);
    return;
  }
  const { old, next } = c;
  const edges = (x: number, y: number) =>
    tokenEdge(old, x, oldStart, oldEnd) && tokenEdge(next, y, newStart, newEnd);
  let i = oldStart;
  let j = newStart;
  for (const [x, y, length] of commonStretches(c, oldStart, oldEnd, newStart, newEnd)) {
    if (length < MIN_ANCHOR || x < i || y < j) continue;
    let from = 0;
    while (from < length && !edges(x + from, y + from)) from++;
    let to = length;
    while (to > from && !edges(x + to, y + to)) to--;
    if (to <= from) continue;
    compareTokens(c, i, x + from, j, y + from);
    c.out.add('equal', old.text.slice(x + from, x + to), null);
    i = x + to;
    j = y + to;
  }
  compareTokens(c, i, oldEnd, j, newEnd);
}

/**
 * The stretches of text[oldStart, oldEnd) made of the same Yjs ids as a stretch of
 * text[newStart, newEnd): `[old offset, new offset, length]`, in the old text's order, each as
 * long as the ids follow each other on both sides. Characters of string items, and line breaks
 * read alone; other atoms are left out (their tokens are never twins).
 */
function commonStretches(
  c: Comparison,
  oldStart: number,
  oldEnd: number,
  newStart: number,
  newEnd: number,
): [number, number, number][] {
  const byClient = new Map<number, Segment[]>();
  for (const s of segmentsOf(c.next, newStart, newEnd)) {
    if (s.atom && !s.lone) continue;
    const list = byClient.get(s.client);
    if (list) list.push(s);
    else byClient.set(s.client, [s]);
  }
  for (const list of byClient.values()) list.sort((x, y) => x.clock - y.clock);
  const out: [number, number, number][] = [];
  for (const a of segmentsOf(c.old, oldStart, oldEnd)) {
    if (a.atom && !a.lone) continue;
    const list = byClient.get(a.client);
    if (!list) continue;
    for (let k = firstEndingAfter(list, a.clock); k < list.length; k++) {
      const b = list[k] as Segment;
      if (b.clock >= a.end) break;
      if (a.atom !== b.atom) continue;
      const from = Math.max(a.clock, b.clock);
      const to = Math.min(a.end, b.end);
      if (from >= to) continue;
      const x = a.atom ? a.text : a.text + from - a.clock;
      const y = b.atom ? b.text : b.text + from - b.clock;
      const length = a.atom ? 1 : to - from;
      const last = out[out.length - 1];
      if (last && last[0] + last[2] === x && last[1] + last[2] === y) last[2] += length;
      else out.push([x, y, length]);
    }
  }
  return out;
}

/** The first segment of `list` (sorted by clock: a side's ids are distinct) that ends after `clock`. */
function firstEndingAfter(list: Segment[], clock: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((list[mid] as Segment).end <= clock) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The token comparison of {@link compareWords}, on what lies between its anchors. */
function compareTokens(
  c: Comparison,
  oldStart: number,
  oldEnd: number,
  newStart: number,
  newEnd: number,
): void {
  if (oldStart === oldEnd || newStart === newEnd) {
    refineHunk(c, oldStart, oldEnd, newStart, newEnd);
    return;
  }
  const a = tokensOf(c.old, oldStart, oldEnd);
  const b = tokensOf(c.next, newStart, newEnd);
  pairTwins(a, b, sameEnd(c.old, c.next));
  const gap = (i0: number, i1: number, j0: number, j1: number) =>
    compareGap(c, a.slice(i0, i1), a[i1]?.start ?? oldEnd, b.slice(j0, j1), b[j1]?.start ?? newEnd);
  let i = 0;
  let j = 0;
  for (const token of a) {
    if (token.twin < j) continue; // no twin, or one out of order
    gap(i, token.index, j, token.twin);
    c.out.add('equal', token.text, null);
    i = token.index + 1;
    j = token.twin + 1;
  }
  gap(i, a.length, j, b.length);
}

/** Myers's diff of the tokens `a` and `b` (each ending at `oldEnd`/`newEnd`), within the budget. */
function compareGap(c: Comparison, a: Unit[], oldEnd: number, b: Unit[], newEnd: number): void {
  const oldStart = a[0]?.start ?? oldEnd;
  const newStart = b[0]?.start ?? newEnd;
  const size = a.length + b.length;
  const maxEditLength = Math.floor(c.budget.left / size);
  const changes =
    a.length > 0 && b.length > 0 && maxEditLength > 0
      ? diffArrays(a, b, { comparator: sameUnit, maxEditLength })
      : undefined;
  if (!changes) {
    if (a.length > 0 && b.length > 0) c.budget.left = 0;
    refineHunk(c, oldStart, oldEnd, newStart, newEnd);
    return;
  }
  let oldPos = oldStart;
  let newPos = newStart;
  let hunk: { oldStart: number; newStart: number } | null = null;
  let edits = 0;
  const flush = () => {
    if (hunk) refineHunk(c, hunk.oldStart, oldPos, hunk.newStart, newPos);
    hunk = null;
  };
  for (const change of changes) {
    const length = change.value.reduce((n, u) => n + u.text.length, 0);
    if (!change.added && !change.removed) {
      flush();
      c.out.add('equal', c.next.text.slice(newPos, newPos + length), null);
      oldPos += length;
      newPos += length;
      continue;
    }
    edits += change.count;
    hunk ??= { oldStart: oldPos, newStart: newPos };
    if (change.removed) oldPos += length;
    else newPos += length;
  }
  flush();
  c.budget.left -= size * edits;
}

/** One section being compared. */
interface Comparison {
  old: IdText;
  next: IdText;
  out: Parts;
  authors: Attributor;
  budget: Budget;
}

/**
 * Attributes changed characters (see the rule at the top of this module): a character the other
 * side knows (its id is within that side's state vector) was deleted there or here, by
 * `deletedBy`, else by who wrote it; one the other side never had is by who wrote it.
 */
class Attributor {
  private last: { deleted: boolean; client: number; clock: number; author: string | null } | null = null;

  constructor(
    private readonly attribution: DiffAttribution,
    private readonly from: Y.Doc,
    private readonly to: Y.Doc,
  ) {}

  /** Characters [start, end) of `ids` (of `to` for `insert`, of `from` for `delete`) into `out`. */
  add(out: Parts, kind: 'insert' | 'delete', ids: IdText, start: number, end: number): void {
    if (start >= end) return;
    const other = kind === 'insert' ? this.from : this.to;
    const { runs } = ids;
    for (let r = runAt(runs, start); r < runs.count && (runs.start[r] as number) < end; r++) {
      const from = Math.max(start, runs.start[r] as number);
      const to = Math.min(end, runEnd(ids, r));
      const client = clientIn(runs, r);
      const known = Y.getState(other.store, client);
      if (runs.step[r] !== 1) {
        const clock = runs.clock[r] as number;
        out.add(kind, ids.text.slice(from, to), this.atom(client, clock, clock < known));
        continue;
      }
      let at = from;
      while (at < to) {
        const clock = clockIn(runs, r, at);
        const deleted = clock < known;
        const span = this.span(client, clock, deleted ? Math.min(to - at, known - clock) : to - at, deleted);
        out.add(kind, ids.text.slice(at, at + span.length), span.author);
        at += span.length;
      }
    }
  }

  /** The author of `length` ids from `clock` on (at least one covered). */
  private span(client: number, clock: number, length: number, deleted: boolean): AuthorSpan {
    const clamp = (s: AuthorSpan): AuthorSpan => ({
      author: s.author,
      length: Math.max(1, Math.min(length, Math.floor(s.length))),
    });
    if (!deleted) return clamp(this.attribution.insertedBy(client, clock, length));
    const by = clamp(this.attribution.deletedBy(client, clock, length));
    if (by.author !== null) return by;
    return clamp(this.attribution.insertedBy(client, clock, by.length));
  }

  /** The author of an atom's id, asked once for consecutive characters of the same atom. */
  private atom(client: number, clock: number, deleted: boolean): string | null {
    const last = this.last;
    if (last && last.deleted === deleted && last.client === client && last.clock === clock)
      return last.author;
    const author = this.span(client, clock, 1, deleted).author;
    this.last = { deleted, client, clock, author };
    return author;
  }
}

/** Accumulates parts, merging a part into the previous one of the same kind and author. */
class Parts {
  readonly list: DiffPart[] = [];

  add(kind: DiffPart['kind'], text: string, author: string | null): void {
    if (text === '') return;
    const last = this.list[this.list.length - 1];
    if (last && last.kind === kind && last.author === author) last.text += text;
    else this.list.push({ kind, text, author });
  }
}

/** A span of characters whose Yjs ids are consecutive: chars [text, text + length) of one side. */
interface Segment {
  client: number;
  /** First clock, and the clock after the last (an atom's characters all have its one clock). */
  clock: number;
  end: number;
  text: number;
  length: number;
  atom: boolean;
  /** An atom that is a line break read alone ({@link loneLineBreak}). */
  lone: boolean;
}

/** The segments of text[start, end), in text order. */
function segmentsOf(ids: IdText, start: number, end: number): Segment[] {
  const out: Segment[] = [];
  const { runs } = ids;
  for (let r = runAt(runs, start); r < runs.count && (runs.start[r] as number) < end; r++) {
    const from = Math.max(start, runs.start[r] as number);
    const length = Math.min(end, runEnd(ids, r)) - from;
    if (length <= 0) continue;
    const atom = runs.step[r] !== 1;
    const clock = clockIn(runs, r, from);
    out.push({
      client: clientIn(runs, r),
      clock,
      end: atom ? clock + 1 : clock + length,
      text: from,
      length,
      atom,
      lone: atom && loneLineBreak(ids, r),
    });
  }
  return out;
}

/**
 * Marks, in each range, the characters whose Yjs id is also in the other range (intersecting the
 * id spans of both sides, per client).
 */
function keptCharacters(c: Comparison, oldStart: number, oldEnd: number, newStart: number, newEnd: number) {
  const oldKept = new Uint8Array(oldEnd - oldStart);
  const newKept = new Uint8Array(newEnd - newStart);
  if (oldStart === oldEnd || newStart === newEnd) return { oldKept, newKept };
  const byClient = new Map<number, Segment[]>();
  for (const s of segmentsOf(c.next, newStart, newEnd)) {
    const list = byClient.get(s.client);
    if (list) list.push(s);
    else byClient.set(s.client, [s]);
  }
  for (const list of byClient.values()) list.sort((x, y) => x.clock - y.clock);
  for (const a of segmentsOf(c.old, oldStart, oldEnd)) {
    const list = byClient.get(a.client);
    if (!list) continue;
    for (let k = firstEndingAfter(list, a.clock); k < list.length; k++) {
      const b = list[k] as Segment;
      if (b.clock >= a.end) break;
      const from = Math.max(a.clock, b.clock);
      const to = Math.min(a.end, b.end);
      if (from >= to) continue;
      const mark = (kept: Uint8Array, s: Segment, base: number) => {
        const first = s.atom ? s.text : s.text + from - s.clock;
        const length = s.atom ? s.length : to - from;
        kept.fill(1, first - base, first - base + length);
      };
      mark(oldKept, a, oldStart);
      mark(newKept, b, newStart);
    }
  }
  return { oldKept, newKept };
}

/** The first index from `at` where `kept` is set, or `kept.length`. */
function nextKept(kept: Uint8Array, at: number): number {
  const found = kept.indexOf(1, at);
  return found < 0 ? kept.length : found;
}

/**
 * A changed range at the level of characters: those whose Yjs item is in both texts are equal
 * (Yjs keeps the order of items, so they come in the same order on both sides), the others
 * deleted from the old text or inserted in the new one, deletions first.
 */
function refineHunk(c: Comparison, oldStart: number, oldEnd: number, newStart: number, newEnd: number): void {
  const { old, next, out, authors } = c;
  const { oldKept, newKept } = keptCharacters(c, oldStart, oldEnd, newStart, newEnd);
  let i = oldStart;
  let j = newStart;
  while (i < oldEnd || j < newEnd) {
    const del = oldStart + nextKept(oldKept, i - oldStart);
    authors.add(out, 'delete', old, i, del);
    i = del;
    const ins = newStart + nextKept(newKept, j - newStart);
    authors.add(out, 'insert', next, j, ins);
    j = ins;
    const same = i < oldEnd && j < newEnd ? sharedIds(old, i, next, j, Math.min(oldEnd - i, newEnd - j)) : 0;
    if (same > 0) {
      out.add('equal', old.text.slice(i, i + same), null);
      i += same;
      j += same;
    } else if (i < oldEnd && j < newEnd) {
      // Kept characters out of order (Yjs never reorders items; guarded anyway): the old one is deleted.
      authors.add(out, 'delete', old, i, i + 1);
      i++;
    } else if (i < oldEnd) {
      authors.add(out, 'delete', old, i, oldEnd);
      i = oldEnd;
    } else {
      authors.add(out, 'insert', next, j, newEnd);
      j = newEnd;
    }
  }
}

function countChanges(parts: DiffPart[]): number {
  return parts.filter((p) => p.kind !== 'equal').length;
}

/** The `lists` of a section diff, or nothing when neither side has a list. */
function listsOf(from: IdText | null, to: IdText | null): Pick<SectionDiff, 'lists'> {
  const before = from?.lists ?? [];
  const after = to?.lists ?? [];
  return before.length > 0 || after.length > 0 ? { lists: { from: before, to: after } } : {};
}

function comparedSection(
  old: SectionText,
  next: SectionText,
  authors: Attributor,
  budget: Budget,
): SectionDiff {
  const base = { id: next.id, key: next.key, title: next.title };
  if (old.body.text === next.body.text) {
    const parts: DiffPart[] = next.body.text ? [{ kind: 'equal', text: next.body.text, author: null }] : [];
    return { ...base, status: 'unchanged', changes: 0, parts, ...listsOf(old.body, next.body) };
  }
  const c: Comparison = { old: old.body, next: next.body, out: new Parts(), authors, budget };
  const a = linesOf(old.body);
  const b = linesOf(next.body);
  pairTwins(a, b, () => true);
  const size = a.length + b.length;
  const maxEditLength = Math.floor(budget.left / size);
  const found = maxEditLength > 0 ? diffArrays(a, b, { comparator: sameUnit, maxEditLength }) : undefined;
  // Past the budget, all lines form one changed range (compared by Yjs ids, block by block).
  const changes = found ?? [
    { value: a, count: a.length, added: false, removed: true },
    { value: b, count: b.length, added: true, removed: false },
  ];
  budget.left -= size * changes.reduce((n, ch) => n + (ch.added || ch.removed ? ch.count : 0), 0);
  let i = 0;
  let j = 0;
  let hunk: { i: number; j: number } | null = null;
  const flush = () => {
    if (hunk) {
      const lineStart = (lines: Unit[], k: number, text: IdText) => lines[k]?.start ?? text.text.length;
      compareWords(
        c,
        lineStart(a, hunk.i, c.old),
        lineStart(a, i, c.old),
        lineStart(b, hunk.j, c.next),
        lineStart(b, j, c.next),
      );
    }
    hunk = null;
  };
  for (const change of changes) {
    if (!change.added && !change.removed) {
      flush();
      for (const line of change.value) c.out.add('equal', line.text, null);
      i += change.count;
      j += change.count;
      continue;
    }
    hunk ??= { i, j };
    if (change.removed) i += change.count;
    else j += change.count;
  }
  flush();
  return {
    ...base,
    status: 'changed',
    changes: countChanges(c.out.list),
    parts: c.out.list,
    ...listsOf(old.body, next.body),
  };
}

function addedSection(s: SectionText, authors: Attributor): SectionDiff {
  const parts = new Parts();
  authors.add(parts, 'insert', s.body, 0, s.body.text.length);
  return {
    id: s.id,
    key: s.key,
    title: s.title,
    status: 'added',
    changes: countChanges(parts.list),
    parts: parts.list,
    ...listsOf(null, s.body),
  };
}

function removedSection(s: SectionText, authors: Attributor): SectionDiff {
  const parts = new Parts();
  authors.add(parts, 'delete', s.body, 0, s.body.text.length);
  return {
    id: s.id,
    key: s.key,
    title: s.title,
    status: 'removed',
    changes: countChanges(parts.list),
    parts: parts.list,
    ...listsOf(s.body, null),
  };
}

// ---------------------------------------------------------------------------------------------
// Metadata.

function readMeta(doc: Y.Doc): DocumentMetadata {
  const map = doc.getMap<unknown>(META_MAP);
  return readMetadata((key) => map.get(key));
}

function defaultThemeLabel(id: string): string {
  return defaultThemes.find((t) => t.id === id)?.label ?? id;
}

function defaultTerritoireLabel(code: string): string {
  if (code === 'national') return 'National';
  if (code.startsWith('dep:')) return `Département ${code.slice(4)}`;
  if (code.startsWith('reg:')) return `Région ${code.slice(4)}`;
  return code;
}

/** The value of `field` as shown to a person, and a canonical form to compare (lists as sets). */
function shown(
  meta: DocumentMetadata,
  field: keyof DocumentMetadata,
  display: DiffOptions,
): { text: string; canonical: string } {
  switch (field) {
    case 'themes':
    case 'motsCles': {
      const list = meta[field];
      const label = field === 'themes' ? (display.themeLabel ?? defaultThemeLabel) : (w: string) => w;
      return {
        text: list.length ? list.map(label).join(', ') : NONE,
        canonical: JSON.stringify([...list].sort()),
      };
    }
    case 'categorie':
      return {
        text: meta.categorie ? categoryLabels[meta.categorie] : NOT_SET,
        canonical: String(meta.categorie),
      };
    case 'structureType':
      return {
        text: meta.structureType ? structureTypeLabels[meta.structureType] : NOT_SET,
        canonical: String(meta.structureType),
      };
    case 'territoire':
      return {
        text: meta.territoire
          ? (display.territoireLabel ?? defaultTerritoireLabel)(meta.territoire)
          : NOT_SET,
        canonical: String(meta.territoire),
      };
    case 'anneeDemarrage':
      return {
        text: meta.anneeDemarrage === null ? NOT_SET : String(meta.anneeDemarrage),
        canonical: String(meta.anneeDemarrage),
      };
    default: {
      const value = meta[field];
      return { text: value === '' ? NOT_SET : value, canonical: value };
    }
  }
}

/** The fields whose (leniently read) value differs; theme and keyword lists compare as sets. */
function metadataChanges(from: Y.Doc, to: Y.Doc, display: DiffOptions): MetadataChange[] {
  const before = readMeta(from);
  const after = readMeta(to);
  const out: MetadataChange[] = [];
  for (const field of metadataKeys) {
    const a = shown(before, field, display);
    const b = shown(after, field, display);
    if (a.canonical !== b.canonical)
      out.push({ field, label: METADATA_LABELS[field], from: a.text, to: b.text });
  }
  return out;
}
