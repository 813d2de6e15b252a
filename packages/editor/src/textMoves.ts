import * as Y from 'yjs';
import { copiedWriters } from './copiedClocks.js';
import {
  forwarderOf,
  indexAfter,
  indexOf,
  insertAfterCharacter,
  isOwnOrForwarded,
  itemAt,
  textsWrittenIn,
} from './yItems.js';

/**
 * Text that moves while someone types in it.
 *
 * Yjs has no move. When a person splits a paragraph (Enter), joins two (Backspace at the start of
 * one), or pastes several paragraphs into one, the editor's Yjs binding (y-tiptap's
 * `updateYFragment`) deletes the characters that change paragraph and inserts copies of them in
 * their new paragraph. A co-writer who was typing in those characters has two problems:
 * - their keystrokes still on the way, or typed offline, were anchored on the deleted characters:
 *   Yjs puts them where those characters were (end of the first paragraph), not after the copies;
 * - their caret, kept by y-tiptap as a position relative to a deleted character, falls back to that
 *   same old place, so everything they type next goes there too (« Alpha be|ta » split before
 *   « beta » leaves them typing at the end of « Alpha »).
 * And when a join appends a copy at the very place where a co-writer is typing, Yjs orders the copy
 * and the co-writer's concurrent keystrokes by client id: half of the word may land after the copy.
 *
 * Each editor repairs what concerns its own keystrokes, because only it knows which of them were
 * typed before it saw the move ({@link followMovedText}): it detects the move in the remote
 * transaction ({@link detectTextMoves}: deleted characters and inserted ones with the same text),
 * re-writes its own characters anchored on moved ones after their copies, puts back before an
 * appended copy its own characters the tie-break put after it, and gives the caller the map from
 * old characters to new ones to put the caret back ({@link TextMoves.lookup}). Such a re-write is
 * itself a deletion and a copy, but no move: nobody's characters follow it ({@link rewriterOf}),
 * or editors would re-write their text after each other's without end.
 *
 * Moves of whole sections and blocks replaced in place (a change of type) are done or repaired by
 * the server (sectionForwarding.ts): they are left out here, so nothing is re-applied twice.
 */

/** A character: the id of its Yjs item plus the offset in it. */
export type CharId = Y.ID;

interface Run {
  text: Y.XmlText;
  str: string;
  ids: CharId[];
}

const key = (id: CharId): string => `${id.client}:${id.clock}`;
const charId = (item: Y.Item, offset: number): CharId => Y.createID(item.id.client, item.id.clock + offset);
const existedBefore = (transaction: Y.Transaction, item: Y.Item): boolean =>
  item.id.clock < (transaction.beforeState.get(item.id.client) ?? 0);

/** The characters moved by one transaction: where each old character's copy is. */
export class TextMoves {
  private readonly map = new Map<string, CharId>();
  /** Copies appended next to existing text (joins, pastes), for the tie-break repair. */
  readonly copies: Run[] = [];

  /** Number of characters mapped. */
  get size(): number {
    return this.map.size;
  }

  /** The character that now stands for `id`, or null when `id` did not move. */
  lookup(id: CharId): CharId | null {
    return this.map.get(key(id)) ?? null;
  }

  /** Records that `from` is now `to`. */
  set(from: CharId, to: CharId): void {
    this.forget(from);
    this.map.set(key(from), to);
    this.sources.set(key(to), from);
  }

  /** For each copy, the character it stands for ({@link set}). */
  private readonly sources = new Map<string, CharId>();

  /** The character `to` stands for ({@link set}), or null. */
  sourceOf(to: CharId): CharId | null {
    return this.sources.get(key(to)) ?? null;
  }

  /** Forgets where `from` went ({@link set}). */
  forget(from: CharId): void {
    const to = this.map.get(key(from));
    if (!to) return;
    this.map.delete(key(from));
    const source = this.sources.get(key(to));
    if (source && Y.compareIDs(source, from)) this.sources.delete(key(to));
  }

  private readonly anywhere = new Map<string, CharId>();

  /**
   * Where `id` went, for the caret, whoever repairs the keystrokes: also through moves the server
   * repairs (a moved section, a block replaced or wrapped in a list), which {@link lookup} leaves
   * out. Null when `id` did not move.
   */
  follow(id: CharId): CharId | null {
    return this.map.get(key(id)) ?? this.anywhere.get(key(id)) ?? null;
  }

  /** Records, for the caret only, that `from` is now `to`. */
  setForCaret(from: CharId, to: CharId): void {
    this.anywhere.set(key(from), to);
  }

  /** Whether anything moved, the server's moves included. */
  get any(): boolean {
    return this.map.size > 0 || this.anywhere.size > 0;
  }
}

/** Walks the visible-or-changed characters of `text`, calling `visit` for each string item. */
function runsIn(
  text: Y.XmlText,
  belongs: (item: Y.Item) => boolean,
  breaks: (item: Y.Item) => boolean,
  counts: (id: CharId) => boolean = () => true,
): Run[] {
  const runs: Run[] = [];
  let current: Run | null = null;
  for (let n = text._start; n; n = n.right) {
    const { content } = n;
    if (content instanceof Y.ContentFormat) continue;
    if (content instanceof Y.ContentString && belongs(n)) {
      for (let i = 0; i < n.length; i++) {
        const id = charId(n, i);
        if (!counts(id)) continue;
        if (!current) runs.push((current = { text, str: '', ids: [] }));
        current.str += content.str[i] as string;
        current.ids.push(id);
      }
    } else if (breaks(n)) current = null;
  }
  return runs;
}

/** The element holding `text` (a paragraph, a heading, a table cell's paragraph). */
const elementOf = (text: Y.XmlText): Y.Item | null => {
  const parent = text._item?.parent;
  return parent instanceof Y.XmlElement ? parent._item : null;
};

/** The section element holding `item`, or null. */
function sectionOf(item: Y.Item | null): Y.Item | null {
  for (let n = item; n;) {
    const { content } = n;
    if (
      content instanceof Y.ContentType &&
      content.type instanceof Y.XmlElement &&
      content.type.nodeName === 'section'
    )
      return n;
    const parent = n.parent;
    n = parent instanceof Y.AbstractType ? parent._item : null;
  }
  return null;
}

/**
 * Whether a run moved from `from` to `to` is left to the editors: either its old text is still
 * there (a split, a paste), or its old paragraph was deleted in a section that stays, into text
 * that existed before (a join). A deleted section (a move, done by the server) or a paragraph
 * replaced by a new one at the same place (a change of type, repaired by the server) are not.
 */
function leftToEditors(transaction: Y.Transaction, from: Run, to: Run): boolean {
  const oldElement = elementOf(from.text);
  if (!from.text._item?.deleted && !oldElement?.deleted) return true;
  if (goneWithSection(from)) return false;
  const target = elementOf(to.text);
  return target !== null && existedBefore(transaction, target);
}

/** Whether the deleted run's text went with its whole section (a move or a restore: the server's). */
function goneWithSection(run: Run): boolean {
  const element = elementOf(run.text);
  if (!run.text._item?.deleted && !element?.deleted) return false;
  const section = sectionOf(element);
  return !section || section.deleted;
}

/** Longest run of one's own characters the pairing passes over (keystrokes in flight). */
const MAX_BRIDGE = 64;

/**
 * The characters of `a` (deleted) paired with those of `b` (inserted) at their common start and
 * common end, not overlapping, as [index in a, index in b]. The exact common start and end are
 * paired first; only what `b` holds between them is then looked for in the rest of `a`, where a
 * run of characters of `a` marked `skippable` (one's own, perhaps never received by the writer of
 * the change), at most {@link MAX_BRIDGE} long, is passed over when the character after it
 * matches: keystrokes in flight at two places do not cut the pairing short.
 *
 * A `b` that is exactly the end or the start of `a` (a split, or a join split again in the same
 * change), or a part of its middle at least {@link MIN_INNER_OVERLAP} long, or that holds all of
 * `a` in one stretch among other text (typed by the writer in the same change), is paired as that
 * one stretch; a `b` that holds all of `a` in two pieces, one at an end of `b`, as those two
 * ({@link splitCopy}). A common start and end shorter than
 * {@link MIN_INNER_OVERLAP} lose to a longer overlap of `a`'s end with `b`'s start (or the other
 * way round, or inside `b`: {@link overlapOfEnds}), which they may be only the chance start of.
 *
 * Exact ends first, because one's own characters are not all unseen ones: a paragraph one typed
 * earlier is one's own too, and bridging from the start over it would pair the letters of the
 * words typed offline with the same letters of the text after them (« Alpha abcdefghij beta »
 * against « Alpha beta » paired the offline « b » and « e » with those of « beta »; issue 8).
 */
