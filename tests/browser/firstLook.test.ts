import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { createDocument } from '../support/accounts.js';
import { unexpectedProblems, useBrowserApp } from './support/app.js';
import { artifactsDir } from './support/chromium.js';

/**
 * The first look of each page once the DSFR stylesheet is trimmed to the components the app uses
 * (issue 16, `only-include-used-components` in client/package.json's `prebuild`): every DSFR class
 * a drawn page carries and the whole DSFR styles still has its rules, components the app never
 * draws are not downloaded, the text uses Marianne in only the weights a page draws, and the API
 * answers preloaded with the page (server/src/http/staticClientPreload.ts) are not asked twice.
 * Screenshots in tests/artifacts/firstLook-*.png, to compare by eye with the untrimmed build.
 */

const app = useBrowserApp();
let documentId: string;

beforeAll(async () => {
  documentId = (await createDocument(app.admin, app.espaceId, 'Conférences familiales en Ardèche')).id;
});

/**
 * Class names the whole DSFR 1.14 styles (`@gouvfr/dsfr`, the same version react-dsfr copies to
 * client/public/dsfr; the portal uses it untrimmed), read from its full stylesheet.
 */
const fullDsfrClasses: ReadonlySet<string> = (() => {
  const require = createRequire(import.meta.url);
  const dist = path.join(path.dirname(require.resolve('@gouvfr/dsfr/package.json')), 'dist');
  const css = fs.readFileSync(path.join(dist, 'dsfr.min.css'), 'utf8');
  return new Set([...css.matchAll(/\.(fr-[\w-]+)/g)].map((m) => m[1] as string));
})();

/**
 * DSFR components no page of the app draws: their rules must not be downloaded. (Pagination,
 * summary and callout are: react-dsfr's scan also reads the portal's pages in @essaim/server.)
 */
const UNUSED_COMPONENTS = [
  'fr-stepper',
  'fr-sidemenu',
  'fr-quote',
  'fr-range',
  'fr-tabs',
  'fr-highlight',
  'fr-follow',
  'fr-consent-banner',
  'fr-connect',
  'fr-tooltip',
  'fr-download',
];

/** What the page downloaded and drew, read in the page. */
interface Look {
  /** `fr-*` classes carried by elements of the page. */
  domClasses: string[];
  /** `fr-*` classes named by a selector of a stylesheet the page loaded. */
  styledClasses: string[];
  /** Marianne and Spectral faces the page loaded (`family weight style`). */
  loadedFaces: string[];
  /** Resources the page loaded: path and query, and how it was asked (`link`, `fetch`, `script`…). */
  resources: { path: string; initiator: string }[];
}

async function lookAt(page: Page): Promise<Look> {
  // Icons (CSS masks) and late answers drawn, so the screenshot compares with another.
  await page.waitForLoadState('networkidle');
  await page.evaluate(() => document.fonts.ready);
  return page.evaluate(() => {
    const fr = /\.(fr-[\w-]+)/g;
    const domClasses = new Set<string>();
    for (const element of document.querySelectorAll('[class]'))
      for (const name of element.classList) if (name.startsWith('fr-')) domClasses.add(name);
    const styledClasses = new Set<string>();
    const visit = (rules: CSSRuleList): void => {
      for (const rule of rules) {
        if (rule instanceof CSSStyleRule)
          for (const match of rule.selectorText.matchAll(fr)) styledClasses.add(match[1] as string);
        if ('cssRules' in rule) visit((rule as CSSGroupingRule).cssRules);
      }
    };
    for (const sheet of document.styleSheets) visit(sheet.cssRules);
    const loadedFaces = [...document.fonts]
      .filter((face) => face.status === 'loaded')
      .map((face) => `${face.family} ${face.weight} ${face.style}`);
    const resources = performance
      .getEntriesByType('resource')
      .map((entry) => entry as PerformanceResourceTiming)
      .map((entry) => {
        const url = new URL(entry.name);
        return { path: url.pathname + url.search, initiator: entry.initiatorType };
      });
    return { domClasses: [...domClasses], styledClasses: [...styledClasses], loadedFaces, resources };
  });
}

