import type { Node as PMNode } from '@tiptap/pm/model';
import type { EditorState } from '@tiptap/pm/state';
import {
  absolutePositionToRelativePosition,
  relativePositionToAbsolutePosition,
  ySyncPluginKey,
} from '@tiptap/y-tiptap';
import * as Y from 'yjs';
import type { ThreadAnchorDto } from '@essaim/protocol';

/**
 * Anchors of comment threads: the words a thread is about, as two Yjs relative positions (base64
 * of `Y.encodeRelativePosition`), turned into ProseMirror ranges through y-tiptap's mapping and
 * back. Nothing here writes to the Y.Doc. Pure functions of a document, unit-tested without a DOM.
 */

/** y-tiptap's map from Yjs types to the ProseMirror nodes they render as. */
export type ProsemirrorMapping = Parameters<typeof relativePositionToAbsolutePosition>[3];

/** The Yjs side of an editor: its document, the fragment it shows, and y-tiptap's mapping. */
export interface YBinding {
  ydoc: Y.Doc;
  fragment: Y.XmlFragment;
  mapping: ProsemirrorMapping;
}

/** A range of a ProseMirror document, `from < to`. */
export interface Range {
  from: number;
  to: number;
}

/** The Yjs binding of an editor state (y-tiptap's sync plugin), or null before it is bound. */
export function yBindingOf(state: EditorState): YBinding | null {
  const sync: unknown = ySyncPluginKey.getState(state);
  if (typeof sync !== 'object' || sync === null) return null;
  const { doc, type, binding } = sync as { doc?: unknown; type?: unknown; binding?: { mapping?: unknown } };
  if (!(doc instanceof Y.Doc) || !(type instanceof Y.XmlFragment) || !(binding?.mapping instanceof Map))
    return null;
  return { ydoc: doc, fragment: type, mapping: binding.mapping as ProsemirrorMapping };
}

