import { META_MAP } from '@essaim/protocol';
import type { Transform } from '@tiptap/pm/transform';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { DocJSON } from './convert.js';
import { schema } from './extensions.js';
import { moveSection } from './sectionForwarding.js';
import {
  diffDocuments,
  type AuthorSpan,
  type DiffAttribution,
  type DiffPart,
  type SectionDiff,
} from './versionDiff.js';
import {
  Network,
  document,
  editAsTheEditorDoes,
  paragraph,
  paragraphText,
  positionAfter,
  section,
  sectionById,
  text,
  type,
  type Client,
} from '../../../tests/support/yNetwork.js';

const CREATOR = 'u-creatrice';
const ALICE = 'u-alice';
const BOB = 'u-bob';

/**
 * The attribution the server keeps: the author of each Yjs client id, and the delete set of
 * every update with the account that sent it. Answers one id at a time (`length` 1), which the
 * compare must accept, and counts the ids it is asked about.
 */
class AuthorLog implements DiffAttribution {
  private readonly deletions: { client: number; clock: number; len: number; author: string }[] = [];
  asked = 0;

  constructor(private readonly writers: ReadonlyMap<number, string>) {}

  record(update: Uint8Array, author: string): void {
    for (const [client, items] of Y.decodeUpdate(update).ds.clients)
      for (const { clock, len } of items) this.deletions.push({ client, clock, len, author });
  }

  insertedBy(client: number): AuthorSpan {
    this.asked++;
    return { author: this.writers.get(client) ?? null, length: 1 };
  }

  deletedBy(client: number, clock: number): AuthorSpan {
    this.asked++;
    const d = this.deletions.find((x) => x.client === client && clock >= x.clock && clock < x.clock + x.len);
    return { author: d?.author ?? null, length: 1 };
  }
}

/** A server document holding `content` (written by the creator) and two co-writers, Alice and Bob. */
function coWriting(content: DocJSON = document()) {
  const server = new Y.Doc();
  server.clientID = 1;
  const net = new Network(content, server);
  const alice = net.join(10);
  const bob = net.join(20);
  const log = new AuthorLog(
    new Map([
      [1, CREATOR],
      [10, ALICE],
      [20, BOB],
    ]),
  );
  const accounts = new Map<unknown, string>([
    [alice, ALICE],
    [bob, BOB],
  ]);
  server.on('update', (update: Uint8Array, origin: unknown) =>
    log.record(update, accounts.get(origin) ?? CREATOR),
  );
  return { net, alice, bob, log };
}

/** A version as stored: the full state in V2 encoding, loaded into a new (garbage-collected) Y.Doc. */
function version(doc: Y.Doc): Y.Doc {
  const loaded = new Y.Doc();
  Y.applyUpdateV2(loaded, Y.encodeStateAsUpdateV2(doc));
  return loaded;
}

const changesOf = (s: SectionDiff | undefined) => s?.parts.filter((p) => p.kind !== 'equal');
const oldText = (parts: DiffPart[]) =>
  parts
    .filter((p) => p.kind !== 'insert')
    .map((p) => p.text)
    .join('');
const newText = (parts: DiffPart[]) =>
  parts
    .filter((p) => p.kind !== 'delete')
    .map((p) => p.text)
    .join('');
const part = (kind: DiffPart['kind'], value: string, author: string | null = null): DiffPart => ({
  kind,
  text: value,
  author,
});

function insertAt(client: Client, sectionId: string, n: number, index: number, value: string): void {
  paragraphText(client.doc, sectionId, n).insert(index, value);
}

function deleteAt(client: Client, sectionId: string, n: number, index: number, length: number): void {
  paragraphText(client.doc, sectionId, n).delete(index, length);
}

