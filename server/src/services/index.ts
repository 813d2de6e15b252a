import type { Db } from '../storage/db.js';
import { sqliteCollabStore, type CollabStore } from '../storage/collabStore.js';
import { sqliteDocumentRepository } from '../storage/documentRepository.js';
import { DocumentService } from './documentService.js';

/** Everything the transports need, built once per process over one database. */
export interface Services {
  db: Db;
  documents: DocumentService;
  collabStore: CollabStore;
}

export function buildServices(db: Db): Services {
  return {
    db,
    documents: new DocumentService(sqliteDocumentRepository(db)),
    collabStore: sqliteCollabStore(db),
  };
}
