import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import type {
  DocumentDto,
  ReviewedDocumentSectionsDto,
  ReviewQueueDto,
  SectionReviewReplyDto,
} from '@essaim/protocol';
import { invite, type Session } from '../support/accounts.js';
import { writeInSection } from '../support/comments.js';
import { connectAs, isSettled } from '../support/provider.js';
import { runAxe } from './support/axe.js';
import { unexpectedProblems, useBrowserApp } from './support/app.js';
import { artifactsDir } from './support/chromium.js';

/**
 * The « Relecture » dashboard (issue 12) and the catalogue's review states: the animateur decides
 * from the dashboard, with what changed since the last approval in front of her, keyboard only;
 * an approval of words changed after the dashboard showed them is refused and the new words are
 * shown; a rapporteur sees only the requests and stale approvals of her documents; filters by
 * document and theme stay in the address; a membre has neither the link nor the page; the
 * catalogue shows each document's state, filters on it and sorts by progress. axe on each page,
 * screenshots in tests/artifacts/.
 */

const app = useBrowserApp();
/** Rapporteur of the fiches made here. */
let thomas: Session;
/** Another rapporteur, with a fiche of her own. */
let karima: Session;
let paul: Session;

beforeAll(async () => {
  thomas = await invite(app.admin, app.espaceId, 'rapporteur', 'Thomas Girard');
  karima = await invite(app.admin, app.espaceId, 'rapporteur', 'Karima Haddad');
  paul = await invite(app.admin, app.espaceId, 'membre', 'Paul Renaud');
});

const dashboard = (query = '') => `${app.baseUrl}/espaces/${app.espaceId}/relecture${query}`;
const shot = (page: Page, name: string) =>
  page.screenshot({ path: path.join(artifactsDir, name), fullPage: true });

/** A fiche made by the animateur and assigned to `rapporteur`, with these themes. */
async function assignedFiche(
  title: string,
  rapporteur: Session,
  themes: string[] = [],
): Promise<DocumentDto> {
  const created = await app.admin.fetch('/api/documents', {
    method: 'POST',
    json: { espaceId: app.espaceId, title, kind: 'fiche', themes },
  });
  expect(created.status).toBe(201);
  const doc = (await created.json()) as DocumentDto;
  const assigned = await app.admin.fetch(`/api/documents/${doc.id}/assignments`, {
    method: 'POST',
    json: { userId: rapporteur.userId },
  });
  expect(assigned.status).toBe(200);
  return doc;
}

async function sectionsOf(session: Session, id: string): Promise<ReviewedDocumentSectionsDto> {
  const response = await session.fetch(`/api/documents/${id}/sections`);
  expect(response.status).toBe(200);
  return (await response.json()) as ReviewedDocumentSectionsDto;
}

/** One review step through the API, as the editor's buttons would send it. */
async function step(
  session: Session,
  id: string,
  sectionId: string,
  body: { action: string; message?: string },
): Promise<SectionReviewReplyDto['section']> {
  const response = await session.fetch(`/api/documents/${id}/sections/${sectionId}/review`, {
    method: 'POST',
    json: body,
  });
  expect(response.status, await response.clone().text()).toBe(200);
  return ((await response.json()) as SectionReviewReplyDto).section;
}

/** Writes `words` as the first paragraph of a section from a Node provider, until the server has them. */
async function writeAs(session: Session, doc: DocumentDto, sectionId: string, words: string): Promise<void> {
  const client = connectAs(session, app.server.wsUrl, doc.name);
  try {
    await expect.poll(() => client.provider.isSynced).toBe(true);
    writeInSection(client.ydoc, sectionId, words);
    await expect.poll(() => isSettled(client)).toBe(true);
  } finally {
    client.destroy();
  }
}

async function queueOf(session: Session, documentId: string): Promise<ReviewQueueDto> {
  const response = await session.fetch(`/api/espaces/${app.espaceId}/review-queue?documentId=${documentId}`);
  expect(response.status).toBe(200);
  return (await response.json()) as ReviewQueueDto;
}

/** The dashboard's card of a section, by its title and its document's. */
const entryOf = (page: Page, section: string, document: string): Locator =>
  page
    .locator('article.essaim-queue-entry')
    .filter({ has: page.getByRole('heading', { level: 4, name: section, exact: true }) })
    .filter({ hasText: document });
