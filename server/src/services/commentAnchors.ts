import { forwardingsOf, type ItemId } from '@essaim/editor';
import { FRAGMENT } from '@essaim/protocol';
import * as Y from 'yjs';

/**
 * Where a comment thread's words are in a document, read from its Y.Doc without ever writing to
 * it (decision 3 of ARCHITECTURE.md; issue 10).
 *
 * The document's text is read once into a plain string, `text`: the text runs of the `default`
 * fragment in document order, one `\n` before each block, inline atoms (footnotes, links to other
 * documents) as nothing, a hard break as `\n`. Offsets in that string are the currency here: a
 * relative position resolves to an offset, a search for a quote gives offsets, and new relative
 * positions are made from offsets.
 *
 * Known traps handled here rather than rediscovered:
 * - y-prosemirror#204: positions taken from ProseMirror positions stay in the first paragraph
 *   when it is split with Enter before the words (the words' items are deleted and re-inserted
 *   in a new paragraph). A position whose item is deleted, or a range that collapsed, is
 *   "suspect": the quote is searched again with its context, in its section first.
 * - Joined paragraphs, replaced blocks and moved sections: every character is deleted and copied.
 *   The server records where each deleted character went (`forwardingsOf(doc)`, packages/editor
 *   `sectionForwarding.ts`); a position on such a character follows it to its copy before any
 *   text is searched, so a thread whose words were edited since it was made keeps them.
 * - y-prosemirror#194: a range ending at the end of a node is off by one. Positions the server
 *   stores stick to the first quoted character (assoc 0) and to the last one (assoc -1), so an end
 *   at the end of a paragraph belongs to that paragraph.
 */

/** Inline nodes of the schema: no block separator before them. */
const INLINE_NODES = new Set(['footnote', 'docRef', 'hardBreak', 'image']);
/** Characters of context kept on each side of a quote, to choose between several matches. */
export const CONTEXT_CHARS = 40;
/**
 * A quote is re-anchored only if it is long enough not to be found by chance, or if some of its
 * context matches too (in its own section as elsewhere).
 */
const MIN_QUOTE_ELSEWHERE = 16;
const MIN_CONTEXT_ELSEWHERE = 8;

interface TextRun {
  text: Y.XmlText;
  /** Offset of the run's first character in {@link DocumentText.text}. */
  start: number;
  length: number;
}

/** A top-level section of the document and the span of its text. */
export interface SectionSpan {
  id: string;
  title: string;
  start: number;
  end: number;
}

/** A document's text, read once, with what is needed to go between offsets and Yjs positions. */
export interface DocumentText {
  ydoc: Y.Doc;
  text: string;
  runs: TextRun[];
  sections: SectionSpan[];
  /** Span of every element and text run still in the document. */
  spans: Map<object, { start: number; end: number }>;
  /** `text` with every run of white space turned into one space. */
  normalized: string;
  /** For each character of `normalized`, the offset of the character it comes from in `text`. */
  normalizedToText: Int32Array;
}

/** One space for each run of white space, no space at either end. */
export function normalizeQuote(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

const withoutSpaces = (text: string): string => text.replace(/\s+/g, '');

/** The characters of a text run (an embed, which the schema never writes, counts as one). */
function runText(text: Y.XmlText): string {
  let out = '';
  for (const op of text.toDelta() as { insert: unknown }[])
    out += typeof op.insert === 'string' ? op.insert : '\uFFFC';
  return out;
}

/** White space as `\s` sees it, tested on a UTF-16 code unit (faster than a regular expression per character). */
function isSpace(code: number): boolean {
  return (
    code === 0x20 ||
    (code >= 0x09 && code <= 0x0d) ||
    code === 0xa0 ||
    code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0x3000 ||
    code === 0xfeff
  );
}

/** `text` with each run of white space made one space, and where each character came from. */
function normalizeWithMap(text: string): { normalized: string; normalizedToText: Int32Array } {
  const codes = new Uint16Array(text.length);
  const map = new Int32Array(text.length);
  let n = 0;
  let inSpace = false;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (isSpace(code)) {
      if (!inSpace) {
        codes[n] = 0x20;
        map[n++] = i;
      }
      inSpace = true;
    } else {
      codes[n] = code;
      map[n++] = i;
      inSpace = false;
    }
  }
  const chunks: string[] = [];
  for (let i = 0; i < n; i += 8192)
    chunks.push(String.fromCharCode(...codes.subarray(i, Math.min(n, i + 8192))));
  return { normalized: chunks.join(''), normalizedToText: map.subarray(0, n) };
}

