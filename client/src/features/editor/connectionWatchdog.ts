import { HocuspocusProviderWebsocket, WebSocketStatus } from '@hocuspocus/provider';

/**
 * How a socket whose packets silently stopped is found out, in milliseconds.
 *
 * The provider's own check (`messageReconnectTimeout`, 30 s by default) waits for any message;
 * on an idle document the only ones are awareness renewals, every 15 s. Its other knob,
 * `forceSyncInterval`, is not used: each forced sync makes the server encode the document's
 * whole delete set, and it resets the provider's count of unacknowledged changes to 1, so
 * « Enregistré » could show while changes are still in flight. The server sends no ping.
 *
 * Instead, when nothing was heard for `probeAfterMs`, the page renews its awareness state (the
 * same state, its clock + 1). The server relays every renewal to every connection of the document,
 * the sender included, so one renewal answers every idle client of that document: about one
 * 100-byte message in and one out per connection every 2 s on an idle document, nothing extra
 * while people type. Nothing heard for `deadAfterMs`, while no upload progresses, means the
 * socket is dead: it is closed and the provider reconnects with its back-off.
 */
export interface WatchdogTiming {
  /** How often the socket is looked at. */
  tickMs: number;
  /** Silence after which the page asks the server for a sign of life. */
  probeAfterMs: number;
  /** Silence (no message, no upload progress) after which the socket is taken for dead. */
  deadAfterMs: number;
  /** A connection still opening after this long is abandoned and tried again. */
  connectTimeoutMs: number;
  /**
   * Ticks further apart than this mean the page was suspended or its timers throttled (hidden
   * tab): what happened meanwhile is unknown, so the watch starts over instead of judging.
   */
  suspendedGapMs: number;
}

export const WATCHDOG_TIMING: WatchdogTiming = {
  tickMs: 500,
  probeAfterMs: 2000,
  deadAfterMs: 6000,
  connectTimeoutMs: 10_000,
  suspendedGapMs: 2500,
};

/** What the watchdog sees of the socket at one tick. */
export interface SocketObservation {
  status: 'connecting' | 'connected' | 'disconnected';
  /** Bytes the browser still has to send (`WebSocket.bufferedAmount`): a large upload in progress. */
  bufferedAmount: number;
}

export type WatchdogAction = 'none' | 'probe' | 'close';

/**
 * The decisions, without timers or sockets (times in ms, from any monotonic-enough clock):
 * `heard` at each message received, `tick` regularly; `tick` says what to do now.
 */
export class ConnectionWatchdog {
  private lastHeard: number;
  private lastTick: number;
  private lastProbe = Number.NEGATIVE_INFINITY;
  private lastBuffered = 0;
  private lastStatus: SocketObservation['status'] = 'disconnected';
  private connectingSince: number | null = null;

  constructor(
    private readonly timing: WatchdogTiming,
    now: number,
  ) {
    this.lastHeard = now;
    this.lastTick = now;
  }

  /** A message arrived from the server. */
  heard(now: number): void {
    this.lastHeard = now;
  }

  tick(now: number, socket: SocketObservation): WatchdogAction {
    const suspended = now - this.lastTick > this.timing.suspendedGapMs;
    this.lastTick = now;
    const previous = this.lastStatus;
    this.lastStatus = socket.status;

    if (socket.status === 'disconnected') {
      this.connectingSince = null;
      return 'none';
    }
    if (socket.status === 'connecting') {
      if (this.connectingSince === null || suspended) this.connectingSince = now;
      if (now - this.connectingSince < this.timing.connectTimeoutMs) return 'none';
      this.connectingSince = null;
      return 'close';
    }

    this.connectingSince = null;
    if (previous !== 'connected' || suspended) {
      // A new connection, or back from a pause: judge from now on, and ask at once if paused.
      this.lastHeard = now;
      this.lastBuffered = socket.bufferedAmount;
      if (!suspended) return 'none';
      this.lastProbe = now;
      return 'probe';
    }
    // A large upload keeps the server from answering until it has read it all: progress is life.
    if (socket.bufferedAmount < this.lastBuffered) this.lastHeard = now;
    this.lastBuffered = socket.bufferedAmount;

    const silence = now - this.lastHeard;
    if (silence >= this.timing.deadAfterMs) {
      this.lastHeard = now;
      return 'close';
    }
    if (silence >= this.timing.probeAfterMs && now - this.lastProbe >= this.timing.probeAfterMs) {
      this.lastProbe = now;
      return 'probe';
    }
    return 'none';
  }
}

/** Close code of a socket abandoned by the watchdog (the provider's own check uses it too). */
export const NO_RESPONSE_CLOSE_CODE = 4408;

/** The provider's websocket, with a way to give up on a socket the network silently dropped. */
export class LiveWebsocket extends HocuspocusProviderWebsocket {
  /**
   * Handles the socket as closed now, as if the browser had reported it: the providers hear
   * `close` and `disconnect`, and the socket reconnects with its back-off. (`WebSocket.close()`
   * alone would wait for a closing handshake that cannot come through a dead connection.)
   */
  forceClose(reason: string): void {
    this.emit('close', { event: { code: NO_RESPONSE_CLOSE_CODE, reason } });
  }
}

/** The awareness methods a probe needs (y-protocols' `Awareness`). */
export interface RenewableAwareness {
  getLocalState(): Record<string, unknown> | null;
  setLocalState(state: Record<string, unknown> | null): void;
}

function observe(socket: HocuspocusProviderWebsocket): SocketObservation {
  const status =
    socket.status === WebSocketStatus.Connected
      ? 'connected'
      : socket.status === WebSocketStatus.Connecting
        ? 'connecting'
        : 'disconnected';
  return { status, bufferedAmount: socket.webSocket?.bufferedAmount ?? 0 };
}

/**
 * Watches `socket` until the returned function is called: probes through `awareness` when the
 * server has been silent, closes the socket when it stays silent (see {@link WatchdogTiming}).
 * Without a local awareness state there is nothing to renew: the silence is then not judged.
 */
export function watchConnection(
  socket: LiveWebsocket,
  awareness: RenewableAwareness | null,
  timing: WatchdogTiming = WATCHDOG_TIMING,
): () => void {
  const watchdog = new ConnectionWatchdog(timing, Date.now());
  const heard = () => watchdog.heard(Date.now());
  socket.on('message', heard);
  const timer = setInterval(() => {
    const action = watchdog.tick(Date.now(), observe(socket));
    if (action === 'probe') {
      const state = awareness?.getLocalState() ?? null;
      if (awareness && state) awareness.setLocalState(state);
      else heard();
    } else if (action === 'close') {
      socket.forceClose(socket.status === WebSocketStatus.Connecting ? 'connect-timeout' : 'no-response');
    }
  }, timing.tickMs);
  return () => {
    clearInterval(timer);
    socket.off('message', heard);
  };
}
