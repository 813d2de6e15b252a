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
  proveAgainst,
  proveState,
  summarizeLive,
  type AuthoredRow,
  type CollabStore,
  type FoldedDeletions,
  type LiveSummary,
  type LoadReport,
} from '../storage/collabStore.js';
import { phaseOf, QueueClosed, type BackgroundQueue, type QueueStats } from './backgroundQueue.js';
import type { CollabContext } from './context.js';
import type { DurableUpdates } from './durableUpdates.js';
import { OffloadUnavailable, type Offload } from './offload.js';

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
  /**
   * Where a compaction's proof runs (`offload.ts`), with a `queue` only: the queue then runs two
   * short jobs per compaction on the main thread, `compaction` (encode the state, summarize the
   * live document, read the log rows it replaces) and `compaction:write` (the SQLite
   * transaction), and the worker proves the state and decodes those rows' deletions in between. Without it, the proof runs in the `compaction` job, as before.
   */
  offload?: Pick<Offload, 'prove' | 'close' | 'stats' | 'pipeline'>;
}

/** A compaction between its encoding (main thread) and its write: what the proof needs and the write takes. */
interface PreparedCompaction {
  state: Uint8Array;
  live: LiveSummary;
  /** The log's last sequence number, read before encoding: rows up to it are in `state`. */
  upToSeq: number;
  /** Updates counted since the last compaction when encoding (those counted later stay to fold). */
  counted: number;
  /** The authored log rows up to `upToSeq`, undecoded: the worker folds their deletions. */
  rows: AuthoredRow[];
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
  /**
   * The compaction running for each document name, if any: compactions of one document run one
   * after the other, so that an older state never replaces a newer one (with a worker, a
   * compaction spans several turns; a document may even be unloaded and loaded again meanwhile).
   */
  private readonly running = new Map<string, Promise<void>>();

  constructor(private readonly options: PersistenceOptions) {}

  /**
   * Per-document entries held by name (compactions waiting for a retry) plus background jobs not run
   * yet: 0 once every document is stored and unloaded.
   */
  heldEntries(): number {
    return this.retries.size + this.running.size + (this.options.queue?.size ?? 0);
  }

  /**
   * The background queue's counters, if there is one; with a worker, its jobs too, as the kinds
   * `worker:prove` and `worker:index` (time in the worker, not on the event loop).
   */
  queueStats(): QueueStats | null {
    const stats = this.options.queue?.stats() ?? null;
    if (stats && this.options.offload) {
      const worker = this.options.offload.stats();
      stats.kinds['worker:prove'] = worker.prove;
      stats.kinds['worker:index'] = worker.index;
    }
    return stats;
  }

  async onLoadDocument({ documentName, document }: onLoadDocumentPayload<CollabContext>): Promise<void> {
    const id = idOf(documentName);
    // The compaction of a previous load of this document may still be running (encoded, in the
    // worker): read the storage once it is written.
    await this.running.get(documentName)?.catch(() => undefined);
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
    // A compaction still running counts its updates only once written.
    await this.running.get(documentName)?.catch(() => undefined);
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
    try {
      await this.serially(documentName, () => this.compactQueued(id, document));
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

  /** Runs `job` once the compaction running for `documentName` (if any) has ended. */
  private async serially(documentName: string, job: () => Promise<void>): Promise<void> {
    const before = this.running.get(documentName);
    const mine = (before ? before.catch(() => undefined) : Promise.resolve()).then(job);
    this.running.set(documentName, mine);
    try {
      await mine;
    } finally {
      if (this.running.get(documentName) === mine) this.running.delete(documentName);
    }
  }

  /**
   * One compaction through the queue: in one job without a worker; with one, the state is encoded
   * in a first job, proven in the worker, and written in a second job (see {@link PersistenceOptions.offload}).
   */
  private async compactQueued(id: string, document: Y.Doc): Promise<void> {
    const { queue, offload } = this.options;
    if (!queue) return this.compact(id, document);
    if (!offload) return queue.run('compaction', () => this.compact(id, document));
    return offload.pipeline(() => this.compactOffloaded(id, document, queue, offload));
  }

  /** {@link compactQueued} with a worker, in its pipeline place: encode, prove in the worker, write. */
  private async compactOffloaded(
    id: string,
    document: Y.Doc,
    queue: BackgroundQueue,
    offload: Pick<Offload, 'prove'>,
  ): Promise<void> {
    const prepared = await queue.run('compaction', () => this.prepare(id, document));
    let folded: FoldedDeletions | undefined;
    try {
      folded = await offload.prove(prepared.state, prepared.live, prepared.rows);
    } catch (error) {
      if (!(error instanceof OffloadUnavailable)) throw error;
      // No worker (it failed, or the server is stopping): prove here, as without one (the write
      // then decodes the rows it folds itself).
      await queue.run('compaction', () => proveAgainst(prepared.state, prepared.live));
    }
    await queue.run('compaction:write', () => this.write(id, document, prepared, folded));
  }

  async onDestroy(): Promise<void> {
    for (const timer of this.retries.values()) clearTimeout(timer);
    this.retries.clear();
    this.options.queue?.close();
    await this.options.offload?.close();
  }

  /**
   * Encodes the document as it is now, with what its proof and its write need: the log rows it
   * replaces are read (not decoded) for the worker to fold.
   */
  private prepare(id: string, document: Y.Doc): PreparedCompaction {
    const upToSeq = this.options.store.lastSeq();
    const counted = this.sinceCompaction.get(document) ?? 0;
    const state = Y.encodeStateAsUpdate(document);
    const rows = this.options.store.rowsToFold(id, upToSeq);
    return { state, live: summarizeLive(document), upToSeq, counted, rows };
  }

  /**
   * Writes a proven compaction, with the deletions the worker folded (`folded`; without it, the
   * store decodes the rows itself); the updates counted since its encoding stay to be folded.
   */
  private write(id: string, document: Y.Doc, prepared: PreparedCompaction, folded?: FoldedDeletions): void {
    this.options.store.compact(id, prepared.state, prepared.upToSeq, folded);
    this.sinceCompaction.set(
      document,
      Math.max(0, (this.sinceCompaction.get(document) ?? 0) - prepared.counted),
    );
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
      // On the main thread in one go (a retry is rare), after any compaction still running.
      this.serially(documentName, async () => this.compact(idOf(documentName), document)).then(
        () => {
          this.retries.delete(documentName);
          this.options.logger.info({ documentName, attempt }, 'compaction succeeded after retry');
          // A failed store kept the document loaded: release it now if nobody is connected.
          const loaded = instance?.documents.get(documentName);
          if (instance && loaded && instance.shouldUnloadDocument(loaded))
            void instance.unloadDocument(loaded);
        },
        (error: unknown) => {
          this.options.logger.error({ err: error, documentName, attempt }, 'compaction retry failed');
          this.scheduleRetry(documentName, document, instance, attempt + 1);
        },
      );
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
