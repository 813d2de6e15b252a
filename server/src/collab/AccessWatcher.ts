import { OutgoingMessage, type Connection, type Hocuspocus } from '@hocuspocus/server';
import { collabAccess, type Actor } from '@essaim/domain';
import { CloseCode, DenialReason, type ServerStatelessMessage } from '@essaim/protocol';
import type { Logger } from '../logger.js';
import type { Services } from '../services/index.js';
import type { CollabContext } from './context.js';

/**
 * Keeps open connections in line with current rights. Role changes, unassignments and disabled
 * accounts made through this process apply at once (AccessEvents); a periodic sweep catches what
 * other processes (the CLI) changed and sessions that expired while connected.
 */
export class AccessWatcher {
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly hocuspocus: Hocuspocus<CollabContext>,
    private readonly services: Services,
    private readonly logger: Logger,
  ) {
    services.events.onUserChanged((userId) => this.recheck((c) => c.context.userId === userId));
    services.events.onDocumentChanged((documentId) =>
      this.recheck((c) => c.context.documentId === documentId),
    );
    services.events.onSessionsRevoked((ids) => {
      const revoked = new Set(ids);
      this.forEachConnection((c) => {
        if (c.context.sessionId && revoked.has(c.context.sessionId))
          this.close(c, CloseCode.Unauthorized, DenialReason.Unauthorized);
      });
    });
  }

  /** Starts the periodic sweep (every `intervalMs`). */
  start(intervalMs: number): void {
    this.timer = setInterval(() => this.sweep(), intervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** Re-evaluates every open connection: expired sessions are closed, rights re-applied. */
  sweep(): void {
    this.forEachConnection((c) => {
      const sessionId = c.context.sessionId;
      if (sessionId && !this.services.auth.sessionAlive(sessionId)) {
        this.close(c, CloseCode.Unauthorized, DenialReason.Unauthorized);
      }
    });
    this.recheck(() => true);
  }

  private recheck(matches: (c: Connection<CollabContext>) => boolean): void {
    const actors = new Map<string, Actor>();
    this.forEachConnection((connection) => {
      const { userId, documentId } = connection.context;
      if (!userId || !documentId || !matches(connection)) return;
      let actor = actors.get(userId);
      if (!actor) {
        actor = this.services.actors.forUser(userId);
        actors.set(userId, actor);
      }
      const target = this.services.documents.accessTarget(documentId);
      const access = target ? collabAccess(actor, target) : 'none';
      if (access === 'none') {
        this.close(connection, CloseCode.Forbidden, DenialReason.Forbidden);
      } else if ((access === 'read') !== connection.readOnly) {
        // Hocuspocus checks `readOnly` on every incoming update: the change applies to the next one.
        connection.readOnly = access === 'read';
        const message: ServerStatelessMessage = { type: 'access', access };
        connection.sendStateless(JSON.stringify(message));
        if (access === 'write') {
          // Edits refused while read-only are still in the client's document, and Yjs integrates
          // a client's updates in order: ask for everything we lack, so the next edit is not stuck.
          const step1 = new OutgoingMessage(connection.messageAddress)
            .createSyncMessage()
            .writeFirstSyncStepFor(connection.document);
          connection.send(step1.toUint8Array());
        }
        this.logger.info({ userId, documentId, access }, 'collaborative access changed while connected');
      }
    });
  }

  private close(connection: Connection<CollabContext>, code: number, reason: string): void {
    this.logger.info(
      { userId: connection.context.userId, documentId: connection.context.documentId, reason },
      'closing collaborative connection',
    );
    connection.close({ code, reason });
  }

  private forEachConnection(visit: (connection: Connection<CollabContext>) => void): void {
    for (const document of this.hocuspocus.documents.values()) {
      for (const connection of document.getConnections()) visit(connection as Connection<CollabContext>);
    }
  }
}