describe('comparing two versions of a document, section by section', () => {
  it('marks exactly the words each person inserted and deleted, with the right author on each', () => {
    const { net, alice, bob, log } = coWriting();
    const before = version(net.server);
    insertAt(alice, 'origine', 0, 'Né'.length, ' à Lyon');
    deleteAt(bob, 'origine', 1, 0, 'Deuxième '.length);
    type(bob.doc, 'd', ' Un local.');
    net.settle();

    const diff = diffDocuments(before, version(net.server), log);

    expect(diff.sections.map((s) => [s.id, s.status, s.changes])).toEqual([
      ['origine', 'changed', 2],
      ['d', 'changed', 1],
      ['a', 'unchanged', 0],
      ['c', 'unchanged', 0],
    ]);
    expect(diff.sections[0]?.parts).toEqual([
      part('equal', 'Origine\nNé'),
      part('insert', ' à Lyon', ALICE),
      part('equal', ' en 2019\n'),
      part('delete', 'Deuxième ', BOB),
      part('equal', 'paragraphe'),
    ]);
    expect(diff.sections[1]?.parts).toEqual([
      part('equal', 'Moyens\nDes moyens.'),
      part('insert', ' Un local.', BOB),
    ]);
    expect(diff.sections[2]?.parts).toEqual([part('equal', 'Identification\nFiche de la Gironde.')]);
    expect(diff.sections[3]?.parts).toEqual([part('equal', 'Public\nSous-titre\nun point lié')]);
    expect(diff.authors).toEqual([ALICE, BOB]);
    expect(diff.metadata).toEqual([]);
  });

  it('attributes an inserted word with its space to who typed it, not to whoever wrote the space already there', () => {
    const { net, bob, log } = coWriting();
    const before = version(net.server);
    // « Deuxième paragraphe » → « Deuxième beau paragraphe », typed after « Deuxième »: a word
    // diff alone would keep Bob's space as the old one and show the creator's space inserted.
    insertAt(bob, 'origine', 1, 'Deuxième'.length, ' beau');
    insertAt(bob, 'origine', 0, 0, 'Il est ');
    net.settle();

    const diff = diffDocuments(before, version(net.server), log);

    expect(changesOf(diff.sections[0])).toEqual([
      part('insert', 'Il est ', BOB),
      part('insert', ' beau', BOB),
    ]);
    expect(newText(diff.sections[0]?.parts ?? [])).toBe(
      'Origine\nIl est Né en 2019\nDeuxième beau paragraphe',
    );
  });

  it('shows a word changed inside as the characters typed, the untouched ones staying equal', () => {
    const { net, alice, log } = coWriting();
    const before = version(net.server);
    insertAt(alice, 'a', 0, 'Fiche de la Gironde'.length, 's');
    net.settle();

    const diff = diffDocuments(before, version(net.server), log);

    expect(diff.sections[0]?.parts).toEqual([
      part('equal', 'Identification\nFiche de la Gironde'),
      part('insert', 's', ALICE),
      part('equal', '.'),
    ]);
  });

  it('splits a run typed by two people at the same spot at the same time into one part per author', () => {
    const { net, alice, bob, log } = coWriting();
    const before = version(net.server);
    type(alice.doc, 'd', ' et des salles');
    type(bob.doc, 'd', ' bénévoles');
    net.settle();
    const after = version(net.server);
    expect(paragraphText(after, 'd').toString()).toBe('Des moyens. et des salles bénévoles');

    const diff = diffDocuments(before, after, log);

    expect(diff.sections[0]?.id).toBe('d');
    expect(diff.sections[0]?.parts).toEqual([
      part('equal', 'Moyens\nDes moyens.'),
      part('insert', ' et des salles', ALICE),
      part('insert', ' bénévoles', BOB),
    ]);
    expect(diff.sections[0]?.changes).toBe(2);
  });

  it('attributes a deletion made of two people’s deletions to each of them', () => {
    const { net, alice, bob, log } = coWriting();
    const before = version(net.server);
    deleteAt(alice, 'origine', 1, 0, 'Deux'.length);
    net.settle();
    deleteAt(bob, 'origine', 1, 0, 'ième '.length);
    net.settle();

    const diff = diffDocuments(before, version(net.server), log);

    expect(changesOf(diff.sections[0])).toEqual([
      part('delete', 'Deux', ALICE),
      part('delete', 'ième ', BOB),
    ]);
  });

  it('shows a paragraph split with Enter as an inserted line break by who split it', () => {
    const { net, bob, log } = coWriting();
    const before = version(net.server);
    editAsTheEditorDoes(bob.doc, (tr: Transform) => {
      tr.split(positionAfter(bob.doc, 'Né en'));
    });
    net.settle();

    const diff = diffDocuments(before, version(net.server), log);

    expect(diff.sections[0]?.parts).toEqual([
      part('equal', 'Origine\nNé en'),
      part('insert', '\n', BOB),
      part('equal', ' 2019\nDeuxième paragraphe'),
    ]);
  });

  it('past its budget, still compares by Yjs id: kept text equal, the rest deleted then inserted by its author', () => {
    const { net, alice, bob, log } = coWriting();
    const before = version(net.server);
    insertAt(alice, 'origine', 0, 'Né'.length, ' à Lyon');
    net.settle();
    editAsTheEditorDoes(bob.doc, (tr: Transform) => {
      tr.split(positionAfter(bob.doc, 'Né à Lyon en'));
    });
    net.settle();
    const after = version(net.server);

    const diff = diffDocuments(before, after, log, { wordDiffBudget: 0 });

    expect(diff.sections[0]?.parts).toEqual([
      part('equal', 'Origine\nNé'),
      part('insert', ' à Lyon', ALICE),
      part('equal', ' en'),
      part('delete', ' 2019', BOB),
      part('insert', '\n 2019', BOB),
      part('equal', '\nDeuxième paragraphe'),
    ]);
    expect(diffDocuments(before, after, log).sections[0]?.parts).toEqual([
      part('equal', 'Origine\nNé'),
      part('insert', ' à Lyon', ALICE),
      part('equal', ' en'),
      part('insert', '\n', BOB),
      part('equal', ' 2019\nDeuxième paragraphe'),
    ]);
  });

  it('attributes edits made offline to their author once they arrive, next to a co-writer’s', () => {
    const { net, alice, bob, log } = coWriting();
    net.offline(bob);
    deleteAt(bob, 'origine', 0, 'Né '.length, 'en '.length);
    type(bob.doc, 'origine', ' (hors ligne)', 1);
    type(alice.doc, 'origine', ' environ', 0);
    net.settle();
    const whileOffline = version(net.server);
    net.reconnect(bob);
    const after = version(net.server);
    expect(paragraphText(after, 'origine', 0).toString()).toBe('Né 2019 environ');

    const diff = diffDocuments(whileOffline, after, log);

    expect(changesOf(diff.sections[0])).toEqual([
      part('delete', 'en ', BOB),
      part('insert', ' (hors ligne)', BOB),
    ]);
    expect(diff.authors).toEqual([BOB]);
  });

  it('counts a changed section title as a change of its first line', () => {
    const { net, alice, log } = coWriting();
    const before = version(net.server);
    const title = sectionById(alice.doc, 'c').get(0) as Y.XmlElement;
    (title.get(0) as Y.XmlText).insert('Public'.length, ' concerné');
    net.settle();

    const diff = diffDocuments(before, version(net.server), log);

    expect(diff.sections[0]).toMatchObject({
      id: 'c',
      title: 'Public concerné',
      status: 'changed',
      changes: 1,
    });
    expect(diff.sections[0]?.parts[0]).toEqual(part('equal', 'Public'));
    expect(diff.sections[0]?.parts[1]).toEqual(part('insert', ' concerné', ALICE));
  });

  it('lists added and removed sections first, removed ones where they were, then unchanged ones including a moved one', () => {
    const { net, alice, bob, log } = coWriting();
    const before = version(net.server);
    // Bob adds a section « e » after « d »; Alice removes « c »; the server moves « a » to the end.
    editAsTheEditorDoes(bob.doc, (tr: Transform) => {
      tr.insert(
        tr.doc.content.size,
        schema.nodeFromJSON(section('e', 'Annexe', paragraph(text('Nouvelle annexe')))),
      );
    });
    editAsTheEditorDoes(alice.doc, (tr: Transform) => {
      let from = -1;
      tr.doc.forEach((node, offset) => {
        if (node.attrs.id === 'c') from = offset;
      });
      const node = tr.doc.nodeAt(from);
      tr.delete(from, from + (node?.nodeSize ?? 0));
    });
    net.settle();
    expect(moveSection(net.server, 'a', 'e', 'déplacement')).toBe('moved');
    net.settle();

    const diff = diffDocuments(before, version(net.server), log);

    expect(diff.sections.map((s) => [s.id, s.status, s.changes])).toEqual([
      ['c', 'removed', 1],
      ['e', 'added', 1],
      ['origine', 'unchanged', 0],
      ['d', 'unchanged', 0],
      ['a', 'unchanged', 0],
    ]);
    expect(diff.sections[0]).toMatchObject({ title: 'Public', key: null });
    expect(diff.sections[0]?.parts).toEqual([part('delete', 'Public\nSous-titre\nun point lié', ALICE)]);
    expect(diff.sections[1]?.parts).toEqual([part('insert', 'Annexe\nNouvelle annexe', BOB)]);
    expect(diff.sections[2]?.key).toBe('origine');
    expect(diff.authors).toEqual([ALICE, BOB]);
  });

  it('compares a moved section (a copy with new Yjs items) by text: only the words written after the move are marked', () => {
    const { net, alice, log } = coWriting();
    const before = version(net.server);
    expect(moveSection(net.server, 'origine', 'd', 'déplacement')).toBe('moved');
    net.settle();
    type(alice.doc, 'origine', ' à Privas', 0);
    net.settle();

    const diff = diffDocuments(before, version(net.server), log);

    expect(diff.sections.map((s) => [s.id, s.status])).toEqual([
      ['origine', 'changed'],
      ['a', 'unchanged'],
      ['c', 'unchanged'],
      ['d', 'unchanged'],
    ]);
    expect(diff.sections[0]?.parts).toEqual([
      part('equal', 'Origine\nNé en 2019'),
      part('insert', ' à Privas', ALICE),
      part('equal', '\nDeuxième paragraphe'),
    ]);
  });

  it('reads footnotes, tables and lists as text of their section', () => {
    const content: DocJSON = {
      type: 'doc',
      content: [
        section(
          'f',
          'Résultats',
          paragraph(
            text('Voir la note'),
            { type: 'footnote', attrs: { text: 'source ancienne' } },
            text('.'),
          ),
          {
            type: 'table',
            content: [
              {
                type: 'tableRow',
                content: [
                  { type: 'tableCell', content: [paragraph(text('Année'))] },
                  { type: 'tableCell', content: [paragraph(text('Familles'))] },
                ],
              },
            ],
          },
          {
            type: 'orderedList',
            content: [{ type: 'listItem', content: [paragraph(text('premier point'))] }],
          },
        ),
      ],
    };
    const { net, alice, bob, log } = coWriting(content);
    const before = version(net.server);
    const p = sectionById(alice.doc, 'f').get(1) as Y.XmlElement;
    const footnote = p.toArray().find((c): c is Y.XmlElement => c instanceof Y.XmlElement) as Y.XmlElement;
    footnote.setAttribute('text', 'source nouvelle');
    const table = sectionById(bob.doc, 'f').get(2) as Y.XmlElement;
    const cell = (table.get(0) as Y.XmlElement).get(1) as Y.XmlElement;
    ((cell.get(0) as Y.XmlElement).get(0) as Y.XmlText).insert('Familles'.length, ' reçues');
    net.settle();

    const diff = diffDocuments(before, version(net.server), log);

    expect(diff.sections[0]?.parts).toEqual([
      part('equal', 'Résultats\nVoir la note [note : source '),
      part('delete', 'ancienne', ALICE),
      part('insert', 'nouvelle', ALICE),
      part('equal', '].\nAnnée\nFamilles'),
      part('insert', ' reçues', BOB),
      part('equal', '\npremier point'),
    ]);
  });

  it('lists the metadata fields that changed with French labels and display values', () => {
    const { net, alice, bob, log } = coWriting();
    const meta = (c: Client) => c.doc.getMap(META_MAP);
    meta(alice).set('title', 'Conférences familiales');
    meta(alice).set('categorie', 'naissante');
    meta(alice).set('motsCles', ['famille', 'réseau']);
    net.settle();
    const before = version(net.server);
    meta(bob).set('title', 'Conférences familiales en Gironde');
    meta(bob).set('categorie', 'renaissante');
    meta(bob).set('themes', ['aller-vers', 'pair-aidance']);
    meta(bob).set('territoire', 'dep:33');
    meta(bob).set('motsCles', ['réseau', 'famille']); // the same words in another order
    meta(bob).set('anneeDemarrage', 'pas une année'); // unreadable: read as empty, as before
    net.settle();

    const diff = diffDocuments(before, version(net.server), log, {
      territoireLabel: (code) => (code === 'dep:33' ? 'Gironde' : code),
    });

    expect(diff.metadata).toEqual([
      {
        field: 'title',
        label: 'Titre',
        from: 'Conférences familiales',
        to: 'Conférences familiales en Gironde',
      },
      { field: 'themes', label: 'Thèmes', from: 'Aucun', to: 'Aller-vers, Pair-aidance' },
      { field: 'categorie', label: 'Catégorie de la pratique', from: 'Naissante', to: 'Renaissante' },
      { field: 'territoire', label: 'Territoire', from: 'Non précisé', to: 'Gironde' },
    ]);
    expect(diff.sections.every((s) => s.status === 'unchanged')).toBe(true);
    expect(diff.authors).toEqual([]);
  });

  it('compares empty documents, and an empty one with a written one', () => {
    const empty = () => new Y.Doc();
    expect(diffDocuments(empty(), empty(), new AuthorLog(new Map()))).toEqual({
      sections: [],
      metadata: [],
      authors: [],
    });

    const { net, log } = coWriting();
    const diff = diffDocuments(empty(), version(net.server), log);
    expect(diff.sections.map((s) => [s.id, s.status])).toEqual([
      ['a', 'added'],
      ['origine', 'added'],
      ['c', 'added'],
      ['d', 'added'],
    ]);
    expect(diff.sections[1]?.parts).toEqual([
      part('insert', 'Origine\nNé en 2019\nDeuxième paragraphe', CREATOR),
    ]);
    expect(diff.authors).toEqual([CREATOR]);
  });

  it('never writes to the documents it compares and asks the attribution only about changed characters', () => {
    const { net, alice, log } = coWriting();
    const before = version(net.server);
    insertAt(alice, 'origine', 0, 0, 'Vers 2018, ');
    net.settle();
    const after = version(net.server);
    const states = [Y.encodeStateAsUpdateV2(before), Y.encodeStateAsUpdateV2(after)];
    let updates = 0;
    for (const d of [before, after]) d.on('update', () => updates++);

    diffDocuments(before, after, log);

    expect(updates).toBe(0);
    expect([Y.encodeStateAsUpdateV2(before), Y.encodeStateAsUpdateV2(after)]).toEqual(states);
    expect(log.asked).toBe('Vers 2018, '.length);
  });
});

