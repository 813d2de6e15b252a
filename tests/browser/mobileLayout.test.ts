import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { createDocument, invite, type Session } from '../support/accounts.js';
import { artifactsDir } from './support/chromium.js';
import { unexpectedProblems, useBrowserApp } from './support/app.js';
import { editorOf } from './support/coWriting.js';

const app = useBrowserApp();
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 900 };

let writer: Session;
let ficheId: string;

beforeAll(async () => {
  writer = await invite(app.admin, app.espaceId, 'animateur', 'Solène');
  ({ id: ficheId } = await createDocument(writer, app.espaceId, 'Conférences familiales en Gironde'));
  await createDocument(writer, app.espaceId, 'Pair-aidance en Ille-et-Vilaine');
  await createDocument(writer, app.espaceId, 'Synthèse des pratiques repérées', 'synthese');
});

/** The top of an element in the page (not the window), in CSS pixels. */
const pageTop = (element: Locator) =>
  element.evaluate((node) => node.getBoundingClientRect().top + window.scrollY);

const shot = (page: Page, name: string) =>
  page.screenshot({ path: path.join(artifactsDir, name), fullPage: true });

const firstCardOf = (page: Page) => page.locator('article.essaim-doc-card').first();
const kindSelectOf = (page: Page) => page.getByRole('combobox', { name: 'Type de document' });

describe('the catalogue on a 390 px phone', () => {
  it('shows the first document on the first screen, search and filters folded', async () => {
    const { page, problems } = await app.open({ as: writer, viewport: PHONE });
    await page.goto(`${app.baseUrl}/espaces/${app.espaceId}`);
    await firstCardOf(page).waitFor();
    await shot(page, 'mobile-catalogue-390.png');
    expect(await pageTop(firstCardOf(page))).toBeLessThan(PHONE.height);
    const toggle = page.getByRole('button', { name: /^Filtrer les documents · / });
    expect(await toggle.getAttribute('aria-expanded')).toBe('false');
    expect(await kindSelectOf(page).isVisible()).toBe(false);
    expect(await page.getByRole('searchbox', { name: 'Rechercher' }).isVisible()).toBe(false);
    expect(unexpectedProblems(problems)).toEqual({ errors: [], cspViolations: [] });
  });

  it('unfolds search and filters and filters with the keyboard alone', async () => {
    const { page } = await app.open({ as: writer, viewport: PHONE });
    await page.goto(`${app.baseUrl}/espaces/${app.espaceId}`);
    await firstCardOf(page).waitFor();
    await expect.poll(() => page.locator('article.essaim-doc-card').count()).toBe(3);
    const toggle = page.getByRole('button', { name: /^Filtrer les documents · / });
    await toggle.focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => toggle.getAttribute('aria-expanded')).toBe('true');
    // Tab goes on to the search field, its button, then the first filter: the document type.
    for (let i = 0; i < 3; i += 1) await page.keyboard.press('Tab');
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('name'))).toBe('type');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await expect.poll(() => page.locator('article.essaim-doc-card').count()).toBeLessThan(3);
    await shot(page, 'mobile-catalogue-filtres-390.png');
    // Space folds them again.
    await toggle.focus();
    await page.keyboard.press('Space');
    await expect.poll(() => toggle.getAttribute('aria-expanded')).toBe('false');
  });
});

describe('the editor on a 390 px phone', () => {
  it('starts the text on the first screen, with the review bar’s actions, outline and gauge folded and no presence while alone', async () => {
    const { page, problems } = await app.open({ as: writer, viewport: PHONE });
    await page.goto(`${app.baseUrl}/documents/${ficheId}`);
    await expect.poll(() => editorOf(page).getAttribute('contenteditable')).toBe('true');
    // The review bar is drawn once the sections' reviews are read: measured with it.
    const fold = page.getByRole('button', { name: /^Relecture et publication/ });
    await fold.waitFor();
    expect(await fold.getAttribute('aria-expanded')).toBe('false');
    await shot(page, 'mobile-editeur-390.png');
    expect(await pageTop(editorOf(page))).toBeLessThan(PHONE.height);
    // Unfolded, the actions are there and reachable.
    await fold.click();
    await page.getByRole('button', { name: 'Journal de relecture' }).waitFor();
    // The (empty) presence, the outline and the gauge together: two buttons, no more.
    const [sideTop, sideBottom] = await page.evaluate(() => [
      document.querySelector('.essaim-presence')?.getBoundingClientRect().top ?? 0,
      document.querySelector('.essaim-doc-aside')?.getBoundingClientRect().bottom ?? 0,
    ]);
    expect(sideBottom - sideTop).toBeLessThan(150);
    // Alone in the document: no presence to unfold on a phone.
    expect(await page.getByRole('button', { name: /^Personnes présentes/ }).count()).toBe(0);
    const folded = [/^Sommaire · /, /^Longueur · ≈ 0,\d page, trop court/];
    for (const name of folded) {
      const button = page.getByRole('button', { name });
      expect(await button.getAttribute('aria-expanded'), String(name)).toBe('false');
    }
    expect(await page.getByRole('navigation', { name: 'Sommaire' }).isVisible()).toBe(false);

    // Unfolded, the outline still takes the caret to a section.
    await page.getByRole('button', { name: /^Sommaire · / }).click();
    const outline = page.getByRole('navigation', { name: 'Sommaire' });
    await outline.getByRole('button', { name: /Public concerné/ }).click();
    await expect
      .poll(() =>
        page.evaluate(
          () => window.getSelection()?.anchorNode?.parentElement?.closest('section')?.textContent,
        ),
      )
      .toContain('Public concerné');
    await shot(page, 'mobile-editeur-sommaire-390.png');
    expect(unexpectedProblems(problems)).toEqual({ errors: [], cspViolations: [] });
  });
});

