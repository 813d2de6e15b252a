import { describe, expect, it } from 'vitest';
import { searchExpression, slugFor, snippetOf } from './publicationService.js';

describe('publication helpers', () => {
  it('makes a slug from a French title, avoiding the portal’s own words and slugs already taken', () => {
    expect(slugFor('Conférences familiales en Ardèche !', () => false)).toBe(
      'conferences-familiales-en-ardeche',
    );
    const taken = new Set(['pair-aidance', 'pair-aidance-2']);
    expect(slugFor('Pair-aidance', (s) => taken.has(s))).toBe('pair-aidance-3');
    expect(slugFor('Recherche', () => false)).toBe('recherche-2');
    expect(slugFor('   ', () => false)).toBe('pratique');
    expect(slugFor('x'.repeat(300), () => false)).toHaveLength(80);
  });

  it('turns what a person types into FTS5 prefix stems, never into FTS5 syntax', () => {
    expect(searchExpression('Conférences familiales')).toBe('"conferent"* "familial"*');
    expect(searchExpression('aller-vers')).toBe('"aller"* "ver"*');
    // Stems of one or two letters match whole words only: « e* » would expand to most of the index.
    expect(searchExpression('"pair" OR NEAR(x*)')).toBe('"pair"* "or" "near"* "x"');
    expect(searchExpression(' -- ! ')).toBeNull();
  });

  it('searches at most ten distinct words, whatever is typed (bounded work)', () => {
    expect(searchExpression(Array(99).fill('e').join(' '))).toBe('"e"');
    const many = 'alpha beta gamma delta epsilon zeta theta iota kappa lambda omicron sigma';
    expect(searchExpression(many)?.split(' ')).toHaveLength(10);
  });

  it('cuts a snippet around the first word found, marks every form of the query words, and escapes the text', () => {
    const text = `${'Avant. '.repeat(60)}Les <familles> élargies se réunissent ; une famille décide.`;
    const snippet = snippetOf(text, 'famille');
    expect(snippet.startsWith('… ')).toBe(true);
    expect(snippet).toContain('&lt;<mark>familles</mark>&gt; élargies');
    expect(snippet).toContain('une <mark>famille</mark> décide.');
    expect(snippetOf('Rien à voir.', 'famille')).toBe('Rien à voir.');
  });
});
