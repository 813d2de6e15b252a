import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { useBrowserApp } from './support/app.js';
import { allowServiceWorkers } from './support/chromium.js';
import { editorOf, localCopy, sectionOf, textOf, useTwoRapporteurs } from './support/coWriting.js';

/**
 * Issue 16, « an app that opens offline »: once the app has been opened, its shell is kept by a
 * service worker (client/vite.config.ts), so a reload without network opens the app and the local
 * copy of a document (y-indexeddb) instead of the browser's error page; what is typed then
 * reaches the others on reconnection. The worker never answers an API call, a file or a portal
 * page: offline, those fail as they would without it, and the pages say so in French.
 */

// This file tests the service worker itself: its pages may register it.
allowServiceWorkers();
const app = useBrowserApp();
const people = useTwoRapporteurs(app);

/**
 * Waits until the page's service worker is active (its precache of the shell is complete), and
 * checks it covers the whole app (scope `/`).
 */
async function shellCached(page: Page): Promise<void> {
  await expect
    .poll(
      () =>
        page.evaluate(async () => {
          const registration = await navigator.serviceWorker.getRegistration();
          // The installing worker is shown too, to tell a slow precache from a failed one.
          return {
            state: registration?.active?.state ?? `installation : ${registration?.installing?.state}`,
            scope: registration?.scope,
          };
        }),
      { timeout: 30_000 },
    )
    .toEqual({ state: 'activated', scope: `${app.baseUrl}/` });
}

/** Every address held in the page's Cache Storage (the worker's precache), as paths. */
function cachedPaths(page: Page): Promise<string[]> {
  return page.evaluate(async () => {
    const paths: string[] = [];
    for (const name of await caches.keys()) {
      const cache = await caches.open(name);
      for (const request of await cache.keys()) paths.push(new URL(request.url).pathname);
    }
    return paths;
  });
}

const connectionBadge = (page: Page) => page.getByRole('status').filter({ hasText: 'État de la connexion' });

/** Chromium logs the requests it could not send while offline; nothing else may go wrong. */
const realErrors = (errors: string[]) =>
  errors.filter((e) => !/ERR_INTERNET_DISCONNECTED|Failed to load resource|WebSocket/.test(e));

