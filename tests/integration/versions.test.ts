import type { DocumentDiffDto, VersionDto } from '@essaim/protocol';
import { ydocToText } from '@essaim/editor';
import { beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createDocument, invite, type Session } from '../support/accounts.js';
import { sectionId, writeInSection } from '../support/comments.js';
import { storedDoc } from '../support/documents.js';
import { useTestInstance } from '../support/instance.js';
import { outsider, syncedOpener } from '../support/sessions.js';
import { connectAs, isSettled, type NodeClient } from '../support/provider.js';

/**
 * Version history (issue 11): versions recorded in SQLite, compared on the server with the author
 * of each change, restored as a forward change on the live document while people type.
 */

const t = useTestInstance();
const SETTLE = { timeout: 10_000 };
let rapporteur: Session;
let membre: Session;
let exterieur: Session;

beforeAll(async () => {
  rapporteur = await invite(t.admin, t.espaceId, 'rapporteur', 'Rose Rapporteuse');
  membre = await invite(t.admin, t.espaceId, 'membre', 'Marc Membre');
  exterieur = await outsider(t.admin, 'Esther Extérieure');
});

const open = syncedOpener(t, SETTLE.timeout);

async function assign(documentId: string, session: Session): Promise<void> {
  const response = await t.admin.fetch(`/api/documents/${documentId}/assignments`, {
    method: 'POST',
    json: { userId: session.userId },
  });
  expect(response.status).toBe(200);
}

async function nameVersion(session: Session, id: string, label: string): Promise<VersionDto> {
  const response = await session.fetch(`/api/documents/${id}/versions`, { method: 'POST', json: { label } });
  expect(response.status).toBe(201);
  return ((await response.json()) as { version: VersionDto }).version;
}

async function listVersions(session: Session, id: string): Promise<VersionDto[]> {
  const response = await session.fetch(`/api/documents/${id}/versions`);
  expect(response.status).toBe(200);
  return ((await response.json()) as { versions: VersionDto[] }).versions;
}

/** Appends `words` at the end of the first paragraph of section `index`. */
function typeAtEnd(client: NodeClient, index: number, words: string): void {
  const section = client.ydoc
    .getXmlFragment('default')
    .toArray()
    .filter((s): s is Y.XmlElement => s instanceof Y.XmlElement && s.nodeName === 'section')[index];
  const paragraph = section
    ?.toArray()
    .find((c): c is Y.XmlElement => c instanceof Y.XmlElement && c.nodeName === 'paragraph');
  const text = paragraph?.get(0);
  if (!(text instanceof Y.XmlText)) throw new Error(`pas de texte dans la section ${index}`);
  text.insert(text.length, words);
}

/** The Y.XmlText of the first paragraph of section `index`, as `typeAtEnd` finds it. */
function firstText(client: NodeClient, index: number): Y.XmlText {
  const sections = client.ydoc
    .getXmlFragment('default')
    .toArray()
    .filter((s): s is Y.XmlElement => s instanceof Y.XmlElement && s.nodeName === 'section');
  const text = sections[index]
    ?.toArray()
    .find((c): c is Y.XmlElement => c instanceof Y.XmlElement && c.nodeName === 'paragraph')
    ?.get(0);
  if (!(text instanceof Y.XmlText)) throw new Error(`pas de texte dans la section ${index}`);
  return text;
}

/** The changes of a compare, `kind:text:author name` (« ? » for an unknown author). */
async function changesOf(session: Session, id: string, from: string, to: string): Promise<string[]> {
  const response = await session.fetch(`/api/documents/${id}/diff?from=${from}&to=${to}`);
  expect(response.status).toBe(200);
  const body = (await response.json()) as DocumentDiffDto;
  return body.sections.flatMap((s) =>
    s.parts.filter((p) => p.kind !== 'equal').map((p) => `${p.kind}:${p.text}:${p.author?.name ?? '?'}`),
  );
}

