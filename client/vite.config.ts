import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import react from '@vitejs/plugin-react';
import { defaultClientConditions, defineConfig, type Plugin } from 'vite';
import { gzipAsync } from '@gfx/zopfli';
import { compression, defineAlgorithm } from 'vite-plugin-compression2';
import { VitePWA } from 'vite-plugin-pwa';
import { APP_SHELL_ROUTES, SERVER_ANSWERED_PATHS } from './src/app/serviceWorkerRoutes.js';

const brotli = promisify(zlib.brotliCompress);

/**
 * A gzip twin made by Zopfli (`@gfx/zopfli`, WebAssembly): a gzip stream every browser and
 * proxy reads like zlib's, 4–5 % smaller than zlib's level 9 at the cost of a slower build
 * (issue 16: the editor's JavaScript before its first drawing is counted gzipped).
 * `numiterations` is Zopfli's default (15).
 */
async function zopfliGzip(input: zlib.InputType): Promise<Buffer> {
  const bytes =
    typeof input === 'string'
      ? input
      : input instanceof ArrayBuffer
        ? new Uint8Array(input)
        : new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
  return Buffer.from(await gzipAsync(bytes, { numiterations: 15 }));
}

/** The module react-dsfr's `fr/index.js` imports as `./colors`, replaced by {@link dsfrColorsStub}. */
const DSFR_COLORS = '\0essaim:dsfr-colors';

/**
 * Replaces react-dsfr's `fr.colors` (`fr/colors.js`: the DSFR's colour options and decisions,
 * light and dark, about 7 KB gzipped) by the one value the app reads: `start()` sets the
 * `theme-color` meta from `fr.colors.getHex({ isDark }).decisions.background.default.grey.default`
 * (react-dsfr `useIsDark/client.js`). `fr/colors.js` is imported only by `fr/index.js`, and `fr`
 * by every component, so the tables were in the first page's bundle although no component we
 * render reads them (of react-dsfr's modules only `Tooltip`, `useColors`, `mui`, `tss` and the
 * Next.js helpers do; none is imported by client/src). Values from
 * `fr/generatedFromCss/getColorOptionsHex.js` (`grey._1000_50.default`), react-dsfr 1.33.
 */
function dsfrColorsStub(): Plugin {
  return {
    name: 'essaim:dsfr-colors-stub',
    enforce: 'pre',
    resolveId(source, importer) {
      if (
        source === './colors' &&
        importer &&
        /[\\/]@codegouvfr[\\/]react-dsfr[\\/]fr[\\/]index\.js$/.test(importer)
      )
        return DSFR_COLORS;
      return null;
    },
    load(id) {
      if (id !== DSFR_COLORS) return null;
      return [
        'const hex = (isDark) => ({',
        "  decisions: { background: { default: { grey: { default: isDark ? '#161616' : '#ffffff' } } } },",
        '});',
        'export const colors = { getHex: ({ isDark }) => hex(isDark) };',
      ].join('\n');
    },
  };
}
const gzip = promisify(zlib.gzip);

/** The module that replaces `use-sync-external-store/shim` (see {@link builtinSyncExternalStore}). */
const SYNC_EXTERNAL_STORE = '\0essaim:use-sync-external-store';

/**
 * `use-sync-external-store`'s shim (imported by wouter and @tiptap/react) is a copy of React's
 * `useSyncExternalStore` for React 16 and 17; with React 18 and later it hands back React's own
 * (`cjs/use-sync-external-store-shim.production.js`: `void 0 !== React.useSyncExternalStore ?
 * React.useSyncExternalStore : shim`), but its fallback still weighs ≈ 0.8 KB gzip in the first
 * JavaScript of every page. With React 19 here, `…/shim` is React's hook itself and
 * `…/shim/with-selector` the package's version without the shim (`with-selector.js`, which calls
 * React's hook), as the package's README says for React 18 and later.
 */
