import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import type { Express } from 'express';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { staticClient } from '../../server/src/http/staticClient.js';
import { setupInstance } from '../support/accounts.js';
import { repoRoot, startTestServer } from '../support/server.js';
import type { BrowserApp } from './support/app.js';
import {
  allowServiceWorkers,
  artifactsDir,
  assertClientBuilt,
  freePort,
  launchChromium,
  openPage,
} from './support/chromium.js';
import { editorOf, sectionOf, textOf, useTwoRapporteurs } from './support/coWriting.js';

/**
 * Issue 16: a new version of Essaim reaches an open page safely. The server starts on a copy of
 * the built client; a « deployment » then rewrites that copy as a new build would (a new
 * `index.html`, carrying a marker, so a new `sw.js` listing it under a new revision). The browser
 * finds the new `sw.js`, installs it, and the page says « Une nouvelle version d'Essaim est
 * disponible » with « Recharger ». Nothing reloads by itself, not even in a second tab when the
 * person accepts in the first: only the tab where « Recharger » is pressed reloads, on the new
 * version; the other keeps the notice and reloads when its own button is pressed.
 */

const NEW_VERSION_MARK = '<meta name="essaim-version" content="suivante" />';

/** The test's own server: the real one, serving a copy of client/dist it can redeploy. */
function useRedeployableApp(): BrowserApp & { deployNewVersion(label?: string): void } {
  const dist = fs.mkdtempSync(path.join(os.tmpdir(), 'essaim-deploiement-'));
  const app = {
    async open(options: Parameters<typeof openPage>[1] = {}) {
      const opened = await openPage(app.browser, options);
      contexts.push(opened.context);
      return opened;
    },
    /**
     * Writes a new build over the served copy: `index.html` with {@link NEW_VERSION_MARK}, and
     * `sw.js` giving it a new revision, each with its brotli and gzip twins (the server chose
     * its encodings at start).
     */
    deployNewVersion(label = 'suivante') {
      const write = (file: string, content: string) => {
        fs.writeFileSync(path.join(dist, file), content);
        fs.writeFileSync(path.join(dist, `${file}.br`), brotliCompressSync(content));
        fs.writeFileSync(path.join(dist, `${file}.gz`), gzipSync(content));
      };
      const html = fs.readFileSync(path.join(dist, 'index.html'), 'utf8');
      write('index.html', html.replace('<title>', `${NEW_VERSION_MARK.replace('suivante', label)}<title>`));
      const worker = fs.readFileSync(path.join(dist, 'sw.js'), 'utf8');
      const deployed = worker.replace(
        /\{url:"index\.html",revision:"[^"]+"\}/,
        `{url:"index.html",revision:"version-${label}"}`,
      );
      expect(deployed).not.toBe(worker);
      write('sw.js', deployed);
    },
  } as BrowserApp & { deployNewVersion(label?: string): void };
  const contexts: BrowserContext[] = [];
  beforeAll(async () => {
    assertClientBuilt();
    fs.cpSync(path.join(repoRoot, 'client/dist'), dist, { recursive: true });
    const port = await freePort();
    app.baseUrl = `http://127.0.0.1:${port}`;
    app.server = await startTestServer({
      env: { SERVE_CLIENT: 'false', PORT: String(port), PUBLIC_URL: app.baseUrl },
    });
    // The server's Express app (its HTTP request listener) serves the copy after its own routes,
    // as it serves client/dist in production (same headers, CSP included).
    const [express] = app.server.app.httpServer.listeners('request') as Express[];
    express?.use(staticClient(dist));
    app.browser = await launchChromium();
    const { admin, espaceId } = await setupInstance(app.baseUrl);
    app.admin = admin;
    app.espaceId = espaceId;
  });
  afterAll(async () => {
    await Promise.all(contexts.map((c) => c.close().catch(() => undefined)));
    await app.browser?.close();
    await app.server?.stop();
    fs.rmSync(dist, { recursive: true, force: true });
  });
  return app;
}

// This file tests the service worker itself: its pages may register it.
allowServiceWorkers();
const app = useRedeployableApp();
const people = useTwoRapporteurs(app);

