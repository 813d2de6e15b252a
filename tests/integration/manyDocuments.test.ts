import v8 from 'node:v8';
import vm from 'node:vm';
import type { Extension } from '@hocuspocus/server';
import { afterEach, describe, expect, it } from 'vitest';
import type { IndexingExtension } from '../../server/src/collab/IndexingExtension.js';
import type { MemoryReleaseExtension } from '../../server/src/collab/MemoryReleaseExtension.js';
import type { PersistenceExtension } from '../../server/src/collab/PersistenceExtension.js';
import { createDocument, setupInstance, type Session } from '../support/accounts.js';
import { firstParagraphText, storedDoc } from '../support/documents.js';
import { connectAs, isSettled, synced, type NodeClient } from '../support/provider.js';
import { Msg, RawClient } from '../support/rawClient.js';
import { startTestServer, type TestServer } from '../support/server.js';

/**
 * Issue 17: many documents at once. What the server holds for a document must go when its last
 * client leaves (Hocuspocus's maps, our extensions' maps, the background queue), every document
 * must be compacted then, a document people are connected to is compacted only once enough
 * updates piled up, and a loaded document and a connection each stay within a memory budget.
 */

const servers: TestServer[] = [];
const clients: NodeClient[] = [];
const raws: RawClient[] = [];

afterEach(async () => {
  for (const client of clients.splice(0)) client.destroy();
  for (const raw of raws.splice(0)) raw.close();
  for (const server of servers.splice(0)) await server.stop();
});

async function start(env: Record<string, string> = {}): Promise<{
  server: TestServer;
  admin: Session;
  espaceId: string;
}> {
  const server = await startTestServer({ env });
  servers.push(server);
  return { server, ...(await setupInstance(server.url)) };
}

function open(admin: Session, server: TestServer, name: string): NodeClient {
  const client = connectAs(admin, server.wsUrl, name);
  clients.push(client);
  return client;
}

function extension<T extends Extension>(server: TestServer, name: string): T {
  const found = server.app.hocuspocus.configuration.extensions.find((e) => e.extensionName === name);
  if (!found) throw new Error(`extension ${name} absente`);
  return found as T;
}

/** V8's full collection, reached as test runners reach it (without exposing `gc` globally). */
function collector(): () => void {
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (exposed) return exposed;
  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc') as () => void;
  v8.setFlagsFromString('--no-expose-gc');
  return gc;
}

/** Heap in use after full collections (KiB): what stays reachable. */
function liveHeapKiB(): number {
  const gc = collector();
  gc();
  gc();
  return process.memoryUsage().heapUsed / 1024;
}

