import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  AdoptingWebSocket,
  collabUrl,
  dropEarlyCollabSocket,
  EARLY_SOCKET_WAIT_MS,
  openEarlyCollabSocket,
} from './earlySocket.js';

/** A stand-in for the browser's WebSocket: records what is made, opened, closed and dispatched. */
class FakeSocket extends EventTarget {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSING = 2;
  static readonly CLOSED = 3;
  static made: FakeSocket[] = [];
  readyState = FakeSocket.CONNECTING;
  binaryType = 'blob';
  opens = 0;
  constructor(readonly url: string) {
    super();
    FakeSocket.made.push(this);
    this.addEventListener('open', () => (this.opens += 1));
  }
  close(): void {
    this.readyState = FakeSocket.CLOSED;
  }
}

const at = (pathname: string) => ({ protocol: 'http:', host: 'essaim.test', pathname }) as Location;
const URL_ = 'ws://essaim.test/collab';
/** `new AdoptingWebSocket(url)`, as the provider calls it. */
/** The last socket made. */
const last = (): FakeSocket => {
  const socket = FakeSocket.made.at(-1);
  if (!socket) throw new Error('aucune socket');
  return socket;
};
const adopt = (url: string) => new (AdoptingWebSocket as unknown as new (url: string) => FakeSocket)(url);

describe('the collaboration socket opened as the app starts', () => {
  beforeEach(() => {
    FakeSocket.made = [];
    vi.useFakeTimers();
    vi.stubGlobal('WebSocket', FakeSocket);
    vi.stubGlobal('window', { location: at('/documents/d1') });
  });
  afterEach(() => {
    // Whatever the test left is taken, so that the next one starts without an early socket.
    adopt('ws://ailleurs/collab');
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  it('is opened on a document’s address only, for this origin’s /collab', () => {
    expect(collabUrl(at('/documents/d1'))).toBe(URL_);
    openEarlyCollabSocket(at('/espaces/e1'));
    openEarlyCollabSocket(at('/documents/d1/historique'));
    expect(FakeSocket.made).toEqual([]);
    openEarlyCollabSocket(at('/documents/d1'));
    openEarlyCollabSocket(at('/documents/d1'));
    expect(FakeSocket.made.map((socket) => [socket.url, socket.binaryType])).toEqual([[URL_, 'arraybuffer']]);
  });

  it('is taken by the provider while it opens, once', () => {
    openEarlyCollabSocket(at('/documents/d1'));
    const socket = adopt(URL_);
    expect(socket).toBe(FakeSocket.made[0]);
    // The next one asked is a new socket (a reconnection).
    expect(adopt(URL_)).not.toBe(socket);
  });

  it('sends `open` again once taken open, after the provider has listened', async () => {
    openEarlyCollabSocket(at('/documents/d1'));
    const early = last();
    early.readyState = FakeSocket.OPEN;
    early.dispatchEvent(new Event('open'));
    const socket = adopt(URL_);
    let heard = 0;
    socket.addEventListener('open', () => (heard += 1));
    expect(heard).toBe(0);
    await Promise.resolve();
    expect(heard).toBe(1);
  });

  it('is not taken once closed, nor for another address, and is closed if nobody takes it', () => {
    openEarlyCollabSocket(at('/documents/d1'));
    last().close();
    expect(adopt(URL_)).not.toBe(FakeSocket.made[0]);

    openEarlyCollabSocket(at('/documents/d1'));
    const other = last();
    other.readyState = FakeSocket.OPEN;
    expect(adopt('ws://ailleurs/collab')).not.toBe(other);
    expect(other.readyState).toBe(FakeSocket.CLOSED);

    openEarlyCollabSocket(at('/documents/d1'));
    const unused = last();
    unused.readyState = FakeSocket.OPEN;
    vi.advanceTimersByTime(EARLY_SOCKET_WAIT_MS);
    expect(unused.readyState).toBe(FakeSocket.CLOSED);
    expect(adopt(URL_)).not.toBe(unused);
  });

  it('is dropped when the session says nobody is logged in, and closed once open, not while it opens', () => {
    openEarlyCollabSocket(at('/documents/d1'));
    const early = last();
    dropEarlyCollabSocket();
    expect(early.readyState).toBe(FakeSocket.CONNECTING);
    expect(adopt(URL_)).not.toBe(early);
    early.readyState = FakeSocket.OPEN;
    early.dispatchEvent(new Event('open'));
    expect(early.readyState).toBe(FakeSocket.CLOSED);
  });
});
