import type { Schema } from '@tiptap/pm/model';
import * as Y from 'yjs';
import { schema as sharedSchema } from './extensions.js';

/** Deeper elements are not visited (update validation refuses them; this guards legacy documents). */
const MAX_DEPTH = 64;

function visit(
  parent: Y.XmlFragment | Y.XmlElement,
  schema: Schema,
  depth: number,
  found: Y.XmlElement[],
): void {
  if (depth > MAX_DEPTH) return;
  for (const child of parent.toArray()) {
    if (!(child instanceof Y.XmlElement)) continue;
    const type = schema.nodes[child.nodeName];
    if (type?.isTextblock) {
      if (child.length === 0) found.push(child);
    } else {
      visit(child, schema, depth + 1, found);
    }
  }
}

/**
 * The textblocks (paragraphs, headings, section titles… any node of `schema` whose content is
 * inline) of `fragment` that hold no child at all, in document order.
 *
 * Such a block is what documents written before the y-tiptap patch (patches/, issue 8) hold for
 * every empty paragraph. When two people type into it at the same moment, each editor creates its
 * own Y.XmlText in it; y-tiptap then rewrites the two texts into one on both sides at once, which
 * doubles or moves characters ("0123456789AABCDEFGHIJ"). A block holding an empty Y.XmlText has
 * no such race: both first keystrokes go into the same text.
 */
export function emptyTextblocksWithoutText(
  fragment: Y.XmlFragment,
  schema: Schema = sharedSchema,
): Y.XmlElement[] {
  const found: Y.XmlElement[] = [];
  visit(fragment, schema, 0, found);
  return found;
}

/**
 * Gives every textblock of `fragment` that has no child an empty Y.XmlText, in one transaction
 * with `origin` (so observers can tell it from people's edits), and returns how many it changed.
 * Does nothing, and opens no transaction, when there is none: safe to call on every load. Text,
 * attributes and other blocks are untouched; the document reads the same before and after.
 *
 * Meant for the server, on documents loaded from storage (the lead wires it), since editors with
 * the patched y-tiptap and the server's templates already store an empty Y.XmlText in every empty
 * textblock they create.
 */
export function fillEmptyTextblocks(
  fragment: Y.XmlFragment,
  origin: unknown,
  schema: Schema = sharedSchema,
): number {
  const blocks = emptyTextblocksWithoutText(fragment, schema);
  if (blocks.length === 0) return 0;
  const ydoc = fragment.doc;
  const fill = (): void => {
    for (const block of blocks) block.insert(0, [new Y.XmlText()]);
  };
  if (ydoc) ydoc.transact(fill, origin);
  else fill();
  return blocks.length;
}