const groupOf = (page: Page, group: 'submitted' | 'stale' | 'changes') =>
  page.locator(`section[data-group="${group}"]`);
const headingsIn = (scope: Locator) => scope.locator('h4').allTextContents();
/** The words shown inserted in a card's changes, as read aloud (« Ajouté : … (auteur) »), spaces collapsed. */
const insertionsIn = async (entry: Locator): Promise<string[]> =>
  (await entry.locator('[data-testid="section-diff"] ins').allTextContents()).map((text) =>
    text.replace(/\s+/g, ' ').trim(),
  );

/** What has the keyboard focus: its tag, its text, and the heading it is described by. */
const focused = (page: Page) =>
  page.evaluate(() => {
    const el = document.activeElement;
    const describedBy = el?.getAttribute('aria-describedby');
    return {
      tag: el?.tagName.toLowerCase() ?? '',
      text: el?.textContent?.trim() ?? '',
      about: describedBy ? (document.getElementById(describedBy)?.textContent ?? '') : '',
    };
  });

/** Presses Tab until the focused element matches (at most `max` presses). */
async function tabTo(
  page: Page,
  matches: (f: { tag: string; text: string; about: string }) => boolean,
  max = 120,
): Promise<void> {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    if (matches(await focused(page))) return;
  }
  throw new Error(`élément non atteint au clavier (focus : ${JSON.stringify(await focused(page))})`);
}

