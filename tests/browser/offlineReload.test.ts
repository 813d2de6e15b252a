import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { ReviewedDocumentSectionsDto } from '@essaim/protocol';
import { createDocument, invite } from '../support/accounts.js';
import { useBrowserApp } from './support/app.js';
import { allowServiceWorkers, artifactsDir } from './support/chromium.js';
import { editorOf, localCopy, sectionOf, textOf, useTwoRapporteurs } from './support/coWriting.js';
import { panelOf, threadsOf } from './support/comments.js';
import { createThread } from '../support/comments.js';

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

/**
 * The answer saved under `key` in the custom store of the document's y-indexeddb database (see
 * client/src/shared/savedAnswers.ts), or null.
 */
function savedAnswer(page: Page, documentName: string, key: string): Promise<unknown> {
  return page.evaluate(
    async ({ name, key }) => {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const request = indexedDB.open(name);
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error ?? new Error('IndexedDB'));
      });
      try {
        if (!db.objectStoreNames.contains('custom')) return null;
        return await new Promise<unknown>((resolve, reject) => {
          const request = db.transaction('custom').objectStore('custom').get(key);
          request.onsuccess = () => resolve(request.result ?? null);
          request.onerror = () => reject(request.error ?? new Error('IndexedDB'));
        });
      } finally {
        db.close();
      }
    },
    { name: documentName, key },
  );
}

