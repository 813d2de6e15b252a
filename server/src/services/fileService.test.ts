import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { fileHashesIn, formatBytes, quotaMessage } from './fileService.js';

const HASH = 'a'.repeat(64);
const OTHER = 'b'.repeat(64);

/** A document with one image element whose source is the file `hash`. */
function documentShowing(hash: string): Y.Doc {
  const doc = new Y.Doc();
  const image = new Y.XmlElement('image');
  image.setAttribute('src', `/api/files/${hash}`);
  doc.getXmlFragment('default').insert(0, [image]);
  return doc;
}

describe('the images a stored document shows', () => {
  it('finds the file of an image in an encoded state, in V1 and V2 encodings', () => {
    const doc = documentShowing(HASH);
    expect(fileHashesIn([Y.encodeStateAsUpdate(doc)])).toEqual(new Set([HASH]));
    expect(fileHashesIn([Y.encodeStateAsUpdateV2(doc)])).toEqual(new Set([HASH]));
  });

  it('no longer finds an image deleted before the state was compacted', () => {
    const doc = documentShowing(HASH);
    doc.getXmlFragment('default').delete(0, 1);
    const compacted = new Y.Doc();
    Y.applyUpdate(compacted, Y.encodeStateAsUpdate(doc));
    expect(fileHashesIn([Y.encodeStateAsUpdate(compacted)])).toEqual(new Set());
  });

  it('reads every blob given, skips missing ones, and ignores what is not a whole hash', () => {
    const truncated = new TextEncoder().encode(`/api/files/${OTHER.slice(0, 40)}`);
    expect(fileHashesIn([null, undefined, Y.encodeStateAsUpdate(documentShowing(OTHER)), truncated])).toEqual(
      new Set([OTHER]),
    );
  });
});

describe('quota messages', () => {
  it('say which quota in French binary units', () => {
    expect(formatBytes(52_428_800)).toBe('50 Mio');
    expect(formatBytes(500_000)).toBe('488,3 Kio');
    expect(quotaMessage('document', { documentBytes: 52_428_800, accountBytes: 1 })).toContain(
      'Ce document a atteint sa limite d’images (50 Mio)',
    );
  });
});
