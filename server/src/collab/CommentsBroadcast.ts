import type { Hocuspocus } from '@hocuspocus/server';
import type { Services } from '../services/index.js';
import type { CollabContext } from './context.js';
import { hocuspocusLiveDocuments } from './liveDocuments.js';

/**
 * Comment threads live outside the document (issue 10); the collaborative server only carries
 * their news: after every change, a `threads-changed` stateless message goes to every connection
 * of the document, read-only ones included. The comment service also reads documents held here
 * (never writing to them) to locate anchors as they are right now; the version and review services read
 * and change them through the same {@link hocuspocusLiveDocuments}.
 */
export function attachComments(hocuspocus: Hocuspocus<CollabContext>, services: Services): void {
  const live = hocuspocusLiveDocuments(hocuspocus);
  services.comments.useLiveDocuments(live);
  services.versions.useLiveDocuments(live);
  services.reviews.useLiveDocuments(live);
  services.publications.useLiveDocuments(live);
  services.exports.useLiveDocuments(live);
  services.commentEvents.onThreadsChanged((documentId, message) => live.broadcast(documentId, message));
}
