import { describe, expect, it } from 'vitest';
import { createDocument } from '../support/accounts.js';
import { useBrowserApp } from './support/app.js';
import { editorOf } from './support/coWriting.js';

/**
 * The application's addresses as the router (wouter, client/src/app/App.tsx) reads them: the
 * pages of an espace and « page non trouvée » beside them, a query decoded once, and where a new
 * page opens on the screen (at its top after a link, where it was after « précédent »).
 */

const app = useBrowserApp();

describe('the addresses of the application', () => {
  it('shows « Page non trouvée » for an unknown address, inside an espace as elsewhere, and its pages in any case with a final slash', async () => {
    const { page, problems } = await app.open({ as: app.admin });
    for (const address of [`/espaces/${app.espaceId}/inconnue`, '/inconnue/adresse']) {
      await page.goto(`${app.baseUrl}${address}`);
      await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Page non trouvée');
    }
    await page.goto(`${app.baseUrl}/ESPACES/${app.espaceId}/Personnes/`);
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toMatch(/Personnes/);
    // The page's own file leads home (tester BR26: it said « Page non trouvée »).
    await page.goto(`${app.baseUrl}/index.html`);
    await expect.poll(() => new URL(page.url()).pathname).toBe(`/espaces/${app.espaceId}`);
    expect(problems.errors).toEqual([]);
  });

  it('keeps a search with a percent sign as typed, through the address and a reload', async () => {
    const { page, problems } = await app.open({ as: app.admin });
    await page.goto(`${app.baseUrl}/espaces/${app.espaceId}`);
    const search = page.getByRole('searchbox', { name: /Rechercher/ });
    await search.fill('100%20 sûr');
    await expect.poll(() => new URL(page.url()).searchParams.get('q')).toBe('100%20 sûr');
    await page.reload();
    await expect.poll(() => search.inputValue()).toBe('100%20 sûr');
    expect(problems.errors).toEqual([]);
  });

  it('opens a page followed by a link at its top, and keeps the place on a change of the query alone', async () => {
    const { page, problems } = await app.open({ as: app.admin, viewport: { width: 1024, height: 400 } });
    await page.goto(`${app.baseUrl}/espaces/${app.espaceId}`);
    await expect.poll(() => page.getByRole('searchbox', { name: /Rechercher/ }).count()).toBe(1);
    const scrollTo = (y: number) =>
      page.evaluate((top) => {
        window.scrollTo(0, top);
        return window.scrollY;
      }, y);
    // A change of the query (a filter) keeps the place on the page.
    await expect.poll(() => scrollTo(200)).toBe(200);
    await page.evaluate(() => {
      const url = new URL(window.location.href);
      url.searchParams.set('q', 'Rennes');
      history.pushState(null, '', url);
    });
    await expect.poll(() => page.getByRole('searchbox', { name: /Rechercher/ }).inputValue()).toBe('Rennes');
    expect(await page.evaluate(() => window.scrollY)).toBe(200);
    // The link is clicked where it is (a click event, as a person's), without scrolling to it first.
    await page.evaluate(() => {
      const link = [...document.querySelectorAll<HTMLAnchorElement>('a')].find((a) =>
        a.pathname.endsWith('/personnes'),
      );
      link?.click();
    });
    await expect.poll(() => new URL(page.url()).pathname).toBe(`/espaces/${app.espaceId}/personnes`);
    await expect.poll(() => page.evaluate(() => window.scrollY)).toBe(0);
    expect(problems.errors).toEqual([]);
  });

  it('gives the catalogue back where it was scrolled after « précédent » and after a reload, once its cards are drawn', async () => {
    for (let n = 1; n <= 16; n++) {
      await createDocument(app.admin, app.espaceId, `Pratique repérée numéro ${n}`, 'fiche');
    }
    const { page, problems } = await app.open({ as: app.admin, viewport: { width: 1024, height: 400 } });
    await page.goto(`${app.baseUrl}/espaces/${app.espaceId}`);
    const cards = page.locator('a[href^="/documents/"]');
    await expect.poll(() => cards.count()).toBeGreaterThan(10);
    const scrollY = () => page.evaluate(() => window.scrollY);
    await page.mouse.wheel(0, 1200);
    await expect.poll(scrollY).toBeGreaterThan(1000);
    const place = await scrollY();
    // The card in view is followed (a click, as a person's), and the document opens at its top.
    const card = cards.nth(10);
    await card.scrollIntoViewIfNeeded();
    const seen = await scrollY();
    await card.click();
    await editorOf(page).waitFor();
    await expect.poll(scrollY).toBe(0);

    // Back: the cards come from the server again, and the page goes back to where it was.
    await page.goBack();
    await expect.poll(scrollY, { timeout: 10_000 }).toBe(seen);
    await page.reload();
    await expect.poll(scrollY, { timeout: 10_000 }).toBe(seen);
    expect(place).toBeGreaterThan(0);
    expect(problems.errors).toEqual([]);
  });
});

describe('the footer, drawn after the page', () => {
  it('is reached by « Aller au pied de page », and its display settings give the focus back to their button, closed by Escape or « Fermer » (tester BR41 F2)', async () => {
    const { page, problems } = await app.open({ as: app.admin });
    await page.goto(`${app.baseUrl}/espaces/${app.espaceId}`);
    const opener = page.getByRole('button', { name: /^Paramètres d.affichage$/ });
    await opener.waitFor();
    await page.getByRole('link', { name: 'Pied de page' }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => new URL(page.url()).hash).toBe('#pied-de-page');
    const dialog = page.getByRole('dialog', { name: /Paramètres d.affichage/ });
    const isFocused = () => opener.evaluate((button) => button === document.activeElement);
    for (const close of ['Escape', 'Fermer'] as const) {
      await opener.focus();
      await page.keyboard.press('Enter');
      await dialog.waitFor();
      if (close === 'Escape') await page.keyboard.press('Escape');
      else await dialog.getByRole('button', { name: 'Fermer' }).click();
      await expect.poll(() => dialog.isVisible()).toBe(false);
      await expect.poll(isFocused, { message: close }).toBe(true);
    }
    expect(problems.errors).toEqual([]);
  });
});
