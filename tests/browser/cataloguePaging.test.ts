import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { createDocument } from '../support/accounts.js';
import { runAxe } from './support/axe.js';
import { useBrowserApp } from './support/app.js';
import { artifactsDir } from './support/chromium.js';
import { resultCount } from './support/catalogue.js';

/**
 * The catalogue by pages (issue 17), as people use it: the first 50 documents with the number
 * found, « Afficher plus de documents » (with how many remain) adds the next ones below, by
 * keyboard, the focus on the first one added and the new count announced; in cards and in the
 * table; no document twice when one moved between two pages, and the end of the list says when
 * some moved into a page already shown (« Actualiser la liste »); a new filter or sort starts
 * again from the first page.
 */

// Over 30 documents by one account: no hourly creation limit here (`0`: none).
const app = useBrowserApp({ DOCUMENTS_PER_HOUR_PER_ACCOUNT: '0' });
const COUNT = 63;

beforeAll(async () => {
  for (let i = 1; i <= COUNT; i++)
    await createDocument(app.admin, app.espaceId, `Pratique ${String(i).padStart(2, '0')}`);
}, 60_000);

/** The ids of the documents shown (cards or table rows), in order. */
const shownIds = (page: Page) =>
  page
    .locator('[data-document-id]')
    .evaluateAll((items) => items.map((i) => i.getAttribute('data-document-id')));
/** The live region under the list: pages shown, the next page on its way, then added. */
const pagesStatus = (page: Page) => page.locator('.essaim-results-more [role="status"]').textContent();
const showMore = (page: Page) => page.getByRole('button', { name: /^Afficher plus de documents/ });
/** The focused element: its text, and the document of the card or row it is in. */
const focused = (page: Page) =>
  page.evaluate(() => {
    const element = document.activeElement;
    return {
      tag: element?.tagName ?? null,
      text: element?.textContent ?? null,
      documentId: element?.closest('[data-document-id]')?.getAttribute('data-document-id') ?? null,
    };
  });

