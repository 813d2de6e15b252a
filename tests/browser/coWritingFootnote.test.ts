import { describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { unexpectedProblems, useBrowserApp } from './support/app.js';
import {
  editorOf,
  placeCaret,
  sectionOf,
  storedDocument,
  textOf,
  useTwoRapporteurs,
} from './support/coWriting.js';

/**
 * Typing right after a footnote keeps the footnote (issue 8, item 5, reported as « may replace
 * it »): the note's call is an atom, selectable as a node, and a key typed while it is selected
 * replaces it. Every way a person puts the caret just after a note is tried in Chromium: typing
 * on after inserting it, clicking at the end of its paragraph, the arrow keys, closing the note's
 * dialog, and a co-writer typing at the note's place while it is inserted.
 */

const app = useBrowserApp();
const people = useTwoRapporteurs(app);

const origine = (page: Page): Locator => sectionOf(page, 'origine').locator('p').first();
const notesIn = (page: Page): Locator => editorOf(page).locator('sup.essaim-footnote');

/** Inserts a note at the caret through the toolbar and its dialog. */
async function insertNote(page: Page, text: string): Promise<void> {
  await page.getByRole('button', { name: 'Insérer une note de bas de page' }).click();
  const dialog = page.getByRole('dialog', { name: 'Insérer une note de bas de page' });
  await dialog.getByLabel('Texte de la note').fill(text);
  await dialog.getByRole('button', { name: 'Insérer la note' }).click();
  await expect.poll(() => dialog.isVisible()).toBe(false);
}

/** The paragraph's content with each note's call written `[n:text]`, as the server stores it. */
async function storedOrigine(documentName: string): Promise<string> {
  let out = '';
  (await storedDocument(app, documentName)).descendants((node) => {
    if (node.type.name !== 'section') return true;
    if (node.attrs['key'] !== 'origine') return false;
    const first = node.child(1);
    first.forEach((child) => {
      out += child.type.name === 'footnote' ? `[n:${String(child.attrs['text'])}]` : (child.text ?? '');
    });
    return false;
  });
  return out;
}

describe('typing right after a footnote', () => {
  it('keeps the note, and puts the text after it, whichever way the caret got there', async () => {
    const doc = await people.openSharedFiche('Accueil de jour à Lons-le-Saunier');
    const [bruno, chloe] = doc.tabs;
    const page = bruno.page;
    await origine(page).click();
    await page.keyboard.type('Constat');
    await insertNote(page, 'Source 1.');
    // Typing on at once.
    await page.keyboard.type(' partagé');
    await expect.poll(() => notesIn(page).count()).toBe(1);
    // Clicking at the end of the paragraph, after a second note that ends it.
    await insertNote(page, 'Source 2.');
    await expect.poll(() => notesIn(page).count()).toBe(2);
    await placeCaret(bruno, chloe, origine);
    await page.keyboard.type('A');
    await expect.poll(() => notesIn(page).count()).toBe(2);
    // The arrow keys: back over « A » and onto the note, then right again, after it.
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.type('B');
    await expect.poll(() => notesIn(page).count()).toBe(2);
    // Opening the note by its call, then closing its dialog with Escape, then typing.
    await notesIn(page).nth(1).locator('button').click();
    const dialog = page.getByRole('dialog', { name: 'Modifier la note 2' });
    await expect.poll(() => dialog.isVisible()).toBe(true);
    await page.keyboard.press('Escape');
    await expect.poll(() => dialog.isVisible()).toBe(false);
    await page.keyboard.type('C');
    await expect.poll(() => notesIn(page).count()).toBe(2);
    // A co-writer typing at the end of the paragraph while a note is inserted there.
    await placeCaret(chloe, bruno, origine);
    await placeCaret(bruno, chloe, origine);
    await Promise.all([insertNote(page, 'Source 3.'), chloe.page.keyboard.type('Chloé', { delay: 40 })]);
    await page.keyboard.type('D');
    for (const { page: p } of doc.tabs) await expect.poll(() => notesIn(p).count()).toBe(3);
    // A click with the mouse just right of the first note's call, in the middle of the text.
    const box = await notesIn(page).first().boundingBox();
    if (!box) throw new Error('appel de note invisible');
    await page.mouse.click(box.x + box.width + 1, box.y + box.height / 2);
    await page.keyboard.type('E');
    for (const { page: p } of doc.tabs) {
      await expect.poll(() => textOf(origine(p))).toContain('ConstatE partagéBCA');
      await expect.poll(() => notesIn(p).count()).toBe(3);
    }
    // Each text where its writer's caret was: after the note it follows, whole.
    const stored = await storedOrigine(doc.name);
    expect(stored).toMatch(/^Constat\[n:Source 1\.\]E partagé\[n:Source 2\.\]BCA/);
    expect(stored).toContain('[n:Source 3.]D');
    expect(stored).toContain('Chloé');
    await expect.poll(() => textOf(origine(chloe.page))).toBe(await textOf(origine(page)));
    for (const { problems } of doc.tabs)
      expect(unexpectedProblems(problems)).toEqual({ errors: [], cspViolations: [] });
  });
});
