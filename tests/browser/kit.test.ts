import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import { unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishPractice, type Practice } from '../support/publications.js';
import { unexpectedProblems, useBrowserApp } from './support/app.js';
import { runAxe } from './support/axe.js';
import { artifactsDir } from './support/chromium.js';

/**
 * The « kit d'essaimage » as people get it (issue 14): three published fiches; the portal's kit
 * downloaded and unzipped, its index opened in Chromium with the network cut (file://) and a
 * link followed to a fiche's Markdown; the metadata table read with its accents; a fiche's PDF
 * rendered (`pdftoppm`); and, in the espace's catalogue, « Kit d'essaimage »: its progress, then
 * its download link. Screenshots `kit-index.png`, `export-pdf-page.png` and `kit-catalogue.png`
 * in tests/artifacts.
 */

const app = useBrowserApp();

const PRACTICES: Practice[] = [
  {
    title: 'Conférences familiales en Ardèche',
    meta: {
      territoire: 'dep:07',
      categorie: 'naissante',
      structure: 'Conseil départemental de l’Ardèche',
      structureType: 'conseil-departemental',
      public: 'Enfants protégés et leur famille élargie',
      anneeDemarrage: 2016,
    },
    sections: [
      'Une famille et son réseau décident ensemble d’un plan pour réduire le danger vécu par un enfant.',
      'Le coordinateur prépare la réunion avec la famille élargie ; la famille délibère seule et présente son plan.',
    ],
  },
  {
    title: 'Pair-aidance à Rennes : héberger autrement',
    meta: { territoire: 'dep:35', categorie: 'confidentielle', anneeDemarrage: 2018 },
    sections: ['Des travailleurs pairs, anciens résidents, accompagnent les personnes hébergées.'],
  },
  {
    title: 'Équipe mobile d’aller-vers en Haute-Saône',
    meta: { territoire: 'dep:70', categorie: 'renaissante', anneeDemarrage: 2020 },
    sections: ['Une équipe va au-devant des personnes isolées, là où elles vivent, dans les villages.'],
  },
];

/** Unzips a kit into a new temporary folder; answers the folder and the files' relative names. */
function unzipInto(bytes: Uint8Array): { dir: string; names: string[] } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'essaim-kit-'));
  const files = unzipSync(bytes);
  for (const [name, data] of Object.entries(files)) {
    const target = path.join(dir, name);
    // A zip entry never leaves its folder (a « ../ » name would be a hostile kit).
    expect(target.startsWith(dir + path.sep)).toBe(true);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, data);
  }
  return { dir, names: Object.keys(files).sort() };
}

const folders: string[] = [];
beforeAll(async () => {
  for (const practice of PRACTICES)
    await publishPractice(app.admin, app.server.wsUrl, app.espaceId, practice);
});
afterAll(() => {
  for (const dir of folders) fs.rmSync(dir, { recursive: true, force: true });
});

const shot = (page: Page, name: string) =>
  page.screenshot({ path: path.join(artifactsDir, name), fullPage: true });

