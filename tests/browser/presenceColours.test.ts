import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { createDocument, invite, type Session } from '../support/accounts.js';
import { artifactsDir } from './support/chromium.js';
import { unexpectedProblems, useBrowserApp } from './support/app.js';
import { caretLabelOf, editorOf } from './support/coWriting.js';

const app = useBrowserApp();

/** Three animateurs whose accounts have the same colour (the colour a hash of their id gives). */
let colliding: { session: Session; name: string }[];

const FIRST_NAMES = [
  'Ambre',
  'Basile',
  'Céleste',
  'Dorian',
  'Élise',
  'Fanny',
  'Gaspard',
  'Hélène',
  'Inès',
  'Jules',
  'Katell',
  'Lucien',
  'Maëlle',
  'Noé',
  'Odile',
  'Pierrick',
  'Quitterie',
];

beforeAll(async () => {
  // Invite people until three share an account colour (8 colours: at most 17 invitations).
  const byColour = new Map<string, { session: Session; name: string }[]>();
  for (const name of FIRST_NAMES) {
    const session = await invite(app.admin, app.espaceId, 'animateur', name);
    const me = (await (await session.fetch('/api/auth/me')).json()) as { user: { color: string } };
    const group = byColour.get(me.user.color) ?? [];
    group.push({ session, name });
    byColour.set(me.user.color, group);
    if (group.length === 3) {
      colliding = group;
      return;
    }
  }
  throw new Error('aucune couleur partagée par trois comptes');
});

/** The entries of the presence list shown in `page`, in order: a name and its swatch's colour. */
const presenceEntries = (page: Page): Promise<{ name: string; colour: string }[]> =>
  page.getByTestId('presence-list').evaluate((list) =>
    [...list.querySelectorAll('li')].flatMap((item) => {
      const swatch = item.querySelector('.essaim-presence__swatch');
      const name = (item.textContent ?? '').replace(/\s*\(vous\)$/, '').trim();
      return swatch ? [{ name, colour: getComputedStyle(swatch).backgroundColor }] : [];
    }),
  );

/** Each person of the presence list shown in `page`, with their swatch's colour. */
const presenceColours = async (page: Page): Promise<Record<string, string>> =>
  Object.fromEntries((await presenceEntries(page)).map(({ name, colour }) => [name, colour]));

const caretColour = (page: Page, name: string): Promise<string> =>
  caretLabelOf(page, name).evaluate((label) => getComputedStyle(label).backgroundColor);

const badgeOf = (page: Page) => page.getByRole('status').filter({ hasText: 'État de la connexion' });

/** Waits until every page shows the three people, in three distinct colours, the same everywhere. */
async function agreedColours(pages: Page[], names: string[]): Promise<Record<string, string>> {
  let agreed: Record<string, string> = {};
  await expect
    .poll(
      async () => {
        const views = await Promise.all(pages.map(presenceColours));
        const first = views[0] ?? {};
        const same = views.every((v) => names.every((n) => v[n] === first[n]));
        const distinct = new Set(names.map((n) => first[n])).size === names.length;
        const complete = names.every((n) => first[n] !== undefined);
        agreed = first;
        return same && distinct && complete;
      },
      { timeout: 20_000 },
    )
    .toBe(true);
  return agreed;
}

