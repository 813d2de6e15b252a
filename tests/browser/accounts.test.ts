import path from 'node:path';
import { openDatabase } from '@essaim/server/storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import {
  createDocument,
  DEFAULT_PASSWORD,
  invite,
  postJson,
  setupInstance,
  type Session,
} from '../support/accounts.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { runAxe } from './support/axe.js';
import { artifactsDir, assertClientBuilt, freePort, launchChromium, openPage } from './support/chromium.js';

/**
 * Accounts, roles and permissions as people meet them in the browser: first run, login,
 * invitations, the people page, read-only documents, administration.
 */

let browser: Browser;
const contexts: BrowserContext[] = [];
const servers: TestServer[] = [];

/** A server serving the built client, on a port known before it starts (PUBLIC_URL). */
async function startServer(): Promise<{ server: TestServer; baseUrl: string }> {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const server = await startTestServer({
    env: { SERVE_CLIENT: 'true', PORT: String(port), PUBLIC_URL: baseUrl },
  });
  servers.push(server);
  return { server, baseUrl };
}

let server: TestServer;
let baseUrl: string;
let admin: Session;
let espaceId: string;
/** Animatrice of the espace (invited by the administrator). */
let anne: Session;

beforeAll(async () => {
  assertClientBuilt();
  browser = await launchChromium();
  ({ server, baseUrl } = await startServer());
  ({ admin, espaceId } = await setupInstance(baseUrl));
  anne = await invite(admin, espaceId, 'animateur', 'Anne Animatrice');
});

afterAll(async () => {
  await Promise.all(contexts.map((c) => c.close().catch(() => undefined)));
  await browser?.close();
  for (const s of servers) await s.stop();
});

async function open(options: Parameters<typeof openPage>[1] = {}) {
  const opened = await openPage(browser, options);
  contexts.push(opened.context);
  return opened;
}

const heading1 = (page: Page) => page.getByRole('heading', { level: 1 });
const editorOf = (page: Page) => page.getByRole('textbox', { name: 'Contenu du document' });
const readOnlyNotice = (page: Page) => page.locator('.fr-notice').filter({ hasText: 'Lecture seule' });
const shot = (page: Page, name: string) =>
  page.screenshot({ path: path.join(artifactsDir, name), fullPage: true });

/** A fresh invitation link made through the API, as an animateur would from the people page. */
async function invitationLink(email: string, role: 'animateur' | 'rapporteur' | 'membre' = 'membre') {
  const response = await admin.fetch(`/api/espaces/${espaceId}/invitations`, {
    method: 'POST',
    json: { email, role },
  });
  expect(response.status).toBe(201);
  return ((await response.json()) as { link: string }).link;
}

describe('first run', () => {
  it('creates the administrator and the first espace from the first-run page, then lands in it', async () => {
    const fresh = await startServer();
    const { page, problems } = await open({ bypassCSP: true });
    await page.goto(`${fresh.baseUrl}/`);
    await page.waitForURL(`${fresh.baseUrl}/premiere-installation`);
    await expect.poll(() => heading1(page).textContent()).toBe('Première installation');
    expect(await runAxe(page)).toEqual([]);

    await page.getByLabel('Nom et prénom').fill('Françoise Admin');
    await page.getByLabel('Adresse électronique').fill('francoise@hcts.example');
    await page.locator('input[name="password"]').fill('court');
    await page.getByLabel('Confirmation du mot de passe').fill('court');
    await page.getByLabel('Nom de l’espace de travail').fill('Groupe Ardèche');
    await page.getByRole('button', { name: 'Créer le compte et l’espace' }).click();
    // Checked before sending, next to the field, with the focus on it.
    const password = page.locator('input[name="password"]');
    await expect.poll(() => password.getAttribute('aria-invalid')).toBe('true');
    await expect
      .poll(() => page.locator('.fr-password').first().textContent())
      .toContain('Le mot de passe doit compter au moins 12 caractères.');
    await expect.poll(() => password.evaluate((el) => el === document.activeElement)).toBe(true);
    await shot(page, 'premiere-installation.png');

    await password.fill('une phrase de passe solide');
    await page.getByLabel('Confirmation du mot de passe').fill('une phrase de passe solide');
    await page.getByRole('button', { name: 'Créer le compte et l’espace' }).click();
    await page.waitForURL(/\/espaces\/[0-9a-f-]{36}$/);
    await expect.poll(() => heading1(page).textContent()).toBe('Groupe Ardèche');
    await expect
      .poll(() => page.locator('.essaim-account').first().textContent())
      .toContain('Françoise Admin');
    expect(await page.getByRole('button', { name: 'Se déconnecter' }).count()).toBeGreaterThan(0);
    expect(problems.errors).toEqual([]);

    // Once set up, the first-run page is gone for good.
    await page.goto(`${fresh.baseUrl}/premiere-installation`);
    await page.waitForURL(/\/espaces\/[0-9a-f-]{36}$/);
  });
});

