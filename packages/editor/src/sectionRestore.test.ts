import { FRAGMENT } from '@essaim/protocol';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { writeJSONToYdoc, ydocToJSON, ydocToNode, type DocJSON } from './convert.js';
import { liveSectionElement, readSectionElement, restoreSection } from './sectionRestore.js';
import { sectionHash, sectionsOf } from './sections.js';

const text = (value: string): DocJSON => ({ type: 'text', text: value });
const paragraph = (value: string): DocJSON => ({ type: 'paragraph', content: [text(value)] });

function section(id: string, key: string | null, title: string, ...paragraphs: string[]): DocJSON {
  return {
    type: 'section',
    attrs: { id, key },
    content: [{ type: 'sectionTitle', content: [text(title)] }, ...paragraphs.map(paragraph)],
  };
}

const approved = section('b', 'public', 'Public concerné', 'Les familles.', 'Les enfants.', 'Les voisins.');

/** A server replica and a client replica exchanging every update as it happens. */
function replicas(): { server: Y.Doc; client: Y.Doc } {
  const server = new Y.Doc();
  writeJSONToYdoc(server, {
    type: 'doc',
    content: [
      section('a', 'identification', 'Identification', 'Une fiche.'),
      approved,
      section('c', null, 'Ajout', 'Autre chose.'),
    ],
  });
  const client = new Y.Doc();
  Y.applyUpdate(client, Y.encodeStateAsUpdate(server));
  server.on(
    'update',
    (u: Uint8Array, origin: unknown) => origin !== 'wire' && Y.applyUpdate(client, u, 'wire'),
  );
  client.on(
    'update',
    (u: Uint8Array, origin: unknown) => origin !== 'wire' && Y.applyUpdate(server, u, 'wire'),
  );
  return { server, client };
}

const fragmentOf = (doc: Y.Doc): Y.XmlFragment => doc.getXmlFragment(FRAGMENT);
const sectionAt = (doc: Y.Doc, index: number): Y.XmlElement => fragmentOf(doc).get(index) as Y.XmlElement;
const textOf = (element: Y.XmlElement, index: number): Y.XmlText =>
  (element.get(index) as Y.XmlElement).get(0) as Y.XmlText;
const sectionJSON = (doc: Y.Doc, id: string): DocJSON | undefined =>
  ydocToJSON(doc).content?.find((s) => s.attrs?.id === id);
const sectionIds = (doc: Y.Doc): unknown[] => (ydocToJSON(doc).content ?? []).map((s) => s.attrs?.id);

