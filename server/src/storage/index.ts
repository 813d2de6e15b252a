export { openDatabase, migrate, type Db } from './db.js';
export { sqliteCollabStore, applyStored, type CollabStore, type StoredDocument } from './collabStore.js';
export {
  sqliteDocumentRepository,
  type DocumentRepository,
  type DocumentRecord,
} from './documentRepository.js';
