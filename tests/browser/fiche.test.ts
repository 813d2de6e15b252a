import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { ficheTemplate } from '@essaim/domain';
import { META_MAP, type DocumentDto } from '@essaim/protocol';
import { invite, type Session } from '../support/accounts.js';
import { connectAs, isSettled } from '../support/provider.js';
import { runAxe } from './support/axe.js';
import type { openPage } from './support/chromium.js';
import { artifactsDir } from './support/chromium.js';
import { unexpectedProblems, useBrowserApp } from './support/app.js';

/**
 * The fiche editor as rapporteurs use it: the template's sections with their prompts, co-editing
 * in two sections at once, the metadata panel shared live, section menus (and the sections that
 * cannot be removed), tables, footnotes, links between fiches, images, the length gauge, archived
 * documents, and accessibility.
 */

/** A 2×2 red PNG. */
const TINY_PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAFklEQVR4nGP4z8DAwMDAxMDAwMDAAAANHQEDasKb6QAAAABJRU5ErkJggg==',
  'base64',
);

let baseUrl: string;
let espaceId: string;
/** Animatrice of the espace. */
let amelie: Session;
/** Rapporteurs, both assigned to the fiches they write here. */
let bruno: Session;
let chloe: Session;

const app = useBrowserApp();

beforeAll(async () => {
  ({ baseUrl, espaceId } = app);
  const setup = app;
  amelie = await invite(setup.admin, espaceId, 'animateur', 'Amélie');
  bruno = await invite(setup.admin, espaceId, 'rapporteur', 'Bruno');
  chloe = await invite(setup.admin, espaceId, 'rapporteur', 'Chloé');
});

const open = (options: Parameters<typeof app.open>[0] = {}) => app.open(options);

/** A fiche created by Bruno (a rapporteur: assigned to what he creates), Chloé assigned too. */
async function newFiche(title: string, kind: 'fiche' | 'synthese' = 'fiche'): Promise<DocumentDto> {
  const response = await bruno.fetch('/api/documents', { method: 'POST', json: { espaceId, title, kind } });
  expect(response.status).toBe(201);
  const doc = (await response.json()) as DocumentDto;
  const assigned = await amelie.fetch(`/api/documents/${doc.id}/assignments`, {
    method: 'POST',
    json: { userId: chloe.userId },
  });
  expect(assigned.status).toBe(200);
  return doc;
}

const editorOf = (page: Page) => page.getByRole('textbox', { name: 'Contenu du document' });
const sommaireOf = (page: Page) => page.getByRole('navigation', { name: 'Sommaire' });
const sectionEl = (page: Page, title: string) =>
  page.locator('section.essaim-section').filter({ has: page.locator('h2', { hasText: title }) });
const badgeOf = (page: Page) => page.getByRole('status').filter({ hasText: 'État de la connexion' });

async function openFiche(as: Session, doc: DocumentDto, options: Parameters<typeof openPage>[1] = {}) {
  const opened = await open({ as, ...options });
  await opened.page.goto(`${baseUrl}/documents/${doc.id}`);
  await editorOf(opened.page).waitFor();
  await expect.poll(() => editorOf(opened.page).getAttribute('contenteditable')).toBe('true');
  await expect.poll(() => sommaireOf(opened.page).getByRole('listitem').count()).toBeGreaterThan(0);
  return opened;
}

/** Puts the caret at the start of a section's text, as the « Sommaire » does. */
async function goToSection(page: Page, title: string) {
  await sommaireOf(page).getByRole('button', { name: title }).click();
  await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('role'))).toBe('textbox');
}

/** Opens a section's menu and picks an action. */
async function sectionMenu(page: Page, title: string): Promise<Locator> {
  const button = page.getByRole('button', { name: `Actions de la section « ${title} »` });
  await button.click();
  return page.getByRole('menu', { name: `Actions de la section « ${title} »` });
}

