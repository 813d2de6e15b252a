import type { Extension, onAuthenticatePayload } from '@hocuspocus/server';
import { collabAccess, type Actor } from '@essaim/domain';
import { DenialReason, parseDocumentName } from '@essaim/protocol';
import type { DocumentService } from '../services/documentService.js';
import type { CollabContext } from './context.js';

/** Thrown to refuse a document; Hocuspocus sends `reason` to the client in a permission-denied message. */
class Denied extends Error {
  constructor(readonly reason: DenialReason) {
    super(reason);
  }
}

/**
 * Decides whether a socket may open a document, and whether read-only. The decision itself is
 * `collabAccess()` from the domain, the same rule the REST routes apply.
 */
export class AuthenticationExtension implements Extension<CollabContext> {
  extensionName = 'authentication';
  priority = 1000;

  constructor(private readonly documents: DocumentService) {}

  async onAuthenticate(data: onAuthenticatePayload<CollabContext>): Promise<Partial<CollabContext>> {
    const documentId = parseDocumentName(data.documentName);
    if (!documentId || !this.documents.exists(documentId)) throw new Denied(DenialReason.DocumentNotFound);
    const actor: Actor = { kind: 'guest' };
    const access = collabAccess(actor, documentId);
    if (access === 'none') throw new Denied(DenialReason.Forbidden);
    data.connectionConfig.readOnly = access === 'read';
    data.context.socket.authenticated = true;
    return { actor, documentId };
  }
}
