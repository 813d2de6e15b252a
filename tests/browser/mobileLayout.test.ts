import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import type { ReviewedDocumentSectionsDto } from '@essaim/protocol';
import { createDocument, invite, type Session } from '../support/accounts.js';
import { artifactsDir } from './support/chromium.js';
import { unexpectedProblems, useBrowserApp } from './support/app.js';
import { runAxe } from './support/axe.js';
import { holdServerMessages } from './support/collabNetwork.js';
import { watchLayout } from './support/layoutWatch.js';
import { caretLabelOf, editorOf, sectionOf, textOf } from './support/coWriting.js';
import { editorMessages } from '../../client/src/features/editor/messages.js';

const app = useBrowserApp();
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 900 };

let writer: Session;
let ficheId: string;

beforeAll(async () => {
  writer = await invite(app.admin, app.espaceId, 'animateur', 'Solène');
  ({ id: ficheId } = await createDocument(writer, app.espaceId, 'Conférences familiales en Gironde'));
  await createDocument(writer, app.espaceId, 'Pair-aidance en Ille-et-Vilaine');
  await createDocument(writer, app.espaceId, 'Synthèse des pratiques repérées', 'synthese');
});

/** The top of an element in the page (not the window), in CSS pixels. */
const pageTop = (element: Locator) =>
  element.evaluate((node) => node.getBoundingClientRect().top + window.scrollY);

const shot = (page: Page, name: string) =>
  page.screenshot({ path: path.join(artifactsDir, name), fullPage: true });

const firstCardOf = (page: Page) => page.locator('article.essaim-doc-card').first();
const kindSelectOf = (page: Page) => page.getByRole('combobox', { name: 'Type de document' });

describe('the catalogue on a 390 px phone', () => {
  it('shows the first document on the first screen, search and filters folded', async () => {
    const { page, problems } = await app.open({ as: writer, viewport: PHONE });
    await page.goto(`${app.baseUrl}/espaces/${app.espaceId}`);
    await firstCardOf(page).waitFor();
    await shot(page, 'mobile-catalogue-390.png');
    expect(await pageTop(firstCardOf(page))).toBeLessThan(PHONE.height);
    const toggle = page.getByRole('button', { name: /^Filtrer les documents · / });
    expect(await toggle.getAttribute('aria-expanded')).toBe('false');
    expect(await kindSelectOf(page).isVisible()).toBe(false);
    expect(await page.getByRole('searchbox', { name: 'Rechercher' }).isVisible()).toBe(false);
    expect(unexpectedProblems(problems)).toEqual({ errors: [], cspViolations: [] });
  });

  it('opens without moving: what follows the list (the activity, the footer) is out of sight until the list comes', async () => {
    const { page, problems } = await app.open({ as: writer, viewport: PHONE });
    // The list held until the page is drawn without it (« Chargement des documents… »).
    let letListGo = () => {};
    const listHeld = new Promise<void>((release) => {
      letListGo = release;
    });
    await page.route(/\/api\/documents\?/, async (route) => {
      await listHeld;
      await route.continue();
    });
    const layoutSeen = await watchLayout(page);
    await page.goto(`${app.baseUrl}/espaces/${app.espaceId}`);
    await page.getByText('Chargement des documents…').waitFor();
    letListGo();
    await firstCardOf(page).waitFor();
    await page.waitForLoadState('networkidle');
    await page.evaluate(() => new Promise((frame) => requestAnimationFrame(frame)));
    const { shifts, widest } = await layoutSeen();
    // 0.41 before: the activity and the footer drawn in the first screen, then pushed out.
    expect(shifts.reduce((sum, value) => sum + value, 0)).toBeLessThan(0.05);
    expect(widest).toBeLessThanOrEqual(PHONE.width);
    expect(unexpectedProblems(problems)).toEqual({ errors: [], cspViolations: [] });
  });

  it('unfolds search and filters and filters with the keyboard alone', async () => {
    const { page } = await app.open({ as: writer, viewport: PHONE });
    await page.goto(`${app.baseUrl}/espaces/${app.espaceId}`);
    await firstCardOf(page).waitFor();
    await expect.poll(() => page.locator('article.essaim-doc-card').count()).toBe(3);
    const toggle = page.getByRole('button', { name: /^Filtrer les documents · / });
    await toggle.focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => toggle.getAttribute('aria-expanded')).toBe('true');
    // Tab goes on to the search field, its button, then the first filter: the document type.
    for (let i = 0; i < 3; i += 1) await page.keyboard.press('Tab');
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('name'))).toBe('type');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await expect.poll(() => page.locator('article.essaim-doc-card').count()).toBeLessThan(3);
    await shot(page, 'mobile-catalogue-filtres-390.png');
    // Space folds them again.
    await toggle.focus();
    await page.keyboard.press('Space');
    await expect.poll(() => toggle.getAttribute('aria-expanded')).toBe('false');
  });
});