describe('the colours of the people present in a document', () => {
  it('gives three people whose account colours collide three distinct colours, the same in every view and kept across a reconnection', async () => {
    const doc = await createDocument(app.admin, app.espaceId, 'Pair-aidance en Ille-et-Vilaine');
    const names = colliding.map((p) => p.name);
    const tabs = [];
    for (const person of colliding) {
      const tab = await app.open({ as: person.session });
      await tab.page.goto(`${app.baseUrl}/documents/${doc.id}`);
      await expect.poll(() => editorOf(tab.page).getAttribute('contenteditable')).toBe('true');
      await editorOf(tab.page).click();
      tabs.push(tab);
    }
    const pages = tabs.map((t) => t.page);
    const colours = await agreedColours(pages, names);

    // Each caret's name label has the colour of that person in the presence list.
    for (const [i, page] of pages.entries()) {
      for (const [j, name] of names.entries()) {
        if (i === j) continue;
        await expect.poll(() => caretColour(page, name)).toBe(colours[name]);
      }
    }
    await pages[0]?.screenshot({ path: path.join(artifactsDir, 'presence-couleurs.png') });

    // The second person loses the network, then comes back: everyone keeps their colour.
    const [, second] = tabs;
    if (!second) throw new Error('three tabs expected');
    await second.context.setOffline(true);
    await expect.poll(() => badgeOf(second.page).textContent()).toContain('Hors ligne');
    await second.context.setOffline(false);
    await expect.poll(() => badgeOf(second.page).textContent()).toMatch(/Connecté|Enregistré/);
    expect(await agreedColours(pages, names)).toEqual(colours);

    // Reloading the page (a new Yjs client) gives the same colour back: the others hold theirs.
    await second.page.reload();
    await expect.poll(() => editorOf(second.page).getAttribute('contenteditable')).toBe('true');
    expect(await agreedColours(pages, names)).toEqual(colours);

    // While offline, the page's requests (a new websocket token, a chunk) fail as they should.
    for (const tab of tabs) {
      const { errors, cspViolations } = unexpectedProblems(tab.problems);
      expect(errors.filter((e) => !e.includes('net::ERR_INTERNET_DISCONNECTED'))).toEqual([]);
      expect(cspViolations).toEqual([]);
    }
  });

  it('shows a person with two tabs once, in the colour of both their carets, distinct from the others’, in every view', async () => {
    const doc = await createDocument(app.admin, app.espaceId, 'Aller-vers en Ardèche');
    const [first, second, third] = colliding;
    if (!first || !second || !third) throw new Error('three people expected');
    // The first person in two tabs, then the two others: four tabs, three people, four carets.
    const tabs = [];
    for (const person of [first, first, second, third]) {
      const tab = await app.open({ as: person.session });
      await tab.page.goto(`${app.baseUrl}/documents/${doc.id}`);
      await expect.poll(() => editorOf(tab.page).getAttribute('contenteditable')).toBe('true');
      await editorOf(tab.page).click();
      tabs.push(tab);
    }
    const pages = tabs.map((t) => t.page);
    /** Every page's presence list (a name and its swatch's colour), and the third person's view of the first person's carets. */
    const seen = async () => ({
      lists: await Promise.all(pages.map(presenceEntries)),
      firstCarets: await caretLabelOf(pages[3] as Page, first.name).evaluateAll((labels) =>
        labels.map((label) => getComputedStyle(label).backgroundColor),
      ),
    });
    await expect
      .poll(
        async () => {
          const { lists, firstCarets } = await seen();
          const colourOf = new Map<string, Set<string>>();
          for (const entry of lists.flat())
            colourOf.set(entry.name, (colourOf.get(entry.name) ?? new Set()).add(entry.colour));
          const firstColour = [...(colourOf.get(first.name) ?? [])][0];
          return {
            entries: lists.map((list) => list.length),
            coloursPerPerson: [first, second, third].map((p) => colourOf.get(p.name)?.size ?? 0),
            distinct: new Set([first, second, third].map((p) => [...(colourOf.get(p.name) ?? [])][0])).size,
            firstCarets: firstCarets.map((colour) => colour === firstColour),
          };
        },
        { timeout: 20_000 },
      )
      .toEqual({
        entries: [3, 3, 3, 3],
        coloursPerPerson: [1, 1, 1],
        distinct: 3,
        firstCarets: [true, true],
      });
    await pages[3]?.getByText('3 personnes').first().waitFor({ state: 'attached' });
    for (const tab of tabs)
      expect(unexpectedProblems(tab.problems)).toEqual({ errors: [], cspViolations: [] });
  });
});