describe('a reload without network', () => {
  it('opens the local copy of the document, keeps what is typed offline and delivers it on reconnection', async () => {
    const doc = await people.openSharedFiche('Conférences familiales hors ligne');
    const [bruno, chloe] = doc.tabs;
    const origin = (page: Page) => sectionOf(page, 'origine').locator('p').first();

    await origin(bruno.page).click();
    await bruno.page.keyboard.type('Écrit en ligne.');
    await expect.poll(() => textOf(origin(chloe.page))).toBe('Écrit en ligne.');
    await expect.poll(() => connectionBadge(bruno.page).textContent()).toContain('Enregistré');
    await shellCached(bruno.page);
    // « Enregistré » is the server's word; the local copy is written on its own (see localCopy).
    await expect
      .poll(async () => (await localCopy(bruno.page, doc.name)).textContent)
      .toContain('Écrit en ligne.');

    await bruno.page.context().setOffline(true);
    // Without the worker, this reload would be Chromium's « No internet » page.
    await bruno.page.reload();
    await editorOf(bruno.page).waitFor();
    await expect.poll(() => textOf(origin(bruno.page))).toBe('Écrit en ligne.');
    await expect
      .poll(() => connectionBadge(bruno.page).textContent())
      .toContain('Hors ligne — vos modifications sont conservées');
    await expect.poll(() => editorOf(bruno.page).getAttribute('contenteditable')).toBe('true');
    const offlineNotice = bruno.page.getByText('Le serveur est injoignable : vous travaillez sur la copie');
    expect(await offlineNotice.count()).toBe(1);

    await origin(bruno.page).click();
    await bruno.page.keyboard.press('End');
    await bruno.page.keyboard.type(' Écrit hors ligne.');
    await expect.poll(() => textOf(origin(bruno.page))).toBe('Écrit en ligne. Écrit hors ligne.');
    // Still offline: Chloé cannot have it yet.
    expect(await textOf(origin(chloe.page))).toBe('Écrit en ligne.');

    await bruno.page.context().setOffline(false);
    await expect
      .poll(() => textOf(origin(chloe.page)), { timeout: 20_000 })
      .toBe('Écrit en ligne. Écrit hors ligne.');
    await expect
      .poll(() => connectionBadge(bruno.page).textContent(), { timeout: 20_000 })
      .toContain('Enregistré');
    // The notice says what is true: the server answers again (it stayed 8 s after « Enregistré »).
    await expect.poll(() => offlineNotice.count(), { timeout: 5_000 }).toBe(0);
    // So do the parts that failed for the network while offline (tester BR31: the publications'
    // « n’ont pas pu être chargées » stayed, with « Réessayer »).
    await expect
      .poll(() => bruno.page.getByText('n’ont pas pu être chargées').count(), { timeout: 5_000 })
      .toBe(0);

    // A third browser, never offline, reads it from the server.
    const { page: later } = await app.open({ as: people.chloe });
    await later.goto(`${app.baseUrl}/documents/${doc.id}`);
    await expect.poll(() => textOf(origin(later))).toBe('Écrit en ligne. Écrit hors ligne.');

    expect(realErrors(bruno.problems.errors)).toEqual([]);
    expect(chloe.problems.errors).toEqual([]);
  });

  it('shows the espace’s French message, never a cached answer, and leaves the API and the portal to the network', async () => {
    const { page, context, problems } = await app.open({ as: people.bruno });
    await page.goto(`${app.baseUrl}/espaces/${app.espaceId}`);
    await page.getByRole('heading', { level: 1 }).first().waitFor();
    await expect.poll(() => page.locator('.essaim-results').count()).toBeGreaterThan(0);
    await shellCached(page);
    // The catalogue's answers went through the page, and none of them was kept.
    const cached = await cachedPaths(page);
    expect(cached).toContain('/index.html');
    expect(cached.filter((p) => /^\/(api|collab|pratiques)(\/|$)/.test(p))).toEqual([]);

    await context.setOffline(true);
    await page.reload();
    // The person stays logged in (the account remembered by this browser), and the espace's page
    // says, in French, why it cannot be shown, with a way to try again.
    await page.getByRole('heading', { level: 1, name: 'Une erreur est survenue' }).waitFor();
    await expect
      .poll(() => page.locator('main').textContent())
      .toContain('Le serveur est injoignable. Vérifiez votre connexion puis réessayez.');
    await expect.poll(() => page.getByRole('button', { name: 'Réessayer' }).count()).toBe(1);
    expect(page.url()).toBe(`${app.baseUrl}/espaces/${app.espaceId}`);
    await expect.poll(() => page.getByRole('button', { name: 'Se déconnecter' }).count()).toBeGreaterThan(0);

    // An API call is not answered by the worker: it fails as the network does.
    const api = await page.evaluate(async () => {
      try {
        const response = await fetch('/api/documents?espace=x');
        return `réponse ${response.status}`;
      } catch (error) {
        return error instanceof TypeError ? 'échec réseau' : String(error);
      }
    });
    expect(api).toBe('échec réseau');
    // Nor is the public portal, rendered by the server: the browser's own offline error.
    await expect(page.goto(`${app.baseUrl}/pratiques/`)).rejects.toThrow(/ERR_INTERNET_DISCONNECTED/);

    await context.setOffline(false);
    await page.goto(`${app.baseUrl}/espaces/${app.espaceId}`);
    await expect.poll(() => page.locator('.essaim-results').count()).toBeGreaterThan(0);
    expect(realErrors(problems.errors)).toEqual([]);
  });
});
