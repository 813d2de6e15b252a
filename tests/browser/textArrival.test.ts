import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { sectionsOf } from '@essaim/editor';
import { createDocument } from '../support/accounts.js';
import { useBrowserApp } from './support/app.js';
import { editorOf, sectionOf, storedDocument, textOf, useTwoRapporteurs } from './support/coWriting.js';

/**
 * A browser that has never opened a document (no local copy) on a slow line (tester BR26,
 * 2026-11-30): the editor was drawn at once with the schema's empty section and took keystrokes
 * before the server's text arrived; Yjs then merged that invented section with the real ones and
 * the words landed in a section title, inside a word, or in a new « Section sans titre ». Until
 * the text is here, the page says « Ouverture du document… » and nothing can be typed.
 */

const app = useBrowserApp();
const people = useTwoRapporteurs(app);

/** Holds every message from the collaborative server to `page` until the returned function is called. */
async function holdServerMessages(page: Page): Promise<() => void> {
  const held: (string | Buffer)[] = [];
  let deliver: ((message: string | Buffer) => void) | null = null;
  let releasedAll = false;
  await page.routeWebSocket(/\/collab$/, (ws) => {
    const server = ws.connectToServer();
    deliver = (message) => ws.send(message);
    server.onMessage((message) => {
      if (releasedAll) ws.send(message);
      else held.push(message);
    });
    ws.onMessage((message) => server.send(message));
  });
  return () => {
    releasedAll = true;
    for (const message of held.splice(0)) deliver?.(message);
  };
}

describe('the text before it arrives', () => {
  it('shows no editor and takes no keystroke until the server’s text is here, then writes where the person clicks', async () => {
    const doc = await createDocument(app.admin, app.espaceId, 'Pair-aidance à Lille', 'fiche');
    await people.assignBoth(doc.id);
    const before = await storedDocument(app, `doc.${doc.id}`);
    const { page, problems } = await app.open({ as: people.bruno });
    const release = await holdServerMessages(page);
    await page.goto(`${app.baseUrl}/documents/${doc.id}`);

    // The page is drawn, the text is not: an announcement instead of an empty section.
    await expect
      .poll(() => page.getByRole('status').filter({ hasText: 'Ouverture du document…' }).count())
      .toBe(1);
    expect(await editorOf(page).count()).toBe(0);
    // Keys pressed meanwhile go nowhere (nothing editable has the focus).
    await page.keyboard.type('perdu ');

    release();
    await editorOf(page).waitFor();
    await expect.poll(() => editorOf(page).getAttribute('contenteditable')).toBe('true');
    const first = sectionOf(page, 'origine').locator('.essaim-section__content p').first();
    await first.click();
    await page.keyboard.press('End');
    await page.keyboard.type(' Rédigé après l’arrivée.');

    await expect
      .poll(async () => (await storedDocument(app, `doc.${doc.id}`)).textContent, { timeout: 15_000 })
      .toContain('Rédigé après l’arrivée.');
    const after = await storedDocument(app, `doc.${doc.id}`);
    // The same sections, none invented, and the words in the paragraph clicked.
    const ids = (node: typeof after) => sectionsOf(node).map((section) => section.id);
    expect(ids(after)).toEqual(ids(before));
    expect(after.textContent).not.toContain('perdu');
    expect(await textOf(first)).toContain('Rédigé après l’arrivée.');
    expect(problems.errors).toEqual([]);
  });
});
