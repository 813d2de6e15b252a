import type {
  beforeUnloadDocumentPayload,
  Extension,
  Hocuspocus,
  onChangePayload,
  onLoadDocumentPayload,
  onStoreDocumentPayload,
} from '@hocuspocus/server';
import { DenialReason, parseDocumentName } from '@essaim/protocol';
import * as Y from 'yjs';
import type { Logger } from '../logger.js';
import {
  applyStored,
  isDamaged,
  proveState,
  type CollabStore,
  type LoadReport,
} from '../storage/collabStore.js';
import { phaseOf, QueueClosed, type BackgroundQueue, type QueueStats } from './backgroundQueue.js';
import type { CollabContext } from './context.js';
import type { DurableUpdates } from './durableUpdates.js';

export interface PersistenceOptions {
  store: CollabStore;
  logger: Logger;
  /** Log rows beyond which a document is compacted as soon as it is loaded. */
  compactOnLoadThreshold?: number;
  /** First delay before retrying a failed compaction; doubles up to 30 s. */
  retryDelayMs?: number;
  /**
   * Told when a stored document had parts that could not be read (they were moved to the
   * quarantine table): the administrator must hear of it (audit log).
   */
  onDamaged?: (documentId: string, report: LoadReport) => void;
  /** Where accepted updates are appended before anything is acknowledged (`durableUpdates.ts`). */
  durable: DurableUpdates;
  /**
   * Where compactions run, a bounded amount per event-loop turn (`backgroundQueue.ts`). Without
   * it, a compaction runs in the turn of the store that asks for it (the behaviour before issue 17).
   */
  queue?: BackgroundQueue;
  /**
   * While someone is connected to a document, a debounced store compacts it only once this many
   * updates were logged since its last compaction (each document's own threshold is drawn between
   * 0.75 and 1.25 times this, so documents edited since the same moment do not all reach it in
   * the same turn). When the last person leaves, at shutdown and before unloading, any update not
   * yet folded is compacted whatever the count. 0 or 1: every store compacts. Default 0.
   */
  compactAfterUpdates?: number;
}

/**
 * A number in [0.75, 1.25) fixed for each document name ({@link phaseOf}): each document's own share
 * of the compaction threshold, so that documents edited since the same moment spread their
 * compactions instead of reaching the threshold in the same turn.
 */
export const spreadFactor = (documentName: string): number => 0.75 + phaseOf(documentName) / 2;

/** Refusal of a document whose storage holds nothing readable (the client shows why). */
export class DocumentDamaged extends Error {
  readonly reason = DenialReason.DocumentDamaged;
  constructor(documentId: string) {
    super(`stored document ${documentId} cannot be read`);
  }
}

const idOf = (documentName: string): string => {
  const id = parseDocumentName(documentName);
  if (!id) throw new Error(`Nom de document inattendu : ${documentName}`);
  return id;
};

/**
 * Durability of collaborative documents: every accepted update is appended to the log (`onChange`,
 * committed before any acknowledgement or broadcast leaves: the whole path is told in
 * `durableUpdates.ts`), and the log is folded into the compacted state when the last client
 * leaves, before unloading, at shutdown, and on the debounced store once `compactAfterUpdates`
 * updates piled up (issue 17: a document that saw few updates is not compacted again; compactions
 * run in the background queue, never several in one turn).
 *
 * A compaction proves its result before it deletes anything: the new state must load back into the
 * same document ({@link proveState}); otherwise the log and the previous state stay as they are.
 * Loading never gives up on a whole document for one bad part: what cannot be read (a log row, or
 * the state, replaced by the previous one) is moved to the quarantine table, the rest is served, and
 * the damage is reported. A document with nothing readable is refused (`document-damaged`) rather
 * than served empty, so nobody's next keystroke can compact an empty document over it.
 */
export class PersistenceExtension implements Extension<CollabContext> {
  extensionName = 'persistence';
  priority = 900;

  private readonly retries = new Map<string, NodeJS.Timeout>();
  /**
   * Updates logged since the last compaction, per loaded document. Keyed by the Y.Doc itself, so an
   * unloaded document (or one whose loading failed) takes its entry with it.
   */
  private readonly sinceCompaction = new WeakMap<Y.Doc, number>();

  constructor(private readonly options: PersistenceOptions) {}

  /**
   * Per-document entries held by name (compactions waiting for a retry) plus background jobs not run
   * yet: 0 once every document is stored and unloaded.
   */
  heldEntries(): number {
    return this.retries.size + (this.options.queue?.size ?? 0);
  }

  /** The background queue's counters, if there is one. */
  queueStats(): QueueStats | null {
    return this.options.queue?.stats() ?? null;
  }

