import { Hocuspocus } from '@hocuspocus/server';
import { MAX_UPDATE_STRUCTS } from '@essaim/protocol';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import type { Services } from '../services/index.js';
import { AccessWatcher } from './AccessWatcher.js';
import { AuthenticationExtension } from './AuthenticationExtension.js';
import { AwarenessBindingExtension } from './AwarenessBindingExtension.js';
import { CommentAnchorsExtension } from './CommentAnchorsExtension.js';
import type { CollabContext } from './context.js';
import { sqliteClientRepository } from '../storage/clientRepository.js';
import { DocumentLocks, MessageGuardExtension } from './MessageGuardExtension.js';
import { EmptyTextblocksExtension } from './EmptyTextblocksExtension.js';
import { IndexingExtension } from './IndexingExtension.js';
import { PersistenceExtension } from './PersistenceExtension.js';
import { durableUpdates, type DurableUpdates } from './durableUpdates.js';
import { RequiredSectionsExtension } from './RequiredSectionsExtension.js';
import { SectionIdsExtension } from './SectionIdsExtension.js';
import { SectionMovesExtension } from './SectionMovesExtension.js';
import { SectionLocksExtension } from './SectionLocksExtension.js';
import { WriterPacing } from './writerPacing.js';
import { BackgroundQueue } from './backgroundQueue.js';
import { inlineJobsForBench, Offload } from './offload.js';
import { MemoryReleaseExtension } from './MemoryReleaseExtension.js';
import { departuresFor } from './departures.js';
import { legacyStorageForBench } from '../storage/benchLegacy.js';
import { commitGateFor } from '../storage/checkpointer.js';

export interface CollabServerOptions {
  services: Services;
  config: Config;
  logger: Logger;
}

export interface CollabServer {
  hocuspocus: Hocuspocus<CollabContext>;
  access: AccessWatcher;
  /** The update log's commit, which the transport runs before any frame leaves. */
  durable: DurableUpdates;
}

/**
 * The collaborative server. The extension list below is the whole story, in order:
 * who may open a document, which messages and updates are well-formed and allowed, how section
 * moves are done by the server (and late edits carried into the moved section), how updates are
 * made durable, how empty paragraphs of old documents get their text, how section ids stay unique
 * and required sections stay, how locked sections stay as approved, how stored documents are
 * indexed for the catalogue, and how the memory of unloaded documents is given back. Compaction and
 * indexing run in one background queue, a bounded amount per event-loop turn, their long halves
 * (a compaction's proof, reading a document for indexing) in one worker thread (issue 17).
 */
export function createCollabServer({ services, config, logger }: CollabServerOptions): CollabServer {
  // An update's check and its apply, and a section move, never interleave on one document.
  const locks = new DocumentLocks();
  const legacy = legacyStorageForBench();
  // Shared with the checkpoint worker: group commits never queue behind a checkpoint that holds
  // SQLite's write lock (storage/checkpointer.ts); the benchmark's reference goes without.
  const gate = legacy ? undefined : commitGateFor(config.databaseFile);
  const durable = durableUpdates({
    store: services.collabStore,
    onAppended: (documentId, authorId) => services.versions.noteChange(documentId, authorId),
    ...(gate ? { gate } : {}),
  });
  // Compaction and indexing wait their turn in one queue (issue 17: no storms), and hold back while
  // a checkpoint holds the write lock or the WAL is behind; the benchmark's reference alone runs
  // them inline as before.
  const storeQueue =
    legacy || !gate
      ? null
      : new BackgroundQueue({
          holdWhile: () => gate.checkpointing() || gate.walBehind(),
          holdMs: 5,
        });
  // Their long halves (a compaction's proof, reading a document to index it) run in one worker
  // thread, started at the first job and terminated at shutdown (offload.ts).
  const offload =
    storeQueue && !inlineJobsForBench()
      ? new Offload({ logger: logger.child({ component: 'offload' }) })
      : null;
  // Compaction and indexing timing only: durability comes from the synchronous update log.
  const debounce = { debounceMs: 2_000, maxDebounceMs: 10_000 };
  const hocuspocus = new Hocuspocus<CollabContext>({
    name: 'essaim',
    quiet: true,
    debounce: debounce.debounceMs,
    maxDebounce: debounce.maxDebounceMs,
    flushDelay: config.flushDelay,
    // Idle sockets are closed after 30 s without traffic (providers ping more often).
    timeout: 30_000,
    // A socket that has not authenticated yet may buffer little and open few documents.
    maxUnauthenticatedQueueSize: 256 * 1024,
    maxUnauthenticatedQueueMessages: 64,
    maxPendingDocuments: 16,
    extensions: [
      new AuthenticationExtension(services, config),
      new MessageGuardExtension({
        maxDocumentBytes: config.maxDocumentBytes,
        logger: logger.child({ component: 'message-guard' }),
        clients: sqliteClientRepository(services.db),
        locks,
        pacing:
          config.writerStructsPerSecond > 0
            ? new WriterPacing({ capacity: MAX_UPDATE_STRUCTS, perSecond: config.writerStructsPerSecond })
            : undefined,
        onRefused: (documentId, userId, refusal) =>
          services.audit.record({
            actorId: userId ?? null,
            action: 'document.update_refused',
            target: { type: 'document', id: documentId },
            details: { refusal },
          }),
      }),
      new AwarenessBindingExtension(logger.child({ component: 'awareness' })),
      new SectionMovesExtension(services, logger.child({ component: 'section-moves' }), locks),
      new PersistenceExtension({
        store: services.collabStore,
        logger: logger.child({ component: 'persistence' }),
        durable,
        ...(storeQueue
          ? {
              queue: storeQueue,
              compactAfterUpdates: config.compactAfterUpdates,
              ...(offload ? { offload } : {}),
            }
          : {}),
        onDamaged: (documentId, report) =>
          services.audit.record({
            actorId: null,
            action: 'document.damaged',
            target: { type: 'document', id: documentId },
            details: {
              stateUnreadable: report.stateUnreadable,
              usedPrevious: report.usedPrevious,
              unreadableRows: report.unreadableRows.length,
            },
          }),
      }),
      new EmptyTextblocksExtension(),
      new SectionIdsExtension(),
      new RequiredSectionsExtension(services.documents),
      new SectionLocksExtension(services.reviews, logger.child({ component: 'section-locks' }), locks),
      new IndexingExtension(
        services.indexing,
        logger.child({ component: 'indexing' }),
        storeQueue
          ? {
              queue: storeQueue,
              spread: debounce,
              stored: services.collabStore,
              ...(offload ? { offload } : {}),
            }
          : {},
      ),
      new CommentAnchorsExtension(services, logger.child({ component: 'comment-anchors' })),
      ...(legacy
        ? []
        : [
            new MemoryReleaseExtension(logger.child({ component: 'memory' }), {
              ...(offload ? { departures: departuresFor(offload) } : {}),
            }),
          ]),
    ],
  });
  const access = new AccessWatcher(hocuspocus, services, logger.child({ component: 'access' }));
  access.start(config.collabRecheckMs);
  return { hocuspocus, access, durable };
}
