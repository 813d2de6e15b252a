import { createHash, webcrypto } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import express, { Router, type Request, type Response } from 'express';
import { can } from '@essaim/domain';
import type { Config } from '../config.js';
import { isFileHash } from '../services/fileService.js';
import type { Services } from '../services/index.js';
import { inspirationBlock } from './inspiration.js';
import { sqlitePublicationRepository, type PublicationRecord } from '../storage/publicationRepository.js';
import { DSFR_ASSETS, DSFR_DIST, portalStylesheet } from './assets.js';
import { atomFeed } from './feed.js';
import { parseFilters } from './filters.js';
import type { SafeHtml } from './html.js';
import { mapPage } from './map.js';
import { aboutPage, homePage, notFoundPage, publicationPage, searchPage, type PageBase } from './pages.js';
import { sqlitePortalQueries, VisiblePublications, type PortalEntry } from './portalQueries.js';
import { filterChoices, findPractices, themeLabeler } from './portalSearch.js';

/**
 * The CSP of every portal page (issue 13): nothing runs (no script source at all, so no inline
 * script either), styles and images only from this site (DSFR icons are `data:` URLs in its
 * stylesheet), forms only to this site, never framed.
 */
export const PORTAL_CSP =
  "default-src 'none'; style-src 'self'; img-src 'self' data:; font-src 'self'; " +
  "form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

/** What the portal needs of the configuration. */
export type PortalConfig = Pick<Config, 'dataDir' | 'publicUrl'>;

/** What other features add to the portal's pages. */
export interface PortalExtensions {
  /**
   * More of a practice's page, after its text: reuse signals (their form, `id="inspiration"`, and
   * the approved ones), for example. Called for the newest publication's page
   * (`/pratiques/<slug>`) only: a frozen `/v/<N>` page never shows it, so it stays the same. Build
   * it with `markup` from `./html.js` (values escaped); `query` is the page's query string.
   */
  publicationExtra?: (publication: PublicationRecord, query: Request['query']) => SafeHtml;
}

const YEAR = 365 * 24 * 3600;
const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const NUMBER = /^[1-9][0-9]{0,8}$/;
/** A `Host` header that is a host name or IPv4 address, with an optional port (no user, path…). */
const HOST =
  /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*(?::[0-9]{1,5})?$/i;

/** Bodies from this size on are hashed and compressed off the event loop (libuv's threads). */
const LARGE_BODY = 64 * 1024;
/** Gzipped large bodies kept, by ETag, so that a page read again is not compressed again. */
const GZIP_CACHE_BYTES = 32 * 2 ** 20;
const gzipped = new Map<string, Buffer>();
let gzippedBytes = 0;
const gzipAsync = promisify(zlib.gzip);

/**
 * The gzipped bytes of a large body, from the cache when the same ETag was compressed before;
 * otherwise compressed in libuv's thread pool (not on the event loop) and kept, the least
 * recently used bodies leaving beyond {@link GZIP_CACHE_BYTES}.
 */
async function gzipOf(etag: string, bytes: Buffer): Promise<Buffer> {
  const cached = gzipped.get(etag);
  if (cached) {
    gzipped.delete(etag);
    gzipped.set(etag, cached);
    return cached;
  }
  const out = await gzipAsync(bytes, { level: 6 });
  if (out.length <= GZIP_CACHE_BYTES / 4 && !gzipped.has(etag)) {
    gzipped.set(etag, out);
    gzippedBytes += out.length;
    for (const [key, old] of gzipped) {
      if (gzippedBytes <= GZIP_CACHE_BYTES) break;
      gzipped.delete(key);
      gzippedBytes -= old.length;
    }
  }
  return out;
}

/** A strong ETag: 27 characters of the base64url sha256 of the body. */
async function etagOf(bytes: Buffer): Promise<string> {
  const digest =
    bytes.length < LARGE_BODY
      ? createHash('sha256').update(bytes).digest()
      : // Web Crypto hashes in libuv's thread pool: a page of megabytes does not hold the loop.
        Buffer.from(await webcrypto.subtle.digest('SHA-256', bytes));
  return `"${digest.toString('base64url').slice(0, 27)}"`;
}

/**
 * Sends a body, gzipped when the reader accepts it, with a strong ETag and a 304 when fresh. The
 * event loop does bounded work whatever the body's size: a large body (a published fiche of
 * megabytes) is hashed and gzipped in libuv's thread pool, and its gzipped bytes are kept by
 * ETag for the next readers. Resolves once the response is handed to the socket.
 */
