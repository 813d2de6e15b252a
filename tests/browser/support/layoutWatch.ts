import type { Page } from 'playwright-core';

/** What {@link watchLayout} saw of a page since it started loading. */
export interface LayoutSeen {
  /** Every layout-shift entry's value (Chromium's own measure, as Lighthouse sums it for CLS). */
  shifts: number[];
  /** The widest `document.documentElement.scrollWidth` read at any animation frame, in CSS px. */
  widest: number;
}

/**
 * Watches the next pages `page` loads, from before any of their scripts runs: every layout shift
 * of their life (those Chromium marks as following an input included: nothing is pressed in the
 * tests that read them, and a phone's page laid out wider than the screen for a moment was marked
 * so, tester BR38 F2), and, at each frame, how wide the page is laid out. Call before `goto`;
 * returns the function that reads what was seen so far.
 */
export async function watchLayout(page: Page): Promise<() => Promise<LayoutSeen>> {
  await page.addInitScript(() => {
    const seen = { shifts: [] as number[], widest: 0 };
    Object.assign(window, { essaimLayoutSeen: seen });
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries() as (PerformanceEntry & { value: number })[])
        seen.shifts.push(entry.value);
    }).observe({ type: 'layout-shift', buffered: true });
    const look = () => {
      seen.widest = Math.max(seen.widest, document.documentElement.scrollWidth);
      requestAnimationFrame(look);
    };
    requestAnimationFrame(look);
  });
  return () =>
    page.evaluate(() => {
      const { shifts, widest } = (window as unknown as { essaimLayoutSeen: LayoutSeen }).essaimLayoutSeen;
      return { shifts: [...shifts], widest };
    });
}