export function alignEnds(a: string, b: string, skippable: readonly boolean[]): [number, number][] {
  const pairs: [number, number][] = [];
  // A copy of the end of `a` only (a split: the end went to a new paragraph) or of its start only
  // (a join split again in the same change) is that part, whole: pairing its common start first
  // would pair the letters `b` happens to begin with (« w1r2 » of « w1r20 … ») with the start of
  // `a`, and leave the part of `a` really copied elsewhere unpaired (issue 8, fuzz: a word typed
  // offline at the start of a paragraph cut then joined was lost).
  if (b.length > 0 && b.length < a.length) {
    if (a.endsWith(b)) return Array.from(b, (_, j) => [a.length - b.length + j, j]);
    if (a.startsWith(b)) return Array.from(b, (_, j) => [j, j]);
    // Or a part of its middle, long enough not to be chance: an undo that puts back two
    // paragraphs a split had made writes their text again in runs cut by the text that stayed
    // (« ␣␣w2r5␣ » of « ␣␣w1r20␣␣w2r5␣Alpha… »); pairing its common start instead (the spaces
    // and « w » all typed words begin with) left « 2r5 » unpaired, written again there, and
    // the word garbled (issue 8, fuzz).
    if (b.length >= MIN_INNER_OVERLAP) {
      const at = a.indexOf(b);
      if (at >= 0) return Array.from(b, (_, j) => [at + j, j]);
    }
  }
  // The other way round: all of `a` copied among text its writer typed in the same change (a
  // word typed offline at the end of a paragraph, then the next one joined to it): pairing the
  // common start would pair `a` with the letters that word happens to begin with. At the end of
  // `b` too: two paragraphs joined to the one before in one change make one stretch of copies,
  // and the second (« gamma w0r13 ») paired by its common end and the space both begin with
  // would hold the whole stretch, leaving the first (« beta w0r14 ») unpaired (issue 8, fuzz).
  if (a.length > 1 && a.length < b.length && !b.startsWith(a)) {
    const at = lastWholeIndexOf(b, a);
    if (at >= 0) return Array.from(a, (_, i) => [i, at + i]);
  }
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length && a.charCodeAt(i) === b.charCodeAt(j)) pairs.push([i++, j++]);
  const commonStart = i;
  // A common start running on into a word that goes on differently in `a` and `b` (« ␣beta␣w2r »
  // of « ␣beta␣w2r0␣ » and « ␣beta␣w2r35␣ »: the « ␣w2r » all of one writer's words begin with)
  // holds that word's first letters by chance: they are paired with the rest of `a`, from the
  // space before the word, on their own. Held with the start, they made the pairing span all of
  // `a` and outweigh the real copy of its end (« ␣w2r0␣ », split off in the same change), and
  // the server wrote the rest of the word (« 0 ») again after those letters, inside the word
  // (issue 8, fuzz: « w2r035 », « w0r3025 », « w0r432r3 »).
  const edge = wordEdgeBefore(a, b, commonStart);
  if (edge !== null) {
    const rest = alignEnds(a.slice(edge), b.slice(edge), skippable.slice(edge));
    return [
      ...Array.from({ length: edge }, (_, f): [number, number] => [f, f]),
      ...rest.map(([f, t]): [number, number] => [f + edge, t + edge]),
    ];
  }
  let k = a.length - 1;
  let l = b.length - 1;
  while (k >= i && l >= j && a.charCodeAt(k) === b.charCodeAt(l)) pairs.push([k--, l--]);
  const commonEnd = pairs.length - commonStart;
  // All of `a` in two pieces, one at an end of `b` and the other whole further in: the copy of
  // another deleted run stands between them. A common start (or end) running on into that other
  // copy by the letters both words begin with would leave the rest of `a` unpaired.
  if (i <= k) {
    const split = splitCopy(a, b, i, a.length - 1 - k);
    if (split) return split;
  }
  // What `b` holds in between: from the start of the rest, then from its end, bridging.
  while (i <= k && j <= l) {
    if (a.charCodeAt(i) === b.charCodeAt(j)) {
      pairs.push([i++, j++]);
      continue;
    }
    let over = i;
    while (over <= k && over - i < MAX_BRIDGE && skippable[over] && a.charCodeAt(over) !== b.charCodeAt(j))
      over++;
    if (over === i || over > k || a.charCodeAt(over) !== b.charCodeAt(j)) break;
    i = over;
  }
  while (k >= i && l >= j) {
    if (a.charCodeAt(k) === b.charCodeAt(l)) {
      pairs.push([k--, l--]);
      continue;
    }
    let over = k;
    while (over >= i && k - over < MAX_BRIDGE && skippable[over] && a.charCodeAt(over) !== b.charCodeAt(l))
      over--;
    if (over === k || over < i || a.charCodeAt(over) !== b.charCodeAt(l)) break;
    k = over;
  }
  // A common start of a character or two, cut off from a longer common end by text of `a` that
  // `b` lacks, is chance (the space and « w » a co-writer's word and the writer's own begin with):
  // held with the end, it would make the pairing span all of `a`, and leave the part of `a` really
  // copied elsewhere (« w2r15 » of « w2r15 Delta epsilon », kept before a join was undone)
  // unpaired (issue 8, fuzz: a word typed after that paragraph was lost).
  const fromStart = pairs.filter(([f]) => f < i).length;
  const fromEnd = pairs.filter(([f]) => f > k).length;
  if (i <= k && fromStart > 0 && fromStart < MIN_CHANCE_FREE && fromEnd >= MIN_INNER_OVERLAP)
    return pairs.filter(([f]) => f > k);
  // A common start and a common end that hold no whole word (or are a character or two long),
  // nothing in common between them, and both runs going on past them: chance (the « ␣w » or
  // « ␣w2r » typed words begin with, the space they end with), not a copy. Taken for one, it
  // paired a deleted run with a word its writer typed in the same change, and the server wrote
  // what the run's writer had but did not copy again after those letters, inside the word
  // (issue 8, fuzz: « ␣w1r31…w1r26␣ » written into « ␣w0r45␣ » as « w1r31…w1r260r45 »). What
  // may still be a copy is looked for instead: an overlap of their ends, `b` whole in `a`, a
  // stretch of whole words, or a long stretch (the middle of a paragraph joined after a word).
  if (
    pairs.length === commonStart + commonEnd &&
    (commonStart < MIN_CHANCE_FREE || !startHoldsWord(a, b, commonStart)) &&
    (commonEnd < MIN_CHANCE_FREE || !endHoldsWord(a, b, commonEnd)) &&
    pairs.length < Math.min(a.length, b.length)
  ) {
    const overlap = overlapOfEnds(a, b);
    const whole = wholeWordsIn(a, b);
    if (whole.length > overlap.length) return whole;
    const words = commonWords(a, b);
    if (words.length > overlap.length) return words;
    const inner = overlap.length < MIN_INNER_OVERLAP ? commonStretch(a, b) : [];
    return inner.length > overlap.length ? inner : overlap;
  }
  // A common start or end of a character or two may be chance (« w » both words begin with):
  // the old text's start copied after the writer's own word (« Delta| epsilon » split, then a
  // word typed before « Delta » and the paragraph joined, offline) is a longer overlap.
  const overlap = pairs.length < MIN_INNER_OVERLAP ? overlapOfEnds(a, b) : [];
  if (overlap.length > pairs.length) return overlap;
  // The space (or other character that is no letter) the common start ends with goes with the
  // common end when `b` has the same character just before it: it begins the word the end holds
  // (« ␣beta␣gamma » joined as « ␣beta␣w1r12␣␣gamma »: the space before « gamma », not the one
  // before the word typed in the same change). Paired with the start, a co-writer's cut of
  // « ␣gamma », arriving late, took that space back with « gamma », and glued the typed word to
  // « beta » (issue 8, fuzz: « betaw1r12 », « Deltaw2r0 »).
  const last = commonStart - 1;
  const before = b.length - 1 - commonEnd;
  if (
    last >= 0 &&
    commonEnd > 0 &&
    before > last &&
    !isWordCharacter(a, last) &&
    a.charCodeAt(last) === b.charCodeAt(before) &&
    isWordCharacter(a, a.length - commonEnd) &&
    pairs.some(([f, t]) => f === last && t === last) &&
    !pairs.some(([, t]) => t > last && t <= before)
  )
    return pairs.map(([f, t]): [number, number] => (f === last ? [f, before] : [f, t]));
  return pairs;
}

/**
 * Where a common start of `a` and `b`, `length` characters long, that runs on into a word going
 * on differently in each (« ␣w2r » of « ␣w2r0 » and « ␣w2r35 »), is cut back to: before that
 * word and the character (a space) before it; null when it ends at the edge of a word in either,
 * or when nothing would be left of it.
 */
function wordEdgeBefore(a: string, b: string, length: number): number | null {
  if (!isWordCharacter(a, length - 1) || !isWordCharacter(a, length) || !isWordCharacter(b, length))
    return null;
  let edge = length;
  while (edge > 0 && isWordCharacter(a, edge - 1)) edge--;
  if (edge > 0) edge--;
  return edge > 0 ? edge : null;
}

/** A letter or a digit: what a word goes on with. */
const WORD_CHARACTER = /[\p{L}\p{N}]/u;

/**
 * Whether a pairing pairs an end of the deleted run that is a letter or digit with a character
 * of the inserted run that a letter or digit of no pair follows (or precedes, at the start): the
 * copy it stands for would run on into a longer word, which a copy of a whole run does not.
 */
function runsIntoWord({ from, target, pairs }: Pick<Candidate, 'from' | 'target' | 'pairs'>): boolean {
  const paired = new Set(pairs.map(([, t]) => t));
  const word = (s: string, at: number) => WORD_CHARACTER.test(s.charAt(at));
  for (const [f, t] of pairs) {
    if (f === from.str.length - 1 && word(from.str, f) && word(target.str, t + 1) && !paired.has(t + 1))
      return true;
    if (f === 0 && word(from.str, f) && t > 0 && word(target.str, t - 1) && !paired.has(t - 1)) return true;
  }
  return false;
}

/**
 * The last place of `a` in `b` that does not run on into a longer word (the character after it
 * is no letter or digit, or `a` ends with none); -1 when there is none. A paragraph's end
 * « ␣w2r3 » split off, then « ␣w2r34␣ » typed after it by the writer of the split in the same
 * change (offline), holds « ␣w2r3 » twice: the last place, inside the typed word, made a
 * co-writer's keystrokes hung on the old « 3 » go inside « w2r34 »; and a stretch that holds it
 * only inside a word (« ␣w2r30␣ » typed elsewhere in the same change) is no copy of it, but was
 * paired as one as often as the real copy (issue 8, fuzz: « w2r3␣w2r5␣4 », « w2r3␣w0r29␣0 »).
 */
function lastWholeIndexOf(b: string, a: string): number {
  const last = b.lastIndexOf(a);
  if (last < 0 || !WORD_CHARACTER.test(a.charAt(a.length - 1))) return last;
  for (let at = last; at >= 0; at = at > 0 ? b.lastIndexOf(a, at - 1) : -1) {
    const next = b.charAt(at + a.length);
    if (next === '' || !WORD_CHARACTER.test(next)) return at;
  }
  return -1;
}

/**
 * `a` paired in two pieces when `b` holds it so, or null: its start is the start of `b` (at most
 * `start` characters, the common start) and the rest, at least {@link MIN_INNER_OVERLAP} long, is
 * found whole after it; or its end is the end of `b` (at most `end` characters) and the rest is
 * found whole before it. The longest such start (then end) wins. An undone split and a join sent
 * in one change copy two deleted runs into one inserted stretch, the second inside the first
 * (« gammaDelta epsilon| w2r8 | w2r0 »): the common start ran on into « w2r8 » by the « w2r »
 * both words begin with, and the unpaired « 0 » of « w2r0 » was written again there, garbling
 * the word (issue 8, fuzz).
 */
function splitCopy(a: string, b: string, start: number, end: number): [number, number][] | null {
  for (let p = Math.min(start, a.length - MIN_INNER_OVERLAP); p >= MIN_OVERLAP; p--) {
    const at = b.indexOf(a.slice(p), p);
    if (at >= 0) return Array.from(a, (_, f): [number, number] => [f, f < p ? f : at + f - p]);
  }
  for (let n = Math.min(end, a.length - MIN_INNER_OVERLAP); n >= MIN_OVERLAP; n--) {
    const head = a.length - n;
    const at = b.lastIndexOf(a.slice(0, head), b.length - n - head);
    if (at >= 0)
      return Array.from(a, (_, f): [number, number] => [f, f < head ? at + f : b.length - a.length + f]);
  }
  return null;
}

/**
 * Shortest stretch {@link commonStretch} pairs, twice {@link MIN_INNER_OVERLAP}: a stretch of
 * six characters (« ␣␣w2r1 ») is often common to two runs by chance.
 */
const MIN_COMMON_STRETCH = 12;

const isWordCharacter = (s: string, at: number): boolean => WORD_CHARACTER.test(s.charAt(at));

/**
 * Whether the common start of `a` and `b`, `length` characters long, holds a whole word: one of
 * its letters or digits ends a word in both (nothing of a word follows it in either). « ␣w2r »,
 * which the words « ␣w2r44␣ » and « ␣w2r81␣ » begin with, holds none.
 */
function startHoldsWord(a: string, b: string, length: number): boolean {
  for (let p = length; p > 0; p--)
    if (isWordCharacter(a, p - 1) && !isWordCharacter(a, p) && !isWordCharacter(b, p)) return true;
  return false;
}

/** The same for the common end of `a` and `b`, `length` characters long: a word begins in it in both. */
function endHoldsWord(a: string, b: string, length: number): boolean {
  for (let q = 0; q < length; q++) {
    const inA = a.length - length + q;
    const inB = b.length - length + q;
    if (isWordCharacter(a, inA) && !isWordCharacter(a, inA - 1) && !isWordCharacter(b, inB - 1)) return true;
  }
  return false;
}

