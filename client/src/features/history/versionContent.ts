import { schema, type DocJSON } from '@essaim/editor';
import { DOMSerializer, type DOMOutputSpec, type Node as PMNode } from '@tiptap/pm/model';

/**
 * A stored version's text, read with the shared schema (`@essaim/editor`, the one the server and
 * the editor use) and drawn read-only, without an editor, in the editor's layout: sections and
 * their titles, headings, lists, tables, images, links, numbered note calls (the notes themselves
 * are listed under the text by the caller, from {@link notesOf}).
 */

/**
 * The version's ProseMirror JSON as a node of the shared schema. Throws (a `RangeError` from
 * ProseMirror) when the JSON does not fit the schema: the caller says the version cannot be shown.
 */
export function readVersion(content: DocJSON): PMNode {
  const node = schema.nodeFromJSON(content);
  node.check();
  return node;
}

/** The text of each footnote of a version, in document order (note 1 first). */
export function notesOf(doc: PMNode): string[] {
  const notes: string[] = [];
  doc.descendants((node) => {
    if (node.type.name === 'footnote') notes.push(String(node.attrs.text ?? ''));
    return true;
  });
  return notes;
}

/**
 * Headings of a version are drawn one level under the panel's title (h3): section titles (h2 in
 * the editor) as h4, the headings written inside sections (3 and 4) as h5 and h6.
 */
const HEADING_SHIFT = 2;

/**
 * Draws a version's node as DOM nodes of `target` (the page's document). The shared schema's own
 * rendering is used, except for: section titles and headings (one level down, see
 * {@link HEADING_SHIFT}); footnotes (a numbered call « note 1 » instead of an empty mark); tables
 * (no column widths, which would be inline styles the CSP refuses). Everything is first built in
 * an inert document, where no image loads and no style attribute applies, and every `style`
 * attribute is removed before the nodes are brought into `target`. Text is always text: nothing is
 * parsed as HTML.
 */
export function renderVersion(doc: PMNode, target: Document, noteLabel: (n: number) => string): Node {
  let note = 0;
  const nodes: Record<string, (node: PMNode) => DOMOutputSpec> = {
    ...DOMSerializer.nodesFromSchema(schema),
    sectionTitle: () => [`h${2 + HEADING_SHIFT}`, { class: 'essaim-section-title' }, 0],
    heading: (node) => {
      const level = Math.min(6, Math.max(3, Number(node.attrs.level) || 3) + HEADING_SHIFT);
      return [`h${level}`, 0];
    },
    footnote: () => {
      note += 1;
      return [
        'sup',
        { class: 'essaim-history-note-call' },
        ['span', { class: 'fr-sr-only' }, `${noteLabel(note)} `],
        ['span', { 'aria-hidden': 'true' }, String(note)],
      ];
    },
    table: () => ['div', { class: 'tableWrapper' }, ['table', ['tbody', 0]]],
  };
  const serializer = new DOMSerializer(nodes, DOMSerializer.marksFromSchema(schema));
  const inert = target.implementation.createHTMLDocument('');
  const fragment = serializer.serializeFragment(doc.content, { document: inert });
  fragment.querySelectorAll('[style]').forEach((element) => element.removeAttribute('style'));
  return target.importNode(fragment, true);
}
