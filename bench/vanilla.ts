import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Hocuspocus } from '@hocuspocus/server';
import { WebSocketServer } from 'ws';

/**
 * A bare Hocuspocus: no extensions, in memory. The yardstick every benchmark compares Essaim to.
 * With `initialState`, each document starts from it when first loaded (an `onLoadDocument` hook
 * and nothing else), as Essaim's documents start from their template.
 */
export interface VanillaServer {
  hocuspocus: Hocuspocus;
  url: string;
  wsUrl: string;
  stop(): Promise<void>;
}

/**
 * Builds the vanilla server exactly the way docs/STACK.md describes embedding Hocuspocus v4:
 * an HTTP server, a `ws` server in noServer mode on `upgrade`, `handleConnection` per socket with
 * message and close wiring. Nothing else: no authentication, no persistence, no deferred frames.
 */
export async function startVanillaServer(
  options: { flushDelay?: false | number; initialState?: () => Uint8Array } = {},
): Promise<VanillaServer> {
  const { initialState } = options;
  const hocuspocus = new Hocuspocus({
    name: 'vanilla',
    quiet: true,
    flushDelay: options.flushDelay ?? false,
    // Hocuspocus applies what this hook returns to the new document before anybody syncs.
    ...(initialState ? { onLoadDocument: async () => initialState() } : {}),
  });
  const httpServer = http.createServer((_req, res) => {
    res.writeHead(404).end();
  });
  const wss = new WebSocketServer({ noServer: true });

  httpServer.on('upgrade', (req, socket, head) => {
    wss.handleUpgrade(req, socket, head, (ws) => {
      const headers = new Headers();
      for (const [name, value] of Object.entries(req.headers)) {
        if (Array.isArray(value)) for (const v of value) headers.append(name, v);
        else if (value !== undefined) headers.set(name, value);
      }
      const request = new Request(`http://${req.headers.host ?? 'localhost'}${req.url ?? '/'}`, { headers });
      const connection = hocuspocus.handleConnection(ws, request, {});
      ws.on('message', (data: Buffer) => connection.handleMessage(new Uint8Array(data)));
      ws.on('close', (code, reason) => connection.handleClose({ code, reason: reason.toString() }));
    });
  });

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = httpServer.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  let stopping: Promise<void> | undefined;

  return {
    hocuspocus,
    url,
    wsUrl: `ws://127.0.0.1:${port}/collab`,
    stop: () =>
      (stopping ??= (async () => {
        const closed = new Promise<void>((resolve) => httpServer.close(() => resolve()));
        hocuspocus.closeConnections();
        hocuspocus.flushPendingStores();
        const deadline = Date.now() + 5_000;
        while (hocuspocus.getDocumentsCount() > 0 && Date.now() < deadline) {
          await new Promise((resolve) => setTimeout(resolve, 10));
        }
        for (const client of wss.clients) client.terminate();
        await new Promise<void>((resolve) => wss.close(() => resolve()));
        httpServer.closeAllConnections();
        await closed;
      })()),
  };
}
