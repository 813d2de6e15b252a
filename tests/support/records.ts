import { emptyMetadata } from '@essaim/protocol';
import type { DocumentRecord } from '../../server/src/storage/documentRepository.js';

/**
 * The row of an empty fiche `id` titled « Fiche », outside any espace, as
 * `DocumentRepository.insert` takes it: for storage tests that need a document to hang states,
 * log rows and indexes on.
 */
export function emptyFicheRecord(
  id: string,
): Omit<DocumentRecord, 'archivedAt' | 'lastEditorId' | 'lastEditorName' | 'indexedSeq'> {
  const at = new Date().toISOString();
  return {
    id,
    espaceId: null,
    kind: 'fiche',
    title: 'Fiche',
    createdAt: at,
    updatedAt: at,
    metadata: emptyMetadata('Fiche'),
    sections: [],
    pages: 0,
  };
}
