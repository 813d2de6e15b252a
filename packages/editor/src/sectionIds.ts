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
 * The changes that make section ids unique. Among sections sharing an id, the one that held it
 * first keeps it, whatever the document order: `heldBefore` says which sections already held their
 * id before the change that made the duplicate (a section pasted above its original is new, the
 * original is not), and document order only breaks the remaining ties (both new, or no
 * `heldBefore`, as when a stored document is loaded). Each other copy (copy-paste, a split, undo bringing a section
 * back next to its copy) and each section without id gets an id derived from its Yjs item. Pure:
 * it reads the fragment and changes nothing.
 */
export function sectionIdFixes(
  fragment: Y.XmlFragment,
  heldBefore: (section: Y.XmlElement) => boolean = () => false,
): { element: Y.XmlElement; id: string }[] {
  const seen = new Set<string>();
  const sections: Y.XmlElement[] = [];
  for (const child of fragment.toArray()) {
    if (child instanceof Y.XmlElement && child.nodeName === 'section') sections.push(child);
  }
  // The keeper of each id: the first that held it before, else the first in document order.
  const keepers = new Map<string, Y.XmlElement>();
  for (const section of sections) {
    const id = section.getAttribute('id');
    if (typeof id !== 'string' || id === '') continue;
    seen.add(id);
    const keeper = keepers.get(id);
    if (!keeper || (!heldBefore(keeper) && heldBefore(section))) keepers.set(id, section);
  }
  const fixes: { element: Y.XmlElement; id: string }[] = [];
  for (const section of sections) {
    const id = section.getAttribute('id');
    if (typeof id === 'string' && keepers.get(id) === section) continue;
    let next = derivedId(section);
    for (let n = 2; seen.has(next); n++) next = `${derivedId(section)}-${n}`;
    seen.add(next);
    fixes.push({ element: section, id: next });
  }
  return fixes;
}

/**
 * Makes every section id of a document unique, in one transaction, and says whether it changed
 * anything (`heldBefore`: see {@link sectionIdFixes}). The server runs it after each accepted
 * change. The derived ids depend only on the Yjs items, so replicas fixing the same duplicate
 * after the same transaction write the same values.
 */
export function ensureUniqueSectionIds(
  ydoc: Y.Doc,
  heldBefore?: (section: Y.XmlElement) => boolean,
): boolean {
  const fixes = sectionIdFixes(ydoc.getXmlFragment(FRAGMENT), heldBefore);
  if (fixes.length === 0) return false;
  ydoc.transact(() => {
    for (const { element, id } of fixes) element.setAttribute('id', id);
  }, SECTION_ID_FIX_ORIGIN);
  return true;
}

/**
 * Whether a section held its current id before `transaction`: the Yjs item holding its `id`
 * attribute is older than the transaction's starting state (an item's clock is below its client's
 * state once integrated). A pasted copy, or a section whose id was just changed, did not.
 */
function heldIdBefore(transaction: Y.Transaction, section: Y.XmlElement): boolean {
  const item = section._map.get('id');
  if (!item) return false;
  return item.id.clock < (transaction.beforeState.get(item.id.client) ?? 0);
}

/**
 * The sections whose id `events` changed or removed, with the id each held before: a section keeps
 * its id for life (reviews, approvals and the journal point to it), whatever a client writes.
 * Only top-level sections that existed before the transaction count (an `update` or `delete` of
 * their `id` attribute); a new section's id is its own.
 */
function rewrittenIds(
  fragment: Y.XmlFragment,
  events: Y.YEvent<Y.XmlElement | Y.XmlText>[],
): { element: Y.XmlElement; id: string }[] {
  const out: { element: Y.XmlElement; id: string }[] = [];
  for (const event of events) {
    const target = event.target;
    if (!(target instanceof Y.XmlElement) || target.parent !== fragment || target.nodeName !== 'section')
      continue;
    if (!(event as Y.YXmlEvent).attributesChanged.has('id')) continue;
    const change = event.changes.keys.get('id');
    if (change?.action === 'add') continue;
    const before: unknown = change?.oldValue;
    if (typeof before === 'string' && before !== '' && target.getAttribute('id') !== before)
      out.push({ element: target, id: before });
  }
  return out;
}

/**
 * Runs {@link ensureUniqueSectionIds} after every transaction that could have duplicated an id:
 * sections added or removed at the top level, or a section's `id` attribute changed. Keystrokes
 * inside sections cost one cheap check of the events. The fix runs in its own transaction, right
 * after the one that caused it, and the sections that held their ids before that transaction keep
 * them (a copy pasted above its original gets the new one). When `keepsIds(transaction)` says the
 * transaction came from a person (the server passes: from a client connection), an existing
 * section's id that transaction changed or removed is given back first, on the same element: no
 * editor rewrites an existing section's id, and a program client that does would otherwise detach
 * the section from its review and approval (tester BR42). Returns the function that stops watching.
 */
export function watchSectionIds(
  ydoc: Y.Doc,
  keepsIds: (transaction: Y.Transaction) => boolean = () => false,
): () => void {
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
    if (!relevant) return;
    const restores = keepsIds(transaction) ? rewrittenIds(fragment, events) : [];
    const restored = new Set(restores.map(({ element }) => element));
    const fix = (): void => {
      for (const { element, id } of restores) element.setAttribute('id', id);
      ensureUniqueSectionIds(ydoc, (section) => restored.has(section) || heldIdBefore(transaction, section));
    };
    // One transaction, so one update, for the ids given back and the duplicates fixed.
    if (restores.length > 0) ydoc.transact(fix, SECTION_ID_FIX_ORIGIN);
    else fix();
  };
  fragment.observeDeep(observer);
  return () => fragment.unobserveDeep(observer);
}