async function workerState(page: Page): Promise<{ active: string | null; waiting: string | null }> {
  return page.evaluate(async () => {
    const registration = await navigator.serviceWorker.getRegistration();
    return { active: registration?.active?.state ?? null, waiting: registration?.waiting?.state ?? null };
  });
}

/** Asks the browser to look for a new service worker now (it also does at each navigation). */
async function checkForUpdate(page: Page): Promise<void> {
  await page.evaluate(async () => {
    await (await navigator.serviceWorker.getRegistration())?.update();
  });
}

/** The notice, inside its live region (a box of no height at the window's bottom). */
const notice = (page: Page) =>
  page
    .getByRole('status')
    .filter({ hasText: 'Une nouvelle version d’Essaim est disponible' })
    .locator('.fr-notice');
const reloadButton = (page: Page) => notice(page).getByRole('button', { name: 'Recharger' });
const runsNewVersion = (page: Page) => page.locator('meta[name="essaim-version"]').count();

/** A mark only this load of the page has: gone if the page reloaded. */
const markLoad = (page: Page) =>
  page.evaluate(() => ((window as { essaimLoad?: string }).essaimLoad = 'avant'));
const sameLoad = (page: Page) =>
  page.evaluate(() => (window as { essaimLoad?: string }).essaimLoad ?? 'rechargée');

