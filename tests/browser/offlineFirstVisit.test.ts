import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { createDocument } from '../support/accounts.js';
import { useBrowserApp } from './support/app.js';

/**
 * A first visit whose network is cut while the app loads (no service worker yet, so nothing is
 * kept): the page says so in French and offers to reload, never a blank page (tester BR44: the
 * bell's stylesheet failed, its error escaped every boundary and React emptied the page).
 */
const app = useBrowserApp();

const editorOf = (page: Page) => page.getByRole('textbox', { name: 'Contenu du document' });

describe('a first visit cut off while it loads', () => {
  it('explains in French that part of the app could not be downloaded, and opens the document once reloaded online', async () => {
    const doc = await createDocument(app.admin, app.espaceId, 'Coupure au premier chargement', 'fiche');
    const { page, context } = await app.open({ as: app.admin });
    const uncaught: string[] = [];
    page.on('pageerror', (error) => uncaught.push(error.message));
    // Cut as the app opens the document's socket: the entry has run, the editor's chunks are on
    // their way.
    page.once('websocket', () => void context.setOffline(true));
    await page.goto(`${app.baseUrl}/documents/${doc.id}`, { waitUntil: 'commit' });
    await expect
      .poll(() => page.locator('main').textContent(), { timeout: 30_000 })
      .toMatch(/La page n’a pas pu être chargée|injoignable|hors ligne|Document indisponible/);
    // The header stays: the page is not blank.
    expect(await page.getByRole('banner').count()).toBe(1);
    expect(uncaught).toEqual([]);

    await context.setOffline(false);
    await page.reload();
    await expect.poll(() => editorOf(page).getAttribute('contenteditable'), { timeout: 30_000 }).toBe('true');
  }, 90_000);
});
