import { useCallback, useEffect, useRef, useState, type DependencyList } from 'react';
import { ApiError } from './api.js';

/** Something fetched from the API: still on its way, failed (French reason), or there. */
export type Loadable<T> =
  { status: 'loading' } | { status: 'error'; message: string } | { status: 'ready'; value: T };

/** First wait (ms) before a load that failed for the network is tried again; doubled each time. */
export const NETWORK_RETRY_FIRST_MS = 3_000;
/** Longest wait (ms) between two tries of a load that keeps failing for the network. */
export const NETWORK_RETRY_MAX_MS = 30_000;

/**
 * Fetches with `load` when the component mounts and whenever `deps` change, aborting the previous
 * request. `reload` fetches again keeping what is shown (after a change the person made), `retry`
 * shows the loading state first (after a failure), `update` changes the loaded value in place.
 *
 * A load that failed because the server could not be reached (`ApiError.isNetworkError`) is tried
 * again by itself, keeping its message shown until an answer comes: when the browser says the
 * network is back (`online`), and after {@link NETWORK_RETRY_FIRST_MS}, doubled at each failure up
 * to {@link NETWORK_RETRY_MAX_MS} (as React Query's `retry` and `refetchOnReconnect` do). A page
 * opened offline otherwise kept « Le serveur est injoignable » and « Réessayer » after the
 * connection came back, beside « Enregistré » (tester BR31). Other failures (403, 404, 400) are
 * answers: they stay until the person acts.
 */
export function useLoad<T>(load: (signal: AbortSignal) => Promise<T>, deps: DependencyList) {
  const [state, setState] = useState<Loadable<T>>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);
  const [unreachable, setUnreachable] = useState(false);
  const failures = useRef(0);

  useEffect(() => {
    const controller = new AbortController();
    load(controller.signal).then(
      (value) => {
        // A request replaced by a newer one must not overwrite the newer answer.
        if (controller.signal.aborted) return;
        failures.current = 0;
        setUnreachable(false);
        setState({ status: 'ready', value });
      },
      (error: unknown) => {
        if (controller.signal.aborted) return;
        const network = error instanceof ApiError && error.isNetworkError;
        failures.current = network ? failures.current + 1 : 0;
        setUnreachable(network);
        setState({ status: 'error', message: error instanceof Error ? error.message : String(error) });
      },
    );
    return () => controller.abort();
    // `load` is a new closure at each render; what it reads is listed in `deps`.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, attempt]);

  // Unreachable: try again when the network comes back, and on a growing delay.
  useEffect(() => {
    if (!unreachable) return;
    const again = (): void => setAttempt((n) => n + 1);
    const delay = Math.min(
      NETWORK_RETRY_FIRST_MS * 2 ** Math.max(0, failures.current - 1),
      NETWORK_RETRY_MAX_MS,
    );
    const timer = setTimeout(again, delay);
    window.addEventListener('online', again);
    return () => {
      clearTimeout(timer);
      window.removeEventListener('online', again);
    };
  }, [unreachable, attempt]);

  const reload = useCallback(() => setAttempt((n) => n + 1), []);
  const retry = useCallback(() => {
    setState({ status: 'loading' });
    setAttempt((n) => n + 1);
  }, []);
  const update = useCallback(
    (change: (value: T) => T) =>
      setState((current) =>
        current.status === 'ready' ? { status: 'ready', value: change(current.value) } : current,
      ),
    [],
  );
  // `unreachable`: the last failure was the network's (an answer saved on this device may stand in).
  return { state, reload, retry, update, unreachable };
}
