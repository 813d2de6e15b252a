import { describe, expect, it } from 'vitest';
import { createDocument } from '../support/accounts.js';
import { approveAll } from '../support/publications.js';
import { useBrowserApp } from './support/app.js';
import { editorOf, sectionOf } from './support/coWriting.js';

/**
 * Tester BR31: typing in an approved section makes its review header grow (« Voir les
 * modifications depuis l’approbation », « Soumettre », « Approuver »); the line being typed was
 * pushed 96 px down under the caret, and the next click aimed at the text missed. What grows above
 * the caret's line now scrolls the page by as much, so the line stays where the eyes are.
 */

const app = useBrowserApp();

describe('the line being typed', () => {
  it('stays where it is when the section’s review header grows above it', async () => {
    const doc = await createDocument(app.admin, app.espaceId, 'Aller-vers approuvé', 'fiche');
    await approveAll(app.admin, doc.id);
    const { page, problems } = await app.open({ as: app.admin, viewport: { width: 1280, height: 900 } });
    await page.goto(`${app.baseUrl}/documents/${doc.id}`);
    await expect.poll(() => editorOf(page).getAttribute('contenteditable')).toBe('true');
    const section = sectionOf(page, 'origine');
    await section.locator('[data-review-status]').waitFor();
    const paragraph = section.locator('p').first();
    await paragraph.scrollIntoViewIfNeeded();
    await page.waitForLoadState('networkidle');
    const top = async () => (await paragraph.boundingBox())?.y ?? Number.NaN;
    const before = await top();
    const box = await paragraph.boundingBox();
    await page.mouse.click((box?.x ?? 0) + 2, (box?.y ?? 0) + 6);
    await page.keyboard.type('Nouveau');
    await section.getByRole('button', { name: /Voir les modifications depuis l’approbation/ }).waitFor();
    await page.evaluate(() => new Promise((frame) => requestAnimationFrame(frame)));
    expect(Math.abs((await top()) - before)).toBeLessThanOrEqual(2);
    expect(problems.errors).toEqual([]);
  });
});
