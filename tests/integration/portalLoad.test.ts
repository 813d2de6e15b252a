import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { PublicationListDto, PublicSearchDto } from '@essaim/protocol';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createDocument } from '../support/accounts.js';
import { sectionsOf } from '../support/comments.js';
import { useTestInstance } from '../support/instance.js';
import { isSettled } from '../support/provider.js';
import { publishDocument } from '../support/publications.js';
import { syncedOpener } from '../support/sessions.js';

/**
 * The public portal under anonymous load on a large publication (issue 13, the tester's fault):
 * a fiche of megabytes, published, must not freeze the server while visitors search it, read its
 * page and download it. Every other request (`/api/health` here, every websocket in real life)
 * keeps being answered: snippets read a few KB, pages are hashed and gzipped off the event loop,
 * exports are made in a worker and kept in `DATA_DIR/cache/exports`.
 */

const t = useTestInstance();
const SETTLE = { timeout: 60_000 };
const open = syncedOpener(t, SETTLE.timeout);

/** About 2 KB of prose; « conférences » written so, never as its stem « conferent ». */
const PARAGRAPH =
  'Les conférences familiales réunissent la famille élargie autour de l’enfant ; un coordinateur indépendant prépare la réunion avec chacun. '.repeat(
    15,
  );
/** Size of the published text, in characters (the tester's fiche held 6 MB). */
const TEXT_CHARS = 3 * 2 ** 20;
/** Paragraphs per update: under MAX_MESSAGE_BYTES (2 MiB) once encoded. */
const PER_UPDATE = 400;
/** The worst wait of `/api/health` allowed during the load (several seconds before the fix). */
const HEALTH_BOUND_MS = 1000;

let published: Promise<{ slug: string; url: string }> | null = null;

/**
 * A fiche of {@link TEXT_CHARS} characters (paragraphs appended section after section by a
 * provider, as a raw Yjs client would), approved and published: its portal addresses. Made
 * once, in the first test that needs it.
 */
function largePublication(): Promise<{ slug: string; url: string }> {
  published ??= (async () => {
    const doc = await createDocument(t.admin, t.espaceId, 'Très grande fiche de conférences');
    const writer = await open(t.admin, doc.name);
    const sections = sectionsOf(writer.ydoc);
    let written = 0;
    for (let n = 0; written < TEXT_CHARS; n++) {
      const section = sections[n % sections.length];
      if (!section) throw new Error('fiche sans section');
      writer.ydoc.transact(() => {
        for (let i = 0; i < PER_UPDATE; i++) {
          const paragraph = new Y.XmlElement('paragraph');
          paragraph.insert(0, [new Y.XmlText(PARAGRAPH)]);
          section.push([paragraph]);
          written += PARAGRAPH.length;
        }
      });
      await expect.poll(() => isSettled(writer), SETTLE).toBe(true);
    }
    await publishDocument(t.admin, doc.id);
    const list = (await (
      await t.admin.fetch(`/api/documents/${doc.id}/publications`)
    ).json()) as PublicationListDto;
    const latest = list.publications[0];
    if (!latest) throw new Error('publication absente');
    return { slug: latest.documentUrl, url: latest.url };
  })();
  return published;
}

/**
 * Polls `/api/health` back to back while `requests` run: request `i` starts with poll `i` (a
 * stream of visitors, one arriving at each poll), and the polls go on until every request is
 * answered. Returns the longest wait of any poll (ms), the number of polls and the answers.
 */
async function healthDuring<T>(
  requests: readonly (() => Promise<T>)[],
): Promise<{ worst: number; polls: number; results: T[] }> {
  const started: Promise<T>[] = [];
  let done = false;
  let all: Promise<T[]> | null = null;
  let worst = 0;
  let polls = 0;
  while (!done) {
    const next = requests[started.length];
    if (next) started.push(next());
    else all ??= Promise.all(started).finally(() => (done = true));
    const before = performance.now();
    const response = await fetch(`${t.server.url}/api/health`);
    await response.arrayBuffer();
    expect(response.status).toBe(200);
    worst = Math.max(worst, performance.now() - before);
    polls++;
  }
  return { worst, polls, results: await (all ?? Promise.all(started)) };
}

