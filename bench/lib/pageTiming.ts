import type { Page } from 'playwright-core';

/**
 * Timing taken inside a Chromium page of the editor, for `bench/comments.ts`: the typing records
 * ({@link startTypingRecords}), whose times are `performance.timeOrigin + performance.now()` (ms
 * since the Unix epoch, sub-millisecond) so that two pages of the same machine can be compared, and
 * a CPU profile ({@link startProfile}). The open marks are taken by `highlightMarks.ts`, which
 * returns the {@link OpenMarks} below.
 */

/**
 * What the open marks of a document record (taken by `installOpenMarks` in highlightMarks.ts). Every
 * time is the page's `performance.now()`, in ms since the navigation started (its time origin).
 */
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

declare global {
  interface Window {
    __essaimTyping?: TypingState;
  }
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
