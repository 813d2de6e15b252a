import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { clientManifestReader, routePreloadLinks, type ClientManifest } from './staticClientPreload.js';

/** A build manifest shaped like Vite's: an entry, two lazy pages, shared chunks. */
const manifest: ClientManifest = {
  'index.html': {
    file: 'assets/index-A.js',
    isEntry: true,
    imports: ['_jsx-B.js'],
    css: ['assets/index-A.css'],
  },
  '_jsx-B.js': { file: 'assets/jsx-B.js' },
  'src/features/editor/EditorPage.tsx': {
    file: 'assets/EditorPage-C.js',
    imports: ['index.html', '_jsx-B.js', '_FormDialog-D.js'],
    css: ['assets/EditorPage-C.css'],
  },
  '_FormDialog-D.js': { file: 'assets/FormDialog-D.js', imports: ['_jsx-B.js', '_text-E.js'] },
  '_text-E.js': { file: 'assets/text-E.js' },
  'src/features/editor/panels.lazy.ts': { file: 'assets/panels.lazy-G.js', imports: ['_text-E.js'] },
  'src/features/editor/textFrame.lazy.ts': { file: 'assets/textFrame.lazy-I.js', imports: ['_text-E.js'] },
  'src/features/catalogue/CataloguePage.tsx': { file: 'assets/CataloguePage-F.js', imports: ['_text-E.js'] },
  'src/features/auth/LoginPage.tsx': { file: 'assets/LoginPage-H.js', imports: ['index.html', '_jsx-B.js'] },
};
const ID = '3f2b9c1e-8d4a-4b6e-9f1a-2c3d4e5f6a7b';
const COOKIE = 'essaim_session=abc; autre=1';

describe('routePreloadLinks', () => {
  it('preloads the document, its review and publications, and the editor page’s chunks not already in index.html with those of the parts around the text, not its panels', () => {
    const links = routePreloadLinks(`/documents/${ID}`, '', COOKIE, manifest)?.split(', ');
    expect(links).toEqual([
      `</api/documents/${ID}>; rel=preload; as=fetch; crossorigin`,
      `</api/documents/${ID}/sections>; rel=preload; as=fetch; crossorigin`,
      `</api/documents/${ID}/publications>; rel=preload; as=fetch; crossorigin`,
      '</assets/EditorPage-C.js>; rel=modulepreload; crossorigin',
      '</assets/EditorPage-C.css>; rel=preload; as=style; crossorigin',
      '</assets/FormDialog-D.js>; rel=modulepreload; crossorigin',
      '</assets/text-E.js>; rel=modulepreload; crossorigin',
      '</assets/textFrame.lazy-I.js>; rel=modulepreload; crossorigin',
    ]);
  });

  it('preloads the catalogue’s default list only when the address carries no filter', () => {
    const plain = routePreloadLinks(`/espaces/${ID}`, '', COOKIE, manifest) ?? '';
    expect(plain).toContain(`</api/espaces/${ID}>; rel=preload; as=fetch; crossorigin`);
    expect(plain).toContain(
      `</api/documents?espaceId=${ID}&archived=false&sort=updated&order=desc>; rel=preload; as=fetch; crossorigin`,
    );
    expect(plain).toContain('</assets/CataloguePage-F.js>; rel=modulepreload; crossorigin');
    const filtered = routePreloadLinks(`/espaces/${ID}/`, '?theme=logement', COOKIE, manifest) ?? '';
    expect(filtered).toContain(`</api/espaces/${ID}>`);
    expect(filtered).not.toContain('/api/documents?');
  });

  it('preloads only the login page without a session cookie, under either cookie name', () => {
    const login = '</assets/LoginPage-H.js>; rel=modulepreload; crossorigin';
    expect(routePreloadLinks(`/documents/${ID}`, '', undefined, manifest)).toBe(login);
    expect(routePreloadLinks(`/documents/${ID}`, '', 'autre=1', manifest)).toBe(login);
    for (const pathname of ['/', '/connexion', '/Connexion/', '/espaces', `/espaces/${ID}/relecture`])
      expect(routePreloadLinks(pathname, '', undefined, manifest), pathname).toBe(login);
    // Pages a visitor reads without logging in: nothing to preload.
    for (const pathname of [
      '/accessibilite',
      '/invitation/abc',
      '/reinitialisation/abc',
      '/premiere-installation',
    ])
      expect(routePreloadLinks(pathname, '', undefined, manifest), pathname).toBeUndefined();
    // Without a manifest, or with a session cookie, never the login page.
    expect(routePreloadLinks('/connexion', '', undefined, undefined)).toBeUndefined();
    expect(routePreloadLinks(`/documents/${ID}`, '', '__Host-essaim_session=x', manifest)).toContain(
      '/api/documents/',
    );
    expect(routePreloadLinks(`/documents/${ID}`, '', COOKIE, manifest)).not.toContain('LoginPage');
  });

  it('preloads nothing for other routes, nested pages or ids that could break the header', () => {
    for (const pathname of [
      '/',
      '/connexion',
      `/espaces/${ID}/relecture`,
      `/documents/${ID}/extra`,
      '/documents/a>;rel=x',
      `/documents/${'a'.repeat(65)}`,
    ])
      expect(routePreloadLinks(pathname, '', COOKIE, manifest), pathname).toBeUndefined();
  });

  it('still preloads the API answers when the build wrote no manifest or renamed the page', () => {
    expect(routePreloadLinks(`/documents/${ID}`, '', COOKIE, undefined)?.split(', ')).toEqual([
      `</api/documents/${ID}>; rel=preload; as=fetch; crossorigin`,
      `</api/documents/${ID}/sections>; rel=preload; as=fetch; crossorigin`,
      `</api/documents/${ID}/publications>; rel=preload; as=fetch; crossorigin`,
    ]);
    expect(
      routePreloadLinks(`/documents/${ID}`, '', COOKIE, {
        'index.html': { file: 'assets/index-A.js', isEntry: true },
      }),
    ).not.toContain('modulepreload');
  });
});

describe('clientManifestReader', () => {
  it('reads the manifest again once the client is rebuilt, and gives none while it is absent or half written', () => {
    const dist = fs.mkdtempSync(path.join(os.tmpdir(), 'essaim-manifest-'));
    try {
      const read = clientManifestReader(dist);
      expect(read()).toBeUndefined();
      fs.mkdirSync(path.join(dist, '.vite'));
      const file = path.join(dist, '.vite/manifest.json');
      fs.writeFileSync(file, JSON.stringify({ 'index.html': { file: 'assets/index-1.js', isEntry: true } }));
      expect(read()?.['index.html']?.file).toBe('assets/index-1.js');
      fs.writeFileSync(file, '{"index.html": {"fi');
      fs.utimesSync(file, new Date(), new Date(Date.now() + 5_000));
      expect(read()).toBeUndefined();
      fs.writeFileSync(file, JSON.stringify({ 'index.html': { file: 'assets/index-2.js', isEntry: true } }));
      fs.utimesSync(file, new Date(), new Date(Date.now() + 10_000));
      expect(read()?.['index.html']?.file).toBe('assets/index-2.js');
    } finally {
      fs.rmSync(dist, { recursive: true, force: true });
    }
  });
});
