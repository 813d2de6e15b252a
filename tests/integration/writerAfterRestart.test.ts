import type { HocuspocusProvider } from '@hocuspocus/provider';
import { UpdateRefusal } from '@essaim/protocol';
import { afterAll, describe, expect, it } from 'vitest';
import type * as Y from 'yjs';
import { atAddress, createDocument, setupInstance, type Session } from '../support/accounts.js';
import { connectAs, connectClient, firstParagraphText, type NodeClient } from '../support/provider.js';
import { startTestServer, tempDataDir, type TestServer } from '../support/server.js';
import { MAX_MISSING_REQUESTS } from '../../server/src/collab/MessageGuardExtension.js';

/**
 * Issue 17: a program writing through a HocuspocusProvider (no editor, so none of the editor's
 * « send what is missing first ») loses, in a server restart, updates it had sent and the server
 * never received. Its next updates build on them: the server refused each one (`invalid-update`,
 * « gap in a client's clock ») and closed the connection, which reconnected in a loop for 30 to
 * 160 s. Now the server drops such an update and asks the provider for what it lacks (a
 * SyncStep1), as Yjs peers do; the provider's answer carries everything, and nothing is closed.
 */

const dataDir = tempDataDir('essaim-writer-restart');
let server: TestServer;
let admin: Session;
const clients: { destroy(): void }[] = [];

afterAll(async () => {
  for (const c of clients.splice(0)) c.destroy();
  await server.stop();
});

/** A bare HocuspocusProvider, as a program uses it (no offline-edits ordering), and the reasons it was closed for. */
function program(url: string, name: string, session: Session) {
  const client = connectClient(url, name, { token: () => session.collabToken(), offlineEditsFirst: false });
  const closes: string[] = [];
  client.provider.on('close', ({ event }: { event: { reason?: string } }) => closes.push(event.reason ?? ''));
  clients.push(client);
  return Object.assign(client, { closes });
}

const settled = (provider: HocuspocusProvider): boolean => provider.isSynced && !provider.hasUnsyncedChanges;

describe('a program writing through a provider across a server restart', () => {
  it('gets what the server lost asked back instead of its updates refused, and a reader sees every word', async () => {
    server = await startTestServer({ dataDir });
    const port = new URL(server.url).port;
    ({ admin } = await setupInstance(server.url));
    const { espaceId } = await (async () => {
      const response = await admin.fetch('/api/espaces');
      const body = (await response.json()) as { espaces: { id: string }[] };
      return { espaceId: body.espaces[0]?.id ?? '' };
    })();
    const doc = await createDocument(admin, espaceId, 'Écrite par un programme');
    const writer = program(server.wsUrl, doc.name, admin);
    await expect.poll(() => firstParagraphText(writer.ydoc) !== undefined, { timeout: 10_000 }).toBe(true);
    const text = firstParagraphText(writer.ydoc) as Y.XmlText;
    text.insert(0, 'avant ');
    await expect.poll(() => settled(writer.provider), { timeout: 10_000 }).toBe(true);

    await server.stop();
    // Sent as the server went down, never received: lost with the restart (the provider sends
    // nothing for a change made under its own origin).
    writer.ydoc.transact(() => text.insert(text.length, 'perdu '), writer.provider);
    // Typed while the server is down, one update per keystroke, more than MAX_MISSING_REQUESTS:
    // queued, sent in one burst at the reconnection before any sync, each with the gap (tester
    // BR25: the asks were spent in 4 ms and the writer was closed).
    const typed = Array.from({ length: MAX_MISSING_REQUESTS + 10 }, (_, i) => `k${i} `);
    for (const key of typed) text.insert(text.length, key);
    server = await startTestServer({ dataDir, env: { PORT: port } });
    admin = atAddress(admin, server.url);
    await expect.poll(() => settled(writer.provider), { timeout: 20_000 }).toBe(true);

    // Once more on the new server: an update lost, then the program goes on writing.
    writer.ydoc.transact(() => text.insert(text.length, 'perdu-encore '), writer.provider);
    text.insert(text.length, 'après');
    await expect.poll(() => settled(writer.provider), { timeout: 20_000 }).toBe(true);

    const reader: NodeClient = connectAs(admin, server.wsUrl, doc.name);
    clients.push(reader);
    await expect
      .poll(() => firstParagraphText(reader.ydoc)?.toString(), { timeout: 20_000 })
      .toBe(`avant perdu ${typed.join('')}perdu-encore après`);
    expect(writer.closes.filter((reason) => reason === UpdateRefusal.Invalid)).toEqual([]);
    // Nothing refused was audited either.
    const audit = (await (await admin.fetch('/api/audit')).json()) as { entries: { action: string }[] };
    expect(audit.entries.filter((e) => e.action.includes('refus'))).toEqual([]);
  }, 90_000);

  it('acknowledges the updates dropped while its writer was being asked, so its provider counts nothing unsent (tester BR27)', async () => {
    const response = await admin.fetch('/api/espaces');
    const espaceId = ((await response.json()) as { espaces: { id: string }[] }).espaces[0]?.id ?? '';
    const doc = await createDocument(admin, espaceId, 'Écrite pendant la reconnexion');
    const writer = program(server.wsUrl, doc.name, admin);
    await expect.poll(() => firstParagraphText(writer.ydoc) !== undefined, { timeout: 10_000 }).toBe(true);
    const text = firstParagraphText(writer.ydoc) as Y.XmlText;
    text.insert(0, 'avant ');
    await expect.poll(() => settled(writer.provider), { timeout: 10_000 }).toBe(true);

    const port = new URL(server.url).port;
    await server.stop();
    writer.ydoc.transact(() => text.insert(text.length, 'perdu '), writer.provider);
    // Typed the moment the new server has let it in, before its first sync: two updates after the
    // provider counted afresh, both with the gap. The first is asked for, the second dropped
    // while the ask waits for its answer.
    const typeTwo = () => {
      writer.provider.off('authenticated', typeTwo);
      text.insert(text.length, 'un ');
      text.insert(text.length, 'deux');
    };
    writer.provider.on('authenticated', typeTwo);
    server = await startTestServer({ dataDir, env: { PORT: port } });
    admin = atAddress(admin, server.url);
    await expect.poll(() => settled(writer.provider), { timeout: 20_000 }).toBe(true);
    expect(writer.provider.unsyncedChanges).toBe(0);

    const reader: NodeClient = connectAs(admin, server.wsUrl, doc.name);
    clients.push(reader);
    await expect
      .poll(() => firstParagraphText(reader.ydoc)?.toString(), { timeout: 20_000 })
      .toBe('avant perdu un deux');
  }, 90_000);
});
