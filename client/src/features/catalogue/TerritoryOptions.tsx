import type { TerritoiresDto } from '@essaim/protocol';
import { territoryGroups } from './territories.js';

/**
 * The options of a territory select: one group per région, the région itself first (« toute la
 * région »), then its départements. Shared by the catalogue's filter and the fiche's information.
 */
export function TerritoryOptions({
  reference,
  wholeRegion,
}: {
  reference: TerritoiresDto;
  wholeRegion: (label: string) => string;
}) {
  return (
    <>
      {territoryGroups(reference).map((group) => (
        <optgroup key={group.region.value} label={group.region.label}>
          <option value={group.region.value}>{wholeRegion(group.region.label)}</option>
          {group.departements.map((d) => (
            <option key={d.value} value={d.value}>
              {d.label}
            </option>
          ))}
        </optgroup>
      ))}
    </>
  );
}
