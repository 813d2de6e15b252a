import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { type AuditEntryDto, DenialReason, FRAGMENT, META_MAP, UpdateRefusal } from '@essaim/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { atAddress, createDocument, invite, setupInstance, type Session } from '../support/accounts.js';
import { connectAs, isSettled, type NodeClient } from '../support/provider.js';
import {
  firstParagraph,
  firstParagraphText,
  firstParagraphText as firstSectionText,
  replicaOf as replicaOfDoc,
  storedDoc as storedIn,
  typeInFirstParagraph,
  updateOf,
  varUint,
} from '../support/documents.js';
import { Msg, RawClient } from '../support/rawClient.js';
import { repoRoot, startTestServer, tempDataDir, type TestServer } from '../support/server.js';

/**
 * Issue 9: no update from any account can corrupt, erase or freeze a document. Each hostile input
 * is sent by a raw client holding an assigned rapporteur's token, while an honest rapporteur
 * writes; the document and her text must stay whole in every client, in SQLite and after a restart.
 */

const dataDir = tempDataDir('essaim-hostile');
let server: TestServer;
let animateur: Session;
let karima: Session;
let attacker: Session;
let espaceId: string;
const clients: NodeClient[] = [];

const STORED = { timeout: 20_000, interval: 100 };

/** Starts (or restarts) the server on the same data; the same people stay logged in. */
async function start(): Promise<void> {
  server = await startTestServer({ dataDir });
  if (animateur) {
    animateur = atAddress(animateur, server.url);
    karima = atAddress(karima, server.url);
    attacker = atAddress(attacker, server.url);
  }
}

beforeAll(async () => {
  await start();
  ({ admin: animateur, espaceId } = await setupInstance(server.url));
  karima = await invite(animateur, espaceId, 'rapporteur', 'Karima Haddad');
  attacker = await invite(animateur, espaceId, 'rapporteur', 'Victor Malin');
});

/** Stops the server, once every client is gone (a client left reconnecting to it never settles). */
async function stop(): Promise<void> {
  for (const c of clients.splice(0)) c.destroy();
  await server.stop();
}

afterAll(stop);

async function assignedDocument(): Promise<{ id: string; name: string }> {
  const doc = await createDocument(animateur, espaceId, 'Aller-vers dans l’Oise');
  for (const person of [karima, attacker]) {
    const response = await animateur.fetch(`/api/documents/${doc.id}/assignments`, {
      method: 'POST',
      json: { userId: person.userId },
    });
    expect(response.status).toBe(200);
  }
  return doc;
}

async function open(session: Session, name: string): Promise<NodeClient> {
  const client = connectAs(session, server.wsUrl, name);
  clients.push(client);
  await expect.poll(() => isSettled(client), { timeout: 10_000 }).toBe(true);
  return client;
}

const typeInFirstSection = (client: NodeClient, words: string): void =>
  typeInFirstParagraph(client.ydoc, words);
const replicaOf = (client: NodeClient): Y.Doc => replicaOfDoc(client.ydoc);
const storedDoc = (id: string): Y.Doc => storedIn(dataDir, id);

/** Sends `update` from a raw socket with the attacker's token; resolves with the close reason. */
async function sendHostile(name: string, update: Uint8Array): Promise<string | undefined> {
  const raw = await RawClient.open(server.wsUrl);
  try {
    raw.authenticate(name, await attacker.collabToken());
    await expect.poll(() => raw.frames.some((f) => f.type === Msg.Auth && f.authType === 2)).toBe(true);
    raw.sendUpdate(name, update);
    await expect.poll(() => raw.closeReason(name), { timeout: 5_000 }).toBeDefined();
    return raw.closeReason(name);
  } finally {
    raw.close();
  }
}