/** Reads the `default` fragment of `ydoc` (never writing to it). */
export function readDocumentText(ydoc: Y.Doc): DocumentText {
  const runs: TextRun[] = [];
  const sections: SectionSpan[] = [];
  const spans = new Map<object, { start: number; end: number }>();
  // Pieces joined once at the end (a growing string read while built would be flattened again and again).
  const parts: string[] = [];
  let length = 0;
  let lastIsBreak = false;
  const append = (s: string): void => {
    if (s.length === 0) return;
    parts.push(s);
    length += s.length;
    lastIsBreak = s.endsWith('\n');
  };
  const titles: { element: Y.XmlElement; sectionIndex: number }[] = [];
  const walk = (parent: Y.XmlFragment | Y.XmlElement, depth: number): void => {
    for (const child of parent.toArray()) {
      if (child instanceof Y.XmlText) {
        const s = runText(child);
        runs.push({ text: child, start: length, length: s.length });
        spans.set(child, { start: length, end: length + s.length });
        append(s);
      } else if (child instanceof Y.XmlElement) {
        if (!INLINE_NODES.has(child.nodeName) && length > 0 && !lastIsBreak) append('\n');
        const start = length;
        if (child.nodeName === 'hardBreak') append('\n');
        else if (depth < 64) walk(child, depth + 1);
        spans.set(child, { start, end: length });
        if (depth === 0 && child.nodeName === 'section') {
          const id = child.getAttribute('id');
          if (typeof id === 'string' && id !== '' && !sections.some((s) => s.id === id)) {
            const first = child.firstChild;
            if (first instanceof Y.XmlElement && first.nodeName === 'sectionTitle')
              titles.push({ element: first, sectionIndex: sections.length });
            sections.push({ id, title: '', start, end: length });
          }
        }
      }
    }
  };
  const fragment = ydoc.getXmlFragment(FRAGMENT);
  walk(fragment, 0);
  const text = parts.join('');
  spans.set(fragment, { start: 0, end: text.length });
  for (const { element, sectionIndex } of titles) {
    const span = spans.get(element);
    const section = sections[sectionIndex];
    if (span && section) section.title = normalizeQuote(text.slice(span.start, span.end));
  }
  const { normalized, normalizedToText } = normalizeWithMap(text);
  return { ydoc, text, runs, sections, spans, normalized, normalizedToText };
}

/** Whether the item (or type) a relative position names is gone from the document. */
function pointsToDeleted(ydoc: Y.Doc, rpos: Y.RelativePosition): boolean {
  const id = rpos.item ?? rpos.type;
  if (!id) return false;
  if (Y.getState(ydoc.store, id.client) <= id.clock) return true;
  try {
    return Y.getItem(ydoc.store, id).deleted;
  } catch {
    return true;
  }
}

/** A resolved position: its offset in the text, and whether it still rests on a live item. */
export interface ResolvedPosition {
  offset: number;
  live: boolean;
}

/** Decodes base64 or raw bytes into a relative position; null when it is not one. */
export function decodePosition(encoded: Uint8Array): Y.RelativePosition | null {
  try {
    return Y.decodeRelativePosition(encoded);
  } catch {
    return null;
  }
}

/**
 * The offset in the text of an encoded relative position, or null when it does not resolve in
 * this document (unknown item, garbage-collected, or outside the `default` fragment).
 */
