import { describe, expect, it } from 'vitest';
import { emptyMetadata, isMetadataValueOfType, metadataKeys, metadataValueTypes } from './metadata.js';
import { readMetadata } from './metadataSchema.js';

describe('reading metadata from a document', () => {
  it('keeps valid fields and reads invalid ones as empty, field by field', () => {
    const raw: Record<string, unknown> = {
      title: '  Conférences familiales  ',
      themes: ['aller-vers', 'aller-vers', 'pair-aidance'],
      categorie: 'inventée',
      territoire: 'dep:07',
      structureType: 'caf',
      anneeDemarrage: 20019,
      motsCles: 'pas une liste',
      contact: 42,
    };
    expect(readMetadata((k) => raw[k])).toEqual({
      ...emptyMetadata(),
      title: 'Conférences familiales',
      themes: ['aller-vers', 'pair-aidance'],
      territoire: 'dep:07',
      structureType: 'caf',
    });
  });

  it('reads a title written decomposed composed, counted as the person sees it (tester BR38 F7)', () => {
    const title = 'e\u0301'.repeat(150);
    expect(readMetadata((k) => (k === 'title' ? title : undefined)).title).toBe('é'.repeat(150));
  });

  it('accepts the territory codes of départements, régions and the whole country only', () => {
    const read = (territoire: unknown) =>
      readMetadata((k) => (k === 'territoire' ? territoire : undefined)).territoire;
    expect(read('dep:2A')).toBe('dep:2A');
    expect(read('dep:974')).toBe('dep:974');
    expect(read('reg:84')).toBe('reg:84');
    expect(read('national')).toBe('national');
    expect(read('../../etc')).toBeNull();
    expect(read('dep:')).toBeNull();
  });
});

describe('the type of each metadata field', () => {
  it('is declared for every field, and holds the empty metadata a new document starts with', () => {
    expect(Object.keys(metadataValueTypes).sort()).toEqual([...metadataKeys].sort());
    const empty = emptyMetadata('Conférences familiales');
    for (const key of metadataKeys)
      expect({ key, ok: isMetadataValueOfType(key, empty[key]) }).toEqual({ key, ok: true });
  });

  it('tells a value of the field’s type from a number, a list or a map in its place', () => {
    expect(isMetadataValueOfType('title', 'Aller-vers')).toBe(true);
    expect(isMetadataValueOfType('title', 42)).toBe(false);
    expect(isMetadataValueOfType('title', ['Aller-vers'])).toBe(false);
    expect(isMetadataValueOfType('title', { title: 'Aller-vers' })).toBe(false);
    expect(isMetadataValueOfType('title', null)).toBe(false);
    expect(isMetadataValueOfType('categorie', null)).toBe(true);
    expect(isMetadataValueOfType('categorie', 3)).toBe(false);
    expect(isMetadataValueOfType('themes', ['aller-vers'])).toBe(true);
    expect(isMetadataValueOfType('themes', 'aller-vers')).toBe(false);
    expect(isMetadataValueOfType('themes', ['aller-vers', 1])).toBe(false);
    expect(isMetadataValueOfType('anneeDemarrage', 2021)).toBe(true);
    expect(isMetadataValueOfType('anneeDemarrage', null)).toBe(true);
    expect(isMetadataValueOfType('anneeDemarrage', '2021')).toBe(false);
    expect(isMetadataValueOfType('anneeDemarrage', 2021.5)).toBe(false);
  });

  it('knows no other field, not even the names every object has', () => {
    expect(isMetadataValueOfType('bonus', 'x')).toBe(false);
    expect(isMetadataValueOfType('toString', 'x')).toBe(false);
    expect(isMetadataValueOfType('__proto__', 'x')).toBe(false);
  });
});
