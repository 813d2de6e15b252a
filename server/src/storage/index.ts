export { openDatabase, migrate, type Db } from './db.js';
export { sqliteCollabStore, applyStored, type CollabStore, type StoredDocument } from './collabStore.js';
export { sqliteCommentRepository, type CommentRepository } from './commentRepository.js';
export { sqliteNotificationRepository, type NotificationRepository } from './notificationRepository.js';
export {
  sqliteDocumentRepository,
  type DocumentRepository,
  type DocumentRecord,
} from './documentRepository.js';
