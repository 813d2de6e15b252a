import type { IncomingMessage, Server as HttpServer } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Hocuspocus, WebSocketLike } from '@hocuspocus/server';
import { CloseCode } from '@essaim/protocol';
import * as decoding from 'lib0/decoding';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Logger } from '../logger.js';
import { clientAddress, requestScheme, type OriginPolicy } from '../originPolicy.js';
import type { CollabContext, SocketState } from './context.js';
import { PresenceCoalescer } from './presenceCoalescing.js';

export interface CollabTransportOptions {
  httpServer: HttpServer;
  hocuspocus: Hocuspocus<CollabContext>;
  logger: Logger;
  /** URL path that takes websocket upgrades. */
  path: string;
  /** Which browser origins may open a websocket. */
  originAllowed: OriginPolicy;
  /** Whether a reverse proxy on the loopback interface tells the client's address and scheme. */
  trustProxy: boolean;
  /** Largest frame accepted from an authenticated socket; `ws` closes with 1009 above it. */
  maxPayload: number;
  /** Largest frame accepted before the socket authenticated any document. */
  maxPreAuthPayload: number;
  /** Runs before queued frames are sent (the update-log commit, see durableUpdates.ts). If it throws, nothing is sent. */
  beforeSend: () => void;
  onFatal: (error: unknown) => void;
  /**
   * Sockets not yet authenticated that one client address may hold; one more upgrade is refused
   * with HTTP 429 before any websocket is made. Default 20. An upgrade that carries a valid
   * session cookie ({@link CollabTransportOptions.sessionAccount}) counts for its account instead,
   * with the same maximum.
   */
  maxUnauthenticatedPerAddress?: number;
  /**
   * The account whose valid session cookie the upgrade request carries, or null (no cookie, an
   * expired or unknown session). Issue 17 (tester BR33 F2): 20 idle anonymous sockets reopening
   * every 30 s held an address's places, and a person behind the same address (a NAT, an office,
   * a proxy without `TRUST_PROXY`) could not open her document. A browser sends its cookie with
   * the upgrade: its sockets wait for authentication among its account's places, which nobody
   * else can take. Programs authenticate with a token in their first message and still count for
   * their address. Absent: every upgrade counts for its address.
   */
  sessionAccount?: (req: IncomingMessage) => string | null;
  /** A socket that authenticates no document within this time (ms) is closed (4401). Default 30 s. */
  authTimeoutMs?: number;
  /**
   * A socket with more than 1 MiB waiting that takes less than 16 KiB in this time (ms) is
   * dropped ({@link StalledReaders}). Default 10 s.
   */
  stalledReaderMs?: number;
  /**
   * Most messages of one socket handed to Hocuspocus per event-loop turn; a backlog waits for
   * the next turns ({@link InboundPacer}). Default {@link INBOUND_MESSAGES_PER_TURN}; `Infinity`
   * hands every message at once (the behaviour before issue 16).
   */
  inboundPerTurn?: number;
}

export interface CollabTransport {
  /** Refuses new upgrades and closes the websocket server (Hocuspocus must be drained first). */
  close(): Promise<void>;
}

/**
 * Outgoing frames of every socket leave together, once per event-loop turn, after `beforeSend`.
 *
 * Hocuspocus acknowledges an update (SyncStatus) and, with `flushDelay: false`, broadcasts it
 * synchronously after applying it, before its `onChange` hooks run on the microtask queue. Holding
 * every frame until this turn's microtasks are done, then committing the update log
 * (`beforeSend`), guarantees that no acknowledgement or broadcast reaches the network before the
 * update is durable, with one SQLite transaction for all the updates of the turn.
 */
export class OutboundScheduler {
  private readonly pending = new Set<DeferredSocket>();
  private scheduled = false;
  private failed = false;

  constructor(
    private readonly beforeSend: () => void,
    private readonly onFatal: (error: unknown) => void,
  ) {}

  schedule(socket: DeferredSocket): void {
    this.pending.add(socket);
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(this.flush);
    }
  }

  /** Sends now what `socket` has queued (when it is about to close), after the same commit. */
  flushNow(socket: DeferredSocket): void {
    if (this.commit()) socket.sendQueued();
    this.pending.delete(socket);
  }

  private commit(): boolean {
    if (this.failed) return false;
    try {
      this.beforeSend();
      return true;
    } catch (error) {
      this.failed = true;
      this.onFatal(error);
      return false;
    }
  }

  private readonly flush = (): void => {
    this.scheduled = false;
    if (!this.commit()) return;
    for (const socket of this.pending) socket.sendQueued();
    this.pending.clear();
  };
}

