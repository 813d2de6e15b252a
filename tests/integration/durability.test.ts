import { applyStored, openDatabase, sqliteCollabStore } from '@essaim/server/storage';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { atAddress, writableDocument, type Session } from '../support/accounts.js';
import { connectAs, firstParagraphText, isSettled, synced, type NodeClient } from '../support/provider.js';
import { spawnServer, startTestServer, tempDataDir, type ChildServer } from '../support/server.js';

const open: NodeClient[] = [];
const children: ChildServer[] = [];

afterEach(() => {
  for (const c of open.splice(0)) c.destroy();
  for (const child of children.splice(0)) child.process.kill('SIGKILL');
});

function connect(session: Session, wsUrl: string, name: string, ydoc?: Y.Doc): NodeClient {
  const client = connectAs(session, wsUrl, name, ydoc ? { ydoc } : {});
  open.push(client);
  return client;
}

/** The tokens (like `[A17]`) present in a text. */
const tokensIn = (text: string): Set<string> => new Set(text.match(/\[[AB]\d+\]/g) ?? []);

/**
 * One person typing tokens at random places. `confirmed` is how many of its own tokens the
 * server had acknowledged the last time the provider reported nothing left unsynced.
 */
class Typist {
  readonly tokens: string[] = [];
  confirmed = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    readonly client: NodeClient,
    readonly label: 'A' | 'B',
    onConfirmed: (typist: Typist) => void = () => {},
  ) {
    client.provider.on('unsyncedChanges', ({ number }: { number: number }) => {
      if (number === 0 && client.provider.isSynced) {
        this.confirmed = this.tokens.length;
        onConfirmed(this);
      }
    });
  }

  /** Types a token every `everyMs` (a typing rhythm, not a wait: the test polls for outcomes). */
  start(everyMs: number): void {
    this.timer = setInterval(() => {
      const token = `[${this.label}${this.tokens.length}]`;
      const text = this.client.text;
      // Insert between tokens, never inside one, so every token stays readable.
      const boundaries = [0, ...[...text.toString().matchAll(/\]/g)].map((m) => (m.index ?? 0) + 1)];
      const at = boundaries[Math.floor(Math.random() * boundaries.length)] ?? 0;
      text.insert(at, token);
      this.tokens.push(token);
    }, everyMs);
  }

  stop(): void {
    clearInterval(this.timer);
  }

  confirmedTokens(): string[] {
    return this.tokens.slice(0, this.confirmed);
  }
}

/** The first paragraph's text the database holds for a document, read as the server reads it at load. */
function storedText(dataDir: string, documentId: string): string {
  const db = openDatabase(`${dataDir}/essaim.sqlite`, { synchronous: 'NORMAL' });
  try {
    const ydoc = new Y.Doc();
    applyStored(ydoc, sqliteCollabStore(db).load(documentId));
    return firstParagraphText(ydoc)?.toString() ?? '';
  } finally {
    db.close();
  }
}

