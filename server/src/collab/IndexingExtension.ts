import {
  isTransactionOrigin,
  type Hocuspocus,
  type onConfigurePayload,
  type afterLoadDocumentPayload,
  type afterUnloadDocumentPayload,
  type Extension,
  type onDisconnectPayload,
  type onStoreDocumentPayload,
} from '@hocuspocus/server';
import { documentName as documentNameOf, FRAGMENT, META_MAP, parseDocumentName } from '@essaim/protocol';
import * as Y from 'yjs';
import type { Logger } from '../logger.js';
import { applyStored, type CollabStore } from '../storage/collabStore.js';
import {
  computeIndex,
  type ComputedIndex,
  type EditorChanges,
  type IndexingService,
} from '../services/indexingService.js';
import { phaseOf, QueueClosed, type BackgroundQueue } from './backgroundQueue.js';
import type { CollabContext } from './context.js';
import {
  departuresFor,
  type DepartureIndexer,
  type DepartureIndexing,
  type Departures,
} from './departures.js';
import { OffloadUnavailable, type Offload } from './offload.js';

/** `IndexingService.indexComputed`. */
type IndexComputed = (
  id: string,
  computed: ComputedIndex,
  changes: readonly EditorChanges[],
  indexedSeq: number,
) => void;

/** Any shared type, as `Transaction.changed` keys them. */
type YType = Y.Transaction['changed'] extends Map<infer K, unknown> ? K : never;

/** The top-level element of the document holding a changed type, if it is a section. */
function sectionIdOf(type: YType, fragment: YType): string | null {
  let current: YType = type;
  while (current._item && current._item.parent !== fragment) {
    current = current._item.parent as YType;
  }
  if (current._item?.parent !== fragment || !(current instanceof Y.XmlElement)) return null;
  const id = current.nodeName === 'section' ? current.getAttribute('id') : undefined;
  return typeof id === 'string' ? id : null;
}

/** How {@link IndexingExtension} runs (each optional: without any, indexing runs in the store's turn). */
export interface IndexingOptions {
  /** Where indexing runs (without it, in the store's own turn, as before issue 17). */
  queue?: BackgroundQueue;
  /** Hocuspocus's `debounce` and `maxDebounce` (ms): see the class comment. */
  spread?: { debounceMs: number; maxDebounceMs: number };
  /** Where a document is read for indexing (with a queue and `indexComputed` only). */
  offload?: Pick<Offload, 'index' | 'pipeline'> & Partial<Pick<Offload, 'departure'>>;
  /** The departures this extension indexes (default: those of `offload`, `departuresFor`). */
  departures?: Departures;
  /**
   * Where stored documents are read: with a queue, `position` and `staleIndexes`, the documents
   * whose index lags their stored text are indexed again at start-up ({@link IndexingExtension.catchUpStale}).
   */
  stored?: Pick<CollabStore, 'load'>;
}

/**
 * Mirrors each stored document into SQLite for the catalogue (metadata, sections and their hashes,
 * page estimate) and records who changed which sections and fields. What each person touched is
 * read from the transactions their connection applied; the catalogue row is written on the
 * debounced store, never on the keystroke path, and, with a `queue`, in a later turn of the event
 * loop, one document at a time (`backgroundQueue.ts`).
 *
 * Spread (issue 17): Hocuspocus stores a document edited without a pause every `maxDebounce`, so
 * hundreds of documents whose editing began in the same second are stored in the same second,
 * every 10 s. With `spread`, the store of a document still being edited (its last change is more
 * recent than `debounceMs`) waits a fixed share of `maxDebounceMs` proper to the document
 * ({@link phaseOf}) before it is indexed: the indexing of all those documents is spread over the
 * whole 10 s. A store after a pause in the typing, or when the last person leaves (the wait then
 * ends at once), is indexed without waiting.
 *
 * With an `offload` worker (and a queue), no indexing job is long on the event loop (issue 17):
 * the queue's `indexing` job only encodes the document's state, the worker reads it (sections,
 * hashes, stemmed text: `computeIndex`), and an `indexing:write` job writes the result in one go
 * (`IndexingService.indexComputed`). Indexings of one document never overlap.
 *
 * When the last person leaves, the departure (`departures.ts`, taken by `PersistenceExtension`)
 * asks this extension for its input in its own queued turn ({@link departing}) and the worker reads
 * the index from the same decoding as the compaction's proof: the store that follows is then not
 * indexed again, and the document is unloaded without waiting for its index.
 *
 * Every index is written with the update-log position its state was read at (`indexedSeq`,
 * `IndexingService.position`, read in the turn the state is encoded). A server stopped between a
 * document's last update and its indexing (a crash, a kill) leaves that document's log or state
 * past its index: at start-up ({@link catchUpStale}, from `onConfigure`) those documents are
 * indexed again from their stored text, one at a time through the queue and the worker.
 */
