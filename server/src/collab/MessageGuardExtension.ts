import { setTimeout as delay } from 'node:timers/promises';
import type {
  afterHandleMessagePayload,
  beforeHandleMessagePayload,
  Connection,
  Extension,
  onDisconnectPayload,
} from '@hocuspocus/server';
import { OutgoingMessage } from '@hocuspocus/server';
import { CloseCode, UpdateRefusal } from '@essaim/protocol';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import type { Logger } from '../logger.js';
import type { ClientRepository } from '../storage/clientRepository.js';
import type { CollabContext } from './context.js';
import { missingClients, scanUpdate, validateUpdate, type UpdateVerdict } from './updateValidation.js';
import type { WriterPacing } from './writerPacing.js';

/**
 * Refusal thrown before a message is handled: Hocuspocus closes that document connection with
 * this code and reason, and the socket's other documents and every other client carry on. The
 * guard logs it once, as a warning (`beforeHandleMessage`); `expected` tells Hocuspocus (patched,
 * patches/@hocuspocus+server+4.7.0.patch) not to write it again to `console.error` with its stack.
 */
export class MessageRefused extends Error {
  /** A refusal decided on purpose, not a fault of the server. */
  readonly expected = true;

  constructor(
    readonly reason: string,
    readonly code: number = CloseCode.BadMessage,
    /** What was wrong, for the log (never sent to the client). */
    readonly detail?: string,
  ) {
    super(reason);
  }
}

const MESSAGE_SYNC = 0;
const MESSAGE_AWARENESS = 1;
const MESSAGE_QUERY_AWARENESS = 3;
const MESSAGE_SYNC_REPLY = 4;
const SYNC_STEP_2 = 1;
const SYNC_UPDATE = 2;

/**
 * How many times in {@link MISSING_REQUEST_WINDOW_MS} a connection is asked for the content its
 * updates build on and the server lacks (see `askForMissing`); one more gapped update in the
 * window is refused (`invalid-update`) and closes the connection, as any invalid update. A writer
 * typing 30 updates a second sends a few before the server's request reaches it.
 */
export const MAX_MISSING_REQUESTS = 20;
/** The window of {@link MAX_MISSING_REQUESTS} (ms). */
export const MISSING_REQUEST_WINDOW_MS = 10_000;
/**
 * How long an ask waits for its answer (ms): meanwhile, the connection's further updates that
 * build on the same missing content (a provider sends every update it queued during a restart in
 * one burst, each with the gap) are dropped without asking again and without counting towards
 * {@link MAX_MISSING_REQUESTS}; the answer (a SyncStep2) carries them all. Tester BR25: a writer who
 * typed more than 20 keystrokes during a restart had its 20 asks spent within 4 ms, then was closed.
 */
export const MISSING_ANSWER_WAIT_MS = 3_000;

/**
 * One holder at a time per document, in arrival order. `acquire` resolves with the function that
 * lets the next one in; a release is idempotent.
 */
export class DocumentLocks {
  private readonly tails = new WeakMap<Y.Doc, Promise<void>>();

  async acquire(document: Y.Doc): Promise<() => void> {
    const previous = this.tails.get(document) ?? Promise.resolve();
    let release!: () => void;
    const next = new Promise<void>((resolve) => (release = resolve));
    this.tails.set(
      document,
      previous.then(() => next),
    );
    await previous;
    return release;
  }
}

/** The size of a document's encoded state (bytes): what is stored and what a newcomer downloads. */
const encodedSize = (document: Y.Doc): number => Y.encodeStateAsUpdate(document).byteLength;

