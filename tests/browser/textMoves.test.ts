import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { artifactsDir } from './support/chromium.js';
import { unexpectedProblems, useBrowserApp } from './support/app.js';
import {
  blockTextsIn,
  sectionOf,
  storedDocument,
  textOf,
  useTwoRapporteurs,
  type Tab,
  placeCaret,
} from './support/coWriting.js';

/**
 * A co-writer splits (Enter), joins (Backspace) or pastes several paragraphs into the paragraph
 * someone is typing in, in two Chromium contexts. The editor's Yjs binding moves text by deleting
 * it and inserting a copy: the typist's keystrokes and caret must go along with the copy, and a
 * copy appended where they type must not cut their word (issue 8; textMoves.ts).
 */

const app = useBrowserApp();
const people = useTwoRapporteurs(app);

/** Milliseconds between two keystrokes of the typist: the co-writer acts in the middle. */
const KEY_DELAY = 40;

const paragraphsOf = (page: Page, key: string): Promise<string[]> =>
  blockTextsIn(page, `section[data-section-key="${key}"] p`);

async function storedParagraphs(documentName: string, key: string): Promise<string[]> {
  const out: string[] = [];
  (await storedDocument(app, documentName)).descendants((node) => {
    if (node.type.name === 'section') {
      if (node.attrs['key'] !== key) return false;
      node.descendants((child) => {
        if (child.type.name === 'paragraph') out.push(child.textContent);
        return true;
      });
      return false;
    }
    return true;
  });
  return out;
}

/** Both views and the stored document agree on the section's paragraphs; returns them. */
async function agreed(doc: { name: string; tabs: [Tab, Tab] }, key: string): Promise<string[]> {
  const [a, b] = doc.tabs;
  await expect
    .poll(async () => (await paragraphsOf(b.page, key)).join('\n'))
    .toBe((await paragraphsOf(a.page, key)).join('\n'));
  const shown = await paragraphsOf(a.page, key);
  await expect.poll(() => storedParagraphs(doc.name, key)).toEqual(shown);
  return shown;
}

/** Resolves once `page` shows `text` in `target`: the co-writer acts while the typist types on. */
const whenShown = (page: Page, target: (page: Page) => Locator, text: string) =>
  expect.poll(() => textOf(target(page)), { timeout: 10_000 }).toContain(text);

/**
 * The typist types `typed`, one key every {@link KEY_DELAY} ms; once the co-writer sees `cue` in
 * `target`, the co-writer does `act`, while the typist goes on typing.
 */
async function typeWhile(
  typist: Tab,
  typed: string,
  coWriter: Tab,
  target: (page: Page) => Locator,
  cue: string,
  act: (page: Page) => Promise<void>,
): Promise<void> {
  await Promise.all([
    typist.page.keyboard.type(typed, { delay: KEY_DELAY }),
    (async () => {
      await whenShown(coWriter.page, target, cue);
      await act(coWriter.page);
    })(),
  ]);
}

async function prepare(title: string, key: string, initial: string) {
  const doc = await people.openSharedFiche(title);
  const [bruno, chloe] = doc.tabs;
  const target = (page: Page) => sectionOf(page, key).locator('p').first();
  await target(bruno.page).click();
  await bruno.page.keyboard.type(initial);
  await expect.poll(() => textOf(target(chloe.page))).toBe(initial);
  return { doc, bruno, chloe, target };
}

/** A shared fiche whose « Origine » holds « Premier paragraphe. » and `second`, seen by both. */
async function twoParagraphs(title: string, second: string) {
  const doc = await people.openSharedFiche(title);
  const [bruno, chloe] = doc.tabs;
  const paragraph = (n: number) => (page: Page) => sectionOf(page, 'origine').locator('p').nth(n);
  await paragraph(0)(bruno.page).click();
  await bruno.page.keyboard.type('Premier paragraphe.');
  await bruno.page.keyboard.press('Enter');
  await bruno.page.keyboard.type(second);
  await expect.poll(() => textOf(paragraph(1)(chloe.page))).toBe(second);
  return { doc, bruno, chloe, paragraph };
}

