import type { UploadDto } from '@essaim/protocol';
import { apiFetch } from '../../shared/api.js';

/** The image types the server accepts for uploads. */
export const IMAGE_TYPES = ['image/png', 'image/jpeg', 'image/gif', 'image/webp'] as const;

export const isAcceptedImage = (file: { type: string }): boolean =>
  (IMAGE_TYPES as readonly string[]).includes(file.type);

/**
 * Sends an image into a document (raw bytes, its type in `Content-Type`). The server answers with
 * the address to show it at; a refusal (type, size) comes back as an `ApiError` whose message is
 * the server's French sentence.
 */
export function uploadImage(documentId: string, file: File): Promise<UploadDto> {
  return apiFetch<UploadDto>(`/documents/${encodeURIComponent(documentId)}/files`, {
    method: 'POST',
    body: file,
    headers: { 'content-type': file.type },
  });
}