/**
 * `b` paired where `a` holds it whole, at its last place that neither begins nor ends inside a
 * longer word of `a`, when it is shorter and holds a letter or digit; none otherwise. For a run
 * whose common start and end with `b` are chance ({@link alignEnds}): a word of its middle cut off
 * into a paragraph of its own (« ␣w2r4 » of « ␣w2r3␣␣w2r4␣␣w2r14␣ ») is still its copy.
 */
function wholeWordsIn(a: string, b: string): [number, number][] {
  if (b.length >= a.length || !WORD_CHARACTER.test(b)) return [];
  for (let at = a.lastIndexOf(b); at >= 0; at = at > 0 ? a.lastIndexOf(b, at - 1) : -1) {
    const startsWord = !isWordCharacter(b, 0) || !isWordCharacter(a, at - 1);
    const endsWord = !isWordCharacter(b, b.length - 1) || !isWordCharacter(a, at + b.length);
    if (startsWord && endsWord) return Array.from(b, (_, j): [number, number] => [at + j, j]);
  }
  return [];
}

/**
 * The longest stretch of whole words `a` and `b` both hold (it begins and ends at the edge of a
 * word in both: what surrounds it there is no letter or digit), at least
 * {@link MIN_INNER_OVERLAP} long, paired, or none (also when the runs are too long to compare,
 * {@link MAX_STRETCH_SEARCH}). For a run whose common start and end with `b` are chance
 * ({@link alignEnds}): a word of its middle cut off then typed after in the same change
 * (« ␣w2r4␣ » of « ␣w2r3␣␣w2r4␣␣w2r14␣ », copied as « ␣w2r4␣w0r43␣ ») is still its copy.
 */
function commonWords(a: string, b: string): [number, number][] {
  return longestCommon(a, b, MIN_INNER_OVERLAP, (i, j, length) => {
    // Ends at the edge of a word in both.
    if (isWordCharacter(a, i - 1) && (isWordCharacter(a, i) || isWordCharacter(b, j))) return null;
    // Begins at the edge of a word in both, or from its first character that is no letter or digit.
    let from = i - length;
    const edge =
      !isWordCharacter(a, from) || (!isWordCharacter(a, from - 1) && !isWordCharacter(b, j - length - 1));
    if (!edge) while (from < i && isWordCharacter(a, from)) from++;
    // One space at most on each side: a second one is the next word's (« ␣w1r38␣ » and the
    // space « ␣w1r2 » begins with).
    let to = i;
    while (to - from > 2 && !isWordCharacter(a, to - 1) && !isWordCharacter(a, to - 2)) to--;
    while (to - from > 2 && !isWordCharacter(a, from) && !isWordCharacter(a, from + 1)) from++;
    return WORD_CHARACTER.test(a.slice(from, to)) ? [from, to] : null;
  });
}

/**
 * Largest `a.length * b.length` {@link commonWords} and {@link commonStretch} compare: their cost,
 * paid for each pair of runs whose ends are chance.
 */
const MAX_STRETCH_SEARCH = 20_000;

/**
 * The longest stretch `a` and `b` both hold, at least {@link MIN_INNER_OVERLAP} long, paired, or
 * none (also when the runs are too long to compare, {@link MAX_STRETCH_SEARCH}). For a run whose
 * common start and end with `b` are chance ({@link alignEnds}): its middle may still be copied
 * inside `b` (a paragraph's middle joined after a word typed in the same change).
 */
function commonStretch(a: string, b: string): [number, number][] {
  return longestCommon(a, b, MIN_COMMON_STRETCH, (i, _j, length) => [i - length, i]);
}

/**
 * The longest stretch of `a` that `keep` keeps from the common stretches of `a` and `b`, at least
 * `min` long, paired, or none (also when the runs are too long to compare,
 * {@link MAX_STRETCH_SEARCH}). Each common stretch ending at `a[i - 1]` and `b[j - 1]`, `length`
 * long and longer than the best so far, is handed to `keep`, which returns the part of it kept
 * (`[from, to)` in `a`, ending at `i` or before it) or null. One row of lengths at a time:
 * O(a·b) time, O(b) memory.
 */
function longestCommon(
  a: string,
  b: string,
  min: number,
  keep: (i: number, j: number, length: number) => [number, number] | null,
): [number, number][] {
  if (a.length * b.length > MAX_STRETCH_SEARCH) return [];
  // Lengths of the common stretches ending at a[i - 1] and b[j - 1], one row at a time.
  let previous = new Uint32Array(b.length + 1);
  let row = new Uint32Array(b.length + 1);
  let best = 0;
  let startA = 0;
  let startB = 0;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const length = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? (previous[j - 1] as number) + 1 : 0;
      row[j] = length;
      if (length <= best) continue;
      const kept = keep(i, j, length);
      if (kept === null || kept[1] - kept[0] <= best) continue;
      best = kept[1] - kept[0];
      startA = kept[0];
      startB = j - (i - kept[0]);
    }
    [previous, row] = [row, previous];
  }
  if (best < min) return [];
  return Array.from({ length: best }, (_, k): [number, number] => [startA + k, startB + k]);
}

/** Shortest common start that is not taken for chance beside a longer common end. */
const MIN_CHANCE_FREE = 3;

/** Shortest overlap {@link overlapOfEnds} pairs: one character (a space) overlaps too often. */
const MIN_OVERLAP = 2;

/**
 * Shortest part of `a` {@link overlapOfEnds} pairs when found inside `b` rather than at its ends:
 * typed words share their first letters (« w1r2 », « w1r23 »), so a short part would often be
 * found in words that were never moved.
 */
const MIN_INNER_OVERLAP = 6;

/**
 * When `a` and `b` share neither start nor end: the longest end of `a` that `b` starts with (the
 * end of a paragraph split off, then typed after by the writer of the split in the same change),
 * failing that the longest start of `a` that `b` ends with (typed before), at least
 * {@link MIN_OVERLAP} characters long; failing that the longest end, then start, of `a` found
 * inside `b` (typed both before and after), at least {@link MIN_INNER_OVERLAP} long. A join
 * undone, the paragraph split again and typed in, offline, reach the server as one change: the
 * text the split moved must be paired (issue 8, fuzz: a co-writer's keystroke on its way for that
 * paragraph was lost).
 */
function overlapOfEnds(a: string, b: string): [number, number][] {
  for (let n = Math.min(a.length - 1, b.length - 1); n >= MIN_OVERLAP; n--) {
    if (b.startsWith(a.slice(a.length - n)))
      return Array.from({ length: n }, (_, j) => [a.length - n + j, j]);
  }
  for (let n = Math.min(a.length - 1, b.length - 1); n >= MIN_OVERLAP; n--) {
    if (b.endsWith(a.slice(0, n))) return Array.from({ length: n }, (_, j) => [j, b.length - n + j]);
  }
  // The end of `a` split off, then typed both before and after by the writer of the split in the
  // same change (offline: « Delta| epsilon » cut, a word typed at each end of « epsilon »), or
  // its start joined to text and typed after and before.
  for (let n = Math.min(a.length - 1, b.length - 2); n >= MIN_INNER_OVERLAP; n--) {
    const at = b.indexOf(a.slice(a.length - n));
    if (at >= 0) return Array.from({ length: n }, (_, j) => [a.length - n + j, at + j]);
  }
  for (let n = Math.min(a.length - 1, b.length - 2); n >= MIN_INNER_OVERLAP; n--) {
    const at = b.lastIndexOf(a.slice(0, n));
    if (at >= 0) return Array.from({ length: n }, (_, j) => [j, at + j]);
  }
  return [];
}

/** A deleted run paired with an inserted one (`target`: with the kept end, see withKeptEnd). */
interface Candidate {
  from: Run;
  to: Run;
  target: Run;
  pairs: [number, number][];
  /** Which characters of `from` the pairing may pass over (see alignEnds). */
  skippable: readonly boolean[];
  /** Whether the move is left to the editors (see leftToEditors). */
  editors: boolean;
  /**
   * Whether a character deleted alone was paired through the text around it
   * ({@link withDeletedNeighbours}, {@link placeAmong}): its copy stands among that text's copy.
   */
  byNeighbours: boolean;
}

/** A pairing kept, with the ranges of the deleted and the inserted run it holds (inclusive). */
interface Accepted {
  candidate: Candidate;
  pairs: [number, number][];
  range: [number, number];
  rangeTo: [number, number];
}

/** Above this many run pairs, only runs of identical text are paired (a whole document replaced). */
const MAX_PAIRS = 250_000;

/**
 * The characters `transaction` moved: for each run of characters it deleted, the run of characters
 * it inserted with the most text in common at either end (a split moves a paragraph's end into a
 * new paragraph, a paste moves it to the end of the last pasted paragraph, a join appends the
 * second paragraph to the first), then other runs for the parts of it not paired yet (a join and
 * a split in one transaction); each character of the common start and end maps to its copy.
 * `seen`, when known (the server has the writer's delete set), tells the deleted characters the
 * writer had: the others (typed meanwhile by someone else) are left out of the runs, so they do not
 * shift the pairing. An inserted run may hold the copies of several deleted ones, each in its own
 * part (an undone split and a join sent in one update). A pairing needs two characters in common
 * (one, when a run is one character long). Characters the transaction wrote into a paragraph
 * that was there before and is deleted (a copy that arrived after its paragraph was joined away)
 * take part in the pairing, so that the text they copy is not paired by chance elsewhere, but
 * are never the target of a move: carrying them is the server's (sectionForwarding.ts). In an
 * editor (`seen` null), what the server wrote again for one's own characters in the same update is
 * paired by its place, not its letters ({@link pairWrittenAgain}). Only moves left to the editors count (see the module's comment). Runs only read: call it from a
 * `afterTransaction` listener, while the deleted characters still have their content.
 * Cost: nothing for a transaction that deletes or inserts no text (a keystroke, a Backspace).
 */
