import type { afterLoadDocumentPayload, Extension, onChangePayload } from '@hocuspocus/server';
import { ensureUniqueSectionIds, SECTION_ID_FIX_ORIGIN } from '@essaim/editor';
import type { CollabContext } from './context.js';

/**
 * Keeps section ids unique whatever people do (paste a section, split one, undo next to a copy,
 * two people doing it at once). Reviews and comments will point to these ids, so the server fixes
 * duplicates itself rather than trusting each editor to. The fix is deterministic
 * (packages/editor `sectionIdFixes`): every replica would compute the same ids, so a client
 * running it offline converges with the server.
 */
export class SectionIdsExtension implements Extension<CollabContext> {
  extensionName = 'section-ids';
  // After persistence loaded the document, before indexing reads it.
  priority = 800;

  async afterLoadDocument({ document }: afterLoadDocumentPayload<CollabContext>): Promise<void> {
    ensureUniqueSectionIds(document);
  }

  async onChange({ document, transactionOrigin }: onChangePayload<CollabContext>): Promise<void> {
    if (transactionOrigin === SECTION_ID_FIX_ORIGIN) return;
    // The fix is a change like any other: logged, broadcast, made durable before it is sent.
    ensureUniqueSectionIds(document);
  }
}
