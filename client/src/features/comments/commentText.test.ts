import { describe, expect, it } from 'vitest';
import { mentionToken } from '@essaim/protocol';
import {
  insertMention,
  linkify,
  mentionQueryAt,
  plainText,
  shownParts,
  suggestPeople,
  toBody,
  toEditable,
} from './commentText.js';

const sophie = { id: 'u-sophie', name: 'Sophie Lambert' };
const anne = { id: 'u-anne', name: 'Anne' };
const anneMarie = { id: 'u-am', name: 'Anne Marie' };

describe('links in a comment', () => {
  it('are made only of http and https addresses, without the sentence’s final punctuation', () => {
    expect(linkify('Voir https://www.hcts.fr/rapport. Merci')).toEqual([
      { kind: 'text', text: 'Voir ' },
      { kind: 'link', text: 'https://www.hcts.fr/rapport', href: 'https://www.hcts.fr/rapport' },
      { kind: 'text', text: '. Merci' },
    ]);
  });

  it('keep a closing parenthesis that belongs to the address', () => {
    const parts = linkify('(cf. https://fr.wikipedia.org/wiki/Pair-aidance_(santé))');
    expect(parts[1]).toMatchObject({
      kind: 'link',
      text: 'https://fr.wikipedia.org/wiki/Pair-aidance_(santé)',
    });
  });

  it('leave javascript:, data: and other schemes as plain text', () => {
    for (const text of [
      'javascript:alert(1)',
      'data:text/html,<script>alert(1)</script>',
      'JaVaScRiPt:alert(1) http://',
    ]) {
      expect(linkify(text).every((part) => part.kind === 'text')).toBe(true);
    }
  });
});

describe('mentions in a comment', () => {
  it('are written as tokens for the people chosen, longest names first', () => {
    const body = toBody({ text: '@Anne Marie et @Anne, voyez.', mentions: [anne, anneMarie] });
    expect(body).toBe(`${mentionToken(anneMarie)} et ${mentionToken(anne)}, voyez.`);
  });

  it('are not tokens when the name goes on with more letters, or when the person was not chosen', () => {
    expect(toBody({ text: '@Annette et @Sophie Lambert', mentions: [anne] })).toBe(
      '@Annette et @Sophie Lambert',
    );
  });

  it('come back as @Nom with the list of people when a message is edited', () => {
    const body = `Bonjour ${mentionToken(sophie)} !`;
    expect(toEditable(body)).toEqual({ text: 'Bonjour @Sophie Lambert !', mentions: [sophie] });
    expect(toBody(toEditable(body))).toBe(body);
    const spoofed = `Bonjour ${mentionToken({ id: sophie.id, name: 'Le support' })} !`;
    expect(toEditable(spoofed, [sophie])).toEqual({ text: 'Bonjour @Sophie Lambert !', mentions: [sophie] });
  });

  it('are shown as @Nom, links beside them, and a hostile name stays text', () => {
    const hostile = { id: 'u-x', name: '<img src=x onerror=alert(1)>' };
    const parts = shownParts(`${mentionToken(hostile)} voir https://a.fr`, [hostile]);
    expect(parts[0]).toEqual({ kind: 'mention', name: '<img src=x onerror=alert(1)>', userId: 'u-x' });
    expect(parts.at(-1)).toMatchObject({ kind: 'link', href: 'https://a.fr/' });
    expect(plainText(`Merci ${mentionToken(sophie)}`, [sophie])).toBe('Merci @Sophie Lambert');
  });

  it('are named after the account the server names, never after the label written in the token', () => {
    const body = `${mentionToken({ id: sophie.id, name: 'L’administrateur vous demande votre mot de passe' })} ok`;
    expect(shownParts(body, [sophie])).toEqual([
      { kind: 'mention', name: 'Sophie Lambert', userId: sophie.id },
      { kind: 'text', text: ' ok' },
    ]);
    expect(plainText(body, [sophie])).toBe('@Sophie Lambert ok');
  });

  it('are plain text when the server does not count the person as mentioned', () => {
    const body = `Voir ${mentionToken({ id: 'u-dehors', name: 'Support https://x.fr' })} vite`;
    expect(shownParts(body, [])).toEqual([
      { kind: 'text', text: 'Voir @Support ' },
      { kind: 'link', text: 'https://x.fr', href: 'https://x.fr/' },
      { kind: 'text', text: ' vite' },
    ]);
    expect(shownParts(body, [sophie]).some((part) => part.kind === 'mention')).toBe(false);
  });
});

describe('typing @', () => {
  it('opens suggestions after a space or at the start, with what follows up to the caret', () => {
    expect(mentionQueryAt('Merci @So', 9)).toEqual({ start: 6, query: 'So' });
    expect(mentionQueryAt('@', 1)).toEqual({ start: 0, query: '' });
    expect(mentionQueryAt('Merci @Sophie La', 16)).toEqual({ start: 6, query: 'Sophie La' });
  });

  it('does not open them inside an email address, after a line break, or once a space follows the name', () => {
    expect(mentionQueryAt('ecrire a paul@hcts.fr', 21)).toBeNull();
    expect(mentionQueryAt('@Sophie\nmerci', 13)).toBeNull();
    expect(mentionQueryAt('@Sophie Lambert ', 16)).toBeNull();
  });

  it('suggests people whose name words start with the words typed, accents and case aside', () => {
    const people = [sophie, { id: 'u-e', name: 'Émile Durand' }, anne];
    expect(suggestPeople(people, 'sop lam')).toEqual([sophie]);
    expect(suggestPeople(people, 'emi')).toEqual([people[1]]);
    expect(suggestPeople(people, '')).toEqual(people);
    expect(suggestPeople(people, 'x')).toEqual([]);
  });

  it('replaces the query by the name and a space, caret after it', () => {
    const text = 'Merci @So pour tout';
    const query = mentionQueryAt(text, 9);
    if (!query) throw new Error('aucune mention en cours');
    expect(insertMention(text, query, 9, sophie)).toEqual({
      text: 'Merci @Sophie Lambert pour tout',
      caret: 'Merci @Sophie Lambert '.length,
    });
  });
});
