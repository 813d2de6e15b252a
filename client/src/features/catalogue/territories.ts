import type { TerritoiresDto } from '@essaim/protocol';
import { catalogueMessages as m } from './messages.js';

export const NATIONAL = 'national';

/** A région and its départements, as the territory select offers them. */
export interface TerritoryGroup {
  region: { value: string; label: string };
  departements: { value: string; label: string }[];
}

const collator = new Intl.Collator('fr', { sensitivity: 'base' });

/** « Ardèche (07) »: the name people know, with the number they also use. */
export const departementLabel = (d: { code: string; nom: string }): string => `${d.nom} (${d.code})`;

/**
 * The label of a territory code (`dep:07`, `reg:84`, `national`). Without the reference list
 * (still loading, or unreachable) the code still reads as something: « Département 07 ».
 */
export function territoryLabel(code: string | null, reference: TerritoiresDto | null): string | null {
  if (!code) return null;
  if (code === NATIONAL) return m.national;
  const [type, value = ''] = code.split(':');
  if (type === 'dep') {
    const departement = reference?.departements.find((d) => d.code === value);
    return departement ? departementLabel(departement) : m.departement(value);
  }
  if (type === 'reg') {
    return reference?.regions.find((r) => r.code === value)?.nom ?? m.region(value);
  }
  return code;
}

/**
 * Régions in alphabetical order, each followed by its départements in the order of their
 * numbers, for a select grouped by région (`<optgroup>`).
 */
export function territoryGroups(reference: TerritoiresDto): TerritoryGroup[] {
  return [...reference.regions]
    .sort((a, b) => collator.compare(a.nom, b.nom))
    .map((region) => ({
      region: { value: `reg:${region.code}`, label: region.nom },
      departements: reference.departements
        .filter((d) => d.region === region.code)
        .sort((a, b) => a.code.localeCompare(b.code, 'fr', { numeric: true }))
        .map((d) => ({ value: `dep:${d.code}`, label: departementLabel(d) })),
    }));
}