describe('a new fiche', () => {
  it('opens with the 13 sections of the template, each showing its prompt while empty', async () => {
    const doc = await newFiche('Conférences familiales en Ardèche');
    const { page, problems } = await openFiche(bruno, doc);

    const entries = sommaireOf(page).getByRole('listitem');
    await expect.poll(() => entries.count()).toBe(13);
    const titles = await page.locator('.essaim-editor__content h2').allTextContents();
    expect(titles).toEqual(ficheTemplate.sections.map((s) => s.title));
    // Every section is empty: the outline says so, the text shows the prompts.
    expect(await sommaireOf(page).getByText('0 section rédigée sur 13').count()).toBe(1);
    for (const section of ficheTemplate.sections) {
      const prompt = sectionEl(page, section.title).locator(`p[data-placeholder]`).first();
      expect(await prompt.getAttribute('data-placeholder')).toBe(section.prompt);
    }

    // Writing in a section hides its prompt and the outline counts it.
    await goToSection(page, 'Origine et contexte');
    await page.keyboard.type('Le conseil départemental a repris le modèle néo-zélandais.');
    await expect
      .poll(() => sectionEl(page, 'Origine et contexte').locator('p[data-placeholder]').count())
      .toBe(0);
    await expect.poll(() => sommaireOf(page).getByText('1 section rédigée sur 13').count()).toBe(1);
    await page.screenshot({ path: path.join(artifactsDir, 'fiche-nouvelle.png') });
    expect(unexpectedProblems(problems)).toEqual({ errors: [], cspViolations: [] });
  });
});

describe('two rapporteurs at once', () => {
  it('see each other’s text while writing in two different sections', async () => {
    const doc = await newFiche('Pair-aidance en santé mentale');
    const brunoTab = await openFiche(bruno, doc);
    const chloeTab = await openFiche(chloe, doc);

    await goToSection(brunoTab.page, 'Origine et contexte');
    await goToSection(chloeTab.page, 'Public concerné');
    // Both type at the same time, each in a section.
    await Promise.all([
      brunoTab.page.keyboard.type('Née d’un groupe d’entraide mutuelle en 2016.', { delay: 5 }),
      chloeTab.page.keyboard.type('Des adultes suivis en psychiatrie de secteur.', { delay: 5 }),
    ]);
    for (const { page } of [brunoTab, chloeTab]) {
      await expect
        .poll(() => sectionEl(page, 'Origine et contexte').textContent())
        .toContain('Née d’un groupe d’entraide mutuelle en 2016.');
      await expect
        .poll(() => sectionEl(page, 'Public concerné').textContent())
        .toContain('Des adultes suivis en psychiatrie de secteur.');
    }
    await expect.poll(() => badgeOf(brunoTab.page).textContent()).toContain('Enregistré');
    for (const { problems } of [brunoTab, chloeTab])
      expect(unexpectedProblems(problems)).toEqual({ errors: [], cspViolations: [] });
  });

  it('share the fiche’s information live: what one fills in appears for the other', async () => {
    const doc = await newFiche('Médiation familiale itinérante');
    const brunoTab = await openFiche(bruno, doc);
    const chloeTab = await openFiche(chloe, doc);
    const panel = (page: Page) => page.getByRole('button', { name: 'Informations de la fiche' });
    for (const { page } of [brunoTab, chloeTab]) {
      await panel(page).click();
      await expect.poll(() => panel(page).getAttribute('aria-expanded')).toBe('true');
    }

    const { page } = brunoTab;
    await page.getByRole('textbox', { name: /^Titre/ }).fill('Médiation familiale itinérante en Ardèche');
    await page.locator('label.fr-label', { hasText: 'Aller-vers' }).click();
    await page.locator('label.fr-label', { hasText: /^Naissante/ }).click();
    await page.getByRole('combobox', { name: /^Territoire/ }).selectOption('dep:07');
    await page
      .getByRole('textbox', { name: /^Structure porteuse/ })
      .fill('Conseil départemental de l’Ardèche');
    await page.getByRole('combobox', { name: /^Type de structure/ }).selectOption('conseil-departemental');
    await page.getByRole('textbox', { name: /^Public concerné/ }).fill('Familles en zone rurale');
    await page.getByRole('textbox', { name: /^Année de démarrage/ }).fill('2019');
    await page
      .getByRole('textbox', { name: /^Contact/ })
      .fill('Service médiation, mediation@ardeche.example');
    const keywords = page.getByRole('textbox', { name: /^Mots-clés/ });
    await keywords.fill('médiation');
    await keywords.press('Enter');
    await keywords.fill('ruralité');
    await page.getByRole('button', { name: 'Ajouter', exact: true }).click();
    await expect
      .poll(() =>
        page.getByRole('list', { name: 'Mots-clés de la fiche' }).getByRole('listitem').allTextContents(),
      )
      .toEqual(['médiation', 'ruralité']);

    // Chloé sees every field change without reloading, and the page's title follows.
    const other = chloeTab.page;
    await expect
      .poll(() => other.getByRole('textbox', { name: /^Structure porteuse/ }).inputValue())
      .toBe('Conseil départemental de l’Ardèche');
    await expect.poll(() => other.getByRole('combobox', { name: /^Territoire/ }).inputValue()).toBe('dep:07');
    await expect
      .poll(() => other.getByRole('combobox', { name: /^Type de structure/ }).inputValue())
      .toBe('conseil-departemental');
    await expect
      .poll(() => other.getByRole('textbox', { name: /^Année de démarrage/ }).inputValue())
      .toBe('2019');
    await expect
      .poll(() => other.getByRole('textbox', { name: /^Public concerné/ }).inputValue())
      .toBe('Familles en zone rurale');
    await expect.poll(() => other.getByRole('checkbox', { name: 'Aller-vers' }).isChecked()).toBe(true);
    await expect.poll(() => other.getByRole('radio', { name: /^Naissante/ }).isChecked()).toBe(true);
    await expect
      .poll(() =>
        other.getByRole('list', { name: 'Mots-clés de la fiche' }).getByRole('listitem').allTextContents(),
      )
      .toEqual(['médiation', 'ruralité']);
    await expect
      .poll(() => other.getByRole('heading', { level: 1 }).textContent())
      .toBe('Médiation familiale itinérante en Ardèche');

    // An invalid year is said, and not shared.
    await page.getByRole('textbox', { name: /^Année de démarrage/ }).fill('19');
    await expect.poll(() => page.getByText(/Saisissez une année à quatre chiffres/).count()).toBe(1);
    expect(await other.getByRole('textbox', { name: /^Année de démarrage/ }).inputValue()).toBe('2019');

    // A keyword removed by Chloé disappears for Bruno.
    await other.getByRole('button', { name: 'Retirer le mot-clé « médiation »' }).click();
    await expect
      .poll(() =>
        page.getByRole('list', { name: 'Mots-clés de la fiche' }).getByRole('listitem').allTextContents(),
      )
      .toEqual(['ruralité']);

    // The server keeps the metadata with the document (for the catalogue).
    await expect
      .poll(
        async () => {
          const stored = (await (await bruno.fetch(`/api/documents/${doc.id}`)).json()) as DocumentDto;
          return [stored.title, stored.metadata.territoire, stored.metadata.structureType];
        },
        { timeout: 20_000, interval: 500 },
      )
      .toEqual(['Médiation familiale itinérante en Ardèche', 'dep:07', 'conseil-departemental']);
  });
});