/**
 * An attribution that answers for whole spans, as the server's does: the writer of a client for
 * any length, and deletions as ranges (a span ends where the deleter changes). Records each span
 * asked.
 */
class SpanLog implements DiffAttribution {
  readonly asked: [string, number, number, number][] = [];

  constructor(
    private readonly writers: ReadonlyMap<number, string>,
    private readonly deletions: { client: number; clock: number; len: number; author: string }[],
  ) {}

  insertedBy(client: number, clock: number, length: number): AuthorSpan {
    this.asked.push(['insertedBy', client, clock, length]);
    return { author: this.writers.get(client) ?? null, length };
  }

  deletedBy(client: number, clock: number, length: number): AuthorSpan {
    this.asked.push(['deletedBy', client, clock, length]);
    const at = this.deletions.find((d) => d.client === client && clock >= d.clock && clock < d.clock + d.len);
    if (at) return { author: at.author, length: Math.min(length, at.clock + at.len - clock) };
    const next = this.deletions
      .filter((d) => d.client === client && d.clock > clock)
      .reduce((m, d) => Math.min(m, d.clock), Infinity);
    return { author: null, length: Math.min(length, next - clock) };
  }
}

/** Every deletion `log` recorded, with its author (the delete sets of each update). */
function deletionsOf(net: Network, accounts: Map<unknown, string>) {
  const out: { client: number; clock: number; len: number; author: string }[] = [];
  net.server.on('update', (update: Uint8Array, origin: unknown) => {
    for (const [client, items] of Y.decodeUpdate(update).ds.clients)
      for (const { clock, len } of items)
        out.push({ client, clock, len, author: accounts.get(origin) ?? CREATOR });
  });
  return out;
}

