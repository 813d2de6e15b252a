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
import {
  departureBytes,
  departuresFor,
  runDeparture,
  type DepartureIndexing,
  type DepartureResult,
  type Departures,
} from './departures.js';
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
  offload?: Pick<Offload, 'prove' | 'close' | 'stats' | 'pipeline'> &
    Partial<Pick<Offload, 'departure' | 'hurry' | 'inFlight' | 'waitingForPipeline'>>;
  /**
   * With a `queue` and an `offload` that has `departure`: when the last person leaves a document
   * (or it is unloaded with updates not folded), its compaction and indexing are taken from the
   * live document in one queued turn and run from those bytes while Hocuspocus unloads it
   * (`departures.ts`). Default: the one shared through `offload` ({@link departuresFor}).
   */
  departures?: Departures;
  /**
   * Most time shutdown (`onDestroy`) waits for the compactions of departed documents before it
   * closes the queue and the worker (ms; default 10 s, as `app.ts` waits for documents to unload).
   * What is not written by then is in the log: the next start loads it.
   */
  shutdownWaitMs?: number;
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
 * When the last person leaves (and before an unload that finds updates not folded), the
 * compaction is a departure (`departures.ts`, with a worker): its input and the indexing's are
 * taken from the document in one queued turn, and the document unloads at once; the proof, the
 * index and both writes follow from those bytes, one worker request for both. A reload waits for
 * them (`running`), compactions of one document stay one after the other, and one that fails after
 * the unload is retried from the stored log.
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
  /**
   * Updates a departure took (encoded) and has not written yet, per loaded document: they need not
   * hold the document in memory (`beforeUnloadDocument`).
   */
  private readonly departing = new WeakMap<Y.Doc, number>();
  private readonly departures: Departures | undefined;

  constructor(private readonly options: PersistenceOptions) {
    const { queue, offload } = options;
    this.departures =
      options.departures ?? (queue && offload?.departure ? departuresFor(offload) : undefined);
  }

  /**
   * Per-document entries held by name (compactions running, departures of unloaded documents
   * included, and compactions waiting for a retry) plus background jobs not run yet: 0 once every
   * document is stored and unloaded and every departure written.
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
      if (worker.departure.jobs > 0) stats.kinds['worker:departure'] = worker.departure;
    }
    // Compactions running (between their halves, in or waiting for the worker), retries waiting.
    if (stats) stats.inFlight = this.running.size + this.retries.size;
    return stats;
  }

  /** Bytes and documents of departures waiting for their jobs, and departures waiting for room (diagnostics). */
  departureStats(): { bytes: number; documents: number; admitting: number } | null {
    const d = this.departures;
    return d ? { ...d.waiting, admitting: d.admitting } : null;
  }

  async onLoadDocument({ documentName, document }: onLoadDocumentPayload<CollabContext>): Promise<void> {
    const id = idOf(documentName);
    // The compaction of a previous load of this document may still be running (encoded, in the
    // worker): read the storage once it is written. Its turn in the worker's line comes first.
    const running = this.running.get(documentName);
    if (running) {
      this.options.offload?.hurry?.(documentName);
      await running.catch(() => undefined);
    }
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
    if (!someoneConnected && this.departures) {
      // A departure of this document is on its way and nothing changed since (a second store
      // after the last person left): nothing to take, and waiting behind it would keep the
      // document loaded until the worker reaches it.
      if (this.departing.has(document) && !this.departureDue(documentName, document)) return;
      return this.depart(documentName, document, true, instance);
    }
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
    // A compaction still running counts its updates only once written; a departure's were taken
    // from the document already (they are in its encoded state): it need not be waited for.
    const taken = this.departing.get(document) ?? 0;
    if (taken === 0) await this.running.get(documentName)?.catch(() => undefined);
    // Changes not indexed yet (a store that was waiting its turn when the last person left) leave
    // with a departure too: its indexing reads them from the same state.
    if (this.departures) {
      if (this.departureDue(documentName, document))
        return this.depart(documentName, document, false, instance);
      return;
    }
    if ((this.sinceCompaction.get(document) ?? 0) <= 0) return;
    await this.compactSoon(documentName, document, instance);
  }

  /**
   * Whether a departure would take anything new: updates not folded nor taken by a departure on its
   * way, or changes the indexing has not indexed yet.
   */
  private departureDue(documentName: string, document: Y.Doc): boolean {
    const toFold = (this.sinceCompaction.get(document) ?? 0) - (this.departing.get(document) ?? 0);
    return toFold > 0 || (this.departures?.indexer?.pending(documentName) ?? false);
  }

  /**
   * A departure (`departures.ts`): waits for room in the budget of bytes waiting, then, after any
   * compaction of this document still running, takes in one queued turn the compaction's input
   * and the indexing's (`fromStore`: the store of the last person's leaving; else an unload), and
   * resolves: Hocuspocus may unload the document. The proof, the index and both writes follow in
   * the background ({@link finishDeparture}), in `running` until written, so a reload waits for
   * them and the next compaction of the document comes after. A failure before the input is taken
   * is thrown, as a compaction's (the document stays loaded; a retry compacts it); after, the
   * compaction is retried from the stored log ({@link scheduleRetry}).
   */
  private async depart(
    documentName: string,
    document: Y.Doc,
    fromStore: boolean,
    instance?: Hocuspocus,
  ): Promise<void> {
    const { queue, offload } = this.options;
    const departures = this.departures;
    const departure = offload?.departure?.bind(offload);
    if (!queue || !offload || !departure || !departures)
      return this.compactSoon(documentName, document, instance);
    const worker = { pipeline: offload.pipeline.bind(offload), departure };
    await departures.admit();
    const { work, isTaken } = this.startDeparture(
      documentName,
      { document },
      fromStore,
      queue,
      worker,
      departures,
    );
    try {
      await Promise.race([isTaken, work]);
    } catch (error) {
      // Stopping: the log holds every update, the next start loads them.
      if (error instanceof QueueClosed) throw error;
      this.options.logger.error({ err: error, documentName }, 'compaction failed, will retry');
      this.scheduleRetry(documentName, document, instance);
      throw error;
    }
    // Failures after the input was taken are handled in finishDeparture: only log the unexpected.
    work.catch((error: unknown) => {
      if (!(error instanceof QueueClosed))
        this.options.logger.error({ err: error, documentName }, 'departure failed');
    });
  }

  /**
   * The departure's own course, in `running` ({@link serially}): `held` gives the Y.Doc to the
   * capture turn and is emptied there, and only a `WeakRef` is kept afterwards, so nothing of the
   * departure keeps the unloaded document reachable (its memory goes at the next collection, not
   * when its jobs end). `isTaken` resolves once the input is taken; `work` once all is written.
   */
  private startDeparture(
    documentName: string,
    held: { document?: Y.Doc },
    fromStore: boolean,
    queue: BackgroundQueue,
    worker: Pick<Offload, 'pipeline' | 'departure'>,
    departures: Departures,
  ): { work: Promise<void>; isTaken: Promise<void> } {
    const id = idOf(documentName);
    let taken!: () => void;
    const isTaken = new Promise<void>((resolve) => (taken = resolve));
    const work = this.serially(documentName, async () => {
      const input = await queue.run('departure', () => {
        const document = held.document;
        held.document = undefined;
        if (!document) throw new Error(`departure of ${documentName} taken twice`);
        return {
          prepared: this.prepare(id, document),
          indexing: departures.indexer?.departing(documentName, document, fromStore) ?? null,
          document: new WeakRef(document),
        };
      });
      const { prepared, document } = input;
      // What a retry waiting for this document would compact is in this departure now.
      this.clearRetry(documentName);
      this.countDeparting(document, prepared.counted);
      const release = departures.hold(departureBytes(prepared.state, prepared.live, prepared.rows));
      taken();
      try {
        await this.finishDeparture(id, documentName, document, input, queue, worker);
      } finally {
        release();
        this.countDeparting(document, -prepared.counted);
      }
    });
    return { work, isTaken };
  }

  /** Adds `delta` to the updates departures took from `document` (if it is still there). */
  private countDeparting(document: WeakRef<Y.Doc>, delta: number): void {
    const doc = document.deref();
    if (!doc) return;
    const left = (this.departing.get(doc) ?? 0) + delta;
    if (left > 0) this.departing.set(doc, left);
    else this.departing.delete(doc);
  }

  /**
   * The background half of a departure, in its pipeline place (FIFO, `hurry` on reload): the worker
   * proves the state and reads the index from one decoding (on the main thread, in a queued job,
   * when there is no worker), then the compaction is written, then the index. A failed proof or
   * write is retried from the stored log; never rejects but with {@link QueueClosed}.
   */
  private async finishDeparture(
    id: string,
    documentName: string,
    document: WeakRef<Y.Doc>,
    input: { prepared: PreparedCompaction; indexing: DepartureIndexing | null },
    queue: BackgroundQueue,
    offload: Pick<Offload, 'pipeline' | 'departure'>,
  ): Promise<void> {
    const { prepared, indexing } = input;
    const retryFromStore = (error: unknown): void => {
      this.options.logger.error(
        { err: error, documentName },
        'compaction failed, will retry from the stored log',
      );
      this.scheduleRetry(documentName);
    };
    let result: DepartureResult | undefined;
    try {
      await offload.pipeline(async () => {
        let answer: DepartureResult;
        try {
          answer = await offload.departure(prepared.state, prepared.live, prepared.rows, indexing !== null);
        } catch (error) {
          if (!(error instanceof OffloadUnavailable)) throw error;
          // No worker (it failed, or the server is stopping): the same work here, in one job.
          answer = await queue.run('departure:main', () =>
            runDeparture(prepared.state, prepared.live, undefined, indexing !== null),
          );
        }
        result = answer;
        if (answer.proofError) {
          retryFromStore(new Error(answer.proofError));
          return;
        }
        try {
          await queue.run('compaction:write', () => {
            this.options.store.compact(id, prepared.state, prepared.upToSeq, answer.folded);
            // The document, if it is still loaded (someone came back), has these updates folded.
            const doc = document.deref();
            if (doc)
              this.sinceCompaction.set(
                doc,
                Math.max(0, (this.sinceCompaction.get(doc) ?? 0) - prepared.counted),
              );
          });
        } catch (error) {
          if (error instanceof QueueClosed) throw error;
          retryFromStore(error);
        }
      }, documentName);
    } catch (error) {
      indexing?.fail(error);
      if (error instanceof QueueClosed) throw error;
      retryFromStore(error);
      return;
    }
    // Out of the pipeline's place: the write may wait for an indexing of this document that
    // waits for a place itself.
    if (!indexing) return;
    if (result?.computed) await indexing.write(result.computed);
    else indexing.fail(new Error(result?.indexError ?? 'index not read'));
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
    if (this.departures) {
      // Departed documents were unloaded before their compaction: let those written so far end,
      // as shutdown let their documents unload before (bounded; the log holds the rest).
      this.departures.close();
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        Promise.allSettled([...this.running.values()]),
        new Promise((resolve) => (timer = setTimeout(resolve, this.options.shutdownWaitMs ?? 10_000))),
      ]);
      clearTimeout(timer);
    }
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

  /**
   * Retries a failed compaction of `documentName` after a back-off (`retryDelayMs`, 500 ms by
   * default, doubled at each attempt, at most 30 s), on the main thread in one go (a retry is rare)
   * and after any compaction of the document still running: from `document` while it is loaded,
   * else (a departed document, or one unloaded meanwhile: its Y.Doc is gone) from what is stored
   * ({@link compactStored}). A later retry or departure of the document replaces this one. Once it
   * succeeds, a document the failure kept loaded is released if nobody is connected (`instance`).
   */
  private scheduleRetry(documentName: string, document?: Y.Doc, instance?: Hocuspocus, attempt = 1): void {
    this.clearRetry(documentName);
    const delay = Math.min((this.options.retryDelayMs ?? 500) * 2 ** (attempt - 1), 30_000);
    const timer = setTimeout(() => {
      let superseded = false;
      this.serially(documentName, async () => {
        // A departure took the document since (it compacts all this retry would) or a newer retry
        // replaced this one: nothing to do.
        if (this.retries.get(documentName) !== timer) {
          superseded = true;
          return;
        }
        if (!document || document.isDestroyed) this.compactStored(idOf(documentName));
        else this.compact(idOf(documentName), document);
      }).then(
        () => {
          if (superseded) return;
          this.retries.delete(documentName);
          this.options.logger.info({ documentName, attempt }, 'compaction succeeded after retry');
          const loaded = instance?.documents.get(documentName);
          if (instance && loaded && instance.shouldUnloadDocument(loaded))
            void instance.unloadDocument(loaded);
        },
        (error: unknown) => {
          if (this.retries.get(documentName) !== timer) return;
          this.options.logger.error({ err: error, documentName, attempt }, 'compaction retry failed');
          this.scheduleRetry(documentName, document, instance, attempt + 1);
        },
      );
    }, delay);
    timer.unref();
    this.retries.set(documentName, timer);
  }

  /**
   * Compacts `id` from what is stored (its Y.Doc is gone): the stored state and log are loaded into
   * a scratch document, encoded, proven against it and written; the scratch document goes right
   * after. A stored document with unreadable parts is left to its next load (which sets them aside
   * and tells the administrator).
   */
  private compactStored(id: string): void {
    // Rows up to here are all in what `load` reads next (both commit first; nothing runs between).
    const upToSeq = this.options.store.lastSeq();
    const stored = this.options.store.load(id);
    const scratch = new Y.Doc();
    try {
      const report = applyStored(scratch, stored);
      if (isDamaged(report)) {
        this.options.logger.warn(
          { documentId: id },
          'stored document partly unreadable: left to its next load',
        );
        return;
      }
      const state = Y.encodeStateAsUpdate(scratch);
      proveState(state, scratch);
      this.options.store.compact(id, state, upToSeq);
    } finally {
      scratch.destroy();
    }
  }

  private clearRetry(documentName: string): void {
    const timer = this.retries.get(documentName);
    if (timer) clearTimeout(timer);
    this.retries.delete(documentName);
  }
}
