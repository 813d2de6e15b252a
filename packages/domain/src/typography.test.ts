import { describe, expect, it } from 'vitest';
import { frenchSpacing } from './typography.js';

describe('French spacing', () => {
  it('makes the space before a double sign and inside guillemets a no-break space, and leaves the rest', () => {
    expect(frenchSpacing('Pourquoi ? Ainsi : oui ; non ! « Aller-vers »')).toBe(
      'Pourquoi\u00a0? Ainsi\u00a0: oui\u00a0; non\u00a0! «\u00a0Aller-vers\u00a0»',
    );
    expect(frenchSpacing('Déjà\u00a0? Rien à faire, ni ici.')).toBe('Déjà\u00a0? Rien à faire, ni ici.');
  });
});
