import type { DocumentDto } from '@essaim/protocol';

/**
 * The title and kind of documents opened in this browser, so a document whose content is in
 * IndexedDB can still be opened with its title while the server is unreachable.
 */
type Cached = Pick<DocumentDto, 'id' | 'title' | 'kind'>;

const STORAGE_KEY = 'essaim.documents-ouverts';
const MAX_ENTRIES = 200;

function readAll(): Record<string, Cached> {
  try {
    const parsed: unknown = JSON.parse(window.localStorage.getItem(STORAGE_KEY) ?? '{}');
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, Cached>) : {};
  } catch {
    return {};
  }
}

export function rememberDocument(doc: DocumentDto): void {
  // Most recently opened last, so the oldest entries are the ones dropped.
  const entries = [
    ...Object.entries(readAll()).filter(([id]) => id !== doc.id),
    [doc.id, { id: doc.id, title: doc.title, kind: doc.kind }] as const,
  ];
  try {
    window.localStorage.setItem(STORAGE_KEY, JSON.stringify(Object.fromEntries(entries.slice(-MAX_ENTRIES))));
  } catch {
    // Storage full or disabled: offline opening falls back to the error page.
  }
}

export function rememberedDocument(id: string): Cached | null {
  const cached = readAll()[id];
  return cached && typeof cached.title === 'string' ? cached : null;
}
