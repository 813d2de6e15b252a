import { describe, expect, it } from 'vitest';
import { estimatePages, themeIdFrom } from './taxonomy.js';
import { ficheTemplate, sectionTemplate, syntheseTemplate, templates } from './templates.js';

describe('the templates of the working group', () => {
  it('give every section a unique key, a title and a French writing prompt', () => {
    for (const template of Object.values(templates)) {
      const keys = template.sections.map((s) => s.key);
      expect(new Set(keys).size).toBe(keys.length);
      for (const s of template.sections) {
        expect(s.title.length).toBeGreaterThan(3);
        expect(s.prompt.length).toBeGreaterThan(20);
      }
    }
  });

  it('never leave a « ? », « : » or « ; » of a prompt to start a line: the space before it does not break', () => {
    const prompts = Object.values(templates).flatMap((t) => t.sections.map((s) => s.prompt));
    expect(prompts.filter((p) => / [?!:;]/u.test(p))).toEqual([]);
    expect(sectionTemplate('fiche', 'origine')?.prompt).toContain('pratique\u00a0? Quel besoin');
  });

  it('follow the mandate: thirteen fiche sections with a two-entry evaluation, six synthesis sections', () => {
    expect(ficheTemplate.sections).toHaveLength(13);
    expect(sectionTemplate('fiche', 'evaluation')?.subheadings).toEqual([
      'Entrée processus',
      'Entrée effets et impacts',
    ]);
    expect(syntheseTemplate.sections.map((s) => s.title)).toEqual([
      'Introduction',
      'Lignes de force communes',
      'Démarche d’évaluation',
      'Conditions de développement',
      'Recommandations',
      'Annexes',
    ]);
    expect(sectionTemplate('fiche', 'crise-sanitaire')?.required).toBe(false);
    expect(sectionTemplate('fiche', null)).toBeUndefined();
  });
});

describe('vocabulary helpers', () => {
  it('derives theme ids without accents or punctuation', () => {
    expect(themeIdFrom('Développement du pouvoir d’agir')).toBe('developpement-du-pouvoir-d-agir');
    expect(themeIdFrom('  !!  ')).toBe('theme');
  });

  it('estimates pages from characters, with tables and images taking room', () => {
    expect(estimatePages(0)).toBe(0);
    expect(estimatePages(12_000)).toBe(4);
    expect(estimatePages(12_000, 3)).toBe(5);
  });
});
