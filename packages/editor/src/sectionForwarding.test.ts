import { FRAGMENT } from '@essaim/protocol';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { ydocToJSON } from './convert.js';
import { guardRequiredSections } from './requiredSections.js';
import {
  decodeForwardEntries,
  encodeForwardEntries,
  forwardingsOf,
  moveSection,
  readCopy,
  retireForwardings,
  type ForwardEntry,
  type SectionForwardings,
} from './sectionForwarding.js';
import { forEachCharacter, type ItemId } from './yItems.js';
import { watchSectionIds } from './sectionIds.js';
import {
  Network,
  FROM_SERVER,
  paragraph,
  text,
  document,
  ids,
  sectionById,
  sectionJSON,
  paragraphText,
  type,
  editAsTheEditorDoes,
  positionAfter,
  expectConverged,
} from '../../../tests/support/yNetwork.js';

// ---------------------------------------------------------------------------------------------

describe('a section move performed on the document', () => {
  it('puts a deep copy (same id, key, children, attributes and marks) at the target and removes the original', () => {
    const net = new Network(document());
    const a = net.join();
    const before = sectionJSON(net.server, 'c');
    expect(moveSection(net.server, 'c', null, 'déplacement')).toBe('moved');
    expect(ids(net.server)).toEqual(['c', 'a', 'origine', 'd']);
    expect(sectionJSON(net.server, 'c')).toEqual(before);
    expect(sectionById(net.server, 'c').getAttribute('key')).toBeUndefined();
    expect(moveSection(net.server, 'origine', 'd', 'déplacement')).toBe('moved');
    expect(ids(net.server)).toEqual(['c', 'a', 'd', 'origine']);
    expect(sectionById(net.server, 'origine').getAttribute('key')).toBe('origine');
    net.settle();
    expectConverged(net);
    expect(ids(a.doc)).toEqual(['c', 'a', 'd', 'origine']);
  });

  it('makes one move of two identical requests, and refuses unknown sections and a section after itself', () => {
    const net = new Network(document());
    expect(moveSection(net.server, 'd', 'a', 'A')).toBe('moved');
    expect(moveSection(net.server, 'd', 'a', 'B')).toBe('unchanged');
    expect(moveSection(net.server, 'a', null, 'B')).toBe('unchanged');
    expect(moveSection(net.server, 'x', 'a', 'B')).toBe('unknown-section');
    expect(moveSection(net.server, 'a', 'x', 'B')).toBe('unknown-target');
    expect(moveSection(net.server, 'a', 'a', 'B')).toBe('invalid-request');
    expect(ids(net.server)).toEqual(['a', 'd', 'origine', 'c']);
  });

  it('keeps both requests when neighbours are moved at the same time (A: 4 up, B: 3 down)', () => {
    const net = new Network(document());
    // Both computed from the same view: [a, origine, c, d].
    expect(moveSection(net.server, 'd', 'origine', 'A')).toBe('moved');
    expect(moveSection(net.server, 'c', 'd', 'B')).toBe('unchanged');
    expect(ids(net.server)).toEqual(['a', 'origine', 'd', 'c']);
  });
});