const hostileInputs: {
  what: string;
  reason: string;
  make: (replica: Y.Doc) => Uint8Array;
}[] = [
  {
    what: 'a zero-length GC struct (8 bytes)',
    reason: UpdateRefusal.Malformed,
    make: () => Uint8Array.from(Buffer.from('0101922100000000', 'hex')),
  },
  {
    what: 'a zero-length GC struct at the writer’s own next clock',
    reason: UpdateRefusal.Malformed,
    make: (replica) => {
      const client = replica.clientID;
      const bytes = [1, 1, ...varUint(client), ...varUint(Y.getState(replica.store, client)), 0, 0, 0];
      return Uint8Array.from(bytes);
    },
  },
  {
    what: '2,000 nested blockquotes',
    reason: UpdateRefusal.Invalid,
    make: (replica) =>
      updateOf(replica, (d) => {
        let current = d.getXmlFragment(FRAGMENT).get(0) as Y.XmlElement;
        for (let i = 0; i < 2_000; i++) {
          const inner = new Y.XmlElement('blockquote');
          current.insert(i === 0 ? 1 : 0, [inner]);
          current = inner;
        }
      }),
  },
  {
    what: 'a table cell spanning 100,000,000 columns',
    reason: UpdateRefusal.Invalid,
    make: (replica) =>
      updateOf(replica, (d) => {
        const section = d.getXmlFragment(FRAGMENT).get(0) as Y.XmlElement;
        const table = new Y.XmlElement('table');
        section.insert(1, [table]);
        const row = new Y.XmlElement('tableRow');
        table.insert(0, [row]);
        const cell = new Y.XmlElement('tableCell');
        row.insert(0, [cell]);
        cell.setAttribute('colspan', 100_000_000 as unknown as string);
      }),
  },
  {
    what: 'another root type',
    reason: UpdateRefusal.Invalid,
    make: (replica) => updateOf(replica, (d) => d.getMap('x').set('a', 'b'.repeat(1000))),
  },
  {
    what: 'a 1 MiB string in the metadata',
    reason: UpdateRefusal.Invalid,
    make: (replica) => updateOf(replica, (d) => d.getMap(META_MAP).set('structure', 'x'.repeat(1024 * 1024))),
  },
  {
    what: 'a section nested inside another',
    reason: UpdateRefusal.Invalid,
    make: (replica) =>
      updateOf(replica, (d) => {
        const inner = new Y.XmlElement('section');
        (d.getXmlFragment(FRAGMENT).get(1) as Y.XmlElement).insert(1, [inner]);
      }),
  },
  {
    what: 'a paragraph inserted before a section title',
    reason: UpdateRefusal.Invalid,
    make: (replica) =>
      updateOf(replica, (d) => {
        (d.getXmlFragment(FRAGMENT).get(1) as Y.XmlElement).insert(0, [new Y.XmlElement('paragraph')]);
      }),
  },
];

