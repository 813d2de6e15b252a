import type {
  Extension,
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
}

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
 * `durableUpdates.ts`), and the log is folded into the compacted state on the debounced store and
 * when the last client leaves.
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

  constructor(private readonly options: PersistenceOptions) {}

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
    if (stored.updates.length > (this.options.compactOnLoadThreshold ?? 500)) {
      this.compact(id, document);
    }
  }

  async onChange(payload: onChangePayload<CollabContext>): Promise<void> {
    // Queued here, committed before any frame leaves the process (the order: durableUpdates.ts).
    this.options.durable.record(payload);
  }

  async onStoreDocument({ documentName, document }: onStoreDocumentPayload<CollabContext>): Promise<void> {
    const id = idOf(documentName);
    try {
      this.compact(id, document);
      this.clearRetry(documentName);
    } catch (error) {
      // Nothing is lost (the log holds every update) but the log keeps growing: retry, and let
      // Hocuspocus see the failure so it keeps the document in memory.
      this.options.logger.error({ err: error, documentName }, 'compaction failed, will retry');
      this.scheduleRetry(documentName, document);
      throw error;
    }
  }

  async onDestroy(): Promise<void> {
    for (const timer of this.retries.values()) clearTimeout(timer);
    this.retries.clear();
  }

  private compact(id: string, document: Y.Doc): void {
    const upToSeq = this.options.store.lastSeq();
    const state = Y.encodeStateAsUpdate(document);
    proveState(state, document);
    this.options.store.compact(id, state, upToSeq);
  }

  private scheduleRetry(documentName: string, document: Y.Doc, attempt = 1): void {
    this.clearRetry(documentName);
    const delay = Math.min((this.options.retryDelayMs ?? 500) * 2 ** (attempt - 1), 30_000);
    const timer = setTimeout(() => {
      try {
        this.compact(idOf(documentName), document);
        this.retries.delete(documentName);
        this.options.logger.info({ documentName, attempt }, 'compaction succeeded after retry');
      } catch (error) {
        this.options.logger.error({ err: error, documentName, attempt }, 'compaction retry failed');
        this.scheduleRetry(documentName, document, attempt + 1);
      }
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
