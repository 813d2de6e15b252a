import { performance } from 'node:perf_hooks';
import { OutgoingMessage, type Connection, type Hocuspocus } from '@hocuspocus/server';
import { collabAccess, type Actor } from '@essaim/domain';
import { CloseCode, DenialReason, type ServerStatelessMessage } from '@essaim/protocol';
import type { Logger } from '../logger.js';
import type { Services } from '../services/index.js';
import type { CollabContext } from './context.js';

type AccessTarget = NonNullable<ReturnType<Services['documents']['accessTarget']>>;

/** Tuning of the periodic sweep (issue 17); the defaults suit production. */
export interface AccessWatcherOptions {
  /**
   * Event-loop time one turn of a sweep may take (ms, default 4): past it, the sweep goes on in a
   * later turn (`setImmediate`), so the sockets are read in between. At least one connection is
   * checked per turn.
   */
  sliceBudgetMs?: number;
  /** The clock the budget is measured with (ms); `performance.now` unless a test injects one. */
  now?: () => number;
}

/** What the last completed sweep did: how many connections it checked, in how many turns. */
export interface SweepStats {
  connections: number;
  turns: number;
  /** Storage reads: each session, account (actor) and document once per sweep (again after an access event). */
  sessionReads: number;
  actorReads: number;
  documentReads: number;
}

/**
 * Reads of one pass over the connections: a session, an account and a document are each read
 * once however many connections share them. Any access event empties it (see `invalidate`).
 */
class ReadCache {
  readonly sessions = new Map<string, boolean>();
  readonly actors = new Map<string, Actor>();
  readonly targets = new Map<string, AccessTarget | undefined>();
  /** Storage reads made, for `SweepStats`. */
  readonly reads = { sessions: 0, actors: 0, documents: 0 };

  constructor(private readonly services: Services) {}

  sessionAlive(sessionId: string): boolean {
    let alive = this.sessions.get(sessionId);
    if (alive === undefined) {
      alive = this.services.auth.sessionAlive(sessionId);
      this.reads.sessions++;
      this.sessions.set(sessionId, alive);
    }
    return alive;
  }

  actor(userId: string): Actor {
    let actor = this.actors.get(userId);
    if (!actor) {
      actor = this.services.actors.forUser(userId);
      this.reads.actors++;
      this.actors.set(userId, actor);
    }
    return actor;
  }

  target(documentId: string): AccessTarget | undefined {
    if (this.targets.has(documentId)) return this.targets.get(documentId);
    const target = this.services.documents.accessTarget(documentId);
    this.reads.documents++;
    this.targets.set(documentId, target);
    return target;
  }

  clear(): void {
    this.sessions.clear();
    this.actors.clear();
    this.targets.clear();
  }
}

/**
 * Keeps open connections in line with current rights. Role changes, unassignments and disabled
 * accounts made through this process apply at once (AccessEvents); a periodic sweep catches what
 * other processes (the CLI) changed and sessions that expired while connected.
 *
 * The sweep (every `COLLAB_RECHECK_SECONDS`) reads each session, account and document once for
 * all the connections that share them, and runs in slices of `sliceBudgetMs` spread over as many
 * event-loop turns as needed: 2,000 connections checked in one turn held the loop 72–81 ms
 * (issue 17). A right changed while connected is still enforced within one period plus the
 * sweep's own duration; an access event arriving during a sweep empties the sweep's reads, so a
 * sweep never puts back rights read before the event.
 */
export class AccessWatcher {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  /** The reads of the sweep under way, if any. */
  private cache: ReadCache | undefined;
  private readonly sliceBudgetMs: number;
  private readonly now: () => number;
  private stopped = false;
  /** The last completed sweep, for tests and the benchmark. */
  lastSweep: SweepStats | undefined;

  constructor(
    private readonly hocuspocus: Hocuspocus<CollabContext>,
    private readonly services: Services,
    private readonly logger: Logger,
    options: AccessWatcherOptions = {},
  ) {
    this.sliceBudgetMs = options.sliceBudgetMs ?? 4;
    this.now = options.now ?? (() => performance.now());
    services.events.onUserChanged((userId) => {
      this.cache?.clear();
      this.recheck((c) => c.context.userId === userId);
    });
    services.events.onDocumentChanged((documentId) => {
      this.cache?.clear();
      this.recheck((c) => c.context.documentId === documentId);
    });
    services.events.onSessionsRevoked((ids) => {
      this.cache?.clear();
      const revoked = new Set(ids);
      this.forEachConnection((c) => {
        if (c.context.sessionId && revoked.has(c.context.sessionId))
          this.close(c, CloseCode.Unauthorized, DenialReason.Unauthorized);
      });
    });
  }

