import type { Hocuspocus } from '@hocuspocus/server';
import { documentName } from '@essaim/protocol';
import type { LiveDocuments } from '../services/liveDocuments.js';
import type { CollabContext } from './context.js';

/**
 * {@link LiveDocuments} on Hocuspocus: a change is made through a direct connection, which uses
 * the loaded document when people have it open and loads it (through the persistence extension)
 * otherwise. The transaction's origin is Hocuspocus's `local` origin carrying `{ userId }`, which
 * the persistence extension writes in the update log as the change's author. The connection is
 * closed without unloading at once: the document stays warm until its debounced store, so clients
 * connecting meanwhile join the same copy (hocuspocus#832).
 */
export function hocuspocusLiveDocuments(hocuspocus: Hocuspocus<CollabContext>): LiveDocuments {
  return {
    get: (documentId) => {
      const document = hocuspocus.documents.get(documentName(documentId));
      return document && !document.isLoading ? document : undefined;
    },
    async change(documentId, actorId, change) {
      const context = { userId: actorId ?? undefined } as CollabContext;
      const connection = await hocuspocus.openDirectConnection(documentName(documentId), context);
      try {
        await connection.transact((doc) => change(doc));
      } finally {
        await connection.disconnect({ unloadImmediately: false });
      }
    },
    broadcast: (documentId, message) => {
      hocuspocus.documents.get(documentName(documentId))?.broadcastStateless(JSON.stringify(message));
    },
  };
}
