import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { setupInstance, type Session } from '../../support/accounts.js';
import { startTestServer, type TestServer } from '../../support/server.js';
import { assertClientBuilt, freePort, launchChromium, openPage, type PageProblems } from './chromium.js';

/**
 * The one <style> tag DSFR's colour-scheme code inserts (`:root { color-scheme: light|dark; }`).
 * The server's CSP allows these two hashes; Chromium still reports them, and only them.
 */
export const DSFR_STYLE_HASHES = [
  'sha256-HzhUjVBe6Oi2wcxUM7bmy2Rp9VdLMHYDdYr9MalNmOY=',
  'sha256-xVQ4mcypV0CvOtZpQgVcKpcoNvdUkR9BrwZBrtBbU+w=',
];

/** A page's problems without the DSFR style tag's expected reports. */
export function unexpectedProblems(problems: PageProblems): PageProblems {
  return {
    errors: problems.errors,
    cspViolations: problems.cspViolations.filter((v) => !DSFR_STYLE_HASHES.some((h) => v.includes(h))),
  };
}

/** What a browser test file shares: fields are filled before its first test. */
export interface BrowserApp {
  server: TestServer;
  browser: Browser;
  /** The server's address, which is also its PUBLIC_URL (the origin pages are served from). */
  baseUrl: string;
  /** The first espace, made at first run. */
  espaceId: string;
  /** The first-run administrator, animateur of `espaceId`. */
  admin: Session;
  /** A new browser context and page, closed after the file's tests. */
  open(options?: Parameters<typeof openPage>[1]): ReturnType<typeof openPage>;
}

/**
 * Starts the built client's server (real SQLite, port chosen here so PUBLIC_URL matches) and
 * Chromium before the file's tests, with a first-run administrator; stops all after them.
 */
export function useBrowserApp(env: Record<string, string> = {}): BrowserApp {
  const contexts: BrowserContext[] = [];
  const app = {
    async open(options: Parameters<typeof openPage>[1] = {}) {
      const opened = await openPage(app.browser, options);
      contexts.push(opened.context);
      return opened;
    },
  } as BrowserApp;
  beforeAll(async () => {
    assertClientBuilt();
    const port = await freePort();
    app.baseUrl = `http://127.0.0.1:${port}`;
    app.server = await startTestServer({
      env: { SERVE_CLIENT: 'true', PORT: String(port), PUBLIC_URL: app.baseUrl, ...env },
    });
    app.browser = await launchChromium();
    const { admin, espaceId } = await setupInstance(app.baseUrl);
    app.admin = admin;
    app.espaceId = espaceId;
  });
  afterAll(async () => {
    await Promise.all(contexts.map((c) => c.close().catch(() => undefined)));
    await app.browser?.close();
    await app.server?.stop();
  });
  return app;
}
