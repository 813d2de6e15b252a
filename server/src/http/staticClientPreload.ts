import fs from 'node:fs';
import path from 'node:path';
import { sessionTokenFrom } from './session.js';

/** One chunk of Vite's build manifest (`client/dist/.vite/manifest.json`, `build.manifest`). */
interface ManifestChunk {
  file: string;
  /** Manifest keys of the chunks it imports statically (loaded before it runs). */
  imports?: string[];
  /** Stylesheets the chunk inserts when it loads (paths under dist/). */
  css?: string[];
  isEntry?: boolean;
}

/** Vite's build manifest: source path (or `_shared-chunk.js`) → chunk. */
export type ClientManifest = Record<string, ManifestChunk>;

/**
 * What a client route asks at once, before its first drawing, beyond `index.html`'s own
 * stylesheets and module preloads: API answers the page cannot draw without, and the lazy page's
 * chunks (with their static imports and stylesheets). Only for a request carrying a session
 * cookie: a visitor without one is sent to « Connexion » and would not use them (see
 * {@link LOGIN_ROUTE}).
 *
 * - the catalogue (`/espaces/:id`): its page's chunks (`CataloguePage.tsx`, a lazy page), the
 *   espace (`GET /api/espaces/:id`) and, when the address carries no filter, the documents in the
 *   catalogue's default order (`toApiQuery` of client/src/features/catalogue/filters.ts with no
 *   filter: not archived, last updated first);
 * - the editor (`/documents/:id`): its page's chunks (`EditorPage.tsx`) and the chunk of the parts
 *   drawn above and inside its text (`textFrame.lazy.ts`: each section's menu and review header,
 *   the publication bar), the document (`GET /api/documents/:id`), its sections' review
 *   (`…/sections`) and its publications (`…/publications`): the page shows its text once these are
 *   here, so that it does not move after it appears (client/src/features/editor/pageSettling.ts);
 *   not its threads, which the editor asks again once drawn. Not the panels' chunk
 *   (`panels.lazy.ts`: panels, dialogs, comments, table editing; ≈ 65 KB with its static imports),
 *   which the text does not wait for: preloaded here it shared the line with what the text waits
 *   for and delayed it by as much (issue 16: on the throttled line, 1.6 Mbit/s, the entry came
 *   0.4–0.5 s later). The client asks for it once the editor's chunk has run (`App.tsx`).
 *
 * Addresses must be exactly those the client asks (client/src/features/…/api.ts), or the
 * browser fetches twice; tests/browser/firstLook.test.ts checks they are not fetched again.
 */
const ROUTES: readonly {
  pattern: RegExp;
  /** API addresses for the route's id, `filtered` when the page address has a query string. */
  api: (id: string, filtered: boolean) => string[];
  /** Manifest keys of the lazy pages the route draws. */
  pages: string[];
}[] = [
  {
    pattern: /^\/espaces\/([\w-]{1,64})\/?$/,
    api: (id, filtered) => [
      `/api/espaces/${id}`,
      ...(filtered ? [] : [`/api/documents?espaceId=${id}&archived=false&sort=updated&order=desc`]),
    ],
    pages: ['src/features/catalogue/CataloguePage.tsx'],
  },
  {
    pattern: /^\/documents\/([\w-]{1,64})\/?$/,
    api: (id) => [
      `/api/documents/${id}`,
      `/api/documents/${id}/sections`,
      `/api/documents/${id}/publications`,
    ],
    pages: ['src/features/editor/EditorPage.tsx', 'src/features/editor/textFrame.lazy.ts'],
  },
];

/**
 * A request without a session cookie, for « Connexion » or a page that needs a session (the app
 * then sends the visitor to « Connexion »): the login page's chunks (`LoginPage.tsx`, a lazy page,
 * issue 16), so that its first drawing does not wait for them after the entry's.
 */
const LOGIN_ROUTE = {
  pattern: /^\/(?:connexion|espaces(?:\/.*)?|documents\/.+)?\/?$/i,
  pages: ['src/features/auth/LoginPage.tsx'],
};

/**
 * Reads the build manifest of `distDir` (`.vite/manifest.json`) when asked, again whenever the
 * file changes (a client rebuilt under a running server must not get preloads of chunks that no
 * longer exist); undefined while there is none or it does not parse (then no chunk is preloaded).
 */
