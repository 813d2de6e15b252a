import {
  isTransactionOrigin,
  type afterLoadDocumentPayload,
  type afterUnloadDocumentPayload,
  type Extension,
  type onStoreDocumentPayload,
} from '@hocuspocus/server';
import { FRAGMENT, META_MAP, parseDocumentName } from '@essaim/protocol';
import * as Y from 'yjs';
import type { Logger } from '../logger.js';
import type { EditorChanges, IndexingService } from '../services/indexingService.js';
import type { CollabContext } from './context.js';

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

/**
 * Mirrors each stored document into SQLite for the catalogue (metadata, sections and their hashes,
 * page estimate) and records who changed which sections and fields. What each person touched is
 * read from the transactions their connection applied; the catalogue row is written on the
 * debounced store, never on the keystroke path.
 */
export class IndexingExtension implements Extension<CollabContext> {
  extensionName = 'indexing';
  priority = 700;

  /** What each person changed since the document was last indexed, by document name. */
  private readonly changes = new Map<string, Map<string, EditorChanges>>();

  constructor(
    private readonly documents: Pick<IndexingService, 'indexStored'>,
    private readonly logger: Logger,
  ) {}

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
    const changes = [...(this.changes.get(documentName)?.values() ?? [])];
    this.changes.delete(documentName);
    try {
      this.documents.indexStored(id, document, changes);
    } catch (error) {
      // The index is derived data: the next store rebuilds it. The text itself is already durable.
      this.logger.error({ err: error, documentName }, 'indexing failed');
      const byUser = this.changes.get(documentName) ?? new Map<string, EditorChanges>();
      for (const c of changes) if (!byUser.has(c.userId)) byUser.set(c.userId, c);
      this.changes.set(documentName, byUser);
    }
  }

  async afterUnloadDocument({ documentName }: afterUnloadDocumentPayload): Promise<void> {
    this.changes.delete(documentName);
  }
}