describe('hostile updates from an assigned rapporteur', () => {
  it.each(hostileInputs)(
    'refuses $what with a named reason, and the document stays whole for everyone',
    async ({ reason, make }) => {
      const { id, name } = await assignedDocument();
      const honest = await open(karima, name);
      typeInFirstSection(honest, 'Les équipes vont vers les familles. ');
      await expect.poll(() => isSettled(honest)).toBe(true);
      const sections = honest.ydoc.getXmlFragment(FRAGMENT).length;

      expect(await sendHostile(name, make(replicaOf(honest)))).toBe(reason);

      // She goes on typing; a newcomer and SQLite see everything, and the structure is intact.
      typeInFirstSection(honest, 'Elles reviennent.');
      await expect.poll(() => isSettled(honest)).toBe(true);
      const reader = await open(animateur, name);
      await expect.poll(() => firstSectionText(reader.ydoc)).toContain('Elles reviennent.');
      expect(firstSectionText(reader.ydoc)).toContain('Les équipes vont vers les familles.');
      expect(reader.ydoc.getXmlFragment(FRAGMENT).length).toBe(sections);
      expect(reader.ydoc.share.has('x')).toBe(false);
      expect(firstSectionText(storedDoc(id))).toContain('Elles reviennent.');
      const response = await animateur.fetch(`/api/documents/${id}/sections`);
      expect(response.status).toBe(200);
    },
  );

  it('refuses an update written under another person’s Yjs client id, whose later text still arrives', async () => {
    const { id, name } = await assignedDocument();
    const honest = await open(karima, name);
    typeInFirstSection(honest, 'Karima écrit. ');
    await expect.poll(() => isSettled(honest)).toBe(true);
    // The attacker writes, under Karima's client id, at her next clock.
    const squat = replicaOf(honest);
    squat.clientID = honest.ydoc.clientID;
    const forged = updateOf(squat, (d) => d.getMap(META_MAP).set('structure', 'volé'));
    expect(await sendHostile(name, forged)).toBe(UpdateRefusal.Invalid);
    // Her next words, under those same clocks, are stored.
    typeInFirstSection(honest, 'Puis elle continue.');
    await expect.poll(() => isSettled(honest)).toBe(true);
    await expect.poll(() => firstSectionText(storedDoc(id))).toContain('Puis elle continue.');
  });

  it('refuses writing under a client id someone announced in their presence before they wrote', async () => {
    const { id, name } = await assignedDocument();
    const honest = await open(karima, name);
    const clientId = honest.ydoc.clientID;
    // Her editor announces her caret; her id is public once that presence is relayed.
    honest.provider.setAwarenessField('user', { name: 'Karima Haddad', color: '#000091' });
    await expect
      .poll(() => server.app.hocuspocus.documents.get(name)?.awareness.getStates().has(clientId))
      .toBe(true);
    expect(Y.getState(honest.ydoc.store, clientId)).toBe(0);
    const squat = replicaOf(honest);
    squat.clientID = clientId;
    const forged = updateOf(squat, (d) => d.getMap(META_MAP).set('structure', 'volé'));
    expect(await sendHostile(name, forged)).toBe(UpdateRefusal.Invalid);
    typeInFirstSection(honest, 'Premiers mots de Karima.');
    await expect.poll(() => isSettled(honest)).toBe(true);
    await expect.poll(() => firstSectionText(storedDoc(id))).toContain('Premiers mots de Karima.');
  });

  it('lets a document filled to MAX_DOCUMENT_BYTES be emptied, then written again, also after a restart', async () => {
    const dir = tempDataDir('essaim-full');
    const env = { MAX_DOCUMENT_BYTES: String(64 * 1024) };
    let full = await startTestServer({ dataDir: dir, env });
    const own: NodeClient[] = [];
    try {
      const { admin, espaceId: espace } = await setupInstance(full.url);
      const { name } = await createDocument(admin, espace);
      const writer = connectAs(admin, full.wsUrl, name);
      own.push(writer);
      await expect.poll(() => isSettled(writer)).toBe(true);
      // Filled in 8 kB steps until the server refuses one.
      const raw = await RawClient.open(full.wsUrl);
      raw.authenticate(name, await admin.collabToken());
      await expect.poll(() => raw.frames.some((f) => f.type === Msg.Auth && f.authType === 2)).toBe(true);
      const filler = replicaOf(writer);
      for (let i = 0; i < 20 && raw.closeReason(name) === undefined; i++) {
        raw.sendUpdate(
          name,
          updateOf(filler, (d) => typeInFirstParagraph(d, 'z'.repeat(8 * 1024))),
        );
        await expect
          .poll(
            () =>
              raw.frames.filter((f) => f.type === Msg.SyncStatus).length + (raw.closeReason(name) ? 1 : 0),
          )
          .toBeGreaterThan(i);
      }
      expect(raw.closeReason(name)).toBe(UpdateRefusal.DocumentTooLarge);
      raw.close();
      // The animateur deletes the junk (a deletion always passes), then writes again.
      await expect.poll(() => firstParagraphText(writer.ydoc).length).toBeGreaterThan(32 * 1024);
      writer.ydoc.transact(() => firstParagraph(writer.ydoc).delete(0, firstParagraph(writer.ydoc).length));
      await expect.poll(() => isSettled(writer)).toBe(true);
      typeInFirstSection(writer, 'De nouveau possible.');
      await expect.poll(() => isSettled(writer)).toBe(true);
      writer.destroy();
      await full.stop();
      full = await startTestServer({ dataDir: dir, env });
      const again = connectAs(atAddress(admin, full.url), full.wsUrl, name);
      own.push(again);
      await expect.poll(() => isSettled(again), { timeout: 10_000 }).toBe(true);
      await expect.poll(() => firstSectionText(again.ydoc)).toContain('De nouveau possible.');
    } finally {
      for (const c of own) c.destroy();
      await full.stop();
    }
  });

  it('checks each update against the state it is applied to, even when two connections on one socket race', async () => {
    const { name } = await assignedDocument();
    const honest = await open(karima, name);
    typeInFirstSection(honest, 'abc');
    await expect.poll(() => isSettled(honest)).toBe(true);
    // Two replicas writing under one client id, each unaware of the other.
    const first = replicaOf(honest);
    first.clientID = 0x7fff0001;
    const second = replicaOf(honest);
    second.clientID = 0x7fff0001;
    const q = updateOf(first, (d) => (firstParagraph(d).get(0) as Y.XmlText).insert(0, 'Q'));
    const paragraphs = updateOf(second, (d) => {
      const section = d.getXmlFragment(FRAGMENT).get(0) as Y.XmlElement;
      section.insert(section.length, [new Y.XmlElement('paragraph'), new Y.XmlElement('paragraph')]);
    });
    const raw = await RawClient.open(server.wsUrl);
    const token = await attacker.collabToken();
    const a = `${name}\0a`;
    const b = `${name}\0b`;
    raw.authenticate(a, token);
    raw.authenticate(b, token);
    await expect.poll(() => raw.frames.filter((f) => f.type === Msg.Auth && f.authType === 2).length).toBe(2);
    raw.sendUpdate(a, q);
    raw.sendUpdate(b, paragraphs);
    // Once "Q" is in, the second update's paragraph would land inside the text: refused.
    await expect.poll(() => raw.closeReason(b)).toBe(UpdateRefusal.Invalid);
    raw.close();
    const reader = await open(animateur, name);
    await expect.poll(() => firstSectionText(reader.ydoc)).toContain('Qabc');
    expect(
      firstParagraph(reader.ydoc)
        .toArray()
        .every((c) => c instanceof Y.XmlText),
    ).toBe(true);
  });

  it('keeps every refused document loadable after a restart', async () => {
    const { id, name } = await assignedDocument();
    const honest = await open(karima, name);
    typeInFirstSection(honest, 'Avant le redémarrage.');
    await expect.poll(() => isSettled(honest)).toBe(true);
    expect(await sendHostile(name, make0())).toBe(UpdateRefusal.Malformed);
    honest.destroy();
    await stop();
    await start();
    const reader = await open(animateur, name);
    await expect.poll(() => firstSectionText(reader.ydoc)).toContain('Avant le redémarrage.');
    expect((await animateur.fetch(`/api/documents/${id}/sections`)).status).toBe(200);
  });

  it('refuses an update that would take a document past MAX_DOCUMENT_BYTES, and keeps what was written', async () => {
    const small = await startTestServer({ env: { MAX_DOCUMENT_BYTES: String(64 * 1024) } });
    const own: NodeClient[] = [];
    try {
      const { admin, espaceId: espace } = await setupInstance(small.url);
      const { name } = await createDocument(admin, espace);
      const writer = connectAs(admin, small.wsUrl, name);
      own.push(writer);
      await expect.poll(() => isSettled(writer)).toBe(true);
      typeInFirstSection(writer, 'Début. ');
      await expect.poll(() => isSettled(writer)).toBe(true);
      const raw = await RawClient.open(small.wsUrl);
      raw.authenticate(name, await admin.collabToken());
      await expect.poll(() => raw.frames.some((f) => f.type === Msg.Auth && f.authType === 2)).toBe(true);
      const replica = replicaOf(writer);
      raw.sendUpdate(
        name,
        updateOf(replica, (d) => d.getMap(META_MAP).set('structure', 'ok')),
      );
      raw.sendUpdate(
        name,
        updateOf(replica, (d) => {
          (firstParagraph(d).get(0) as Y.XmlText).insert(0, 'y'.repeat(80 * 1024));
        }),
      );
      await expect.poll(() => raw.closeReason(name)).toBe(UpdateRefusal.DocumentTooLarge);
      raw.close();
      typeInFirstSection(writer, 'Suite.');
      await expect.poll(() => isSettled(writer)).toBe(true);
      const reader = connectAs(admin, small.wsUrl, name);
      own.push(reader);
      await expect.poll(() => firstSectionText(reader.ydoc)).toContain('Début. Suite.');
      expect(reader.ydoc.getMap(META_MAP).get('structure')).toBe('ok');
    } finally {
      for (const c of own) c.destroy();
      await small.stop();
    }
  });

  it('keeps, and gives a paragraph back to, a section that concurrent deletions left without blocks', async () => {
    const { id, name } = await assignedDocument();
    const a = await open(karima, name);
    const b = await open(animateur, name);
    const section = (doc: Y.Doc) => doc.getXmlFragment(FRAGMENT).get(0) as Y.XmlElement;
    a.ydoc.transact(() => {
      const s = section(a.ydoc);
      s.delete(1, s.length - 1);
      s.insert(1, [new Y.XmlElement('paragraph'), new Y.XmlElement('paragraph')]);
    });
    await expect.poll(() => section(b.ydoc).length).toBe(3);
    // Each removes a different paragraph at the same time: the section keeps only its title.
    a.socket.disconnect();
    b.socket.disconnect();
    await expect.poll(() => [a.socket.status, b.socket.status]).toEqual(['disconnected', 'disconnected']);
    a.ydoc.transact(() => section(a.ydoc).delete(1, 1));
    b.ydoc.transact(() => section(b.ydoc).delete(2, 1));
    await a.socket.connect();
    await b.socket.connect();
    await expect.poll(() => [isSettled(a), isSettled(b)], { timeout: 10_000 }).toEqual([true, true]);
    const sectionId = section(a.ydoc).getAttribute('id');
    await expect
      .poll(async () => {
        const dto = (await (await animateur.fetch(`/api/documents/${id}/sections`)).json()) as {
          sections: { id: string }[];
        };
        return dto.sections.map((s) => s.id);
      }, STORED)
      .toContain(sectionId);
    expect(section(a.ydoc).getAttribute('id')).toBe(sectionId);
    expect(section(b.ydoc).getAttribute('id')).toBe(sectionId);
    expect(section(storedDoc(id)).getAttribute('id')).toBe(sectionId);
    // The server gave it a paragraph to write in, the same on both sides.
    await expect.poll(() => section(a.ydoc).toString()).toBe(section(b.ydoc).toString());
    expect(
      section(a.ydoc)
        .toArray()
        .filter((c) => c instanceof Y.XmlElement && c.nodeName === 'paragraph'),
    ).toHaveLength(1);
  });
});

