import type { Logger } from '../logger.js';
import { sqliteAccountRepository } from '../storage/accountRepository.js';
import { sqliteAuditRepository } from '../storage/auditRepository.js';
import { sqliteCollabStore, type CollabStore } from '../storage/collabStore.js';
import type { Db } from '../storage/db.js';
import { sqliteDocumentRepository } from '../storage/documentRepository.js';
import { sqliteEspaceRepository } from '../storage/espaceRepository.js';
import { sqliteFileRepository } from '../storage/fileRepository.js';
import { sqliteThemeRepository } from '../storage/themeRepository.js';
import { sqliteSettingsRepository, type SettingsRepository } from '../storage/settingsRepository.js';
import { sqliteCommentRepository } from '../storage/commentRepository.js';
import { sqliteNotificationRepository } from '../storage/notificationRepository.js';
import { sqliteClientRepository } from '../storage/clientRepository.js';
import { sqliteVersionRepository } from '../storage/versionRepository.js';
import { sqliteDraftSearchRepository } from '../storage/draftSearchRepository.js';
import { DraftSearchService } from './draftSearchService.js';
import { VersionService, defaultVersionSchedule, type VersionSchedule } from './versionService.js';
import { CommentEvents } from './commentEvents.js';
import { CommentService } from './commentService.js';
import { NotificationService } from './notificationService.js';
import { AccessEvents } from './accessEvents.js';
import { Actors } from './actors.js';
import { AuditService } from './auditService.js';
import { AuthService, defaultAuthSettings, type AuthSettings } from './authService.js';
import { CatalogueService } from './catalogueService.js';
import { DocumentService, type DocumentLimits } from './documentService.js';
import { IndexingService } from './indexingService.js';
import { ReviewService, reviewProgress } from './reviewService.js';
import { PublicationService, publicationSummaries } from './publicationService.js';
import { SignalService } from './signalService.js';
import { ExportService } from './exportService.js';
import { KitService } from './kitService.js';
import { sqlitePortalQueries } from '../portal/portalQueries.js';
import { sqliteSignalRepository } from '../storage/signalRepository.js';
import { sqliteReviewRepository } from '../storage/reviewRepository.js';
import { sqlitePublicationRepository } from '../storage/publicationRepository.js';
import { EspaceService } from './espaceService.js';
import { FileService } from './fileService.js';
import { ThemeService } from './themeService.js';
import { disabledMailer, smtpMailer } from './mailer.js';
import { UserService } from './userService.js';

/** Everything the transports (HTTP, websocket, CLI) need, built once per process over one database. */
export interface Services {
  db: Db;
  actors: Actors;
  auth: AuthService;
  espaces: EspaceService;
  documents: DocumentService;
  catalogue: CatalogueService;
  /** The catalogue's full-text search of drafts and comment threads (issue 18). */
  draftSearch: DraftSearchService;
  indexing: IndexingService;
  users: UserService;
  audit: AuditService;
  events: AccessEvents;
  collabStore: CollabStore;
  files: FileService;
  themes: ThemeService;
  settings: SettingsRepository;
  comments: CommentService;
  notifications: NotificationService;
  commentEvents: CommentEvents;
  versions: VersionService;
  reviews: ReviewService;
  publications: PublicationService;
  signals: SignalService;
  exports: ExportService;
  kit: KitService;
}

export interface ServiceOptions {
  logger: Logger;
  authSettings?: Partial<AuthSettings>;
  smtp?: { url: string; from: string } | null;
  /** Where uploaded files are kept (`DATA_DIR/files`). */
  filesDir: string;
  /** Where built kits d'essaimage are cached (`DATA_DIR/cache/kits`), by set of publications. */
  kitCacheDir: string;
  /**
   * Where exports of publications are cached (`DATA_DIR/cache/exports`): a publication is frozen,
   * so its PDF, DOCX… are made once. None: no cache (every export is made again).
   */
  exportCacheDir?: string;
  /** When automatic versions are taken (defaults: 5 min pause, 30 min of continuous activity). */
  versionSchedule?: VersionSchedule;
  /** How many documents one account may create (default: no limit; the server passes its setting). */
  documentLimits?: DocumentLimits;
}

