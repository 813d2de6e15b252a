import { FRAGMENT, META_MAP } from '@essaim/protocol';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { createDocument, invite, setupInstance, type Session } from '../support/accounts.js';
import {
  firstParagraphText,
  replicaOf,
  storedDoc,
  typeInFirstParagraph,
  updateOf,
} from '../support/documents.js';
import { connectAs, isSettled, type NodeClient } from '../support/provider.js';
import { Msg, RawClient } from '../support/rawClient.js';
import { seededRandom } from '../support/random.js';
import { startTestServer, tempDataDir, type TestServer } from '../support/server.js';

/**
 * A seeded, bounded fuzz of hostile updates (issue 9): a writer's client sends mutations of valid
 * updates (bit flips, cuts, repeated and overwritten bytes, which change struct kinds, lengths,
 * client ids and clocks) and hostile ones built on purpose (nesting, attributes, foreign types),
 * while a second writer types. The server must never stop, never store a state that does not load,
 * and never lose the second writer's text. `FUZZ_SEED` replays a run; `FUZZ_ROUNDS` lengthens it.
 */

const SEED = Number(process.env.FUZZ_SEED ?? 20261129);
const ROUNDS = Number(process.env.FUZZ_ROUNDS ?? 150);

const random = seededRandom(SEED);
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
const int = (max: number): number => Math.floor(random() * max);

/** A section other than the first, where the honest writer types (her text must stay intact). */
const otherSection = (d: Y.Doc): Y.XmlElement => d.getXmlFragment(FRAGMENT).get(1 + int(3)) as Y.XmlElement;

/** A valid change a writer could make, on the hostile writer's replica, away from the honest writer's paragraph. */
const validChanges: ((doc: Y.Doc) => void)[] = [
  (d) => {
    const p = otherSection(d)
      .toArray()
      .find((c) => c instanceof Y.XmlElement && c.nodeName === 'paragraph');
    if (!(p instanceof Y.XmlElement)) return;
    const text = p.get(0);
    if (text instanceof Y.XmlText)
      text.insert(int(text.length + 1), 'abc', random() < 0.5 ? { bold: {} } : {});
    else p.insert(0, [new Y.XmlText('abc')]);
  },
  (d) => {
    const section = otherSection(d);
    const paragraph = new Y.XmlElement('paragraph');
    section.insert(1 + int(section.length), [paragraph]);
    paragraph.insert(0, [new Y.XmlText('nouveau paragraphe')]);
  },
  (d) => {
    const section = otherSection(d);
    const table = new Y.XmlElement('table');
    section.insert(section.length, [table]);
    const row = new Y.XmlElement('tableRow');
    table.insert(0, [row]);
    const cell = new Y.XmlElement('tableCell');
    row.insert(0, [cell]);
    cell.setAttribute('colspan', (1 + int(3)) as unknown as string);
    cell.insert(0, [new Y.XmlElement('paragraph')]);
  },
  (d) => d.getMap(META_MAP).set('structure', `Structure ${int(1000)}`),
  (d) => {
    const section = otherSection(d);
    if (section.length > 2) section.delete(section.length - 1, 1);
  },
];

/** Hostile on purpose, whatever the mutation does. */
const hostileChanges: ((doc: Y.Doc) => void)[] = [
  (d) => d.getMap('autre').set('x', 'y'),
  (d) => {
    let current = otherSection(d);
    for (let i = 0; i < 40; i++) {
      const inner = new Y.XmlElement('blockquote');
      current.insert(i === 0 ? 1 : 0, [inner]);
      current = inner;
    }
  },
  (d) => otherSection(d).setAttribute('onload', 'x'),
  (d) => d.getMap(META_MAP).set('title', 'x'.repeat(20_000)),
  (d) => otherSection(d).insert(1, [new Y.XmlElement('section')]),
];

/** A byte-level mutation of an update. */
function mutate(update: Uint8Array): Uint8Array {
  const bytes = Uint8Array.from(update);
  switch (int(5)) {
    case 0: {
      for (let i = 0, n = 1 + int(3); i < n; i++) {
        const at = int(bytes.length);
        bytes[at] = (bytes[at] ?? 0) ^ (1 << int(8));
      }
      return bytes;
    }
    case 1:
      return bytes.slice(0, int(bytes.length));
    case 2: {
      const at = int(bytes.length);
      bytes[at] = pick([0, 1, 0x7f, 0x80, 0xff]);
      return bytes;
    }
    case 3: {
      const from = int(bytes.length);
      const copy = bytes.slice(from, from + 1 + int(8));
      const at = int(bytes.length);
      return Uint8Array.from([...bytes.slice(0, at), ...copy, ...bytes.slice(at)]);
    }
    default:
      return bytes;
  }
}

