import * as Y from 'yjs';
import { FRAGMENT } from '@essaim/protocol';
import { restoreDeletedSection } from './sectionForwarding.js';

/** Transaction origin of the restorations, so observers can tell them from people's edits. */
export const REQUIRED_SECTION_ORIGIN = 'essaim:required-sections';

/** A required section of the document's template. */
export interface RequiredSection {
  key: string;
  title: string;
}

interface Seen {
  id: string;
  index: number;
  /** The element itself: once deleted, it is still readable by the observer of that transaction. */
  element: Y.XmlElement;
}

function sectionsByKey(fragment: Y.XmlFragment): Map<string, Seen> {
  const seen = new Map<string, Seen>();
  fragment.toArray().forEach((child, index) => {
    if (!(child instanceof Y.XmlElement) || child.nodeName !== 'section') return;
    const key = child.getAttribute('key');
    const id = child.getAttribute('id');
    if (typeof key === 'string' && typeof id === 'string' && !seen.has(key))
      seen.set(key, { id, index, element: child });
  });
  return seen;
}

/**
 * An empty section as y-tiptap stores it: its title, then one empty paragraph holding an empty
 * Y.XmlText, so the first keystrokes of two people typing in it at once go into the same text.
 */
function emptySectionElement(id: string, key: string, title: string): Y.XmlElement {
  const section = new Y.XmlElement('section');
  section.setAttribute('id', id);
  section.setAttribute('key', key);
  const heading = new Y.XmlElement('sectionTitle');
  heading.insert(0, [new Y.XmlText(title)]);
  const paragraph = new Y.XmlElement('paragraph');
  paragraph.insert(0, [new Y.XmlText()]);
  section.insert(0, [heading, paragraph]);
  return section;
}

/**
 * Keeps the required sections of a template in the document, whoever removes one: editors refuse
 * such a deletion, and this puts the section back should a client send one anyway: same id and
 * key (so reviews still find it) and the content it had just before (the items the deleting
 * transaction removed are still readable in its observer; those deleted earlier are not part of
 * it), with a forwarding old → restored (see sectionForwarding.ts) so that keystrokes still
 * arriving for the deleted element land in the restored one. Should the element be unreadable,
 * the section comes back with its title and an empty paragraph. `fromPerson` says which
 * transactions to guard; the document's own loading and server-side changes are left alone.
 * Returns the function that stops watching.
 */
export function guardRequiredSections(
  ydoc: Y.Doc,
  required: readonly RequiredSection[],
  fromPerson: (transaction: Y.Transaction) => boolean,
): () => void {
  const fragment = ydoc.getXmlFragment(FRAGMENT);
  let known = sectionsByKey(fragment);
  const observer = (events: Y.YEvent<Y.XmlElement | Y.XmlText>[], transaction: Y.Transaction): void => {
    if (!events.some((event) => event.target === (fragment as unknown))) return;
    const now = sectionsByKey(fragment);
    const missing =
      transaction.origin === REQUIRED_SECTION_ORIGIN || !fromPerson(transaction)
        ? []
        : required.filter((r) => !now.has(r.key) && known.has(r.key));
    if (missing.length === 0) {
      known = now;
      return;
    }
    ydoc.transact(() => {
      for (const section of missing) {
        const before = known.get(section.key) as Seen;
        const index = Math.min(before.index, fragment.length);
        if (!restoreDeletedSection(ydoc, index, before.element, transaction))
          fragment.insert(index, [emptySectionElement(before.id, section.key, section.title)]);
      }
    }, REQUIRED_SECTION_ORIGIN);
  };
  fragment.observeDeep(observer);
  return () => fragment.unobserveDeep(observer);
}