describe('the animateur’s dashboard', () => {
  it('decides keyboard only: approves with the changes since the last approval shown, requests changes with a required message', async () => {
    const doc = await assignedFiche('Aller-vers les familles en Ardèche', thomas, ['aller-vers']);
    const all = (await sectionsOf(app.admin, doc.id)).sections;
    const [revised, fresh] = [all[1], all[2]];
    if (!revised || !fresh) throw new Error('sections manquantes');
    // An earlier round: approved, then rewritten by Thomas, who submits it again. Then a first submission.
    await writeAs(thomas, doc, revised.id, 'Une équipe va vers les familles.');
    await step(app.admin, doc.id, revised.id, { action: 'approve' });
    await writeAs(thomas, doc, revised.id, 'Une équipe mobile va vers les familles isolées.');
    await step(thomas, doc.id, revised.id, { action: 'submit', message: 'J’ai précisé le public.' });
    await step(thomas, doc.id, fresh.id, { action: 'submit', message: 'À relire en priorité.' });

    const { page, problems } = await app.open({ as: app.admin, bypassCSP: true });
    await page.goto(dashboard(`?document=${doc.id}`));
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Relecture');
    const waiting = groupOf(page, 'submitted');
    // Oldest submission first.
    await expect.poll(() => headingsIn(waiting)).toEqual([revised.title, fresh.title]);
    const first = entryOf(page, revised.title, doc.title);
    await expect.poll(() => first.textContent()).toContain('Soumise par Thomas Girard le');
    await expect.poll(() => first.textContent()).toContain('J’ai précisé le public.');
    // The words added since the approval, underlined, said as such to screen readers.
    await expect
      .poll(() => insertionsIn(first))
      .toEqual(['Ajouté : mobile (Thomas Girard)', 'Ajouté : isolées (Thomas Girard)']);
    await expect.poll(() => first.locator('[data-testid="section-diff"] del').count()).toBe(0);
    const second = entryOf(page, fresh.title, doc.title);
    await expect.poll(() => second.getByTestId('first-submission').count()).toBe(1);
    await expect
      .poll(() => second.getByRole('link', { name: /Ouvrir la section/ }).getAttribute('href'))
      .toBe(`/documents/${doc.id}?section=${encodeURIComponent(fresh.id)}`);
    // The document's progress, with its state.
    const row = page.locator(`tr[data-document="${doc.id}"]`);
    await expect.poll(() => row.textContent()).toContain('En relecture');
    await expect
      .poll(() => row.getByTestId('document-progress').textContent())
      .toBe('0 / 13 sections approuvées');
    await expect.poll(() => first.getByRole('button', { name: 'Approuver' }).isEnabled()).toBe(true);
    expect(await runAxe(page)).toEqual([]);
    await shot(page, 'relecture-animatrice.png');

    // Keyboard only: Tab to « Approuver » of the first section, Entrée.
    await tabTo(page, (f) => f.text === 'Approuver' && f.about === revised.title);
    await page.keyboard.press('Enter');
    // It leaves the list; the focus goes to the next section waiting; the outcome is announced.
    await expect.poll(() => headingsIn(waiting)).toEqual([fresh.title]);
    await expect.poll(() => focused(page)).toMatchObject({ tag: 'h4', text: fresh.title });
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'est approuvée' }).count()).toBe(1);
    await expect
      .poll(() => row.getByTestId('document-progress').textContent())
      .toBe('1 / 13 sections approuvées');

    // « Demander des modifications »: the message is required, said next to the field.
    await tabTo(page, (f) => f.text === 'Demander des modifications' && f.about === fresh.title);
    await page.keyboard.press('Enter');
    await expect.poll(() => focused(page)).toMatchObject({ tag: 'textarea' });
    await tabTo(page, (f) => f.text === 'Envoyer la demande', 5);
    await page.keyboard.press('Enter');
    const field = second.getByLabel('Modifications demandées');
    await expect.poll(() => field.getAttribute('aria-invalid')).toBe('true');
    await expect
      .poll(() => second.textContent())
      .toContain('Expliquez les modifications demandées dans un message.');
    await expect.poll(() => focused(page)).toMatchObject({ tag: 'textarea' });
    await page.keyboard.type('Ajoutez un exemple de visite à domicile.');
    await tabTo(page, (f) => f.text === 'Envoyer la demande', 5);
    await page.keyboard.press('Enter');
    // Now among the sections to rework, with the request.
    const changes = groupOf(page, 'changes');
    await expect.poll(() => headingsIn(changes)).toEqual([fresh.title]);
    await expect.poll(() => changes.textContent()).toContain('Ajoutez un exemple de visite à domicile.');
    await expect
      .poll(() => changes.textContent())
      .toContain('Modifications demandées par Administratrice le');
    await expect.poll(() => groupOf(page, 'submitted').count()).toBe(0);

    const after = (await sectionsOf(app.admin, doc.id)).sections;
    expect(after.find((s) => s.id === revised.id)?.review).toMatchObject({
      state: 'approuvee',
      stale: false,
    });
    expect(after.find((s) => s.id === fresh.id)?.review).toMatchObject({
      state: 'modifications_demandees',
      message: 'Ajoutez un exemple de visite à domicile.',
    });
    expect(await runAxe(page)).toEqual([]);
    await shot(page, 'relecture-apres-decisions.png');
    expect(unexpectedProblems(problems)).toEqual({ errors: [], cspViolations: [] });
  });

  it('refuses to approve words written after the dashboard showed the section, then shows them', async () => {
    const doc = await assignedFiche('Pair-aidance en Ille-et-Vilaine', thomas, ['pair-aidance']);
    const target = (await sectionsOf(app.admin, doc.id)).sections[1];
    if (!target) throw new Error('section manquante');
    await writeAs(thomas, doc, target.id, 'Un groupe d’entraide mutuelle.');
    await step(app.admin, doc.id, target.id, { action: 'approve' });
    await writeAs(thomas, doc, target.id, 'Un groupe d’entraide mutuelle depuis 2016.');
    await step(thomas, doc.id, target.id, { action: 'submit' });

    const { page, problems } = await app.open({ as: app.admin });
    await page.goto(dashboard(`?document=${doc.id}`));
    const entry = entryOf(page, target.title, doc.title);
    await expect.poll(() => insertionsIn(entry)).toContain('Ajouté : depuis 2016 (Thomas Girard)');
    const approve = entry.getByRole('button', { name: 'Approuver' });
    await expect.poll(() => approve.isEnabled()).toBe(true);

    // Thomas writes while the animateur reads: her click is for the words she saw.
    await writeAs(thomas, doc, target.id, 'Un groupe d’entraide mutuelle depuis 2016, ouvert le samedi.');
    await approve.click();
    await expect
      .poll(() => entry.textContent())
      .toContain('La section a été modifiée pendant votre relecture : relisez-la avant de décider.');
    await expect.poll(() => focused(page)).toMatchObject({ tag: 'div' });
    expect((await sectionsOf(app.admin, doc.id)).sections[1]?.review.state).toBe('soumise');
    // The text is read again: the late words are shown, and approving them works.
    await expect.poll(async () => (await insertionsIn(entry)).join(' ')).toMatch(/ouvert le samedi/);
    await shot(page, 'relecture-refus-mots-non-lus.png');
    await approve.click();
    await expect.poll(() => entryOf(page, target.title, doc.title).count()).toBe(0);
    const approved = (await sectionsOf(app.admin, doc.id)).sections[1];
    expect(approved?.review).toMatchObject({ state: 'approuvee', approvedHash: approved?.hash });
    // The refusal, as Chromium logs every failed request, and nothing else.
    expect(unexpectedProblems(problems)).toEqual({
      errors: ['Failed to load resource: the server responded with a status of 409 (Conflict)'],
      cspViolations: [],
    });
  });
});

