import { useSyncExternalStore } from 'react';
import { getIdentity, subscribeIdentity, type Identity } from './identityStore.js';

/** The display name and colour chosen in this browser, or null before the person chose one. */
export function useIdentity(): Identity | null {
  return useSyncExternalStore(subscribeIdentity, getIdentity, () => null);
}