describe('durability of accepted edits', () => {
  it('keeps a document’s content across a graceful restart, compacted into one state', async () => {
    const dataDir = tempDataDir();
    const first = await startTestServer({ dataDir });
    const { admin, id, name } = await writableDocument(first.url);
    const alice = connect(admin, first.wsUrl, name);
    (await synced(alice)).insert(0, 'Aller-vers : maraudes sociales en Gironde.');
    await expect.poll(() => isSettled(alice)).toBe(true);
    alice.destroy();
    await first.stop();

    const db = openDatabase(`${dataDir}/essaim.sqlite`, { synchronous: 'NORMAL' });
    expect(sqliteCollabStore(db).pendingUpdates(id)).toBe(0);
    db.close();

    const second = await startTestServer({ dataDir });
    const bob = connect(atAddress(admin, second.url), second.wsUrl, name);
    await expect.poll(() => bob.text.toString()).toBe('Aller-vers : maraudes sociales en Gironde.');
    bob.destroy();
    await second.stop();
  });

  it('stops on SIGTERM with exit code 0 after storing every open document', async () => {
    const dataDir = tempDataDir();
    const server = await spawnServer(dataDir);
    children.push(server);
    const { admin, id, name } = await writableDocument(server.url);
    const alice = connect(admin, server.wsUrl, name);
    (await synced(alice)).insert(0, 'Développement du pouvoir d’agir.');
    await expect.poll(() => isSettled(alice)).toBe(true);

    server.process.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    const db = openDatabase(`${dataDir}/essaim.sqlite`, { synchronous: 'NORMAL' });
    expect(sqliteCollabStore(db).pendingUpdates(id)).toBe(0);
    db.close();
    expect(storedText(dataDir, id)).toBe('Développement du pouvoir d’agir.');
  });

  // Each round kills the server at a different moment: early, mid-stream, and right at the instant
  // an acknowledgement arrives (the most adversarial point for "confirmed means stored").
  it.each([
    { label: 'after a few confirmed edits', killAfterConfirmed: 5, atAck: false },
    { label: 'in the middle of a long burst', killAfterConfirmed: 120, atAck: false },
    { label: 'at the very moment an acknowledgement arrives', killAfterConfirmed: 60, atAck: true },
    { label: 'after many edits', killAfterConfirmed: 300, atAck: true },
  ])(
    'loses no confirmed edit when the server process is SIGKILLed $label during concurrent typing',
    async ({ killAfterConfirmed, atAck }) => {
      const dataDir = tempDataDir();
      const server = await spawnServer(dataDir);
      children.push(server);
      const { admin, id, name } = await writableDocument(server.url);

      let killedWith: { a: string[]; b: string[]; seenByA: Set<string>; seenByB: Set<string> } | undefined;
      const kill = (): void => {
        if (killedWith) return;
        server.process.kill('SIGKILL');
        // Snapshot, at the instant of the kill, everything a client had been told or had seen.
        killedWith = {
          a: typistA.confirmedTokens(),
          b: typistB.confirmedTokens(),
          seenByA: tokensIn(typistA.client.text.toString()),
          seenByB: tokensIn(typistB.client.text.toString()),
        };
      };
      const onConfirmed = (t: Typist): void => {
        if (atAck && t.confirmed >= killAfterConfirmed) kill();
      };
      const typistA = new Typist(connect(admin, server.wsUrl, name), 'A', onConfirmed);
      const typistB = new Typist(connect(admin, server.wsUrl, name), 'B', onConfirmed);
      await expect.poll(() => isSettled(typistA.client) && isSettled(typistB.client)).toBe(true);
      typistA.start(2);
      typistB.start(3);

      if (!atAck) {
        await expect.poll(() => typistA.confirmed + typistB.confirmed >= killAfterConfirmed).toBe(true);
        kill();
      }
      await expect.poll(() => killedWith !== undefined, { timeout: 30_000 }).toBe(true);
      await server.exited;
      typistA.stop();
      typistB.stop();
      const snapshot = killedWith;
      if (!snapshot) throw new Error('le serveur aurait dû être arrêté');
      expect(snapshot.a.length + snapshot.b.length).toBeGreaterThan(0);

      // What the database holds right after the crash, before anybody reconnects.
      const stored = tokensIn(storedText(dataDir, id));
      const mustBeStored = [
        ...snapshot.a,
        ...snapshot.b,
        // Whatever a client received from the other was broadcast, hence logged first.
        ...[...snapshot.seenByA].filter((t) => t.startsWith('[B')),
        ...[...snapshot.seenByB].filter((t) => t.startsWith('[A')),
      ];
      const missing = mustBeStored.filter((t) => !stored.has(t));
      expect(missing).toEqual([]);

      // After a restart, the clients resend what was never confirmed: nothing at all is lost.
      typistA.client.destroy();
      typistB.client.destroy();
      const restarted = await spawnServer(dataDir);
      children.push(restarted);
      const again = atAddress(admin, restarted.url);
      const a = connect(again, restarted.wsUrl, name, typistA.client.ydoc);
      const b = connect(again, restarted.wsUrl, name, typistB.client.ydoc);
      const reader = connect(again, restarted.wsUrl, name);
      const everyToken = [...typistA.tokens, ...typistB.tokens].sort();
      await expect
        .poll(() => [...tokensIn(reader.text.toString())].sort(), { timeout: 20_000 })
        .toEqual(everyToken);
      await expect
        .poll(
          () => a.text.toString() === reader.text.toString() && b.text.toString() === reader.text.toString(),
        )
        .toBe(true);
    },
  );
});
