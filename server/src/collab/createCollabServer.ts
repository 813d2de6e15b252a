import { Hocuspocus } from '@hocuspocus/server';
import type { Logger } from '../logger.js';
import type { DocumentService } from '../services/documentService.js';
import type { CollabStore } from '../storage/collabStore.js';
import { AuthenticationExtension } from './AuthenticationExtension.js';
import type { CollabContext } from './context.js';
import { MessageGuardExtension } from './MessageGuardExtension.js';
import { PersistenceExtension } from './PersistenceExtension.js';

export interface CollabServerOptions {
  documents: DocumentService;
  store: CollabStore;
  logger: Logger;
  /** See Config.flushDelay and docs/PERFORMANCE.md. */
  flushDelay: false | number;
  onFatal: (error: unknown) => void;
}

/**
 * The collaborative server. The extension list below is the whole story, in order:
 * who may open a document, which messages are well-formed, how updates are made durable.
 * Comments, reviews and indexing will join this list as their own extensions.
 */
export function createCollabServer(options: CollabServerOptions): Hocuspocus<CollabContext> {
  return new Hocuspocus<CollabContext>({
    name: 'essaim',
    quiet: true,
    // Compaction timing only: durability comes from the synchronous update log.
    debounce: 2_000,
    maxDebounce: 10_000,
    flushDelay: options.flushDelay,
    // Idle sockets are closed after 30 s without traffic (providers ping more often).
    timeout: 30_000,
    // A socket that has not authenticated yet may buffer little and open few documents.
    maxUnauthenticatedQueueSize: 256 * 1024,
    maxUnauthenticatedQueueMessages: 64,
    maxPendingDocuments: 16,
    extensions: [
      new AuthenticationExtension(options.documents),
      new MessageGuardExtension(),
      new PersistenceExtension({
        store: options.store,
        documents: options.documents,
        logger: options.logger.child({ component: 'persistence' }),
        onFatal: options.onFatal,
      }),
    ],
  });
}
