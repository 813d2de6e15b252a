import { FRAGMENT } from '@essaim/protocol';
import { beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createDocument, invite, type Session } from '../support/accounts.js';
import { firstParagraphText, storedDoc, typeInFirstParagraph, updateOf } from '../support/documents.js';
import { useTestInstance } from '../support/instance.js';
import { connectAs, isSettled, type NodeClient } from '../support/provider.js';
import { Msg, RawClient } from '../support/rawClient.js';

/**
 * Issue 8, the tester's last fault on hostile writers: one writer's raw client sent updates just
 * under the one-update bound back to back, each 0.3 to 0.6 s of server time. Each writer now has a
 * budget of structs (WRITER_STRUCTS_PER_SECOND, here 20,000 a second past one update of the
 * largest size): beyond it the updates wait, in order, and are all applied; nothing is refused,
 * and the other people's keystrokes go through in between.
 */

const PER_SECOND = 20_000;
const t = useTestInstance({ WRITER_STRUCTS_PER_SECOND: String(PER_SECOND) });
let karima: Session;
let victor: Session;

beforeAll(async () => {
  karima = await invite(t.admin, t.espaceId, 'rapporteur', 'Karima Haddad');
  victor = await invite(t.admin, t.espaceId, 'rapporteur', 'Victor Malin');
});

async function open(session: Session, name: string): Promise<NodeClient> {
  const client = t.track(connectAs(session, t.server.wsUrl, name));
  await expect.poll(() => isSettled(client), { timeout: 10_000 }).toBe(true);
  return client;
}

const STRUCTS = 40_000;
const LETTERS = ['a', 'b', 'c', 'd'] as const;

/**
 * An update of `STRUCTS` structs (one character typed before the previous one, each its own
 * struct) writing `letter` into a new text at the start of the second section's first paragraph,
 * under a client id of its own.
 */
function heavyUpdate(base: Y.Doc, letter: string, clientId: number): Uint8Array {
  const replica = new Y.Doc();
  replica.clientID = clientId;
  Y.applyUpdate(replica, Y.encodeStateAsUpdate(base));
  return updateOf(replica, (d) => {
    const section = d.getXmlFragment(FRAGMENT).get(1) as Y.XmlElement;
    const paragraph = section
      .toArray()
      .find((c): c is Y.XmlElement => c instanceof Y.XmlElement && c.nodeName === 'paragraph');
    const text = new Y.XmlText();
    paragraph?.insert(0, [text]);
    for (let i = 0; i < STRUCTS; i++) text.insert(0, letter);
  });
}

describe('a writer who sends the largest updates back to back', () => {
  it('has them wait for the budget, applies every one of them, and lets a co-writer’s keystrokes through in between', async () => {
    const doc = await createDocument(t.admin, t.espaceId, 'Pair-aidance en Bretagne');
    for (const person of [karima, victor]) {
      const assigned = await t.admin.fetch(`/api/documents/${doc.id}/assignments`, {
        method: 'POST',
        json: { userId: person.userId },
      });
      expect(assigned.status).toBe(200);
    }
    const writer = await open(karima, doc.name);
    const reader = await open(t.admin, doc.name);
    const updates = LETTERS.map((letter, i) => heavyUpdate(reader.ydoc, letter, 0x7000_0000 + i));

    // When each of Victor's texts, and Karima's keystroke, reaches the reader.
    const arrived = new Map<string, number>();
    const watch = (): void => {
      const text = reader.ydoc.getXmlFragment(FRAGMENT).toString();
      for (const letter of LETTERS)
        if (!arrived.has(letter) && text.includes(letter.repeat(STRUCTS)))
          arrived.set(letter, performance.now());
      if (!arrived.has('karima') && firstParagraphText(reader.ydoc).includes('[Karima]'))
        arrived.set('karima', performance.now());
    };
    reader.ydoc.on('update', watch);

    const raw = await RawClient.open(t.server.wsUrl);
    raw.authenticate(doc.name, await victor.collabToken());
    await expect.poll(() => raw.frames.some((f) => f.type === Msg.Auth && f.authType === 2)).toBe(true);
    for (const update of updates) raw.sendUpdate(doc.name, update);
    await expect.poll(() => arrived.has('a'), { timeout: 20_000 }).toBe(true);
    typeInFirstParagraph(writer.ydoc, '[Karima]');

    await expect.poll(() => arrived.size, { timeout: 30_000, interval: 100 }).toBe(LETTERS.length + 1);
    reader.ydoc.off('update', watch);
    const at = (key: string): number => arrived.get(key) ?? Number.NaN;
    // The first update passes at once; the other 120,000 structs wait for the budget, 10,000
    // structs of the first second's capacity aside: at least (160,000 − 50,000) / 20,000 s.
    const spread = at('d') - at('a');
    expect(spread).toBeGreaterThanOrEqual(((LETTERS.length * STRUCTS - 50_000) / PER_SECOND) * 1000 - 250);
    // In order, and Karima's keystroke did not wait behind them.
    expect([at('a'), at('b'), at('c'), at('d')]).toEqual(
      [at('a'), at('b'), at('c'), at('d')].sort((x, y) => x - y),
    );
    expect(at('karima')).toBeLessThan(at('d'));
    // Nothing refused: Victor's connection is still open, and the stored document has everything.
    expect(raw.closeReason(doc.name)).toBeUndefined();
    raw.close();
    await expect
      .poll(
        () => {
          const stored = storedDoc(t.server.dataDir, doc.id);
          const text = stored.getXmlFragment(FRAGMENT).toString();
          return [
            ...LETTERS.map((l) => text.includes(l.repeat(STRUCTS))),
            firstParagraphText(stored).includes('[Karima]'),
          ];
        },
        { timeout: 30_000, interval: 250 },
      )
      .toEqual([true, true, true, true, true]);
  });
});
