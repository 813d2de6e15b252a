import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import type { DocumentDto, DocumentListDto, ThreadDto } from '@essaim/protocol';
import { beforeAll, describe, expect, it } from 'vitest';
import { createDocument, invite, type Session } from '../support/accounts.js';
import { createThread, replyTo, sectionId, writeInSection } from '../support/comments.js';
import { useTestInstance } from '../support/instance.js';
import { isSettled, type NodeClient } from '../support/provider.js';
import { repoRoot } from '../support/server.js';
import { syncedOpener } from '../support/sessions.js';

/**
 * The catalogue's full-text search of drafts (issue 18): `q` finds words in the text of every
 * section and in comment threads, in their French forms, with the existing filters; each document
 * found by its text says where (section or thread) with a highlighted snippet; nobody finds text
 * they may not read; the index follows each store of the document (debounced: polled here).
 */

const t = useTestInstance();
/** A store comes at most 10 s after the last change (Hocuspocus `maxDebounce`). */
const STORED = { timeout: 20_000, interval: 200 };
const SETTLE = { timeout: 10_000 };
let rapporteur: Session;
let membre: Session;
let elsewhereMembre: Session;
let elsewhereRapporteur: Session;
let elsewhereId: string;

const open = syncedOpener(t, SETTLE.timeout);

beforeAll(async () => {
  rapporteur = await invite(t.admin, t.espaceId, 'rapporteur', 'Rose Rapporteuse');
  membre = await invite(t.admin, t.espaceId, 'membre', 'Marc Membre');
  const created = await t.admin.fetch('/api/espaces', { method: 'POST', json: { name: 'Ailleurs' } });
  elsewhereId = ((await created.json()) as { id: string }).id;
  elsewhereMembre = await invite(t.admin, elsewhereId, 'membre', 'Mona Ailleurs');
  elsewhereRapporteur = await invite(t.admin, elsewhereId, 'rapporteur', 'Rémi Ailleurs');
});

/** A fiche written by the animateur: `words[i]` in the first paragraph of section i + 1. */
async function fiche(title: string, words: string[]): Promise<{ id: string; writer: NodeClient }> {
  const doc = await createDocument(t.admin, t.espaceId, title);
  const writer = await open(t.admin, doc.name);
  words.forEach((w, i) => writeInSection(writer.ydoc, sectionId(writer.ydoc, i + 1), w));
  await expect.poll(() => isSettled(writer), SETTLE).toBe(true);
  return { id: doc.id, writer };
}

/** `GET /api/documents?q=…` (in the test espace unless `espaceId` is given), expecting 200. */
async function search(
  session: Session,
  q: string,
  params: Record<string, string> = {},
): Promise<DocumentDto[]> {
  const query = new URLSearchParams({ espaceId: t.espaceId, ...params, q });
  const response = await session.fetch(`/api/documents?${query.toString()}`);
  expect(response.status, `${q} → ${response.status}`).toBe(200);
  return ((await response.json()) as DocumentListDto).documents;
}

const ids = async (session: Session, q: string, params?: Record<string, string>) =>
  (await search(session, q, params)).map((d) => d.id);

