import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { META_MAP, type ReviewedDocumentSectionsDto } from '@essaim/protocol';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { createDocument, invite, type Session } from '../support/accounts.js';
import { sectionId, writeInSection } from '../support/comments.js';
import { connectAs, isSettled } from '../support/provider.js';
import { unexpectedProblems, useBrowserApp } from './support/app.js';
import { runAxe } from './support/axe.js';
import { artifactsDir } from './support/chromium.js';
import { caretLabelOf, editorOf, sectionOf, type Tab } from './support/coWriting.js';

/**
 * Publication, downloads and reuse signals in the application (issues 13 and 14), as the
 * animateur, a rapporteur and an anonymous visitor use them: the animateur publishes a fiche that
 * is prête à publier from the editor (after a dialog that says what publishing does), sees
 * « Publiée (version 1) » and opens its portal page; the rapporteur's keystrokes make « Une
 * nouvelle version est en cours de rédaction » appear on both pages, with the comparison against
 * the publication; once approved again, version 2 is published, and a second tab publishing the
 * same text is told why not, in French; the draft downloads as a PDF marked « Document de
 * travail », each publication by its public links; a visitor without JavaScript leaves reuse
 * signals on the portal page, which the animateur approves or refuses on « Signalements de
 * reprise »; unpublishing and republishing; no axe violation; screenshots in tests/artifacts.
 */

const app = useBrowserApp();
let karima: Session;
let doc: { id: string; name: string };
let portalUrl = '';

const TITLE = 'Conférences familiales en Gironde';
const SECTIONS = [
  'La famille élargie se réunit pour décider elle-même d’un plan de protection de l’enfant.',
  'Le département expérimente le modèle néo-zélandais depuis 2018 avec des coordinateurs indépendants.',
  'Le coordinateur prépare la réunion ; la famille délibère seule puis présente son plan aux professionnels.',
  'Enfants suivis en protection de l’enfance, leurs parents et leur entourage.',
];
const ADDED = ' Une réunion de bilan a lieu six mois plus tard.';

/** Every section of the document approved by the animateur, through the API. */
async function approveAll(documentId: string): Promise<void> {
  const { sections } = (await (
    await app.admin.fetch(`/api/documents/${documentId}/sections`)
  ).json()) as ReviewedDocumentSectionsDto;
  for (const s of sections) {
    if (s.review.state === 'approuvee' && !s.review.stale) continue;
    const answer = await app.admin.fetch(`/api/documents/${documentId}/sections/${s.id}/review`, {
      method: 'POST',
      json: { action: 'approve' },
    });
    expect(answer.status, await answer.clone().text()).toBe(200);
  }
}

beforeAll(async () => {
  karima = await invite(app.admin, app.espaceId, 'rapporteur', 'Karima Haddad');
  doc = await createDocument(app.admin, app.espaceId, TITLE);
  const assigned = await app.admin.fetch(`/api/documents/${doc.id}/assignments`, {
    method: 'POST',
    json: { userId: karima.userId },
  });
  expect(assigned.status).toBe(200);
  const writer = connectAs(app.admin, app.server.wsUrl, doc.name);
  try {
    await vi.waitFor(() => expect(writer.provider.isSynced).toBe(true), { timeout: 10_000 });
    SECTIONS.forEach((words, i) => writeInSection(writer.ydoc, sectionId(writer.ydoc, i), words));
    writer.ydoc.transact(() => {
      const meta = writer.ydoc.getMap<unknown>(META_MAP);
      meta.set('territoire', 'dep:33');
      meta.set('structureType', 'conseil-departemental');
      meta.set('structure', 'Conseil départemental de la Gironde');
    });
    await vi.waitFor(() => expect(isSettled(writer)).toBe(true), { timeout: 10_000 });
  } finally {
    writer.destroy();
  }
  await approveAll(doc.id);
});

/** What the person sees in the window (dialogs are drawn over it), once dialogs have finished opening. */
async function shot(page: Page, name: string): Promise<void> {
  // Two frames: a transition starts on the frame after the class that triggers it.
  await page.evaluate(
    () => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(() => done(null)))),
  );
  await page.waitForFunction(() => document.getAnimations().every((a) => a.playState !== 'running'));
  await page.screenshot({ path: path.join(artifactsDir, name) });
}

