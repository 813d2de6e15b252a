import { openDatabase, sqliteDocumentRepository } from '@essaim/server/storage';
import { META_MAP, type DocumentDto, type DocumentListDto } from '@essaim/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { atAddress, writableDocument, type Session } from '../support/accounts.js';
import { sectionId, writeInSection } from '../support/comments.js';
import { connectAs, isSettled, synced, type NodeClient } from '../support/provider.js';
import { spawnServer, tempDataDir, type ChildServer } from '../support/server.js';

/**
 * Issue 17 (tester BR32): the catalogue mirror and the draft search are derived from the text
 * after it is durable, in the background. A server killed between an edit's acknowledgement and
 * the document's indexing used to leave the index behind the text for good: the words were there,
 * nobody could find them, and reopening the document did not help. Each index now carries the
 * update-log position it was read at, and at start-up the documents whose log or state go past it
 * are indexed again from their stored text.
 */

/** A store comes at most 10 s after the last change (Hocuspocus `maxDebounce`). */
const STORED = { timeout: 20_000, interval: 200 };

const open: NodeClient[] = [];
const children: ChildServer[] = [];

afterEach(() => {
  for (const c of open.splice(0)) c.destroy();
  for (const child of children.splice(0)) child.process.kill('SIGKILL');
});

async function start(dataDir: string): Promise<ChildServer> {
  const server = await spawnServer(dataDir);
  children.push(server);
  return server;
}

/** A server of its own, a new fiche and its writer connected, `words` written in its first section. */
async function written(words: string) {
  const dataDir = tempDataDir();
  const first = await start(dataDir);
  const { admin, espaceId, id, name } = await writableDocument(first.url);
  const writer = connectAs(admin, first.wsUrl, name);
  open.push(writer);
  await synced(writer);
  writeInSection(writer.ydoc, sectionId(writer.ydoc, 1), words);
  return { dataDir, first, admin, espaceId, id, writer };
}

/** `GET /api/documents?q=…` in the espace, expecting 200. */
async function search(session: Session, espaceId: string, q: string): Promise<DocumentDto[]> {
  const query = new URLSearchParams({ espaceId, q });
  const response = await session.fetch(`/api/documents?${query.toString()}`);
  expect(response.status).toBe(200);
  return ((await response.json()) as DocumentListDto).documents;
}

/** The document's index position and the last log position holding one of its updates. */
function positions(dataDir: string, id: string): { indexed: number; logged: number } {
  const db = openDatabase(`${dataDir}/essaim.sqlite`, { synchronous: 'NORMAL' });
  try {
    const indexed = db.prepare('SELECT indexed_seq AS n FROM documents WHERE id = ?').get(id) as {
      n: number;
    };
    const logged = db
      .prepare('SELECT COALESCE(MAX(seq), 0) AS n FROM document_updates WHERE document_id = ?')
      .get(id) as { n: number };
    return { indexed: indexed.n, logged: logged.n };
  } finally {
    db.close();
  }
}

describe('the index after a crash', () => {
  it('finds by their new words and title, after a SIGKILL and a restart, a document edited just before the kill', async () => {
    const { dataDir, first, admin, espaceId, id, writer } = await written('Les maraudes de Gironde.');
    // Indexed once (the store comes within 10 s)...
    await expect
      .poll(async () => (await search(admin, espaceId, 'maraudes')).map((d) => d.id), STORED)
      .toEqual([id]);
    // ... then edited again, acknowledged (so durable), and killed before the next store.
    writer.ydoc.transact(() => {
      writeInSection(writer.ydoc, sectionId(writer.ydoc, 2), 'Des équipes zéphyrines.');
      writer.ydoc.getMap(META_MAP).set('title', 'Maraudes zéphyrines');
    });
    await expect.poll(() => isSettled(writer)).toBe(true);
    first.process.kill('SIGKILL');
    await first.exited;
    writer.destroy();
    const before = positions(dataDir, id);
    expect(before.indexed).toBeLessThan(before.logged);

    const second = await start(dataDir);
    const reader = atAddress(admin, second.url);
    // Nobody opens the document: the start-up catch-up alone indexes it.
    await expect
      .poll(async () => (await search(reader, espaceId, 'zéphyrines')).map((d) => [d.id, d.title]), STORED)
      .toEqual([[id, 'Maraudes zéphyrines']]);
    const after = positions(dataDir, id);
    expect(after.indexed).toBeGreaterThanOrEqual(after.logged);
  });

  it('leaves no index behind its text after a graceful stop, so a start has nothing to catch up', async () => {
    const { dataDir, first, admin, espaceId, id, writer } = await written(
      'Une conférence familiale à Rennes.',
    );
    await expect.poll(() => isSettled(writer)).toBe(true);
    // Still connected at the stop: the shutdown stores and indexes the document.
    first.process.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    const db = openDatabase(`${dataDir}/essaim.sqlite`, { synchronous: 'NORMAL' });
    try {
      expect(sqliteDocumentRepository(db).staleIndexes(10)).toEqual([]);
    } finally {
      db.close();
    }
    const second = await start(dataDir);
    expect((await search(atAddress(admin, second.url), espaceId, 'Rennes')).map((d) => d.id)).toEqual([id]);
  });
});