/** What {@link StalledReaders} needs of a websocket: how much waits to be sent, and a way to drop it. */
export interface WatchedWebSocket {
  readonly bufferedAmount: number;
  terminate(): void;
}

/** Bytes waiting for a socket above which {@link StalledReaders} watches whether it still reads. */
export const STALLED_READER_BYTES = 1024 * 1024;

/** Bytes a watched socket must take in its grace period to count as still reading. */
const READING_PROGRESS_BYTES = 16 * 1024;

/**
 * Sockets that stopped reading (issue 17, tester BR33 F6: 20 readers that paused their sockets
 * made the server buffer every broadcast for them, +220 MiB, until the keepalive closed them about
 * 35 s later). A socket with more than {@link STALLED_READER_BYTES} waiting is watched; if it takes
 * less than 16 KiB during `graceMs` it is dropped (TCP reset, no close frame: it would wait behind
 * the buffer). Its provider reconnects and syncs by state vector, so nothing is lost, and what the
 * server holds for one connection stays within 1 MiB plus `graceMs` of its documents' traffic.
 *
 * A slow but reading socket is never dropped: a phone at 1.6 Mbit/s takes 200 KB a second, so a
 * large first sync is sent in full however long it takes.
 */
export class StalledReaders {
  private readonly watched = new Map<
    WatchedWebSocket,
    { sent: () => number; sentAt: number; since: number }
  >();
  private timer: NodeJS.Timeout | null = null;

  /**
   * @param graceMs time (ms) a socket over the threshold may take without reading (`COLLAB_STALLED_READER_SECONDS`).
   * @param onDropped told of each socket dropped, with the bytes that were waiting for it.
   */
  constructor(
    private readonly graceMs: number,
    private readonly onDropped: (bufferedBytes: number) => void = () => {},
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Called after frames were handed to `ws`; `sent` gives the bytes the network has taken from it
   * so far ({@link bytesTaken}), growing as the other side reads.
   */
  check(ws: WatchedWebSocket, sent: () => number): void {
    if (this.watched.has(ws) || ws.bufferedAmount <= STALLED_READER_BYTES) return;
    this.watched.set(ws, { sent, sentAt: sent(), since: this.now() });
    this.timer ??= setInterval(this.sweep, Math.max(50, this.graceMs / 4));
    this.timer.unref();
  }

  /** Stops watching `ws` (it closed). */
  forget(ws: WatchedWebSocket): void {
    this.watched.delete(ws);
  }

  /** Looks at every watched socket: drops those that did not read in their grace period. */
  readonly sweep = (): void => {
    const now = this.now();
    for (const [ws, entry] of this.watched) {
      const buffered = ws.bufferedAmount;
      const sent = entry.sent();
      if (buffered <= STALLED_READER_BYTES) this.watched.delete(ws);
      else if (sent - entry.sentAt >= READING_PROGRESS_BYTES) {
        entry.sentAt = sent;
        entry.since = now;
      } else if (now - entry.since >= this.graceMs) {
        this.watched.delete(ws);
        ws.terminate();
        this.onDropped(buffered);
      }
    }
    if (this.watched.size === 0 && this.timer) {
      clearInterval(this.timer);
      this.timer = null;
    }
  };

  /** Stops the sweeps (server closing). */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.watched.clear();
  }
}

/**
 * Bytes the network has taken from `ws` so far, of the `queued` handed to it: those its TCP socket
 * dispatched less those still in libuv's write queue (Node's `_bytesDispatched` and
 * `_handle.writeQueueSize`). `bufferedAmount` alone is no measure: Node counts a write as waiting
 * until the whole of it is in the kernel, so a reader taking a 4 MB frame at 200 KB/s showed no
 * progress for 20 s and was dropped (tester BR36). Where those fields are missing,
 * `queued - bufferedAmount`.
 */
