import type { ActivityListDto, DocumentListDto, TerritoiresDto } from '@essaim/protocol';
import { apiFetch } from '../../shared/api.js';

/**
 * One page of the documents of an espace matching a query built by `toApiQuery` (filtered,
 * sorted and paged by the server, issue 17): `query` may carry `offset` (`pageQuery`); the page
 * has the server's default size (`CATALOGUE_PAGE_SIZE`), with the total and the next offset.
 */
export function searchDocuments(query: string, signal?: AbortSignal): Promise<DocumentListDto> {
  return apiFetch<DocumentListDto>(`/documents?${query}`, { signal });
}

/** Who changed what lately in an espace, most recent first. */
export function listActivity(espaceId: string, signal?: AbortSignal, limit = 30): Promise<ActivityListDto> {
  return apiFetch<ActivityListDto>(`/espaces/${encodeURIComponent(espaceId)}/activity?limit=${limit}`, {
    signal,
  });
}

let territoires: Promise<TerritoiresDto> | null = null;

/**
 * Régions and départements (reference data that never changes while the app runs): fetched once,
 * and again only after a failure.
 */
export function getTerritoires(): Promise<TerritoiresDto> {
  territoires ??= apiFetch<TerritoiresDto>('/reference/territoires').catch((error: unknown) => {
    territoires = null;
    throw error;
  });
  return territoires;
}
