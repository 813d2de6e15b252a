import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { mentionToken } from '@essaim/protocol';
import { createDocument, invite, type Session } from '../support/accounts.js';
import {
  createThread,
  deleteWords,
  listThreads,
  replyTo,
  sectionId,
  textHolding,
  threadInput,
  writeInSection,
} from '../support/comments.js';
import { connectAs, type NodeClient } from '../support/provider.js';
import { runAxe } from './support/axe.js';
import { unexpectedProblems, useBrowserApp } from './support/app.js';
import { artifactsDir } from './support/chromium.js';
import {
  activeHighlightOf,
  clickHighlighted,
  highlightsOf,
  panelOf,
  selectWords,
  sommaireCount,
  threadsOf,
} from './support/comments.js';
import { editorOf } from './support/coWriting.js';

/**
 * Comments as people use them (issue 10): a membre comments words of a fiche on a read-only text,
 * a rapporteur sees the thread arrive live and answers with a mention, the animateur's
 * notification centre leads straight to the thread; resolved threads are found again with the
 * filter; orphaned threads stay listed; hostile text stays text; and the page passes axe.
 */

const app = useBrowserApp();
/** The first-run administrator is the espace's animatrice (« Administratrice »). */
let animatrice: Session;
let bruno: Session;
let mona: Session;

beforeAll(async () => {
  animatrice = app.admin;
  bruno = await invite(app.admin, app.espaceId, 'rapporteur', 'Bruno');
  mona = await invite(app.admin, app.espaceId, 'membre', 'Mona');
});

const SENTENCE = 'Le conseil départemental a repris le modèle néo-zélandais en 2019.';
const SECOND = 'Les familles choisissent elles-mêmes leurs invités.';

/** A connected Node provider of the animatrice's, synced. */
async function providerOf(name: string): Promise<NodeClient> {
  const client = connectAs(animatrice, app.server.wsUrl, name);
  await expect.poll(() => client.provider.isSynced, { timeout: 10_000 }).toBe(true);
  return client;
}

/** Waits until every change of `client` is acknowledged by the server. */
async function settled(client: NodeClient): Promise<void> {
  await expect.poll(() => client.provider.hasUnsyncedChanges, { timeout: 10_000 }).toBe(false);
}

/** A fiche assigned to Bruno, with two sentences in « Origine et contexte ». */
async function writtenFiche(title: string): Promise<{ id: string; name: string }> {
  const doc = await createDocument(animatrice, app.espaceId, title, 'fiche');
  const assigned = await animatrice.fetch(`/api/documents/${doc.id}/assignments`, {
    method: 'POST',
    json: { userId: bruno.userId },
  });
  expect(assigned.status).toBe(200);
  const client = await providerOf(doc.name);
  try {
    writeInSection(client.ydoc, sectionId(client.ydoc, 1), `${SENTENCE} ${SECOND}`);
    await settled(client);
  } finally {
    client.destroy();
  }
  return doc;
}

/** Opens a document as `who`, once its text and the comments panel are there. */
async function openDocument(
  who: Session,
  id: string,
  query = '',
  options: Parameters<typeof app.open>[0] = {},
) {
  const opened = await app.open({ as: who, ...options });
  await opened.page.goto(`${app.baseUrl}/documents/${id}${query}`);
  await editorOf(opened.page).waitFor();
  await expect.poll(() => editorOf(opened.page).textContent()).toContain(SENTENCE);
  // The threads are loaded (their counts shown): the panel can act.
  await panelOf(opened.page)
    .getByText(/\d+ ouverts?, \d+ résolus?/)
    .waitFor();
  return opened;
}

/** The server's state vector of a document, read by a fresh Node provider. */
async function serverStateVector(name: string): Promise<string> {
  const client = await providerOf(name);
  try {
    return Buffer.from(Y.encodeStateVector(client.ydoc)).toString('base64');
  } finally {
    client.destroy();
  }
}

