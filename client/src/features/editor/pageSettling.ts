import { useEffect, useState } from 'react';

/**
 * How long (ms) the editor page keeps its text out of sight, once the text is here, while the
 * parts drawn above and inside it (the review bar and each section's review header, the
 * publication bar, « Historique » and « Télécharger ») are still on their way: 8 s. Past it the
 * text is shown anyway and those parts arrive in it: the limit is for answers that do not come
 * (each request also has its own timeout), not for slow ones. On the throttled line of issue 16
 * (1.6 Mbit/s, 150 ms) they come within 1.2 s of the text (`bench/firstVisit.ts`); with a phone's
 * CPU (4× slower) on a loaded machine, and on a second visit where the text comes at once from
 * this browser's copy, they came 3.5 to 4.5 s after it, so a 3 s limit showed the text 0.3 to
 * 1.5 s before the publication bar pushed it down 71 to 107 px, and clicks aimed at the first
 * paragraph landed in the section title (tester BR31, 2026-11-30).
 */
export const SETTLING_LIMIT_MS = 8000;

/** What the editor page waits for before it shows its text (tester BR26, faults F1 and F2). */
export interface PageParts {
  /** The document's text is here (`TextArrival`: the local copy or the server's first sync). */
  textArrived: boolean;
  /**
   * The sections' review has been answered and read against the text (or failed): the review bar,
   * the headers and the publication bar can be drawn as they will stay.
   */
  reviewsSettled: boolean;
  /** The publications have been answered (or failed): the publication bar can be drawn. */
  publicationsSettled: boolean;
  /** The chunk loaded after the first drawing is here (or failed): see `LazyPanels.tsx`. */
  lateChunkSettled: boolean;
}

/**
 * Whether the editor page shows its text and lets people write: once the text is here and the
 * parts that change the height of what is above or inside it are drawn, or {@link
 * SETTLING_LIMIT_MS} after the text arrived, whichever comes first. Latched: once shown, the text
 * stays (a later reading of the review does not hide it again).
 *
 * Why: the text appeared, then moved down by 92 to 117 px over about 3 s as the review headers
 * (40 px for a membre, 76 for an animateur with steps), the publication bar (41 px) and the status
 * line (4 px) arrived, and a click aimed at a paragraph landed in a section title (tester BR26,
 * 2026-11-30, fault F2). Never before the text: an editor shown earlier holds the schema's invented
 * empty section, and what is typed into it is merged by Yjs into a title, a word or a new section
 * (fault F1).
 */
export function usePageSettled(parts: PageParts): boolean {
  const { textArrived, reviewsSettled, publicationsSettled, lateChunkSettled } = parts;
  const settled = textArrived && reviewsSettled && publicationsSettled && lateChunkSettled;
  const [shown, setShown] = useState(settled);
  if (settled && !shown) setShown(true);
  useEffect(() => {
    if (shown || !textArrived) return;
    const timer = setTimeout(() => setShown(true), SETTLING_LIMIT_MS);
    return () => clearTimeout(timer);
  }, [shown, textArrived]);
  return shown;
}
