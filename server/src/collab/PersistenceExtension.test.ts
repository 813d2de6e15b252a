import { randomUUID } from 'node:crypto';
import { documentName, emptyMetadata } from '@essaim/protocol';
import type { onStoreDocumentPayload } from '@hocuspocus/server';
import { describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { createLogger } from '../logger.js';
import { sqliteCollabStore, type CollabStore } from '../storage/collabStore.js';
import { openDatabase } from '../storage/db.js';
import { sqliteDocumentRepository } from '../storage/documentRepository.js';
import type { CollabContext } from './context.js';
import { durableUpdates } from './durableUpdates.js';
import { PersistenceExtension } from './PersistenceExtension.js';

function setup(storeOverride?: (real: CollabStore) => CollabStore) {
  const db = openDatabase(':memory:', { synchronous: 'NORMAL' });
  const repository = sqliteDocumentRepository(db);
  const id = randomUUID();
  const at = new Date().toISOString();
  repository.insert(
    {
      id,
      espaceId: null,
      kind: 'fiche',
      title: 'Fiche',
      createdAt: at,
      updatedAt: at,
      metadata: emptyMetadata('Fiche'),
      sections: [],
      pages: 0,
    },
    Y.encodeStateAsUpdate(new Y.Doc()),
  );
  const name = documentName(id);
  const real = sqliteCollabStore(db);
  const store = storeOverride ? storeOverride(real) : real;
  const extension = new PersistenceExtension({
    store,
    logger: createLogger('silent'),
    retryDelayMs: 5,
    durable: durableUpdates({ store }),
  });
  return { db, id, name, real, extension };
}

const storePayload = (documentName: string, document: Y.Doc) =>
  ({ documentName, document }) as unknown as onStoreDocumentPayload<CollabContext>;

describe('PersistenceExtension', () => {
  it('appends every change to the log and folds the log into one state on store', async () => {
    const { id, name, real, extension } = setup();
    const doc = new Y.Doc();
    doc.on('update', (update: Uint8Array) => {
      void extension.onChange({ documentName: name, update, transactionOrigin: null } as never);
    });
    doc.getText('t').insert(0, 'un ');
    doc.getText('t').insert(3, 'deux');
    // Queued, then committed together (pendingUpdates commits first, as every read does).
    expect(real.pendingUpdates(id)).toBe(2);

    await extension.onStoreDocument(storePayload(name, doc));
    expect(real.pendingUpdates(id)).toBe(0);
    const loaded = new Y.Doc();
    await extension.onLoadDocument({ documentName: name, document: loaded } as never);
    expect(loaded.getText('t').toString()).toBe('un deux');
  });

  it('rethrows a failed compaction and retries it until it succeeds, losing nothing', async () => {
    let failures = 2;
    const { id, name, real, extension } = setup((store) => ({
      ...store,
      compact: (...args) => {
        if (failures-- > 0) throw new Error('disque occupé');
        store.compact(...args);
      },
    }));
    const doc = new Y.Doc();
    doc.on('update', (update: Uint8Array) => {
      void extension.onChange({ documentName: name, update, transactionOrigin: null } as never);
    });
    doc.getText('t').insert(0, 'texte important');

    await expect(extension.onStoreDocument(storePayload(name, doc))).rejects.toThrow('disque occupé');
    await vi.waitFor(() => expect(real.pendingUpdates(id)).toBe(0));
    const loaded = new Y.Doc();
    await extension.onLoadDocument({ documentName: name, document: loaded } as never);
    expect(loaded.getText('t').toString()).toBe('texte important');
    await extension.onDestroy();
  });
});
