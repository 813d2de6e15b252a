import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { META_MAP, type DocumentDto, type DocumentMetadata } from '@essaim/protocol';
import { invite, type Session } from '../support/accounts.js';
import { connectAs, isSettled } from '../support/provider.js';
import { runAxe } from './support/axe.js';
import { artifactsDir } from './support/chromium.js';
import { useBrowserApp } from './support/app.js';
import { resultCount } from './support/catalogue.js';

/**
 * The espace's catalogue as people use it: creating a fiche from the form, finding documents with
 * filters kept in the address, archiving and restoring, the recent activity, and the themes page.
 */

let baseUrl: string;
let espaceId: string;
/** Animateur of the espace (the first account). */
let admin: Session;
/** Rapporteur: writes the documents she creates. */
let camille: Session;

const app = useBrowserApp();

beforeAll(async () => {
  ({ baseUrl, espaceId } = app);
  admin = app.admin;
  camille = await invite(admin, espaceId, 'rapporteur', 'Camille Martin');
});

const open = (options: Parameters<typeof app.open>[0] = {}) => app.open(options);

const heading1 = (page: Page) => page.getByRole('heading', { level: 1 });
const shot = (page: Page, name: string) =>
  page.screenshot({ path: path.join(artifactsDir, name), fullPage: true });
/** The titles of the cards shown, in order. */
const cardTitles = (page: Page) => page.locator('.essaim-doc-card .fr-card__title').allTextContents();
/** The label of a DSFR checkbox or radio button (what a person clicks: the input is drawn by CSS). */
const labelOf = (page: Page, text: string) =>
  page.locator('label.fr-label').filter({ hasText: new RegExp(`^${text}$`) });
/** The label of a DSFR toggle switch (what a person clicks). */
const toggle = (page: Page, label: string) => page.locator('label.fr-toggle__label', { hasText: label });

async function createViaApi(
  session: Session,
  title: string,
  kind: 'fiche' | 'synthese',
  themes: string[] = [],
): Promise<DocumentDto> {
  const response = await session.fetch('/api/documents', {
    method: 'POST',
    json: { espaceId, title, kind, themes },
  });
  expect(response.status).toBe(201);
  return (await response.json()) as DocumentDto;
}

async function listViaApi(session: Session, query = ''): Promise<DocumentDto[]> {
  const response = await session.fetch(`/api/documents?espaceId=${espaceId}${query}`);
  expect(response.status).toBe(200);
  return ((await response.json()) as { documents: DocumentDto[] }).documents;
}

/**
 * Writes metadata the way the editor does, live in the document's `meta` map, then waits for the
 * server to store the document (a couple of seconds after the last edit) so the catalogue sees it.
 */
async function setMetadata(session: Session, doc: DocumentDto, values: Partial<DocumentMetadata>) {
  const client = connectAs(session, app.server.wsUrl, doc.name);
  try {
    await until(() => client.provider.isSynced);
    const meta = client.ydoc.getMap(META_MAP);
    client.ydoc.transact(() => {
      for (const [key, value] of Object.entries(values)) meta.set(key, value);
    });
    await until(() => isSettled(client));
  } finally {
    client.destroy();
  }
  await until(async () => {
    const stored = (await listViaApi(session)).find((d) => d.id === doc.id);
    return Object.entries(values).every(
      ([key, value]) =>
        JSON.stringify(stored?.metadata[key as keyof DocumentMetadata]) === JSON.stringify(value),
    );
  }, 15_000);
}