export class IndexingExtension implements Extension<CollabContext>, DepartureIndexer {
  extensionName = 'indexing';
  priority = 700;

  /** What each person changed since the document was last indexed, by document name. */
  private readonly changes = new Map<string, Map<string, EditorChanges>>();

  /** The end of each waiting store's pause, by document name. */
  private readonly pauses = new Map<string, () => void>();

  /** The indexing running for each document name (with a worker, it spans several turns). */
  private readonly running = new Map<string, Promise<void>>();

  private readonly queue: BackgroundQueue | undefined;
  private readonly spread: IndexingOptions['spread'];
  private readonly offload: IndexingOptions['offload'];
  private readonly stored: IndexingOptions['stored'];
  /** The Hocuspocus instance (from `onConfigure`): which documents are loaded. */
  private instance: Pick<Hocuspocus, 'documents'> | undefined;
  private stopped = false;

  constructor(
    private readonly documents: Pick<IndexingService, 'indexStored'> &
      Partial<Pick<IndexingService, 'indexComputed' | 'position' | 'staleIndexes'>>,
    private readonly logger: Logger,
    options: IndexingOptions = {},
  ) {
    ({ queue: this.queue, spread: this.spread, offload: this.offload, stored: this.stored } = options);
    const { queue, offload } = options;
    // Departures run with a queue and a worker that takes them only (PersistenceExtension), and
    // need indexComputed.
    const shared = options.departures ?? (queue && offload?.departure ? departuresFor(offload) : undefined);
    if (shared && documents.indexComputed) {
      shared.indexer = this;
      this.departures = true;
    }
  }

  /** Whether departures index leaving documents (registered as their indexer). */
  private readonly departures: boolean = false;

  /** {@link DepartureIndexer.pending}: whether what people changed in `documentName` is not indexed yet. */
  pending(documentName: string): boolean {
    return this.changes.has(documentName);
  }

  /**
   * The indexing of a departing document ({@link DepartureIndexer.departing}): takes what each
   * person changed, and returns the handle that writes the index the worker reads from the
   * departure's state, after any indexing of this document still running (it counts in
   * {@link heldEntries} until written). Null without a queue, or from an unload when nothing
   * changed since the last indexing. A failed indexing forgets the changes (the document is
   * leaving; the next store rebuilds the index from the whole document).
   */
  departing(documentName: string, document: Y.Doc, fromStore: boolean): DepartureIndexing | null {
    const id = parseDocumentName(documentName);
    const queue = this.queue;
    const indexComputed = this.documents.indexComputed?.bind(this.documents);
    if (!id || !queue || !indexComputed) return null;
    if (!fromStore && !this.changes.has(documentName)) return null;
    const changes = this.takeChanges(documentName);
    const seq = this.position();
    const previous = this.running.get(documentName);
    let done!: () => void;
    const mine = new Promise<void>((resolve) => (done = resolve));
    this.running.set(documentName, mine);
    let settled = false;
    const settle = (): boolean => {
      if (settled) return false;
      settled = true;
      done();
      if (this.running.get(documentName) === mine) this.running.delete(documentName);
      return true;
    };
    return {
      write: async (computed) => {
        if (settled) return;
        try {
          await previous?.catch(() => undefined);
          await queue.run('indexing:write', () => indexComputed(id, computed, changes, seq));
        } catch (error) {
          if (error instanceof QueueClosed)
            this.logger.warn({ err: error, documentName }, 'indexing skipped');
          else this.logger.error({ err: error, documentName }, 'indexing failed');
        } finally {
          settle();
        }
      },
      fail: (error) => {
        if (!settle()) return;
        if (error instanceof QueueClosed) this.logger.warn({ err: error, documentName }, 'indexing skipped');
        else this.logger.error({ err: error, documentName }, 'indexing failed');
      },
    };
  }

  /**
   * Documents with changes not indexed yet, a store waiting, or an indexing running (0 once every
   * document is unloaded).
   */
  heldEntries(): number {
    return this.changes.size + this.pauses.size + this.running.size;
  }

  async afterLoadDocument({
    documentName,
    document,
  }: afterLoadDocumentPayload<CollabContext>): Promise<void> {
    const fragment = document.getXmlFragment(FRAGMENT) as unknown as YType;
    const meta = document.getMap(META_MAP) as unknown as YType;
    document.on('afterTransaction', (transaction: Y.Transaction) => {
      const origin: unknown = transaction.origin;
      if (!isTransactionOrigin(origin) || origin.source !== 'connection') return;
      const userId = (origin.connection.context as CollabContext | undefined)?.userId;
      if (!userId || transaction.changed.size === 0) return;
      let byUser = this.changes.get(documentName);
      if (!byUser) this.changes.set(documentName, (byUser = new Map()));
      const entry = byUser.get(userId) ?? {
        userId,
        sectionIds: new Set(),
        fields: new Set(),
        structure: false,
      };
      // Most recent editor last: it becomes the document's « last changed by ».
      byUser.delete(userId);
      byUser.set(userId, entry);
      for (const [type, keys] of transaction.changed) {
        if (type === meta) {
          for (const key of keys) if (key) entry.fields.add(key);
        } else if (type === fragment) {
          entry.structure = true;
        } else {
          const id = sectionIdOf(type, fragment);
          if (id) entry.sectionIds.add(id);
          else entry.structure = true;
        }
      }
    });
  }