describe('the editor on a 390 px phone', () => {
  it('starts the text on the first screen, with the review bar’s actions, outline and gauge folded, the presence « 1 » at the outline’s right and no empty column beside the gauge', async () => {
    const { page, problems } = await app.open({ as: writer, viewport: PHONE });
    await page.goto(`${app.baseUrl}/documents/${ficheId}`);
    await expect.poll(() => editorOf(page).getAttribute('contenteditable')).toBe('true');
    // The review bar is drawn once the sections' reviews are read: measured with it.
    const fold = page.getByRole('button', { name: /^Relecture et publication/ });
    await fold.waitFor();
    expect(await fold.getAttribute('aria-expanded')).toBe('false');
    await shot(page, 'mobile-editeur-390.png');
    expect(await pageTop(editorOf(page))).toBeLessThan(PHONE.height);
    // Unfolded, the actions are there and reachable.
    await fold.click();
    await page.getByRole('button', { name: 'Journal de relecture' }).waitFor();
    // The (empty) presence, the outline and the gauge together: two buttons, no more.
    const [sideTop, sideBottom] = await page.evaluate(() => [
      document.querySelector('.essaim-doc-side')?.getBoundingClientRect().top ?? 0,
      document.querySelector('.essaim-doc-aside')?.getBoundingClientRect().bottom ?? 0,
    ]);
    expect(sideBottom - sideTop).toBeLessThan(150);
    // Alone in the document: the presence says « 1 » at the outline's right, the gauge takes the
    // whole line under them (a 2.75 rem empty column was beside both).
    const boxOf = async (name: string | RegExp) => {
      const box = await page.getByRole('button', { name }).boundingBox();
      if (!box) throw new Error(`${String(name)}: not drawn`);
      return { left: box.x, right: box.x + box.width, top: box.y };
    };
    const presence = await boxOf('Personnes présentes · 1 personne');
    const outlineButton = await boxOf(/^Sommaire · /);
    const gauge = await boxOf(/^Longueur · /);
    expect(Math.abs(presence.top - outlineButton.top)).toBeLessThan(2);
    expect(presence.left - outlineButton.right).toBeGreaterThanOrEqual(0);
    expect(presence.left - outlineButton.right).toBeLessThanOrEqual(8);
    expect(Math.abs(gauge.right - presence.right)).toBeLessThan(1);
    expect(Math.abs(gauge.left - outlineButton.left)).toBeLessThan(1);
    const folded = [/^Sommaire · /, /^Longueur · ≈ 0,\d page, trop court/];
    for (const name of folded) {
      const button = page.getByRole('button', { name });
      expect(await button.getAttribute('aria-expanded'), String(name)).toBe('false');
    }
    expect(await page.getByRole('navigation', { name: 'Sommaire' }).isVisible()).toBe(false);

    // Unfolded, the outline still takes the caret to a section.
    await page.getByRole('button', { name: /^Sommaire · / }).click();
    const outline = page.getByRole('navigation', { name: 'Sommaire' });
    await outline.getByRole('button', { name: /Public concerné/ }).click();
    await expect
      .poll(() =>
        page.evaluate(
          () => window.getSelection()?.anchorNode?.parentElement?.closest('section')?.textContent,
        ),
      )
      .toContain('Public concerné');
    await shot(page, 'mobile-editeur-sommaire-390.png');
    expect(unexpectedProblems(problems)).toEqual({ errors: [], cspViolations: [] });
  });
});

describe('someone joining a fiche read on a 390 px phone', () => {
  it('moves nothing: the presence comes in the outline’s line, at the place kept for it, and unfolds under it (tester M2)', async () => {
    const { id } = await createDocument(writer, app.espaceId, 'Pair-aidance dans l’Aude');
    const other = await invite(app.admin, app.espaceId, 'membre', 'Anaïs');
    const { page, problems } = await app.open({ as: writer, viewport: PHONE });
    const seen = await watchLayout(page);
    await page.goto(`${app.baseUrl}/documents/${id}`);
    await expect.poll(() => editorOf(page).getAttribute('contenteditable')).toBe('true');
    await page.locator('section.essaim-review-bar').waitFor();
    await page.getByRole('button', { name: 'Informations de la fiche' }).waitFor();
    await expect.poll(() => page.locator('.essaim-editor--waiting').count()).toBe(0);
    await page.getByRole('button', { name: 'Personnes présentes · 1 personne' }).waitFor();
    const firstParagraph = editorOf(page).locator('p').first();
    const before = await pageTop(firstParagraph);
    const shiftsBefore = (await seen()).shifts.length;

    const { page: desk } = await app.open({ as: other, viewport: DESKTOP });
    await desk.goto(`${app.baseUrl}/documents/${id}`);
    await editorOf(desk).waitFor();
    const presence = page.getByRole('button', { name: 'Personnes présentes · 2 personnes' });
    await presence.waitFor();
    await page.evaluate(() => new Promise((frame) => requestAnimationFrame(frame)));
    await page.screenshot({ path: path.join(artifactsDir, 'mobile-presence-390-ecran.png') });
    // 0.013 to 0.020 before: the presence's row came above the outline and pushed the text down.
    expect(await pageTop(firstParagraph)).toBe(before);
    expect((await seen()).shifts.slice(shiftsBefore)).toEqual([]);
    // In the outline's line, inside the screen.
    const outline = await page.getByRole('button', { name: /^Sommaire · / }).boundingBox();
    const button = await presence.boundingBox();
    expect(Math.abs((button?.y ?? 0) - (outline?.y ?? 100))).toBeLessThan(2);
    expect((button?.x ?? 0) + (button?.width ?? 0)).toBeLessThanOrEqual(PHONE.width);
    // Unfolded, the list names both, across the column.
    await presence.click();
    await expect.poll(() => presence.getAttribute('aria-expanded')).toBe('true');
    const list = page.getByTestId('presence-list');
    await list.getByText('Anaïs').waitFor();
    expect(await list.evaluate((node) => node.getBoundingClientRect().width)).toBeGreaterThan(250);
    await shot(page, 'mobile-presence-ouverte-390.png');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBe(PHONE.width);
    await desk.close();
    expect(unexpectedProblems(problems)).toEqual({ errors: [], cspViolations: [] });
  });
});

