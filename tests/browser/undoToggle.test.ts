import { describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { unexpectedProblems, useBrowserApp } from './support/app.js';
import {
  blockTextsIn,
  placeCaret,
  sectionOf,
  storedDocument,
  textOf,
  useTwoRapporteurs,
  type Tab,
} from './support/coWriting.js';

/**
 * A co-writer makes the paragraph someone is typing in a heading or a list item, undoes it, then
 * redoes it, while the typist goes on typing (issue 8). The editor's Yjs binding changes a block
 * by deleting it and inserting a new one, and Yjs's undo does the same the other way: the typist's
 * keystrokes typed since must end, once and in order, in the block that stands there at the end
 * (they were lost 3 runs of 3 before undoScope.ts carried them along), and both carets must stay
 * in it.
 */

const app = useBrowserApp();
const people = useTwoRapporteurs(app);

/** Milliseconds between two keystrokes of the typist: the co-writer acts in between. */
const KEY_DELAY = 40;

/** Every textblock of the « Origine » section as `tag:text` (its title included), without carets. */
const blocksIn = (page: Page): Promise<string[]> =>
  blockTextsIn(page, 'section[data-section-key="origine"] :is(h2, h3, h4, p)', { tags: true });

/** The same list as the server stores the document (`li` blocks are their paragraphs). */
async function storedBlocks(documentName: string): Promise<string[]> {
  const blocks: string[] = [];
  (await storedDocument(app, documentName)).descendants((node) => {
    if (node.type.name === 'section') {
      if (node.attrs['key'] !== 'origine') return false;
      node.descendants((child) => {
        const name = child.type.name;
        if (name === 'sectionTitle') blocks.push(`h2:${child.textContent}`);
        else if (name === 'paragraph') blocks.push(`p:${child.textContent}`);
        else if (name === 'heading') blocks.push(`h${String(child.attrs['level'])}:${child.textContent}`);
        return true;
      });
      return false;
    }
    return true;
  });
  return blocks;
}

/** Resolves once `page` shows `text` in the « Origine » section. */
const whenShown = (page: Page, text: string) =>
  expect.poll(() => textOf(sectionOf(page, 'origine')), { timeout: 10_000 }).toContain(text);

/** A shared fiche whose « Origine » holds « Premier paragraphe. » then « Alpha beta », seen by both. */
async function twoParagraphs(title: string): Promise<{ doc: { name: string; tabs: [Tab, Tab] } }> {
  const doc = await people.openSharedFiche(title);
  const [bruno, chloe] = doc.tabs;
  const paragraph = (n: number) => (page: Page) => sectionOf(page, 'origine').locator('p').nth(n);
  await paragraph(0)(bruno.page).click();
  await bruno.page.keyboard.type('Premier paragraphe.');
  await bruno.page.keyboard.press('Enter');
  await bruno.page.keyboard.type('Alpha beta');
  await expect.poll(() => textOf(paragraph(1)(chloe.page))).toBe('Alpha beta');
  // Bruno types after « Alpha »; Chloé's caret is at the start of the same paragraph.
  await placeCaret(bruno, chloe, paragraph(1), 'Alpha'.length);
  await placeCaret(chloe, bruno, paragraph(1), 0);
  return { doc };
}

/** The toggles a co-writer makes: a heading (Ctrl+Alt+3) or a bullet list (toolbar button). */
const toggles: { name: string; tag: string; toggle: (page: Page) => Promise<void> }[] = [
  { name: 'a level-3 heading', tag: 'h3', toggle: (page) => page.keyboard.press('Control+Alt+3') },
  {
    name: 'a bullet list item',
    tag: 'p',
    toggle: (page) => page.getByRole('button', { name: /^Liste à puces/ }).click(),
  },
];

/** The block holding « Alpha » in `page`: the heading or the list item's paragraph. */
const alphaBlock = (page: Page, tag: string): Locator =>
  sectionOf(page, 'origine')
    .locator(tag === 'h3' ? 'h3' : 'li p')
    .first();

describe('a co-writer toggles a paragraph, undoes and redoes while someone types in it', () => {
  for (const { name, tag, toggle } of toggles)
    it(`keeps every keystroke of the typist, once and in order, through ${name}, its undo and its redo`, async () => {
      for (let round = 0; round < 3; round++) {
        const { doc } = await twoParagraphs(`Conférences familiales en Ardèche ${tag} ${round}`);
        const [bruno, chloe] = doc.tabs;
        const typed = ' abcdefghijklmnopqrstuvwxyz0123456789';
        await Promise.all([
          bruno.page.keyboard.type(typed, { delay: KEY_DELAY }),
          (async () => {
            await whenShown(chloe.page, 'Alpha abcd');
            await toggle(chloe.page);
            await whenShown(chloe.page, 'Alpha abcdefghijk');
            await chloe.page.keyboard.press('Control+z');
            await whenShown(chloe.page, 'Alpha abcdefghijklmnopqrs');
            await chloe.page.keyboard.press('Control+Shift+z');
          })(),
        ]);
        // Both carets stayed in the block: what Bruno types now ends his words, what Chloé types
        // goes where her caret was when she made the change, at the block's start.
        await bruno.page.keyboard.type(' FIN');
        await whenShown(chloe.page, 'FIN');
        await chloe.page.keyboard.type('« ');
        const expected = [
          'h2:Origine et contexte',
          'p:Premier paragraphe.',
          `${tag}:« Alpha${typed} FIN beta`,
        ];
        for (const { page } of doc.tabs) {
          await expect.poll(() => blocksIn(page)).toEqual(expected);
          await expect.poll(() => textOf(alphaBlock(page, tag))).toBe(`« Alpha${typed} FIN beta`);
        }
        await expect.poll(() => storedBlocks(doc.name)).toEqual(expected);
        for (const { problems } of doc.tabs)
          expect(unexpectedProblems(problems)).toEqual({ errors: [], cspViolations: [] });
        for (const tab of doc.tabs) await tab.page.close();
      }
    });
});