/** The document bar of the editor (review, state, publication row). */
const barOf = (page: Page): Locator => page.getByRole('region', { name: 'Relecture du document' });
/** The words of the bar's state badges, in order. */
const badgesOf = (page: Page): Promise<string[]> =>
  barOf(page)
    .locator('.essaim-review-bar__status .fr-badge')
    .evaluateAll((badges) => badges.map((b) => (b.textContent ?? '').trim()));
const publicationRowOf = (page: Page): Locator => page.getByTestId('publication-bar');
const rowText = async (page: Page) =>
  ((await publicationRowOf(page).textContent()) ?? '').replace(/\s+/g, ' ').trim();

/** Opens the document as `who`, axe injectable (the CSP is bypassed in these tabs). */
async function openEditor(who: Session): Promise<Tab> {
  const { page, problems } = await app.open({ as: who, bypassCSP: true });
  await page.goto(`${app.baseUrl}/documents/${doc.id}`);
  await editorOf(page).waitFor();
  return { name: who.name, page, problems };
}

const isPdf = (bytes: Buffer) => bytes.subarray(0, 5).toString('latin1') === '%PDF-';

describe('publication in the editor', () => {
  it('lets the animateur publish a document prête à publier after saying what it does, then shows « Publiée (version 1) » and leads to its portal page', async () => {
    const tab = await openEditor(app.admin);
    const { page } = tab;
    await expect.poll(() => badgesOf(page)).toEqual(['Prête à publier']);
    await expect.poll(() => rowText(page)).toContain('le document peut être publié');

    await barOf(page).getByRole('button', { name: 'Publier', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Publier ce document ?' });
    await dialog.waitFor();
    const said = (await dialog.textContent()) ?? '';
    expect(said).toContain('sera figé comme publication 1');
    expect(said).toContain('ne changeront jamais cette publication');
    expect(said).toContain('portail public');
    await shot(page, 'publication-dialogue-publier.png');
    expect(await runAxe(page), 'dialogue de publication').toEqual([]);
    await dialog.getByRole('button', { name: 'Publier la version 1' }).click();
    await expect.poll(() => dialog.isVisible()).toBe(false);

    await expect.poll(() => badgesOf(page)).toEqual(['Publiée (version 1)']);
    await expect.poll(() => rowText(page)).toMatch(/^Version 1 publiée le .+ par Administratrice/);
    expect(await rowText(page)).toContain('Publication figée');
    // The focus is on the document's state line; the outcome was spoken.
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.hasAttribute('data-review-bar-status')))
      .toBe(true);
    await expect
      .poll(() => page.locator('p.fr-sr-only[role="status"]').textContent())
      .toBe('Document publié : la version 1 est sur le portail public.');
    // No « Publier » while the text is the one published.
    expect(
      await barOf(page)
        .getByRole('button', { name: /^Publier/ })
        .count(),
    ).toBe(0);
    await shot(page, 'publication-editeur-publiee.png');
    expect(await runAxe(page), 'éditeur, document publié').toEqual([]);

    const link = publicationRowOf(page).getByRole('link', { name: 'Voir sur le portail public' });
    portalUrl = (await link.getAttribute('href')) ?? '';
    expect(portalUrl).toMatch(/^\/pratiques\/conferences-familiales-en-gironde$/);
    await link.click();
    await page.waitForURL(`${app.baseUrl}${portalUrl}`);
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe(TITLE);
    await expect.poll(() => page.getByRole('article').textContent()).toContain('la famille délibère seule');
    expect(unexpectedProblems(tab.problems)).toEqual({ errors: [], cspViolations: [] });
  });

  it('shows « Une nouvelle version est en cours de rédaction » to both people when the rapporteur writes, compares with the publication, and publishes version 2 once approved again', async () => {
    const anim = await openEditor(app.admin);
    const rapp = await openEditor(karima);
    // Everyone sees the published state and its link; a rapporteur is offered no publication step.
    await expect.poll(() => badgesOf(rapp.page)).toEqual(['Publiée (version 1)']);
    expect(
      await publicationRowOf(rapp.page)
        .getByRole('link', { name: 'Voir sur le portail public' })
        .getAttribute('href'),
    ).toBe(portalUrl);
    expect(await publicationRowOf(rapp.page).getByRole('button').count()).toBe(0);
    await expect.poll(() => editorOf(rapp.page).getAttribute('contenteditable')).toBe('true');

    // She adds a sentence to the description (an approved section).
    const description = (page: Page) =>
      sectionOf(page, 'description').locator('.essaim-section__content p').first();
    // At the end of the paragraph's last line (it wraps: End alone goes to the end of the line
    // clicked, and a click at its middle lands on either line by a fraction of a pixel).
    const box = await description(rapp.page).boundingBox();
    if (!box) throw new Error('la description n’est pas dessinée');
    await description(rapp.page).click({ position: { x: box.width - 2, y: box.height - 4 } });
    await rapp.page.keyboard.press('End');
    await caretLabelOf(description(anim.page), rapp.name).waitFor();
    await rapp.page.keyboard.type(ADDED);

    const NEW = 'Une nouvelle version est en cours de rédaction';
    for (const { page } of [rapp, anim]) {
      await expect.poll(() => badgesOf(page)).toEqual(['Publiée (version 1)', NEW]);
      await expect.poll(() => rowText(page)).toContain(`${NEW}. Le portail montre toujours la version 1`);
    }
    // Not ready again: no « Publier la version 2 » yet, and the animateur is told why.
    expect(
      await barOf(anim.page)
        .getByRole('button', { name: /^Publier/ })
        .count(),
    ).toBe(0);
    expect(await rowText(anim.page)).toContain('La version 2 pourra être publiée quand');

    // The comparison: from the version recorded at publication to the current text.
    await publicationRowOf(anim.page).getByRole('button', { name: 'Comparer avec la publication' }).click();
    const compare = anim.page.getByRole('dialog', { name: 'Version publiée 1 et texte actuel' });
    await expect
      .poll(async () => (await compare.locator('ins').allTextContents()).join(' '))
      .toContain('Une réunion de bilan a lieu six mois plus tard.');
    await expect.poll(() => compare.getByTestId('diff-summary').textContent()).toMatch(/^1 section modifiée/);
    await shot(anim.page, 'publication-comparer.png');
    expect(await runAxe(anim.page), 'comparaison avec la publication').toEqual([]);
    await compare.getByRole('button', { name: 'Fermer' }).first().click();
    await expect.poll(() => compare.isVisible()).toBe(false);

    // Approved again (through the API): the animateur's page offers version 2 at once.
    await expect
      .poll(async () => {
        const read = (await (
          await app.admin.fetch(`/api/documents/${doc.id}/sections`)
        ).json()) as ReviewedDocumentSectionsDto;
        return read.sections.some((s) => s.review.stale);
      })
      .toBe(true);
    await approveAll(doc.id);
    const publishNext = barOf(anim.page).getByRole('button', { name: 'Publier la version 2' });
    await publishNext.waitFor();

    // Two tabs of the animateur ask at the same time: the first publishes, the second is told why not.
    const other = await openEditor(app.admin);
    await barOf(other.page).getByRole('button', { name: 'Publier la version 2' }).click();
    const late = other.page.getByRole('dialog', { name: 'Publier la version 2 ?' });
    await late.waitFor();
    expect(await late.textContent()).toContain('La version 1 restera lisible à sa propre adresse');

    await publishNext.click();
    const dialog = anim.page.getByRole('dialog', { name: 'Publier la version 2 ?' });
    await dialog.getByRole('button', { name: 'Publier la version 2' }).click();
    await expect.poll(() => badgesOf(anim.page)).toEqual(['Publiée (version 2)']);
    await expect.poll(() => rowText(anim.page)).toMatch(/^Version 2 publiée le /);

    await late.getByRole('button', { name: 'Publier la version 2' }).click();
    const refusal = late.getByText('Cette version du document est déjà publiée.');
    await refusal.waitFor();
    expect(await late.getByRole('heading', { name: 'Action refusée' }).count()).toBe(1);
    await shot(other.page, 'publication-refus.png');
    await late.getByRole('button', { name: 'Annuler' }).click();

    // Version 1 keeps its own address, frozen; the portal shows version 2 by default.
    const v1 = await fetch(`${app.baseUrl}${portalUrl}/v/1`).then((r) => r.text());
    expect(v1).not.toContain('bilan');
    const v2 = await fetch(`${app.baseUrl}${portalUrl}`).then((r) => r.text());
    expect(v2).toContain('Une réunion de bilan a lieu six mois plus tard.');
    for (const tab of [anim, rapp])
      expect(unexpectedProblems(tab.problems)).toEqual({ errors: [], cspViolations: [] });
    // The late tab's only error is the refusal it showed (the browser logs the 409 itself).
    expect(unexpectedProblems(other.problems)).toEqual({
      errors: ['Failed to load resource: the server responded with a status of 409 (Conflict)'],
      cspViolations: [],
    });
  });
});

