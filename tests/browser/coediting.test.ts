import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { createDocument, invite, type Session } from '../support/accounts.js';
import { runAxe } from './support/axe.js';
import { artifactsDir, suggestedHashes } from './support/chromium.js';
import { DSFR_STYLE_HASHES, unexpectedProblems, useBrowserApp } from './support/app.js';
import { caretNamesIn } from './support/coWriting.js';

let baseUrl: string;
let espaceId: string;
/** Animatrice: writes every document of the espace. */
let amelie: Session;
/** Rapporteurs: write the documents they are assigned to (or created). */
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

/** A document created by Amélie, which Bruno is assigned to write too. */
async function sharedDocument(title: string, kind: 'fiche' | 'synthese' = 'fiche') {
  const doc = await createDocument(amelie, espaceId, title, kind);
  const assigned = await amelie.fetch(`/api/documents/${doc.id}/assignments`, {
    method: 'POST',
    json: { userId: bruno.userId },
  });
  expect(assigned.status).toBe(200);
  return doc;
}

const open = (options: Parameters<typeof app.open>[0] = {}) => app.open(options);

const editorOf = (page: Page) => page.getByRole('textbox', { name: 'Contenu du document' });
const badgeOf = (page: Page) => page.getByRole('status').filter({ hasText: 'État de la connexion' });
const presenceOf = (page: Page) =>
  page.getByRole('region', { name: /Personnes présentes/ }).getByRole('listitem');

