import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { staticClient } from '../../server/src/http/staticClient.js';
import { repoRoot, startTestServer, type TestServer } from '../support/server.js';

/**
 * The built client as production serves it (issue 16): every text file precompressed and chosen
 * by `Accept-Encoding` (brotli first, then gzip, else as is), hashed files cached a year and
 * immutable, `index.html` asked again every time, no source map anywhere. Runs on `client/dist`
 * (`npm test` builds it first), then on a made-up build holding source maps and stale names.
 */

const DIST = path.join(repoRoot, 'client/dist');
/** What Chromium sends: gzip first in the header, brotli must still win. */
const CHROMIUM_ENCODINGS = 'gzip, deflate, br, zstd';

interface Raw {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** The body as it came on the wire (still compressed). */
  body: Buffer;
}

/** A GET with exactly the given headers; the body is not decompressed. */
function rawGet(base: string, urlPath: string, headers: Record<string, string> = {}): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const request = http.get(`${base}${urlPath}`, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
      );
      res.on('error', reject);
    });
    request.on('error', reject);
  });
}

/** The body as the browser reads it, after undoing `Content-Encoding`. */
function decoded(response: Raw): Buffer {
  const encoding = response.headers['content-encoding'];
  if (encoding === 'br') return brotliDecompressSync(response.body);
  if (encoding === 'gzip') return gunzipSync(response.body);
  if (encoding === undefined) return response.body;
  throw new Error(`encodage inattendu : ${encoding}`);
}

interface ManifestChunk {
  file: string;
  isEntry?: boolean;
}

function builtJsFiles(): { entry: string; all: string[] } {
  const manifestFile = path.join(DIST, '.vite/manifest.json');
  if (!fs.existsSync(manifestFile)) {
    throw new Error('client/dist/.vite/manifest.json manque : lancez « npm run build » avant les tests.');
  }
  const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as Record<string, ManifestChunk>;
  const chunks = Object.values(manifest).filter((chunk) => chunk.file.endsWith('.js'));
  const entry = chunks.find((chunk) => chunk.isEntry)?.file;
  if (!entry) throw new Error('manifeste sans entrée');
  return { entry: `/${entry}`, all: chunks.map((chunk) => `/${chunk.file}`) };
}

