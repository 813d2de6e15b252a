import { DomainError } from '@essaim/domain';
import { describe, expect, it } from 'vitest';
import { HashingQueue } from './authThrottle.js';

/** A piece of work the test finishes by hand, recording when it started. */
function manualWork(log: string[], name: string) {
  let finish!: () => void;
  const done = new Promise<void>((resolve) => (finish = resolve));
  return {
    work: async () => {
      log.push(name);
      await done;
      return name;
    },
    finish: () => finish(),
  };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('the password hashing queue', () => {
  it('runs at most `concurrency` hashes and refuses at once what would wait beyond `maxWaiting`', async () => {
    const queue = new HashingQueue({ concurrency: 2, maxWaiting: 1, maxPerAddress: 10 });
    const log: string[] = [];
    const a = manualWork(log, 'a');
    const b = manualWork(log, 'b');
    const c = manualWork(log, 'c');
    const runs = [queue.run('1.1.1.1', a.work), queue.run('2.2.2.2', b.work), queue.run('3.3.3.3', c.work)];
    await expect(queue.run('4.4.4.4', async () => 'd')).rejects.toMatchObject({
      kind: 'rate_limited',
      retryAfterSeconds: 2,
    });
    await settle();
    expect(log).toEqual(['a', 'b']);
    a.finish();
    await settle();
    expect(log).toEqual(['a', 'b', 'c']);
    b.finish();
    c.finish();
    expect(await Promise.all(runs)).toEqual(['a', 'b', 'c']);
    expect(queue.load).toEqual({ running: 0, waiting: 0 });
  });

  it('gives one address a few places only, and a freed place to the address with the fewest hashes running', async () => {
    const queue = new HashingQueue({ concurrency: 2, maxWaiting: 10, maxPerAddress: 4 });
    const log: string[] = [];
    const flood = [1, 2, 3, 4].map((n) => manualWork(log, `flood-${n}`));
    const runs = flood.map((w) => queue.run('6.6.6.6', w.work));
    expect(queue.isFull('6.6.6.6')).toBe(true);
    await expect(queue.run('6.6.6.6', async () => 'flood-5')).rejects.toBeInstanceOf(DomainError);
    // Arrives after the flood's waiting requests, runs before them.
    const person = manualWork(log, 'person');
    runs.push(queue.run('7.7.7.7', person.work));
    await settle();
    expect(log).toEqual(['flood-1', 'flood-2']);
    flood[0]?.finish();
    await settle();
    expect(log).toEqual(['flood-1', 'flood-2', 'person']);
    for (const w of [person, ...flood]) w.finish();
    expect(await Promise.all(runs)).toEqual(['flood-1', 'flood-2', 'flood-3', 'flood-4', 'person']);
  });

  it('never refuses the server’s own work, which waits its turn', async () => {
    const queue = new HashingQueue({ concurrency: 1, maxWaiting: 0, maxPerAddress: 1 });
    const results = await Promise.all([1, 2, 3, 4, 5].map((n) => queue.run(null, async () => n)));
    expect(results).toEqual([1, 2, 3, 4, 5]);
  });

  it('gives the place back when the work fails', async () => {
    const queue = new HashingQueue({ concurrency: 1, maxWaiting: 0, maxPerAddress: 1 });
    await expect(queue.run('1.1.1.1', () => Promise.reject(new Error('illisible')))).rejects.toThrow(
      'illisible',
    );
    expect(await queue.run('1.1.1.1', async () => 'ok')).toBe('ok');
  });
});
