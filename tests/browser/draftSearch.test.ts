import path from 'node:path';
import { SEARCH_TEXT_MAX, type ReviewedDocumentSectionsDto } from '@essaim/protocol';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createDocument, invite, type Session } from '../support/accounts.js';
import { createThread, sectionId, writeInSection } from '../support/comments.js';
import { connectAs, isSettled, synced, type NodeClient } from '../support/provider.js';
import { runAxe } from './support/axe.js';
import { artifactsDir } from './support/chromium.js';
import { unexpectedProblems, useBrowserApp } from './support/app.js';

/**
 * The catalogue's full-text search of drafts (issue 18), as a membre uses it: a word of a fiche's
 * body (typed without its accents) finds the fiche, says in which section with the words
 * highlighted, and the link opens the editor on that section; a word of a comment opens its thread.
 */

const app = useBrowserApp();
let membre: Session;
let writer: NodeClient;
let documentId: string;
let target: { id: string; title: string };
let threadId: string;

const FILLER =
  'Les travailleurs sociaux rencontrent les familles à domicile et construisent avec elles un accompagnement. ';

beforeAll(async () => {
  membre = await invite(app.admin, app.espaceId, 'membre', 'Paul Renaud');
  const doc = await createDocument(app.admin, app.espaceId, 'Aller-vers les allocataires — Oise');
  documentId = doc.id;
  writer = connectAs(app.admin, app.server.wsUrl, doc.name);
  await synced(writer);
  // A long fiche, the words searched far below the fold, in the eleventh section.
  for (let i = 1; i <= 9; i++) writeInSection(writer.ydoc, sectionId(writer.ydoc, i), FILLER.repeat(6));
  writeInSection(
    writer.ydoc,
    sectionId(writer.ydoc, 10),
    'La dématérialisation des démarches et le regroupement des accueils ont éloigné une partie des allocataires.',
  );
  await vi.waitFor(() => expect(isSettled(writer)).toBe(true), { timeout: 10_000, interval: 50 });
  const { sections } = (await (
    await app.admin.fetch(`/api/documents/${doc.id}/sections`)
  ).json()) as ReviewedDocumentSectionsDto;
  const eleventh = sections[10];
  if (!eleventh) throw new Error('pas de onzième section');
  target = { id: eleventh.id, title: eleventh.title };
  threadId = (
    await createThread(membre, doc.id, {
      sectionId: sectionId(writer.ydoc, 2),
      body: 'Demander au CCAS si la pair-aidance y est envisagée.',
    })
  ).id;
});

afterAll(() => writer?.destroy());