describe('downloads from the editor', () => {
  it('downloads the draft as a PDF marked « Document de travail » and links each publication’s public files', async () => {
    const tab = await openEditor(karima);
    const { page } = tab;
    await page.getByRole('button', { name: 'Télécharger', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Télécharger le document' });
    await dialog.waitFor();
    expect(await dialog.getByRole('heading', { name: 'Document de travail, non publié' }).count()).toBe(1);
    // Keyboard: the formats are buttons in the tab order, named with what they download.
    for (const name of ['PDF', 'Word (DOCX)', 'OpenDocument (ODT)', 'Markdown', 'HTML'])
      expect(
        await dialog.getByRole('button', { name: `Télécharger le document de travail en ${name}` }).count(),
      ).toBe(1);
    await shot(page, 'publication-telecharger.png');
    expect(await runAxe(page), 'dialogue de téléchargement').toEqual([]);

    const pdfButton = dialog.getByRole('button', { name: 'Télécharger le document de travail en PDF' });
    await pdfButton.focus();
    const [download] = await Promise.all([page.waitForEvent('download'), page.keyboard.press('Enter')]);
    expect(download.suggestedFilename()).toMatch(/^conferences-familiales-en-gironde.*\.pdf$/i);
    const file = await download.path();
    const bytes = fs.readFileSync(file);
    expect(isPdf(bytes)).toBe(true);
    const text = execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' });
    expect(text).toContain('Document de travail');
    expect(text).toContain('Une réunion de bilan a lieu six mois plus tard.');
    await expect
      .poll(() => dialog.getByRole('status').first().textContent())
      .toBe(`Fichier « ${download.suggestedFilename()} » téléchargé.`);

    // Each publication by its public link, as published (no « Document de travail »).
    const links = dialog.getByRole('link', { name: 'Télécharger la version publiée 1 en PDF' });
    const href = (await links.getAttribute('href')) ?? '';
    expect(href).toBe(`${portalUrl}/v/1/export.pdf`);
    expect(
      await dialog
        .getByRole('link', { name: 'Télécharger la version publiée 2 en Word (DOCX)' })
        .getAttribute('href'),
    ).toBe(`${portalUrl}/v/2/export.docx`);
    const published = await fetch(`${app.baseUrl}${href}`);
    expect(published.headers.get('content-type')).toBe('application/pdf');
    const publishedFile = path.join(path.dirname(file), 'publication-1.pdf');
    fs.writeFileSync(publishedFile, Buffer.from(await published.arrayBuffer()));
    expect(isPdf(fs.readFileSync(publishedFile))).toBe(true);
    expect(execFileSync('pdftotext', [publishedFile, '-'], { encoding: 'utf8' })).not.toContain(
      'Document de travail',
    );

    // Offline, the download fails in words, in the dialog; nothing is saved.
    await page.context().setOffline(true);
    let saved = false;
    page.once('download', () => (saved = true));
    await dialog.getByRole('button', { name: 'Télécharger le document de travail en Markdown' }).click();
    const failure = dialog.getByRole('heading', { name: 'Le téléchargement a échoué' });
    await failure.waitFor();
    // The browser knows it has no network (no reload since): said so, as the badge does.
    expect(await dialog.textContent()).toContain('Vous êtes hors ligne. Vérifiez votre connexion');
    expect(saved).toBe(false);
    await page.context().setOffline(false);
    await dialog.getByRole('button', { name: 'Fermer' }).first().click();
    await expect.poll(() => dialog.isVisible()).toBe(false);
    // Offline, the browser logs each request it could not send (this one, and the page's others).
    const problems = unexpectedProblems(tab.problems);
    expect(problems.cspViolations).toEqual([]);
    expect(problems.errors.filter((e) => !e.includes('net::ERR_INTERNET_DISCONNECTED'))).toEqual([]);
  });
});

describe('reuse signals', () => {
  it('takes a visitor’s signal from the portal without JavaScript and lets the animateur approve or refuse it on « Signalements de reprise »', async () => {
    const visitor = await app.open({ javaScriptEnabled: false });
    const leave = async (structure: string, territoire: string, message: string) => {
      await visitor.page.goto(`${app.baseUrl}${portalUrl}`);
      const form = visitor.page.locator('#inspiration');
      await form.getByLabel('Territoire (obligatoire)').selectOption(territoire);
      await form.getByLabel('Type de structure (obligatoire)').selectOption('association');
      await form.getByLabel('Nom de la structure (facultatif)').fill(structure);
      await form
        .getByLabel(/^Courriel pour que le groupe vous recontacte/)
        .fill('contact@familles-roubaix.example');
      await form.getByLabel(/^Message/).fill(message);
      await form.getByRole('button', { name: 'Envoyer mon signalement' }).click();
      await visitor.page.waitForURL(/\?signal=merci#inspiration$/);
      await expect.poll(() => visitor.page.getByRole('status').textContent()).toMatch(/^Merci !/);
    };
    await leave(
      'Maison des familles de Roubaix',
      'dep:59',
      'Nous l’essayons depuis janvier avec deux familles.',
    );
    // A message is text: markup in it is shown as typed, never run.
    await leave('Association hostile', 'reg:84', '<img src=x onerror=alert(1)> <b>gras</b>');
    expect(await visitor.page.locator('#inspiration').textContent()).toContain(
      'Personne n’a encore signalé l’essayer',
    );

    const { page, problems } = await app.open({ as: app.admin, bypassCSP: true });
    await page.goto(`${app.baseUrl}/espaces/${app.espaceId}/signalements`);
    await expect
      .poll(() => page.getByRole('heading', { level: 1 }).textContent())
      .toBe('Signalements de reprise');
    await expect.poll(() => page.getByText('2 signalements attendent votre décision.').count()).toBe(1);
    const roubaix = page.getByRole('article', { name: 'Maison des familles de Roubaix — Nord (59)' });
    const hostile = page.getByRole('article', { name: 'Association hostile — Auvergne-Rhône-Alpes' });
    const roubaixText = (await roubaix.textContent()) ?? '';
    expect(roubaixText).toContain(TITLE);
    expect(roubaixText).toContain('Nous l’essayons depuis janvier avec deux familles.');
    expect(roubaixText).toContain('contact@familles-roubaix.example');
    expect(await roubaix.getByRole('link', { name: TITLE }).getAttribute('href')).toBe(
      `/documents/${doc.id}`,
    );
    expect(await hostile.textContent()).toContain('<img src=x onerror=alert(1)> <b>gras</b>');
    expect(await hostile.locator('img, b').count()).toBe(0);
    await shot(page, 'publication-signalements.png');
    expect(await runAxe(page), 'signalements en attente').toEqual([]);

    await roubaix.getByRole('button', { name: 'Approuver' }).click();
    await expect
      .poll(() =>
        page.getByText(`Signalement approuvé : il est affiché sur la page publique de « ${TITLE} ».`).count(),
      )
      .toBe(1);
    await expect.poll(() => roubaix.count()).toBe(0);
    // The focus goes to the signal that is now first.
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.textContent ?? ''))
      .toBe('Association hostile — Auvergne-Rhône-Alpes');
    await hostile.getByRole('button', { name: 'Refuser' }).click();
    await expect.poll(() => page.getByText('Aucun signalement en attente.').count()).toBe(1);

    // The other lists, by the filter (kept in the address).
    await page.getByText('Approuvés', { exact: true }).click();
    await page.waitForURL(/statut=approuve/);
    await expect.poll(() => page.getByRole('article').count()).toBe(1);
    expect(await page.getByRole('article').getAttribute('aria-labelledby')).toBeTruthy();
    expect(await page.getByRole('article').textContent()).toContain('Maison des familles de Roubaix');
    expect(await page.getByRole('article').getByRole('button').count()).toBe(0);
    await page.getByText('Refusés', { exact: true }).click();
    await expect.poll(() => page.getByRole('article').textContent()).toContain('Association hostile');
    expect(await runAxe(page), 'signalements refusés').toEqual([]);
    expect(unexpectedProblems(problems)).toEqual({ errors: [], cspViolations: [] });

    // The approved signal is on the practice's page; the refused one is not.
    await visitor.page.goto(`${app.baseUrl}${portalUrl}`);
    const block = (await visitor.page.locator('#inspiration').textContent()) ?? '';
    expect(block).toContain('Reprise ou essayée ailleurs (1)');
    expect(block).toContain('Maison des familles de Roubaix');
    expect(block).not.toContain('Association hostile');
    expect(block).not.toContain('contact@familles-roubaix.example');
  });

  it('tells a rapporteur the moderation page is not hers, as the server’s abilities say', async () => {
    // What the client shows comes from `can()` on the server: the animateur's abilities, not hers.
    const abilities = async (who: Session) => {
      const document = (await (await who.fetch(`/api/documents/${doc.id}`)).json()) as {
        canPublish: boolean;
      };
      const espace = (await (await who.fetch(`/api/espaces/${app.espaceId}`)).json()) as {
        permissions: { moderateSignals: boolean };
      };
      return { publish: document.canPublish, moderate: espace.permissions.moderateSignals };
    };
    expect(await abilities(app.admin)).toEqual({ publish: true, moderate: true });
    expect(await abilities(karima)).toEqual({ publish: false, moderate: false });
    const { page } = await app.open({ as: karima });
    await page.goto(`${app.baseUrl}/espaces/${app.espaceId}/signalements`);
    await expect
      .poll(() => page.getByRole('heading', { level: 1 }).textContent())
      .toBe('Page réservée à l’animateur');
    expect(await page.getByRole('button', { name: 'Approuver' }).count()).toBe(0);
  });
});

describe('unpublishing', () => {
  it('takes the document off the portal after a confirmation, and republishes it', async () => {
    const { page, problems } = await openEditor(app.admin);
    await expect.poll(() => badgesOf(page)).toEqual(['Publiée (version 2)']);
    await publicationRowOf(page).getByRole('button', { name: 'Dépublier' }).click();
    const dialog = page.getByRole('dialog', { name: 'Dépublier ce document ?' });
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain('Rien n’est supprimé');
    await dialog.getByRole('button', { name: 'Dépublier', exact: true }).click();
    await expect.poll(() => badgesOf(page)).toEqual(['Prête à publier']);
    await expect.poll(() => rowText(page)).toMatch(/^Dépubliée : version 2 publiée le /);
    expect((await fetch(`${app.baseUrl}${portalUrl}`)).status).toBe(404);
    // Downloads of publications are gone from the portal too: the dialog says so.
    await page.getByRole('button', { name: 'Télécharger', exact: true }).click();
    const downloads = page.getByRole('dialog', { name: 'Télécharger le document' });
    await expect.poll(() => downloads.textContent()).toContain('Le document est dépublié');
    await downloads.getByRole('button', { name: 'Fermer' }).first().click();
    await expect.poll(() => downloads.isVisible()).toBe(false);

    await publicationRowOf(page).getByRole('button', { name: 'Republier' }).click();
    const again = page.getByRole('dialog', { name: 'Republier ce document ?' });
    await again.getByRole('button', { name: 'Republier', exact: true }).click();
    await expect.poll(() => badgesOf(page)).toEqual(['Publiée (version 2)']);
    expect((await fetch(`${app.baseUrl}${portalUrl}`)).status).toBe(200);
    expect(unexpectedProblems(problems)).toEqual({ errors: [], cspViolations: [] });
  });
});
