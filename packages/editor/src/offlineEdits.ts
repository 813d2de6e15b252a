import * as Y from 'yjs';

/** What is used here of a Hocuspocus provider (`@hocuspocus/provider`'s `HocuspocusProvider`). */
export interface ReconnectingProvider {
  readonly document: Y.Doc;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- the provider's own signature
  on(event: string, listener: Function): unknown;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- the provider's own signature
  off(event: string, listener?: Function): unknown;
  /** Sends an update of the document as the provider sends local changes (counted as unsynced). */
  documentUpdateHandler(update: Uint8Array, origin: unknown): void;
}

type DeleteSet = ReturnType<typeof Y.createDeleteSet>;

/** Appends `n` (a non-negative integer) to `out` as lib0's `writeVarUint` does. */
function writeVarUint(out: number[], n: number): void {
  let rest = n;
  while (rest > 127) {
    out.push(128 | (rest & 127));
    rest = Math.floor(rest / 128);
  }
  out.push(rest);
}

/** A delete set as Yjs writes it at the end of a v1 update (clients in decreasing order). */
function encodeDeleteSet(ds: DeleteSet): number[] {
  const out: number[] = [];
  writeVarUint(out, ds.clients.size);
  for (const [client, ranges] of [...ds.clients.entries()].sort((a, b) => b[0] - a[0])) {
    writeVarUint(out, client);
    writeVarUint(out, ranges.length);
    for (const { clock, len } of ranges) {
      writeVarUint(out, clock);
      writeVarUint(out, len);
    }
  }
  return out;
}

/**
 * The deletions made here (local transactions: keystrokes, cuts, joins, undo, the editor's
 * repairs), as opposed to those received: {@link LocalDeletions.take} gives them merged.
 * Attach before any edit; `stop` detaches.
 */
export class LocalDeletions {
  private sets: DeleteSet[] = [];
  private readonly onTransaction = (transaction: Y.Transaction): void => {
    if (!transaction.local || transaction.deleteSet.clients.size === 0) return;
    this.sets.push(transaction.deleteSet);
    // Merged now and then: a long offline session makes one small set per Backspace.
    if (this.sets.length > 64) this.sets = [Y.mergeDeleteSets(this.sets)];
  };

  constructor(private readonly doc: Y.Doc) {
    doc.on('afterTransaction', this.onTransaction);
  }

  /** The deletions made here since the last {@link reset}. */
  current(): DeleteSet {
    const merged = Y.mergeDeleteSets(this.sets);
    this.sets = [merged];
    return merged;
  }

  /** Forgets the deletions made so far (the server acknowledged them). */
  reset(): void {
    this.sets = [];
  }

  stop(): void {
    this.doc.off('afterTransaction', this.onTransaction);
  }
}

/**
 * The update that carries what this client wrote since `acknowledged` (its clock the server
 * holds), with, as its delete set, only `deletions` (the deletions made here since then: see
 * {@link LocalDeletions}), in Yjs's v1 update format.
 *
 * A full state diff (`Y.encodeStateAsUpdate`) lists every deletion known here, those received
 * included: the paragraph a co-writer joined to the one before, and with it the keystrokes that
 * were on their way to it, one's own (typed just before the join arrived) or a co-writer's
 * (arrived after it). The server reads an update's delete set as what its writer saw and deleted
 * (sectionForwarding.ts), so it would drop those keystrokes as deleted on purpose (issue 8, fuzz).
 * Falls back on the full state diff when that one cannot be cut (pending updates here).
 */
export function offlineEditsUpdate(doc: Y.Doc, acknowledged: number, deletions: DeleteSet): Uint8Array {
  const known = Y.decodeStateVector(Y.encodeStateVector(doc));
  known.set(doc.clientID, acknowledged);
  const update = Y.encodeStateAsUpdate(doc, Y.encodeStateVector(known));
  const full = encodeDeleteSet(Y.createDeleteSetFromStructStore(doc.store));
  const cut = update.length - full.length;
  if (cut < 0 || full.some((byte, i) => update[cut + i] !== byte)) return update;
  const own = encodeDeleteSet(Y.mergeDeleteSets([deletions]));
  const out = new Uint8Array(cut + own.length);
  out.set(update.subarray(0, cut));
  out.set(own, cut);
  return out;
}

