import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DomainError, type Actor } from '@essaim/domain';
import { emptyMetadata } from '@essaim/protocol';
import { strFromU8, unzipSync } from 'fflate';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { PortalEntry } from '../portal/portalQueries.js';
import type { PublicationRecord } from '../storage/publicationRepository.js';
import type { NamedExport } from './exportService.js';
import { KitService, type KitLimits } from './kitService.js';

/**
 * The kit's build queue and cache (issue 14), with the exports held back on demand: builds are
 * shared, run one at a time, the queue and the cache are bounded, progress is readable.
 */

const visitor: Actor = { kind: 'anonymous' };

function entry(n: number, title: string, themes: string[] = []): PortalEntry {
  return {
    id: `pub-${n}`,
    documentId: `doc-${n}`,
    espaceId: 'espace-1',
    number: 1,
    kind: 'fiche',
    title,
    metadata: { ...emptyMetadata(title), themes },
    publishedAt: '2026-11-29T10:00:00.000Z',
    slug: `fiche-${n}`,
    textStart: '',
  };
}

const ENTRIES = [
  entry(1, 'Conférences familiales', ['famille']),
  entry(2, 'Pair-aidance en CHRS', ['pair-aidance']),
  entry(3, 'Équipe mobile d’aller-vers', ['aller-vers']),
];

