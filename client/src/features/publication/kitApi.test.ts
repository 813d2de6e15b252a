import { describe, expect, it } from 'vitest';
import { formatSize, kitQuery, kitZipUrl } from './kitApi.js';

describe('kit d’essaimage addresses and sizes', () => {
  it('puts the theme and the search words in a stable query string, and leaves out what is empty', () => {
    expect(kitQuery({ espaceId: 'e1' })).toBe('');
    expect(kitQuery({ espaceId: 'e1', theme: null, q: '  ' })).toBe('');
    expect(kitQuery({ espaceId: 'e1', q: ' pair-aidance ', theme: 'aller-vers' })).toBe(
      '?theme=aller-vers&q=pair-aidance',
    );
    expect(kitZipUrl({ espaceId: 'espace 1/2', q: 'conférence familiale' })).toBe(
      '/api/espaces/espace%201%2F2/kit.zip?q=conf%C3%A9rence+familiale',
    );
  });

  it('writes sizes as French readers do, with decimal units', () => {
    expect(formatSize(1)).toBe('1 octet');
    expect(formatSize(820)).toBe('820 octets');
    expect(formatSize(1_400)).toBe('1 Ko');
    expect(formatSize(12_345)).toBe('12 Ko');
    expect(formatSize(4_200_000)).toBe('4,2 Mo');
    expect(formatSize(4_249_999)).toBe('4,2 Mo');
    expect(formatSize(1_300_000_000)).toBe('1,3 Go');
  });
});
