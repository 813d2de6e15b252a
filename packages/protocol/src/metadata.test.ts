import { describe, expect, it } from 'vitest';
import { emptyMetadata, readMetadata } from './metadata.js';

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