describe('two decisions at once', () => {
  it('takes one of two approvals clicked at the same time in two tabs, and the other tab says why', async () => {
    const doc = await assignedFiche('Coordination pluridisciplinaire à Lille', thomas);
    const target = (await sectionsOf(app.admin, doc.id)).sections[1];
    if (!target) throw new Error('section manquante');
    await step(thomas, doc.id, target.id, { action: 'submit' });
    const tabs = await Promise.all([app.open({ as: app.admin }), app.open({ as: app.admin })]);
    const buttons = await Promise.all(
      tabs.map(async ({ page }) => {
        await page.goto(dashboard(`?document=${doc.id}`));
        const approve = entryOf(page, target.title, doc.title).getByRole('button', { name: 'Approuver' });
        await expect.poll(() => approve.isEnabled()).toBe(true);
        return approve;
      }),
    );
    await Promise.all(buttons.map((button) => button.click()));

    // One approval is recorded; the other tab tells why its click did nothing, and drops the card.
    const journal = (await (await app.admin.fetch(`/api/documents/${doc.id}/review-journal`)).json()) as {
      entries: { action: string }[];
    };
    expect(journal.entries.map((e) => e.action)).toEqual(['submit', 'approve']);
    await expect
      .poll(async () => {
        const shown = await Promise.all(
          tabs.map(({ page }) =>
            page.getByText('Cette section est déjà approuvée et n’a pas été modifiée depuis.').count(),
          ),
        );
        return shown.sort();
      })
      .toEqual([0, 1]);
    for (const { page } of tabs) {
      await expect.poll(() => entryOf(page, target.title, doc.title).count()).toBe(0);
    }
    const loser = (
      await Promise.all(
        tabs.map(async ({ page }) => ({
          page,
          told: (await page.getByText('Cette section est déjà approuvée').count()) > 0,
        })),
      )
    ).find((t) => t.told)?.page;
    if (!loser) throw new Error('aucun onglet n’a dit pourquoi');
    // The reason took the focus of the card that went away.
    await expect.poll(() => focused(loser)).toMatchObject({ tag: 'div' });
    await shot(loser, 'relecture-deux-decisions.png');
    expect((await sectionsOf(app.admin, doc.id)).sections[1]?.review.state).toBe('approuvee');
  });
});