const PAGES = [
  {
    name: 'connexion',
    url: () => `${app.baseUrl}/connexion`,
    loggedIn: false,
    ready: (page: Page) => page.getByRole('button', { name: 'Se connecter' }).waitFor(),
  },
  {
    name: 'catalogue',
    url: () => `${app.baseUrl}/espaces/${app.espaceId}`,
    loggedIn: true,
    ready: (page: Page) => page.locator('.essaim-doc-card').first().waitFor(),
  },
  {
    name: 'editeur',
    url: () => `${app.baseUrl}/documents/${documentId}`,
    loggedIn: true,
    ready: (page: Page) =>
      page.locator('[role="textbox"][contenteditable="true"]', { hasText: /\S/ }).first().waitFor(),
  },
  {
    name: 'relecture',
    url: () => `${app.baseUrl}/espaces/${app.espaceId}/relecture`,
    loggedIn: true,
    ready: (page: Page) => page.getByRole('heading', { level: 1 }).waitFor(),
  },
  {
    name: 'administration',
    url: () => `${app.baseUrl}/administration`,
    loggedIn: true,
    ready: (page: Page) =>
      page
        .getByRole('cell', { name: /Administratrice/ })
        .first()
        .waitFor(),
  },
] as const;

describe('Première visite : chaque page dessinée avec la partie du DSFR qu’elle utilise', () => {
  for (const { name, url, loggedIn, ready } of PAGES) {
    it(`draws « ${name} » with a DSFR rule for every DSFR class it carries, and no unused component`, async () => {
      const { page, problems } = await app.open(loggedIn ? { as: app.admin } : {});
      await page.goto(url());
      await ready(page);
      const look = await lookAt(page);
      await page.screenshot({ path: path.join(artifactsDir, `firstLook-${name}.png`), fullPage: true });

      const styled = new Set(look.styledClasses);
      // A class the whole DSFR styles but the loaded stylesheets do not: a component was trimmed
      // away although this page draws it.
      const lost = look.domClasses.filter((c) => fullDsfrClasses.has(c) && !styled.has(c));
      expect(lost).toEqual([]);
      expect(UNUSED_COMPONENTS.filter((c) => styled.has(c))).toEqual([]);
      // Marianne only, in the weights drawn: never Spectral nor the light faces. Its stand-ins
      // while it loads (client/src/app/fonts.css) are the device's own fonts, never downloaded.
      expect(
        look.loadedFaces.filter(
          (f) =>
            !/^Marianne (400|500|700) (normal|italic)$/.test(f) &&
            !/^Marianne repli \w+ (400|700) normal$/.test(f),
        ),
      ).toEqual([]);
      expect(look.resources.filter((r) => r.initiator === 'css' && !r.path.startsWith('/dsfr/'))).toEqual([]);
      expect(look.loadedFaces).toContain('Marianne 400 normal');
      // An API answer preloaded with the page (index.html, or the server's `Link` header) is the
      // one the page reads, not asked a second time.
      const preloaded = look.resources.filter((r) => r.initiator === 'link' && r.path.startsWith('/api/'));
      expect(preloaded.map((r) => r.path)).toContain('/api/auth/me');
      const askedAgain = preloaded.filter(
        (p) =>
          // The espace is read by the header and by the espace's layout: the second asks again.
          !/^\/api\/espaces\/[\w-]+$/.test(p.path) &&
          look.resources.some((r) => r.initiator === 'fetch' && r.path === p.path),
      );
      expect(askedAgain).toEqual([]);
      // No button or link meant to show its label beside its icon shows the icon alone, the label
      // clipped (the DSFR does that in a group that does not say where icons go:
      // `fr-btns-group--icon-left`). Icon-only buttons (the toolbar's) are not concerned.
      const clipped = await page.evaluate(() =>
        [
          ...document.querySelectorAll<HTMLElement>(
            '.fr-btn--icon-left, .fr-btn--icon-right, .fr-link--icon-left, .fr-link--icon-right',
          ),
        ]
          .filter((b) => b.offsetParent !== null && (b.textContent ?? '').trim() !== '')
          .filter((b) => getComputedStyle(b).overflow === 'hidden' && b.scrollWidth > b.clientWidth + 1)
          .map((b) => (b.textContent ?? '').trim()),
      );
      expect(clipped).toEqual([]);
      expect(unexpectedProblems(problems)).toEqual({ errors: [], cspViolations: [] });
    });
  }
});