/** An anonymous GET: status, headers and the body's bytes (gzip decoded by fetch). */
async function get(url: string, headers: Record<string, string> = {}) {
  const response = await fetch(`${t.server.url}${url}`, { headers });
  return {
    status: response.status,
    headers: response.headers,
    body: Buffer.from(await response.arrayBuffer()),
  };
}

/**
 * The status of a GET with `If-None-Match: etag`, sent with node:http (fetch adds
 * `Cache-Control: no-cache` to a conditional request, which forbids a 304).
 */
function conditionalGet(url: string, etag: string): Promise<number> {
  const { port } = new URL(t.server.url);
  return new Promise((resolve, reject) => {
    const request = http.get(
      { host: '127.0.0.1', port, path: url, headers: { 'if-none-match': etag, 'accept-encoding': 'gzip' } },
      (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode ?? 0));
      },
    );
    request.on('error', reject);
  });
}

/** The export cache's files. */
const cachedExports = (): string[] => {
  const dir = path.join(t.server.dataDir, 'cache', 'exports');
  return fs.existsSync(dir) ? fs.readdirSync(dir).filter((name) => !name.endsWith('.tmp')) : [];
};

describe('the portal under load on a publication of megabytes', () => {
  it('keeps answering every other request while visitors search, read and download it', async () => {
    const { slug, url } = await largePublication();
    const searches = [
      '/api/public/search?q=conference',
      '/api/public/search?q=conferent',
      '/api/public/search?q=licorne',
      '/pratiques/recherche?q=conference',
      '/pratiques/recherche?q=conf%C3%A9rences+familiales',
    ];
    const {
      worst,
      polls,
      results: result,
    } = await healthDuring([
      ...searches.map((search) => () => get(search)),
      () => get(slug, { 'accept-encoding': 'gzip' }),
      () => get(slug, { 'accept-encoding': 'gzip' }),
      () => get(`${url}/export.md`),
      () => get(`${url}/export.html`),
    ]);
    expect(result.map((r) => r.status)).toEqual(Array<number>(result.length).fill(200));
    // Snippets around the words, short, whichever way the word was typed.
    const [byWord, byStem] = result
      .slice(0, 2)
      .map((r) => JSON.parse(r.body.toString('utf8')) as PublicSearchDto);
    for (const answer of [byWord, byStem]) {
      expect(answer?.results[0]?.snippet).toMatch(/<mark>conférences<\/mark>/);
      expect(answer?.results[0]?.snippet.length).toBeLessThan(600);
    }
    const page = result[searches.length];
    expect(page?.headers.get('content-encoding')).toBe('gzip');
    expect(page?.body.length).toBeGreaterThan(TEXT_CHARS);
    const markdown = result[searches.length + 2];
    expect(markdown?.body.toString('utf8')).toContain('Les conférences familiales réunissent');
    expect(polls).toBeGreaterThan(10);
    expect(worst).toBeLessThan(HEALTH_BOUND_MS);
  });

  it('answers a page read again with its ETag by a 304, and gzips it the same way again', async () => {
    const { slug } = await largePublication();
    const first = await get(slug, { 'accept-encoding': 'gzip' });
    const etag = first.headers.get('etag');
    expect(etag).toMatch(/^"[A-Za-z0-9_-]{27}"$/);
    expect(await conditionalGet(slug, etag ?? '')).toBe(304);
    const second = await get(slug, { 'accept-encoding': 'gzip' });
    expect(second.headers.get('etag')).toBe(etag);
    expect(second.body.equals(first.body)).toBe(true);
  });

  it('makes a publication’s export once, then serves it from the cache on disk', async () => {
    const { url } = await largePublication();
    const before = cachedExports();
    const first = await get(`${url}/export.odt`);
    expect(first.status).toBe(200);
    expect(first.headers.get('x-export-cache')).toBe('miss');
    const added = cachedExports().filter((name) => !before.includes(name));
    expect(added).toHaveLength(1);
    expect(added[0]).toMatch(/^[0-9a-f]{32}\.odt$/);
    const file = path.join(t.server.dataDir, 'cache', 'exports', added[0] ?? '');
    expect(fs.statSync(file).size).toBe(first.body.length);
    const second = await get(`${url}/export.odt`);
    expect(second.headers.get('x-export-cache')).toBe('hit');
    expect(second.body.equals(first.body)).toBe(true);
    expect(cachedExports()).toHaveLength(before.length + 1);
  });
});
