import type {
  afterUnloadDocumentPayload,
  Extension,
  onChangePayload,
  onStoreDocumentPayload,
} from '@hocuspocus/server';
import { parseDocumentName } from '@essaim/protocol';
import type { Logger } from '../logger.js';
import type { DocumentService } from '../services/documentService.js';
import type { CollabContext } from './context.js';

/**
 * Mirrors each stored document into SQLite for the catalogue (metadata, sections and their hashes,
 * page estimate) and records who changed which sections. Runs on the debounced store, never on
 * the keystroke path.
 */
export class IndexingExtension implements Extension<CollabContext> {
  extensionName = 'indexing';
  priority = 700;

  /** People whose updates arrived since the document was last indexed, by document name. */
  private readonly editors = new Map<string, Set<string>>();

  constructor(
    private readonly documents: Pick<DocumentService, 'indexStored'>,
    private readonly logger: Logger,
  ) {}

  async onChange({ documentName, context }: onChangePayload<CollabContext>): Promise<void> {
    const userId = context?.userId;
    if (!userId) return;
    let set = this.editors.get(documentName);
    if (!set) this.editors.set(documentName, (set = new Set()));
    // Most recent editor last: it becomes the document's « last changed by ».
    set.delete(userId);
    set.add(userId);
  }

  async onStoreDocument({ documentName, document }: onStoreDocumentPayload<CollabContext>): Promise<void> {
    const id = parseDocumentName(documentName);
    if (!id) return;
    const editors = [...(this.editors.get(documentName) ?? [])];
    this.editors.delete(documentName);
    try {
      this.documents.indexStored(id, document, editors);
    } catch (error) {
      // The index is derived data: the next store rebuilds it. The text itself is already durable.
      this.logger.error({ err: error, documentName }, 'indexing failed');
      const set = this.editors.get(documentName) ?? new Set<string>();
      for (const e of editors) set.add(e);
      this.editors.set(documentName, set);
    }
  }

  async afterUnloadDocument({ documentName }: afterUnloadDocumentPayload): Promise<void> {
    this.editors.delete(documentName);
  }
}
