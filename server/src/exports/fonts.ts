import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { inflateSync } from 'node:zlib';
import * as fontkit from 'fontkit';
import { isRtlChar } from './prepare.js';

const require = createRequire(import.meta.url);

/**
 * The sfnt (TrueType/OpenType) font inside a WOFF 1.0 file (W3C WOFF File Format 1.0, §3–5):
 * each table inflated once. pdfkit reads WOFF through fontkit, but fontkit inflates the whole
 * `glyf` table again for every glyph it reads, which cost a quarter of a 100-page export; the
 * converted font is read once per process.
 */
export function woffToSfnt(woff: Buffer): Buffer {
  if (woff.toString('latin1', 0, 4) !== 'wOFF') throw new Error('Not a WOFF 1.0 font');
  const flavor = woff.readUInt32BE(4);
  const numTables = woff.readUInt16BE(12);
  const tables: { tag: number; checksum: number; data: Buffer }[] = [];
  for (let i = 0; i < numTables; i++) {
    const at = 44 + i * 20;
    const offset = woff.readUInt32BE(at + 4);
    const compLength = woff.readUInt32BE(at + 8);
    const origLength = woff.readUInt32BE(at + 12);
    const raw = woff.subarray(offset, offset + compLength);
    tables.push({
      tag: woff.readUInt32BE(at),
      checksum: woff.readUInt32BE(at + 16),
      data: compLength < origLength ? inflateSync(raw) : Buffer.from(raw),
    });
  }
  const entrySelector = Math.floor(Math.log2(numTables));
  const searchRange = 2 ** entrySelector * 16;
  const header = Buffer.alloc(12 + numTables * 16);
  header.writeUInt32BE(flavor, 0);
  header.writeUInt16BE(numTables, 4);
  header.writeUInt16BE(searchRange, 6);
  header.writeUInt16BE(entrySelector, 8);
  header.writeUInt16BE(numTables * 16 - searchRange, 10);
  const parts: Buffer[] = [header];
  let offset = header.length;
  tables.forEach((table, i) => {
    const at = 12 + i * 16;
    header.writeUInt32BE(table.tag, at);
    header.writeUInt32BE(table.checksum, at + 4);
    header.writeUInt32BE(offset, at + 8);
    header.writeUInt32BE(table.data.length, at + 12);
    const padded = Buffer.alloc((table.data.length + 3) & ~3);
    table.data.copy(padded);
    parts.push(padded);
    offset += padded.length;
  });
  return Buffer.concat(parts);
}

/** A font face of the PDF: its name in pdfmake's font dictionary and its TrueType bytes. */
export interface PdfFontFamily {
  name: string;
  normal: Buffer;
  bold: Buffer;
  italics: Buffer;
  bolditalics: Buffer;
  /** Whether the face draws a character (the regular face decides for the family). */
  covers(codePoint: number): boolean;
}

const read = (specifier: string): Buffer => woffToSfnt(readFileSync(require.resolve(specifier)));

function family(
  name: string,
  files: { normal: string; bold?: string; italics?: string; bolditalics?: string },
): PdfFontFamily {
  const normal = read(files.normal);
  const bold = files.bold ? read(files.bold) : normal;
  const italics = files.italics ? read(files.italics) : normal;
  const bolditalics = files.bolditalics ? read(files.bolditalics) : bold;
  const font = fontkit.create(normal);
  if (!('hasGlyphForCodePoint' in font)) throw new Error(`${name}: font collection unexpected`);
  return { name, normal, bold, italics, bolditalics, covers: (cp) => font.hasGlyphForCodePoint(cp) };
}

/** Marianne, the French State's typeface (DSFR), shipped by `@gouvfr/dsfr`. */
export const TEXT_FONT = 'Marianne';
/** Noto Sans Arabic (`@fontsource/noto-sans-arabic`, SIL OFL) for Arabic script. */
export const ARABIC_FONT = 'NotoSansArabic';

/** Noto Emoji's subsets in `@fontsource/noto-emoji` (SIL OFL), monochrome outlines. */
const EMOJI_SUBSETS = ['emoji', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '10'] as const;

let loaded: PdfFontFamily[] | null = null;

/**
 * The PDF's font families, in fallback order: Marianne for Latin text, then Noto Sans Arabic, then
 * the Noto Emoji subsets. All come from npm packages (`npm ci` suffices), read once per process.
 */
