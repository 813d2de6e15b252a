import type { afterLoadDocumentPayload, Connection } from '@hocuspocus/server';
import {
  guardRequiredSections,
  schema,
  sectionHash,
  writeJSONToYdoc,
  ydocToJSON,
  type DocJSON,
} from '@essaim/editor';
import { FRAGMENT, parseSectionLockedMessage } from '@essaim/protocol';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createLogger } from '../logger.js';
import type { LockedSection, SectionLocks } from '../services/sectionLocks.js';
import type { CollabContext } from './context.js';
import { authorOf } from './durableUpdates.js';
import { SECTION_LOCK_ORIGIN, SectionLocksExtension } from './SectionLocksExtension.js';

const DOCUMENT_ID = '0b8f6d2e-3c1a-4e5b-9f7d-2a6c8e0b4d19';
const NAME = `doc.${DOCUMENT_ID}`;

const text = (value: string): DocJSON => ({ type: 'text', text: value });
const paragraph = (value: string): DocJSON => ({ type: 'paragraph', content: [text(value)] });
function section(id: string, key: string | null, title: string, ...paragraphs: string[]): DocJSON {
  return {
    type: 'section',
    attrs: { id, key },
    content: [{ type: 'sectionTitle', content: [text(title)] }, ...paragraphs.map(paragraph)],
  };
}

const SECTIONS = {
  a: section('a', 'identification', 'Identification', 'Une fiche.'),
  b: section('b', 'public', 'Public concerné', 'Les familles.', 'Les enfants.'),
  c: section('c', 'objectifs', 'Objectifs', 'Réunir la famille.'),
  d: section('d', null, 'Ajout', 'Autre chose.'),
};

const lockOf = (json: DocJSON, title: string): LockedSection => ({
  sectionId: json.attrs?.id as string,
  title,
  approvedHash: sectionHash(schema.nodeFromJSON(json)),
  content: json,
});

/** The review service as the guard sees it: locks set by the test, attempts recorded. */
class FakeLocks implements SectionLocks {
  readonly attempts: { documentId: string; sectionId: string; userId: string | null }[] = [];
  lockedCalls = 0;
  private sections: LockedSection[] = [];
  private readonly listeners = new Set<(documentId: string) => void>();

