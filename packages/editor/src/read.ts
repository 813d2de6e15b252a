import type { Mark, Node as PMNode, Schema } from '@tiptap/pm/model';
import * as Y from 'yjs';

/**
 * Reading a Yjs fragment as ProseMirror without ever writing to it.
 *
 * y-prosemirror's own conversion (`yXmlFragmentToProseMirrorRootNode`) deletes, in the document it
 * reads, every element the schema rejects, and merges adjacent texts it created itself: reading a
 * live document on the server would then change it for everyone, behind the required-section guard
 * and the update log's back (issue 9). This reader builds the same nodes and simply leaves out
 * what does not fit; the document is untouched.
 */

/** Deeper elements are left out (update validation refuses them; this guards legacy documents). */
const MAX_DEPTH = 64;

/** The marks a Yjs text run carries (`name` or `name--hash` format keys, as y-prosemirror writes them). */
function marksOf(attributes: Record<string, unknown> | undefined, schema: Schema): Mark[] | null {
  if (!attributes) return [];
  const marks: Mark[] = [];
  for (const [key, value] of Object.entries(attributes)) {
    const type = schema.marks[key.split('--')[0] ?? ''];
    if (!type) return null;
    try {
      marks.push(type.create((value ?? null) as Record<string, unknown> | null));
    } catch {
      return null;
    }
  }
  return marks;
}

function textNodes(text: Y.XmlText, schema: Schema): PMNode[] {
  const nodes: PMNode[] = [];
  for (const delta of text.toDelta() as { insert: unknown; attributes?: Record<string, unknown> }[]) {
    if (typeof delta.insert !== 'string' || delta.insert === '') continue;
    const marks = marksOf(delta.attributes, schema);
    if (marks) nodes.push(schema.text(delta.insert, marks));
  }
  return nodes;
}

function elementNode(element: Y.XmlElement, schema: Schema, depth: number): PMNode | null {
  if (depth > MAX_DEPTH) return null;
  const type = schema.nodes[element.nodeName];
  if (!type || type.isText) return null;
  const children = childNodes(element, schema, depth);
  try {
    return type.create(element.getAttributes() as Record<string, unknown>, children);
  } catch {
    return null;
  }
}

function childNodes(parent: Y.XmlFragment | Y.XmlElement, schema: Schema, depth: number): PMNode[] {
  const nodes: PMNode[] = [];
  for (const child of parent.toArray()) {
    if (child instanceof Y.XmlText) nodes.push(...textNodes(child, schema));
    else if (child instanceof Y.XmlElement) {
      const node = elementNode(child, schema, depth + 1);
      if (node) nodes.push(node);
    }
  }
  return nodes;
}

/**
 * The ProseMirror document a Yjs fragment holds, as the editor would show it, without changing the
 * fragment: elements with an unknown name or unusable attributes, and text with unknown marks, are
 * left out of the result (not deleted). Content is not checked against the schema's content
 * expressions, exactly like y-prosemirror, so concurrent edits that leave, say, a section without
 * blocks still read.
 */
export function readFragment(fragment: Y.XmlFragment, schema: Schema): PMNode {
  return schema.topNodeType.create(null, childNodes(fragment, schema, 0));
}