export function bytesToBase64(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

export function base64ToBytes(base64: string): Uint8Array {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** A decoded relative position, or null when the text is not valid base64 or not a position. */
export function decodePosition(base64: string): Y.RelativePosition | null {
  try {
    return Y.decodeRelativePosition(base64ToBytes(base64));
  } catch {
    return null;
  }
}

/**
 * The part of `[from, to)` that is text, without spaces at either end: from the first visible
 * character to just after the last one, or null when the range holds no visible character.
 *
 * Both ends then sit inside text, never between blocks: a position at the end of a node (after the
 * last child of a paragraph, between two paragraphs) is where y-prosemirror's relative positions
 * come back off by one (y-prosemirror#194), so the anchor is never taken there.
 */
export function textRangeOf(doc: PMNode, from: number, to: number): Range | null {
  const lo = Math.max(0, Math.min(from, to));
  const hi = Math.min(doc.content.size, Math.max(from, to));
  const found: { start: number | null; end: number | null } = { start: null, end: null };
  doc.nodesBetween(lo, hi, (node, pos) => {
    if (!node.isText || !node.text) return true;
    const a = Math.max(lo, pos);
    const b = Math.min(hi, pos + node.nodeSize);
    const text = node.text.slice(a - pos, b - pos);
    const first = text.search(/\S/);
    if (first < 0) return false;
    found.start ??= a + first;
    found.end = a + text.replace(/\s+$/, '').length;
    return false;
  });
  const { start, end } = found;
  return start !== null && end !== null && start < end ? { from: start, to: end } : null;
}

/**
 * What a selection quotes, as the server compares it: the text between the two positions, blocks
 * separated by a line break (the server collapses every run of spaces and breaks to one space).
 */
export function quoteOf(doc: PMNode, range: Range): string {
  return doc.textBetween(range.from, range.to, '\n');
}

/** Collapses runs of white space (line breaks included) to one space and trims: how quotes compare. */
export function normalizeQuote(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/**
 * The anchor of the words `range` covers (call {@link textRangeOf} first): start and end as base64
 * of `Y.encodeRelativePosition`, through y-tiptap's mapping of the editor that shows `doc`.
 */
export function encodeAnchor(binding: YBinding, range: Range): ThreadAnchorDto {
  const { fragment, mapping } = binding;
  const start = stickToNext(binding.ydoc, absolutePositionToRelativePosition(range.from, fragment, mapping));
  // y-tiptap's positions stick to the character before (assoc -1): right for the end, which then
  // follows the last commented character.
  const end = absolutePositionToRelativePosition(range.to, fragment, mapping);
  return {
    start: bytesToBase64(Y.encodeRelativePosition(start)),
    end: bytesToBase64(Y.encodeRelativePosition(end)),
  };
}

/**
 * The same place, stuck to the character after it: text typed just before the commented words
 * then stays out of the range, as it does in the highlight (ProseMirror's inline decorations are
 * not inclusive at their start).
 */
function stickToNext(ydoc: Y.Doc, position: Y.RelativePosition): Y.RelativePosition {
  const absolute = Y.createAbsolutePositionFromRelativePosition(position, ydoc);
  if (!absolute || !(absolute.type instanceof Y.XmlText) || absolute.index >= absolute.type.length)
    return position;
  return Y.createRelativePositionFromTypeIndex(absolute.type, absolute.index, 0);
}

/** Decoded anchor of a thread, kept between recomputations (decoding is not free). */
export interface DecodedAnchor {
  start: Y.RelativePosition;
  end: Y.RelativePosition;
}

export function decodeAnchor(anchor: ThreadAnchorDto): DecodedAnchor | null {
  const start = decodePosition(anchor.start);
  const end = decodePosition(anchor.end);
  return start && end ? { start, end } : null;
}

/**
 * Where the anchored words are in `doc` now, or null when the positions are unknown here (not
 * synced yet) or have collapsed (the words were deleted, or moved by a paragraph split: see
 * {@link findQuote}).
 */
export function rangeOfAnchor(binding: YBinding, doc: PMNode, anchor: DecodedAnchor): Range | null {
  const { ydoc, fragment, mapping } = binding;
  let from: number | null;
  let to: number | null;
  try {
    from = relativePositionToAbsolutePosition(ydoc, fragment, anchor.start, mapping);
    to = relativePositionToAbsolutePosition(ydoc, fragment, anchor.end, mapping);
  } catch {
    return null;
  }
  if (from === null || to === null) return null;
  const size = doc.content.size;
  from = Math.max(0, Math.min(from, size));
  to = Math.max(0, Math.min(to, size));
  return from < to ? { from, to } : null;
}

/**
 * Finds `quote` (compared as {@link normalizeQuote} does) inside one textblock of `doc` between
 * `within.from` and `within.to`, the occurrence nearest to `near`. Relative positions taken from
 * ProseMirror stay in the first paragraph when Enter splits it before the commented words
 * (y-prosemirror#204): the words then live in a new paragraph and are found again here.
 * Quotes spanning several blocks are not searched (the server re-anchors those).
 */
export function findQuote(doc: PMNode, quote: string, within: Range, near: number): Range | null {
  const wanted = normalizeQuote(quote);
  if (!wanted) return null;
  const found: { best: Range | null } = { best: null };
  const lo = Math.max(0, within.from);
  const hi = Math.min(doc.content.size, within.to);
  doc.nodesBetween(lo, hi, (node, pos) => {
    if (!node.isTextblock) return true;
    // The block's text, one character per position (inline atoms are separators), with where
    // each character is.
    let text = '';
    const at: number[] = [];
    node.forEach((child, offset) => {
      if (child.isText && child.text) {
        for (let i = 0; i < child.text.length; i++) {
          text += child.text[i];
          at.push(pos + 1 + offset + i);
        }
      } else {
        text += '\u0000';
        at.push(pos + 1 + offset);
      }
    });
    // Runs of spaces collapse to one, as in the normalized quote.
    let squeezed = '';
    const squeezedAt: number[] = [];
    for (let i = 0; i < text.length; i++) {
      const ch = /\s/.test(text[i] ?? '') ? ' ' : (text[i] ?? '');
      if (ch === ' ' && squeezed.endsWith(' ')) continue;
      squeezed += ch;
      squeezedAt.push(at[i] ?? 0);
    }
    for (let index = squeezed.indexOf(wanted); index >= 0; index = squeezed.indexOf(wanted, index + 1)) {
      const from = squeezedAt[index] ?? 0;
      const to = (squeezedAt[index + wanted.length - 1] ?? 0) + 1;
      const { best } = found;
      if (!best || Math.abs(from - near) < Math.abs(best.from - near)) found.best = { from, to };
    }
    return false;
  });
  return found.best;
}