describe('a member reading on a 390 px phone', () => {
  it('finds the text on the first screen for a membre, with the connection badge inside the screen', async () => {
    const reader = await invite(app.admin, app.espaceId, 'membre', 'Maxence');
    // A fiche nobody else has open (the writer's page of the test above may still be there).
    const { id } = await createDocument(writer, app.espaceId, 'Aller-vers en Lozère');
    const { page } = await app.open({ as: reader, viewport: PHONE });
    await page.goto(`${app.baseUrl}/documents/${id}`);
    await editorOf(page).waitFor();
    await expect.poll(() => page.getByRole('button', { name: /^Sommaire · / }).count()).toBe(1);
    await page.locator('section.essaim-review-bar').waitFor();
    await shot(page, 'mobile-lecture-390.png');
    await page.screenshot({ path: path.join(artifactsDir, 'mobile-lecture-390-ecran.png') });
    expect(await pageTop(editorOf(page))).toBeLessThan(PHONE.height);
    const badge = await page.locator('.essaim-connection').evaluate((n) => n.getBoundingClientRect());
    expect(badge.left).toBeGreaterThanOrEqual(0);
    expect(badge.right).toBeLessThanOrEqual(PHONE.width);
  });
});

/** What `badge` shows, whether its words fit in it, and the page's width (CSS px). */
const badgeWords = (badge: Locator) =>
  badge.evaluate((node) => {
    const shown = node.querySelector('.fr-badge') as HTMLElement;
    return {
      words: shown.innerText,
      whole: shown.scrollWidth <= shown.clientWidth,
      page: document.documentElement.scrollWidth,
    };
  });

/**
 * Opens the demo fiche in `page` and waits until its connection badge says « connected » and the
 * status row is drawn whole (the history button last); returns the badge.
 */
async function openAtConnectedBadge(page: Page): Promise<Locator> {
  await page.goto(`${app.baseUrl}/documents/${ficheId}`);
  await editorOf(page).waitFor();
  const badge = page.locator('.essaim-connection');
  await expect.poll(() => badge.getAttribute('data-state')).toBe('connected');
  await page.locator('.essaim-doc-status .essaim-history-bar').waitFor();
  return badge;
}

describe('the connection badge when its words change', () => {
  for (const [name, viewport] of [
    ['a computer', DESKTOP],
    ['a 390 px phone', PHONE],
  ] as const) {
    it(`keeps its place on ${name}, and so do the status row's buttons, offline and back (tester BR40 M4)`, async () => {
      const { page, context, problems } = await app.open({ as: writer, viewport });
      const seen = await watchLayout(page);
      const badge = await openAtConnectedBadge(page);
      /** Where the badge and the two buttons start, in the page. */
      const places = () =>
        page.locator('.essaim-doc-status > *').evaluateAll((nodes) =>
          nodes.map((node) => {
            const box = node.getBoundingClientRect();
            return [Math.round(box.left), Math.round(box.top + window.scrollY)];
          }),
        );
      const before = await places();
      const shiftsBefore = (await seen()).shifts.length;
      await context.setOffline(true);
      await expect.poll(() => badge.getAttribute('data-state')).toBe('offline');
      expect(await places()).toEqual(before);
      await context.setOffline(false);
      await expect.poll(() => badge.getAttribute('data-state'), { timeout: 20_000 }).toBe('connected');
      expect(await places()).toEqual(before);
      // Nothing else moved either (the notice of the offline copy included).
      expect((await seen()).shifts.slice(shiftsBefore)).toEqual([]);
      expect(problems.errors.filter((error) => !error.includes('net::ERR_INTERNET_DISCONNECTED'))).toEqual(
        [],
      );
    });
  }
});

