import type { afterLoadDocumentPayload, Extension } from '@hocuspocus/server';
import { fillEmptyTextblocks } from '@essaim/editor';
import { FRAGMENT } from '@essaim/protocol';
import type { CollabContext } from './context.js';

/** Transaction origin of the fill, so observers can tell it from people's edits. */
export const EMPTY_TEXTBLOCKS_ORIGIN = 'essaim:empty-textblocks';

/**
 * Documents stored before the y-tiptap patch (patches/, issue 8) hold empty paragraphs with no
 * Y.XmlText; two people starting to type in one at the same moment would each create one, and
 * their first characters double. When such a document is loaded, each empty textblock gets an
 * empty Y.XmlText, before anyone syncs, as one logged and durable change. Documents written since
 * have none to fix, and cost one walk of the fragment at load.
 */
export class EmptyTextblocksExtension implements Extension<CollabContext> {
  extensionName = 'empty-textblocks';
  // After persistence loaded the document.
  priority = 810;

  async afterLoadDocument({ document }: afterLoadDocumentPayload<CollabContext>): Promise<void> {
    fillEmptyTextblocks(document.getXmlFragment(FRAGMENT), EMPTY_TEXTBLOCKS_ORIGIN);
  }
}
