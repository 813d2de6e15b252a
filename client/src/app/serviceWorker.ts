/// <reference types="vite-plugin-pwa/react" />
import { useCallback, useEffect, useRef, useState } from 'react';
import { useLocation } from 'wouter';
import { useRegisterSW } from 'virtual:pwa-register/react';

/**
 * How often an open page asks the server whether a new version was deployed, in milliseconds.
 * The browser also checks at every navigation and reload; this covers a person who keeps one
 * document open all day. Skipped while the browser says it is offline.
 */
export const UPDATE_CHECK_INTERVAL_MS = 30 * 60 * 1000;

/**
 * Least time between two checks made because the person moved from page to page inside the app
 * (milliseconds): a move between pages of the app is no navigation for the browser, which then
 * checks nothing (tester BR30: a new version was noticed only at a full reload). One minute keeps
 * a person clicking through the catalogue from asking for `sw.js` at every click.
 */
export const UPDATE_CHECK_ON_MOVE_MS = 60 * 1000;

/** What {@link useServiceWorkerUpdate} tells the page. */
export interface ServiceWorkerUpdate {
  /** A new version is installed and waits for the person's consent (or already runs elsewhere). */
  available: boolean;
  /** The person accepted: the new version takes over, then this page reloads on it. */
  reload: () => void;
}

/**
 * Registers the service worker of the app shell (`/sw.js`, scope `/`, written by vite-plugin-pwa
 * in `prompt` mode: client/vite.config.ts) once the page has loaded, so the first visit downloads
 * the page before the shell; then reports when a newer worker waits.
 *
 * Rules (issue 16: a rapporteur never loses a keystroke because the app reloaded itself):
 * - a new version never takes over by itself: it waits until {@link ServiceWorkerUpdate.reload}
 *   sends it `SKIP_WAITING`; only then, once it controls the page, does this page reload;
 * - when the person accepts in ANOTHER tab, the new worker takes this tab too, but this tab does
 *   not reload: it keeps offering « Recharger », which then only reloads;
 * - the server is asked for a new `sw.js` at each full navigation (by the browser), at a move
 *   between the app's pages (at most every {@link UPDATE_CHECK_ON_MOVE_MS}), every
 *   {@link UPDATE_CHECK_INTERVAL_MS}, when the tab becomes visible again and when the network
 *   comes back.
 *
 * In development (`vite`), vite-plugin-pwa provides an inert module: no worker, nothing reported.
 */
export function useServiceWorkerUpdate(): ServiceWorkerUpdate {
  const [location] = useLocation();
  const acceptedHere = useRef(false);
  const offered = useRef(false);
  const [activatedElsewhere, setActivatedElsewhere] = useState(false);
  const {
    needRefresh: [needRefresh],
    updateServiceWorker,
  } = useRegisterSW({
    // Registered at the window's `load` event: the shell's downloads never compete with the
    // first page's own.
    immediate: false,
    onNeedRefresh() {
      offered.current = true;
    },
    // Given so that vite-plugin-pwa never reloads by itself (its default when a new worker takes
    // the page); the takeover is handled below, for every way an update is found.
    onNeedReload() {},
    onRegisteredSW(_url, registration) {
      if (registration) watchForUpdates(registration);
    },
    onRegisterError(error: unknown) {
      // Without a worker the app works as before, online only: nothing to tell the person.
      console.warn('Service worker non enregistré :', error);
    },
  });

  // Each move to another page of the app (the first drawing excepted: the browser checked it).
  const firstLocation = useRef(location);
  useEffect(() => {
    if (location !== firstLocation.current) checkSoon(UPDATE_CHECK_ON_MOVE_MS);
  }, [location]);

  useEffect(() => {
    if (!('serviceWorker' in navigator)) return;
    // A new worker took this page: reload if the person asked for it here; if it was accepted in
    // another tab, keep the page as it is and keep offering the reload. (The first worker of a
    // first visit also takes the page, with nothing offered: nothing to do.)
    const onControllerChange = () => {
      if (acceptedHere.current) window.location.reload();
      else if (offered.current) setActivatedElsewhere(true);
    };
    navigator.serviceWorker.addEventListener('controllerchange', onControllerChange);
    return () => navigator.serviceWorker.removeEventListener('controllerchange', onControllerChange);
  }, []);

  const reload = useCallback(() => {
    acceptedHere.current = true;
    void (async () => {
      const registration = await navigator.serviceWorker.getRegistration();
      // Already running (accepted in another tab): only this page is still on the old version.
      if (activatedElsewhere || !registration?.waiting) {
        window.location.reload();
        return;
      }
      // The waiting worker gets SKIP_WAITING, activates, claims the page: `controllerchange`.
      await updateServiceWorker();
    })();
  }, [activatedElsewhere, updateServiceWorker]);

  return { available: needRefresh || activatedElsewhere, reload };
}

/** The registration being watched, once the worker is registered ({@link watchForUpdates}). */
let watched: ServiceWorkerRegistration | undefined;
/** When the server was last asked for `sw.js` (ms since the epoch). */
let lastCheck = 0;

/**
 * Asks the server for a new `sw.js`, unless it was asked less than `minIntervalMs` ago, the
 * browser is offline, or a new worker is already installing. Offline or server down: the next
 * check tries again; nothing to report.
 */
function checkSoon(minIntervalMs: number): void {
  const registration = watched;
  if (!registration || !navigator.onLine || registration.installing) return;
  if (Date.now() - lastCheck < minIntervalMs) return;
  lastCheck = Date.now();
  registration.update().catch(() => undefined);
}

/**
 * Asks the server for a new `sw.js` on a clock, when the tab comes back to the foreground, when
 * the network comes back, and (see {@link useServiceWorkerUpdate}) when the person moves to
 * another page of the app.
 */
function watchForUpdates(registration: ServiceWorkerRegistration): void {
  watched = registration;
  window.setInterval(() => checkSoon(0), UPDATE_CHECK_INTERVAL_MS);
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible') checkSoon(0);
  });
  window.addEventListener('online', () => checkSoon(0));
}
