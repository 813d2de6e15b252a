import type { Target } from '@essaim/domain';
import type { DocumentRecord, DocumentRepository } from '../storage/documentRepository.js';

/** What `can()` judges for a document. */
export type DocumentTarget = Extract<Target, { type: 'document' }>;

/**
 * What `can()` needs to judge access to a stored document, archived or not (`archived` says which),
 * or null when there is no such document. A document from before espaces existed belongs to no
 * espace (`espaceId` ''): only administrators see it. Two repository reads: the row, its assignees.
 */
export function storedDocumentTarget(
  documents: DocumentRepository,
  documentId: string,
): DocumentTarget | null {
  const record = documents.findById(documentId);
  return record ? targetOfRecord(documents, record) : null;
}

/** {@link storedDocumentTarget} of a document row already read (one repository read: its assignees). */
export function targetOfRecord(documents: DocumentRepository, record: DocumentRecord): DocumentTarget {
  return {
    type: 'document',
    espaceId: record.espaceId ?? '',
    documentId: record.id,
    assignees: documents.assignees(record.id).map((a) => a.userId),
    archived: record.archivedAt !== null,
  };
}
