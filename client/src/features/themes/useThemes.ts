import type { ThemeDto } from '@essaim/protocol';
import { useLoad } from '../../shared/useLoad.js';
import { listThemes } from './api.js';

const collator = new Intl.Collator('fr', { sensitivity: 'base' });

/** Themes in alphabetical order of their labels. */
export const byLabel = (a: ThemeDto, b: ThemeDto): number => collator.compare(a.label, b.label);

/** The espace's themes (archived ones included), alphabetically. */
export function useThemes(espaceId: string) {
  return useLoad(
    (signal) => listThemes(espaceId, signal).then((themes) => [...themes].sort(byLabel)),
    [espaceId],
  );
}
