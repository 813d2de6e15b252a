import { describe, expect, it } from 'vitest';
import { mailtoOf, nextAfterRemoval, readSignalStatus } from './signals.js';

describe('readSignalStatus', () => {
  it('reads the filter from the address, anything unknown being « en attente »', () => {
    expect(readSignalStatus(new URLSearchParams('statut=approuve'))).toBe('approuve');
    expect(readSignalStatus(new URLSearchParams('statut=refuse'))).toBe('refuse');
    expect(readSignalStatus(new URLSearchParams('statut=tout'))).toBe('en_attente');
    expect(readSignalStatus(new URLSearchParams())).toBe('en_attente');
  });
});

describe('nextAfterRemoval', () => {
  const list = [{ id: 'a' }, { id: 'b' }, { id: 'c' }];
  it('gives the focus to the next signal, else the previous one, else nothing', () => {
    expect(nextAfterRemoval(list, 'a')).toBe('b');
    expect(nextAfterRemoval(list, 'c')).toBe('b');
    expect(nextAfterRemoval([{ id: 'a' }], 'a')).toBeNull();
    expect(nextAfterRemoval(list, 'inconnu')).toBeNull();
  });
});

describe('mailtoOf', () => {
  it('keeps the address readable but lets nothing in it add headers', () => {
    expect(mailtoOf('camille.martin@example.org')).toBe('mailto:camille.martin@example.org');
    expect(mailtoOf('a?cc=b@example.org&body=x')).toBe('mailto:a%3Fcc%3Db@example.org%26body%3Dx');
  });
});