function builtinSyncExternalStore(): Plugin {
  return {
    name: 'essaim:builtin-sync-external-store',
    enforce: 'pre',
    async resolveId(source, importer) {
      if (/^use-sync-external-store\/shim(?:\/index(?:\.js)?)?$/.test(source)) return SYNC_EXTERNAL_STORE;
      if (/^use-sync-external-store\/shim\/with-selector(?:\.js)?$/.test(source))
        return this.resolve('use-sync-external-store/with-selector.js', importer, { skipSelf: true });
      return null;
    },
    load(id) {
      return id === SYNC_EXTERNAL_STORE ? "export { useSyncExternalStore } from 'react';" : null;
    },
  };
}

/**
 * Marks Tiptap's own `const X = Node.create({…})` (and `Mark.create`, `Extension.create`) in the
 * published `@tiptap/*` files as pure (`/* @__PURE__ *\/`): such a call only builds an extension
 * object, so an extension the editor never uses is dropped with what only it imports.
 * `treeshake.manualPureFunctions` below names `Extension.create` but does not catch these calls
 * in the libraries' files: `@tiptap/extension-list` kept `TaskItem` and `TaskList` (the schema has
 * no task lists), and `@tiptap/extensions` kept prosemirror-history's plugin keys, hence its
 * classes and rope-sequence (Collaboration brings its own undo). Only declarations at the start of
 * a line are marked, never the examples in the files' doc comments (lines starting with `*`).
 * 3.5 KB gzip of the editor's first JavaScript (bench/bundle.ts, 2026-11-30).
 */
function tiptapPureCreate(): Plugin {
  return {
    name: 'essaim:tiptap-pure-create',
    transform: {
      filter: { id: /[\\/]node_modules[\\/]@tiptap[\\/][^\\/]+[\\/]dist[\\/].*\.js$/ },
      handler(code) {
        const declaration = /^(\s*(?:const|let|var)\s+[\w$]+\s*=\s*)((?:Node|Mark|Extension)\.create\()/gm;
        if (!declaration.test(code)) return null;
        return { code: code.replace(declaration, '$1/* @__PURE__ */ $2'), map: null };
      },
    },
  };
}

/**
 * Brotli and gzip twins of the service worker files (`sw.js`, `workbox-*.js`), at maximum level
 * like every other text file. vite-plugin-pwa writes them in its `closeBundle`, after
 * vite-plugin-compression2 has compressed the bundle and public/, so they are compressed here,
 * once the worker is written (`order: 'post'`).
 */
function precompressServiceWorker(): Plugin {
  let outDir = '';
  return {
    name: 'essaim:precompress-service-worker',
    apply: 'build',
    configResolved(config) {
      outDir = path.resolve(config.root, config.build.outDir);
    },
    closeBundle: {
      order: 'post',
      sequential: true,
      async handler() {
        const files = fs.readdirSync(outDir).filter((f) => /^(?:sw|workbox-[\w-]+)\.js$/.test(f));
        if (!files.includes('sw.js'))
          throw new Error('dist/sw.js absent : le service worker n’a pas été écrit');
        for (const file of files) {
          const source = fs.readFileSync(path.join(outDir, file));
          const [br, gz] = await Promise.all([
            brotli(source, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } }),
            gzip(source, { level: 9 }),
          ]);
          fs.writeFileSync(path.join(outDir, `${file}.br`), br);
          fs.writeFileSync(path.join(outDir, `${file}.gz`), gz);
        }
      },
    },
  };
}

/**
 * The static-import closures (module ids) of the lazy pages a first visit draws: the catalogue and
 * the editor (`src/app/App.tsx`), read from the module graph once it is built (`buildEnd`), for
 * the chunk groups of `build.rolldownOptions.output.codeSplitting` below (whose tests see only a
 * module's id). Empty until the graph is built; a page missing from the graph throws (renamed?).
 */
function pageClosures(pages: Record<string, RegExp>): {
  plugin: Plugin;
  has: (page: string, id: string) => boolean;
} {
  const closures = new Map<string, Set<string>>();
  return {
    has: (page, id) => closures.get(page)?.has(id) === true,
    plugin: {
      name: 'essaim:page-closures',
      apply: 'build',
      buildEnd() {
        const ids = [...this.getModuleIds()];
        for (const [page, pattern] of Object.entries(pages)) {
          const root = ids.find((id) => pattern.test(id));
          if (!root) throw new Error(`page « ${page} » absente du graphe des modules`);
          const seen = new Set<string>();
          const stack = [root];
          for (let id = stack.pop(); id !== undefined; id = stack.pop()) {
            if (seen.has(id)) continue;
            seen.add(id);
            stack.push(...(this.getModuleInfo(id)?.importedIds ?? []));
          }
          closures.set(page, seen);
        }
      },
    },
  };
}

