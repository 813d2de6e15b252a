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

/** The text of every paragraph of the editor, in document order (table cells included). */
const paragraphsIn = (page: Page): Promise<string[]> => blockTextsIn(page, 'p');

/** The text of every paragraph of the document as the server stores it. */
async function storedParagraphs(documentName: string): Promise<string[]> {
  const paragraphs: string[] = [];
  (await storedDocument(app, documentName)).descendants((node) => {
    if (node.type.name === 'paragraph') paragraphs.push(node.textContent);
    return true;
  });
  return paragraphs;
}

/**
 * Two rapporteurs typing at the same spot at the same moment, in two Chromium contexts: at the
 * end of a paragraph, in an empty template paragraph, in a table cell. Each person's text must
 * arrive in order and unbroken, and both views must equal what the server stored (issue 8,
 * items 1 and 2: carets put back at a stale offset, first character doubled).
 */

const app = useBrowserApp();
const people = useTwoRapporteurs(app);

/** Milliseconds between two keystrokes: slow enough that both people's keystrokes interleave. */
const KEY_DELAY = 35;

/**
 * Both people put their caret at the end of `target`, then type at the same time, one key every
 * {@link KEY_DELAY} ms. Resolves once both views show both texts.
 */
async function typeTogether(tabs: [Tab, Tab], target: (page: Page) => Locator, texts: [string, string]) {
  await placeCaret(tabs[0], tabs[1], target);
  await placeCaret(tabs[1], tabs[0], target);
  await Promise.all(tabs.map(({ page }, i) => page.keyboard.type(texts[i] as string, { delay: KEY_DELAY })));
  for (const { page } of tabs)
    for (const text of texts)
      await expect.poll(() => paragraphsIn(page).then((p) => p.join('\n'))).toContain(text);
}

/**
 * The paragraph `target` now holds what it held before with, at one place, each person's text
 * whole, one after the other in either order (the place is the end, unless the paragraph wraps:
 * End goes to the end of the visual line); both views and the stored document agree on every
 * paragraph.
 */
async function expectBothTextsUnbroken(
  doc: { name: string; tabs: [Tab, Tab] },
  target: (page: Page) => Locator,
  before: string,
  [first, second]: [string, string],
) {
  const [a, b] = doc.tabs;
  await expect
    .poll(async () => (await paragraphsIn(b.page)).join('\n'))
    .toBe((await paragraphsIn(a.page)).join('\n'));
  const text = await textOf(target(a.page));
  const both = [first + second, second + first];
  const at = [...Array(before.length + 1).keys()].find((i) =>
    both.some((typed) => text === before.slice(0, i) + typed + before.slice(i)),
  );
  expect(at, `${JSON.stringify(text)} : textes de ${JSON.stringify(both)} coupés`).not.toBeUndefined();
  const shown = await paragraphsIn(a.page);
  await expect.poll(() => storedParagraphs(doc.name)).toEqual(shown);
}

describe('two people typing at the same spot at the same time', () => {
  it('keeps each person’s text whole at the end of a paragraph, round after round', async () => {
    const doc = await people.openSharedFiche('Conférences familiales en Gironde');
    const target = (page: Page) => sectionOf(page, 'origine').locator('p').first();
    const [brunoTab, chloeTab] = doc.tabs;
    await placeCaret(brunoTab, chloeTab, target);
    await brunoTab.page.keyboard.type('Le texte de départ.');
    await expect.poll(() => textOf(target(chloeTab.page))).toBe('Le texte de départ.');

    let before = 'Le texte de départ.';
    const rounds: [string, string][] = [
      [' Premier rapporteur écrit ceci.', ' Seconde rapporteure écrit cela.'],
      [' abcdefghij', ' 0123456789'],
      [' Bruno relit le paragraphe.', ' Chloé complète la phrase.'],
    ];
    for (const texts of rounds) {
      await typeTogether(doc.tabs, target, texts);
      await expectBothTextsUnbroken(doc, target, before, texts);
      before = await textOf(target(brunoTab.page));
    }
    await brunoTab.page.screenshot({ path: path.join(artifactsDir, 'meme-endroit-fin-de-paragraphe.png') });
    for (const { problems } of doc.tabs)
      expect(unexpectedProblems(problems)).toEqual({ errors: [], cspViolations: [] });
  });

  it('keeps each person’s text whole, first character included, in an empty template paragraph', async () => {
    const doc = await people.openSharedFiche('Aller-vers dans l’Oise');
    const keys = ['origine', 'description', 'public'];
    const rounds: [string, string][] = [
      ['0123456789', 'ABCDEFGHIJ'],
      ['Premier rapporteur écrit ceci.', 'Seconde rapporteure écrit cela.'],
      ['xyzxyzxyz', 'QRSTUVWXYZ'],
    ];
    for (const [index, texts] of rounds.entries()) {
      const target = (page: Page) =>
        sectionOf(page, keys[index] as string)
          .locator('p')
          .first();
      await typeTogether(doc.tabs, target, texts);
      await expectBothTextsUnbroken(doc, target, '', texts);
    }

    // An empty paragraph one of them just made with Enter is shared the same way.
    const [brunoTab, chloeTab] = doc.tabs;
    await placeCaret(brunoTab, chloeTab, (page) => sectionOf(page, 'origine').locator('p').first());
    await brunoTab.page.keyboard.press('Enter');
    const made = (page: Page) => sectionOf(page, 'origine').locator('p').nth(1);
    await made(chloeTab.page).waitFor();
    await typeTogether(doc.tabs, made, ['Ligne de Bruno', 'Ligne de Chloé']);
    await expectBothTextsUnbroken(doc, made, '', ['Ligne de Bruno', 'Ligne de Chloé']);
    for (const { problems } of doc.tabs)
      expect(unexpectedProblems(problems)).toEqual({ errors: [], cspViolations: [] });
  });

  it('keeps each person’s text whole in a table cell, empty or not', async () => {
    const doc = await people.openSharedFiche('Pair-aidance en Ille-et-Vilaine');
    const [brunoTab, chloeTab] = doc.tabs;
    await placeCaret(brunoTab, chloeTab, (page) => sectionOf(page, 'acteurs').locator('p').first());
    await brunoTab.page.getByRole('button', { name: /^Insérer un tableau/ }).click();
    const cell = (row: number, column: number) => (page: Page) =>
      sectionOf(page, 'acteurs').locator('tr').nth(row).locator('td, th').nth(column).locator('p');
    await cell(1, 0)(chloeTab.page).waitFor();

    const rounds: { target: (page: Page) => Locator; texts: [string, string] }[] = [
      { target: cell(1, 0), texts: ['Conseil départemental', 'Caisse d’allocations familiales'] },
      { target: cell(1, 1), texts: ['0123456789', 'ABCDEFGHIJ'] },
      { target: cell(1, 0), texts: [' et mairie', ' et associations'] },
    ];
    for (const { target, texts } of rounds) {
      const before = await textOf(target(brunoTab.page));
      await typeTogether(doc.tabs, target, texts);
      await expectBothTextsUnbroken(doc, target, before, texts);
    }
    await brunoTab.page.screenshot({ path: path.join(artifactsDir, 'meme-endroit-tableau.png') });
    for (const { problems } of doc.tabs)
      expect(unexpectedProblems(problems)).toEqual({ errors: [], cspViolations: [] });
  });
});