export interface MessageGuardOptions {
  /** Largest encoded state a document may reach (bytes); `MAX_DOCUMENT_BYTES`. */
  maxDocumentBytes: number;
  /**
   * Least time between two measures of a document near its size limit (ms): in between, additions
   * that would pass the bound are refused. Default 2 s.
   */
  remeasureIntervalMs?: number;
  /** How a document's size is measured (bytes); its encoded state by default. */
  measure?: (document: Y.Doc) => number;
  /** Locks shared with the other extensions that change a document (section moves). */
  locks?: DocumentLocks;
  /** Largest awareness state of one client (bytes). */
  maxAwarenessStateBytes?: number;
  logger: Logger;
  /**
   * The check run on each update; {@link validateUpdate} unless a benchmark measures its cost
   * against a run without it. Never configurable by users.
   */
  validate?: (document: Y.Doc, update: Uint8Array) => UpdateVerdict;
  /** Who writes under each Yjs client id (`document_clients`); without it, ids are not tied to people. */
  clients?: ClientRepository;
  /**
   * The Yjs structs each writer may send per second ({@link WriterPacing}); an update beyond waits
   * (never refused). None: no pacing.
   */
  pacing?: WriterPacing;
  /** Told of each refused update (audit log), with the document id and the writer. */
  onRefused?: (documentId: string, userId: string | undefined, refusal: UpdateRefusal) => void;
}

/** The delete set of the update each connection (by its context) is having applied, once checked. */
const checkedDeletes = new WeakMap<
  CollabContext,
  NonNullable<Extract<UpdateVerdict, { ok: true }>['deleteSet']>
>();

/**
 * The delete set of the update being applied for the connection whose context is `context`, as
 * the guard decoded it to check it (null when it deletes nothing, or was not checked here): the
 * items its writer had when deleting. Saves decoding the update a second time.
 */
export function deleteSetBeingApplied(
  context: CollabContext,
): NonNullable<Extract<UpdateVerdict, { ok: true }>['deleteSet']> | null {
  return checkedDeletes.get(context) ?? null;
}

/**
 * Checks every inbound message before Hocuspocus handles it.
 *
 * - Document updates are checked by {@link validateUpdate} against the state they are applied to
 *   (the document is locked from the check to Hocuspocus's apply), before they are stored or
 *   broadcast: what does not decode, or writes what the shared editor never writes, closes that
 *   document connection with a named reason ({@link UpdateRefusal}); nothing of it is kept, and the
 *   other people's work goes on. An update holding more structs than an editor sends at once is
 *   refused from its headers, before anything is decoded (`scanUpdate`). Read-only connections'
 *   updates only need to be of that size and to decode: Hocuspocus refuses them anyway.
 * - A document may not grow past `maxDocumentBytes` (see `checkSize`).
 * - Each Yjs client id belongs to the person who first announced it (presence) or wrote under it.
 * - Awareness (carets, names, presence) is relayed to everybody in the document, so a connection
 *   may only speak for one Yjs client (the first it announces) with a small state.
 */
export class MessageGuardExtension implements Extension<CollabContext> {
  extensionName = 'message-guard';
  priority = 950;

  private readonly clientIds = new WeakMap<Connection<CollabContext>, number>();
  /** When each connection was asked for what its updates build on (ms since epoch), oldest first. */
  private readonly missingRequests = new WeakMap<Connection<CollabContext>, number[]>();
  /** When each connection was last asked and has not answered yet (ms since epoch). */
  private readonly awaitingAnswer = new WeakMap<Connection<CollabContext>, number>();
  /**
   * Upper bound of each loaded document's encoded size (bytes), whether it is exact (measured, and
   * nothing deleted since), and when it was last measured (ms since epoch).
   */
  private readonly sizes = new WeakMap<Y.Doc, { bytes: number; exact: boolean; measuredAt: number }>();
  /** The writer of each Yjs client id of each loaded document. */
  private readonly owners = new WeakMap<Y.Doc, Map<number, string>>();
  private readonly locks: DocumentLocks;
  /**
   * How many of each connection's updates were dropped while an ask for what they build on was
   * waiting for its answer (not asked again): each is acknowledged once the answer is applied.
   */
  private readonly droppedAwaiting = new WeakMap<Connection<CollabContext>, number>();
  /** Acknowledgements to send once this message (an answer, by its context) is applied. */
  private readonly acksDue = new WeakMap<
    CollabContext,
    { connection: Connection<CollabContext>; address: string; count: number }
  >();
  /** The lock each document connection (by its context) holds while Hocuspocus applies its update. */
  private readonly held = new WeakMap<CollabContext, () => void>();
  private readonly maxAwarenessStateBytes: number;

