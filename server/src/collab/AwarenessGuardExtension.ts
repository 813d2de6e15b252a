import type { beforeHandleAwarenessPayload, Connection, Extension } from '@hocuspocus/server';
import { CloseCode } from '@essaim/protocol';
import type { CollabContext } from './context.js';

/**
 * Refusal thrown from the awareness hook: Hocuspocus drops the update and closes that document
 * connection with this code and reason (the socket and its other documents stay open).
 */
export class AwarenessRefused extends Error {
  readonly code: number = CloseCode.BadMessage;
  constructor(readonly reason: string) {
    super(reason);
  }
}

/**
 * Awareness (carets, names, presence) is relayed to everybody in the document, so one connection
 * may only speak for its own Yjs client, with a small state. The first client id a connection
 * announces is the one it keeps.
 */
export class AwarenessGuardExtension implements Extension<CollabContext> {
  extensionName = 'awareness-guard';
  priority = 800;

  private readonly clientIds = new WeakMap<Connection<CollabContext>, number>();

  constructor(private readonly maxStateBytes = 4 * 1024) {}

  async beforeHandleAwareness({ connection, states }: beforeHandleAwarenessPayload<CollabContext>): Promise<void> {
    if (!connection) return; // server-side awareness
    if (states.size !== 1) throw new AwarenessRefused('awareness-one-client-per-connection');
    const [clientId, state] = [...states.entries()][0] as [number, Record<string, unknown> | null];
    const known = this.clientIds.get(connection);
    if (known === undefined) this.clientIds.set(connection, clientId);
    else if (known !== clientId) throw new AwarenessRefused('awareness-foreign-client');
    if (state && JSON.stringify(state).length > this.maxStateBytes) {
      throw Object.assign(new AwarenessRefused('awareness-too-large'), { code: CloseCode.TooLarge });
    }
  }
}
