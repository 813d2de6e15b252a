import type { ThemeDto } from '@essaim/protocol';
import { useLoad } from '../../shared/useLoad.js';
import { listThemes } from './api.js';

const collator = new Intl.Collator('fr', { sensitivity: 'base' });

/** Themes in alphabetical order of their labels. */
export const byLabel = (a: ThemeDto, b: ThemeDto): number => collator.compare(a.label, b.label);

/** The espace's themes (archived ones included), alphabetically; none for a document without espace. */
export function useThemes(espaceId: string | null) {
  return useLoad(
    (signal) =>
      espaceId
        ? listThemes(espaceId, signal).then((themes) => [...themes].sort(byLabel))
        : Promise.resolve([]),
    [espaceId],
  );
}
