import { describe, expect, it } from 'vitest';
import { loginPathFor, safeReturnPath } from './returnPath.js';

describe('page to come back to after logging in', () => {
  it('keeps a path of this site, with its query and fragment', () => {
    expect(safeReturnPath('/documents/abc?x=1#titre')).toBe('/documents/abc?x=1#titre');
  });

  it('refuses addresses that would leave the site or loop on the login page', () => {
    for (const value of [
      '//evil.example',
      '/\\evil.example',
      'https://evil.example',
      'javascript:alert(1)',
      '',
    ]) {
      expect(safeReturnPath(value)).toBeNull();
    }
    expect(safeReturnPath('/connexion?retour=/x')).toBeNull();
    expect(safeReturnPath(null)).toBeNull();
  });

  it('builds the login address, without a parameter for the home page', () => {
    expect(loginPathFor('/espaces/1/personnes')).toBe('/connexion?retour=%2Fespaces%2F1%2Fpersonnes');
    expect(loginPathFor('/')).toBe('/connexion');
    expect(loginPathFor('//evil.example')).toBe('/connexion');
  });
});