describe('the built client served by the real server', () => {
  let server: TestServer;
  let js: { entry: string; all: string[] };

  beforeAll(async () => {
    js = builtJsFiles();
    server = await startTestServer({ env: { SERVE_CLIENT: 'true' } });
  });
  afterAll(async () => {
    await server.stop();
  });

  it('sends a hashed script in brotli to a browser that accepts brotli, whatever the order of its header', async () => {
    const onDisk = fs.readFileSync(path.join(DIST, js.entry));
    for (const accept of ['br', CHROMIUM_ENCODINGS, 'gzip;q=1.0, br;q=0.9']) {
      const response = await rawGet(server.url, js.entry, { 'accept-encoding': accept });
      expect(response.status).toBe(200);
      expect(response.headers['content-encoding']).toBe('br');
      expect(response.headers.vary).toMatch(/Accept-Encoding/i);
      expect(response.headers['content-type']).toMatch(/^text\/javascript|^application\/javascript/);
      expect(response.body.length).toBeLessThan(onDisk.length / 2);
      expect(decoded(response).equals(onDisk)).toBe(true);
    }
  });

  it('sends the same script in gzip when only gzip is accepted, and as it is when nothing is', async () => {
    const onDisk = fs.readFileSync(path.join(DIST, js.entry));
    const gzip = await rawGet(server.url, js.entry, { 'accept-encoding': 'gzip' });
    expect(gzip.headers['content-encoding']).toBe('gzip');
    expect(gzip.headers.vary).toMatch(/Accept-Encoding/i);
    expect(decoded(gzip).equals(onDisk)).toBe(true);

    const requests: Record<string, string>[] = [{}, { 'accept-encoding': 'identity' }];
    for (const headers of requests) {
      const plain = await rawGet(server.url, js.entry, headers);
      expect(plain.status).toBe(200);
      expect(plain.headers['content-encoding']).toBeUndefined();
      expect(plain.headers.vary).toMatch(/Accept-Encoding/i);
      expect(plain.body.equals(onDisk)).toBe(true);
    }
  });

  it('caches hashed files for a year as immutable, and never index.html', async () => {
    const asset = await rawGet(server.url, js.entry, { 'accept-encoding': 'br' });
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const plainAsset = await rawGet(server.url, js.entry);
    expect(plainAsset.headers['cache-control']).toBe('public, max-age=31536000, immutable');

    for (const page of ['/', '/connexion', '/espaces/quelque-part', '/documents/abc?section=x']) {
      const response = await rawGet(server.url, page, { 'accept-encoding': CHROMIUM_ENCODINGS });
      expect(response.status).toBe(200);
      expect(response.headers['cache-control']).toBe('no-store');
      expect(response.headers['content-type']).toMatch(/^text\/html/);
      expect(response.headers['content-encoding']).toBe('br');
      expect(response.headers.vary).toMatch(/Accept-Encoding/i);
      expect(decoded(response).toString()).toContain(js.entry);
    }
    const plainPage = await rawGet(server.url, '/connexion');
    expect(plainPage.headers['content-encoding']).toBeUndefined();
    expect(plainPage.body.toString()).toContain('<div id="root">');
  });

  it('gives the app’s pages no validator, so a browser never revalidates one and keeps an old preload (tester BR26)', async () => {
    for (const encoding of [CHROMIUM_ENCODINGS, undefined]) {
      const headers = encoding ? { 'accept-encoding': encoding } : undefined;
      const page = await rawGet(server.url, '/connexion', headers);
      expect(page.status).toBe(200);
      expect(page.headers.etag).toBeUndefined();
      expect(page.headers['last-modified']).toBeUndefined();
      expect(Number(page.headers['content-length'])).toBe(page.body.byteLength);
      // Whatever the browser sends, the whole page again.
      const again = await rawGet(server.url, '/connexion', { ...headers, 'if-none-match': '*' });
      expect(again.status).toBe(200);
    }
  });

  it('preloads the login page’s scripts for a visitor without a session, each a file of the build', async () => {
    const page = await rawGet(server.url, '/connexion', { 'accept-encoding': CHROMIUM_ENCODINGS });
    expect(page.status).toBe(200);
    const links = String(page.headers.link ?? '').split(', ');
    const scripts = links.flatMap((link) => /^<([^>]+\.js)>; rel=modulepreload/.exec(link)?.[1] ?? []);
    expect(scripts.some((file) => /\/LoginPage-[\w-]+\.js$/.test(file))).toBe(true);
    for (const file of scripts) {
      expect(js.all, file).toContain(file);
      expect((await rawGet(server.url, file)).status, file).toBe(200);
    }
    // The same for a page that needs a session, where the app sends the visitor to log in.
    const document = await rawGet(server.url, '/documents/3f2b9c1e-8d4a-4b6e-9f1a-2c3d4e5f6a7b');
    expect(document.headers.link).toBe(page.headers.link);
  });

  it('compresses the DSFR stylesheet copied into the build, cached an hour', async () => {
    const html = fs.readFileSync(path.join(DIST, 'index.html'), 'utf8');
    const href = /<link rel="stylesheet" href="(\/dsfr\/dsfr\.min\.css[^"]*)"/.exec(html)?.[1];
    expect(href).toBeDefined();
    const css = await rawGet(server.url, href ?? '', { 'accept-encoding': CHROMIUM_ENCODINGS });
    expect(css.status).toBe(200);
    expect(css.headers['content-encoding']).toBe('br');
    expect(css.headers['content-type']).toMatch(/^text\/css/);
    expect(css.headers['cache-control']).toBe('public, max-age=3600');
    expect(decoded(css).equals(fs.readFileSync(path.join(DIST, 'dsfr/dsfr.min.css')))).toBe(true);
  });

  it('serves no source map: none in the build, a .map address answers 404, no script points to one', async () => {
    const maps = fs
      .readdirSync(DIST, { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.map'));
    expect(maps).toEqual([]);
    for (const file of js.all) {
      const map = await rawGet(server.url, `${file}.map`);
      expect(map.status).toBe(404);
      const script = await rawGet(server.url, file, { 'accept-encoding': 'br' });
      expect(script.status).toBe(200);
      expect(decoded(script).toString()).not.toContain('sourceMappingURL');
    }
  });

  it('never caches index.html asked by its own name, as the service worker asks it', async () => {
    for (const page of ['/index.html', '/index.html?__WB_REVISION__=abc']) {
      const response = await rawGet(server.url, page, { 'accept-encoding': CHROMIUM_ENCODINGS });
      expect(response.status).toBe(200);
      expect(response.headers['cache-control']).toBe('no-cache');
    }
  });

  it('answers in French, and never as a download or a redirect, the addresses that are not files of the app', async () => {
    const twins = [`${js.entry}.br`, `${js.entry}.gz`, '/sw.js.br', '/index.html.gz'];
    for (const twin of twins) {
      const response = await rawGet(server.url, twin, { 'accept-encoding': CHROMIUM_ENCODINGS });
      expect(response.status).toBe(404);
      expect(response.body.toString()).toBe('Cette page ou ce fichier n’existe pas.');
    }
    for (const folder of ['/dsfr', '/dsfr/fonts', '/sw.js/..', '/assets']) {
      const response = await fetch(`${server.url}${folder}`, { redirect: 'manual' });
      expect(response.status).not.toBe(301);
      expect(await response.text()).not.toMatch(/Redirecting|lang="en"/);
    }
    for (const method of ['DELETE', 'POST', 'PUT', 'PATCH']) {
      const response = await fetch(`${server.url}/sw.js`, { method });
      expect(response.status).toBe(404);
      expect(await response.text()).toBe('Cette page ou ce fichier n’existe pas.');
    }
  });

  it('answers 404 for a missing file at the root instead of the page, and serves robots.txt (tester BR28)', async () => {
    const favicon = await rawGet(server.url, '/favicon.ico', {});
    expect(favicon.status).toBe(404);
    expect(favicon.headers['content-type'] ?? '').not.toMatch(/text\/html/);
    const robots = await rawGet(server.url, '/robots.txt', {});
    expect(robots.status).toBe(200);
    expect(robots.headers['content-type']).toMatch(/^text\/plain/);
    // An app route is still the app's page.
    expect((await rawGet(server.url, '/documents/inconnu', {})).status).toBe(200);
  });

  it('answers 404 for a missing hashed file instead of the page', async () => {
    const missing = await rawGet(server.url, '/assets/index-disparu.js', { 'accept-encoding': 'br' });
    expect(missing.status).toBe(404);
    expect(missing.headers['content-type'] ?? '').not.toMatch(/text\/html/);
  });
});