describe('sections', () => {
  it('can be added, renamed, moved and removed from their menu; required ones cannot be removed', async () => {
    const doc = await newFiche('Accueil de jour itinérant');
    const { page, problems } = await openFiche(bruno, doc);
    const outline = () => sommaireOf(page).getByRole('listitem').allTextContents();
    const position = async (title: string) => (await outline()).findIndex((t) => t.includes(title));

    // Add a section after « Public concerné »: its title is selected, typing names it.
    const menu = await sectionMenu(page, 'Public concerné');
    await menu.getByRole('menuitem', { name: 'Ajouter une section après' }).click();
    await page.keyboard.type('Partenariats locaux');
    await expect.poll(() => position('Partenariats locaux')).toBe(4);
    await expect.poll(() => outline()).toHaveLength(14);
    // Its prompt is the generic one.
    expect(
      await sectionEl(page, 'Partenariats locaux')
        .locator('p[data-placeholder]')
        .first()
        .getAttribute('data-placeholder'),
    ).toBe('Rédigez cette section.');

    // Moved up with the keyboard: the menu opens with ArrowDown, Escape gives focus back.
    const button = page.getByRole('button', { name: 'Actions de la section « Partenariats locaux »' });
    await button.focus();
    await page.keyboard.press('ArrowDown');
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.textContent))
      .toBe('Ajouter une section après');
    await page.keyboard.press('Escape');
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.getAttribute('aria-haspopup')))
      .toBe('menu');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await expect.poll(() => position('Partenariats locaux')).toBe(3);
    await expect.poll(() => position('Public concerné')).toBe(4);
    // The focus stays on the moved section's menu, to move it again.
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.getAttribute('title')))
      .toBe('Actions de la section « Partenariats locaux »');

    await (
      await sectionMenu(page, 'Partenariats locaux')
    )
      .getByRole('menuitem', { name: 'Descendre' })
      .click();
    await expect.poll(() => position('Partenariats locaux')).toBe(4);

    // Renamed from the menu: the title is selected, typing replaces it.
    await (
      await sectionMenu(page, 'Partenariats locaux')
    )
      .getByRole('menuitem', { name: 'Renommer' })
      .click();
    await page.keyboard.type('Partenaires du territoire');
    // Enter in a title goes on to the text below.
    await page.keyboard.press('Enter');
    await page.keyboard.type('La mission locale et le CCAS.');
    await expect.poll(() => position('Partenaires du territoire')).toBe(4);
    await expect
      .poll(() => sectionEl(page, 'Partenaires du territoire').locator('p').first().textContent())
      .toBe('La mission locale et le CCAS.');
    // From the text, Tab reaches the menu of the section being written (and only that one).
    await page.keyboard.press('Tab');
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.getAttribute('title')))
      .toBe('Actions de la section « Partenaires du territoire »');

    // Removed, after confirmation.
    await (
      await sectionMenu(page, 'Partenaires du territoire')
    )
      .getByRole('menuitem', { name: 'Supprimer' })
      .click();
    const dialog = page.getByRole('dialog', { name: 'Supprimer la section ?' });
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain('« Partenaires du territoire »');
    await dialog.getByRole('button', { name: 'Supprimer la section' }).click();
    await expect.poll(() => outline()).toHaveLength(13);
    expect(await position('Partenaires du territoire')).toBe(-1);

    // A required section's menu has no usable « Supprimer », and says why.
    const required = await sectionMenu(page, 'Identification');
    const remove = required.getByRole('menuitem', { name: 'Supprimer' });
    expect(await remove.getAttribute('aria-disabled')).toBe('true');
    expect(
      await page.getByText('Section obligatoire du modèle : elle ne peut pas être supprimée.').count(),
    ).toBe(1);
    await remove.click({ force: true });
    expect(await page.getByRole('dialog', { name: 'Supprimer la section ?' }).isVisible()).toBe(false);
    await page.keyboard.press('Escape');

    // An optional section can go.
    await (
      await sectionMenu(page, 'Adaptations pendant la crise sanitaire')
    )
      .getByRole('menuitem', { name: 'Supprimer' })
      .click();
    await dialog.getByRole('button', { name: 'Supprimer la section' }).click();
    await expect.poll(() => outline()).toHaveLength(12);

    // Selecting across sections and deleting is refused: required sections would go with it.
    await goToSection(page, 'Origine et contexte');
    await page.keyboard.type('Un besoin repéré par les équipes.');
    await page.keyboard.press('Control+Shift+End');
    await page.keyboard.press('Backspace');
    await expect
      .poll(() =>
        page
          .getByText('Suppression impossible : la sélection contient une section obligatoire du modèle.')
          .first()
          .isVisible(),
      )
      .toBe(true);
    expect(await outline()).toHaveLength(12);
    expect(await sectionEl(page, 'Origine et contexte').textContent()).toContain(
      'Un besoin repéré par les équipes.',
    );
    await page.screenshot({ path: path.join(artifactsDir, 'fiche-sections.png') });
    expect(unexpectedProblems(problems)).toEqual({ errors: [], cspViolations: [] });
  });
});