export function detectTextMoves(
  transaction: Y.Transaction,
  seen: ((id: CharId) => boolean) | null = null,
): TextMoves {
  const moves = new TextMoves();
  const deletedTexts = new Set<Y.XmlText>();
  Y.iterateDeletedStructs(transaction, transaction.deleteSet, (struct) => {
    if (
      struct instanceof Y.Item &&
      struct.content instanceof Y.ContentString &&
      struct.parent instanceof Y.XmlText
    )
      if (existedBefore(transaction, struct)) deletedTexts.add(struct.parent);
  });
  if (deletedTexts.size === 0) return moves;
  const insertedTexts = new Set<Y.XmlText>();
  for (const [client, after] of transaction.afterState) {
    const before = transaction.beforeState.get(client) ?? 0;
    if (after > before) textsWrittenIn(transaction.doc, client, before, after, insertedTexts);
  }
  if (insertedTexts.size === 0) return moves;

  const deletedNow = (n: Y.Item) =>
    n.deleted && existedBefore(transaction, n) && Y.isDeleted(transaction.deleteSet, n.id);
  // In an editor, the texts of a section the server moved in this transaction, when it recorded
  // which of one's characters its copy holds: the others, on their way, are left out of the runs
  // (the server writes them again when they arrive), as `seen` leaves them out on the server.
  const copied =
    seen === null
      ? copiedOwnCharacters(transaction, deletedTexts)
      : new Map<Y.XmlText, (id: CharId) => boolean>();
  // Within one text, an editor's change deletes one stretch of what it sees: characters still
  // there between deleted ones were typed meanwhile by others (in flight), and do not cut a run;
  // nor do new characters hung on one the change deletes (see writtenByOthers).
  const deleted = [...deletedTexts].flatMap((text) =>
    runsIn(
      text,
      deletedNow,
      (n) => !existedBefore(transaction, n) && !writtenByOthers(transaction, n, deletedNow),
      seen ?? copied.get(text),
    ),
  );
  const inserted = [...insertedTexts].flatMap((text) =>
    runsIn(
      text,
      (n) => !n.deleted && !existedBefore(transaction, n),
      (n) => !n.deleted,
    ),
  );
  // Copies written into a paragraph deleted before they arrived (a join into a paragraph a
  // co-writer had joined away, offline): they are late edits there, the server's to carry
  // (sectionForwarding.ts), but they are the copy: they hold their text against a chance
  // pairing with other text inserted by the same change (« w0r9 Delta » and « w0r63 »).
  const sunkTexts = new Set<Y.XmlText>();
  for (const [client, after] of transaction.afterState) {
    const structs = transaction.doc.store.clients.get(client);
    const before = transaction.beforeState.get(client) ?? 0;
    if (!structs || after <= before) continue;
    for (let i = Y.findIndexSS(structs, before); i < structs.length; i++) {
      const n = structs[i];
      if (!(n instanceof Y.Item) || !n.deleted || !(n.content instanceof Y.ContentString)) continue;
      const text = n.parent;
      const holder = text instanceof Y.XmlText ? text._item : null;
      const block = text instanceof Y.XmlText ? elementOf(text) : null;
      // Not a paragraph the same change wrote then deleted (split, then joined again), nor one
      // that was there before and that the same change wrote into then deleted (joined to the
      // one before, then that one joined on): its text is only a step of the move. Taken for the
      // copy, it held the joined text's start, whose late keystrokes then had nowhere to go
      // (issue 8, fuzz: a word typed at the end of a paragraph cut then joined twice, offline).
      const deletedBefore = (n: Y.Item) => n.deleted && !Y.isDeleted(transaction.deleteSet, n.id);
      if (
        holder &&
        block &&
        existedBefore(transaction, block) &&
        (deletedBefore(holder) || deletedBefore(block))
      )
        sunkTexts.add(text as Y.XmlText);
    }
  }
  const sunk = new Set(
    [...sunkTexts].flatMap((text) =>
      runsIn(
        text,
        (n) => n.deleted && !existedBefore(transaction, n),
        (n) => existedBefore(transaction, n),
      ),
    ),
  );
  inserted.push(...sunk);
  const exactOnly = deleted.length * inserted.length > MAX_PAIRS;
  // In an editor, one's own characters deleted with a paragraph may be ones the writer of the
  // change had not received (in flight): its copy lacks them, and the pairing may pass over them
  // (see alignEnds). The server knows which the writer had (`seen`): it needs no guess.
  const isOwn = (id: CharId) => seen === null && isOwnOrForwarded(transaction.doc, id);
  // A section moved by the server: it had every character it wrote again for one (client id
  // minus one), which are copied like any other; only one's own may be on their way. Passed over
  // as possibly unseen, the server's re-write let one's own space in flight be paired with the
  // space after it (« A02␣␣Abase07 », the caret put past that space; tester of stop 35).
  const isOwnOnly = (id: CharId) => seen === null && id.client === transaction.doc.clientID;
  const candidates: Candidate[] = [];
  for (const from of deleted) {
    // Nothing to guess in a moved section whose copy the server described.
    const skippable = from.ids.map(
      copied.has(from.text) ? () => false : goneWithSection(from) ? isOwnOnly : isOwn,
    );
    // The same run as the writer saw it if it had none of one's characters (typed offline, or on
    // their way): one's characters may match the copy's letters by chance (a space typed before
    // the copy's space), which the pairing must not prefer to the characters that were copied.
    const others = skippable.some(Boolean) ? from.ids.flatMap((_, k) => (skippable[k] ? [] : [k])) : null;
    const othersStr = others?.map((k) => from.str[k] as string).join('') ?? '';
    // A character deleted alone (a space) matches the first of many: its neighbours deleted
    // earlier tell which (see withDeletedNeighbours).
    const lone = from.str.length === 1 ? withDeletedNeighbours(transaction, from, isOwn) : null;
    for (const to of inserted) {
      if (exactOnly && from.str !== to.str) continue;
      // The binding keeps the characters a paragraph's old and new texts end with: a join of
      // « Alpha beta. » onto « Premier paragraphe. » by a selection typed over inserts
      // « X beta » before the first paragraph's own final « . », which stands for the second's.
      let byNeighbours = false;
      const pairWith = (onto: Run): [number, number][] => {
        byNeighbours = false;
        if (lone) {
          const at = placeAmong(lone, onto.str);
          if (at !== null) {
            byNeighbours = true;
            return [[0, at]];
          }
        }
        let pairs = alignEnds(from.str, onto.str, skippable);
        if (others) {
          const without = alignEnds(othersStr, onto.str, []).map(([f, t]): [number, number] => [
            others[f] as number,
            t,
          ]);
          if (without.length >= pairs.length) pairs = without;
        }
        return pairs;
      };
      let target = sunk.has(to) ? to : withKeptEnd(transaction, to);
      let pairs = pairWith(target);
      // The kept end stands for the old text's end only when it is that end, whole: text others
      // wrote after the run (« gamma| w0r94 », where an undone split puts back « beta gamma »)
      // is no copy, and pairing the run's start over it (the « w » both words begin with) leaves
      // the rest of the old text unpaired (issue 8, fuzz: a co-writer's word garbled).
      if (
        target.str.length > to.str.length &&
        !keepsEndWhole(pairs, from.str.length, to.str.length, target.str.length)
      ) {
        target = to;
        pairs = pairWith(to);
      }
      // One character in common (the space a typed word and a paragraph's end both begin with)
      // is chance, unless one of the runs is that one character.
      if (pairs.length > 1 || (pairs.length === 1 && Math.min(from.str.length, to.str.length) === 1))
        candidates.push({
          from,
          to,
          target,
          pairs,
          skippable,
          editors: leftToEditors(transaction, from, to),
          byNeighbours,
        });
    }
  }
  // At equal length, a pairing in one stretch before one in pieces: a common start and end of
  // a few characters each (« ␣w2r » and the final space of « ␣w2r29␣ ») are more often chance
  // than a whole run that is exactly the start of the deleted one (« ␣w2r5 », joined to the
  // paragraph before in the same change that cut off the rest; issue 8, fuzz: « w2r529 »).
  const piecesOf = new Map(candidates.map((c) => [c, pieces(c.pairs)]));
  // At equal length and pieces, a pairing that stops inside a word of the inserted run (the
  // deleted « ␣w2r3 » against the start of « ␣w2r36 » typed in the same change) comes after one
  // that holds a whole run (its real copy « ␣␣w2r3 »): chosen first, it glued a co-writer's word
  // into « w2r36 » (issue 8, fuzz: « w2r3␣w0r29␣6 »).
  const gluedOf = new Map(candidates.map((c) => [c, runsIntoWord(c) ? 1 : 0]));
  candidates.sort(
    (a, b) =>
      b.pairs.length - a.pairs.length ||
      (piecesOf.get(a) as number) - (piecesOf.get(b) as number) ||
      (gluedOf.get(a) as number) - (gluedOf.get(b) as number),
  );
  // A run may go to several places (a join and a split in one transaction: its start stays in
  // the paragraph it was appended to, its end goes to a new one), each a part of it before or
  // after the parts already paired; and an inserted run may hold the copies of several (an undone
  // split and a join sent in one update: the end the undo puts back, then the joined paragraph,
  // one stretch of new characters), each in a part of it the others do not hold.
  const parts = new Map<Run, [number, number][]>();
  const holds = new Map<Run, [number, number][]>();
  const within = (ranges: readonly [number, number][], x: number) =>
    ranges.some(([a, b]) => x >= a && x <= b);
  const accepted: (Accepted & { firstHeld: boolean })[] = [];
  const bounds = (
    pairs: readonly [number, number][],
  ): { range: [number, number]; rangeTo: [number, number] } => {
    let first = Infinity;
    let last = -1;
    let firstTo = Infinity;
    let lastTo = -1;
    for (const [f, t] of pairs) {
      if (f < first) first = f;
      if (f > last) last = f;
      if (t < firstTo) firstTo = t;
      if (t > lastTo) lastTo = t;
    }
    return { range: [first, last], rangeTo: [firstTo, lastTo] };
  };
  const consider = (candidate: Candidate): void => {
    const { from, to } = candidate;
    const taken = parts.get(from) ?? [];
    const held = holds.get(to) ?? [];
    // Characters both parts begin or end with (the space a split cut before, which the part
    // before ends with too) go to the part paired first; the other keeps the rest, if that is
    // most of it.
    let pairs = candidate.pairs.filter(([f, t]) => !within(taken, f) && !within(held, t));
    const contested = candidate.pairs.filter(([f]) => within(taken, f));
    // Unless they are the edge of that part, and this one is a whole end of the run split off.
    const winner = winsEdge(candidate, contested, accepted);
    if (winner) {
      const lost = new Set(contested.map(([f]) => f));
      winner.pairs = winner.pairs.filter(([f]) => !lost.has(f));
      const { range, rangeTo } = bounds(winner.pairs);
      winner.range.splice(0, 2, ...range);
      winner.rangeTo.splice(0, 2, ...rangeTo);
      pairs = candidate.pairs.filter(([, t]) => !within(held, t));
    } else if (pairs.length < candidate.pairs.length && !exactOnly) {
      const again = realigned(candidate, taken, held);
      if (again.length > pairs.length) pairs = again;
    }
    if (pairs.length === 0 || 2 * pairs.length < candidate.pairs.length) return;
    const { range, rangeTo } = bounds(pairs);
    const [first, last] = range;
    const [firstTo, lastTo] = rangeTo;
    if (taken.some(([a, b]) => !(last < a || first > b))) return;
    if (held.some(([a, b]) => !(lastTo < a || firstTo > b))) return;
    taken.push(range);
    parts.set(from, taken);
    const firstHeld = held.length === 0;
    held.push(rangeTo);
    holds.set(to, held);
    accepted.push({ candidate, pairs, range, rangeTo, firstHeld });
    // The rest of the run in the same copy, on the same side of the part paired: a join of
    // text a co-writer had meanwhile cut in two (« ␣w2r11␣␣gamma␣w1r13␣ », « ␣␣gamma » cut off)
    // copies it whole, around the part cut off; only its end was paired (see overlapOfEnds), and
    // its start went to a chance pairing with a word typed elsewhere (issue 8, fuzz: « w2r111r15 »).
    const rest = exactOnly ? [] : realigned(candidate, taken, held);
    const sameSide = rest.every(([f, t]) => (f < first ? t < firstTo : f > last ? t > lastTo : false));
    if (rest.length >= MIN_INNER_OVERLAP && sameSide) {
      const more = bounds(rest);
      taken.push(more.range);
      held.push(more.rangeTo);
      accepted.push({ candidate, pairs: rest, ...more, firstHeld: false });
    }
  };
  // A character deleted alone (a space) is paired last, next to the copy of its deleted
  // neighbours when one of its candidates is: its one character matches the first space of any
  // word typed in the same change, and text hung on it followed to the start of that word
  // (issue 8, fuzz: « gammaw2r61 »).
  const nextToHeld = (c: Candidate): boolean => {
    const t = c.pairs[0]?.[1];
    return t !== undefined && (holds.get(c.to) ?? []).some(([a, b]) => t === a - 1 || t === b + 1);
  };
  for (const candidate of candidates) if (candidate.from.str.length > 1) consider(candidate);
  // Failing that, among the copy of the text around it (deleted before, or written and moved on by
  // the same change): its one character matches the first space of every word inserted with it.
  const lone = candidates.filter((c) => c.from.str.length === 1);
  lone.sort(
    (a, b) =>
      Number(nextToHeld(b)) - Number(nextToHeld(a)) || Number(b.byNeighbours) - Number(a.byNeighbours),
  );
  for (const candidate of lone) consider(candidate);
  for (const { candidate, pairs, firstHeld } of accepted) {
    const { from, to, target, editors } = candidate;
    if (sunk.has(to)) continue;
    const set = (a: CharId, b: CharId) => (editors ? moves.set(a, b) : moves.setForCaret(a, b));
    const inFlight =
      editors || seen !== null || copied.has(from.text)
        ? null
        : typedAfterLastWrittenAgain(transaction, from, target, pairs);
    for (const [f, t] of pairs) {
      const a = from.ids[f] as CharId;
      if (inFlight && a.client === transaction.doc.clientID && a.clock > inFlight) continue;
      set(a, target.ids[t] as CharId);
    }
    if (editors && firstHeld && (to.text === from.text || existedBeforeText(transaction, to)))
      moves.copies.push(to);
  }
  if (seen === null) pairWrittenAgain(transaction, moves);
  return moves;
}

