import { FRAGMENT } from '@essaim/protocol';
import type { NodeType, Schema } from '@tiptap/pm/model';
import { Transform } from '@tiptap/pm/transform';
import { updateYFragment } from '@tiptap/y-tiptap';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { writeJSONToYdoc, ydocToJSON, ydocToNode, type DocJSON } from './convert.js';
import { forwardingsOf, watchLateEdits, type UpdateDeletes } from './sectionForwarding.js';

// A server and its clients on plain Y.Docs; nothing is delivered until the test says so (see
// sectionForwarding.test.ts, whose network this one follows).

interface Client {
  doc: Y.Doc;
  outbox: Uint8Array[];
  inbox: Uint8Array[];
}

const FROM_SERVER = 'server';

class Network {
  readonly server = new Y.Doc();
  readonly clients: Client[] = [];
  private writerDeletes: UpdateDeletes | null = null;

  constructor(content: DocJSON, { knowDeletes = true } = {}) {
    forwardingsOf(this.server);
    writeJSONToYdoc(this.server, content);
    watchLateEdits(this.server, {
      inspect: (tr) => this.clients.some((c) => c === tr.origin),
      // The server decodes the writer's delete set only once the document has forwardings.
      writerDeletes: () => (knowDeletes ? this.writerDeletes : null),
      origin: () => 'forwarded',
    });
    this.server.on('update', (update: Uint8Array, origin: unknown) => {
      for (const c of this.clients) if (c !== origin) c.inbox.push(update);
    });
  }

  join(clientID?: number): Client {
    const doc = new Y.Doc();
    if (clientID !== undefined) doc.clientID = clientID;
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(this.server), FROM_SERVER);
    const client: Client = { doc, outbox: [], inbox: [] };
    doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin !== FROM_SERVER) client.outbox.push(update);
    });
    this.clients.push(client);
    return client;
  }

  send(client: Client): void {
    for (const update of client.outbox.splice(0)) {
      this.writerDeletes = Y.decodeUpdate(update).ds;
      Y.applyUpdate(this.server, update, client);
      this.writerDeletes = null;
    }
  }

  receive(client: Client): void {
    for (const update of client.inbox.splice(0)) Y.applyUpdate(client.doc, update, FROM_SERVER);
  }

  settle(): void {
    for (let round = 0; round < 20; round++) {
      const moving = this.clients.some((c) => c.outbox.length > 0 || c.inbox.length > 0);
      if (!moving) return;
      for (const c of this.clients) this.send(c);
      for (const c of this.clients) this.receive(c);
    }
    throw new Error('le réseau ne se stabilise pas');
  }
}

const text = (value: string): DocJSON => ({ type: 'text', text: value });
const paragraph = (value: string): DocJSON => ({ type: 'paragraph', content: value ? [text(value)] : [] });
const document = (...blocks: DocJSON[]): DocJSON => ({
  type: 'doc',
  content: [
    {
      type: 'section',
      attrs: { id: 'description', key: null },
      content: [{ type: 'sectionTitle', content: [text('Description')] }, ...blocks],
    },
    {
      type: 'section',
      attrs: { id: 'public', key: null },
      content: [{ type: 'sectionTitle', content: [text('Public concerné')] }, paragraph('')],
    },
  ],
});

/** The textblocks of the document as `type:text` (headings with their level). */
function blocks(doc: Y.Doc): string[] {
  const out: string[] = [];
  ydocToNode(doc).descendants((node) => {
    if (!node.isTextblock) return true;
    const name = node.type.name === 'heading' ? `h${String(node.attrs.level)}` : node.type.name;
    out.push(`${name}:${node.textContent}`);
    return false;
  });
  return out;
}

/** The Y.XmlText of the first textblock of the first section after its title. */
function firstBlockText(doc: Y.Doc): Y.XmlText {
  const section = doc.getXmlFragment(FRAGMENT).get(0) as Y.XmlElement;
  const block = section.get(1) as Y.XmlElement;
  const existing = block.get(0);
  if (existing instanceof Y.XmlText) return existing;
  const created = new Y.XmlText();
  block.insert(0, [created]);
  return created;
}

/** Types `value` at the end of the first block, one keystroke (one transaction) per character. */
function type(doc: Y.Doc, value: string): void {
  for (const char of value) {
    const t = firstBlockText(doc);
    t.insert(t.length, char);
  }
}

/** A node type of the schema, which must have it. */
function nodeType(schema: Schema, name: string): NodeType {
  const found = schema.nodes[name];
  if (!found) throw new Error(`type de nœud inconnu : ${name}`);
  return found;
}

/**
 * Changes the first block's type the way the editor does (Ctrl+Alt+3, Ctrl+Alt+0): a ProseMirror
 * change written back by y-tiptap, which deletes the element and inserts a new one.
 */