  /** Starts the periodic sweep (every `intervalMs`); a sweep still running is not started twice. */
  start(intervalMs: number): void {
    this.stopped = false;
    this.timer = setInterval(() => void this.sweep(), intervalMs);
    this.timer.unref();
  }

  /** Stops the periodic sweep; a sweep under way ends at its next slice. */
  stop(): void {
    this.stopped = true;
    clearInterval(this.timer);
  }

  /**
   * Re-evaluates every open connection: expired or revoked sessions are closed, rights re-applied.
   * Resolves when every connection open at its start was checked (the one under way if a sweep is
   * already running). Never rejects: a failure is logged.
   */
  sweep(): Promise<void> {
    this.running ??= this.runSweep()
      .catch((error: unknown) => this.logger.error({ err: error }, 'collaborative access sweep failed'))
      .finally(() => {
        this.running = undefined;
        this.cache = undefined;
      });
    return this.running;
  }

  private async runSweep(): Promise<void> {
    const connections: Connection<CollabContext>[] = [];
    this.forEachConnection((c) => connections.push(c));
    const cache = new ReadCache(this.services);
    this.cache = cache;
    let connectionsChecked = 0;
    let turns = 1;
    let sliceStart = this.now();
    for (let i = 0; i < connections.length; i++) {
      if (this.stopped) return;
      const connection = connections[i] as Connection<CollabContext>;
      // Closed since the sweep began (or its document unloaded): nothing to check.
      if (connection.document.hasConnection(connection)) {
        connectionsChecked++;
        const sessionId = connection.context.sessionId;
        if (sessionId && !cache.sessionAlive(sessionId)) {
          this.close(connection, CloseCode.Unauthorized, DenialReason.Unauthorized);
        } else {
          this.apply(connection, cache);
        }
      }
      if (i + 1 < connections.length && this.now() - sliceStart >= this.sliceBudgetMs) {
        await new Promise<void>((resolve) => setImmediate(resolve));
        turns++;
        sliceStart = this.now();
      }
    }
    this.lastSweep = {
      connections: connectionsChecked,
      turns,
      sessionReads: cache.reads.sessions,
      actorReads: cache.reads.actors,
      documentReads: cache.reads.documents,
    };
  }

  private recheck(matches: (c: Connection<CollabContext>) => boolean): void {
    // Fresh reads for every event: the event says something just changed.
    const cache = new ReadCache(this.services);
    this.forEachConnection((connection) => {
      if (matches(connection)) this.apply(connection, cache);
    });
  }

  /** Applies the connection's current access: closed, made read-only, or made writable again. */
  private apply(connection: Connection<CollabContext>, cache: ReadCache): void {
    const { userId, documentId } = connection.context;
    if (!userId || !documentId) return;
    const target = cache.target(documentId);
    const access = target ? collabAccess(cache.actor(userId), target) : 'none';
    if (access === 'none') {
      this.close(connection, CloseCode.Forbidden, DenialReason.Forbidden);
    } else if ((access === 'read') !== connection.readOnly) {
      // Hocuspocus checks `readOnly` on every incoming update: the change applies to the next one.
      connection.readOnly = access === 'read';
      const message: ServerStatelessMessage = { type: 'access', access };
      connection.sendStateless(JSON.stringify(message));
      if (access === 'write') {
        // Edits refused while read-only are still in the client's document, and Yjs integrates
        // a client's updates in order: ask for everything we lack, so the next edit is not stuck.
        const step1 = new OutgoingMessage(connection.messageAddress)
          .createSyncMessage()
          .writeFirstSyncStepFor(connection.document);
        connection.send(step1.toUint8Array());
      }
      this.logger.info({ userId, documentId, access }, 'collaborative access changed while connected');
    }
  }

  private close(connection: Connection<CollabContext>, code: number, reason: string): void {
    this.logger.info(
      { userId: connection.context.userId, documentId: connection.context.documentId, reason },
      'closing collaborative connection',
    );
    connection.close({ code, reason });
  }

  private forEachConnection(visit: (connection: Connection<CollabContext>) => void): void {
    for (const document of this.hocuspocus.documents.values()) {
      for (const connection of document.getConnections()) visit(connection as Connection<CollabContext>);
    }
  }
}
