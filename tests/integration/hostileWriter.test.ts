import { FRAGMENT, META_MAP, UpdateRefusal } from '@essaim/protocol';
import { beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createDocument, invite, type Session } from '../support/accounts.js';
import {
  firstParagraphText,
  replicaOf,
  storedDoc,
  typeInFirstParagraph,
  updateOf,
} from '../support/documents.js';
import { useTestInstance } from '../support/instance.js';
import { connectAs, isSettled, type NodeClient } from '../support/provider.js';
import { Msg, RawClient } from '../support/rawClient.js';

/**
 * Issue 8, found by a fresh tester: a writer's raw client (no editor) could hold the server for
 * seconds with one update of 180,000 structs, and slip a `meta` value of another type than its
 * field's into the document while the catalogue kept the old one. Karima writes, the animateur
 * reads, Victor (an assigned rapporteur) attacks through a raw socket with his own token.
 */

const t = useTestInstance();
let karima: Session;
let victor: Session;

beforeAll(async () => {
  karima = await invite(t.admin, t.espaceId, 'rapporteur', 'Karima Haddad');
  victor = await invite(t.admin, t.espaceId, 'rapporteur', 'Victor Malin');
});

const STORED = { timeout: 20_000, interval: 100 };

async function assignedDocument(title: string): Promise<{ id: string; name: string }> {
  const doc = await createDocument(t.admin, t.espaceId, title);
  for (const person of [karima, victor]) {
    const response = await t.admin.fetch(`/api/documents/${doc.id}/assignments`, {
      method: 'POST',
      json: { userId: person.userId },
    });
    expect(response.status).toBe(200);
  }
  return doc;
}

async function open(session: Session, name: string): Promise<NodeClient> {
  const client = t.track(connectAs(session, t.server.wsUrl, name));
  await expect.poll(() => isSettled(client), { timeout: 10_000 }).toBe(true);
  return client;
}

/** A raw socket authenticated on `name` with Victor's token. */
async function rawWriter(name: string): Promise<RawClient> {
  const raw = await RawClient.open(t.server.wsUrl);
  raw.authenticate(name, await victor.collabToken());
  await expect.poll(() => raw.frames.some((f) => f.type === Msg.Auth && f.authType === 2)).toBe(true);
  return raw;
}

/** Sends `update` from a fresh raw socket of Victor's; resolves with the reason it is closed with. */
async function sendHostile(name: string, update: Uint8Array): Promise<string | undefined> {
  const raw = await rawWriter(name);
  try {
    raw.sendUpdate(name, update);
    await expect.poll(() => raw.closeReason(name), { timeout: 10_000 }).toBeDefined();
    return raw.closeReason(name);
  } finally {
    raw.close();
  }
}

/** Resolves with the time (ms) when `client`'s first paragraph first holds `marker`. */
function arrival(client: NodeClient, marker: string): Promise<number> {
  return new Promise((resolve) => {
    const check = (): void => {
      if (!firstParagraphText(client.ydoc).includes(marker)) return;
      client.ydoc.off('update', check);
      resolve(performance.now());
    };
    client.ydoc.on('update', check);
    check();
  });
}