/** Polls until `condition` holds (expect.poll is for tests only; this also serves `beforeAll`). */
async function until(condition: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`condition non remplie après ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('creating a document', () => {
  it('creates a fiche from the form, with a theme, and opens it in the editor', async () => {
    const { page, problems } = await open({ as: admin, bypassCSP: true });
    await page.goto(`${baseUrl}/espaces/${espaceId}`);
    await expect.poll(() => heading1(page).textContent()).toBe('Pratiques émergentes');
    await page.getByRole('link', { name: 'Nouveau document' }).click();
    await page.waitForURL(`${baseUrl}/espaces/${espaceId}/nouveau-document`);
    await expect.poll(() => heading1(page).textContent()).toBe('Nouveau document');
    // Fiche is chosen by default; each choice says what it is.
    expect(await page.getByRole('radio', { name: /Fiche pratique/ }).isChecked()).toBe(true);
    await expect.poll(() => page.locator('main').textContent()).toContain('13 sections');
    expect(await runAxe(page)).toEqual([]);

    // A title is required: said next to the field, with the focus on it.
    await page.getByRole('button', { name: 'Créer le document' }).click();
    const title = page.getByLabel('Titre');
    await expect.poll(() => title.getAttribute('aria-invalid')).toBe('true');
    await expect
      .poll(() => page.locator('.fr-input-group--error').textContent())
      .toContain('Le titre est obligatoire.');
    await expect.poll(() => title.evaluate((el) => el === document.activeElement)).toBe(true);
    await shot(page, 'nouveau-document.png');

    await title.fill('Conférences familiales en Ardèche');
    await labelOf(page, 'Conférences familiales').click();
    expect(await page.getByRole('checkbox', { name: 'Conférences familiales' }).isChecked()).toBe(true);
    await page.getByRole('button', { name: 'Créer le document' }).click();
    await page.waitForURL(/\/documents\/[0-9a-f-]{36}$/);
    const id = page.url().split('/').pop() as string;

    const created = (await listViaApi(admin)).find((d) => d.id === id);
    expect(created).toMatchObject({
      title: 'Conférences familiales en Ardèche',
      kind: 'fiche',
      metadata: { themes: ['conferences-familiales'] },
    });

    // Back in the catalogue, the fiche is there with its theme and its progress.
    await page.goto(`${baseUrl}/espaces/${espaceId}`);
    const card = page.locator('.essaim-doc-card').filter({ hasText: 'Conférences familiales en Ardèche' });
    await card.waitFor();
    await expect.poll(() => card.textContent()).toContain('Conférences familiales');
    await expect.poll(() => card.textContent()).toContain('0 / 13 sections approuvées');
    await expect.poll(() => card.textContent()).toContain('En rédaction');
    expect(problems.errors).toEqual([]);
  });
});

describe('finding documents', () => {
  let ardeche: DocumentDto;
  let bretagne: DocumentDto;
  let synthese: DocumentDto;

  beforeAll(async () => {
    // Camille creates hers: she is its rapporteur.
    ardeche = await createViaApi(camille, 'Aller-vers les familles en Ardèche', 'fiche', ['aller-vers']);
    bretagne = await createViaApi(admin, 'Pair-aidance en santé mentale à Rennes', 'fiche', ['pair-aidance']);
    synthese = await createViaApi(admin, 'Synthèse des pratiques émergentes', 'synthese');
    await setMetadata(camille, ardeche, {
      categorie: 'naissante',
      territoire: 'dep:07',
      structure: 'Centre social des Vans',
      structureType: 'association',
      anneeDemarrage: 2019,
    });
    await setMetadata(admin, bretagne, {
      categorie: 'renaissante',
      territoire: 'dep:35',
      structure: 'CCAS de Rennes',
      structureType: 'ccas',
      anneeDemarrage: 2021,
    });
  });

  it('filters by theme, category and territory, keeps the filters in the address, and the back button undoes them', async () => {
    const { page, problems } = await open({ as: admin, bypassCSP: true });
    await page.goto(`${baseUrl}/espaces/${espaceId}`);
    await expect.poll(() => cardTitles(page)).toContain(synthese.title);
    await expect.poll(async () => (await cardTitles(page)).length).toBeGreaterThanOrEqual(4);
    // The activity panel says who did what.
    const activity = page.getByRole('region', { name: 'Activité récente' });
    await expect.poll(() => activity.textContent()).toContain('Camille Martin a créé');
    expect(await runAxe(page)).toEqual([]);
    await shot(page, 'catalogue.png');

    await page.getByLabel('Thème', { exact: true }).selectOption({ label: 'Pair-aidance' });
    await expect.poll(() => cardTitles(page)).toEqual([bretagne.title]);
    expect(new URL(page.url()).searchParams.get('theme')).toBe('pair-aidance');
    await expect.poll(() => resultCount(page)).toBe('1 document');

    // Reset, then by category.
    await page.getByRole('button', { name: 'Réinitialiser les filtres' }).first().click();
    await expect.poll(() => new URL(page.url()).search).toBe('');
    await expect.poll(async () => (await cardTitles(page)).length).toBeGreaterThanOrEqual(4);
    await page.getByLabel('Catégorie', { exact: true }).selectOption({ label: 'Naissante' });
    await expect.poll(() => cardTitles(page)).toEqual([ardeche.title]);

    // The territory select groups départements under their région.
    await page.getByLabel('Catégorie', { exact: true }).selectOption('');
    await page.getByLabel('Territoire', { exact: true }).selectOption({ label: 'Ille-et-Vilaine (35)' });
    await expect.poll(() => cardTitles(page)).toEqual([bretagne.title]);
    const card = page.locator('.essaim-doc-card').first();
    await expect.poll(() => card.textContent()).toContain('Ille-et-Vilaine (35)');
    await expect.poll(() => card.textContent()).toContain('CCAS de Rennes (CCAS ou CIAS)');
    await expect.poll(() => card.textContent()).toContain('Renaissante');
    await page
      .getByLabel('Territoire', { exact: true })
      .selectOption({ label: 'Auvergne-Rhône-Alpes (toute la région)' });
    await expect.poll(() => cardTitles(page)).toEqual([ardeche.title]);

    // A filtered address can be shared: opened as it is, it shows the same list.
    const shared = page.url();
    const other = await open({ as: admin });
    await other.page.goto(shared);
    await expect.poll(() => cardTitles(other.page)).toEqual([ardeche.title]);
    expect(await other.page.getByLabel('Territoire', { exact: true }).inputValue()).toBe('reg:84');

    // The back button goes back to the previous filter.
    await page.goBack();
    await expect.poll(() => cardTitles(page)).toEqual([bretagne.title]);
    expect(await page.getByLabel('Territoire', { exact: true }).inputValue()).toBe('dep:35');

    // Nothing matches: said plainly, with a way out.
    await page.getByLabel('Type de document', { exact: true }).selectOption('synthese');
    await expect.poll(() => resultCount(page)).toBe('Aucun document');
    await expect
      .poll(() => page.locator('.essaim-empty').textContent())
      .toContain('Aucun document ne correspond');
    await page.locator('.essaim-empty').getByRole('button', { name: 'Réinitialiser les filtres' }).click();
    await expect.poll(async () => (await cardTitles(page)).length).toBeGreaterThanOrEqual(4);

    // Search words and a sort, in the table view.
    await page.getByLabel('Trier par').selectOption('title');
    await labelOf(page, 'Tableau').click();
    await expect.poll(() => new URL(page.url()).searchParams.get('affichage')).toBe('tableau');
    const rows = page.locator('.essaim-doc-table tbody tr');
    await expect.poll(() => rows.count()).toBeGreaterThanOrEqual(4);
    await expect
      .poll(() => rows.first().locator('td').first().textContent())
      .toContain('Aller-vers les familles');
    expect(await runAxe(page)).toEqual([]);
    await shot(page, 'catalogue-tableau.png');
    // « Rennes » alone is also in the synthèse's annexes (it links to the fiche): the structure
    // names only the fiche.
    await page.getByRole('searchbox', { name: /Rechercher/ }).fill('CCAS de Rennes');
    await expect.poll(() => rows.count()).toBe(1);
    await expect.poll(() => rows.first().textContent()).toContain(bretagne.title);
    expect(new URL(page.url()).searchParams.get('q')).toBe('CCAS de Rennes');
    expect(problems.errors).toEqual([]);
  });

  it('shows « mes documents » to a rapporteur, without the themes tab', async () => {
    const { page } = await open({ as: camille });
    await page.goto(`${baseUrl}/espaces/${espaceId}`);
    await expect.poll(async () => (await cardTitles(page)).length).toBeGreaterThanOrEqual(4);
    await toggle(page, 'Mes documents').click();
    await expect.poll(() => cardTitles(page)).toEqual([ardeche.title]);
    expect(new URL(page.url()).searchParams.get('mes-documents')).toBe('oui');
    // Themes are the animateur's: no link for a rapporteur.
    expect(await page.getByRole('link', { name: 'Thèmes', exact: true }).count()).toBe(0);
    // A rapporteur does not archive.
    expect(await page.getByRole('button', { name: /^Archiver/ }).count()).toBe(0);
    // On a phone, filters and cards stack.
    await page.setViewportSize({ width: 390, height: 844 });
    await shot(page, 'catalogue-mobile.png');
  });

  it('archives a document after confirmation, finds it among the archived ones, and restores it', async () => {
    const { page, problems } = await open({ as: admin });
    await page.goto(`${baseUrl}/espaces/${espaceId}`);
    await expect.poll(() => cardTitles(page)).toContain(synthese.title);

    await page.getByRole('button', { name: `Archiver « ${synthese.title} »` }).click();
    const dialog = page.getByRole('dialog', { name: 'Archiver ce document ?' });
    await dialog.waitFor();
    await expect.poll(() => dialog.textContent()).toContain('Rien n’est supprimé');
    await dialog.getByRole('button', { name: 'Archiver le document' }).click();
    await expect.poll(() => cardTitles(page)).not.toContain(synthese.title);
    await expect
      .poll(() => page.getByRole('status').filter({ hasText: 'est archivé' }).count())
      .toBeGreaterThan(0);
    expect((await listViaApi(admin, '&archived=true')).map((d) => d.id)).toContain(synthese.id);

    await toggle(page, 'Documents archivés').click();
    await expect.poll(() => cardTitles(page)).toEqual([synthese.title]);
    const card = page.locator('.essaim-doc-card').first();
    await expect.poll(() => card.textContent()).toContain('Archivé');
    const activity = page.getByRole('region', { name: 'Activité récente' });
    await expect.poll(() => activity.textContent()).toContain('Administratrice a archivé');

    await page.getByRole('button', { name: `Restaurer « ${synthese.title} »` }).click();
    const restore = page.getByRole('dialog', { name: 'Restaurer ce document ?' });
    await restore.waitFor();
    await restore.getByRole('button', { name: 'Restaurer le document' }).click();
    await expect.poll(() => resultCount(page)).toBe('Aucun document archivé');
    await toggle(page, 'Documents archivés').click();
    await expect.poll(() => cardTitles(page)).toContain(synthese.title);
    expect(problems.errors).toEqual([]);
  });
});

describe('themes', () => {
  it('lets the animateur add, rename, archive and reactivate themes; archived ones are no longer offered', async () => {
    const { page, problems } = await open({ as: admin, bypassCSP: true });
    await page.goto(`${baseUrl}/espaces/${espaceId}`);
    await page.getByRole('link', { name: 'Thèmes', exact: true }).click();
    await page.waitForURL(`${baseUrl}/espaces/${espaceId}/themes`);
    await expect.poll(() => heading1(page).textContent()).toBe('Thèmes');
    const active = page
      .locator('section')
      .filter({ has: page.getByRole('heading', { name: 'Thèmes proposés' }) });
    const archived = page
      .locator('section')
      .filter({ has: page.getByRole('heading', { name: 'Thèmes archivés' }) });
    const rowOf = (where: typeof active, label: string) => where.locator('tr').filter({ hasText: label });
    await rowOf(active, 'Aller-vers').waitFor();
    await expect.poll(() => rowOf(active, 'Pair-aidance').textContent()).toContain('1 document');

    // Add: the server's words show under the field.
    const field = page.getByLabel('Libellé du thème');
    await field.fill('x');
    await page.getByRole('button', { name: 'Ajouter le thème' }).click();
    await expect.poll(() => field.getAttribute('aria-invalid')).toBe('true');
    await expect
      .poll(() => page.locator('.fr-input-group--error').textContent())
      .toContain('au moins 2 caractères');
    await field.fill('Habitat inclusif');
    await page.getByRole('button', { name: 'Ajouter le thème' }).click();
    await rowOf(active, 'Habitat inclusif').waitFor();
    await expect.poll(() => field.inputValue()).toBe('');

    // Rename in place.
    await page.getByRole('button', { name: 'Renommer « Habitat inclusif »' }).click();
    const rename = page.getByLabel('Nouveau libellé de « Habitat inclusif »');
    await expect.poll(() => rename.evaluate((el) => el === document.activeElement)).toBe(true);
    await rename.fill('Habitat inclusif et partagé');
    await page.screenshot({ path: path.join(artifactsDir, 'themes-renommer.png') });
    await page.keyboard.press('Enter');
    await rowOf(active, 'Habitat inclusif et partagé').waitFor();
    await expect
      .poll(() => page.getByRole('status').filter({ hasText: 's’appelle maintenant' }).count())
      .toBeGreaterThan(0);

    // Archive « Aller-vers »: it moves to the archived themes, the focus follows it.
    await page.getByRole('button', { name: 'Archiver « Aller-vers »' }).click();
    await rowOf(archived, 'Aller-vers').waitFor();
    await expect
      .poll(() =>
        page
          .getByRole('button', { name: 'Réactiver « Aller-vers »' })
          .evaluate((el) => el === document.activeElement),
      )
      .toBe(true);
    expect(await runAxe(page)).toEqual([]);
    await shot(page, 'themes.png');

    // The creation form offers the new label, not the archived theme.
    await page.goto(`${baseUrl}/espaces/${espaceId}/nouveau-document`);
    await page.getByRole('checkbox', { name: 'Habitat inclusif et partagé' }).waitFor();
    expect(await page.getByRole('checkbox', { name: 'Aller-vers' }).count()).toBe(0);
    // The catalogue still names it on its documents, and its filter offers it apart.
    await page.goto(`${baseUrl}/espaces/${espaceId}?theme=aller-vers`);
    await expect.poll(() => cardTitles(page)).toEqual(['Aller-vers les familles en Ardèche']);
    await expect.poll(() => page.locator('.essaim-doc-card').first().textContent()).toContain('Aller-vers');

    await page.goto(`${baseUrl}/espaces/${espaceId}/themes`);
    await page.getByRole('button', { name: 'Réactiver « Aller-vers »' }).click();
    await rowOf(active, 'Aller-vers').waitFor();
    // The browser logs the refused label (400); nothing else may go wrong.
    expect(problems.errors.filter((e) => !e.includes('status of 400'))).toEqual([]);
  });

  it('refuses theme changes to a rapporteur', async () => {
    const response = await camille.fetch(`/api/espaces/${espaceId}/themes`, {
      method: 'POST',
      json: { label: 'Thème sauvage' },
    });
    expect(response.status).toBe(403);
  });
});

// Last: its fiche's long title would stand among the cards the tests above expect.
describe('a title pasted from macOS (accents written as a letter and a combining accent)', () => {
  it('keeps all of its 120 « é » in the creation form and in the fiche’s information, composed, as the server counts them', async () => {
    const { page, problems } = await open({ as: admin });
    await page.goto(`${baseUrl}/espaces/${espaceId}/nouveau-document`);
    const title = page.getByLabel('Titre');
    await title.click();
    // 240 UTF-16 code units: a `maxlength` of 200 kept 100 « é » (tester BR40 H1).
    await page.keyboard.insertText('e\u0301'.repeat(120));
    await expect.poll(() => title.inputValue()).toBe('é'.repeat(120));
    expect(await page.getByText('la limite est atteinte').count()).toBe(0);
    await page.getByRole('button', { name: 'Créer le document' }).click();
    await page.waitForURL(/\/documents\/[0-9a-f-]{36}$/);
    const id = page.url().split('/').pop() as string;
    expect((await listViaApi(admin)).find((d) => d.id === id)?.title).toBe('é'.repeat(120));

    // In the fiche's information: a decomposed paste after the title's first 150 characters keeps
    // what fits, 50 « é », and says the limit is reached.
    const panel = page.getByRole('button', { name: 'Informations de la fiche' });
    await panel.click();
    await expect.poll(() => panel.getAttribute('aria-expanded')).toBe('true');
    const field = page.getByRole('textbox', { name: /^Titre/ });
    await expect.poll(() => field.inputValue()).toBe('é'.repeat(120));
    await field.fill('a'.repeat(150));
    await field.press('End');
    await page.keyboard.insertText('e\u0301'.repeat(80));
    await expect.poll(() => field.inputValue()).toBe('a'.repeat(150) + 'é'.repeat(50));
    await page.getByText('200 caractères sur 200 : la limite est atteinte').waitFor();
    expect(problems.errors).toEqual([]);
  });
});
