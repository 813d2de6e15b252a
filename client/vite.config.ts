import react from '@vitejs/plugin-react';
import { defaultClientConditions, defineConfig } from 'vite';

/**
 * The workspace packages are consumed from their TypeScript sources (`@essaim/source` export
 * condition), so the client never waits for `tsc -b` of the packages and always matches them.
 */
export default defineConfig({
  plugins: [react()],
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
    sourcemap: true,
  },
});