describe('stored documents that cannot be read', () => {
  function corrupt(sql: string, ...params: unknown[]): void {
    const db = new Database(path.join(dataDir, 'essaim.sqlite'));
    try {
      db.prepare(sql).run(...params);
    } finally {
      db.close();
    }
  }

  async function storedWith(words: string): Promise<{ id: string; name: string }> {
    const doc = await assignedDocument();
    const writer = await open(karima, doc.name);
    typeInFirstSection(writer, words);
    await expect.poll(() => isSettled(writer)).toBe(true);
    writer.destroy();
    return doc;
  }

  it('serves the rest of a document whose log has a corrupt row, moves the row aside and tells the administrator', async () => {
    const { id, name } = await storedWith('Texte lisible.');
    await stop();
    corrupt(
      'INSERT INTO document_updates (document_id, data, created_at) VALUES (?, ?, ?)',
      id,
      Buffer.from('ffffffff0a0b0c', 'hex'),
      Date.now(),
    );
    await start();
    const reader = await open(animateur, name);
    await expect.poll(() => firstSectionText(reader.ydoc)).toContain('Texte lisible.');
    const audit = (await (await animateur.fetch('/api/audit')).json()) as { entries: AuditEntryDto[] };
    expect(audit.entries.some((e) => e.action === 'document.damaged' && e.targetId === id)).toBe(true);
    expect((await animateur.fetch(`/api/documents/${id}/sections`)).status).toBe(200);
  });

  it('refuses, with a reason, a document with nothing readable instead of serving it empty', async () => {
    const { id, name } = await storedWith('Texte perdu ?');
    await stop();
    corrupt(
      'UPDATE document_states SET state = ?, previous_state = NULL WHERE document_id = ?',
      Buffer.from([1, 2, 3]),
      id,
    );
    corrupt('DELETE FROM document_updates WHERE document_id = ?', id);
    await start();
    const raw = await RawClient.open(server.wsUrl);
    raw.authenticate(name, await animateur.collabToken());
    await expect
      .poll(() => raw.frames.find((f) => f.type === Msg.Auth && f.authType === 1)?.text)
      .toBe(DenialReason.DocumentDamaged);
    raw.close();
  });

  it('document:check finds a document corrupted in SQLite and --repair brings it back', async () => {
    const { id, name } = await storedWith('Première version.');
    // A second store makes the first state the fallback.
    const writer = await open(karima, name);
    typeInFirstSection(writer, ' Seconde.');
    await expect.poll(() => isSettled(writer)).toBe(true);
    writer.destroy();
    await expect.poll(() => firstSectionText(storedDoc(id)), STORED).toContain('Seconde.');
    await stop();
    corrupt(
      'UPDATE document_states SET state = ? WHERE document_id = ?',
      Buffer.from('0101922100000000', 'hex'),
      id,
    );

    const cli = path.join(repoRoot, 'server/dist/cli.js');
    const run = async (...args: string[]) => {
      try {
        const { stdout } = await promisify(execFile)(process.execPath, [cli, ...args], {
          env: { ...process.env, DATA_DIR: dataDir },
        });
        return { code: 0, stdout };
      } catch (error) {
        const e = error as { code: number; stdout: string };
        return { code: e.code, stdout: e.stdout };
      }
    };
    // Other documents of this data folder are damaged on purpose by the tests above: look at this one.
    const check = await run('document:check');
    expect(check.code).toBe(1);
    expect(check.stdout).toContain(`ENDOMMAGÉ ${id}`);
    const repair = await run('document:check', '--repair');
    expect(repair.stdout).toContain(`réparé ${id}`);
    expect((await run('document:check')).stdout).not.toContain(id);
    expect(firstSectionText(storedDoc(id))).toContain('Première version.');

    await start();
    const reader = await open(animateur, name);
    await expect.poll(() => firstSectionText(reader.ydoc)).toContain('Première version.');
  });
});

function make0(): Uint8Array {
  return Uint8Array.from(Buffer.from('0101922100000000', 'hex'));
}
