import { isTransactionOrigin, type afterLoadDocumentPayload, type Extension } from '@hocuspocus/server';
import { templates } from '@essaim/domain';
import { guardRequiredSections } from '@essaim/editor';
import { parseDocumentName } from '@essaim/protocol';
import type { DocumentService } from '../services/documentService.js';
import type { CollabContext } from './context.js';

/**
 * The sections a template requires stay in the document. Editors refuse to delete them; should a
 * client send such a deletion anyway, the server puts the section back at once (same id and key,
 * with the content it had, and keystrokes still arriving for it forwarded into it: packages/editor
 * `guardRequiredSections`), as a change every client receives. Only people's changes are guarded
 * (a connection's, including moves and late edits the server re-applies on a person's behalf):
 * the document's own loading and the server's other changes are not.
 */
export class RequiredSectionsExtension implements Extension<CollabContext> {
  extensionName = 'required-sections';
  priority = 790;

  constructor(private readonly documents: Pick<DocumentService, 'kindOf'>) {}

  async afterLoadDocument({
    documentName,
    document,
  }: afterLoadDocumentPayload<CollabContext>): Promise<void> {
    const id = parseDocumentName(documentName);
    const kind = id ? this.documents.kindOf(id) : undefined;
    if (!kind) return;
    const required = templates[kind].sections
      .filter((s) => s.required)
      .map(({ key, title }) => ({ key, title }));
    // The guard lives as long as the document: Hocuspocus destroys both on unload.
    guardRequiredSections(
      document,
      required,
      (transaction) => isTransactionOrigin(transaction.origin) && transaction.origin.source === 'connection',
    );
  }
}
