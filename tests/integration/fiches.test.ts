import { ficheTemplate, syntheseTemplate } from '@essaim/domain';
import { ydocToJSON } from '@essaim/editor';
import {
  FRAGMENT,
  META_MAP,
  readMetadata,
  type ActivityListDto,
  type DocumentDto,
  type DocumentListDto,
  type DocumentSectionsDto,
  type ThemeDto,
} from '@essaim/protocol';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createDocument, invite, type Session } from '../support/accounts.js';
import { useTestInstance } from '../support/instance.js';
import { connectAs, isSettled, type NodeClient } from '../support/provider.js';

const t = useTestInstance();

/** The server stores (and indexes) a document about 2 s after its last change. */
const STORED = { timeout: 20_000, interval: 100 };

async function json<T>(session: Session, path: string, init?: RequestInit & { json?: unknown }): Promise<T> {
  const response = await session.fetch(path, init);
  if (!response.ok) throw new Error(`${path} : ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

const sectionsOf = (session: Session, id: string) =>
  json<DocumentSectionsDto>(session, `/api/documents/${id}/sections`);

const catalogue = (session: Session, query: Record<string, string>) =>
  json<DocumentListDto>(
    session,
    `/api/documents?${new URLSearchParams({ espaceId: t.espaceId, ...query }).toString()}`,
  ).then((r) => r.documents.map((d) => d.title).sort());

async function synced(session: Session, name: string): Promise<NodeClient> {
  const client = t.track(connectAs(session, t.server.wsUrl, name));
  await expect.poll(() => client.provider.isSynced, { timeout: 5000 }).toBe(true);
  return client;
}

const topSections = (ydoc: Y.Doc): Y.XmlElement[] =>
  ydoc
    .getXmlFragment(FRAGMENT)
    .toArray()
    .filter((c): c is Y.XmlElement => c instanceof Y.XmlElement && c.nodeName === 'section');

const idsOf = (ydoc: Y.Doc) => topSections(ydoc).map((s) => s.getAttribute('id') as string);

/** A section element as y-tiptap stores it: title, then one paragraph. */
function sectionElement(id: string, title: string, text: string): Y.XmlElement {
  const section = new Y.XmlElement('section');
  section.setAttribute('id', id);
  const heading = new Y.XmlElement('sectionTitle');
  heading.insert(0, [new Y.XmlText(title)]);
  const paragraph = new Y.XmlElement('paragraph');
  paragraph.insert(0, [new Y.XmlText(text)]);
  section.insert(0, [heading, paragraph]);
  return section;
}

/** Types text at the end of the first paragraph of a section (the way the editor would). */
function typeInSection(section: Y.XmlElement, text: string): void {
  const paragraph = section.toArray().find((c) => c instanceof Y.XmlElement && c.nodeName === 'paragraph');
  if (!(paragraph instanceof Y.XmlElement)) throw new Error('pas de paragraphe');
  let xmlText = paragraph.get(0);
  if (!(xmlText instanceof Y.XmlText)) {
    xmlText = new Y.XmlText('');
    paragraph.insert(0, [xmlText]);
  }
  (xmlText as Y.XmlText).insert((xmlText as Y.XmlText).length, text);
}

describe('documents made from the working group’s templates', () => {
  it('creates a fiche with the thirteen template sections, each with a unique id, its title and its key', async () => {
    const doc = await createDocument(t.admin, t.espaceId, 'Conférences familiales en Gironde');
    const { sections, missingRequired } = await sectionsOf(t.admin, doc.id);
    expect(sections.map((s) => s.title)).toEqual(ficheTemplate.sections.map((s) => s.title));
    expect(sections.map((s) => s.key)).toEqual(ficheTemplate.sections.map((s) => s.key));
    expect(new Set(sections.map((s) => s.id)).size).toBe(13);
    expect(sections.find((s) => s.key === 'crise-sanitaire')?.required).toBe(false);
    expect(sections.find((s) => s.key === 'evaluation')?.required).toBe(true);
    expect(missingRequired).toEqual([]);

    // What an editor receives: the same sections, the evaluation's two entries, and the metadata.
    const client = await synced(t.admin, doc.name);
    const json = ydocToJSON(client.ydoc);
    expect(json.content?.map((s) => s.attrs?.id)).toEqual(sections.map((s) => s.id));
    const evaluation = json.content?.find((s) => s.attrs?.key === 'evaluation');
    expect(evaluation?.content?.filter((b) => b.type === 'heading').map((h) => h.content?.[0]?.text)).toEqual(
      ['Entrée processus', 'Entrée effets et impacts'],
    );
    const meta = readMetadata((k) => client.ydoc.getMap(META_MAP).get(k));
    expect(meta.title).toBe('Conférences familiales en Gironde');
  });

  it('creates a synthèse with its six sections and records the themes chosen at creation', async () => {
    const response = await t.admin.fetch('/api/documents', {
      method: 'POST',
      json: {
        espaceId: t.espaceId,
        title: 'Synthèse',
        kind: 'synthese',
        themes: ['aller-vers', 'conferences-familiales'],
      },
    });
    expect(response.status).toBe(201);
    const created = (await response.json()) as DocumentDto;
    expect(created.metadata.themes).toEqual(['aller-vers', 'conferences-familiales']);
    expect(created.progress).toEqual({ sections: 6, approved: 0 });
    const { sections } = await sectionsOf(t.admin, created.id);
    expect(sections.map((s) => s.title)).toEqual(syntheseTemplate.sections.map((s) => s.title));

    // Its annexes link every fiche of the espace, by id.
    const client = await synced(t.admin, created.name);
    const annexes = ydocToJSON(client.ydoc).content?.find((s) => s.attrs?.key === 'annexes');
    const linked = JSON.stringify(annexes);
    expect(linked).toContain('"type":"docRef"');
    expect(linked).toContain('Conférences familiales en Gironde');
  });

  it('refuses a theme the espace does not have, with a French message, and creates nothing', async () => {
    const before = await catalogue(t.admin, {});
    const response = await t.admin.fetch('/api/documents', {
      method: 'POST',
      json: { espaceId: t.espaceId, title: 'Thème inconnu', kind: 'fiche', themes: ['astrologie'] },
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { message: string }).message).toMatch(/Thème inconnu.*astrologie/);
    expect(await catalogue(t.admin, {})).toEqual(before);
  });
});

describe('section ids under concurrent editing', () => {
  it('keeps ids unique when two people paste a copy of the same section at the same time', async () => {
    const doc = await createDocument(t.admin, t.espaceId, 'Collages simultanés');
    const a = await synced(t.admin, doc.name);
    const b = await synced(t.admin, doc.name);
    const [first, second] = topSections(a.ydoc);
    const original = first?.getAttribute('id') as string;
    const secondId = second?.getAttribute('id') as string;

    // Both paste in the same turn: neither has seen the other's copy.
    a.ydoc.getXmlFragment(FRAGMENT).insert(1, [sectionElement(original, 'Copie A', 'collé par A')]);
    b.ydoc.getXmlFragment(FRAGMENT).insert(3, [sectionElement(original, 'Copie B', 'collé par B')]);

    await expect
      .poll(() => isSettled(a) && isSettled(b) && idsOf(a.ydoc).join() === idsOf(b.ydoc).join(), {
        timeout: 5000,
      })
      .toBe(true);
    await expect.poll(() => new Set(idsOf(a.ydoc)).size, { timeout: 5000 }).toBe(15);
    const ids = idsOf(a.ydoc);
    // The section first in document order keeps its id (reviews point to it); copies get new ones.
    expect(ids[0]).toBe(original);
    expect(ids.filter((id) => id === original)).toHaveLength(1);
    expect(ids).toContain(secondId);
    expect(idsOf(b.ydoc)).toEqual(ids);
    const stored = await sectionsOf(t.admin, doc.id);
    expect(stored.sections.map((s) => s.id)).toEqual(ids);
  });

  it('keeps ids unique when two people split the same section at once, and after an undo', async () => {
    const doc = await createDocument(t.admin, t.espaceId, 'Découpages simultanés');
    const a = await synced(t.admin, doc.name);
    const b = await synced(t.admin, doc.name);
    const target = topSections(a.ydoc)[2] as Y.XmlElement;
    const id = target.getAttribute('id') as string;
    const undo = new Y.UndoManager(a.ydoc.getXmlFragment(FRAGMENT), { captureTimeout: 0 });

    // A split carries the node's attributes to the new half, as ProseMirror's split does.
    a.ydoc.getXmlFragment(FRAGMENT).insert(3, [sectionElement(id, 'Seconde moitié A', 'suite A')]);
    b.ydoc.getXmlFragment(FRAGMENT).insert(3, [sectionElement(id, 'Seconde moitié B', 'suite B')]);
    await expect.poll(() => new Set(idsOf(a.ydoc)).size, { timeout: 5000 }).toBe(15);
    await expect.poll(() => idsOf(b.ydoc).join(), { timeout: 5000 }).toBe(idsOf(a.ydoc).join());
    expect(idsOf(a.ydoc)[2]).toBe(id);

    // Undoing A's split removes its half; ids stay unique and the original keeps its id.
    undo.undo();
    await expect.poll(() => idsOf(a.ydoc).length, { timeout: 5000 }).toBe(14);
    await expect.poll(() => idsOf(b.ydoc).join(), { timeout: 5000 }).toBe(idsOf(a.ydoc).join());
    expect(new Set(idsOf(a.ydoc)).size).toBe(14);
    expect(idsOf(a.ydoc)[2]).toBe(id);
  });
});

describe('required sections', () => {
  it('are put back by the server when a client deletes one anyway; optional ones can go', async () => {
    const doc = await createDocument(t.admin, t.espaceId, 'Sections obligatoires');
    const a = await synced(t.admin, doc.name);
    const b = await synced(t.admin, doc.name);
    const before = await sectionsOf(t.admin, doc.id);
    const keyAt = (ydoc: Y.Doc) => topSections(ydoc).map((s) => s.getAttribute('key'));
    const publicIndex = keyAt(a.ydoc).indexOf('public');
    const optionalIndex = keyAt(a.ydoc).indexOf('crise-sanitaire');

    // A client without the editor's guard deletes « Public concerné » and « Adaptations… ».
    a.ydoc.transact(() => {
      const fragment = a.ydoc.getXmlFragment(FRAGMENT);
      fragment.delete(optionalIndex, 1);
      fragment.delete(publicIndex, 1);
    });
    await expect.poll(() => isSettled(a) && isSettled(b), { timeout: 5000 }).toBe(true);
    const expected = before.sections.filter((s) => s.key !== 'crise-sanitaire').map((s) => s.id);
    await expect.poll(() => idsOf(a.ydoc), { timeout: 5000 }).toEqual(expected);
    await expect.poll(() => idsOf(b.ydoc), { timeout: 5000 }).toEqual(expected);
    const stored = await sectionsOf(t.admin, doc.id);
    expect(stored.sections.map((s) => s.id)).toEqual(expected);
    expect(stored.sections.find((s) => s.key === 'public')?.title).toBe('Public concerné');
    expect(stored.missingRequired).toEqual([]);
  });
});

describe('section hashes', () => {
  it('stay the same across edits elsewhere and change with an edit inside the section', async () => {
    const doc = await createDocument(t.admin, t.espaceId, 'Empreintes');
    const client = await synced(t.admin, doc.name);
    const before = await sectionsOf(t.admin, doc.id);
    const hashOf = (r: DocumentSectionsDto, key: string) => r.sections.find((s) => s.key === key)?.hash;

    const sections = topSections(client.ydoc);
    typeInSection(sections[3] as Y.XmlElement, 'Des familles de l’aide sociale à l’enfance.');
    client.ydoc.getMap(META_MAP).set('categorie', 'naissante');
    await expect.poll(() => isSettled(client), { timeout: 5000 }).toBe(true);

    const after = await sectionsOf(t.admin, doc.id);
    expect(hashOf(after, 'public')).not.toBe(hashOf(before, 'public'));
    for (const s of before.sections.filter((s) => s.key !== 'public')) {
      expect(hashOf(after, s.key as string), s.title).toBe(s.hash);
    }
    // The same content gives the same hash: writing it back restores it.
    const paragraph = (topSections(client.ydoc)[3] as Y.XmlElement).get(1) as Y.XmlElement;
    paragraph.delete(0, paragraph.length);
    await expect.poll(() => isSettled(client), { timeout: 5000 }).toBe(true);
    expect(hashOf(await sectionsOf(t.admin, doc.id), 'public')).toBe(hashOf(before, 'public'));
  });
});

describe('metadata edited live and the catalogue', () => {
  it('converges when two rapporteurs edit the metadata at once, then shows in the catalogue filters', async () => {
    const camille = await invite(t.admin, t.espaceId, 'rapporteur', 'Camille Rapporteuse');
    const dominique = await invite(t.admin, t.espaceId, 'rapporteur', 'Dominique Rapporteur');
    const doc = await createDocument(camille, t.espaceId, 'Pair-aidance en santé mentale');
    await t.admin.fetch(`/api/documents/${doc.id}/assignments`, {
      method: 'POST',
      json: { userId: dominique.userId },
    });
    await createDocument(camille, t.espaceId, 'Maraude sociale');
    const a = await synced(camille, doc.name);
    const b = await synced(dominique, doc.name);

    // Same turn, no network in between: truly concurrent.
    const ma = a.ydoc.getMap(META_MAP);
    const mb = b.ydoc.getMap(META_MAP);
    a.ydoc.transact(() => {
      ma.set('categorie', 'renaissante');
      ma.set('territoire', 'dep:07');
      ma.set('themes', ['pair-aidance']);
      ma.set('structure', 'Association A');
    });
    b.ydoc.transact(() => {
      mb.set('structureType', 'association');
      mb.set('anneeDemarrage', 2019);
      mb.set('motsCles', ['médiateurs de santé pairs']);
      mb.set('structure', 'Association B');
    });
    await expect
      .poll(
        () => JSON.stringify(ma.toJSON()) === JSON.stringify(mb.toJSON()) && isSettled(a) && isSettled(b),
        {
          timeout: 5000,
        },
      )
      .toBe(true);
    const merged = readMetadata((k) => ma.get(k));
    expect(merged).toMatchObject({
      categorie: 'renaissante',
      territoire: 'dep:07',
      themes: ['pair-aidance'],
      structureType: 'association',
      anneeDemarrage: 2019,
      motsCles: ['médiateurs de santé pairs'],
    });
    expect(['Association A', 'Association B']).toContain(merged.structure);
    typeInSection(topSections(a.ydoc)[3] as Y.XmlElement, 'Des personnes suivies en psychiatrie.');

    // Once stored, every filter finds it, and only it.
    const title = ['Pair-aidance en santé mentale'];
    await expect.poll(() => catalogue(t.admin, { categorie: 'renaissante' }), STORED).toEqual(title);
    expect(await catalogue(t.admin, { theme: 'pair-aidance' })).toEqual(title);
    expect(await catalogue(t.admin, { territoire: 'dep:07' })).toEqual(title);
    // A région finds the practices of its départements (Ardèche is in Auvergne-Rhône-Alpes).
    expect(await catalogue(t.admin, { territoire: 'reg:84' })).toEqual(title);
    expect(await catalogue(t.admin, { territoire: 'reg:75' })).toEqual([]);
    expect(await catalogue(t.admin, { structureType: 'association', annee: '2019' })).toEqual(title);
    expect(await catalogue(t.admin, { q: 'MEDIATEURS sante' })).toEqual(title);
    expect(await catalogue(dominique, { assignee: 'me' })).toEqual(title);
    expect(await catalogue(camille, { assignee: 'me' })).toEqual([...title, 'Maraude sociale'].sort());

    // And the activity says who changed what.
    const { activity } = await json<ActivityListDto>(t.admin, `/api/espaces/${t.espaceId}/activity`);
    const edits = activity.filter((e) => e.documentId === doc.id && e.kind === 'edited');
    const byName = (name: string) => edits.find((e) => e.userName === name);
    expect(edits.map((e) => e.userName).sort()).toEqual(['Camille Rapporteuse', 'Dominique Rapporteur']);
    // Each is credited with what they did, not with the other's changes stored in the same batch.
    expect(byName('Camille Rapporteuse')?.sections).toEqual(['Public concerné']);
    expect(byName('Camille Rapporteuse')?.fields.sort()).toEqual([
      'categorie',
      'structure',
      'territoire',
      'themes',
    ]);
    expect(byName('Dominique Rapporteur')?.sections).toEqual([]);
    expect(byName('Dominique Rapporteur')?.fields.sort()).toEqual([
      'anneeDemarrage',
      'motsCles',
      'structure',
      'structureType',
    ]);
    const listed = await json<DocumentListDto>(
      t.admin,
      `/api/documents?espaceId=${t.espaceId}&q=pair-aidance`,
    );
    expect(listed.documents[0]?.lastEditor?.name).toMatch(/Camille|Dominique/);
  });

  it('sorts by title the French way and refuses unknown filter values with a French message', async () => {
    for (const title of ['Écoute active', 'Accueil de jour', 'Zone rurale'])
      await createDocument(t.admin, t.espaceId, title);
    const sorted = await catalogue(t.admin, { sort: 'title', order: 'asc' }).then(() =>
      json<DocumentListDto>(t.admin, `/api/documents?espaceId=${t.espaceId}&sort=title`),
    );
    const titles = sorted.documents.map((d) => d.title);
    expect(titles.indexOf('Accueil de jour')).toBeLessThan(titles.indexOf('Écoute active'));
    expect(titles.indexOf('Écoute active')).toBeLessThan(titles.indexOf('Zone rurale'));

    // Every field sorts; documents without a value come last whatever the order.
    for (const sort of [
      'kind',
      'structureType',
      'rapporteurs',
      'categorie',
      'territoire',
      'annee',
      'pages',
    ]) {
      const response = await t.admin.fetch(`/api/documents?espaceId=${t.espaceId}&sort=${sort}&order=desc`);
      expect(response.status, sort).toBe(200);
    }
    const byRapporteur = await json<DocumentListDto>(
      t.admin,
      `/api/documents?espaceId=${t.espaceId}&sort=rapporteurs`,
    );
    const withRapporteur = byRapporteur.documents.map((d) => d.assignees.length > 0);
    expect(withRapporteur.indexOf(false)).toBeGreaterThan(withRapporteur.lastIndexOf(true));

    const bad = await t.admin.fetch(`/api/documents?espaceId=${t.espaceId}&categorie=inventee`);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { message: string; details?: unknown[] }).details).toBeDefined();
  });
});

describe('archiving', () => {
  it('takes a document out of the catalogue and closes its editors, keeps it whole, and restores it', async () => {
    const rapporteur = await invite(t.admin, t.espaceId, 'rapporteur', 'Rémi Rapporteur');
    const doc = await createDocument(rapporteur, t.espaceId, 'À archiver');
    const client = await synced(rapporteur, doc.name);
    typeInSection(topSections(client.ydoc)[0] as Y.XmlElement, 'Texte à garder.');
    await expect.poll(() => isSettled(client), { timeout: 5000 }).toBe(true);

    // Only the animateur archives.
    expect((await rapporteur.fetch(`/api/documents/${doc.id}/archive`, { method: 'POST' })).status).toBe(403);
    const archived = await json<DocumentDto>(t.admin, `/api/documents/${doc.id}/archive`, { method: 'POST' });
    expect(archived.archivedAt).not.toBeNull();
    expect(archived.access).toBe('read');
    expect(await catalogue(t.admin, {})).not.toContain('À archiver');
    expect(await catalogue(t.admin, { archived: 'true' })).toEqual(['À archiver']);
    await expect
      .poll(() => client.provider.isSynced && client.socket.status === 'connected', { timeout: 5000 })
      .toBe(false);

    const restored = await json<DocumentDto>(t.admin, `/api/documents/${doc.id}/restore`, { method: 'POST' });
    expect(restored.archivedAt).toBeNull();
    expect(await catalogue(t.admin, {})).toContain('À archiver');
    const again = await synced(rapporteur, doc.name);
    expect(ydocToJSON(again.ydoc).content?.[0]?.content?.[1]?.content?.[0]?.text).toBe('Texte à garder.');
    const { activity } = await json<ActivityListDto>(t.admin, `/api/espaces/${t.espaceId}/activity`);
    expect(activity.filter((e) => e.documentId === doc.id).map((e) => e.kind)).toEqual(
      expect.arrayContaining(['archived', 'restored', 'created']),
    );
  });
});

describe('themes of an espace', () => {
  it('lets the animateur add, rename and archive themes, and nobody else', async () => {
    const membre = await invite(t.admin, t.espaceId, 'membre', 'Mina Membre');
    const list = await json<{ themes: ThemeDto[] }>(membre, `/api/espaces/${t.espaceId}/themes`);
    expect(list.themes.map((x) => x.id)).toEqual([
      'conferences-familiales',
      'aller-vers',
      'pair-aidance',
      'coordination',
      'pouvoir-d-agir',
    ]);
    const refused = await membre.fetch(`/api/espaces/${t.espaceId}/themes`, {
      method: 'POST',
      json: { label: 'X y' },
    });
    expect(refused.status).toBe(403);

    const created = await json<ThemeDto>(t.admin, `/api/espaces/${t.espaceId}/themes`, {
      method: 'POST',
      json: { label: 'Numérique et accès aux droits' },
    });
    expect(created).toMatchObject({ id: 'numerique-et-acces-aux-droits', archived: false, documents: 0 });
    const duplicate = await t.admin.fetch(`/api/espaces/${t.espaceId}/themes`, {
      method: 'POST',
      json: { label: 'NUMÉRIQUE et accès aux droits' },
    });
    expect(duplicate.status).toBe(409);

    const renamed = await json<ThemeDto>(t.admin, `/api/espaces/${t.espaceId}/themes/${created.id}`, {
      method: 'PATCH',
      json: { label: 'Numérique', archived: true },
    });
    expect(renamed).toMatchObject({ id: created.id, label: 'Numérique', archived: true });
    // An archived theme is not offered any more.
    const response = await t.admin.fetch('/api/documents', {
      method: 'POST',
      json: { espaceId: t.espaceId, title: 'Avec thème archivé', kind: 'fiche', themes: [created.id] },
    });
    expect(response.status).toBe(400);
  });
});