describe('late edits to a moved section', () => {
  it('carries over keystrokes that were in flight when the section moved, in order', () => {
    const net = new Network(document());
    const b = net.join();
    type(b.doc, 'origine', ' puis étendu');
    moveSection(net.server, 'origine', 'd', 'A');
    net.settle();
    expectConverged(net);
    expect(ids(net.server)).toEqual(['a', 'c', 'd', 'origine']);
    expect(paragraphText(net.server, 'origine').toString()).toBe('Né en 2019 puis étendu');
  });

  it('keeps keystrokes that were in flight before what their writer typed once the move reached it', () => {
    const net = new Network(document());
    const b = net.join();
    // A low client id: Yjs puts concurrent inserts of lower ids first, so text re-applied under
    // the server's own (higher) id would land after what B typed next.
    b.doc.clientID = 10;
    type(b.doc, 'origine', ' ');
    moveSection(net.server, 'origine', 'd', 'A');
    // B receives the move before its space comes back re-applied, and goes on typing.
    for (const update of b.inbox.splice(0)) Y.applyUpdate(b.doc, update, FROM_SERVER);
    expect(paragraphText(b.doc, 'origine').toString()).toBe('Né en 2019');
    type(b.doc, 'origine', 'suite');
    net.settle();
    expectConverged(net);
    expect(paragraphText(net.server, 'origine').toString()).toBe('Né en 2019 suite');
  });

  it('carries over everything an offline writer typed, deleted, formatted and split, across two moves', () => {
    const net = new Network(document());
    const a = net.join();
    const b = net.join();
    net.offline(b);
    type(b.doc, 'origine', ' dans le Nord');
    type(b.doc, 'origine', ' grâce', 0, { bold: {} });
    type(b.doc, 'origine', ' aux familles.', 0, {});
    // Deletes « Deuxième » and splits the first paragraph after « 2019 » (Enter).
    const second = paragraphText(b.doc, 'origine', 1);
    second.delete(0, 'Deuxième '.length);
    editAsTheEditorDoes(b.doc, (tr) => tr.split(positionAfter(b.doc, 'Né en 2019')));

    moveSection(net.server, 'origine', null, 'A');
    net.settle();
    moveSection(net.server, 'origine', 'd', 'A');
    net.settle();
    type(a.doc, 'origine', ' (A)', 1);
    net.settle();

    net.reconnect(b);
    expectConverged(net);
    expect(ids(net.server)).toEqual(['a', 'c', 'd', 'origine']);
    expect(sectionJSON(net.server, 'origine')?.content?.slice(1)).toEqual([
      paragraph(text('Né en 2019')),
      paragraph(text(' dans le Nord'), text(' grâce', ['bold']), text(' aux familles.')),
      paragraph(text('paragraphe (A)')),
    ]);
  });

  it('does not replay the move’s own deletions when a client that saw the move reconnects', () => {
    const net = new Network(document());
    const a = net.join();
    moveSection(net.server, 'origine', 'd', 'A');
    net.settle();
    net.offline(a);
    type(a.doc, 'd', ' Hors ligne.');
    net.reconnect(a);
    expectConverged(net);
    expect(sectionJSON(net.server, 'origine')?.content?.slice(1)).toEqual([
      paragraph(text('Né en 2019')),
      paragraph(text('Deuxième paragraphe')),
    ]);
  });

  it('still carries over late edits after the server reloads the document from its stored state', () => {
    const net = new Network(document());
    const b = net.join();
    net.offline(b);
    type(b.doc, 'origine', ' tardif');
    moveSection(net.server, 'origine', 'd', 'A');

    // What the server stores, and the forwardings it keeps beside it.
    const stored = Y.encodeStateAsUpdate(net.server);
    const kept = [...net.stored.values()].map(({ record, entries }) => ({
      record,
      entries: encodeForwardEntries(entries),
    }));

    // A fresh server: forwardings first (they decide what the garbage collector keeps), then the state.
    const reloaded = new Y.Doc();
    for (const { record, entries } of kept)
      forwardingsOf(reloaded).add(record, decodeForwardEntries(entries), { notify: false });
    Y.applyUpdate(reloaded, stored);
    const net2 = new Network({ type: 'doc' }, reloaded);
    net2.clients.push(b);
    net2.reconnect(b);
    expect(paragraphText(reloaded, 'origine').toString()).toBe('Né en 2019 tardif');
    expect(ydocToJSON(b.doc)).toEqual(ydocToJSON(reloaded));
  });
});

/**
 * What `readCopy` finds of the re-writes of `forwarders` in `copy`, found the slow way: each
 * character followed back one forwarding at a time (`sourceOf`), 32 steps at most.
 */
