import * as Y from 'yjs';
import { FRAGMENT } from '@essaim/protocol';

/** Transaction origin of the id fixes, so observers can tell them from people's edits. */
export const SECTION_ID_FIX_ORIGIN = 'essaim:section-ids';

/**
 * The id a section copy gets: derived from the Yjs item that holds it, which every replica knows
 * by the same (client, clock) pair. Two replicas fixing the same duplicate therefore write the
 * same value, and the fixes converge whatever order they arrive in.
 */
function derivedId(element: Y.XmlElement): string {
  const item = element._item;
  if (!item) throw new Error('Section hors d’un document');
  return `s-${item.id.client.toString(36)}-${item.id.clock.toString(36)}`;
}

/**
 * The changes that make section ids unique: the first section in document order keeps an id, each
 * later copy (copy-paste, a split, undo bringing a section back next to its copy) and each section
 * without id gets a derived one. Pure: it reads the fragment and changes nothing.
 */
export function sectionIdFixes(fragment: Y.XmlFragment): { element: Y.XmlElement; id: string }[] {
  const seen = new Set<string>();
  const fixes: { element: Y.XmlElement; id: string }[] = [];
  const sections: Y.XmlElement[] = [];
  for (const child of fragment.toArray()) {
    if (child instanceof Y.XmlElement && child.nodeName === 'section') sections.push(child);
  }
  for (const section of sections) {
    const id = section.getAttribute('id');
    if (typeof id === 'string' && id !== '' && !seen.has(id)) seen.add(id);
  }
  const kept = new Set<string>();
  for (const section of sections) {
    const id = section.getAttribute('id');
    if (typeof id === 'string' && id !== '' && !kept.has(id)) {
      kept.add(id);
      continue;
    }
    let next = derivedId(section);
    for (let n = 2; seen.has(next); n++) next = `${derivedId(section)}-${n}`;
    seen.add(next);
    fixes.push({ element: section, id: next });
  }
  return fixes;
}

/**
 * Makes every section id of a document unique, in one transaction, and says whether it changed
 * anything. The server runs it after each accepted change; editors may run it too (offline), since
 * every replica computes the same fixes.
 */
export function ensureUniqueSectionIds(ydoc: Y.Doc): boolean {
  const fixes = sectionIdFixes(ydoc.getXmlFragment(FRAGMENT));
  if (fixes.length === 0) return false;
  ydoc.transact(() => {
    for (const { element, id } of fixes) element.setAttribute('id', id);
  }, SECTION_ID_FIX_ORIGIN);
  return true;
}

/**
 * Runs {@link ensureUniqueSectionIds} after every transaction that could have duplicated an id:
 * sections added or removed at the top level, or a section's `id` attribute changed. Keystrokes
 * inside sections cost one cheap check of the events. The fix runs in its own transaction, right
 * after the one that caused it. Returns the function that stops watching.
 */
export function watchSectionIds(ydoc: Y.Doc): () => void {
  const fragment = ydoc.getXmlFragment(FRAGMENT);
  const observer = (events: Y.YEvent<Y.XmlElement | Y.XmlText>[], transaction: Y.Transaction): void => {
    if (transaction.origin === SECTION_ID_FIX_ORIGIN) return;
    const relevant = events.some(
      (event) =>
        event.target === (fragment as unknown) ||
        (event.target instanceof Y.XmlElement &&
          event.target.parent === fragment &&
          event.target.nodeName === 'section' &&
          (event as Y.YXmlEvent).attributesChanged.has('id')),
    );
    if (relevant) ensureUniqueSectionIds(ydoc);
  };
  fragment.observeDeep(observer);
  return () => fragment.unobserveDeep(observer);
}