function bytesTaken(ws: Partial<WatchedWebSocket>, queued: number): number {
  const tcp = (ws as { _socket?: { _bytesDispatched?: unknown; _handle?: { writeQueueSize?: unknown } } })
    ._socket;
  const dispatched = tcp?._bytesDispatched;
  const waiting = tcp?._handle?.writeQueueSize;
  if (typeof dispatched === 'number' && typeof waiting === 'number') return dispatched - waiting;
  return queued - (ws.bufferedAmount ?? 0);
}

/** The bytes of a frame handed to `ws.send`. */
function frameBytes(frame: string | ArrayBufferLike | Blob | ArrayBufferView): number {
  if (typeof frame === 'string') return Buffer.byteLength(frame);
  if (ArrayBuffer.isView(frame) || frame instanceof ArrayBuffer) return frame.byteLength;
  if (frame instanceof Blob) return frame.size;
  return frame.byteLength;
}

/** A socket whose frames wait for the {@link OutboundScheduler}; order is kept. */
export class DeferredSocket implements WebSocketLike {
  private queue: (string | ArrayBufferLike | Blob | ArrayBufferView)[] = [];
  /** Bytes handed to `ws.send` so far. */
  private queuedBytes = 0;

  constructor(
    private readonly ws: Pick<WebSocket, 'readyState' | 'send' | 'close' | 'OPEN'> &
      Partial<WatchedWebSocket>,
    private readonly scheduler: OutboundScheduler,
    private readonly stalled?: StalledReaders,
  ) {}

  get readyState(): number {
    return this.ws.readyState;
  }

  send(data: string | ArrayBufferLike | Blob | ArrayBufferView): void {
    this.queue.push(data);
    this.scheduler.schedule(this);
  }

  close(code?: number, reason?: string): void {
    this.scheduler.flushNow(this);
    this.ws.close(code, reason);
  }

  sendQueued(): void {
    const frames = this.queue;
    this.queue = [];
    if (this.ws.readyState !== this.ws.OPEN) return;
    // One write system call for the whole batch instead of one per frame. `ws` has no public
    // cork; its underlying TCP socket does (Node counts nested cork/uncork calls).
    const tcp = (this.ws as { _socket?: { cork?: () => void; uncork?: () => void } })._socket;
    tcp?.cork?.();
    for (const frame of frames) {
      this.ws.send(frame as Parameters<WebSocket['send']>[0]);
      this.queuedBytes += frameBytes(frame);
    }
    tcp?.uncork?.();
    const { ws } = this;
    if (this.stalled && ws.bufferedAmount !== undefined && ws.terminate)
      this.stalled.check(ws as WatchedWebSocket, () => bytesTaken(this.ws, this.queuedBytes));
  }
}

/**
 * Default of {@link CollabTransportOptions.inboundPerTurn}: 256 messages of one socket per turn.
 * Measured with `bench/hurriedWriter.ts` (docs/PERFORMANCE.md, issue 16): Hocuspocus merges the
 * updates of a turn with `Y.mergeUpdates`, whose cost grows with the square of their number (it
 * sorts its decoders again for every struct written): on seph-blog1's updates, 3 µs of CPU per
 * update at 64 or 128 per merge, 20 µs at 2,048, 79 µs at 8,192. A backlog of thousands of updates
 * read in one turn made the server slower than one broadcast per update (270 against 45 µs per
 * edit in one run). 256 keeps the merge cheap (about 4 µs per update) and sends readers one message
 * for 256 updates or more; 64, the first choice, cost the steady replay of `bench/flush.ts` 12–45 %
 * of its throughput against no pacing (more turns, each with its commit and broadcast), 256 is
 * within that benchmark's noise of no pacing and as fast for the hurried writer (2026-11-30, quiet
 * machine: docs/PERFORMANCE.md section (m)).
 */
export const INBOUND_MESSAGES_PER_TURN = 256;

/** Pauses and resumes reading a socket (`ws`'s `pause`/`resume`: TCP flow control to the sender). */
export interface InboundFlow {
  pause(): void;
  resume(): void;
}

