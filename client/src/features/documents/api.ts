import type { CreateDocumentInput, DocumentDto, DocumentListDto } from '@essaim/protocol';
import { apiFetch } from '../../shared/api.js';

export function listDocuments(signal?: AbortSignal): Promise<DocumentDto[]> {
  return apiFetch<DocumentListDto>('/documents', { signal }).then((body) => body.documents);
}

export function getDocument(id: string, signal?: AbortSignal): Promise<DocumentDto> {
  return apiFetch<DocumentDto>(`/documents/${encodeURIComponent(id)}`, { signal });
}

export function createDocument(input: CreateDocumentInput): Promise<DocumentDto> {
  return apiFetch<DocumentDto>('/documents', { method: 'POST', json: input });
}
