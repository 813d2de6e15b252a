import { useCallback, useMemo } from 'react';
import { useLocation } from 'wouter';
import { useSearch } from 'wouter/use-browser-location';

/** What the query becomes: a new set of parameters, or a function of the current ones. */
export type SearchParamsChange = URLSearchParams | ((current: URLSearchParams) => URLSearchParams);

/** How the change is written into the history: a new entry (default) or in place of the current. */
export interface SearchParamsOptions {
  replace?: boolean;
}

/**
 * The page's query (`?…`) as `URLSearchParams`, and a function that changes it (the path stays,
 * the hash is dropped), as react-router's hook of the same name did.
 *
 * Read from the browser's `location.search` as it is, decoded once by `URLSearchParams`:
 * wouter's own `useSearchParams` decodes the query with `decodeURI` before `URLSearchParams`
 * decodes it again, so a searched « 100%20 » (`q=100%2520`) would come back as « 100  ».
 * A function given to the setter receives the query of the address at the time of the call (so
 * two changes in a row both count), not the one of the last drawing.
 */
export function useSearchParams(): [
  URLSearchParams,
  (change: SearchParamsChange, options?: SearchParamsOptions) => void,
] {
  const search = useSearch();
  const [, navigate] = useLocation();
  const params = useMemo(() => new URLSearchParams(search), [search]);
  const setParams = useCallback(
    (change: SearchParamsChange, options?: SearchParamsOptions) => {
      const next =
        typeof change === 'function' ? change(new URLSearchParams(window.location.search)) : change;
      const query = next.toString();
      navigate(`${window.location.pathname}${query ? `?${query}` : ''}`, { replace: options?.replace });
    },
    [navigate],
  );
  return [params, setParams];
}
