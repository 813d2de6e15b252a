import { schema } from '@essaim/editor';
import { FRAGMENT } from '@essaim/protocol';
import type { Node as PMNode } from '@tiptap/pm/model';
import { Transform } from '@tiptap/pm/transform';
import { absolutePositionToRelativePosition, initProseMirrorDoc, updateYFragment } from '@tiptap/y-tiptap';
import * as Y from 'yjs';
import { loadTrace } from './trace.js';

/**
 * Documents and comment threads for `bench/comments.ts` (issue 10), built as the editor builds
 * them: text written through y-tiptap from a ProseMirror transform (what typing or pasting does),
 * thread anchors taken from ProseMirror positions through y-tiptap's mapping (what the
 * « Commenter » button sends), paragraph splits written back by y-tiptap (Enter).
 */

/** The paragraph people type into in the typing measure: the first one of the second section. */
export const TYPING_MARK = 'Zone de frappe du banc d’essai :';
/** The last paragraph of the document: once it is on screen, the whole text is. */
export const END_MARK = 'Fin du document de mesure.';

const toBase64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64');

type Mapping = Map<Y.AbstractType<unknown>, PMNode>;

/** The ProseMirror document of `ydoc` with y-tiptap's mapping, as an editor bound to it has them. */
function binding(ydoc: Y.Doc): { doc: PMNode; mapping: Mapping } {
  return initProseMirrorDoc(ydoc.getXmlFragment(FRAGMENT), schema) as { doc: PMNode; mapping: Mapping };
}

/** Writes a ProseMirror transform of {@link binding}'s document back into `ydoc` (one transaction). */
function writeBack(ydoc: Y.Doc, mapping: Mapping, tr: Transform): void {
  ydoc.transact(() => {
    updateYFragment(ydoc, ydoc.getXmlFragment(FRAGMENT), tr.doc, { mapping, isOMark: new Map() });
  });
}

/**
 * The paragraphs of real prose the big fiche is made of: the final text of the seph-blog1 editing
 * trace (/work/shared/bench-data/), split at its blank lines, as `bench/sections.ts` does.
 */
function proseParagraphs(): string[] {
  return loadTrace('seph-blog1')
    .endContent.split(/\n+/)
    .map((p) => p.replace(/\s+/g, ' ').trim())
    .filter((p) => p.length > 0);
}

/**
 * Fills a fiche made from the template (synced in `ydoc`) with at least `characters` characters of
 * prose, paragraphs dealt to its sections in turn, plus {@link TYPING_MARK} at the top of the
 * second section and {@link END_MARK} at the end of the last one. One Yjs transaction, written by
 * y-tiptap as a paste would be. Returns the number of prose characters written.
 */
export function fillFiche(ydoc: Y.Doc, characters: number): number {
  const { doc, mapping } = binding(ydoc);
  const sections: { offset: number; node: PMNode }[] = [];
  doc.forEach((node, offset) => {
    if (node.type.name === 'section') sections.push({ offset, node });
  });
  if (sections.length < 2) throw new Error('la fiche n’a pas ses sections');
  const source = proseParagraphs();
  const dealt: string[][] = sections.map(() => []);
  let written = 0;
  for (let i = 0; written < characters; i++) {
    const text = source[i % source.length] as string;
    dealt[i % sections.length]?.push(text);
    written += text.length;
  }
  dealt[1]?.unshift(TYPING_MARK);
  dealt[dealt.length - 1]?.push(END_MARK);
  const paragraph = (text: string): PMNode => schema.node('paragraph', null, schema.text(text));
  const tr = new Transform(doc);
  // From the last section back, so the offsets of the earlier ones stay right.
  for (let s = sections.length - 1; s >= 0; s--) {
    const { offset, node } = sections[s] as { offset: number; node: PMNode };
    const texts = dealt[s] ?? [];
    if (texts.length === 0) continue;
    if (texts[0] === TYPING_MARK) {
      const title = node.firstChild;
      const afterTitle = offset + 1 + (title?.nodeSize ?? 0);
      tr.insert(offset + node.nodeSize - 1, texts.slice(1).map(paragraph));
      tr.insert(afterTitle, paragraph(TYPING_MARK));
    } else {
      tr.insert(offset + node.nodeSize - 1, texts.map(paragraph));
    }
  }
  writeBack(ydoc, mapping, tr);
  return written;
}

