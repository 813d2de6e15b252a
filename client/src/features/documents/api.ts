import type { CreateDocumentInput, DocumentDto, DocumentListDto } from '@essaim/protocol';
import { apiFetch } from '../../shared/api.js';

const documentPath = (id: string) => `/documents/${encodeURIComponent(id)}`;

/** The documents of one espace the person may read. */
export function listDocuments(espaceId: string, signal?: AbortSignal): Promise<DocumentDto[]> {
  return apiFetch<DocumentListDto>(`/documents?espaceId=${encodeURIComponent(espaceId)}`, { signal }).then(
    (body) => body.documents,
  );
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