describe('a build that holds source maps (made for debugging) served by staticClient', () => {
  let dir: string;
  let base: string;
  let close: () => Promise<void>;
  const script = Buffer.from('console.log("essaim");\n//# sourceMappingURL=app-1234abcd.js.map\n'.repeat(50));

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'essaim-dist-'));
    fs.mkdirSync(path.join(dir, 'assets'));
    fs.writeFileSync(path.join(dir, 'index.html'), '<!doctype html><div id="root"></div>');
    fs.writeFileSync(path.join(dir, 'assets/app-1234abcd.js'), script);
    fs.writeFileSync(path.join(dir, 'assets/app-1234abcd.js.br'), brotliCompressSync(script));
    fs.writeFileSync(path.join(dir, 'assets/app-1234abcd.js.gz'), gzipSync(script));
    fs.writeFileSync(path.join(dir, 'assets/app-1234abcd.js.map'), '{"version":3,"sources":["secret.ts"]}');
    fs.writeFileSync(path.join(dir, 'notes.js.map'), '{"version":3}');
    const app = express();
    app.use(staticClient(dir));
    const listening = app.listen(0, '127.0.0.1');
    await new Promise<void>((resolve) => listening.once('listening', () => resolve()));
    base = `http://127.0.0.1:${(listening.address() as AddressInfo).port}`;
    close = () => new Promise<void>((resolve) => listening.close(() => resolve()));
  });
  afterAll(async () => {
    await close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('refuses every .map file present on disk, under /assets and at the root', async () => {
    for (const file of ['/assets/app-1234abcd.js.map', '/notes.js.map', '/assets/app-1234abcd.js.map?x=1']) {
      const response = await rawGet(base, file, { 'accept-encoding': 'br' });
      expect(response.status).toBe(404);
      expect(response.body.toString()).not.toContain('secret.ts');
    }
  });

  it('negotiates the twins written next to a file, and sends the page compressed only when a twin exists', async () => {
    const br = await rawGet(base, '/assets/app-1234abcd.js', { 'accept-encoding': 'br, gzip' });
    expect(br.headers['content-encoding']).toBe('br');
    expect(decoded(br).equals(script)).toBe(true);
    const gzip = await rawGet(base, '/assets/app-1234abcd.js', { 'accept-encoding': 'gzip' });
    expect(gzip.headers['content-encoding']).toBe('gzip');
    expect(decoded(gzip).equals(script)).toBe(true);
    const page = await rawGet(base, '/documents/x', { 'accept-encoding': 'br, gzip' });
    expect(page.status).toBe(200);
    expect(page.headers['content-encoding']).toBeUndefined();
    expect(page.headers['cache-control']).toBe('no-store');
    expect(page.body.toString()).toContain('<div id="root">');
  });
});