  constructor(private readonly options: MessageGuardOptions) {
    this.maxAwarenessStateBytes = options.maxAwarenessStateBytes ?? 4 * 1024;
    this.locks = options.locks ?? new DocumentLocks();
  }

  /**
   * Checks each message before Hocuspocus handles it; a refusal is logged here once, as a warning
   * with its reason (a hostile client's messages are not server faults), then thrown.
   */
  async beforeHandleMessage(payload: beforeHandleMessagePayload<CollabContext>): Promise<void> {
    try {
      await this.check(payload);
    } catch (error) {
      if (error instanceof MessageRefused)
        this.options.logger.warn(
          {
            documentName: payload.documentName,
            userId: payload.context.userId,
            refusal: error.reason,
            detail: error.detail,
          },
          'message refused',
        );
      throw error;
    }
  }

  private async check({
    update: message,
    connection,
    document,
    documentName,
    context,
  }: beforeHandleMessagePayload<CollabContext>): Promise<void> {
    let decoder: decoding.Decoder;
    let type: number;
    let typeAt: number;
    try {
      decoder = decoding.createDecoder(message);
      decoding.readVarString(decoder); // document name, already routed
      typeAt = decoder.pos;
      type = decoding.readVarUint(decoder);
    } catch {
      throw new MessageRefused('malformed-message');
    }
    if (type === MESSAGE_SYNC || type === MESSAGE_SYNC_REPLY) {
      const read = this.updateOf(decoder);
      if (!read) return;
      const { update, step } = read;
      // A SyncStep2 answers the server's SyncStep1 (at connection, or an ask for what is missing).
      if (step === SYNC_STEP_2) {
        this.awaitingAnswer.delete(connection);
        // It holds what the updates dropped meanwhile held (they were applied in the writer's
        // document before it answered): their acknowledgements, which the writer counts (its
        // provider's unsynced changes, the editor's « Enregistrement… »), go once it is applied.
        const count = this.droppedAwaiting.get(connection);
        if (count) {
          this.droppedAwaiting.delete(connection);
          this.acksDue.set(context, {
            connection,
            address: connection.messageAddress ?? documentName,
            count,
          });
        }
      }
      // Read-only connections' updates are refused by Hocuspocus; they only need to decode, and to
      // be of an editor's size (Hocuspocus still reads a sync reply through, to acknowledge it).
      if (connection.readOnly) return this.checkOutline(update, documentName, context);
      await this.pace(update, documentName, context);
      // The check must hold for the state the update is applied to: no other connection's update
      // may be applied between them (two connections on one socket, their frames in one write,
      // would otherwise change where this one lands). The document stays locked for this update
      // until Hocuspocus has applied it (afterHandleMessage).
      const release = await this.locks.acquire(document);
      try {
        const verdict = this.checkUpdate(document, update, documentName, context, connection);
        if (verdict === 'asked') {
          // Hocuspocus v4 lets a hook skip a message only by throwing, which closes the
          // connection: the frame is turned, in place (its decoder reads this very array), into a
          // presence query (type 3, one byte like 0 and 4), which applies, stores, broadcasts and
          // acknowledges nothing; Hocuspocus answers it with the document's presence.
          message[typeAt] = MESSAGE_QUERY_AWARENESS;
          release();
          return;
        }
        if (verdict.deleteSet) checkedDeletes.set(context, verdict.deleteSet);
        // What a deletion frees: at least its characters leave the encoding; the rest is measured
        // at the next check that needs it.
        const size = this.sizes.get(document);
        if (verdict.deletes && size) {
          size.exact = false;
          size.bytes = Math.max(0, size.bytes - verdict.freedChars);
        }
      } catch (error) {
        release();
        throw error;
      }
      this.held.set(context, release);
    } else if (type === MESSAGE_AWARENESS) this.checkAwareness(decoder, connection, document, context);
  }