  async onStoreDocument({ documentName, document }: onStoreDocumentPayload<CollabContext>): Promise<void> {
    const id = parseDocumentName(documentName);
    if (!id) return;
    // Nobody is connected: the departure indexes this document (it took the changes already, or
    // the unload's departure takes them), with its compaction, from one decoding.
    if (this.departures && document.getConnectionsCount() === 0) return;
    if (!this.queue) return this.index(id, documentName, document);
    const { spread } = this;
    if (
      spread &&
      !this.pauses.has(documentName) &&
      document.getConnectionsCount() > 0 &&
      Date.now() - document.lastChangeTime < spread.debounceMs
    ) {
      await this.pause(documentName, phaseOf(documentName) * spread.maxDebounceMs);
      // The last person left during the pause: the departure that unloads the document indexes it
      // with its compaction, from one decoding (PersistenceExtension.beforeUnloadDocument). An
      // indexing here would wait for a place behind every departure and hold the document loaded.
      if (this.departures && document.getConnectionsCount() === 0) return;
    }
    try {
      await this.serially(documentName, () => this.indexQueued(id, documentName, document));
    } catch (error) {
      // Only a closed queue (the server stopping) rejects: the next start indexes at the first store.
      this.logger.warn({ err: error, documentName }, 'indexing skipped');
    }
  }

  /**
   * Runs `work` after any indexing of `documentName` still running, as the one running (in
   * {@link running} until it settles, so the next waits for it). Rejects as `work` does.
   */
  private async serially(documentName: string, work: () => Promise<void>): Promise<void> {
    const previous = this.running.get(documentName);
    const mine = (previous ? previous.catch(() => undefined) : Promise.resolve()).then(work);
    this.running.set(documentName, mine);
    try {
      await mine;
    } finally {
      if (this.running.get(documentName) === mine) this.running.delete(documentName);
    }
  }

  /** One indexing through the queue, its reading in the worker when there is one. */
  private async indexQueued(id: string, documentName: string, document: Y.Doc): Promise<void> {
    const queue = this.queue;
    const indexComputed = this.documents.indexComputed?.bind(this.documents);
    if (!queue) return;
    const offload = this.offload;
    if (!offload || !indexComputed) {
      return queue.run('indexing', () => this.index(id, documentName, document));
    }
    return offload.pipeline(() =>
      this.indexOffloaded(id, documentName, document, queue, offload, indexComputed),
    );
  }

  /** {@link indexQueued} with a worker, in its pipeline place: encode, read in the worker, write. */
  private async indexOffloaded(
    id: string,
    documentName: string,
    document: Y.Doc,
    queue: BackgroundQueue,
    offload: Pick<Offload, 'index'>,
    indexComputed: IndexComputed,
  ): Promise<void> {
    const { state, changes, seq } = await queue.run('indexing', () => ({
      state: Y.encodeStateAsUpdate(document),
      changes: this.takeChanges(documentName),
      seq: this.position(),
    }));
    let computed: ComputedIndex;
    try {
      computed = await offload.index(state).catch(async (error: unknown) => {
        if (!(error instanceof OffloadUnavailable)) throw error;
        // No worker (it failed, or the server is stopping): read the document here, as without one.
        return queue.run('indexing', () => computeIndex(document));
      });
    } catch (error) {
      this.failed(documentName, changes, error);
      return;
    }
    await queue.run('indexing:write', () => {
      try {
        indexComputed(id, computed, changes, seq);
      } catch (error) {
        this.failed(documentName, changes, error);
      }
    });
  }

  /** The update log's position now (0 when the service cannot say). */
  private position(): number {
    return this.documents.position?.() ?? 0;
  }