/**
 * Adaptive coalescing of what a socket sends (issue 16, « a writer in a hurry »).
 *
 * A message arriving while its socket has nothing queued and fewer than `perTurn` messages were
 * handed to Hocuspocus during this event-loop turn is handed at once: a typist's keystroke is
 * applied, made durable and broadcast in the same turn as before. Beyond `perTurn` in one turn the
 * socket's messages wait, in order, and are handed `perTurn` per turn; Hocuspocus (`flushDelay: 0`)
 * then merges each turn's updates into one broadcast, so a burst reaches readers in few messages
 * while no merge grows past about `2 × perTurn` updates of one socket (the release of the next
 * turn runs before the previous turn's broadcast). Reading a socket pauses while more than
 * `highWater` of its messages wait, so a sender faster than the server is slowed by TCP instead
 * of filling the server's memory.
 *
 * Nothing changes in « durable before acknowledged or broadcast »: a message is handed to
 * Hocuspocus later, never acknowledged earlier; the {@link OutboundScheduler} still commits
 * before any frame leaves.
 */
export class InboundPacer {
  private turn = 0;
  private turnEndScheduled = false;
  private readonly backlogged = new Set<InboundQueue>();

  /**
   * @param perTurn messages of one socket handed per turn (≥ 1; `Infinity`: no pacing).
   * @param highWater queued messages of one socket above which its reading pauses.
   */
  constructor(
    readonly perTurn: number,
    readonly highWater = Math.max(1_024, perTurn * 16),
  ) {
    if (!(perTurn >= 1)) throw new RangeError(`perTurn doit être ≥ 1 (reçu ${perTurn})`);
  }

  /** A queue for one socket: `deliver` hands a message to Hocuspocus; `flow` pauses its reading. */
  queue(deliver: (message: Uint8Array) => void, flow: InboundFlow): InboundQueue {
    return new InboundQueue(this, deliver, flow);
  }

  /** Sockets with messages waiting (for tests and diagnostics). */
  get backlog(): number {
    return this.backlogged.size;
  }

  /** The current turn's number; the first call of a turn schedules its end (one per turn). */
  currentTurn(): number {
    if (!this.turnEndScheduled) {
      this.turnEndScheduled = true;
      setImmediate(this.endTurn);
    }
    return this.turn;
  }

  /** @internal */
  wait(queue: InboundQueue): void {
    this.backlogged.add(queue);
    this.currentTurn();
  }

  /** @internal */
  done(queue: InboundQueue): void {
    this.backlogged.delete(queue);
  }

  private readonly endTurn = (): void => {
    this.turnEndScheduled = false;
    this.turn++;
    for (const queue of [...this.backlogged]) queue.release(this.turn);
  };
}

/** One socket's incoming messages, handed in order through its {@link InboundPacer}. */
export class InboundQueue {
  private pending: Uint8Array[] = [];
  private head = 0;
  private turn = -1;
  private handed = 0;
  private paused = false;
  private closed = false;

  constructor(
    private readonly pacer: InboundPacer,
    private readonly deliver: (message: Uint8Array) => void,
    private readonly flow: InboundFlow,
  ) {}

  /** Messages waiting. */
  get waiting(): number {
    return this.pending.length - this.head;
  }

  /** A message read from the socket: handed now, or queued behind the socket's backlog. */
  push(message: Uint8Array): void {
    if (this.closed) return;
    const turn = this.pacer.currentTurn();
    if (turn !== this.turn) {
      this.turn = turn;
      this.handed = 0;
    }
    if (this.waiting === 0 && this.handed < this.pacer.perTurn) {
      this.handed++;
      this.deliver(message);
      return;
    }
    this.pending.push(message);
    this.pacer.wait(this);
    if (!this.paused && this.waiting > this.pacer.highWater) {
      this.paused = true;
      this.flow.pause();
    }
  }

  /** @internal Hands up to `perTurn` waiting messages at the start of turn `turn`. */
  release(turn: number): void {
    this.turn = turn;
    this.handed = 0;
    while (!this.closed && this.waiting > 0 && this.handed < this.pacer.perTurn) {
      this.handed++;
      this.deliver(this.shift());
    }
    this.settle();
  }

  /** Hands every waiting message at once (the socket is closing: its last messages still count). */
  drain(): void {
    while (!this.closed && this.waiting > 0) this.deliver(this.shift());
    this.settle();
  }

  /** Drops what waits and stops handing messages (the socket was closed for a fault). */
  stop(): void {
    this.closed = true;
    this.pending = [];
    this.head = 0;
    this.pacer.done(this);
  }