/**
 * For each of `texts` (deleted in `transaction`) whose section the server moved in it and recorded
 * which characters its copy holds ({@link copiedWriters}): which characters of it the copy holds,
 * as far as the pairing needs to know (one's own below one's recorded clock, and every other one:
 * an editor receives others' characters from the server).
 */
function copiedOwnCharacters(
  transaction: Y.Transaction,
  texts: Iterable<Y.XmlText>,
): Map<Y.XmlText, (id: CharId) => boolean> {
  const out = new Map<Y.XmlText, (id: CharId) => boolean>();
  const own = transaction.doc.clientID;
  for (const text of texts) {
    const element = elementOf(text);
    const section = sectionOf(element);
    if (!section?.deleted || !existedBefore(transaction, section)) continue;
    if (!Y.isDeleted(transaction.deleteSet, section.id)) continue;
    const id = (section.content as Y.ContentType).type._map.get('id');
    const sectionId: unknown = id?.content.getContent()[0];
    const writers = typeof sectionId === 'string' ? copiedWriters(transaction, sectionId) : null;
    if (!writers) continue;
    const received = writers.get(own)?.clock ?? 0;
    out.set(text, (c) => c.client !== own || c.clock < received);
  }
  return out;
}

/**
 * In a section moved by the server, the clock of one's last own character that the copy holds as
 * the server's re-write of it (one's keystroke that reached the server after the move, written
 * again in the copy under one's client id minus one, in the same update): one's characters typed
 * after it had not reached the server, and have no copy, whatever letter they share with the
 * text after them. Null when the copy holds no such re-write (nothing tells then).
 *
 * Paired by their letters, one's space still on its way matched the space the copy has after
 * one's words, and the caret went past it: the next word was written after that space, and the
 * one after glued to the following word (« A01␣␣Abase07 », tester of stop 35, 7 of 27 tries).
 */
function typedAfterLastWrittenAgain(
  transaction: Y.Transaction,
  from: Run,
  target: Run,
  pairs: readonly [number, number][],
): number | null {
  const own = transaction.doc.clientID;
  const forwarder = forwarderOf(own);
  let last: number | null = null;
  for (const [f, t] of pairs) {
    const a = from.ids[f] as CharId;
    const b = target.ids[t] as CharId;
    const item = itemAt(transaction.doc, b);
    if (a.client === own && b.client === forwarder && item && !existedBefore(transaction, item))
      last = last === null ? a.clock : Math.max(last, a.clock);
  }
  return last;
}

/** Farthest the search for the left neighbour of what the server wrote again goes over new characters. */
const MAX_ANCHOR_SEARCH = 64;

/**
 * In an editor, pairs the characters the server wrote again in `transaction` for one's own (under
 * one's client id minus one, sectionForwarding.ts) by their place, not their letters, and puts
 * those pairs in `moves` instead of the ones the letters gave.
 *
 * The server writes what a co-writer's join deleted without having it (one's keystrokes it had
 * received, the co-writer not yet) just after the copy of the character before it, in its order,
 * often in the same update as the join (it merges what it sends in one turn). Paired by letters
 * with the characters of one's own the join deleted, the repeated letters of a typed word
 * (« AAAA », « aaaa ») gave one character the copy of its neighbour: the caret, kept after the
 * character it followed, stopped a character short of it, and the next keystrokes went inside the
 * word (issue 8, browser « Enter then Backspace »: « …aaaaAAA1111Aaaaa »). A run of such characters
 * just after the copy of a character (passing over new characters that are no copy: a co-writer
 * typing where the copy ends) stands for the characters of one's own that followed that character
 * in the deleted text and have no other copy, in their order, as long as their letters agree.
 */
function pairWrittenAgain(transaction: Y.Transaction, moves: TextMoves): void {
  const { doc } = transaction;
  const forwarder = forwarderOf(doc.clientID);
  const before = transaction.beforeState.get(forwarder) ?? 0;
  const after = transaction.afterState.get(forwarder) ?? 0;
  if (after <= before) return;
  const fresh = (id: CharId) => id.client === forwarder && id.clock >= before && id.clock < after;
  for (const text of textsWrittenIn(doc, forwarder, before, after)) {
    let run: Run = { text, str: '', ids: [] };
    for (let n = text._start; n; n = n.right) {
      if (n.deleted || n.content instanceof Y.ContentFormat || !n.countable) continue;
      for (let i = 0; i < n.length; i++) {
        const id = charId(n, i);
        if (n.content instanceof Y.ContentString && fresh(id)) {
          run.ids.push(id);
          run.str += n.content.str[i] as string;
        } else if (run.ids.length > 0) {
          pairRunWrittenAgain(transaction, moves, run);
          run = { text, str: '', ids: [] };
        }
      }
    }
    if (run.ids.length > 0) pairRunWrittenAgain(transaction, moves, run);
  }
}

/**
 * The character whose copy `run` (new characters) was written after: the nearest live character
 * on its left that is a copy (its original) or was there before (itself), passing over at most
 * {@link MAX_ANCHOR_SEARCH} other new characters. Null when there is none.
 */
function writtenAfter(transaction: Y.Transaction, moves: TextMoves, run: Run): CharId | null {
  const firstId = run.ids[0];
  let n = firstId ? itemAt(transaction.doc, firstId) : null;
  let k = n && firstId ? firstId.clock - n.id.clock - 1 : -1;
  for (let passed = 0; n && passed <= MAX_ANCHOR_SEARCH;) {
    if (k < 0 || n.deleted || n.content instanceof Y.ContentFormat || !n.countable) {
      n = n.left;
      k = n ? n.length - 1 : -1;
      continue;
    }
    const id = charId(n, k);
    const original = moves.sourceOf(id);
    if (original) return original;
    if (existedBefore(transaction, n)) return id;
    passed++;
    k--;
  }
  return null;
}

/** Pairs `run` as {@link pairWrittenAgain} says, or leaves `moves` as it is. */
function pairRunWrittenAgain(transaction: Y.Transaction, moves: TextMoves, run: Run): void {
  const { doc } = transaction;
  const anchor = writtenAfter(transaction, moves, run);
  const anchorItem = anchor ? itemAt(doc, anchor) : null;
  if (!anchor || !anchorItem) return;
  const deletedNow = (n: Y.Item) => n.deleted && Y.isDeleted(transaction.deleteSet, n.id);
  const inRun = new Set(run.ids.map(key));
  // One's characters after it in its text as it was, deleted now, without a copy elsewhere.
  const followers: CharId[] = [];
  let k = anchor.clock - anchorItem.id.clock + 1;
  outer: for (let n: Y.Item | null = anchorItem; n; n = n.right, k = 0) {
    if (n.content instanceof Y.ContentFormat || !existedBefore(transaction, n)) continue;
    if (n.deleted && !deletedNow(n)) continue;
    if (!(n.content instanceof Y.ContentString) || !deletedNow(n)) break;
    for (; k < n.length; k++) {
      const id = charId(n, k);
      const copy = moves.lookup(id);
      if (!isOwnOrForwarded(doc, id) || (copy && !inRun.has(key(copy)))) break outer;
      if (n.content.str[k] !== run.str[followers.length]) break outer;
      followers.push(id);
      if (followers.length === run.ids.length) break outer;
    }
  }
  // Only the characters paired here change hands: the letters may well have paired the rest.
  followers.forEach((id, j) => {
    const to = run.ids[j] as CharId;
    const before = moves.sourceOf(to);
    if (before) moves.forget(before);
    moves.set(id, to);
  });
}

/**
 * Whether `item`, new in `transaction`, hangs (through other new items) on a character that
 * `deletedNow` tells the transaction deleted: whoever wrote it still had that character, so it
 * is not the writer of the deletion (who deletes one stretch of what it sees) but a co-writer
 * whose keystrokes came in the same update, or the server writing late keystrokes again after
 * their left neighbour (sectionForwarding.ts). Such characters do not cut the deleted stretch:
 * cut there, its first character (the space before a moved « beta gamma ») stood alone and was
 * paired by chance with the first space inserted anywhere, taking one's text hung on it to the
 * start of a co-writer's word (issue 8, fuzz: « gammaw2r14 »).
 */
function writtenByOthers(
  transaction: Y.Transaction,
  item: Y.Item,
  deletedNow: (n: Y.Item) => boolean,
): boolean {
  for (let n: Y.Item | null = item; n;) {
    const origin: Y.ID | null = n.origin;
    const left: Y.Item | null = origin ? itemAt(transaction.doc, origin) : null;
    if (!left) return false;
    if (existedBefore(transaction, left)) return deletedNow(left);
    n = left;
  }
  return false;
}

/** How many stretches `pairs` make: runs of pairs consecutive in both texts. */
function pieces(pairs: readonly [number, number][]): number {
  const sorted = [...pairs].sort((x, y) => x[0] - y[0]);
  let count = sorted.length > 0 ? 1 : 0;
  for (let k = 1; k < sorted.length; k++) {
    const [f, t] = sorted[k] as [number, number];
    const [pf, pt] = sorted[k - 1] as [number, number];
    if (f !== pf + 1 || t !== pt + 1) count++;
  }
  return count;
}