export function resolvePosition(doc: DocumentText, encoded: Uint8Array): ResolvedPosition | null {
  const rpos = decodePosition(encoded);
  if (!rpos) return null;
  let abs: Y.AbsolutePosition | null;
  try {
    abs = Y.createAbsolutePositionFromRelativePosition(rpos, doc.ydoc);
  } catch {
    return null;
  }
  if (!abs) return null;
  const type: object = abs.type;
  const span = doc.spans.get(type);
  if (!span) return null;
  let offset: number;
  if (type instanceof Y.XmlText) offset = Math.min(span.start + abs.index, span.end);
  else if (type instanceof Y.XmlElement || type instanceof Y.XmlFragment) {
    const children = type.toArray();
    const child = children[abs.index];
    offset = child ? (doc.spans.get(child)?.start ?? span.end) : span.end;
  } else return null;
  return { offset, live: !pointsToDeleted(doc.ydoc, rpos) };
}

/**
 * A relative position on the character at `offset` (assoc 0: it moves with that character), for
 * a range's start. Null when no text run holds a character at or after `offset` before `limit`.
 */
export function encodeStart(doc: DocumentText, offset: number, limit: number): Uint8Array | null {
  const run = doc.runs.find((r) => r.start + r.length > offset && r.length > 0);
  if (!run) return null;
  const at = Math.max(offset, run.start);
  if (at >= limit) return null;
  return Y.encodeRelativePosition(Y.createRelativePositionFromTypeIndex(run.text, at - run.start, 0));
}

/**
 * A relative position just after the character before `offset` (assoc -1: it moves with that
 * character), for a range's end. Null when no text run holds a character before `offset` after
 * `floor`.
 */
export function encodeEnd(doc: DocumentText, offset: number, floor: number): Uint8Array | null {
  let run: TextRun | undefined;
  for (const r of doc.runs) {
    if (r.start >= offset) break;
    if (r.length > 0) run = r;
  }
  if (!run) return null;
  const at = Math.min(offset, run.start + run.length);
  if (at <= floor) return null;
  return Y.encodeRelativePosition(Y.createRelativePositionFromTypeIndex(run.text, at - run.start, -1));
}

/** The section holding `offset`, if any. */
export function sectionAt(doc: DocumentText, offset: number): SectionSpan | undefined {
  return (
    doc.sections.find((s) => s.start <= offset && offset < s.end) ??
    doc.sections.find((s) => s.end === offset)
  );
}

/** The normalized text between two offsets. */
export function textBetween(doc: DocumentText, start: number, end: number): string {
  return normalizeQuote(doc.text.slice(start, end));
}

/** Whether a quote is the text between two offsets, white space aside. */
export function quoteMatches(doc: DocumentText, start: number, end: number, quote: string): boolean {
  const here = withoutSpaces(doc.text.slice(start, end));
  return here.length > 0 && here === withoutSpaces(quote);
}

/** The quote's context at creation: normalized text before and after it. */
export function contextOf(doc: DocumentText, start: number, end: number): { prefix: string; suffix: string } {
  const before = normalizeQuote(doc.text.slice(Math.max(0, start - 4 * CONTEXT_CHARS), start));
  const after = normalizeQuote(doc.text.slice(end, end + 4 * CONTEXT_CHARS));
  return { prefix: before.slice(-CONTEXT_CHARS), suffix: after.slice(0, CONTEXT_CHARS) };
}

