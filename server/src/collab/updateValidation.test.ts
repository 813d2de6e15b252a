import { describe, expect, it } from 'vitest';
import { moveSection, templateContent, writeJSONToYdoc } from '@essaim/editor';
import { templates } from '@essaim/domain';
import { FRAGMENT, META_MAP, SECTION_MOVES_MAP, UpdateRefusal } from '@essaim/protocol';
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';
import {
  MAX_NESTING_DEPTH,
  MAX_UPDATE_CLIENTS,
  MAX_UPDATE_STRUCTS,
  missingClients,
  scanUpdate,
  validateUpdate,
} from './updateValidation.js';

/** A server document holding a fiche's template, and a writer's replica of it. */
function setup(): { server: Y.Doc; writer: Y.Doc } {
  const server = new Y.Doc();
  let n = 0;
  writeJSONToYdoc(
    server,
    templateContent(templates.fiche, () => `s-${++n}`),
  );
  server.getMap(META_MAP).set('title', 'Conférences familiales');
  const writer = new Y.Doc();
  Y.applyUpdate(writer, Y.encodeStateAsUpdate(server));
  return { server, writer };
}

/** The update a change made on `doc` produces. */
function updateOf(doc: Y.Doc, change: (doc: Y.Doc) => void): Uint8Array {
  const updates: Uint8Array[] = [];
  const collect = (u: Uint8Array) => updates.push(u);
  doc.on('update', collect);
  doc.transact(() => change(doc));
  doc.off('update', collect);
  return Y.mergeUpdates(updates);
}

/** The first empty paragraph of the first section, where a rapporteur starts writing. */
function firstParagraph(doc: Y.Doc): Y.XmlElement {
  const section = doc.getXmlFragment(FRAGMENT).get(0) as Y.XmlElement;
  return section
    .toArray()
    .find((c) => c instanceof Y.XmlElement && c.nodeName === 'paragraph') as Y.XmlElement;
}

function expectRefused(server: Y.Doc, update: Uint8Array, refusal: string): void {
  const verdict = validateUpdate(server, update);
  expect(verdict.ok).toBe(false);
  if (!verdict.ok) expect(verdict.refusal).toBe(refusal);
}