function rewritesOneByOne(
  forwardings: SectionForwardings,
  copy: Y.XmlElement,
  forwarders: number[],
): Map<number, number[]> {
  const out = new Map<number, number[]>();
  for (const forwarder of forwarders) if (copy.doc?.store.clients.has(forwarder)) out.set(forwarder, []);
  forEachCharacter(copy, (n) => {
    for (let i = 0; i < n.length; i++) {
      const met = new Set<number>();
      let at: ItemId | null = { client: n.id.client, clock: n.id.clock + i };
      for (let hops = 0; at && hops < 32; hops++) {
        if (out.has(at.client)) met.add(at.client);
        at = forwardings.sourceOf(at);
      }
      for (const forwarder of met) {
        const runs = out.get(forwarder) as number[];
        const k = runs.length - 3;
        if (
          k >= 0 &&
          runs[k] === n.id.client &&
          (runs[k + 1] as number) + (runs[k + 2] as number) === n.id.clock + i
        )
          runs[k + 2] = (runs[k + 2] as number) + 1;
        else runs.push(n.id.client, n.id.clock + i, 1);
      }
    }
  });
  return out;
}

describe('the record of a move reading its copy', () => {
  it('gives each item of a stretch what looking it up alone gives, around gaps and at segment ends', () => {
    const forwardings = forwardingsOf(new Y.Doc());
    const record = {
      id: 'f-1-0',
      oldRoot: { client: 1, clock: 0 },
      newRoot: { client: 9, clock: 0 },
      createdAt: 0,
    };
    const map = (client: number, clock: number, length: number, toClock: number): ForwardEntry => ({
      kind: 'map',
      client,
      clock,
      length,
      toClient: 9,
      toClock,
    });
    // Copies at 10–14 (of 1:0–4), 15–17 (of 2:0–2) and 20–23 (of 3:5–8); none at 0–9, 18–19, 24–.
    forwardings.add(record, [map(1, 0, 5, 10), map(2, 0, 3, 15), map(3, 5, 4, 20)], { notify: false });
    for (let start = 0; start < 30; start++)
      for (const length of [1, 3, 8, 30]) {
        for (let done = 0; done < length;) {
          const run = forwardings.sourceRunOf({ client: 9, clock: start + done }, length - done);
          expect(run.length).toBeGreaterThanOrEqual(1);
          expect(done + run.length).toBeLessThanOrEqual(length);
          for (let k = 0; k < run.length; k++)
            expect(forwardings.sourceOf({ client: 9, clock: start + done + k })).toEqual(
              run.source ? { client: run.source.client, clock: run.source.clock + k } : null,
            );
          done += run.length;
        }
      }
  });

  it('finds, a stretch at a time, the re-writes that following each character back finds', () => {
    const net = new Network(document());
    const a = net.join(100);
    const b = net.join(300);
    type(a.doc, 'origine', ' début');
    net.settle();
    // Three moves, each while both writers' keystrokes are on their way (the server writes them
    // again in the copy), with keystrokes received between them.
    for (const [round, after] of (['d', null, 'c'] as const).entries()) {
      type(a.doc, 'origine', ` a${round}`);
      type(b.doc, 'origine', ` b${round}`);
      net.send(b, 2);
      moveSection(net.server, 'origine', after, 'déplacement');
      net.settle();
      type(b.doc, 'origine', ` reçu${round}`);
      net.settle();
    }
    const forwardings = forwardingsOf(net.server);
    const copy = sectionById(net.server, 'origine');
    const clients = [...net.server.store.clients.keys()];
    const expected = rewritesOneByOne(forwardings, copy, clients);
    // The case is one where there is something to find: both writers' re-writes, copied again.
    expect([...expected.values()].filter((runs) => runs.length > 0).length).toBeGreaterThanOrEqual(2);
    expect(readCopy(forwardings, copy, clients).rewrites).toEqual(expected);
  });
});