describe('logging in and out', () => {
  it('explains in French why a login fails, then that too many attempts are blocked', async () => {
    const rita = await invite(admin, espaceId, 'membre', 'Rita Refusée');
    const { page } = await open({ bypassCSP: true });
    await page.goto(`${baseUrl}/connexion`);
    await expect.poll(() => heading1(page).textContent()).toBe('Connexion à Essaim');
    expect(await runAxe(page)).toEqual([]);

    const alert = page.locator('.fr-alert--error');
    for (let attempt = 1; attempt <= 5; attempt++) {
      await page.getByLabel('Adresse électronique').fill(rita.email);
      await page.getByLabel('Mot de passe', { exact: true }).fill(`mauvais mot de passe ${attempt}`);
      await page.getByRole('button', { name: 'Se connecter' }).click();
      await expect
        .poll(() => alert.textContent())
        .toContain('Adresse électronique ou mot de passe incorrect.');
      // The focus is on the message, so a screen reader reads it at once.
      await expect
        .poll(() => page.evaluate(() => document.activeElement?.textContent ?? ''))
        .toContain('Connexion impossible');
      if (attempt === 1) await shot(page, 'login.png');
      await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    }
    // The sixth attempt, even with the right password, is refused for a while.
    await page.getByLabel('Mot de passe', { exact: true }).fill(DEFAULT_PASSWORD);
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await expect
      .poll(() => alert.textContent())
      .toContain('Trop de tentatives de connexion. Réessayez dans 15 minutes.');
    expect(page.url()).toBe(`${baseUrl}/connexion`);
  });

  it('shows the fields left empty next to them, without asking the server', async () => {
    const { page } = await open();
    await page.goto(`${baseUrl}/connexion`);
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await expect.poll(() => page.getByText('Indiquez votre adresse électronique.').count()).toBe(1);
    await expect.poll(() => page.getByText('Indiquez votre mot de passe.').count()).toBe(1);
    // The focus goes to the first field to correct.
    await expect
      .poll(() => page.getByLabel('Adresse électronique').evaluate((el) => el === document.activeElement))
      .toBe(true);
  });

  it('sends a person who is not logged in to the login page, then back to the page asked for', async () => {
    const { page } = await open();
    await page.goto(`${baseUrl}/espaces/${espaceId}/personnes`);
    await page.waitForURL(/\/connexion\?retour=/);
    await page.getByLabel('Adresse électronique').fill(anne.email);
    await page.getByLabel('Mot de passe', { exact: true }).fill(DEFAULT_PASSWORD);
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.waitForURL(`${baseUrl}/espaces/${espaceId}/personnes`);
    await expect.poll(() => heading1(page).textContent()).toBe('Personnes et attributions');
    await expect
      .poll(() => page.locator('.essaim-account').first().textContent())
      .toContain('Anne Animatrice');
  });

  it('sends a person who is not logged in from a document to the login page, then back to the document, writable', async () => {
    // The app opens the document's socket as it starts (editor/earlySocket.ts), before it knows
    // nobody is logged in: that socket, without a session, must not be the editor's after the login.
    const doc = await createDocument(admin, espaceId, 'Fiche ouverte avant la connexion');
    const { page, problems } = await open();
    await page.goto(`${baseUrl}/documents/${doc.id}`);
    await page.waitForURL(/\/connexion\?retour=%2Fdocuments%2F/);
    await page.getByLabel('Adresse électronique').fill(anne.email);
    await page.getByLabel('Mot de passe', { exact: true }).fill(DEFAULT_PASSWORD);
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.waitForURL(`${baseUrl}/documents/${doc.id}`);
    await expect.poll(() => editorOf(page).getAttribute('contenteditable')).toBe('true');
    expect(problems.errors).toEqual([]);
  });

  it('closes the socket it opened as it started as soon as the document is refused, missing or archived, so refused pages never use up the account’s sockets', async () => {
    // Twenty refused pages held twenty idle sockets for 15 s each, the account's limit of sockets
    // not yet authenticated: its next document was refused (tester BR44).
    const archived = await createDocument(admin, espaceId, 'Fiche archivée avant la visite');
    expect((await admin.fetch(`/api/documents/${archived.id}/archive`, { method: 'POST' })).status).toBe(200);
    const { page, problems } = await open({ as: anne });
    const sockets: { closed: boolean }[] = [];
    page.on('websocket', (ws) => {
      const socket = { closed: false };
      sockets.push(socket);
      ws.on('close', () => (socket.closed = true));
    });
    for (const address of [`/documents/00000000-0000-4000-8000-000000000000`, `/documents/${archived.id}`]) {
      const before = sockets.length;
      await page.goto(`${baseUrl}${address}`);
      await expect.poll(() => heading1(page).count()).toBe(1);
      // Well within the 15 s it would wait for an editor to take it.
      await expect.poll(() => sockets.slice(before).every((s) => s.closed), { timeout: 5_000 }).toBe(true);
    }
    expect(sockets.length).toBeGreaterThan(0);
    expect(problems.errors.filter((e) => !/404|Failed to load resource/.test(e))).toEqual([]);
  });

  it('asks before logging out with edits not yet sent, then erases the local copies and shows the login page', async () => {
    const rapporteur = await invite(admin, espaceId, 'rapporteur', 'Lucie Locale');
    const doc = await createDocument(rapporteur, espaceId, 'Jardins partagés en foyer');
    const { page, context, problems } = await open({ as: rapporteur });
    await page.goto(`${baseUrl}/documents/${doc.id}`);
    await editorOf(page).click();
    await page.keyboard.type('Copie locale à effacer.');
    const databases = () => page.evaluate(async () => (await indexedDB.databases()).map((d) => d.name ?? ''));
    await expect.poll(databases).toContain(doc.name);
    const badge = page.getByRole('status').filter({ hasText: 'État de la connexion' });
    await expect.poll(() => badge.textContent()).toContain('Enregistré');

    // Typed without network: logging out would lose it, so the person is asked first.
    await context.setOffline(true);
    await page.keyboard.type(' Hors ligne.');
    await page.getByRole('button', { name: 'Se déconnecter' }).first().click();
    const dialog = page.getByRole('dialog', { name: 'Des modifications ne sont pas encore enregistrées' });
    await dialog.waitFor();
    await dialog.getByRole('button', { name: 'Rester connecté' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await context.setOffline(false);
    await expect.poll(() => badge.textContent(), { timeout: 10_000 }).toContain('Enregistré');

    // Everything reached the server: logging out goes straight on.
    await page.getByRole('button', { name: 'Se déconnecter' }).first().click();
    await page.waitForURL(`${baseUrl}/connexion`);
    await expect
      .poll(() => page.locator('.fr-alert--success').textContent())
      .toContain('Vous êtes déconnecté');
    await expect.poll(databases).not.toContain(doc.name);
    expect(await page.evaluate(() => localStorage.getItem('essaim.compte'))).toBeNull();
    const me = await page.evaluate(async () => (await fetch('/api/auth/me')).json());
    expect(me).toMatchObject({ user: null });
    // The document is behind the login page again.
    await page.goto(`${baseUrl}/documents/${doc.id}`);
    await page.waitForURL(/\/connexion\?retour=/);
    // Chromium logs the requests it could not send while offline; nothing else may go wrong.
    expect(problems.errors.filter((e) => !e.includes('ERR_INTERNET_DISCONNECTED'))).toEqual([]);
  });

  it('erases nothing when logging out offline, says why, and logs out once the network is back', async () => {
    const rapporteur = await invite(admin, espaceId, 'rapporteur', 'Olivier Horsligne');
    const doc = await createDocument(rapporteur, espaceId, 'Maraudes en Creuse');
    const { page, context, problems } = await open({ as: rapporteur });
    await page.goto(`${baseUrl}/documents/${doc.id}`);
    await editorOf(page).click();
    await page.keyboard.type('Copie locale gardée.');
    const databases = () => page.evaluate(async () => (await indexedDB.databases()).map((d) => d.name ?? ''));
    await expect.poll(databases).toContain(doc.name);
    const badge = page.getByRole('status').filter({ hasText: 'État de la connexion' });
    await expect.poll(() => badge.textContent()).toContain('Enregistré');

    // Everything is saved, the network is cut: the logout cannot reach the server.
    await context.setOffline(true);
    await page.getByRole('button', { name: 'Se déconnecter' }).first().click();
    await expect
      .poll(() => page.getByText('La déconnexion n’a pas abouti').count(), { timeout: 10_000 })
      .toBeGreaterThan(0);
    expect(page.url()).toBe(`${baseUrl}/documents/${doc.id}`);
    expect(await databases()).toContain(doc.name);
    expect(await page.evaluate(() => localStorage.getItem('essaim.compte'))).not.toBeNull();

    // Back online, the same button logs out for real.
    await context.setOffline(false);
    await expect.poll(() => badge.textContent(), { timeout: 10_000 }).toMatch(/Connecté|Enregistré/);
    await page.getByRole('button', { name: 'Se déconnecter' }).first().click();
    await page.waitForURL(`${baseUrl}/connexion`);
    await expect.poll(databases).not.toContain(doc.name);
    const me = await page.evaluate(async () => (await fetch('/api/auth/me')).json());
    expect(me).toMatchObject({ user: null });
    expect(problems.errors.filter((e) => !e.includes('ERR_INTERNET_DISCONNECTED'))).toEqual([]);
  });

  it('says « Mode démonstration » on the login page of a demonstration instance', async () => {
    const { page } = await open();
    // The flag comes from the server's answer; this instance is not a demonstration, so the
    // answer is adjusted on its way to the page.
    await page.route('**/api/auth/me', async (route) => {
      const response = await route.fetch();
      await route.fulfill({ response, json: { ...(await response.json()), demo: true } });
    });
    await page.goto(`${baseUrl}/connexion`);
    await expect.poll(() => page.locator('.fr-alert--info').textContent()).toContain('Mode démonstration');
  });

  it('tells a person who forgot their password whom to ask when email is not configured', async () => {
    const { page } = await open();
    await page.goto(`${baseUrl}/connexion`);
    await page.getByRole('link', { name: 'Mot de passe oublié ?' }).click();
    await page.waitForURL(`${baseUrl}/mot-de-passe-oublie`);
    await page.getByLabel('Adresse électronique').fill(anne.email);
    await page.getByRole('button', { name: 'Demander un lien' }).click();
    await expect
      .poll(() => page.locator('.fr-alert').textContent())
      .toContain(
        'L’envoi de courriels n’est pas configuré : demandez à l’administrateur un lien de réinitialisation.',
      );
  });
});

describe('invitations', () => {
  it('lets an animateur invite from the people page; the link, accepted in another browser, logs the person in', async () => {
    const animateur = await open({
      as: anne,
      bypassCSP: true,
      permissions: ['clipboard-read', 'clipboard-write'],
    });
    const page = animateur.page;
    await page.goto(`${baseUrl}/espaces/${espaceId}/personnes`);
    await expect.poll(() => heading1(page).textContent()).toBe('Personnes et attributions');
    await page.getByLabel('Adresse électronique de la personne').fill('nina.nouvelle@hcts.example');
    await page.getByLabel('Rôle dans l’espace').selectOption('rapporteur');
    await page.getByRole('button', { name: 'Créer l’invitation' }).click();

    const linkField = page.getByLabel('Lien d’invitation');
    await expect.poll(() => linkField.inputValue()).toMatch(/\/invitation\/[A-Za-z0-9_-]+$/);
    const link = await linkField.inputValue();
    await page.getByRole('button', { name: 'Copier le lien' }).click();
    await expect.poll(() => page.getByText('Lien copié dans le presse-papiers.').count()).toBe(1);
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(link);
    // The pending invitation is listed, and can be revoked.
    await expect
      .poll(() =>
        page.getByRole('table', { name: 'Invitations envoyées et pas encore acceptées' }).textContent(),
      )
      .toContain('nina.nouvelle@hcts.example');
    expect(await runAxe(page)).toEqual([]);
    await shot(page, 'personnes.png');

    // Somebody else, in another browser, with no account yet.
    const nina = await open({ bypassCSP: true });
    await nina.page.goto(link);
    await expect
      .poll(() => heading1(nina.page).textContent())
      .toBe('Rejoindre l’espace « Pratiques émergentes »');
    await expect
      .poll(() => nina.page.locator('main').textContent())
      .toContain('comme Rapporteur ou rapporteuse');
    expect(await runAxe(nina.page)).toEqual([]);
    await shot(nina.page, 'invitation.png');
    await nina.page.getByLabel('Nom et prénom').fill('Nina Nouvelle');
    await nina.page.locator('input[name="password"]').fill('jardin potager et compost');
    await nina.page.getByLabel('Confirmation du mot de passe').fill('jardin potager et compost');
    await nina.page.getByRole('button', { name: 'Accepter l’invitation' }).click();
    await nina.page.waitForURL(`${baseUrl}/espaces/${espaceId}`);
    await expect.poll(() => heading1(nina.page).textContent()).toBe('Pratiques émergentes');
    await expect
      .poll(() => nina.page.locator('.essaim-account').first().textContent())
      .toContain('Nina Nouvelle');
    // A rapporteur may create documents.
    await nina.page.getByRole('link', { name: 'Nouveau document' }).waitFor();

    // The animateur sees the new member after reloading.
    await page.reload();
    await expect
      .poll(() => page.getByRole('table', { name: /Membres de l’espace/ }).textContent())
      .toContain('Nina Nouvelle');
  });

  it('explains in French that an invitation link was already used, has expired or does not exist', async () => {
    const used = await invitationLink('deja.utilisee@hcts.example');
    const accepted = await postJson(baseUrl, `/api/invitations/${used.split('/').pop()}/accept`, {
      name: 'Déjà Utilisée',
      password: DEFAULT_PASSWORD,
    });
    expect(accepted.status).toBe(200);
    const { page } = await open();
    await page.goto(used);
    await expect.poll(() => heading1(page).textContent()).toBe('Cette invitation n’est plus valable');
    await expect
      .poll(() => page.locator('main').textContent())
      .toContain('Cette invitation a déjà été utilisée. Connectez-vous avec votre compte.');

    const late = await invitationLink('trop.tard@hcts.example');
    const db = openDatabase(`${server.dataDir}/essaim.sqlite`, { synchronous: 'NORMAL' });
    db.prepare('UPDATE invitations SET expires_at = 0 WHERE email = ?').run('trop.tard@hcts.example');
    db.close();
    await page.goto(late);
    await expect.poll(() => heading1(page).textContent()).toBe('Cette invitation n’est plus valable');
    await expect
      .poll(() => page.locator('main').textContent())
      .toContain('Cette invitation a expiré. Demandez-en une nouvelle à l’animateur.');

    await page.goto(`${baseUrl}/invitation/lien-inexistant`);
    await expect.poll(() => heading1(page).textContent()).toBe('Invitation introuvable');
  });
  it('asks a person who already has an account to log in, then lets them join and switch espaces', async () => {
    const created = await admin.fetch('/api/espaces', { method: 'POST', json: { name: 'Groupe Bretagne' } });
    expect(created.status).toBe(201);
    const bretagne = (await created.json()) as { id: string };
    const response = await admin.fetch(`/api/espaces/${bretagne.id}/invitations`, {
      method: 'POST',
      json: { email: anne.email, role: 'membre' },
    });
    const { link } = (await response.json()) as { link: string };

    const { page, problems } = await open();
    await page.goto(link);
    await expect.poll(() => heading1(page).textContent()).toBe('Rejoindre l’espace « Groupe Bretagne »');
    await expect.poll(() => page.locator('main').textContent()).toContain('Un compte Essaim existe déjà');
    await page.getByRole('link', { name: 'Se connecter' }).last().click();
    await page.waitForURL(/\/connexion\?retour=%2Finvitation%2F/);
    await page.getByLabel('Adresse électronique').fill(anne.email);
    await page.getByLabel('Mot de passe', { exact: true }).fill(DEFAULT_PASSWORD);
    await page.getByRole('button', { name: 'Se connecter' }).click();
    // Back on the invitation, logged in as the invited account: one click to join.
    await page.waitForURL(link);
    await page.getByRole('button', { name: 'Rejoindre l’espace' }).click();
    await page.waitForURL(`${baseUrl}/espaces/${bretagne.id}`);
    await expect.poll(() => heading1(page).textContent()).toBe('Groupe Bretagne');
    await expect.poll(() => page.locator('main').textContent()).toContain('Votre rôle : Membre');

    // Two espaces now: the header switches from one to the other.
    const switcher = page.getByRole('button', { name: 'Espace : Groupe Bretagne' });
    await switcher.click();
    await page.getByRole('link', { name: 'Pratiques émergentes' }).click();
    await page.waitForURL(`${baseUrl}/espaces/${espaceId}`);
    await expect.poll(() => heading1(page).textContent()).toBe('Pratiques émergentes');
    await page.getByRole('button', { name: 'Espace : Pratiques émergentes' }).waitFor();
    expect(problems.errors).toEqual([]);
  });
});

describe('people page', () => {
  it('shows a membre who is in the espace and who writes what, without the means to change it', async () => {
    const membre = await invite(admin, espaceId, 'membre', 'Mona Membre');
    const { page } = await open({ as: membre });
    await page.goto(`${baseUrl}/espaces/${espaceId}`);
    await expect.poll(() => heading1(page).textContent()).toBe('Pratiques émergentes');
    // A membre reads: no form to create a document.
    expect(await page.getByRole('link', { name: 'Nouveau document' }).count()).toBe(0);
    await page.getByRole('link', { name: 'Personnes', exact: true }).click();
    await expect.poll(() => heading1(page).textContent()).toBe('Personnes et attributions');
    await expect
      .poll(() => page.getByRole('table', { name: /Membres de l’espace/ }).textContent())
      .toContain('Mona Membre (vous)');
    expect(await page.getByRole('combobox').count()).toBe(0);
    expect(await page.getByRole('heading', { name: 'Inviter une personne' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: /Retirer/ }).count()).toBe(0);
  });
});

describe('read-only documents', () => {
  it('shows a membre the document read-only (no typing, no toolbar, a notice) while an assigned rapporteur writes', async () => {
    const membre = await invite(admin, espaceId, 'membre', 'Marc Membre');
    const rapporteur = await invite(admin, espaceId, 'rapporteur', 'Rachid Rapporteur');
    const doc = await createDocument(rapporteur, espaceId, 'Accueil inconditionnel en CHRS');
    const writer = await open({ as: rapporteur });
    const reader = await open({ as: membre });
    for (const { page } of [writer, reader]) {
      await page.goto(`${baseUrl}/documents/${doc.id}`);
      await editorOf(page).waitFor();
    }
    await expect.poll(() => editorOf(writer.page).getAttribute('contenteditable')).toBe('true');
    await editorOf(writer.page).click();
    await writer.page.keyboard.type('Texte du rapporteur.');
    await expect.poll(() => editorOf(reader.page).textContent()).toContain('Texte du rapporteur.');

    await expect.poll(() => editorOf(reader.page).getAttribute('aria-readonly')).toBe('true');
    await expect
      .poll(() => readOnlyNotice(reader.page).textContent())
      .toContain('Vous pouvez lire ce document ; seuls les rapporteurs attribués le modifient.');
    expect(await reader.page.getByRole('toolbar').count()).toBe(0);
    expect(await writer.page.getByRole('toolbar').count()).toBe(1);
    // Typing does nothing: the text stays the rapporteur's, here and for the writer.
    await editorOf(reader.page).click();
    await reader.page.keyboard.type('Ajout interdit');
    await writer.page.keyboard.type(' Suite.');
    await expect.poll(() => editorOf(reader.page).textContent()).toContain('Texte du rapporteur. Suite.');
    expect(await editorOf(reader.page).textContent()).not.toContain('Ajout interdit');
    expect(await editorOf(writer.page).textContent()).not.toContain('Ajout interdit');
    // The presence list shows the accounts' names.
    await expect
      .poll(() =>
        reader.page
          .getByRole('region', { name: /Personnes présentes/ })
          .getByRole('listitem')
          .allTextContents(),
      )
      .toEqual(['Marc Membre (vous)', 'Rachid Rapporteur']);
    await shot(reader.page, 'lecture-seule.png');
    expect(reader.problems.errors).toEqual([]);
  });

  it('turns the editor of a rapporteur unassigned from the people page to read-only at once, and back', async () => {
    const rapporteur = await invite(admin, espaceId, 'rapporteur', 'Rose Rédactrice');
    const doc = await createDocument(anne, espaceId, 'Logement d’abord à Aubenas');
    const assigned = await anne.fetch(`/api/documents/${doc.id}/assignments`, {
      method: 'POST',
      json: { userId: rapporteur.userId },
    });
    expect(assigned.status).toBe(200);

    const writer = await open({ as: rapporteur });
    await writer.page.goto(`${baseUrl}/documents/${doc.id}`);
    await expect.poll(() => editorOf(writer.page).getAttribute('contenteditable')).toBe('true');
    // The document has the template's sections: write in the first one, from the « Sommaire ».
    const firstSection = () =>
      writer.page
        .getByRole('navigation', { name: 'Sommaire' })
        .getByRole('button', { name: 'Identification' });
    await firstSection().click();
    await writer.page.keyboard.type('Avant. ');

    // The animateur withdraws the assignment from the people page.
    const manager = await open({ as: anne });
    await manager.page.goto(`${baseUrl}/espaces/${espaceId}/personnes`);
    await manager.page
      .getByRole('button', {
        name: 'Retirer l’attribution de Rose Rédactrice pour « Logement d’abord à Aubenas »',
      })
      .click();
    await expect
      .poll(() =>
        manager.page
          .getByRole('status')
          .filter({ hasText: 'Rose Rédactrice ne rédige plus « Logement d’abord à Aubenas ».' })
          .count(),
      )
      .toBe(1);

    // The editor's polite live region (the connection badge is the other status on the page).
    const live = writer.page.locator('p.fr-sr-only[role="status"]');
    await expect.poll(() => editorOf(writer.page).getAttribute('aria-readonly')).toBe('true');
    await expect.poll(() => readOnlyNotice(writer.page).count()).toBe(1);
    expect(await writer.page.getByRole('toolbar').count()).toBe(0);
    await expect
      .poll(() => live.textContent())
      .toBe('Vous ne pouvez plus modifier ce document : il est maintenant en lecture seule pour vous.');

    // Assigned again from the same page: writing comes back on the same connection.
    await manager.page.getByLabel('Personne à attribuer à « Logement d’abord à Aubenas »').selectOption({
      label: 'Rose Rédactrice (Rapporteur ou rapporteuse)',
    });
    await manager.page.getByRole('button', { name: 'Attribuer « Logement d’abord à Aubenas »' }).click();
    await expect.poll(() => editorOf(writer.page).getAttribute('contenteditable')).toBe('true');
    await expect.poll(() => live.textContent()).toBe('Vous pouvez maintenant modifier ce document.');
    expect(await readOnlyNotice(writer.page).count()).toBe(0);
    await firstSection().click();
    await writer.page.keyboard.press('End');
    await writer.page.keyboard.type('Après.');
    const badge = writer.page.getByRole('status').filter({ hasText: 'État de la connexion' });
    await expect.poll(() => badge.textContent()).toContain('Enregistré');
    // Somebody opening the document now gets both sentences from the server.
    const fresh = await open({ as: anne });
    await fresh.page.goto(`${baseUrl}/documents/${doc.id}`);
    const freshBadge = fresh.page.getByRole('status').filter({ hasText: 'État de la connexion' });
    await expect.poll(() => freshBadge.textContent(), { timeout: 10_000 }).toContain('Connecté');
    expect(await editorOf(fresh.page).textContent()).toContain('Avant. Après.');
  });

  it('closes the document of a person removed from the espace, and says so', async () => {
    const rapporteur = await invite(admin, espaceId, 'rapporteur', 'Paul Parti');
    const doc = await createDocument(rapporteur, espaceId, 'Fiche de Paul');
    const { page } = await open({ as: rapporteur });
    await page.goto(`${baseUrl}/documents/${doc.id}`);
    await expect.poll(() => editorOf(page).getAttribute('contenteditable')).toBe('true');
    const removed = await anne.fetch(`/api/espaces/${espaceId}/members/${rapporteur.userId}`, {
      method: 'DELETE',
    });
    expect(removed.status).toBe(204);
    await expect.poll(() => heading1(page).textContent()).toBe('Vous n’avez plus accès à ce document');
  });
  it('sends a person whose session ends while a document is open to the login page, then back to it', async () => {
    const rapporteur = await invite(admin, espaceId, 'rapporteur', 'Sam Session');
    const doc = await createDocument(rapporteur, espaceId, 'Fiche de Sam');
    const { page } = await open({ as: rapporteur });
    await page.goto(`${baseUrl}/documents/${doc.id}`);
    await expect.poll(() => editorOf(page).getAttribute('contenteditable')).toBe('true');
    // The session is closed elsewhere (logout from another device, account reset…).
    expect((await rapporteur.fetch('/api/auth/logout', { method: 'POST' })).status).toBe(204);
    await page.waitForURL(/\/connexion\?retour=%2Fdocuments%2F/);
    await expect
      .poll(() => page.locator('.fr-alert--warning').textContent())
      .toContain('Votre session a pris fin');
    await page.getByLabel('Adresse électronique').fill(rapporteur.email);
    await page.getByLabel('Mot de passe', { exact: true }).fill(DEFAULT_PASSWORD);
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.waitForURL(`${baseUrl}/documents/${doc.id}`);
    await expect.poll(() => editorOf(page).getAttribute('contenteditable')).toBe('true');
  });
});

describe('administration', () => {
  it('lists accounts, makes a reset link that works, disables after confirmation and shows the audit log in French', async () => {
    const oscar = await invite(admin, espaceId, 'membre', 'Oscar Oublieux');
    // Wrong passwords enough for Oscar's logins to be limited (« Connexions refusées »), and
    // enough entries for a second page of the log (fifty per page): invitations, each with its
    // creation, acceptance and login.
    for (let i = 0; i < 8; i++)
      await postJson(baseUrl, '/api/auth/login', { email: oscar.email, password: 'pas le bon mot de passe' });
    for (const letter of 'abcdefghijklmnopqrst') await invite(admin, espaceId, 'membre', `Membre ${letter}`);

    const { page } = await open({ as: admin, bypassCSP: true });
    await page.goto(`${baseUrl}/administration`);
    await expect.poll(() => heading1(page).textContent()).toBe('Administration');
    const audit = page.getByRole('table', { name: /Opérations enregistrées/ });
    await expect.poll(() => audit.textContent()).toContain('Connexion');
    expect(await audit.textContent()).toContain('Création d’une invitation');
    expect(await audit.textContent()).not.toContain('Première installation');
    // A reset link for Oscar, to copy and hand over.
    await page
      .getByRole('button', { name: 'Lien de réinitialisation du mot de passe pour Oscar Oublieux' })
      .click();
    const resetField = page.getByLabel('Lien de réinitialisation pour Oscar Oublieux');
    await expect.poll(() => resetField.inputValue()).toMatch(/\/reinitialisation\/[A-Za-z0-9_-]+$/);
    const resetLink = await resetField.inputValue();
    await shot(page, 'administration.png');

    // « Plus anciens » until the beginning of the log, where the first run is.
    const older = page.getByRole('button', { name: 'Plus anciens' });
    while ((await older.count()) > 0) {
      const rows = await audit.getByRole('row').count();
      await older.click();
      await expect.poll(() => audit.getByRole('row').count()).toBeGreaterThan(rows);
    }
    await expect.poll(() => audit.textContent()).toContain('Première installation');
    expect(await audit.textContent()).toContain('Échec de connexion');
    expect(await audit.textContent()).toContain('motif : mot de passe erroné');
    expect(await audit.textContent()).toContain('Connexions refusées (trop de tentatives');
    expect(await runAxe(page)).toEqual([]);

    // Oscar chooses a new password with it, and logs in with it.
    const visitor = await open({ bypassCSP: true });
    await visitor.page.goto(resetLink);
    await expect.poll(() => heading1(visitor.page).textContent()).toBe('Choisir un nouveau mot de passe');
    expect(await runAxe(visitor.page)).toEqual([]);
    await visitor.page.locator('input[name="password"]').fill('nouvelle phrase secrète');
    await visitor.page.getByLabel('Confirmation du mot de passe').fill('nouvelle phrase différente');
    await visitor.page.getByRole('button', { name: 'Enregistrer le mot de passe' }).click();
    await expect
      .poll(() => visitor.page.locator('.fr-password').nth(1).textContent())
      .toContain('Les deux mots de passe ne sont pas identiques.');
    await visitor.page.getByLabel('Confirmation du mot de passe').fill('nouvelle phrase secrète');
    await visitor.page.getByRole('button', { name: 'Enregistrer le mot de passe' }).click();
    await visitor.page.waitForURL(`${baseUrl}/connexion`);
    await expect
      .poll(() => visitor.page.locator('.fr-alert--success').textContent())
      .toContain('Mot de passe modifié');
    await visitor.page.getByLabel('Adresse électronique').fill(oscar.email);
    await visitor.page.getByLabel('Mot de passe', { exact: true }).fill('nouvelle phrase secrète');
    await visitor.page.getByRole('button', { name: 'Se connecter' }).click();
    await visitor.page.waitForURL(`${baseUrl}/espaces/${espaceId}`);
    // The link served once.
    await visitor.page.goto(resetLink);
    await expect.poll(() => heading1(visitor.page).textContent()).toBe('Ce lien n’est plus valable');

    // Disabling asks first, then takes effect.
    await page.getByRole('button', { name: 'Désactiver le compte de Oscar Oublieux' }).click();
    const dialog = page.getByRole('dialog', { name: 'Désactiver un compte' });
    await dialog.waitFor();
    await dialog.getByRole('button', { name: 'Désactiver le compte', exact: true }).click();
    await expect
      .poll(() =>
        page.getByRole('status').filter({ hasText: 'Le compte de Oscar Oublieux est désactivé.' }).count(),
      )
      .toBe(1);
    await expect
      .poll(() =>
        page
          .getByRole('table', { name: /Comptes de l’instance/ })
          .getByRole('row')
          .filter({ hasText: 'Oscar Oublieux' })
          .textContent(),
      )
      .toContain('Désactivé');
    // Oscar's open session ended with it.
    await visitor.page.goto(`${baseUrl}/espaces/${espaceId}`);
    await visitor.page.waitForURL(/\/connexion/);
  });

  it('keeps the administration page for administrators', async () => {
    const { page } = await open({ as: anne });
    await page.goto(`${baseUrl}/administration`);
    await expect.poll(() => heading1(page).textContent()).toBe('Accès réservé');
  });
});
