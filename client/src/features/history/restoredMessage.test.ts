import { describe, expect, it } from 'vitest';
import type { VersionDto } from '@essaim/protocol';
import { parseVersionRestored } from './restoredMessage.js';

/** The « restauration » version recorded after restoring version 4. */
const version: VersionDto = {
  id: 'v-9',
  number: 9,
  kind: 'restauration',
  label: 'Restauration de la version 4',
  authors: [{ id: 'u1', name: 'Bruno' }],
  createdAt: '2026-03-10T09:00:00.000Z',
  createdBy: { id: 'u2', name: 'Chloé' },
};
const by = { id: 'u2', name: 'Chloé' };

describe('reading the restore notice sent on the document’s connection', () => {
  it('reads the new version, who restored, and the number of the version restored', () => {
    expect(parseVersionRestored(JSON.stringify({ type: 'version-restored', version, by }))).toEqual({
      type: 'version-restored',
      version,
      by,
      restoredNumber: 4,
    });
  });

  it('prefers the restored version’s number when the message carries it', () => {
    const message = { type: 'version-restored', version, by, from: { id: 'v-3', number: 3 } };
    expect(parseVersionRestored(JSON.stringify(message))?.restoredNumber).toBe(3);
  });

  it('falls back on the version’s own number when its label names no version', () => {
    const named = { ...version, kind: 'nommee', label: 'Relue par le groupe' };
    expect(
      parseVersionRestored(JSON.stringify({ type: 'version-restored', version: named, by }))?.restoredNumber,
    ).toBe(9);
  });

  it('ignores the other messages of the channel', () => {
    expect(parseVersionRestored(JSON.stringify({ type: 'access', access: 'read' }))).toBeNull();
    expect(parseVersionRestored(JSON.stringify({ type: 'threads-changed', threadId: null }))).toBeNull();
  });

  it('ignores text that is not JSON, and JSON that is not an object', () => {
    expect(parseVersionRestored('version-restored')).toBeNull();
    expect(parseVersionRestored('null')).toBeNull();
    expect(parseVersionRestored('["version-restored"]')).toBeNull();
  });

  it('refuses a notice whose version or person is malformed', () => {
    const bad = (change: object) => JSON.stringify({ type: 'version-restored', version, by, ...change });
    expect(parseVersionRestored(bad({ version: { ...version, number: '4' } }))).toBeNull();
    expect(parseVersionRestored(bad({ version: { ...version, kind: 'inconnue' } }))).toBeNull();
    expect(parseVersionRestored(bad({ version: { ...version, authors: [{ id: 1 }] } }))).toBeNull();
    expect(parseVersionRestored(bad({ by: { id: 'u2' } }))).toBeNull();
    expect(parseVersionRestored(bad({ by: null }))).toBeNull();
  });

  it('keeps only the person’s id and name, whatever else the message carries', () => {
    const message = parseVersionRestored(
      JSON.stringify({ type: 'version-restored', version, by: { ...by, email: 'chloe@example.org' } }),
    );
    expect(message?.by).toEqual(by);
  });
});