describe('who a change is attributed to', () => {
  it('compared backwards, attributes the text going away to who wrote it and the text coming back to who deleted it', () => {
    const { net, alice, bob, log } = coWriting();
    const older = version(net.server);
    insertAt(alice, 'origine', 0, 'Né'.length, ' à Lyon');
    deleteAt(bob, 'origine', 1, 0, 'Deuxième '.length);
    net.settle();
    const newer = version(net.server);

    const back = diffDocuments(newer, older, log);

    expect(back.sections[0]?.parts).toEqual([
      part('equal', 'Origine\nNé'),
      part('delete', ' à Lyon', ALICE),
      part('equal', ' en 2019\n'),
      part('insert', 'Deuxième ', BOB),
      part('equal', 'paragraphe'),
    ]);
    expect(back.authors).toEqual([ALICE, BOB]);
    // Forwards, the same changes have the same authors.
    expect(changesOf(diffDocuments(older, newer, log).sections[0])).toEqual([
      part('insert', ' à Lyon', ALICE),
      part('delete', 'Deuxième ', BOB),
    ]);
  });

  it('compared backwards, attributes a removed section to who wrote it and a section coming back to who removed it', () => {
    const { net, bob, log } = coWriting();
    const older = version(net.server);
    editAsTheEditorDoes(bob.doc, (tr: Transform) => {
      let from = -1;
      tr.doc.forEach((node, offset) => {
        if (node.attrs.id === 'c') from = offset;
      });
      tr.delete(from, from + (tr.doc.nodeAt(from)?.nodeSize ?? 0));
    });
    editAsTheEditorDoes(bob.doc, (tr: Transform) => {
      tr.insert(tr.doc.content.size, schema.nodeFromJSON(section('e', 'Annexe', paragraph(text('Ajout')))));
    });
    net.settle();

    const back = diffDocuments(version(net.server), older, log);

    expect(
      back.sections.filter((s) => s.status !== 'unchanged').map((s) => [s.id, s.status, s.parts]),
    ).toEqual([
      ['c', 'added', [part('insert', 'Public\nSous-titre\nun point lié', BOB)]],
      ['e', 'removed', [part('delete', 'Annexe\nAjout', BOB)]],
    ]);
  });

  it('attributes a deletion the log does not attribute (made by the server for nobody) to who wrote the text', () => {
    const { net, alice, log } = coWriting();
    type(alice.doc, 'd', ' Un local.');
    net.settle();
    const before = version(net.server);
    // The server deletes Alice's words under no account (as a forwarding that moves them does).
    paragraphText(net.server, 'd').delete('Des moyens.'.length, ' Un local.'.length);
    net.settle();

    const diff = diffDocuments(before, version(net.server), {
      insertedBy: (client) => log.insertedBy(client),
      deletedBy: () => ({ author: null, length: 1 }),
    });

    expect(changesOf(diff.sections[0])).toEqual([part('delete', ' Un local.', ALICE)]);
  });

  it('asks about each changed span once when the attribution answers for whole spans, and splits it where the deleter changes', () => {
    const server = new Y.Doc();
    server.clientID = 1;
    const net = new Network(document(), server);
    const alice = net.join(10);
    const bob = net.join(20);
    const accounts = new Map<unknown, string>([
      [alice, ALICE],
      [bob, BOB],
    ]);
    const deletions = deletionsOf(net, accounts);
    const before = version(net.server);
    insertAt(alice, 'origine', 0, 0, 'Vers 2018, ');
    net.settle();
    deleteAt(alice, 'origine', 1, 0, 'Deux'.length);
    net.settle();
    deleteAt(bob, 'origine', 1, 0, 'ième '.length);
    net.settle();
    const spans = new SpanLog(
      new Map([
        [1, CREATOR],
        [10, ALICE],
        [20, BOB],
      ]),
      deletions,
    );

    const diff = diffDocuments(before, version(net.server), spans);

    expect(changesOf(diff.sections[0])).toEqual([
      part('insert', 'Vers 2018, ', ALICE),
      part('delete', 'Deux', ALICE),
      part('delete', 'ième ', BOB),
    ]);
    // One question for the inserted words; the deleted ones: one per deleter.
    expect(spans.asked.filter(([kind]) => kind === 'insertedBy')).toEqual([
      ['insertedBy', 10, expect.any(Number) as number, 'Vers 2018, '.length],
    ]);
    expect(spans.asked.filter(([kind]) => kind === 'deletedBy').map(([, , , length]) => length)).toEqual([
      'Deuxième '.length,
      'ième '.length,
    ]);
  });
});

