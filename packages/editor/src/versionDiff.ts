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
 *   (bold, links…) and horizontal rules are not compared.
 * - Lines are aligned first (jsdiff's Myers diff on whole lines), so the word diff only runs on
 *   changed lines. These are cut into jsdiff's `diffWordsWithSpace` tokens (each word, run of
 *   spaces, line break or other character). Tokens made of the very same Yjs items in both
 *   versions are equal and anchor the alignment; the gaps between them are aligned with jsdiff's
 *   Myers diff (`diffArrays`) by text. So an inserted « le » or space is never mistaken for the
 *   one already there (which would attribute the insertion to whoever typed the old one), a
 *   paragraph split shows as an inserted line break, and text copied with new Yjs items (a moved
 *   section, a restore) still matches by text. Lines match the same way: equal text, and a line
 *   whose block is the same Yjs item on both sides matches only that block.
 * - Inside each run the word diff marks as changed, characters whose Yjs id is in both versions
 *   are equal: they were neither inserted nor deleted. « chat » → « chats » is then « chat »
 *   equal and « s » inserted by whoever typed it, not « chat » deleted by nobody. The rest is
 *   inserted (author: `insertedBy` of each character in `to`) or deleted (`deletedBy` of each
 *   character in `from`), split where the author changes. A line break is attributed through the
 *   Yjs item of the block that starts after it (whoever made or removed the paragraph).
 *
 * Sections are matched by their stable id (`attrs.id`, with sectionsOf's `~n` suffix for a
 * duplicated one); top-level blocks outside any section (documents older than sections) are not
 * compared. A section moved with its text unchanged is `unchanged`, at its new place.
 */

/** Who wrote what, as the server's update log knows it (a user id per Yjs item). */
export interface DiffAttribution {
  /** Author key (a user id) of whoever wrote the character with this Yjs id, or null. */
  insertedBy(id: Y.ID): string | null;
  /** Author key of whoever deleted the character with this Yjs id, or null when unknown. */
  deletedBy(id: Y.ID): string | null;
}

/** A run of a compared section's text; see `DiffPartDto` (author is a user id here). */
export interface DiffPart {
  kind: 'equal' | 'insert' | 'delete';
  text: string;
  /** Who inserted (`insert`) or deleted (`delete`) this text; null for `equal` or when unknown. */
  author: string | null;
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
 * Compares two states of the same document (`from` older, `to` newer; both full Y.Docs, garbage
 * collected or not) without writing to either. `attribution` is asked once per inserted or deleted
 * character (the same id twice in a row is asked once), never for equal text. `options` turn theme
 * ids and territory codes into names for the metadata changes.
 *
 * Cost: linear in the documents' length plus Myers's O((n + m)·d) for the lines of each changed
 * section and the tokens of each changed range (d = units changed). Their sum is bounded by
 * {@link WORD_DIFF_BUDGET}: past it (a document rewritten throughout), the remaining changed
 * ranges are compared by Yjs id only, characters kept equal and the rest deleted then inserted,
 * which is exact about who changed what but not aligned word by word. Measured on a 100-page
 * fiche (262,000 characters, 13 sections; CPU time on a loaded 2-core machine): about 15 ms for a
 * few edits, 40 ms with edits in every section, 90 ms when every paragraph was rewritten.
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
  const authors = new AuthorCache(attribution);
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
// Reading a section's text with the Yjs id of each character, without writing.

/** Deeper elements are left out, as read.ts does. */
const MAX_DEPTH = 64;

/** A text and, for each UTF-16 code unit, the Yjs id it comes from. */
interface IdText {
  text: string;
  clients: number[];
  clocks: number[];
  /** Where each line starts (at its `\n`, but for the first) and the Yjs id of its block. */
  lines: { start: number; client: number; clock: number }[];
}

interface SectionText {
  id: string;
  key: string | null;
  title: string;
  body: IdText;
}

class IdTextBuilder {
  private readonly chunks: string[] = [];
  readonly clients: number[] = [];
  readonly clocks: number[] = [];
  private readonly lines: IdText['lines'] = [];

  /** Characters of one Yjs item: `step` when each has its own clock (a string), not for an atom. */
  push(str: string, id: Y.ID, step: boolean): void {
    if (str === '') return;
    this.chunks.push(str);
    for (let i = 0; i < str.length; i++) {
      this.clients.push(id.client);
      this.clocks.push(step ? id.clock + i : id.clock);
    }
  }

  /** Starts a line: a `\n` attributed to `id` (the block's item), except before the first line. */
  line(id: Y.ID): void {
    this.lines.push({ start: this.clients.length, client: id.client, clock: id.clock });
    if (this.lines.length > 1) this.push('\n', id, false);
  }