/**
 * The service worker of the app shell (issue 16, « an app that opens offline »), read from the
 * build and fetched from the real server: always asked again, compressed like the rest, and
 * never answering anything the server renders or answers itself.
 */
describe('the service worker of the built client', () => {
  let server: TestServer;
  /** The body of `dist/sw.js`. */
  let worker: string;

  /** The precache manifest written into sw.js (`precacheAndRoute([...])`), as its entries. */
  function precacheEntries(): { url: string; revision: string | null }[] {
    const list = /precacheAndRoute\((\[.*?\])\s*,/s.exec(worker)?.[1];
    if (!list) throw new Error('dist/sw.js sans precacheAndRoute');
    // The list is the build's own object literal: read it as JavaScript.
    return new Function(`return ${list};`)() as { url: string; revision: string | null }[];
  }

  /** The `allowlist` or `denylist` of the worker's navigation route, as written in sw.js. */
  function navigationList(name: 'allowlist' | 'denylist'): RegExp[] {
    const list = new RegExp(`NavigationRoute\\(.*?${name}:(\\[.*?\\])[,}]`, 's').exec(worker)?.[1];
    if (!list) throw new Error(`dist/sw.js sans ${name} de navigation`);
    return new Function(`return ${list};`)() as RegExp[];
  }

  beforeAll(async () => {
    const file = path.join(DIST, 'sw.js');
    if (!fs.existsSync(file))
      throw new Error('client/dist/sw.js manque : lancez « npm run build » avant les tests.');
    worker = fs.readFileSync(file, 'utf8');
    server = await startTestServer({ env: { SERVE_CLIENT: 'true' } });
  });
  afterAll(async () => {
    await server.stop();
  });

  it('serves sw.js, its Workbox runtime and the manifest never cached, in brotli, with their twins', async () => {
    const runtime = fs.readdirSync(DIST).filter((f) => /^workbox-[\w-]+\.js$/.test(f));
    for (const file of ['sw.js', ...runtime, 'manifest.webmanifest']) {
      const onDisk = fs.readFileSync(path.join(DIST, file));
      expect(fs.existsSync(path.join(DIST, `${file}.br`))).toBe(true);
      expect(fs.existsSync(path.join(DIST, `${file}.gz`))).toBe(true);
      for (const [accept, encoding] of [
        [CHROMIUM_ENCODINGS, 'br'],
        ['gzip', 'gzip'],
        ['identity', undefined],
      ] as const) {
        const response = await rawGet(server.url, `/${file}`, { 'accept-encoding': accept });
        expect(response.status).toBe(200);
        expect(response.headers['cache-control']).toBe('no-cache');
        expect(response.headers['content-encoding']).toBe(encoding);
        expect(response.headers.vary).toMatch(/Accept-Encoding/i);
        expect(decoded(response).equals(onDisk)).toBe(true);
      }
    }
    const sw = await rawGet(server.url, '/sw.js', { 'accept-encoding': 'br' });
    expect(sw.headers['content-type']).toMatch(/^(text|application)\/javascript/);
    // Served at the root: its scope is the whole app, without a Service-Worker-Allowed header.
    expect(sw.headers['service-worker-allowed']).toBeUndefined();
    // The worker runs under the same CSP as the page, which lets it load its runtime.
    expect(sw.headers['content-security-policy']).toMatch(/script-src 'self'/);
  });

  it('precaches only files of the build: the page, scripts, styles, fonts, never an API or portal address', async () => {
    const entries = precacheEntries();
    const urls = entries.map((e) => e.url);
    expect(urls).toContain('index.html');
    expect(urls).toContain(builtJsFiles().entry.slice(1));
    expect(urls).toContain('dsfr/dsfr.min.css');
    expect(new Set(urls).size).toBe(urls.length);
    for (const url of urls) {
      expect(url).not.toMatch(/^\/?(api|collab|pratiques)(\/|$)|\.(map|br|gz)$|^\.vite\//);
      expect(fs.existsSync(path.join(DIST, url)), url).toBe(true);
    }
    // Hashed names are their own revision; every other file carries one.
    for (const entry of entries) {
      if (!entry.url.startsWith('assets/')) expect(entry.revision, entry.url).toMatch(/^[0-9a-f]{32}$/);
    }
  });

  it('answers with the app shell only the app’s own routes, and nothing at run time', async () => {
    // One route besides the precache: the navigation fallback. No runtime caching of any kind.
    expect(worker.match(/registerRoute\(/g)).toHaveLength(1);
    expect(worker).not.toMatch(/NetworkFirst|StaleWhileRevalidate|CacheFirst|CacheOnly|NetworkOnly/);
    const allow = navigationList('allowlist');
    const deny = navigationList('denylist');
    /** What Workbox's NavigationRoute decides for a navigation to `address` (path and query). */
    const shellAnswers = (address: string) =>
      !deny.some((r) => r.test(address)) && allow.some((r) => r.test(address));
    for (const address of [
      '/',
      '/connexion?retour=%2Fespaces',
      '/espaces',
      '/espaces/abc/personnes',
      '/documents/abc',
      '/documents/abc?section=x',
      '/administration',
      '/invitation/jeton',
      '/reinitialisation/jeton',
      '/accessibilite',
    ]) {
      expect(shellAnswers(address), address).toBe(true);
    }
    for (const address of [
      '/api/auth/me',
      '/api/files/0a1b',
      '/api/documents/abc/export?format=pdf',
      '/api/espaces/abc/kit.zip',
      '/collab',
      '/pratiques',
      '/pratiques/',
      '/pratiques/recherche?q=aller-vers',
      '/pratiques/flux.atom',
      '/pratiques/kit.zip',
      '/pratiques/une-fiche/v/2/export.pdf',
      '/pratiques/fichiers/0a1b',
      '/assets/index-abc.js',
      '/dsfr/dsfr.min.css',
      '/sw.js',
      '/manifest.webmanifest',
      '/documents/abc/inconnu',
    ]) {
      expect(shellAnswers(address), address).toBe(false);
    }
  });
});
