import type { ThreadsChangedMessage } from '@essaim/protocol';
import type * as Y from 'yjs';

/**
 * Changes to a document's comment threads, for the collaborative server to tell every connection
 * of the document (read-only ones included) with a stateless message. Keeps the services free of
 * Hocuspocus, like `AccessEvents`.
 */
export class CommentEvents {
  private readonly listeners: ((documentId: string, message: ThreadsChangedMessage) => void)[] = [];

  onThreadsChanged(listener: (documentId: string, message: ThreadsChangedMessage) => void): void {
    this.listeners.push(listener);
  }

  /** Called after the change is in the database, so a client refetching sees it. */
  threadsChanged(documentId: string, message: ThreadsChangedMessage): void {
    for (const listener of this.listeners) listener(documentId, message);
  }
}

/**
 * The documents the collaborative server holds in memory, to read them as they are right now.
 * `get` returns undefined when the document is not loaded (then the stored state is read; the
 * update log is written before any update is acknowledged, so it is never behind what a client
 * was told). Callers only read: nothing may write to a document returned here.
 */
export interface LiveDocuments {
  get(documentId: string): Y.Doc | undefined;
}

/** No collaborative server (the command line): every document is read from storage. */
export const noLiveDocuments: LiveDocuments = { get: () => undefined };
