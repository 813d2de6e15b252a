import type { Node as PMNode } from '@tiptap/pm/model';
import { updateYFragment } from '@tiptap/y-tiptap';
import * as Y from 'yjs';
import { FRAGMENT } from '@essaim/protocol';
import type { DocJSON } from './convert.js';
import { schema } from './extensions.js';
import { readFragment } from './read.js';

/**
 * Where a section stood before a change removed it, for {@link restoreSection}. The lock guard
 * (server `SectionLocksExtension`) records it while the deleting transaction is still readable:
 * once Yjs has collected a deleted element, neither its id nor its neighbours can be read from it.
 */
export interface SectionPlace {
  /**
   * The element that held the section. When it is still in the document but carries another id
   * (a client changed the attribute), it is given its id and content back in place, so its
   * unchanged paragraphs keep their Yjs items.
   */
  element?: Y.XmlElement;
  /**
   * Id of the section that preceded it (null: it was the first element of the document). When
   * that section is no longer in the document either, the section goes back at the end.
   */
  after?: string | null;
}

/** A top-level element of the fragment, not deleted. */
function isLiveChild(fragment: Y.XmlFragment, element: Y.XmlElement): boolean {
  return element.parent === fragment && !(element._item?.deleted ?? true);
}

/** The live top-level section holding `sectionId`, if any (the first one, in document order). */
export function liveSectionElement(doc: Y.Doc, sectionId: string): Y.XmlElement | null {
  for (const child of doc.getXmlFragment(FRAGMENT).toArray()) {
    if (
      child instanceof Y.XmlElement &&
      child.nodeName === 'section' &&
      child.getAttribute('id') === sectionId
    )
      return child;
  }
  return null;
}

/**
 * One section element of the live document read as a ProseMirror `section` node, without reading
 * (or writing) the rest of the document: what the lock guard hashes on the keystroke path. The
 * same reader as {@link readFragment} (elements and marks the schema does not know are left out,
 * nothing is deleted), so `sectionHash` of the result equals the hash `sectionsOf` gives for the
 * whole document.
 */
export function readSectionElement(element: Y.XmlElement): PMNode {
  // A Y.XmlElement is a Y.XmlFragment: its children read like a document's.
  const children = readFragment(element, schema).content;
  // Not checked against the content expression (`Schema.node` would throw): a section a client
  // emptied down to its title still reads, and hashes differently from any approved one.
  const section = schema.nodes.section;
  if (!section) throw new Error('schéma sans section');
  return section.create(element.getAttributes() as Record<string, unknown>, children);
}

/** Index of the fragment after the live section `after` (0 when null; the end when it is gone). */
function insertionIndex(fragment: Y.XmlFragment, after: string | null | undefined): number {
  if (after === null) return 0;
  if (after !== undefined) {
    const children = fragment.toArray();
    const index = children.findIndex(
      (c) => c instanceof Y.XmlElement && c.nodeName === 'section' && c.getAttribute('id') === after,
    );
    if (index >= 0) return index + 1;
  }
  return fragment.length;
}

/**
 * Makes the section `sectionId` of the live `doc` hold exactly `approved` (ProseMirror JSON of a
 * `section` node, attrs included; its `id` is forced to `sectionId`), as a forward change inside
 * the caller's transaction (issue 12, locked sections):
 *
 * - When a live section carries the id, or else when `place.element` is still in the document
 *   under another id, that element is brought back to `approved` with y-tiptap's
 *   `updateYFragment`, the minimal diff the editor's binding makes: paragraphs equal in both keep
 *   their Yjs items (carets and comment anchors there stay valid); only what differs is deleted
 *   or inserted; attributes (`id`, `key`) are set back.
 * - Otherwise (the element was deleted), the approved section is inserted again after the section
 *   `place.after` (first when null; at the end when that section is gone or no place is given).
 *   Nothing else of the document is touched: what the change did elsewhere stays.
 *
 * Throws, before writing anything, when `approved` is not a `section` node the schema accepts.
 */
export function restoreSection(
  doc: Y.Doc,
  sectionId: string,
  approved: DocJSON,
  place: SectionPlace = {},
): void {
  const node = schema.nodeFromJSON({ ...approved, attrs: { ...approved.attrs, id: sectionId } });
  if (node.type.name !== 'section') throw new Error(`Contenu approuvé inattendu : ${node.type.name}`);
  node.check();
  const fragment = doc.getXmlFragment(FRAGMENT);
  doc.transact(() => {
    const meta = { mapping: new Map(), isOMark: new Map() };
    const existing =
      liveSectionElement(doc, sectionId) ??
      (place.element && isLiveChild(fragment, place.element) ? place.element : null);
    if (existing) {
      updateYFragment(doc, existing, node, meta);
      return;
    }
    const element = new Y.XmlElement('section');
    fragment.insert(insertionIndex(fragment, place.after), [element]);
    updateYFragment(doc, element, node, meta);
  });
}
