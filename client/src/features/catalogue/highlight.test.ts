import { describe, expect, it } from 'vitest';
import { parseSnippet } from './highlight.js';

describe('search snippets', () => {
  it('splits a snippet into text and marked words, reading back the escaped characters', () => {
    expect(parseSnippet('… les <mark>conférences</mark> &amp; <mark>familles</mark> d&#39;accueil')).toEqual([
      { text: '… les ', marked: false },
      { text: 'conférences', marked: true },
      { text: ' & ', marked: false },
      { text: 'familles', marked: true },
      { text: " d'accueil", marked: false },
    ]);
  });

  it('never turns text into markup: escaped tags come back as text, other tags stay text', () => {
    expect(parseSnippet('&lt;script&gt;alert(1)&lt;/script&gt; <mark>x</mark>')).toEqual([
      { text: '<script>alert(1)</script> ', marked: false },
      { text: 'x', marked: true },
    ]);
    expect(parseSnippet('<b>gras</b> &amp;lt;')).toEqual([{ text: '<b>gras</b> &lt;', marked: false }]);
  });

  it('marks the rest of a snippet whose mark is not closed, and drops empty parts', () => {
    expect(parseSnippet('a <mark>b')).toEqual([
      { text: 'a ', marked: false },
      { text: 'b', marked: true },
    ]);
    expect(parseSnippet('<mark></mark>')).toEqual([]);
    expect(parseSnippet('')).toEqual([]);
  });
});