describe('a membre’s comment', () => {
  it('reaches a rapporteur live, who answers with a mention that leads the animatrice to the thread', async () => {
    const doc = await writtenFiche('Conférences familiales en Ardèche');
    const brunoTab = await openDocument(bruno, doc.id);
    const monaTab = await openDocument(mona, doc.id);
    const before = await serverStateVector(doc.name);

    // Mona (membre) reads: her text is read-only, yet she comments.
    expect(await editorOf(monaTab.page).getAttribute('aria-readonly')).toBe('true');
    await selectWords(monaTab.page, 'repris le modèle néo-zélandais');
    await monaTab.page.getByRole('button', { name: 'Commenter', exact: true }).click();
    const field = panelOf(monaTab.page).getByRole('textbox', { name: /Votre commentaire/ });
    await expect.poll(() => field.evaluate((el) => el === document.activeElement)).toBe(true);
    await field.fill('Quelle année exactement ? Voir https://www.hcts.fr/rapport.');
    await panelOf(monaTab.page).getByRole('button', { name: 'Publier' }).click();
    await expect.poll(() => threadsOf(monaTab.page).count()).toBe(1);

    // Bruno sees it arrive without reloading, the words highlighted in his text.
    await expect.poll(() => threadsOf(brunoTab.page).count(), { timeout: 10_000 }).toBe(1);
    await expect.poll(() => highlightsOf(brunoTab.page)).toEqual(['repris le modèle néo-zélandais']);
    await expect.poll(() => sommaireCount(brunoTab.page, 'Origine et contexte')).toBe('1 commentaire ouvert');

    // Clicking the highlighted words opens the thread in the panel; its words stand out.
    await clickHighlighted(brunoTab.page, 'repris le modèle néo-zélandais');
    const summary = threadsOf(brunoTab.page).first().getByRole('button', { expanded: true });
    await summary.waitFor();
    await expect.poll(() => activeHighlightOf(brunoTab.page)).toEqual(['repris le modèle néo-zélandais']);
    const thread = threadsOf(brunoTab.page).first();
    await expect.poll(() => thread.textContent()).toContain('Quelle année exactement');
    const link = thread.getByRole('link', { name: 'https://www.hcts.fr/rapport' });
    expect(await link.getAttribute('rel')).toBe('noopener noreferrer');

    // He answers, mentioning the animatrice through the @ suggestions.
    const reply = thread.getByRole('textbox', { name: /Votre réponse/ });
    await reply.click();
    await reply.pressSequentially('En 2019. @Admi');
    const option = thread.getByRole('option', { name: animatrice.name });
    await option.waitFor();
    await reply.press('Enter');
    await reply.pressSequentially('pouvez-vous confirmer ?');
    expect(await reply.inputValue()).toBe(`En 2019. @${animatrice.name} pouvez-vous confirmer ?`);
    await thread.getByRole('button', { name: 'Répondre' }).click();
    await expect
      .poll(() => thread.locator('.essaim-mention').allTextContents())
      .toEqual([`@${animatrice.name}`]);
    // Mona's panel follows.
    await expect
      .poll(() => threadsOf(monaTab.page).first().textContent(), { timeout: 10_000 })
      .toContain('1 réponse');

    // Nothing of this wrote to the document.
    expect(await editorOf(monaTab.page).getAttribute('aria-readonly')).toBe('true');
    expect(await serverStateVector(doc.name)).toBe(before);

    // The animatrice's notification centre shows the mention and opens the thread.
    const { page } = await app.open({ as: animatrice });
    await page.goto(`${app.baseUrl}/espaces/${app.espaceId}`);
    // The catalogue card counts the open thread.
    const card = page.locator('article').filter({ hasText: 'Conférences familiales en Ardèche' });
    await expect.poll(() => card.textContent()).toContain('1 commentaire ouvert');
    const bell = page.getByRole('button', { name: /Notifications.*1 non lue/ }).first();
    await bell.waitFor({ timeout: 10_000 });
    await bell.click();
    const centre = page.getByRole('region', { name: 'Notifications' });
    const entry = centre.getByRole('link', {
      name: /Bruno vous a mentionné dans « Conférences familiales en Ardèche »/,
    });
    await entry.waitFor();
    await page.screenshot({ path: path.join(artifactsDir, 'commentaires-notifications.png') });
    await entry.click();
    await page.waitForURL(/\/documents\/.+\?thread=/);
    const heading = page.getByRole('heading', {
      name: /Fil de discussion sur « repris le modèle néo-zélandais »/,
    });
    await expect
      .poll(() => heading.evaluate((el) => el === document.activeElement), { timeout: 10_000 })
      .toBe(true);
    await expect.poll(() => highlightsOf(page)).toEqual(['repris le modèle néo-zélandais']);
    await expect
      .poll(() => page.getByRole('button', { name: /Notifications.*aucune non lue/ }).count())
      .toBeGreaterThan(0);

    for (const { problems } of [brunoTab, monaTab])
      expect(unexpectedProblems(problems)).toEqual({ errors: [], cspViolations: [] });
  });
});