function setType(doc: Y.Doc, level: 3 | 4 | null): void {
  const node = ydocToNode(doc);
  const tr = new Transform(node);
  const { schema } = node.type;
  let from = -1;
  node.descendants((child, pos) => {
    if (from < 0 && child.isTextblock && child.type.name !== 'sectionTitle') from = pos;
    return from < 0;
  });
  if (level === null) tr.setBlockType(from + 1, from + 1, nodeType(schema, 'paragraph'));
  else tr.setBlockType(from + 1, from + 1, nodeType(schema, 'heading'), { level });
  doc.transact(() => {
    updateYFragment(doc, doc.getXmlFragment(FRAGMENT), tr.doc, { mapping: new Map(), isOMark: new Map() });
  });
}

function expectConverged(net: Network): void {
  const reference = ydocToJSON(net.server);
  for (const c of net.clients) expect(ydocToJSON(c.doc)).toEqual(reference);
}

describe('a block whose type changes while someone types in it', () => {
  it('is replaced by delete + insert in the editor’s binding (what the forwarding is for)', () => {
    const net = new Network(document(paragraph('Étapes')));
    const a = net.join();
    const before = (a.doc.getXmlFragment(FRAGMENT).get(0) as Y.XmlElement).get(1);
    setType(a.doc, 3);
    expect((a.doc.getXmlFragment(FRAGMENT).get(0) as Y.XmlElement).get(1)).not.toBe(before);
    expect(blocks(a.doc)[1]).toBe('h3:Étapes');
  });

  it('keeps the keystrokes that were in flight for the old block, in the new one, in order', () => {
    const net = new Network(document(paragraph('Étapes')));
    const a = net.join();
    const b = net.join();
    type(b.doc, ' et calendrier');
    setType(a.doc, 3);
    net.send(a);
    net.send(b);
    net.settle();
    expectConverged(net);
    expect(blocks(net.server)).toEqual([
      'sectionTitle:Description',
      'h3:Étapes et calendrier',
      'sectionTitle:Public concerné',
      'paragraph:',
    ]);
  });

  it('keeps characters the server had but the person changing the type had not seen yet', () => {
    for (const knowDeletes of [true, false]) {
      const net = new Network(document(paragraph('Étapes')), { knowDeletes });
      const a = net.join();
      const b = net.join();
      type(b.doc, ' et');
      net.send(b);
      setType(a.doc, 4);
      net.send(a);
      net.settle();
      expectConverged(net);
      expect(blocks(net.server)[1]).toBe('h4:Étapes et');
    }
  });

  it('keeps the characters the person changing the type had not seen, when the server holds them merged with ones they had', () => {
    const net = new Network(document(paragraph('Étapes')));
    const a = net.join();
    const b = net.join();
    type(b.doc, ' e');
    net.settle();
    // The server merges B's consecutive characters into one item: A saw its start only.
    type(b.doc, 't ca');
    net.send(b);
    setType(a.doc, 3);
    net.send(a);
    net.settle();
    expectConverged(net);
    expect(blocks(net.server)[1]).toBe('h3:Étapes et ca');
  });

  it('keeps every keystroke, in order, across level changes again and again, the typist going on meanwhile', () => {
    const net = new Network(document(paragraph('Étapes')));
    const a = net.join();
    // A low client id: what B types after a change must stay after its own re-applied keystrokes.
    const b = net.join(10);
    const words = [' et', ' calendrier', ' détaillé', ' pour', ' tous'];
    const levels: (3 | 4 | null)[] = [3, 4, null, 3];
    for (const [i, level] of levels.entries()) {
      type(b.doc, words[i] as string);
      setType(a.doc, level);
      net.send(a);
      net.receive(b);
      net.send(b);
      net.receive(a);
    }
    type(b.doc, words[4] as string);
    net.settle();
    expectConverged(net);
    expect(blocks(net.server)[1]).toBe('h3:Étapes et calendrier détaillé pour tous');
  });

  it('installs no forwarding for a block deleted and replaced by a different text', () => {
    const net = new Network(document(paragraph('Étapes'), paragraph('Suite')));
    const a = net.join();
    const node = ydocToNode(a.doc);
    const tr = new Transform(node);
    let from = -1;
    node.descendants((child, pos) => {
      if (from < 0 && child.type.name === 'paragraph') from = pos;
      return from < 0;
    });
    const { schema } = node.type;
    tr.replaceWith(
      from,
      from + node.resolve(from + 1).parent.nodeSize,
      nodeType(schema, 'heading').create({ level: 3 }, schema.text('Autre chose')),
    );
    a.doc.transact(() => {
      updateYFragment(a.doc, a.doc.getXmlFragment(FRAGMENT), tr.doc, {
        mapping: new Map(),
        isOMark: new Map(),
      });
    });
    net.settle();
    expect(forwardingsOf(net.server).size).toBe(0);
    expect(blocks(net.server)[1]).toBe('h3:Autre chose');
  });

  it('costs nothing more when a transaction deletes no element', () => {
    const net = new Network(document(paragraph('Étapes')));
    const b = net.join();
    type(b.doc, ' et');
    firstBlockText(b.doc).delete(0, 1);
    net.settle();
    expect(forwardingsOf(net.server).size).toBe(0);
    expect(blocks(net.server)[1]).toBe('paragraph:tapes et');
  });
});
