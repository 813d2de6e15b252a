import type { DocJSON } from '@essaim/editor';
import type { DocumentDiffDto, VersionDto } from '@essaim/protocol';
import { apiFetch } from '../../shared/api.js';

/**
 * Calls of the version-history routes (issue 11, contract in the README and
 * `packages/protocol/src/versions.ts`). Every failure is an `ApiError` with a French message.
 */

const versionsPath = (documentId: string) => `/documents/${encodeURIComponent(documentId)}/versions`;

/** `GET /api/documents/:id/versions`: the document's versions, newest first. */
export function listVersions(documentId: string, signal?: AbortSignal): Promise<VersionDto[]> {
  return apiFetch<{ versions: VersionDto[] }>(versionsPath(documentId), { signal }).then(
    (body) => body.versions,
  );
}

/**
 * `POST /api/documents/:id/versions` `{label}`: a named version of the current content (assigned
 * rapporteurs and the animateur; 403 otherwise, 400 with a French reason for a bad label).
 */
export function nameVersion(documentId: string, label: string): Promise<VersionDto> {
  return apiFetch<{ version: VersionDto }>(versionsPath(documentId), {
    method: 'POST',
    json: { label },
  }).then((body) => body.version);
}

/** A version and its text, as ProseMirror JSON of the shared schema (`@essaim/editor`). */
export interface VersionContent {
  version: VersionDto;
  content: DocJSON;
}

/** `GET /api/documents/:id/versions/:versionId?format=json`. */
export function getVersion(
  documentId: string,
  versionId: string,
  signal?: AbortSignal,
): Promise<VersionContent> {
  return apiFetch<VersionContent>(
    `${versionsPath(documentId)}/${encodeURIComponent(versionId)}?format=json`,
    {
      signal,
    },
  );
}

/** `current`: the live text, as the newer side of a comparison. */
export const CURRENT = 'current';

/**
 * `GET /api/documents/:id/diff?from=&to=`: what changed from version `from` to version `to` (or to
 * the live text with {@link CURRENT}), per section, with authors; changed sections first.
 */
export function compareVersions(
  documentId: string,
  from: string,
  to: string,
  signal?: AbortSignal,
): Promise<DocumentDiffDto> {
  const query = new URLSearchParams({ from, to });
  return apiFetch<DocumentDiffDto>(`/documents/${encodeURIComponent(documentId)}/diff?${query.toString()}`, {
    signal,
  });
}

/**
 * `POST /api/documents/:id/versions/:versionId/restore`: the version's text becomes the live text,
 * as a new change; resolves with the new « restauration » version.
 */
export function restoreVersion(documentId: string, versionId: string): Promise<VersionDto> {
  return apiFetch<{ version: VersionDto }>(
    `${versionsPath(documentId)}/${encodeURIComponent(versionId)}/restore`,
    {
      method: 'POST',
    },
  ).then((body) => body.version);
}
