import type { beforeHandleMessagePayload, Connection, Extension } from '@hocuspocus/server';
import { CloseCode, UpdateRefusal } from '@essaim/protocol';
import * as decoding from 'lib0/decoding';
import * as Y from 'yjs';
import type { Logger } from '../logger.js';
import type { CollabContext } from './context.js';
import { validateUpdate, type UpdateVerdict } from './updateValidation.js';

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

export interface MessageGuardOptions {
  /** Largest encoded state a document may reach (bytes); `MAX_DOCUMENT_BYTES`. */
  maxDocumentBytes: number;
  /** Largest awareness state of one client (bytes). */
  maxAwarenessStateBytes?: number;
  logger: Logger;
  /**
   * The check run on each update; {@link validateUpdate} unless a benchmark measures its cost
   * against a run without it. Never configurable by users.
   */
  validate?: (document: Y.Doc, update: Uint8Array) => UpdateVerdict;
  /** Told of each refused update (audit log), with the document id and the writer. */
  onRefused?: (documentId: string, userId: string | undefined, refusal: UpdateRefusal) => void;
}

/**
 * Checks every inbound message before Hocuspocus handles it.
 *
 * - Document updates are checked by {@link validateUpdate} and applied in the same turn (see
 *   `apply`), before they are stored or broadcast: what does not decode, or writes what the shared editor never writes, closes that
 *   document connection with a named reason ({@link UpdateRefusal}); nothing of it is kept, and the
 *   other people's work goes on. Read-only connections only need their bytes to decode: Hocuspocus
 *   refuses their updates anyway.
 * - A document may not grow past `maxDocumentBytes`. Its size is tracked as an upper bound (the
 *   last measured encoding plus every accepted update's length) and measured again, by encoding
 *   it, only when that bound would pass the limit.
 * - Awareness (carets, names, presence) is relayed to everybody in the document, so a connection
 *   may only speak for one Yjs client (the first it announces) with a small state.
 */
export class MessageGuardExtension implements Extension<CollabContext> {
  extensionName = 'message-guard';
  priority = 950;

  private readonly clientIds = new WeakMap<Connection<CollabContext>, number>();
  /** Upper bound of each loaded document's encoded size, in bytes. */
  private readonly sizes = new WeakMap<Y.Doc, number>();
  private readonly maxAwarenessStateBytes: number;

  constructor(private readonly options: MessageGuardOptions) {
    this.maxAwarenessStateBytes = options.maxAwarenessStateBytes ?? 4 * 1024;
  }

  async beforeHandleMessage({
    update: message,
    connection,
    document,
    documentName,
    context,
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
    if (type === MESSAGE_SYNC || type === MESSAGE_SYNC_REPLY) {
      const update = this.updateOf(decoder);
      if (!update) return;
      // Read-only connections' updates are refused by Hocuspocus; they only need to decode.
      if (connection.readOnly) this.checkDecodes(update);
      else {
        this.checkUpdate(document, update, documentName, context);
        this.apply(document, update, connection);
      }
    } else if (type === MESSAGE_AWARENESS) this.checkAwareness(decoder, connection);
  }

  /** The update a sync message carries (step 2 or update), or null for a step 1. */
  private updateOf(decoder: decoding.Decoder): Uint8Array | null {
    let update: Uint8Array;
    try {
      const step = decoding.readVarUint(decoder);
      if (step !== SYNC_STEP_2 && step !== SYNC_UPDATE) return null;
      update = decoding.readVarUint8Array(decoder);
    } catch {
      throw new MessageRefused(UpdateRefusal.Malformed);
    }
    return update;
  }

  /**
   * Applies a checked update at once, in the same turn as its check, exactly as Hocuspocus would
   * (same origin, so persistence, broadcast and attribution follow). Hocuspocus applies it again
   * right after, which changes nothing. Otherwise another connection's update could be applied
   * between this check and Hocuspocus's apply, and change where this one lands (two connections
   * on one socket, their frames in one write): a check must hold for the state it is applied to.
   */
  private apply(document: Y.Doc, update: Uint8Array, connection: Connection<CollabContext>): void {
    try {
      Y.applyUpdate(document, update, { source: 'connection', connection });
    } catch (error) {
      this.options.logger.error({ err: error }, 'checked update failed to apply');
      throw new MessageRefused(UpdateRefusal.Malformed, CloseCode.UpdateRefused);
    }
  }

  private checkDecodes(update: Uint8Array): void {
    try {
      Y.decodeUpdate(update);
    } catch {
      throw new MessageRefused(UpdateRefusal.Malformed);
    }
  }

  private checkUpdate(
    document: Y.Doc,
    update: Uint8Array,
    documentName: string,
    context: CollabContext,
  ): void {
    const verdict = (this.options.validate ?? validateUpdate)(document, update);
    if (!verdict.ok) {
      this.options.logger.warn(
        { documentName, userId: context.userId, refusal: verdict.refusal, detail: verdict.detail },
        'update refused',
      );
      if (context.documentId) this.options.onRefused?.(context.documentId, context.userId, verdict.refusal);
      throw new MessageRefused(verdict.refusal, CloseCode.UpdateRefused);
    }
    const max = this.options.maxDocumentBytes;
    let size = this.sizes.get(document) ?? Y.encodeStateAsUpdate(document).byteLength;
    if (size + update.byteLength > max) size = Y.encodeStateAsUpdate(document).byteLength;
    if (size + update.byteLength > max) {
      this.sizes.set(document, size);
      this.options.logger.warn(
        { documentName, userId: context.userId, size, update: update.byteLength, max },
        'update refused: document too large',
      );
      if (context.documentId)
        this.options.onRefused?.(context.documentId, context.userId, UpdateRefusal.DocumentTooLarge);
      throw new MessageRefused(UpdateRefusal.DocumentTooLarge, CloseCode.TooLarge);
    }
    this.sizes.set(document, size + update.byteLength);
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
