import path from 'node:path';
import type { Page } from 'playwright-core';
import type { DocumentDto } from '@essaim/protocol';
import { beforeAll, describe, expect, it } from 'vitest';
import { invite, type Session } from '../support/accounts.js';
import { artifactsDir } from './support/chromium.js';
import { useBrowserApp } from './support/app.js';

/**
 * The whole path of a fiche, as the working group lives it, in one scenario: a rapporteur creates
 * it from the catalogue, fills its information, writes one section while a second rapporteur
 * writes another at the same moment, and the animateur finds it through the catalogue's filters.
 */

let baseUrl: string;
let espaceId: string;
let animateur: Session;
let ines: Session;
let malik: Session;

const app = useBrowserApp();

beforeAll(async () => {
  ({ baseUrl, espaceId } = app);
  const setup = app;
  animateur = setup.admin;
  ines = await invite(animateur, espaceId, 'rapporteur', 'Inès Rapporteuse');
  malik = await invite(animateur, espaceId, 'rapporteur', 'Malik Rapporteur');
  // Another fiche, so the filters have something to leave out.
  const other = await animateur.fetch('/api/documents', {
    method: 'POST',
    json: { espaceId, title: 'Maraude sociale en centre-ville', kind: 'fiche', themes: ['aller-vers'] },
  });
  expect(other.status).toBe(201);
});

const open = (as: Session) => app.open({ as });

const editorOf = (page: Page) => page.getByRole('textbox', { name: 'Contenu du document' });
const sectionText = (page: Page, title: string) =>
  page
    .locator('section.essaim-section')
    .filter({ has: page.locator('h2', { hasText: title }) })
    .textContent();
const cardTitles = (page: Page) => page.locator('.essaim-doc-card .fr-card__title').allTextContents();
const shot = (page: Page, name: string) =>
  page.screenshot({ path: path.join(artifactsDir, name), fullPage: true });

async function goToSection(page: Page, title: string) {
  await page.getByRole('navigation', { name: 'Sommaire' }).getByRole('button', { name: title }).click();
  await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('role'))).toBe('textbox');
}

describe('a fiche from creation to the catalogue', () => {
  it('is created, described, written by two rapporteurs at once, and found by the catalogue’s filters', async () => {
    // Inès creates the fiche from the catalogue: she writes what she creates.
    const inesTab = await open(ines);
    await inesTab.page.goto(`${baseUrl}/espaces/${espaceId}`);
    await inesTab.page.getByRole('link', { name: 'Nouveau document' }).click();
    await inesTab.page.getByLabel('Titre').fill('Pair-aidance en santé mentale à Lille');
    await inesTab.page.locator('label.fr-label', { hasText: 'Pair-aidance' }).click();
    await inesTab.page.getByRole('button', { name: 'Créer le document' }).click();
    await inesTab.page.waitForURL(/\/documents\/[0-9a-f-]{36}$/);
    const id = inesTab.page.url().split('/').pop() as string;
    await expect.poll(() => editorOf(inesTab.page).getAttribute('contenteditable')).toBe('true');

    // The animateur asks Malik to write it with her.
    const assigned = await animateur.fetch(`/api/documents/${id}/assignments`, {
      method: 'POST',
      json: { userId: malik.userId },
    });
    expect(assigned.status).toBe(200);

    // Inès fills in the fiche's information.
    const page = inesTab.page;
    await page.getByRole('button', { name: 'Informations de la fiche' }).click();
    await page.locator('label.fr-label', { hasText: /^Naissante/ }).click();
    await page.getByRole('combobox', { name: /^Territoire/ }).selectOption('dep:59');
    await page.getByRole('textbox', { name: /^Structure porteuse/ }).fill('Association Les Pairs du Nord');
    await page.getByRole('combobox', { name: /^Type de structure/ }).selectOption('association');
    await page.getByRole('textbox', { name: /^Année de démarrage/ }).fill('2018');

    // Both write at the same moment, each in a section.
    const malikTab = await open(malik);
    await malikTab.page.goto(`${baseUrl}/documents/${id}`);
    await expect.poll(() => editorOf(malikTab.page).getAttribute('contenteditable')).toBe('true');
    await goToSection(page, 'Origine et contexte');
    await goToSection(malikTab.page, 'Effets et impacts observés');
    await Promise.all([
      page.keyboard.type('Un groupe d’entraide mutuelle a proposé des médiateurs pairs.', { delay: 5 }),
      malikTab.page.keyboard.type('Moins de ruptures de soins, selon les équipes.', { delay: 5 }),
    ]);
    for (const tab of [inesTab, malikTab]) {
      await expect
        .poll(() => sectionText(tab.page, 'Origine et contexte'))
        .toContain('Un groupe d’entraide mutuelle a proposé des médiateurs pairs.');
      await expect
        .poll(() => sectionText(tab.page, 'Effets et impacts observés'))
        .toContain('Moins de ruptures de soins, selon les équipes.');
    }
    // Malik sees Inès's information without reloading.
    await malikTab.page.getByRole('button', { name: 'Informations de la fiche' }).click();
    await expect
      .poll(() => malikTab.page.getByRole('textbox', { name: /^Structure porteuse/ }).inputValue())
      .toBe('Association Les Pairs du Nord');
    await shot(page, 'scenario-fiche.png');

    // The server stores the document a couple of seconds after the last keystroke; then the
    // animateur finds it in the catalogue by category, by région, by theme.
    await expect
      .poll(
        async () => {
          const response = await animateur.fetch(`/api/documents/${id}`);
          return ((await response.json()) as DocumentDto).metadata.categorie;
        },
        { timeout: 20_000, interval: 500 },
      )
      .toBe('naissante');
    const { page: catalogue } = await open(animateur);
    await catalogue.goto(`${baseUrl}/espaces/${espaceId}?categorie=naissante`);
    await expect.poll(() => cardTitles(catalogue)).toEqual(['Pair-aidance en santé mentale à Lille']);
    await catalogue.getByLabel('Catégorie', { exact: true }).selectOption('');
    await catalogue
      .getByLabel('Territoire', { exact: true })
      .selectOption({ label: 'Hauts-de-France (toute la région)' });
    await expect.poll(() => cardTitles(catalogue)).toEqual(['Pair-aidance en santé mentale à Lille']);
    await catalogue.getByLabel('Territoire', { exact: true }).selectOption('');
    await catalogue.getByLabel('Thème', { exact: true }).selectOption({ label: 'Aller-vers' });
    await expect.poll(() => cardTitles(catalogue)).toEqual(['Maraude sociale en centre-ville']);
    await catalogue.getByLabel('Thème', { exact: true }).selectOption('');
    const card = catalogue
      .locator('.essaim-doc-card')
      .filter({ hasText: 'Pair-aidance en santé mentale à Lille' });
    await expect.poll(() => card.textContent()).toContain('Nord (59)');
    await expect.poll(() => card.textContent()).toContain('Inès Rapporteuse');
    const activity = catalogue.getByRole('region', { name: 'Activité récente' });
    // The activity panel says who wrote what (it is read when the page opens).
    await expect
      .poll(
        async () => {
          await catalogue.reload();
          await activity.waitFor();
          return activity.textContent();
        },
        { timeout: 20_000, interval: 1000 },
      )
      .toMatch(/Malik Rapporteur a modifié[^—]*Effets et impacts observés/);
    await shot(catalogue, 'scenario-catalogue.png');
  });
});