  set(sections: LockedSection[]): void {
    this.sections = sections;
    for (const listener of this.listeners) listener(DOCUMENT_ID);
  }
  locked(documentId: string): readonly LockedSection[] {
    this.lockedCalls++;
    return documentId === DOCUMENT_ID ? this.sections : [];
  }
  onChanged(listener: (documentId: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  attempted(documentId: string, sectionId: string, userId: string | null): void {
    this.attempts.push({ documentId, sectionId, userId });
  }
  readonly forgotten: string[] = [];
  forget(documentId: string): void {
    this.forgotten.push(documentId);
  }
}

interface Client {
  doc: Y.Doc;
  connection: Connection<CollabContext>;
  /** Stateless messages the server sent to this connection. */
  messages: string[];
  /** While offline, updates stay on the client. */
  online: boolean;
  /** Sends what the server lacks (a reconnection's sync), as one update. */
  reconnect: () => void;
}

/**
 * A server document under the guard, as Hocuspocus holds it: each client's update is applied with
 * its connection as origin, and every server update is broadcast to every client (the author's
 * included), as Hocuspocus does.
 */
async function setup(locked: LockedSection[] = [lockOf(SECTIONS.b, 'Public concerné')]) {
  const server = new Y.Doc();
  writeJSONToYdoc(server, { type: 'doc', content: Object.values(SECTIONS) });
  const locks = new FakeLocks();
  locks.set(locked);
  const guard = new SectionLocksExtension(locks, createLogger('silent'));
  await guard.afterLoadDocument({
    documentName: NAME,
    document: server,
  } as unknown as afterLoadDocumentPayload<CollabContext>);
  const clients: Client[] = [];
  const serverUpdates: { origin: unknown }[] = [];
  server.on('update', (update: Uint8Array, origin: unknown) => {
    serverUpdates.push({ origin });
    for (const c of clients) if (c.online) Y.applyUpdate(c.doc, update, 'wire');
  });
  const client = (userId: string): Client => {
    const doc = new Y.Doc();
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(server));
    const messages: string[] = [];
    const connection = {
      context: { userId, socket: { authenticated: true } },
      readOnly: false,
      sendStateless: (payload: string) => messages.push(payload),
    } as unknown as Connection<CollabContext>;
    const origin = { source: 'connection', connection };
    const c: Client = {
      doc,
      connection,
      messages,
      online: true,
      reconnect: () => {
        c.online = true;
        Y.applyUpdate(server, Y.encodeStateAsUpdate(doc, Y.encodeStateVector(server)), origin);
        Y.applyUpdate(doc, Y.encodeStateAsUpdate(server, Y.encodeStateVector(doc)), 'wire');
      },
    };
    doc.on('update', (update: Uint8Array, from: unknown) => {
      if (from !== 'wire' && c.online) Y.applyUpdate(server, update, origin);
    });
    clients.push(c);
    return c;
  };
  return { server, locks, guard, client, serverUpdates };
}

/** End-of-batch listeners on a document: the guard installs one only while a batch touched a locked section. */
const listeners = (doc: Y.Doc): number => doc._observers.get('afterAllTransactions')?.size ?? 0;
const fragmentOf = (doc: Y.Doc): Y.XmlFragment => doc.getXmlFragment(FRAGMENT);
const sectionAt = (doc: Y.Doc, index: number): Y.XmlElement => fragmentOf(doc).get(index) as Y.XmlElement;
const textOf = (doc: Y.Doc, sectionIndex: number, block: number): Y.XmlText =>
  (sectionAt(doc, sectionIndex).get(block) as Y.XmlElement).get(0) as Y.XmlText;
const sectionJSON = (doc: Y.Doc, id: string): DocJSON | undefined =>
  ydocToJSON(doc).content?.find((s) => s.attrs?.id === id);
/** A connection's transaction, as the required-sections guard is told in the server. */
const personOf = (origin: unknown): boolean =>
  typeof origin === 'object' && origin !== null && (origin as { source?: unknown }).source === 'connection';
const ids = (doc: Y.Doc): unknown[] => (ydocToJSON(doc).content ?? []).map((s) => s.attrs?.id);

describe('the lock guard', () => {
  it('reverts a change inside a locked section for every client and keeps the same update’s other edits', async () => {
    const { server, locks, client } = await setup();
    const author = client('auteur');
    const other = client('autre');
    author.doc.transact(() => {
      textOf(author.doc, 1, 1).insert(4, 'grandes ');
      textOf(author.doc, 3, 1).insert(0, 'Encore ');
    });

    for (const doc of [server, author.doc, other.doc]) {
      expect(sectionJSON(doc, 'b')).toEqual(SECTIONS.b);
      expect(sectionJSON(doc, 'd')?.content?.[1]).toEqual(paragraph('Encore Autre chose.'));
    }
    expect(author.messages.map(parseSectionLockedMessage)).toEqual([
      { type: 'section-locked', sectionId: 'b', title: 'Public concerné' },
    ]);
    expect(other.messages).toEqual([]);
    expect(locks.attempts).toEqual([{ documentId: DOCUMENT_ID, sectionId: 'b', userId: 'auteur' }]);
    expect(listeners(server)).toBe(0);
  });

  it('reverts once per update, however many keystrokes it carries, as a change of the system', async () => {
    const { locks, client, serverUpdates } = await setup();
    const author = client('auteur');
    author.online = false;
    for (const ch of 'abcdefghij') textOf(author.doc, 1, 1).insert(0, ch);
    textOf(author.doc, 1, 2).delete(0, 4);
    serverUpdates.length = 0;
    author.reconnect();

    expect(serverUpdates.map((u) => u.origin === SECTION_LOCK_ORIGIN)).toEqual([false, true]);
    expect(authorOf(SECTION_LOCK_ORIGIN, {} as CollabContext)).toBeNull();
    expect(author.messages).toHaveLength(1);
    expect(locks.attempts).toHaveLength(1);
    expect(sectionJSON(author.doc, 'b')).toEqual(SECTIONS.b);
  });

  it('keeps the edits two people make at once in an unlocked section next to a reverted one', async () => {
    const { server, client } = await setup();
    const author = client('auteur');
    const other = client('autre');
    author.online = false;
    other.online = false;
    textOf(author.doc, 1, 1).insert(0, 'Toutes ');
    textOf(author.doc, 2, 1).insert(0, 'A ');
    textOf(other.doc, 2, 1).insert(0, 'B ');
    textOf(other.doc, 1, 2).insert(0, 'Tous ');
    author.reconnect();
    other.reconnect();

    expect(sectionJSON(server, 'b')).toEqual(SECTIONS.b);
    const objectifs = JSON.stringify(sectionJSON(server, 'c'));
    expect(objectifs).toContain('A ');
    expect(objectifs).toContain('B ');
    expect(author.messages).toHaveLength(1);
    expect(other.messages).toHaveLength(1);
    expect(ydocToJSON(author.doc)).toEqual(ydocToJSON(server));
    expect(ydocToJSON(other.doc)).toEqual(ydocToJSON(server));
  });

  it('brings back a locked section deleted wholesale, at its place, and lets the same update delete an unlocked one', async () => {
    const { server, locks, client } = await setup();
    const author = client('auteur');
    author.doc.transact(() => {
      fragmentOf(author.doc).delete(3, 1);
      fragmentOf(author.doc).delete(1, 1);
    });

    expect(ids(server)).toEqual(['a', 'b', 'c']);
    expect(ids(author.doc)).toEqual(['a', 'b', 'c']);
    expect(sectionJSON(author.doc, 'b')).toEqual(SECTIONS.b);
    expect(author.messages).toHaveLength(1);
    expect(locks.attempts.map((a) => a.sectionId)).toEqual(['b']);
  });

  it('tells and audits the deletion of a locked required section that the required-sections guard put back', async () => {
    const { server, locks, client } = await setup();
    guardRequiredSections(server, [{ key: 'public', title: 'Public concerné' }], (tr) => personOf(tr.origin));
    const author = client('auteur');
    fragmentOf(author.doc).delete(1, 1);

    expect(ids(server)).toEqual(['a', 'b', 'c', 'd']);
    expect(sectionJSON(author.doc, 'b')).toEqual(SECTIONS.b);
    expect(author.messages).toHaveLength(1);
    expect(locks.attempts).toEqual([{ documentId: DOCUMENT_ID, sectionId: 'b', userId: 'auteur' }]);
  });

  it('brings back two neighbouring locked sections deleted together, in their order, even first in the document', async () => {
    const { server, client } = await setup([
      lockOf(SECTIONS.a, 'Identification'),
      lockOf(SECTIONS.b, 'Public'),
    ]);
    const author = client('auteur');
    fragmentOf(author.doc).delete(0, 3);

    expect(ids(server)).toEqual(['a', 'b', 'd']);
    expect(ydocToJSON(author.doc)).toEqual(ydocToJSON(server));
    expect(author.messages.map((m) => parseSectionLockedMessage(m)?.sectionId)).toEqual(['a', 'b']);
  });

  it('gives a locked section its id and key back on the same element when a client changes them', async () => {
    const { server, client } = await setup();
    const element = sectionAt(server, 1);
    const author = client('auteur');
    author.doc.transact(() => {
      sectionAt(author.doc, 1).setAttribute('id', 'pirate');
      sectionAt(author.doc, 1).setAttribute('key', 'autre');
    });

    expect(sectionAt(server, 1)).toBe(element);
    expect(sectionJSON(author.doc, 'b')).toEqual(SECTIONS.b);
    expect(ids(server)).toEqual(['a', 'b', 'c', 'd']);
    expect(author.messages).toHaveLength(1);
  });

  it('leaves alone a locked section moved without change, and typing in unlocked sections costs no extra transaction', async () => {
    const { server, locks, client, serverUpdates } = await setup();
    const author = client('auteur');
    author.doc.transact(() => {
      const copy = sectionAt(author.doc, 1).clone();
      fragmentOf(author.doc).delete(1, 1);
      fragmentOf(author.doc).insert(2, [copy]);
    });
    expect(ids(server)).toEqual(['a', 'c', 'b', 'd']);

    let transactions = 0;
    server.on('afterTransaction', () => transactions++);
    serverUpdates.length = 0;
    let batchListeners = 0;
    server.on('afterTransaction', () => (batchListeners += listeners(server)));
    for (const ch of 'frappe') textOf(author.doc, 3, 1).insert(0, ch);
    expect(transactions).toBe(6);
    expect(batchListeners).toBe(0);
    expect(serverUpdates.every((u) => u.origin !== SECTION_LOCK_ORIGIN)).toBe(true);
    expect(author.messages).toEqual([]);
    expect(locks.attempts).toEqual([]);
  });

  it('installs no end-of-batch listener and asks the review service once, not per transaction, when a document has no lock', async () => {
    const { server, locks, client, serverUpdates } = await setup([]);
    const calls = locks.lockedCalls;
    const author = client('auteur');
    let batchListeners = 0;
    server.on('afterTransaction', () => (batchListeners += listeners(server)));
    for (const ch of 'libre') textOf(author.doc, 1, 1).insert(0, ch);
    expect(batchListeners).toBe(0);
    expect(locks.lockedCalls).toBe(calls);
    expect(serverUpdates).toHaveLength(5);
    expect(author.messages).toEqual([]);
  });

  it('puts a section back as approved the moment it is locked, auditing the revert without an author', async () => {
    const { server, locks, client } = await setup([]);
    const author = client('auteur');
    textOf(author.doc, 1, 1).insert(0, 'Entre-temps ');
    textOf(author.doc, 2, 1).insert(0, 'Ailleurs ');

    locks.set([lockOf(SECTIONS.b, 'Public concerné')]);

    await expect.poll(() => sectionJSON(author.doc, 'b')).toEqual(SECTIONS.b);
    expect(sectionJSON(server, 'c')?.content?.[1]).toEqual(paragraph('Ailleurs Réunir la famille.'));
    expect(locks.attempts).toEqual([{ documentId: DOCUMENT_ID, sectionId: 'b', userId: null }]);
    expect(author.messages).toEqual([]);
  });

  it('reverts a client that edited offline while the section was locked, and keeps its other edits', async () => {
    const { server, locks, client } = await setup([]);
    const author = client('auteur');
    author.online = false;
    textOf(author.doc, 1, 1).insert(0, 'Hors ligne ');
    textOf(author.doc, 2, 1).insert(0, 'Aussi ');
    locks.set([lockOf(SECTIONS.b, 'Public concerné')]);
    author.reconnect();

    expect(sectionJSON(server, 'b')).toEqual(SECTIONS.b);
    expect(sectionJSON(author.doc, 'b')).toEqual(SECTIONS.b);
    expect(sectionJSON(author.doc, 'c')?.content?.[1]).toEqual(paragraph('Aussi Réunir la famille.'));
    expect(author.messages).toHaveLength(1);
    expect(locks.attempts).toEqual([{ documentId: DOCUMENT_ID, sectionId: 'b', userId: 'auteur' }]);
  });

  it('lets edits stay once the section is unlocked', async () => {
    const { server, locks, client } = await setup();
    const author = client('auteur');
    locks.set([]);
    textOf(author.doc, 1, 1).insert(0, 'Libre ');
    expect(sectionJSON(server, 'b')?.content?.[1]).toEqual(paragraph('Libre Les familles.'));
    expect(author.messages).toEqual([]);
  });

  it('reverts a server-side change made for a person, but not the system’s own changes', async () => {
    const { server, locks } = await setup();
    server.transact(() => textOf(server, 1, 1).insert(0, 'Restauré '), {
      source: 'local',
      context: { userId: 'animatrice' },
    });
    expect(sectionJSON(server, 'b')).toEqual(SECTIONS.b);
    expect(locks.attempts).toEqual([{ documentId: DOCUMENT_ID, sectionId: 'b', userId: 'animatrice' }]);

    server.transact(() => textOf(server, 1, 1).insert(0, 'Réparé '), 'essaim:repair');
    expect(sectionJSON(server, 'b')?.content?.[1]).toEqual(paragraph('Réparé Les familles.'));
  });

  it('keeps the update and logs when the approved content cannot be written', async () => {
    const broken: LockedSection = {
      ...lockOf(SECTIONS.b, 'Public'),
      content: { type: 'section', content: [] },
    };
    const { server, client } = await setup([broken]);
    const author = client('auteur');
    expect(() => textOf(author.doc, 1, 1).insert(0, 'x')).not.toThrow();
    expect(sectionJSON(server, 'b')?.content?.[1]).toEqual(paragraph('xLes familles.'));
    expect(author.messages).toEqual([]);
  });
});
