/**
 * Builders shared by this folder's unit tests (never imported by the app): fiche content as the
 * editor's JSON, the range of some words in a ProseMirror document, and threads as the API sends
 * them.
 */
import type { Node as PMNode } from '@tiptap/pm/model';
import type { DocJSON } from '@essaim/editor';
import type { ThreadDto } from '@essaim/protocol';
import type { Range } from './anchors.js';

/** A paragraph holding `text` (no text node when `text` is empty, as the schema wants). */
export const p = (text: string): DocJSON => ({
  type: 'paragraph',
  content: text ? [{ type: 'text', text }] : [],
});

/** A section with the stable `id`, the title `title` and the `blocks` after it (no section key). */
export const section = (id: string, title: string, ...blocks: DocJSON[]): DocJSON => ({
  type: 'section',
  attrs: { id, key: null },
  content: [{ type: 'sectionTitle', content: [{ type: 'text', text: title }] }, ...blocks],
});

/**
 * The range of the first occurrence of `words` in `doc`, looked for inside each text node (words
 * across two nodes are not found). Throws when `words` is not there.
 */
export function rangeOfWords(doc: PMNode, words: string): Range {
  let found: Range | null = null;
  doc.descendants((node, pos) => {
    if (found || !node.isText || !node.text) return !found;
    const at = node.text.indexOf(words);
    if (at >= 0) found = { from: pos + at, to: pos + at + words.length };
    return false;
  });
  if (!found) throw new Error(`« ${words} » introuvable`);
  return found;
}

let made = 0;

/**
 * An open thread on the words « mots » of section s1 of document d1, with no comment, overridden
 * by `over`. Each call gives a new id (`t1`, `t2`, … counted per test file) and a creation time
 * one second later than the call before (from 2026-01-01T10:00:01Z: fewer than 60 a test file),
 * unless `over` sets them.
 */
export function threadDto(over: Partial<ThreadDto> = {}): ThreadDto {
  made += 1;
  return {
    id: `t${made}`,
    documentId: 'd1',
    sectionId: 's1',
    sectionTitle: 'Origine',
    anchor: { start: 'AA==', end: 'AA==' },
    quote: 'mots',
    currentQuote: 'mots',
    status: 'open',
    orphaned: false,
    wholeSection: false,
    createdBy: { id: 'u1', name: 'Paul' },
    createdAt: `2026-01-01T10:00:${String(made).padStart(2, '0')}Z`,
    resolvedBy: null,
    resolvedAt: null,
    comments: [],
    ...over,
  };
}
