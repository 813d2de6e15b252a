import { describe, expect, it } from 'vitest';
import { documentName, parseDocumentName } from './documentName.js';

const id = '0b7f2c9e-1d3a-4c5b-8e6f-7a8b9c0d1e2f';

describe('document name codec', () => {
  it('round-trips an id through its collaborative name', () => {
    expect(parseDocumentName(documentName(id))).toBe(id);
  });

  it.each(['', 'doc.', 'doc.abc', `fiche.${id}`, `doc.${id}/x`, `doc.${id.toUpperCase()}`, `doc.../${id}`])(
    'refuses the name %j',
    (name) => {
      expect(parseDocumentName(name)).toBeNull();
    },
  );

  it('refuses to build a name from something that is not an id', () => {
    expect(() => documentName('../etc/passwd')).toThrow(TypeError);
  });
});
