import { describe, expect, it } from 'vitest';
import { colorFor, hashPassword, signToken, tokenHash, verifyPassword, verifySignedToken } from './crypto.js';

describe('password hashing', () => {
  it('verifies the right password and refuses any other', async () => {
    const hash = await hashPassword('conférences-familiales');
    expect(hash).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(await verifyPassword('conférences-familiales', hash)).toBe(true);
    expect(await verifyPassword('conferences-familiales', hash)).toBe(false);
  });

  it('salts every hash, so equal passwords do not look equal', async () => {
    expect(await hashPassword('même-mot-de-passe')).not.toBe(await hashPassword('même-mot-de-passe'));
  });

  it('treats the composed and decomposed forms of an accented password as the same', async () => {
    const hash = await hashPassword('pratique-émergente');
    expect(await verifyPassword('pratique-e\u0301mergente', hash)).toBe(true);
  });

  it('refuses a malformed stored hash instead of throwing', async () => {
    expect(await verifyPassword('x', 'pas-un-hash')).toBe(false);
  });
});

describe('signed tokens', () => {
  it('round-trips a payload and refuses a tampered or foreign one', () => {
    const token = signToken('clé', { sid: 'abc', exp: 42 });
    expect(verifySignedToken('clé', token)).toEqual({ sid: 'abc', exp: 42 });
    expect(verifySignedToken('autre-clé', token)).toBeNull();
    const [body, signature] = token.split('.');
    const forged = Buffer.from(JSON.stringify({ sid: 'admin', exp: 42 })).toString('base64url');
    expect(verifySignedToken('clé', `${forged}.${signature}`)).toBeNull();
    expect(verifySignedToken('clé', `${body}`)).toBeNull();
  });

  it('stores tokens as hashes that differ from the token', () => {
    expect(tokenHash('secret')).toHaveLength(64);
    expect(tokenHash('secret')).not.toContain('secret');
  });

  it('gives each person one stable colour', () => {
    expect(colorFor('user-1')).toBe(colorFor('user-1'));
    expect(colorFor('user-1')).toMatch(/^#[0-9a-f]{6}$/);
  });
});