describe('the panel', () => {
  it('finds a resolved thread again with the filter, lists orphaned threads last, and is shown as people see it', async () => {
    const doc = await writtenFiche('Pair-aidance en Ille-et-Vilaine');
    const client = await providerOf(doc.name);
    const section = sectionId(client.ydoc, 1);
    const kept = await createThread(
      bruno,
      doc.id,
      threadInput(client.ydoc, section, 'choisissent elles-mêmes', 'Qui les aide à choisir ?'),
    );
    const doomed = await createThread(mona, doc.id, threadInput(client.ydoc, section, 'en 2019', 'Source ?'));
    const sectionThread = await createThread(mona, doc.id, {
      sectionId: section,
      body: 'Section très claire.',
    });
    expect(sectionThread.wholeSection).toBe(true);

    const { page, problems } = await openDocument(bruno, doc.id, '', {
      viewport: { width: 1280, height: 1300 },
    });
    await expect.poll(() => threadsOf(page).count()).toBe(3);

    // The commented words are deleted: the thread stays, « texte d'origine supprimé », listed last.
    deleteWords(client.ydoc, 'en 2019');
    await settled(client);
    await expect
      .poll(
        async () => (await listThreads(bruno, doc.id)).threads.find((t) => t.id === doomed.id)?.orphaned,
        { timeout: 10_000 },
      )
      .toBe(true);
    const groups = panelOf(page).locator('.essaim-comments__group-title');
    await expect
      .poll(() => groups.allTextContents(), { timeout: 10_000 })
      .toEqual(['Origine et contexte', 'Texte d’origine supprimé']);

    // Bruno resolves the first thread: gone from « Ouverts », found again under « Résolus ».
    await threadsOf(page).filter({ hasText: 'choisissent elles-mêmes' }).getByRole('button').first().click();
    await panelOf(page).getByRole('button', { name: 'Résoudre' }).click();
    await expect.poll(() => threadsOf(page).filter({ hasText: 'choisissent elles-mêmes' }).count()).toBe(0);
    await panelOf(page).getByText('Résolus', { exact: true }).click();
    await expect.poll(() => threadsOf(page).count()).toBe(1);
    await expect.poll(() => threadsOf(page).first().textContent()).toContain('choisissent elles-mêmes');
    // Still open from before: it can be reopened from here.
    await panelOf(page).getByRole('button', { name: 'Rouvrir' }).waitFor();

    // Everything at once, for the screenshot: a whole-section thread, a resolved one (its words
    // underlined in dots) and the orphaned one, open, with its quote kept.
    await panelOf(page).getByText('Tous', { exact: true }).click();
    await expect.poll(() => threadsOf(page).count()).toBe(3);
    await expect.poll(() => highlightsOf(page)).toEqual(['choisissent elles-mêmes']);
    await threadsOf(page)
      .filter({ hasText: 'choisissent elles-mêmes' })
      .getByRole('button', { expanded: true })
      .click();
    await threadsOf(page).filter({ hasText: 'en 2019' }).getByRole('button').first().click();
    await panelOf(page)
      .getByRole('heading', { name: /Fil de discussion sur « en 2019 »/ })
      .waitFor();
    expect(await threadsOf(page).last().textContent()).toContain('texte d’origine supprimé');
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: path.join(artifactsDir, 'commentaires-panneau.png') });
    await panelOf(page).screenshot({ path: path.join(artifactsDir, 'commentaires-panneau-seul.png') });
    client.destroy();
    expect(kept.id).toBeTruthy();
    expect(unexpectedProblems(problems)).toEqual({ errors: [], cspViolations: [] });
  });

  it('renders hostile comment text, mentions and account names as text, never as HTML', async () => {
    // A membre whose account name is markup: it shows as author, as mention and in notifications.
    const hostileName = '<img src=x onerror="window.__xss=1">';
    const hostile = await invite(app.admin, app.espaceId, 'membre', hostileName, 'balise@hcts.example');
    const doc = await writtenFiche('Aller-vers dans l’Oise');
    const client = await providerOf(doc.name);
    const section = sectionId(client.ydoc, 1);
    const body = [
      '<script>window.__xss=2</script>',
      '<img src=x onerror="window.__xss=3">',
      'javascript:window.__xss=4',
      '[clic](javascript:window.__xss=5)',
      // A made-up label: the animatrice is shown under her account's name.
      `${mentionToken({ id: animatrice.userId, name: '<svg onload="window.__xss=6">' })} regardez`,
    ].join('\n');
    const thread = await createThread(
      hostile,
      doc.id,
      threadInput(client.ydoc, section, 'repris le modèle', body),
    );
    await replyTo(mona, thread.id, `${mentionToken({ id: hostile.userId, name: hostile.name })} merci`);
    client.destroy();

    const { page, problems } = await openDocument(bruno, doc.id);
    await threadsOf(page).first().getByRole('button').first().click();
    const messages = panelOf(page).locator('.essaim-comment-body');
    await expect.poll(() => messages.count()).toBe(2);
    const first = messages.first();
    expect(await first.textContent()).toContain('<script>window.__xss=2</script>');
    expect(await first.textContent()).toContain(`@${animatrice.name} regardez`);
    expect(await first.textContent()).not.toContain('<svg');
    expect(await messages.nth(1).textContent()).toBe(`@${hostileName} merci`);
    expect(await panelOf(page).locator('.essaim-mention').allTextContents()).toEqual([
      `@${animatrice.name}`,
      `@${hostileName}`,
    ]);
    expect(await threadsOf(page).first().textContent()).toContain(hostileName);
    await panelOf(page).screenshot({ path: path.join(artifactsDir, 'commentaires-noms-hostiles.png') });
    expect(await panelOf(page).locator('script, img, svg:not([aria-hidden]), iframe').count()).toBe(0);
    // Only http(s) addresses become links; none here.
    expect(await first.locator('a').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
    expect(unexpectedProblems(problems)).toEqual({ errors: [], cspViolations: [] });

    // The animatrice's notification centre names the hostile account as text.
    const centrePage = (await app.open({ as: animatrice })).page;
    await centrePage.goto(`${app.baseUrl}/espaces/${app.espaceId}`);
    const bell = centrePage.getByRole('button', { name: /Notifications.*non lue/ }).first();
    await bell.waitFor({ timeout: 10_000 });
    await bell.click();
    const centre = centrePage.getByRole('region', { name: 'Notifications' });
    await expect.poll(() => centre.textContent()).toContain(`${hostileName} vous a mentionné`);
    expect(await centre.textContent()).toContain('<script>window.__xss=2</script>');
    expect(await centre.locator('script, img, iframe').count()).toBe(0);
    expect(await centrePage.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
  });

  it('refuses a message over 10,000 characters with a French message, and writers comment with Ctrl+Alt+M', async () => {
    const doc = await writtenFiche('Développement du pouvoir d’agir');
    const { page } = await openDocument(bruno, doc.id);
    await expect.poll(() => editorOf(page).getAttribute('contenteditable')).toBe('true');
    await selectWords(page, 'leurs invités');
    await page.keyboard.press('Control+Alt+M');
    const field = panelOf(page).getByRole('textbox', { name: /Votre commentaire/ });
    await expect.poll(() => field.evaluate((el) => el === document.activeElement)).toBe(true);
    // While writing, the selected words stay highlighted, as the thread being written.
    await expect.poll(() => highlightsOf(page)).toEqual(['leurs invités']);
    expect(await activeHighlightOf(page)).toEqual(['leurs invités']);
    await field.fill('a'.repeat(10_001));
    await expect
      .poll(() => panelOf(page).locator('.fr-error-text').textContent())
      .toBe('Le message ne peut pas dépasser 10 000 caractères.');
    await panelOf(page).getByRole('button', { name: 'Publier' }).click();
    expect((await listThreads(bruno, doc.id)).threads).toHaveLength(0);
    await field.fill('Combien en moyenne ?');
    await panelOf(page).getByRole('button', { name: 'Publier' }).click();
    await expect
      .poll(async () => (await listThreads(bruno, doc.id)).threads.map((t) => t.quote))
      .toEqual(['leurs invités']);

    // « Aller au passage commenté » selects the words in the text, caret there.
    await panelOf(page).getByRole('button', { name: 'Aller au passage commenté' }).click();
    await expect.poll(() => page.evaluate(() => window.getSelection()?.toString())).toBe('leurs invités');
    await expect.poll(() => editorOf(page).evaluate((el) => el === document.activeElement)).toBe(true);
    // Back in the text, the caret inside the commented words: Ctrl+Alt+M opens their thread.
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Control+Alt+M');
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.textContent))
      .toBe('Fil de discussion sur « leurs invités »');

    // Its author edits the message, then deletes it: « message supprimé » keeps its place.
    const thread = threadsOf(page).first();
    await thread.getByRole('button', { name: 'Modifier' }).click();
    const editField = thread.getByRole('textbox', { name: /Modifier le message/ });
    await editField.fill('Combien sont-ils en moyenne ?');
    await thread.getByRole('button', { name: 'Enregistrer' }).click();
    await expect
      .poll(() => thread.locator('.essaim-comment-body').first().textContent())
      .toBe('Combien sont-ils en moyenne ?');
    expect(await thread.textContent()).toContain('modifié');
    await thread.getByRole('button', { name: 'Supprimer' }).click();
    await thread.getByRole('button', { name: 'Confirmer la suppression' }).click();
    await expect
      .poll(() => thread.locator('.essaim-message').first().textContent())
      .toContain('message supprimé');
    expect(await thread.locator('.essaim-message').count()).toBe(1);
  });

  it('comments a whole section from its button, on a membre’s read-only text', async () => {
    const doc = await writtenFiche('Conférences familiales dans le Nord');
    const { page } = await openDocument(mona, doc.id);
    // Readers have no section menu, only « Commenter la section ».
    expect(await page.getByRole('button', { name: /^Actions de la section/ }).count()).toBe(0);
    await page.getByRole('button', { name: 'Commenter la section « Origine et contexte »' }).click();
    const field = panelOf(page).getByRole('textbox', { name: /Votre commentaire/ });
    await field.fill('Section à compléter avec les chiffres.');
    await panelOf(page).getByRole('button', { name: 'Publier' }).click();
    await expect
      .poll(() => threadsOf(page).first().textContent())
      .toContain('Section « Origine et contexte »');
    await expect.poll(() => sommaireCount(page, 'Origine et contexte')).toBe('1 commentaire ouvert');
  });
});

