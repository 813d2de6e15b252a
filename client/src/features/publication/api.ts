import type {
  ApiErrorDto,
  PublicationDto,
  PublicationListDto,
  ReuseSignalDto,
  ReuseSignalListDto,
  ReuseSignalStatus,
} from '@essaim/protocol';
import { ApiError, apiFetch, networkError } from '../../shared/api.js';
import { fileNameOf, type ExportFormat } from './formats.js';

/**
 * Calls of the publication, download and reuse-signal routes (issues 13 and 14; contract in the
 * README, shapes in `packages/protocol/src/publications.ts` and `signals.ts`). Every failure is an
 * `ApiError` whose message is the server's French sentence, to be shown as it is.
 */

const documentPath = (documentId: string) => `/documents/${encodeURIComponent(documentId)}`;

/** `GET /api/documents/:id/publications`: every publication of the document, newest first, hidden ones included. */
export function listPublications(documentId: string, signal?: AbortSignal): Promise<PublicationDto[]> {
  return apiFetch<PublicationListDto>(`${documentPath(documentId)}/publications`, { signal }).then(
    (body) => body.publications,
  );
}

/**
 * The public address of publication `publication` as a file: `/pratiques/<slug>/v/<N>/export.<ext>`
 * (anyone may follow it while the publication is visible; 404 once unpublished).
 */
export const publicationExportUrl = (
  publication: Pick<PublicationDto, 'url'>,
  format: ExportFormat,
): string => `${publication.url}/export.${format}`;

/** A downloaded file: its bytes and the name the server gave it. */
export interface DownloadedFile {
  blob: Blob;
  fileName: string;
}

/**
 * `GET /api/documents/:id/export?format=` (the draft, marked « Document de travail — non publié »
 * on each page, for whoever reads the document): the file, or an `ApiError` with the server's
 * French reason. Read whole before it is saved, so a refusal is shown in the page instead of being
 * saved as a file.
 */
export async function downloadDraft(
  documentId: string,
  format: ExportFormat,
  signal?: AbortSignal,
): Promise<DownloadedFile> {
  let response: Response;
  try {
    response = await fetch(`/api${documentPath(documentId)}/export?format=${format}`, {
      credentials: 'same-origin',
      signal,
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError(0, networkError());
  }
  if (!response.ok) {
    const body: unknown = await response.json().catch(() => undefined);
    const known =
      typeof body === 'object' &&
      body !== null &&
      typeof (body as ApiErrorDto).message === 'string' &&
      typeof (body as ApiErrorDto).error === 'string';
    throw new ApiError(
      response.status,
      known
        ? (body as ApiErrorDto)
        : {
            error: 'http',
            message: `Le serveur a répondu par une erreur (${response.status}). Réessayez plus tard.`,
          },
    );
  }
  const blob = await response.blob();
  return { blob, fileName: fileNameOf(response.headers.get('content-disposition'), format) };
}

/**
 * Hands a downloaded file to the browser, which saves it under `fileName` (an object URL and a
 * link with `download`, clicked once; the URL is released once the browser has taken the file).
 */
export function saveFile(file: DownloadedFile): void {
  const url = URL.createObjectURL(file.blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = file.fileName;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  // Released later: some browsers read the URL after `click()` has returned.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/**
 * `GET /api/espaces/:id/signals?status=`: the reuse signals of the espace's publications in that
 * moderation state, newest first (the animateur: 403 for others).
 */
export function listSignals(
  espaceId: string,
  status: ReuseSignalStatus,
  signal?: AbortSignal,
): Promise<ReuseSignalDto[]> {
  return apiFetch<ReuseSignalListDto>(
    `/espaces/${encodeURIComponent(espaceId)}/signals?status=${encodeURIComponent(status)}`,
    { signal },
  ).then((body) => body.signals);
}

/**
 * `POST /api/signals/:id/approve` (`approve` true) or `/reject`: the signal after the decision;
 * 409 with a French sentence when someone moderated it first.
 */
export function moderateSignal(signalId: string, approve: boolean): Promise<ReuseSignalDto> {
  return apiFetch<{ signal: ReuseSignalDto }>(
    `/signals/${encodeURIComponent(signalId)}/${approve ? 'approve' : 'reject'}`,
    { method: 'POST' },
  ).then((body) => body.signal);
}
