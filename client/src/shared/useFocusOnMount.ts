import { useEffect, useRef } from 'react';

/**
 * Moves keyboard focus to the page's main heading after a client-side navigation, so screen
 * reader users hear that the page changed (a full page load would have done this for them).
 * The first page of a visit keeps the browser's default focus.
 */
let firstPage = true;

export function useFocusOnMount<T extends HTMLElement>(enabled = true) {
  const ref = useRef<T>(null);
  useEffect(() => {
    if (!enabled) return;
    if (firstPage) {
      firstPage = false;
      return;
    }
    ref.current?.focus();
  }, [enabled]);
  return ref;
}
