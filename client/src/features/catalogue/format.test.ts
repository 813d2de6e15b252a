import { describe, expect, it } from 'vitest';
import {
  activityAction,
  activityActor,
  formatPages,
  formatProgress,
  formatRelative as relativeOf,
  pagesStatus,
} from './format.js';

const now = new Date(2025, 10, 22, 15, 0, 0).getTime();
const ago = (ms: number) => new Date(now - ms).toISOString();
const MIN = 60_000;
/** Intl separates number and unit with a no-break space: compared as plain spaces. */
const formatRelative = (iso: string, at: number) => relativeOf(iso, at).replace(/\s/g, ' ');

describe('relative dates', () => {
  it('says how long ago, in short French words', () => {
    expect(formatRelative(ago(10_000), now)).toBe('à l’instant');
    expect(formatRelative(ago(5 * MIN), now)).toBe('il y a 5 min');
    expect(formatRelative(ago(3 * 60 * MIN), now)).toBe('il y a 3 h');
  });

  it('counts calendar days past midnight, then gives the date after a week', () => {
    expect(formatRelative(new Date(2025, 10, 21, 22, 0).toISOString(), now)).toBe('hier');
    expect(formatRelative(new Date(2025, 10, 18, 9, 0).toISOString(), now)).toBe('il y a 4 j');
    expect(formatRelative(new Date(2025, 9, 3, 9, 0).toISOString(), now)).toBe('le 3 octobre 2025');
  });

  it('reads a date from a clock slightly ahead as « à l’instant », an unreadable one as it is', () => {
    expect(formatRelative(ago(-30_000), now)).toBe('à l’instant');
    expect(formatRelative('pas une date', now)).toBe('pas une date');
  });
});

describe('length and progress', () => {
  it('estimates pages with a French decimal comma and the singular below two', () => {
    expect(formatPages(3.2)).toBe('≈ 3,2 pages');
    expect(formatPages(1)).toBe('≈ 1 page');
    expect(formatPages(0)).toBe('≈ 0 page');
    expect(formatPages(12)).toBe('≈ 12 pages');
  });

  it('compares a fiche with its 4 to 5 pages, not a synthesis', () => {
    expect(pagesStatus('fiche', 3.9)).toBe('under');
    expect(pagesStatus('fiche', 4.5)).toBe('within');
    expect(pagesStatus('fiche', 5.1)).toBe('over');
    expect(pagesStatus('synthese', 20)).toBe('none');
  });

  it('counts approved sections', () => {
    expect(formatProgress({ sections: 13, approved: 0 })).toBe('0 / 13 sections approuvées');
    expect(formatProgress({ sections: 13, approved: 1 })).toBe('1 / 13 sections approuvées');
    expect(formatProgress({ sections: 6, approved: 6 })).toBe('6 / 6 sections approuvées');
  });
});

describe('activity lines', () => {
  it('names the sections changed', () => {
    expect(
      activityAction({ kind: 'edited', sections: ['Public concerné', 'Effets et impacts'], fields: [] }),
    ).toBe('a modifié « Public concerné », « Effets et impacts »');
  });

  it('names at most three sections, then counts the others', () => {
    expect(activityAction({ kind: 'edited', sections: ['A', 'B', 'C', 'D', 'E'], fields: [] })).toBe(
      'a modifié « A », « B », « C » et 2 autres sections',
    );
    expect(activityAction({ kind: 'edited', sections: ['A', 'B', 'C', 'D'], fields: [] })).toBe(
      'a modifié « A », « B », « C » et une autre section',
    );
  });

  it('names the information fields in French', () => {
    expect(
      activityAction({ kind: 'edited', sections: ['Origine'], fields: ['territoire', 'anneeDemarrage'] }),
    ).toBe('a modifié « Origine » et les informations (territoire, année de démarrage)');
    expect(activityAction({ kind: 'edited', sections: [], fields: [] })).toBe('a modifié');
  });

  it('says created, archived, restored, and who', () => {
    expect(activityAction({ kind: 'created', sections: [], fields: [] })).toBe('a créé');
    expect(activityAction({ kind: 'archived', sections: [], fields: [] })).toBe('a archivé');
    expect(activityAction({ kind: 'restored', sections: [], fields: [] })).toBe('a restauré');
    expect(activityActor({ userName: null })).toBe('Une personne');
    expect(activityActor({ userName: 'Camille Martin' })).toBe('Camille Martin');
  });
});
