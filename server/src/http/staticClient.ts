import fs from 'node:fs';
import path from 'node:path';
import express, { type Request, type Response, type Router } from 'express';
import expressStaticGzip from 'express-static-gzip';
import { clientManifestReader, routePreloadLinks, type ClientManifest } from './staticClientPreload.js';

/** Encodings of the precompressed twins the client build writes (client/vite.config.ts). */
const ENCODINGS = [
  { name: 'br', ext: '.br' },
  { name: 'gzip', ext: '.gz' },
] as const;

/**
 * Files of the build at the root that must be asked again at every use (`no-cache`), twins
 * included: the service worker (`sw.js`; the browser compares it byte for byte to find a new
 * version, so a cached copy would hide a deployment for an hour), the Workbox runtime it imports
 * (`workbox-<hash>.js`) and the web app manifest, written by vite-plugin-pwa (client/vite.config.ts);
 * and `index.html` asked by its own name (the service worker precaches it so; a bookmark may too).
 */
const NEVER_CACHED = /^(?:index\.html|sw\.js|workbox-[\w-]+\.js|manifest\.webmanifest)(?:\.br|\.gz)?$/;

/**
 * Serves the built client (`client/dist`), issue 16:
 *
 * - every text file is sent precompressed, brotli when the request accepts it, else gzip, else
 *   as is (`Vary: Accept-Encoding`), from the `.br` and `.gz` twins written at build time
 *   (vite-plugin-compression2), through express-static-gzip: nothing is compressed per request;
 * - hashed files (`/assets/*`) are cached a year, `immutable`; the DSFR copied from public/ (its
 *   addresses carry `?v=`) for an hour; `index.html` is `no-cache` (asked again at every visit, so
 *   a deployment is seen at once);
 * - the service worker `/sw.js` (scope `/`, the app shell for offline use), its Workbox runtime
 *   and `/manifest.webmanifest` are `no-cache` too, never immutable (see {@link NEVER_CACHED}),
 *   and precompressed like the rest;
 * - no source map is ever served: the production build writes none, and any `*.map` path answers
 *   404 (a build made with maps for debugging must not publish them); nor are the `.br`/`.gz`
 *   twins by their own names; a folder is never redirected, and a method other than GET/HEAD on
 *   the client's paths gets the French 404;
 * - a missing file (a path with a file extension: `/favicon.ico`) answers the French 404, as
 *   does a missing file under `/assets/` (an old chunk after a deployment is an error the
 *   page explains, not `index.html` parsed as JavaScript); every other path gets `index.html`,
 *   so client-side routes survive a reload;
 * - `index.html` sent for the catalogue or the editor, to someone with a session cookie, carries
 *   a `Link` header preloading the API answers and lazy chunks that route asks at once
 *   (staticClientPreload.ts): they travel while the entry script downloads instead of after it
 *   runs (issue 16, first visit on a slow line).
 *
 * Without a build, every path answers 503 with the command to run.
 */
