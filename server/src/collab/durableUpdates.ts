import type { onChangePayload } from '@hocuspocus/server';
import { isTransactionOrigin } from '@hocuspocus/server';
import { parseDocumentName } from '@essaim/protocol';
import type { CollabStore } from '../storage/collabStore.js';
import { addDuration, durationTally, type CommitGate } from '../storage/checkpointer.js';
import type { CollabContext } from './context.js';

/**
 * « Durable before acknowledged »: the one path every accepted Yjs update takes, in order.
 *
 * 1. A client's update is checked before it is applied (`MessageGuardExtension`), then Hocuspocus
 *    applies it to the live Y.Doc. Server-side changes (`LiveDocuments`: restores, repairs, moves)
 *    are applied to the same Y.Doc through a direct connection.
 * 2. Hocuspocus calls `onChange`; `PersistenceExtension` hands the update to {@link record}, which
 *    queues it in the update log with its author ({@link authorOf}) and tells the version clock.
 * 3. Hocuspocus writes the acknowledgement (SyncStatus) and the broadcast to the other sockets in
 *    the same turn. The websocket transport (`transport.ts`) holds every outgoing frame.
 * 4. At the end of the turn the transport calls {@link commitBeforeSend}: every update queued
 *    during the turn is written in one SQLite transaction (group commit), then the frames leave.
 *    Updates that no socket flush commits (a change nobody is connected to) are committed by the
 *    store at the end of the turn all the same (`CollabStore.append`).
 * 5. If the commit throws, no frame is sent and the transport's `onFatal` stops the process:
 *    clients keep their unacknowledged updates and send them again after the restart.
 *
 * The commit of step 4 goes through the database's {@link CommitGate} when there is one: the
 * checkpoint worker starts a checkpoint that holds SQLite's write lock (RESTART, TRUNCATE) only
 * while no update is pending and no commit runs, and a commit that comes during one waits on the
 * gate, woken as soon as the lock is released, instead of sleeping in SQLite's busy handler.
 *
 * Compaction (folding the log into one state) is timing only and lives in `PersistenceExtension`.
 * An asynchronous engine (PostgreSQL) will have to await the append in `beforeHandleMessage`
 * instead of relying on the synchronous commit of step 4.
 */
export interface DurableUpdates {
  /** Step 2: queues `update` of `documentName` for the commit, attributed to its author. */
  record(
    payload: Pick<
      onChangePayload<CollabContext>,
      'documentName' | 'update' | 'transactionOrigin' | 'context'
    >,
  ): void;
  /** Step 4: writes every queued update; throws when it cannot (nothing may then be sent). */
  commitBeforeSend(): void;
}

export interface DurableUpdatesOptions {
  store: CollabStore;
  /** Told of each update appended, with its author (null: the system), for automatic versions. */
  onAppended?: (documentId: string, authorId: string | null) => void;
  /**
   * The commit gate shared with the database's checkpoint worker (`storage/checkpointer.ts`,
   * `commitGateFor`); none: commits take SQLite's write lock directly (the benchmark's reference).
   */
  gate?: CommitGate;
}

/**
 * Wall time (ms) of the group commits that wrote something, gate included, in this process: how
 * long an acknowledgement waited for its commit. For diagnostics and the benchmark.
 */
export const groupCommitTimes = durationTally();

/** The durable path over a {@link CollabStore} (see {@link DurableUpdates} for the order). */
export function durableUpdates({ store, onAppended, gate }: DurableUpdatesOptions): DurableUpdates {
  // Whether updates were recorded since the last gated commit.
  let pending = false;
  const commitBeforeSend = (): void => {
    // Nothing recorded (a flush of presence frames, or committed already by the store's own
    // end-of-turn commit): nothing for the gate to order.
    if (!pending) return store.commit();
    pending = false;
    const started = performance.now();
    gate?.enter();
    try {
      store.commit();
    } finally {
      gate?.leave();
      addDuration(groupCommitTimes, performance.now() - started);
    }
  };
  return {
    record({ documentName, update, transactionOrigin, context }) {
      // Updates relayed from another instance were logged by the instance that accepted them.
      if (isTransactionOrigin(transactionOrigin) && transactionOrigin.source === 'redis') return;
      const id = parseDocumentName(documentName);
      if (!id) throw new Error(`Nom de document inattendu : ${documentName}`);
      const author = authorOf(transactionOrigin, context);
      if (!pending) {
        pending = true;
        gate?.notePending();
        // An update no socket flush commits (a change nobody is connected to) still clears the
        // gate's pending bit at the end of the turn, as the store commits it (step 4).
        if (gate) setImmediate(commitBeforeSend);
      }
      store.append(id, update, author);
      onAppended?.(id, author);
    },
    commitBeforeSend,
  };
}

/**
 * The account an update is written for: the connection's, or, for a server-side change made
 * through `LiveDocuments` (a direct connection), the person it was made for. Null for the system
 * (required sections, forwardings): nobody is credited with them.
 */
export function authorOf(origin: unknown, context: CollabContext | undefined): string | null {
  if (isTransactionOrigin(origin)) {
    if (origin.source === 'connection') return context?.userId ?? null;
    if (origin.source === 'local') {
      const local = origin.context as Partial<CollabContext> | undefined;
      return local?.userId ?? null;
    }
  }
  return null;
}
