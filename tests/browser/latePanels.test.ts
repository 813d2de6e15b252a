import { describe, expect, it } from 'vitest';
import { createDocument } from '../support/accounts.js';
import { useBrowserApp } from './support/app.js';
import { holdPanelsChunk } from './support/chunks.js';
import { editorOf } from './support/coWriting.js';

/**
 * The parts of the editor page loaded right after the text's first drawing (issue 16: the
 * editor's JavaScript before its first drawing, client/src/features/editor/LazyPanels.tsx): the
 * metadata panel and the review's dialogs. A click made while their chunk is still on its way is
 * not lost: the panel opens (and keeps the focus) or the dialog opens once the chunk is here.
 */

const app = useBrowserApp();

describe('parts of the editor loaded after the first drawing', () => {
  it('opens the metadata panel, with the focus on its header, when the header was clicked before the panel had arrived', async () => {
    const doc = await createDocument(app.admin, app.espaceId, 'Accueil de jour à Brest', 'fiche');
    const { page } = await app.open({ as: app.admin });
    const chunk = await holdPanelsChunk(page);
    await page.goto(`${app.baseUrl}/documents/${doc.id}`);
    await chunk.asked;
    await expect.poll(() => editorOf(page).getAttribute('contenteditable'), { timeout: 20_000 }).toBe('true');

    // The header is there before the panel: clicked, it says it is open, and keeps the focus.
    const header = page.getByRole('button', { name: 'Informations de la fiche' });
    await header.click();
    await expect.poll(() => header.getAttribute('aria-expanded')).toBe('true');
    expect(await page.getByLabel('Contact').count()).toBe(0);

    chunk.release();
    await page.getByLabel('Contact').waitFor();
    await expect.poll(() => header.getAttribute('aria-expanded')).toBe('true');
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.textContent?.trim() ?? null))
      .toBe('Informations de la fiche');
    // The panel works: what is typed goes to the document.
    await page.getByLabel('Contact').fill('accueil@brest.example');
    await expect.poll(() => page.getByLabel('Contact').inputValue()).toBe('accueil@brest.example');
  });

  it('opens the review journal asked for before the dialogs had arrived', async () => {
    const doc = await createDocument(app.admin, app.espaceId, 'Maraudes à Nantes', 'fiche');
    const { page } = await app.open({ as: app.admin });
    const chunk = await holdPanelsChunk(page);
    await page.goto(`${app.baseUrl}/documents/${doc.id}`);
    await chunk.asked;
    await expect.poll(() => editorOf(page).getAttribute('contenteditable'), { timeout: 20_000 }).toBe('true');

    await page.getByRole('button', { name: 'Journal de relecture' }).click();
    const journal = page.getByRole('dialog', { name: 'Journal de relecture' });
    expect(await journal.count()).toBe(0);

    chunk.release();
    await journal.waitFor({ state: 'visible' });
  });
});
