import type { beforeHandleMessagePayload, Connection, Extension } from '@hocuspocus/server';
import { CloseCode } from '@essaim/protocol';
import * as decoding from 'lib0/decoding';
import * as Y from 'yjs';
import type { CollabContext } from './context.js';

/**
 * Refusal thrown before a message is handled: Hocuspocus closes that document connection with
 * this code and reason, and the socket's other documents and every other client carry on.
 */
export class MessageRefused extends Error {
  constructor(
    readonly reason: string,
    readonly code: number = CloseCode.BadMessage,
  ) {
    super(reason);
  }
}

const MESSAGE_SYNC = 0;
const MESSAGE_AWARENESS = 1;
const MESSAGE_SYNC_REPLY = 4;
const SYNC_STEP_2 = 1;
const SYNC_UPDATE = 2;

/**
 * Checks every inbound message before Hocuspocus handles it.
 *
 * - Document updates must decode as Yjs updates. Yjs itself logs and ignores a malformed
 *   update, and the sender would still be told it was saved: here it closes that connection.
 * - Awareness (carets, names, presence) is relayed to everybody in the document, so a connection
 *   may only speak for one Yjs client (the first it announces) with a small state.
 */
export class MessageGuardExtension implements Extension<CollabContext> {
  extensionName = 'message-guard';
  priority = 950;

  private readonly clientIds = new WeakMap<Connection<CollabContext>, number>();

  constructor(private readonly maxAwarenessStateBytes = 4 * 1024) {}

  async beforeHandleMessage({
    update: message,
    connection,
  }: beforeHandleMessagePayload<CollabContext>): Promise<void> {
    let decoder: decoding.Decoder;
    let type: number;
    try {
      decoder = decoding.createDecoder(message);
      decoding.readVarString(decoder); // document name, already routed
      type = decoding.readVarUint(decoder);
    } catch {
      throw new MessageRefused('malformed-message');
    }
    if (type === MESSAGE_SYNC || type === MESSAGE_SYNC_REPLY) this.checkSync(decoder);
    else if (type === MESSAGE_AWARENESS) this.checkAwareness(decoder, connection);
  }

  private checkSync(decoder: decoding.Decoder): void {
    try {
      const step = decoding.readVarUint(decoder);
      if (step !== SYNC_STEP_2 && step !== SYNC_UPDATE) return;
      Y.decodeUpdate(decoding.readVarUint8Array(decoder));
    } catch {
      throw new MessageRefused('malformed-update');
    }
  }

  private checkAwareness(decoder: decoding.Decoder, connection: Connection<CollabContext>): void {
    let clientId: number;
    let stateBytes: number;
    try {
      const update = decoding.createDecoder(decoding.readVarUint8Array(decoder));
      const count = decoding.readVarUint(update);
      if (count !== 1) throw new MessageRefused('awareness-one-client-per-connection');
      clientId = decoding.readVarUint(update);
      decoding.readVarUint(update); // clock
      stateBytes = decoding.readVarString(update).length;
    } catch (error) {
      if (error instanceof MessageRefused) throw error;
      throw new MessageRefused('malformed-awareness');
    }
    if (stateBytes > this.maxAwarenessStateBytes)
      throw new MessageRefused('awareness-too-large', CloseCode.TooLarge);
    const known = this.clientIds.get(connection);
    if (known === undefined) this.clientIds.set(connection, clientId);
    else if (known !== clientId) throw new MessageRefused('awareness-foreign-client');
  }
}
