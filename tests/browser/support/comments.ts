import type { Locator, Page } from 'playwright-core';
import { editorOf } from './coWriting.js';

/*
 * What the browser tests of comments read and do in the page: the threads panel, the highlighted
 * words of the text (custom highlights or, without the Custom Highlight API, spans), a selection
 * made as a mouse would, the sommaire's counts.
 */

/** The threads panel (« Commentaires »). */
export const panelOf = (page: Page): Locator => page.getByRole('complementary', { name: 'Commentaires' });
/** The threads listed in the panel. */
export const threadsOf = (page: Page): Locator => panelOf(page).locator('li.essaim-thread');

/** The custom highlights (`CSS.highlights`) of the threads' words: open, resolved, open in the panel. */
export const LAYERS = ['essaim-comment', 'essaim-comment-resolved', 'essaim-comment-active'];

/**
 * The highlighted words of the text, in document order: the ranges of the custom highlights
 * `layers` that lie in the editor (invalid ones, which the browser does not paint, left out), or,
 * in a browser without the Custom Highlight API, the highlight spans.
 */
export const highlightsOf = (page: Page, layers: string[] = LAYERS): Promise<string[]> =>
  editorOf(page).evaluate((root, names) => {
    if (!('highlights' in CSS) || !CSS.highlights)
      return [...root.querySelectorAll('.essaim-comment')].map((span) => span.textContent ?? '');
    const ranges: Range[] = [];
    for (const name of names)
      for (const painted of CSS.highlights.get(name) ?? []) {
        const range = document.createRange();
        try {
          range.setStart(painted.startContainer, painted.startOffset);
          range.setEnd(painted.endContainer, painted.endOffset);
        } catch {
          continue;
        }
        if (root.contains(range.commonAncestorContainer)) ranges.push(range);
      }
    ranges.sort(
      (a, b) =>
        a.compareBoundaryPoints(Range.START_TO_START, b) || a.compareBoundaryPoints(Range.END_TO_END, b),
    );
    return ranges.map((range) => range.toString());
  }, layers);

/** The words of the thread open in the panel, as highlighted in the text. */
export const activeHighlightOf = (page: Page): Promise<string[]> =>
  highlightsOf(page, ['essaim-comment-active']);

/**
 * Clicks, as a person would, the middle of `part` (by default all) of the highlighted `words` (one
 * thread's words, in one text node).
 */
export async function clickHighlighted(page: Page, words: string, part = words): Promise<void> {
  const point = await editorOf(page).evaluate(
    (root, [wanted, piece]) => {
      const candidates: Range[] = [];
      if ('highlights' in CSS && CSS.highlights)
        for (const highlight of CSS.highlights.values())
          for (const painted of highlight) {
            const range = document.createRange();
            range.setStart(painted.startContainer, painted.startOffset);
            range.setEnd(painted.endContainer, painted.endOffset);
            candidates.push(range);
          }
      for (const span of root.querySelectorAll('.essaim-comment')) {
        const range = document.createRange();
        range.selectNodeContents(span);
        candidates.push(range);
      }
      const range = candidates.find(
        (r) => r.toString() === wanted && root.contains(r.commonAncestorContainer),
      );
      if (!range) throw new Error(`« ${wanted} » n’est pas surligné`);
      range.startContainer.parentElement?.scrollIntoView({ block: 'center' });
      const at = wanted.indexOf(piece);
      const start = range.startContainer;
      if (at > 0 && start.nodeType === Node.TEXT_NODE) {
        range.setStart(start, range.startOffset + at);
        range.setEnd(start, range.startOffset + piece.length);
      }
      const box = range.getClientRects()[0];
      if (!box) throw new Error(`« ${wanted} » n’est pas affiché`);
      return { x: box.left + box.width / 2, y: box.top + box.height / 2 };
    },
    [words, part] as const,
  );
  await page.mouse.click(point.x, point.y);
}

/** Selects `words` in the text as a mouse would (a DOM selection the editor reads). */
export async function selectWords(page: Page, words: string): Promise<void> {
  await editorOf(page).evaluate((root, wanted) => {
    if (root.getAttribute('contenteditable') === 'true') (root as HTMLElement).focus();
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const at = node.textContent?.indexOf(wanted) ?? -1;
      if (at < 0) continue;
      const range = document.createRange();
      range.setStart(node, at);
      range.setEnd(node, at + wanted.length);
      const selection = window.getSelection();
      selection?.removeAllRanges();
      selection?.addRange(range);
      return;
    }
    throw new Error(`« ${wanted} » introuvable`);
  }, words);
}

/** What the sommaire says of the open threads of the section titled `title` (« 1 commentaire ouvert »). */
export async function sommaireCount(page: Page, title: string): Promise<string> {
  const entry = page
    .getByRole('navigation', { name: 'Sommaire' })
    .getByRole('button', { name: new RegExp(title) });
  return (await entry.locator('.essaim-sommaire__comments .fr-sr-only').last().textContent()) ?? '';
}
