import { useCallback, useEffect, useState, type DependencyList } from 'react';

/** Something fetched from the API: still on its way, failed (French reason), or there. */
export type Loadable<T> =
  { status: 'loading' } | { status: 'error'; message: string } | { status: 'ready'; value: T };

/**
 * Fetches with `load` when the component mounts and whenever `deps` change, aborting the previous
 * request. `reload` fetches again keeping what is shown (after a change the person made), `retry`
 * shows the loading state first (after a failure), `update` changes the loaded value in place.
 */
export function useLoad<T>(load: (signal: AbortSignal) => Promise<T>, deps: DependencyList) {
  const [state, setState] = useState<Loadable<T>>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    const controller = new AbortController();
    load(controller.signal).then(
      (value) => {
        // A request replaced by a newer one must not overwrite the newer answer.
        if (!controller.signal.aborted) setState({ status: 'ready', value });
      },
      (error: unknown) => {
        if (controller.signal.aborted) return;
        setState({ status: 'error', message: error instanceof Error ? error.message : String(error) });
      },
    );
    return () => controller.abort();
    // `load` is a new closure at each render; what it reads is listed in `deps`.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, attempt]);

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
  return { state, reload, retry, update };
}
