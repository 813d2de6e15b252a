import { describe, expect, it, vi } from 'vitest';
import { DeferredSocket, OutboundScheduler } from './transport.js';

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
