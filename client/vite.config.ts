import react from '@vitejs/plugin-react';
import { defaultClientConditions, defineConfig } from 'vite';
import { compression, defineAlgorithm } from 'vite-plugin-compression2';

/**
 * The workspace packages are consumed from their TypeScript sources (`@essaim/source` export
 * condition), so the client never waits for `tsc -b` of the packages and always matches them.
 */
export default defineConfig({
  plugins: [
    react(),
    // Every text file of dist/ (bundles, index.html, and the DSFR copied from public/) gets a
    // brotli (`.br`) and a gzip (`.gz`) twin at build time, both at maximum level: the server picks
    // one by `Accept-Encoding` (server/src/http/staticClient.ts) and never compresses on the fly.
    compression({
      include: /\.(html|css|js|mjs|svg|webmanifest|txt)$/,
      algorithms: [defineAlgorithm('brotliCompress'), defineAlgorithm('gzip')],
      logLevel: 'silent',
    }),
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
      treeshake: {
        // Building a zod schema has no side effect: a schema of @essaim/protocol the page never
        // uses is dropped, and zod with it when a page uses none (the catalogue imports constants
        // from modules that also declare schemas). `themeLabel` is a schema that
        // protocol/src/catalogue.ts derives others from (`themeLabel.optional()`); bench/bundle.ts
        // shows zod coming back into the first page if another such name appears.
        manualPureFunctions: ['z', 'themeLabel'],
      },
    },
  },
});
