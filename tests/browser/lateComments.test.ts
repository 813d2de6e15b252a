import { describe, expect, it } from 'vitest';
import { createDocument } from '../support/accounts.js';
import { createThread, sectionId, threadInput, writeInSection } from '../support/comments.js';
import { connectAs } from '../support/provider.js';
import { unexpectedProblems, useBrowserApp } from './support/app.js';
import {
  activeHighlightOf,
  clickHighlighted,
  highlightsOf,
  panelOf,
  selectWords,
  sommaireCount,
  threadsOf,
} from './support/comments.js';
import { holdPanelsChunk } from './support/chunks.js';
import { editorOf } from './support/coWriting.js';

/**
 * The comments arrive with the chunk loaded after the text's first drawing (issue 16: their hook,
 * the « Commenter » button and the highlights, whose plugin joins the running editor with the
 * tables and links, client/src/features/editor/installLateBehaviour.ts). Until then the text is there and
 * can be selected; once the chunk is here nothing is lost: the threads (even one created
 * meanwhile, whose live message nobody heard), their highlights and counts, the selection.
 */

const app = useBrowserApp();

const SENTENCE = 'Le conseil départemental a repris le modèle néo-zélandais en 2019.';

describe('comments loaded after the text’s first drawing', () => {
  it('shows every thread, even one created while its chunk was on its way, and comments the words selected meanwhile', async () => {
    const doc = await createDocument(app.admin, app.espaceId, 'Conférences familiales à Lorient', 'fiche');
    const client = connectAs(app.admin, app.server.wsUrl, doc.name);
    try {
      await expect.poll(() => client.provider.isSynced, { timeout: 10_000 }).toBe(true);
      const section = sectionId(client.ydoc, 1);
      writeInSection(client.ydoc, section, SENTENCE);
      await expect.poll(() => client.provider.hasUnsyncedChanges, { timeout: 10_000 }).toBe(false);
      await createThread(app.admin, doc.id, threadInput(client.ydoc, section, 'néo-zélandais', 'Pourquoi ?'));

      const { page, problems } = await app.open({ as: app.admin });
      const chunk = await holdPanelsChunk(page);
      await page.goto(`${app.baseUrl}/documents/${doc.id}`);
      await chunk.asked;
      // The text is drawn, synced and editable without the comments' chunk.
      await expect
        .poll(() => editorOf(page).getAttribute('contenteditable'), { timeout: 20_000 })
        .toBe('true');
      await expect.poll(() => editorOf(page).textContent()).toContain(SENTENCE);
      // Synced with the server: the first sync is over before the comments' hook is there.
      await expect
        .poll(() => page.locator('body').textContent(), { timeout: 20_000 })
        .toMatch(/État de la connexion :\s*(Connecté|Enregistré)/);
      expect(await highlightsOf(page)).toEqual([]);
      expect(await panelOf(page).count()).toBe(0);

      // Meanwhile someone comments other words (the page hears the live message before the
      // comments' hook is there), and the person selects words.
      await createThread(
        app.admin,
        doc.id,
        threadInput(client.ydoc, section, 'conseil départemental', 'Lequel ?'),
      );
      await selectWords(page, 'repris le modèle');

      chunk.release();
      await expect
        .poll(() => highlightsOf(page), { timeout: 15_000 })
        .toEqual(['conseil départemental', 'néo-zélandais']);
      await expect.poll(() => threadsOf(page).count()).toBe(2);
      await expect.poll(() => sommaireCount(page, 'Origine et contexte')).toBe('2 commentaires ouverts');

      // The selection made before the chunk came is still there, and « Commenter » comments it.
      expect(await page.evaluate(() => String(window.getSelection()))).toBe('repris le modèle');
      await page.getByRole('button', { name: 'Commenter', exact: true }).click();
      const field = panelOf(page).getByRole('textbox', { name: /Votre commentaire/ });
      await field.fill('Depuis quand ?');
      await panelOf(page).getByRole('button', { name: 'Publier' }).click();
      await expect.poll(() => threadsOf(page).count()).toBe(3);
      await expect
        .poll(() => highlightsOf(page))
        .toEqual(['conseil départemental', 'repris le modèle', 'néo-zélandais']);

      // A click on highlighted words opens their thread.
      await clickHighlighted(page, 'néo-zélandais');
      await expect.poll(() => activeHighlightOf(page)).toEqual(['néo-zélandais']);
      expect(unexpectedProblems(problems)).toEqual({ errors: [], cspViolations: [] });
    } finally {
      client.destroy();
    }
  });

  it('opens the comment on the words selected when Ctrl+Alt+M was pressed before the comments had arrived', async () => {
    const doc = await createDocument(app.admin, app.espaceId, 'Aller-vers à Brest', 'fiche');
    const client = connectAs(app.admin, app.server.wsUrl, doc.name);
    try {
      await expect.poll(() => client.provider.isSynced, { timeout: 10_000 }).toBe(true);
      writeInSection(client.ydoc, sectionId(client.ydoc, 1), SENTENCE);
      await expect.poll(() => client.provider.hasUnsyncedChanges, { timeout: 10_000 }).toBe(false);

      const { page, problems } = await app.open({ as: app.admin });
      const chunk = await holdPanelsChunk(page);
      await page.goto(`${app.baseUrl}/documents/${doc.id}`);
      await chunk.asked;
      await expect.poll(() => editorOf(page).textContent(), { timeout: 20_000 }).toContain(SENTENCE);
      await selectWords(page, 'néo-zélandais');
      await page.keyboard.press('Control+Alt+m');
      expect(await panelOf(page).count()).toBe(0);

      chunk.release();
      const field = panelOf(page).getByRole('textbox', { name: /Votre commentaire/ });
      await field.waitFor({ timeout: 15_000 });
      await field.fill('Quel modèle exactement ?');
      await panelOf(page).getByRole('button', { name: 'Publier' }).click();
      await expect.poll(() => highlightsOf(page)).toEqual(['néo-zélandais']);
      expect(unexpectedProblems(problems)).toEqual({ errors: [], cspViolations: [] });
    } finally {
      client.destroy();
    }
  });
});