/** A promise and its resolver, to hold an export until the test lets it go. */
function gate(): { promise: Promise<void>; open(): void } {
  let open: () => void = () => undefined;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function setup(
  options: {
    limits?: Partial<KitLimits>;
    dir?: string;
    /** Size of each exported file, in bytes (incompressible: PDF and DOCX are stored). */
    bytes?: number;
    failOn?: string;
  } = {},
) {
  const dir = options.dir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'essaim-kits-'));
  if (!options.dir) dirs.push(dir);
  const held: { title: string; open(): void }[] = [];
  let holding = false;
  const exports = {
    calls: 0,
    publication: vi.fn(async (p: PublicationRecord, format: 'pdf' | 'docx' | 'md' | 'odt' | 'html') => {
      exports.calls++;
      if (holding) {
        const g = gate();
        held.push({ title: p.title, open: g.open });
        await g.promise;
      }
      if (p.title === options.failOn) throw new Error('convertisseur en panne');
      const body =
        format === 'md'
          ? Buffer.from(`# ${p.title}\n`)
          : Buffer.from(
              Array.from({ length: options.bytes ?? 64 }, (_, i) => (i * 7919 + p.title.length) % 256),
            );
      return {
        body,
        contentType: 'application/octet-stream',
        extension: format,
        fileName: `x.${format}`,
      } satisfies NamedExport;
    }),
  };
  const matching = vi.fn((expression: string) => {
    const found = new Map<string, number>();
    for (const e of ENTRIES)
      if (
        expression.split(' ').every((s) => e.title.toLowerCase().includes(s.replace(/["*]/g, '').slice(0, 4)))
      )
        found.set(e.documentId, -1);
    return found;
  });
  const service = new KitService(
    {
      findById: (id) => {
        const e = ENTRIES.find((x) => x.id === id);
        return e
          ? ({
              ...e,
              versionId: null,
              content: {},
              html: '',
              text: '',
              sectionHashes: {},
              themeLabels: {},
              publishedBy: null,
              publishedByName: null,
              hiddenAt: null,
            } satisfies PublicationRecord)
          : undefined;
      },
    },
    { findById: (id) => (id === 'espace-1' ? ({ id, name: 'Espace d’essai' } as never) : undefined) },
    { list: () => [] },
    exports,
    dir,
    { visible: () => ENTRIES, matching, fingerprint: () => 'v1' },
    options.limits,
  );
  return {
    service,
    dir,
    exports,
    /** Holds every export from now on until `release()`. */
    hold: () => (holding = true),
    held,
    /** Lets every held export (and the later ones) go. */
    releaseAll: () => {
      holding = false;
      for (const h of held.splice(0)) h.open();
    },
    kits: () => fs.readdirSync(dir).filter((f) => f.endsWith('.zip')),
  };
}

describe('KitService', () => {
  it('shares one build between two starts of the same set and counts the fiches done', async () => {
    const t = setup();
    t.hold();
    const first = await t.service.start(visitor, 'espace-1');
    const second = await t.service.start(visitor, null, { theme: null });
    // The espace's kit and the portal's are titled differently: two kits. The same espace twice: one.
    const again = await t.service.start(visitor, 'espace-1');
    expect(first).toEqual({ state: 'building', done: 0, total: 3, size: null });
    expect(second.state).toBe('building');
    expect(again).toEqual({ state: 'building', done: 0, total: 3, size: null });
    await vi.waitFor(() => expect(t.held).toHaveLength(1));
    // Fiches are sorted by title: « Conférences… » first, its three formats, then the next fiche.
    for (let i = 0; i < 3; i++) {
      await vi.waitFor(() => expect(t.held).toHaveLength(1));
      t.held.shift()?.open();
    }
    await vi.waitFor(async () => expect((await t.service.status(visitor, 'espace-1')).done).toBe(1));
    t.releaseAll();
    await vi.waitFor(async () => expect((await t.service.status(visitor, 'espace-1')).state).toBe('ready'));
    const ready = await t.service.status(visitor, 'espace-1');
    expect(ready).toEqual({ state: 'ready', done: 3, total: 3, size: expect.any(Number) as number });
    await vi.waitFor(async () => expect((await t.service.status(visitor, null)).state).toBe('ready'));
    // Two kits, each fiche exported in 3 formats once per kit.
    expect(t.exports.calls).toBe(2 * 3 * 3);
    const kit = await t.service.kit(visitor, 'espace-1');
    const files = unzipSync(fs.readFileSync(kit.path));
    kit.release();
    expect(Object.keys(files)).toHaveLength(3 * 3 + 2);
    expect(strFromU8(files['index.html'] as Uint8Array)).toContain('Espace d’essai');
  });

  it('runs one build at a time, queues a bounded number and refuses more with a French rate limit', async () => {
    const t = setup({ limits: { maxQueuedBuilds: 2 } });
    t.hold();
    // Four different sets: « famille », « pair », « équipe » and all three.
    expect((await t.service.start(visitor, 'espace-1', { theme: 'famille' })).state).toBe('building');
    expect((await t.service.start(visitor, 'espace-1', { theme: 'pair-aidance' })).state).toBe('building');
    expect((await t.service.start(visitor, 'espace-1', { theme: 'aller-vers' })).state).toBe('building');
    const refused = await t.service.start(visitor, 'espace-1').catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(DomainError);
    expect((refused as DomainError).kind).toBe('rate_limited');
    expect((refused as DomainError).message).toMatch(/Réessayez/);
    expect((refused as DomainError).retryAfterSeconds).toBeGreaterThan(0);
    // A set already queued is not a new build: it is accepted.
    expect((await t.service.start(visitor, 'espace-1', { theme: 'famille' })).state).toBe('building');
    await vi.waitFor(() => expect(t.held).toHaveLength(1));
    // Only the first build exports; the others wait their turn.
    expect(t.held[0]?.title).toBe('Conférences familiales');
    t.releaseAll();
    for (const theme of ['famille', 'pair-aidance', 'aller-vers'])
      await vi.waitFor(async () =>
        expect((await t.service.status(visitor, 'espace-1', { theme })).state).toBe('ready'),
      );
    expect((await t.service.start(visitor, 'espace-1')).state).toBe('building');
  });

  it('selects by the search words like the portal, and finds nothing without building for words that match nothing', async () => {
    const t = setup();
    const status = await t.service.status(visitor, 'espace-1', { q: 'pair' });
    expect(status).toEqual({ state: 'absent', done: 0, total: 1, size: null });
    const missing = await t.service.start(visitor, 'espace-1', { q: 'zzzz' }).catch((e: unknown) => e);
    expect((missing as DomainError).kind).toBe('not_found');
    const kit = await t.service.kit(visitor, 'espace-1', { q: 'pair' });
    kit.release();
    expect(kit.fileName).toBe('kit-essaimage-recherche.zip');
    expect(Object.keys(unzipSync(fs.readFileSync(kit.path))).filter((n) => n.startsWith('fiches/'))).toEqual([
      'fiches/fiche-2/fiche-2.pdf',
      'fiches/fiche-2/fiche-2.docx',
      'fiches/fiche-2/fiche-2.md',
    ]);
    // Other words selecting the same set are the same kit: no second build.
    const calls = t.exports.calls;
    (await t.service.kit(visitor, 'espace-1', { q: 'PAIR aidance' })).release();
    expect(t.exports.calls).toBe(calls);
  });

  it('evicts the kits used least recently beyond the cache size, never one being sent', async () => {
    // Each kit is about 3 × 20 kB per fiche; the cache holds about two one-fiche kits.
    const t = setup({ bytes: 20_000, limits: { maxCacheBytes: 100_000 } });
    const famille = await t.service.kit(visitor, 'espace-1', { theme: 'famille' });
    famille.release();
    const pair = await t.service.kit(visitor, 'espace-1', { theme: 'pair-aidance' });
    // `pair` is still being sent (not released); `famille` was used least recently.
    const aller = await t.service.kit(visitor, 'espace-1', { theme: 'aller-vers' });
    aller.release();
    expect(fs.existsSync(famille.path)).toBe(false);
    expect(fs.existsSync(pair.path)).toBe(true);
    expect(fs.existsSync(aller.path)).toBe(true);
    expect((await t.service.status(visitor, 'espace-1', { theme: 'famille' })).state).toBe('absent');
    // Using `pair` again makes `aller` the oldest: the next build evicts it.
    pair.release();
    (await t.service.kit(visitor, 'espace-1', { theme: 'pair-aidance' })).release();
    (await t.service.kit(visitor, 'espace-1', { theme: 'famille' })).release();
    expect(fs.existsSync(aller.path)).toBe(false);
    expect(t.kits()).toHaveLength(2);
  });

  it('finds its cache again after a restart, deletes half-written kits, and reports a failed build', async () => {
    const first = setup();
    (await first.service.kit(visitor, 'espace-1')).release();
    fs.writeFileSync(path.join(first.dir, 'abc.zip.123456.tmp'), 'interrompu');
    const second = setup({ dir: first.dir, failOn: 'Pair-aidance en CHRS' });
    expect((await second.service.status(visitor, 'espace-1')).state).toBe('ready');
    expect(fs.readdirSync(first.dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect(second.exports.calls).toBe(0);
    // A kit whose build fails: absent, with a French reason, and nothing left in the folder.
    await second.service.start(visitor, 'espace-1', { q: 'pair' });
    await vi.waitFor(async () =>
      expect(await second.service.status(visitor, 'espace-1', { q: 'pair' })).toEqual({
        state: 'absent',
        done: 0,
        total: 1,
        size: null,
        error: 'La préparation du kit a échoué. Réessayez plus tard.',
      }),
    );
    expect(fs.readdirSync(first.dir).filter((f) => !f.endsWith('.zip'))).toEqual([]);
  });
});
