import type { ThreadsChangedMessage } from '@essaim/protocol';

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

export { noLiveDocuments, type LiveDocuments } from './liveDocuments.js';