describe('co-editing a document in two browsers', () => {
  it('shows each person the other one’s text, named caret and presence, and confirms the save', async () => {
    const doc = await sharedDocument('Conférences familiales en Ardèche');
    const url = `${baseUrl}/documents/${doc.id}`;
    // Carets and presence show the accounts' names: nobody types a display name any more.
    const amelieTab = await open({ as: amelie });
    const brunoTab = await open({ as: bruno });
    for (const { page } of [amelieTab, brunoTab]) {
      await page.goto(url);
      await editorOf(page).waitFor();
      await expect.poll(() => editorOf(page).getAttribute('contenteditable')).toBe('true');
    }

    await editorOf(amelieTab.page).click();
    await amelieTab.page.keyboard.type('La famille élargie décide du plan.');
    await expect
      .poll(() => editorOf(brunoTab.page).textContent())
      .toContain('La famille élargie décide du plan.');

    await editorOf(brunoTab.page).click();
    await brunoTab.page.keyboard.press('Control+End');
    await brunoTab.page.keyboard.press('Enter');
    await brunoTab.page.keyboard.type('Le référent ASE prépare la réunion.');
    await expect
      .poll(() => editorOf(amelieTab.page).textContent())
      .toContain('Le référent ASE prépare la réunion.');

    // Each sees the other's caret, labelled with the other's name.
    await expect.poll(() => caretNamesIn(amelieTab.page)).toEqual(['Bruno']);
    await expect.poll(() => caretNamesIn(brunoTab.page)).toEqual(['Amélie']);

    // The presence list names both, « vous » for oneself.
    await expect.poll(() => presenceOf(amelieTab.page).allTextContents()).toEqual(['Amélie (vous)', 'Bruno']);
    await expect.poll(() => presenceOf(brunoTab.page).allTextContents()).toEqual(['Bruno (vous)', 'Amélie']);

    // Both typed: once the server acknowledged everything, the badge says so.
    await expect.poll(() => badgeOf(amelieTab.page).textContent()).toContain('Enregistré');
    await expect.poll(() => badgeOf(brunoTab.page).textContent()).toContain('Enregistré');

    await amelieTab.page.screenshot({ path: path.join(artifactsDir, 'coediting.png'), fullPage: true });
    await brunoTab.page.screenshot({ path: path.join(artifactsDir, 'coediting-bruno.png') });

    for (const { problems } of [amelieTab, brunoTab])
      expect(unexpectedProblems(problems)).toEqual({ errors: [], cspViolations: [] });
  });

  it('keeps what is typed offline, says so, and sends it as soon as the network returns', async () => {
    const doc = await sharedDocument('Permanences sociales en gare');
    const url = `${baseUrl}/documents/${doc.id}`;
    const amelieTab = await open({ as: amelie });
    const brunoTab = await open({ as: bruno });
    for (const { page } of [amelieTab, brunoTab]) {
      await page.goto(url);
      await editorOf(page).waitFor();
    }
    await editorOf(amelieTab.page).click();
    await amelieTab.page.keyboard.type('Avant la coupure. ');
    await expect.poll(() => badgeOf(amelieTab.page).textContent()).toContain('Enregistré');

    await amelieTab.context.setOffline(true);
    await expect
      .poll(() => badgeOf(amelieTab.page).textContent())
      .toContain('Hors ligne — vos modifications sont conservées');
    await amelieTab.page.keyboard.type('Écrit sans réseau.');
    expect(await badgeOf(amelieTab.page).textContent()).toContain('Hors ligne');

    await amelieTab.context.setOffline(false);
    await expect
      .poll(() => editorOf(brunoTab.page).textContent())
      .toContain('Avant la coupure. Écrit sans réseau.');
    await expect.poll(() => badgeOf(amelieTab.page).textContent()).toContain('Enregistré');
  });

  it('passes from « Connexion au serveur… » to « Connecté » without flashing « Enregistrement… », and back from a long time « Hors ligne » without flashing « Serveur injoignable »', async () => {
    const doc = await sharedDocument('Un badge qui ne clignote pas');
    const { page, problems } = await open({ as: amelie });
    // Every state the badge takes, from the page's first script, and every socket that closes.
    await page.addInitScript(() => {
      const seen: string[] = [];
      const watch = window as unknown as { badgeStates: string[]; socketsClosed: number };
      watch.badgeStates = seen;
      watch.socketsClosed = 0;
      const Native = window.WebSocket;
      window.WebSocket = class extends Native {
        constructor(...args: ConstructorParameters<typeof WebSocket>) {
          super(...args);
          this.addEventListener('close', () => (watch.socketsClosed += 1));
        }
      };
      new MutationObserver(() => {
        const state = document.querySelector('.essaim-connection')?.getAttribute('data-state');
        if (state && state !== seen.at(-1)) seen.push(state);
      }).observe(document, {
        subtree: true,
        childList: true,
        attributes: true,
        attributeFilter: ['data-state'],
      });
    });
    const states = () => page.evaluate(() => (window as unknown as { badgeStates: string[] }).badgeStates);
    await page.goto(`${baseUrl}/documents/${doc.id}`);
    await editorOf(page).waitFor();
    await expect.poll(() => badgeOf(page).textContent()).toContain('Connecté');
    // The provider's first handshake leaves one change unacknowledged for a round trip: not shown.
    expect(await states()).toEqual(['connecting', 'connected']);

    await page.context().setOffline(true);
    await expect.poll(() => badgeOf(page).textContent()).toContain('Hors ligne');
    // Long enough for the page to give the socket up (its watchdog): the provider reconnects
    // only once the network is back.
    await expect
      .poll(() => page.evaluate(() => (window as unknown as { socketsClosed: number }).socketsClosed), {
        timeout: 30_000,
      })
      .toBeGreaterThan(0);
    const offlineAt = (await states()).length;
    await page.context().setOffline(false);
    await expect.poll(() => badgeOf(page).textContent(), { timeout: 20_000 }).toContain('Connecté');
    expect((await states()).slice(offlineAt)).toEqual(['connecting', 'connected']);
    expect((await states()).slice(offlineAt)).not.toContain('syncing');
    expect(
      unexpectedProblems(problems).errors.filter((e) => !/WebSocket|ERR_INTERNET_DISCONNECTED/.test(e)),
    ).toEqual([]);
  }, 90_000);

  it('says « Connecté » to a person who opened a document without typing anything', async () => {
    const doc = await createDocument(chloe, espaceId, 'Synthèse du groupe Ardèche', 'synthese');
    const { page, problems } = await open({ as: chloe });
    await page.goto(`${baseUrl}/documents/${doc.id}`);
    await editorOf(page).waitFor();
    await expect.poll(() => badgeOf(page).textContent()).toContain('Connecté');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Synthèse du groupe Ardèche');
    expect(unexpectedProblems(problems)).toEqual({ errors: [], cspViolations: [] });
  });

  it('tells the person, in French, that a document that does not exist cannot be found', async () => {
    const { page } = await open({ as: chloe });
    await page.goto(`${baseUrl}/documents/00000000-0000-4000-8000-000000000000`);
    await expect
      .poll(() => page.getByRole('heading', { level: 1 }).textContent())
      .toBe('Document introuvable');
    await page.goto(`${baseUrl}/documents/pas-un-identifiant`);
    await expect
      .poll(() => page.getByRole('heading', { level: 1 }).textContent())
      .toBe('Document introuvable');
    await page.screenshot({ path: path.join(artifactsDir, 'document-introuvable.png') });
  });
});