export function clientManifestReader(distDir: string): () => ClientManifest | undefined {
  const file = path.join(distDir, '.vite/manifest.json');
  let cached: { mtimeMs: number; manifest: ClientManifest } | undefined;
  return () => {
    let mtimeMs: number;
    try {
      mtimeMs = fs.statSync(file).mtimeMs;
    } catch {
      return undefined;
    }
    if (cached?.mtimeMs !== mtimeMs) {
      try {
        cached = { mtimeMs, manifest: JSON.parse(fs.readFileSync(file, 'utf8')) as ClientManifest };
      } catch {
        // Being written: read again at the next request.
        return undefined;
      }
    }
    return cached.manifest;
  };
}

/** Manifest keys reachable from `keys` through static imports (the chunks themselves included). */
function staticClosure(manifest: ClientManifest, keys: readonly string[]): Set<string> {
  const seen = new Set<string>();
  const stack = [...keys];
  for (let key = stack.pop(); key !== undefined; key = stack.pop()) {
    const chunk = manifest[key];
    if (seen.has(key) || !chunk) continue;
    seen.add(key);
    stack.push(...(chunk.imports ?? []));
  }
  return seen;
}

/** {@link entryClosure}'s answers, one per manifest read (a rebuilt client is a new object). */
const entryClosures = new WeakMap<ClientManifest, Set<string>>();

/**
 * The chunks `index.html` loads (the entries and their static imports), computed once per
 * manifest rather than at each page request.
 */
function entryClosure(manifest: ClientManifest): Set<string> {
  let closure = entryClosures.get(manifest);
  if (!closure) {
    closure = staticClosure(
      manifest,
      Object.keys(manifest).filter((key) => manifest[key]?.isEntry),
    );
    entryClosures.set(manifest, closure);
  }
  return closure;
}

/**
 * `Link` values (modulepreload, and preload for their stylesheets) of the chunks of the lazy
 * `pages` (manifest keys) and of their static imports, in the pages' order (the browser starts
 * the first ones first), leaving out the chunks `index.html` already preloads. None without a
 * manifest.
 */
function pageLinks(manifest: ClientManifest | undefined, pages: readonly string[]): string[] {
  if (!manifest) return [];
  const inHtml = entryClosure(manifest);
  const links: string[] = [];
  for (const key of pages.flatMap((page) => [...staticClosure(manifest, [page])])) {
    const chunk = manifest[key];
    if (!chunk || inHtml.has(key)) continue;
    links.push(`</${chunk.file}>; rel=modulepreload; crossorigin`);
    // Vite links a lazy chunk's stylesheet with `crossorigin`: the preload must match to be used.
    for (const css of chunk.css ?? []) links.push(`</${css}>; rel=preload; as=style; crossorigin`);
  }
  return [...new Set(links)];
}

/**
 * The `Link` header value (RFC 8288, preload and modulepreload as Chromium, Firefox and Safari
 * read them on a document response) for a navigation to `pathname` (and its query string
 * `search`, `''` or `?…`), or undefined when the route preloads nothing. A request with a session
 * cookie (`cookieHeader`, either cookie name of server/src/http/session.ts) gets its route's
 * ({@link ROUTES}); one without, the login page's ({@link LOGIN_ROUTE}). Chunks `index.html`
 * already preloads are left out.
 */
export function routePreloadLinks(
  pathname: string,
  search: string,
  cookieHeader: string | undefined,
  manifest: ClientManifest | undefined,
): string | undefined {
  const loggedIn =
    sessionTokenFrom(cookieHeader, { secureCookies: false }) !== undefined ||
    sessionTokenFrom(cookieHeader, { secureCookies: true }) !== undefined;
  if (!loggedIn) {
    if (!LOGIN_ROUTE.pattern.test(pathname)) return undefined;
    return pageLinks(manifest, LOGIN_ROUTE.pages).join(', ') || undefined;
  }
  for (const route of ROUTES) {
    const id = route.pattern.exec(pathname)?.[1];
    if (id === undefined) continue;
    const links = route.api(id, search !== '').map((url) => `<${url}>; rel=preload; as=fetch; crossorigin`);
    return [...new Set([...links, ...pageLinks(manifest, route.pages)])].join(', ');
  }
  return undefined;
}
