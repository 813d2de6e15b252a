import { describe, expect, it } from 'vitest';
import { snippetOf } from '../services/publicationService.js';

/**
 * The public search's snippets (issue 13) cost a bounded amount of work whatever the length of a
 * published text: a fiche of megabytes must not hold the server while an anonymous visitor
 * searches it (the tester's fault: 7 s per search on a 6 MB fiche).
 */

const FILLER = 'Un coordinateur indépendant prépare la réunion avec chacun des proches. ';

/** `n` characters of prose without any form of « conférence ». */
const filler = (n: number): string => FILLER.repeat(Math.ceil(n / FILLER.length)).slice(0, n);

describe('search snippets of long published texts', () => {
  it('finds words written differently from their stem, deep in a text of megabytes, in a few milliseconds', () => {
    const text = `${filler(3_000_000)} Les Conférences familiales réunissent la famille élargie. ${filler(3_000_000)}`;
    const started = performance.now();
    const snippet = snippetOf(text, 'conférence familiale');
    const elapsed = performance.now() - started;
    expect(snippet).toContain('<mark>Conférences</mark> <mark>familiales</mark>');
    expect(snippet.startsWith('… ')).toBe(true);
    expect(snippet.endsWith(' …')).toBe(true);
    // Several seconds before; a native search of 6 MB takes some tens of milliseconds at worst.
    expect(elapsed).toBeLessThan(1000);
  });

  it('answers fast on the worst texts: the words nowhere, or their letters inside thousands of other words', () => {
    const found = `${filler(1_000_000)} une conférence ${filler(1_000_000)}`;
    const missing = filler(2_000_000);
    const lookalikes = 'univers divers pervers travers '.repeat(70_000);
    // A query typed as the stem (« conferent »), not as the text writes the word; words the
    // text never holds; « vers », whose letters are inside every word of the last text.
    for (const [text, query] of [
      [found, 'conferent'],
      [found, 'conférence'],
      [missing, 'licorne'],
      [missing, 'réunions proches'],
      [lookalikes, 'aller vers'],
    ] as const) {
      const started = performance.now();
      const snippet = snippetOf(text, query);
      // Reading 2 MB word by word took seconds; here a native search and one window.
      expect(performance.now() - started, query).toBeLessThan(1000);
      expect(snippet.length, query).toBeLessThan(400);
    }
  });

  it('gives the start of a long text when the words are only in the title', () => {
    const text = `Début du texte. ${filler(100_000)}`;
    const snippet = snippetOf(text, 'licorne');
    expect(snippet.startsWith('Début du texte.')).toBe(true);
    expect(snippet.endsWith(' …')).toBe(true);
    expect(snippet.length).toBeLessThan(300);
  });

  it('makes the same snippet of a long text as of the part around the words', () => {
    const around = `${filler(250)} Les <familles> élargies décident & agissent ensemble. ${filler(250)}`;
    const long = `${filler(50_000)} ${around} ${filler(50_000)}`;
    const whole = snippetOf(around, 'famille');
    const cut = snippetOf(long, 'famille');
    expect(cut).toContain('&lt;<mark>familles</mark>&gt; élargies décident &amp; agissent');
    // The same words around the same place, with « … » on both sides since the text goes on.
    expect(cut.replace(/^… | …$/g, '')).toBe(whole.replace(/^… | …$/g, ''));
  });

  it('finds words whatever their accents or case, and text written with decomposed accents', () => {
    const decomposed = 'Les confe\u0301rences familiales'.normalize('NFD');
    for (const written of ['CONFÉRENCES familiales', 'conferences familiales', decomposed]) {
      const snippet = snippetOf(`${filler(10_000)} ${written} ${filler(10_000)}`, 'conférence');
      expect(snippet, written).toMatch(/<mark>[^<]+<\/mark> familiales/u);
    }
  });

  it('finds a word typed without its ligature, « oeuvre » for « Œuvre »', () => {
    const snippet = snippetOf(
      `${filler(10_000)} Une Œuvre collective des familles. ${filler(10_000)}`,
      'oeuvre',
    );
    expect(snippet).toContain('Une <mark>Œuvre</mark> collective');
  });

  it('keeps short texts exactly as before: read whole, every form marked', () => {
    const text = `${'Avant. '.repeat(60)}Les <familles> élargies se réunissent ; une famille décide.`;
    const snippet = snippetOf(text, 'famille');
    expect(snippet.startsWith('… ')).toBe(true);
    expect(snippet).toContain('&lt;<mark>familles</mark>&gt; élargies');
    expect(snippet).toContain('une <mark>famille</mark> décide.');
    expect(snippetOf('Rien à voir.', 'famille')).toBe('Rien à voir.');
  });
});
