import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { VERSION_LABEL_MAX, type VersionDto } from '@essaim/protocol';
import { createDocument, invite, type Session } from '../support/accounts.js';
import { runAxe } from './support/axe.js';
import { unexpectedProblems, useBrowserApp } from './support/app.js';
import { artifactsDir } from './support/chromium.js';
import { editorOf, placeCaret, sectionOf, textOf, useTwoRapporteurs, type Tab } from './support/coWriting.js';

/**
 * The « Historique » panel (issue 11) as two rapporteurs use it: they write a fiche together, one
 * names a version from the panel, they write more, the comparison of two versions shows each
 * one's inserted words underlined in their colour, a version opens read-only, and a restore
 * reaches the other rapporteur's tab live (notice and text). A membre reads the history without
 * the writers' buttons. Both pages pass axe and raise no error nor CSP refusal.
 */

const app = useBrowserApp();
const people = useTwoRapporteurs(app);
let mona: Session;

beforeAll(async () => {
  mona = await invite(app.admin, app.espaceId, 'membre', 'Mona');
});

const FIRST = 'Le département a repris le modèle néo-zélandais.';
const BRUNO_MORE = ' Les familles choisissent leurs invités.';
const CHLOE_MORE = 'Un coordinateur indépendant prépare la réunion.';

/**
 * The first paragraph of a section's text (inside its editable content: the section's review
 * header, above the title, has paragraphs of its own).
 */
const firstParagraph = (page: Page, key: string): Locator =>
  sectionOf(page, key).locator('[data-node-view-content] p').first();

/** Opens the document as `who`; `bypassCSP` lets axe be injected (its tab checks no CSP). */
async function openTab(
  who: Session,
  id: string,
  { axe = false } = {},
): Promise<Tab & { context: BrowserContext }> {
  const { context, page, problems } = await app.open({ as: who, bypassCSP: axe });
  await page.goto(`${app.baseUrl}/documents/${id}`);
  await editorOf(page).waitFor();
  return { name: who.name, page, problems, context };
}

const toggleOf = (page: Page): Locator => page.getByRole('button', { name: 'Historique', exact: true });
const panelOf = (page: Page): Locator => page.getByRole('region', { name: 'Historique', exact: true });
const focusedText = (page: Page): Promise<string> =>
  page.evaluate(() => (document.activeElement as HTMLElement | null)?.innerText.trim() ?? '');

/** The versions as the API lists them to `who`, newest first. */
async function versionsOf(who: Session, id: string): Promise<VersionDto[]> {
  const response = await who.fetch(`/api/documents/${id}/versions`);
  expect(response.status).toBe(200);
  return ((await response.json()) as { versions: VersionDto[] }).versions;
}

/** The words of `<ins>` or `<del>` elements in the comparison, without their screen-reader words. */
const changesIn = (page: Page, tag: 'ins' | 'del'): Promise<{ text: string; author: string }[]> =>
  panelOf(page)
    .locator(`.essaim-history__diff-section ${tag}`)
    .evaluateAll((elements) =>
      elements.map((element) => {
        const copy = element.cloneNode(true) as HTMLElement;
        copy.querySelectorAll('.fr-sr-only').forEach((hidden) => hidden.remove());
        return { text: copy.textContent ?? '', author: element.getAttribute('title') ?? '' };
      }),
    );

/** Opens the panel with the « Historique » button, checks the focus moved into it, waits for the list. */
async function openHistory(page: Page): Promise<Locator> {
  await toggleOf(page).click();
  const panel = panelOf(page);
  await panel.waitFor();
  await expect.poll(() => focusedText(page)).toBe('Historique');
  await panel
    .getByText(/\d+ versions?|Aucune version/)
    .first()
    .waitFor();
  return panel;
}

