import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { createDocument } from '../support/accounts.js';
import { artifactsDir } from './support/chromium.js';
import { unexpectedProblems, useBrowserApp } from './support/app.js';
import {
  editorOf,
  placeCaret,
  sectionOf,
  storedDocument,
  textOf,
  useTwoRapporteurs,
} from './support/coWriting.js';

/**
 * One person moves a section with « Monter » while another types in it, in two Chromium contexts
 * (issue 8, item 3): the server performs the move; the section must appear once, and every
 * keystroke typed in it, before, during and after the move, must be there, in order.
 */

const app = useBrowserApp();
const people = useTwoRapporteurs(app);

/** Milliseconds between two keystrokes: the move lands in the middle of the typing. */
const KEY_DELAY = 40;

/** The section keys in document order, as the page shows them. */
const keysIn = (page: Page): Promise<(string | null)[]> =>
  editorOf(page)
    .locator('section[data-section-key]')
    .evaluateAll((elements) => elements.map((e) => e.getAttribute('data-section-key')));

/** The document as the server holds it, read by a Node provider (section keys and paragraph texts). */
async function storedSections(documentName: string): Promise<{ key: unknown; text: string }[]> {
  const sections: { key: unknown; text: string }[] = [];
  (await storedDocument(app, documentName)).forEach((section) => {
    const paragraphs: string[] = [];
    section.forEach((block) => {
      if (block.type.name === 'paragraph') paragraphs.push(block.textContent);
    });
    sections.push({ key: section.attrs.key, text: paragraphs.join('\n') });
  });
  return sections;
}

/**
 * Holds back what a page sends on its collaboration websocket until released, to put its
 * keystrokes « in flight » at a chosen moment; what it receives still arrives. Installed before
 * the page opens the document.
 */
async function gateOutgoing(page: Page): Promise<{ hold(): void; release(): void }> {
  let held: (string | Buffer)[] | null = null;
  const servers: { send(message: string | Buffer): void }[] = [];
  await page.routeWebSocket(/\/collab/, (ws) => {
    const server = ws.connectToServer();
    servers.push(server);
    ws.onMessage((message) => (held ? held.push(message) : server.send(message)));
    server.onMessage((message) => ws.send(message));
  });
  return {
    hold: () => void (held = []),
    release: () => {
      const messages = held ?? [];
      held = null;
      for (const message of messages) servers[servers.length - 1]?.send(message);
    },
  };
}