/**
 * Sends what one wrote offline as soon as the connection opens, before the server's changes
 * arrive, with only the deletions made here ({@link offlineEditsUpdate}); and keeps it readable
 * until then ({@link keepUnacknowledgedEdits}).
 *
 * After a reconnection, Yjs' sync sends one's edits in reply to the server's state vector, after
 * the server's own changes are applied here, as a full state diff whose delete set repeats every
 * deletion known here. If a co-writer meanwhile moved a section or joined a paragraph one typed in
 * offline, applying their change deletes one's words here along with their element, and the reply
 * then says one deleted them: the server cannot tell them from words one typed and deleted on
 * purpose, and drops them. Sent first, one's offline words reach the server as they were typed
 * (with only the deletions one made), and the server carries them over like keystrokes in flight
 * (sectionForwarding.ts).
 *
 * What counts as offline: what was written under this document's client id since the provider last
 * had every update acknowledged (its `unsyncedChanges` back to 0). Returns the function that stops.
 */
export function sendOfflineEditsFirst(provider: ReconnectingProvider): () => void {
  const doc = provider.document;
  const own = (): number => Y.getState(doc.store, doc.clientID);
  let acknowledged = own();
  let opening = false;
  const deletions = new LocalDeletions(doc);
  const unkeep = keepUnacknowledgedEdits(doc, () => acknowledged);
  const onOpen = (): void => {
    opening = true;
  };
  const onUnsynced = ({ number }: { number: number }): void => {
    if (number === 0) {
      acknowledged = own();
      deletions.reset();
      return;
    }
    // The first count after the socket opened is the provider starting its sync: right before it
    // sends its state vector, after its token.
    if (!opening) return;
    opening = false;
    if (own() <= acknowledged) return;
    provider.documentUpdateHandler(offlineEditsUpdate(doc, acknowledged, deletions.current()), null);
  };
  provider.on('open', onOpen);
  provider.on('unsyncedChanges', onUnsynced);
  return () => {
    provider.off('open', onOpen);
    provider.off('unsyncedChanges', onUnsynced);
    deletions.stop();
    unkeep();
  };
}

/** Whether `item`, or an item of the subtree of its type, is one `own` wrote at or after `from`. */
function holdsEditsSince(item: Y.Item, own: number, from: number): boolean {
  if (item.id.client === own && item.id.clock + item.length > from) return true;
  const { content } = item;
  if (!(content instanceof Y.ContentType)) return false;
  const type = content.type;
  for (let n = type._start; n; n = n.right) if (holdsEditsSince(n, own, from)) return true;
  for (const last of type._map.values())
    for (let n: Y.Item | null = last; n; n = n.left) if (holdsEditsSince(n, own, from)) return true;
  return false;
}

/**
 * Keeps readable, in `doc`, the items this client wrote that the server may not hold yet (clock at
 * or after `acknowledged()`, for `doc`'s current client id), and the deleted elements holding them.
 *
 * Yjs garbage-collects a deleted element with its whole subtree: when a co-writer's change deletes
 * the paragraph or section one's keystrokes were on their way to (a join, a section moved), those
 * keystrokes become bare GC structs here. Should the connection drop before the server received
 * them, the reconnection sends the GC structs, and the words are gone before the server could carry
 * them over to where their paragraph went (issue 8, fuzz: a word typed just before receiving a
 * co-writer's join, then the network lost). Kept, they are sent with their text. Wraps the
 * document's `gcFilter`; returns the function that restores it. Cost: a look-up per collected item
 * while something is unacknowledged, plus a walk of each collected element's subtree.
 */
export function keepUnacknowledgedEdits(doc: Y.Doc, acknowledged: () => number): () => void {
  const previous = doc.gcFilter;
  const filter = (item: Y.Item): boolean => {
    if (!previous(item)) return false;
    const own = doc.clientID;
    const from = acknowledged();
    if (Y.getState(doc.store, own) <= from) return true;
    return !holdsEditsSince(item, own, from);
  };
  doc.gcFilter = filter;
  return () => {
    if (doc.gcFilter === filter) doc.gcFilter = previous;
  };
}