describe('the « Historique » panel', () => {
  it('names a version, compares two with each author’s inserted words, and restores one the other tab receives live', async () => {
    const doc = await createDocument(app.admin, app.espaceId, 'Conférences familiales dans le Nord', 'fiche');
    await people.assignBoth(doc.id);
    const brunoTab = await openTab(people.bruno, doc.id, { axe: true });
    const chloeTab = await openTab(people.chloe, doc.id);
    for (const { page } of [brunoTab, chloeTab])
      await expect.poll(() => editorOf(page).getAttribute('contenteditable')).toBe('true');
    const origine = (page: Page) => firstParagraph(page, 'origine');
    const description = (page: Page) => firstParagraph(page, 'description');

    // Both write; Bruno names this state « Premier jet » from the panel.
    await placeCaret(brunoTab, chloeTab, origine);
    await brunoTab.page.keyboard.type(FIRST);
    await expect.poll(() => textOf(origine(chloeTab.page))).toBe(FIRST);

    const panel = await openHistory(brunoTab.page);
    await panel.getByRole('button', { name: 'Enregistrer une version' }).click();
    const nameDialog = brunoTab.page.getByRole('dialog', { name: 'Enregistrer une version' });
    const label = nameDialog.getByLabel('Nom de la version');
    await expect.poll(() => label.evaluate((field) => field === document.activeElement)).toBe(true);
    // A blank name is refused in French, before anything is sent.
    await nameDialog.getByRole('button', { name: 'Enregistrer', exact: true }).click();
    await nameDialog.getByText('Donnez un nom à la version.').waitFor();
    await label.fill('Premier jet');
    await label.press('Enter');
    await panel.getByText('Premier jet', { exact: true }).waitFor();
    await expect.poll(() => nameDialog.isVisible()).toBe(false);
    const first = (await versionsOf(people.bruno, doc.id)).find((v) => v.label === 'Premier jet');
    expect(first?.kind).toBe('nommee');
    expect(first?.createdBy?.name).toBe('Bruno');
    await expect
      .poll(() => panel.locator('.essaim-history__day-title').first().textContent())
      .toBe('Aujourd’hui');
    await brunoTab.page.screenshot({ path: path.join(artifactsDir, 'historique-liste.png') });

    // Escape closes the panel and gives the focus back to « Historique ».
    await brunoTab.page.keyboard.press('Escape');
    await expect.poll(() => panelOf(brunoTab.page).count()).toBe(0);
    await expect.poll(() => focusedText(brunoTab.page)).toBe('Historique');

    // Both write more, each in a section; Chloé names the result through the API.
    await placeCaret(chloeTab, brunoTab, description);
    await chloeTab.page.keyboard.type(CHLOE_MORE);
    await placeCaret(brunoTab, chloeTab, origine);
    await brunoTab.page.keyboard.type(BRUNO_MORE);
    await expect.poll(() => textOf(origine(chloeTab.page))).toBe(FIRST + BRUNO_MORE);
    await expect.poll(() => textOf(description(brunoTab.page))).toBe(CHLOE_MORE);
    const named = await people.chloe.fetch(`/api/documents/${doc.id}/versions`, {
      method: 'POST',
      json: { label: 'Après la séance' },
    });
    expect(named.status).toBe(201);
    const second = ((await named.json()) as { version: VersionDto }).version;

    // Compare « Premier jet » with « Après la séance »: the inserted words, each by its author.
    const reopened = await openHistory(brunoTab.page);
    await reopened.getByLabel('De', { exact: true }).selectOption(first?.id ?? '');
    await reopened.getByLabel('À', { exact: true }).selectOption(second.id);
    await reopened.getByRole('button', { name: 'Comparer', exact: true }).click();
    const compareTitle = `Version ${first?.number} → version ${second.number}`;
    await reopened.getByRole('heading', { name: compareTitle }).waitFor();
    await expect.poll(() => focusedText(brunoTab.page)).toBe(compareTitle);
    await expect
      .poll(() => reopened.getByTestId('diff-summary').textContent())
      .toMatch(/^2 sections modifiées, \d+ changements?$/);
    await expect
      .poll(() => changesIn(brunoTab.page, 'ins'))
      .toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            text: expect.stringContaining('familles choisissent') as string,
            author: 'Ajouté par Bruno',
          }),
          expect.objectContaining({
            text: expect.stringContaining('coordinateur indépendant') as string,
            author: 'Ajouté par Chloé',
          }),
        ]),
      );
    expect(await changesIn(brunoTab.page, 'del')).toEqual([]);
    // Not by colour alone: each insertion says « Ajouté : » and its author to screen readers.
    const spoken = await reopened.locator('.essaim-history__diff-section ins').first().textContent();
    expect(spoken).toMatch(/^Ajouté : .+ \((Bruno|Chloé)\)$/);
    expect(await reopened.getByTestId('legend-author').allTextContents()).toEqual(
      expect.arrayContaining(['Bruno', 'Chloé']),
    );
    // The changed sections come first, then the unchanged ones, folded.
    const sectionTitles = await reopened.locator('.essaim-history__diff-section h4').allTextContents();
    expect(sectionTitles.slice(0, 2)).toEqual([
      'Origine et contexte',
      'Description de la pratique et mise en œuvre',
    ]);
    await expect.poll(() => reopened.locator('details.essaim-history__unchanged').count()).toBe(1);

    expect(await runAxe(brunoTab.page)).toEqual([]);
    await brunoTab.page.screenshot({ path: path.join(artifactsDir, 'historique-comparaison.png') });

    // « Retour » gives the focus back to « Comparer »; « Voir » opens « Premier jet » read-only.
    await reopened.getByRole('button', { name: 'Retour à la liste des versions' }).click();
    await expect.poll(() => focusedText(brunoTab.page)).toBe('Comparer');
    const firstItem = reopened.locator(`li[data-version-id="${first?.id}"]`);
    await firstItem.getByRole('button', { name: `Voir la version ${first?.number}` }).click();
    const versionText = reopened.getByRole('article', { name: `Texte de la version ${first?.number}` });
    await versionText.waitFor();
    await expect.poll(() => versionText.textContent()).toContain(FIRST);
    expect(await versionText.textContent()).not.toContain(CHLOE_MORE);
    expect(await versionText.locator('h4.essaim-section-title').count()).toBeGreaterThan(3);
    await brunoTab.page.screenshot({ path: path.join(artifactsDir, 'historique-version.png') });

    // Restore it, after a confirmation that says what happens.
    await reopened.getByRole('button', { name: 'Restaurer cette version' }).click();
    const confirm = brunoTab.page.getByRole('dialog', { name: `Restaurer la version ${first?.number} ?` });
    await confirm.getByText('Le texte actuel reste dans l’historique', { exact: false }).waitFor();
    expect(await runAxe(brunoTab.page)).toEqual([]);
    await confirm.getByRole('button', { name: 'Restaurer cette version' }).click();

    // Chloé's tab: the notice and the restored text, live; Bruno's too.
    const notice = `Bruno a restauré la version ${first?.number}.`;
    await expect.poll(() => chloeTab.page.getByTestId('history-notice').textContent()).toBe(notice);
    await expect.poll(() => textOf(origine(chloeTab.page))).toBe(FIRST);
    await expect.poll(() => textOf(description(chloeTab.page))).toBe('');
    await chloeTab.page.screenshot({ path: path.join(artifactsDir, 'historique-restauration-avis.png') });
    await expect.poll(() => textOf(origine(brunoTab.page))).toBe(FIRST);
    await expect
      .poll(() => brunoTab.page.getByTestId('history-notice').textContent())
      .toBe(`Vous avez restauré la version ${first?.number}.`);
    // Everything stays in history: both named versions, and a « restauration » before and after.
    await expect
      .poll(async () => (await versionsOf(people.chloe, doc.id)).map((v) => v.kind))
      .toEqual(expect.arrayContaining(['restauration', 'restauration', 'nommee', 'nommee']));
    await reopened.getByText(`Restauration de la version ${first?.number}`, { exact: true }).waitFor();

    // Chloé (CSP enforced in her tab) opens the history too: version and comparison draw cleanly.
    const chloePanel = await openHistory(chloeTab.page);
    await chloePanel
      .locator(`li[data-version-id="${second.id}"]`)
      .getByRole('button', { name: `Voir la version ${second.number}` })
      .click();
    await expect
      .poll(() =>
        chloePanel.getByRole('article', { name: `Texte de la version ${second.number}` }).textContent(),
      )
      .toContain(CHLOE_MORE);
    await chloePanel.getByRole('button', { name: 'Comparer au texte actuel' }).click();
    await expect
      .poll(() => changesIn(chloeTab.page, 'del'))
      .toEqual(
        expect.arrayContaining([
          expect.objectContaining({ text: expect.stringContaining('coordinateur') as string }),
        ]),
      );

    for (const { problems } of [brunoTab, chloeTab])
      expect(unexpectedProblems(problems)).toEqual({ errors: [], cspViolations: [] });
  });

  it('stops a version’s name at its limit and says it in French, the name at the limit saved (tester F12)', async () => {
    const doc = await createDocument(app.admin, app.espaceId, 'Pair-aidance dans le Gers', 'fiche');
    await people.assignBoth(doc.id);
    const tab = await openTab(people.bruno, doc.id, { axe: true });
    const panel = await openHistory(tab.page);
    await panel.getByRole('button', { name: 'Enregistrer une version' }).click();
    const nameDialog = tab.page.getByRole('dialog', { name: 'Enregistrer une version' });
    const label = nameDialog.getByLabel('Nom de la version');
    await expect.poll(() => label.evaluate((field) => field === document.activeElement)).toBe(true);
    // 250 characters pasted: the field keeps the 200 the server takes, and says why.
    await label.fill('V'.repeat(250));
    expect(await label.inputValue()).toHaveLength(VERSION_LABEL_MAX);
    await nameDialog.getByText('Le nom de la version ne peut pas dépasser 200 caractères.').waitFor();
    expect(await label.getAttribute('aria-describedby')).toBeTruthy();
    expect(await runAxe(tab.page)).toEqual([]);
    await label.press('Enter');
    await expect.poll(() => nameDialog.isVisible()).toBe(false);
    const saved = (await versionsOf(people.bruno, doc.id)).find((v) => v.kind === 'nommee');
    expect(saved?.label).toBe('V'.repeat(VERSION_LABEL_MAX));
    expect(unexpectedProblems(tab.problems)).toEqual({ errors: [], cspViolations: [] });
  });

  it('draws the lists of a compared section as lists, with their bullets and their items’ numbers', async () => {
    const { id, tabs } = await people.openSharedFiche('Conférences familiales : les étapes');
    const [bruno, chloe] = tabs;
    const origine = (page: Page) => sectionOf(page, 'origine');
    await placeCaret(bruno, chloe, (page) => firstParagraph(page, 'origine'));
    const keys = bruno.page.keyboard;
    // « - » starts a bullet list, « 3. » a list numbered from 3 (the editor's input rules).
    await keys.type('Trois temps :');
    await keys.press('Enter');
    await keys.type('- préparer');
    await keys.press('Enter');
    await keys.type('réunir');
    await keys.press('Enter');
    await keys.press('Enter');
    await keys.type('3. accueil');
    await keys.press('Enter');
    await keys.type('temps privé');
    await expect.poll(() => textOf(origine(chloe.page))).toContain('temps privé');
    const name = async (label: string) => {
      const response = await people.bruno.fetch(`/api/documents/${id}/versions`, {
        method: 'POST',
        json: { label },
      });
      expect(response.status).toBe(201);
      return ((await response.json()) as { version: VersionDto }).version;
    };
    const before = await name('Deux étapes');
    await keys.press('Enter');
    await keys.type('décision');
    await expect.poll(() => textOf(origine(chloe.page))).toContain('décision');
    const after = await name('Trois étapes');

    const panel = await openHistory(bruno.page);
    await panel.getByLabel('De', { exact: true }).selectOption(before.id);
    await panel.getByLabel('À', { exact: true }).selectOption(after.id);
    await panel.getByRole('button', { name: 'Comparer', exact: true }).click();
    const compared = panel.locator('.essaim-history__diff-section').first();
    await compared.locator('ol').waitFor();
    const items = (selector: string) =>
      compared.locator(selector).evaluateAll((elements) =>
        elements.map((element) => {
          const copy = element.cloneNode(true) as HTMLElement;
          copy.querySelectorAll('.fr-sr-only, .essaim-history__pilcrow').forEach((hidden) => hidden.remove());
          return [(element as HTMLLIElement).value, copy.textContent ?? ''];
        }),
      );
    expect(await compared.locator('.essaim-history__diff-text > p').first().textContent()).toBe(
      'Trois temps :',
    );
    expect(await items('.essaim-history__diff-text > ul > li')).toEqual([
      [0, 'préparer'],
      [0, 'réunir'],
    ]);
    expect(await items('.essaim-history__diff-text > ol > li')).toEqual([
      [3, 'accueil'],
      [4, 'temps privé'],
      [5, 'décision'],
    ]);
    expect(await compared.locator('ol > li').last().locator('ins').getAttribute('title')).toBe(
      'Ajouté par Bruno',
    );
    // Bullets and numbers are drawn: DSFR's bullet, and the item's own number (its `value`).
    expect(await compared.locator('ul').evaluate((list) => getComputedStyle(list).listStyleType)).toBe(
      'disc',
    );
    expect(
      await compared
        .locator('ol')
        .evaluate((list) => getComputedStyle(list).getPropertyValue('--ol-content')),
    ).toContain('list-item');
    await bruno.page.screenshot({ path: path.join(artifactsDir, 'historique-comparaison-listes.png') });

    // The version read only draws them as lists too.
    await panel.getByRole('button', { name: 'Retour à la liste des versions' }).click();
    await panel.getByRole('button', { name: `Voir la version ${after.number}` }).click();
    const read = panel.getByRole('article', { name: `Texte de la version ${after.number}` });
    await read.locator('ol > li').nth(2).waitFor();
    expect(await read.locator('ul > li').allTextContents()).toEqual(['préparer', 'réunir']);
    expect(await read.locator('ul').evaluate((list) => getComputedStyle(list).listStyleType)).toBe('disc');
    // Numbered from 3, as it was written (DSFR's own counter would start it at 1).
    expect(await read.locator('ol').getAttribute('start')).toBe('3');
    expect(
      await read.locator('ol').evaluate((list) => getComputedStyle(list).getPropertyValue('--ol-content')),
    ).toContain('list-item');
    await bruno.page.screenshot({ path: path.join(artifactsDir, 'historique-version-listes.png') });
    for (const { problems } of tabs)
      expect(unexpectedProblems(problems)).toEqual({ errors: [], cspViolations: [] });
  });

  it('lets a membre read the history and compare, without naming or restoring', async () => {
    const doc = await createDocument(app.admin, app.espaceId, 'Pair-aidance en Ille-et-Vilaine', 'fiche');
    const named = await app.admin.fetch(`/api/documents/${doc.id}/versions`, {
      method: 'POST',
      json: { label: 'Version de travail' },
    });
    expect(named.status).toBe(201);
    const version = ((await named.json()) as { version: VersionDto }).version;
    const monaTab = await openTab(mona, doc.id, { axe: true });
    await expect.poll(() => editorOf(monaTab.page).getAttribute('aria-readonly')).toBe('true');

    const panel = await openHistory(monaTab.page);
    await panel.getByText('Version de travail', { exact: true }).waitFor();
    expect(await panel.getByRole('button', { name: 'Enregistrer une version' }).count()).toBe(0);
    await panel.getByRole('button', { name: `Voir la version ${version.number}` }).click();
    await panel.getByRole('article', { name: `Texte de la version ${version.number}` }).waitFor();
    expect(await panel.getByRole('button', { name: 'Restaurer cette version' }).count()).toBe(0);
    await panel.getByRole('button', { name: 'Comparer au texte actuel' }).click();
    await panel.getByTestId('diff-summary').filter({ hasText: 'Aucune différence dans le texte.' }).waitFor();
    expect(await runAxe(monaTab.page)).toEqual([]);

    // « Fermer l’historique » closes it and gives the focus back to « Historique ».
    await panel.getByRole('button', { name: 'Fermer l’historique' }).click();
    await expect.poll(() => focusedText(monaTab.page)).toBe('Historique');
    expect(unexpectedProblems(monaTab.problems)).toEqual({ errors: [], cspViolations: [] });
  });

  it('says the history cannot be read while offline, offers « Réessayer », and reads it by itself once back online', async () => {
    const doc = await createDocument(app.admin, app.espaceId, 'Aller-vers dans l’Oise', 'fiche');
    await app.admin.fetch(`/api/documents/${doc.id}/versions`, {
      method: 'POST',
      json: { label: 'Hors ligne' },
    });
    const tab = await openTab(mona, doc.id);
    await tab.context.setOffline(true);
    await toggleOf(tab.page).click();
    const panel = panelOf(tab.page);
    await panel.getByRole('alert').filter({ hasText: 'L’historique n’a pas pu être chargé.' }).waitFor();
    await panel.getByRole('button', { name: 'Réessayer' }).waitFor();
    await tab.context.setOffline(false);
    // Read again without a click once the network is back (`useLoad`: tried again on `online`).
    await panel.getByText('Hors ligne', { exact: true }).waitFor();
    expect(await panel.getByRole('alert').count()).toBe(0);
  });
});
