import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as fontkit from 'fontkit';
import { describe, expect, it } from 'vitest';
import { ARABIC_FONT, fontRuns, TEXT_FONT, woffToSfnt } from './fonts.js';

const require = createRequire(import.meta.url);

describe('fonts of the PDF', () => {
  it('turns a WOFF font into the same font as TrueType/OpenType', () => {
    const woff = readFileSync(require.resolve('@gouvfr/dsfr/dist/fonts/Marianne-Regular.woff'));
    const fromWoff = fontkit.create(woff);
    const fromSfnt = fontkit.create(woffToSfnt(woff));
    if (!('numGlyphs' in fromWoff) || !('numGlyphs' in fromSfnt)) throw new Error('collection inattendue');
    expect(fromSfnt.numGlyphs).toBe(fromWoff.numGlyphs);
    expect(fromSfnt.familyName).toBe('Marianne');
    expect(fromSfnt.layout('Élargie').advanceWidth).toBe(fromWoff.layout('Élargie').advanceWidth);
  });

  it('draws French text with Marianne, Arabic right to left as one run, and emoji with Noto Emoji', () => {
    const runs = fontRuns('Famille العائلة الموسعة et 🤝.');
    expect(runs.map((r) => r.font)).toEqual([TEXT_FONT, ARABIC_FONT, TEXT_FONT, 'NotoEmojiemoji', TEXT_FONT]);
    expect(runs[1]).toEqual({ text: 'العائلة\u00a0الموسعة', font: ARABIC_FONT, rtl: true });
    expect(
      runs
        .map((r) => r.text)
        .join('')
        .replace(/\u00a0/g, ' '),
    ).toBe('Famille العائلة الموسعة et 🤝.');
  });

  it('cuts a long right-to-left run at spaces so it can wrap', () => {
    const words = Array.from({ length: 30 }, () => 'كلمة');
    const runs = fontRuns(words.join(' '), 20).filter((r) => r.rtl);
    expect(runs.length).toBeGreaterThan(1);
    for (const run of runs) expect(run.text.length).toBeLessThanOrEqual(20);
    expect(
      runs
        .map((r) => r.text)
        .join(' ')
        .replace(/\u00a0/g, ' '),
    ).toBe(words.join(' '));
  });
});
