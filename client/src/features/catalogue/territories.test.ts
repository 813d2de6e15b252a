import { describe, expect, it } from 'vitest';
import type { TerritoiresDto } from '@essaim/protocol';
import { territoryGroups, territoryLabel } from './territories.js';

const reference: TerritoiresDto = {
  regions: [
    { code: '84', nom: 'Auvergne-Rhône-Alpes' },
    { code: '94', nom: 'Corse' },
    { code: '53', nom: 'Bretagne' },
  ],
  departements: [
    { code: '26', nom: 'Drôme', region: '84' },
    { code: '07', nom: 'Ardèche', region: '84' },
    { code: '2B', nom: 'Haute-Corse', region: '94' },
    { code: '2A', nom: 'Corse-du-Sud', region: '94' },
    { code: '35', nom: 'Ille-et-Vilaine', region: '53' },
  ],
};

describe('territory labels', () => {
  it('names départements with their number, régions and the national level', () => {
    expect(territoryLabel('dep:07', reference)).toBe('Ardèche (07)');
    expect(territoryLabel('reg:84', reference)).toBe('Auvergne-Rhône-Alpes');
    expect(territoryLabel('national', reference)).toBe('National');
    expect(territoryLabel(null, reference)).toBeNull();
  });

  it('still says something without the reference list, or for an unknown code', () => {
    expect(territoryLabel('dep:07', null)).toBe('Département 07');
    expect(territoryLabel('reg:11', reference)).toBe('Région 11');
    expect(territoryLabel('national', null)).toBe('National');
  });
});

describe('territory groups', () => {
  it('lists régions alphabetically, each with its départements by number', () => {
    const groups = territoryGroups(reference);
    expect(groups.map((g) => g.region.label)).toEqual(['Auvergne-Rhône-Alpes', 'Bretagne', 'Corse']);
    expect(groups[0]?.region.value).toBe('reg:84');
    expect(groups[0]?.departements).toEqual([
      { value: 'dep:07', label: 'Ardèche (07)' },
      { value: 'dep:26', label: 'Drôme (26)' },
    ]);
    expect(groups[2]?.departements.map((d) => d.value)).toEqual(['dep:2A', 'dep:2B']);
  });
});
