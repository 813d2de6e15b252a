import { useEffect, useRef } from 'react';
import type { HocuspocusProvider, onStatelessParameters } from '@hocuspocus/provider';
import { parseVersionRestored, type VersionRestoredMessage } from './restoredMessage.js';

/**
 * Calls `onRestored` for each `version-restored` message the server sends on the document's
 * connection (to every connection of the document, the restorer's included). Other stateless
 * messages are left to their features. The latest `onRestored` is always the one called.
 */
export function useVersionRestored(
  provider: HocuspocusProvider,
  onRestored: (message: VersionRestoredMessage) => void,
): void {
  const latest = useRef(onRestored);
  useEffect(() => {
    latest.current = onRestored;
  });
  useEffect(() => {
    const onStateless = ({ payload }: onStatelessParameters) => {
      const message = parseVersionRestored(payload);
      if (message) latest.current(message);
    };
    provider.on('stateless', onStateless);
    return () => {
      provider.off('stateless', onStateless);
    };
  }, [provider]);
}
