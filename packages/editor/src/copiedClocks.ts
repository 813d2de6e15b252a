import * as Y from 'yjs';
import { FRAGMENT, SECTION_MOVES_MAP } from '@essaim/protocol';
import { forEachCharacter, forwarderOf, type ItemList } from './yItems.js';

/**
 * What the server had of each writer when it copied a moved section (issue 8).
 *
 * The server moves a section by copying it (sectionForwarding.ts `moveSection`): the copy holds the
 * characters it had received, and those still on their way are written again there when they
 * arrive. An editor that receives the move alone sees its own characters deleted with the old
 * section, and cannot tell by their letters which ones the copy holds: a space still on its way,
 * paired with the space the copy has after one's words, sent the caret past it (« A13␣␣A14 … »).
 *
 * A required section someone deleted and the server puts back (requiredSections.ts) is copied the
 * same way, from the content it had before its deletion: an editor typing in it meanwhile is in
 * the same case, and gets the same record.
 *
 * So the server writes, in the transaction of the move, the state vector it had of the section's
 * writers into the document's {@link SECTION_MOVES_MAP}, under the section's id (replaced at each
 * move of that section, removed once the section is gone), with, for each writer, the character
 * of the copy that its last received character became. An editor reading the same update knows
 * which of its characters were copied (those whose clock is below its client's entry) and where
 * its last received keystroke stands, even when the server wrote it again between two moves
 * that reach the editor together (the caret waits there for the keystrokes on their way). The
 * record travels with the move (offline editors receive both on reconnection; other server
 * instances hold it in the same Y.Doc). Only the server writes it: the update validation
 * (server/src/collab/updateValidation.ts) refuses a client's update that writes or deletes in it.
 */

/**
 * The clients a record keeps ({@link recordSectionCopy}): the writer of each character under
 * `parent` (a section about to be copied) that `visible` counts (live ones by default; for a
 * section being restored, also those its deletion removed), and the client whose id is one above
 * it when the document has one (the server writes a writer's late keystrokes under the writer's
 * id minus one, {@link forwarderOf}: that writer's entry says they were copied). Adds them to `out`.
 */
export function writersOf(
  doc: Y.Doc,
  parent: ItemList,
  out: Set<number>,
  visible: (item: Y.Item) => boolean = (item) => !item.deleted,
): Set<number> {
  forEachCharacter(
    parent,
    (n) => {
      out.add(n.id.client);
      const writer = n.id.client + 1;
      if (forwarderOf(writer) === n.id.client && doc.store.clients.has(writer)) out.add(writer);
    },
    visible,
  );
  return out;
}

/** What the server had of one writer when it copied a section ({@link recordSectionCopy}). */
export interface CopiedWriter {
  /** The writer's clock the server had reached (exclusive): its characters below were copied. */
  clock: number;
  /** The character of the copy that the writer's last received character (`clock - 1`) became. */
  last: Y.ID | null;
  /**
   * The characters of the copy that are the server's re-writes of the writer's keystrokes (under
   * its client id minus one) or copies of them, as runs `[client, clock, length, …]`.
   */
  rewrites: number[];
}

/** Most runs of re-writes a record keeps per writer; beyond, it keeps none (editors guess). */
export const MAX_RECORDED_REWRITES = 64;

/** One writer's row as stored (see {@link CopiedWriter}). */
interface StoredRow {
  client: number;
  clock: number;
  last?: [number, number];
  rewrites?: number[];
}

/**
 * What a record reads of the copy of a section, once for all its writers ({@link recordSectionCopy}).
 */
export interface CopyReader {
  /**
   * The live character of the copy that the writer's character `id` became (through the server's
   * re-writes and earlier moves), or null.
   */
  whereNow(id: Y.ID): Y.ID | null;
  /**
   * The runs of characters of the copy that are the server's re-writes of `client`'s keystrokes
   * or copies of them, `[client, clock, length, …]`.
   */
  rewritesOf(client: number): number[];
}

/**
 * Records, for the section `sectionId` just moved or restored (call it inside the transaction of
 * the move or restoration, once the copy is made), for each of `writers` (those of the old
 * section's characters, {@link writersOf}, and those of the section's earlier record: their
 * characters copied by an earlier move are the server's copies now, and are copied again), read
 * from the copy by `readCopy(writers)` (called once, with every writer):
 * - the clock up to which `doc` had integrated the writer (exclusive, as in a Yjs state vector);
 * - `whereNow(id)` of the writer's last integrated character;
 * - `rewritesOf(client)`, kept when at most {@link MAX_RECORDED_REWRITES} runs.
 * Stored as a JSON array of {@link StoredRow} (a few numbers per writer: the record grows with
 * the section's writers, not with the document's). Replaces the section's earlier record, and
 * removes the records of sections no longer in the document: the map holds at most one entry per
 * section.
 */
