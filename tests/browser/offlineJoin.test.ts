import { describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { useBrowserApp } from './support/app.js';
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
 * Issue 8, reported by a fresh tester: a rapporteur types offline in a paragraph while a
 * co-writer, online, joins that paragraph to the one before (Backspace at its start), and sometimes
 * undoes the join, or undoes and redoes it, or splits the paragraph before the typist's words
 * instead. When the typist comes back, every word typed offline must be there once, in order,
 * where it was typed (in the joined paragraph, back in its own after the undo, in the moved part
 * after the split), the same in both browsers and in the stored document, and the typist's caret
 * just after them. The same cases, with every order of arrival and the co-writer offline instead,
 * run on Y.Docs in packages/editor/src/offlineJoin.test.ts.
 */

const app = useBrowserApp();
const people = useTwoRapporteurs(app);

const paragraphsOf = (page: Page): Promise<string[]> =>
  blockTextsIn(page, 'section[data-section-key="origine"] p');

async function storedParagraphs(documentName: string): Promise<string[]> {
  const out: string[] = [];
  (await storedDocument(app, documentName)).descendants((node) => {
    if (node.type.name === 'section') {
      if (node.attrs['key'] !== 'origine') return false;
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

/** Both views and the stored document agree on « Origine »'s paragraphs; returns them. */
async function agreed(doc: { name: string; tabs: [Tab, Tab] }): Promise<string[]> {
  const [a, b] = doc.tabs;
  await expect
    .poll(async () => (await paragraphsOf(b.page)).join('\n'), { timeout: 20_000 })
    .toBe((await paragraphsOf(a.page)).join('\n'));
  const shown = await paragraphsOf(a.page);
  await expect.poll(() => storedParagraphs(doc.name), { timeout: 20_000 }).toEqual(shown);
  return shown;
}

/** A shared fiche whose « Origine » holds « Premier paragraphe. » and « Alpha beta », seen by both. */
async function twoParagraphs(title: string) {
  const doc = await people.openSharedFiche(title);
  const [bruno, chloe] = doc.tabs;
  const paragraph =
    (n: number) =>
    (page: Page): Locator =>
      sectionOf(page, 'origine').locator('p').nth(n);
  await paragraph(0)(bruno.page).click();
  await bruno.page.keyboard.type('Premier paragraphe.');
  await bruno.page.keyboard.press('Enter');
  await bruno.page.keyboard.type('Alpha beta');
  await expect.poll(() => textOf(paragraph(1)(chloe.page))).toBe('Alpha beta');
  // Bruno's caret after « Alpha », Chloé's at the start of the second paragraph.
  await placeCaret(bruno, chloe, paragraph(1), 'Alpha'.length);
  await placeCaret(chloe, bruno, paragraph(1), 0);
  return { doc, bruno, chloe, paragraph };
}

type Chloe = Awaited<ReturnType<typeof twoParagraphs>>;

/** Backspace at the start of « Alpha beta »: it joins « Premier paragraphe. ». */
async function join({ chloe, paragraph }: Chloe): Promise<void> {
  await chloe.page.keyboard.press('Backspace');
  await expect.poll(() => textOf(paragraph(0)(chloe.page))).toBe('Premier paragraphe.Alpha beta');
}

async function undoJoin({ chloe, paragraph }: Chloe): Promise<void> {
  await chloe.page.keyboard.press('Control+z');
  await expect.poll(() => textOf(paragraph(1)(chloe.page))).toBe('Alpha beta');
}

/** What Chloé does while Bruno is away, and « Origine »'s paragraphs expected once he is back. */
const cases = [
  {
    title: 'joint',
    name: 'keeps every offline word once, in order, in the joined paragraph',
    act: join,
    expected: ['Premier paragraphe.Alpha abcdefghij klm beta'],
  },
  {
    title: 'annulé',
    name: 'keeps every offline word once, in order, in its own paragraph when the join is undone',
    act: async (c: Chloe) => {
      await join(c);
      await undoJoin(c);
    },
    expected: ['Premier paragraphe.', 'Alpha abcdefghij klm beta'],
  },
  {
    title: 'rétabli',
    name: 'keeps every offline word once, in order, in the joined paragraph when the join is undone then redone',
    act: async (c: Chloe) => {
      await join(c);
      await undoJoin(c);
      await c.chloe.page.keyboard.press('Control+Shift+z');
      await expect.poll(() => textOf(c.paragraph(0)(c.chloe.page))).toBe('Premier paragraphe.Alpha beta');
    },
    expected: ['Premier paragraphe.Alpha abcdefghij klm beta'],
  },
  {
    title: 'coupé',
    name: 'keeps every offline word once, in order, in the moved part when the paragraph is split before them',
    act: async ({ chloe, paragraph }: Chloe) => {
      await chloe.page.keyboard.press('ArrowRight');
      await chloe.page.keyboard.press('ArrowRight');
      await chloe.page.keyboard.press('Enter');
      await expect.poll(() => textOf(paragraph(2)(chloe.page))).toBe('pha beta');
    },
    expected: ['Premier paragraphe.', 'Al', 'pha abcdefghij klm beta'],
  },
] as const;

describe('a co-writer changes the paragraph someone types in offline', () => {
  for (const { title, name, act, expected } of cases) {
    it(name, async () => {
      for (let round = 0; round < 2; round++) {
        const shared = await twoParagraphs(`Aller-vers ${title} ${round}`);
        const { doc, bruno, chloe } = shared;
        await bruno.page.context().setOffline(true);
        await bruno.page.keyboard.type(' abcdefghij', { delay: 20 });
        // Chloé changes the paragraph while Bruno is away.
        await act(shared);
        await bruno.page.keyboard.type(' klm', { delay: 20 });
        await bruno.page.context().setOffline(false);
        await expect
          .poll(async () => (await paragraphsOf(chloe.page)).join('|'), { timeout: 20_000 })
          .toContain('klm');
        expect(await agreed(doc)).toEqual(expected);
        // Bruno's caret stayed with his words: his next keystroke follows them.
        await bruno.page.keyboard.type(' FIN');
        await expect
          .poll(async () => (await paragraphsOf(chloe.page)).join('|'), { timeout: 20_000 })
          .toContain('FIN');
        expect(await agreed(doc)).toEqual(expected.map((p) => p.replace('klm', 'klm FIN')));
        for (const tab of doc.tabs) await tab.page.close();
      }
    });
  }
});
