import { FRAGMENT } from '@essaim/protocol';
import { Transform } from '@tiptap/pm/transform';
import { updateYFragment } from '@tiptap/y-tiptap';
import { expect } from 'vitest';
import * as Y from 'yjs';
import {
  keepUnacknowledgedEdits,
  LocalDeletions,
  offlineEditsUpdate,
} from '../../packages/editor/src/offlineEdits.js';
import { writeJSONToYdoc, ydocToJSON, ydocToNode, type DocJSON } from '../../packages/editor/src/convert.js';
import { detectTextMoves, followMovedText } from '../../packages/editor/src/textMoves.js';
import {
  forwardingsOf,
  watchLateEdits,
  type ForwardEntry,
  type ForwardingRecord,
  type UpdateDeletes,
} from '../../packages/editor/src/sectionForwarding.js';

/**
 * Co-writing on plain Y.Docs for the editor package's unit tests: a server document (which
 * forwards late edits as the real server does) and its clients, with the network in the test's
 * hands, plus sample documents and edits made the way the editor makes them.
 */

// ---------------------------------------------------------------------------------------------
// A server and its clients on plain Y.Docs, with the network in the test's hands: nothing is
// delivered until the test says so, so « in flight » and « offline » are exact.

export interface Client {
  doc: Y.Doc;
  online: boolean;
  /** Updates made here, not yet received by the server (each with its own delete set). */
  outbox: Uint8Array[];
  /** Updates of the server, not yet received here. */
  inbox: Uint8Array[];
  /** The deletions made here since the server last had every update of this client. */
  deletions: LocalDeletions;
}

export const FROM_SERVER = 'server';
export const FORWARDED = 'forwarded';

export class Network {
  readonly server: Y.Doc;
  readonly clients: Client[] = [];
  /** The forwardings as the server's storage receives them (record and every entry, in order). */
  readonly stored = new Map<string, { record: ForwardingRecord; entries: ForwardEntry[] }>();
  private writerDeletes: UpdateDeletes | null = null;

  constructor(content: DocJSON, server = new Y.Doc()) {
    this.server = server;
    forwardingsOf(server).onChange(({ record, entries }) => {
      const row = this.stored.get(record.id) ?? { record, entries: [] };
      row.entries.push(...entries);
      this.stored.set(record.id, row);
    });
    if (content.content?.length) writeJSONToYdoc(server, content);
    watchLateEdits(server, {
      inspect: (tr) => this.clients.some((c) => c === tr.origin),
      writerDeletes: () => this.writerDeletes,
      origin: () => FORWARDED,
    });
    server.on('update', (update: Uint8Array, origin: unknown) => {
      for (const c of this.clients) if (c.online && c !== origin) c.inbox.push(update);
    });
  }

  /** A new client, synced with the server; `clientID` fixes its Yjs client id (tie-breaks). */
  join(clientID?: number): Client {
    const doc = new Y.Doc();
    if (clientID !== undefined) doc.clientID = clientID;
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(this.server), FROM_SERVER);
    const client: Client = { doc, online: true, outbox: [], inbox: [], deletions: new LocalDeletions(doc) };
    // As the editor's provider does (sendOfflineEditsFirst): what the server may not hold is kept.
    keepUnacknowledgedEdits(doc, () => Y.getState(this.server.store, doc.clientID));
    doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin !== FROM_SERVER) client.outbox.push(update);
    });
    this.clients.push(client);
    return client;
  }

  /** What the server does with one update received from a client (decoding its delete set first). */
  private receive(client: Client, update: Uint8Array): void {
    this.writerDeletes = Y.decodeUpdate(update).ds;
    Y.applyUpdate(this.server, update, client);
    this.writerDeletes = null;
  }

  /** Delivers `client`'s updates in flight to the server (only the first `count` if given). */
  send(client: Client, count = Infinity): void {
    for (const update of client.outbox.splice(0, count)) this.receive(client, update);
    if (client.outbox.length === 0) client.deletions.reset();
  }

  /** Delivers the server's updates in flight to `client`. */
  deliver(client: Client): void {
    for (const update of client.inbox.splice(0)) Y.applyUpdate(client.doc, update, FROM_SERVER);
  }

  /** Delivers everything in both directions until nothing moves. */
  settle(): void {
    for (let round = 0; round < 20; round++) {
      let moved = false;
      for (const c of this.clients.filter((x) => x.online)) {
        if (c.outbox.length === 0) continue;
        moved = true;
        this.send(c);
      }
      for (const c of this.clients.filter((x) => x.online)) {
        for (const update of c.inbox.splice(0)) {
          moved = true;
          Y.applyUpdate(c.doc, update, FROM_SERVER);
        }
      }
      if (!moved) return;
    }
    throw new Error('le réseau ne se stabilise pas');
  }

  offline(client: Client): void {
    client.online = false;
    client.inbox.length = 0;
  }

  /**
   * Reconnection as the editor's Hocuspocus provider does it: what the client wrote that the
   * server does not hold goes first, with only the deletions made on the client
   * (sendOfflineEditsFirst, unless `offlineFirst` is false); then the client sends its state
   * vector, the server answers with its own state vector then its diff, so the client computes
   * its diff (a full state diff: its delete set holds every deletion it knows) before it applies
   * the server's.
   */
  reconnect(client: Client, offlineFirst = true): void {
    client.online = true;
    client.outbox.length = 0;
    client.inbox.length = 0;
    const acknowledged = Y.getState(this.server.store, client.doc.clientID);
    if (offlineFirst && Y.getState(client.doc.store, client.doc.clientID) > acknowledged)
      this.receive(client, offlineEditsUpdate(client.doc, acknowledged, client.deletions.current()));
    client.deletions.reset();
    const forClient = Y.encodeStateAsUpdate(this.server, Y.encodeStateVector(client.doc));
    this.receive(client, Y.encodeStateAsUpdate(client.doc, Y.encodeStateVector(this.server)));
    Y.applyUpdate(client.doc, forClient, FROM_SERVER);
    this.settle();
  }
}