describe('accessibility', () => {
  it('has no axe violation with a thread open, with the notification centre open, and for a membre', async () => {
    const doc = await writtenFiche('Coordination pluridisciplinaire');
    const client = await providerOf(doc.name);
    const thread = await createThread(
      bruno,
      doc.id,
      threadInput(
        client.ydoc,
        sectionId(client.ydoc, 1),
        'repris le modèle',
        `Merci ${mentionToken({ id: animatrice.userId, name: animatrice.name })}`,
      ),
    );
    client.destroy();
    const { page } = await openDocument(animatrice, doc.id, `?thread=${thread.id}`, { bypassCSP: true });
    await panelOf(page)
      .getByRole('heading', { name: /Fil de discussion/ })
      .waitFor();
    expect(await runAxe(page)).toEqual([]);
    await page
      .getByRole('button', { name: /Notifications/ })
      .first()
      .click();
    await page.getByRole('region', { name: 'Notifications' }).getByRole('link').first().waitFor();
    expect(await runAxe(page)).toEqual([]);

    // A membre's page: read-only text, « Commenter la section » buttons, a thread open.
    const reader = await openDocument(mona, doc.id, `?thread=${thread.id}`, { bypassCSP: true });
    await panelOf(reader.page)
      .getByRole('heading', { name: /Fil de discussion/ })
      .waitFor();
    expect(await runAxe(reader.page)).toEqual([]);
  });
});