/** The body of one `POST /api/documents/:id/threads`. */
export interface ThreadInput {
  sectionId: string;
  anchor: { start: string; end: string };
  quote: string;
  body: string;
}

/**
 * `count` thread inputs on words spread evenly over the document's prose (never in the two mark
 * paragraphs, never overlapping, each inside one text node so each draws as exactly one highlighted
 * span), about `quoteChars` characters long, cut at word starts. Anchors are made as the editor
 * makes them (`absolutePositionToRelativePosition` with y-tiptap's mapping), quotes with
 * `textBetween`. Throws when the document has too little prose for `count` ranges.
 */
export function threadInputs(ydoc: Y.Doc, count: number, quoteChars = 30): ThreadInput[] {
  const { doc, mapping } = binding(ydoc);
  const fragment = ydoc.getXmlFragment(FRAGMENT);
  const paragraphs: { pos: number; text: string; sectionId: string }[] = [];
  doc.descendants((node, pos) => {
    if (node.type.name === 'section') return true;
    if (node.type.name !== 'paragraph') return false;
    const text = node.textContent;
    if (node.childCount !== 1 || text.length < quoteChars || text === TYPING_MARK || text === END_MARK)
      return false;
    const section = doc.resolve(pos).node(1);
    paragraphs.push({ pos: pos + 1, text, sectionId: String(section.attrs.id) });
    return false;
  });
  const total = paragraphs.reduce((n, p) => n + p.text.length, 0);
  const step = total / count;
  if (step < quoteChars * 2) throw new Error(`pas assez de texte pour ${count} fils`);
  const rel = (pos: number): string =>
    toBase64(Y.encodeRelativePosition(absolutePositionToRelativePosition(pos, fragment, mapping)));
  const inputs: ThreadInput[] = [];
  let p = 0;
  let before = 0;
  for (let i = 0; i < count; i++) {
    const target = Math.floor(i * step + step / 3);
    while (p < paragraphs.length - 1 && before + (paragraphs[p] as { text: string }).text.length <= target) {
      before += (paragraphs[p] as { text: string }).text.length;
      p++;
    }
    const { pos, text, sectionId } = paragraphs[p] as (typeof paragraphs)[number];
    let start = Math.min(target - before, text.length - quoteChars);
    // Start on a word, when one starts nearby.
    const space = text.indexOf(' ', start);
    if (space >= 0 && space + 1 + quoteChars <= text.length && space - start < 12) start = space + 1;
    let end = start + quoteChars;
    while (end > start + 1 && text[end - 1] === ' ') end--;
    const from = pos + start;
    const to = pos + end;
    inputs.push({
      sectionId,
      anchor: { start: rel(from), end: rel(to) },
      quote: doc.textBetween(from, to, '\n'),
      body: `Fil de mesure n° ${i + 1} : à reformuler ?`,
    });
  }
  return inputs;
}

/**
 * Presses Enter right before the words of every `quotes` entry found in the document (each at its
 * first occurrence), in one transaction written back by y-tiptap: the text after each caret is
 * deleted and re-inserted in a new paragraph, which leaves Yjs relative positions taken on it
 * behind (y-prosemirror#204), so the server must find those threads again by their quotes.
 * Returns the number of splits made.
 */
export function splitBeforeQuotes(ydoc: Y.Doc, quotes: readonly string[]): number {
  const { doc, mapping } = binding(ydoc);
  const positions: number[] = [];
  const wanted = new Set(quotes);
  doc.descendants((node, pos) => {
    if (!node.isText || !node.text) return true;
    for (const quote of wanted) {
      const at = node.text.indexOf(quote);
      // Not at the very start of a paragraph: a split there would only add an empty paragraph.
      if (at > 0) {
        positions.push(pos + at);
        wanted.delete(quote);
      }
    }
    return false;
  });
  positions.sort((a, b) => b - a);
  const tr = new Transform(doc);
  for (const pos of positions) tr.split(pos);
  writeBack(ydoc, mapping, tr);
  return positions.length;
}