/** The numbers in the accessible names of the footnote calls, from Chromium's own accessibility tree. */
async function footnoteNames(page: Page): Promise<string[]> {
  const cdp = await page.context().newCDPSession(page);
  const { nodes } = (await cdp.send('Accessibility.getFullAXTree')) as {
    nodes: { role?: { value?: string }; name?: { value?: string } }[];
  };
  await cdp.detach();
  return nodes
    .filter((n) => n.role?.value === 'button' && /^Note \d+/.test(n.name?.value ?? ''))
    .map((n) => (n.name?.value ?? '').replace(/ :.*/, ''));
}

describe('writing a full fiche', () => {
  it('inserts tables, numbered footnotes, links to other fiches and images, and estimates its length', async () => {
    const other = await newFiche('Conférences familiales en Isère');
    const doc = await newFiche('Maraudes mixtes à Lyon');
    const { page, problems } = await openFiche(bruno, doc);
    const toolbar = page.getByRole('toolbar', { name: 'Mise en forme du texte' });
    const content = editorOf(page);

    await goToSection(page, 'Identification');
    await page.keyboard.type(
      'Des maraudes associant travailleurs sociaux, infirmiers et pairs aidants, portées par le CCAS de Lyon.',
    );

    // A table of 3 × 3 with a header row; in a table, rows and columns can be added.
    await goToSection(page, 'Description de la pratique et mise en œuvre');
    await page.keyboard.type('Les étapes :');
    await toolbar.getByRole('button', { name: /Insérer un tableau/ }).click();
    await expect.poll(() => content.locator('table').count()).toBe(1);
    expect(await content.locator('table th').count()).toBe(3);
    await page.keyboard.type('Étape');
    const tableGroup = page.getByRole('group', { name: 'Tableau' });
    await tableGroup.getByRole('button', { name: 'Ajouter une ligne' }).click();
    await expect.poll(() => content.locator('table tr').count()).toBe(4);
    await tableGroup.getByRole('button', { name: 'Ajouter une colonne' }).click();
    await expect.poll(() => content.locator('table tr').first().locator('th').count()).toBe(4);
    await tableGroup.getByRole('button', { name: 'Supprimer la colonne' }).click();
    await expect.poll(() => content.locator('table tr').first().locator('th').count()).toBe(3);

    // Footnotes: typed in a dialog, numbered in document order, listed under « Notes ».
    await goToSection(page, 'Effets et impacts observés');
    await page.keyboard.type('Moins de nuits à la rue');
    await toolbar.getByRole('button', { name: 'Insérer une note de bas de page' }).click();
    let dialog = page.getByRole('dialog', { name: 'Insérer une note de bas de page' });
    await dialog.getByLabel('Texte de la note').fill('Bilan 2023 du CCAS de Lyon.');
    await dialog.getByRole('button', { name: 'Insérer la note' }).click();
    await expect.poll(() => content.locator('sup.essaim-footnote').count()).toBe(1);
    await page.keyboard.type('.');
    // A second note, earlier in the document, becomes note 1.
    await goToSection(page, 'Origine et contexte');
    await page.keyboard.type('Un constat partagé en 2019');
    await toolbar.getByRole('button', { name: 'Insérer une note de bas de page' }).click();
    await dialog.getByLabel('Texte de la note').fill('Diagnostic territorial de 2019.');
    await dialog.getByRole('button', { name: 'Insérer la note' }).click();
    await expect.poll(() => content.locator('sup.essaim-footnote').count()).toBe(2);
    const notes = page.getByRole('region', { name: 'Notes' }).getByRole('listitem');
    await expect
      .poll(() => notes.allTextContents())
      .toEqual([
        expect.stringContaining('Diagnostic territorial de 2019.'),
        expect.stringContaining('Bilan 2023'),
      ]);
    await expect.poll(() => footnoteNames(page)).toEqual(['Note 1', 'Note 2']);
    // From the keyboard: the caret is after the new note; ArrowLeft selects it, Enter opens it.
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.getAttribute('role')))
      .toBe('textbox');
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('Enter');
    dialog = page.getByRole('dialog', { name: 'Modifier la note 1' });
    await expect
      .poll(() => dialog.getByLabel('Texte de la note').inputValue())
      .toBe('Diagnostic territorial de 2019.');
    // The dialog's field has the focus, and Escape there closes the dialog.
    await expect
      .poll(() => dialog.getByLabel('Texte de la note').evaluate((el) => el === document.activeElement))
      .toBe(true);
    await page.keyboard.press('Escape');
    await expect.poll(() => dialog.isVisible()).toBe(false);
    expect(await content.locator('sup.essaim-footnote').count()).toBe(2);
    // Clicking a note opens it.
    await content.locator('sup.essaim-footnote button').nth(1).click();
    dialog = page.getByRole('dialog', { name: 'Modifier la note 2' });
    await dialog.getByLabel('Texte de la note').fill('Bilan 2023 du CCAS de Lyon, p. 12.');
    await dialog.getByRole('button', { name: 'Enregistrer la note' }).click();
    await expect.poll(() => notes.nth(1).textContent()).toContain('p. 12.');

    // A link to another fiche of the espace, picked from a filtered list.
    await goToSection(page, 'Pour aller plus loin');
    await page.keyboard.type('Voir aussi ');
    await toolbar.getByRole('button', { name: 'Lier une autre fiche' }).click();
    dialog = page.getByRole('dialog', { name: 'Lier une autre fiche' });
    await dialog.getByLabel('Rechercher un document de l’espace').fill('isere');
    await expect
      .poll(() => dialog.getByRole('list', { name: 'Documents de l’espace' }).getByRole('listitem').count())
      .toBe(1);
    await dialog.getByRole('button', { name: /Conférences familiales en Isère/ }).click();
    const link = content.locator('a.essaim-doc-ref');
    await expect.poll(() => link.textContent()).toBe('Conférences familiales en Isère');
    expect(await link.getAttribute('href')).toBe(`/documents/${other.id}`);

    // An image, with its required text alternative; a refused file shows the server's reason.
    await goToSection(page, 'Acteurs et partenaires');
    await page.keyboard.type('L’équipe en maraude :');
    await toolbar.getByRole('button', { name: 'Insérer une image' }).click();
    dialog = page.getByRole('dialog', { name: 'Insérer une image' });
    await dialog.getByRole('button', { name: 'Insérer l’image' }).click();
    await expect.poll(() => dialog.getByText('Choisissez une image.').count()).toBe(1);
    await dialog
      .getByLabel(/^Image/)
      .setInputFiles({ name: 'faux.png', mimeType: 'image/png', buffer: Buffer.from('pas une image') });
    await dialog.getByLabel('Texte alternatif').fill('Schéma');
    await dialog.getByRole('button', { name: 'Insérer l’image' }).click();
    await expect.poll(() => dialog.getByText(/n’est pas une image PNG, JPEG, GIF ou WebP/).count()).toBe(1);
    await dialog
      .getByLabel(/^Image/)
      .setInputFiles({ name: 'equipe.png', mimeType: 'image/png', buffer: TINY_PNG });
    await dialog.getByLabel('Texte alternatif').fill('Trois intervenants de la maraude devant le camion');
    await dialog.getByRole('button', { name: 'Insérer l’image' }).click();
    const image = content.locator('img[alt="Trois intervenants de la maraude devant le camion"]');
    await expect.poll(() => image.count()).toBe(1);
    expect(await image.getAttribute('src')).toMatch(/^\/api\/files\/[0-9a-f]{64}/);
    await expect.poll(() => image.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(2);

    // The length gauge counts the text, the table and the image.
    const gauge = page.getByRole('region', { name: 'Longueur' });
    await expect
      .poll(() => gauge.getByTestId('length-estimate').textContent())
      .toMatch(/^≈ 0,\d page · objectif : 4 à 5 pages$/);
    expect(await gauge.getByRole('meter').getAttribute('low')).toBe('4');
    expect(await gauge.getByText('trop court').count()).toBe(1);
    // About four pages of text bring it within the target.
    await goToSection(page, 'Conditions de réussite et leviers');
    await page.evaluate(() => {
      // Pasting is the fast way to write 12 000 characters.
      const data = new DataTransfer();
      data.setData(
        'text/plain',
        'Le soutien de la direction et un temps d’analyse des pratiques chaque mois. '.repeat(160),
      );
      document.activeElement?.dispatchEvent(
        new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }),
      );
    });
    await expect.poll(() => gauge.getByText('dans l’objectif').count()).toBe(1);
    await expect.poll(() => gauge.getByTestId('length-estimate').textContent()).toMatch(/^≈ 4(,\d)? pages/);

    await expect.poll(() => badgeOf(page).textContent()).toContain('Enregistré');
    // The refused upload is the one error Chromium logs.
    const { errors, cspViolations } = unexpectedProblems(problems);
    expect({ errors: errors.filter((e) => !/status of 415/.test(e)), cspViolations }).toEqual({
      errors: [],
      cspViolations: [],
    });
    await page.screenshot({ path: path.join(artifactsDir, 'fiche-insertions.png'), fullPage: true });
  });

  it('shows the linked document’s current title, and a filled fiche passes axe', async () => {
    const other = await newFiche('Habitat inclusif');
    const doc = await newFiche('Colocations solidaires à Grenoble');
    const { page } = await openFiche(bruno, doc, { bypassCSP: true });
    await goToSection(page, 'Identification');
    await page.keyboard.type(
      'Des colocations entre jeunes et personnes âgées, accompagnées par une association.',
    );
    await page
      .getByRole('toolbar', { name: 'Mise en forme du texte' })
      .getByRole('button', { name: 'Lier une autre fiche' })
      .click();
    const dialog = page.getByRole('dialog', { name: 'Lier une autre fiche' });
    await dialog.getByRole('button', { name: /Habitat inclusif/ }).click();
    await expect
      .poll(() => editorOf(page).locator('a.essaim-doc-ref').textContent())
      .toBe('Habitat inclusif');

    // The other fiche is renamed (its metadata title), then this one is opened again.
    const client = connectAs(amelie, app.server.wsUrl, other.name);
    try {
      await expect.poll(() => client.provider.isSynced, { timeout: 10_000 }).toBe(true);
      client.ydoc.getMap(META_MAP).set('title', 'Habitat inclusif et partagé');
      await expect.poll(() => isSettled(client), { timeout: 10_000 }).toBe(true);
    } finally {
      client.destroy();
    }
    await expect
      .poll(
        async () => ((await (await bruno.fetch(`/api/documents/${other.id}`)).json()) as DocumentDto).title,
        {
          timeout: 20_000,
          interval: 500,
        },
      )
      .toBe('Habitat inclusif et partagé');
    await page.reload();
    await editorOf(page).waitFor();
    await expect
      .poll(() => editorOf(page).locator('a.essaim-doc-ref').textContent())
      .toBe('Habitat inclusif et partagé');

    // Footnote and table for axe to look at too.
    await goToSection(page, 'Origine et contexte');
    await page.keyboard.type('Un appel à projets départemental');
    await page.getByRole('button', { name: 'Insérer une note de bas de page' }).click();
    await page
      .getByRole('dialog', { name: 'Insérer une note de bas de page' })
      .getByLabel('Texte de la note')
      .fill('Appel à projets 2021.');
    await page
      .getByRole('dialog', { name: 'Insérer une note de bas de page' })
      .getByRole('button', { name: 'Insérer la note' })
      .click();
    await page.getByRole('button', { name: /Insérer un tableau/ }).click();
    await page.getByRole('button', { name: 'Informations de la fiche' }).click();
    await expect.poll(() => badgeOf(page).textContent()).toContain('Enregistré');
    expect(await runAxe(page)).toEqual([]);
  });
});

