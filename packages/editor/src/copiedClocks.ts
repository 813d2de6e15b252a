import * as Y from 'yjs';
import { FRAGMENT, SECTION_MOVES_MAP } from '@essaim/protocol';
import { forwarderOf } from './yItems.js';

/**
 * What the server had of each writer when it copied a moved section (issue 8).
 *
 * The server moves a section by copying it (sectionForwarding.ts `moveSection`): the copy holds the
 * characters it had received, and those still on their way are written again there when they
 * arrive. An editor that receives the move alone sees its own characters deleted with the old
 * section, and cannot tell by their letters which ones the copy holds: a space still on its way,
 * paired with the space the copy has after one's words, sent the caret past it (« A13␣␣A14 … »).
 *
 * So the server writes, in the transaction of the move, the state vector it had of the section's
 * writers into the document's {@link SECTION_MOVES_MAP}, under the section's id (replaced at each
 * move of that section, removed once the section is gone). An editor reading the same update
 * knows which of its characters were copied: those whose clock is below its client's entry. The
 * record travels with the move (offline editors receive both on reconnection; other server
 * instances hold it in the same Y.Doc). Only the server writes it: the update validation
 * (server/src/collab/updateValidation.ts) refuses a client's update that writes or deletes in it.
 */

/**
 * The clients the record keeps: the writer of each live character under `parent`, and the client
 * whose id is one above it when the document has one (the server writes a writer's late keystrokes
 * under the writer's id minus one, {@link forwarderOf}: that writer's entry says they were copied).
 */
function writersOf(doc: Y.Doc, parent: { _start: Y.Item | null }, out: Set<number>): Set<number> {
  for (let n = parent._start; n; n = n.right) {
    if (n.deleted) continue;
    const { content } = n;
    if (content instanceof Y.ContentString) {
      out.add(n.id.client);
      const writer = n.id.client + 1;
      if (forwarderOf(writer) === n.id.client && doc.store.clients.has(writer)) out.add(writer);
    } else if (content instanceof Y.ContentType) writersOf(doc, content.type, out);
  }
  return out;
}

/**
 * Records, for the section `sectionId` whose copy is being made from `source` (call it inside the
 * transaction of the move, before `source` is deleted), the clock up to which `doc` had integrated
 * each writer of its live characters: a Yjs state vector (`Y.encodeStateVector`, client id →
 * clock, exclusive) restricted to those writers and to the ones of the section's earlier record
 * (it grows with the section's writers, not with the document's). Replaces that record, and
 * removes the records of sections no longer in the document, so the map holds at most one small
 * entry per section.
 */
export function recordSectionCopy(doc: Y.Doc, sectionId: string, source: Y.XmlElement): void {
  const records = doc.getMap<Uint8Array>(SECTION_MOVES_MAP);
  // The writers of the section's earlier record too: their characters copied by an earlier move
  // are the server's copies now, and are copied again.
  const writers = writersOf(doc, source, new Set());
  const earlier = records.get(sectionId);
  if (earlier instanceof Uint8Array)
    for (const client of Y.decodeStateVector(earlier).keys()) writers.add(client);
  const state = new Map<number, number>();
  for (const client of writers) state.set(client, Y.getState(doc.store, client));
  records.set(sectionId, Y.encodeStateVector(state));
  if (records.size <= 1) return;
  const live = new Set<unknown>();
  for (const child of doc.getXmlFragment(FRAGMENT).toArray())
    if (child instanceof Y.XmlElement && child.nodeName === 'section') live.add(child.getAttribute('id'));
  for (const id of [...records.keys()]) if (id !== sectionId && !live.has(id)) records.delete(id);
}

/**
 * The state vector the server recorded when it copied the section `sectionId` in `transaction`
 * (see {@link recordSectionCopy}): a writer's character whose clock is below its client's entry
 * (a missing entry counts as 0) was in the copy, directly or written again there, unless it was
 * deleted; the others were on their way. Null when `transaction` brought no such record (a move
 * by an older server, or no move of that section): then nothing tells. Read it from an
 * `afterTransaction` listener. When several moves of the section came in one update, the record
 * is the last one's, whose copy holds what the earlier ones did.
 */
export function copiedClocks(transaction: Y.Transaction, sectionId: string): Map<number, number> | null {
  const records = transaction.doc.share.get(SECTION_MOVES_MAP);
  const item = records?._map.get(sectionId);
  if (!item || item.deleted || !(item.content instanceof Y.ContentBinary)) return null;
  if (item.id.clock < (transaction.beforeState.get(item.id.client) ?? 0)) return null;
  try {
    return Y.decodeStateVector(item.content.content);
  } catch {
    return null;
  }
}