describe('sections moved again and again', () => {
  it('keep the old copies of their most recent moves only, which still carry late edits over', () => {
    const net = new Network(document());
    const b = net.join();
    const size = () => Y.encodeStateAsUpdate(net.server).byteLength;
    for (let round = 0; round < 4; round++) {
      expect(moveSection(net.server, 'origine', 'd', 'A')).toBe('moved');
      expect(moveSection(net.server, 'origine', null, 'A')).toBe('moved');
    }
    net.settle();
    // B goes offline with a recent view, and writes in two sections that move meanwhile.
    net.offline(b);
    type(b.doc, 'origine', ' tardif');
    type(b.doc, 'a', ' en retard');
    moveSection(net.server, 'a', 'd', 'A');
    moveSection(net.server, 'origine', 'd', 'A');
    moveSection(net.server, 'origine', null, 'A');
    expect(forwardingsOf(net.server).size).toBe(11);
    const withElevenCopies = size();

    // Only the three most recent moves keep their old copies; the others are collected at once.
    expect(retireForwardings(net.server, 3)).toHaveLength(8);
    expect(forwardingsOf(net.server).size).toBe(3);
    // Eight copies of « Origine » gone, out of eleven (« Identification » is one of the three kept).
    expect(size()).toBeLessThan(withElevenCopies * 0.6);
    expect(retireForwardings(net.server, 3)).toEqual([]);

    net.reconnect(b);
    expectConverged(net);
    expect(paragraphText(net.server, 'origine').toString()).toBe('Né en 2019 tardif');
    expect(paragraphText(net.server, 'a').toString()).toBe('Fiche de la <bold>Gironde</bold>. en retard');
  });
});

describe('forwarding entries as stored', () => {
  it('read back exactly what was written, and refuse anything else', () => {
    const entries: ForwardEntry[] = [
      { kind: 'map', client: 4_294_967_295, clock: 12, length: 3, toClient: 7, toClock: 0 },
      { kind: 'follow', client: 7, clock: 0, length: 2, toClient: 9, toClock: 4 },
      { kind: 'format', client: 1, clock: 2 },
      { kind: 'unformat', client: 1, clock: 2 },
    ];
    expect(decodeForwardEntries(encodeForwardEntries(entries))).toEqual(entries);
    expect(() => decodeForwardEntries('[[0,1,2]]')).toThrow();
    expect(() => decodeForwardEntries('[[1,-1,2]]')).toThrow();
    expect(() => decodeForwardEntries('{}')).toThrow();
  });
});

describe('a required section deleted anyway', () => {
  it('comes back with its content, and keystrokes still arriving for it land in it', () => {
    const net = new Network(document());
    guardRequiredSections(net.server, [{ key: 'origine', title: 'Origine' }], (tr) =>
      net.clients.some((c) => c === tr.origin),
    );
    const raw = net.join();
    const b = net.join();
    type(b.doc, 'origine', ' et après');
    raw.doc.getXmlFragment(FRAGMENT).delete(1, 1);
    net.send(raw);
    net.send(b);
    net.settle();
    expectConverged(net);
    expect(ids(net.server)).toEqual(['a', 'origine', 'c', 'd']);
    expect(sectionJSON(net.server, 'origine')?.content?.slice(1)).toEqual([
      paragraph(text('Né en 2019 et après')),
      paragraph(text('Deuxième paragraphe')),
    ]);
    // And later keystrokes of someone still offline with the old section too.
    net.offline(b);
    type(b.doc, 'origine', ' encore');
    raw.doc.getXmlFragment(FRAGMENT).delete(1, 1);
    net.settle();
    net.reconnect(b);
    expectConverged(net);
    expect(paragraphText(net.server, 'origine').toString()).toBe('Né en 2019 et après encore');
  });
});

describe('section ids when a section is pasted above its original', () => {
  it('give the new id to the copy, and the original keeps its id after the copy is undone', () => {
    const net = new Network(document());
    watchSectionIds(net.server);
    const a = net.join();
    const undo = new Y.UndoManager(a.doc.getXmlFragment(FRAGMENT), { captureTimeout: 0 });
    const copy = sectionById(a.doc, 'd').clone();
    a.doc.getXmlFragment(FRAGMENT).insert(0, [copy]);
    net.settle();
    const [first, ...rest] = ids(net.server);
    expect(first).not.toBe('d');
    expect(rest).toEqual(['a', 'origine', 'c', 'd']);
    expect(paragraphText(net.server, 'd').toString()).toBe('Des moyens.');
    undo.undo();
    net.settle();
    expect(ids(net.server)).toEqual(['a', 'origine', 'c', 'd']);
    expectConverged(net);
  });
});