  async afterHandleMessage({ context }: afterHandleMessagePayload<CollabContext>): Promise<void> {
    this.releaseHeld(context);
    const due = this.acksDue.get(context);
    if (!due) return;
    this.acksDue.delete(context);
    // Sent like Hocuspocus's own acknowledgements: after the update log's commit (transport.ts).
    const ack = new OutgoingMessage(due.address).writeSyncStatus(true).toUint8Array();
    for (let i = 0; i < due.count; i++) due.connection.send(ack);
  }

  async onDisconnect({ context }: onDisconnectPayload<CollabContext>): Promise<void> {
    // A message refused after this guard (by a later extension) never reaches afterHandleMessage.
    this.releaseHeld(context);
  }

  /**
   * Waits, before the document is locked for it, until the writer's budget of structs covers the
   * update (read from its headers; refused at once when they say it is too large or malformed).
   */
  private async pace(update: Uint8Array, documentName: string, context: CollabContext): Promise<void> {
    const { pacing } = this.options;
    if (!pacing || !context.userId) return;
    const outline = scanUpdate(update);
    if (!outline.ok) this.refuse(outline.refusal, outline.detail, documentName, context);
    const wait = pacing.debit(context.userId, outline.structs);
    if (wait === 0) return;
    this.options.logger.debug({ documentName, userId: context.userId, wait }, 'writer paced');
    await delay(wait);
  }

  /** Lets the next update of the document be checked (a connection's context is its own). */
  private releaseHeld(context: CollabContext): void {
    checkedDeletes.delete(context);
    const release = this.held.get(context);
    this.held.delete(context);
    release?.();
  }

  /** The update a sync message carries (step 2 or update), or null for a step 1. */
  private updateOf(decoder: decoding.Decoder): { update: Uint8Array; step: number } | null {
    try {
      const step = decoding.readVarUint(decoder);
      if (step !== SYNC_STEP_2 && step !== SYNC_UPDATE) return null;
      return { update: decoding.readVarUint8Array(decoder), step };
    } catch {
      throw new MessageRefused(UpdateRefusal.Malformed);
    }
  }

  /**
   * Refuses an update that holds more structs than an editor sends (read from its headers), or
   * that does not decode (decoded only once its size is known to be an editor's).
   */
  private checkOutline(update: Uint8Array, documentName: string, context: CollabContext): void {
    const outline = scanUpdate(update);
    if (!outline.ok) this.refuse(outline.refusal, outline.detail, documentName, context);
    try {
      Y.decodeUpdate(update);
    } catch {
      this.refuse(UpdateRefusal.Malformed, 'not a Yjs update', documentName, context);
    }
  }

  private refuse(
    refusal: UpdateRefusal,
    detail: string,
    documentName: string,
    context: CollabContext,
    code: number = CloseCode.UpdateRefused,
  ): never {
    if (context.documentId) this.options.onRefused?.(context.documentId, context.userId, refusal);
    throw new MessageRefused(refusal, code, detail);
  }

  /**
   * Checks an update against the document as it stands: what it writes (`validate`), under whose
   * Yjs client ids, and how large the document would grow. Returns the verdict for {@link apply}.
   */
  private checkUpdate(
    document: Y.Doc,
    update: Uint8Array,
    documentName: string,
    context: CollabContext,
    connection: Connection<CollabContext>,
  ): (UpdateVerdict & { ok: true }) | 'asked' {
    const verdict = (this.options.validate ?? validateUpdate)(document, update);
    if (!verdict.ok) {
      if (
        verdict.refusal === UpdateRefusal.Invalid &&
        this.askForMissing(document, update, documentName, context, connection, verdict.detail)
      )
        return 'asked';
      return this.refuse(verdict.refusal, verdict.detail, documentName, context);
    }
    const { documentId, userId } = context;
    const owners = documentId && userId ? this.ownersOf(document, documentId) : null;
    if (owners && documentId) {
      for (const client of verdict.writers) {
        // The server's own client id writes the system's repairs: nobody else writes under it.
        if (client === document.clientID)
          this.refuse(UpdateRefusal.Invalid, 'client id of the server', documentName, context);
        const owner = this.ownerOf(owners, documentId, client);
        if (owner !== undefined && owner !== userId)
          this.refuse(UpdateRefusal.Invalid, 'client id of another person', documentName, context);
      }
    }
    this.checkSize(document, update, verdict, documentName, context);
    if (owners && documentId && userId) {
      for (const client of verdict.writers) {
        if (owners.has(client)) continue;
        owners.set(client, userId);
        this.options.clients?.claim(documentId, client, userId);
      }
    }
    return verdict;
  }