describe('text moved by a co-writer while someone types in it', () => {
  it('keeps the typist’s words whole and their caret in the moved text when the paragraph is split before it', async () => {
    const { doc, bruno, chloe, target } = await prepare(
      'Conférences familiales dans le Nord',
      'origine',
      'Les familles réunies décident ensemble du plan.',
    );
    await placeCaret(bruno, chloe, target, 'Les familles réunies décident ensemble'.length);
    await placeCaret(chloe, bruno, target, 'Les familles réunies'.length);
    const typed = ' et chacun s’engage sur une action';
    await typeWhile(bruno, typed, chloe, target, 'ensemble et', async (page) => {
      await page.keyboard.press('Enter');
    });
    await expect.poll(() => paragraphsOf(bruno.page, 'origine').then((p) => p.join('|'))).toContain('action');
    const shown = await agreed(doc, 'origine');
    expect(shown).toEqual(['Les familles réunies', ` décident ensemble${typed} du plan.`]);
    // The caret went with the text: what Bruno types now continues his sentence.
    await bruno.page.keyboard.type(' précise');
    await expect
      .poll(() => paragraphsOf(chloe.page, 'origine'))
      .toEqual(['Les familles réunies', ` décident ensemble${typed} précise du plan.`]);
    for (const { problems } of doc.tabs)
      expect(unexpectedProblems(problems)).toEqual({ errors: [], cspViolations: [] });
  });

  it('keeps the typist’s words whole when a co-writer presses Enter then Backspace where they type', async () => {
    for (let round = 0; round < 3; round++) {
      const { doc, bruno, chloe, target } = await prepare(
        `Aller-vers en Creuse ${round}`,
        'vigilance',
        'Alpha beta gamma delta',
      );
      await placeCaret(bruno, chloe, target, 'Alpha beta'.length);
      await placeCaret(chloe, bruno, target, 'Alpha beta'.length);
      const typed = 'aaaaAAAAaaaa1111';
      await typeWhile(bruno, typed, chloe, target, 'aa', async (page) => {
        await page.keyboard.press('Enter');
        await page.keyboard.type('bbb', { delay: KEY_DELAY });
        for (let i = 0; i < 4; i++) await page.keyboard.press('Backspace');
        await page.keyboard.type('ZZ', { delay: KEY_DELAY });
      });
      await expect.poll(() => paragraphsOf(bruno.page, 'vigilance').then((p) => p.join('|'))).toContain('ZZ');
      await expect
        .poll(() => paragraphsOf(chloe.page, 'vigilance').then((p) => p.join('|')))
        .toContain('1111');
      const [paragraph, ...rest] = await agreed(doc, 'vigilance');
      expect(rest).toEqual([]);
      expect(paragraph).toContain(typed);
      expect(paragraph?.startsWith('Alpha beta')).toBe(true);
      expect(paragraph?.replace(typed, '').replace('ZZ', '')).toBe('Alpha beta gamma delta');
      for (const tab of doc.tabs) await tab.page.close();
    }
  });

  it('keeps the typist’s words whole and their caret when 400 lines are pasted before them in the paragraph', async () => {
    const { doc, bruno, chloe, target } = await prepare(
      'Pair-aidance en Gironde',
      'public',
      'Début du texte. Fin de la phrase.',
    );
    await placeCaret(bruno, chloe, target, 'Début du texte. Fin de la'.length);
    await placeCaret(chloe, bruno, target, 'Début du texte.'.length);
    const typed = ' longue et précise';
    const lines = Array.from({ length: 400 }, (_, i) => `Ligne collée ${i + 1}`);
    await typeWhile(bruno, typed, chloe, target, 'la longue', async (page) => {
      await page.evaluate((text) => {
        const data = new DataTransfer();
        data.setData('text/plain', text);
        document.activeElement?.dispatchEvent(
          new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }),
        );
      }, lines.join('\n'));
    });
    await expect.poll(() => paragraphsOf(bruno.page, 'public').then((p) => p.join('|'))).toContain('précise');
    await bruno.page.keyboard.type(' encore');
    const shown = await agreed(doc, 'public');
    expect(shown[0]).toBe('Début du texte.Ligne collée 1');
    expect(shown.at(-1)).toBe(`Ligne collée 400 Fin de la${typed} encore phrase.`);
    expect(shown).toHaveLength(400);
    await bruno.page.screenshot({ path: path.join(artifactsDir, 'texte-deplace-collage.png') });
    for (const { problems } of doc.tabs)
      expect(unexpectedProblems(problems)).toEqual({ errors: [], cspViolations: [] });
  });

  it('keeps the typist’s words, and nobody’s name, when a co-writer joins their paragraph to the one before', async () => {
    for (let round = 0; round < 3; round++) {
      const { doc, bruno, chloe, paragraph } = await twoParagraphs(
        `Développement du pouvoir d’agir ${round}`,
        'Second ',
      );
      await placeCaret(chloe, bruno, paragraph(1), 0);
      const typed = '0123456789abcdefghij';
      await typeWhile(bruno, typed, chloe, paragraph(1), 'Second 01234', async (page) => {
        await page.keyboard.press('Backspace');
      });
      await expect.poll(() => paragraphsOf(chloe.page, 'origine').then((p) => p.join('|'))).toContain('hij');
      const shown = await agreed(doc, 'origine');
      expect(shown[0]).toBe(`Premier paragraphe.Second ${typed}`);
      expect(shown.join('|')).not.toMatch(/Bruno|Chloé/);
      for (const tab of doc.tabs) await tab.page.close();
    }
  });

  it('keeps the typist’s words in the list item, not in the next title, when a co-writer makes their paragraph a list', async () => {
    const { doc, bruno, chloe, target } = await prepare(
      'Coordination pluridisciplinaire en Savoie',
      'origine',
      'Alpha beta gamma delta',
    );
    await placeCaret(bruno, chloe, target, 'Alpha beta gamma'.length);
    await placeCaret(chloe, bruno, target, 'Alpha'.length);
    const typed = ' abcdefghijklmnop';
    await typeWhile(bruno, typed, chloe, target, 'gamma abc', async (page) => {
      await page.getByRole('button', { name: /^Liste à puces/ }).click();
    });
    await bruno.page.keyboard.type(' FIN');
    const item = (page: Page) => sectionOf(page, 'origine').locator('li p').first();
    const expected = `Alpha beta gamma${typed} FIN delta`;
    for (const tab of doc.tabs) await expect.poll(() => textOf(item(tab.page))).toBe(expected);
    expect(await agreed(doc, 'origine')).toEqual([expected]);
    for (const tab of doc.tabs)
      await expect
        .poll(() => sectionOf(tab.page, 'description').locator('h2').textContent())
        .toBe('Description de la pratique et mise en œuvre');
  });

  it('keeps the typist’s words in their paragraph when a co-writer joins it to the one before and undoes it', async () => {
    for (let round = 0; round < 2; round++) {
      const { doc, bruno, chloe, paragraph } = await twoParagraphs(
        `Conférences familiales dans l’Ain ${round}`,
        'Alpha beta',
      );
      await placeCaret(bruno, chloe, paragraph(1), 'Alpha'.length);
      await placeCaret(chloe, bruno, paragraph(1), 0);
      const typed = ' abcdefghijklmnopqrstuvwxyz';
      await typeWhile(bruno, typed, chloe, paragraph(1), 'Alpha abc', async (page) => {
        await page.keyboard.press('Backspace');
        await whenShown(page, paragraph(0), 'Alpha abcdefgh');
        await page.keyboard.press('Control+z');
      });
      await bruno.page.keyboard.type(' FIN');
      await expect.poll(() => paragraphsOf(chloe.page, 'origine').then((p) => p.join('|'))).toContain('FIN');
      expect(await agreed(doc, 'origine')).toEqual(['Premier paragraphe.', `Alpha${typed} FIN beta`]);
      for (const tab of doc.tabs) await tab.page.close();
    }
  });

  it('keeps the typist’s words in order, once, when a co-writer joins their paragraph, undoes, redoes and undoes again', async () => {
    const { doc, bruno, chloe, paragraph } = await twoParagraphs('Pair-aidance en CCAS', 'Alpha beta');
    await placeCaret(bruno, chloe, paragraph(1), 'Alpha'.length);
    await placeCaret(chloe, bruno, paragraph(1), 0);
    const typed = ' abcdefghijklmnopqrstuvwxyz0123456789';
    await typeWhile(bruno, typed, chloe, paragraph(1), 'Alpha abc', async (page) => {
      await page.keyboard.press('Backspace');
      await whenShown(page, paragraph(0), 'Alpha abcdefg');
      await page.keyboard.press('Control+z');
      await whenShown(page, paragraph(1), 'Alpha abcdefghijkl');
      await page.keyboard.press('Control+Shift+z');
      await whenShown(page, paragraph(0), 'Alpha abcdefghijklmnopq');
      await page.keyboard.press('Control+z');
    });
    await bruno.page.keyboard.type(' FIN');
    await expect.poll(() => paragraphsOf(chloe.page, 'origine').then((p) => p.join('|'))).toContain('FIN');
    expect(await agreed(doc, 'origine')).toEqual(['Premier paragraphe.', `Alpha${typed} FIN beta`]);
  });

  it('keeps the typist’s words and caret in their text when a co-writer selects across the two paragraphs and types over it', async () => {
    const { doc, bruno, chloe, paragraph } = await twoParagraphs(
      'Aller-vers en Ardèche',
      'Alpha beta gamma delta.',
    );
    await placeCaret(bruno, chloe, paragraph(1), 'Alpha beta gamma'.length);
    await placeCaret(chloe, bruno, paragraph(0), 'Premier '.length);
    const titles = async () =>
      (await chloe.page.locator('h2[data-section-title]').allTextContents()).join('|');
    const titlesBefore = await titles();
    const typed = ' abcdefghijklmnopqrstuvwxyz';
    await typeWhile(bruno, typed, chloe, paragraph(1), 'gamma abc', async (page) => {
      // « paragraphe.⏎Alpha » selected, then typed over: both paragraphs end with a full stop.
      // The editor reads the page's selection on its `selectionchange` event, a moment later:
      // typing before it has would type at the old caret. The typist's keystrokes arriving
      // meanwhile redraw the paragraph and may drop the page's selection: it is set again until
      // the editor holds it.
      await expect
        .poll(() =>
          page.evaluate(() => {
            type WithEditor = HTMLElement & { editor?: { state: { selection: { empty: boolean } } } };
            const root = document.querySelector('.ProseMirror') as WithEditor | null;
            if (root?.editor && !root.editor.state.selection.empty) return true;
            const [first, second] = document.querySelectorAll('section[data-section-key="origine"] p');
            const start = first?.firstChild;
            const end = second?.firstChild;
            if (!(start instanceof Text) || !(end instanceof Text))
              throw new Error('paragraphes introuvables');
            const range = document.createRange();
            range.setStart(start, 'Premier '.length);
            range.setEnd(end, 'Alpha '.length);
            document.getSelection()?.removeAllRanges();
            document.getSelection()?.addRange(range);
            return false;
          }),
        )
        .toBe(true);
      await page.keyboard.type('XYZ');
    });
    await bruno.page.keyboard.type(' FIN');
    await expect.poll(() => paragraphsOf(chloe.page, 'origine').then((p) => p.join('|'))).toContain('FIN');
    expect(await agreed(doc, 'origine')).toEqual([`Premier XYZbeta gamma${typed} FIN delta.`]);
    expect(await titles()).toBe(titlesBefore);
  });
});
