import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { createDocument, invite, type Session } from '../support/accounts.js';
import { artifactsDir } from './support/chromium.js';
import { unexpectedProblems, useBrowserApp } from './support/app.js';
import { editorOf } from './support/coWriting.js';

const app = useBrowserApp();
let writer: Session;

beforeAll(async () => {
  writer = await invite(app.admin, app.espaceId, 'animateur', 'Romane');
});

const toolbarOf = (page: Page) => page.locator('.essaim-toolbar-wrap');

/** Where an element is drawn in the window, in CSS pixels. */
const boxOf = (element: Locator) =>
  element.evaluate((node) => {
    const { top, bottom } = node.getBoundingClientRect();
    return { top, bottom };
  });

async function openDocument(page: Page, id: string): Promise<void> {
  await page.goto(`${app.baseUrl}/documents/${id}`);
  await expect.poll(() => editorOf(page).getAttribute('contenteditable')).toBe('true');
}

describe('a new section added from the section menu', () => {
  for (const viewport of [
    { width: 1280, height: 900 },
    { width: 390, height: 844 },
  ]) {
    it(`shows its title below the sticky toolbar while it is named (${viewport.width} px wide)`, async () => {
      const doc = await createDocument(writer, app.espaceId, `Aller-vers dans l’Oise ${viewport.width}`);
      const { page, problems } = await app.open({ as: writer, viewport });
      await openDocument(page, doc.id);
      // Far down the text first: the toolbar is then stuck at the top of the window.
      const target = 'Public concerné';
      await page.getByRole('button', { name: `Actions de la section « ${target} »` }).click();
      await page
        .getByRole('menu', { name: `Actions de la section « ${target} »` })
        .getByRole('menuitem', { name: 'Ajouter une section après' })
        .click();
      await page.keyboard.type('Partenariats locaux');
      const title = editorOf(page).locator('h2', { hasText: 'Partenariats locaux' });
      await title.waitFor();
      await expect
        .poll(async () => {
          const [bar, heading] = await Promise.all([boxOf(toolbarOf(page)), boxOf(title)]);
          return heading.top >= bar.bottom && heading.bottom <= viewport.height;
        })
        .toBe(true);
      // The caret is in that title: what is typed names it.
      expect(
        await page.evaluate(
          () => window.getSelection()?.anchorNode?.parentElement?.closest('h2')?.textContent,
        ),
      ).toBe('Partenariats locaux');
      await page.screenshot({ path: path.join(artifactsDir, `nouvelle-section-${viewport.width}.png`) });
      expect(unexpectedProblems(problems)).toEqual({ errors: [], cspViolations: [] });
    });
  }
});

describe('the caret brought into view while typing', () => {
  it('is scrolled below the sticky toolbar, not left under it', async () => {
    const doc = await createDocument(writer, app.espaceId, 'Conférences familiales dans le Nord');
    const { page } = await app.open({ as: writer, viewport: { width: 1280, height: 700 } });
    await openDocument(page, doc.id);
    const paragraph = editorOf(page)
      .locator('section.essaim-section')
      .filter({ has: page.locator('h2', { hasText: 'Acteurs et partenaires' }) })
      .locator('p')
      .first();
    await paragraph.click();
    await page.keyboard.type('Le service départemental.');
    // The window is scrolled so that the line being written sits under the toolbar.
    await page.evaluate(() => {
      const caret = window.getSelection()?.getRangeAt(0).getBoundingClientRect();
      const bar = document.querySelector('.essaim-toolbar-wrap');
      if (!caret || !bar) throw new Error('caret or toolbar missing');
      window.scrollBy(0, caret.top - bar.getBoundingClientRect().height + 10);
    });
    const caretBox = () =>
      page.evaluate(() => {
        const { top, bottom } = window.getSelection()?.getRangeAt(0).getBoundingClientRect() ?? {};
        return { top: top ?? Number.NaN, bottom: bottom ?? Number.NaN };
      });
    const [barBefore, caretBefore] = await Promise.all([boxOf(toolbarOf(page)), caretBox()]);
    expect(caretBefore.top).toBeLessThan(barBefore.bottom);
    await page.keyboard.type(' Oui.');
    await expect
      .poll(async () => {
        const [bar, caret] = await Promise.all([boxOf(toolbarOf(page)), caretBox()]);
        return caret.top >= bar.bottom;
      })
      .toBe(true);
  });
});

describe('reaching a document’s text', () => {
  it('opens a document followed from far down the catalogue at the top of its page', async () => {
    const titles = Array.from({ length: 12 }, (_, i) => `Pratique repérée numéro ${i + 1}`);
    for (const title of titles) await createDocument(writer, app.espaceId, title);
    const { page } = await app.open({ as: writer });
    await page.goto(`${app.baseUrl}/espaces/${app.espaceId}`);
    const last = page.getByRole('link', { name: titles[0] ?? '' }).first();
    await last.scrollIntoViewIfNeeded();
    expect(await page.evaluate(() => window.scrollY)).toBeGreaterThan(100);
    await last.click();
    await expect.poll(() => editorOf(page).getAttribute('contenteditable')).toBe('true');
    expect(await page.evaluate(() => window.scrollY)).toBe(0);
    const heading = await boxOf(page.getByRole('heading', { level: 1 }));
    expect(heading.top).toBeGreaterThanOrEqual(0);
  });

  it('takes one Tab and Enter from the top of the page to the text, with « Aller au texte »', async () => {
    const doc = await createDocument(writer, app.espaceId, 'Développement du pouvoir d’agir');
    const { page } = await app.open({ as: writer });
    await openDocument(page, doc.id);
    await page.keyboard.press('Tab');
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('Aller au texte');
    await page.keyboard.press('Enter');
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.getAttribute('aria-label')))
      .toBe('Contenu du document');
    // Typing then writes in the first section's text, not in its title (tester BR31: « KBD
    // Identification »).
    await page.keyboard.type('Premiers mots. ');
    await expect.poll(() => editorOf(page).locator('p').first().textContent()).toContain('Premiers mots.');
    expect(await editorOf(page).locator('h2').first().textContent()).not.toContain('Premiers mots');
  });
});