describe('a member reading on a 390 px phone', () => {
  it('finds the text on the first screen for a membre, with the connection badge inside the screen', async () => {
    const reader = await invite(app.admin, app.espaceId, 'membre', 'Maxence');
    // A fiche nobody else has open (the writer's page of the test above may still be there).
    const { id } = await createDocument(writer, app.espaceId, 'Aller-vers en Lozère');
    const { page } = await app.open({ as: reader, viewport: PHONE });
    await page.goto(`${app.baseUrl}/documents/${id}`);
    await editorOf(page).waitFor();
    await expect.poll(() => page.getByRole('button', { name: /^Sommaire · / }).count()).toBe(1);
    await page.locator('section.essaim-review-bar').waitFor();
    await shot(page, 'mobile-lecture-390.png');
    await page.screenshot({ path: path.join(artifactsDir, 'mobile-lecture-390-ecran.png') });
    expect(await pageTop(editorOf(page))).toBeLessThan(PHONE.height);
    const badge = await page.locator('.essaim-connection').evaluate((n) => n.getBoundingClientRect());
    expect(badge.left).toBeGreaterThanOrEqual(0);
    expect(badge.right).toBeLessThanOrEqual(PHONE.width);
  });
});

describe('tables on a 390 px phone', () => {
  it('scroll sideways inside their frame instead of squeezing their columns, the page as wide as the screen', async () => {
    const { page, problems } = await app.open({ as: app.admin, viewport: PHONE });
    for (const where of ['personnes', 'relecture']) {
      await page.goto(`${app.baseUrl}/espaces/${app.espaceId}/${where}`);
      const table = page.locator('.fr-table table').first();
      await table.waitFor();
      await shot(page, `mobile-tableau-${where}-390.png`);
      const sizes = await table.evaluate((node) => {
        const container = node.closest('.fr-table__container') as HTMLElement;
        return {
          table: node.getBoundingClientRect().width,
          frame: container.clientWidth,
          scrolls: container.scrollWidth > container.clientWidth,
          page: document.documentElement.scrollWidth,
        };
      });
      expect(sizes.table, where).toBeGreaterThanOrEqual(640);
      expect(sizes.scrolls, where).toBe(true);
      expect(sizes.page, where).toBeLessThanOrEqual(PHONE.width);
    }
    expect(unexpectedProblems(problems)).toEqual({ errors: [], cspViolations: [] });
  });
});

describe('on a 1280 px screen', () => {
  it('keeps the filters, the presence, the outline and the gauge unfolded, with no fold button', async () => {
    const { page } = await app.open({ as: writer, viewport: DESKTOP });
    await page.goto(`${app.baseUrl}/espaces/${app.espaceId}`);
    await firstCardOf(page).waitFor();
    expect(await kindSelectOf(page).isVisible()).toBe(true);
    expect(await page.getByRole('button', { name: /^Filtrer les documents · / }).count()).toBe(0);
    await shot(page, 'catalogue-1280.png');

    await page.goto(`${app.baseUrl}/documents/${ficheId}`);
    await expect.poll(() => editorOf(page).getAttribute('contenteditable')).toBe('true');
    expect(await page.getByRole('navigation', { name: 'Sommaire' }).isVisible()).toBe(true);
    expect(await page.getByTestId('presence-list').isVisible()).toBe(true);
    expect(await page.getByTestId('length-estimate').textContent()).toMatch(
      /^≈ 0,\d page · objectif : 4 à 5 pages$/,
    );
    expect(await page.getByRole('button', { name: /^Sommaire · / }).count()).toBe(0);
    await shot(page, 'editeur-1280.png');
  });
});

describe('words longer than the screen', () => {
  it('wrap a title and a theme name without spaces instead of widening the page', async () => {
    const title = 'TX'.repeat(100);
    const { id } = await createDocument(writer, app.espaceId, title);
    const theme = await app.admin.fetch(`/api/espaces/${app.espaceId}/themes`, {
      method: 'POST',
      json: { label: 'Thème'.padEnd(80, 'W') },
    });
    expect(theme.status).toBeLessThan(300);
    const { page } = await app.open({ as: writer, viewport: PHONE });
    const pageWidth = () => page.evaluate(() => document.documentElement.scrollWidth);
    await page.goto(`${app.baseUrl}/documents/${id}`);
    await expect.poll(() => editorOf(page).getAttribute('contenteditable')).toBe('true');
    expect(await pageWidth()).toBeLessThanOrEqual(PHONE.width);
    await page.goto(`${app.baseUrl}/espaces/${app.espaceId}`);
    await firstCardOf(page).waitFor();
    expect(await pageWidth()).toBeLessThanOrEqual(PHONE.width);
    await page.goto(`${app.baseUrl}/espaces/${app.espaceId}/themes`);
    await page.getByText('Thème'.padEnd(80, 'W')).first().waitFor();
    expect(await pageWidth()).toBeLessThanOrEqual(PHONE.width);
  });
});
