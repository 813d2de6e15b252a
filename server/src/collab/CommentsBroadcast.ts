import type { Hocuspocus } from '@hocuspocus/server';
import { documentName } from '@essaim/protocol';
import type { LiveDocuments } from '../services/commentEvents.js';
import type { Services } from '../services/index.js';
import type { CollabContext } from './context.js';

/**
 * Comment threads live outside the document (issue 10); the collaborative server only carries
 * their news: after every change, a `threads-changed` stateless message goes to every connection
 * of the document, read-only ones included. The comment service also reads documents held here
 * (never writing to them) to locate anchors as they are right now.
 */
export function attachComments(hocuspocus: Hocuspocus<CollabContext>, services: Services): void {
  const live: LiveDocuments = {
    get: (documentId) => {
      const document = hocuspocus.documents.get(documentName(documentId));
      return document && !document.isLoading ? document : undefined;
    },
  };
  services.comments.useLiveDocuments(live);
  services.commentEvents.onThreadsChanged((documentId, message) => {
    hocuspocus.documents.get(documentName(documentId))?.broadcastStateless(JSON.stringify(message));
  });
}