describe('full-text search of drafts in the catalogue', () => {
  it('finds words of a section in their French forms (plurals, accents, case, hyphens) with a highlighted snippet', async () => {
    const { id } = await fiche('Une fiche sans mot du texte dans son titre', [
      'Les conférences familiales réunissent les familles élargies autour de l’enfant.',
      'Une démarche d’aller-vers les allocataires isolés, après la dématérialisation des démarches.',
    ]);
    await expect.poll(() => ids(t.admin, 'dématérialisation'), STORED).toContain(id);
    for (const q of [
      'conférence familiale',
      'CONFERENCES FAMILIALES',
      'famille élargie',
      'dematerialisation',
      'aller vers',
      'Allocataire isolé',
    ])
      expect(await ids(t.admin, q), q).toContain(id);
    const [found] = (await search(t.admin, 'conférence familiale')).filter((d) => d.id === id);
    expect(found?.matches).toHaveLength(1);
    expect(found?.matches?.[0]).toMatchObject({ sectionTitle: expect.any(String), threadId: null });
    expect(found?.matches?.[0]?.sectionId).toBeTruthy();
    expect(found?.matches?.[0]?.snippet).toContain('<mark>conférences</mark> <mark>familiales</mark>');
    // Every word must be found, in one section.
    expect(await ids(t.admin, 'conférences licorne')).not.toContain(id);
    // A membre and a rapporteur of the espace read it, so they find it.
    expect(await ids(membre, 'dématérialisation')).toContain(id);
    expect(await ids(rapporteur, 'dématérialisation')).toContain(id);
  });

  it('reads double-quoted words as a phrase: in that order, next to each other', async () => {
    const { id: together } = await fiche('Phrase jointe', [
      'Une équipe pratique l’aller-vers en milieu rural.',
    ]);
    const { id: apart } = await fiche('Phrase disjointe', ['Il faut aller ensuite vers les jeunes ruraux.']);
    await expect.poll(() => ids(t.admin, 'ruraux'), STORED).toContain(apart);
    await expect.poll(() => ids(t.admin, 'rural'), STORED).toContain(together);
    const words = await ids(t.admin, 'aller vers');
    expect(words).toEqual(expect.arrayContaining([together, apart]));
    const phrase = await ids(t.admin, '"aller vers"');
    expect(phrase).toContain(together);
    expect(phrase).not.toContain(apart);
    expect(await ids(t.admin, '"vers aller"')).not.toContain(together);
  });

  it('ranks a document whose title holds the words before one whose text does', async () => {
    const { id: inText } = await fiche('Veille de nuit', [
      'Une maraude sociale parcourt la ville chaque soir.',
    ]);
    const { id: inTitle } = await fiche('La maraude sociale du centre-ville', []);
    await expect.poll(() => ids(t.admin, 'parcourt'), STORED).toContain(inText);
    const found = await ids(t.admin, 'maraude sociale');
    expect(found.indexOf(inTitle)).toBeGreaterThanOrEqual(0);
    expect(found.indexOf(inTitle)).toBeLessThan(found.indexOf(inText));
    // A title match without text match carries no matches.
    const [title] = (await search(t.admin, 'maraude sociale')).filter((d) => d.id === inTitle);
    expect(title?.matches).toBeUndefined();
  });

  it('never shows the text of a document to someone of another espace, membre or rapporteur', async () => {
    const { id } = await fiche('Fiche confidentielle', [
      'Le protocole ornithorynque reste interne au groupe.',
    ]);
    await expect.poll(() => ids(t.admin, 'ornithorynque'), STORED).toContain(id);
    for (const outsider of [elsewhereMembre, elsewhereRapporteur]) {
      // Every espace they belong to: nothing.
      const response = await outsider.fetch('/api/documents?q=ornithorynque');
      expect(response.status).toBe(200);
      expect(((await response.json()) as DocumentListDto).documents).toEqual([]);
      // Their own espace: nothing either; the other espace: refused.
      expect(await ids(outsider, 'ornithorynque', { espaceId: elsewhereId })).toEqual([]);
      const refused = await outsider.fetch(`/api/documents?espaceId=${t.espaceId}&q=ornithorynque`);
      expect(refused.status).toBe(403);
    }
  });

  it('follows the text: an edit is found once stored, a deleted sentence no longer is', async () => {
    const { id, writer } = await fiche('Fiche qui change', ['Le premier jet parle de capybaras.']);
    await expect.poll(() => ids(t.admin, 'capybara'), STORED).toContain(id);
    writeInSection(writer.ydoc, sectionId(writer.ydoc, 1), 'La version reprise parle de wombats.');
    await expect.poll(() => isSettled(writer), SETTLE).toBe(true);
    await expect.poll(() => ids(t.admin, 'wombat'), STORED).toContain(id);
    expect(await ids(t.admin, 'capybara')).not.toContain(id);
    // A second person's edit, in another section, is found too; the first section still is.
    const assigned = await t.admin.fetch(`/api/documents/${id}/assignments`, {
      method: 'POST',
      json: { userId: rapporteur.userId },
    });
    expect(assigned.status).toBeLessThan(300);
    const second = await open(rapporteur, `doc.${id}`);
    writeInSection(second.ydoc, sectionId(second.ydoc, 2), 'Ajout sur les quokkas.');
    await expect.poll(() => isSettled(second), SETTLE).toBe(true);
    await expect.poll(() => ids(t.admin, 'quokka'), STORED).toContain(id);
    expect(await ids(t.admin, 'wombat')).toContain(id);
  });

  it('finds a word of a comment in its thread, and follows edits and deletions of the messages', async () => {
    const { id, writer } = await fiche('Fiche commentée', ['Un texte sans le mot cherché.']);
    const thread: ThreadDto = await createThread(membre, id, {
      sectionId: sectionId(writer.ydoc, 1),
      body: 'Penser aux tamanoirs du quartier.',
    });
    await expect.poll(() => ids(t.admin, 'tamanoir'), SETTLE).toContain(id);
    const [found] = (await search(membre, 'tamanoirs')).filter((d) => d.id === id);
    expect(found?.matches).toEqual([
      {
        sectionId: null,
        sectionTitle: null,
        threadId: thread.id,
        snippet: expect.stringContaining('<mark>tamanoirs</mark>'),
      },
    ]);
    // A reply is found too; an edited message no longer holds the old word.
    await replyTo(rapporteur, thread.id, 'Et aux pangolins.');
    expect(await ids(t.admin, 'pangolin')).toContain(id);
    const first = thread.comments[0]?.id ?? '';
    const edited = await membre.fetch(`/api/comments/${first}`, {
      method: 'PATCH',
      json: { body: 'Penser aux fourmiliers du quartier.' },
    });
    expect(edited.status).toBe(200);
    expect(await ids(t.admin, 'tamanoir')).not.toContain(id);
    expect(await ids(t.admin, 'fourmilier')).toContain(id);
    // A resolved thread is still found; a deleted one is not.
    expect((await t.admin.fetch(`/api/threads/${thread.id}/resolve`, { method: 'POST' })).status).toBe(200);
    expect(await ids(t.admin, 'pangolin')).toContain(id);
    expect((await t.admin.fetch(`/api/threads/${thread.id}`, { method: 'DELETE' })).status).toBeLessThan(300);
    expect(await ids(t.admin, 'pangolin')).not.toContain(id);
  });

  it('finds an archived document only among the archived ones', async () => {
    const { id } = await fiche('Fiche bientôt archivée', ['Les okapis de la forêt.']);
    await expect.poll(() => ids(t.admin, 'okapi'), STORED).toContain(id);
    expect((await t.admin.fetch(`/api/documents/${id}/archive`, { method: 'POST' })).status).toBe(200);
    expect(await ids(t.admin, 'okapi')).not.toContain(id);
    expect(await ids(t.admin, 'okapi', { archived: 'true' })).toContain(id);
    expect(await ids(membre, 'okapi', { archived: 'true' })).toContain(id);
  });

  it('keeps the other filters: a word found in the text still has to pass them', async () => {
    const { id } = await fiche('Fiche filtrée', ['Des lémuriens partout.']);
    await expect.poll(() => ids(t.admin, 'lémurien'), STORED).toContain(id);
    expect(await ids(t.admin, 'lémurien', { kind: 'synthese' })).not.toContain(id);
    expect(await ids(t.admin, 'lémurien', { kind: 'fiche' })).toContain(id);
    expect(await ids(t.admin, 'lémurien', { assignee: 'me' })).not.toContain(id);
  });

  it('answers 200 to any query, FTS5 syntax and stray quotes included', async () => {
    for (const q of [
      '"',
      '""',
      'NEAR(',
      'NEAR(a b',
      '*',
      '-',
      ':',
      'a:b',
      'title:x',
      '"aller',
      'x OR',
      'AND',
      '(',
      ')',
      '^x',
      '{a b}: c',
      '\'"*',
      '🙂',
      '𞤀𞤁',
    ])
      await search(t.admin, q);
  });

  it('fills the index of documents it never indexed (a database from before the search) as it searches', async () => {
    const { id } = await fiche('Fiche d’avant la recherche', ['Les axolotls du bassin.']);
    await expect.poll(() => ids(t.admin, 'axolotl'), STORED).toContain(id);
    // As a database migrated from before issue 18: nothing indexed. The documents searched are
    // indexed first (within a time bound), the others in the background.
    t.server.services.db.exec('DELETE FROM draft_search_entries; DELETE FROM draft_search_documents;');
    await expect.poll(() => ids(t.admin, 'axolotl'), SETTLE).toContain(id);
    const count = (table: string) =>
      (t.server.services.db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
    await expect.poll(() => count('draft_search_documents'), SETTLE).toBe(count('documents'));
  });

  it('rebuilds the whole index with the operator command, while the server runs', async () => {
    const { id } = await fiche('Fiche reconstruite', ['Les narvals de la baie.']);
    await expect.poll(() => ids(t.admin, 'narval'), STORED).toContain(id);
    const cli = path.join(repoRoot, 'server/dist/cli.js');
    const { stdout } = await promisify(execFile)(process.execPath, [cli, 'search:rebuild'], {
      env: { ...process.env, DATA_DIR: t.server.dataDir },
    });
    expect(stdout).toMatch(
      /^Index de recherche reconstruit : \d+ document\(s\), \d+ section\(s\), \d+ fil\(s\)/,
    );
    expect(await ids(t.admin, 'narval')).toContain(id);
    expect(await ids(membre, 'narval')).toContain(id);
    expect(await ids(elsewhereMembre, 'narval', { espaceId: elsewhereId })).toEqual([]);
  });
});