/** First index in `normalized` whose text offset is at least `offset`. */
function normalizedIndex(doc: DocumentText, offset: number): number {
  let lo = 0;
  let hi = doc.normalizedToText.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((doc.normalizedToText[mid] as number) < offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function commonSuffix(a: string, b: string): number {
  let n = 0;
  while (n < a.length && n < b.length && a[a.length - 1 - n] === b[b.length - 1 - n]) n++;
  return n;
}

function commonPrefix(a: string, b: string): number {
  let n = 0;
  while (n < a.length && n < b.length && a[n] === b[n]) n++;
  return n;
}

/**
 * Finds a quote again, preferring the occurrence whose surroundings match its stored context
 * best: first inside `within` (its section), then anywhere; a short quote needs some matching
 * context in both. Returns text offsets, or null when the words are nowhere.
 */
export function findQuote(
  doc: DocumentText,
  quote: string,
  context: { prefix: string; suffix: string },
  within?: { start: number; end: number },
): { start: number; end: number } | null {
  const q = normalizeQuote(quote);
  if (q.length === 0) return null;
  const search = (from: number, to: number, minScore: number): { start: number; end: number } | null => {
    let best: { a: number; score: number } | null = null;
    let at = doc.normalized.indexOf(q, from);
    while (at !== -1 && at + q.length <= to) {
      const before = doc.normalized.slice(Math.max(0, at - CONTEXT_CHARS - 1), at).trimEnd();
      const after = doc.normalized.slice(at + q.length, at + q.length + CONTEXT_CHARS + 1).trimStart();
      const score =
        commonSuffix(before, context.prefix.trimEnd()) + commonPrefix(after, context.suffix.trimStart());
      if (score >= minScore && (!best || score > best.score)) best = { a: at, score };
      at = doc.normalized.indexOf(q, at + 1);
    }
    if (!best) return null;
    const start = doc.normalizedToText[best.a] as number;
    const end = (doc.normalizedToText[best.a + q.length - 1] as number) + 1;
    return { start, end };
  };
  // A short quote (« la famille ») is found by chance anywhere, its own section included: it is
  // anchored again only where some of its context is found with it, otherwise the thread is
  // orphaned rather than moved to other words (a tester's finding on issue 10).
  // (As much context as was stored, when less: a quote that was a whole paragraph has none.)
  const stored = context.prefix.trim().length + context.suffix.trim().length;
  const long = q.length >= MIN_QUOTE_ELSEWHERE;
  if (within) {
    const inSection = long ? 0 : Math.min(MIN_CONTEXT_ELSEWHERE, stored);
    const found = search(normalizedIndex(doc, within.start), normalizedIndex(doc, within.end), inSection);
    if (found) return found;
  }
  return search(0, doc.normalized.length, long ? 0 : MIN_CONTEXT_ELSEWHERE);
}

/** Chained forwardings (a block joined, then its section moved, ...) are followed this far. */
const MAX_FORWARDING_HOPS = 32;

function itemAt(ydoc: Y.Doc, id: ItemId): Y.Item | null {
  if (id.clock >= Y.getState(ydoc.store, id.client)) return null;
  try {
    const struct: unknown = Y.getItem(ydoc.store, Y.createID(id.client, id.clock));
    return struct instanceof Y.Item ? struct : null;
  } catch {
    return null;
  }
}

/**
 * The position on the character that now stands for the deleted one `encoded` rests on: the
 * server's forwardings (joined paragraphs, replaced blocks, moved sections) are followed, hop by
 * hop while the character reached is deleted too, as `resolve()` does in packages/editor
 * `sectionForwarding.ts`. Same association as the original. Returns null when the position rests
 * on a live item, on nothing, or on a character no forwarding knows (read-only: nothing is
 * written to the document or to its forwardings).
 */
export function forwardedPosition(ydoc: Y.Doc, encoded: Uint8Array): Uint8Array | null {
  const rpos = decodePosition(encoded);
  if (!rpos?.item || !pointsToDeleted(ydoc, rpos)) return null;
  const forwardings = forwardingsOf(ydoc);
  if (forwardings.size === 0) return null;
  let current = forwardings.lookup({ client: rpos.item.client, clock: rpos.item.clock });
  for (let hop = 0; current && hop < MAX_FORWARDING_HOPS; hop++) {
    const item = itemAt(ydoc, current);
    if (!item || !item.deleted) break;
    const next = forwardings.lookup(current);
    if (!next) break;
    current = next;
  }
  if (!current) return null;
  return Y.encodeRelativePosition(Y.createRelativePositionFromJSON({ item: current, assoc: rpos.assoc }));
}

/** The text under a thread's anchor when it was last located, and its context then. */
export interface LastSeen {
  quote: string;
  prefix: string;
  suffix: string;
}

/** What a stored thread's anchor needs to be located. */
export interface StoredAnchor {
  sectionId: string;
  /** Null for a thread about a whole section. */
  start: Uint8Array | null;
  end: Uint8Array | null;
  /** The words quoted when the thread was made, and their context then. */
  quote: string;
  prefix: string;
  suffix: string;
  /**
   * The words under the anchor when the server last located it (they differ from `quote` once
   * someone typed inside them), searched first; null or absent when never stored.
   */
  lastSeen?: LastSeen | null;
}

/** Where a thread is now. `moved` carries new positions to store when they had to change. */
export type Location =
  | {
      orphaned: false;
      /** Offset used to sort threads in document order. */
      order: number;
      sectionId: string;
      sectionTitle: string;
      currentQuote: string;
      /** Context of `currentQuote` now (empty for a whole-section thread). */
      currentContext: { prefix: string; suffix: string };
      /** Current positions (null for a whole-section thread). */
      anchor: { start: Uint8Array; end: Uint8Array } | null;
      moved: boolean;
    }
  | { orphaned: true; sectionTitle: string | null };

/** Makes the stored positions of a range, or null when the range holds no text. */
export function encodeRange(
  doc: DocumentText,
  start: number,
  end: number,
): { start: Uint8Array; end: Uint8Array } | null {
  const s = encodeStart(doc, start, end);
  const e = encodeEnd(doc, end, start);
  return s && e ? { start: s, end: e } : null;
}

/**
 * Locates a thread in the document: its stored positions when they still hold live text (a
 * position on a deleted character first follows the server's forwardings to its copy, see
 * {@link forwardedPosition}), else the words last seen under it found again, else its original
 * quote found again (each in its section first, with its context), else what is left between its
 * positions, else nowhere (orphaned: « texte d’origine supprimé »).
 */
export function locate(doc: DocumentText, anchor: StoredAnchor): Location {
  const own = doc.sections.find((s) => s.id === anchor.sectionId);
  if (!anchor.start || !anchor.end) {
    if (!own) return { orphaned: true, sectionTitle: null };
    return {
      orphaned: false,
      order: own.start,
      sectionId: own.id,
      sectionTitle: own.title,
      currentQuote: own.title,
      currentContext: { prefix: '', suffix: '' },
      anchor: null,
      moved: false,
    };
  }
  const found = (
    start: number,
    end: number,
    positions: { start: Uint8Array; end: Uint8Array },
    moved: boolean,
  ): Location => {
    const section = sectionAt(doc, start) ?? own;
    return {
      orphaned: false,
      order: start,
      sectionId: section?.id ?? anchor.sectionId,
      sectionTitle: section?.title ?? '',
      currentQuote: textBetween(doc, start, end),
      currentContext: contextOf(doc, start, end),
      anchor: positions,
      moved: moved || (section !== undefined && section.id !== anchor.sectionId),
    };
  };
  const forwardedStart = forwardedPosition(doc.ydoc, anchor.start);
  const forwardedEnd = forwardedPosition(doc.ydoc, anchor.end);
  const start = forwardedStart ?? anchor.start;
  const end = forwardedEnd ?? anchor.end;
  const s = resolvePosition(doc, start);
  const e = resolvePosition(doc, end);
  if (s && e && s.live && e.live && s.offset < e.offset && textBetween(doc, s.offset, e.offset) !== '')
    return found(s.offset, e.offset, { start, end }, forwardedStart !== null || forwardedEnd !== null);
  const searches: LastSeen[] = [];
  if (anchor.lastSeen && anchor.lastSeen.quote !== normalizeQuote(anchor.quote))
    searches.push(anchor.lastSeen);
  searches.push(anchor);
  for (const wanted of searches) {
    const again = findQuote(doc, wanted.quote, wanted, own);
    const againPositions = again && encodeRange(doc, again.start, again.end);
    if (again && againPositions) return found(again.start, again.end, againPositions, true);
  }
  if (s && e && s.offset < e.offset && textBetween(doc, s.offset, e.offset) !== '') {
    const left = encodeRange(doc, s.offset, e.offset);
    if (left) return found(s.offset, e.offset, left, true);
  }
  return { orphaned: true, sectionTitle: own?.title ?? null };
}