/**
 * A deleted character alone in its run, with the characters around it that were deleted before
 * `transaction` or written and deleted by it (a copy its change moved on; {@link UNKNOWN} for each
 * character whose content the server had collected before sending it) (`at`: its index in `str`),
 * passing over live characters `passOver` accepts (one's own, which the writer of the change may
 * not have had); null when there are none. The
 * writer may still have had those characters (one deleted them meanwhile, concurrently): its copy
 * then holds their text too, which tells where the lone character's copy is when its letter
 * matches many (issue 8, fuzz: a paragraph cut by a co-writer just before the space after which
 * one had cut it, then typed at its start: one's cut, undone, moved to after the typed word's
 * space, gluing the word to the text).
 */
function withDeletedNeighbours(
  transaction: Y.Transaction,
  run: Run,
  passOver: (id: CharId) => boolean,
): { str: string; at: number } | null {
  const id = run.ids[0];
  const item = id ? itemAt(transaction.doc, id) : null;
  if (!item || item.length !== 1) return null;
  const before = (n: Y.Item) =>
    n.deleted && existedBefore(transaction, n) && !Y.isDeleted(transaction.deleteSet, n.id);
  // Written and deleted by `transaction`: a copy its change moved on (a join, then a split of the
  // joined paragraph, merged in one update by the server), read as characters of unknown letter
  // when the server sent it collected.
  const transient = (n: Y.Item) =>
    n.deleted &&
    !existedBefore(transaction, n) &&
    (n.content instanceof Y.ContentString || n.content instanceof Y.ContentDeleted);
  const textOf = (n: Y.Item): string | null =>
    n.content instanceof Y.ContentString && (before(n) || transient(n))
      ? n.content.str
      : transient(n)
        ? UNKNOWN.repeat(n.length)
        : null;
  const skipped = (n: Y.Item) =>
    n.content instanceof Y.ContentFormat || (!n.deleted && existedBefore(transaction, n) && passOver(n.id));
  let left = '';
  for (let n = item.left; n && left.length < MAX_BRIDGE; n = n.left) {
    if (skipped(n)) continue;
    const str = textOf(n);
    if (str === null) break;
    left = str + left;
  }
  let right = '';
  for (let n = item.right; n && right.length < MAX_BRIDGE; n = n.right) {
    if (skipped(n)) continue;
    const str = textOf(n);
    if (str === null) break;
    right += str;
  }
  if (!left && !right) return null;
  return { str: left + run.str + right, at: left.length };
}

/** A character of {@link withDeletedNeighbours} whose letter is not known (its content collected). */
const UNKNOWN = '\u0000';

/**
 * Where, in `onto`, the copy of the character deleted alone stands, read from the copy of the text
 * around it (`lone`, from {@link withDeletedNeighbours}), or null: with letters all known, the
 * pairing of that text ({@link alignEnds}) when it holds the character and more; with letters
 * unknown, the one place where all of that text fits, its known letters equal. A space deleted
 * alone matches the first space of every word inserted with it; the text around it tells which
 * (issue 8, fuzz seed 321: a co-writer's join then split of the joined paragraph, received in
 * one catch-up, moved the space a word was typed after to a new paragraph with the joined text,
 * and the word followed the space that begins another's word instead, glued to it: « w2r3w1r5 »).
 */
function placeAmong(lone: { str: string; at: number }, onto: string): number | null {
  if (!lone.str.includes(UNKNOWN)) {
    const found = alignEnds(lone.str, onto, []);
    const own = found.find(([f]) => f === lone.at);
    return own && found.length >= MIN_OVERLAP ? own[1] : null;
  }
  let place: number | null = null;
  for (let offset = 0; offset + lone.str.length <= onto.length; offset++) {
    let fits = true;
    for (let k = 0; k < lone.str.length && fits; k++) {
      const c = lone.str[k] as string;
      fits = c === UNKNOWN || c === onto[offset + k];
    }
    if (!fits) continue;
    // Two places: the text around it does not tell.
    if (place !== null) return null;
    place = offset + lone.at;
  }
  return place;
}

/**
 * The pairing already accepted that must give up the characters `candidate` shares with it, or
 * null: `candidate` pairs an exact end (or start) of its deleted run with a whole inserted run (a
 * part of the run split off), and the one or two characters it shares with an earlier, longer
 * pairing of the same run are at that pairing's edge (its common start ran on into text the
 * writer typed after, by the space both begin with). More than an edge: an exact start or end
 * of the run paired in one stretch, at least {@link MIN_INNER_OVERLAP} long (a part cut off and
 * joined elsewhere, whole, or redone into the paragraph before), wins the characters it shares
 * with the earlier pairing when that one does not hold all of them (its common start ran on into
 * the part by chance, then stopped) and keeps more than it gives up. A paragraph's end cut off,
 * its start joined to another paragraph and a word typed after it, offline, make a common start
 * that runs on from the joined « ␣epsilon » into the typed « ␣w0r29 » by the « ␣w0r » it shares
 * with the cut-off « ␣w0r10␣ », leaving « 10 » unpaired and written again inside the typed word
 * (issue 8, fuzz: « w0r1029 »; likewise « w2r2461 » after a cut undone and redone offline).
 */
function winsEdge<A extends Accepted>(
  candidate: Candidate,
  contested: readonly [number, number][],
  accepted: readonly A[],
): A | null {
  const { from, to, pairs } = candidate;
  if (contested.length === 0) return null;
  const owners = accepted.filter(
    (a) => a.candidate.from === from && contested.some(([f]) => f >= a.range[0] && f <= a.range[1]),
  );
  const owner = owners[0];
  if (owners.length !== 1 || !owner) return null;
  if (contested.length > MIN_OVERLAP) {
    // An exact start or end of the run, in one stretch, long enough not to be chance.
    const mine = new Set(pairs.map(([f]) => f));
    const whole =
      pairs.length >= MIN_INNER_OVERLAP &&
      pairs.length < from.str.length &&
      pieces(pairs) === 1 &&
      (mine.has(0) || mine.has(from.str.length - 1));
    const given = owner.pairs.filter(([f]) => mine.has(f)).length;
    return whole && given < pairs.length && owner.pairs.length > 2 * given ? owner : null;
  }
  if (pairs.length !== to.str.length || to.str.length >= from.str.length || to.str.length <= contested.length)
    return null;
  const atEnd = from.str.endsWith(to.str);
  if (!atEnd && !from.str.startsWith(to.str)) return null;
  const edge = contested.every(([f]) =>
    atEnd ? f > owner.range[1] - contested.length : f < owner.range[0] + contested.length,
  );
  return edge && owner.pairs.length > 2 * contested.length ? owner : null;
}

/**
 * The pairing of what is left of `candidate`'s deleted run once other pairings took the parts
 * `taken` of it (and the parts `held` of its target): each stretch of the run not taken, aligned
 * again on its own (see alignEnds), the one with the most pairs. A run whose parts went to two
 * places in one change (its end cut off to a new paragraph, its start joined to the end of
 * another, offline) was first aligned whole, and its start then matched the target's start by
 * chance (« ␣w2r1␣ » and « ␣w2r14 … ») rather than the target's end where its copy is: that chance
 * pairing, cut down to the part left, took a co-writer's word to the middle of another (issue 8,
 * fuzz: « w2r1 0r23 »).
 */
function realigned(
  candidate: Candidate,
  taken: readonly [number, number][],
  held: readonly [number, number][],
): [number, number][] {
  const { from, target, skippable } = candidate;
  const free = (x: number) => !taken.some(([a, b]) => x >= a && x <= b);
  let best: [number, number][] = [];
  for (let start = 0; start < from.str.length; start++) {
    if (!free(start)) continue;
    let end = start;
    while (end + 1 < from.str.length && free(end + 1)) end++;
    const found = alignEnds(from.str.slice(start, end + 1), target.str, skippable.slice(start, end + 1))
      .map(([f, t]): [number, number] => [start + f, t])
      .filter(([, t]) => !held.some(([a, b]) => t >= a && t <= b));
    if (found.length >= MIN_OVERLAP && found.length > best.length) best = found;
    start = end;
  }
  return best;
}

/**
 * `run` (inserted characters) followed by the characters that were there before and still are,
 * up to the end of its text: what the binding kept of the old text's end, for the pairing.
 */
function withKeptEnd(transaction: Y.Transaction, run: Run): Run {
  const lastId = run.ids[run.ids.length - 1];
  const last = lastId ? itemAt(transaction.doc, lastId) : null;
  if (!last) return run;
  const out: Run = { text: run.text, str: run.str, ids: [...run.ids] };
  for (let n = last.right; n; n = n.right) {
    if (n.deleted || n.content instanceof Y.ContentFormat) continue;
    if (!(n.content instanceof Y.ContentString) || !existedBefore(transaction, n)) break;
    for (let i = 0; i < n.length; i++) {
      out.ids.push(charId(n, i));
      out.str += n.content.str[i] as string;
    }
  }
  return out;
}

/**
 * Whether `pairs` (of a deleted run `fromLength` long onto an inserted run `runLength` long
 * followed by kept characters up to `targetLength`) pair every kept character with the deleted
 * run's end, in order: the binding kept them as the copy's end.
 */
function keepsEndWhole(
  pairs: readonly [number, number][],
  fromLength: number,
  runLength: number,
  targetLength: number,
): boolean {
  const onto = new Map(pairs.map(([f, t]) => [t, f]));
  for (let t = runLength; t < targetLength; t++)
    if (onto.get(t) !== fromLength - (targetLength - t)) return false;
  return true;
}

/** Whether the copy went into text that was already there (a join or a paste, not a split). */
const existedBeforeText = (transaction: Y.Transaction, run: Run): boolean =>
  run.text._item !== null && existedBefore(transaction, run.text._item);

// ---------------------------------------------------------------------------------------------
// Repairs of one's own keystrokes

/**
 * Some of one's own characters to write again (consecutive ones of one item, `ids`): after the
 * copy of the character `after`, or just before the character `before`.
 */
interface Relocation {
  text: Y.XmlText;
  ids: CharId[];
  str: string;
  after: CharId | null;
  before: CharId | null;
}

/**
 * This editor's own characters, typed before it received `transaction`, that must follow `moves`:
 * - characters written after a character that moved (their anchor) go after its copy, unless the
 *   writer of the move had them and copied them too;
 * - characters that the tie-break put just after an appended copy although they were typed at the
 *   place where the copy was inserted go back before it.
 * Each relocated character is mapped to itself in `moves` for now, so the ones written after it
 * follow it; {@link followMovedText} maps it to its copy once written.
 */