export function pdfFonts(): PdfFontFamily[] {
  if (loaded) return loaded;
  const dsfr = '@gouvfr/dsfr/dist/fonts/';
  loaded = [
    family(TEXT_FONT, {
      normal: `${dsfr}Marianne-Regular.woff`,
      bold: `${dsfr}Marianne-Bold.woff`,
      italics: `${dsfr}Marianne-Regular_Italic.woff`,
      bolditalics: `${dsfr}Marianne-Bold_Italic.woff`,
    }),
    family(ARABIC_FONT, {
      normal: '@fontsource/noto-sans-arabic/files/noto-sans-arabic-arabic-400-normal.woff',
      bold: '@fontsource/noto-sans-arabic/files/noto-sans-arabic-arabic-700-normal.woff',
    }),
    ...EMOJI_SUBSETS.map((subset) =>
      family(`NotoEmoji${subset}`, {
        normal: `@fontsource/noto-emoji/files/noto-emoji-${subset}-400-normal.woff`,
      }),
    ),
  ];
  return loaded;
}

/** A piece of text drawn with one font; `rtl` pieces are laid out right to left by fontkit. */
export interface FontRun {
  text: string;
  font: string;
  rtl: boolean;
}

/**
 * Characters that never choose a font: they join the run they are in (white space, zero-width
 * joiners, variation selectors, skin-tone modifiers, emoji tags, combining marks).
 */
function joinsRun(char: string, codePoint: number): boolean {
  return (
    /\s/u.test(char) ||
    codePoint === 0x200c ||
    codePoint === 0x200d ||
    (codePoint >= 0xfe00 && codePoint <= 0xfe0f) ||
    (codePoint >= 0x1f3fb && codePoint <= 0x1f3ff) ||
    (codePoint >= 0xe0020 && codePoint <= 0xe007f) ||
    /\p{M}/u.test(char)
  );
}

const fontOf = new Map<number, string>();

function chooseFont(codePoint: number): string {
  let font = fontOf.get(codePoint);
  if (font === undefined) {
    font = pdfFonts().find((f) => f.covers(codePoint))?.name ?? TEXT_FONT;
    fontOf.set(codePoint, font);
  }
  return font;
}

/**
 * Splits text into runs of one font each (Marianne first, then the fallbacks that have the
 * glyph), so Arabic and emoji are drawn instead of missing-glyph boxes. A run of Arabic is marked
 * `rtl` and its spaces become no-break spaces: fontkit then lays the whole run out right to left
 * as one word, so its words read in the right order (pdfmake itself places words left to right).
 * Runs longer than `maxRtl` characters are cut at spaces so they can still wrap.
 */
export function fontRuns(text: string, maxRtl = 60): FontRun[] {
  const runs: FontRun[] = [];
  let current: FontRun | null = null;
  for (const char of text) {
    const codePoint = char.codePointAt(0) ?? 0;
    if (current && joinsRun(char, codePoint)) {
      current.text += current.rtl && char === ' ' ? '\u00a0' : char;
      continue;
    }
    const font = chooseFont(codePoint);
    const rtl = font === ARABIC_FONT && isRtlChar(char);
    if (current && current.font === font && current.rtl === rtl) {
      current.text += char;
    } else {
      current = { text: char, font, rtl };
      runs.push(current);
    }
  }
  // Join what splitting left side by side in one font (a space after an Arabic run, then Latin).
  const out: FontRun[] = [];
  for (const run of runs.flatMap((r) => (r.rtl ? splitRtl(r, maxRtl) : [r]))) {
    const last = out.at(-1);
    if (last && !last.rtl && !run.rtl && last.font === run.font) last.text += run.text;
    else out.push({ ...run });
  }
  return out;
}

/** Trailing no-break spaces of an RTL run go back to plain spaces (they separate it from what follows). */
function splitRtl(run: FontRun, max: number): FontRun[] {
  const trimmed = run.text.replace(/\u00a0+$/u, '');
  const trailing = run.text.slice(trimmed.length).replace(/\u00a0/gu, ' ');
  const words = trimmed.split('\u00a0');
  const out: FontRun[] = [];
  let chunk = '';
  for (const word of words) {
    if (chunk && chunk.length + 1 + word.length > max) {
      out.push({ ...run, text: chunk });
      out.push({ text: ' ', font: TEXT_FONT, rtl: false });
      chunk = word;
    } else chunk = chunk ? `${chunk}\u00a0${word}` : word;
  }
  out.push({ ...run, text: chunk });
  if (trailing) out.push({ text: trailing, font: TEXT_FONT, rtl: false });
  return out;
}
