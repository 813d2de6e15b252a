import type { Page } from 'playwright-core';

/**
 * Timing marks taken inside a Chromium page of the editor, for `bench/comments.ts`. Every time is
 * `performance.now()` of the page, in ms since the navigation started (its time origin), except
 * the typing records, which are `performance.timeOrigin + performance.now()` (ms since the Unix
 * epoch, sub-millisecond) so that two pages of the same machine can be compared.
 *
 * The marks come from a MutationObserver installed before any script of the page runs
 * ({@link installOpenMarks}): it looks at the editor after each batch of DOM changes, so a mark is
 * the end of the task that changed the DOM; the "painted" marks are taken in a task queued from the
 * next animation frame, that is after the frame that shows the change.
 */

/** What {@link installOpenMarks} records while a document opens. */
export interface OpenMarks {
  /** The last paragraph of the document ({@link END_MARK}) is in the editor's DOM. */
  text: number | null;
  textPainted: number | null;
  /** The editor's DOM holds `expected` highlighted spans (`.essaim-comment`); null when 0 expected. */
  highlights: number | null;
  highlightsPainted: number | null;
  /** The comments panel lists `expected` threads (`li.essaim-thread`); null when 0 expected. */
  panel: number | null;
  /** Highlighted spans seen last. */
  count: number;
  /** `responseEnd` of the page's `GET /api/documents/:id/threads`, as the page's resource timing has it. */
  threadsResponse: number | null;
  /** Sum of the long tasks (> 50 ms, Long Tasks API) from navigation to the last mark. */
  longTasksMs: number;
}

interface MarkState extends OpenMarks {
  expected: number;
  endMark: string;
}

declare global {
  interface Window {
    __essaimOpen?: MarkState;
    __essaimTyping?: TypingState;
  }
}

/**
 * Installs the open marks in every page of `page`'s context opened after this call (Playwright's
 * init script): the editor (`.ProseMirror`) must show `endMark` in its last section, and
 * `expected` highlighted spans (0: no highlight mark).
 */
export async function installOpenMarks(page: Page, expected: number, endMark: string): Promise<void> {
  // tsx compiles with esbuild's `keepNames`, whose `__name(fn, name)` calls travel with the
  // functions sent to the page: give the page that helper, doing nothing.
  await page.addInitScript({ content: 'globalThis.__name ??= (f) => f;' });
  await page.addInitScript(
    ({ expected: wanted, endMark: last }) => {
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
      };
      window.__essaimOpen = state;
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
      let spans: HTMLCollectionOf<Element> | null = null;
      const items = document.getElementsByClassName('essaim-thread');
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
        state.count = spans.length;
        if (state.highlights === null && state.expected > 0 && state.count >= state.expected) {
          state.highlights = performance.now();
          afterPaint((t) => (state.highlightsPainted = t));
        }
      };
      // Stopped once every mark is taken: the live collections it reads are recounted after each
      // DOM change, a cost the page would otherwise carry into the typing runs.
      const observer = new MutationObserver(() => {
        check();
        if (
          state.text !== null &&
          (state.expected === 0 || (state.highlights !== null && state.panel !== null))
        )
          observer.disconnect();
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
    { expected, endMark },
  );
}

/** Waits (up to `timeoutMs`) for the page's marks to be complete and returns them. */
export async function openMarks(page: Page, timeoutMs: number): Promise<OpenMarks> {
  await page.waitForFunction(
    () => {
      const s = window.__essaimOpen;
      return !!s && s.textPainted !== null && (s.expected === 0 || s.highlightsPainted !== null);
    },
    undefined,
    { timeout: timeoutMs, polling: 50 },
  );
  return page.evaluate(() => {
    const s = window.__essaimOpen as MarkState;
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
    };
  });
}

/** What a page records while someone types (see {@link startTypingRecords}). */
interface TypingState {
  /** Epoch ms of each printable keydown (typist only). */
  keys: number[];
  /** Epoch ms and length of the typing paragraph, each time it changed. */
  lengths: [number, number][];
  /** Sum and number of the page's long tasks (> 50 ms) since the records started. */
  longTasksMs: number;
  longTasks: number;
}

/**
 * Starts recording, in an open editor page, the length of the typing paragraph (the first
 * paragraph of the second section, text of the other people's carets left out) each time the DOM
 * changes, and, when `keys`, the time of each printable key pressed in the page (capture phase,
 * before the editor sees it). Returns the paragraph's length now.
 */