describe('documents of an espace', () => {
  it('lists the documents and opens a new one created from the form', async () => {
    await createDocument(amelie, espaceId, 'Accueil de jour itinérant', 'fiche');
    const { page, problems } = await open({ as: chloe });
    // The home page leads to the person's espace.
    await page.goto(`${baseUrl}/`);
    await page.waitForURL(`${baseUrl}/espaces/${espaceId}`);
    await page.getByRole('heading', { level: 3, name: 'Accueil de jour itinérant' }).waitFor();
    await page.screenshot({ path: path.join(artifactsDir, 'documents.png'), fullPage: true });

    await page.getByRole('link', { name: 'Nouveau document' }).click();
    await page.waitForURL(`${baseUrl}/espaces/${espaceId}/nouveau-document`);
    await page.getByLabel('Titre').fill('Habitat partagé à Privas');
    await page
      .locator('label.fr-label')
      .filter({ hasText: /^Document de synthèse/ })
      .click();
    await page.getByRole('button', { name: 'Créer le document' }).click();
    await page.waitForURL(/\/documents\/[0-9a-f-]{36}$/);
    await expect
      .poll(() => page.getByRole('heading', { level: 1 }).textContent())
      .toBe('Habitat partagé à Privas');
    await editorOf(page).waitFor();
    // Chloé is a rapporteur: the document she created is assigned to her, so she writes it.
    await expect.poll(() => editorOf(page).getAttribute('contenteditable')).toBe('true');
    expect(unexpectedProblems(problems)).toEqual({ errors: [], cspViolations: [] });
  });

  it('explains in French, next to the field, that a title is required', async () => {
    const { page } = await open({ as: chloe });
    await page.goto(`${baseUrl}/espaces/${espaceId}/nouveau-document`);
    await page.getByRole('button', { name: 'Créer le document' }).click();
    const title = page.getByLabel('Titre');
    await expect.poll(() => title.getAttribute('aria-invalid')).toBe('true');
    await expect
      .poll(() => page.locator('.fr-input-group--error').textContent())
      .toContain('Le titre est obligatoire.');
    // Focus goes to the field in error, so keyboard and screen reader users land on the problem.
    await expect.poll(() => title.evaluate((el) => el === document.activeElement)).toBe(true);
    expect(page.url()).toBe(`${baseUrl}/espaces/${espaceId}/nouveau-document`);
    await page.screenshot({ path: path.join(artifactsDir, 'titre-obligatoire.png') });
  });
});

describe('accessibility (axe-core, WCAG 2.1 A and AA)', () => {
  it('finds no violation on the document list of an espace', async () => {
    await sharedDocument('Médiation numérique en milieu rural');
    const { page } = await open({ bypassCSP: true, as: bruno });
    await page.goto(`${baseUrl}/espaces/${espaceId}`);
    await page.getByRole('heading', { level: 3, name: 'Médiation numérique en milieu rural' }).waitFor();
    expect(await runAxe(page)).toEqual([]);
  });

  it('finds no violation on the editor page with formatted text', async () => {
    const doc = await createDocument(chloe, espaceId, 'Maraudes mixtes', 'fiche');
    const { page } = await open({ bypassCSP: true, as: chloe });
    await page.goto(`${baseUrl}/documents/${doc.id}`);
    await editorOf(page).click();
    await page.keyboard.press('Control+Alt+2');
    await page.keyboard.type('Contexte');
    await page.keyboard.press('Enter');
    await page.keyboard.type('Des maraudes associant ');
    await page.keyboard.press('Control+B');
    await page.keyboard.type('travailleurs sociaux et bénévoles');
    await expect.poll(() => badgeOf(page).textContent()).toContain('Enregistré');
    expect(await runAxe(page)).toEqual([]);
  });
});

describe('strict content security policy', () => {
  it('only ever needs the two DSFR colour-scheme hashes for inline styles', async () => {
    const { page, problems } = await open({ colorScheme: 'dark', as: chloe });
    await page.goto(`${baseUrl}/espaces/${espaceId}`);
    await page.getByRole('heading', { level: 1 }).waitFor();
    const { page: light, problems: lightProblems } = await open({ colorScheme: 'light' });
    await light.goto(`${baseUrl}/connexion`);
    await light.getByRole('heading', { level: 1 }).waitFor();
    const hashes = suggestedHashes([...problems.cspViolations, ...lightProblems.cspViolations]);
    for (const hash of hashes) expect(DSFR_STYLE_HASHES).toContain(hash);
    await page.screenshot({ path: path.join(artifactsDir, 'documents-sombre.png') });
  });
});