  private shift(): Uint8Array {
    const message = this.pending[this.head++] as Uint8Array;
    if (this.head >= 1_024 && this.head * 2 >= this.pending.length) {
      this.pending = this.pending.slice(this.head);
      this.head = 0;
    }
    return message;
  }

  private settle(): void {
    if (this.waiting > 0 && !this.closed) {
      this.pacer.wait(this);
      return;
    }
    this.pending = [];
    this.head = 0;
    this.pacer.done(this);
    if (this.paused) {
      this.paused = false;
      this.flow.resume();
    }
  }
}

/** The Fetch `Request` Hocuspocus v4 expects, built from Node's upgrade request. */
function toFetchRequest(req: IncomingMessage): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (Array.isArray(value)) for (const v of value) headers.append(name, v);
    else if (value !== undefined) headers.set(name, value);
  }
  return new Request(`http://${req.headers.host ?? 'localhost'}${req.url ?? '/'}`, { headers });
}

/**
 * Answers an upgrade with `status` and closes the connection once the answer is written (as `ws`
 * does for the handshakes it refuses), so a client that never closes its side holds nothing.
 */
function refuseUpgrade(socket: Duplex, status: number, text: string): void {
  socket.once('finish', () => socket.destroy());
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

/**
 * The unauthenticated sockets of each holder: a client address, or the account of the session
 * cookie an upgrade carries (issue 15: one client held 400 anonymous sockets; issue 17: anonymous
 * sockets must not take the places of the people behind the same address). A socket counts from
 * its upgrade until it authenticates a document or closes, whichever comes first.
 */
export class UnauthenticatedSockets {
  private readonly counts = new Map<string, number>();

  constructor(private readonly maxPerHolder: number) {}

  /** A place for one more socket of `holder`, or null when it already holds the maximum. */
  take(holder: string): { release(): void } | null {
    const held = this.counts.get(holder) ?? 0;
    if (held >= this.maxPerHolder) return null;
    this.counts.set(holder, held + 1);
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        const left = (this.counts.get(holder) ?? 1) - 1;
        if (left > 0) this.counts.set(holder, left);
        else this.counts.delete(holder);
      },
    };
  }

  /** Sockets `holder` holds now. */
  heldBy(holder: string): number {
    return this.counts.get(holder) ?? 0;
  }
}

/**
 * The per-socket state of {@link SocketState}, telling the transport the moment the socket
 * authenticates (set by the Authentication extension): it then stops counting as anonymous and
 * its authentication timer stops.
 */
class WatchedSocketState implements SocketState {
  private value = false;
  private closeHooks: (() => void)[] | null = [];

  constructor(private readonly onAuthenticated: () => void) {}

  onClose(release: () => void): void {
    if (this.closeHooks) this.closeHooks.push(release);
    else release();
  }

  /** The websocket closed: runs every hook once. */
  closed(): void {
    const hooks = this.closeHooks ?? [];
    this.closeHooks = null;
    for (const hook of hooks) hook();
  }

  get authenticated(): boolean {
    return this.value;
  }

  set authenticated(value: boolean) {
    const first = value && !this.value;
    this.value = value;
    if (first) this.onAuthenticated();
  }
}

/**
 * `ESSAIM_BENCH_INBOUND_PER_TURN` in the server's environment, for `bench/hurriedWriter.ts`'s
 * same-run references only (`0`: no pacing, as before issue 16); undefined when absent. Read from
 * the process environment, not `config.ts`: it is not a setting, users never run with it.
 */
export function inboundPerTurnFromEnv(env: NodeJS.ProcessEnv = process.env): number | undefined {
  const raw = env.ESSAIM_BENCH_INBOUND_PER_TURN;
  if (raw === undefined || raw === '') return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0)
    throw new Error(`ESSAIM_BENCH_INBOUND_PER_TURN doit être un entier positif ou nul (reçu « ${raw} »)`);
  return value === 0 ? Number.POSITIVE_INFINITY : value;
}

