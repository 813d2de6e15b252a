import {
  isTransactionOrigin,
  type afterLoadDocumentPayload,
  type beforeHandleMessagePayload,
  type Connection,
  type Extension,
  type onLoadDocumentPayload,
  type onStatelessPayload,
} from '@hocuspocus/server';
import {
  decodeForwardEntries,
  encodeForwardEntries,
  forwardingsOf,
  moveSection,
  remembersSplits,
  retireForwardings,
  watchLateEdits,
  type UpdateDeletes,
} from '@essaim/editor';
import {
  parseDocumentName,
  parseSectionMoveRequest,
  type SectionMoveOutcome,
  type SectionMoveReply,
} from '@essaim/protocol';
import * as decoding from 'lib0/decoding';
import * as Y from 'yjs';
import type { Logger } from '../logger.js';
import type { Services } from '../services/index.js';
import { sqliteForwardingRepository, type ForwardingRepository } from '../storage/forwardingRepository.js';
import type { CollabContext } from './context.js';
import { deleteSetBeingApplied, DocumentLocks } from './MessageGuardExtension.js';

/**
 * How long a moved section keeps forwarding late edits. An offline writer who comes back later
 * than this finds their edits to the moved section lost (as plain Yjs would lose them); the old
 * copy kept for them in the stored state is then garbage-collected at the next load.
 */
export const FORWARDING_RETENTION_MS = 30 * 24 * 60 * 60 * 1000;

/**
 * Most forwardings a document keeps (the most recent). Each keeps the old copy of a section in the
 * document until it expires: someone moving sections again and again must not make the document
 * grow without bound (and hit the document size limit). Older ones are retired and their copies
 * collected at once.
 */
export const MAX_FORWARDINGS_PER_DOCUMENT = 64;

const MESSAGE_SYNC = 0;
const MESSAGE_SYNC_REPLY = 4;
const SYNC_STEP_2 = 1;
const SYNC_UPDATE = 2;

/** The delete set of a sync message's update, or null for any other message. */
function deletesOf(message: Uint8Array): UpdateDeletes | null {
  try {
    const decoder = decoding.createDecoder(message);
    decoding.readVarString(decoder);
    const type = decoding.readVarUint(decoder);
    if (type !== MESSAGE_SYNC && type !== MESSAGE_SYNC_REPLY) return null;
    const step = decoding.readVarUint(decoder);
    if (step !== SYNC_STEP_2 && step !== SYNC_UPDATE) return null;
    return Y.decodeUpdate(decoding.readVarUint8Array(decoder)).ds;
  } catch {
    // The message guard refuses malformed messages before this runs.
    return null;
  }
}

type AnyConnection = Connection<CollabContext>;

const connectionOf = (transaction: Y.Transaction): AnyConnection | null =>
  isTransactionOrigin(transaction.origin) && transaction.origin.source === 'connection'
    ? (transaction.origin.connection as AnyConnection)
    : null;

/**
 * Section moves (« Monter », « Descendre ») are performed here, one at a time, on the live
 * document: Yjs has no move, and two editors each moving a section by delete + insert duplicate
 * it. A client sends a stateless `section-move` request (packages/protocol `sectionMessages.ts`);
 * the server checks that the connection may write and that both sections exist, moves the
 * section in one transaction, and answers the requester. The move is attributed to the requester
 * (the transaction's origin is its connection), so activity and the guards see a person's change.
 *
 * Edits that arrive for the old place of a moved (or restored) section, in flight or from an
 * offline writer, are re-applied in the section that replaced it (packages/editor
 * `sectionForwarding.ts`). The forwardings are stored in SQLite and installed again, before the
 * stored state is applied, each time the document is loaded; they expire after
 * {@link FORWARDING_RETENTION_MS}.
 */
export class SectionMovesExtension implements Extension<CollabContext> {
  extensionName = 'section-moves';
  // Before the message guard (950), which applies each checked update: the writer's deletions must
  // be known when its transaction runs (malformed messages decode to nothing here). Before
  // persistence loads the stored state (the forwardings decide what the garbage collector keeps
  // while it is applied).
  priority = 960;

  private readonly forwardingRepository: ForwardingRepository;
  /** The delete set of the update each connection is sending, for the transaction applying it. */
  private readonly writerDeletes = new WeakMap<AnyConnection, UpdateDeletes | null>();

