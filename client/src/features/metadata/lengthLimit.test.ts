import { describe, expect, it } from 'vitest';
import { lengthNotice } from './lengthLimit.js';

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
