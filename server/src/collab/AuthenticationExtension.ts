import type { Extension, onAuthenticatePayload } from '@hocuspocus/server';
import { collabAccess } from '@essaim/domain';
import { DenialReason, parseDocumentName } from '@essaim/protocol';
import type { Config } from '../config.js';
import { sessionTokenFrom } from '../http/session.js';
import { colorFor } from '../services/crypto.js';
import type { Services } from '../services/index.js';
import { AccountSockets } from './accountSockets.js';
import type { CollabContext } from './context.js';

/**
 * Thrown to refuse a document; Hocuspocus sends `reason` to the client in a permission-denied
 * message. A denial is an answer, not a fault of the server: `expected` keeps Hocuspocus (patched,
 * patches/@hocuspocus+server+4.7.0.patch) from writing each one to `console.error`, where any
 * anonymous client could fill the log at error level (tester BR43 F1).
 */
class Denied extends Error {
  /** A refusal decided on purpose. */
  readonly expected = true;

  constructor(readonly reason: DenialReason) {
    super(reason);
  }
}

/**
 * Who is on this socket and what they may do with the document. The session comes from the
 * cookie of the upgrade request (browsers) or from a short-lived token (programs); the decision
 * is `collabAccess()` from the domain, the same rule as the REST routes.
 */
export class AuthenticationExtension implements Extension<CollabContext> {
  extensionName = 'authentication';
  priority = 1000;

  /** Who holds which sockets: one account may not hold more than `maxSocketsPerAccount`. */
  private readonly sockets: AccountSockets;

  constructor(
    private readonly services: Services,
    private readonly config: Config,
  ) {
    this.sockets = new AccountSockets(config.maxSocketsPerAccount);
  }

  async onAuthenticate(data: onAuthenticatePayload<CollabContext>): Promise<Partial<CollabContext>> {
    const documentId = parseDocumentName(data.documentName);
    if (!documentId) throw new Denied(DenialReason.DocumentNotFound);
    const { auth } = this.services;
    const session = data.token
      ? auth.authenticateCollabToken(data.token)
      : auth.authenticate(sessionTokenFrom(data.requestHeaders.get('cookie'), this.config));
    if (!session) throw new Denied(DenialReason.Unauthorized);
    const target = this.services.documents.accessTarget(documentId);
    if (!target) throw new Denied(DenialReason.DocumentNotFound);
    const access = collabAccess(session.actor, target);
    if (access === 'none') throw new Denied(DenialReason.Forbidden);
    // After the access decision: someone refused for their rights hears that, not this.
    if (!this.sockets.admit(session.user.id, data.context.socket))
      throw new Denied(DenialReason.TooManyConnections);
    data.connectionConfig.readOnly = access === 'read';
    data.context.socket.authenticated = true;
    return {
      userId: session.user.id,
      sessionId: session.session.id,
      documentId,
      user: { id: session.user.id, name: session.user.name, color: colorFor(session.user.id) },
    };
  }
}