describe('version history', () => {
  it('lists named versions newest first, with their authors, and serves each as JSON and as text', async () => {
    const doc = await createDocument(t.admin, t.espaceId, 'Aller-vers en zone rurale');
    const writer = await open(rapporteur, doc.name);
    // The animateur assigns the rapporteur so that she may write.
    await assign(doc.id, rapporteur);
    writeInSection(writer.ydoc, sectionId(writer.ydoc, 1), 'Une équipe mobile va vers les familles isolées.');
    await expect.poll(() => isSettled(writer), SETTLE).toBe(true);
    const first = await nameVersion(t.admin, doc.id, 'Avant la réunion du 3 mars');
    typeAtEnd(writer, 1, ' Elle passe chaque semaine.');
    await expect.poll(() => isSettled(writer), SETTLE).toBe(true);
    const second = await nameVersion(t.admin, doc.id, 'Après la réunion');

    const versions = await listVersions(membre, doc.id);
    expect(versions.map((v) => [v.number, v.kind, v.label])).toEqual([
      [second.number, 'nommee', 'Après la réunion'],
      [first.number, 'nommee', 'Avant la réunion du 3 mars'],
    ]);
    expect(second.number).toBeGreaterThan(first.number);
    expect(versions[0]?.authors.map((a) => a.name)).toEqual(['Rose Rapporteuse']);
    expect(versions[0]?.createdBy?.id).toBe(t.admin.userId);

    const text = await membre.fetch(`/api/documents/${doc.id}/versions/${first.id}?format=text`);
    expect(((await text.json()) as { text: string }).text).toContain(
      'Une équipe mobile va vers les familles isolées.',
    );
    expect(
      (
        (await (await membre.fetch(`/api/documents/${doc.id}/versions/${first.id}?format=text`)).json()) as {
          text: string;
        }
      ).text,
    ).not.toContain('chaque semaine');
    const json = await membre.fetch(`/api/documents/${doc.id}/versions/${second.id}`);
    expect(JSON.stringify(((await json.json()) as { content: unknown }).content)).toContain(
      'Elle passe chaque semaine.',
    );
  });

  it('answers each history route by who asks: readers read and compare, writers name and restore, others get 404 or 401', async () => {
    const doc = await createDocument(t.admin, t.espaceId, 'Pair-aidance en CCAS');
    const version = await nameVersion(t.admin, doc.id, 'Première');
    const routes = [
      ['GET', `/api/documents/${doc.id}/versions`],
      ['GET', `/api/documents/${doc.id}/versions/${version.id}?format=text`],
      ['GET', `/api/documents/${doc.id}/diff?from=${version.id}&to=current`],
      ['POST', `/api/documents/${doc.id}/versions`],
      ['POST', `/api/documents/${doc.id}/versions/${version.id}/restore`],
    ] as const;
    const statusOf = async (session: Session | null, [method, path]: (typeof routes)[number]) => {
      const init = { method, json: method === 'POST' ? { label: 'Essai' } : undefined };
      const response = session
        ? await session.fetch(path, init)
        : await fetch(`${t.server.url}${path}`, {
            method,
            headers: { 'content-type': 'application/json', origin: t.server.url },
            body: method === 'POST' ? '{"label":"Essai"}' : undefined,
          });
      return response.status;
    };
    const table: Record<string, number[]> = {};
    for (const [who, session] of [
      ['animateur', t.admin],
      ['rapporteur non affectée', rapporteur],
      ['membre', membre],
      ['extérieure', exterieur],
      ['anonyme', null],
    ] as const) {
      table[who] = [];
      for (const route of routes) table[who].push(await statusOf(session, route));
    }
    expect(table).toEqual({
      animateur: [200, 200, 200, 201, 200],
      'rapporteur non affectée': [200, 200, 200, 403, 403],
      membre: [200, 200, 200, 403, 403],
      extérieure: [404, 404, 404, 404, 404],
      anonyme: [401, 401, 401, 401, 401],
    });
  });

  it('records an automatic version after a pause and during long activity, never for an idle document', async () => {
    const doc = await createDocument(t.admin, t.espaceId, 'Conférences familiales dans l’Ain');
    const versions = t.server.services.versions;
    const start = Date.parse('2026-03-03T09:00:00Z');
    // Typing every minute for 40 minutes: one version at the 30th minute, none for the pauses of a minute.
    const done: string[][] = [];
    for (let minute = 0; minute <= 40; minute++) {
      versions.noteChange(doc.id, rapporteur.userId, start + minute * 60_000);
      done.push(versions.tick(start + minute * 60_000 + 30_000));
    }
    expect(done.filter((d) => d.includes(doc.id))).toHaveLength(1);
    // Then five minutes of silence: one more.
    expect(versions.tick(start + 46 * 60_000)).toContain(doc.id);
    expect(versions.tick(start + 60 * 60_000)).not.toContain(doc.id);
    const listed = await listVersions(t.admin, doc.id);
    expect(listed.map((v) => v.kind)).toEqual(['automatique', 'automatique']);
    expect(listed[0]?.authors.map((a) => a.name)).toEqual(['Rose Rapporteuse']);
  });

  it('compares two versions: the inserted and deleted words of each section, each with its author', async () => {
    const doc = await createDocument(t.admin, t.espaceId, 'Développement du pouvoir d’agir');
    await assign(doc.id, rapporteur);
    const rose = await open(rapporteur, doc.name);
    const anim = await open(t.admin, doc.name);
    writeInSection(rose.ydoc, sectionId(rose.ydoc, 1), 'Les habitants animent un comité local.');
    await expect.poll(() => isSettled(rose), SETTLE).toBe(true);
    const before = await nameVersion(t.admin, doc.id, 'Avant');
    // Rose adds words; the animateur deletes « local ».
    typeAtEnd(rose, 1, ' Il se réunit chaque mois.');
    await expect.poll(() => ydocToText(anim.ydoc)).toContain('chaque mois');
    const text = anim.ydoc
      .getXmlFragment('default')
      .toArray()
      .filter((s): s is Y.XmlElement => s instanceof Y.XmlElement && s.nodeName === 'section')[1]
      ?.toArray()
      .find((c): c is Y.XmlElement => c instanceof Y.XmlElement && c.nodeName === 'paragraph')
      ?.get(0) as Y.XmlText;
    const at = text.toString().indexOf(' local');
    text.delete(at, ' local'.length);
    await expect.poll(() => isSettled(anim) && isSettled(rose), SETTLE).toBe(true);
    await expect.poll(() => ydocToText(rose.ydoc)).not.toContain('comité local');
    const after = await nameVersion(t.admin, doc.id, 'Après');

    const response = await membre.fetch(`/api/documents/${doc.id}/diff?from=${before.id}&to=${after.id}`);
    expect(response.status).toBe(200);
    const diff = (await response.json()) as DocumentDiffDto;
    const changed = diff.sections.filter((s) => s.status !== 'unchanged');
    expect(changed).toHaveLength(1);
    expect(diff.sections[0]?.id).toBe(sectionId(rose.ydoc, 1));
    const parts = changed[0]?.parts ?? [];
    const inserted = parts.filter((p) => p.kind === 'insert');
    const deleted = parts.filter((p) => p.kind === 'delete');
    expect(inserted.map((p) => p.text).join('')).toBe(' Il se réunit chaque mois.');
    expect(inserted.every((p) => p.author?.name === 'Rose Rapporteuse')).toBe(true);
    expect(deleted.map((p) => p.text.trim()).join('')).toBe('local');
    expect(new Set(diff.authors.map((a) => a.name))).toEqual(new Set(['Rose Rapporteuse', t.admin.name]));
    // Against the current text too, and still attributed once the log is compacted away.
    rose.destroy();
    anim.destroy();
    await expect.poll(() => t.server.app.hocuspocus.documents.has(doc.name), { timeout: 20_000 }).toBe(false);
    // Compacted just after the unload (departures.ts).
    await expect
      .poll(() => t.server.services.collabStore.pendingUpdates(doc.id), { timeout: 15_000 })
      .toBe(0);
    const current = await membre.fetch(`/api/documents/${doc.id}/diff?from=${before.id}&to=current`);
    const later = (await current.json()) as DocumentDiffDto;
    expect(later.sections.filter((s) => s.status !== 'unchanged')).toHaveLength(1);
    const deletedLater = later.sections[0]?.parts.filter((p) => p.kind === 'delete') ?? [];
    expect(deletedLater.length).toBeGreaterThan(0);
    expect(deletedLater.map((p) => p.author?.name)).toEqual(deletedLater.map(() => t.admin.name));
  });

  it('restores a version while one person types offline and another after it: both converge on it plus their words, in SQLite too, and history keeps everything', async () => {
    const doc = await createDocument(t.admin, t.espaceId, 'Coordination pluridisciplinaire');
    await assign(doc.id, rapporteur);
    const rose = await open(rapporteur, doc.name);
    const anim = await open(t.admin, doc.name);
    writeInSection(rose.ydoc, sectionId(rose.ydoc, 1), 'Version une du texte.');
    writeInSection(rose.ydoc, sectionId(rose.ydoc, 2), 'Deuxième section.');
    await expect.poll(() => isSettled(rose), SETTLE).toBe(true);
    const v1 = await nameVersion(t.admin, doc.id, 'Une');
    typeAtEnd(rose, 1, ' Ajout à défaire.');
    await expect.poll(() => isSettled(rose), SETTLE).toBe(true);
    const v2 = await nameVersion(t.admin, doc.id, 'Deux');

    // Rose is offline and types in the second section while the restore runs; the animateur
    // types once the restore has reached him.
    rose.socket.disconnect();
    await expect.poll(() => rose.socket.status).toBe('disconnected');
    typeAtEnd(rose, 2, ' Rose continue hors ligne.');
    typeAtEnd(rose, 1, ' Et ici.');
    const response = await t.admin.fetch(`/api/documents/${doc.id}/versions/${v1.id}/restore`, {
      method: 'POST',
    });
    expect(response.status).toBe(200);
    const restored = ((await response.json()) as { version: VersionDto }).version;
    expect(restored.kind).toBe('restauration');
    await expect.poll(() => ydocToText(anim.ydoc), SETTLE).not.toContain('Ajout à défaire');
    typeAtEnd(anim, 2, ' Anim aussi.');
    await rose.socket.connect();

    await expect.poll(() => isSettled(rose) && isSettled(anim), SETTLE).toBe(true);
    await expect.poll(() => ydocToText(rose.ydoc), SETTLE).toBe(ydocToText(anim.ydoc));
    const text = ydocToText(rose.ydoc);
    expect(text).toContain('Version une du texte. Et ici.');
    expect(text).not.toContain('Ajout à défaire');
    expect(text).toContain('Rose continue hors ligne.');
    expect(text).toContain('Anim aussi.');

    // History: v1, v2, the version before the restore and the one after, all there.
    const listed = await listVersions(t.admin, doc.id);
    expect(listed.slice(0, 2).map((v) => v.kind)).toEqual(['restauration', 'restauration']);
    expect(listed.map((v) => v.id)).toEqual(expect.arrayContaining([v1.id, v2.id]));

    // SQLite holds the same text once everyone leaves; reconnecting duplicates nothing.
    rose.destroy();
    anim.destroy();
    await expect.poll(() => t.server.app.hocuspocus.documents.has(doc.name), { timeout: 20_000 }).toBe(false);
    expect(ydocToText(storedDoc(t.server.dataDir, doc.id))).toBe(text);
    const again = await open(membre, doc.name);
    expect(ydocToText(again.ydoc)).toBe(text);
  });

  it('a server-side change to a document nobody has open reaches two people who connect right after', async () => {
    const doc = await createDocument(t.admin, t.espaceId, 'Essaimage des pratiques');
    const v1 = await nameVersion(t.admin, doc.id, 'Vide');
    const writer = await open(t.admin, doc.name);
    writeInSection(writer.ydoc, sectionId(writer.ydoc, 1), 'Texte écrit puis défait.');
    await expect.poll(() => isSettled(writer), SETTLE).toBe(true);
    writer.destroy();
    await expect.poll(() => t.server.app.hocuspocus.documents.has(doc.name), { timeout: 20_000 }).toBe(false);

    const response = await t.admin.fetch(`/api/documents/${doc.id}/versions/${v1.id}/restore`, {
      method: 'POST',
    });
    expect(response.status).toBe(200);
    // Two people connect within the store delay, and type.
    const [a, b] = [
      t.track(connectAs(t.admin, t.server.wsUrl, doc.name)),
      t.track(connectAs(rapporteur, t.server.wsUrl, doc.name)),
    ];
    await expect.poll(() => a.provider.isSynced && b.provider.isSynced, SETTLE).toBe(true);
    expect(ydocToText(a.ydoc)).not.toContain('Texte écrit puis défait.');
    typeAtEnd(a, 1, 'Après restauration.');
    await expect.poll(() => ydocToText(b.ydoc), SETTLE).toContain('Après restauration.');
    a.destroy();
    b.destroy();
    await expect.poll(() => t.server.app.hocuspocus.documents.has(doc.name), { timeout: 20_000 }).toBe(false);
    expect(ydocToText(storedDoc(t.server.dataDir, doc.id))).toContain('Après restauration.');
    expect(ydocToText(storedDoc(t.server.dataDir, doc.id))).not.toContain('Texte écrit puis défait.');
  });
});

