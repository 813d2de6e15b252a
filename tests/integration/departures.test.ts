import v8 from 'node:v8';
import vm from 'node:vm';
import type { Extension } from '@hocuspocus/server';
import { afterEach, describe, expect, it } from 'vitest';
import { phaseOf } from '../../server/src/collab/backgroundQueue.js';
import type { IndexingExtension } from '../../server/src/collab/IndexingExtension.js';
import type { Offload } from '../../server/src/collab/offload.js';
import type { PersistenceExtension } from '../../server/src/collab/PersistenceExtension.js';
import type { CollabStore } from '../../server/src/storage/collabStore.js';
import { createDocument, setupInstance, type Session } from '../support/accounts.js';
import { firstParagraphText, storedDoc } from '../support/documents.js';
import { connectAs, isSettled, synced, type NodeClient } from '../support/provider.js';
import { startTestServer, type TestServer } from '../support/server.js';

/**
 * Issue 17, departures: when the last client leaves, the compaction and the indexing of a document
 * are taken from it in one turn and run from those bytes while the document is unloaded at once
 * (server/src/collab/departures.ts). The worker is held (`Offload.hold`) to make it slow.
 */

const servers: TestServer[] = [];
const clients: NodeClient[] = [];
const restores: (() => void)[] = [];

afterEach(async () => {
  for (const restore of restores.splice(0)) restore();
  for (const client of clients.splice(0)) client.destroy();
  for (const server of servers.splice(0)) await server.stop();
});

