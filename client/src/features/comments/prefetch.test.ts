import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ThreadListDto } from '@essaim/protocol';

const listThreads = vi.fn<(documentId: string) => Promise<ThreadListDto>>();
vi.mock('./api.js', () => ({ listThreads: (documentId: string) => listThreads(documentId) }));

const { peekPrefetchedThreads, prefetchThreads, takePrefetchedThreads, PREFETCH_TTL_MS } =
  await import('./prefetch.js');

const list = (open: number): ThreadListDto => ({
  threads: [],
  counts: { open, resolved: 0 },
  abilities: { comment: true, resolve: false, moderate: false },
});

/** A promise and the functions that settle it. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('threads asked for when the document page opens', () => {
  let now = 1_000;
  beforeEach(() => {
    listThreads.mockReset();
    vi.spyOn(performance, 'now').mockImplementation(() => now);
  });
  afterEach(() => {
    vi.restoreAllMocks();
    // Whatever a test left behind is taken, so the next one starts empty.
    for (const id of ['d1', 'd2', 'd3', 'd4', 'd5']) takePrefetchedThreads(id);
  });

  it('gives the answer, ready to draw, to the first taker only', async () => {
    listThreads.mockResolvedValue(list(1));
    prefetchThreads('d1');
    await vi.waitFor(() => expect(listThreads).toHaveBeenCalledTimes(1));
    await Promise.resolve();
    const taken = takePrefetchedThreads('d1');
    expect(taken?.ready).toEqual(list(1));
    expect(takePrefetchedThreads('d1')).toBeNull();
  });

  it('lets a first render peek at the answer as often as React renders it, and the mounted hook take it', async () => {
    listThreads.mockResolvedValue(list(1));
    prefetchThreads('d1');
    await vi.waitFor(() => expect(listThreads).toHaveBeenCalledTimes(1));
    await Promise.resolve();
    expect(peekPrefetchedThreads('d1')?.ready).toEqual(list(1));
    expect(peekPrefetchedThreads('d1')?.ready).toEqual(list(1));
    expect(takePrefetchedThreads('d1')?.ready).toEqual(list(1));
    expect(peekPrefetchedThreads('d1')).toBeNull();
  });

  it('gives the request still under way when the answer has not arrived', async () => {
    const answer = deferred<ThreadListDto>();
    listThreads.mockReturnValue(answer.promise);
    prefetchThreads('d2');
    const taken = takePrefetchedThreads('d2');
    expect(taken?.ready).toBeNull();
    answer.resolve(list(2));
    await expect(taken?.promise).resolves.toEqual(list(2));
  });

  it('asks the server once while a fresh request is there, and again once it is stale', () => {
    listThreads.mockReturnValue(new Promise(() => undefined));
    prefetchThreads('d3');
    prefetchThreads('d3');
    expect(listThreads).toHaveBeenCalledTimes(1);
    now += PREFETCH_TTL_MS;
    expect(takePrefetchedThreads('d3')).toBeNull();
    prefetchThreads('d3');
    expect(listThreads).toHaveBeenCalledTimes(2);
  });

  it('forgets a failed request (offline, forbidden) so that the page asks again and says why', async () => {
    const answer = deferred<ThreadListDto>();
    listThreads.mockReturnValue(answer.promise);
    prefetchThreads('d4');
    answer.reject(new Error('Le serveur est injoignable.'));
    await answer.promise.catch(() => undefined);
    await Promise.resolve();
    expect(takePrefetchedThreads('d4')).toBeNull();
  });

  it('gives nothing for a document nobody asked about', () => {
    expect(takePrefetchedThreads('d5')).toBeNull();
    expect(listThreads).not.toHaveBeenCalled();
  });
});