export function buildServices(db: Db, options: ServiceOptions): Services {
  const accounts = sqliteAccountRepository(db);
  const espaceRepo = sqliteEspaceRepository(db);
  const documentRepo = sqliteDocumentRepository(db);
  const events = new AccessEvents();
  const settings = sqliteSettingsRepository(db);
  const audit = new AuditService(sqliteAuditRepository(db));
  const actors = new Actors(accounts, espaceRepo);
  const mailer = options.smtp
    ? smtpMailer(options.smtp.url, options.smtp.from, options.logger)
    : disabledMailer;
  const auth = new AuthService({
    db,
    accounts,
    espaces: espaceRepo,
    settings,
    actors,
    audit,
    events,
    mailer,
    authSettings: { ...defaultAuthSettings, ...options.authSettings },
    logger: options.logger.child({ component: 'auth' }),
  });
  const themeRepo = sqliteThemeRepository(db);
  const collabStore = sqliteCollabStore(db);
  const commentRepo = sqliteCommentRepository(db);
  const threadCounts = { openThreads: (ids: readonly string[]) => commentRepo.openThreadCounts(ids) };
  const reviewRepo = sqliteReviewRepository(db);
  const draftSearch = new DraftSearchService(
    sqliteDraftSearchRepository(db),
    documentRepo,
    commentRepo,
    collabStore,
    (err, context) => options.logger.error({ err }, context),
  );
  const indexing = new IndexingService(documentRepo, espaceRepo, undefined, draftSearch, collabStore);
  const publicationRepo = sqlitePublicationRepository(db);
  const progress = reviewProgress(reviewRepo, publicationRepo);
  const signalRepo = sqliteSignalRepository(db);
  const published = publicationSummaries(publicationRepo, signalRepo);
  const documents = new DocumentService(
    documentRepo,
    espaceRepo,
    themeRepo,
    audit,
    events,
    threadCounts,
    progress,
    published,
    options.documentLimits,
  );
  const commentEvents = new CommentEvents();
  commentEvents.onThreadsChanged((_documentId, message) => draftSearch.threadChanged(message.threadId));
  const notifications = new NotificationService(
    sqliteNotificationRepository(db),
    accounts,
    documentRepo,
    actors,
    mailer,
    options.logger.child({ component: 'notifications' }),
  );
  const comments = new CommentService(
    commentRepo,
    documentRepo,
    collabStore,
    actors,
    audit,
    notifications,
    commentEvents,
  );
  const versionRepo = sqliteVersionRepository(db);
  const versions = new VersionService(
    versionRepo,
    documentRepo,
    accounts,
    sqliteClientRepository(db),
    collabStore,
    audit,
    options.versionSchedule ?? defaultVersionSchedule,
  );
  const reviews = new ReviewService(
    reviewRepo,
    documentRepo,
    espaceRepo,
    accounts,
    collabStore,
    versionRepo,
    publicationRepo,
    versions,
    comments,
    notifications,
    audit,
    indexing,
  );
  const files = new FileService(
    sqliteFileRepository(db),
    documents,
    options.filesDir,
    audit,
    collabStore,
    () => publicationRepo.fileHashes(),
  );
  const exports = new ExportService(
    documentRepo,
    collabStore,
    versionRepo,
    publicationRepo,
    themeRepo,
    files,
    undefined,
    options.exportCacheDir ? { dir: options.exportCacheDir } : null,
  );
  const publications = new PublicationService(
    publicationRepo,
    documentRepo,
    themeRepo,
    collabStore,
    reviews,
    versions,
    audit,
  );
  return {
    db,
    actors,
    auth,
    espaces: new EspaceService(db, espaceRepo, documentRepo, auth, actors, audit, events, mailer),
    documents,
    catalogue: new CatalogueService(documentRepo, threadCounts, progress, published, draftSearch),
    draftSearch,
    indexing,
    users: new UserService(accounts, auth, audit, events),
    audit,
    events,
    collabStore,
    themes: new ThemeService(themeRepo, espaceRepo, audit),
    settings,
    files,
    comments,
    notifications,
    commentEvents,
    versions,
    reviews,
    publications,
    exports,
    kit: new KitService(
      publicationRepo,
      espaceRepo,
      themeRepo,
      exports,
      options.kitCacheDir,
      sqlitePortalQueries(db),
    ),
    signals: new SignalService(
      signalRepo,
      // Only what the portal shows takes signals (never an archived document's publication).
      { findBySlug: (slug) => publications.visible(slug) },
      espaceRepo,
      settings,
      audit,
    ),
  };
}