describe('who each change of a compare is attributed to', () => {
  it('attributes a space that a restore brings back between two words to who restored, like the words around it', async () => {
    const doc = await createDocument(t.admin, t.espaceId, 'Espace rendu par une restauration');
    await assign(doc.id, rapporteur);
    const rose = await open(rapporteur, doc.name);
    const anim = await open(t.admin, doc.name);
    const empty = await nameVersion(t.admin, doc.id, 'Vide');
    writeInSection(rose.ydoc, sectionId(rose.ydoc, 1), 'Le modèle est repris.');
    await expect.poll(() => isSettled(rose), SETTLE).toBe(true);
    const spaced = await nameVersion(t.admin, doc.id, 'Avec l’espace');
    // The animateur removes the space between « modèle » and « est ».
    await expect.poll(() => ydocToText(anim.ydoc), SETTLE).toContain('Le modèle est repris.');
    firstText(anim, 1).delete('Le modèle'.length, 1);
    await expect.poll(() => isSettled(anim), SETTLE).toBe(true);
    const glued = await nameVersion(t.admin, doc.id, 'Sans l’espace');
    expect(await changesOf(membre, doc.id, spaced.id, glued.id)).toEqual([`delete: :${t.admin.name}`]);

    // Rose restores the version with the space: the restore writes it back.
    const restored = await rapporteur.fetch(`/api/documents/${doc.id}/versions/${spaced.id}/restore`, {
      method: 'POST',
    });
    expect(restored.status).toBe(200);
    await expect.poll(() => ydocToText(anim.ydoc), SETTLE).toContain('Le modèle est repris.');

    expect(await changesOf(membre, doc.id, glued.id, 'current')).toEqual(['insert: :Rose Rapporteuse']);
    // Compared from the empty text, the space is Rose's, as the words around it: one insertion.
    expect(await changesOf(membre, doc.id, empty.id, 'current')).toEqual([
      'insert:Le modèle est repris.:Rose Rapporteuse',
    ]);
  });

  it('compared backwards, attributes the words going away to who wrote them and the words coming back to who deleted them', async () => {
    const doc = await createDocument(t.admin, t.espaceId, 'Comparaison à rebours');
    await assign(doc.id, rapporteur);
    const rose = await open(rapporteur, doc.name);
    const anim = await open(t.admin, doc.name);
    writeInSection(rose.ydoc, sectionId(rose.ydoc, 1), 'Les habitants animent un comité local.');
    await expect.poll(() => isSettled(rose), SETTLE).toBe(true);
    const older = await nameVersion(t.admin, doc.id, 'Avant');
    typeAtEnd(rose, 1, ' Il se réunit chaque mois.');
    await expect.poll(() => ydocToText(anim.ydoc), SETTLE).toContain('chaque mois');
    const text = firstText(anim, 1);
    text.delete(text.toString().indexOf(' local'), ' local'.length);
    await expect.poll(() => isSettled(anim) && isSettled(rose), SETTLE).toBe(true);
    await expect.poll(() => ydocToText(rose.ydoc), SETTLE).not.toContain('comité local');
    const newer = await nameVersion(t.admin, doc.id, 'Après');

    expect(await changesOf(membre, doc.id, older.id, newer.id)).toEqual([
      `delete: local:${t.admin.name}`,
      'insert: Il se réunit chaque mois.:Rose Rapporteuse',
    ]);
    expect(await changesOf(membre, doc.id, newer.id, older.id)).toEqual([
      `insert: local:${t.admin.name}`,
      'delete: Il se réunit chaque mois.:Rose Rapporteuse',
    ]);
  });
});

