/**
 * Where each page was scrolled, given back after « précédent », « suivant » and a reload, once the
 * page is tall enough to be scrolled there.
 *
 * The browser's own restoration (`history.scrollRestoration = 'auto'`) scrolls as soon as the
 * history entry changes, before a page that loads its content (the catalogue's cards) has drawn
 * it: back from a document, the catalogue came back at 126 px instead of 1,500 (tester BR26,
 * 2026-11-30). So restoration is manual: the position of each address (path and query) is noted
 * as the person scrolls, kept in `sessionStorage` for a reload, and given back by
 * {@link restoreScroll}, which waits, frame after frame for at most {@link RESTORE_WAIT_MS}, for
 * the page to be tall enough, and gives up as soon as the person scrolls, types or clicks.
 */

/** How long a restoration waits for the page to grow, in ms (a slow line's answer included). */
export const RESTORE_WAIT_MS = 5000;

const STORAGE_KEY = 'essaim:scroll';
/** At most this many addresses are remembered (the oldest forgotten first). */
const MAX_ADDRESSES = 50;

const addressOf = (location: Location): string => location.pathname + location.search;

function readStored(): Map<string, number> {
  try {
    const stored: unknown = JSON.parse(sessionStorage.getItem(STORAGE_KEY) ?? '[]');
    if (!Array.isArray(stored)) return new Map();
    return new Map(
      stored.filter(
        (entry): entry is [string, number] =>
          Array.isArray(entry) && typeof entry[0] === 'string' && typeof entry[1] === 'number',
      ),
    );
  } catch {
    return new Map();
  }
}

const positions = readStored();
let noteScheduled = false;
let stopRestoring: (() => void) | null = null;

function note(): void {
  noteScheduled = false;
  const address = addressOf(window.location);
  positions.delete(address);
  positions.set(address, Math.round(window.scrollY));
  while (positions.size > MAX_ADDRESSES) positions.delete(positions.keys().next().value as string);
}

/**
 * Takes scroll restoration from the browser and starts noting positions; on a reload or a
 * back/forward into the app, gives the noted position back. Called once, as the app starts.
 */
export function startScrollRestoration(): void {
  if (!('scrollRestoration' in history)) return;
  history.scrollRestoration = 'manual';
  window.addEventListener(
    'scroll',
    () => {
      if (noteScheduled) return;
      noteScheduled = true;
      requestAnimationFrame(note);
    },
    { passive: true },
  );
  window.addEventListener('pagehide', () => {
    try {
      sessionStorage.setItem(STORAGE_KEY, JSON.stringify([...positions]));
    } catch {
      // Private mode or a full storage: a reload then opens at the top, as before.
    }
  });
  const navigation = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined;
  if (navigation?.type === 'reload' || navigation?.type === 'back_forward') restoreScroll();
}

/**
 * Scrolls the page to where it was last seen at the current address, as soon as it is tall
 * enough (or to its end after {@link RESTORE_WAIT_MS}); nothing when the address was never
 * scrolled. A restoration under way is cancelled by the next, and by the person's own scrolling.
 */
export function restoreScroll(): void {
  stopRestoring?.();
  const target = positions.get(addressOf(window.location));
  if (target === undefined || target <= 0) return;
  const started = performance.now();
  let frame = 0;
  const inputs = ['wheel', 'touchstart', 'keydown', 'mousedown'] as const;
  const stop = () => {
    cancelAnimationFrame(frame);
    for (const input of inputs) window.removeEventListener(input, stop);
    if (stopRestoring === stop) stopRestoring = null;
  };
  for (const input of inputs) window.addEventListener(input, stop, { passive: true });
  stopRestoring = stop;
  const attempt = () => {
    const room = document.documentElement.scrollHeight - window.innerHeight;
    if (room >= target || performance.now() - started > RESTORE_WAIT_MS) {
      window.scrollTo(0, Math.min(target, room));
      stop();
      return;
    }
    frame = requestAnimationFrame(attempt);
  };
  attempt();
}
