import type { ThreadListDto, VersionDto } from '@essaim/protocol';
import { ydocToText } from '@essaim/editor';
import { afterAll, describe, expect, it } from 'vitest';
import { atAddress, createDocument, setupInstance, type Session } from '../support/accounts.js';
import { sectionId, threadInput, writeInSection } from '../support/comments.js';
import { storedDoc } from '../support/documents.js';
import { connectAs, isSettled, type NodeClient } from '../support/provider.js';
import { startTestServer, tempDataDir, type TestServer } from '../support/server.js';

/**
 * A restore (issue 11) survives a server restart without duplicating anything for a client that
 * kept its copy, and never makes a comment thread vanish: a thread on words the restore keeps stays
 * anchored, a thread on words it removes is orphaned with its quote.
 */

const SETTLE = { timeout: 10_000 };
const servers: TestServer[] = [];
const clients: NodeClient[] = [];
afterAll(async () => {
  for (const client of clients) client.destroy();
  for (const server of servers) await server.stop();
});

async function open(session: Session, server: TestServer, name: string, ydoc?: NodeClient['ydoc']) {
  const client = connectAs(session, server.wsUrl, name, ydoc ? { ydoc } : {});
  clients.push(client);
  await expect.poll(() => client.provider.isSynced, SETTLE).toBe(true);
  return client;
}

async function post<T>(session: Session, path: string, json?: unknown): Promise<T> {
  const response = await session.fetch(path, { method: 'POST', json });
  expect(response.status, await response.clone().text()).toBeLessThan(300);
  return (await response.json()) as T;
}

describe('restore, threads and a server restart', () => {
  it('keeps threads (anchored or orphaned) and duplicates nothing for a client that reconnects after a restart', async () => {
    const dataDir = tempDataDir();
    const first = await startTestServer({ dataDir });
    servers.push(first);
    const { admin, espaceId } = await setupInstance(first.url);
    const doc = await createDocument(admin, espaceId, 'Conférences familiales');
    const writer = await open(admin, first, doc.name);
    const section = sectionId(writer.ydoc, 1);
    writeInSection(writer.ydoc, section, 'La famille décide du plan.');
    await expect.poll(() => isSettled(writer), SETTLE).toBe(true);
    const { version: before } = await post<{ version: VersionDto }>(
      admin,
      `/api/documents/${doc.id}/versions`,
      {
        label: 'Avant',
      },
    );
    writeInSection(writer.ydoc, section, 'La famille décide du plan. Un coordinateur l’accompagne.');
    await expect.poll(() => isSettled(writer), SETTLE).toBe(true);

    await post(
      admin,
      `/api/documents/${doc.id}/threads`,
      threadInput(writer.ydoc, section, 'décide du plan', 'Gardé ?'),
    );
    await post(
      admin,
      `/api/documents/${doc.id}/threads`,
      threadInput(writer.ydoc, section, 'Un coordinateur', 'Retiré ?'),
    );
    await post(admin, `/api/documents/${doc.id}/versions/${before.id}/restore`);
    await expect.poll(() => ydocToText(writer.ydoc), SETTLE).not.toContain('coordinateur');

    const threads = await admin.fetch(`/api/documents/${doc.id}/threads`);
    const listed = ((await threads.json()) as ThreadListDto).threads;
    expect(listed.map((t) => [t.quote, t.orphaned]).sort()).toEqual([
      ['Un coordinateur', true],
      ['décide du plan', false],
    ]);

    // The server stops and starts again on the same port and data; the client kept its copy.
    const text = ydocToText(writer.ydoc);
    const kept = writer.ydoc;
    writer.provider.destroy();
    writer.socket.destroy();
    await first.stop();
    const port = new URL(first.url).port;
    const second = await startTestServer({ dataDir, env: { PORT: port } });
    servers.push(second);
    const again = await open(atAddress(admin, second.url), second, doc.name, kept);
    await expect.poll(() => isSettled(again), SETTLE).toBe(true);
    expect(ydocToText(again.ydoc)).toBe(text);
    expect(ydocToText(again.ydoc).split('La famille décide du plan.').length).toBe(2);
    const fresh = await open(atAddress(admin, second.url), second, doc.name);
    expect(ydocToText(fresh.ydoc)).toBe(text);
    again.destroy();
    fresh.destroy();
    await expect.poll(() => second.app.hocuspocus.documents.has(doc.name), { timeout: 20_000 }).toBe(false);
    expect(ydocToText(storedDoc(dataDir, doc.id))).toBe(text);
  });
});
