import type { Hocuspocus } from '@hocuspocus/server';
import type { Actor, EspaceRole } from '@essaim/domain';
import { describe, expect, it, vi } from 'vitest';
import { createLogger } from '../logger.js';
import { AccessEvents } from '../services/accessEvents.js';
import type { Services } from '../services/index.js';
import { AccessWatcher } from './AccessWatcher.js';
import type { CollabContext } from './context.js';

/** A connection as the watcher sees it: its context, its read-only flag, and what it was sent. */
interface FakeConnection {
  context: { userId: string; documentId: string; sessionId: string };
  readOnly: boolean;
  document: FakeDocument;
  messageAddress: string;
  closed: { code: number; reason: string } | undefined;
  close(event: { code: number; reason: string }): void;
  sendStateless(payload: string): void;
  send(data: Uint8Array): void;
}

interface FakeDocument {
  connections: Set<FakeConnection>;
  getConnections(): FakeConnection[];
  hasConnection(connection: FakeConnection): boolean;
}

/**
 * `documents` × `perDocument` connections, every one by one of `users` people (one session each),
 * every person animateur of the one espace; storage reads are counted.
 */
function setup(documents: number, perDocument: number, users = 3, options: { budget?: number } = {}) {
  const roles = new Map<string, EspaceRole>();
  const sessionsAlive = new Map<string, boolean>();
  const reads = { sessions: 0, actors: 0, documents: 0 };
  const archived = new Set<string>();
  const docs = new Map<string, FakeDocument>();
  const connections: FakeConnection[] = [];
  for (let u = 0; u < users; u++) {
    roles.set(`u${u}`, 'animateur');
    sessionsAlive.set(`s${u}`, true);
  }
  for (let d = 0; d < documents; d++) {
    const doc: FakeDocument = {
      connections: new Set(),
      getConnections: () => [...doc.connections],
      hasConnection: (c) => doc.connections.has(c),
    };
    docs.set(`d${d}`, doc);
    for (let c = 0; c < perDocument; c++) {
      const u = (d * perDocument + c) % users;
      const connection: FakeConnection = {
        context: { userId: `u${u}`, documentId: `d${d}`, sessionId: `s${u}` },
        readOnly: false,
        document: doc,
        messageAddress: `d${d}`,
        closed: undefined,
        close(event) {
          connection.closed = event;
          doc.connections.delete(connection);
        },
        sendStateless: vi.fn(),
        send: vi.fn(),
      };
      doc.connections.add(connection);
      connections.push(connection);
    }
  }
  const events = new AccessEvents();
  const services = {
    events,
    auth: {
      sessionAlive: (id: string) => {
        reads.sessions++;
        return sessionsAlive.get(id) ?? false;
      },
    },
    actors: {
      forUser: (userId: string): Actor => {
        reads.actors++;
        const role = roles.get(userId);
        return role
          ? { kind: 'user', userId, isAdmin: false, roles: new Map([['e1', role]]) }
          : { kind: 'anonymous' };
      },
    },
    documents: {
      accessTarget: (documentId: string) => {
        reads.documents++;
        return archived.has(documentId)
          ? undefined
          : { type: 'document' as const, espaceId: 'e1', documentId, assignees: [], archived: false };
      },
    },
  } as unknown as Services;
  // A clock that advances 1 ms at each reading: the slicing is counted, not timed.
  let clock = 0;
  const hocuspocus = { documents: docs } as unknown as Hocuspocus<CollabContext>;
  const watcher = new AccessWatcher(hocuspocus, services, createLogger('silent'), {
    sliceBudgetMs: options.budget ?? 4,
    now: () => clock++,
  });
  return { watcher, connections, roles, sessionsAlive, archived, reads, events, docs };
}

describe('AccessWatcher sweep (issue 17)', () => {
  it('spreads a sweep over many connections across event-loop turns, a bounded slice each', async () => {
    const s = setup(400, 5);
    const sweep = s.watcher.sweep();
    // Other work queued after the sweep began (a socket's data, say) runs before it ends.
    let otherWorkRan = false;
    setImmediate(() => (otherWorkRan = true));
    expect(s.watcher.lastSweep).toBeUndefined();
    await sweep;
    expect(otherWorkRan).toBe(true);
    // The fake clock gains 1 ms per reading, one reading per connection: 4 connections a slice.
    expect(s.watcher.lastSweep).toMatchObject({ connections: 2_000, turns: 500 });
    expect(s.connections.every((c) => !c.closed && !c.readOnly)).toBe(true);
  });

  it('reads each session, account and document once per sweep, not once per connection', async () => {
    const s = setup(400, 5, 3);
    await s.watcher.sweep();
    expect(s.reads).toEqual({ sessions: 3, actors: 3, documents: 400 });
    expect(s.watcher.lastSweep).toMatchObject({ sessionReads: 3, actorReads: 3, documentReads: 400 });
  });

  it('closes the connections of an expired session and of an archived document, downgrades a changed role', async () => {
    const s = setup(10, 3, 3, { budget: 2 });
    s.sessionsAlive.set('s0', false);
    s.archived.add('d4');
    s.roles.set('u1', 'membre');
    await s.watcher.sweep();
    for (const c of s.connections) {
      const { sessionId, documentId, userId } = c.context;
      if (sessionId === 's0') expect(c.closed?.reason).toBe('unauthorized');
      else if (documentId === 'd4') expect(c.closed?.reason).toBe('forbidden');
      else if (userId === 'u1') expect([c.closed, c.readOnly]).toEqual([undefined, true]);
      else expect([c.closed, c.readOnly]).toEqual([undefined, false]);
    }
    expect(s.watcher.lastSweep?.turns).toBeGreaterThan(1);
  });

  it('never puts back rights read before an access event that arrives in the middle of a sweep', async () => {
    const s = setup(100, 5, 1);
    const sweep = s.watcher.sweep();
    // The sweep has read u0 as animateur in its first slice; the role drops, the event arrives.
    s.roles.set('u0', 'membre');
    s.events.userChanged('u0');
    expect(s.connections.every((c) => c.readOnly)).toBe(true);
    await sweep;
    // The rest of the sweep read the account again: nobody was made writable again.
    expect(s.connections.every((c) => c.readOnly)).toBe(true);
    expect(s.reads.actors).toBeGreaterThanOrEqual(3);
  });

  it('skips the connections closed while a sweep is under way, and runs one sweep at a time', async () => {
    const s = setup(50, 4, 2);
    const first = s.watcher.sweep();
    const second = s.watcher.sweep();
    expect(second).toBe(first);
    const gone = s.connections.slice(100);
    for (const c of gone) c.close({ code: 1000, reason: 'left' });
    await first;
    expect(s.watcher.lastSweep?.connections).toBe(100);
    expect(gone.every((c) => c.closed?.reason === 'left')).toBe(true);
    // A closed connection is never downgraded nor closed again by the sweep.
    expect(s.connections.slice(0, 100).every((c) => !c.closed)).toBe(true);
  });
});