/** The badges and decision lines of a section's review header, as one line of text. */
const reviewStatusOf = (page: Page, key: string): Promise<string> =>
  sectionOf(page, key)
    .locator('.essaim-review__status')
    .evaluate((element) =>
      Array.from(element.children)
        .map((child) => (child.textContent ?? '').replace(/\s+/g, ' ').trim())
        .join(' '),
    );

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
    // « Hors ligne » when the browser knows it has no network, « Serveur injoignable » when it
    // believes it has one (Chromium's emulated offline, after a reload, leaves navigator.onLine true).
    const browserOnline = await bruno.page.evaluate(() => navigator.onLine);
    const words = browserOnline ? 'Serveur injoignable' : 'Hors ligne';
    await expect
      .poll(() => connectionBadge(bruno.page).textContent())
      .toContain(`${words} — vos modifications sont conservées`);
    await expect.poll(() => editorOf(bruno.page).getAttribute('contenteditable')).toBe('true');
    // The notice above the text says the same as the badge.
    const offlineNotice = bruno.page.getByText(
      `${browserOnline ? 'Le serveur est injoignable' : 'Vous êtes hors ligne'} : vous travaillez sur la copie`,
    );
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

  it('tells a membre, who reads, that they read this browser’s copy, without promising that changes are kept', async () => {
    const doc = await createDocument(app.admin, app.espaceId, 'Lue hors ligne', 'fiche');
    const membre = await invite(app.admin, app.espaceId, 'membre', 'Marc Membre');
    const { page, context, problems } = await app.open({ as: membre });
    await page.goto(`${app.baseUrl}/documents/${doc.id}`);
    await editorOf(page).waitFor();
    await expect.poll(() => connectionBadge(page).textContent()).toContain('Connecté');
    await shellCached(page);
    await expect.poll(async () => (await localCopy(page, doc.name)).textContent).not.toBe('');

    await context.setOffline(true);
    await page.reload();
    await editorOf(page).waitFor();
    const browserOnline = await page.evaluate(() => navigator.onLine);
    await expect
      .poll(() => connectionBadge(page).textContent())
      .toContain(browserOnline ? 'Serveur injoignable' : 'Hors ligne');
    expect(await connectionBadge(page).textContent()).not.toContain('conservées');
    const notice = page.getByText(
      `${browserOnline ? 'Le serveur est injoignable' : 'Vous êtes hors ligne'} : vous consultez la copie enregistrée dans ce navigateur.`,
    );
    await expect.poll(() => notice.count()).toBe(1);
    expect(await page.getByText('Vos modifications seront envoyées').count()).toBe(0);
    expect(realErrors(problems.errors)).toEqual([]);
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
    // In the badge's words: Chromium's emulated offline leaves navigator.onLine true after a reload.
    const unreachable = (await page.evaluate(() => navigator.onLine))
      ? 'Le serveur est injoignable.'
      : 'Vous êtes hors ligne.';
    await expect
      .poll(() => page.locator('main').textContent())
      .toContain(`${unreachable} Vérifiez votre connexion puis réessayez.`);
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

  it('lists the comment threads saved with the local copy, marked so and with nothing to send, and the server’s list replaces them on reconnection', async () => {
    const doc = await createDocument(app.admin, app.espaceId, 'Commentaires hors ligne', 'fiche');
    await people.assignBoth(doc.id);
    const { sections } = (await (
      await app.admin.fetch(`/api/documents/${doc.id}/sections`)
    ).json()) as ReviewedDocumentSectionsDto;
    const origine = sections.find((s) => s.key === 'origine');
    if (!origine) throw new Error('section « origine » absente');
    await createThread(people.chloe, doc.id, { sectionId: origine.id, body: 'Quelle année, exactement ?' });

    const { page, context, problems } = await app.open({ as: people.bruno });
    await page.goto(`${app.baseUrl}/documents/${doc.id}`);
    await expect.poll(() => editorOf(page).getAttribute('contenteditable')).toBe('true');
    await expect.poll(() => threadsOf(page).count()).toBe(1);
    const key = `essaim.reponse.threads.${people.bruno.userId}`;
    await expect
      .poll(async () => JSON.stringify(await savedAnswer(page, doc.name, key)))
      .toContain('Quelle année, exactement ?');
    await shellCached(page);

    await context.setOffline(true);
    await page.reload();
    await editorOf(page).waitFor();
    const savedNotice = panelOf(page).getByText('voici les commentaires enregistrés sur cet appareil');
    await expect.poll(() => savedNotice.count()).toBe(1);
    expect(await threadsOf(page).count()).toBe(1);
    expect(await panelOf(page).getByText('1 ouvert, 0 résolu').count()).toBe(1);
    expect(await panelOf(page).getByText('n’ont pas pu être chargés').count()).toBe(0);
    // Opened, its message is there; nothing is offered that could not be sent: no reply field,
    // no « Résoudre », no « Modifier ».
    await threadsOf(page).first().getByRole('button').first().click();
    await panelOf(page).getByText('Quelle année, exactement ?').waitFor();
    expect(await panelOf(page).getByRole('textbox').count()).toBe(0);
    expect(
      await panelOf(page)
        .getByRole('button', { name: /^(Résoudre|Modifier|Supprimer)/ })
        .count(),
    ).toBe(0);
    await page.screenshot({ path: path.join(artifactsDir, 'offline-saved-threads.png') });

    // Back online: the server's list, with the reply field, and the notice goes.
    await createThread(people.chloe, doc.id, { sectionId: origine.id, body: 'Et qui finance ?' });
    await context.setOffline(false);
    await expect.poll(() => savedNotice.count(), { timeout: 20_000 }).toBe(0);
    await expect.poll(() => threadsOf(page).count()).toBe(2);
    await expect
      .poll(() =>
        panelOf(page)
          .getByRole('textbox', { name: /Votre réponse/ })
          .count(),
      )
      .toBe(1);
    expect(realErrors(problems.errors)).toEqual([]);
  });

  const screens = [
    { on: 'on a computer', device: 'ordinateur', options: {} },
    {
      on: 'on a phone',
      device: 'téléphone',
      options: {
        viewport: { width: 390, height: 844 },
        isMobile: true,
        hasTouch: true,
        deviceScaleFactor: 2,
      },
    },
  ];
  it.each(screens)(
    'draws the review headers saved with the local copy, marked so, and the text does not move when the server’s come back, $on',
    async ({ device, options }) => {
      const doc = await createDocument(app.admin, app.espaceId, `Relecture hors ligne (${device})`, 'fiche');
      await people.assignBoth(doc.id);
      const { page, context, problems } = await app.open({ as: people.bruno, ...options });
      await page.goto(`${app.baseUrl}/documents/${doc.id}`);
      await expect.poll(() => editorOf(page).getAttribute('contenteditable')).toBe('true');
      const origin = sectionOf(page, 'origine').locator('.essaim-section__content p').first();
      await origin.click();
      await page.keyboard.type('Une première réunion a eu lieu en 2019.');
      await expect.poll(() => connectionBadge(page).textContent()).toContain('Enregistré');

      // The animateur approves the origin: the rapporteur sees it arrive, and the answer is saved
      // with the document's local copy, for this account.
      await expect
        .poll(async () => {
          const body = (await (
            await app.admin.fetch(`/api/documents/${doc.id}/sections`)
          ).json()) as ReviewedDocumentSectionsDto;
          return body.sections.find((s) => s.key === 'origine')?.characters ?? 0;
        })
        .toBeGreaterThan(0);
      const { sections } = (await (
        await app.admin.fetch(`/api/documents/${doc.id}/sections`)
      ).json()) as ReviewedDocumentSectionsDto;
      const origine = sections.find((s) => s.key === 'origine');
      if (!origine) throw new Error('section « origine » absente');
      const approved = await app.admin.fetch(`/api/documents/${doc.id}/sections/${origine.id}/review`, {
        method: 'POST',
        json: { action: 'approve', hash: origine.hash },
      });
      expect(approved.status, await approved.clone().text()).toBe(200);
      await expect.poll(() => reviewStatusOf(page, 'origine')).toMatch(/^Approuvée Approuvée par /);
      const serverStatus = await reviewStatusOf(page, 'origine');
      const key = `essaim.reponse.sections.${people.bruno.userId}`;
      await expect
        .poll(async () => JSON.stringify(await savedAnswer(page, doc.name, key)))
        .toContain('"approuvee"');
      expect(await savedAnswer(page, doc.name, `essaim.reponse.sections.${people.chloe.userId}`)).toBeNull();
      await expect
        .poll(async () => (await localCopy(page, doc.name)).textContent)
        .toContain('Une première réunion');
      await shellCached(page);

      // Offline, a reload draws the text with its review header and the document's bar, both from
      // this device's saved answer, marked as such.
      await context.setOffline(true);
      await page.reload();
      await editorOf(page).waitFor();
      await expect.poll(() => textOf(origin)).toBe('Une première réunion a eu lieu en 2019.');
      await expect.poll(() => page.locator('.essaim-doc-body--waiting').count()).toBe(0);
      const savedMark = page.getByText('État enregistré sur cet appareil', { exact: true });
      await expect.poll(() => savedMark.count()).toBe(1);
      expect(await reviewStatusOf(page, 'origine')).toBe(
        serverStatus.replace(/^Approuvée/, 'Approuvée (état enregistré sur cet appareil)'),
      );
      expect(await page.getByText('L’état de la relecture n’a pas pu être chargé.').count()).toBe(0);
      fs.mkdirSync(artifactsDir, { recursive: true });
      await page.evaluate(() => window.scrollTo(0, 0));
      await page.screenshot({
        path: path.join(artifactsDir, `offline-saved-review-${device}.png`),
      });

      // Back online: the server's answer replaces the saved one, in the same places.
      const firstParagraph = editorOf(page).locator('p').first();
      const topOf = () => firstParagraph.evaluate((p) => p.getBoundingClientRect().top);
      const before = await topOf();
      await page.evaluate(() => {
        const shifts: number[] = [];
        // The badge's state when the notice first says the connection is back.
        const badgeAtNotice: string[] = [];
        Object.assign(window, { shiftsAfterReconnection: shifts, badgeAtNotice });
        new MutationObserver(() => {
          if (badgeAtNotice.length === 0 && document.body.textContent?.includes('Connexion rétablie'))
            badgeAtNotice.push(
              document.querySelector('.essaim-connection')?.getAttribute('data-state') ?? '',
            );
        }).observe(document.body, { subtree: true, childList: true, characterData: true });
        new PerformanceObserver((list) => {
          for (const entry of list.getEntries() as (PerformanceEntry & { value: number })[])
            shifts.push(entry.value);
        }).observe({ type: 'layout-shift' });
      });
      await context.setOffline(false);
      await expect.poll(() => connectionBadge(page).textContent(), { timeout: 20_000 }).toContain('Connecté');
      await expect.poll(() => savedMark.count(), { timeout: 20_000 }).toBe(0);
      await expect.poll(() => reviewStatusOf(page, 'origine')).toBe(serverStatus);
      await expect
        .poll(() => page.getByText('Connexion rétablie', { exact: false }).count(), { timeout: 20_000 })
        .toBe(1);
      const shifts = await page.evaluate(
        () => (window as unknown as { shiftsAfterReconnection: number[] }).shiftsAfterReconnection,
      );
      // Said once the badge says it too, not while it still says « Serveur injoignable » (tester
      // BR43 F2: 3–5 s apart).
      expect(
        await page.evaluate(() => (window as unknown as { badgeAtNotice: string[] }).badgeAtNotice),
      ).toEqual(['connected']);
      expect(await topOf()).toBe(before);
      expect(shifts.reduce((sum, value) => sum + value, 0)).toBeLessThan(0.05);
      expect(realErrors(problems.errors)).toEqual([]);
    },
  );
});