function ownRelocations(doc: Y.Doc, transaction: Y.Transaction, moves: TextMoves): Relocation[] {
  const own = doc.clientID;
  const ownBefore = transaction.beforeState.get(own) ?? 0;
  // One's keystrokes the server wrote again (in a moved section, a replaced block, a joined
  // paragraph) carry one's client id minus one (sectionForwarding.ts): they are one's own too.
  const forwarded = own - 1;
  const forwardedBefore = transaction.beforeState.get(forwarded) ?? 0;
  const isOwnOld = (n: Y.Item) =>
    n.content instanceof Y.ContentString &&
    ((n.id.client === own && n.id.clock < ownBefore) ||
      (n.id.client === forwarded && n.id.clock < forwardedBefore));
  const out: Relocation[] = [];
  const texts = new Set<Y.XmlText>();
  Y.iterateDeletedStructs(transaction, transaction.deleteSet, (s) => {
    if (s instanceof Y.Item && s.parent instanceof Y.XmlText) texts.add(s.parent);
  });
  const forwardedAfter = transaction.afterState.get(forwarded) ?? 0;
  if (rewrittenBy.has(doc) && forwardedAfter > forwardedBefore)
    textsWrittenIn(doc, forwarded, forwardedBefore, forwardedAfter, texts);
  // Characters the server wrote again for one, in the same update, just after one's own characters
  // relocated here: hung on them, they go with them (the server wrote them after one's keystroke
  // that a co-writer's concurrent undo left behind; issue 8, a join undone while someone types).
  const relocated = new Set<string>();
  /** The character an item of the server's was written after, when it is not its Yjs origin. */
  const anchorOf = new Map<Y.Item, CharId>();
  const chainedOnRelocated = (n: Y.Item) =>
    n.id.client === forwarded &&
    n.content instanceof Y.ContentString &&
    n.origin !== null &&
    relocated.has(key(n.origin));
  // Likewise, written after one of one's characters this editor had already re-written elsewhere
  // (the server had not yet received that re-write): they follow it to its copy.
  const earlier = rewrittenBy.get(doc);
  const hungOnRewritten = (n: Y.Item): boolean => {
    if (!earlier || n.id.client !== forwarded || !(n.content instanceof Y.ContentString) || !n.origin)
      return false;
    if (n.id.clock < forwardedBefore || moves.lookup(n.origin)) return false;
    // The server wrote it at an index: Yjs hung it on the last deleted character after the one it
    // followed, so the re-written one is looked for among the deleted characters on its left,
    // one of the server's own re-writes first (it writes late keystrokes one after the other),
    // when one's keystrokes typed meanwhile stand in between.
    const liveCopyOf = (old: CharId): CharId | null => {
      let copy = earlier.get(key(old));
      for (let hops = 0; copy && hops < MAX_REWRITE_HOPS; hops++) {
        const item = itemAt(doc, copy);
        if (item && !item.deleted) return copy;
        copy = earlier.get(key(copy));
      }
      return null;
    };
    let found: CharId | null = null;
    for (let m = n.left; m && m.deleted; m = m.left) {
      // Deleted characters may have lost their content already (ContentDeleted), not their ids.
      if (m.content instanceof Y.ContentFormat) continue;
      const copy = liveCopyOf(m.lastId);
      if (!copy) continue;
      found ??= copy;
      if (m.id.client === forwarded) {
        found = copy;
        break;
      }
    }
    if (found) {
      anchorOf.set(n, found);
      moves.set(found, found);
    }
    return found !== null;
  };
  // Or written by the server, in the same update as a move it had not yet received, after a
  // character that move took elsewhere (the update merges both; Hocuspocus sends a turn's changes
  // as one). The server writes at an index, and Yjs hangs the text on the last deleted character
  // after the one it followed: when one of its earlier re-writes stands on the left, past deleted
  // characters and one's keystrokes typed since only, that is the one it followed.
  const forwardedOnMoved = (n: Y.Item): boolean => {
    if (
      n.id.client !== forwarded ||
      n.id.clock < forwardedBefore ||
      !(n.content instanceof Y.ContentString) ||
      n.origin === null
    )
      return false;
    for (let m = n.left; m; m = m.left) {
      if (m.content instanceof Y.ContentFormat) continue;
      if (m.deleted && !relocated.has(key(m.lastId))) continue;
      // One's own keystrokes typed since, which the server had not received when it wrote it.
      if (m.id.client === own) continue;
      if (m.id.client === forwarded && m.content instanceof Y.ContentString && moves.lookup(m.lastId)) {
        anchorOf.set(n, m.lastId);
        return true;
      }
      break;
    }
    return moves.lookup(n.origin) !== null;
  };
  for (const text of texts) {
    for (let n = text._start; n; n = n.right) {
      if (!isOwnOld(n) && !chainedOnRelocated(n) && !hungOnRewritten(n) && !forwardedOnMoved(n)) continue;
      // Only characters still there: those deleted with a paragraph a co-writer joined to the one
      // before are the server's to write again (it knows which ones the writer had).
      if (n.deleted) continue;
      const str = (n.content as Y.ContentString).str;
      let run: Relocation | null = null;
      for (let i = 0; i < n.length; i++) {
        const id = charId(n, i);
        if (moves.lookup(id)) {
          run = null;
          continue;
        }
        const left = i === 0 ? (anchorOf.get(n) ?? n.origin) : charId(n, i - 1);
        if (!run) {
          // After the copy of its left neighbour; failing that (typed at the start of the text),
          // before the copy of its right one.
          const right = i === 0 && !n.origin ? n.rightOrigin : null;
          const anchor = left ? movedAnchorOf(doc, transaction, moves, left, n) : null;
          // A copy its writer hung on this very character already stands after it.
          const after =
            anchor && !copyHangsOn(doc, transaction, moves.lookup(anchor) ?? anchor, n) ? anchor : null;
          if (!after && anchor) continue;
          if (after) run = { text, ids: [], str: '', after, before: null };
          else if (right && moves.lookup(right)) run = { text, ids: [], str: '', after: null, before: right };
          else continue;
          out.push(run);
        }
        run.ids.push(id);
        run.str += str[i] as string;
        moves.set(id, id);
        relocated.add(key(id));
      }
    }
  }
  for (const copy of moves.copies) {
    const first = itemAt(doc, copy.ids[0] as CharId);
    const last = itemAt(doc, copy.ids[copy.ids.length - 1] as CharId);
    if (!first || !last) continue;
    // A tie: the copy and one's characters were written at the same place (same left neighbour)
    // without knowing of each other (the copy's right neighbour is not one's first character).
    let chain: Y.Item | null = null;
    for (let n = last.right; n; n = n.right) {
      if (n.deleted || n.content instanceof Y.ContentFormat) continue;
      if (!isOwnOld(n) || !n.origin || moves.lookup(n.id)) break;
      const tied = chain
        ? Y.compareIDs(n.origin, chain.lastId)
        : Y.compareIDs(n.origin, first.origin) && !Y.compareIDs(first.rightOrigin, n.id);
      if (!tied) break;
      const ids = Array.from({ length: n.length }, (_, i) => charId(n as Y.Item, i));
      out.push({
        text: copy.text,
        ids,
        str: (n.content as Y.ContentString).str,
        after: null,
        before: first.id,
      });
      for (const id of ids) moves.set(id, id);
      chain = n;
    }
  }
  return out;
}

/**
 * Whether the copy holding the character `copy` (the run of items `transaction` wrote around it)
 * hangs on a character of `own`: its writer wrote it just after one's character, knowing of it.
 * Following that copy would put one's character after it again, and the writer, seeing one's
 * character move, would move its copy after it in turn: two editors re-writing their characters
 * after each other's without end (a co-writer re-writing its own keystrokes after one's, seen
 * as a move).
 */
function copyHangsOn(doc: Y.Doc, transaction: Y.Transaction, copy: CharId, own: Y.Item): boolean {
  for (let n = itemAt(doc, copy); n && !existedBefore(transaction, n); n = n.left) {
    const origin = n.origin;
    if (
      origin &&
      origin.client === own.id.client &&
      origin.clock >= own.id.clock &&
      origin.clock < own.id.clock + own.length
    )
      return true;
  }
  return false;
}

/**
 * The co-writer whose own characters `transaction` only wrote again elsewhere, or null: it
 * deletes characters of one client (or of the server writing again for it, {@link forwarderOf})
 * and writes as many characters under that client, no element and nothing else. That is what a
 * co-writer's {@link followMovedText} sends (a split, a join, a paste or an undo creates or
 * deletes a paragraph, or writes another's text).
 *
 * One's own characters do not follow such a re-write: the co-writer only put its keystrokes back
 * next to the text they were typed in, and one's characters that stand after them were placed
 * there knowing of them, often by one's own re-write after them. Following them made each
 * re-write the move that calls for the next: two or three editors re-writing their text after
 * each other's, round after round, without end (issue 8, fuzz seeds 257 and 311, an endless
 * exchange of updates and a growing document). The repair of a real move ends with the
 * re-writes it calls for: none of them calls for another.
 */
export function rewriterOf(doc: Y.Doc, transaction: Y.Transaction): number | null {
  let writer: number | null = null;
  let written = 0;
  for (const [client, after] of transaction.afterState) {
    const before = transaction.beforeState.get(client) ?? 0;
    if (after <= before) continue;
    if (writer !== null) return null;
    writer = client;
    const structs = doc.store.clients.get(client) ?? [];
    for (let i = Y.findIndexSS(structs, before); i < structs.length; i++) {
      const n = structs[i];
      if (
        !(n instanceof Y.Item) ||
        !(n.content instanceof Y.ContentString) ||
        !(n.parent instanceof Y.XmlText)
      )
        return null;
      written += n.length;
    }
  }
  if (writer === null || isOwnOrForwarded(doc, Y.createID(writer, 0))) return null;
  let deleted = 0;
  let other = false;
  Y.iterateDeletedStructs(transaction, transaction.deleteSet, (n) => {
    if (
      n instanceof Y.Item &&
      n.content instanceof Y.ContentString &&
      n.parent instanceof Y.XmlText &&
      (n.id.client === writer || n.id.client === forwarderOf(writer as number))
    )
      deleted += n.length;
    else other = true;
  });
  return !other && deleted > 0 && deleted === written ? writer : null;
}

/** Farthest {@link hangsOnAny} follows a chain of origins, in items. */
const MAX_ORIGIN_CHAIN = 1_000;

/**
 * Whether the character `at` was written after one of the characters `runs` (consecutive
 * characters of one client each), directly or through a chain of Yjs origins (the character it
 * was written after, the one that one was written after, …): text that stands after them because
 * its writer placed it there, knowing of them.
 *
 * Re-writing them after `at` would ask the writer of `at` (or of a link of the chain), seeing its
 * own characters' anchor move, to re-write its own after them in turn: editors re-writing their
 * characters after each other's, round after round, without end (issue 8, fuzz seed 311: three
 * editors, each re-writing a run after the copy of the next one's, the last one's hung on the
 * first one's). {@link rewriterOf} stops that when the re-write arrives alone; this stops it
 * also when it arrives merged with other changes (a reconnection's catch-up), which that test
 * cannot tell. Characters that stay where they are lose nothing and double nothing, and the
 * chain stops at the first editor that sees it close. {@link copyHangsOn} is the chain of one
 * link, found before the run is made.
 */
function hangsOnAny(doc: Y.Doc, at: CharId, runs: readonly (readonly CharId[])[]): boolean {
  const holds = (client: number, from: number, to: number) =>
    runs.some((ids) => ids.some((id) => id.client === client && id.clock >= from && id.clock <= to));
  let id: CharId | null = at;
  for (let steps = 0; id && steps < MAX_ORIGIN_CHAIN; steps++) {
    const item = itemAt(doc, id);
    if (!item) return false;
    if (holds(id.client, item.id.clock, id.clock)) return true;
    id = item.origin;
  }
  return false;
}