describe('lists in a compared section', () => {
  const listed: DocJSON = {
    type: 'doc',
    content: [
      section(
        'l',
        'Étapes',
        paragraph(text('Trois temps :')),
        {
          type: 'bulletList',
          content: [
            { type: 'listItem', content: [paragraph(text('préparer')), paragraph(text('avec la famille'))] },
            {
              type: 'listItem',
              content: [
                paragraph(text('réunir')),
                {
                  type: 'orderedList',
                  attrs: { start: 3 },
                  content: [
                    { type: 'listItem', content: [paragraph(text('accueil'))] },
                    { type: 'listItem', content: [paragraph(text('temps privé'))] },
                  ],
                },
              ],
            },
          ],
        },
        paragraph(text('Fin.')),
      ),
    ],
  };
  const level = (ordered: boolean, number: number, first: boolean) => ({ ordered, number, first });

  it('tells, for each side, which lines are in which lists, with each item’s number', () => {
    const { net, alice, log } = coWriting(listed);
    const before = version(net.server);
    type(alice.doc, 'l', ' ensemble', 0);
    net.settle();

    const diff = diffDocuments(before, version(net.server), log);

    const lines = [
      { line: 2, lists: [level(false, 1, true)] },
      { line: 3, lists: [level(false, 1, false)] },
      { line: 4, lists: [level(false, 2, true)] },
      { line: 5, lists: [level(false, 2, false), level(true, 3, true)] },
      { line: 6, lists: [level(false, 2, false), level(true, 4, true)] },
    ];
    expect(diff.sections[0]?.lists).toEqual({ from: lines, to: lines });
    expect(newText(diff.sections[0]?.parts ?? []).split('\n')).toEqual([
      'Étapes',
      'Trois temps : ensemble',
      'préparer',
      'avec la famille',
      'réunir',
      'accueil',
      'temps privé',
      'Fin.',
    ]);
  });

  it('says nothing of lists for a section that has none, so list-free answers stay as they were', () => {
    const { net, alice, log } = coWriting();
    const before = version(net.server);
    type(alice.doc, 'd', ' Un local.');
    net.settle();
    const diff = diffDocuments(before, version(net.server), log);
    expect(diff.sections.map((s) => [s.id, 'lists' in s])).toEqual([
      ['d', false],
      ['a', false],
      ['origine', false],
      ['c', true],
    ]);
  });
});

