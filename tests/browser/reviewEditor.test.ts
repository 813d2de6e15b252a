import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import type { ReviewedDocumentSectionsDto } from '@essaim/protocol';
import { createDocument, invite, type Session } from '../support/accounts.js';
import { runAxe } from './support/axe.js';
import { useBrowserApp } from './support/app.js';
import { artifactsDir } from './support/chromium.js';
import { editorOf, placeCaret, sectionOf, storedDocument, textOf, type Tab } from './support/coWriting.js';

/**
 * The review of a fiche in the editor (issue 12), as a rapporteur and the animateur do it in two
 * tabs: the rapporteur submits a section with a message, the animateur sees « Soumise » arrive
 * and approves it, the rapporteur sees « Approuvée » arrive; the animateur locks it and the
 * rapporteur's keystrokes inside it change nothing (in her editor and on the server) while the
 * next section stays writable; a section approved then written again shows « Modifiée depuis
 * l'approbation » to both, and its comparison shows the rapporteur's new words. The document's
 * progress bar follows. A membre reads the badges and lands on the section a notification links
 * to. Both pages pass axe.
 */

const app = useBrowserApp();
let bruno: Session;
let mona: Session;

beforeAll(async () => {
  bruno = await invite(app.admin, app.espaceId, 'rapporteur', 'Bruno');
  mona = await invite(app.admin, app.espaceId, 'membre', 'Mona');
});

const ORIGINE = 'Le département a repris le modèle néo-zélandais en 2019.';
const DESCRIPTION = 'La famille élargie prépare seule son plan.';
const DESCRIPTION_MORE = ' Un coordinateur indépendant l’accompagne.';
const ORIGINE_TITLE = 'Origine et contexte';
const DESCRIPTION_TITLE = 'Description de la pratique et mise en œuvre';

/** Opens the document as `who`, with axe injectable (the CSP is bypassed in these tabs). */
async function openTab(who: Session, id: string, query = ''): Promise<Tab> {
  const { page, problems } = await app.open({ as: who, bypassCSP: true });
  await page.goto(`${app.baseUrl}/documents/${id}${query}`);
  await editorOf(page).waitFor();
  return { name: who.name, page, problems };
}

/** The review header of a section (its badges, last decision and buttons). */
const reviewOf = (page: Page, key: string, title: string): Locator =>
  sectionOf(page, key).getByRole('group', { name: `Relecture de la section « ${title} »` });

/** The badges and decision lines of a section, as one line of text. */
const statusOf = (page: Page, key: string): Promise<string> =>
  sectionOf(page, key)
    .locator('.essaim-review__status')
    .evaluate((element) =>
      Array.from(element.children)
        .map((child) => {
          // What screen readers hear: a phone's short words (aria-hidden) left out.
          const heard = child.cloneNode(true) as Element;
          heard.querySelectorAll('[aria-hidden="true"]').forEach((hidden) => hidden.remove());
          return (heard.textContent ?? '').replace(/\s+/g, ' ').trim();
        })
        .join(' '),
    );

const firstParagraph = (key: string) => (page: Page) =>
  sectionOf(page, key).locator('.essaim-section__content p').first();

const progressOf = (page: Page) => page.getByTestId('review-progress').textContent();
const documentStateOf = (page: Page) =>
  page.getByRole('region', { name: 'Relecture du document' }).locator('.fr-badge').first().textContent();

/** The element that has the focus: its review-status section id, or its text. */
const focused = (page: Page) =>
  page.evaluate(() => {
    const element = document.activeElement as HTMLElement | null;
    return element?.dataset.reviewStatus ?? element?.innerText.trim() ?? '';
  });

