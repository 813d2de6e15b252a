/// <reference types="vite-plugin-pwa/react" />
import { useCallback, useEffect, useRef, useState } from 'react';
import { useRegisterSW } from 'virtual:pwa-register/react';

/**
 * How often an open page asks the server whether a new version was deployed, in milliseconds.
 * The browser also checks at every navigation and reload; this covers a person who keeps one
 * document open all day. Skipped while the browser says it is offline.
 */
export const UPDATE_CHECK_INTERVAL_MS = 30 * 60 * 1000;

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
 * - the server is asked for a new `sw.js` at each navigation, every
 *   {@link UPDATE_CHECK_INTERVAL_MS} and when the tab becomes visible again.
 *
 * In development (`vite`), vite-plugin-pwa provides an inert module: no worker, nothing reported.
 */
export function useServiceWorkerUpdate(): ServiceWorkerUpdate {
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

/** Asks the server for a new `sw.js` on a clock and when the tab comes back to the foreground. */
function watchForUpdates(registration: ServiceWorkerRegistration): void {
  const check = () => {
    if (!navigator.onLine || registration.installing) return;
    // Offline or server down: the next check tries again; nothing to report.
    registration.update().catch(() => undefined);
  };
  window.setInterval(check, UPDATE_CHECK_INTERVAL_MS);
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible') check();
  });
}
