import type { QueueScope } from './api.js';

/**
 * The dashboard's filters live in the page's address, as the catalogue's do
 * (`/espaces/x/relecture?document=…&theme=aller-vers`): shareable, and the back button undoes a
 * filter. The espace is the page's own.
 */
export const QUEUE_URL_PARAMS = { documentId: 'document', theme: 'theme' } as const satisfies Record<
  keyof QueueScope,
  string
>;

const MAX_ID = 100;

function id(raw: string | null): string | null {
  const value = raw?.trim() ?? '';
  return value === '' || value.length > MAX_ID ? null : value;
}

/** The filters written in the address; an empty or oversized value is no filter. */
export function readQueueScope(params: URLSearchParams): QueueScope {
  return {
    documentId: id(params.get(QUEUE_URL_PARAMS.documentId)),
    theme: id(params.get(QUEUE_URL_PARAMS.theme)),
  };
}

/**
 * The address parameters for these filters, keeping the parameters that are not filters; absent
 * filters are left out, so the unfiltered dashboard has a clean address.
 */
export function writeQueueScope(scope: QueueScope, base = new URLSearchParams()): URLSearchParams {
  const params = new URLSearchParams(base);
  for (const [key, name] of Object.entries(QUEUE_URL_PARAMS) as [keyof QueueScope, string][]) {
    const value = scope[key];
    if (value) params.set(name, value);
    else params.delete(name);
  }
  return params;
}

/** How many filters narrow the dashboard. */
export const activeScopeCount = (scope: QueueScope): number =>
  (scope.documentId ? 1 : 0) + (scope.theme ? 1 : 0);