async function send(
  req: Request,
  res: Response,
  status: number,
  type: string,
  body: string | Buffer,
): Promise<void> {
  const bytes = typeof body === 'string' ? Buffer.from(body) : body;
  res.status(status);
  res.setHeader('Content-Type', type);
  res.setHeader('Vary', 'Accept-Encoding');
  let etag: string | null = null;
  if (status === 200) {
    etag = await etagOf(bytes);
    res.setHeader('ETag', etag);
    if (req.fresh) {
      res.status(304).end();
      return;
    }
  }
  if (bytes.length > 1024 && req.acceptsEncodings('gzip') === 'gzip') {
    const compressed =
      bytes.length < LARGE_BODY
        ? zlib.gzipSync(bytes, { level: 6 })
        : etag
          ? await gzipOf(etag, bytes)
          : await gzipAsync(bytes, { level: 6 });
    res.setHeader('Content-Encoding', 'gzip');
    res.setHeader('Content-Length', String(compressed.length));
    res.end(req.method === 'HEAD' ? undefined : compressed);
    return;
  }
  res.setHeader('Content-Length', String(bytes.length));
  res.end(req.method === 'HEAD' ? undefined : bytes);
}

/**
 * The public portal (issue 13), to mount at `/pratiques`: server-rendered pages of what is
 * published (home, search, one publication and its frozen versions, map, about), its Atom feeds,
 * the images the published pages show, and the DSFR files they use. Readable without JavaScript,
 * no session, French. Only publications not hidden, of documents not archived, are shown.
 */
