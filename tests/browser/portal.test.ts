import path from 'node:path';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { publishPractice, type Practice } from '../support/publications.js';
import { useBrowserApp } from './support/app.js';
import { runAxe } from './support/axe.js';
import { artifactsDir } from './support/chromium.js';

/**
 * The public portal as an anonymous reader uses it, with JavaScript turned off: finding a
 * published fiche by words, then on the map, and reading it; no accessibility violation; and the
 * pages as they look on a desktop and on a phone (screenshots in tests/artifacts, looked at).
 */

const app = useBrowserApp();
const DESKTOP = { width: 1280, height: 900 };
const MOBILE = { width: 390, height: 844 };

const PRACTICES: Practice[] = [
  {
    title: 'Conférences familiales en protection de l’enfance — Ardèche',
    meta: {
      territoire: 'dep:07',
      themes: ['conferences-familiales'],
      categorie: 'naissante',
      structure: 'Conseil départemental de l’Ardèche — aide sociale à l’enfance',
      structureType: 'conseil-departemental',
      public: 'Enfants suivis en protection de l’enfance, leurs parents et leur entourage',
      anneeDemarrage: 2016,
      contact: 'Service de l’aide sociale à l’enfance, conferences@ardeche.example',
    },
    sections: [
      'Une famille et son réseau décident ensemble d’un plan pour réduire le danger vécu par un enfant.',
      'La pratique vient de Nouvelle-Zélande ; le département l’expérimente depuis 2016 avec un coordinateur indépendant.',
      'Le coordinateur prépare la réunion avec la famille élargie, les professionnels exposent la situation, puis la famille délibère seule et présente son plan.',
      'Des enfants suivis en protection de l’enfance, leurs parents, leurs grands-parents et les personnes ressources de leur entourage.',
    ],
  },
  {
    title: 'Équipe mobile d’aller-vers en milieu rural — Oise',
    meta: {
      territoire: 'dep:60',
      themes: ['aller-vers'],
      categorie: 'renaissante',
      structure: 'CCAS de Beauvais',
      structureType: 'ccas',
      public: 'Personnes isolées en milieu rural',
      anneeDemarrage: 2020,
      contact: 'Équipe mobile, 03 44 00 00 00',
    },
    sections: [
      'Une équipe mobile va au-devant des personnes isolées, là où elles vivent, sans attendre qu’elles formulent une demande.',
      'Pendant la crise sanitaire, les permanences fermées ont été remplacées par des tournées dans les villages.',
    ],
  },
  {
    title: 'Pair-aidance en centre d’hébergement — Ille-et-Vilaine',
    meta: {
      territoire: 'reg:53',
      themes: ['pair-aidance'],
      categorie: 'confidentielle',
      structure: 'Association d’hébergement rennaise',
      structureType: 'association',
      public: 'Personnes hébergées',
      anneeDemarrage: 2018,
    },
    sections: [
      'Des travailleurs pairs, anciens résidents, accompagnent les personnes hébergées avec les équipes éducatives.',
    ],
  },
];

const urls: string[] = [];
beforeAll(async () => {
  for (const practice of PRACTICES)
    urls.push(
      (await publishPractice(app.admin, app.server.wsUrl, app.espaceId, practice)).publication.documentUrl,
    );
});

const shot = (page: Page, name: string) =>
  page.screenshot({ path: path.join(artifactsDir, name), fullPage: true });