describe('moving a section while someone types in it', () => {
  it('moves it once and keeps every keystroke typed in it, in order, for both people and the server', async () => {
    const doc = await createDocument(app.admin, app.espaceId, 'Participation en Gironde', 'fiche');
    const tabs: { page: Page; problems: { errors: string[]; cspViolations: string[] } }[] = [];
    let gate: { hold(): void; release(): void } | null = null;
    await people.assignBoth(doc.id);
    for (const person of [people.bruno, people.chloe]) {
      const tab = await app.open({ as: person });
      if (person === people.chloe) gate = await gateOutgoing(tab.page);
      await tab.page.goto(`${app.baseUrl}/documents/${doc.id}`);
      await editorOf(tab.page).waitFor();
      await expect.poll(() => editorOf(tab.page).getAttribute('contenteditable')).toBe('true');
      // The fiche's thirteen sections have arrived from the server.
      await expect.poll(() => keysIn(tab.page).then((keys) => keys.length)).toBe(13);
      tabs.push(tab);
    }
    const [brunoTab, chloeTab] = tabs as [(typeof tabs)[0], (typeof tabs)[0]];
    const chloeNetwork = gate as unknown as { hold(): void; release(): void };
    const before = await keysIn(brunoTab.page);
    const movedIndex = before.indexOf('participation');
    const movedUp = [...before];
    movedUp.splice(movedIndex - 1, 2, 'participation', before[movedIndex - 1] as string);
    const paragraph = (page: Page) => sectionOf(page, 'participation').locator('p').first();
    const menu = async (action: 'Monter' | 'Descendre') => {
      await brunoTab.page
        .getByRole('button', { name: /^Actions de la section « Place et participation/ })
        .click();
      await brunoTab.page.getByRole('menuitem', { name: action }).click();
    };
    const type = (text: string) => chloeTab.page.keyboard.type(text, { delay: KEY_DELAY });

    // Chloé writes in « Place et participation… ».
    await paragraph(chloeTab.page).click();
    await type('Les familles ');
    await expect.poll(() => textOf(paragraph(brunoTab.page))).toBe('Les familles ');

    // Her next word is still on its way when Bruno moves the section up: the move reaches her
    // first, without it; the server re-applies it in the moved section, and she goes on typing.
    chloeNetwork.hold();
    await type('choisissent');
    await menu('Monter');
    await expect.poll(() => keysIn(chloeTab.page)).toEqual(movedUp);
    chloeNetwork.release();
    await expect.poll(() => textOf(paragraph(chloeTab.page))).toBe('Les familles choisissent');
    await type(' elles-mêmes');

    // Again, and this time she types on before her words come back from the server.
    chloeNetwork.hold();
    await type(' qui elles');
    await menu('Descendre');
    await expect.poll(() => keysIn(chloeTab.page)).toEqual(before);
    await type(' invitent');
    chloeNetwork.release();
    await type(' à la réunion.');

    const text = 'Les familles choisissent elles-mêmes qui elles invitent à la réunion.';
    for (const { page } of tabs) {
      await expect.poll(() => keysIn(page)).toEqual(before);
      await expect.poll(() => textOf(paragraph(page))).toBe(text);
    }
    const stored = await storedSections(doc.name);
    expect(stored.map((s) => s.key)).toEqual(before);
    expect(stored.find((s) => s.key === 'participation')?.text).toBe(text);
    // Bruno can move it again from its menu: the focus came back to it.
    await expect
      .poll(() => brunoTab.page.evaluate(() => document.activeElement?.getAttribute('title') ?? ''))
      .toMatch(/^Actions de la section « Place et participation/);
    await brunoTab.page.screenshot({
      path: path.join(artifactsDir, 'section-deplacee-pendant-la-saisie.png'),
    });
    for (const { problems } of tabs)
      expect(unexpectedProblems(problems)).toEqual({ errors: [], cspViolations: [] });
  });

  // Two rounds of 80 keystrokes 40 ms apart and three moves each: 42 s alone, 67 s with the
  // other tests of this file on a loaded 2-core machine; twice the default budget.
  it('keeps the typist’s words whole, spaces in place, when a co-writer moves the section three times while they type in the middle of a paragraph', async () => {
    const base = Array.from({ length: 12 }, (_, i) => `base${String(i + 1).padStart(2, '0')}`).join(' ');
    const typed = Array.from({ length: 20 }, (_, i) => ` A${String(i + 1).padStart(2, '0')}`).join('');
    const paragraph = (page: Page) => sectionOf(page, 'participation').locator('p').first();
    for (let round = 0; round < 2; round++) {
      const { name, tabs } = await people.openSharedFiche(`Aller-vers dans le Gard ${round}`);
      const [bruno, chloe] = tabs;
      await paragraph(bruno.page).click();
      await bruno.page.keyboard.type(base);
      await expect.poll(() => textOf(paragraph(chloe.page))).toBe(base);
      await placeCaret(bruno, chloe, paragraph, base.indexOf(' base07'));
      const order = await keysIn(chloe.page);
      const at = order.indexOf('participation');
      const down = [...order];
      down.splice(at, 2, order[at + 1] as string, 'participation');
      const typing = bruno.page.keyboard.type(typed, { delay: KEY_DELAY });
      // Each move once Chloé sees a few more of Bruno's words: they are typed during the moves.
      for (const [action, seen, then] of [
        ['Descendre', ' A02', down],
        ['Monter', ' A07', order],
        ['Descendre', ' A12', down],
      ] as const) {
        await expect.poll(() => textOf(paragraph(chloe.page))).toContain(seen);
        await chloe.page
          .getByRole('button', { name: /^Actions de la section « Place et participation/ })
          .click();
        await chloe.page.getByRole('menuitem', { name: action, exact: true }).click();
        await expect.poll(() => keysIn(chloe.page)).toEqual(then);
      }
      await typing;
      const text = base.replace('base06', `base06${typed}`);
      for (const { page } of tabs) await expect.poll(() => textOf(paragraph(page))).toBe(text);
      expect((await storedSections(name)).find((s) => s.key === 'participation')?.text).toBe(text);
      for (const { page, problems } of tabs) {
        expect(unexpectedProblems(problems)).toEqual({ errors: [], cspViolations: [] });
        await page.close();
      }
    }
  }, 180_000);

  it('moves a section up twice when « Monter » is pressed twice before the first answer', async () => {
    const doc = await createDocument(app.admin, app.espaceId, 'Deux fois monter', 'fiche');
    await people.assignBoth(doc.id);
    const { page, problems } = await app.open({ as: people.bruno });
    const network = await gateOutgoing(page);
    await page.goto(`${app.baseUrl}/documents/${doc.id}`);
    await expect.poll(() => editorOf(page).getAttribute('contenteditable')).toBe('true');
    await expect.poll(() => keysIn(page).then((keys) => keys.length)).toBe(13);
    const before = await keysIn(page);
    const at = before.indexOf('participation');
    const expected = [...before];
    expected.splice(at, 1);
    expected.splice(at - 2, 0, 'participation');
    // The first request waits in the network while the second one is asked.
    network.hold();
    for (let i = 0; i < 2; i++) {
      await page.getByRole('button', { name: /^Actions de la section « Place et participation/ }).click();
      await page.getByRole('menuitem', { name: 'Monter' }).click();
    }
    network.release();
    await expect.poll(() => keysIn(page)).toEqual(expected);
    expect((await storedSections(doc.name)).map((s) => s.key)).toEqual(expected);
    expect(unexpectedProblems(problems)).toEqual({ errors: [], cspViolations: [] });
  });

  it('offers « Monter » and « Descendre » disabled, with the reason, while the editor is offline', async () => {
    const doc = await createDocument(app.admin, app.espaceId, 'Hors connexion', 'fiche');
    await people.assignBoth(doc.id);
    const { page, context } = await app.open({ as: people.bruno });
    await page.goto(`${app.baseUrl}/documents/${doc.id}`);
    await expect.poll(() => editorOf(page).getAttribute('contenteditable')).toBe('true');
    // The document has arrived from the server (its sections are shown) before the network goes.
    await sectionOf(page, 'public').waitFor();
    await context.setOffline(true);
    await expect.poll(() => page.getByText(/Hors ligne/).count(), { timeout: 20_000 }).toBeGreaterThan(0);

    await page.getByRole('button', { name: 'Actions de la section « Public concerné »' }).click();
    const menu = page.getByRole('menu', { name: 'Actions de la section « Public concerné »' });
    for (const name of ['Monter', 'Descendre'])
      expect(await menu.getByRole('menuitem', { name }).getAttribute('aria-disabled')).toBe('true');
    await expect.poll(() => page.getByText(/demande la connexion au serveur/).count()).toBe(1);

    await page.screenshot({ path: path.join(artifactsDir, 'section-deplacement-hors-ligne.png') });
    await context.setOffline(false);
  });
});
