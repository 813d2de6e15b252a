import {
  ARCHIVED_READ_ONLY_MESSAGE,
  can,
  conflict,
  forbidden,
  notFound,
  refusedBecauseArchived,
  type Actor,
  type DocumentAction,
  type Target,
} from '@essaim/domain';
import type { AssigneeRecord, DocumentRecord, DocumentRepository } from '../storage/documentRepository.js';

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
  return targetWithAssignees(record, documents.assignees(record.id));
}

/** {@link storedDocumentTarget} of a document row and its assignees already read (no read). */
export function targetWithAssignees(
  record: Pick<DocumentRecord, 'id' | 'espaceId' | 'archivedAt'>,
  assignees: readonly AssigneeRecord[],
): DocumentTarget {
  return {
    type: 'document',
    espaceId: record.espaceId ?? '',
    documentId: record.id,
    assignees: assignees.map((a) => a.userId),
    archived: record.archivedAt !== null,
  };
}

/**
 * The one gate of every change to a document through the API (a named version, a version
 * restored, an image, an assignment, a publication): `conflict` (409,
 * `ARCHIVED_READ_ONLY_MESSAGE`) when the actor could make it but the document is archived,
 * `forbidden` (403, `message`) when the actor may not make it at all. The review's steps follow
 * the same rule in packages/domain (`reviewTransition`).
 */
export function assertMayChange(
  actor: Actor,
  action: DocumentAction,
  target: DocumentTarget,
  message: string,
): void {
  if (refusedBecauseArchived(actor, action, target)) throw conflict(ARCHIVED_READ_ONLY_MESSAGE);
  if (!can(actor, action, target)) throw forbidden(message);
}

/**
 * A stored document the actor may read, with its `can()` target, for the use cases on documents.
 * `archived: true` lets an archived document through (it reads read-only, to be restored).
 * @throws DomainError `not_found` when there is no such document (or it is archived and not
 *   asked for, or the actor is no user: outsiders learn nothing about a document's existence);
 *   `forbidden` when a user may not read it.
 */
export function readableDocument(
  documents: DocumentRepository,
  actor: Actor,
  documentId: string,
  options: { archived?: boolean } = {},
): { record: DocumentRecord; target: DocumentTarget } {
  const { record, target } = existingDocument(documents, documentId, options);
  if (!can(actor, 'document.read', target)) {
    throw actor.kind === 'user'
      ? forbidden('Vous n’avez pas accès à ce document.')
      : notFound('Ce document n’existe pas.');
  }
  return { record, target };
}

/**
 * A stored document and its `can()` target, before any access check (for use cases whose refusal
 * message depends on the action).
 * @throws DomainError `not_found` when there is none, or it is archived and `archived` is not set.
 */
export function existingDocument(
  documents: DocumentRepository,
  documentId: string,
  options: { archived?: boolean } = {},
): { record: DocumentRecord; target: DocumentTarget } {
  const record = documents.findById(documentId);
  if (!record || (record.archivedAt && !options.archived)) throw notFound('Ce document n’existe pas.');
  return { record, target: targetOfRecord(documents, record) };
}