describe('restoring a section to its approved content', () => {
  it('puts back a section emptied down to its title, which the schema does not accept', () => {
    const { server, client } = replicas();
    const emptied = sectionAt(client, 1);
    emptied.delete(1, emptied.length - 1);
    expect(() => sectionHash(readSectionElement(sectionAt(server, 1)))).not.toThrow();
    restoreSection(server, 'b', approved);
    expect(sectionJSON(client, 'b')).toEqual(approved);
    expect(sectionIds(client)).toEqual(['a', 'b', 'c']);
  });

  it('deletes only the characters typed in the middle of a paragraph, keeping the others and their anchors', () => {
    const { server, client } = replicas();
    const familles = textOf(sectionAt(client, 1), 1);
    const anchor = Y.createRelativePositionFromTypeIndex(familles, 8);
    familles.insert(4, 'grandes ');
    expect(sectionJSON(server, 'b')).not.toEqual(approved);
    const kept = textOf(sectionAt(server, 1), 1);

    restoreSection(server, 'b', approved);

    expect(sectionJSON(server, 'b')).toEqual(approved);
    expect(sectionJSON(client, 'b')).toEqual(approved);
    expect(textOf(sectionAt(server, 1), 1)).toBe(kept);
    const resolved = Y.createAbsolutePositionFromRelativePosition(anchor, client);
    expect(resolved?.type).toBe(textOf(sectionAt(client, 1), 1));
    expect(resolved?.index).toBe(8);
  });

  it('puts a deleted paragraph back and leaves the other paragraphs’ items as they were', () => {
    const { server, client } = replicas();
    const before = sectionAt(server, 1).toArray();
    sectionAt(client, 1).delete(2, 1);

    restoreSection(server, 'b', approved);

    expect(sectionJSON(client, 'b')).toEqual(approved);
    const after = sectionAt(server, 1).toArray();
    expect(after[0]).toBe(before[0]);
    expect(after[1]).toBe(before[1]);
    expect(after[3]).toBe(before[3]);
  });

  it('inserts a deleted section again after the section that preceded it, or first', () => {
    const { server, client } = replicas();
    fragmentOf(client).delete(1, 1);
    expect(sectionIds(server)).toEqual(['a', 'c']);

    restoreSection(server, 'b', approved, { after: 'a' });

    expect(sectionIds(client)).toEqual(['a', 'b', 'c']);
    expect(sectionJSON(client, 'b')).toEqual(approved);

    fragmentOf(client).delete(0, 2);
    restoreSection(server, 'b', approved, { after: null });
    expect(sectionIds(client)).toEqual(['b', 'c']);
  });

  it('puts a deleted section at the end when the section that preceded it is gone too', () => {
    const { server, client } = replicas();
    fragmentOf(client).delete(0, 2);
    restoreSection(server, 'b', approved, { after: 'a' });
    expect(sectionIds(client)).toEqual(['c', 'b']);
  });

  it('brings back a section whose content was merged into its neighbour, and the neighbour keeps what it received', () => {
    const { server, client } = replicas();
    client.transact(() => {
      const previous = sectionAt(client, 0);
      const moved = sectionAt(client, 1)
        .toArray()
        .slice(1)
        .map((block) => (block as Y.XmlElement).clone());
      previous.insert(previous.length, moved);
      fragmentOf(client).delete(1, 1);
    });

    restoreSection(server, 'b', approved, { after: 'a' });

    expect(sectionIds(client)).toEqual(['a', 'b', 'c']);
    expect(sectionJSON(client, 'b')).toEqual(approved);
    expect(sectionJSON(client, 'a')?.content).toHaveLength(5);
  });

  it('removes from the locked section the neighbour merged into it', () => {
    const { server, client } = replicas();
    client.transact(() => {
      const locked = sectionAt(client, 1);
      const moved = sectionAt(client, 2)
        .toArray()
        .slice(1)
        .map((block) => (block as Y.XmlElement).clone());
      locked.insert(locked.length, moved);
      fragmentOf(client).delete(2, 1);
    });

    restoreSection(server, 'b', approved);

    expect(sectionIds(client)).toEqual(['a', 'b']);
    expect(sectionJSON(client, 'b')).toEqual(approved);
  });

  it('sets the title, the key and the id back, on the same element', () => {
    const { server, client } = replicas();
    const element = sectionAt(server, 1);
    client.transact(() => {
      const locked = sectionAt(client, 1);
      textOf(locked, 0).insert(0, 'Tout le ');
      locked.setAttribute('key', 'autre');
      locked.setAttribute('id', 'pirate');
    });
    expect(liveSectionElement(server, 'b')).toBeNull();

    restoreSection(server, 'b', approved, { element });

    expect(sectionAt(server, 1)).toBe(element);
    expect(sectionIds(client)).toEqual(['a', 'b', 'c']);
    expect(sectionJSON(client, 'b')).toEqual(approved);
  });

  it('writes nothing and throws when the approved content does not fit the schema', () => {
    const { server } = replicas();
    const before = Y.encodeStateVector(server);
    expect(() => restoreSection(server, 'b', { type: 'paragraph', content: [text('x')] })).toThrow();
    expect(() =>
      restoreSection(server, 'b', {
        type: 'section',
        attrs: { id: 'b' },
        content: [{ type: 'sectionTitle' }],
      }),
    ).toThrow();
    expect(() => restoreSection(server, 'b', { type: 'section', content: [{ type: 'inconnu' }] })).toThrow();
    expect(Y.encodeStateVector(server)).toEqual(before);
  });

  it('joins the caller’s transaction: one update for the restore and the caller’s own change', () => {
    const { server, client } = replicas();
    textOf(sectionAt(client, 1), 1).insert(0, 'x');
    let updates = 0;
    server.on('update', () => updates++);
    server.transact(() => {
      restoreSection(server, 'b', approved);
      textOf(sectionAt(server, 2), 1).insert(0, 'Encore ');
    });
    expect(updates).toBe(1);
    expect(sectionJSON(client, 'b')).toEqual(approved);
    expect(sectionJSON(client, 'c')?.content?.[1]).toEqual(paragraph('Encore Autre chose.'));
  });
});

describe('reading one section', () => {
  it('gives the hash the whole-document listing gives, without reading the other sections', () => {
    const { server, client } = replicas();
    textOf(sectionAt(client, 1), 2).insert(0, 'Tous ');
    const listed = sectionsOf(ydocToNode(server)).map((s) => s.hash);
    const alone = [0, 1, 2].map((i) => sectionHash(readSectionElement(sectionAt(server, i))));
    expect(alone).toEqual(listed);
  });
});