describe('the catalogue by pages', () => {
  it('shows 50 cards with the total, then the rest by keyboard, the focus on the first card added', async () => {
    const { page, problems } = await app.open({ as: app.admin, bypassCSP: true });
    await page.goto(`${app.baseUrl}/espaces/${app.espaceId}`);
    await expect.poll(async () => (await shownIds(page)).length).toBe(50);
    await expect.poll(() => resultCount(page)).toBe(`${COUNT} documents`);
    await expect.poll(() => pagesStatus(page)).toBe(`50 affichés sur ${COUNT}`);
    const button = showMore(page);
    expect(await button.textContent()).toBe(`Afficher plus de documents (${COUNT - 50} restants)`);
    expect(await runAxe(page)).toEqual([]);

    await button.focus();
    await page.keyboard.press('Enter');
    await expect.poll(async () => (await shownIds(page)).length).toBe(COUNT);
    const ids = await shownIds(page);
    expect(new Set(ids).size).toBe(COUNT);
    // The focus is on the title link of the 51st card, and the live region says what came.
    await expect
      .poll(() => focused(page))
      .toEqual({
        tag: 'A',
        text: await page.locator('.essaim-doc-card .fr-card__title').nth(50).textContent(),
        documentId: ids[50],
      });
    await expect
      .poll(() => pagesStatus(page))
      .toBe(`${COUNT - 50} documents de plus : ${COUNT} affichés sur ${COUNT}.`);
    // Everything is shown: no button any more, the count unchanged.
    expect(await showMore(page).count()).toBe(0);
    expect(await resultCount(page)).toBe(`${COUNT} documents`);
    expect(await runAxe(page)).toEqual([]);
    expect(problems.errors).toEqual([]);
  });

  it('takes the keyboard past the 50 cards to « Afficher plus » in one step, by a link shown only when it has the focus', async () => {
    const { page, problems } = await app.open({ as: app.admin, bypassCSP: true });
    await page.goto(`${app.baseUrl}/espaces/${app.espaceId}`);
    await expect.poll(async () => (await shownIds(page)).length).toBe(50);
    const skip = page.getByRole('link', { name: 'Aller à la fin de la liste' });
    const width = async () => (await skip.boundingBox())?.width ?? 0;
    // Out of sight for a pointer, right before the first card for the keyboard.
    expect(await width()).toBeLessThanOrEqual(1);
    await page.locator('.essaim-doc-card .fr-card__title a').first().focus();
    await page.keyboard.press('Shift+Tab');
    await expect.poll(() => focused(page)).toMatchObject({ tag: 'A', text: 'Aller à la fin de la liste' });
    expect(await width()).toBeGreaterThan(1);
    await page.screenshot({ path: path.join(artifactsDir, 'catalogue-skip-to-end.png') });

    await page.keyboard.press('Enter');
    await expect
      .poll(() => focused(page))
      .toMatchObject({ tag: 'BUTTON', text: `Afficher plus de documents (${COUNT - 50} restants)` });
    await page.keyboard.press('Enter');
    await expect.poll(async () => (await shownIds(page)).length).toBe(COUNT);
    // Every page shown: the link leads to the end of the list, where its count is said.
    await skip.focus();
    await page.keyboard.press('Enter');
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.classList.contains('essaim-results-more')))
      .toBe(true);
    expect(await runAxe(page)).toEqual([]);
    expect(problems.errors).toEqual([]);
  });

  it('adds the next rows to the table without a row twice, and starts again at a new sort', async () => {
    const { page, problems } = await app.open({ as: app.admin });
    await page.goto(`${app.baseUrl}/espaces/${app.espaceId}?affichage=tableau`);
    const rows = page.locator('.essaim-doc-table tbody tr');
    await expect.poll(() => rows.count()).toBe(50);
    const firstPage = await shownIds(page);

    // A document written meanwhile comes first on the server: every other one slides down one
    // place, so the 50th shown is also the first of the next page.
    await createDocument(app.admin, app.espaceId, 'Pratique écrite entre deux pages');
    await showMore(page).click();
    await expect.poll(() => pagesStatus(page)).toMatch(/documents de plus/);
    const ids = await shownIds(page);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.slice(0, 50)).toEqual(firstPage);
    expect(ids).toHaveLength(COUNT);
    await expect.poll(() => resultCount(page)).toBe(`${COUNT + 1} documents`);
    await expect.poll(async () => (await focused(page)).documentId).toBe(ids[50]);
    expect((await focused(page)).tag).toBe('A');

    // That document went into the page already shown: the end of the list says so (tester BR37),
    // and « Actualiser la liste » starts again from the first page, the new document first.
    const changed = page.getByText(
      'La liste a changé pendant que vous la parcouriez : 1 document n’est pas affiché.',
    );
    await expect.poll(() => changed.count()).toBe(1);
    await page.getByRole('button', { name: 'Actualiser la liste' }).click();
    await expect.poll(() => rows.count()).toBe(50);
    await expect
      .poll(async () => (await rows.first().textContent()) ?? '')
      .toContain('Pratique écrite entre deux pages');
    expect(await changed.count()).toBe(0);

    // A new sort starts again from its first page.
    await page.getByLabel('Trier par').selectOption('title');
    await expect.poll(() => new URL(page.url()).searchParams.get('tri')).toBe('titre');
    await expect
      .poll(async () => (await rows.first().locator('td').first().textContent()) ?? '')
      .toContain('Pratique 01');
    await expect.poll(() => rows.count()).toBe(50);
    await expect.poll(() => pagesStatus(page)).toBe(`50 affichés sur ${COUNT + 1}`);
    expect(await showMore(page).textContent()).toBe(
      `Afficher plus de documents (${COUNT + 1 - 50} restants)`,
    );
    expect(problems.errors).toEqual([]);
  });
});