describe('changes next to atoms and at the ends of changed paragraphs', () => {
  it('keeps a footnote, an image and a line break equal when words change right next to them', () => {
    const content: DocJSON = {
      type: 'doc',
      content: [
        section(
          'f',
          'Résultats',
          paragraph(text('Voir'), { type: 'footnote', attrs: { text: 'source' } }, text('ici.')),
          { type: 'image', attrs: { src: '/api/files/abc', alt: 'Schéma' } },
          paragraph(text('Un'), { type: 'hardBreak' }, text('deux')),
        ),
      ],
    };
    const { net, alice, bob, log } = coWriting(content);
    const before = version(net.server);
    const p = sectionById(alice.doc, 'f').get(1) as Y.XmlElement;
    (p.get(0) as Y.XmlText).insert('Voir'.length, ' aussi');
    (p.get(2) as Y.XmlText).insert(0, 'là et ');
    const broken = sectionById(bob.doc, 'f').get(3) as Y.XmlElement;
    (broken.get(0) as Y.XmlText).insert('Un'.length, ' puis');
    (broken.get(2) as Y.XmlText).insert(0, 'et ');
    net.settle();

    const diff = diffDocuments(before, version(net.server), log);

    expect(diff.sections[0]?.parts).toEqual([
      part('equal', 'Résultats\nVoir'),
      part('insert', ' aussi', ALICE),
      part('equal', ' [note : source]'),
      part('insert', 'là et ', ALICE),
      part('equal', 'ici.\n[image : Schéma]\nUn'),
      part('insert', ' puis', BOB),
      part('equal', '\n'),
      part('insert', 'et ', BOB),
      part('equal', 'deux'),
    ]);
  });

  it('aligns a word typed at the very start or end of a paragraph next to its unchanged words', () => {
    const { net, alice, bob, log } = coWriting();
    const before = version(net.server);
    insertAt(alice, 'origine', 1, 0, 'Un ');
    type(bob.doc, 'origine', ' bis', 1);
    deleteAt(bob, 'origine', 0, 0, 'Né '.length);
    net.settle();

    const diff = diffDocuments(before, version(net.server), log);

    expect(diff.sections[0]?.parts).toEqual([
      part('equal', 'Origine\n'),
      part('delete', 'Né ', BOB),
      part('equal', 'en 2019\n'),
      part('insert', 'Un ', ALICE),
      part('equal', 'Deuxième paragraphe'),
      part('insert', ' bis', BOB),
    ]);
  });
});