describe('version history refusals', () => {
  it('refuses a restore on an archived document and a label with control characters, and records nothing for a restore that changes nothing', async () => {
    const doc = await createDocument(t.admin, t.espaceId, 'Fiche archivée');
    const writer = await open(t.admin, doc.name);
    writeInSection(writer.ydoc, sectionId(writer.ydoc, 1), 'Texte à garder.');
    await expect.poll(() => isSettled(writer), SETTLE).toBe(true);
    const version = await nameVersion(t.admin, doc.id, 'Seule');
    const restore = () =>
      t.admin.fetch(`/api/documents/${doc.id}/versions/${version.id}/restore`, { method: 'POST' });
    // The text already is the version's: nothing recorded.
    const idle = await restore();
    expect(idle.status).toBe(200);
    expect(((await idle.json()) as { version: VersionDto }).version.id).toBe(version.id);
    expect(await listVersions(t.admin, doc.id)).toHaveLength(1);

    for (const label of ['a\u0000b', 'nom\u202Eesrevne']) {
      const response = await t.admin.fetch(`/api/documents/${doc.id}/versions`, {
        method: 'POST',
        json: { label },
      });
      expect(response.status).toBe(400);
      expect(((await response.json()) as { message: string }).message).toMatch(/invalide|caractères/);
    }

    typeAtEnd(writer, 1, ' Puis changé.');
    await expect.poll(() => isSettled(writer), SETTLE).toBe(true);
    writer.destroy();
    expect((await t.admin.fetch(`/api/documents/${doc.id}/archive`, { method: 'POST' })).status).toBe(200);
    const refused = await restore();
    expect(refused.status).toBe(409);
    expect(((await refused.json()) as { message: string }).message).toContain('archivé');
    const reader = await open(membre, doc.name).catch(() => null);
    reader?.destroy();
    const text = await t.admin.fetch(`/api/documents/${doc.id}/diff?from=${version.id}&to=current`);
    expect(
      ((await text.json()) as DocumentDiffDto).sections.filter((s) => s.status !== 'unchanged'),
    ).toHaveLength(1);
  });

  it('compares in the order asked: from the newer to the older shows the later words as deleted', async () => {
    const doc = await createDocument(t.admin, t.espaceId, 'Sens de la comparaison');
    const writer = await open(t.admin, doc.name);
    writeInSection(writer.ydoc, sectionId(writer.ydoc, 1), 'Début.');
    await expect.poll(() => isSettled(writer), SETTLE).toBe(true);
    const a = await nameVersion(t.admin, doc.id, 'A');
    typeAtEnd(writer, 1, ' Ajout.');
    await expect.poll(() => isSettled(writer), SETTLE).toBe(true);
    const b = await nameVersion(t.admin, doc.id, 'B');
    const diff = async (from: string, to: string) => {
      const response = await t.admin.fetch(`/api/documents/${doc.id}/diff?from=${from}&to=${to}`);
      const body = (await response.json()) as DocumentDiffDto;
      return body.sections.flatMap((s) =>
        s.parts.filter((p) => p.kind !== 'equal').map((p) => `${p.kind}:${p.text}`),
      );
    };
    expect(await diff(a.id, b.id)).toEqual(['insert: Ajout.']);
    expect(await diff(b.id, a.id)).toEqual(['delete: Ajout.']);
  });
});
