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

/**
 * Sends what one wrote offline as soon as the connection opens, before the server's changes
 * arrive.
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
  const onOpen = (): void => {
    opening = true;
  };
  const onUnsynced = ({ number }: { number: number }): void => {
    if (number === 0) {
      acknowledged = own();
      return;
    }
    // The first count after the socket opened is the provider starting its sync: right before it
    // sends its state vector, after its token.
    if (!opening) return;
    opening = false;
    if (own() <= acknowledged) return;
    const known = Y.decodeStateVector(Y.encodeStateVector(doc));
    known.set(doc.clientID, acknowledged);
    provider.documentUpdateHandler(Y.encodeStateAsUpdate(doc, Y.encodeStateVector(known)), null);
  };
  provider.on('open', onOpen);
  provider.on('unsyncedChanges', onUnsynced);
  return () => {
    provider.off('open', onOpen);
    provider.off('unsyncedChanges', onUnsynced);
  };
}