describe('searching the text of drafts from the catalogue', () => {
  it('finds a word of a fiche’s body, shows the section and the words, and opens the editor on that section', async () => {
    // CSP bypassed for axe only (the other test keeps it).
    const { page, problems } = await app.open({ as: membre, bypassCSP: true });
    await page.goto(`${app.baseUrl}/espaces/${app.espaceId}`);
    const search = page.getByRole('searchbox', { name: /Rechercher/ });
    await search.fill('dematerialisation');
    await search.press('Enter');
    const link = page.getByRole('link', { name: `Trouvé dans la section « ${target.title} »`, exact: false });
    await expect.poll(() => link.count(), { timeout: 15_000 }).toBe(1);
    // The link names the place and the document (for screen readers), the snippet marks the words.
    expect(await link.textContent()).toContain('Aller-vers les allocataires — Oise');
    const matches = page.getByRole('list', { name: /Passages trouvés dans « Aller-vers les allocataires/ });
    expect(await matches.locator('mark').allTextContents()).toEqual(['dématérialisation']);
    expect(new URL(page.url()).searchParams.get('q')).toBe('dematerialisation');
    expect(await runAxe(page)).toEqual([]);
    await page.screenshot({ path: path.join(artifactsDir, 'draft-search.png'), fullPage: true });

    // With the keyboard: the link is reached and followed like any other.
    await link.focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(
      (url) => url.pathname === `/documents/${documentId}` && url.searchParams.get('section') === target.id,
    );
    // The editor holds the section in view, the caret in it.
    const section = page.locator(`section[data-section-id="${target.id}"]`);
    await expect
      .poll(
        () =>
          section.evaluate((element) => {
            const box = element.getBoundingClientRect();
            const anchor = window.getSelection()?.anchorNode;
            const holder = anchor instanceof Element ? anchor : anchor?.parentElement;
            return {
              inView: box.top < window.innerHeight && box.bottom > 0,
              caret: holder?.closest('section[data-section-id]') === element,
            };
          }),
        { timeout: 15_000 },
      )
      .toEqual({ inView: true, caret: true });
    await page.screenshot({ path: path.join(artifactsDir, 'draft-search-section.png') });
    expect(unexpectedProblems(problems)).toEqual({ errors: [], cspViolations: [] });
  });

  it('finds a word of a comment and opens its thread', async () => {
    const { page, problems } = await app.open({ as: membre });
    await page.goto(`${app.baseUrl}/espaces/${app.espaceId}?q=${encodeURIComponent('pair aidance CCAS')}`);
    const link = page.getByRole('link', { name: /^Trouvé dans un commentaire/ });
    await expect.poll(() => link.count(), { timeout: 15_000 }).toBe(1);
    await link.click();
    await page.waitForURL((url) => url.searchParams.get('thread') === threadId);
    await expect
      .poll(() => page.getByText('Demander au CCAS si la pair-aidance y est envisagée.').isVisible(), {
        timeout: 15_000,
      })
      .toBe(true);
    expect(unexpectedProblems(problems)).toEqual({ errors: [], cspViolations: [] });
  });
});

describe('the catalogue’s fields that have a limit (tester F12)', () => {
  it('stops the search at 200 characters and says so in French, the search still sent', async () => {
    const { page, problems } = await app.open({ as: membre, bypassCSP: true });
    await page.goto(`${app.baseUrl}/espaces/${app.espaceId}`);
    const search = page.getByRole('searchbox', { name: /Rechercher/ });
    await search.fill('allocataires '.repeat(20));
    expect(await search.inputValue()).toHaveLength(SEARCH_TEXT_MAX);
    await page.getByText('La recherche ne peut pas dépasser 200 caractères.').waitFor();
    expect(await runAxe(page)).toEqual([]);
    await search.press('Enter');
    await expect
      .poll(() => new URL(page.url()).searchParams.get('q')?.length)
      .toBe('allocataires '.repeat(20).slice(0, SEARCH_TEXT_MAX).trim().length);
    expect(unexpectedProblems(problems)).toEqual({ errors: [], cspViolations: [] });
  });

  it('says on the year field, in French and in the DSFR’s error state, the years it accepts and the year the list keeps', async () => {
    const { page } = await app.open({ as: membre, bypassCSP: true });
    await page.goto(`${app.baseUrl}/espaces/${app.espaceId}`);
    const year = page.getByRole('textbox', { name: /^Année de démarrage/ });
    await year.fill('2019');
    await expect.poll(() => new URL(page.url()).searchParams.get('annee')).toBe('2019');
    // Three digits, then nothing: said after a moment, without leaving the field.
    await year.fill('201');
    const next = new Date().getFullYear() + 1;
    const message = page.getByText(
      `Indiquez une année sur quatre chiffres, entre 1900 et ${next}. La liste reste filtrée sur 2019.`,
    );
    await message.waitFor();
    expect(await year.getAttribute('aria-invalid')).toBe('true');
    expect(await year.evaluate((field) => field.closest('.fr-input-group--error') !== null)).toBe(true);
    expect(new URL(page.url()).searchParams.get('annee')).toBe('2019');
    await page.screenshot({ path: path.join(artifactsDir, 'catalogue-annee-invalide.png') });
    expect(await runAxe(page)).toEqual([]);
    // A valid year clears it.
    await year.fill('2020');
    await expect.poll(() => new URL(page.url()).searchParams.get('annee')).toBe('2020');
    expect(await message.count()).toBe(0);
    expect(await year.getAttribute('aria-invalid')).toBeNull();
  });
});