  /**
   * Indexes again, from their stored text, the documents whose index lags it
   * (`IndexingService.staleIndexes`: the server stopped before indexing their last updates), one
   * at a time through the queue (the reading in the worker when there is one), in pages of 20
   * ids. A document loaded meanwhile is indexed from its live copy instead; a reading older than
   * an index written meanwhile is not written (`IndexingService`). Resolves with the number of
   * documents indexed; never rejects (a failure is logged, the next start tries again). Does
   * nothing without a queue, a store and the service's `position` and `staleIndexes`.
   */
  async catchUpStale(): Promise<number> {
    const { queue, stored } = this;
    const staleIndexes = this.documents.staleIndexes?.bind(this.documents);
    const indexComputed = this.documents.indexComputed?.bind(this.documents);
    if (!queue || !stored || !staleIndexes || !indexComputed || !this.documents.position) return 0;
    const started = performance.now();
    let indexed = 0;
    let after = '';
    try {
      for (;;) {
        const ids = await queue.run('indexing', () => staleIndexes(20, after));
        if (ids.length === 0 || this.stopped) break;
        for (const id of ids) {
          after = id;
          if (this.stopped) break;
          await this.indexStale(id, queue, stored, indexComputed);
          indexed++;
        }
      }
    } catch (error) {
      if (error instanceof QueueClosed) this.logger.warn({ err: error }, 'stale indexes: catch-up stopped');
      else this.logger.error({ err: error }, 'stale indexes: catch-up failed');
    }
    if (indexed > 0)
      this.logger.info(
        { documents: indexed, ms: Math.round(performance.now() - started) },
        'stale indexes caught up',
      );
    return indexed;
  }

  /** One document of {@link catchUpStale}, after any indexing of it still running. */
  private async indexStale(
    id: string,
    queue: BackgroundQueue,
    stored: Pick<CollabStore, 'load'>,
    indexComputed: IndexComputed,
  ): Promise<void> {
    const name = documentNameOf(id);
    const work = async (): Promise<void> => {
      const live = this.instance?.documents.get(name);
      if (live) return this.indexQueued(id, name, live);
      // The position first: what the load reads is at least as new as it says.
      const { seq, document } = await queue.run('indexing', () => ({
        seq: this.position(),
        document: stored.load(id),
      }));
      const computed = this.offload
        ? await this.offload.index(document).catch((error: unknown) => {
            if (error instanceof OffloadUnavailable) return null;
            throw error;
          })
        : null;
      await queue.run('indexing:write', () => {
        if (computed) return indexComputed(id, computed, [], seq);
        const copy = new Y.Doc();
        try {
          applyStored(copy, document);
          indexComputed(id, computeIndex(copy), [], seq);
        } finally {
          copy.destroy();
        }
      });
    };
    try {
      await this.serially(name, work);
    } catch (error) {
      if (error instanceof QueueClosed) throw error;
      this.logger.error({ err: error, documentName: name }, 'stale index: indexing failed');
    }
  }

  /** Keeps the instance (which documents are loaded) and starts {@link catchUpStale} in a later turn. */
  async onConfigure({ instance }: onConfigurePayload): Promise<void> {
    this.instance = instance;
    if (!this.queue || !this.stored) return;
    setImmediate(() => void this.catchUpStale());
  }

  /** What each person changed since the last indexing, forgotten here (given back by {@link failed}). */
  private takeChanges(documentName: string): EditorChanges[] {
    const changes = [...(this.changes.get(documentName)?.values() ?? [])];
    this.changes.delete(documentName);
    return changes;
  }

  /**
   * An indexing failed: the index is derived data, the next store rebuilds it (the text itself is
   * already durable); what each person changed is kept for it.
   */
  private failed(documentName: string, changes: readonly EditorChanges[], error: unknown): void {
    this.logger.error({ err: error, documentName }, 'indexing failed');
    const byUser = this.changes.get(documentName) ?? new Map<string, EditorChanges>();
    for (const c of changes) if (!byUser.has(c.userId)) byUser.set(c.userId, c);
    this.changes.set(documentName, byUser);
  }

  private index(id: string, documentName: string, document: Y.Doc): void {
    const changes = this.takeChanges(documentName);
    try {
      this.documents.indexStored(id, document, changes);
    } catch (error) {
      this.failed(documentName, changes, error);
    }
  }

  /** The last person left: a store waiting for its turn is indexed now, so the document can unload. */
  async onDisconnect({ documentName, clientsCount }: onDisconnectPayload<CollabContext>): Promise<void> {
    if (clientsCount === 0) this.pauses.get(documentName)?.();
  }

  async afterUnloadDocument({ documentName }: afterUnloadDocumentPayload): Promise<void> {
    this.changes.delete(documentName);
  }

  async onDestroy(): Promise<void> {
    this.stopped = true;
    for (const end of [...this.pauses.values()]) end();
  }

  /** Resolves after `ms`, or sooner when the pause of `documentName` is ended. */
  private pause(documentName: string, ms: number): Promise<void> {
    return new Promise((resolve) => {
      const end = (): void => {
        clearTimeout(timer);
        this.pauses.delete(documentName);
        resolve();
      };
      const timer = setTimeout(end, ms);
      this.pauses.set(documentName, end);
    });
  }
}