describe('a synthesis', () => {
  it('has its own sections and only a title and themes as information', async () => {
    const doc = await newFiche('Synthèse des pratiques émergentes', 'synthese');
    const { page } = await openFiche(bruno, doc);
    await expect.poll(() => sommaireOf(page).getByRole('listitem').count()).toBe(6);
    await page.getByRole('button', { name: 'Informations du document' }).click();
    await expect.poll(() => page.getByRole('textbox', { name: /^Structure porteuse/ }).count()).toBe(0);
    await expect.poll(() => page.getByRole('group', { name: /Thèmes/ }).count()).toBe(1);
    // No page target for a synthesis.
    expect(await page.getByRole('region', { name: 'Longueur' }).count()).toBe(0);
  });
});

describe('reading and archives', () => {
  it('gives readers the text and the information without any way to change them', async () => {
    const doc = await newFiche('Permanences en gare');
    const membre = await invite(amelie, espaceId, 'membre', 'Denise');
    const { page } = await open({ as: membre });
    await page.goto(`${baseUrl}/documents/${doc.id}`);
    await editorOf(page).waitFor();
    await expect.poll(() => editorOf(page).getAttribute('aria-readonly')).toBe('true');
    expect(await page.getByRole('toolbar', { name: 'Mise en forme du texte' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: /^Actions de la section/ }).count()).toBe(0);
    await page.getByRole('button', { name: 'Informations de la fiche' }).click();
    await expect
      .poll(() => page.getByRole('textbox', { name: /^Structure porteuse/ }).isDisabled())
      .toBe(true);
    expect(await page.getByRole('combobox', { name: /^Territoire/ }).isDisabled()).toBe(true);
  });

  it('says a document is archived, opens no connection, and lets the animateur restore it', async () => {
    const doc = await newFiche('Ancienne pratique');
    const archived = await amelie.fetch(`/api/documents/${doc.id}/archive`, { method: 'POST' });
    expect(archived.status).toBe(200);

    const { page: reader } = await open({ as: bruno });
    await reader.goto(`${baseUrl}/documents/${doc.id}`);
    await reader.getByRole('heading', { level: 2, name: 'Ce document est archivé' }).waitFor();
    expect(await reader.getByRole('button', { name: 'Restaurer' }).count()).toBe(0);
    expect(await editorOf(reader).count()).toBe(0);

    const { page } = await open({ as: amelie });
    // The socket the app opens as it starts on a document's address (earlySocket.ts) may open,
    // but nothing is sent on it, and it is closed once the page knows the document is archived.
    const sockets: { sent: number; closed: boolean }[] = [];
    page.on('websocket', (ws) => {
      const socket = { sent: 0, closed: false };
      sockets.push(socket);
      ws.on('framesent', () => (socket.sent += 1));
      ws.on('close', () => (socket.closed = true));
    });
    await page.goto(`${baseUrl}/documents/${doc.id}`);
    await page.getByRole('heading', { level: 2, name: 'Ce document est archivé' }).waitFor();
    await expect.poll(() => sockets.every((socket) => socket.closed), { timeout: 5_000 }).toBe(true);
    expect(sockets.filter((socket) => socket.sent > 0)).toEqual([]);
    await page.getByRole('button', { name: 'Restaurer' }).click();
    await editorOf(page).waitFor();
    await expect.poll(() => sommaireOf(page).getByRole('listitem').count()).toBe(13);
  });
});

