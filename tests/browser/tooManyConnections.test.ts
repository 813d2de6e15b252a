import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createDocument } from '../support/accounts.js';
import { artifactsDir } from './support/chromium.js';
import { unexpectedProblems, useBrowserApp } from './support/app.js';
import { editorOf } from './support/coWriting.js';

// One account may hold two websockets: the third tab meets the limit (issue 17).
const app = useBrowserApp({ COLLAB_MAX_SOCKETS_PER_ACCOUNT: '2' });

describe('an account over its number of open documents', () => {
  it('says in French to close tabs, and opens the document on « Réessayer » once a tab is closed', async () => {
    const doc = await createDocument(app.admin, app.espaceId, 'Aller-vers en zone rurale');
    const { context, page: first, problems } = await app.open({ as: app.admin });
    const second = await context.newPage();
    const third = await context.newPage();
    for (const page of [first, second]) {
      await page.goto(`${app.baseUrl}/documents/${doc.id}`);
      await expect.poll(() => editorOf(page).getAttribute('contenteditable')).toBe('true');
    }

    await third.goto(`${app.baseUrl}/documents/${doc.id}`);
    const title = third.getByRole('heading', { name: 'Trop de documents ouverts avec votre compte' });
    await expect.poll(() => title.isVisible()).toBe(true);
    await expect.poll(() => third.getByText('Fermez les onglets d’Essaim').isVisible()).toBe(true);
    await third.screenshot({ path: path.join(artifactsDir, 'trop-de-connexions.png') });

    // The button shows its label, not the icon alone (the label clipped inside a 40 px square).
    const retry = third.getByRole('button', { name: 'Réessayer' });
    expect(await retry.evaluate((b) => b.scrollWidth <= b.clientWidth && b.clientWidth > 80)).toBe(true);

    await second.close();
    await retry.click();
    await expect.poll(() => editorOf(third).getAttribute('contenteditable')).toBe('true');
    expect(unexpectedProblems(problems)).toEqual({ errors: [], cspViolations: [] });
  });
});