  async onLoadDocument({ documentName, document }: onLoadDocumentPayload<CollabContext>): Promise<void> {
    const id = idOf(documentName);
    const stored = this.options.store.load(id);
    const report = applyStored(document, stored);
    if (isDamaged(report)) {
      this.options.logger.error({ documentName, report }, 'stored document partly unreadable');
      if (!report.loadedAnything) throw new DocumentDamaged(id);
      this.options.store.quarantine(
        id,
        { seqs: report.unreadableRows.map((r) => r.seq), state: report.stateUnreadable },
        'unreadable at load',
      );
      this.options.onDamaged?.(id, report);
    }
    this.sinceCompaction.set(document, stored.updates.length);
    if (stored.updates.length > (this.options.compactOnLoadThreshold ?? 500)) {
      this.compact(id, document);
    }
  }

  async onChange(payload: onChangePayload<CollabContext>): Promise<void> {
    // Queued here, committed before any frame leaves the process (the order: durableUpdates.ts).
    this.options.durable.record(payload);
    const { document } = payload;
    // Unit tests call this hook without a document: nothing to count then.
    if (document) this.sinceCompaction.set(document, (this.sinceCompaction.get(document) ?? 0) + 1);
  }

  async onStoreDocument({
    documentName,
    document,
    instance,
  }: onStoreDocumentPayload<CollabContext>): Promise<void> {
    // The payload's client count is the one of the update that started the debounce: ask now
    // (a bare Y.Doc, as unit tests pass, counts as connected).
    const someoneConnected =
      typeof document.getConnectionsCount !== 'function' || document.getConnectionsCount() > 0;
    if (someoneConnected && this.canWait(documentName, document)) return;
    await this.compactSoon(documentName, document, instance);
  }

  /**
   * Before a document leaves memory, what was logged since its last compaction is folded (a store
   * that could wait left it there). Throwing keeps the document loaded: the retry compacts it, then
   * unloads it if nobody came back.
   */
  async beforeUnloadDocument({
    documentName,
    document,
    instance,
  }: beforeUnloadDocumentPayload): Promise<void> {
    if ((this.sinceCompaction.get(document) ?? 0) === 0) return;
    await this.compactSoon(documentName, document, instance);
  }

  /** Whether a debounced store may leave the log as it is (few updates since the last compaction). */
  private canWait(documentName: string, document: Y.Doc): boolean {
    const threshold = this.options.compactAfterUpdates ?? 0;
    if (threshold <= 1) return false;
    return (this.sinceCompaction.get(document) ?? 0) < threshold * spreadFactor(documentName);
  }

  /** Compacts in the background queue (or now, without one); a failure is retried, then rethrown. */
  private async compactSoon(documentName: string, document: Y.Doc, instance?: Hocuspocus): Promise<void> {
    const id = idOf(documentName);
    const queue = this.options.queue;
    try {
      if (queue) await queue.run('compaction', () => this.compact(id, document));
      else this.compact(id, document);
      this.clearRetry(documentName);
    } catch (error) {
      // Stopping: the log holds every update, the next start loads them.
      if (error instanceof QueueClosed) throw error;
      // Nothing is lost (the log holds every update) but the log keeps growing: retry, and let
      // Hocuspocus see the failure so it keeps the document in memory.
      this.options.logger.error({ err: error, documentName }, 'compaction failed, will retry');
      this.scheduleRetry(documentName, document, instance);
      throw error;
    }
  }

  async onDestroy(): Promise<void> {
    for (const timer of this.retries.values()) clearTimeout(timer);
    this.retries.clear();
    this.options.queue?.close();
  }

  private compact(id: string, document: Y.Doc): void {
    const upToSeq = this.options.store.lastSeq();
    const state = Y.encodeStateAsUpdate(document);
    proveState(state, document);
    this.options.store.compact(id, state, upToSeq);
    // Synchronous from `lastSeq` on: no update of this document was logged in between.
    this.sinceCompaction.set(document, 0);
  }

  private scheduleRetry(documentName: string, document: Y.Doc, instance?: Hocuspocus, attempt = 1): void {
    this.clearRetry(documentName);
    const delay = Math.min((this.options.retryDelayMs ?? 500) * 2 ** (attempt - 1), 30_000);
    const timer = setTimeout(() => {
      try {
        this.compact(idOf(documentName), document);
        this.retries.delete(documentName);
        this.options.logger.info({ documentName, attempt }, 'compaction succeeded after retry');
      } catch (error) {
        this.options.logger.error({ err: error, documentName, attempt }, 'compaction retry failed');
        this.scheduleRetry(documentName, document, instance, attempt + 1);
        return;
      }
      // A failed store kept the document loaded: release it now if nobody is connected.
      const loaded = instance?.documents.get(documentName);
      if (instance && loaded && instance.shouldUnloadDocument(loaded)) void instance.unloadDocument(loaded);
    }, delay);
    timer.unref();
    this.retries.set(documentName, timer);
  }

  private clearRetry(documentName: string): void {
    const timer = this.retries.get(documentName);
    if (timer) clearTimeout(timer);
    this.retries.delete(documentName);
  }
}