  build(): IdText {
    return { text: this.chunks.join(''), clients: this.clients, clocks: this.clocks, lines: this.lines };
  }
}

/** The live child items of a shared type, in order (read from its item list, nothing written). */
function* liveItems(parent: { _start: Y.Item | null }): Generator<Y.Item> {
  for (let n = parent._start; n; n = n.right) if (!n.deleted && n.countable) yield n;
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
  for (const item of liveItems(text))
    if (item.content instanceof Y.ContentString) out.push(item.content.str, item.id, true);
}

/** Inline content of a textblock: its texts and the plain text of its inline atoms. */
function readInline(block: Y.XmlElement, out: IdTextBuilder): void {
  for (const item of liveItems(block)) {
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

function readBlock(element: Y.XmlElement, id: Y.ID, out: IdTextBuilder, depth: number): void {
  const type = schema.nodes[element.nodeName];
  if (!type || depth > MAX_DEPTH) return;
  if (type.isTextblock) {
    out.line(id);
    readInline(element, out);
  } else if (element.nodeName === 'image') {
    out.line(id);
    const alt = stringAttribute(element, 'alt').trim();
    out.push(alt ? `[image : ${alt}]` : '[image]', id, false);
  } else if (!type.isLeaf) {
    for (const item of liveItems(element)) {
      const child = childElement(item);
      if (child) readBlock(child, item.id, out, depth + 1);
    }
  }
}

/** The sections of a document, read as sectionsOf reads them (same ids, keys and titles). */
function readSections(doc: Y.Doc): SectionText[] {
  const out: SectionText[] = [];
  const seen = new Map<string, number>();
  for (const item of liveItems(doc.getXmlFragment(FRAGMENT))) {
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
    for (const childItem of liveItems(section)) {
      const child = childElement(childItem);
      if (!child) continue;
      if (first && child.nodeName === 'sectionTitle') {
        body.line(childItem.id);
        const start = body.clients.length;
        readInline(child, body);
        title = body.build().text.slice(start);
      } else {
        if (first) body.line(itemIdOf(section) ?? childItem.id); // no title: an empty first line
        readBlock(child, childItem.id, body, 1);
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
}

/** Units match when their text is equal, and a unit with a twin matches only its twin. */
function sameUnit(a: Unit, b: Unit): boolean {
  return a.text === b.text && (a.twin === b.index || (a.twin < 0 && b.twin < 0));
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
  return ids.lines.map((line, index) => ({
    text: ids.text.slice(line.start, ids.lines[index + 1]?.start ?? ids.text.length),
    start: line.start,
    index,
    client: line.client,
    clock: line.clock,
    twin: -1,
  }));
}

/** jsdiff's `diffWordsWithSpace` tokens of text[start, end): words, runs of spaces, line breaks, other characters. */
function tokensOf(ids: IdText, start: number, end: number): Unit[] {
  const out: Unit[] = [];
  let at = start;
  for (const piece of wordsWithSpaceDiff.tokenize(ids.text.slice(start, end))) {
    out.push({
      text: piece,
      start: at,
      index: out.length,
      client: ids.clients[at] ?? -1,
      clock: ids.clocks[at] ?? -1,
      twin: -1,
    });
    at += piece.length;
  }
  return out;
}

/** Whether two tokens also end with the same Yjs item. */
function sameEnd(old: IdText, next: IdText): (a: Unit, b: Unit) => boolean {
  return (a, b) => {
    const i = a.start + a.text.length - 1;
    const j = b.start + b.text.length - 1;
    return old.clients[i] === next.clients[j] && old.clocks[i] === next.clocks[j];
  };
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

/**
 * Compares text[oldStart, oldEnd) with text[newStart, newEnd) word by word, into `out`. Tokens
 * made of the same Yjs items on both sides (in the same order, as Yjs keeps it) are equal and
 * anchor the diff; only the gaps between them go through Myers's diff, by text.
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
  authors: AuthorCache;
  budget: Budget;
}

/** Asks the attribution once per id (consecutive characters of one atom share theirs). */
class AuthorCache {
  private last: { kind: 'insert' | 'delete'; client: number; clock: number; author: string | null } | null =
    null;

  constructor(private readonly attribution: DiffAttribution) {}

  of(kind: 'insert' | 'delete', client: number, clock: number): string | null {
    const last = this.last;
    if (last && last.kind === kind && last.client === client && last.clock === clock) return last.author;
    const id = Y.createID(client, clock);
    const author = kind === 'insert' ? this.attribution.insertedBy(id) : this.attribution.deletedBy(id);
    this.last = { kind, client, clock, author };
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

  /** Characters [start, end) of `ids` as `kind` parts, one per run of the same author. */
  addAttributed(
    kind: 'insert' | 'delete',
    ids: IdText,
    start: number,
    end: number,
    authors: AuthorCache,
  ): void {
    let runStart = start;
    let runAuthor: string | null = null;
    for (let i = start; i < end; i++) {
      const author = authors.of(kind, ids.clients[i] ?? -1, ids.clocks[i] ?? -1);
      if (i > runStart && author !== runAuthor) {
        this.add(kind, ids.text.slice(runStart, i), runAuthor);
        runStart = i;
      }
      runAuthor = author;
    }
    if (end > runStart) this.add(kind, ids.text.slice(runStart, end), runAuthor);
  }
}

/** Marks, in each range, the characters whose Yjs id is also in the other range. */
function keptCharacters(c: Comparison, oldStart: number, oldEnd: number, newStart: number, newEnd: number) {
  const { old, next } = c;
  const oldKept = new Uint8Array(oldEnd - oldStart);
  const newKept = new Uint8Array(newEnd - newStart);
  if (oldStart === oldEnd || newStart === newEnd) return { oldKept, newKept };
  const ids = (text: IdText, start: number, end: number, keep: (i: number) => boolean) => {
    const byClient = new Map<number, Set<number>>();
    for (let i = start; i < end; i++) {
      if (!keep(i)) continue;
      const client = text.clients[i] ?? -1;
      let clocks = byClient.get(client);
      if (!clocks) byClient.set(client, (clocks = new Set()));
      clocks.add(text.clocks[i] ?? -1);
    }
    return byClient;
  };
  const has = (byClient: Map<number, Set<number>>, text: IdText, i: number) =>
    byClient.get(text.clients[i] ?? -1)?.has(text.clocks[i] ?? -1) === true;
  const inOld = ids(old, oldStart, oldEnd, () => true);
  for (let j = newStart; j < newEnd; j++) if (has(inOld, next, j)) newKept[j - newStart] = 1;
  const inNew = ids(next, newStart, newEnd, (j) => newKept[j - newStart] === 1);
  for (let i = oldStart; i < oldEnd; i++) if (has(inNew, old, i)) oldKept[i - oldStart] = 1;
  return { oldKept, newKept };
}

/**
 * A changed range at the level of characters: those whose Yjs item is in both texts are equal
 * (Yjs keeps the order of items, so they come in the same order on both sides), the others
 * deleted from the old text or inserted in the new one, deletions first.
 */
function refineHunk(c: Comparison, oldStart: number, oldEnd: number, newStart: number, newEnd: number): void {
  const { old, next, out, authors } = c;
  const { oldKept, newKept } = keptCharacters(c, oldStart, oldEnd, newStart, newEnd);
  const sameId = (i: number, j: number) =>
    old.clients[i] === next.clients[j] && old.clocks[i] === next.clocks[j];
  let i = oldStart;
  let j = newStart;
  while (i < oldEnd || j < newEnd) {
    let del = i;
    while (del < oldEnd && oldKept[del - oldStart] === 0) del++;
    out.addAttributed('delete', old, i, del, authors);
    i = del;
    let ins = j;
    while (ins < newEnd && newKept[ins - newStart] === 0) ins++;
    out.addAttributed('insert', next, j, ins, authors);
    j = ins;
    let same = 0;
    while (i + same < oldEnd && j + same < newEnd && sameId(i + same, j + same)) same++;
    if (same > 0) {
      out.add('equal', old.text.slice(i, i + same), null);
      i += same;
      j += same;
    } else if (i < oldEnd && j < newEnd) {
      // Kept characters out of order (Yjs never reorders items; guarded anyway): the old one is deleted.
      out.addAttributed('delete', old, i, i + 1, authors);
      i++;
    } else if (i < oldEnd) {
      out.addAttributed('delete', old, i, oldEnd, authors);
      i = oldEnd;
    } else {
      out.addAttributed('insert', next, j, newEnd, authors);
      j = newEnd;
    }
  }
}

function countChanges(parts: DiffPart[]): number {
  return parts.filter((p) => p.kind !== 'equal').length;
}

function comparedSection(
  old: SectionText,
  next: SectionText,
  authors: AuthorCache,
  budget: Budget,
): SectionDiff {
  const base = { id: next.id, key: next.key, title: next.title };
  if (old.body.text === next.body.text) {
    const parts: DiffPart[] = next.body.text ? [{ kind: 'equal', text: next.body.text, author: null }] : [];
    return { ...base, status: 'unchanged', changes: 0, parts };
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
  return { ...base, status: 'changed', changes: countChanges(c.out.list), parts: c.out.list };
}

function addedSection(s: SectionText, authors: AuthorCache): SectionDiff {
  const parts = new Parts();
  parts.addAttributed('insert', s.body, 0, s.body.text.length, authors);
  return {
    id: s.id,
    key: s.key,
    title: s.title,
    status: 'added',
    changes: countChanges(parts.list),
    parts: parts.list,
  };
}

function removedSection(s: SectionText, authors: AuthorCache): SectionDiff {
  const parts = new Parts();
  parts.addAttributed('delete', s.body, 0, s.body.text.length, authors);
  return {
    id: s.id,
    key: s.key,
    title: s.title,
    status: 'removed',
    changes: countChanges(parts.list),
    parts: parts.list,
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
