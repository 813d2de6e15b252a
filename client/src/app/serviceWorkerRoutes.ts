/**
 * Which navigations the service worker may answer with the app shell (issue 16, « an app that
 * opens offline »). Read by client/vite.config.ts, which writes both lists into `dist/sw.js`
 * (Workbox `navigateFallbackAllowlist` / `navigateFallbackDenylist`), and by the tests that read
 * the built worker. No other request is ever answered by the worker from a cache except the
 * precached build files themselves: there is no runtime caching at all.
 *
 * A navigation gets the cached `index.html` only when its path matches the allowlist AND none of
 * the denylist. The allowlist follows the routes of `App.tsx`: a route added there without being
 * added here simply does not open offline (the browser asks the server, as before). The denylist
 * names everything the server renders or answers itself, so that a server page can never be
 * shadowed by the shell even if an allowlist entry grew too wide.
 */

/**
 * Client-side routes of `App.tsx` (`/`, `/connexion`, `/espaces/:id/...`, `/documents/:id`...),
 * matched on the path (Workbox tests `pathname + search`).
 */
export const APP_SHELL_ROUTES: RegExp[] = [
  /^\/(?:\?.*)?$/,
  /^\/(?:connexion|premiere-installation|mot-de-passe-oublie|accessibilite|espaces|administration)(?:[/?].*)?$/,
  /^\/(?:reinitialisation|invitation|documents)\/[^/?]+(?:\?.*)?$/,
];

/**
 * What the server answers itself and the worker must never answer: the REST API (`/api/*`, files
 * under `/api/files`, exports and kits under `/api/...`), the collaboration websocket (`/collab`),
 * the public portal with its pages, feeds, images, exports and kit (`/pratiques`,
 * server-rendered: server/src/portal/, server/src/http/exportsRouter.ts), and the static files
 * (`/assets`, `/dsfr`, `/sw.js`...) opened directly.
 */
export const SERVER_ANSWERED_PATHS: RegExp[] = [
  /^\/api(?:[/?]|$)/,
  /^\/collab(?:[/?]|$)/,
  /^\/pratiques(?:[/?]|$)/,
  /^\/assets\//,
  /^\/dsfr\//,
  /^\/[^/?]+\.[a-z0-9]+(?:\?.*)?$/i,
];