describe('a new version deployed while Essaim is open', () => {
  it('is offered, waits for « Recharger », reloads only the tab that accepts, and loses no keystroke', async () => {
    const doc = await people.openSharedFiche('Aller-vers dans l’Oise');
    const [bruno] = doc.tabs;
    const page = bruno.page;
    const context = page.context();
    const origin = (p: Page) => sectionOf(p, 'origine').locator('p').first();
    await expect
      .poll(() => workerState(page), { timeout: 30_000 })
      .toEqual({ active: 'activated', waiting: null });
    // A second tab of the same person on the catalogue, also under the worker.
    const other = await context.newPage();
    await other.goto(`${app.baseUrl}/espaces/${app.espaceId}`);
    await expect.poll(() => other.locator('.essaim-results').count()).toBeGreaterThan(0);
    expect(await notice(page).count()).toBe(0);
    await markLoad(page);
    await markLoad(other);

    app.deployNewVersion();
    await checkForUpdate(page);

    // Installed and waiting; both tabs say so, nothing reloaded.
    await expect
      .poll(() => workerState(page), { timeout: 30_000 })
      .toEqual({ active: 'activated', waiting: 'installed' });
    await notice(page).waitFor();
    await notice(other).waitFor();
    expect(await notice(page).textContent()).toContain(
      'Elle s’installe quand vous rechargez la page. Le texte des documents est conservé',
    );
    // Seen wherever the person has scrolled: over the bottom of the window.
    await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
    const box = await notice(page).boundingBox();
    const height = await page.evaluate(() => window.innerHeight);
    expect(box && box.y >= 0 && box.y + box.height <= height).toBe(true);

    fs.mkdirSync(artifactsDir, { recursive: true });
    await page.screenshot({ path: path.join(artifactsDir, 'app-update-notice.png') });

    // Typing goes on under the notice, in the same page, on the old version.
    await origin(page).click();
    await page.keyboard.type('Écrit avant la mise à jour.');
    await expect.poll(() => textOf(origin(page))).toBe('Écrit avant la mise à jour.');
    // The caret stays above the notice (scrollMargin.ts keeps it out from under it).
    const noticeTop = (await notice(page).boundingBox())?.y ?? 0;
    const caretBottom = await page.evaluate(
      () => window.getSelection()?.getRangeAt(0).getBoundingClientRect().bottom ?? Infinity,
    );
    expect(caretBottom).toBeLessThanOrEqual(noticeTop);
    expect(await sameLoad(page)).toBe('avant');
    expect(await runsNewVersion(page)).toBe(0);
    expect(await workerState(page)).toEqual({ active: 'activated', waiting: 'installed' });

    // « Recharger » from the keyboard: the new worker takes over, this tab reloads on it.
    await reloadButton(page).focus();
    const reloaded = page.waitForEvent('load');
    await page.keyboard.press('Enter');
    await reloaded;
    await expect.poll(() => runsNewVersion(page)).toBe(1);
    expect(await sameLoad(page)).toBe('rechargée');
    await editorOf(page).waitFor();
    await expect.poll(() => textOf(origin(page))).toBe('Écrit avant la mise à jour.');
    await expect.poll(() => workerState(page)).toEqual({ active: 'activated', waiting: null });
    expect(await notice(page).count()).toBe(0);

    // The other tab was taken by the new worker but not reloaded: it still offers the reload.
    expect(await sameLoad(other)).toBe('avant');
    expect(await runsNewVersion(other)).toBe(0);
    await notice(other).waitFor();
    const otherReloaded = other.waitForEvent('load');
    await reloadButton(other).click();
    await otherReloaded;
    await expect.poll(() => runsNewVersion(other)).toBe(1);
    expect(await sameLoad(other)).toBe('rechargée');

    expect(bruno.problems.errors).toEqual([]);
  });

  it('shows nothing when the deployed version is the one running', async () => {
    const { page, problems } = await app.open({ as: people.chloe });
    await page.goto(`${app.baseUrl}/espaces/${app.espaceId}`);
    await expect
      .poll(() => workerState(page), { timeout: 30_000 })
      .toEqual({ active: 'activated', waiting: null });
    await checkForUpdate(page);
    await page.reload();
    await expect.poll(() => page.locator('.essaim-results').count()).toBeGreaterThan(0);
    await checkForUpdate(page);
    expect(await workerState(page)).toEqual({ active: 'activated', waiting: null });
    expect(await notice(page).count()).toBe(0);
    expect(problems.errors).toEqual([]);
  });

  it('is noticed when the person moves to another page of the app, without any reload or move, and put away with « Plus tard »', async () => {
    const { page, problems } = await app.open({ as: people.chloe, viewport: { width: 390, height: 844 } });
    await page.goto(`${app.baseUrl}/espaces/${app.espaceId}`);
    await expect
      .poll(() => workerState(page), { timeout: 30_000 })
      .toEqual({ active: 'activated', waiting: null });
    await expect.poll(() => page.locator('.essaim-results a').count()).toBeGreaterThan(0);
    await markLoad(page);

    app.deployNewVersion('troisieme');
    // A move inside the app is no navigation for the browser, which checks nothing by itself.
    await page.locator('.essaim-results a').first().click();
    await expect.poll(() => new URL(page.url()).pathname).toMatch(/^\/documents\//);
    await editorOf(page).waitFor();
    // The layout shifts from here on: the notice comes over the window's bottom, moving nothing
    // (its live region growing from the bottom was a shift of 0.06 on a phone, tester BR40 M3).
    await page.evaluate(() => {
      const seen: number[] = [];
      Object.assign(window, { shiftsAfterOpening: seen });
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries() as (PerformanceEntry & { value: number })[])
          seen.push(entry.value);
      }).observe({ type: 'layout-shift' });
    });
    await notice(page).waitFor({ timeout: 30_000 });
    await page.evaluate(() => new Promise((frame) => requestAnimationFrame(frame)));
    const shifts = await page.evaluate(
      () => (window as unknown as { shiftsAfterOpening: number[] }).shiftsAfterOpening,
    );
    expect(shifts.filter((value) => value > 0.001)).toEqual([]);
    expect(await sameLoad(page)).toBe('avant');
    expect(await workerState(page)).toEqual({ active: 'activated', waiting: 'installed' });

    // « Plus tard »: the notice goes, nothing reloads; the next load installs the new version.
    await notice(page).getByRole('button', { name: 'Plus tard' }).click();
    await expect.poll(() => notice(page).count()).toBe(0);
    // The live region stays in the page, for the next announcement.
    expect(await page.locator('.essaim-app-update[role="status"]').count()).toBe(1);
    expect(await sameLoad(page)).toBe('avant');
    expect(problems.errors).toEqual([]);
  });
});
