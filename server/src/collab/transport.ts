import type { IncomingMessage, Server as HttpServer } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Hocuspocus, WebSocketLike } from '@hocuspocus/server';
import { CloseCode } from '@essaim/protocol';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Logger } from '../logger.js';
import type { OriginPolicy } from '../originPolicy.js';
import type { CollabContext } from './context.js';

export interface CollabTransportOptions {
  httpServer: HttpServer;
  hocuspocus: Hocuspocus<CollabContext>;
  logger: Logger;
  /** URL path that takes websocket upgrades. */
  path: string;
  /** Which browser origins may open a websocket. */
  originAllowed: OriginPolicy;
  /** Largest frame accepted from an authenticated socket; `ws` closes with 1009 above it. */
  maxPayload: number;
  /** Largest frame accepted before the socket authenticated any document. */
  maxPreAuthPayload: number;
}

export interface CollabTransport {
  /** Refuses new upgrades and closes the websocket server (Hocuspocus must be drained first). */
  close(): Promise<void>;
}

/**
 * A socket whose outgoing frames leave at the end of the current event-loop turn.
 *
 * Hocuspocus acknowledges an update (SyncStatus) synchronously after applying it, before its
 * `onChange` hooks run on the microtask queue. Deferring the actual write past those microtasks
 * guarantees that the update log append (PersistenceExtension.onChange) reaches SQLite before any
 * acknowledgement or broadcast reaches the network. Frames keep their order.
 */
class DeferredSocket implements WebSocketLike {
  private queue: (string | ArrayBufferLike | Blob | ArrayBufferView)[] = [];
  private scheduled = false;

  constructor(private readonly ws: WebSocket) {}

  get readyState(): number {
    return this.ws.readyState;
  }

  send(data: string | ArrayBufferLike | Blob | ArrayBufferView): void {
    this.queue.push(data);
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(this.flush);
    }
  }

  close(code?: number, reason?: string): void {
    this.flush();
    this.ws.close(code, reason);
  }

  private readonly flush = (): void => {
    this.scheduled = false;
    const frames = this.queue;
    this.queue = [];
    if (this.ws.readyState !== this.ws.OPEN) return;
    for (const frame of frames) this.ws.send(frame as Parameters<WebSocket['send']>[0]);
  };
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

function refuseUpgrade(socket: Duplex, status: number, text: string): void {
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

/** Takes websocket upgrades on `path` of the HTTP server and hands each socket to Hocuspocus. */
export function attachCollabTransport(options: CollabTransportOptions): CollabTransport {
  const { httpServer, hocuspocus, logger } = options;
  const wss = new WebSocketServer({ noServer: true, maxPayload: options.maxPayload });
  let closing = false;

  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    const pathname = new URL(req.url ?? '/', 'http://x').pathname;
    if (pathname !== options.path) return refuseUpgrade(socket, 404, 'Not Found');
    if (closing) return refuseUpgrade(socket, 503, 'Service Unavailable');
    const origin = req.headers.origin;
    // Browsers always send Origin; programs (Node providers) usually send none and hold a token.
    if (origin !== undefined && !options.originAllowed(origin, req.headers.host)) {
      logger.warn({ origin }, 'websocket upgrade refused: origin not allowed');
      return refuseUpgrade(socket, 403, 'Forbidden');
    }
    wss.handleUpgrade(req, socket, head, (ws) => onConnection(ws, req));
  };

  const onConnection = (ws: WebSocket, req: IncomingMessage): void => {
    const context: CollabContext = { socket: { authenticated: false } };
    const connection = hocuspocus.handleConnection(new DeferredSocket(ws), toFetchRequest(req), context);
    ws.on('message', (data, isBinary) => {
      if (!isBinary) {
        ws.close(CloseCode.BadMessage, 'binary-frames-only');
        return;
      }
      const bytes = Array.isArray(data)
        ? Buffer.concat(data)
        : Buffer.isBuffer(data)
          ? data
          : Buffer.from(data);
      if (!context.socket.authenticated && bytes.byteLength > options.maxPreAuthPayload) {
        ws.close(CloseCode.TooLarge, 'frame-too-large-before-authentication');
        return;
      }
      try {
        connection.handleMessage(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
      } catch (error) {
        logger.warn({ err: error }, 'malformed collaborative message, closing this socket');
        ws.close(CloseCode.BadMessage, 'malformed-message');
      }
    });
    ws.on('close', (code, reason) => connection.handleClose({ code, reason: reason.toString() }));
    ws.on('error', (error) => logger.warn({ err: error }, 'websocket error'));
  };

  httpServer.on('upgrade', onUpgrade);

  return {
    close: () =>
      new Promise<void>((resolve) => {
        closing = true;
        httpServer.off('upgrade', onUpgrade);
        for (const client of wss.clients) client.terminate();
        wss.close(() => resolve());
      }),
  };
}
