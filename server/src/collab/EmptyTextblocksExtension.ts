import { isTransactionOrigin, type afterLoadDocumentPayload, type Extension } from '@hocuspocus/server';
import { fillEmptyTextblocks } from '@essaim/editor';
import { FRAGMENT } from '@essaim/protocol';
import * as Y from 'yjs';
import type { CollabContext } from './context.js';

/** Transaction origin of these repairs, so observers can tell them from people's edits. */
export const EMPTY_TEXTBLOCKS_ORIGIN = 'essaim:empty-textblocks';

/** A live section of the fragment with no block after its title. */
function isSectionWithoutBlock(type: unknown, fragment: Y.XmlFragment): type is Y.XmlElement {
  if (!(type instanceof Y.XmlElement) || type.nodeName !== 'section' || type.parent !== fragment)
    return false;
  if (type._item?.deleted) return false;
  return !type.toArray().some((c) => c instanceof Y.XmlElement && c.nodeName !== 'sectionTitle');
}

/**
 * Keeps places to write in the document's sections and paragraphs:
 *
 * - Documents stored before the y-tiptap patch (patches/, issue 8) hold empty paragraphs with no
 *   Y.XmlText; two people starting to type in one at the same moment would each create one, and
 *   their first characters double. When such a document is loaded, each empty textblock gets an
 *   empty Y.XmlText, before anyone syncs.
 * - Two people deleting one block each of a two-block section at the same moment leave it with
 *   only its title (each deletion was valid alone). Right after such a transaction the server
 *   gives the section an empty paragraph, so it stays a section one can write in.
 *
 * Each repair is one logged, broadcast and durable change. Keystrokes cost a look at the
 * transaction's deletions only.
 */
export class EmptyTextblocksExtension implements Extension<CollabContext> {
  extensionName = 'empty-textblocks';
  // After persistence loaded the document.
  priority = 810;

  async afterLoadDocument({ document }: afterLoadDocumentPayload<CollabContext>): Promise<void> {
    const fragment = document.getXmlFragment(FRAGMENT);
    fillEmptyTextblocks(fragment, EMPTY_TEXTBLOCKS_ORIGIN);
    // Lives as long as the document: Hocuspocus destroys both on unload.
    document.on('afterTransaction', (transaction: Y.Transaction) => {
      if (transaction.deleteSet.clients.size === 0) return;
      if (!isTransactionOrigin(transaction.origin) || transaction.origin.source !== 'connection') return;
      const emptied = [...transaction.changed.keys()].filter((type) => isSectionWithoutBlock(type, fragment));
      if (emptied.length === 0) return;
      document.transact(() => {
        for (const section of emptied) {
          const paragraph = new Y.XmlElement('paragraph');
          paragraph.insert(0, [new Y.XmlText()]);
          section.insert(section.length, [paragraph]);
        }
      }, EMPTY_TEXTBLOCKS_ORIGIN);
    });
  }
}
