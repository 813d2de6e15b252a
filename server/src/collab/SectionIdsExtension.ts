import { isTransactionOrigin, type afterLoadDocumentPayload, type Extension } from '@hocuspocus/server';
import { ensureUniqueSectionIds, watchSectionIds } from '@essaim/editor';
import type { CollabContext } from './context.js';

/**
 * Keeps section ids unique whatever people do (paste a section, split one, undo next to a copy,
 * two people doing it at once). Reviews and comments will point to these ids, so the server fixes
 * duplicates itself rather than trusting each editor to. The section that held an id first keeps
 * it, whatever the document order (a copy pasted above its original gets the new id): the server
 * knows which sections held their ids before the transaction that made the duplicate. New ids
 * derive from the Yjs item (packages/editor `sectionIdFixes`), so the same fix written twice is
 * the same value. A fix is a change like any other: logged, broadcast, and durable before it is
 * sent. A section keeps its id for life: an id a client connection changes or removes on an
 * existing section is given back on the same element (its review and approval point to it).
 */
export class SectionIdsExtension implements Extension<CollabContext> {
  extensionName = 'section-ids';
  // After persistence loaded the document, before indexing reads it.
  priority = 800;

  async afterLoadDocument({ document }: afterLoadDocumentPayload<CollabContext>): Promise<void> {
    ensureUniqueSectionIds(document);
    // The watcher lives as long as the document: Hocuspocus destroys both on unload.
    watchSectionIds(document, ({ origin }) => isTransactionOrigin(origin) && origin.source === 'connection');
  }
}
