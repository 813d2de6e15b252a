import { describe, expect, it } from 'vitest';
import { lengthNotice, textLength, withinLimit } from './lengthLimit.js';

describe('the notice of a field with a length limit', () => {
  it('says nothing while the text is far from the limit', () => {
    expect(lengthNotice(0, 200)).toBeNull();
    expect(lengthNotice(179, 200)).toBeNull();
  });

  it('counts the characters in the last twenty', () => {
    expect(lengthNotice(180, 200)).toBe('180 caractères sur 200.');
    expect(lengthNotice(199, 200)).toBe('199 caractères sur 200.');
    expect(lengthNotice(61, 80)).toBe('61 caractères sur 80.');
  });

  it('says, at the limit, that nothing more will be added', () => {
    expect(lengthNotice(200, 200)).toBe(
      '200 caractères sur 200 : la limite est atteinte, la suite n’est pas ajoutée.',
    );
    expect(lengthNotice(80, 80)).toContain('la limite est atteinte');
  });
});

describe('what a field with a length limit keeps of an input', () => {
  const decomposed = (n: number) => 'e\u0301'.repeat(n);

  it('keeps 120 « é » pasted decomposed into an empty 200-character field, composed (tester BR40 H1)', () => {
    expect(withinLimit('', decomposed(120), 200)).toBe('é'.repeat(120));
    expect(textLength(decomposed(120))).toBe(120);
  });

  it('keeps of a paste only what fits, at its place, the text around it whole', () => {
    expect(withinLimit('abcdef', 'abc123456def', 8)).toBe('abc12def');
    expect(withinLimit('abcdef', 'abcdef123', 7)).toBe('abcdef1');
  });

  it('keeps nothing of a key typed into a full field', () => {
    expect(withinLimit('abcd', 'abXcd', 4)).toBe('abcd');
  });

  it('counts an emoji once, as the server does', () => {
    expect(withinLimit('', '👍'.repeat(5), 5)).toBe('👍'.repeat(5));
    expect(withinLimit('', '👍'.repeat(6), 5)).toBe('👍'.repeat(5));
  });
});
