import { describe, expect, it } from 'vitest';
import type { ThemeDto } from '@essaim/protocol';
import { addKeyword, metadataFields, parseYear, themeChoices, toggleTheme } from './metadataRules.js';

const now = new Date('2025-06-01T12:00:00Z');

describe('the year a practice started', () => {
  it('accepts four digits between 1900 and next year, and an empty field', () => {
    expect(parseYear('2019', now)).toEqual({ ok: true, value: 2019 });
    expect(parseYear(' 2026 ', now)).toEqual({ ok: true, value: 2026 });
    expect(parseYear('', now)).toEqual({ ok: true, value: null });
  });

  it('refuses what is not a plausible year (and the field keeps it without storing it)', () => {
    for (const input of ['20', '2027', '1899', '19a9', '2019.5'])
      expect(parseYear(input, now)).toEqual({ ok: false });
  });
});

describe('keywords', () => {
  it('adds a trimmed keyword at the end', () => {
    expect(addKeyword(['ASE'], '  protection   de l’enfance ')).toEqual({
      ok: true,
      list: ['ASE', 'protection de l’enfance'],
      word: 'protection de l’enfance',
    });
  });

  it('refuses empty, too long, duplicate (ignoring case and accents) and too many keywords', () => {
    expect(addKeyword([], '   ')).toMatchObject({ ok: false, reason: 'empty' });
    expect(addKeyword([], 'x'.repeat(61))).toMatchObject({ ok: false, reason: 'tooLong' });
    expect(addKeyword(['Médiation'], 'mediation')).toEqual({
      ok: false,
      reason: 'duplicate',
      word: 'Médiation',
    });
    const full = Array.from({ length: 30 }, (_, i) => `mot ${i}`);
    expect(addKeyword(full, 'encore')).toMatchObject({ ok: false, reason: 'tooMany' });
  });
});

describe('theme checkboxes', () => {
  const themes: ThemeDto[] = [
    { id: 'aller-vers', label: 'Aller-vers', archived: false, documents: 2 },
    { id: 'pair-aidance', label: 'Pair-aidance', archived: false, documents: 0 },
    { id: 'ancien', label: 'Ancien thème', archived: true, documents: 1 },
    { id: 'oublie', label: 'Oublié', archived: true, documents: 0 },
  ];

  it('offers active themes, plus archived or unknown ones the document already has', () => {
    expect(themeChoices(themes, ['ancien', 'supprime'])).toEqual([
      { id: 'aller-vers', label: 'Aller-vers', archived: false, unknown: false },
      { id: 'pair-aidance', label: 'Pair-aidance', archived: false, unknown: false },
      { id: 'ancien', label: 'Ancien thème', archived: true, unknown: false },
      { id: 'supprime', label: 'supprime', archived: false, unknown: true },
    ]);
  });

  it('still shows the document’s themes when the list could not be loaded', () => {
    expect(themeChoices(null, ['aller-vers']).map((c) => c.unknown)).toEqual([true]);
  });

  it('checks and unchecks without duplicates', () => {
    expect(toggleTheme(['a'], 'b', true)).toEqual(['a', 'b']);
    expect(toggleTheme(['a', 'b'], 'a', true)).toEqual(['b', 'a']);
    expect(toggleTheme(['a', 'b'], 'a', false)).toEqual(['b']);
  });
});

describe('fields by kind of document', () => {
  it('describes a synthesis by its title and themes only', () => {
    expect(metadataFields('synthese')).toEqual(['title', 'themes']);
    expect(metadataFields('fiche')).toHaveLength(10);
  });
});