/** Time (ms) from `writer` typing `marker` to `reader` showing it: the keystroke round trip. */
async function keystroke(writer: NodeClient, reader: NodeClient, marker: string): Promise<number> {
  const arrived = arrival(reader, marker);
  const started = performance.now();
  typeInFirstParagraph(writer.ydoc, marker);
  return (await arrived) - started;
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[values.length >> 1] as number;

/**
 * The tester's update: 180,000 characters typed each before the previous one, one struct each
 * (what no editor sends at once), 1.96 MB, under the 2 MiB message limit. Written into the second
 * section, so that the first paragraph, where keystrokes are timed, stays small to read even if
 * the update were taken. Each call writes under a new client id: new structs every time.
 */
let hostileClients = 0;
function tester180kUpdate(client: NodeClient): Uint8Array {
  const replica = new Y.Doc();
  // A client id of five bytes, as most random ones are: 1.96 MB, as in the tester's update.
  replica.clientID = 0xf000_0000 + ++hostileClients;
  Y.applyUpdate(replica, Y.encodeStateAsUpdate(client.ydoc));
  return updateOf(replica, (d) => {
    const section = d.getXmlFragment(FRAGMENT).get(1) as Y.XmlElement;
    const paragraph = section
      .toArray()
      .find((c): c is Y.XmlElement => c instanceof Y.XmlElement && c.nodeName === 'paragraph');
    const text = new Y.XmlText();
    paragraph?.insert(0, [text]);
    for (let i = 0; i < 180_000; i++) text.insert(0, 'x');
  });
}

describe('a writer who skips the editor', () => {
  it('cannot hold back other people’s keystrokes with one update of 180,000 structs, and leaves the stored document whole', async () => {
    const doc = await assignedDocument('Conférences familiales en Ardèche');
    const writer = await open(karima, doc.name);
    const reader = await open(t.admin, doc.name);
    typeInFirstParagraph(writer.ydoc, 'Avant l’attaque. ');
    await expect
      .poll(() => firstParagraphText(storedDoc(t.server.dataDir, doc.id)), STORED)
      .toContain('Avant l’attaque. ');

    // Each round times Karima's keystroke to the animateur alone, then while Victor's update
    // arrives (sent first, so that its frames reach the server before the keystroke's). Rounds
    // alternate both measures, so that the machine's own load varies alike on both sides. The
    // updates are made before the rounds: making one takes longer than the round itself.
    const updates = Array.from({ length: 5 }, () => tester180kUpdate(writer));
    for (const update of updates) {
      expect(update.byteLength).toBeGreaterThan(1_900_000);
      expect(update.byteLength).toBeLessThan(2 * 1024 * 1024);
    }
    const ratios: number[] = [];
    const markers: string[] = [];
    for (const [index, update] of updates.entries()) {
      const round = index + 1;
      const reference = await keystroke(writer, reader, `[seule ${round}]`);
      const raw = await rawWriter(doc.name);
      raw.sendUpdate(doc.name, update);
      const loaded = await keystroke(writer, reader, `[attaque ${round}]`);
      await expect
        .poll(() => raw.closeReason(doc.name), { timeout: 10_000 })
        .toBe(UpdateRefusal.UpdateTooLarge);
      raw.close();
      ratios.push(loaded / Math.max(reference, 1));
      markers.push(`[seule ${round}]`, `[attaque ${round}]`);
    }
    // Before the fix the server decoded, checked, applied, stored and broadcast the 180,000
    // structs before anything else: the keystroke took 5.3 s on the tester's machine, 0.7 to 3.5 s
    // here (80 to 700 times its time alone). Now the update is refused from its first bytes; what
    // remains is receiving 2 MB and logging the refusal, a few tens of milliseconds.
    expect(median(ratios)).toBeLessThan(25);

    // Nothing of the attack anywhere; everything Karima wrote, in her view, the reader's and SQLite.
    const expected = `Avant l’attaque. ${markers.join('')}`;
    await expect
      .poll(() => firstParagraphText(storedDoc(t.server.dataDir, doc.id)), STORED)
      .toContain(expected);
    for (const view of [writer.ydoc, reader.ydoc, storedDoc(t.server.dataDir, doc.id)]) {
      expect(firstParagraphText(view)).toContain(expected);
      expect(view.getXmlFragment(FRAGMENT).toString()).not.toContain('xxxxxxxx');
    }
    // Victor's next, ordinary keystroke is taken: only the oversized update was refused.
    const honest = await rawWriter(doc.name);
    honest.sendUpdate(
      doc.name,
      updateOf(replicaOf(reader.ydoc), (d) => typeInFirstParagraph(d, ' Victor.')),
    );
    await expect.poll(() => firstParagraphText(reader.ydoc), { timeout: 10_000 }).toContain(' Victor.');
    honest.close();
  });

  it('cannot give a metadata field a value of another type: the document and the catalogue keep the same title', async () => {
    const doc = await assignedDocument('Aller-vers dans l’Oise');
    const reader = await open(t.admin, doc.name);
    const catalogueTitle = async (): Promise<string> =>
      ((await (await t.admin.fetch(`/api/documents/${doc.id}`)).json()) as { title: string }).title;

    const wrong: [string, unknown][] = [
      ['title', 42],
      ['title', ['Titre piraté']],
      ['title', { texte: 'Titre piraté' }],
      ['themes', 'aller-vers'],
      ['anneeDemarrage', '2021'],
      ['motsCles', [1, 2, 3]],
    ];
    for (const [key, value] of wrong) {
      const update = updateOf(replicaOf(reader.ydoc), (d) => d.getMap(META_MAP).set(key, value));
      expect({ key, reason: await sendHostile(doc.name, update) }).toEqual({
        key,
        reason: UpdateRefusal.Invalid,
      });
    }
    expect(reader.ydoc.getMap(META_MAP).get('title')).toBe('Aller-vers dans l’Oise');
    expect(storedDoc(t.server.dataDir, doc.id).getMap(META_MAP).toJSON()).toMatchObject({
      title: 'Aller-vers dans l’Oise',
      themes: [],
      anneeDemarrage: null,
      motsCles: [],
    });
    expect(await catalogueTitle()).toBe('Aller-vers dans l’Oise');

    // A title of the right type, from the same raw socket's owner, reaches both.
    const raw = await rawWriter(doc.name);
    raw.sendUpdate(
      doc.name,
      updateOf(replicaOf(reader.ydoc), (d) => d.getMap(META_MAP).set('title', 'Aller-vers à Beauvais')),
    );
    await expect
      .poll(() => reader.ydoc.getMap(META_MAP).get('title'), { timeout: 10_000 })
      .toBe('Aller-vers à Beauvais');
    await expect.poll(catalogueTitle, STORED).toBe('Aller-vers à Beauvais');
    raw.close();
  });
});