describe('comparing a 100-page fiche', () => {
  const WORDS = [
    'accompagnement',
    'famille',
    'territoire',
    'réseau',
    'professionnels',
    'pratique',
    'écoute',
    'projet',
  ];
  const sentence = (s: number, p: number) =>
    Array.from({ length: 60 }, (_, w) => WORDS[(s * 7 + p * 3 + w) % WORDS.length]).join(' ') + '.';

  it('finds exactly the edits of two people in 13 sections of 250,000 characters', () => {
    const sections = Array.from({ length: 13 }, (_, s) =>
      section(
        `s${s}`,
        `Section ${s + 1}`,
        ...Array.from({ length: 34 }, (_, p) => paragraph(text(sentence(s, p)))),
      ),
    );
    const { net, alice, bob, log } = coWriting({ type: 'doc', content: sections });
    const before = version(net.server);
    const size = sections.reduce(
      (n, s) => n + (s.content ?? []).slice(1).reduce((m, p) => m + (p.content?.[0]?.text?.length ?? 0), 0),
      0,
    );
    expect(size).toBeGreaterThan(250_000);

    const fifth = sentence(3, 5);
    const at = fifth.indexOf(' ', 100);
    insertAt(alice, 's3', 5, at, ' solidaire');
    const tenth = sentence(7, 10);
    const word = tenth.indexOf(' ', 200);
    const removed = tenth.slice(word, tenth.indexOf(' ', word + 1));
    deleteAt(bob, 's7', 10, word, removed.length);
    type(alice.doc, 's12', ' Fin.', 33);
    type(bob.doc, 's12', ' Annexe.', 0);
    net.settle();

    const diff = diffDocuments(before, version(net.server), log);

    expect(diff.sections.map((s) => s.id)).toEqual([
      's3',
      's7',
      's12',
      ...Array.from({ length: 13 }, (_, s) => `s${s}`).filter((id) => !['s3', 's7', 's12'].includes(id)),
    ]);
    expect(changesOf(diff.sections[0])).toEqual([part('insert', ' solidaire', ALICE)]);
    expect(changesOf(diff.sections[1])).toEqual([part('delete', removed, BOB)]);
    expect(changesOf(diff.sections[2])).toEqual([
      part('insert', ' Annexe.', BOB),
      part('insert', ' Fin.', ALICE),
    ]);
    const s3 = diff.sections[0]?.parts ?? [];
    const paragraphs = Array.from({ length: 34 }, (_, p) => sentence(3, p));
    expect(oldText(s3)).toBe(['Section 4', ...paragraphs].join('\n'));
    paragraphs[5] = fifth.slice(0, at) + ' solidaire' + fifth.slice(at);
    expect(newText(s3)).toBe(['Section 4', ...paragraphs].join('\n'));
    expect(diff.sections.slice(3).every((s) => s.status === 'unchanged' && s.parts.length === 1)).toBe(true);
  });
});
