import { beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { DocumentDto } from '@essaim/protocol';
import { invite, type Session } from '../support/accounts.js';
import { unexpectedProblems, useBrowserApp } from './support/app.js';

/**
 * Tables load their editing behaviour (prosemirror-tables) after the editor's first drawing
 * (client/src/features/editor/lateBehaviour.ts): what a writer does before it arrives is not
 * lost, and once it is here the keys of tables work while the caret and undo are unharmed.
 */

let baseUrl: string;
let espaceId: string;
let bruno: Session;

const app = useBrowserApp();

beforeAll(async () => {
  ({ baseUrl, espaceId } = app);
  bruno = await invite(app.admin, espaceId, 'rapporteur', 'Bruno');
});

async function newFiche(title: string): Promise<DocumentDto> {
  const response = await bruno.fetch('/api/documents', {
    method: 'POST',
    json: { espaceId, title, kind: 'fiche' },
  });
  expect(response.status).toBe(201);
  return (await response.json()) as DocumentDto;
}

const editorOf = (page: Page) => page.getByRole('textbox', { name: 'Contenu du document' });
const sommaireOf = (page: Page) => page.getByRole('navigation', { name: 'Sommaire' });

/**
 * Opens a new fiche with the chunk loaded after the first drawing (panels and table behaviour)
 * held back until `release` is called.
 */
async function openWithLateChunkHeld(title: string) {
  const doc = await newFiche(title);
  const opened = await app.open({ as: bruno });
  let release!: () => void;
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  let asked = false;
  await opened.page.route('**/assets/panels.lazy-*.js', async (route) => {
    asked = true;
    await released;
    await route.continue();
  });
  await opened.page.goto(`${baseUrl}/documents/${doc.id}`);
  await editorOf(opened.page).waitFor();
  await expect.poll(() => editorOf(opened.page).getAttribute('contenteditable')).toBe('true');
  await expect.poll(() => asked).toBe(true);
  return { ...opened, release };
}

/** Puts the caret at the start of a section's text, as the « Sommaire » does. */
async function goToSection(page: Page, title: string) {
  await sommaireOf(page).getByRole('button', { name: title }).click();
  await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('role'))).toBe('textbox');
}

/** The behaviour's chunk has arrived: the « Historique » button, in the same chunk, is drawn. */
async function lateChunkArrived(page: Page) {
  await expect.poll(() => page.getByRole('button', { name: 'Historique' }).count()).toBeGreaterThan(0);
}

const cellTexts = (page: Page) => editorOf(page).locator('table').first().locator('th, td').allTextContents();

describe('tables before and after their editing behaviour has arrived', () => {
  it('inserts a table asked for before the behaviour arrived as soon as it does; Tab then moves between cells and adds a row', async () => {
    const { page, problems, release } = await openWithLateChunkHeld('Tableau demandé tôt');
    const content = editorOf(page);
    await goToSection(page, 'Description de la pratique et mise en œuvre');
    await page.getByRole('button', { name: /^Insérer un tableau/ }).click();
    // Held back: nothing inserted yet, the text is still there and usable.
    expect(await content.locator('table').count()).toBe(0);
    release();
    await expect.poll(() => content.locator('table').count()).toBe(1);
    expect(await content.locator('table tr').count()).toBe(3);
    expect(await content.locator('table th').count()).toBe(3);

    await page.keyboard.type('Étape');
    await page.keyboard.press('Tab');
    await page.keyboard.type('Durée');
    await expect.poll(() => cellTexts(page)).toEqual(['Étape', 'Durée', '', '', '', '', '', '', '']);
    // Shift+Tab goes back to the first cell and selects its text, as Tab does in the next ones.
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('End');
    await page.keyboard.type(' 1');
    await expect.poll(() => cellTexts(page).then((texts) => texts[0])).toBe('Étape 1');

    // From the first cell to the last one (8 Tabs), then Tab in the last cell adds a row.
    for (let i = 0; i < 8; i += 1) await page.keyboard.press('Tab');
    await page.keyboard.type('fin');
    await expect.poll(() => cellTexts(page).then((texts) => texts[8])).toBe('fin');
    await page.keyboard.press('Tab');
    await expect.poll(() => content.locator('table tr').count()).toBe(4);
    await page.keyboard.type('nouvelle ligne');
    await expect.poll(() => cellTexts(page).then((texts) => texts[9])).toBe('nouvelle ligne');

    // The toolbar's group works on the table: a column added, then the table removed.
    const tableGroup = page.getByRole('group', { name: 'Tableau' });
    await tableGroup.getByRole('button', { name: 'Ajouter une colonne' }).click();
    await expect.poll(() => content.locator('table tr').first().locator('th').count()).toBe(4);
    await tableGroup.getByRole('button', { name: 'Supprimer le tableau' }).click();
    await expect.poll(() => content.locator('table').count()).toBe(0);
    expect(unexpectedProblems(problems)).toEqual({ errors: [], cspViolations: [] });
  });

  it('keeps the caret and the undo history across the arrival of the behaviour', async () => {
    const { page, problems, release } = await openWithLateChunkHeld('Annuler après chargement');
    const content = editorOf(page);
    await goToSection(page, 'Identification');
    await page.keyboard.type('Avant');
    await expect.poll(() => content.textContent()).toContain('Avant');
    release();
    await lateChunkArrived(page);
    // Typed without clicking: the caret is where it was before the plugins joined the editor.
    await page.keyboard.type(' et après');
    await expect.poll(() => content.textContent()).toContain('Avant et après');

    // Undo still records what is typed after the plugins joined (the Yjs undo manager survived).
    await page.keyboard.press('Control+z');
    await expect.poll(() => content.textContent()).not.toContain('après');
    await expect
      .poll(async () => {
        await page.keyboard.press('Control+z');
        return content.textContent();
      })
      .not.toContain('Avant');
    await page.keyboard.press('Control+y');
    await expect.poll(() => content.textContent()).toContain('Avant');
    expect(unexpectedProblems(problems)).toEqual({ errors: [], cspViolations: [] });
  });
});
