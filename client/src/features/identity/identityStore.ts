import { colourForName } from './colour.js';

/** How a person appears to the others in a document, until accounts exist. */
export interface Identity {
  name: string;
  color: string;
}

export const MAX_NAME_LENGTH = 40;

const STORAGE_KEY = 'essaim.nom-affiche';

/** Used when storage is disabled (private mode, policies): the name then lasts for this page. */
let memoryName: string | null = null;

function read(): string | null {
  try {
    const value = window.localStorage.getItem(STORAGE_KEY)?.trim();
    return value ? value.slice(0, MAX_NAME_LENGTH) : memoryName;
  } catch {
    return memoryName;
  }
}

let cachedName: string | null | undefined;
let cachedIdentity: Identity | null = null;
const listeners = new Set<() => void>();

/** The stored identity; the same object between changes (suitable for `useSyncExternalStore`). */
export function getIdentity(): Identity | null {
  const name = read();
  if (name !== cachedName) {
    cachedName = name;
    cachedIdentity = name ? { name, color: colourForName(name) } : null;
  }
  return cachedIdentity;
}

/** Stores the display name in this browser and tells every subscriber. */
export function saveDisplayName(name: string): void {
  const trimmed = name.trim().slice(0, MAX_NAME_LENGTH);
  memoryName = trimmed;
  try {
    window.localStorage.setItem(STORAGE_KEY, trimmed);
  } catch {
    // Storage disabled: `memoryName` keeps it for this page.
  }
  for (const listener of listeners) listener();
}

/** Subscribes to changes, from this tab or (through the `storage` event) from another one. */
export function subscribeIdentity(listener: () => void): () => void {
  listeners.add(listener);
  const onStorage = (event: StorageEvent) => {
    if (event.key === STORAGE_KEY || event.key === null) listener();
  };
  window.addEventListener('storage', onStorage);
  return () => {
    listeners.delete(listener);
    window.removeEventListener('storage', onStorage);
  };
}

/** Checks a name typed by the person; returns a French message, or null when it is fine. */
export function validateDisplayName(
  name: string,
  messages: { nameRequired: string; nameTooLong: (max: number) => string },
): string | null {
  const trimmed = name.trim();
  if (!trimmed) return messages.nameRequired;
  if (trimmed.length > MAX_NAME_LENGTH) return messages.nameTooLong(MAX_NAME_LENGTH);
  return null;
}