/** zod's own modules. */
const ZOD_PACKAGE = /[\\/]node_modules[\\/]zod[\\/]/;

/**
 * zod and the modules that build schemas with it (those importing zod: `packages/protocol`'s
 * schema modules), read from the module graph once it is built (`buildEnd`). The shell group below
 * leaves them out, so they go with the late panels that parse with them (the history's « Nommer la
 * version », the comments, the review dialogs) and zod stays out of the first drawing (issue 16:
 * 5.6 KB gzipped). The constants and light readers the first pages read are in zod-free modules
 * (protocol/src/inputLimits.ts, catalogueOptions.ts, metadata.ts); a first page importing a
 * schema module brings zod back, which `bench/run.ts bundle` shows.
 */
function schemaModules(): { plugin: Plugin; has: (id: string) => boolean } {
  const modules = new Set<string>();
  return {
    has: (id) => modules.has(id),
    plugin: {
      name: 'essaim:schema-modules',
      apply: 'build',
      buildEnd() {
        for (const id of this.getModuleIds()) {
          const imported = this.getModuleInfo(id)?.importedIds ?? [];
          if (ZOD_PACKAGE.test(id) || imported.some((dep) => ZOD_PACKAGE.test(dep))) modules.add(id);
        }
      },
    },
  };
}

const zodAndSchemas = schemaModules();

/**
 * The modules the page groups below may take: Essaim's client code, `packages/domain` and
 * react-dsfr's components. Not the editor's libraries nor `packages/editor` (reached by the
 * catalogue's closure before tree-shaking through barrels), nor `packages/protocol`, whose
 * modules would bring zod back into the editor's first drawing.
 */
const APP_MODULES =
  /[\\/](?:client[\\/]src|packages[\\/]domain[\\/]src|node_modules[\\/]@codegouvfr[\\/]react-dsfr)[\\/]/;

/** `packages/domain`, reached by every page's closure through its barrel before tree-shaking. */
const DOMAIN_MODULES = /[\\/]packages[\\/]domain[\\/]src[\\/]/;

/**
 * The lazy pages a first visit draws (the login page, the catalogue, the editor), and the
 * notification centre every logged-in page loads.
 */
const firstVisitPages = pageClosures({
  catalogue: /[\\/]src[\\/]features[\\/]catalogue[\\/]CataloguePage\.tsx$/,
  editor: /[\\/]src[\\/]features[\\/]editor[\\/]EditorPage\.tsx$/,
  notifications: /[\\/]src[\\/]features[\\/]comments[\\/]NotificationCentre\.tsx$/,
  login: /[\\/]src[\\/]features[\\/]auth[\\/]LoginPage\.tsx$/,
});

/**
 * The workspace packages are consumed from their TypeScript sources (`@essaim/source` export
 * condition), so the client never waits for `tsc -b` of the packages and always matches them.
 */
