import { ydocToJSON, type DocJSON } from '@essaim/editor';
import { FRAGMENT } from '@essaim/protocol';
import { applyStored } from '@essaim/server/storage';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createDocument } from '../support/accounts.js';
import { useTestInstance } from '../support/instance.js';
import { connectAs, isSettled, type NodeClient } from '../support/provider.js';
import type { TestServer } from '../support/server.js';

// Issue 8, on the real server (Hocuspocus, SQLite, Node providers): two people press Enter at the
// same place of the same paragraph at the same time. Each split deletes the paragraph's end and
// writes its own copy of it in a new paragraph; the server keeps the first and takes the later
// one back (dropRepeatedSplits, packages/editor/src/sectionForwarding.ts).

const t = useTestInstance();
const SETTLE = { timeout: 10_000 };

async function synced(name: string): Promise<NodeClient> {
  const client = t.track(connectAs(t.admin, t.server.wsUrl, name));
  await expect.poll(() => client.provider.isSynced, SETTLE).toBe(true);
  return client;
}

const sections = (ydoc: Y.Doc): Y.XmlElement[] =>
  ydoc
    .getXmlFragment(FRAGMENT)
    .toArray()
    .filter((c): c is Y.XmlElement => c instanceof Y.XmlElement && c.nodeName === 'section');
const sectionOf = (ydoc: Y.Doc, id: string): Y.XmlElement => {
  const found = sections(ydoc).find((s) => s.getAttribute('id') === id);
  if (!found) throw new Error(`section ${id} introuvable`);
  return found;
};
const paragraphElements = (ydoc: Y.Doc, id: string): Y.XmlElement[] =>
  sectionOf(ydoc, id)
    .toArray()
    .filter((c): c is Y.XmlElement => c instanceof Y.XmlElement && c.nodeName === 'paragraph');

/** The text of a section's paragraphs, one string per paragraph. */
const paragraphsOf = (ydoc: Y.Doc, id: string): string[] =>
  (ydocToJSON(ydoc).content?.find((s) => s.attrs?.id === id)?.content ?? [])
    .filter((b) => b.type === 'paragraph')
    .map((p) => (p.content ?? []).map((c: DocJSON) => c.text ?? '').join(''));

/** The Y.XmlText of a section's first paragraph (created when the paragraph is empty). */
function firstText(ydoc: Y.Doc, id: string): Y.XmlText {
  const paragraph = paragraphElements(ydoc, id)[0];
  if (!paragraph) throw new Error('pas de paragraphe');
  const existing = paragraph.get(0);
  if (existing instanceof Y.XmlText) return existing;
  const created = new Y.XmlText();
  paragraph.insert(0, [created]);
  return created;
}

/**
 * Enter after the `at`th character of a section's first paragraph, as the editor's binding writes
 * it: the end deleted, a new paragraph after it holding a copy of the end.
 */
function split(ydoc: Y.Doc, id: string, at: number): void {
  ydoc.transact(() => {
    const text = firstText(ydoc, id);
    const end = text.toString().slice(at);
    text.delete(at, text.length - at);
    const section = sectionOf(ydoc, id);
    const paragraph = paragraphElements(ydoc, id)[0] as Y.XmlElement;
    const next = new Y.XmlElement('paragraph');
    section.insert(section.toArray().indexOf(paragraph) + 1, [next]);
    next.insert(0, [new Y.XmlText(end)]);
  });
}

/** Holds back what `client` sends until the returned function is called (it still receives). */
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

/** The document as SQLite holds it (state, then log), read through the server's own store. */
function stored(server: TestServer, documentId: string): DocJSON {
  const ydoc = new Y.Doc();
  applyStored(ydoc, server.services.collabStore.load(documentId));
  return ydocToJSON(ydoc);
}

/** Every replica, the server's live copy and SQLite hold the same document. */
async function expectConverged(clients: NodeClient[], doc: { id: string; name: string }): Promise<void> {
  await expect.poll(() => clients.every(isSettled), SETTLE).toBe(true);
  const live = () => t.server.app.hocuspocus.documents.get(doc.name);
  await expect
    .poll(() => clients.map((c) => JSON.stringify(ydocToJSON(c.ydoc))), SETTLE)
    .toEqual(clients.map(() => JSON.stringify(ydocToJSON(live() as Y.Doc))));
  expect(stored(t.server, doc.id)).toEqual(ydocToJSON(clients[0]?.ydoc as Y.Doc));
}

describe('a paragraph two people split at the same place at the same time, on the server', () => {
  it('comes out split once, and what the later one types after its split follows the copy kept', async () => {
    const doc = await createDocument(t.admin, t.espaceId, 'Coupures simultanées');
    const [a, b] = (await Promise.all([1, 2].map(() => synced(doc.name)))) as [NodeClient, NodeClient];
    const id = sections(a.ydoc)[1]?.getAttribute('id') as string;
    const text = firstText(a.ydoc, id);
    text.insert(0, 'Premier paragraphe. Suite du premier.');
    await expectConverged([a, b], doc);
    const before = paragraphsOf(a.ydoc, id);

    // Neither has received the other's split when it makes its own.
    const releaseA = holdOutgoing(a);
    const releaseB = holdOutgoing(b);
    split(a.ydoc, id, 'Premier paragraphe.'.length);
    split(b.ydoc, id, 'Premier paragraphe.'.length);
    // After Enter, the later one types at the start of its new paragraph.
    firstTextOfSecond(b.ydoc, id).insert(0, 'Et');
    releaseA();
    const live = () => t.server.app.hocuspocus.documents.get(doc.name) as Y.Doc;
    await expect.poll(() => paragraphsOf(live(), id)[1], SETTLE).toBe(' Suite du premier.');
    releaseB();

    await expectConverged([a, b], doc);
    expect(paragraphsOf(a.ydoc, id)).toEqual([
      'Premier paragraphe.',
      'Et Suite du premier.',
      ...before.slice(1),
    ]);
  });
});

/** The Y.XmlText of a section's second paragraph. */
function firstTextOfSecond(ydoc: Y.Doc, id: string): Y.XmlText {
  const text = paragraphElements(ydoc, id)[1]?.get(0);
  if (!(text instanceof Y.XmlText)) throw new Error('pas de second paragraphe');
  return text;
}
