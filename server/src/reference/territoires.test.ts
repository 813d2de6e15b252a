import { describe, expect, it } from 'vitest';
import { isTerritoire, territoireLabel, territoires } from './territoires.js';

describe('territoires', () => {
  const { regions, departements } = territoires();
  const regionOf = (code: string) => departements.find((d) => d.code === code)?.region;

  it('lists the 18 régions and the 101 départements', () => {
    expect(regions).toHaveLength(18);
    expect(departements).toHaveLength(101);
  });

  it('has unique codes, and every département belongs to a listed région', () => {
    expect(new Set(regions.map((r) => r.code)).size).toBe(regions.length);
    expect(new Set(departements.map((d) => d.code)).size).toBe(departements.length);
    const regionCodes = new Set(regions.map((r) => r.code));
    for (const d of departements) expect(regionCodes.has(d.region), d.code).toBe(true);
    for (const r of regions)
      expect(
        departements.some((d) => d.region === r.code),
        r.code,
      ).toBe(true);
  });

  it('uses the INSEE codes: 2A and 2B for Corse, no 20, five overseas départements', () => {
    const codes = departements.map((d) => d.code);
    expect(codes).toContain('2A');
    expect(codes).toContain('2B');
    expect(codes).not.toContain('20');
    expect(codes.filter((c) => c.length === 3)).toEqual(['971', '972', '973', '974', '976']);
    expect(regions.map((r) => r.code)).toEqual(
      expect.arrayContaining(['01', '02', '03', '04', '06', '11', '24', '27', '28', '32', '44', '52', '53']),
    );
  });

  it('attaches départements to their région', () => {
    expect(regionOf('07')).toBe('84');
    expect(regionOf('33')).toBe('75');
    expect(regionOf('59')).toBe('32');
    expect(regionOf('2A')).toBe('94');
    expect(regionOf('976')).toBe('06');
    expect(regionOf('13')).toBe('93');
    expect(regionOf('27')).toBe('28');
    expect(regionOf('93')).toBe('11');
  });

  it('spells official names with accents and the typographic apostrophe', () => {
    const names = [...regions, ...departements].map((t) => t.nom);
    expect(names.filter((n) => n.includes("'"))).toEqual([]);
    expect(names).toEqual(
      expect.arrayContaining([
        'Côtes-d’Armor',
        'Côte-d’Or',
        'Val-d’Oise',
        'Provence-Alpes-Côte d’Azur',
        'Auvergne-Rhône-Alpes',
        'La Réunion',
        'Corse-du-Sud',
      ]),
    );
  });

  it('labels territory codes', () => {
    expect(territoireLabel('dep:07')).toBe('Ardèche (07)');
    expect(territoireLabel('dep:2A')).toBe('Corse-du-Sud (2A)');
    expect(territoireLabel('dep:976')).toBe('Mayotte (976)');
    expect(territoireLabel('reg:84')).toBe('Auvergne-Rhône-Alpes');
    expect(territoireLabel('national')).toBe('National');
    expect(territoireLabel('dep:20')).toBeNull();
    expect(territoireLabel('reg:07')).toBeNull();
    expect(territoireLabel('07')).toBeNull();
  });

  it('recognises valid codes only', () => {
    expect(isTerritoire('dep:59')).toBe(true);
    expect(isTerritoire('reg:32')).toBe(true);
    expect(isTerritoire('national')).toBe(true);
    expect(isTerritoire('dep:975')).toBe(false);
    expect(isTerritoire('reg:')).toBe(false);
    expect(isTerritoire('')).toBe(false);
  });

  it('returns one shared, frozen copy', () => {
    expect(territoires()).toBe(territoires());
    expect(Object.isFrozen(territoires().departements)).toBe(true);
  });
});