// ---------------------------------------------------------------------------------------------
// Documents and edits

export const paragraph = (...content: DocJSON[]): DocJSON => ({ type: 'paragraph', content });
export const text = (value: string, marks?: string[]): DocJSON =>
  marks
    ? { type: 'text', text: value, marks: marks.map((type) => ({ type })) }
    : { type: 'text', text: value };
export const section = (id: string, title: string, ...blocks: DocJSON[]): DocJSON => ({
  type: 'section',
  attrs: { id, key: id === 'origine' ? 'origine' : null },
  content: [{ type: 'sectionTitle', content: [text(title)] }, ...blocks],
});

export const document = (): DocJSON => ({
  type: 'doc',
  content: [
    section('a', 'Identification', paragraph(text('Fiche de la '), text('Gironde', ['bold']), text('.'))),
    section('origine', 'Origine', paragraph(text('Né en 2019')), paragraph(text('Deuxième paragraphe'))),
    section(
      'c',
      'Public',
      { type: 'heading', attrs: { level: 3 }, content: [text('Sous-titre')] },
      {
        type: 'bulletList',
        content: [{ type: 'listItem', content: [paragraph(text('un point'), text(' lié', ['italic']))] }],
      },
    ),
    section('d', 'Moyens', paragraph(text('Des moyens.'))),
  ],
});

export const sections = (doc: Y.Doc): Y.XmlElement[] =>
  doc
    .getXmlFragment(FRAGMENT)
    .toArray()
    .filter((c): c is Y.XmlElement => c instanceof Y.XmlElement && c.nodeName === 'section');
export const ids = (doc: Y.Doc) => sections(doc).map((s) => s.getAttribute('id'));
export const sectionById = (doc: Y.Doc, id: string) =>
  sections(doc).find((s) => s.getAttribute('id') === id) as Y.XmlElement;
export const sectionJSON = (doc: Y.Doc, id: string) =>
  ydocToJSON(doc).content?.find((s) => s.attrs?.id === id);

/** The Y.XmlText of the `n`th paragraph of a section (created when the paragraph has none). */
export function paragraphText(doc: Y.Doc, id: string, n = 0): Y.XmlText {
  const paragraphs = sectionById(doc, id)
    .toArray()
    .filter((c): c is Y.XmlElement => c instanceof Y.XmlElement && c.nodeName === 'paragraph');
  const p = paragraphs[n] as Y.XmlElement;
  const existing = p.get(0);
  if (existing instanceof Y.XmlText) return existing;
  const created = new Y.XmlText();
  p.insert(0, [created]);
  return created;
}

/** Types `value` at the end of a paragraph, one keystroke (one transaction) per character. */
export function type(
  doc: Y.Doc,
  id: string,
  value: string,
  n = 0,
  attributes: Record<string, unknown> = {},
): void {
  for (const char of value) {
    const t = paragraphText(doc, id, n);
    t.insert(t.length, char, attributes);
  }
}

/**
 * Makes `client` a co-writer's editor without a view: after each change that comes from elsewhere,
 * it re-writes its own keystrokes after the copy of the text they were in when that text moved,
 * as the editor does (`followMovedText`, textMoves.ts). `observe` sees each such change first.
 * Returns the client.
 */
export function followsMovedText(client: Client, observe?: (transaction: Y.Transaction) => void): Client {
  client.doc.on('afterTransaction', (transaction: Y.Transaction) => {
    if (transaction.local) return;
    observe?.(transaction);
    followMovedText(client.doc, transaction, detectTextMoves(transaction));
  });
  return client;
}

/** An edit made the way the editor makes it: a ProseMirror change written back by y-tiptap. */
export function editAsTheEditorDoes(doc: Y.Doc, change: (tr: Transform) => void): void {
  const tr = new Transform(ydocToNode(doc));
  change(tr);
  doc.transact(() => {
    updateYFragment(doc, doc.getXmlFragment(FRAGMENT), tr.doc, { mapping: new Map(), isOMark: new Map() });
  });
}

/** The position just after `needle` in the document (ProseMirror positions). */
export function positionAfter(doc: Y.Doc, needle: string): number {
  let found = -1;
  ydocToNode(doc).descendants((node, pos) => {
    if (found < 0 && node.isText && node.text?.includes(needle))
      found = pos + (node.text.indexOf(needle) + needle.length);
  });
  if (found < 0) throw new Error(`texte introuvable : ${needle}`);
  return found;
}

export function expectConverged(net: Network): void {
  const reference = ydocToJSON(net.server);
  for (const c of net.clients) expect(ydocToJSON(c.doc)).toEqual(reference);
  const all = ids(net.server);
  expect(new Set(all).size).toBe(all.length);
}
