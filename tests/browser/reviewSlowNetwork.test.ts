import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { ReviewedDocumentSectionsDto } from '@essaim/protocol';
import { createDocument, invite, type Session } from '../support/accounts.js';
import { approveAll, publishDocument } from '../support/publications.js';
import { useBrowserApp } from './support/app.js';
import { delayServerMessages } from './support/collabNetwork.js';
import { editorOf, sectionOf } from './support/coWriting.js';

/**
 * The review's steps after a section is written again, on a slow network (issue 12, seen in CI on
 * a loaded machine): the server's acknowledgements of a rapporteur's keystrokes arrive long after
 * the editor has re-read its section hashes. The page must still ask the server again once the
 * keystrokes have all reached it, and offer « Soumettre » on the section approved then changed,
 * and « Une nouvelle version est en cours de rédaction » on a published document (issue 13).
 */

const app = useBrowserApp();

/** Opens `documentId` as `who` on a network whose server messages arrive 700 ms late. */
async function openSlowly(who: Session, documentId: string): Promise<Page> {
  const { page } = await app.open({ as: who });
  await delayServerMessages(page, 700);
  await page.goto(`${app.baseUrl}/documents/${documentId}`);
  await expect.poll(() => editorOf(page).getAttribute('contenteditable'), { timeout: 20_000 }).toBe('true');
  return page;
}

/** Types a sentence in a section's first paragraph, keystrokes spread over several hash delays. */
async function typeInSection(page: Page, key: string, text: string): Promise<void> {
  await sectionOf(page, key).locator('.essaim-section__content p').first().click();
  await page.keyboard.type(text, { delay: 40 });
}

describe('review steps on a slow network', () => {
  it('offers « Soumettre » on an approved section written again, when the acknowledgements arrive after several keystrokes', async () => {
    const bruno = await invite(app.admin, app.espaceId, 'rapporteur', 'Bruno');
    const doc = await createDocument(app.admin, app.espaceId, 'Aller-vers dans le Cantal', 'fiche');
    const assigned = await app.admin.fetch(`/api/documents/${doc.id}/assignments`, {
      method: 'POST',
      json: { userId: bruno.userId },
    });
    expect(assigned.status).toBe(200);
    await approveAll(app.admin, doc.id);
    const sections = (
      (await (await bruno.fetch(`/api/documents/${doc.id}/sections`)).json()) as ReviewedDocumentSectionsDto
    ).sections;
    const description = sections.find((s) => s.key === 'description');
    expect(description?.review.state).toBe('approuvee');
    const title = description?.title ?? '';

    const page = await openSlowly(bruno, doc.id);
    const submit = sectionOf(page, 'description').getByRole('button', {
      name: `Soumettre la section « ${title} » à l’animateur`,
    });
    expect(await submit.count()).toBe(0);

    // Keystrokes spread over more than the editor's hash delay, each acknowledged 700 ms later.
    await typeInSection(page, 'description', 'Les visites ont lieu le mardi.');

    await expect
      .poll(() => sectionOf(page, 'description').locator('.essaim-review__status').textContent())
      .toContain('Modifiée depuis l’approbation');
    await submit.waitFor({ timeout: 15_000 });
    // The server agrees: the section is stale there too.
    const after = (
      (await (await bruno.fetch(`/api/documents/${doc.id}/sections`)).json()) as ReviewedDocumentSectionsDto
    ).sections.find((s) => s.key === 'description');
    expect(after?.review.stale).toBe(true);
  });

  it('shows « Une nouvelle version est en cours de rédaction » on a published document written again, when the acknowledgements arrive late', async () => {
    const doc = await createDocument(app.admin, app.espaceId, 'Pair-aidance en Bretagne', 'fiche');
    await publishDocument(app.admin, doc.id);
    const page = await openSlowly(app.admin, doc.id);
    const badges = () =>
      page
        .getByRole('region', { name: 'Relecture du document' })
        .locator('.essaim-review-bar__status .fr-badge')
        .evaluateAll((found) => found.map((b) => (b.textContent ?? '').trim()));
    await expect.poll(badges).toEqual(['Publiée (version 1)']);

    await typeInSection(page, 'description', 'Un pair-aidant accueille chaque nouvel arrivant.');
    await expect
      .poll(badges, { timeout: 15_000 })
      .toEqual(['Publiée (version 1)', 'Une nouvelle version est en cours de rédaction']);
  });

  it('offers « Publier la version 2 » when only the contact of a published fiche changes, and no more once it is put back, on a slow network', async () => {
    const doc = await createDocument(
      app.admin,
      app.espaceId,
      'Développement du pouvoir d’agir à Lyon',
      'fiche',
    );
    await publishDocument(app.admin, doc.id);
    const page = await openSlowly(app.admin, doc.id);
    const bar = page.getByRole('region', { name: 'Relecture du document' });
    const badges = () =>
      bar
        .locator('.essaim-review-bar__status .fr-badge')
        .evaluateAll((found) => found.map((b) => (b.textContent ?? '').trim()));
    await expect.poll(badges).toEqual(['Publiée (version 1)']);
    expect(await bar.getByRole('button', { name: 'Publier la version 2' }).count()).toBe(0);

    await page.getByRole('button', { name: 'Informations de la fiche' }).click();
    await page.getByLabel('Contact').pressSequentially('accueil@ccas-lyon.example', { delay: 20 });
    await expect
      .poll(badges, { timeout: 15_000 })
      .toEqual(['Publiée (version 1)', 'Une nouvelle version est en cours de rédaction']);
    await bar.getByRole('button', { name: 'Publier la version 2' }).waitFor();

    // The contact put back as published: no new version any more.
    await page.getByLabel('Contact').fill('');
    await expect.poll(badges, { timeout: 15_000 }).toEqual(['Publiée (version 1)']);
    expect(await bar.getByRole('button', { name: 'Publier la version 2' }).count()).toBe(0);
  });
});