describe('the kit d’essaimage', () => {
  it('unzips into every fiche’s files, its index works offline and leads to a fiche, its table keeps the accents', async () => {
    const response = await fetch(`${app.baseUrl}/pratiques/kit.zip`);
    expect(response.status).toBe(200);
    const { dir, names } = unzipInto(new Uint8Array(await response.arrayBuffer()));
    folders.push(dir);
    // Three fiches in three formats, the index and the table.
    expect(names).toHaveLength(3 * 3 + 2);
    expect(names.filter((n) => n.endsWith('.pdf'))).toHaveLength(3);
    expect(names.filter((n) => n.endsWith('.docx'))).toHaveLength(3);
    expect(names.filter((n) => n.endsWith('.md'))).toHaveLength(3);

    // The index, opened from the disk with the network cut off.
    const { page, problems } = await app.open({ offline: true });
    await page.goto(pathToFileURL(path.join(dir, 'index.html')).href);
    await expect.poll(() => page.locator('h1').textContent()).toBe('Kit d’essaimage');
    expect(await page.locator('main li h3').allTextContents()).toEqual(
      [...PRACTICES.map((p) => p.title)].sort((a, b) => a.localeCompare(b, 'fr')),
    );
    await expect.poll(() => page.evaluate(() => document.fonts.status)).toBe('loaded');
    await shot(page, 'kit-index.png');
    // Every link of the index leads to a file of the kit.
    const hrefs = await page
      .locator('a')
      .evaluateAll((links) => links.map((a) => (a as HTMLAnchorElement).getAttribute('href') ?? ''));
    expect(hrefs).toHaveLength(1 + 3 * 3);
    for (const href of hrefs) expect(fs.existsSync(path.join(dir, href))).toBe(true);
    // Followed, the Markdown link of « Pair-aidance… » shows that fiche’s text, still offline.
    const pair = page.locator('li', { hasText: 'Pair-aidance à Rennes' });
    await pair.getByRole('link', { name: /^Markdown/ }).click();
    await expect.poll(() => page.url()).toMatch(/\/fiches\/pair-aidance-a-rennes[^/]*\/[^/]+\.md$/);
    await expect
      .poll(() => page.evaluate(() => document.body.innerText))
      .toContain('Des travailleurs pairs, anciens résidents, accompagnent les personnes hébergées.');
    expect(unexpectedProblems(problems)).toEqual({ errors: [], cspViolations: [] });

    // pratiques.csv: UTF-8 with a byte-order mark, `;`, the accents as written.
    const csv = fs.readFileSync(path.join(dir, 'pratiques.csv'));
    expect([...csv.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = csv.subarray(3).toString('utf8').split('\r\n').filter(Boolean);
    expect(lines).toHaveLength(1 + 3);
    expect(lines[0]).toMatch(/^Titre;Type;Catégorie;Thèmes;Territoire;/);
    const ardeche = lines.find((l) => l.startsWith('Conférences familiales en Ardèche;'));
    expect(ardeche).toContain(';Fiche pratique;Naissante;');
    expect(ardeche).toContain('Ardèche');
    expect(ardeche).toContain('Conseil départemental de l’Ardèche');
    expect(lines.some((l) => l.startsWith('Équipe mobile d’aller-vers en Haute-Saône;'))).toBe(true);

    // The first page of a fiche's PDF, as a reader sees it.
    const pdf = names.find((n) => n.startsWith('fiches/conferences-familiales') && n.endsWith('.pdf'));
    const output = path.join(artifactsDir, 'export-pdf-page');
    fs.mkdirSync(artifactsDir, { recursive: true });
    execFileSync('pdftoppm', [
      '-png',
      '-r',
      '60',
      '-f',
      '1',
      '-l',
      '1',
      '-singlefile',
      path.join(dir, pdf ?? ''),
      output,
    ]);
    expect(fs.statSync(`${output}.png`).size).toBeGreaterThan(5_000);
  });

  it('prepares the espace’s kit from the catalogue, shows its progress, then its download link', async () => {
    const { page, problems } = await app.open({ as: app.admin, bypassCSP: true, acceptDownloads: true });
    await page.goto(`${app.baseUrl}/espaces/${app.espaceId}`);
    const button = page.getByRole('button', { name: 'Kit d’essaimage' });
    await button.waitFor();
    // What the page shows between the click and the link, recorded as it happens.
    await page.evaluate(() => {
      const seen: { progress: boolean; sentences: string[] } = { progress: false, sentences: [] };
      (window as unknown as { kitSeen: typeof seen }).kitSeen = seen;
      new MutationObserver(() => {
        const progress = document.querySelector('.essaim-kit progress');
        if (progress) seen.progress = true;
        const sentence = document.querySelector('.essaim-kit [role="status"]')?.textContent ?? '';
        if (sentence && seen.sentences.at(-1) !== sentence) seen.sentences.push(sentence);
      }).observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
    });
    await button.focus();
    await page.keyboard.press('Enter');
    const link = page.getByRole('link', { name: /^Télécharger le kit d’essaimage \(zip, [\d,]+ (Ko|Mo)\)$/ });
    await link.waitFor({ timeout: 60_000 });
    // The focus moved to the link, ready for Enter.
    await expect.poll(() => link.evaluate((a) => a === document.activeElement)).toBe(true);
    const seen = await page.evaluate(
      () => (window as unknown as { kitSeen: { progress: boolean; sentences: string[] } }).kitSeen,
    );
    expect(seen.progress).toBe(true);
    expect(seen.sentences.some((s) => /^\d fiches? sur 3 préparées?$/.test(s))).toBe(true);
    expect(seen.sentences.at(-1)).toBe('Le kit d’essaimage est prêt.');
    await page.locator('.essaim-kit').screenshot({ path: path.join(artifactsDir, 'kit-catalogue.png') });
    expect(await runAxe(page)).toEqual([]);

    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    const saved = await download.path();
    const { dir, names } = unzipInto(new Uint8Array(fs.readFileSync(saved)));
    folders.push(dir);
    expect(names).toHaveLength(3 * 3 + 2);
    expect(unexpectedProblems(problems)).toEqual({ errors: [], cspViolations: [] });
  });
});
