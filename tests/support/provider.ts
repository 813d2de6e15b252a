import { HocuspocusProvider, HocuspocusProviderWebsocket } from '@hocuspocus/provider';
import * as Y from 'yjs';
import WebSocket from 'ws';

export interface NodeClient {
  ydoc: Y.Doc;
  provider: HocuspocusProvider;
  socket: HocuspocusProviderWebsocket;
  /** The shared text used by tests that do not need the editor schema. */
  text: Y.Text;
  destroy(): void;
}

/**
 * A real HocuspocusProvider over a real websocket, as a browser would have, but in Node.
 * `ydoc` can be passed to keep edits across a simulated reconnect.
 */
/** A provider for a logged-in person: it fetches a fresh websocket token at each (re)connection. */
export function connectAs(
  session: { collabToken(): Promise<string> },
  wsUrl: string,
  name: string,
  options: { ydoc?: Y.Doc } = {},
): NodeClient {
  return connectClient(wsUrl, name, { ...options, token: () => session.collabToken() });
}

export function connectClient(
  wsUrl: string,
  name: string,
  options: { ydoc?: Y.Doc; token?: string | (() => Promise<string>) } = {},
): NodeClient {
  const ydoc = options.ydoc ?? new Y.Doc();
  const socket = new HocuspocusProviderWebsocket({
    url: wsUrl,
    WebSocketPolyfill: WebSocket,
    // Tests poll; reconnect fast so a restarted server is found quickly.
    delay: 50,
    minDelay: 50,
    maxDelay: 200,
  });
  const provider = new HocuspocusProvider({
    websocketProvider: socket,
    name,
    document: ydoc,
    token: options.token ?? '',
  });
  provider.attach();
  return {
    ydoc,
    provider,
    socket,
    text: ydoc.getText('t'),
    destroy() {
      provider.destroy();
      socket.destroy();
    },
  };
}

/** True once the provider synced with the server and every local change was acknowledged. */
export const isSettled = (client: NodeClient): boolean =>
  client.provider.isSynced && !client.provider.hasUnsyncedChanges;