/** Takes websocket upgrades on `path` of the HTTP server and hands each socket to Hocuspocus. */
export function attachCollabTransport(options: CollabTransportOptions): CollabTransport {
  const { httpServer, hocuspocus, logger } = options;
  const wss = new WebSocketServer({ noServer: true, maxPayload: options.maxPayload });
  const scheduler = new OutboundScheduler(options.beforeSend, options.onFatal);
  const stalled = new StalledReaders(options.stalledReaderMs ?? 10_000, (bufferedBytes) =>
    logger.warn({ bufferedBytes }, 'websocket dropped: it stopped reading what the server sends'),
  );
  const anonymous = new UnauthenticatedSockets(options.maxUnauthenticatedPerAddress ?? 20);
  const authTimeoutMs = options.authTimeoutMs ?? 30_000;
  const inbound = new InboundPacer(
    options.inboundPerTurn ?? inboundPerTurnFromEnv() ?? INBOUND_MESSAGES_PER_TURN,
  );
  // One warning per address and minute for refused upgrades: a flood must not flood the logs.
  const warnedAt = new Map<string, number>();
  let closing = false;

  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    // Node takes the HTTP server's error listener off a socket before emitting 'upgrade' (Node's
    // `http` documentation, event 'upgrade'): without one of ours, a client resetting its
    // connection while its upgrade is refused or handled crashed the process (read ECONNRESET,
    // found under 2,000 connections, tests/integration/upgradeReset.test.ts). A reset is ordinary.
    socket.on('error', (error) => logger.debug({ err: error }, 'websocket connection reset during upgrade'));
    const pathname = new URL(req.url ?? '/', 'http://x').pathname;
    if (pathname !== options.path) return refuseUpgrade(socket, 404, 'Not Found');
    if (closing) return refuseUpgrade(socket, 503, 'Service Unavailable');
    const origin = req.headers.origin;
    // Browsers always send Origin; programs (Node providers) usually send none and hold a token.
    if (
      origin !== undefined &&
      !options.originAllowed(origin, req.headers.host, requestScheme(req, options.trustProxy))
    ) {
      logger.warn({ origin }, 'websocket upgrade refused: origin not allowed');
      return refuseUpgrade(socket, 403, 'Forbidden');
    }
    const address = clientAddress(req, options.trustProxy);
    const account = options.sessionAccount?.(req) ?? null;
    // The key's prefixes keep an account id from ever meeting an address.
    const holder = account === null ? `adresse:${address}` : `compte:${account}`;
    const place = anonymous.take(holder);
    if (!place) {
      const now = Date.now();
      if (now - (warnedAt.get(holder) ?? 0) > 60_000) {
        if (warnedAt.size > 10_000) warnedAt.clear();
        warnedAt.set(holder, now);
        logger.warn(
          account === null ? { address } : { address, userId: account },
          'websocket upgrades refused: too many unauthenticated sockets',
        );
      }
      return refuseUpgrade(socket, 429, 'Too Many Requests');
    }
    // The place is given back when the socket authenticates or its connection ends, however it ends.
    socket.once('close', place.release);
    wss.handleUpgrade(req, socket, head, (ws) => onConnection(ws, req, place.release));
  };

  const onConnection = (ws: WebSocket, req: IncomingMessage, leaveAnonymous: () => void): void => {
    const timer = setTimeout(() => {
      if (!state.authenticated) ws.close(CloseCode.Unauthorized, 'authentication-timeout');
    }, authTimeoutMs);
    timer.unref();
    const state = new WatchedSocketState(() => {
      clearTimeout(timer);
      leaveAnonymous();
    });
    const context: CollabContext = { socket: state };
    const connection = hocuspocus.handleConnection(
      new DeferredSocket(ws, scheduler, stalled),
      toFetchRequest(req),
      context,
    );
    const refuseMalformed = (detail: Record<string, unknown>): void => {
      logger.warn(detail, 'malformed collaborative message, closing this socket');
      messages.stop();
      presence.stop();
      ws.close(CloseCode.BadMessage, 'malformed-message');
    };
    const handOn = (message: Uint8Array): void => {
      const header = frameHeader(message);
      if (typeof header === 'string')
        return refuseMalformed({ authenticated: context.socket.authenticated, problem: header });
      try {
        connection.handleMessage(message);
      } catch (error) {
        refuseMalformed({ err: error });
      }
    };
    // Presence updates go through this socket's budget (one per document every 50 ms, merged).
    const presence = new PresenceCoalescer(handOn);
    const messages = inbound.queue(
      (message) => {
        if (!presence.offer(message)) handOn(message);
      },
      { pause: () => ws.pause(), resume: () => ws.resume() },
    );
    ws.on('message', (data, isBinary) => {
      if (!isBinary) {
        messages.stop();
        ws.close(CloseCode.BadMessage, 'binary-frames-only');
        return;
      }
      const bytes = Array.isArray(data)
        ? Buffer.concat(data)
        : Buffer.isBuffer(data)
          ? data
          : Buffer.from(data);
      if (!context.socket.authenticated && bytes.byteLength > options.maxPreAuthPayload) {
        messages.stop();
        ws.close(CloseCode.TooLarge, 'frame-too-large-before-authentication');
        return;
      }
      messages.push(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    });
    ws.on('close', (code, reason) => {
      clearTimeout(timer);
      stalled.forget(ws);
      leaveAnonymous();
      // What the socket sent before closing is handled first, as if it had all arrived at once
      // (held presence is dropped: the close removes it).
      presence.stop();
      messages.drain();
      messages.stop();
      connection.handleClose({ code, reason: reason.toString() });
      state.closed();
    });
    ws.on('error', (error) => logger.warn({ err: error }, 'websocket error'));
  };

  httpServer.on('upgrade', onUpgrade);

  return {
    close: () =>
      new Promise<void>((resolve) => {
        closing = true;
        stalled.stop();
        httpServer.off('upgrade', onUpgrade);
        for (const client of wss.clients) client.terminate();
        wss.close(() => resolve());
      }),
  };
}

