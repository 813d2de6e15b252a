import type { Page } from 'playwright-core';
import type { OpenMarks } from './pageTiming.js';

/**
 * The open marks of `bench/comments.ts` (see `OpenMarks` in pageTiming.ts) for an editor that paints
 * the commented words either as decoration spans (`.essaim-comment`) or with the CSS Custom
 * Highlight API (ranges in `CSS.highlights`, no element in the DOM: client/src/features/comments/
 * highlightPainter.ts). Every time is the page's `performance.now()` since navigation.
 *
 * The text marks come from a MutationObserver installed before the page's
 * scripts. Custom highlights change no DOM node, so they are counted once per animation frame: in
 * each frame's callbacks a task is queued, which runs after the frame is painted; it counts the
 * ranges registered then (by the page's own frame callback, or by a task before the frame): the
 * « painted » mark is that task's time. A range registered by a task running between the paint and
 * that task would be counted one frame early (the page registers them in frame callbacks).
 *
 * The editor registers custom highlights only for the words near the screen (highlightPainter.ts,
 * `screenRange`), all of them in one frame: with custom highlights, « highlights painted » is the
 * first frame painted with any registered, and `count` how many were (the threads near the screen),
 * not the `expected` total, which only spans reach.
 */

/** The highlights of the threads' words: open, resolved, active (the overlap layer repeats words). */
export const THREAD_HIGHLIGHTS = ['essaim-comment', 'essaim-comment-resolved', 'essaim-comment-active'];

interface MarkState extends OpenMarks {
  expected: number;
  endMark: string;
  /** How the page painted the highlights: `css`, `spans`, or null before any was seen. */
  paint: 'css' | 'spans' | null;
}

declare global {
  interface Window {
    __essaimHighlightOpen?: MarkState;
  }
}

/** What {@link openMarks} returns: the open marks and how the highlights were painted. */
export type HighlightOpenMarks = OpenMarks & { paint: 'css' | 'spans' | null };

/**
 * Installs the open marks in `page` (before its scripts, at each navigation): the editor
 * (`.ProseMirror`) must show `endMark` in its last section, and `expected` highlighted threads
 * (0: no highlight mark) as spans, or its custom highlights near the screen.
 */
export async function installOpenMarks(page: Page, expected: number, endMark: string): Promise<void> {
  // tsx compiles with esbuild's `keepNames`, whose `__name(fn, name)` calls travel with the
  // functions sent to the page: give the page that helper, doing nothing.
  await page.addInitScript({ content: 'globalThis.__name ??= (f) => f;' });
  await page.addInitScript(
    ({ expected: wanted, endMark: last, layers }) => {
      const state: MarkState = {
        expected: wanted,
        endMark: last,
        text: null,
        textPainted: null,
        highlights: null,
        highlightsPainted: null,
        panel: null,
        count: 0,
        threadsResponse: null,
        longTasksMs: 0,
        paint: null,
      };
      window.__essaimHighlightOpen = state;
      try {
        new PerformanceObserver((list) => {
          for (const entry of list.getEntries()) state.longTasksMs += entry.duration;
        }).observe({ type: 'longtask', buffered: true });
      } catch {
        // No Long Tasks API: the sum stays 0.
      }
      const afterPaint = (set: (t: number) => void): void => {
        requestAnimationFrame(() => setTimeout(() => set(performance.now()), 0));
      };
      const highlightCount = (): number => {
        const registry = (globalThis as { CSS?: { highlights?: Map<string, Set<unknown>> } }).CSS?.highlights;
        if (!registry) return 0;
        let n = 0;
        for (const name of layers) n += registry.get(name)?.size ?? 0;
        return n;
      };
      let spans: HTMLCollectionOf<Element> | null = null;
      const items = document.getElementsByClassName('essaim-thread');
      const done = (): boolean =>
        state.text !== null &&
        (state.expected === 0 || (state.highlightsPainted !== null && state.panel !== null));
      const check = (): void => {
        if (state.panel === null && state.expected > 0 && items.length >= state.expected)
          state.panel = performance.now();
        const root = document.querySelector('.ProseMirror');
        if (!root) return;
        if (state.text === null && (root.lastElementChild?.textContent ?? '').includes(state.endMark)) {
          state.text = performance.now();
          afterPaint((t) => (state.textPainted = t));
        }
        spans ??= root.getElementsByClassName('essaim-comment');
        if (spans.length > 0) state.paint = 'spans';
        state.count = Math.max(state.count, spans.length);
        if (state.highlights === null && state.expected > 0 && spans.length >= state.expected) {
          state.highlights = performance.now();
          afterPaint((t) => (state.highlightsPainted = t));
        }
      };
      // Custom highlights: counted after each painted frame until every one is there.
      const frame = (): void => {
        setTimeout(() => {
          const n = highlightCount();
          if (n > 0) {
            state.paint ??= 'css';
            state.count = Math.max(state.count, n);
          }
          if (state.highlights === null && state.expected > 0 && n > 0) {
            state.highlights = performance.now();
            state.highlightsPainted = state.highlights;
          }
        }, 0);
        if (state.highlights === null && state.expected > 0) requestAnimationFrame(frame);
      };
      requestAnimationFrame(frame);
      // Stopped once every mark is taken: the live collections it reads are recounted after each
      // DOM change, a cost the page would otherwise carry into the typing runs.
      const observer = new MutationObserver(() => {
        check();
        if (done()) observer.disconnect();
      });
      const start = (): void =>
        observer.observe(document.documentElement, {
          childList: true,
          subtree: true,
          characterData: true,
          attributes: true,
          attributeFilter: ['class'],
        });
      if (document.documentElement) start();
      else document.addEventListener('readystatechange', start, { once: true });
    },
    { expected, endMark, layers: THREAD_HIGHLIGHTS },
  );
}

/** Waits (up to `timeoutMs`) for the page's marks to be complete and returns them. */
export async function openMarks(page: Page, timeoutMs: number): Promise<HighlightOpenMarks> {
  await page.waitForFunction(
    () => {
      const s = window.__essaimHighlightOpen;
      return !!s && s.textPainted !== null && (s.expected === 0 || s.highlightsPainted !== null);
    },
    undefined,
    { timeout: timeoutMs, polling: 50 },
  );
  return page.evaluate(() => {
    const s = window.__essaimHighlightOpen as MarkState;
    const threads = performance
      .getEntriesByType('resource')
      .find((e) => /\/api\/documents\/[^/]+\/threads/.test(e.name)) as PerformanceResourceTiming | undefined;
    return {
      text: s.text,
      textPainted: s.textPainted,
      highlights: s.highlights,
      highlightsPainted: s.highlightsPainted,
      panel: s.panel,
      count: s.count,
      threadsResponse: threads ? threads.responseEnd : null,
      longTasksMs: s.longTasksMs,
      paint: s.paint,
    };
  });
}
