import { describe, expect, it, vi } from 'vitest';
import {
  DeferredSocket,
  InboundPacer,
  OutboundScheduler,
  STALLED_READER_BYTES,
  StalledReaders,
  inboundPerTurnFromEnv,
} from './transport.js';

function fakeWs() {
  const sent: unknown[] = [];
  return {
    sent,
    ws: { readyState: 1, OPEN: 1 as const, send: (d: unknown) => void sent.push(d), close: vi.fn() },
  };
}

describe('outgoing frames and the update-log commit', () => {
  it('sends nothing before the commit, then every socket’s frames in order, after one commit', async () => {
    const order: string[] = [];
    const scheduler = new OutboundScheduler(() => order.push('commit'), vi.fn());
    const a = fakeWs();
    const b = fakeWs();
    const socketA = new DeferredSocket(a.ws as never, scheduler);
    const socketB = new DeferredSocket(b.ws as never, scheduler);
    socketA.send('ack-1');
    socketB.send('broadcast-1');
    socketA.send('ack-2');
    expect(a.sent).toEqual([]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(order).toEqual(['commit']);
    expect(a.sent).toEqual(['ack-1', 'ack-2']);
    expect(b.sent).toEqual(['broadcast-1']);
  });

  it('sends nothing at all and reports a fatal error when the commit fails', async () => {
    const onFatal = vi.fn();
    const scheduler = new OutboundScheduler(() => {
      throw new Error('SQLITE_FULL');
    }, onFatal);
    const a = fakeWs();
    new DeferredSocket(a.ws as never, scheduler).send('ack');
    await new Promise((resolve) => setImmediate(resolve));
    expect(a.sent).toEqual([]);
    expect(onFatal).toHaveBeenCalledOnce();
  });

  it('commits and sends what is queued before closing a socket', () => {
    const commit = vi.fn();
    const scheduler = new OutboundScheduler(commit, vi.fn());
    const a = fakeWs();
    const socket = new DeferredSocket(a.ws as never, scheduler);
    socket.send('last words');
    socket.close(4403, 'forbidden');
    expect(commit).toHaveBeenCalled();
    expect(a.sent).toEqual(['last words']);
    expect(a.ws.close).toHaveBeenCalledWith(4403, 'forbidden');
  });
});

describe('incoming messages paced per event-loop turn', () => {
  const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
  const bytes = (n: number): Uint8Array => new Uint8Array([n & 0xff, n >> 8]);
  const number = (m: Uint8Array): number => (m[0] ?? 0) + ((m[1] ?? 0) << 8);

  function socket(pacer: InboundPacer) {
    const handed: number[][] = [[]];
    const flow = { pause: vi.fn(), resume: vi.fn() };
    const queue = pacer.queue((m) => handed.at(-1)?.push(number(m)), flow);
    return { handed, flow, queue, turn: () => handed.push([]) };
  }

  it('hands a lone message at once, in the turn it arrived', () => {
    const pacer = new InboundPacer(4);
    const s = socket(pacer);
    s.queue.push(bytes(1));
    expect(s.handed).toEqual([[1]]);
    expect(pacer.backlog).toBe(0);
  });

  it('hands a burst at most `perTurn` per turn, every message once and in order', async () => {
    const pacer = new InboundPacer(4);
    const s = socket(pacer);
    for (let i = 0; i < 10; i++) s.queue.push(bytes(i));
    expect(s.handed).toEqual([[0, 1, 2, 3]]);
    expect(s.queue.waiting).toBe(6);
    s.turn();
    await nextTurn();
    expect(s.handed.at(-1)).toEqual([4, 5, 6, 7]);
    s.turn();
    await nextTurn();
    expect(s.handed.at(-1)).toEqual([8, 9]);
    expect(s.handed.flat()).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(pacer.backlog).toBe(0);
  });

  it('queues a message that arrives behind a backlog after it, never before', async () => {
    const pacer = new InboundPacer(2);
    const s = socket(pacer);
    for (let i = 0; i < 5; i++) s.queue.push(bytes(i));
    await nextTurn();
    expect(s.handed.flat()).toEqual([0, 1, 2, 3]);
    s.queue.push(bytes(5));
    expect(s.handed.flat()).toEqual([0, 1, 2, 3]);
    await nextTurn();
    expect(s.handed.flat()).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('paces each socket on its own: a burst on one leaves another socket’s message unqueued', () => {
    const pacer = new InboundPacer(2);
    const busy = socket(pacer);
    const typist = socket(pacer);
    for (let i = 0; i < 5; i++) busy.queue.push(bytes(i));
    typist.queue.push(bytes(100));
    expect(typist.handed).toEqual([[100]]);
    expect(busy.handed).toEqual([[0, 1]]);
  });

  it('pauses reading above the high-water mark and resumes once the backlog is handed', async () => {
    const pacer = new InboundPacer(2, 3);
    const s = socket(pacer);
    for (let i = 0; i < 6; i++) s.queue.push(bytes(i));
    expect(s.flow.pause).toHaveBeenCalledOnce();
    await vi.waitFor(() => expect(s.handed.flat()).toHaveLength(6));
    expect(s.flow.resume).toHaveBeenCalledOnce();
  });

  it('hands what waits before a close, and nothing after a stop', () => {
    const pacer = new InboundPacer(1);
    const closing = socket(pacer);
    for (let i = 0; i < 3; i++) closing.queue.push(bytes(i));
    closing.queue.drain();
    expect(closing.handed.flat()).toEqual([0, 1, 2]);
    const faulty = socket(pacer);
    for (let i = 0; i < 3; i++) faulty.queue.push(bytes(i));
    faulty.queue.stop();
    faulty.queue.push(bytes(9));
    faulty.queue.drain();
    expect(faulty.handed.flat()).toEqual([0]);
    expect(pacer.backlog).toBe(0);
  });

  it('hands every message at once without a bound (the behaviour before issue 16)', () => {
    const pacer = new InboundPacer(Number.POSITIVE_INFINITY);
    const s = socket(pacer);
    for (let i = 0; i < 500; i++) s.queue.push(bytes(i));
    expect(s.handed[0]).toHaveLength(500);
    expect(s.flow.pause).not.toHaveBeenCalled();
  });

  it('reads the benchmark’s reference setting from the environment only when it is there', () => {
    expect(inboundPerTurnFromEnv({})).toBeUndefined();
    expect(inboundPerTurnFromEnv({ ESSAIM_BENCH_INBOUND_PER_TURN: '0' })).toBe(Number.POSITIVE_INFINITY);
    expect(inboundPerTurnFromEnv({ ESSAIM_BENCH_INBOUND_PER_TURN: '16' })).toBe(16);
    expect(() => inboundPerTurnFromEnv({ ESSAIM_BENCH_INBOUND_PER_TURN: 'beaucoup' })).toThrow(
      /ESSAIM_BENCH_INBOUND_PER_TURN/,
    );
  });
});

describe('sockets that stop reading', () => {
  function watchedWs(buffered: number) {
    return { bufferedAmount: buffered, terminate: vi.fn() };
  }

  it('drops a socket over 1 MiB waiting that takes nothing during its grace period, and tells how much waited', () => {
    let now = 0;
    const dropped = vi.fn();
    const readers = new StalledReaders(10_000, dropped, () => now);
    const ws = watchedWs(STALLED_READER_BYTES + 1);
    readers.check(ws, () => 4 * STALLED_READER_BYTES);
    now = 9_999;
    readers.sweep();
    expect(ws.terminate).not.toHaveBeenCalled();
    now = 10_000;
    readers.sweep();
    expect(ws.terminate).toHaveBeenCalledOnce();
    expect(dropped).toHaveBeenCalledWith(STALLED_READER_BYTES + 1);
    readers.stop();
  });

  it('keeps a slow socket that goes on reading, however long its backlog lasts', () => {
    let now = 0;
    let queued = 20 * STALLED_READER_BYTES;
    const readers = new StalledReaders(10_000, vi.fn(), () => now);
    const ws = watchedWs(queued - 0);
    readers.check(ws, () => queued - ws.bufferedAmount);
    // 200 KB a second taken (a phone at 1.6 Mbit/s), while 100 KB a second more is queued.
    for (let second = 1; second <= 60; second++) {
      now = second * 1000;
      queued += 100_000;
      ws.bufferedAmount = Math.max(STALLED_READER_BYTES + 1, ws.bufferedAmount + 100_000 - 200_000);
      readers.sweep();
    }
    expect(ws.terminate).not.toHaveBeenCalled();
    readers.stop();
  });

  it('does not watch a socket with 1 MiB or less waiting, and stops watching one that caught up', () => {
    let now = 0;
    const readers = new StalledReaders(10_000, vi.fn(), () => now);
    const small = watchedWs(STALLED_READER_BYTES);
    readers.check(small, () => 0);
    const caughtUp = watchedWs(2 * STALLED_READER_BYTES);
    readers.check(caughtUp, () => 0);
    caughtUp.bufferedAmount = 0;
    now = 60_000;
    readers.sweep();
    expect(small.terminate).not.toHaveBeenCalled();
    expect(caughtUp.terminate).not.toHaveBeenCalled();
    readers.stop();
  });
});
