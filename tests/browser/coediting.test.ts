import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { createDocument, repoRoot, startTestServer, type TestServer } from '../support/server.js';
import {
  artifactsDir,
  assertClientBuilt,
  freePort,
  launchChromium,
  openPage,
  suggestedHashes,
  type PageProblems,
} from './support/chromium.js';

/**
 * The one <style> tag DSFR's colour-scheme code inserts (`:root { color-scheme: light|dark; }`).
 * The server's CSP must allow these two hashes; until it does, Chromium reports them, and only
 * them, as violations.
 */
const DSFR_STYLE_HASHES = [
  'sha256-HzhUjVBe6Oi2wcxUM7bmy2Rp9VdLMHYDdYr9MalNmOY=',
  'sha256-xVQ4mcypV0CvOtZpQgVcKpcoNvdUkR9BrwZBrtBbU+w=',
];

const AXE_PATH = path.join(repoRoot, 'node_modules/axe-core/axe.min.js');

let server: TestServer;
let browser: Browser;
let baseUrl: string;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  assertClientBuilt();
  const port = await freePort();
  baseUrl = `http://127.0.0.1:${port}`;
  server = await startTestServer({ env: { SERVE_CLIENT: 'true', PORT: String(port), PUBLIC_URL: baseUrl } });
  browser = await launchChromium();
});

afterAll(async () => {
  await Promise.all(contexts.map((c) => c.close().catch(() => undefined)));
  await browser?.close();
  await server?.stop();
});

async function open(options: Parameters<typeof openPage>[1] = {}) {
  const opened = await openPage(browser, options);
  contexts.push(opened.context);
  return opened;
}

const editorOf = (page: Page) => page.getByRole('textbox', { name: 'Contenu du document' });
const badgeOf = (page: Page) => page.getByRole('status').filter({ hasText: 'État de la connexion' });
const nameFieldOf = (page: Page) => page.getByRole('textbox', { name: /^Votre nom affiché/ });
const presenceOf = (page: Page) =>
  page.getByRole('region', { name: /Personnes présentes/ }).getByRole('listitem');

/** The problems of a page, minus the DSFR style tag while the server does not allow it yet. */
function unexpectedProblems(problems: PageProblems): PageProblems {
  return {
    errors: problems.errors,
    cspViolations: problems.cspViolations.filter((v) => !DSFR_STYLE_HASHES.some((h) => v.includes(h))),
  };
}

async function runAxe(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: AXE_PATH });
  const violations = await page.evaluate(async () => {
    const result = await (
      window as unknown as {
        axe: {
          run: (
            context: Document,
            options: object,
          ) => Promise<{ violations: { id: string; help: string; nodes: { target: unknown[] }[] }[] }>;
        };
      }
    ).axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return result.violations.map(
      (v) => `${v.id} (${v.help}) : ${v.nodes.map((n) => JSON.stringify(n.target)).join(', ')}`,
    );
  });
  return violations;
}

