import {
  CATALOGUE_PAGE_SIZE_MAX,
  type CreateDocumentInput,
  type DocumentDto,
  type DocumentListDto,
} from '@essaim/protocol';
import { apiFetch } from '../../shared/api.js';

const documentPath = (id: string) => `/documents/${encodeURIComponent(id)}`;

/**
 * Every document of a catalogue query (`GET /api/documents`: `espaceId`, filters, `sort`,
 * `order`), for the pages that need them all (the editor's links, « Personnes », the review
 * dashboard's « Document » filter). The server answers by pages (issue 17): they are asked one
 * after the other, {@link CATALOGUE_PAGE_SIZE_MAX} at a time (one request for an espace of up to
 * 200 documents), never in parallel, so the server serves other people between two pages. A
 * document seen on an earlier page is not listed twice; sort by title (the default here) so that
 * an edit made meanwhile does not move documents between pages. Aborting `signal` stops between
 * two pages. Rejects with the first page's `ApiError`.
 */
export async function listAllDocuments(
  query: Record<string, string>,
  signal?: AbortSignal,
): Promise<DocumentDto[]> {
  const byId = new Map<string, DocumentDto>();
  let offset = 0;
  for (;;) {
    const params = new URLSearchParams({ sort: 'title', order: 'asc', ...query });
    params.set('limit', String(CATALOGUE_PAGE_SIZE_MAX));
    if (offset > 0) params.set('offset', String(offset));
    const page = await apiFetch<DocumentListDto>(`/documents?${params.toString()}`, { signal });
    for (const doc of page.documents) if (!byId.has(doc.id)) byId.set(doc.id, doc);
    // A next offset that does not move forward would ask the same page again: stop.
    if (page.nextOffset === null || page.nextOffset <= offset) return [...byId.values()];
    signal?.throwIfAborted();
    offset = page.nextOffset;
  }
}

/** The current documents of one espace the person may read, all of them, by title. */
export function listDocuments(espaceId: string, signal?: AbortSignal): Promise<DocumentDto[]> {
  return listAllDocuments({ espaceId }, signal);
}

export function getDocument(id: string, signal?: AbortSignal): Promise<DocumentDto> {
  return apiFetch<DocumentDto>(documentPath(id), { signal });
}

export function createDocument(input: CreateDocumentInput): Promise<DocumentDto> {
  return apiFetch<DocumentDto>('/documents', { method: 'POST', json: input });
}

/** Gives a rapporteur (or animateur) of the espace the right to write this document. */
export function assignDocument(documentId: string, userId: string): Promise<DocumentDto> {
  return apiFetch<DocumentDto>(`${documentPath(documentId)}/assignments`, {
    method: 'POST',
    json: { userId },
  });
}

export function unassignDocument(documentId: string, userId: string): Promise<DocumentDto> {
  return apiFetch<DocumentDto>(`${documentPath(documentId)}/assignments/${encodeURIComponent(userId)}`, {
    method: 'DELETE',
  });
}

/** Takes a document out of the catalogue, read-only (the animateur). Nothing is deleted. */
export function archiveDocument(id: string): Promise<DocumentDto> {
  return apiFetch<DocumentDto>(`${documentPath(id)}/archive`, { method: 'POST' });
}

/** Brings an archived document back into the catalogue. */
export function restoreDocument(id: string): Promise<DocumentDto> {
  return apiFetch<DocumentDto>(`${documentPath(id)}/restore`, { method: 'POST' });
}