export default defineConfig({
  plugins: [
    dsfrColorsStub(),
    tiptapPureCreate(),
    builtinSyncExternalStore(),
    react(),
    // Every text file of dist/ (bundles, index.html, and the DSFR copied from public/) gets a
    // brotli (`.br`) and a gzip (`.gz`) twin at build time, both at maximum level: the server picks
    // one by `Accept-Encoding` (server/src/http/staticClient.ts) and never compresses on the fly.
    // Scripts and stylesheets, the bulk of a first visit, get their gzip twin from Zopfli; the
    // other files (index.html, icons, the web manifest) from zlib.
    compression({
      include: /\.(css|js|mjs)$/,
      algorithms: [defineAlgorithm('brotliCompress'), defineAlgorithm(zopfliGzip, {})],
      logLevel: 'silent',
    }),
    compression({
      include: /\.(html|svg|webmanifest|txt)$/,
      algorithms: [defineAlgorithm('brotliCompress'), defineAlgorithm('gzip')],
      logLevel: 'silent',
    }),
    // The app shell cached by a service worker, so a reload without network opens the app and the
    // local copies of documents (issue 16). `prompt`: a new version waits until the person clicks
    // « Recharger » (src/app/AppUpdate.tsx); it never reloads a page by itself mid-typing.
    VitePWA({
      registerType: 'prompt',
      // Registered from React (src/app/AppUpdate.tsx, `virtual:pwa-register/react`): no inline
      // script the CSP would refuse, no extra registerSW.js.
      injectRegister: false,
      strategies: 'generateSW',
      filename: 'sw.js',
      scope: '/',
      manifestFilename: 'manifest.webmanifest',
      manifest: {
        name: 'Essaim',
        short_name: 'Essaim',
        description: 'Base de connaissances collaborative des pratiques émergentes du HCTS.',
        lang: 'fr',
        dir: 'ltr',
        start_url: '/',
        scope: '/',
        display: 'standalone',
        theme_color: '#000091',
        background_color: '#ffffff',
        icons: [
          { src: '/dsfr/favicon/favicon.svg', sizes: 'any', type: 'image/svg+xml' },
          { src: '/dsfr/favicon/apple-touch-icon.png', sizes: '180x180', type: 'image/png' },
        ],
      },
      workbox: {
        // The shell: the page, every script and stylesheet of the build (lazy pages and the
        // editor included, so a document opens offline), the DSFR stylesheets, icons and fonts
        // (woff2 only: every supported browser takes it first); the manifest and its icons are
        // added by the plugin (`includeManifestIcons`). Never the `.br`/`.gz` twins (the
        // server negotiates them) nor the build manifest.
        globPatterns: [
          'index.html',
          'assets/**/*.{js,css,svg}',
          'dsfr/dsfr.min.css',
          'dsfr/utility/icons/icons.min.css',
          'dsfr/icons/**/*.svg',
          'dsfr/fonts/*.woff2',
        ],
        globIgnores: ['**/*.br', '**/*.gz', '**/*.map', '.vite/**'],
        // The editor chunk is about 0.7 MB raw; the default limit (2 MiB) leaves room, stated here
        // so a larger chunk fails the build's check rather than silently leaving the shell.
        maximumFileSizeToCacheInBytes: 3 * 1024 * 1024,
        // Hashed names need no revision: the browser's HTTP cache (immutable) can fill the precache.
        dontCacheBustURLsMatching: /^assets\//,
        // index.html links the DSFR files with `?v=1.14.2` and `?hash=…`: the same cached file.
        ignoreURLParametersMatching: [/^v$/, /^hash$/],
        navigateFallback: '/index.html',
        navigateFallbackAllowlist: APP_SHELL_ROUTES,
        navigateFallbackDenylist: SERVER_ANSWERED_PATHS,
        // No runtime caching: an API answer, a file, an export, a portal page is never answered
        // by the worker, online or offline (a request it does not precache goes to the network).
        runtimeCaching: [],
        cleanupOutdatedCaches: true,
        // The new worker waits for « Recharger » (a SKIP_WAITING message), then takes the open
        // pages. The first install controls the page at once (nothing older to replace).
        skipWaiting: false,
        clientsClaim: true,
        // Same rule as the bundles: no source map is written.
        sourcemap: false,
      },
    }),
    precompressServiceWorker(),
    firstVisitPages.plugin,
    zodAndSchemas.plugin,
  ],
  resolve: {
    conditions: ['@essaim/source', ...defaultClientConditions],
  },
  server: {
    port: 5173,
    strictPort: true,
    proxy: {
      '/api': { target: 'http://127.0.0.1:3000', changeOrigin: false },
      '/collab': { target: 'ws://127.0.0.1:3000', ws: true },
    },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // The polyfill is an inline <script>: the strict CSP (script-src 'self') would block it, and
    // every browser we support preloads modules natively.
    modulePreload: { polyfill: false },
    // No asset may become an inline `data:` script or style the CSP would refuse.
    assetsInlineLimit: 0,
    // Production bundles carry no source map: none is written, so none can be served, and no
    // bundle ends with a `sourceMappingURL` comment (issue 16: 2.9 MB of maps were public). Set
    // SOURCEMAP=hidden for a build whose maps stay on the machine (never deployed, still refused
    // by the server).
    sourcemap: process.env.SOURCEMAP === 'hidden' ? 'hidden' : false,
    // dist/.vite/manifest.json: the chunks of each entry and lazy page, read by bench/bundle.ts to
    // sum what each route downloads before its first paint.
    manifest: true,
    rolldownOptions: {
      output: {
        codeSplitting: {
          groups: [
            // Every module the entry imports statically (rolldown's `$initial` tag: the shell, the
            // login and catalogue pages, React, react-dsfr's components) in one chunk beside the
            // entry. Left to itself rolldown cuts what the entry shares with the lazy pages into
            // small chunks (19 files before the catalogue could draw, 2026-11-30), each one more
            // request on a slow line; a lazy page imports this chunk, already loaded, instead.
            // Not zod nor the modules building schemas with it (see schemaModules); zod in one chunk
            // of its own, which only the late chunks import.
            { name: 'zod', test: ZOD_PACKAGE, priority: 3 },
            { name: 'shell', tags: ['$initial'], test: (id) => !zodAndSchemas.has(id), priority: 2 },
            // The small helpers the login page (a lazy page since 2026-12-01: the editor's budget)
            // shares with the catalogue or the editor (the DSFR's Input, FormAlert, DataTable…), in
            // a chunk of their own: left to the groups below they were in the catalogue's chunks,
            // and the login page loaded those (113.5 KB gzip instead of 98; 2.2 s instead of 1.75 s
            // on the throttled line). Not the domain: reached through its barrel, not used there.
            {
              name: 'login-shared',
              test: (id) =>
                APP_MODULES.test(id) &&
                !DOMAIN_MODULES.test(id) &&
                firstVisitPages.has('login', id) &&
                ['catalogue', 'editor', 'notifications'].some((page) => firstVisitPages.has(page, id)),
              priority: 2,
              includeDependenciesRecursively: false,
            },
            // The catalogue and the editor are lazy pages: rolldown's default split cut what they
            // share with each other and with the other pages into one small chunk per set of
            // importers (22 files before the catalogue could draw, whose first visit on the
            // throttled line was 0.35 s slower for fewer bytes). What both pages import is one
            // chunk; what the catalogue shares with other pages (not with the editor, nor with the
            // notification centre, which every page loads at start) another. The closures are
            // read before tree-shaking, so these groups take only the modules they name
            // (`includeDependenciesRecursively: false`), never a library behind them.
            {
              name: 'pages-common',
              test: (id) =>
                APP_MODULES.test(id) &&
                firstVisitPages.has('catalogue', id) &&
                firstVisitPages.has('editor', id),
              priority: 1,
              includeDependenciesRecursively: false,
            },
            {
              name: 'catalogue-deps',
              test: (id) =>
                APP_MODULES.test(id) &&
                firstVisitPages.has('catalogue', id) &&
                !['editor', 'notifications'].some((page) => firstVisitPages.has(page, id)),
              minShareCount: 2,
              includeDependenciesRecursively: false,
            },
          ],
        },
      },
      treeshake: {
        // Building a zod schema has no side effect: a schema of @essaim/protocol the page never
        // uses is dropped, and zod with it when no page uses one (the late panels do: zod and the
        // schema modules are then kept out of the first pages' chunks, see schemaModules).
        // `themeLabel` is a schema that
        // protocol/src/catalogue.ts derives others from (`themeLabel.optional()`); bench/bundle.ts
        // shows zod coming back into the first page if another such name appears. The factories of
        // protocol/src/inputRules.ts and inputLimits.ts build schemas or messages, nothing else.
        manualPureFunctions: [
          'z',
          'themeLabel',
          'singleLineText',
          'queryInteger',
          'tooLongMessage',
          'invisibleCharactersMessage',
          'frenchNumber',
          'emailCheck',
          'queryId',
          'shortText',
          // Tiptap's `Extension.create(config)` only builds an object: an extension no one uses is
          // dropped with what it imports (`@tiptap/extensions` defines `UndoRedo`, which brings
          // prosemirror-history's plugin, beside the drop and gap cursors the schema uses; a few
          // of that module's classes stay).
          'Extension.create',
        ],
      },
    },
  },
});