describe('many documents at once (issue 17)', () => {
  it('keeps nothing of 12 documents once each one’s writer and reader have left, every one compacted', async () => {
    const { server, admin, espaceId } = await start();
    const docs = await Promise.all(
      Array.from({ length: 12 }, (_v, i) => createDocument(admin, espaceId, `Fiche ${i + 1}`)),
    );
    const pairs = docs.map((doc) => ({
      doc,
      writer: open(admin, server, doc.name),
      reader: open(admin, server, doc.name),
    }));
    // Everybody types at the same time, as in a workshop: each writer a sentence of their own.
    await Promise.all(
      pairs.map(async ({ writer }, i) =>
        (await synced(writer)).insert(0, `Atelier ${i + 1} : pair-aidance.`),
      ),
    );
    for (const [i, { reader, writer }] of pairs.entries()) {
      await expect
        .poll(() => isSettled(writer) && reader.text.toString())
        .toBe(`Atelier ${i + 1} : pair-aidance.`);
    }
    const hocuspocus = server.app.hocuspocus;
    expect(hocuspocus.getDocumentsCount()).toBe(12);

    for (const { writer, reader } of pairs) {
      writer.destroy();
      reader.destroy();
    }
    await expect.poll(() => hocuspocus.getDocumentsCount(), { timeout: 15_000 }).toBe(0);

    // Hocuspocus's own maps and timers.
    expect(hocuspocus.loadingDocuments.size).toBe(0);
    expect(hocuspocus.unloadingDocuments.size).toBe(0);
    expect(hocuspocus.getConnectionsCount()).toBe(0);
    for (const { doc } of pairs) {
      expect(hocuspocus.debouncer.isDebounced(`onStoreDocument-${doc.name}`)).toBe(false);
      expect(hocuspocus.debouncer.isCurrentlyExecuting(`onStoreDocument-${doc.name}`)).toBe(false);
    }
    // Ours: per-document entries by name (the rest is kept in WeakMaps keyed by the Y.Doc or the
    // connection, which go with them), and the background queue.
    // Departed documents' compactions and indexings end in the background, after the unload.
    await expect
      .poll(() => extension<PersistenceExtension>(server, 'persistence').heldEntries(), { timeout: 15_000 })
      .toBe(0);
    expect(extension<IndexingExtension>(server, 'indexing').heldEntries()).toBe(0);
    const guards = (extension(server, 'section-locks') as unknown as { guards: Map<string, unknown> }).guards;
    expect(guards.size).toBe(0);
    // The review service's cache of locked sections, filled when each document was loaded.
    const lockCache = (server.services.reviews as unknown as { lockCache: Map<string, unknown> }).lockCache;
    expect(pairs.filter(({ doc }) => lockCache.has(doc.id))).toEqual([]);
    // The server went idle: the memory of the unloaded documents was collected.
    await expect
      .poll(() => extension<MemoryReleaseExtension>(server, 'memory-release').collections, {
        timeout: 10_000,
      })
      .toBeGreaterThanOrEqual(1);

    // Every document was compacted when its last client left, and holds its writer's sentence.
    for (const [i, { doc }] of pairs.entries()) {
      expect(server.services.collabStore.pendingUpdates(doc.id)).toBe(0);
      expect(firstParagraphText(storedDoc(server.dataDir, doc.id))).toBe(
        `<paragraph>Atelier ${i + 1} : pair-aidance.</paragraph>`,
      );
    }
  });

  it('relays a hundred caret moves of one client and binds only that client’s id on the server', async () => {
    const { server, admin, espaceId } = await start();
    const doc = await createDocument(admin, espaceId, 'Permanences du jeudi');
    const writer = open(admin, server, doc.name);
    const reader = open(admin, server, doc.name);
    await synced(writer);
    await synced(reader);
    // The server relays only `user` and `cursor`: each move is a caret whose position carries i.
    const caret = (i: number) => ({
      anchor: { item: { client: 1, clock: i } },
      head: { item: { client: 1, clock: i } },
    });
    for (let i = 1; i <= 100; i++) writer.provider.setAwarenessField('cursor', caret(i));
    await expect
      .poll(
        () =>
          (
            reader.provider.awareness?.getStates().get(writer.ydoc.clientID) as
              { cursor?: { head?: { item?: { clock?: number } } } } | undefined
          )?.cursor?.head?.item?.clock,
      )
      .toBe(100);
    // The awareness messages were read without a scratch document of their own (patches/
    // @hocuspocus+server): no client id but the two providers' was ever bound or announced.
    const document = server.app.hocuspocus.documents.get(doc.name);
    if (!document) throw new Error('document non chargé');
    const binding = extension(server, 'awareness-binding') as unknown as {
      holders: WeakMap<object, Map<number, unknown>>;
    };
    const providers = [writer.ydoc.clientID, reader.ydoc.clientID];
    const bound = [...(binding.holders.get(document)?.keys() ?? [])];
    const announced = [...document.awareness.getStates().keys()].filter((id) => id !== document.clientID);
    expect(bound).toContain(writer.ydoc.clientID);
    expect(bound.filter((id) => !providers.includes(id))).toEqual([]);
    expect(announced).toContain(writer.ydoc.clientID);
    expect(announced.filter((id) => !providers.includes(id))).toEqual([]);
  });

  it('leaves a few updates in the log while people are connected, and compacts once enough piled up', async () => {
    const { server, admin, espaceId } = await start({ COMPACT_AFTER_UPDATES: '20' });
    const doc = await createDocument(admin, espaceId, 'Aller-vers dans l’Oise');
    const writer = open(admin, server, doc.name);
    const reader = open(admin, server, doc.name);
    const text = await synced(writer);
    const persistence = extension<PersistenceExtension>(server, 'persistence');
    const indexed = (): number => persistence.queueStats()?.kinds.indexing?.jobs ?? 0;
    const before = indexed();

    for (const word of ['Maraudes ', 'de ', 'nuit.']) text.insert(text.length, word);
    await expect.poll(() => isSettled(writer) && reader.text.toString()).toBe('Maraudes de nuit.');
    // The debounced store ran (it indexed the document) but left the three updates in the log.
    await expect.poll(indexed, { timeout: 10_000 }).toBeGreaterThan(before);
    expect(server.services.collabStore.pendingUpdates(doc.id)).toBeGreaterThanOrEqual(3);

    // Past the threshold (20 updates, at most 25 for this document), the next store compacts.
    for (let i = 0; i < 26; i++) text.insert(text.length, '.');
    await expect
      .poll(() => server.services.collabStore.pendingUpdates(doc.id), { timeout: 15_000 })
      .toBeLessThan(3);
    expect(reader.text.toString()).toBe(`Maraudes de nuit.${'.'.repeat(26)}`);
    expect(firstParagraphText(storedDoc(server.dataDir, doc.id))).toBe(
      `<paragraph>Maraudes de nuit.${'.'.repeat(26)}</paragraph>`,
    );
  });

  it('holds a loaded fiche in under 256 KiB and a connection in under 64 KiB of heap', async () => {
    const { server, admin, espaceId } = await start();
    const hocuspocus = server.app.hocuspocus;
    const docs = await Promise.all(
      Array.from({ length: 40 }, (_v, i) => createDocument(admin, espaceId, `Fiche ${i + 1}`)),
    );
    // Documents alone: loaded by the server for a direct connection each, no socket.
    const empty = liveHeapKiB();
    const direct = await Promise.all(
      docs.map((doc) => hocuspocus.openDirectConnection(doc.name, { userId: admin.userId } as never)),
    );
    const perDocument = (liveHeapKiB() - empty) / docs.length;

    // Connections: raw authenticated sockets (almost nothing on the client side, which shares
    // this heap), 5 on each of 8 documents already loaded.
    const token = await admin.collabToken();
    const before = liveHeapKiB();
    for (const doc of docs.slice(0, 8)) {
      for (let i = 0; i < 5; i++) {
        const raw = await RawClient.open(server.wsUrl);
        raws.push(raw);
        raw.authenticate(doc.name, token);
      }
    }
    await expect
      .poll(() => raws.every((r) => r.frames.some((f) => f.type === Msg.Auth && f.authType === 2)))
      .toBe(true);
    const perConnection = (liveHeapKiB() - before) / raws.length;

    expect(perDocument).toBeLessThan(256);
    expect(perConnection).toBeLessThan(64);

    for (const raw of raws.splice(0)) raw.close();
    await Promise.all(direct.map((connection) => connection.disconnect()));
    await expect.poll(() => hocuspocus.getDocumentsCount(), { timeout: 15_000 }).toBe(0);
  });
});
