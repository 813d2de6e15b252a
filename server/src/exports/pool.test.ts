import { DomainError } from '@essaim/domain';
import type { DocJSON } from '@essaim/editor';
import { afterEach, describe, expect, it } from 'vitest';
import { bigFixtureContent, FIXTURE_PNG, fixtureContent, fixtureInput, PRESENT_IMAGE } from './fixture.js';
import { exportDocument } from './index.js';
import type { ExportJob, ExportQuestion } from './job.js';
import { ExportPool, type Answerer } from './pool.js';

/**
 * The export workers (issue 14, and the tester's fault of issue 13): conversions run off the
 * event loop, the queue is bounded, a failing or endless job costs only itself.
 */

const pools: ExportPool[] = [];
afterEach(async () => {
  for (const pool of pools.splice(0)) await pool.close();
});

function pool(limits: ConstructorParameters<typeof ExportPool>[0] = {}): ExportPool {
  const made = new ExportPool(limits);
  pools.push(made);
  return made;
}

const input = fixtureInput({ draft: false });

function job(format: ExportJob['format'], content: DocJSON = fixtureContent): ExportJob {
  return {
    format,
    source: { kind: 'json', content },
    title: input.title,
    kind: input.kind,
    metadata: input.metadata,
    draft: null,
    publication: { number: 2, date: '2026-03-03T13:05:00.000Z' },
    themeLabels: [],
  };
}

/** Answers like the server: the fixture's image, the fixture's one link. */
const asked: ExportQuestion[] = [];
const answer: Answerer = async (question) => {
  asked.push(question);
  if (question.kind === 'image')
    return question.src === PRESENT_IMAGE ? { data: FIXTURE_PNG, mime: 'image/png' } : null;
  return question.documentIds.map((id) => [id, input.links(id)]);
};

// Each test starts a worker, which loads the converters from the sources (seconds on a busy machine).
describe('export workers', { timeout: 60_000 }, () => {
  it('make in a worker the very bytes the converters make in process, asking the server for images and links', async () => {
    asked.length = 0;
    const workers = pool();
    const made = await workers.run(job('md'), answer);
    const inProcess = await exportDocument(input, 'md');
    expect(made.body.toString('utf8')).toBe((inProcess.body as Buffer).toString('utf8'));
    expect(made.title).toBe(input.title);
    expect(asked.some((q) => q.kind === 'image' && q.src === PRESENT_IMAGE)).toBe(true);
    expect(asked.some((q) => q.kind === 'links')).toBe(true);
    const pdf = await workers.run(job('pdf'), answer);
    expect(pdf.body.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(workers.stats()).toEqual({ running: 0, queued: 0, workers: 1 });
  });

  it('leaves the event loop free while a long document is converted', async () => {
    const workers = pool();
    // The worker is started and its libraries loaded first: only the conversion is measured.
    await workers.run(job('md'), answer);
    // The longest gap between ticks of a 5 ms timer: how long the loop was held at once.
    let last = performance.now();
    let longest = 0;
    const ticks = setInterval(() => {
      const now = performance.now();
      longest = Math.max(longest, now - last);
      last = now;
    }, 5);
    const started = performance.now();
    const made = await workers
      .run(job('pdf', bigFixtureContent(60)), answer)
      .finally(() => clearInterval(ticks));
    const elapsed = performance.now() - started;
    longest = Math.max(longest, performance.now() - last);
    expect(made.body.length).toBeGreaterThan(100_000);
    // In process, the loop would wait the whole conversion (seconds); here it only passes messages.
    expect(longest).toBeLessThan(Math.max(300, elapsed / 4));
  });

  it('refuses beyond its queue with a French 429 and a delay to wait, unless asked to wait', async () => {
    const workers = pool({ workers: 1, maxQueued: 1 });
    const big = job('pdf', bigFixtureContent(20));
    const running = workers.run(big, answer);
    const queued = workers.run(big, answer);
    const refused = await workers.run(big, answer).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(DomainError);
    expect(refused).toMatchObject({ kind: 'rate_limited', retryAfterSeconds: 30 });
    expect((refused as DomainError).message).toMatch(/Réessayez/);
    const waited = workers.run(job('md'), answer, { wait: true });
    await Promise.all([running, queued, waited]);
  });

  it('fails only the job whose content is not a document, and goes on with the next', async () => {
    const workers = pool({ workers: 1 });
    const broken = workers.run(job('md', { type: 'doc', content: [{ type: 'licorne' }] }), answer);
    await expect(broken).rejects.toThrow();
    const next = await workers.run(job('md'), answer);
    expect(next.body.toString('utf8')).toContain('# Conférences familiales en Ardèche');
  });

  it('stops a job past its time, in French, and ends its worker', async () => {
    const workers = pool({ workers: 1, jobTimeoutMs: 200 });
    const endless = workers.run(job('pdf', bigFixtureContent(200)), answer);
    await expect(endless).rejects.toMatchObject({ kind: 'payload_too_large' });
    await expect(endless).rejects.toThrow(/trop long/);
    expect(workers.stats()).toEqual({ running: 0, queued: 0, workers: 0 });
  });
});
