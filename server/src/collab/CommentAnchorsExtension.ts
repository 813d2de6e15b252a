import type { afterStoreDocumentPayload, Extension } from '@hocuspocus/server';
import { parseDocumentName } from '@essaim/protocol';
import type { Logger } from '../logger.js';
import type { Services } from '../services/index.js';

/**
 * Keeps comment anchors in step with the text (issue 10): after each store of a live document
 * (debounced, at most every few seconds), threads whose words moved out from under their relative
 * positions (a paragraph split before them, a section moved) are located again and every
 * connection is told (`threads-changed`, change `anchors`), so highlights follow without anyone
 * reloading. Reads the document only; listing threads does the same on demand.
 */
export class CommentAnchorsExtension implements Extension {
  extensionName = 'essaim-comment-anchors';

  constructor(
    private readonly services: Services,
    private readonly logger: Logger,
  ) {}

  afterStoreDocument({ documentName, document }: afterStoreDocumentPayload): Promise<void> {
    const documentId = parseDocumentName(documentName);
    if (!documentId) return Promise.resolve();
    try {
      this.services.comments.reanchor(documentId, document);
    } catch (error) {
      // Anchors are located again at the next listing: nothing is lost by skipping this pass.
      this.logger.error({ err: error, documentId }, 'comment anchors could not be updated');
    }
    return Promise.resolve();
  }
}