describe('the connection badge on a 390 px phone', () => {
  it('shows its short words whole in every state it passes through (« Attente… », « Connecté », « Hors ligne »), with its icon offline, and screen readers hear the whole sentence', async () => {
    const { id } = await createDocument(writer, app.espaceId, 'Aller-vers dans le Cantal');
    const { page, context, problems } = await app.open({ as: writer, viewport: PHONE });
    // The server's messages held: the page waits for the text, its badge « Connexion au serveur… ».
    const release = await holdServerMessages(page);
    await page.goto(`${app.baseUrl}/documents/${id}`);
    const badge = page.locator('.essaim-connection');
    const seen = () => badgeWords(badge);
    await expect.poll(() => badge.getAttribute('data-state')).toBe('connecting');
    expect(await seen()).toEqual({ words: 'ATTENTE…', whole: true, page: PHONE.width });
    expect(
      await page
        .getByRole('status')
        .filter({ has: page.locator('.fr-badge') })
        .textContent(),
    ).toContain('Connexion au serveur…');
    release();
    await editorOf(page).waitFor();
    await expect.poll(() => badge.getAttribute('data-state')).toBe('connected');
    expect(await seen()).toEqual({ words: 'CONNECTÉ', whole: true, page: PHONE.width });
    await context.setOffline(true);
    await expect.poll(() => badge.getAttribute('data-state')).toBe('offline');
    expect(await seen()).toEqual({ words: 'HORS LIGNE', whole: true, page: PHONE.width });
    // The whole sentence once in the accessibility tree (the short words are hidden from it), and
    // in the badge's title.
    expect(await badge.ariaSnapshot()).toContain(
      'État de la connexion : Hors ligne — vos modifications sont conservées',
    );
    expect(await badge.ariaSnapshot()).not.toContain('conservées Hors ligne');
    // The title is the badge's, for a pointer; on the live region it would name it (tester F8).
    expect(await badge.getAttribute('title')).toBeNull();
    expect(await badge.locator('[title]').getAttribute('title')).toBe(
      'Hors ligne — vos modifications sont conservées',
    );
    // Its warning sign is drawn from the bundle: the DSFR's file was never fetched, and offline
    // without a service worker it would not come (tester F6).
    expect(
      await badge
        .locator('.fr-badge')
        .evaluate((node) => getComputedStyle(node, '::before').getPropertyValue('mask-image')),
    ).toMatch(/^url\("data:image\/svg\+xml,/);
    await shot(page, 'mobile-hors-ligne-390.png');
    // Every short word the badge may show fits here too (« INJOIGNA… » was cut at 390 px, tester).
    const fits = await badge.evaluate((node, shorts) => {
      const shown = node.querySelector('.fr-badge') as HTMLElement;
      const short = node.querySelector('.essaim-connection__short') as HTMLElement;
      const before = short.textContent;
      const cut = shorts.filter((words) => {
        short.textContent = words;
        return shown.scrollWidth > shown.clientWidth;
      });
      short.textContent = before;
      return cut;
    }, Object.values(editorMessages.connectionShort));
    expect(fits).toEqual([]);
    await context.setOffline(false);
    await expect.poll(() => badge.getAttribute('data-state')).toBe('connected');
    // What the page asked for while offline failed, as it should.
    expect(problems.errors.filter((error) => !error.includes('net::ERR_INTERNET_DISCONNECTED'))).toEqual([]);
    expect(problems.cspViolations).toEqual([]);
  });
});

describe('the connection badge on a 360 px phone', () => {
  it('shows « Hors ligne » whole, and each of its short words fits in its place (tester F5: « HORS LI… »)', async () => {
    const SMALL_PHONE = { width: 360, height: 740 };
    const { page, context, problems } = await app.open({ as: writer, viewport: SMALL_PHONE });
    const badge = await openAtConnectedBadge(page);
    const seen = () => badgeWords(badge);
    expect(await seen()).toEqual({ words: 'CONNECTÉ', whole: true, page: SMALL_PHONE.width });
    await context.setOffline(true);
    await expect.poll(() => badge.getAttribute('data-state')).toBe('offline');
    expect(await seen()).toEqual({ words: 'HORS LIGNE', whole: true, page: SMALL_PHONE.width });
    await page.screenshot({ path: path.join(artifactsDir, 'mobile-hors-ligne-360-ecran.png') });
    // Every short word the badge may show fits there too (the widest, « Déconnecté »).
    const fits = await badge.evaluate((node, shorts) => {
      const shown = node.querySelector('.fr-badge') as HTMLElement;
      const short = node.querySelector('.essaim-connection__short') as HTMLElement;
      return shorts.map((words) => {
        short.textContent = words;
        return [words, shown.scrollWidth <= shown.clientWidth];
      });
    }, Object.values(editorMessages.connectionShort));
    expect(fits.filter(([, whole]) => !whole)).toEqual([]);
    await context.setOffline(false);
    await expect.poll(() => badge.getAttribute('data-state'), { timeout: 20_000 }).toBe('connected');
    expect(problems.errors.filter((error) => !error.includes('net::ERR_INTERNET_DISCONNECTED'))).toEqual([]);
  });
});

describe('a co-writer’s caret on a 390 px phone', () => {
  it('keeps its name label inside the editor at the end of a line, turned to the caret’s left, the page as wide as the screen', async () => {
    const { id } = await createDocument(writer, app.espaceId, 'Pair-aidance en Corrèze');
    const { page: desk } = await app.open({ as: writer, viewport: DESKTOP });
    await desk.goto(`${app.baseUrl}/documents/${id}`);
    const origineOnDesk = sectionOf(desk, 'origine').locator('p').first();
    await origineOnDesk.click();
    await desk.keyboard.type(
      'Le centre communal d’action sociale d’une commune accompagne depuis 2015 un collectif de locataires qui agit sur le logement.',
    );
    const reader = await invite(app.admin, app.espaceId, 'membre', 'Mélina');
    const { page: phone, problems } = await app.open({ as: reader, viewport: PHONE });
    const layoutSeen = await watchLayout(phone);
    await phone.goto(`${app.baseUrl}/documents/${id}`);
    const origineOnPhone = sectionOf(phone, 'origine').locator('p').first();
    await expect.poll(() => textOf(origineOnPhone)).toContain('sur le logement.');
    // The offset of the last character of the paragraph's first line on the phone.
    const endOfFirstLine = await origineOnPhone.evaluate((paragraph) => {
      const text = paragraph.firstChild as Text;
      const range = document.createRange();
      range.setStart(text, 0);
      range.setEnd(text, 1);
      const firstTop = range.getBoundingClientRect().top;
      for (let i = 1; i < text.length; i++) {
        range.setStart(text, i);
        range.setEnd(text, i + 1);
        if (range.getBoundingClientRect().top > firstTop + 5) return i - 1;
      }
      return text.length;
    });
    await origineOnDesk.click();
    await desk.keyboard.press('Home');
    for (let i = 0; i < endOfFirstLine; i++) await desk.keyboard.press('ArrowRight');
    const label = caretLabelOf(phone, 'Solène');
    await label.waitFor();
    const editorBox = await editorOf(phone).evaluate(
      (node) => node.getBoundingClientRect().toJSON() as DOMRect,
    );
    await expect
      .poll(() => label.evaluate((node) => node.getBoundingClientRect().right))
      .toBeLessThanOrEqual(editorBox.right);
    expect(await label.evaluate((node) => node.getBoundingClientRect().left)).toBeGreaterThanOrEqual(
      editorBox.left,
    );
    expect((await layoutSeen()).widest).toBeLessThanOrEqual(PHONE.width);
    await shot(phone, 'mobile-curseur-bord-390.png');
    expect(unexpectedProblems(problems)).toEqual({ errors: [], cspViolations: [] });
  });
});

describe('tables on a 390 px phone', () => {
  it('scroll sideways inside their frame instead of squeezing their columns, the page as wide as the screen', async () => {
    const { page, problems } = await app.open({ as: app.admin, viewport: PHONE });
    for (const where of ['personnes', 'relecture']) {
      await page.goto(`${app.baseUrl}/espaces/${app.espaceId}/${where}`);
      const table = page.locator('.fr-table table').first();
      await table.waitFor();
      await shot(page, `mobile-tableau-${where}-390.png`);
      const sizes = await table.evaluate((node) => {
        const container = node.closest('.fr-table__container') as HTMLElement;
        return {
          table: node.getBoundingClientRect().width,
          frame: container.clientWidth,
          scrolls: container.scrollWidth > container.clientWidth,
          page: document.documentElement.scrollWidth,
        };
      });
      expect(sizes.table, where).toBeGreaterThanOrEqual(640);
      expect(sizes.scrolls, where).toBe(true);
      expect(sizes.page, where).toBeLessThanOrEqual(PHONE.width);
    }
    expect(unexpectedProblems(problems)).toEqual({ errors: [], cspViolations: [] });
  });
});

/**
 * What a new user of the demonstration meets (issue 16: the first card measured at 984 px and the
 * first paragraph at 1,030 px on a 390 × 844 phone): the demonstration espace's name (two lines of
 * title), the catalogue's lead and the kit's hint, « Tableau de relecture » and « Nouveau
 * document » for the animatrice, and its longest fiche title, opened by a writer (review strip with
 * « Soumettre » and « Approuver », outline, gauge, fiche information) and by a membre (« Lecture
 * seule » notice).
 */
describe('the demonstration’s pages on a 390 px phone', () => {
  /** Leaves room under the first screen's fold (844 px): the top of what must be seen. */
  const WITHIN_FIRST_SCREEN = 700;
  const DEMO_ESPACE = 'Pratiques émergentes du travail social';
  const DEMO_TITLE = 'Aller-vers les allocataires sans demande : appels et permanences délocalisées — Oise';
  let espaceId: string;
  let animatrice: Session;
  let membre: Session;
  let demoFicheId: string;

  beforeAll(async () => {
    const created = await app.admin.fetch('/api/espaces', { method: 'POST', json: { name: DEMO_ESPACE } });
    expect(created.status).toBeLessThan(300);
    ({ id: espaceId } = (await created.json()) as { id: string });
    animatrice = await invite(app.admin, espaceId, 'animateur', 'Sophie Lambert');
    membre = await invite(app.admin, espaceId, 'membre', 'Paul Renaud');
    ({ id: demoFicheId } = await createDocument(animatrice, espaceId, DEMO_TITLE));
    await createDocument(animatrice, espaceId, 'Conférences familiales en protection de l’enfance — Ardèche');
    await createDocument(animatrice, espaceId, 'Document de synthèse — pratiques émergentes', 'synthese');
  });

  const pageWidth = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth);

  /** The editor once its text is shown, with what is drawn above it (review, outline, late chunk). */
  async function openSettledEditor(page: Page, id: string, readOnly: boolean) {
    await page.goto(`${app.baseUrl}/documents/${id}`);
    await editorOf(page).waitFor();
    await page.locator('section.essaim-review-bar').waitFor();
    await page.getByRole('button', { name: /^Sommaire · / }).waitFor();
    await page.getByRole('button', { name: 'Informations de la fiche' }).waitFor();
    if (!readOnly) await expect.poll(() => editorOf(page).getAttribute('contenteditable')).toBe('true');
    await expect.poll(() => page.locator('.essaim-editor--waiting').count()).toBe(0);
  }

  it('shows the first document card well within the first screen, the page as wide as the screen', async () => {
    // (axe is injected as an inline script; the page's CSP is checked by the tests above.)
    const { page, problems } = await app.open({ as: animatrice, viewport: PHONE, bypassCSP: true });
    await page.goto(`${app.baseUrl}/espaces/${espaceId}`);
    await firstCardOf(page).waitFor();
    await expect.poll(() => page.locator('article.essaim-doc-card').count()).toBe(3);
    await page.screenshot({ path: path.join(artifactsDir, 'mobile-demo-catalogue-390-ecran.png') });
    await shot(page, 'mobile-demo-catalogue-390.png');
    expect(await pageTop(firstCardOf(page))).toBeLessThanOrEqual(WITHIN_FIRST_SCREEN);
    expect(await pageWidth(page)).toBe(PHONE.width);
    // The header keeps the service's name; its tagline is the DSFR's wide header's.
    expect(await page.locator('.fr-header__service-title').isVisible()).toBe(true);
    expect(await page.locator('.fr-header__service-tagline').isVisible()).toBe(false);
    // The kit's hint is the short sentence beside its button (the one its button is described by).
    const hint = page.locator('.essaim-kit__hint');
    expect(await hint.innerText()).toBe('Les fiches publiées en PDF, Word et Markdown (zip).');
    // The two actions on one line, named by what they show.
    const review = page.getByRole('link', { name: 'Relecture', exact: true });
    const create = page.getByRole('link', { name: 'Nouveau document' });
    const [reviewBox, createBox] = [await review.boundingBox(), await create.boundingBox()];
    expect(reviewBox?.y).toBe(createBox?.y);
    expect(await runAxe(page)).toEqual([]);
    expect(unexpectedProblems(problems)).toEqual({ errors: [], cspViolations: [] });
  });

  it('folds the sort and the display behind what they are set to, unfolded with the keyboard alone', async () => {
    const { page } = await app.open({ as: animatrice, viewport: PHONE });
    await page.goto(`${app.baseUrl}/espaces/${espaceId}`);
    await firstCardOf(page).waitFor();
    const fold = page.getByRole('button', { name: 'Tri · Dernière modification, décroissant' });
    expect(await fold.getAttribute('aria-expanded')).toBe('false');
    const sort = page.getByRole('combobox', { name: 'Trier par' });
    expect(await sort.isVisible()).toBe(false);
    await fold.focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => fold.getAttribute('aria-expanded')).toBe('true');
    await page.keyboard.press('Tab');
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('name'))).toBe('tri');
    await sort.selectOption('title');
    // The fold says the new sort, and the cards follow it.
    await page.getByRole('button', { name: 'Tri · Titre, croissant' }).waitFor();
    await expect
      .poll(() => page.locator('article.essaim-doc-card h3').first().textContent())
      .toContain('Aller-vers');
    await shot(page, 'mobile-demo-catalogue-tri-390.png');
    expect(await pageWidth(page)).toBe(PHONE.width);
  });

  it('starts the first paragraph of a writer’s fiche within the first screen, the page as wide as the screen', async () => {
    const { page, problems } = await app.open({ as: animatrice, viewport: PHONE, bypassCSP: true });
    await openSettledEditor(page, demoFicheId, false);
    await page.screenshot({ path: path.join(artifactsDir, 'mobile-demo-editeur-390-ecran.png') });
    await shot(page, 'mobile-demo-editeur-390.png');
    expect(await pageTop(editorOf(page).locator('p').first())).toBeLessThanOrEqual(WITHIN_FIRST_SCREEN);
    expect(await pageWidth(page)).toBe(PHONE.width);
    expect(await runAxe(page)).toEqual([]);
    // The status row sits on the breadcrumb's line, inside the screen; Tab goes from the
    // breadcrumb to its buttons, as they are read.
    const crumb = page.getByRole('button', { name: 'Voir le fil d’Ariane' });
    const history = page.locator('.essaim-doc-status button').first();
    const [crumbBox, historyBox] = [await crumb.boundingBox(), await history.boundingBox()];
    expect(Math.abs((crumbBox?.y ?? 0) - (historyBox?.y ?? 100))).toBeLessThan(24);
    expect((historyBox?.x ?? 0) + (historyBox?.width ?? 0)).toBeLessThanOrEqual(PHONE.width);
    await crumb.focus();
    await page.keyboard.press('Tab');
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.closest('.essaim-doc-status') !== null))
      .toBe(true);
    // Unfolded, the breadcrumb takes the whole line; the page stays as wide as the screen.
    await crumb.click();
    // (The DSFR hides the button once the breadcrumb is unfolded.)
    await expect
      .poll(() => page.locator('.fr-breadcrumb__button').getAttribute('aria-expanded'))
      .toBe('true');
    await page.getByRole('link', { name: DEMO_ESPACE }).waitFor();
    expect(await pageWidth(page)).toBe(PHONE.width);
    expect(unexpectedProblems(problems)).toEqual({ errors: [], cspViolations: [] });
    // Gone from the document: the membre below reads it alone, as a new user would.
    await page.close();
  });

  it('keeps the whole toolbar reachable in its one row, scrolling sideways to the button that takes the focus', async () => {
    const { page } = await app.open({ as: animatrice, viewport: PHONE });
    await openSettledEditor(page, demoFicheId, false);
    const toolbar = page.getByRole('toolbar', { name: 'Mise en forme du texte' });
    const buttons = toolbar.getByRole('button');
    const first = buttons.first();
    const [firstBox, lastBox] = [await first.boundingBox(), await buttons.last().boundingBox()];
    expect(lastBox?.y).toBe(firstBox?.y);
    // The last button is past the screen's edge until the arrow keys reach it.
    expect((lastBox?.x ?? 0) + (lastBox?.width ?? 0)).toBeGreaterThan(PHONE.width);
    await first.focus();
    await page.keyboard.press('End');
    await expect
      .poll(() =>
        buttons.last().evaluate((button) => {
          const box = button.getBoundingClientRect();
          return document.activeElement === button && box.right <= window.innerWidth;
        }),
      )
      .toBe(true);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBe(PHONE.width);
    await page.close();
  });

  it('starts the first paragraph of a membre’s fiche within the first screen, under the « Lecture seule » notice', async () => {
    const { page } = await app.open({ as: membre, viewport: PHONE });
    await openSettledEditor(page, demoFicheId, true);
    await page.locator('.essaim-readonly-notice').waitFor();
    // Alone in the document: the presence's « 1 » in the outline's line.
    await page.getByRole('button', { name: 'Personnes présentes · 1 personne' }).waitFor();
    await page.screenshot({ path: path.join(artifactsDir, 'mobile-demo-lecture-390-ecran.png') });
    expect(await pageTop(editorOf(page).locator('p').first())).toBeLessThanOrEqual(WITHIN_FIRST_SCREEN);
    expect(await pageWidth(page)).toBe(PHONE.width);
  });

  it('starts the first paragraph of a membre’s fiche within the first screen when its first section was written again since its approval, its review header on one line (tester F3)', async () => {
    const { id } = await createDocument(animatrice, espaceId, DEMO_TITLE);
    const sectionsOf = async () =>
      (
        (await (
          await animatrice.fetch(`/api/documents/${id}/sections`)
        ).json()) as ReviewedDocumentSectionsDto
      ).sections;
    const [first] = await sectionsOf();
    if (!first) throw new Error('no section');
    const approved = await animatrice.fetch(`/api/documents/${id}/sections/${first.id}/review`, {
      method: 'POST',
      json: { action: 'approve', hash: first.hash },
    });
    expect(approved.status).toBe(200);
    // The animatrice writes in it again, from her computer.
    const { page: desk } = await app.open({ as: animatrice, viewport: DESKTOP });
    await desk.goto(`${app.baseUrl}/documents/${id}`);
    await expect.poll(() => editorOf(desk).getAttribute('contenteditable')).toBe('true');
    await editorOf(desk).locator('p').first().click();
    await desk.keyboard.type('Une phrase écrite après l’approbation.');
    await expect.poll(async () => (await sectionsOf())[0]?.review.stale, { timeout: 15_000 }).toBe(true);
    await desk.close();

    const { page } = await app.open({ as: membre, viewport: PHONE, bypassCSP: true });
    await openSettledEditor(page, id, true);
    const header = page.locator('.essaim-review').first();
    await header.locator('[data-review-stale]').waitFor();
    await page.screenshot({ path: path.join(artifactsDir, 'mobile-demo-modifiee-390-ecran.png') });
    // 866 px before: the badges, the decision's line and « Voir les modifications depuis
    // l’approbation » on three lines.
    expect(await pageTop(editorOf(page).locator('p').first())).toBeLessThanOrEqual(WITHIN_FIRST_SCREEN);
    expect(await pageWidth(page)).toBe(PHONE.width);
    // One line: the two badges and the button centred on the same height.
    const middles = await header
      .locator('.essaim-review__status > .fr-badge, .essaim-review__actions button')
      .evaluateAll((nodes) =>
        nodes.map((node) => {
          const box = node.getBoundingClientRect();
          return Math.round(box.top + box.height / 2);
        }),
      );
    expect(middles.length).toBe(3);
    expect(Math.max(...middles) - Math.min(...middles)).toBeLessThan(4);
    // Screen readers hear the whole words: the state, who approved it and when, and the button's
    // whole name.
    const heard = await header.ariaSnapshot();
    expect(heard).toContain('Modifiée depuis l’approbation');
    expect(heard).toMatch(/Approuvée par Sophie Lambert le /);
    // Tapped, the state shows who approved it and when; tapped again, it folds.
    const line = header.locator('.essaim-review__line');
    const lineHeight = () => line.evaluate((node) => node.getBoundingClientRect().height);
    expect(await lineHeight()).toBeLessThanOrEqual(1);
    const state = header.getByRole('button', { name: /^Approuvée : qui et quand, section « / });
    expect(await state.getAttribute('aria-expanded')).toBe('false');
    await state.click();
    await expect.poll(lineHeight).toBeGreaterThan(10);
    expect(await state.getAttribute('aria-expanded')).toBe('true');
    await page.screenshot({ path: path.join(artifactsDir, 'mobile-demo-modifiee-touchee-390-ecran.png') });
    await state.click();
    await expect.poll(lineHeight).toBeLessThanOrEqual(1);
    // With a keyboard too (a phone's, or a computer's window at 200 % zoom): the state is in the tab
    // order, Enter and Space unfold and fold it.
    expect(await state.getAttribute('tabindex')).toBe('0');
    await state.focus();
    await page.keyboard.press('Enter');
    await expect.poll(lineHeight).toBeGreaterThan(10);
    await page.keyboard.press('Space');
    await expect.poll(lineHeight).toBeLessThanOrEqual(1);
    expect(await state.getAttribute('aria-expanded')).toBe('false');
    await header
      .getByRole('button', { name: /^Voir les modifications depuis l’approbation de la section « / })
      .click();
    await page.getByRole('dialog', { name: /^Modifications depuis l’approbation/ }).waitFor();
    expect(await runAxe(page)).toEqual([]);
  });

  it('keeps the portal home’s lines when Marianne comes after the page: its stand-in breaks them the same', async () => {
    const { page, problems } = await app.open({ viewport: PHONE });
    let letFontsGo = () => {};
    const fontsHeld = new Promise<void>((release) => {
      letFontsGo = release;
    });
    await page.route('**/fonts/**', async (route) => {
      await fontsHeld;
      await route.continue();
    });
    const layoutSeen = await watchLayout(page);
    // Not until `load`: the page's load waits for its fonts, held here.
    await page.goto(`${app.baseUrl}/pratiques/`, { waitUntil: 'domcontentloaded' });
    await page.getByRole('searchbox').first().waitFor();
    expect(await page.evaluate(() => document.fonts.check('500 14px Marianne'))).toBe(false);
    letFontsGo();
    await expect.poll(() => page.evaluate(() => document.fonts.check('500 14px Marianne'))).toBe(true);
    await page.evaluate(() =>
      document.fonts.ready.then(() => new Promise((frame) => requestAnimationFrame(frame))),
    );
    // 0.16 before: the navigation and the tagline broke their lines elsewhere in the system font.
    expect((await layoutSeen()).shifts.reduce((sum, value) => sum + value, 0)).toBeLessThan(0.05);
    expect(unexpectedProblems(problems)).toEqual({ errors: [], cspViolations: [] });
  });

  it('shows the portal’s home as wide as the screen, its search field within the first screen', async () => {
    const { page, problems } = await app.open({ viewport: PHONE });
    await page.goto(`${app.baseUrl}/pratiques/`);
    const search = page.getByRole('searchbox').first();
    await search.waitFor();
    await shot(page, 'mobile-demo-portail-390.png');
    expect(await pageTop(search)).toBeLessThanOrEqual(WITHIN_FIRST_SCREEN);
    expect(await pageWidth(page)).toBe(PHONE.width);
    expect(unexpectedProblems(problems)).toEqual({ errors: [], cspViolations: [] });
  });
});