  /**
   * An update that builds on content the server never received, all of it written under Yjs
   * client ids this connection's person owns (their own earlier updates, lost in a server restart
   * or a dropped connection: a program writing through a HocuspocusProvider sends its next updates
   * before the sync that would carry them), is dropped (nothing applied, stored or broadcast) and
   * the connection is sent the server's state vector (a SyncStep1), as Yjs peers ask each other
   * for what they lack: the provider answers with a SyncStep2 holding everything the server
   * lacks, this update included, which is checked like any other. Its unacknowledged update is
   * balanced by the acknowledgement of that SyncStep2. Returns false (the update is then refused
   * as before) when something missing was written under another person's client id, the server's
   * or one nobody owns, without a person or a claims table, or when the connection was already
   * asked {@link MAX_MISSING_REQUESTS} times in {@link MISSING_REQUEST_WINDOW_MS}.
   */
  private askForMissing(
    document: Y.Doc,
    update: Uint8Array,
    documentName: string,
    context: CollabContext,
    connection: Connection<CollabContext>,
    detail: string,
  ): boolean {
    const { documentId, userId } = context;
    const owners = documentId && userId ? this.ownersOf(document, documentId) : null;
    if (!owners || !documentId || !userId || typeof connection.send !== 'function') return false;
    const missing = missingClients(document, update);
    if (!missing || missing.size === 0) return false;
    for (const client of missing)
      if (client === document.clientID || this.ownerOf(owners, documentId, client) !== userId) return false;
    const now = Date.now();
    // Asked already, the answer not come yet: dropped, not asked again (the answer brings it, and
    // then its acknowledgement: tester BR27 saw a writer's provider count one update unsent forever).
    const asked = this.awaitingAnswer.get(connection);
    if (asked !== undefined && now - asked < MISSING_ANSWER_WAIT_MS) {
      this.droppedAwaiting.set(connection, (this.droppedAwaiting.get(connection) ?? 0) + 1);
      return true;
    }
    const recent = (this.missingRequests.get(connection) ?? []).filter(
      (at) => now - at < MISSING_REQUEST_WINDOW_MS,
    );
    if (recent.length >= MAX_MISSING_REQUESTS) return false;
    recent.push(now);
    this.missingRequests.set(connection, recent);
    this.awaitingAnswer.set(connection, now);
    const encoder = encoding.createEncoder();
    encoding.writeVarString(encoder, connection.messageAddress ?? documentName);
    encoding.writeVarUint(encoder, MESSAGE_SYNC);
    syncProtocol.writeSyncStep1(encoder, document);
    connection.send(encoding.toUint8Array(encoder));
    this.options.logger.info(
      { documentName, userId, detail, clients: [...missing], requests: recent.length },
      'update builds on content the server lacks: dropped, its writer asked for what is missing',
    );
    return true;
  }

  /**
   * Who owns `client` in the document: the cache, or else the stored claims, which services also
   * make (a restore claims a fresh client id for the person restoring, outside this guard).
   */
  private ownerOf(owners: Map<number, string>, documentId: string, client: number): string | undefined {
    let owner = owners.get(client);
    if (owner === undefined) {
      owner = this.options.clients?.owner(documentId, client);
      if (owner !== undefined) owners.set(client, owner);
    }
    return owner;
  }

  /** The writers of each client id of a loaded document (read once, then kept in step). */
  private ownersOf(document: Y.Doc, documentId: string): Map<number, string> | null {
    if (!this.options.clients) return null;
    let owners = this.owners.get(document);
    if (!owners) this.owners.set(document, (owners = this.options.clients.owners(documentId)));
    return owners;
  }

