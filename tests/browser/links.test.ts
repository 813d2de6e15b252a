import { beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { DocumentDto } from '@essaim/protocol';
import { invite, type Session } from '../support/accounts.js';
import { unexpectedProblems, useBrowserApp } from './support/app.js';

/**
 * Web addresses typed or pasted become links once that behaviour (linkifyjs, loaded after the
 * editor's first drawing: client/src/features/editor/linkBehaviour.ts) has arrived; before it,
 * the link mark is in the schema and the toolbar's « Lien » works.
 */

let baseUrl: string;
let espaceId: string;
let bruno: Session;

const app = useBrowserApp();

beforeAll(async () => {
  ({ baseUrl, espaceId } = app);
  bruno = await invite(app.admin, espaceId, 'rapporteur', 'Bruno');
});

const editorOf = (page: Page) => page.getByRole('textbox', { name: 'Contenu du document' });

/** Opens a new fiche, the caret at the start of « Identification ». */
async function openFiche(title: string, holdLateChunk = false) {
  const response = await bruno.fetch('/api/documents', {
    method: 'POST',
    json: { espaceId, title, kind: 'fiche' },
  });
  expect(response.status).toBe(201);
  const doc = (await response.json()) as DocumentDto;
  const opened = await app.open({ as: bruno });
  let release: () => void = () => undefined;
  if (holdLateChunk) {
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    await opened.page.route('**/assets/panels.lazy-*.js', async (route) => {
      await released;
      await route.continue();
    });
  }
  await opened.page.goto(`${baseUrl}/documents/${doc.id}`);
  await expect.poll(() => editorOf(opened.page).getAttribute('contenteditable')).toBe('true');
  await opened.page
    .getByRole('navigation', { name: 'Sommaire' })
    .getByRole('button', { name: 'Identification' })
    .click();
  await expect
    .poll(() => opened.page.evaluate(() => document.activeElement?.getAttribute('role')))
    .toBe('textbox');
  return { ...opened, release };
}

/** The behaviour's chunk has arrived: the « Historique » button, in the same chunk, is drawn. */
async function lateChunkArrived(page: Page) {
  await expect.poll(() => page.getByRole('button', { name: 'Historique' }).count()).toBeGreaterThan(0);
}

/** Pastes `text` as plain text into the focused editor (a `paste` event, as the browser sends). */
async function pastePlainText(page: Page, text: string) {
  await page.evaluate((pasted) => {
    const data = new DataTransfer();
    data.setData('text/plain', pasted);
    document.activeElement?.dispatchEvent(
      new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }),
    );
  }, text);
}

const hrefs = (page: Page) =>
  editorOf(page)
    .locator('a[href]')
    .evaluateAll((links) => links.map((link) => link.getAttribute('href')));

describe('web addresses in the text', () => {
  it('become links when typed then followed by a space, or pasted, once the behaviour has arrived', async () => {
    const { page, problems } = await openFiche('Adresses tapées');
    await lateChunkArrived(page);
    await page.keyboard.type('Voir www.hcts.fr ');
    await expect.poll(() => hrefs(page)).toEqual(['https://www.hcts.fr']);
    await page.keyboard.type('et ');
    await pastePlainText(page, 'https://solidarites.gouv.fr/pratiques');
    await expect
      .poll(() => hrefs(page))
      .toEqual(['https://www.hcts.fr', 'https://solidarites.gouv.fr/pratiques']);
    expect(unexpectedProblems(problems)).toEqual({ errors: [], cspViolations: [] });
  });

  it('can be linked from the toolbar before the behaviour has arrived, and typed ones are linked after', async () => {
    const { page, problems, release } = await openFiche('Lien avant chargement', true);
    await page.keyboard.type('Le site du HCTS');
    await page.keyboard.press('Shift+Home');
    await page.getByRole('button', { name: 'Lien', exact: true }).click();
    await page.getByLabel('Adresse du lien').fill('https://www.hcts.fr');
    await page.getByLabel('Adresse du lien').press('Enter');
    // The form writes the address as the browser normalises it (a final slash).
    await expect.poll(() => hrefs(page)).toEqual(['https://www.hcts.fr/']);
    release();
    await lateChunkArrived(page);
    // In a new paragraph: typed at the end of a link, the words would join it (the mark is inclusive).
    await editorOf(page).locator('a[href]').click();
    await page.keyboard.press('End');
    await page.keyboard.press('Enter');
    await page.keyboard.type('Voir exemple.org ');
    await expect.poll(() => hrefs(page)).toEqual(['https://www.hcts.fr/', 'https://exemple.org']);
    expect(unexpectedProblems(problems)).toEqual({ errors: [], cspViolations: [] });
  });
});
