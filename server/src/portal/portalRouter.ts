import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
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

/** Sends a body, gzipped when the reader accepts it, with a strong ETag and a 304 when fresh. */
function send(req: Request, res: Response, status: number, type: string, body: string | Buffer): void {
  const bytes = typeof body === 'string' ? Buffer.from(body) : body;
  res.status(status);
  res.setHeader('Content-Type', type);
  res.setHeader('Vary', 'Accept-Encoding');
  if (status === 200) {
    res.setHeader('ETag', `"${createHash('sha256').update(bytes).digest('base64url').slice(0, 27)}"`);
    if (req.fresh) {
      res.status(304).end();
      return;
    }
  }
  if (bytes.length > 1024 && req.acceptsEncodings('gzip') === 'gzip') {
    const gzipped = zlib.gzipSync(bytes, { level: 6 });
    res.setHeader('Content-Encoding', 'gzip');
    res.setHeader('Content-Length', String(gzipped.length));
    res.end(req.method === 'HEAD' ? undefined : gzipped);
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
    send(req, res, status, 'text/html; charset=utf-8', body);
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
    page(req, res, homePage(base, list, filterChoices(entries, label)));
  });

  router.get('/recherche', (req, res) => {
    const filters = parseFilters(req.query);
    const entries = visible.entries();
    const label = themeLabeler(queries);
    const list = findPractices(queries, entries, filters, label, reuseCounts);
    page(req, res, searchPage(base, filters, list, filterChoices(entries, label)));
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
    page(req, res, map.html);
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
    send(req, res, 200, 'application/atom+xml; charset=utf-8', xml);
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
    page(
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
    publication(req, res, req.params.slug, Number(req.params.number));
  });

  router.get('/{*rest}', notFound);
  // Any other method on a portal address: the same French page (not Express's English one).
  router.all('/{*rest}', notFound);
  return router;
}
