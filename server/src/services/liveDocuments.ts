import * as Y from 'yjs';
import { applyStored, type CollabStore } from '../storage/collabStore.js';

/**
 * The one way for services to read and change a document people may have open (issue 11):
 * restore here, locked sections and publication next. Implemented in `collab/liveDocuments.ts` on
 * Hocuspocus's loaded document, or a direct connection that loads it when nobody has it open, so
 * that every server-side change goes through the same path as a person's: appended to the update
 * log before anything is acknowledged, broadcast to every connection, attributed to a person in
 * the log. No service ever writes a state blob: a state written behind the live document is
 * overwritten by the next store (outline#13236).
 */
export interface LiveDocuments {
  /**
   * The document as the collaborative server holds it right now, or undefined when it is not
   * loaded (then the stored state is current: the log is written before any acknowledgement).
   * Read only: nothing may write to a document returned here.
   */
  get(documentId: string): Y.Doc | undefined;
  /**
   * Runs `change` on the live document in one Yjs transaction written for `actorId` (null: the
   * system), loading the document when nobody has it open. Resolves once the change is in the
   * update log. Throws what `change` throws (nothing is then written) or when the document cannot
   * be loaded.
   */
  change(documentId: string, actorId: string | null, change: (doc: Y.Doc) => void): Promise<void>;
  /** Sends a stateless message (JSON) to every connection of the document, if it is open. */
  broadcast(documentId: string, message: object): void;
}

/** No collaborative server (the command line): documents are read from storage, never changed. */
export const noLiveDocuments: LiveDocuments = {
  get: () => undefined,
  change: () =>
    Promise.reject(new Error('aucun serveur collaboratif : le document ne peut pas être modifié')),
  broadcast: () => undefined,
};

/**
 * Reads a document as the collaborative server holds it now: the live Y.Doc when people have it
 * open (read only: nothing may write to it), otherwise a copy loaded from storage (the log is
 * written before any acknowledgement, so storage is then current), destroyed after `read`.
 */
export function readCurrentDocument<T>(
  live: LiveDocuments,
  store: Pick<CollabStore, 'load'>,
  documentId: string,
  read: (doc: Y.Doc) => T,
): T {
  const open = live.get(documentId);
  if (open) return read(open);
  const doc = new Y.Doc();
  try {
    applyStored(doc, store.load(documentId));
    return read(doc);
  } finally {
    doc.destroy();
  }
}