export function portalRouter(
  services: Services,
  config: PortalConfig,
  extensions: PortalExtensions = {},
): Router {
  const router = Router();
  // The reuse signals' block (« Je m'inspire de cette pratique ») unless a caller gives another.
  const publicationExtra =
    extensions.publicationExtra ??
    ((p: PublicationRecord, query: Request['query']) =>
      inspirationBlock(p, query, services.signals.approvedFor(p.documentId)));
  const queries = sqlitePortalQueries(services.db);
  const reuseCounts = (ids: readonly string[]) => services.signals.approvedCounts(ids);
  const visible = new VisiblePublications(queries);
  const publications = sqlitePublicationRepository(services.db);
  const stylesheet = portalStylesheet();
  const filesDir = path.join(config.dataDir, 'files');
  const base: PageBase = {
    stylesheet: stylesheet.url,
    feeds: [{ title: 'Toutes les publications (flux Atom)', href: '/pratiques/flux.atom' }],
  };

  const page = (req: Request, res: Response, body: string, status = 200) => {
    res.setHeader('Content-Security-Policy', PORTAL_CSP);
    res.setHeader('Cache-Control', 'no-cache');
    return send(req, res, status, 'text/html; charset=utf-8', body);
  };
  const notFound = (req: Request, res: Response) => page(req, res, notFoundPage(base), 404);
  /**
   * The site's origin for the feed's absolute addresses, and whether a shared cache may keep what
   * was built with it: PUBLIC_URL (shared); without it, this request's `Host` when it is a plain
   * host name and port, else `http://localhost` — never shared, since a `Host` is whatever the
   * client sent (a cache in front must not hand another reader links to a forged host).
   */
  const origin = (req: Request): { origin: string; shared: boolean } => {
    if (config.publicUrl) return { origin: new URL(config.publicUrl).origin, shared: true };
    const host = req.get('host') ?? '';
    if (HOST.test(host)) {
      try {
        return { origin: new URL(`${req.protocol}://${host}`).origin, shared: false };
      } catch {
        // Falls through to localhost.
      }
    }
    return { origin: 'http://localhost', shared: false };
  };

  // The portal is public (can() says so for everyone): no session is read.
  router.use((_req, res, next) => {
    if (can({ kind: 'anonymous' }, 'portal.read', { type: 'instance' })) return next();
    res.status(403).end();
  });

  const stylesheetName = path.posix.basename(stylesheet.url);
  router.get('/static/:file', (req, res) => {
    if (req.params.file !== stylesheetName) return notFound(req, res);
    res.setHeader('Cache-Control', `public, max-age=${YEAR}, immutable`);
    res.setHeader('ETag', stylesheet.etag);
    res.setHeader('Vary', 'Accept-Encoding');
    res.setHeader('Content-Type', 'text/css; charset=utf-8');
    if (req.fresh) return void res.status(304).end();
    const gzip = req.acceptsEncodings('gzip') === 'gzip';
    if (gzip) res.setHeader('Content-Encoding', 'gzip');
    const bytes = gzip ? stylesheet.gzipped : stylesheet.css;
    res.setHeader('Content-Length', String(bytes.length));
    res.end(req.method === 'HEAD' ? undefined : bytes);
  });
  const dsfrPrefix = DSFR_ASSETS.replace('/pratiques', '');
  for (const folder of ['fonts', 'icons', 'favicon']) {
    router.use(
      `${dsfrPrefix}/${folder}`,
      express.static(path.join(DSFR_DIST, folder), {
        immutable: true,
        maxAge: YEAR * 1000,
        index: false,
        setHeaders: (res) => res.setHeader('Content-Security-Policy', "default-src 'none'; sandbox"),
      }),
    );
  }

  router.get('/', (req, res) => {
    const entries = visible.entries();
    const label = themeLabeler(queries);
    const { page: n } = parseFilters(req.query);
    const list = findPractices(queries, entries, { ...parseFilters({}), page: n }, label, reuseCounts);
    return page(req, res, homePage(base, list, filterChoices(entries, label)));
  });

  router.get('/recherche', (req, res) => {
    const filters = parseFilters(req.query);
    const entries = visible.entries();
    const label = themeLabeler(queries);
    const list = findPractices(queries, entries, filters, label, reuseCounts);
    return page(req, res, searchPage(base, filters, list, filterChoices(entries, label)));
  });

  // The map depends on the visible publications and the approved reuse signals (one grouped
  // count): drawn again when either changes.
  let map: { from: readonly PortalEntry[]; reused: string; html: string } | null = null;
  router.get('/carte', (req, res) => {
    const entries = visible.entries();
    const reused = services.signals.approvedByTerritory();
    const reusedKey = JSON.stringify([...reused]);
    if (map?.from !== entries || map.reused !== reusedKey)
      map = { from: entries, reused: reusedKey, html: mapPage(base, entries, reused) };
    return page(req, res, map.html);
  });
  router.get('/a-propos', (req, res) => page(req, res, aboutPage(base)));

  router.get('/flux.atom', (req, res) => {
    const { theme } = parseFilters(req.query);
    if (req.query.theme !== undefined && !theme) return notFound(req, res);
    const label = themeLabeler(queries);
    const entries = visible.entries().filter((e) => !theme || e.metadata.themes.includes(theme));
    const named = entries[0];
    const site = origin(req);
    const xml = atomFeed(entries, {
      origin: site.origin,
      theme: theme ? { id: theme, label: named ? label(named.espaceId, theme) : theme } : null,
      themeLabel: label,
    });
    res.setHeader('Cache-Control', site.shared ? 'no-cache' : 'private, no-cache');
    return send(req, res, 200, 'application/atom+xml; charset=utf-8', xml);
  });

  router.get('/fichiers/:hash', async (req, res) => {
    const { hash } = req.params;
    const file = isFileHash(hash) ? queries.shownFile(hash) : undefined;
    if (!file) return notFound(req, res);
    const filePath = path.join(filesDir, hash.slice(0, 2), hash);
    // Only while a published page shows it: readers revalidate (an unpublished image goes).
    res.setHeader('Cache-Control', 'no-cache');
    res.setHeader('ETag', `"${hash}"`);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Content-Security-Policy', "default-src 'none'; sandbox");
    if (req.fresh) return void res.status(304).end();
    let size: number;
    try {
      size = (await fs.promises.stat(filePath)).size;
    } catch {
      return notFound(req, res);
    }
    res.setHeader('Content-Type', file.mime);
    res.setHeader('Content-Length', String(size));
    if (req.method === 'HEAD') return void res.end();
    try {
      await pipeline(fs.createReadStream(filePath), res);
    } catch (error) {
      // The reader went away: nothing to report.
      if ((error as { code?: unknown }).code === 'ERR_STREAM_PREMATURE_CLOSE') return;
      throw error;
    }
  });

  const publication = (req: Request, res: Response, slug: string, number?: number) => {
    const p = SLUG.test(slug) ? publications.findBySlug(slug, number) : undefined;
    if (!p || queries.archived(p.documentId)) return notFound(req, res);
    const label = themeLabeler(queries);
    return page(
      req,
      res,
      publicationPage(base, {
        publication: p,
        versions: queries.versions(p.documentId),
        // As published (a theme renamed later does not change a frozen page).
        themes: p.metadata.themes.map((id) => ({ id, label: p.themeLabels[id] ?? label(p.espaceId, id) })),
        frozen: number !== undefined,
        extra: number === undefined ? publicationExtra(p, req.query) : undefined,
      }),
    );
  };
  router.get('/:slug', (req, res) => publication(req, res, req.params.slug));
  router.get('/:slug/v/:number', (req, res) => {
    if (!NUMBER.test(req.params.number)) return notFound(req, res);
    return publication(req, res, req.params.slug, Number(req.params.number));
  });

  router.get('/{*rest}', notFound);
  // Any other method on a portal address: the same French page (not Express's English one).
  router.all('/{*rest}', notFound);
  return router;
}
