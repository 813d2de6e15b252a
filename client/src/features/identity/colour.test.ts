import { describe, expect, it } from 'vitest';
import { colourForName, PERSON_COLOURS } from './colour.js';

describe('colour of a display name', () => {
  it('gives the same colour to the same name, whatever its case and surrounding spaces', () => {
    expect(colourForName('  Amélie ')).toBe(colourForName('amélie'));
  });

  it('always picks a #rrggbb colour of the accessible palette', () => {
    for (const name of ['Amélie', 'Bruno', 'CCAS de Privas', '', 'Zoé']) {
      const colour = colourForName(name);
      expect(colour).toMatch(/^#[0-9a-f]{6}$/);
      expect(PERSON_COLOURS).toContain(colour);
    }
  });

  it('spreads different names over several colours', () => {
    const names = ['Amélie', 'Bruno', 'Chloé', 'David', 'Émilie', 'Fatou', 'Gaël', 'Hugo', 'Inès', 'Jules'];
    expect(new Set(names.map(colourForName)).size).toBeGreaterThan(4);
  });
});