describe('a rapporteur’s dashboard', () => {
  it('lists the changes requested and the stale approvals of her documents only, and lets her resubmit', async () => {
    const doc = await assignedFiche('Conférences familiales en Gironde', thomas, ['conferences-familiales']);
    const other = await assignedFiche('Conférences familiales dans le Nord', karima, [
      'conferences-familiales',
    ]);
    const [asked, edited, waiting] = (await sectionsOf(app.admin, doc.id)).sections.slice(1, 4);
    const theirs = (await sectionsOf(app.admin, other.id)).sections[1];
    if (!asked || !edited || !waiting || !theirs) throw new Error('sections manquantes');
    await step(thomas, doc.id, asked.id, { action: 'submit' });
    await step(app.admin, doc.id, asked.id, {
      action: 'request_changes',
      message: 'Précisez qui coordonne.',
    });
    await step(app.admin, doc.id, edited.id, { action: 'approve' });
    await writeAs(thomas, doc, edited.id, 'Le coordinateur est indépendant du service.');
    await step(thomas, doc.id, waiting.id, { action: 'submit' });
    await step(karima, other.id, theirs.id, { action: 'submit' });
    await step(app.admin, other.id, theirs.id, { action: 'request_changes', message: 'Pour Karima.' });
    // The queue reads the hashes stored (a few seconds after the last keystroke).
    await expect
      .poll(async () => (await queueOf(thomas, doc.id)).entries.map((e) => [e.section.id, e.stale]), {
        timeout: 20_000,
      })
      .toEqual([
        [edited.id, true],
        [asked.id, false],
      ]);

    const { page, problems } = await app.open({ as: thomas, bypassCSP: true });
    await page.goto(dashboard());
    const changes = groupOf(page, 'changes');
    const stale = groupOf(page, 'stale');
    await expect.poll(() => changes.textContent()).toContain('Précisez qui coordonne.');
    await expect.poll(() => stale.textContent()).toContain(edited.title);
    const staleEntry = entryOf(page, edited.title, doc.title);
    await expect.poll(() => staleEntry.textContent()).toContain('Modifiée depuis l’approbation');
    await expect
      .poll(() => insertionsIn(staleEntry))
      .toEqual(['Ajouté : Le coordinateur est indépendant du service. (Thomas Girard)']);
    // Not what waits for the animateur, not Karima's document, no decision buttons.
    expect(await groupOf(page, 'submitted').count()).toBe(0);
    expect(await page.locator('article.essaim-queue-entry').filter({ hasText: other.title }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Approuver' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Demander des modifications' }).count()).toBe(0);
    // Every document she reads, with its progress.
    await expect.poll(() => page.locator(`tr[data-document="${other.id}"]`).count()).toBe(1);
    expect(await runAxe(page)).toEqual([]);
    await shot(page, 'relecture-rapporteur.png');

    // Fixed in the editor meanwhile: she resubmits from here.
    const askedEntry = entryOf(page, asked.title, doc.title);
    await askedEntry.getByRole('button', { name: 'Soumettre' }).click();
    await expect.poll(() => askedEntry.count()).toBe(0);
    await expect
      .poll(() => page.getByRole('status').filter({ hasText: 'est soumise à l’animateur' }).count())
      .toBe(1);
    expect((await sectionsOf(thomas, doc.id)).sections[1]?.review.state).toBe('soumise');
    expect(unexpectedProblems(problems)).toEqual({ errors: [], cspViolations: [] });
  });
});

describe('filters and access', () => {
  it('filters by theme and document in the address, and the back button undoes a filter', async () => {
    const ardeche = await assignedFiche('Aller-vers en zone rurale', thomas, ['aller-vers']);
    const rennes = await assignedFiche('Pair-aidance en santé mentale à Rennes', thomas, ['pair-aidance']);
    for (const doc of [ardeche, rennes]) {
      const id = (await sectionsOf(app.admin, doc.id)).sections[1]?.id ?? '';
      await step(thomas, doc.id, id, { action: 'submit' });
    }
    const { page, problems } = await app.open({ as: app.admin });
    await page.goto(dashboard());
    const entries = page.locator('article.essaim-queue-entry');
    await expect.poll(() => entries.filter({ hasText: ardeche.title }).count()).toBe(1);
    await expect.poll(() => entries.filter({ hasText: rennes.title }).count()).toBe(1);

    await page.getByLabel('Thème', { exact: true }).selectOption({ label: 'Pair-aidance' });
    await expect.poll(() => new URL(page.url()).searchParams.get('theme')).toBe('pair-aidance');
    await expect.poll(() => entries.filter({ hasText: ardeche.title }).count()).toBe(0);
    await expect.poll(() => entries.filter({ hasText: rennes.title }).count()).toBe(1);
    // The progress follows the filters.
    await expect.poll(() => page.locator(`tr[data-document="${ardeche.id}"]`).count()).toBe(0);

    await page.getByLabel('Document', { exact: true }).selectOption({ label: rennes.title });
    await expect.poll(() => new URL(page.url()).searchParams.get('document')).toBe(rennes.id);
    await expect.poll(() => page.locator('tbody tr').count()).toBe(1);
    await page.goBack();
    await expect.poll(() => new URL(page.url()).searchParams.get('document')).toBeNull();
    expect(new URL(page.url()).searchParams.get('theme')).toBe('pair-aidance');

    await page.getByRole('button', { name: 'Réinitialiser les filtres' }).click();
    await expect.poll(() => new URL(page.url()).search).toBe('');
    await expect.poll(() => entries.filter({ hasText: ardeche.title }).count()).toBe(1);
    // « Voir ses sections » narrows to one document.
    await page.getByRole('button', { name: `Voir les sections à traiter de « ${ardeche.title} »` }).click();
    await expect.poll(() => new URL(page.url()).searchParams.get('document')).toBe(ardeche.id);
    await expect.poll(() => entries.filter({ hasText: rennes.title }).count()).toBe(0);
    expect(unexpectedProblems(problems)).toEqual({ errors: [], cspViolations: [] });
  });

  it('links the dashboard for the animateur and rapporteurs, not for a membre, whom the page turns away', async () => {
    const nav = (page: Page) => page.getByRole('navigation', { name: 'Menu principal' });
    for (const who of [app.admin, thomas]) {
      const { page } = await app.open({ as: who });
      await page.goto(`${app.baseUrl}/espaces/${app.espaceId}`);
      await expect.poll(() => nav(page).getByRole('link', { name: 'Relecture' }).count()).toBe(1);
      await expect.poll(() => page.getByRole('link', { name: 'Tableau de relecture' }).count()).toBe(1);
      await nav(page).getByRole('link', { name: 'Relecture' }).click();
      await page.waitForURL(dashboard());
      await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Relecture');
      expect(await nav(page).getByRole('link', { name: 'Relecture' }).getAttribute('aria-current')).toBe(
        'page',
      );
    }
    const { page, problems } = await app.open({ as: paul, bypassCSP: true });
    await page.goto(`${app.baseUrl}/espaces/${app.espaceId}`);
    await expect.poll(() => nav(page).getByRole('link', { name: 'Personnes' }).count()).toBe(1);
    expect(await nav(page).getByRole('link', { name: 'Relecture' }).count()).toBe(0);
    expect(await page.getByRole('link', { name: 'Tableau de relecture' }).count()).toBe(0);
    await page.goto(dashboard());
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Relecture réservée');
    expect(await runAxe(page)).toEqual([]);
    expect(unexpectedProblems(problems)).toEqual({ errors: [], cspViolations: [] });
  });
});

