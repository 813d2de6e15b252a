import { useEffect, useState } from 'react';
import type { TerritoiresDto } from '@essaim/protocol';
import { getTerritoires } from './api.js';

/**
 * The régions and départements, or null while they load or when they cannot be fetched: labels
 * then fall back to the codes (« Département 07 ») and the territory filter offers « National » only.
 */
export function useTerritoires(): TerritoiresDto | null {
  const [territoires, setTerritoires] = useState<TerritoiresDto | null>(null);
  useEffect(() => {
    let live = true;
    getTerritoires().then(
      (value) => {
        if (live) setTerritoires(value);
      },
      (error: unknown) => console.warn('Territoires indisponibles :', error),
    );
    return () => {
      live = false;
    };
  }, []);
  return territoires;
}