describe('validateUpdate', () => {
  it('accepts what the editor writes: text, marks, links, new paragraphs, tables, images, metadata', () => {
    const { server, writer } = setup();
    const updates = [
      updateOf(writer, (d) => {
        const text = new Y.XmlText();
        firstParagraph(d).insert(0, [text]);
        text.insert(0, 'La famille ');
        text.insert(11, 'élargie', { bold: {} });
        text.insert(18, ' décide', { link: { href: 'https://www.hcts.fr', target: '_blank', rel: null } });
      }),
      updateOf(writer, (d) => {
        const section = d.getXmlFragment(FRAGMENT).get(0) as Y.XmlElement;
        const table = new Y.XmlElement('table');
        const row = new Y.XmlElement('tableRow');
        const cell = new Y.XmlElement('tableCell');
        cell.setAttribute('colspan', 2 as unknown as string);
        cell.insert(0, [new Y.XmlElement('paragraph')]);
        row.insert(0, [cell]);
        table.insert(0, [row]);
        const image = new Y.XmlElement('image');
        image.setAttribute('src', `/api/files/${'a'.repeat(64)}`);
        image.setAttribute('alt', 'Schéma');
        section.insert(2, [table, image]);
      }),
      updateOf(writer, (d) => {
        d.getMap(META_MAP).set('themes', ['aller-vers']);
        d.getMap(META_MAP).set('anneeDemarrage', 2021);
      }),
    ];
    for (const update of updates) {
      expect(validateUpdate(server, update)).toMatchObject({ ok: true });
      Y.applyUpdate(server, update);
    }
  });

  it('accepts a long run of typed characters, each chained to the previous one', () => {
    const { server, writer } = setup();
    const text = new Y.XmlText();
    Y.applyUpdate(
      server,
      updateOf(writer, () => firstParagraph(writer).insert(0, [text])),
    );
    const updates: Uint8Array[] = [];
    writer.on('update', (u: Uint8Array) => updates.push(u));
    for (let i = 0; i < 5_000; i++) text.insert(i, 'x');
    expect(validateUpdate(server, Y.mergeUpdates(updates))).toMatchObject({ ok: true });
  });

  it('refuses a zero-length struct, which would make every later encoding unloadable', () => {
    const { server } = setup();
    expectRefused(server, Uint8Array.from(Buffer.from('0101922100000000', 'hex')), UpdateRefusal.Malformed);
    // The same struct at the writer's own next clock.
    const client = server.clientID;
    const clock = Y.getState(server.store, client);
    const own = new Uint8Array([1, 1, ...varUint(client), ...varUint(clock), 0, 0, 0]);
    expectRefused(server, own, UpdateRefusal.Malformed);
  });

  it('refuses bytes that are not an update', () => {
    const { server } = setup();
    expectRefused(server, new Uint8Array([0xff, 0xff, 0xff]), UpdateRefusal.Malformed);
  });

  it('refuses other root types than the text fragment and the metadata map', () => {
    const { server, writer } = setup();
    expectRefused(
      server,
      updateOf(writer, (d) => d.getMap('x').set('a', 1)),
      UpdateRefusal.Invalid,
    );
    expectRefused(
      server,
      updateOf(writer, (d) => d.getText('y').insert(0, 'z')),
      UpdateRefusal.Invalid,
    );
  });

  it('refuses a client writing or deleting the section move records, which only the server writes', () => {
    const { server, writer } = setup();
    expect(moveSection(server, 's-1', 's-2', 'move')).toBe('moved');
    Y.applyUpdate(writer, Y.encodeStateAsUpdate(server, Y.encodeStateVector(writer)));
    expect(writer.getMap(SECTION_MOVES_MAP).has('s-1')).toBe(true);
    const forged = new Uint8Array(Y.encodeStateVector(new Map([[writer.clientID, 1_000_000]])));
    for (const change of [
      // A new value for the moved section: Yjs encodes it after the old one, without the map's name.
      (d: Y.Doc) => d.getMap(SECTION_MOVES_MAP).set('s-1', forged),
      (d: Y.Doc) => d.getMap(SECTION_MOVES_MAP).set('s-2', forged),
      (d: Y.Doc) => d.getMap(SECTION_MOVES_MAP).delete('s-1'),
    ])
      expectRefused(server, updateOf(writer, change), UpdateRefusal.Invalid);
  });

  it('refuses unknown metadata fields and huge metadata values', () => {
    const { server, writer } = setup();
    expectRefused(
      server,
      updateOf(writer, (d) => d.getMap(META_MAP).set('bonus', 'x')),
      UpdateRefusal.Invalid,
    );
    const huge = 'x'.repeat(1024 * 1024);
    expectRefused(
      server,
      updateOf(writer, (d) => d.getMap(META_MAP).set('title', huge)),
      UpdateRefusal.Invalid,
    );
    expectRefused(
      server,
      updateOf(writer, (d) => d.getMap(META_MAP).set('title', new Y.Map())),
      UpdateRefusal.Invalid,
    );
  });

  it('refuses a metadata value of another type than its field’s, so the catalogue never reads it otherwise', () => {
    const { server, writer } = setup();
    const wrong: [string, unknown][] = [
      ['title', 42],
      ['title', ['Conférences familiales']],
      ['title', { text: 'Conférences familiales' }],
      ['title', null],
      ['title', true],
      ['themes', 'aller-vers'],
      ['themes', ['aller-vers', 3]],
      ['themes', { 0: 'aller-vers' }],
      ['categorie', 7],
      ['territoire', ['dep:07']],
      ['structure', null],
      ['anneeDemarrage', '2021'],
      ['anneeDemarrage', 2021.5],
      ['anneeDemarrage', [2021]],
      ['motsCles', [['famille']]],
      ['contact', { mail: 'a@b.fr' }],
    ];
    for (const [key, value] of wrong) {
      const verdict = validateUpdate(
        server,
        updateOf(writer, (d) => d.getMap(META_MAP).set(key, value)),
      );
      expect({ key, value, verdict }).toMatchObject({
        key,
        value,
        verdict: { ok: false, refusal: UpdateRefusal.Invalid },
      });
    }
  });

  it('accepts every metadata value of its field’s type, even one the catalogue reads as empty', () => {
    const { server, writer } = setup();
    const right: [string, unknown][] = [
      ['title', ''],
      ['title', 'Aller-vers dans l’Oise'],
      ['themes', []],
      ['themes', ['aller-vers', 'pair-aidance']],
      ['categorie', null],
      ['categorie', 'une catégorie inconnue'],
      ['territoire', 'dep:60'],
      ['structureType', null],
      ['anneeDemarrage', null],
      ['anneeDemarrage', 2021],
      ['anneeDemarrage', 20019],
      ['motsCles', ['famille', 'réseau']],
      ['public', 'Familles'],
    ];
    for (const [key, value] of right) {
      const update = updateOf(writer, (d) => d.getMap(META_MAP).set(key, value));
      expect({ key, verdict: validateUpdate(server, update) }).toMatchObject({ key, verdict: { ok: true } });
      Y.applyUpdate(server, update);
    }
  });

  it(`refuses, from its first bytes, an update of more than ${MAX_UPDATE_STRUCTS} structs`, () => {
    const { server, writer } = setup();
    // A raw client's update: characters typed one before the other, one struct each (the issue's
    // 1.96 MB of 180,000 items, smaller).
    const update = updateOf(writer, (d) => {
      const text = new Y.XmlText();
      firstParagraph(d).insert(0, [text]);
      for (let i = 0; i <= MAX_UPDATE_STRUCTS; i++) text.insert(0, 'x');
    });
    expectRefused(server, update, UpdateRefusal.UpdateTooLarge);
    // The headers say it: the first bytes alone are refused for their count, not as cut short.
    expect(scanUpdate(update.subarray(0, 16))).toMatchObject({
      ok: false,
      refusal: UpdateRefusal.UpdateTooLarge,
      detail: expect.stringContaining('structs') as unknown,
    });
  });

  it(`accepts a paste of ${MAX_UPDATE_STRUCTS} structs: about 16,000 paragraphs at once`, () => {
    const { server, writer } = setup();
    const update = updateOf(writer, (d) => {
      const section = d.getXmlFragment(FRAGMENT).get(0) as Y.XmlElement;
      const paragraphs = Array.from({ length: Math.floor((MAX_UPDATE_STRUCTS - 1) / 3) }, (_, i) => {
        const paragraph = new Y.XmlElement('paragraph');
        const text = new Y.XmlText();
        paragraph.insert(0, [text]);
        text.insert(0, `Paragraphe ${i}`);
        return paragraph;
      });
      section.insert(section.length, paragraphs);
    });
    expect(scanUpdate(update)).toMatchObject({ ok: true });
    expect(validateUpdate(server, update)).toMatchObject({ ok: true });
  });

  it(`refuses an update written under more than ${MAX_UPDATE_CLIENTS} client ids`, () => {
    const { server } = setup();
    const updates = Array.from({ length: MAX_UPDATE_CLIENTS + 1 }, (_, i) => {
      const writer = replicaOf(server, 1_000 + i);
      return updateOf(writer, (d) => d.getMap(META_MAP).set('title', `Titre ${i}`));
    });
    expectRefused(server, Y.mergeUpdates(updates), UpdateRefusal.UpdateTooLarge);
    expect(validateUpdate(server, Y.mergeUpdates(updates.slice(1)))).toMatchObject({ ok: true });
  });

  it('reads the same number of structs and deleted ranges as Yjs, for every kind of content, and refuses what Yjs cannot read', () => {
    const doc = new Y.Doc();
    const updates: Uint8Array[] = [];
    doc.on('update', (u: Uint8Array) => updates.push(u));
    const paragraph = new Y.XmlElement('paragraph');
    paragraph.setAttribute('level', 3 as unknown as string);
    doc.getXmlFragment(FRAGMENT).insert(0, [paragraph]);
    const text = new Y.XmlText();
    paragraph.insert(0, [text]);
    text.insert(0, 'Éléments 🐝 réunis');
    text.format(1, 4, { bold: {} });
    text.insertEmbed(3, { image: 'x' });
    doc.getMap(META_MAP).set('themes', ['a', { x: [1, 2.5, null, true, 'z', new Uint8Array([1])] }]);
    doc.getArray('a').insert(0, [1, 'a', { b: 2 }, new Uint8Array([1, 2]), new Y.Doc()]);
    doc.getMap('m').set('k', new Y.Map());
    doc.getXmlFragment('f').insert(0, [new Y.XmlHook('hook') as unknown as Y.XmlElement]);
    text.delete(0, 3);
    for (let i = 0; i < 50; i++) text.insert(0, 'x');
    text.delete(10, 20);
    const full = Y.encodeStateAsUpdate(doc);
    for (const update of [...updates, full, Y.mergeUpdates(updates)]) {
      const decoded = Y.decodeUpdate(update);
      const ranges = [...decoded.ds.clients.values()].reduce((n, r) => n + r.length, 0);
      expect(scanUpdate(update)).toEqual({ ok: true, structs: decoded.structs.length, deleteRanges: ranges });
    }
    for (let cut = 0; cut < full.length; cut++) {
      const part = full.subarray(0, cut);
      let readable = true;
      try {
        Y.decodeUpdate(part);
      } catch {
        readable = false;
      }
      if (!readable) expect(scanUpdate(part)).toMatchObject({ ok: false, refusal: UpdateRefusal.Malformed });
    }
  });

  it('refuses unknown nodes, unknown attributes and values out of bounds', () => {
    const { server, writer } = setup();
    const inSection = (element: Y.XmlElement) =>
      updateOf(writer, (d) => (d.getXmlFragment(FRAGMENT).get(0) as Y.XmlElement).insert(1, [element]));
    expectRefused(server, inSection(new Y.XmlElement('script')), UpdateRefusal.Invalid);
    const odd = new Y.XmlElement('paragraph');
    odd.setAttribute('onclick', 'alert(1)');
    expectRefused(server, inSection(odd), UpdateRefusal.Invalid);
    const wide = new Y.XmlElement('tableCell');
    wide.setAttribute('colspan', 100_000_000 as unknown as string);
    const table = new Y.XmlElement('table');
    const row = new Y.XmlElement('tableRow');
    row.insert(0, [wide]);
    table.insert(0, [row]);
    expectRefused(server, inSection(table), UpdateRefusal.Invalid);
    const tracker = new Y.XmlElement('image');
    tracker.setAttribute('src', 'https://tracker.example/pixel.png');
    expectRefused(server, inSection(tracker), UpdateRefusal.Invalid);
  });

  it('refuses links to javascript: and unknown marks', () => {
    const { server, writer } = setup();
    const text = new Y.XmlText();
    Y.applyUpdate(
      server,
      updateOf(writer, () => firstParagraph(writer).insert(0, [text])),
    );
    expectRefused(
      server,
      updateOf(writer, () => text.insert(0, 'clic', { link: { href: 'javascript:alert(1)' } })),
      UpdateRefusal.Invalid,
    );
    expectRefused(
      server,
      updateOf(writer, () => text.insert(0, 'x', { blink: {} })),
      UpdateRefusal.Invalid,
    );
    expectRefused(
      server,
      updateOf(writer, () => text.insertEmbed(0, { image: 'x' })),
      UpdateRefusal.Invalid,
    );
  });

  it('refuses nodes where the schema never puts them: a section in a paragraph, text at the top level', () => {
    const { server, writer } = setup();
    expectRefused(
      server,
      updateOf(writer, () => firstParagraph(writer).insert(0, [new Y.XmlElement('section')])),
      UpdateRefusal.Invalid,
    );
    expectRefused(
      server,
      updateOf(writer, (d) => d.getXmlFragment(FRAGMENT).insert(0, [new Y.XmlText('libre')])),
      UpdateRefusal.Invalid,
    );
  });

  it(`refuses nesting deeper than ${MAX_NESTING_DEPTH} levels, in one update or built over several`, () => {
    const { server, writer } = setup();
    // 2,000 blockquotes in one update (42 kB), each inserted into the live previous one.
    const deep = updateOf(writer, (d) => {
      let current = d.getXmlFragment(FRAGMENT).get(0) as Y.XmlElement;
      for (let i = 0; i < 2_000; i++) {
        const inner = new Y.XmlElement('blockquote');
        current.insert(current === d.getXmlFragment(FRAGMENT).get(0) ? 1 : 0, [inner]);
        current = inner;
      }
    });
    expectRefused(server, deep, UpdateRefusal.Invalid);

    const { server: s2, writer: w2 } = setup();
    let parent = w2.getXmlFragment(FRAGMENT).get(0) as Y.XmlElement;
    let refused = false;
    for (let i = 0; i < MAX_NESTING_DEPTH + 2 && !refused; i++) {
      const inner = new Y.XmlElement('blockquote');
      const into = parent;
      const update = updateOf(w2, () => into.insert(into.length === 0 ? 0 : 1, [inner]));
      const verdict = validateUpdate(s2, update);
      if (verdict.ok) Y.applyUpdate(s2, update);
      else refused = true;
      parent = inner;
    }
    expect(refused).toBe(true);
  });

  it('refuses an update whose earlier part the server never received', () => {
    const { server, writer } = setup();
    const text = new Y.XmlText();
    updateOf(writer, () => firstParagraph(writer).insert(0, [text]));
    expectRefused(
      server,
      updateOf(writer, () => text.insert(0, 'suite')),
      UpdateRefusal.Invalid,
    );
  });

  it('refuses an item whose right neighbour the server does not have, even when its left one is known', () => {
    const { server, writer } = setup();
    const text = new Y.XmlText();
    Y.applyUpdate(
      server,
      updateOf(writer, () => firstParagraph(writer).insert(0, [text])),
    );
    Y.applyUpdate(
      server,
      updateOf(writer, () => text.insert(0, 'ab')),
    );
    updateOf(writer, () => text.insert(2, 'Z')); // never sent
    const between = updateOf(writer, () => text.insert(2, 'q')); // after "b" (known), before "Z" (not)
    expectRefused(server, between, UpdateRefusal.Invalid);
  });

  it('refuses client ids beyond the 32 bits Yjs gives them', () => {
    const { server, writer } = setup();
    const forged = new Y.Doc();
    forged.clientID = 2 ** 35;
    Y.applyUpdate(forged, Y.encodeStateAsUpdate(writer));
    const update = updateOf(forged, (d) => d.getMap(META_MAP).set('structure', 'x'));
    expectRefused(server, update, UpdateRefusal.Malformed);
  });

  it('refuses deleting a section title without the section', () => {
    const { server, writer } = setup();
    const section = () => writer.getXmlFragment(FRAGMENT).get(0) as Y.XmlElement;
    expectRefused(
      server,
      updateOf(writer, () => section().delete(0, 1)),
      UpdateRefusal.Invalid,
    );
  });

  it('accepts replacing all of a section’s blocks in one change, and deleting a whole section', () => {
    const { server, writer } = setup();
    const section = writer.getXmlFragment(FRAGMENT).get(0) as Y.XmlElement;
    const replaced = updateOf(writer, () => {
      section.delete(1, section.length - 1);
      section.insert(1, [new Y.XmlElement('paragraph')]);
    });
    expect(validateUpdate(server, replaced)).toMatchObject({ ok: true });
    Y.applyUpdate(server, replaced);
    const removed = updateOf(writer, (d) => d.getXmlFragment(FRAGMENT).delete(0, 1));
    expect(validateUpdate(server, removed)).toMatchObject({ ok: true });
  });

  it('refuses a struct that overlaps known content and would continue it in another place', () => {
    const { server, writer } = setup();
    // The writer's last known item: an empty paragraph at the end of the first section.
    Y.applyUpdate(
      server,
      updateOf(writer, () => {
        const first = writer.getXmlFragment(FRAGMENT).get(0) as Y.XmlElement;
        first.insert(first.length, [new Y.XmlElement('paragraph')]);
      }),
    );
    // A paragraph text elsewhere, which the forged item names as its parent.
    const target = new Y.XmlText();
    const second = server.getXmlFragment(FRAGMENT).get(1) as Y.XmlElement;
    const paragraph = second.toArray().find((c) => c instanceof Y.XmlElement && c.nodeName === 'paragraph');
    (paragraph as Y.XmlElement).insert(0, [target]);
    const parent = (target._item as Y.Item).id;
    // One ContentString item (info 4, parent given by id) starting at the paragraph's clock:
    // Yjs would trim the overlap and link "BCDEFG" after the paragraph, inside the section.
    const clock = Y.getState(server.store, writer.clientID) - 1;
    const forged = Uint8Array.from([
      1,
      1,
      ...varUint(writer.clientID),
      ...varUint(clock),
      4,
      0,
      ...varUint(parent.client),
      ...varUint(parent.clock),
      7,
      ...Buffer.from('ABCDEFG'),
      0,
    ]);
    expectRefused(server, forged, UpdateRefusal.Invalid);
  });

  it('places items after what the document already has under an id, not after the update’s own copy of it', () => {
    const { server, writer } = setup();
    const text = new Y.XmlText();
    Y.applyUpdate(
      server,
      updateOf(writer, () => firstParagraph(writer).insert(0, [text])),
    );
    Y.applyUpdate(
      server,
      updateOf(writer, () => text.insert(0, 'abc')),
    );
    // Two replicas of one forged client id: the first puts "Q" in the text (accepted)…
    const first = replicaOf(server, 4242);
    Y.applyUpdate(
      server,
      updateOf(first, () => (firstParagraph(first).get(0) as Y.XmlText).insert(0, 'Q')),
    );
    // …the second, unaware, writes two paragraphs under the same ids: the second paragraph's left
    // neighbour is now "Q", so Yjs would put a paragraph inside the text.
    const second = replicaOf(writer, 4242);
    const forged = updateOf(second, (d) => {
      const section = d.getXmlFragment(FRAGMENT).get(0) as Y.XmlElement;
      section.insert(section.length, [new Y.XmlElement('paragraph'), new Y.XmlElement('paragraph')]);
    });
    expectRefused(server, forged, UpdateRefusal.Invalid);
  });

  it('refuses a second title in a section, and changing the key of an existing section', () => {
    const { server, writer } = setup();
    const section = () => writer.getXmlFragment(FRAGMENT).get(0) as Y.XmlElement;
    expectRefused(
      server,
      updateOf(writer, () => section().insert(0, [new Y.XmlElement('sectionTitle')])),
      UpdateRefusal.Invalid,
    );
    expectRefused(
      server,
      updateOf(writer, () => section().setAttribute('key', 'autre')),
      UpdateRefusal.Invalid,
    );
    // A new section comes with its key and one title.
    const { server: s2, writer: w2 } = setup();
    const added = updateOf(w2, (d) => {
      const fresh = new Y.XmlElement('section');
      fresh.setAttribute('id', 'nouvelle');
      fresh.setAttribute('key', 'public');
      d.getXmlFragment(FRAGMENT).insert(1, [fresh]);
      fresh.insert(0, [new Y.XmlElement('sectionTitle'), new Y.XmlElement('paragraph')]);
    });
    expect(validateUpdate(s2, added)).toMatchObject({ ok: true });
  });

  it('ignores structs the document already has, and deletions of anything it has', () => {
    const { server, writer } = setup();
    expect(validateUpdate(server, Y.encodeStateAsUpdate(writer))).toMatchObject({ ok: true });
    const deletion = updateOf(writer, (d) => d.getXmlFragment(FRAGMENT).delete(1, 1));
    expect(validateUpdate(server, deletion)).toMatchObject({ ok: true });
  });

  it('never changes the document it checks', () => {
    const { server, writer } = setup();
    const before = Y.encodeStateAsUpdate(server);
    validateUpdate(
      server,
      updateOf(writer, (d) => d.getMap('x').set('a', 1)),
    );
    validateUpdate(
      server,
      updateOf(writer, (d) => d.getMap(META_MAP).set('title', 'Autre')),
    );
    expect(Y.encodeStateAsUpdate(server)).toEqual(before);
  });
});