describe('co-editing a document in two browsers', () => {
  it('shows each person the other one’s text, named caret and presence, and confirms the save', async () => {
    const doc = await createDocument(baseUrl, 'Conférences familiales en Ardèche', 'fiche');
    const url = `${baseUrl}/documents/${doc.id}`;
    const amelie = await open();
    const bruno = await open();

    // Each person chooses a display name the first time they open a document.
    for (const [{ page }, name] of [
      [amelie, 'Amélie'],
      [bruno, 'Bruno'],
    ] as const) {
      await page.goto(url);
      await page.getByRole('heading', { name: 'Choisissez votre nom affiché' }).waitFor();
      await nameFieldOf(page).fill(name);
      await page.getByRole('button', { name: 'Continuer' }).click();
      await editorOf(page).waitFor();
    }

    await editorOf(amelie.page).click();
    await amelie.page.keyboard.type('La famille élargie décide du plan.');
    await expect
      .poll(() => editorOf(bruno.page).textContent())
      .toContain('La famille élargie décide du plan.');

    await editorOf(bruno.page).click();
    await bruno.page.keyboard.press('Control+End');
    await bruno.page.keyboard.press('Enter');
    await bruno.page.keyboard.type('Le référent ASE prépare la réunion.');
    await expect
      .poll(() => editorOf(amelie.page).textContent())
      .toContain('Le référent ASE prépare la réunion.');

    // Each sees the other's caret, labelled with the other's name.
    await expect
      .poll(() => amelie.page.locator('.collaboration-carets__label').allTextContents())
      .toEqual(['Bruno']);
    await expect
      .poll(() => bruno.page.locator('.collaboration-carets__label').allTextContents())
      .toEqual(['Amélie']);

    // The presence list names both, « vous » for oneself.
    await expect.poll(() => presenceOf(amelie.page).allTextContents()).toEqual(['Amélie (vous)', 'Bruno']);
    await expect.poll(() => presenceOf(bruno.page).allTextContents()).toEqual(['Bruno (vous)', 'Amélie']);

    // Both typed: once the server acknowledged everything, the badge says so.
    await expect.poll(() => badgeOf(amelie.page).textContent()).toContain('Enregistré');
    await expect.poll(() => badgeOf(bruno.page).textContent()).toContain('Enregistré');

    await amelie.page.screenshot({ path: path.join(artifactsDir, 'coediting.png'), fullPage: true });
    await bruno.page.screenshot({ path: path.join(artifactsDir, 'coediting-bruno.png') });

    for (const { problems } of [amelie, bruno])
      expect(unexpectedProblems(problems)).toEqual({ errors: [], cspViolations: [] });
  });

  it('keeps what is typed offline, says so, and sends it as soon as the network returns', async () => {
    const doc = await createDocument(baseUrl, 'Permanences sociales en gare', 'fiche');
    const url = `${baseUrl}/documents/${doc.id}`;
    const amelie = await open({ displayName: 'Amélie' });
    const bruno = await open({ displayName: 'Bruno' });
    for (const { page } of [amelie, bruno]) {
      await page.goto(url);
      await editorOf(page).waitFor();
    }
    await editorOf(amelie.page).click();
    await amelie.page.keyboard.type('Avant la coupure. ');
    await expect.poll(() => badgeOf(amelie.page).textContent()).toContain('Enregistré');

    await amelie.context.setOffline(true);
    await expect
      .poll(() => badgeOf(amelie.page).textContent())
      .toContain('Hors ligne — vos modifications sont conservées');
    await amelie.page.keyboard.type('Écrit sans réseau.');
    expect(await badgeOf(amelie.page).textContent()).toContain('Hors ligne');

    await amelie.context.setOffline(false);
    await expect
      .poll(() => editorOf(bruno.page).textContent())
      .toContain('Avant la coupure. Écrit sans réseau.');
    await expect.poll(() => badgeOf(amelie.page).textContent()).toContain('Enregistré');
  });

  it('says « Connecté » to a person who opened a document without typing anything', async () => {
    const doc = await createDocument(baseUrl, 'Synthèse du groupe Ardèche', 'synthese');
    const { page, problems } = await open({ displayName: 'Chloé' });
    await page.goto(`${baseUrl}/documents/${doc.id}`);
    await editorOf(page).waitFor();
    await expect.poll(() => badgeOf(page).textContent()).toContain('Connecté');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Synthèse du groupe Ardèche');
    expect(unexpectedProblems(problems)).toEqual({ errors: [], cspViolations: [] });
  });

  it('tells the person, in French, that a document that does not exist cannot be found', async () => {
    const { page } = await open({ displayName: 'Chloé' });
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

describe('document list', () => {
  it('lists the documents and opens a new one created from the form', async () => {
    await createDocument(baseUrl, 'Accueil de jour itinérant', 'fiche');
    const { page, problems } = await open({ displayName: 'Chloé' });
    await page.goto(`${baseUrl}/`);
    await page.getByRole('heading', { level: 3, name: 'Accueil de jour itinérant' }).waitFor();
    await page.screenshot({ path: path.join(artifactsDir, 'documents.png'), fullPage: true });

    await page.getByLabel('Titre').fill('Habitat partagé à Privas');
    await page.getByLabel('Type de document').selectOption('synthese');
    await page.getByRole('button', { name: 'Créer le document' }).click();
    await page.waitForURL(/\/documents\/[0-9a-f-]{36}$/);
    await expect
      .poll(() => page.getByRole('heading', { level: 1 }).textContent())
      .toBe('Habitat partagé à Privas');
    await editorOf(page).waitFor();
    expect(unexpectedProblems(problems)).toEqual({ errors: [], cspViolations: [] });
  });

  it('explains in French, next to the field, that a title is required', async () => {
    const { page } = await open();
    await page.goto(`${baseUrl}/`);
    await page.getByRole('button', { name: 'Créer le document' }).click();
    const title = page.getByLabel('Titre');
    await expect.poll(() => title.getAttribute('aria-invalid')).toBe('true');
    await expect
      .poll(() => page.locator('.fr-input-group--error').textContent())
      .toContain('Le titre est obligatoire.');
    // Focus goes to the field in error, so keyboard and screen reader users land on the problem.
    await expect.poll(() => title.evaluate((el) => el === document.activeElement)).toBe(true);
    expect(page.url()).toBe(`${baseUrl}/`);
    await page.screenshot({ path: path.join(artifactsDir, 'titre-obligatoire.png') });
  });
});

describe('accessibility (axe-core, WCAG 2.1 A and AA)', () => {
  it('finds no violation on the document list', async () => {
    await createDocument(baseUrl, 'Médiation numérique en milieu rural', 'fiche');
    const { page } = await open({ bypassCSP: true });
    await page.goto(`${baseUrl}/`);
    await page.getByRole('heading', { level: 3, name: 'Médiation numérique en milieu rural' }).waitFor();
    expect(await runAxe(page)).toEqual([]);
  });

  it('finds no violation on the display-name form shown before a first document', async () => {
    const doc = await createDocument(baseUrl, 'Pair-aidance en protection de l’enfance', 'fiche');
    const { page } = await open({ bypassCSP: true });
    await page.goto(`${baseUrl}/documents/${doc.id}`);
    await nameFieldOf(page).waitFor();
    expect(await runAxe(page)).toEqual([]);
  });

  it('finds no violation on the editor page with formatted text', async () => {
    const doc = await createDocument(baseUrl, 'Maraudes mixtes', 'fiche');
    const { page } = await open({ bypassCSP: true, displayName: 'Chloé' });
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
    const { page, problems } = await open({ colorScheme: 'dark', displayName: 'Chloé' });
    await page.goto(`${baseUrl}/`);
    await page.getByRole('heading', { level: 1 }).waitFor();
    const { page: light, problems: lightProblems } = await open({ colorScheme: 'light' });
    await light.goto(`${baseUrl}/`);
    await light.getByRole('heading', { level: 1 }).waitFor();
    const hashes = suggestedHashes([...problems.cspViolations, ...lightProblems.cspViolations]);
    for (const hash of hashes) expect(DSFR_STYLE_HASHES).toContain(hash);
    await page.screenshot({ path: path.join(artifactsDir, 'documents-sombre.png') });
  });
});