  constructor(
    services: Pick<Services, 'db'>,
    private readonly logger: Logger,
    /** The message guard's locks: a move never lands between an update's check and its apply. */
    private readonly locks: DocumentLocks = new DocumentLocks(),
    private readonly now: () => number = Date.now,
  ) {
    this.forwardingRepository = sqliteForwardingRepository(services.db);
  }

  async onLoadDocument({ documentName, document }: onLoadDocumentPayload<CollabContext>): Promise<void> {
    const documentId = parseDocumentName(documentName);
    if (!documentId) return;
    const forwardings = forwardingsOf(document);
    for (const stored of this.forwardingRepository.load(documentId, this.now() - FORWARDING_RETENTION_MS)) {
      const { chunks, ...record } = stored;
      forwardings.add(record, chunks.flatMap(decodeForwardEntries), { notify: false });
    }
    forwardings.onChange(({ record, entries, created }) => {
      // Inside a Yjs transaction: a failure is logged, never thrown into Yjs. The edits themselves
      // are in the update log; only late edits after a restart would miss this entry.
      try {
        const chunk = encodeForwardEntries(entries);
        if (created) this.forwardingRepository.create(documentId, record, chunk);
        else this.forwardingRepository.append(documentId, record.id, chunk);
      } catch (error) {
        this.logger.error({ err: error, documentName, forwarding: record.id }, 'forwarding not stored');
      }
      // Collecting old copies must wait until the transaction is over.
      if (created && forwardings.size > MAX_FORWARDINGS_PER_DOCUMENT)
        queueMicrotask(() => this.retire(documentId, document));
    });
  }

  private retire(documentId: string, document: Y.Doc): void {
    const retired = retireForwardings(document, MAX_FORWARDINGS_PER_DOCUMENT);
    if (retired.length === 0) return;
    try {
      this.forwardingRepository.remove(
        documentId,
        retired.map((r) => r.id),
      );
    } catch (error) {
      // They expire anyway; until then a reload would only keep their copies a little longer.
      this.logger.error({ err: error, documentId }, 'retired forwardings not removed');
    }
  }

  async afterLoadDocument({ document }: afterLoadDocumentPayload<CollabContext>): Promise<void> {
    // Lives as long as the document: Hocuspocus destroys both on unload.
    watchLateEdits(document, {
      inspect: (transaction) => connectionOf(transaction) !== null,
      writerDeletes: (transaction) => {
        const connection = connectionOf(transaction);
        if (!connection) return null;
        // Decoded by the message guard when it checked the update; by this extension otherwise.
        return deleteSetBeingApplied(connection.context) ?? this.writerDeletes.get(connection) ?? null;
      },
      origin: (transaction) => ({ source: 'connection', connection: connectionOf(transaction) }),
    });
  }

  async beforeHandleMessage({
    update: message,
    connection,
    document,
  }: beforeHandleMessagePayload<CollabContext>): Promise<void> {
    // Decoding twice costs: the message guard's decoding is used when there is one (see above);
    // without it, only documents with forwardings, or with splits remembered (a split repeated by
    // someone who had not received it is taken back: dropRepeatedSplits), need the writer's
    // deletions.
    this.writerDeletes.set(
      connection,
      (forwardingsOf(document).size > 0 || remembersSplits(document)) &&
        deleteSetBeingApplied(connection.context) === null
        ? deletesOf(message)
        : null,
    );
  }

  async onStateless({ connection, document, documentName, payload }: onStatelessPayload): Promise<void> {
    const request = parseSectionMoveRequest(payload);
    if (request === null) return;
    const reply = (requestId: string, outcome: SectionMoveOutcome) => {
      const message: SectionMoveReply = { type: 'section-move-result', requestId, outcome };
      connection.sendStateless(JSON.stringify(message));
    };
    if (request === 'invalid') return reply('', 'invalid-request');
    if (connection.readOnly) return reply(request.requestId, 'read-only');
    const release = await this.locks.acquire(document);
    let outcome: SectionMoveOutcome;
    try {
      outcome = moveSection(
        document,
        request.sectionId,
        request.afterSectionId,
        { source: 'connection', connection },
        this.now(),
      );
    } finally {
      release();
    }
    this.logger.debug({ documentName, sectionId: request.sectionId, outcome }, 'section move');
    // The moved section reaches every editor (the requester included) before the answer does.
    if (outcome === 'moved') document.flush();
    reply(request.requestId, outcome);
  }
}