describe('review in the editor', () => {
  it('submits, approves and locks a section live in both tabs, refuses typing in a locked section, and shows what changed since an approval', async () => {
    const doc = await createDocument(app.admin, app.espaceId, 'Conférences familiales dans le Nord', 'fiche');
    const assigned = await app.admin.fetch(`/api/documents/${doc.id}/assignments`, {
      method: 'POST',
      json: { userId: bruno.userId },
    });
    expect(assigned.status).toBe(200);
    const brunoTab = await openTab(bruno, doc.id);
    const animTab = await openTab(app.admin, doc.id);
    for (const { page } of [brunoTab, animTab])
      await expect.poll(() => editorOf(page).getAttribute('contenteditable')).toBe('true');
    const sections = (
      (await (await bruno.fetch(`/api/documents/${doc.id}/sections`)).json()) as ReviewedDocumentSectionsDto
    ).sections;
    const total = sections.length;

    // Every section starts as a draft; nothing approved yet.
    await expect.poll(() => statusOf(brunoTab.page, 'origine')).toBe('Brouillon');
    await expect.poll(() => progressOf(animTab.page)).toBe(`0 / ${total} sections approuvées`);
    expect(await documentStateOf(animTab.page)).toBe('En rédaction');

    // Bruno writes the origin and the description.
    await placeCaret(brunoTab, animTab, firstParagraph('origine'));
    await brunoTab.page.keyboard.type(ORIGINE);
    await placeCaret(brunoTab, animTab, firstParagraph('description'));
    await brunoTab.page.keyboard.type(DESCRIPTION);
    await expect.poll(() => textOf(firstParagraph('description')(animTab.page))).toBe(DESCRIPTION);

    // He submits the origin with a message, from its header's button and its dialog.
    await reviewOf(brunoTab.page, 'origine', ORIGINE_TITLE)
      .getByRole('button', { name: `Soumettre la section « ${ORIGINE_TITLE} » à l’animateur` })
      .click();
    const submitDialog = brunoTab.page.getByRole('dialog', {
      name: `Soumettre la section « ${ORIGINE_TITLE} »`,
    });
    const message = submitDialog.getByLabel('Message (facultatif)');
    await expect.poll(() => message.evaluate((field) => field === document.activeElement)).toBe(true);
    await message.fill('Première version complète.');
    await submitDialog.getByRole('button', { name: 'Soumettre', exact: true }).click();
    await expect.poll(() => submitDialog.isVisible()).toBe(false);
    await expect.poll(() => statusOf(brunoTab.page, 'origine')).toMatch(/^Soumise Soumise par Bruno le /);
    // The focus is on the section's status line, the button pressed being gone.
    await expect.poll(() => focused(brunoTab.page)).toBe(sections.find((s) => s.key === 'origine')?.id);

    // The animateur sees it arrive, with the message, without reloading; the document is in review.
    await expect.poll(() => statusOf(animTab.page, 'origine')).toMatch(/^Soumise Soumise par Bruno le /);
    await reviewOf(animTab.page, 'origine', ORIGINE_TITLE).getByText('Première version complète.').waitFor();
    await expect.poll(() => documentStateOf(animTab.page)).toBe('En relecture');
    await expect.poll(() => documentStateOf(brunoTab.page)).toBe('En relecture');
    // A rapporteur is offered no decision.
    expect(
      await reviewOf(brunoTab.page, 'origine', ORIGINE_TITLE)
        .getByRole('button', { name: /^Approuver/ })
        .count(),
    ).toBe(0);

    // She approves it (with the hash of the text she sees): Bruno sees « Approuvée » arrive.
    await reviewOf(animTab.page, 'origine', ORIGINE_TITLE)
      .getByRole('button', { name: `Approuver la section « ${ORIGINE_TITLE} »` })
      .click();
    await expect
      .poll(() => statusOf(animTab.page, 'origine'))
      .toMatch(/^Approuvée Approuvée par Administratrice le /);
    await expect
      .poll(() => statusOf(brunoTab.page, 'origine'))
      .toMatch(/^Approuvée Approuvée par Administratrice le /);
    await expect.poll(() => progressOf(brunoTab.page)).toBe(`1 / ${total} sections approuvées`);
    await expect.poll(() => progressOf(animTab.page)).toBe(`1 / ${total} sections approuvées`);
    await animTab.page
      .getByRole('region', { name: 'Relecture du document' })
      .screenshot({ path: path.join(artifactsDir, 'relecture-barre-document.png') });

    // She approves the description directly, then locks the origin.
    await reviewOf(animTab.page, 'description', DESCRIPTION_TITLE)
      .getByRole('button', { name: `Approuver la section « ${DESCRIPTION_TITLE} »` })
      .click();
    await expect.poll(() => progressOf(brunoTab.page)).toBe(`2 / ${total} sections approuvées`);
    await reviewOf(animTab.page, 'origine', ORIGINE_TITLE)
      .getByRole('button', { name: `Verrouiller la section « ${ORIGINE_TITLE} »` })
      .click();
    await expect
      .poll(() => statusOf(brunoTab.page, 'origine'))
      .toMatch(/Verrouillée.*Verrouillée par Administratrice le /);
    await reviewOf(brunoTab.page, 'origine', ORIGINE_TITLE)
      .getByText('Section verrouillée par l’animateur : elle ne peut plus être modifiée.')
      .waitFor();
    await reviewOf(animTab.page, 'origine', ORIGINE_TITLE)
      .getByRole('button', { name: `Déverrouiller la section « ${ORIGINE_TITLE} »` })
      .waitFor();
    expect(await runAxe(animTab.page)).toEqual([]);
    await sectionOf(animTab.page, 'origine').evaluate((section) =>
      section.scrollIntoView({ block: 'center' }),
    );
    await animTab.page.screenshot({ path: path.join(artifactsDir, 'relecture-editeur-badges.png') });

    // Bruno types inside the locked section: nothing changes, and he is told why. His next
    // keystrokes, in the section after it, reach the animateur: the locked ones were never sent.
    await placeCaret(brunoTab, animTab, firstParagraph('origine'), 10);
    await brunoTab.page.keyboard.type('XYZ');
    await brunoTab.page.keyboard.press('Backspace');
    await brunoTab.page.keyboard.press('Enter');
    await brunoTab.page
      .locator('.essaim-doc-notice')
      .getByText(
        'La section « Origine et contexte » est verrouillée par l’animateur : elle ne peut plus être modifiée.',
      )
      .waitFor();
    await placeCaret(brunoTab, animTab, firstParagraph('description'));
    await brunoTab.page.keyboard.type(DESCRIPTION_MORE);
    await expect
      .poll(() => textOf(firstParagraph('description')(animTab.page)))
      .toBe(DESCRIPTION + DESCRIPTION_MORE);
    expect(await textOf(sectionOf(brunoTab.page, 'origine').locator('.essaim-section__content'))).toBe(
      ORIGINE_TITLE + ORIGINE,
    );
    const stored = await storedDocument(app, doc.name);
    let storedOrigine = '';
    stored.forEach((child) => {
      if (child.attrs.key === 'origine') storedOrigine = child.textContent;
    });
    expect(storedOrigine).toBe(ORIGINE_TITLE + ORIGINE);

    // The description, approved then written again, is « Modifiée depuis l'approbation » for both,
    // live; it no longer counts as approved, and Bruno may submit it again.
    for (const { page } of [brunoTab, animTab]) {
      await expect
        .poll(() => statusOf(page, 'description'))
        .toMatch(/^Approuvée Modifiée depuis l’approbation Approuvée par Administratrice le /);
      await expect.poll(() => progressOf(page)).toBe(`1 / ${total} sections approuvées`);
    }
    await reviewOf(brunoTab.page, 'description', DESCRIPTION_TITLE)
      .getByRole('button', { name: `Soumettre la section « ${DESCRIPTION_TITLE} » à l’animateur` })
      .waitFor();

    // Its comparison since the approval shows Bruno's new words, by him.
    const showChanges = reviewOf(animTab.page, 'description', DESCRIPTION_TITLE).getByRole('button', {
      name: `Voir les modifications depuis l’approbation de la section « ${DESCRIPTION_TITLE} »`,
    });
    await showChanges.click();
    const changes = animTab.page.getByRole('dialog', {
      name: `Modifications depuis l’approbation : « ${DESCRIPTION_TITLE} »`,
    });
    await changes.getByTestId('review-diff-summary').waitFor();
    const inserted = changes.locator('ins');
    await expect.poll(() => inserted.first().textContent()).toContain('coordinateur indépendant');
    expect(await inserted.first().getAttribute('title')).toBe('Ajouté par Bruno');
    expect(await changes.locator('.essaim-history__diff-text').textContent()).toContain(DESCRIPTION);
    expect(await runAxe(animTab.page)).toEqual([]);
    await animTab.page.screenshot({
      path: path.join(artifactsDir, 'relecture-modifications-depuis-approbation.png'),
    });
    // Closed, the focus goes back to the button that opened it.
    await changes.getByRole('button', { name: 'Fermer', exact: true }).first().click();
    await expect.poll(() => changes.isVisible()).toBe(false);
    await expect.poll(() => showChanges.evaluate((button) => button === document.activeElement)).toBe(true);

    // The journal lists every decision, with its CSV export.
    await animTab.page.getByRole('button', { name: 'Journal de relecture' }).click();
    const journal = animTab.page.getByRole('dialog', { name: 'Journal de relecture' });
    await expect.poll(() => journal.locator('tbody tr').count()).toBe(4);
    expect(await journal.locator('tbody tr').first().locator('td').allTextContents()).toEqual([
      expect.any(String) as string,
      ORIGINE_TITLE,
      'Soumettre',
      'Brouillon',
      'Soumise',
      'Bruno',
      'Première version complète.',
    ]);
    expect(await journal.getByRole('link', { name: /Exporter en CSV/ }).getAttribute('href')).toBe(
      `/api/documents/${doc.id}/review-journal?format=csv`,
    );
    expect(await runAxe(animTab.page)).toEqual([]);
    await animTab.page.screenshot({ path: path.join(artifactsDir, 'relecture-journal.png') });
    await animTab.page.keyboard.press('Escape');

    // She asks for changes on the locked origin: the message is required; the request lifts the
    // lock, Bruno sees it arrive with the request, and may write there again.
    await reviewOf(animTab.page, 'origine', ORIGINE_TITLE)
      .getByRole('button', { name: `Demander des modifications sur la section « ${ORIGINE_TITLE} »` })
      .click();
    const requestDialog = animTab.page.getByRole('dialog', {
      name: `Demander des modifications sur « ${ORIGINE_TITLE} »`,
    });
    const request = requestDialog.getByLabel('Modifications demandées');
    await expect.poll(() => request.evaluate((field) => field === document.activeElement)).toBe(true);
    await requestDialog.getByRole('button', { name: 'Envoyer la demande' }).click();
    await requestDialog.getByText('Expliquez les modifications demandées dans un message.').waitFor();
    await request.fill('Précisez l’année de démarrage.');
    await requestDialog.getByRole('button', { name: 'Envoyer la demande' }).click();
    await expect.poll(() => requestDialog.isVisible()).toBe(false);
    await expect
      .poll(() => statusOf(brunoTab.page, 'origine'))
      .toMatch(/^Modifications demandées Modifications demandées par Administratrice le /);
    await reviewOf(brunoTab.page, 'origine', ORIGINE_TITLE)
      .getByText('Précisez l’année de démarrage.')
      .waitFor();
    await placeCaret(brunoTab, animTab, firstParagraph('origine'));
    await brunoTab.page.keyboard.type(' Démarrage en 2019.');
    await expect
      .poll(() => textOf(firstParagraph('origine')(animTab.page)))
      .toBe(`${ORIGINE} Démarrage en 2019.`);

    expect(brunoTab.problems.errors).toEqual([]);
    expect(animTab.problems.errors).toEqual([]);
  });

  it('shows the server’s French refusal next to the section when a step was overtaken, and keeps the focus on its button', async () => {
    const doc = await createDocument(app.admin, app.espaceId, 'Aller-vers dans l’Oise', 'fiche');
    const animTab = await openTab(app.admin, doc.id);
    await expect.poll(() => statusOf(animTab.page, 'origine')).toBe('Brouillon');
    const { sections } = (await (
      await app.admin.fetch(`/api/documents/${doc.id}/sections`)
    ).json()) as ReviewedDocumentSectionsDto;
    const origine = sections.find((s) => s.key === 'origine');
    if (!origine) throw new Error('no origine section');

    // The page's next reading of the reviews is held back: it still offers « Approuver » after
    // someone else (here, the same animateur from another device) approved the section.
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    await animTab.page.route(/\/api\/documents\/[^/]+\/sections$/, async (route) => {
      await held;
      await route.continue();
    });
    const elsewhere = await app.admin.fetch(`/api/documents/${doc.id}/sections/${origine.id}/review`, {
      method: 'POST',
      json: { action: 'approve', hash: origine.hash },
    });
    expect(elsewhere.status).toBe(200);

    const approve = reviewOf(animTab.page, 'origine', ORIGINE_TITLE).getByRole('button', {
      name: `Approuver la section « ${ORIGINE_TITLE} »`,
    });
    await approve.click();
    await reviewOf(animTab.page, 'origine', ORIGINE_TITLE)
      .getByRole('alert')
      .getByText('Cette section est déjà approuvée et n’a pas été modifiée depuis.', { exact: false })
      .waitFor();
    expect(await approve.evaluate((button) => button === document.activeElement)).toBe(true);

    // Once the page reads the reviews again, the section is shown approved.
    release();
    await expect.poll(() => statusOf(animTab.page, 'origine')).toMatch(/^Approuvée /);
    await animTab.page.unroute(/\/api\/documents\/[^/]+\/sections$/);
    // The refused request is the page's only error (the browser logs the 409 it received).
    expect(animTab.problems.errors).toEqual([
      'Failed to load resource: the server responded with a status of 409 (Conflict)',
    ]);
  });

  it('submits every section at once with one message, and the document goes into review', async () => {
    const doc = await createDocument(app.admin, app.espaceId, 'Développement du pouvoir d’agir', 'fiche');
    const assigned = await app.admin.fetch(`/api/documents/${doc.id}/assignments`, {
      method: 'POST',
      json: { userId: bruno.userId },
    });
    expect(assigned.status).toBe(200);
    const brunoTab = await openTab(bruno, doc.id);
    const total = (
      (await (await bruno.fetch(`/api/documents/${doc.id}/sections`)).json()) as ReviewedDocumentSectionsDto
    ).sections.length;
    await expect.poll(() => statusOf(brunoTab.page, 'origine')).toBe('Brouillon');

    await brunoTab.page.getByRole('button', { name: 'Soumettre toutes les sections' }).click();
    const dialog = brunoTab.page.getByRole('dialog', { name: 'Soumettre toutes les sections' });
    await dialog.getByText(`${total} sections seront soumises à l’animateur :`).waitFor();
    expect(await dialog.locator('.essaim-review-submit-list li').count()).toBe(total);
    await dialog.getByLabel('Message (facultatif)').fill('Fiche complète, relue en équipe.');
    await dialog.getByRole('button', { name: `Soumettre les ${total} sections` }).click();
    await expect.poll(() => dialog.isVisible()).toBe(false);

    await expect.poll(() => documentStateOf(brunoTab.page)).toBe('En relecture');
    await expect
      .poll(() => brunoTab.page.locator('.essaim-review[data-review-state="soumise"]').count())
      .toBe(total);
    // Nothing left to submit: the button is gone, and the focus is on the document's progress.
    await expect
      .poll(() => brunoTab.page.getByRole('button', { name: 'Soumettre toutes les sections' }).count())
      .toBe(0);
    await expect
      .poll(() =>
        brunoTab.page.evaluate(() => document.activeElement?.hasAttribute('data-review-bar-status')),
      )
      .toBe(true);
    const journal = (await (await bruno.fetch(`/api/documents/${doc.id}/review-journal`)).json()) as {
      entries: { action: string; message: string | null }[];
    };
    expect(journal.entries).toHaveLength(total);
    expect(new Set(journal.entries.map((e) => `${e.action}:${e.message}`))).toEqual(
      new Set(['submit:Fiche complète, relue en équipe.']),
    );
    expect(brunoTab.problems.errors).toEqual([]);
  });

  it('shows the badges to a membre, live, and brings a linked section into view with the caret in it', async () => {
    const doc = await createDocument(app.admin, app.espaceId, 'Pair-aidance en Ille-et-Vilaine', 'fiche');
    const { sections } = (await (
      await app.admin.fetch(`/api/documents/${doc.id}/sections`)
    ).json()) as ReviewedDocumentSectionsDto;
    const last = sections.at(-1);
    if (!last) throw new Error('no sections');
    const monaTab = await openTab(mona, doc.id, `?section=${last.id}`);

    // The linked section (the last one, below the fold) is in view, the caret in it, the focus
    // in the text.
    await expect
      .poll(() =>
        monaTab.page.evaluate(() => {
          const anchor = window.getSelection()?.anchorNode;
          const element = anchor instanceof Element ? anchor : anchor?.parentElement;
          return {
            section: element?.closest('section[data-section-id]')?.getAttribute('data-section-id') ?? null,
            focus: document.activeElement?.getAttribute('aria-label') ?? null,
          };
        }),
      )
      .toEqual({ section: last.id, focus: 'Contenu du document' });
    await expect
      .poll(() =>
        sectionOf(monaTab.page, last.key ?? '').evaluate((section) => {
          const box = section.getBoundingClientRect();
          return box.top < window.innerHeight && box.bottom > 0;
        }),
      )
      .toBe(true);
    // A membre reads the states but is offered no step.
    await expect.poll(() => statusOf(monaTab.page, last.key ?? '')).toBe('Brouillon');
    expect(await monaTab.page.locator('[data-review-action]').count()).toBe(0);

    // A decision taken elsewhere reaches her read-only tab.
    const approved = await app.admin.fetch(`/api/documents/${doc.id}/sections/${last.id}/review`, {
      method: 'POST',
      json: { action: 'approve', hash: last.hash },
    });
    expect(approved.status).toBe(200);
    await expect
      .poll(() => statusOf(monaTab.page, last.key ?? ''))
      .toMatch(/^Approuvée Approuvée par Administratrice le /);
    await expect.poll(() => progressOf(monaTab.page)).toBe(`1 / ${sections.length} sections approuvées`);
    expect(await runAxe(monaTab.page)).toEqual([]);
    expect(monaTab.problems.errors).toEqual([]);
  });
});