/** A replica of `doc` writing under `clientID`. */
function replicaOf(doc: Y.Doc, clientID: number): Y.Doc {
  const copy = new Y.Doc();
  copy.clientID = clientID;
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
  return copy;
}

const varUint = (n: number): number[] => [...encoding.encode((e) => encoding.writeVarUint(e, n))];

describe('what an update needs that the server lacks (issue 17)', () => {
  it('names the writer whose earlier update was lost, and nobody when nothing is missing', () => {
    const { server, writer } = setup();
    const text = new Y.XmlText();
    const first = updateOf(writer, () => firstParagraph(writer).insert(0, [text]));
    expect([...(missingClients(server, first) ?? [])]).toEqual([]);
    Y.applyUpdate(server, first);
    // Never received: the next update starts past what the server has of this client.
    updateOf(writer, () => text.insert(0, 'perdu '));
    const next = updateOf(writer, () => text.insert(text.length, 'après'));
    expect(validateUpdate(server, next).ok).toBe(false);
    expect([...(missingClients(server, next) ?? [])]).toEqual([writer.clientID]);
  });

  it('names the client of a neighbour, or of deleted content, the server does not have', () => {
    const { server, writer } = setup();
    const text = new Y.XmlText();
    Y.applyUpdate(
      server,
      updateOf(writer, () => firstParagraph(writer).insert(0, [text])),
    );
    const other = replicaOf(writer, writer.clientID + 1);
    const otherText = firstParagraph(other).get(0) as Y.XmlText;
    // The other writer's words never reach the server; the writer receives them, writes after
    // them, then deletes them.
    Y.applyUpdate(
      writer,
      updateOf(other, () => otherText.insert(0, 'ailleurs')),
    );
    const after = updateOf(writer, () => text.insert(text.length, ' ici'));
    expect([...(missingClients(server, after) ?? [])]).toEqual([other.clientID]);
    const deletion = updateOf(writer, () => text.delete(0, 3));
    expect(missingClients(server, deletion)?.has(other.clientID)).toBe(true);
  });

  it('reads nothing from bytes that are no update', () => {
    const { server } = setup();
    expect(missingClients(server, new Uint8Array([200, 1, 2]))).toBeNull();
  });
});