export function startTypingRecords(page: Page, keys: boolean): Promise<number> {
  return page.evaluate((withKeys) => {
    const root = document.querySelector('.ProseMirror') as HTMLElement;
    const now = (): number => performance.timeOrigin + performance.now();
    // The paragraph is looked for again only when it left the DOM (a query of the whole 100-page
    // text at each DOM change would be the benchmark's own cost, larger with highlights).
    let found: Element | null = null;
    const lengthNow = (): number => {
      if (!found?.isConnected)
        found = root.querySelectorAll('section.essaim-section')[1]?.querySelector('p') ?? null;
      const paragraph = found;
      if (!paragraph) return -1;
      let n = 0;
      const walker = document.createTreeWalker(paragraph, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode())
        if (!node.parentElement?.closest('.collaboration-carets__caret')) n += node.textContent?.length ?? 0;
      return n;
    };
    const state: TypingState = { keys: [], lengths: [], longTasksMs: 0, longTasks: 0 };
    window.__essaimTyping = state;
    try {
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) {
          state.longTasksMs += entry.duration;
          state.longTasks++;
        }
      }).observe({ type: 'longtask' });
    } catch {
      // No Long Tasks API: the sums stay 0.
    }
    let last = lengthNow();
    new MutationObserver(() => {
      const length = lengthNow();
      if (length !== last) state.lengths.push([now(), length]);
      last = length;
    }).observe(root, { childList: true, subtree: true, characterData: true });
    if (withKeys)
      window.addEventListener(
        'keydown',
        (event) => {
          if (event.key.length === 1) state.keys.push(now());
        },
        { capture: true },
      );
    return last;
  }, keys);
}

/** The records of {@link startTypingRecords}. */
export type TypingRecords = TypingState;

/** The records of {@link startTypingRecords}. */
export function typingRecords(page: Page): Promise<TypingState> {
  return page.evaluate(
    () => window.__essaimTyping ?? { keys: [], lengths: [], longTasksMs: 0, longTasks: 0 },
  );
}

/**
 * The latency of each keystroke as seen on a page: for the i-th key (epoch ms in `keys`), the
 * first record where the paragraph reached `base + i + 1` characters, minus the key's time. Keys
 * never seen are left out (their number is `keys.length - result.length`).
 */
export function keyLatencies(
  keys: readonly number[],
  lengths: readonly [number, number][],
  base: number,
): number[] {
  const out: number[] = [];
  let r = 0;
  for (let i = 0; i < keys.length; i++) {
    while (r < lengths.length && (lengths[r] as [number, number])[1] < base + i + 1) r++;
    const record = lengths[r];
    if (!record) break;
    out.push(record[0] - (keys[i] as number));
  }
  return out;
}

/** One function's share of a CPU profile: self time in ms, and where it is. */
export interface ProfileEntry {
  selfMs: number;
  name: string;
  where: string;
}

interface CpuProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  hitCount?: number;
}

interface CpuProfile {
  nodes: CpuProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
}

/**
 * Starts Chromium's sampling profiler (CDP `Profiler`, 100 µs interval) on `page`, before it
 * navigates. `stop()` ends it and returns the `top` functions by self time (ms, summed over
 * every node of the same function), the idle and GC pseudo-functions included.
 */
export async function startProfile(page: Page): Promise<{ stop: (top?: number) => Promise<ProfileEntry[]> }> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
  await cdp.send('Profiler.start');
  return {
    stop: async (top = 25) => {
      const { profile } = (await cdp.send('Profiler.stop')) as unknown as { profile: CpuProfile };
      await cdp.detach();
      const hits = new Map<number, number>();
      for (const id of profile.samples ?? []) hits.set(id, (hits.get(id) ?? 0) + 1);
      const samples = profile.samples?.length ?? 0;
      const msPerSample = samples > 0 ? (profile.endTime - profile.startTime) / 1000 / samples : 0;
      const byFunction = new Map<string, ProfileEntry>();
      for (const node of profile.nodes) {
        const { functionName, url, lineNumber, columnNumber } = node.callFrame;
        const name = functionName || '(anonyme)';
        const where = url ? `${url.replace(/^.*\//, '')}:${lineNumber + 1}:${columnNumber + 1}` : '';
        const key = `${name} ${where}`;
        const entry = byFunction.get(key) ?? { selfMs: 0, name, where };
        entry.selfMs += (hits.get(node.id) ?? 0) * msPerSample;
        byFunction.set(key, entry);
      }
      return [...byFunction.values()]
        .sort((a, b) => b.selfMs - a.selfMs)
        .slice(0, top)
        .map((e) => ({ ...e, selfMs: Math.round(e.selfMs * 10) / 10 }));
    },
  };
}