async function start(): Promise<{ server: TestServer; admin: Session; espaceId: string }> {
  const server = await startTestServer();
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

/** The server's worker pool (the one its persistence was given). */
function workerOf(server: TestServer): Offload {
  const persistence = extension<PersistenceExtension>(server, 'persistence');
  const offload = (persistence as unknown as { options: { offload?: Offload } }).options.offload;
  if (!offload) throw new Error('pas de worker');
  return offload;
}

/** Holds the worker's requests until the test ends or releases them. */
function hold(server: TestServer): () => void {
  const release = workerOf(server).hold();
  restores.push(release);
  return release;
}

/** V8's full collection, reached as test runners reach it (as manyDocuments.test.ts does). */
function collect(): void {
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (exposed) return exposed();
  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc') as () => void;
  v8.setFlagsFromString('--no-expose-gc');
  gc();
}

/** The text the draft search holds for a document's sections, joined. */
function indexedText(server: TestServer, documentId: string): string {
  return server.services.db
    .prepare<[string], { text: string }>(
      `SELECT t.text FROM draft_search_texts t JOIN draft_search_entries e ON e.id = t.entry_id
       WHERE e.document_id = ? ORDER BY e.id`,
    )
    .all(documentId)
    .map((r) => r.text)
    .join('\n');
}

/** Types `words` at the end of the client's first paragraph and waits for the server's acknowledgement. */
async function type(client: NodeClient, words: string): Promise<void> {
  const text = await synced(client);
  text.insert(text.length, words);
  await expect.poll(() => isSettled(client)).toBe(true);
}

describe('departures (issue 17)', () => {
  it('unloads a document before its compaction and indexing end when the worker is slow, then stores both', async () => {
    const { server, admin, espaceId } = await start();
    const doc = await createDocument(admin, espaceId, 'Jardins partagés');
    const writer = open(admin, server, doc.name);
    await type(writer, 'Les jardins partagés du quartier des Aubiers.');
    const persistence = extension<PersistenceExtension>(server, 'persistence');
    const indexing = extension<IndexingExtension>(server, 'indexing');
    const store = server.services.collabStore;
    const release = hold(server);
    const hocuspocus = server.app.hocuspocus;
    const loaded = new WeakRef(hocuspocus.documents.get(doc.name) ?? {});

    writer.destroy();
    await expect.poll(() => hocuspocus.getDocumentsCount(), { timeout: 15_000 }).toBe(0);
    // Nothing of the departure keeps the unloaded Y.Doc: a collection takes it while its jobs wait.
    await expect
      .poll(() => {
        collect();
        return loaded.deref();
      })
      .toBeUndefined();
    // Unloaded while its jobs wait for the worker: the log still holds every update.
    expect(persistence.heldEntries()).toBeGreaterThan(0);
    expect(indexing.heldEntries()).toBeGreaterThan(0);
    expect(store.pendingUpdates(doc.id)).toBeGreaterThan(0);
    expect(persistence.departureStats()?.documents).toBe(1);
    expect(workerOf(server).stats().departure.jobs).toBe(0);

    release();
    await expect.poll(() => store.pendingUpdates(doc.id), { timeout: 15_000 }).toBe(0);
    await expect
      .poll(() => indexedText(server, doc.id), { timeout: 15_000 })
      .toContain('Les jardins partagés du quartier des Aubiers.');
    await expect.poll(() => persistence.heldEntries() + indexing.heldEntries()).toBe(0);
    expect(persistence.departureStats()).toEqual({ bytes: 0, documents: 0, admitting: 0 });
    // One request to the worker proved the state and read the index.
    expect(workerOf(server).stats().departure.jobs).toBe(1);
    expect(firstParagraphText(storedDoc(server.dataDir, doc.id))).toBe(
      '<paragraph>Les jardins partagés du quartier des Aubiers.</paragraph>',
    );
  });

  it('gives a client reconnecting while the unloaded document’s compaction is in flight the whole text, and loses nothing', async () => {
    const { server, admin, espaceId } = await start();
    const doc = await createDocument(admin, espaceId, 'Épicerie solidaire');
    const writer = open(admin, server, doc.name);
    await type(writer, 'Une épicerie solidaire ouverte le mardi.');
    const release = hold(server);
    writer.destroy();
    const hocuspocus = server.app.hocuspocus;
    await expect.poll(() => hocuspocus.getDocumentsCount(), { timeout: 15_000 }).toBe(0);
    expect(server.services.collabStore.pendingUpdates(doc.id)).toBeGreaterThan(0);

    // Back while the compaction waits for the worker: the load waits for it, then reads the storage.
    const back = open(admin, server, doc.name);
    await expect.poll(() => hocuspocus.loadingDocuments.size).toBe(1);
    expect(back.provider.isSynced).toBe(false);
    release();
    expect((await synced(back, 20_000)).toString()).toBe('Une épicerie solidaire ouverte le mardi.');
    await type(back, ' Et le jeudi.');
    back.destroy();
    await expect.poll(() => hocuspocus.getDocumentsCount(), { timeout: 15_000 }).toBe(0);
    await expect.poll(() => server.services.collabStore.pendingUpdates(doc.id), { timeout: 15_000 }).toBe(0);
    expect(firstParagraphText(storedDoc(server.dataDir, doc.id))).toBe(
      '<paragraph>Une épicerie solidaire ouverte le mardi. Et le jeudi.</paragraph>',
    );
  });

  it('retries from the stored log a compaction of an unloaded document that failed, and loses nothing', async () => {
    const { server, admin, espaceId } = await start();
    const doc = await createDocument(admin, espaceId, 'Repair café');
    const writer = open(admin, server, doc.name);
    await type(writer, 'Un repair café chaque premier samedi.');
    // The first write of a compacted state fails (a full disk, say); the next ones go through.
    const store: CollabStore = server.services.collabStore;
    const compact = store.compact.bind(store);
    let failures = 0;
    store.compact = (...args) => {
      if (failures === 0) {
        failures++;
        throw new Error('disque plein (test)');
      }
      compact(...args);
    };
    restores.push(() => (store.compact = compact));
    const persistence = extension<PersistenceExtension>(server, 'persistence');

    writer.destroy();
    const hocuspocus = server.app.hocuspocus;
    await expect.poll(() => hocuspocus.getDocumentsCount(), { timeout: 15_000 }).toBe(0);
    await expect.poll(() => failures, { timeout: 15_000 }).toBe(1);
    // The retry compacts what is stored: the Y.Doc is gone.
    await expect.poll(() => store.pendingUpdates(doc.id), { timeout: 15_000 }).toBe(0);
    await expect.poll(() => persistence.heldEntries()).toBe(0);
    expect(hocuspocus.getDocumentsCount()).toBe(0);
    expect(firstParagraphText(storedDoc(server.dataDir, doc.id))).toBe(
      '<paragraph>Un repair café chaque premier samedi.</paragraph>',
    );

    // And the document opens with its text.
    const back = open(admin, server, doc.name);
    expect((await synced(back)).toString()).toBe('Un repair café chaque premier samedi.');
  });

  it('unloads without waiting a document whose store was waiting its turn when the last person left, and indexes what they wrote', async () => {
    const { server, admin, espaceId } = await start();
    // A document whose store, during continuous typing, waits at least 5 s of its 10 s (its phase).
    let doc = await createDocument(admin, espaceId, 'Cuisine partagée');
    while (phaseOf(doc.name) < 0.5) doc = await createDocument(admin, espaceId, 'Cuisine partagée');
    const writer = open(admin, server, doc.name);
    const text = await synced(writer);
    const indexing = extension<IndexingExtension>(server, 'indexing');
    const persistence = extension<PersistenceExtension>(server, 'persistence');
    const pauses = (indexing as unknown as { pauses: Map<string, unknown> }).pauses;
    // Typing without a pause: Hocuspocus stores the document after 10 s, and its indexing waits.
    const typing = setInterval(() => text.insert(text.length, 'Potager. '), 200);
    try {
      await expect.poll(() => pauses.size, { timeout: 20_000 }).toBe(1);
    } finally {
      clearInterval(typing);
    }
    await expect.poll(() => isSettled(writer)).toBe(true);
    const typed = text.toString();
    const indexedBefore = persistence.queueStats()?.kinds.indexing?.jobs ?? 0;

    writer.destroy();
    await expect.poll(() => server.app.hocuspocus.getDocumentsCount(), { timeout: 15_000 }).toBe(0);
    // The departure indexed it (with its compaction, in one request); the waiting store did not.
    await expect.poll(() => indexedText(server, doc.id), { timeout: 15_000 }).toContain(typed.trim());
    await expect.poll(() => server.services.collabStore.pendingUpdates(doc.id), { timeout: 15_000 }).toBe(0);
    expect(persistence.queueStats()?.kinds.indexing?.jobs ?? 0).toBe(indexedBefore);
    await expect.poll(() => persistence.heldEntries() + indexing.heldEntries()).toBe(0);
  });

  it('writes at shutdown the compaction of a document its last client has just left', async () => {
    const { server, admin, espaceId } = await start();
    const doc = await createDocument(admin, espaceId, 'Covoiturage rural');
    const writer = open(admin, server, doc.name);
    await type(writer, 'Covoiturage vers le marché de Lure.');
    const release = hold(server);
    writer.destroy();
    await expect.poll(() => server.app.hocuspocus.getDocumentsCount(), { timeout: 15_000 }).toBe(0);
    const stopping = servers.splice(0).map((s) => s.stop());
    release();
    await Promise.all(stopping);
    const stored = storedDoc(server.dataDir, doc.id);
    expect(firstParagraphText(stored)).toBe('<paragraph>Covoiturage vers le marché de Lure.</paragraph>');
    // Compacted: the log holds nothing for it any more.
    const reopened = await startTestServer({ dataDir: server.dataDir });
    servers.push(reopened);
    expect(reopened.services.collabStore.pendingUpdates(doc.id)).toBe(0);
  });
});