describe('the look of a filled fiche', () => {
  it('is captured in tests/artifacts/fiche.png', async () => {
    const doc = await newFiche('Conférences familiales en Ardèche');
    const { page } = await openFiche(bruno, doc);
    const chloeTab = await openFiche(chloe, doc);
    await page.getByRole('button', { name: 'Informations de la fiche' }).click();
    await page
      .getByRole('textbox', { name: /^Structure porteuse/ })
      .fill('Conseil départemental de l’Ardèche');
    await page.getByRole('combobox', { name: /^Territoire/ }).selectOption('dep:07');
    await page.locator('label.fr-label', { hasText: 'Conférences familiales' }).click();
    await page.locator('label.fr-label', { hasText: /^Renaissante/ }).click();
    await page.getByRole('textbox', { name: /^Année de démarrage/ }).fill('2018');

    await goToSection(page, 'Identification');
    await page.keyboard.type(
      'La conférence familiale réunit la famille élargie et ses proches pour élaborer elle-même un plan de protection de l’enfant.',
    );
    await goToSection(page, 'Origine et contexte');
    await page.keyboard.type(
      'Née en Nouvelle-Zélande, adoptée par le département en 2018 à la suite d’un appel à projets',
    );
    await page.getByRole('button', { name: 'Insérer une note de bas de page' }).click();
    const dialog = page.getByRole('dialog', { name: 'Insérer une note de bas de page' });
    await dialog.getByLabel('Texte de la note').fill('Family Group Conference, loi néo-zélandaise de 1989.');
    await dialog.getByRole('button', { name: 'Insérer la note' }).click();
    await page.keyboard.type('.');
    await goToSection(page, 'Description de la pratique et mise en œuvre');
    await page.keyboard.type('Trois temps : la préparation par un coordinateur indépendant, ');
    await page.keyboard.press('Control+B');
    await page.keyboard.type('le temps privé de la famille');
    await page.keyboard.press('Control+B');
    await page.keyboard.type(', puis la validation du plan.');
    await page.getByRole('button', { name: /Insérer un tableau/ }).click();
    for (const text of ['Temps', 'Qui', 'Durée']) {
      await page.keyboard.type(text);
      await page.keyboard.press('Tab');
    }
    for (const text of ['Préparation', 'Coordinateur', '4 à 6 semaines']) {
      await page.keyboard.type(text);
      await page.keyboard.press('Tab');
    }
    await goToSection(chloeTab.page, 'Public concerné');
    await chloeTab.page.keyboard.type(
      'Des familles dont un enfant est suivi par l’aide sociale à l’enfance.',
    );
    await expect
      .poll(() => sectionEl(page, 'Public concerné').textContent())
      .toContain('aide sociale à l’enfance');
    await goToSection(page, 'Origine et contexte');
    await expect.poll(() => badgeOf(page).textContent()).toContain('Enregistré');
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: path.join(artifactsDir, 'fiche.png'), fullPage: true });
    // The top of the page, as seen on arrival, and a section's menu open.
    await page.screenshot({ path: path.join(artifactsDir, 'fiche-haut.png') });
    await sectionMenu(page, 'Identification');
    await sectionEl(page, 'Identification').scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(artifactsDir, 'fiche-menu.png') });
  });
});