export function staticClient(
  distDir: string,
  options: {
    /**
     * Whether the request's cookies hold a live session: preloads go only to people logged in
     * (an expired or revoked session's cookie would preload answers refused with 401).
     * Without it, a session cookie is enough.
     */
    hasSession?: (cookieHeader: string | undefined) => boolean;
  } = {},
): Router {
  const router = express.Router();
  const indexFile = path.join(distDir, 'index.html');
  const manifest = clientManifestReader(distDir);
  if (!fs.existsSync(indexFile)) {
    router.use((_req, res) => {
      res
        .status(503)
        .type('text/plain; charset=utf-8')
        .send('Le client n’est pas construit : lancez « npm run build » puis redémarrez le serveur.');
    });
    return router;
  }
  router.use((req, res, next) => {
    // A path whose percent-encoding does not decode: the French 400 of errors.ts (the static
    // middleware would answer its own English « URI malformed »).
    try {
      decodeURIComponent(req.path);
    } catch (error) {
      next(error);
      return;
    }
    // No source map; and the precompressed twins are not addresses of their own (they are sent
    // for their file, by `Accept-Encoding`): a French 404 rather than a raw `.br` download.
    if (/\.(?:map|br|gz)$/.test(req.path)) {
      next(notFound());
      return;
    }
    next();
  });
  router.use(
    '/assets',
    expressStaticGzip(path.join(distDir, 'assets'), {
      enableBrotli: true,
      orderPreference: ['br', 'gzip'],
      index: false,
      // `public, max-age=31536000, immutable`: hashed names change with their content.
      serveStatic: {
        index: false,
        fallthrough: false,
        immutable: true,
        maxAge: '365d',
        // A folder is not redirected to « folder/ » (an English 301 page): it is not a file.
        redirect: false,
      },
    }),
  );
  router.use(
    expressStaticGzip(distDir, {
      enableBrotli: true,
      orderPreference: ['br', 'gzip'],
      index: false,
      serveStatic: {
        index: false,
        maxAge: '1h',
        // `/dsfr` (a folder) gets the app's page like any route, not an English 301 to `/dsfr/`.
        redirect: false,
        // Runs before `send` writes its own Cache-Control, which then keeps this one.
        setHeaders: (res, filePath) => {
          if (NEVER_CACHED.test(path.basename(filePath))) res.setHeader('Cache-Control', 'no-cache');
        },
      },
    }),
  );
  router.get('/{*splat}', (req, res, next) => {
    // A file that is not there (`/favicon.ico`, `/ads.txt`): the French 404, not the app's page
    // with a 200 (the app's addresses have no file extension; tester BR28).
    if (/\.[a-z0-9]{1,8}$/i.test(req.path)) {
      next(notFound());
      return;
    }
    const cookie = req.headers.cookie;
    const live = !options.hasSession || options.hasSession(cookie);
    sendIndex(req, res, indexFile, manifest(), live ? cookie : undefined).catch(next);
  });
  // Any other method on a path nobody answered (`DELETE /sw.js`, `TRACE /`): the French 404 of
  // errors.ts, not Express's English « Cannot DELETE ».
  router.all('/{*splat}', (_req, _res, next) => next(notFound()));
  return router;
}

/** An http-errors-like 404 that the error handler answers with its French sentence. */
function notFound(): Error & { status: number } {
  return Object.assign(new Error('introuvable'), { status: 404 });
}

/**
 * `index.html`, never cached, in the best encoding the request accepts among its twins, with the
 * route's preloads (see {@link routePreloadLinks}).
 */
async function sendIndex(
  req: Request,
  res: Response,
  indexFile: string,
  manifest: ClientManifest | undefined,
  cookieHeader: string | undefined,
): Promise<void> {
  // Never stored: its `Link` preloads depend on the session (a stored copy, even revalidated,
  // would keep an earlier answer's); the service worker keeps its own copy for offline use.
  res.setHeader('Cache-Control', 'no-store');
  // The preloads depend on the session cookie: a shared cache must not give one person's to another.
  res.setHeader('Vary', 'Accept-Encoding, Cookie');
  const query = req.originalUrl.indexOf('?');
  const links = routePreloadLinks(
    req.path,
    query < 0 ? '' : req.originalUrl.slice(query),
    cookieHeader,
    manifest,
  );
  if (links) res.setHeader('Link', links);
  // Brotli first whatever the order of the header (as for the assets, `orderPreference`).
  const encoding = ENCODINGS.find(
    (e) => req.acceptsEncodings(e.name) === e.name && fs.existsSync(indexFile + e.ext),
  );
  // No validators (no ETag, no Last-Modified, hence never a 304): a 304 would let the browser keep
  // the `Link` header of an earlier answer (a session since ended would preload answers refused
  // with 401). Not `res.sendFile`, whose ETag follows the application's setting whatever its
  // options say (Express 5); the page is a few KB, read as it is sent.
  const body = await fs.promises.readFile(encoding ? indexFile + encoding.ext : indexFile);
  if (encoding) res.setHeader('Content-Encoding', encoding.name);
  res.type('html');
  res.setHeader('Content-Length', body.byteLength);
  res.end(req.method === 'HEAD' ? undefined : body);
}