/**
 * The last Hocuspocus message type a provider sends (`MessageType` of @hocuspocus/server 4:
 * Sync 0, Awareness 1, Auth 2, QueryAwareness 3, SyncReply 4, Stateless 5, BroadcastStateless 6,
 * CLOSE 7); SyncStatus 8, Ping 9 and Pong 10 go from the server to providers.
 */
const LAST_PROVIDER_MESSAGE_TYPE = 7;
const SYNC = 0;
const AWARENESS = 1;
const AUTH = 2;
const SYNC_REPLY = 4;
const STATELESS = 5;
const BROADCAST_STATELESS = 6;
/** y-protocols sync steps: SyncStep1 0, SyncStep2 1, Update 2. */
const LAST_SYNC_STEP = 2;
/** The one authentication message a provider sends: its token (`AuthMessageType.Token`). */
const AUTH_TOKEN = 0;

/** What is wrong with a frame's shape, for the log (never sent to the client). */
export type FrameProblem = 'undecodable-name' | 'no-type' | 'unknown-type' | 'malformed-payload';

/**
 * Reads the shape every Hocuspocus frame has, without decoding any Yjs content: the document's
 * name (a lib0 varString), a message type a provider sends, then what that type carries (a sync
 * step and its bytes; presence bytes; the token; a stateless string). Returns the type, or what is
 * wrong. Hocuspocus reads these before any hook and writes a frame that fails there to
 * `console.error`, with a stack, even before authentication (« Unexpected end of array »); such
 * frames only come from a client that skips the provider, so the transport refuses them first,
 * with a warning (testers BR42 and BR43: an undecodable name, type 99, an authentication or a
 * sync message cut short, sync step 7).
 */
export function frameHeader(message: Uint8Array): number | FrameProblem {
  const decoder = decoding.createDecoder(message);
  try {
    decoding.readVarString(decoder);
  } catch {
    return 'undecodable-name';
  }
  if (!decoding.hasContent(decoder)) return 'no-type';
  let type: number;
  try {
    type = decoding.readVarUint(decoder);
  } catch {
    return 'no-type';
  }
  if (type > LAST_PROVIDER_MESSAGE_TYPE) return 'unknown-type';
  try {
    if (type === SYNC || type === SYNC_REPLY) {
      if (decoding.readVarUint(decoder) > LAST_SYNC_STEP) return 'malformed-payload';
      decoding.readVarUint8Array(decoder);
    } else if (type === AWARENESS) decoding.readVarUint8Array(decoder);
    else if (type === AUTH) {
      if (decoding.readVarUint(decoder) !== AUTH_TOKEN) return 'malformed-payload';
      decoding.readVarString(decoder);
    } else if (type === STATELESS || type === BROADCAST_STATELESS) decoding.readVarString(decoder);
  } catch {
    return 'malformed-payload';
  }
  return type;
}
