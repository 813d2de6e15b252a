import path from 'node:path';
import { beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import type { DocumentDto, ReviewedDocumentSectionsDto, SectionReviewReplyDto } from '@essaim/protocol';
import { invite, type Session } from '../support/accounts.js';
import { runAxe } from './support/axe.js';
import { unexpectedProblems, useBrowserApp } from './support/app.js';
import { artifactsDir } from './support/chromium.js';
import { editorOf } from './support/coWriting.js';

/**
 * Issue 12's scenario, end to end in Chromium: a rapporteur writes and submits three sections of
 * her fiche from the editor; the animateur requests changes on one of them from the « Relecture »
 * dashboard, with a message; the rapporteur finds the request in her dashboard, opens the
 * section, fixes it and submits it again from the editor; the animateur approves the three from
 * the dashboard, and the document is « Prête à publier » for both of them (dashboard, editor,
 * catalogue). The fiche's ten other sections were approved in an earlier round (set up through
 * the API), so that these three are what stands between the fiche and its publication.
 */

const app = useBrowserApp();
let thomas: Session;

beforeAll(async () => {
  thomas = await invite(app.admin, app.espaceId, 'rapporteur', 'Thomas Girard');
});

const shot = (page: Page, name: string) =>
  page.screenshot({ path: path.join(artifactsDir, name), fullPage: true });

async function sectionsOf(session: Session, id: string): Promise<ReviewedDocumentSectionsDto> {
  const response = await session.fetch(`/api/documents/${id}/sections`);
  expect(response.status).toBe(200);
  return (await response.json()) as ReviewedDocumentSectionsDto;
}

async function approveThroughApi(id: string, sectionId: string): Promise<void> {
  const response = await app.admin.fetch(`/api/documents/${id}/sections/${sectionId}/review`, {
    method: 'POST',
    json: { action: 'approve' },
  });
  expect(response.status, await response.clone().text()).toBe(200);
  expect(((await response.json()) as SectionReviewReplyDto).section.review.state).toBe('approuvee');
}

const sommaireOf = (page: Page) => page.getByRole('navigation', { name: 'Sommaire' });

/** Opens the fiche in the editor, ready to type. */
async function openEditor(page: Page, doc: DocumentDto): Promise<void> {
  await page.goto(`${app.baseUrl}/documents/${doc.id}`);
  await editorOf(page).waitFor();
  await expect.poll(() => editorOf(page).getAttribute('contenteditable')).toBe('true');
  await expect.poll(() => sommaireOf(page).getByRole('listitem').count()).toBeGreaterThan(0);
}

/** Puts the caret at the start of a section's text with the « Sommaire », then types. */
async function typeInSection(page: Page, title: string, words: string): Promise<void> {
  await sommaireOf(page).getByRole('button', { name: title }).click();
  await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('role'))).toBe('textbox');
  await page.keyboard.type(words);
}

/** « Soumettre » on a section's review header in the editor, then the dialog's « Soumettre ». */
async function submitInEditor(page: Page, title: string, message = ''): Promise<void> {
  await page.getByRole('button', { name: `Soumettre la section « ${title} » à l’animateur` }).click();
  const dialog = page.getByRole('dialog', { name: `Soumettre la section « ${title} »` });
  await dialog.waitFor();
  if (message) await dialog.getByLabel('Message (facultatif)').fill(message);
  await dialog.getByRole('button', { name: 'Soumettre', exact: true }).click();
  await dialog.waitFor({ state: 'hidden' });
}

/** The dashboard's card of a section of `doc`. */
const entryOf = (page: Page, title: string): Locator =>
  page
    .locator('article.essaim-queue-entry')
    .filter({ has: page.getByRole('heading', { level: 4, name: title, exact: true }) });
const groupOf = (page: Page, group: 'submitted' | 'stale' | 'changes') =>
  page.locator(`section[data-group="${group}"]`);

