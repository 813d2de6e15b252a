import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  PresenceCoalescer,
  presenceDocumentOf,
  readPresenceMessage,
  writePresenceMessage,
} from './presenceCoalescing.js';

const entry = (clock: number, state: unknown) => ({ clock, state: JSON.stringify(state) });
const caret = (name: string, clientId: number, clock: number, at: number): Uint8Array =>
  writePresenceMessage(name, new Map([[clientId, entry(clock, { cursor: at })]]));

describe('a socket’s presence budget', () => {
  afterEach(() => vi.useRealTimers());

  it('hands on the first caret at once and merges the ones that follow within the interval into one, ending on the latest', () => {
    vi.useFakeTimers();
    let now = 0;
    const handed: Uint8Array[] = [];
    const presence = new PresenceCoalescer(
      (m) => handed.push(m),
      50,
      () => now,
    );
    expect(presence.offer(caret('doc.a', 7, 1, 0))).toBe(true);
    expect(handed).toHaveLength(1);
    for (let i = 1; i <= 100; i++) {
      now += 0.1;
      presence.offer(caret('doc.a', 7, 1 + i, i));
    }
    expect(handed).toHaveLength(1);
    now = 50;
    vi.advanceTimersByTime(50);
    expect(handed).toHaveLength(2);
    const last = readPresenceMessage(handed[1] as Uint8Array);
    expect(last?.documentName).toBe('doc.a');
    expect([...(last?.entries ?? [])]).toEqual([[7, entry(101, { cursor: 100 })]]);
  });

  it('keeps a removal of another client and the sender’s own state together in the merged update', () => {
    vi.useFakeTimers();
    let now = 0;
    const handed: Uint8Array[] = [];
    const presence = new PresenceCoalescer(
      (m) => handed.push(m),
      50,
      () => now,
    );
    presence.offer(caret('doc.a', 7, 1, 0));
    now = 10;
    presence.offer(writePresenceMessage('doc.a', new Map([[9, { clock: 4, state: 'null' }]])));
    presence.offer(caret('doc.a', 7, 2, 5));
    now = 50;
    vi.advanceTimersByTime(40);
    const merged = readPresenceMessage(handed[1] as Uint8Array);
    expect(new Map(merged?.entries)).toEqual(
      new Map([
        [9, { clock: 4, state: 'null' }],
        [7, entry(2, { cursor: 5 })],
      ]),
    );
  });

  it('keeps a budget per document: a caret in a second document is not held back by the first', () => {
    let now = 0;
    const handed: string[] = [];
    const presence = new PresenceCoalescer(
      (m) => handed.push(readPresenceMessage(m)?.documentName ?? '?'),
      50,
      () => now,
    );
    presence.offer(caret('doc.a', 7, 1, 0));
    now = 1;
    presence.offer(caret('doc.b', 7, 1, 0));
    expect(handed).toEqual(['doc.a', 'doc.b']);
    presence.stop();
  });

  it('leaves other messages and undecodable presence to their usual way, and drops what it holds once stopped', () => {
    vi.useFakeTimers();
    let now = 0;
    const handed: Uint8Array[] = [];
    const presence = new PresenceCoalescer(
      (m) => handed.push(m),
      50,
      () => now,
    );
    const sync = new Uint8Array([5, 100, 111, 99, 46, 97, 0, 0, 0]);
    expect(presence.offer(sync)).toBe(false);
    expect(presence.offer(new Uint8Array([5, 100, 111, 99, 46, 97, 1, 9, 9]))).toBe(false);
    presence.offer(caret('doc.a', 7, 1, 0));
    now = 1;
    presence.offer(caret('doc.a', 7, 2, 1));
    expect(presence.heldCount).toBe(1);
    presence.stop();
    vi.advanceTimersByTime(100);
    expect(handed).toHaveLength(1);
    expect(presence.offer(caret('doc.a', 7, 3, 2))).toBe(false);
  });

  it('sends a held update at once when it gathers more clients than one update may hold', () => {
    let now = 0;
    const handed: Uint8Array[] = [];
    const presence = new PresenceCoalescer(
      (m) => handed.push(m),
      50,
      () => now,
    );
    presence.offer(caret('doc.a', 1, 1, 0));
    now = 1;
    for (let id = 100; id < 100 + 65; id++)
      presence.offer(writePresenceMessage('doc.a', new Map([[id, { clock: 1, state: 'null' }]])));
    expect(handed).toHaveLength(2);
    expect(readPresenceMessage(handed[1] as Uint8Array)?.entries.size).toBe(65);
    presence.stop();
  });

  it('reads a presence frame’s document without its entries, and nothing of an update message', () => {
    expect(presenceDocumentOf(caret('doc.é', 7, 1, 0))).toBe('doc.é');
    // An update message (type 0): not presence, whatever follows.
    expect(presenceDocumentOf(new Uint8Array([5, 100, 111, 99, 46, 97, 0, 0, 0]))).toBeNull();
    // Presence frames that do not read whole: an update longer than the frame, bytes after it,
    // a name longer than the frame, a frame that ends after the name.
    expect(presenceDocumentOf(new Uint8Array([5, 100, 111, 99, 46, 97, 1, 9, 9]))).toBeNull();
    expect(presenceDocumentOf(new Uint8Array([5, 100, 111, 99, 46, 97, 1, 1, 0, 0]))).toBeNull();
    expect(presenceDocumentOf(new Uint8Array([50, 100, 111]))).toBeNull();
    expect(presenceDocumentOf(new Uint8Array([5, 100, 111, 99, 46, 97]))).toBeNull();
    // Entries that do not decode but a frame that reads whole: its document.
    expect(presenceDocumentOf(new Uint8Array([5, 100, 111, 99, 46, 97, 1, 2, 1, 7]))).toBe('doc.a');
  });

  it('hands on, unread and as it came, a presence update nothing is held for; one that must be merged but does not decode goes its usual way', () => {
    let now = 0;
    const handed: Uint8Array[] = [];
    const presence = new PresenceCoalescer(
      (m) => handed.push(m),
      50,
      () => now,
    );
    // Two entries announced, one written: the frame reads whole, the entries do not decode.
    const broken = new Uint8Array([5, 100, 111, 99, 46, 97, 1, 2, 2, 7]);
    expect(presence.offer(broken)).toBe(true);
    expect(handed).toEqual([broken]);
    now = 1;
    expect(presence.offer(broken)).toBe(false);
    expect(presence.heldCount).toBe(0);
    expect(presence.offer(caret('doc.a', 7, 2, 1))).toBe(true);
    expect(presence.heldCount).toBe(1);
    presence.stop();
  });
});
