import { ydocToJSON, type DocJSON } from '@essaim/editor';
import { FRAGMENT, type DocumentSectionsDto } from '@essaim/protocol';
import { applyStored } from '@essaim/server/storage';
import { afterAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { atAddress, createDocument, invite, setupInstance, type Session } from '../support/accounts.js';
import { useTestInstance } from '../support/instance.js';
import { connectAs, isSettled, requestMove, type NodeClient } from '../support/provider.js';
import { startTestServer, tempDataDir, type TestServer } from '../support/server.js';

const t = useTestInstance();
const SETTLE = { timeout: 10_000 };

async function synced(
  session: Session,
  name: string,
  wsUrl = t.server.wsUrl,
  ydoc?: Y.Doc,
): Promise<NodeClient> {
  const client = t.track(connectAs(session, wsUrl, name, ydoc ? { ydoc } : {}));
  await expect.poll(() => client.provider.isSynced, SETTLE).toBe(true);
  return client;
}

const sections = (ydoc: Y.Doc): Y.XmlElement[] =>
  ydoc
    .getXmlFragment(FRAGMENT)
    .toArray()
    .filter((c): c is Y.XmlElement => c instanceof Y.XmlElement && c.nodeName === 'section');
const idsOf = (ydoc: Y.Doc) => sections(ydoc).map((s) => s.getAttribute('id') as string);
const sectionOf = (ydoc: Y.Doc, id: string): Y.XmlElement => {
  const found = sections(ydoc).find((s) => s.getAttribute('id') === id);
  if (!found) throw new Error(`section ${id} introuvable`);
  return found;
};

/** The text of a section's paragraphs, one string per paragraph. */
const paragraphsOf = (ydoc: Y.Doc, id: string): string[] =>
  (ydocToJSON(ydoc).content?.find((s) => s.attrs?.id === id)?.content ?? [])
    .filter((b) => b.type === 'paragraph')
    .map((p) => (p.content ?? []).map((c: DocJSON) => c.text ?? '').join(''));

/** Types `text` at the end of a section's first paragraph, one keystroke (one update) per character. */
function type(ydoc: Y.Doc, id: string, text: string): void {
  for (const char of text) {
    const paragraph = sectionOf(ydoc, id)
      .toArray()
      .find((c): c is Y.XmlElement => c instanceof Y.XmlElement && c.nodeName === 'paragraph');
    if (!paragraph) throw new Error('pas de paragraphe');
    let xmlText = paragraph.get(0);
    if (!(xmlText instanceof Y.XmlText)) {
      xmlText = new Y.XmlText();
      paragraph.insert(0, [xmlText]);
    }
    const target = xmlText as Y.XmlText;
    target.insert(target.length, char);
  }
}

/**
 * Holds back what `client` sends (its keystrokes stay « in flight ») until the returned function
 * is called; what it receives still arrives. Frames are sent in their order on release.
 */
function holdOutgoing(client: NodeClient): () => void {
  const ws = client.socket.webSocket;
  if (!ws) throw new Error('pas de connexion');
  const send = ws.send.bind(ws);
  const held: Parameters<typeof send>[0][] = [];
  ws.send = (data) => void held.push(data);
  return () => {
    ws.send = send;
    for (const data of held) send(data);
  };
}

async function goOffline(client: NodeClient): Promise<void> {
  client.socket.disconnect();
  await expect.poll(() => client.socket.status, SETTLE).toBe('disconnected');
}

/** The document as SQLite holds it (state, then log), read through the server's own store. */
function stored(server: TestServer, documentId: string): DocJSON {
  const ydoc = new Y.Doc();
  applyStored(ydoc, server.services.collabStore.load(documentId));
  return ydocToJSON(ydoc);
}

/** Every replica, the server's live copy and SQLite hold the same document, with unique ids. */
async function expectConverged(
  clients: NodeClient[],
  doc: { id: string; name: string },
  server: TestServer = t.server,
): Promise<void> {
  await expect.poll(() => clients.every(isSettled), SETTLE).toBe(true);
  const live = () => server.app.hocuspocus.documents.get(doc.name);
  await expect
    .poll(() => clients.map((c) => JSON.stringify(ydocToJSON(c.ydoc))), SETTLE)
    .toEqual(clients.map(() => JSON.stringify(ydocToJSON(live() as Y.Doc))));
  const reference = ydocToJSON(clients[0]?.ydoc as Y.Doc);
  expect(stored(server, doc.id)).toEqual(reference);
  const ids = (reference.content ?? []).map((s) => s.attrs?.id);
  expect(new Set(ids).size).toBe(ids.length);
}

describe('two people moving sections at the same time while a third types in them', () => {
  it('moves a section once when both click « Monter » together, and keeps every keystroke typed in it', async () => {
    const doc = await createDocument(t.admin, t.espaceId, 'Montées simultanées');
    const [a, b, c] = await Promise.all([1, 2, 3].map(() => synced(t.admin, doc.name)));
    const before = idsOf((a as NodeClient).ydoc);
    const moved = before[5] as string;
    const expected = [...before.slice(0, 4), moved, before[4], ...before.slice(6)];

    type((c as NodeClient).ydoc, moved, '01234');
    // C's next keystrokes are still on their way when the section moves.
    const release = holdOutgoing(c as NodeClient);
    type((c as NodeClient).ydoc, moved, '56789');
    // Both computed « put it after the section two places up » from the same view.
    const outcomes = await Promise.all([
      requestMove(a as NodeClient, moved, before[3] as string),
      requestMove(b as NodeClient, moved, before[3] as string),
    ]);
    expect(outcomes.sort()).toEqual(['moved', 'unchanged']);
    release();
    type((c as NodeClient).ydoc, moved, 'ABCDE');

    await expectConverged([a, b, c] as NodeClient[], doc);
    expect(idsOf((a as NodeClient).ydoc)).toEqual(expected);
    expect(paragraphsOf((a as NodeClient).ydoc, moved)).toEqual(['0123456789ABCDE']);
  });

  it('keeps both neighbours’ moves (A: « Monter » the 6th, B: « Descendre » the 5th), and the text typed in both', async () => {
    const doc = await createDocument(t.admin, t.espaceId, 'Voisines');
    const [a, b, c] = await Promise.all([1, 2, 3].map(() => synced(t.admin, doc.name)));
    const before = idsOf((a as NodeClient).ydoc);
    const [fourth, fifth, sixth] = [before[3], before[4], before[5]] as [string, string, string];

    type((c as NodeClient).ydoc, sixth, 'six-');
    type((c as NodeClient).ydoc, fifth, 'cinq-');
    const release = holdOutgoing(c as NodeClient);
    type((c as NodeClient).ydoc, sixth, 'suite');
    type((c as NodeClient).ydoc, fifth, 'suite');
    await Promise.all([
      requestMove(a as NodeClient, sixth, fourth),
      requestMove(b as NodeClient, fifth, sixth),
    ]);
    release();

    await expectConverged([a, b, c] as NodeClient[], doc);
    const after = idsOf((a as NodeClient).ydoc);
    expect(after).toHaveLength(before.length);
    expect(new Set(after)).toEqual(new Set(before));
    // Both wishes hold: the 6th is above the 5th, once each.
    expect(after.indexOf(sixth)).toBeLessThan(after.indexOf(fifth));
    expect(paragraphsOf((a as NodeClient).ydoc, sixth)).toEqual(['six-suite']);
    expect(paragraphsOf((a as NodeClient).ydoc, fifth)).toEqual(['cinq-suite']);
  });

  it('carries over everything an offline writer typed in a section that two others moved meanwhile', async () => {
    const doc = await createDocument(t.admin, t.espaceId, 'Rédacteur hors ligne');
    const [a, b, c] = await Promise.all([1, 2, 3].map(() => synced(t.admin, doc.name)));
    const before = idsOf((a as NodeClient).ydoc);
    const moved = before[5] as string;
    const neighbour = before[4] as string;

    await goOffline(c as NodeClient);
    type((c as NodeClient).ydoc, moved, 'Écrit hors ligne, ');
    // Same section by both, then its neighbour by B, while C is away.
    const outcomes = await Promise.all([
      requestMove(a as NodeClient, moved, before[3] as string),
      requestMove(b as NodeClient, moved, before[3] as string),
    ]);
    expect(outcomes.sort()).toEqual(['moved', 'unchanged']);
    expect(await requestMove(b as NodeClient, neighbour, null)).toBe('moved');
    expect(await requestMove(a as NodeClient, moved, null)).toBe('moved');
    type((c as NodeClient).ydoc, moved, 'mot après mot.');
    type((a as NodeClient).ydoc, neighbour, 'A écrit ici.');

    await (c as NodeClient).socket.connect();
    await expectConverged([a, b, c] as NodeClient[], doc);
    const after = idsOf((a as NodeClient).ydoc);
    expect(after.slice(0, 2)).toEqual([moved, neighbour]);
    expect(new Set(after)).toEqual(new Set(before));
    expect(paragraphsOf((a as NodeClient).ydoc, moved)).toEqual(['Écrit hors ligne, mot après mot.']);
    expect(paragraphsOf((a as NodeClient).ydoc, neighbour)).toEqual(['A écrit ici.']);
  });

  it('refuses a move from a read-only connection and for a section that no longer exists, with a reply', async () => {
    const doc = await createDocument(t.admin, t.espaceId, 'Refus');
    const membre = await invite(t.admin, t.espaceId, 'membre', 'Marc Membre');
    const reader = await synced(membre, doc.name);
    const writer = await synced(t.admin, doc.name);
    const ids = idsOf(writer.ydoc);
    expect(await requestMove(reader, ids[3] as string, null)).toBe('read-only');
    expect(await requestMove(writer, 'section-inconnue', null)).toBe('unknown-section');
    expect(await requestMove(writer, ids[3] as string, 'section-inconnue')).toBe('unknown-target');
    expect(await requestMove(writer, ids[3] as string, ids[3] as string)).toBe('invalid-request');
    expect(idsOf(writer.ydoc)).toEqual(ids);
  });
});

describe('a section moved again and again', () => {
  it('keeps the old copies of the 64 most recent moves only, in memory and in SQLite', async () => {
    const doc = await createDocument(t.admin, t.espaceId, 'Va-et-vient');
    const a = await synced(t.admin, doc.name);
    const ids = idsOf(a.ydoc);
    const count = () =>
      (
        t.server.services.db
          .prepare('SELECT COUNT(*) AS n FROM section_forwardings WHERE document_id = ?')
          .get(doc.id) as { n: number }
      ).n;
    for (let round = 0; round < 35; round++) {
      expect(await requestMove(a, ids[2] as string, null)).toBe('moved');
      expect(await requestMove(a, ids[2] as string, ids[5] as string)).toBe('moved');
    }
    // SectionMovesExtension's MAX_FORWARDINGS_PER_DOCUMENT.
    await expect.poll(count, SETTLE).toBe(64);
    await expectConverged([a], doc);
    expect(idsOf(a.ydoc)).toHaveLength(ids.length);
  });
});

describe('a move survives the document being unloaded and the server restarting', () => {
  const servers: TestServer[] = [];
  afterAll(async () => {
    for (const server of servers) await server.stop().catch(() => undefined);
  });

  it('still carries over an offline writer’s edits when they come back after a restart', async () => {
    const dataDir = tempDataDir();
    const first = await startTestServer({ dataDir });
    servers.push(first);
    const { admin, espaceId } = await setupInstance(first.url);
    const doc = await createDocument(admin, espaceId, 'Après redémarrage');
    const a = await synced(admin, doc.name, first.wsUrl);
    const c = await synced(admin, doc.name, first.wsUrl);
    const before = idsOf(a.ydoc);
    const moved = before[6] as string;

    await goOffline(c);
    type(c.ydoc, moved, 'Tapé hors ligne ');
    expect(await requestMove(a, moved, null)).toBe('moved');
    await expect.poll(() => isSettled(a), SETTLE).toBe(true);
    a.destroy();
    await expect.poll(() => first.app.hocuspocus.documents.has(doc.name), SETTLE).toBe(false);
    await first.stop();

    const second = await startTestServer({ dataDir });
    servers.push(second);
    type(c.ydoc, moved, 'avant le redémarrage.');
    c.destroy();
    const back = await synced(atAddress(admin, second.url), doc.name, second.wsUrl, c.ydoc);
    const other = await synced(atAddress(admin, second.url), doc.name, second.wsUrl);
    await expectConverged([back, other], doc, second);
    expect(idsOf(other.ydoc)[0]).toBe(moved);
    expect(paragraphsOf(other.ydoc, moved)).toEqual(['Tapé hors ligne avant le redémarrage.']);
  });
});

describe('a required section deleted anyway', () => {
  it('comes back with its content and with the keystrokes typed in it meanwhile', async () => {
    const doc = await createDocument(t.admin, t.espaceId, 'Origine supprimée');
    const raw = await synced(t.admin, doc.name);
    const b = await synced(t.admin, doc.name);
    const origine = sections(b.ydoc).find((s) => s.getAttribute('key') === 'origine') as Y.XmlElement;
    const id = origine.getAttribute('id') as string;
    type(b.ydoc, id, 'Né à Lyon en 2019');
    await expect.poll(() => isSettled(b), SETTLE).toBe(true);

    // A program client without the editor's guard deletes it while B's keystrokes are on their way.
    const release = holdOutgoing(b);
    type(b.ydoc, id, ', étendu');
    const index = idsOf(raw.ydoc).indexOf(id);
    raw.ydoc.getXmlFragment(FRAGMENT).delete(index, 1);
    await expect.poll(() => isSettled(raw), SETTLE).toBe(true);
    release();
    type(b.ydoc, id, ' en 2021.');
    await expectConverged([raw, b], doc);
    expect(idsOf(raw.ydoc)[index]).toBe(id);
    expect(sectionOf(raw.ydoc, id).getAttribute('key')).toBe('origine');
    expect(paragraphsOf(raw.ydoc, id)).toEqual(['Né à Lyon en 2019, étendu en 2021.']);

    // And B offline keeps writing in the section the server put back, deleted again.
    await goOffline(b);
    type(b.ydoc, id, ' Hors ligne.');
    raw.ydoc.getXmlFragment(FRAGMENT).delete(index, 1);
    await expect.poll(() => isSettled(raw) && idsOf(raw.ydoc)[index] === id, SETTLE).toBe(true);
    await b.socket.connect();
    await expectConverged([raw, b], doc);
    expect(paragraphsOf(raw.ydoc, id)).toEqual(['Né à Lyon en 2019, étendu en 2021. Hors ligne.']);
  });
});

describe('section ids on copy and paste', () => {
  it('give the new id to a copy pasted above its original, which keeps its id, also after undo', async () => {
    const doc = await createDocument(t.admin, t.espaceId, 'Copier-coller');
    const a = await synced(t.admin, doc.name);
    const b = await synced(t.admin, doc.name);
    const before = idsOf(a.ydoc);
    const original = before[4] as string;
    type(a.ydoc, original, 'Texte de la section');
    const undo = new Y.UndoManager(a.ydoc.getXmlFragment(FRAGMENT), { captureTimeout: 0 });

    a.ydoc.getXmlFragment(FRAGMENT).insert(2, [sectionOf(a.ydoc, original).clone()]);
    await expect.poll(() => new Set(idsOf(b.ydoc)).size, SETTLE).toBe(before.length + 1);
    await expectConverged([a, b], doc);
    const after = idsOf(a.ydoc);
    expect(after[2]).not.toBe(original);
    expect(after[5]).toBe(original);
    expect(paragraphsOf(a.ydoc, after[2] as string)).toEqual(['Texte de la section']);

    undo.undo();
    await expectConverged([a, b], doc);
    expect(idsOf(b.ydoc)).toEqual(before);
    const listed = (await (
      await t.admin.fetch(`/api/documents/${doc.id}/sections`)
    ).json()) as DocumentSectionsDto;
    expect(listed.sections.map((s) => s.id)).toEqual(before);
  });
});