describe('on a 1280 px screen', () => {
  it('keeps the filters, the presence, the outline and the gauge unfolded, with no fold button', async () => {
    const { page } = await app.open({ as: writer, viewport: DESKTOP });
    await page.goto(`${app.baseUrl}/espaces/${app.espaceId}`);
    await firstCardOf(page).waitFor();
    expect(await kindSelectOf(page).isVisible()).toBe(true);
    expect(await page.getByRole('button', { name: /^Filtrer les documents · / }).count()).toBe(0);
    // What a phone shortens or folds is whole here: the header's tagline, the lead, the kit's
    // hint, the sort and the display.
    expect(await page.locator('.fr-header__service-tagline').isVisible()).toBe(true);
    expect(await page.locator('.essaim-catalogue-lead').innerText()).toMatch(/cherchez, filtrez/);
    expect(await page.locator('.essaim-kit__hint').innerText()).toMatch(/^Un zip des fiches publiées/);
    expect(await page.getByRole('combobox', { name: 'Trier par' }).isVisible()).toBe(true);
    expect(await page.getByRole('button', { name: /^Tri · / }).count()).toBe(0);
    await shot(page, 'catalogue-1280.png');

    await page.goto(`${app.baseUrl}/documents/${ficheId}`);
    await expect.poll(() => editorOf(page).getAttribute('contenteditable')).toBe('true');
    expect(await page.getByRole('navigation', { name: 'Sommaire' }).isVisible()).toBe(true);
    expect(await page.getByTestId('presence-list').isVisible()).toBe(true);
    expect(await page.getByTestId('length-estimate').textContent()).toMatch(
      /^≈ 0,\d page · objectif : 4 à 5 pages$/,
    );
    expect(await page.getByRole('button', { name: /^Sommaire · / }).count()).toBe(0);
    await shot(page, 'editeur-1280.png');
  });
});