describe('the catalogue', () => {
  it('shows each document’s review state and progress, filters on « État de relecture » and sorts by progress', async () => {
    const ready = await assignedFiche('Développement du pouvoir d’agir à Marseille', karima);
    for (const s of (await sectionsOf(app.admin, ready.id)).sections)
      await step(app.admin, ready.id, s.id, { action: 'approve' });
    expect((await sectionsOf(app.admin, ready.id)).reviewState).toBe('prete_a_publier');

    const { page, problems } = await app.open({ as: app.admin, bypassCSP: true });
    await page.goto(`${app.baseUrl}/espaces/${app.espaceId}`);
    const card = page.locator('.essaim-doc-card').filter({ hasText: ready.title });
    await expect.poll(() => card.textContent()).toContain('Prête à publier');
    await expect.poll(() => card.textContent()).toContain('13 / 13 sections approuvées');
    const other = page.locator('.essaim-doc-card').filter({ hasText: 'Conférences familiales dans le Nord' });
    await expect.poll(() => other.textContent()).toContain('En rédaction');

    await page.getByLabel('État de relecture').selectOption({ label: 'Prête à publier' });
    await expect.poll(() => new URL(page.url()).searchParams.get('etat')).toBe('prete-a-publier');
    await expect
      .poll(() => page.locator('.essaim-doc-card .fr-card__title').allTextContents())
      .toEqual([ready.title]);
    await page.getByLabel('État de relecture').selectOption({ label: 'En relecture' });
    await expect.poll(() => new URL(page.url()).searchParams.get('etat')).toBe('en-relecture');
    await expect
      .poll(() => page.locator('.essaim-doc-card .fr-card__title').allTextContents())
      .toContain('Pair-aidance en santé mentale à Rennes');
    await page.getByRole('button', { name: 'Réinitialiser les filtres' }).first().click();

    // Sorted by progress, the most advanced first.
    await page.getByLabel('Trier par').selectOption({ label: 'Avancement de la relecture' });
    await expect.poll(() => new URL(page.url()).searchParams.get('tri')).toBe('avancement');
    await expect
      .poll(async () => (await page.locator('.essaim-doc-card .fr-card__title').allTextContents())[0])
      .toBe(ready.title);
    expect(await runAxe(page)).toEqual([]);
    await shot(page, 'catalogue-relecture.png');
    expect(unexpectedProblems(problems)).toEqual({ errors: [], cspViolations: [] });
  });
});
