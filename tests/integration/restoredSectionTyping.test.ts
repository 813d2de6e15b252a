import { vi } from 'vitest';

// The writer's editor needs a DOM, the real server in the same process a Node environment (its
// URLs, its fetch): a jsdom window for the editor alone, in place before ProseMirror is loaded.
await vi.hoisted(async () => {
  const { JSDOM } = await import('jsdom');
  const { window } = new JSDOM('<!doctype html><body></body>');
  Object.assign(globalThis, { window, document: window.document });
  Object.defineProperty(globalThis, 'navigator', { value: window.navigator, configurable: true });
});

import { ydocToJSON, type DocJSON } from '@essaim/editor';
import { FRAGMENT } from '@essaim/protocol';
import { TextSelection } from '@tiptap/pm/state';
import type { EditorView } from '@tiptap/pm/view';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createDocument, type Session } from '../support/accounts.js';
import { press, putCaretAfter, useCaretEditors } from '../support/caretEditors.js';
import { useTestInstance } from '../support/instance.js';
import { connectAs, isSettled, type NodeClient } from '../support/provider.js';

// Issue 8: a required section someone deletes is put back by the server at once
// (RequiredSectionsExtension, restoreDeletedSection), as a copy of the content it had. A writer
// typing in it meanwhile, their keystrokes on their way or typed offline, keeps every one of
// them, in order, in the section put back: the server carries the late ones over, and the
// restoration writes the same record as a move (copiedClocks.ts), which tells the writer's editor
// which of its keystrokes the copy holds. Real server, real websockets; the writer's editor is a
// ProseMirror view with the client's caret helpers, bound to its provider's document.

const t = useTestInstance();
const SETTLE = { timeout: 10_000 };
const { editorOf } = useCaretEditors();

async function synced(session: Session, name: string): Promise<NodeClient> {
  const client = t.track(connectAs(session, t.server.wsUrl, name));
  await expect.poll(() => client.provider.isSynced, SETTLE).toBe(true);
  return client;
}

const sections = (ydoc: Y.Doc): Y.XmlElement[] =>
  ydoc
    .getXmlFragment(FRAGMENT)
    .toArray()
    .filter((c): c is Y.XmlElement => c instanceof Y.XmlElement && c.nodeName === 'section');

/** The live section element of `ydoc` holding the section `id`, if any. */
const sectionElement = (ydoc: Y.Doc, id: string): Y.XmlElement | undefined =>
  sections(ydoc).find((s) => s.getAttribute('id') === id);

/** The text of a section's paragraphs, one string per paragraph. */
const paragraphsOf = (ydoc: Y.Doc, id: string): string[] =>
  (ydocToJSON(ydoc).content?.find((s) => s.attrs?.id === id)?.content ?? [])
    .filter((b) => b.type === 'paragraph')
    .map((p) => (p.content ?? []).map((c: DocJSON) => c.text ?? '').join(''));

/** Puts the editor's caret at the end of the first paragraph of the section `id`. */
function putCaretInSection(view: EditorView, id: string): void {
  let at = -1;
  view.state.doc.descendants((node, pos) => {
    if (at >= 0) return false;
    if (node.type.name === 'section') return node.attrs['id'] === id;
    if (node.type.name === 'paragraph') at = pos + 1 + node.content.size;
    return false;
  });
  if (at < 0) throw new Error(`pas de paragraphe dans la section ${id}`);
  view.dispatch(view.state.tr.setSelection(TextSelection.create(view.state.doc, at)));
}

/** Types `text` where the editor's caret is, one keystroke (one update) per character. */
const typeIn = (view: EditorView, text: string): void => {
  for (const char of text) press(view, char);
};

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

/** A program client without the editor's guard deletes the section `id`, as a raw update. */
async function deleteSection(raw: NodeClient, id: string): Promise<void> {
  const index = sections(raw.ydoc).findIndex((s) => s.getAttribute('id') === id);
  raw.ydoc.getXmlFragment(FRAGMENT).delete(index, 1);
  await expect.poll(() => isSettled(raw), SETTLE).toBe(true);
}

/** The writer, the deleter and the server's live copy hold the same document. */
async function expectConverged(clients: NodeClient[], name: string): Promise<void> {
  await expect.poll(() => clients.every(isSettled), SETTLE).toBe(true);
  const live = () => t.server.app.hocuspocus.documents.get(name) as Y.Doc;
  await expect
    .poll(() => clients.map((c) => JSON.stringify(ydocToJSON(c.ydoc))), SETTLE)
    .toEqual(clients.map(() => JSON.stringify(ydocToJSON(live()))));
}

/** A new fiche, its writer (with an editor, caret in « Origine ») and a program client. */
async function setUp(title: string) {
  const doc = await createDocument(t.admin, t.espaceId, title);
  const writer = await synced(t.admin, doc.name);
  const raw = await synced(t.admin, doc.name);
  const origine = sections(writer.ydoc).find((s) => s.getAttribute('key') === 'origine');
  const id = origine?.getAttribute('id');
  if (typeof id !== 'string') throw new Error('pas de section « Origine »');
  const view = editorOf({ doc: writer.ydoc });
  putCaretInSection(view, id);
  return { doc, writer, raw, id, view };
}

describe('a required section deleted and put back while someone types in the middle of it', () => {
  it('keeps every keystroke of the writer, in order, when a space was on its way at the deletion', async () => {
    const { doc, writer, raw, id, view } = await setUp('Origine supprimée en cours de frappe');
    typeIn(view, 'base01 base02 base03');
    putCaretAfter(view, 'base02');
    typeIn(view, ' A01');
    await expect.poll(() => isSettled(writer), SETTLE).toBe(true);
    const original = sectionElement(writer.ydoc, id);

    // The writer's space after « A01 » is still on its way when the deletion reaches the server.
    const release = holdOutgoing(writer);
    typeIn(view, ' ');
    await deleteSection(raw, id);
    // The deletion and the restoration reach the writer's editor, without the space: paired by
    // its letter with the space the copy has before « base03 », the caret went past it.
    await expect.poll(() => sectionElement(writer.ydoc, id) !== original, SETTLE).toBe(true);
    typeIn(view, 'A02');
    release();
    typeIn(view, ' A03');

    await expectConverged([writer, raw], doc.name);
    expect(paragraphsOf(raw.ydoc, id)).toEqual(['base01 base02 A01 A02 A03 base03']);
  });

  it('keeps what an offline writer typed before and after the section was put back, once they reconnect', async () => {
    const { doc, writer, raw, id, view } = await setUp('Origine supprimée hors ligne');
    typeIn(view, 'base01 base02 base03');
    putCaretAfter(view, 'base02');
    typeIn(view, ' A01');
    await expect.poll(() => isSettled(writer), SETTLE).toBe(true);

    writer.socket.disconnect();
    await expect.poll(() => writer.socket.status, SETTLE).toBe('disconnected');
    typeIn(view, ' A02 ');
    await deleteSection(raw, id);
    await expect.poll(() => paragraphsOf(raw.ydoc, id), SETTLE).toEqual(['base01 base02 A01 base03']);
    typeIn(view, 'A03 ');

    await writer.socket.connect();
    await expect.poll(() => isSettled(writer), SETTLE).toBe(true);
    typeIn(view, 'A04');
    await expectConverged([writer, raw], doc.name);
    expect(paragraphsOf(raw.ydoc, id)).toEqual(['base01 base02 A01 A02 A03 A04 base03']);
  });
});