describe('words longer than the screen', () => {
  it('wrap a title and a theme name without spaces instead of widening the page', async () => {
    const title = 'TX'.repeat(100);
    const { id } = await createDocument(writer, app.espaceId, title);
    const theme = await app.admin.fetch(`/api/espaces/${app.espaceId}/themes`, {
      method: 'POST',
      json: { label: 'Thème'.padEnd(80, 'W') },
    });
    expect(theme.status).toBeLessThan(300);
    const { page } = await app.open({ as: writer, viewport: PHONE });
    const pageWidth = () => page.evaluate(() => document.documentElement.scrollWidth);
    await page.goto(`${app.baseUrl}/documents/${id}`);
    await expect.poll(() => editorOf(page).getAttribute('contenteditable')).toBe('true');
    expect(await pageWidth()).toBeLessThanOrEqual(PHONE.width);
    await page.goto(`${app.baseUrl}/espaces/${app.espaceId}`);
    await firstCardOf(page).waitFor();
    expect(await pageWidth()).toBeLessThanOrEqual(PHONE.width);
    await page.goto(`${app.baseUrl}/espaces/${app.espaceId}/themes`);
    await page.getByText('Thème'.padEnd(80, 'W')).first().waitFor();
    expect(await pageWidth()).toBeLessThanOrEqual(PHONE.width);
  });
});
