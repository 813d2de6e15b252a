import type { Node as PMNode } from '@tiptap/pm/model';
import { prosemirrorJSONToYXmlFragment } from '@tiptap/y-tiptap';
import type * as Y from 'yjs';
import { FRAGMENT } from '@essaim/protocol';
import { schema } from './extensions.js';
import { readFragment } from './read.js';

/** ProseMirror JSON, as Tiptap's `editor.getJSON()` returns it. */
export interface DocJSON {
  type: string;
  attrs?: Record<string, unknown>;
  content?: DocJSON[];
  marks?: { type: string; attrs?: Record<string, unknown> }[];
  text?: string;
}

/**
 * The document held by a Y.Doc, as a ProseMirror node of the shared schema. Reading never writes:
 * what the schema does not know is left out of the node, not deleted from the Y.Doc (see read.ts).
 */
export function ydocToNode(ydoc: Y.Doc): PMNode {
  return readFragment(ydoc.getXmlFragment(FRAGMENT), schema);
}

/** The document held by a Y.Doc, as ProseMirror JSON. */
export function ydocToJSON(ydoc: Y.Doc): DocJSON {
  return ydocToNode(ydoc).toJSON() as DocJSON;
}

/**
 * The plain text of a document: blocks separated by a blank line. Used for search, length gauges
 * and tests; it never goes through a DOM.
 */
export function ydocToText(ydoc: Y.Doc): string {
  const node = ydocToNode(ydoc);
  return node.textBetween(0, node.content.size, '\n\n', leafText);
}

/** Text of inline leaves: line breaks, the note of a footnote, the title of a link to a document. */
function leafText(leaf: PMNode): string {
  switch (leaf.type.name) {
    case 'hardBreak':
      return '\n';
    case 'footnote':
      return ` (note : ${String(leaf.attrs.text)})`;
    case 'docRef':
      return String(leaf.attrs.title);
    default:
      return '';
  }
}

/**
 * Writes ProseMirror JSON into the (empty) fragment of a Y.Doc, validating it on the way. With
 * the patched y-tiptap (patches/), every empty textblock is stored with an empty Y.XmlText, so two
 * people's first keystrokes in it go into the same text (issue 8).
 */
export function writeJSONToYdoc(ydoc: Y.Doc, json: DocJSON): void {
  // Validate first: an unknown node throws here instead of being stored.
  schema.nodeFromJSON(json).check();
  prosemirrorJSONToYXmlFragment(schema, json, ydoc.getXmlFragment(FRAGMENT));
}
