import { describe, expect, it, vi } from 'vitest';
import { BackgroundQueue, QueueClosed } from './backgroundQueue.js';

/** Busy-waits `ms` milliseconds: a job that costs CPU time, as a compaction does. */
function spin(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    // spinning on purpose
  }
}

describe('BackgroundQueue', () => {
  it('runs jobs in the order they were queued, never in the turn that queues them', async () => {
    const queue = new BackgroundQueue();
    const order: string[] = [];
    const done = [
      queue.run('a', () => order.push('premier')),
      queue.run('a', () => order.push('deuxième')),
      queue.run('b', () => order.push('troisième')),
    ];
    order.push('tour courant');
    await Promise.all(done);
    expect(order).toEqual(['tour courant', 'premier', 'deuxième', 'troisième']);
  });

  it('lets the event loop serve other callbacks between jobs once a turn has spent its budget', async () => {
    const queue = new BackgroundQueue({ budgetMs: 2 });
    const events: string[] = [];
    const jobs = Array.from({ length: 4 }, (_v, i) =>
      queue.run('compaction', () => {
        events.push(`tâche ${i}`);
        spin(5);
      }),
    );
    // A socket read, in the meantime: queued for the next turn, after the first drain started.
    const socket = new Promise<void>((resolve) =>
      setImmediate(() => {
        events.push('message reçu');
        resolve();
      }),
    );
    await Promise.all([...jobs, socket]);
    // Every job costs more than the budget: one job per turn, the message served after the first.
    expect(events).toEqual(['tâche 0', 'message reçu', 'tâche 1', 'tâche 2', 'tâche 3']);
    expect(queue.stats().kinds.compaction?.jobs).toBe(4);
    expect(queue.stats().kinds.compaction?.longestMs).toBeGreaterThanOrEqual(5);
  });

  it('counts, per kind, the jobs that took over 10 ms', async () => {
    const queue = new BackgroundQueue();
    await queue.run('compaction:write', () => spin(12));
    await queue.run('compaction:write', () => undefined);
    expect(queue.stats().kinds['compaction:write']).toMatchObject({ jobs: 2, over10ms: 1 });
  });

  it('runs several short jobs in one turn while the budget lasts', async () => {
    const queue = new BackgroundQueue({ budgetMs: 50 });
    const events: string[] = [];
    const jobs = Array.from({ length: 3 }, (_v, i) => queue.run('indexing', () => events.push(`tâche ${i}`)));
    const other = new Promise<void>((resolve) =>
      setImmediate(() => {
        events.push('autre');
        resolve();
      }),
    );
    await Promise.all([...jobs, other]);
    expect(events).toEqual(['tâche 0', 'tâche 1', 'tâche 2', 'autre']);
  });

  it('rejects only the job that throws and goes on with the others', async () => {
    const queue = new BackgroundQueue();
    const failed = queue.run('compaction', () => {
      throw new Error('disque plein');
    });
    const next = queue.run('compaction', () => 'suivante');
    await expect(failed).rejects.toThrow('disque plein');
    await expect(next).resolves.toBe('suivante');
    expect(queue.size).toBe(0);
  });

  it('rejects the waiting jobs and any new one once closed', async () => {
    const queue = new BackgroundQueue();
    let ran = false;
    const waiting = queue.run('indexing', () => {
      ran = true;
    });
    queue.close();
    await expect(waiting).rejects.toBeInstanceOf(QueueClosed);
    await expect(queue.run('indexing', () => 1)).rejects.toBeInstanceOf(QueueClosed);
    expect(ran).toBe(false);
    expect(queue.size).toBe(0);
  });

  it('holds every job back while told to, then runs them in order', async () => {
    let behind = true;
    const queue = new BackgroundQueue({ holdWhile: () => behind, holdMs: 5 });
    const order: number[] = [];
    const jobs = [1, 2, 3].map((n) => queue.run('compaction', () => order.push(n)));
    await vi.waitFor(() => expect(queue.stats().held).toBeGreaterThanOrEqual(2));
    expect(order).toEqual([]);
    behind = false;
    await Promise.all(jobs);
    expect(order).toEqual([1, 2, 3]);
  });
});