export function recordSectionCopy(
  doc: Y.Doc,
  sectionId: string,
  writers: Set<number>,
  readCopy: (writers: ReadonlySet<number>) => CopyReader,
): void {
  const records = doc.getMap<unknown>(SECTION_MOVES_MAP);
  for (const client of decodeRecord(records.get(sectionId))?.keys() ?? []) writers.add(client);
  const { whereNow, rewritesOf } = readCopy(writers);
  const rows: StoredRow[] = [];
  for (const client of writers) {
    const clock = Y.getState(doc.store, client);
    const row: StoredRow = { client, clock };
    const last = clock > 0 ? whereNow(Y.createID(client, clock - 1)) : null;
    if (last) row.last = [last.client, last.clock];
    const rewrites = rewritesOf(client);
    if (rewrites.length > 0 && rewrites.length <= 3 * MAX_RECORDED_REWRITES) row.rewrites = rewrites;
    rows.push(row);
  }
  records.set(sectionId, rows);
  if (records.size <= 1) return;
  const live = new Set<unknown>();
  for (const child of doc.getXmlFragment(FRAGMENT).toArray())
    if (child instanceof Y.XmlElement && child.nodeName === 'section') live.add(child.getAttribute('id'));
  for (const id of [...records.keys()]) if (id !== sectionId && !live.has(id)) records.delete(id);
}

/** Reads a stored record ({@link recordSectionCopy}); null for anything else. */
function decodeRecord(value: unknown): Map<number, CopiedWriter> | null {
  if (!Array.isArray(value)) return null;
  const isCount = (n: unknown): n is number => Number.isSafeInteger(n) && (n as number) >= 0;
  const counts = (v: unknown, length?: number): v is number[] =>
    Array.isArray(v) && (length === undefined || v.length === length) && v.every(isCount);
  const writers = new Map<number, CopiedWriter>();
  for (const row of value as unknown[]) {
    if (typeof row !== 'object' || row === null) return null;
    const { client, clock, last, rewrites } = row as Record<string, unknown>;
    if (!isCount(client) || !isCount(clock)) return null;
    if (last !== undefined && !counts(last, 2)) return null;
    if (rewrites !== undefined && (!counts(rewrites) || rewrites.length % 3 !== 0)) return null;
    writers.set(client, {
      clock,
      last: last ? Y.createID(last[0] as number, last[1] as number) : null,
      rewrites: rewrites ?? [],
    });
  }
  return writers;
}

/** Whether the character `id` is in one of `writer`'s runs of re-writes ({@link CopiedWriter.rewrites}). */
export function isRecordedRewrite(writer: CopiedWriter, id: Y.ID): boolean {
  const runs = writer.rewrites;
  for (let i = 0; i + 2 < runs.length; i += 3)
    if (
      runs[i] === id.client &&
      id.clock >= (runs[i + 1] as number) &&
      id.clock < (runs[i + 1] as number) + (runs[i + 2] as number)
    )
      return true;
  return false;
}

/**
 * What the server had of each writer when it copied the section `sectionId` in `transaction` (see
 * {@link recordSectionCopy}): a writer's character whose clock is below its entry's (a missing
 * entry counts as 0) was in the copy, directly or written again there, unless it was deleted; the
 * others were on their way. Null when `transaction` brought no such record (a move by an older
 * server, or no move or restoration of that section): then nothing tells. Read it from an
 * `afterTransaction` listener. When several moves of the section came in one update, the record
 * is the last one's, whose copy holds what the earlier ones did.
 */
export function copiedWriters(
  transaction: Y.Transaction,
  sectionId: string,
): Map<number, CopiedWriter> | null {
  const records = transaction.doc.share.get(SECTION_MOVES_MAP);
  const item = records?._map.get(sectionId);
  if (!item || item.deleted || item.id.clock < (transaction.beforeState.get(item.id.client) ?? 0))
    return null;
  return decodeRecord(item.content.getContent()[0]);
}

/** This editor's entries ({@link copiedWriters}) in every record `transaction` brought. */
export function ownCopiedIn(transaction: Y.Transaction): CopiedWriter[] {
  const records = transaction.doc.share.get(SECTION_MOVES_MAP);
  if (!records) return [];
  const out: CopiedWriter[] = [];
  for (const key of records._map.keys()) {
    const own = copiedWriters(transaction, key)?.get(transaction.doc.clientID);
    if (own) out.push(own);
  }
  return out;
}
