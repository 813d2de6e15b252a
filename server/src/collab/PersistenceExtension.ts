import type {
  Extension,
  onChangePayload,
  onLoadDocumentPayload,
  onStoreDocumentPayload,
} from '@hocuspocus/server';
import { isTransactionOrigin } from '@hocuspocus/server';
import { parseDocumentName } from '@essaim/protocol';
import * as Y from 'yjs';
import type { Logger } from '../logger.js';
import { applyStored, type CollabStore } from '../storage/collabStore.js';
import type { CollabContext } from './context.js';

export interface PersistenceOptions {
  store: CollabStore;
  logger: Logger;
  /** Log rows beyond which a document is compacted as soon as it is loaded. */
  compactOnLoadThreshold?: number;
  /** First delay before retrying a failed compaction; doubles up to 30 s. */
  retryDelayMs?: number;
}

const idOf = (documentName: string): string => {
  const id = parseDocumentName(documentName);
  if (!id) throw new Error(`Nom de document inattendu : ${documentName}`);
  return id;
};

/**
 * Durability of collaborative documents: every accepted update is appended to the log (`onChange`,
 * committed before any acknowledgement or broadcast leaves), and the log is folded into the
 * compacted state on the debounced store and when the last client leaves.
 */
export class PersistenceExtension implements Extension<CollabContext> {
  extensionName = 'persistence';
  priority = 900;

  private readonly retries = new Map<string, NodeJS.Timeout>();

  constructor(private readonly options: PersistenceOptions) {}

  async onLoadDocument({ documentName, document }: onLoadDocumentPayload<CollabContext>): Promise<void> {
    const id = idOf(documentName);
    const stored = this.options.store.load(id);
    applyStored(document, stored);
    if (stored.updates.length > (this.options.compactOnLoadThreshold ?? 500)) {
      this.compact(id, document);
    }
  }

  async onChange({ documentName, update, transactionOrigin }: onChangePayload<CollabContext>): Promise<void> {
    // Updates relayed from another instance were logged by the instance that accepted them.
    if (isTransactionOrigin(transactionOrigin) && transactionOrigin.source === 'redis') return;
    // Queued here, committed before any frame leaves the process (see transport.ts).
    this.options.store.append(idOf(documentName), update);
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
    this.options.store.compact(id, Y.encodeStateAsUpdate(document), upToSeq);
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
