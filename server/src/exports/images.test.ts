import { describe, expect, it } from 'vitest';
import { testPng } from './fixture.js';
import { loadImages, readImage } from './images.js';

/** The smallest headers of each accepted type, with a size of 300 × 200 pixels. */
function gif(): Buffer {
  const b = Buffer.alloc(16);
  b.write('GIF89a', 0, 'latin1');
  b.writeUInt16LE(300, 6);
  b.writeUInt16LE(200, 8);
  return b;
}
function jpeg(): Buffer {
  // SOI, an APP0 segment of 16 bytes, then SOF0 with height 200 and width 300.
  const app0 = Buffer.from([0xff, 0xe0, 0x00, 0x10, ...Buffer.alloc(14)]);
  const sof = Buffer.from([0xff, 0xc0, 0x00, 0x11, 0x08, 0x00, 0xc8, 0x01, 0x2c, 0x03, ...Buffer.alloc(9)]);
  return Buffer.concat([Buffer.from([0xff, 0xd8]), app0, sof]);
}
function webp(chunk: 'VP8 ' | 'VP8L' | 'VP8X'): Buffer {
  const b = Buffer.alloc(40);
  b.write('RIFF', 0, 'latin1');
  b.write('WEBP', 8, 'latin1');
  b.write(chunk, 12, 'latin1');
  if (chunk === 'VP8 ') {
    b.writeUInt16LE(300, 26);
    b.writeUInt16LE(200, 28);
  } else if (chunk === 'VP8L') {
    b.writeUInt32LE((300 - 1) | ((200 - 1) << 14), 21);
  } else {
    b.writeUIntLE(300 - 1, 24, 3);
    b.writeUIntLE(200 - 1, 27, 3);
  }
  return b;
}

describe('reading an image header', () => {
  it.each([
    ['PNG', testPng(300, 200), 'image/png'],
    ['GIF', gif(), 'image/gif'],
    ['JPEG', jpeg(), 'image/jpeg'],
    ['WebP lossy', webp('VP8 '), 'image/webp'],
    ['WebP lossless', webp('VP8L'), 'image/webp'],
    ['WebP extended', webp('VP8X'), 'image/webp'],
  ])('finds the type and the pixel size of a %s from its bytes', (_name, bytes, mime) => {
    expect(readImage(bytes)).toMatchObject({ mime, width: 300, height: 200 });
  });

  it('refuses SVG, truncated files and zero sizes', () => {
    expect(readImage(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'))).toBeNull();
    expect(readImage(testPng(4, 4).subarray(0, 20))).toBeNull();
    const empty = gif();
    empty.writeUInt16LE(0, 6);
    expect(readImage(empty)).toBeNull();
  });
});

describe('loading the images of a document', () => {
  it('asks once per distinct source and counts a null, a throw, a non-image and a silence as missing', async () => {
    const asked: string[] = [];
    const images = await loadImages(
      ['ok', 'null', 'ok', 'throws', 'text', 'silent'],
      async (src) => {
        asked.push(src);
        if (src === 'ok') return { data: testPng(10, 5), mime: 'image/png' };
        if (src === 'throws') throw new Error('disque illisible');
        if (src === 'text') return { data: Buffer.from('bonjour'), mime: 'image/png' };
        if (src === 'silent') return new Promise(() => undefined);
        return null;
      },
      50,
    );
    expect(asked.sort()).toEqual(['null', 'ok', 'silent', 'text', 'throws']);
    expect(images.get('ok')).toMatchObject({ width: 10, height: 5 });
    for (const src of ['null', 'throws', 'text', 'silent']) expect(images.get(src)).toBeNull();
  });
});