describe('the public portal', () => {
  it('lets an anonymous reader without JavaScript find a fiche by search, then on the map, and read it', async () => {
    const { page, problems } = await app.open({ javaScriptEnabled: false });
    await page.goto(`${app.baseUrl}/pratiques/`);
    await expect
      .poll(() => page.getByRole('heading', { level: 1 }).textContent())
      .toBe('Pratiques émergentes du travail social');
    // Search: typed words, sent by the form itself (no script).
    await page.getByRole('searchbox', { name: 'Rechercher une pratique' }).fill('conférence familiale');
    await page.getByRole('button', { name: 'Rechercher', exact: true }).click();
    await page.waitForURL(/\/pratiques\/recherche\?q=conf%C3%A9rence\+familiale/);
    await expect.poll(() => page.getByRole('status').textContent()).toMatch(/^1 pratique trouvée/);
    await page.getByRole('link', { name: PRACTICES[0]?.title }).click();
    await page.waitForURL(`${app.baseUrl}${urls[0]}`);
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe(PRACTICES[0]?.title);

    // The map: the Ardèche leads to its practices.
    await page.getByRole('link', { name: 'Carte des pratiques' }).click();
    await page.waitForURL(/\/pratiques\/carte$/);
    await page.getByRole('link', { name: 'Ardèche (07) : 1 pratique' }).first().click();
    await page.waitForURL(/territoire=dep%3A07/);
    await page.getByRole('link', { name: PRACTICES[0]?.title }).click();

    // Reading it: text, metadata block, version.
    const article = page.getByRole('article');
    await expect.poll(() => article.textContent()).toContain('la famille délibère seule');
    const details = page.getByRole('complementary', { name: 'Informations sur la pratique' });
    await expect.poll(() => details.textContent()).toContain('Ardèche (07)');
    await expect.poll(() => details.textContent()).toContain('conferences@ardeche.example');
    await expect
      .poll(() =>
        page
          .getByText(/^Version 1 du /)
          .first()
          .isVisible(),
      )
      .toBe(true);
    // A région-wide practice is found from the région's filter.
    await page.goto(`${app.baseUrl}/pratiques/recherche?territoire=reg%3A53`);
    await expect.poll(() => page.getByRole('status').textContent()).toMatch(/^1 pratique trouvée/);
    expect(problems).toEqual({ errors: [], cspViolations: [] });
  });

  it('has no accessibility violation on any page (axe, WCAG 2.1 AA)', async () => {
    // axe is a script: it needs JavaScript and a context that bypasses the page's CSP.
    const { page } = await app.open({ bypassCSP: true });
    for (const address of [
      '/pratiques/',
      '/pratiques/recherche?q=famille&categorie=naissante',
      '/pratiques/recherche?q=introuvable',
      urls[0] ?? '',
      `${urls[0] ?? ''}/v/1`,
      '/pratiques/carte',
      '/pratiques/a-propos',
      '/pratiques/page-inconnue',
    ]) {
      await page.goto(`${app.baseUrl}${address}`);
      expect(await runAxe(page), address).toEqual([]);
    }
    for (const size of [MOBILE]) {
      await page.setViewportSize(size);
      await page.goto(`${app.baseUrl}${urls[0] ?? ''}`);
      expect(await runAxe(page), 'fiche sur téléphone').toEqual([]);
    }
  });

  it('is drawn with the DSFR on a desktop and on a phone (screenshots)', async () => {
    const { page, problems } = await app.open({ javaScriptEnabled: false });
    /** Takes the screenshot; nothing may be wider than the screen (no sideways scrolling). */
    const look = async (file: string, width: number) => {
      await shot(page, file);
      expect(await page.evaluate(() => document.documentElement.scrollWidth), file).toBeLessThanOrEqual(
        width,
      );
    };
    for (const [name, size] of [
      ['bureau', DESKTOP],
      ['telephone', MOBILE],
    ] as const) {
      await page.setViewportSize(size);
      await page.goto(`${app.baseUrl}/pratiques/`);
      // The DSFR's font and layout are loaded from this site.
      await expect
        .poll(() => page.evaluate(() => getComputedStyle(document.body).fontFamily))
        .toContain('Marianne');
      await look(`portal-accueil-${name}.png`, size.width);
      await page.goto(`${app.baseUrl}${urls[0] ?? ''}`);
      await look(`portal-fiche-${name}.png`, size.width);
      await page.goto(`${app.baseUrl}/pratiques/recherche?q=famille&territoire=reg%3A84`);
      await expect.poll(() => page.locator('mark').first().textContent()).toBe('famille');
      await look(`portal-recherche-${name}.png`, size.width);
      await page.goto(`${app.baseUrl}/pratiques/carte`);
      await look(`portal-carte-${name}.png`, size.width);
    }
    expect(problems).toEqual({ errors: [], cspViolations: [] });
  });
});