describe('section-by-section review, from the first submission to « prête à publier »', () => {
  it('goes through submission, a request for changes, a fix, a resubmission and the approvals', async () => {
    // The fiche, assigned to Thomas; an earlier round approved all but three of its sections.
    const created = await app.admin.fetch('/api/documents', {
      method: 'POST',
      json: { espaceId: app.espaceId, title: 'Conférences familiales en Ardèche', kind: 'fiche' },
    });
    expect(created.status).toBe(201);
    const doc = (await created.json()) as DocumentDto;
    const assigned = await app.admin.fetch(`/api/documents/${doc.id}/assignments`, {
      method: 'POST',
      json: { userId: thomas.userId },
    });
    expect(assigned.status).toBe(200);
    const sections = (await sectionsOf(app.admin, doc.id)).sections;
    const three = sections.slice(0, 3);
    const [first, second, third] = three;
    if (!first || !second || !third) throw new Error('sections manquantes');
    for (const s of sections.slice(3)) await approveThroughApi(doc.id, s.id);

    // 1. Thomas writes the three sections and submits them from the editor.
    const rapporteur = await app.open({ as: thomas, bypassCSP: true });
    const writer = rapporteur.page;
    await openEditor(writer, doc);
    const texts = [
      'Le conseil départemental de l’Ardèche a repris le modèle néo-zélandais en 2019.',
      'La famille élargie prépare seule un plan, après un temps de préparation avec un coordinateur.',
      'Des familles dont un enfant est suivi par l’aide sociale à l’enfance.',
    ];
    for (const [i, s] of three.entries()) await typeInSection(writer, s.title, texts[i] ?? '');
    await submitInEditor(writer, first.title, 'Première version complète.');
    await submitInEditor(writer, second.title);
    await submitInEditor(writer, third.title);
    await expect
      .poll(async () => (await sectionsOf(thomas, doc.id)).sections.slice(0, 3).map((s) => s.review.state))
      .toEqual(['soumise', 'soumise', 'soumise']);
    await shot(writer, 'scenario-relecture-editeur-soumis.png');

    // 2. The animateur requests changes on one of them, from the dashboard, with a message.
    const animatrice = await app.open({ as: app.admin, bypassCSP: true });
    const reviewer = animatrice.page;
    onTestFailed(async () => {
      await shot(reviewer, 'scenario-relecture-echec-animatrice.png');
      await shot(writer, 'scenario-relecture-echec-rapporteur.png');
    });
    await reviewer.goto(`${app.baseUrl}/espaces/${app.espaceId}/relecture?document=${doc.id}`);
    await expect
      .poll(() => groupOf(reviewer, 'submitted').locator('h4').allTextContents())
      .toEqual(three.map((s) => s.title));
    await expect
      .poll(() => entryOf(reviewer, first.title).textContent())
      .toContain('Première version complète.');
    const asked = entryOf(reviewer, second.title);
    await asked.getByRole('button', { name: 'Demander des modifications' }).click();
    await asked.getByLabel('Modifications demandées').fill('Précisez qui coordonne et combien de familles.');
    await asked.getByRole('button', { name: 'Envoyer la demande' }).click();
    await expect
      .poll(() => groupOf(reviewer, 'changes').textContent())
      .toContain('Précisez qui coordonne et combien de familles.');

    // 3. Thomas sees the request in his dashboard, opens the section, fixes it, submits again.
    await writer.goto(`${app.baseUrl}/espaces/${app.espaceId}/relecture`);
    const request = entryOf(writer, second.title).filter({ hasText: doc.title });
    await expect
      .poll(() => request.textContent())
      .toContain('Précisez qui coordonne et combien de familles.');
    await expect
      .poll(() => request.textContent())
      .toContain('Modifications demandées par Administratrice le');
    expect(await runAxe(writer)).toEqual([]);
    await shot(writer, 'scenario-relecture-demande-rapporteur.png');
    await request.getByRole('link', { name: /Ouvrir la section/ }).click();
    await writer.waitForURL(/\/documents\/[^/]+\?section=/);
    await editorOf(writer).waitFor();
    await expect.poll(() => editorOf(writer).getAttribute('contenteditable')).toBe('true');
    await typeInSection(writer, second.title, 'Un coordinateur indépendant accompagne 42 familles par an. ');
    await submitInEditor(writer, second.title, 'Coordination et nombre de familles précisés.');
    await expect
      .poll(async () => (await sectionsOf(thomas, doc.id)).sections[1]?.review.state)
      .toBe('soumise');

    // 4. The animateur approves the three from the dashboard: the fiche is ready to publish.
    await reviewer.reload();
    const waiting = groupOf(reviewer, 'submitted');
    await expect
      .poll(() => waiting.locator('h4').allTextContents())
      .toEqual([first.title, third.title, second.title]);
    await expect
      .poll(() => entryOf(reviewer, second.title).textContent())
      .toContain('Coordination et nombre de familles précisés.');
    await shot(reviewer, 'scenario-relecture-tableau-animatrice.png');
    for (const s of [first, third, second]) {
      const approve = entryOf(reviewer, s.title).getByRole('button', { name: 'Approuver' });
      await expect.poll(() => approve.isEnabled()).toBe(true);
      await approve.click();
      await expect.poll(() => entryOf(reviewer, s.title).count()).toBe(0);
    }
    await expect.poll(() => reviewer.locator('article.essaim-queue-entry').count()).toBe(0);
    const row = reviewer.locator(`tr[data-document="${doc.id}"]`);
    await expect.poll(() => row.textContent()).toContain('Prête à publier');
    await expect
      .poll(() => row.getByTestId('document-progress').textContent())
      .toBe('13 / 13 sections approuvées');
    expect(await runAxe(reviewer)).toEqual([]);
    await shot(reviewer, 'scenario-relecture-prete.png');
    const after = await sectionsOf(app.admin, doc.id);
    expect(after.reviewState).toBe('prete_a_publier');
    expect(after.review).toMatchObject({ approved: 13, total: 13 });

    // Thomas's editor shows it too, and the catalogue.
    await openEditor(writer, doc);
    await expect
      .poll(() => writer.getByRole('region', { name: 'Relecture du document' }).textContent())
      .toContain('Prête à publier');
    await shot(writer, 'scenario-relecture-editeur-prete.png');
    // The catalogue reads the sections as last stored (a few seconds after the last keystroke).
    await expect
      .poll(async () => {
        const response = await app.admin.fetch(`/api/documents?espaceId=${app.espaceId}`);
        const { documents } = (await response.json()) as { documents: DocumentDto[] };
        return documents.find((d) => d.id === doc.id)?.reviewState;
      })
      .toBe('prete_a_publier');
    await reviewer.goto(`${app.baseUrl}/espaces/${app.espaceId}`);
    await expect
      .poll(() => reviewer.locator('.essaim-doc-card').filter({ hasText: doc.title }).textContent())
      .toContain('Prête à publier');
    expect(unexpectedProblems(rapporteur.problems)).toEqual({ errors: [], cspViolations: [] });
    expect(unexpectedProblems(animatrice.problems)).toEqual({ errors: [], cspViolations: [] });
  });
});
