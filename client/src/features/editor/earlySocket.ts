/*
 * The collaboration socket of a document opened as the app starts (issue 16). On a first visit the
 * editor's provider opens its socket only once the editor page's JavaScript has run and the local
 * copy is read (0.5–0.6 s after the entry script on the throttled line of `bench/firstVisit.ts`,
 * 1.6 Mbit/s and 150 ms), and the websocket handshake then took 0.2–0.5 s more before the first
 * message could go. Opened by the entry on a document's address, the handshake is done while that
 * JavaScript runs, and the provider takes the open socket ({@link AdoptingWebSocket}). In the entry:
 * small, and nothing of the editor.
 */

/** `ws(s)://<this host>/collab`: the socket lives on the same origin as the page (CSP `'self'`). */
export function collabUrl(location: Location = window.location): string {
  return `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}/collab`;
}

/**
 * How long (ms) a socket opened as the app starts waits for the editor to take it: 15 s, then it
 * is closed (the page was not the editor after all: a visitor without a session is sent to
 * « Connexion »). The server closes a socket that does not authenticate within 30 s anyway
 * (server/src/collab/transport.ts), and counts it among its unauthenticated sockets meanwhile.
 */
export const EARLY_SOCKET_WAIT_MS = 15_000;

let early: WebSocket | null = null;

/**
 * Closes `socket`, once open if it is still opening: Chromium reports a socket closed while it
 * opens as an error in the console (« closed before the connection is established »).
 */
function closeQuietly(socket: WebSocket): void {
  if (socket.readyState === WebSocket.CONNECTING) socket.addEventListener('open', () => socket.close());
  else socket.close();
}

/**
 * Opens the collaboration socket now, when the address is a document's (`/documents/:id`), for the
 * editor to take ({@link AdoptingWebSocket}); nothing else. The session cookie goes with the
 * upgrade, as it does with the provider's own socket; nothing is sent before the editor takes it.
 */
export function openEarlyCollabSocket(location: Location = window.location): void {
  if (early || !/^\/documents\/[^/]+\/?$/i.test(location.pathname) || typeof WebSocket === 'undefined')
    return;
  let socket: WebSocket;
  try {
    socket = new WebSocket(collabUrl(location));
  } catch {
    return;
  }
  socket.binaryType = 'arraybuffer';
  early = socket;
  setTimeout(() => {
    if (early !== socket) return;
    early = null;
    closeQuietly(socket);
  }, EARLY_SOCKET_WAIT_MS);
}

/**
 * Closes the socket opened as the app started, if nobody took it: the session says nobody is
 * logged in, or another account than the one of that moment (`SessionProvider`). It carries the
 * cookie of the moment it opened: taken after a login (a visitor sent to « Connexion » who comes
 * back within {@link EARLY_SOCKET_WAIT_MS}), it would have been refused as unauthenticated.
 */
export function dropEarlyCollabSocket(): void {
  const socket = early;
  early = null;
  if (socket) closeQuietly(socket);
}

/**
 * A `WebSocket` constructor for the provider's `WebSocketPolyfill`: the first socket asked for
 * `url` is the one opened as the app started if it is still opening or open, else a new one. An
 * open one has already fired `open`, before the provider listened: the event is sent again once
 * the provider has added its listeners (it does so right after constructing the socket). Called
 * with `new`, it returns the socket it chose (a constructor's returned object is the result).
 */
export function AdoptingWebSocket(url: string): WebSocket {
  const socket = early;
  early = null;
  if (
    socket &&
    socket.url === url &&
    (socket.readyState === WebSocket.CONNECTING || socket.readyState === WebSocket.OPEN)
  ) {
    if (socket.readyState === WebSocket.OPEN) queueMicrotask(() => socket.dispatchEvent(new Event('open')));
    return socket;
  }
  if (socket) closeQuietly(socket);
  return new WebSocket(url);
}
