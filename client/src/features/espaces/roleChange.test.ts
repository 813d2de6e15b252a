import { describe, expect, it } from 'vitest';
import { roleChangeConsequences } from './roleChange.js';

describe('what the confirmation of a role change says', () => {
  it('tells that a rapporteur made membre keeps her documents, suspended, and how to give them back', () => {
    const sentences = roleChangeConsequences({
      name: 'Karima Haddad',
      from: 'rapporteur',
      to: 'membre',
      assignedTitles: ['Pair-aidance en Ille-et-Vilaine', 'Aller-vers dans l’Oise'],
      self: false,
    });
    expect(sentences).toEqual([
      'Karima Haddad lira et commentera les documents de l’espace, sans pouvoir les modifier.',
      'Les 2 documents qui lui sont attribués (« Pair-aidance en Ille-et-Vilaine », « Aller-vers dans l’Oise ») lui restent attribués, mais les attributions sont suspendues : elles redeviennent actives si vous lui redonnez le rôle rapporteur ou animateur.',
    ]);
  });

  it('names three titles at most', () => {
    const [, kept] = roleChangeConsequences({
      name: 'Thomas Girard',
      from: 'animateur',
      to: 'membre',
      assignedTitles: ['A', 'B', 'C', 'D'],
      self: false,
    });
    expect(kept).toContain('Les 4 documents qui lui sont attribués (« A », « B », « C »…)');
  });

  it('tells that a membre made rapporteur gets her former documents back', () => {
    expect(
      roleChangeConsequences({
        name: 'Paul Renaud',
        from: 'membre',
        to: 'rapporteur',
        assignedTitles: [],
        self: false,
      }),
    ).toEqual([
      'Paul Renaud pourra créer des documents et rédiger ceux qui lui sont attribués ; les autres, en lecture.',
      'Les documents qui lui étaient attribués avant de passer membre lui sont de nouveau attribués.',
    ]);
  });

  it('warns first when someone changes their own role', () => {
    const [first] = roleChangeConsequences({
      name: 'Sophie Lambert',
      from: 'animateur',
      to: 'rapporteur',
      assignedTitles: [],
      self: true,
    });
    expect(first).toBe('Vous changez votre propre rôle : vous perdrez peut-être l’accès à cette page.');
  });
});
