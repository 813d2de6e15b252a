import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import {
  chromium,
  type Browser,
  type BrowserContext,
  type BrowserContextOptions,
  type Page,
} from 'playwright-core';
import type { Session } from '../../support/accounts.js';
import { repoRoot } from '../../support/server.js';

/** Where screenshots go (gitignored); look at them, they are what people see. */
export const artifactsDir = path.join(repoRoot, 'tests/artifacts');

/**
 * Debian's Chromium, headless. The background-networking flags matter on this closed network:
 * without them Chromium floods it with refused connections.
 */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/**
 * A free TCP port on 127.0.0.1. The server's allowed websocket origins are computed from
 * PUBLIC_URL before it listens, so the port must be known first (PORT=0 would not do).
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

/** Fails early with a clear message when the client was not built. */
export function assertClientBuilt(): void {
  const index = path.join(repoRoot, 'client/dist/index.html');
  if (!fs.existsSync(index)) {
    throw new Error(
      'client/dist/index.html manque : lancez « npm run build -w @essaim/client » avant les tests navigateur.',
    );
  }
}

/** What went wrong in a page: console errors, uncaught exceptions, CSP refusals. */
export interface PageProblems {
  errors: string[];
  cspViolations: string[];
}

let serviceWorkers: 'allow' | 'block' = 'block';

/**
 * Lets the pages of this test file register the app's service worker. It is blocked by default:
 * a registered worker downloads the whole app shell (about 180 files) in the background of every
 * new context, which only the offline and update tests need, and which slows the others' timing
 * on a loaded machine. (Each test file has its own copy of this module.)
 */
export function allowServiceWorkers(): void {
  serviceWorkers = 'allow';
}

/** A page whose errors and CSP violations are recorded, so tests can assert there are none. */
export async function openPage(
  browser: Browser,
  options: BrowserContextOptions & {
    /** Opens the page logged in as this person (their session cookie, as after a login). */
    as?: Session;
  } = {},
): Promise<{ context: BrowserContext; page: Page; problems: PageProblems }> {
  const { as, ...contextOptions } = options;
  const context = await browser.newContext({
    locale: 'fr-FR',
    viewport: { width: 1280, height: 900 },
    serviceWorkers,
    ...contextOptions,
  });
  if (as) await context.addCookies([sessionCookie(as)]);
  const page = await context.newPage();
  const problems: PageProblems = { errors: [], cspViolations: [] };
  page.on('console', (message) => {
    const text = message.text();
    if (/Content Security Policy/i.test(text)) problems.cspViolations.push(text);
    else if (message.type() === 'error') problems.errors.push(text);
  });
  page.on('pageerror', (error) => problems.errors.push(`${error.name}: ${error.message}`));
  return { context, page, problems };
}

/** The HttpOnly session cookie of a person logged in through the API, for a browser context. */
export function sessionCookie(session: Session): { name: string; value: string; url: string } {
  const separator = session.cookie.indexOf('=');
  return {
    name: session.cookie.slice(0, separator),
    value: session.cookie.slice(separator + 1),
    url: session.baseUrl,
  };
}

/** `sha256-...` sources Chromium suggests in its CSP violation messages. */
export function suggestedHashes(violations: string[]): string[] {
  const hashes = violations.flatMap((v) =>
    [...v.matchAll(/'(sha256-[A-Za-z0-9+/=]+)'/g)].map((m) => m[1] as string),
  );
  return [...new Set(hashes)];
}
