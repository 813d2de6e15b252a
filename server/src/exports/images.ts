import { IMAGE_TIMEOUT_MS, type ExportInput } from './types.js';

/** An image read from its bytes, ready to embed. */
export interface LoadedImage {
  data: Buffer;
  /** Read from the bytes' signature, never from what was declared. */
  mime: 'image/png' | 'image/jpeg' | 'image/gif' | 'image/webp';
  extension: 'png' | 'jpg' | 'gif' | 'webp';
  /** Size in pixels, read from the file header. */
  width: number;
  height: number;
}

/**
 * Type and pixel size of an image from its header: PNG (IHDR), JPEG (first SOF marker), GIF
 * (logical screen) and WebP (VP8, VP8L, VP8X), the four types the file store accepts. Null for
 * anything else, a truncated header or a zero size.
 */
export function readImage(data: Buffer): LoadedImage | null {
  const found = sniff(data);
  if (!found || found.width <= 0 || found.height <= 0) return null;
  return { data, ...found };
}

type Sniffed = Omit<LoadedImage, 'data'>;

function sniff(b: Buffer): Sniffed | null {
  if (b.length >= 24 && b.readUInt32BE(0) === 0x89504e47 && b.toString('latin1', 12, 16) === 'IHDR') {
    return { mime: 'image/png', extension: 'png', width: b.readUInt32BE(16), height: b.readUInt32BE(20) };
  }
  if (b.length >= 10 && b.toString('latin1', 0, 4) === 'GIF8') {
    return { mime: 'image/gif', extension: 'gif', width: b.readUInt16LE(6), height: b.readUInt16LE(8) };
  }
  if (b.length >= 4 && b[0] === 0xff && b[1] === 0xd8) return jpeg(b);
  if (b.length >= 30 && b.toString('latin1', 0, 4) === 'RIFF' && b.toString('latin1', 8, 12) === 'WEBP') {
    return webp(b);
  }
  return null;
}

function jpeg(b: Buffer): Sniffed | null {
  let at = 2;
  while (at + 9 < b.length) {
    if (b[at] !== 0xff) return null;
    const marker = b[at + 1] ?? 0;
    if (marker === 0xff) {
      at++;
      continue;
    }
    const length = b.readUInt16BE(at + 2);
    // Start of frame markers, except DHT (C4), JPG (C8) and DAC (CC).
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return {
        mime: 'image/jpeg',
        extension: 'jpg',
        height: b.readUInt16BE(at + 5),
        width: b.readUInt16BE(at + 7),
      };
    }
    at += 2 + length;
  }
  return null;
}

function webp(b: Buffer): Sniffed | null {
  const chunk = b.toString('latin1', 12, 16);
  const base = { mime: 'image/webp', extension: 'webp' } as const;
  if (chunk === 'VP8 ')
    return { ...base, width: b.readUInt16LE(26) & 0x3fff, height: b.readUInt16LE(28) & 0x3fff };
  if (chunk === 'VP8L') {
    const bits = b.readUInt32LE(21);
    return { ...base, width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1 };
  }
  if (chunk === 'VP8X') return { ...base, width: b.readUIntLE(24, 3) + 1, height: b.readUIntLE(27, 3) + 1 };
  return null;
}

/**
 * Asks the caller for every distinct image `src` at once (a few at a time) and reads each answer.
 * An image is null (missing) when the loader answers null, throws, answers something that is not a
 * PNG, JPEG, GIF or WebP, or takes longer than {@link IMAGE_TIMEOUT_MS}: an export never waits
 * forever on one image nor fails because of it (La Suite Docs' export spinning on a missing image).
 */
export async function loadImages(
  sources: Iterable<string>,
  load: ExportInput['images'],
  timeoutMs = IMAGE_TIMEOUT_MS,
): Promise<Map<string, LoadedImage | null>> {
  const pending = [...new Set(sources)];
  const out = new Map<string, LoadedImage | null>();
  const worker = async (): Promise<void> => {
    for (let src = pending.shift(); src !== undefined; src = pending.shift()) {
      out.set(src, await loadOne(src, load, timeoutMs));
    }
  };
  await Promise.all(Array.from({ length: Math.min(4, pending.length) }, worker));
  return out;
}

async function loadOne(
  src: string,
  load: ExportInput['images'],
  timeoutMs: number,
): Promise<LoadedImage | null> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), timeoutMs);
  });
  try {
    const answer = await Promise.race([Promise.resolve().then(() => load(src)), timeout]);
    return answer && Buffer.isBuffer(answer.data) ? readImage(answer.data) : null;
  } catch {
    return null;
  } finally {
    clearTimeout(timer);
  }
}