describe('highlights in the text', () => {
  it('draws overlapping threads both, the overlap darker, opens the innermost on a click, and leaves resolved words plain until the filter shows them', async () => {
    const doc = await writtenFiche('Médiation familiale en Gironde');
    const client = await providerOf(doc.name);
    const section = sectionId(client.ydoc, 1);
    const outer = await createThread(
      bruno,
      doc.id,
      threadInput(client.ydoc, section, 'a repris le modèle néo-zélandais', 'Depuis quand ?'),
    );
    const inner = await createThread(
      mona,
      doc.id,
      threadInput(client.ydoc, section, 'le modèle', 'Lequel ?'),
    );
    const done = await createThread(
      mona,
      doc.id,
      threadInput(client.ydoc, section, 'leurs invités', 'Tous ?'),
    );
    client.destroy();
    expect((await bruno.fetch(`/api/threads/${done.id}/resolve`, { method: 'POST' })).status).toBe(200);

    const { page, problems } = await openDocument(bruno, doc.id);
    // No span in the text: the words are painted by custom highlights.
    expect(await editorOf(page).locator('.essaim-comment').count()).toBe(0);
    await expect.poll(() => highlightsOf(page)).toEqual(['a repris le modèle néo-zélandais', 'le modèle']);
    expect(await highlightsOf(page, ['essaim-comment-overlap'])).toEqual(['le modèle']);

    // A click on the inner words opens the inner thread; a click on the outer words the outer one.
    await clickHighlighted(page, 'le modèle');
    await panelOf(page)
      .getByRole('heading', { name: /Fil de discussion sur « le modèle »/ })
      .waitFor();
    await expect.poll(() => activeHighlightOf(page)).toEqual(['le modèle']);
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: path.join(artifactsDir, 'commentaires-surlignages.png') });
    await clickHighlighted(page, 'a repris le modèle néo-zélandais', 'néo-zélandais');
    await expect.poll(() => activeHighlightOf(page)).toEqual(['a repris le modèle néo-zélandais']);
    expect(await threadsOf(page).getByRole('button', { expanded: true }).count()).toBe(1);

    // The resolved thread's words show once the filter lists resolved threads.
    await panelOf(page).getByText('Tous', { exact: true }).click();
    await expect.poll(() => highlightsOf(page, ['essaim-comment-resolved'])).toEqual(['leurs invités']);
    await panelOf(page).getByText('Ouverts', { exact: true }).click();
    await expect.poll(() => highlightsOf(page, ['essaim-comment-resolved'])).toEqual([]);

    // Someone types inside the outer words, before the inner ones: both highlights follow.
    const writer = await providerOf(doc.name);
    const { text, index } = textHolding(writer.ydoc, 'le modèle');
    text.insert(index, 'bien ');
    await settled(writer);
    writer.destroy();
    await expect.poll(() => editorOf(page).textContent()).toContain('a repris bien le modèle');
    await expect
      .poll(() => highlightsOf(page))
      .toEqual(['a repris bien le modèle néo-zélandais', 'le modèle']);
    expect(await highlightsOf(page, ['essaim-comment-overlap'])).toEqual(['le modèle']);
    expect(inner.id).not.toBe(outer.id);
    expect(unexpectedProblems(problems)).toEqual({ errors: [], cspViolations: [] });
  });

  it('paints the words near the screen, and those further down once the page is scrolled to them', async () => {
    const doc = await createDocument(animatrice, app.espaceId, 'Aller-vers dans la Drôme', 'fiche');
    const client = await providerOf(doc.name);
    const section = sectionId(client.ydoc, 1);
    const filler = 'Les équipes mobiles vont à la rencontre des personnes isolées. '.repeat(400);
    writeInSection(client.ydoc, section, `${SENTENCE} ${filler}Voici les mots de la fin.`);
    await settled(client);
    await createThread(bruno, doc.id, threadInput(client.ydoc, section, 'repris le modèle', 'Lequel ?'));
    await createThread(bruno, doc.id, threadInput(client.ydoc, section, 'mots de la fin', 'Enfin.'));
    client.destroy();

    const { page, problems } = await openDocument(bruno, doc.id);
    await expect.poll(() => highlightsOf(page)).toEqual(['repris le modèle']);
    await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
    await expect.poll(() => highlightsOf(page)).toContain('mots de la fin');
    // From the panel, a thread far from the screen is brought into view with its words.
    await page.evaluate(() => window.scrollTo(0, 0));
    await threadsOf(page).filter({ hasText: 'mots de la fin' }).getByRole('button').first().click();
    await expect.poll(() => activeHighlightOf(page)).toEqual(['mots de la fin']);
    await panelOf(page).getByRole('button', { name: 'Aller au passage commenté' }).click();
    await expect.poll(() => page.evaluate(() => window.getSelection()?.toString())).toBe('mots de la fin');
    expect(unexpectedProblems(problems)).toEqual({ errors: [], cspViolations: [] });
  });

  it('falls back to highlight spans in a browser without the Custom Highlight API', async () => {
    const doc = await writtenFiche('Maison des familles à Roubaix');
    const client = await providerOf(doc.name);
    await createThread(
      mona,
      doc.id,
      threadInput(client.ydoc, sectionId(client.ydoc, 1), 'leurs invités', 'Qui ?'),
    );
    client.destroy();
    const opened = await app.open({ as: bruno });
    await opened.context.addInitScript({ content: 'delete CSS.highlights;' });
    await opened.page.goto(`${app.baseUrl}/documents/${doc.id}`);
    await expect.poll(() => editorOf(opened.page).textContent()).toContain(SENTENCE);
    expect(await opened.page.evaluate(() => 'highlights' in CSS)).toBe(false);
    await expect
      .poll(() => editorOf(opened.page).locator('.essaim-comment').allTextContents())
      .toEqual(['leurs invités']);
    await clickHighlighted(opened.page, 'leurs invités');
    await expect
      .poll(() => editorOf(opened.page).locator('.essaim-comment--active').allTextContents())
      .toEqual(['leurs invités']);
    expect(unexpectedProblems(opened.problems)).toEqual({ errors: [], cspViolations: [] });
  });

  it('shows a thread created while the page was asking for the threads, once the editor is synced', async () => {
    const doc = await writtenFiche('Accueil de jour à Valence');
    const opened = await app.open({ as: mona });
    // The document's metadata waits until the thread is created: the page asked for the threads
    // (prefetch.ts) and got none, its editor is not connected yet, so it hears no live news.
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    await opened.page.route(`**/api/documents/${doc.id}`, async (route) => {
      await held;
      await route.continue();
    });
    const prefetched = opened.page.waitForResponse((response) =>
      response.url().includes(`/api/documents/${doc.id}/threads`),
    );
    await opened.page.goto(`${app.baseUrl}/documents/${doc.id}`);
    expect(((await (await prefetched).json()) as { threads: unknown[] }).threads).toEqual([]);

    const client = await providerOf(doc.name);
    await createThread(
      bruno,
      doc.id,
      threadInput(client.ydoc, sectionId(client.ydoc, 1), 'néo-zélandais', 'Pourquoi ce modèle ?'),
    );
    client.destroy();
    release();

    await expect.poll(() => editorOf(opened.page).textContent()).toContain(SENTENCE);
    await expect.poll(() => highlightsOf(opened.page), { timeout: 10_000 }).toEqual(['néo-zélandais']);
    await expect.poll(() => threadsOf(opened.page).count()).toBe(1);
    expect(unexpectedProblems(opened.problems)).toEqual({ errors: [], cspViolations: [] });
  });
});

