import { describe, expect, it } from 'vitest';
import { commentBody } from './comments.js';
import { reviewSectionInput } from './review.js';
import { isPlainText, withoutInvisibleControls } from './text.js';

describe('plain text typed by people', () => {
  it('keeps line breaks, tabs, accents and emoji', () => {
    expect(isPlainText('Première ligne\nSeconde\tligne 🐝 « guillemets »')).toBe(true);
  });

  it.each([
    ['a NUL byte', 'ok\u0000'],
    ['a terminal escape', 'ok\u001b[31m'],
    ['a C1 control', 'ok\u0085'],
    ['a right-to-left override', 'ok\u202Ekcatta'],
    ['an isolate', 'ok\u2066x\u2069'],
  ])('refuses %s, in a comment and in a review message', (_name, text) => {
    expect(isPlainText(text)).toBe(false);
    expect(commentBody.safeParse(text).success).toBe(false);
    expect(reviewSectionInput.safeParse({ action: 'submit', message: text }).success).toBe(false);
  });
});

describe('withoutInvisibleControls', () => {
  it('takes invisible controls out of every string, however deep, and keeps the rest', () => {
    expect(
      withoutInvisibleControls({
        type: 'doc',
        content: [{ text: 'a\u0000b\u202Ec\nd\te 🐝', marks: [{ attrs: { href: 'https://x.fr/\u0085p' } }] }],
        n: 3,
        empty: null,
      }),
    ).toEqual({
      type: 'doc',
      content: [{ text: 'abc\nd\te 🐝', marks: [{ attrs: { href: 'https://x.fr/p' } }] }],
      n: 3,
      empty: null,
    });
  });
});
