import { useCallback, useEffect, useState } from 'react';

/**
 * Moves the focus once React has rendered what a state change shows (an alert that did not exist
 * yet, a field now in error). `requestFocus(() => element)` is called with the state changes; the
 * element is looked up after the commit.
 */
export function useFocusRequest(): (target: () => HTMLElement | null | undefined) => void {
  const [request, setRequest] = useState<{ target: () => HTMLElement | null | undefined } | null>(null);
  useEffect(() => {
    request?.target()?.focus();
  }, [request]);
  return useCallback((target) => setRequest({ target }), []);
}