  /**
   * Only updates that add content can take a document past `maxDocumentBytes`: deletions, and
   * updates with nothing new (a client's sync reply), always pass, so a full document can be
   * emptied. The size is an upper bound (last measured encoding, plus accepted updates' lengths,
   * minus the characters deletions removed),
   * measured again, by encoding the document, only when it would pass the limit, something was
   * deleted since the last measure, and `remeasureIntervalMs` has passed since it.
   */
  private checkSize(
    document: Y.Doc,
    update: Uint8Array,
    verdict: UpdateVerdict & { ok: true },
    documentName: string,
    context: CollabContext,
  ): void {
    if (verdict.writers.length === 0) return;
    const max = this.options.maxDocumentBytes;
    const now = Date.now();
    const measure = () => ({
      bytes: (this.options.measure ?? encodedSize)(document),
      exact: true,
      measuredAt: now,
    });
    let size = this.sizes.get(document) ?? measure();
    // Encoding a document near the limit takes tens of milliseconds of the event loop: at most
    // once per interval, so alternating deletions and additions cannot stall the server.
    if (
      size.bytes + update.byteLength > max &&
      !size.exact &&
      now - size.measuredAt >= (this.options.remeasureIntervalMs ?? 2_000)
    )
      size = measure();
    this.sizes.set(document, size);
    if (size.bytes + update.byteLength > max)
      this.refuse(
        UpdateRefusal.DocumentTooLarge,
        `${size.bytes} + ${update.byteLength} bytes > ${max}`,
        documentName,
        context,
        CloseCode.TooLarge,
      );
    this.sizes.set(document, {
      bytes: size.bytes + update.byteLength,
      exact: false,
      measuredAt: size.measuredAt,
    });
  }

  private checkAwareness(
    decoder: decoding.Decoder,
    connection: Connection<CollabContext>,
    document: Y.Doc,
    context: CollabContext,
  ): void {
    // Every entry is read. Removals (`null` states) are not a claim: y-protocols' Awareness removes
    // a co-writer's state it has not seen renewed for 30 s (a throttled background tab) and
    // HocuspocusProvider sends that removal on; Hocuspocus never relays a removal, so such entries
    // are let through without binding anything. What is announced (a state) is one client's own.
    const announced: { clientId: number; state: string }[] = [];
    try {
      const update = decoding.createDecoder(decoding.readVarUint8Array(decoder));
      const count = decoding.readVarUint(update);
      for (let i = 0; i < count; i++) {
        const id = decoding.readVarUint(update);
        decoding.readVarUint(update); // clock
        const state = decoding.readVarString(update);
        if (state !== 'null') announced.push({ clientId: id, state });
      }
    } catch {
      throw new MessageRefused('malformed-awareness');
    }
    const [entry, ...others] = announced;
    if (!entry) return;
    if (others.length > 0) throw new MessageRefused('awareness-one-client-per-connection');
    const { clientId, state } = entry;
    if (state.length > this.maxAwarenessStateBytes)
      throw new MessageRefused('awareness-too-large', CloseCode.TooLarge);
    // A state that is not JSON is refused here, as a refusal: Hocuspocus's reader would throw a
    // SyntaxError, logged as a server error with its stack (tester, stop 35).
    try {
      JSON.parse(state);
    } catch {
      throw new MessageRefused('malformed-awareness', CloseCode.BadMessage, 'state is not JSON');
    }
    const known = this.clientIds.get(connection);
    if (known !== undefined) {
      if (known !== clientId) throw new MessageRefused('awareness-foreign-client');
      return;
    }
    // Presence makes a client id public before its owner writes under it: it is claimed for the
    // person who announces it first, so nobody who learns it from presence can write under it
    // (their own later announcement of it is refused too).
    const { documentId, userId } = context;
    const owners = documentId && userId ? this.ownersOf(document, documentId) : null;
    if (owners && documentId && userId) {
      if (clientId === document.clientID) throw new MessageRefused('awareness-foreign-client');
      const owner = this.ownerOf(owners, documentId, clientId);
      if (owner !== undefined && owner !== userId) throw new MessageRefused('awareness-foreign-client');
      if (owner === undefined) {
        owners.set(clientId, userId);
        this.options.clients?.claim(documentId, clientId, userId);
      }
    }
    this.clientIds.set(connection, clientId);
  }
}