describe('a membre at the keyboard', () => {
  it('selects words of the read-only text with Shift+ArrowRight and comments them without a mouse, writing nothing to the document', async () => {
    const doc = await writtenFiche('Aller-vers en Ardèche');
    const { page, problems } = await openDocument(mona, doc.id);
    const before = await serverStateVector(doc.name);
    const editor = editorOf(page);
    expect(await editor.getAttribute('aria-readonly')).toBe('true');

    // Tab reaches the text, which takes the focus like a read-only text field.
    const focused = () => editor.evaluate((el) => el === document.activeElement);
    for (let i = 0; i < 60 && !(await focused()); i++) await page.keyboard.press('Tab');
    expect(await focused()).toBe(true);

    // Down to the paragraph that holds the sentence, then to its start.
    const caretParagraph = () =>
      page.evaluate(() => window.getSelection()?.focusNode?.parentElement?.closest('p')?.textContent ?? '');
    for (let i = 0; i < 40 && !(await caretParagraph()).startsWith(SENTENCE); i++)
      await page.keyboard.press('ArrowDown');
    expect(await caretParagraph()).toContain(SENTENCE);
    await page.keyboard.press('Home');

    const words = 'repris le modèle néo-zélandais';
    for (let i = 0; i < SENTENCE.indexOf(words); i++) await page.keyboard.press('ArrowRight');
    for (let i = 0; i < words.length; i++) await page.keyboard.press('Shift+ArrowRight');
    expect(await page.evaluate(() => window.getSelection()?.toString())).toBe(words);
    await page.getByRole('button', { name: 'Commenter', exact: true }).waitFor();

    await page.keyboard.press('Control+Alt+M');
    const field = panelOf(page).getByRole('textbox', { name: /Votre commentaire/ });
    await expect.poll(() => field.evaluate((el) => el === document.activeElement)).toBe(true);
    await page.keyboard.type('Depuis quelle année ?');
    await page.keyboard.press('Control+Enter');
    await expect
      .poll(async () => (await listThreads(mona, doc.id)).threads.map((t) => t.quote))
      .toEqual([words]);
    await expect.poll(() => highlightsOf(page)).toEqual([words]);

    // « Aller au passage commenté » puts the caret back on the words, selected, in the text.
    await panelOf(page).getByRole('button', { name: 'Aller au passage commenté' }).click();
    await expect.poll(focused).toBe(true);
    expect(await page.evaluate(() => window.getSelection()?.toString())).toBe(words);
    // Keys that would change the text change nothing: typing over the selection, line breaks,
    // deletions, cutting, pasting, undoing.
    await page.keyboard.type('xyz');
    for (const key of ['Enter', 'Backspace', 'Delete', 'Control+x', 'Control+v', 'Control+z', 'Control+y'])
      await page.keyboard.press(key);
    expect(await editor.locator('p').filter({ hasText: 'Le conseil' }).textContent()).toBe(
      `${SENTENCE} ${SECOND}`,
    );

    // Nothing of this wrote to the document, and the page says nothing was refused.
    expect(await serverStateVector(doc.name)).toBe(before);
    expect(await editor.textContent()).toContain(`${SENTENCE} ${SECOND}`);
    expect(await page.locator('.essaim-connection').getAttribute('data-state')).toBe('connected');
    expect(unexpectedProblems(problems)).toEqual({ errors: [], cspViolations: [] });
  });
});