const dataDir = tempDataDir('essaim-fuzz');
let server: TestServer;
let honest: NodeClient;
let attacker: Session;
let document: { id: string; name: string };

beforeAll(async () => {
  server = await startTestServer({ dataDir });
  const { admin, espaceId } = await setupInstance(server.url);
  const karima = await invite(admin, espaceId, 'rapporteur', 'Karima Haddad');
  attacker = await invite(admin, espaceId, 'rapporteur', 'Victor Malin');
  document = await createDocument(admin, espaceId, 'Pair-aidance en Ille-et-Vilaine');
  for (const person of [karima, attacker])
    await admin.fetch(`/api/documents/${document.id}/assignments`, {
      method: 'POST',
      json: { userId: person.userId },
    });
  honest = connectAs(karima, server.wsUrl, document.name);
  await vi.waitFor(() => expect(isSettled(honest)).toBe(true), { timeout: 10_000 });
});

afterAll(async () => {
  honest.destroy();
  await server.stop();
});

describe(`hostile update fuzz (seed ${SEED}, ${ROUNDS} rounds)`, () => {
  it('never stops the server, never stores an unloadable state, never loses the honest writer’s text', async () => {
    let raw: RawClient | null = null;
    let written = '';
    const outcomes = { accepted: 0, refused: 0 };
    for (let round = 0; round < ROUNDS; round++) {
      if (!raw) {
        raw = await RawClient.open(server.wsUrl);
        raw.authenticate(document.name, await attacker.collabToken());
        const r = raw;
        await vi.waitFor(
          () => expect(r.frames.some((f) => f.type === Msg.Auth && f.authType === 2)).toBe(true),
          {
            interval: 5,
          },
        );
      }
      const replica = replicaOf(honest.ydoc);
      const base = updateOf(replica, random() < 0.7 ? pick(validChanges) : pick(hostileChanges));
      const update = random() < 0.6 ? mutate(base) : base;
      const before = raw.frames.length;
      raw.sendUpdate(document.name, update);
      const r = raw;
      // Acknowledged, refused, or (an update building on the attacker's own content the server
      // lacks) dropped: with a SyncStep1 asking for it, which this client never answers, or, the
      // ask still waiting for its answer, with the presence a dropped update gets back.
      await vi.waitFor(
        () =>
          expect(
            r.frames
              .slice(before)
              .some(
                (f) =>
                  f.type === Msg.SyncStatus ||
                  f.type === Msg.Close ||
                  f.type === Msg.Awareness ||
                  (f.type === Msg.Sync && f.step === 0),
              ) || r.closeCode !== undefined,
          ).toBe(true),
        { interval: 5, timeout: 5_000 },
      );
      if (r.frames.slice(before).some((f) => f.type === Msg.Close) || r.closeCode !== undefined) {
        outcomes.refused++;
        raw.close();
        raw = null;
      } else outcomes.accepted++;

      const word = `m${round} `;
      written += word;
      typeInFirstParagraph(honest.ydoc, word);
    }
    raw?.close();
    await expect.poll(() => isSettled(honest), { timeout: 10_000 }).toBe(true);
    // Both kinds happened: the fuzz exercised the checks and the apply path.
    expect(outcomes.refused).toBeGreaterThan(0);
    expect(outcomes.accepted).toBeGreaterThan(0);
    expect((await fetch(`${server.url}/api/health`)).status).toBe(200);

    // Every word she typed, in order, is in the live document, a newcomer's copy and SQLite.
    const words = written.trim().split(' ');
    const inOrder = (text: string) => {
      let at = 0;
      for (const w of words) {
        at = text.indexOf(`${w} `, at);
        if (at < 0) return false;
      }
      return true;
    };
    expect(inOrder(firstParagraphText(honest.ydoc))).toBe(true);
    const reader = connectAs(attacker, server.wsUrl, document.name);
    try {
      await expect
        .poll(() => firstParagraphText(reader.ydoc), { timeout: 10_000 })
        .toBe(firstParagraphText(honest.ydoc));
    } finally {
      reader.destroy();
    }

    // Everybody leaves: the server compacts; the stored state loads and holds her text.
    honest.destroy();
    await expect.poll(() => server.app.hocuspocus.getDocumentsCount(), { timeout: 20_000 }).toBe(0);
    expect(inOrder(firstParagraphText(storedDoc(dataDir, document.id)))).toBe(true);
  });
});