/**
 * The moved character that `id`, the left neighbour `own` (one of this editor's characters) was
 * written after, stands for: `id` itself when it moved. When `id` had been deleted before
 * `transaction`, the nearest character before it, across characters deleted before too, if that
 * one moved and was there when `own` was written: Yjs writes text after the deleted characters
 * that follow the place it is written at, and hangs it on the last of them, so a keystroke typed
 * just after a character, or text the server wrote again after it, hangs on a deleted character.
 * A character is known to have been there when it is one's own and older, one's own written again
 * by the server (client id minus one: keystrokes typed before the move that `own` was typed
 * after; a co-writer's undo or redo that carries them may leave deleted characters between them
 * and `own`), or when `own` was written by the server (it had every character). Null otherwise:
 * a keystroke does not follow a co-writer's characters that reached it after it was typed.
 */
function movedAnchorOf(
  doc: Y.Doc,
  transaction: Y.Transaction,
  moves: TextMoves,
  id: CharId,
  own: Y.Item,
): CharId | null {
  if (moves.lookup(id)) return id;
  const deletedBefore = (n: Y.Item) => n.deleted && !Y.isDeleted(transaction.deleteSet, n.id);
  const item = itemAt(doc, id);
  if (!item || !deletedBefore(item)) return null;
  for (let n = item.left; n; n = n.left) {
    if (n.content instanceof Y.ContentFormat || deletedBefore(n)) continue;
    const last = charId(n, n.length - 1);
    if (!(n.content instanceof Y.ContentString) || !moves.lookup(last)) return null;
    const wasThere =
      own.id.client !== doc.clientID ||
      (last.client === own.id.client && last.clock < own.id.clock) ||
      last.client === own.id.client - 1;
    return wasThere ? last : null;
  }
  return null;
}

/** A re-write of the server's, by the character it was hung on: its id and its letter. */
type CarriedRewrites = Map<string, { id: CharId; letter: string }>;

/**
 * The server's re-writes of one's keystrokes that arrived in `transaction`, merged with the move
 * that carried them (Hocuspocus sends a turn's changes as one): deleted by it at once, they were
 * never paired with their copies (detectTextMoves pairs what was there before). Each by the
 * character it was hung on: {@link pastEarlierOwnText} recognises a copy by its letter and its
 * place (letters alone match by chance: every typed word begins with the same ones).
 */
function carriedRewrites(doc: Y.Doc, transaction: Y.Transaction): CarriedRewrites {
  const carried: CarriedRewrites = new Map();
  const forwarder = forwarderOf(doc.clientID);
  const before = transaction.beforeState.get(forwarder) ?? 0;
  if ((transaction.afterState.get(forwarder) ?? 0) <= before) return carried;
  const structs = doc.store.clients.get(forwarder) ?? [];
  for (let k = Y.findIndexSS(structs, before); k < structs.length; k++) {
    const n = structs[k];
    if (!(n instanceof Y.Item) || !n.deleted || !(n.content instanceof Y.ContentString)) continue;
    for (let i = 0; i < n.length; i++) {
      const hungOn = i === 0 ? n.origin : charId(n, i - 1);
      if (hungOn) carried.set(key(hungOn), { id: charId(n, i), letter: n.content.str.charAt(i) });
    }
  }
  return carried;
}

/**
 * The last of the characters just after `after` that stand for one's own keystrokes typed before
 * the relocated ones `r` (one's own older characters, the server's re-writes of them, or copies of
 * either that the move wrote), up to the character `r` was typed before; `after` itself when none.
 *
 * Such characters were not on the typist's screen when `r` was typed after `after`: they were in
 * flight, moved out of sight by a co-writer's join until the server wrote them again. When the
 * co-writer then undoes the join, the undo carries them back with the text, right after the copy
 * of `after`, and `r` must go after them, as it would have without the undo (the server's re-write
 * stands before one's concurrent keystrokes: {@link forwarderOf}). Written just after `after`, the
 * word was cut (« abch|defg », issue 8: a join undone while someone types, CI of stop 34).
 * When `r` is itself a re-write of the server's, only its earlier re-writes go before it: one's
 * keystrokes typed since stand after it. `transaction` is the remote change being followed,
 * `carried` its {@link carriedRewrites}.
 */
function pastEarlierOwnText(
  doc: Y.Doc,
  transaction: Y.Transaction,
  moves: TextMoves,
  after: CharId,
  r: Relocation,
  carried: CarriedRewrites,
): CharId {
  const first = r.ids[0];
  const last = r.ids[r.ids.length - 1];
  const lastItem = last ? itemAt(doc, last) : null;
  if (!first || !last || !lastItem) return after;
  const own = doc.clientID;
  // The server writes one's late keystrokes again in the order it receives them: among its
  // re-writes, a lower clock was typed earlier. One's own characters are compared with one's own.
  const forwarder = forwarderOf(own);
  const earlier = (id: CharId): boolean =>
    first.client === forwarder
      ? id.client === forwarder && id.clock < first.clock
      : (id.client === own && id.clock < first.clock) || id.client === forwarder;
  // The character `r` was typed before, where it stands now.
  const endOfItem = lastItem.id.clock + lastItem.length - 1 === last.clock;
  const rightOrigin = endOfItem ? lastItem.rightOrigin : Y.createID(last.client, last.clock + 1);
  const stop = rightOrigin ? (moves.follow(rightOrigin) ?? rightOrigin) : null;
  const start = itemAt(doc, after);
  if (!start) return after;
  // The old character the last one passed stands for.
  let standsFor: CharId | null = r.after;
  let found = after;
  for (let n: Y.Item | null = start, offset = after.clock - start.id.clock + 1; n; n = n.right, offset = 0) {
    if (n.deleted || n.content instanceof Y.ContentFormat) continue;
    if (!(n.content instanceof Y.ContentString)) break;
    for (let i = offset; i < n.length; i++) {
      const id = charId(n, i);
      if (stop && Y.compareIDs(id, stop)) return found;
      const source = moves.sourceOf(id);
      // A copy of the server's re-write of one's earlier keystroke (never one's re-write's own).
      const copyOf =
        first.client !== forwarder && standsFor && !existedBefore(transaction, n) && !source
          ? carried.get(key(standsFor))
          : null;
      if (copyOf && copyOf.letter === n.content.str.charAt(i)) standsFor = copyOf.id;
      else if (earlier(id) || (source && earlier(source))) standsFor = source ?? id;
      else return found;
      found = id;
    }
  }
  return found;
}

/**
 * For each editor's document, where {@link followMovedText} re-wrote each of its characters
 * (old character → copy): the server may have written text after the old one before it received
 * the re-write, and that text must follow too (see ownRelocations). The oldest are forgotten past
 * {@link MAX_REMEMBERED_REWRITES}.
 */
const rewrittenBy = new WeakMap<Y.Doc, Map<string, CharId>>();
/** Characters remembered per document: a few pages of re-writes, far more than a network round trip holds. */
const MAX_REMEMBERED_REWRITES = 10_000;
/** Re-writes of re-writes followed this far. */
const MAX_REWRITE_HOPS = 16;

/** Origin of the transactions {@link followMovedText} writes. */
export const FOLLOW_MOVED_TEXT_ORIGIN = Symbol('follow-moved-text');

/**
 * After a remote `transaction` (call it from `afterTransaction`), re-writes this editor's own
 * characters that `moves` concerns (see the module's comment) in one local transaction with
 * {@link FOLLOW_MOVED_TEXT_ORIGIN}, and adds to `moves` where each of them went, for the caret.
 * The copies inherit the formatting of their new place (the copy of the text they were typed in).
 * Nothing is re-written in answer to a co-writer's re-write ({@link rewriterOf}), nor after a
 * copy that hangs, through its chain of origins, on the characters to re-write ({@link hangsOnAny}).
 * Returns the number of characters re-written.
 */
export function followMovedText(doc: Y.Doc, transaction: Y.Transaction, moves: TextMoves): number {
  if (transaction.local) return 0;
  const relocations = ownRelocations(doc, transaction, moves);
  if (relocations.length === 0) return 0;
  // Checked only when there is something to re-write (most remote transactions have nothing):
  // then ownRelocations' marks (each character mapped to itself) are taken back.
  if (rewriterOf(doc, transaction) !== null) {
    for (const r of relocations) for (const id of r.ids) moves.forget(id);
    return 0;
  }
  let written = 0;
  const carried = carriedRewrites(doc, transaction);
  const lastWritten = new Map<string, CharId>();
  const relocated = relocations.map((r) => r.ids);
  const stay = new Set<string>();
  doc.transact(() => {
    // In document order: a character chained on an earlier one goes after that one's copy.
    for (const r of relocations) {
      // Several characters anchored on the same one keep their order: each after the last.
      const anchor = r.after ? (moves.lookup(r.after) ?? r.after) : null;
      // Not the server's re-writes of one's late keystrokes: one's keystrokes typed since may stand
      // before them there, and they go before those (see pastEarlierOwnText).
      const forwardedRun = r.ids[0]?.client === forwarderOf(doc.clientID);
      let after = anchor ? ((forwardedRun ? null : lastWritten.get(key(anchor))) ?? anchor) : null;
      // A copy written after one's own characters to move (or after text that was, in its turn,
      // written after them) is no place for them: see hangsOnAny. They stay, and so do those
      // chained on them.
      if ((r.after && stay.has(key(r.after))) || (after && hangsOnAny(doc, after, relocated))) {
        for (const id of r.ids) {
          stay.add(key(id));
          moves.forget(id);
        }
        continue;
      }
      const before = r.before ? (moves.lookup(r.before) ?? r.before) : null;
      if (after) after = pastEarlierOwnText(doc, transaction, moves, after, r, carried);
      const neighbour = after ? itemAt(doc, after) : before ? itemAt(doc, before) : null;
      const text = neighbour && !neighbour.deleted ? neighbour.parent : null;
      if (!(text instanceof Y.XmlText) || text._item?.deleted) continue;
      const place = (): number | null =>
        after ? indexAfter(text, after) : before ? indexOf(text, before) : null;
      // Nothing is deleted unless it can be written again.
      if (place() === null) continue;
      const at = indexOf(r.text, r.ids[0] as CharId);
      if (at !== null) r.text.delete(at, r.ids.length);
      const index = place();
      if (index === null) continue;
      const start = Y.getState(doc.store, doc.clientID);
      // Hung on the copy itself, so that the next move of that text takes them along again.
      if (after && indexOf(text, after) !== null) insertAfterCharacter(text, after, r.str);
      else text.insert(index, r.str);
      if (anchor) lastWritten.set(key(anchor), Y.createID(doc.clientID, start + r.ids.length - 1));
      let remembered = rewrittenBy.get(doc);
      if (!remembered) rewrittenBy.set(doc, (remembered = new Map()));
      r.ids.forEach((id, i) => {
        const copy = Y.createID(doc.clientID, start + i);
        moves.set(id, copy);
        remembered.set(key(id), copy);
      });
      // Oldest first: the first re-writes are the least likely to be hung on still.
      for (const old of remembered.keys()) {
        if (remembered.size <= MAX_REMEMBERED_REWRITES) break;
        remembered.delete(old);
      }
      written += r.ids.length;
    }
  }, FOLLOW_MOVED_TEXT_ORIGIN);
  return written;
}
