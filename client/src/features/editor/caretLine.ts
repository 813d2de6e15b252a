import type { EditorView } from '@tiptap/pm/view';

/**
 * The class put on `<html>` while an editor is shown: it turns the browser's own scroll anchoring
 * off (`overflow-anchor: none` on the root and the body, editor.css), Essaim keeping the line in
 * place itself ({@link keepLineInPlace}). Both at once moved the line twice (tester BR34).
 */
export const OWN_ANCHORING_CLASS = 'essaim-own-anchoring';

/** How many editors are shown, so the class stays while one of them is. */
let editorsShown = 0;

/** What is kept in place: a text block, and where it was in the page (not in the window). */
interface Anchor {
  element: Element;
  /** The block's top in the page's coordinates (window coordinates plus the scroll), in CSS px. */
  top: number;
  /** The editor's own top likewise, when it was taken. */
  editorTop: number;
  /**
   * The page was at its top: only what changes inside the text above the block is made up for;
   * what appears above the text (the publication bar, the progress bar…) then pushes it down, so
   * a page opening keeps its top in sight (the browser does not anchor at the top either).
   */
  insideOnly: boolean;
}

/** The bottom of the sticky toolbar where it covers the text, in window coordinates; 0 without. */
function coveredTop(view: EditorView): number {
  const toolbar = view.dom.closest('.essaim-editor')?.querySelector(':scope > .essaim-toolbar-wrap');
  return Math.max(0, toolbar?.getBoundingClientRect().bottom ?? 0);
}

/** The DOM element of the text block holding position `pos`, or of the node selected there. */
function blockAt(view: EditorView, pos: number): Element | null {
  const $pos = view.state.doc.resolve(pos);
  if ($pos.depth === 0) return null;
  const dom = view.nodeDOM($pos.parent.isTextblock ? $pos.before() : pos);
  return dom instanceof Element ? dom : null;
}

/**
 * The block of the caret, when the editor has the focus and the caret is in the window (under
 * the sticky toolbar counts as in the window: ProseMirror brings it out of there when it moves).
 */
function caretBlock(view: EditorView): Element | null {
  if (!view.hasFocus()) return null;
  const { head } = view.state.selection;
  try {
    const caret = view.coordsAtPos(head);
    if (caret.bottom <= 0 || caret.top >= window.innerHeight) return null;
    return blockAt(view, head);
  } catch {
    // A position not drawn yet: nothing to keep in place.
    return null;
  }
}

/**
 * The first text block in the window under the sticky toolbar, read from a few points down its
 * text column (the first may fall on a section's header or menu, which are not text); null when
 * the text is not in the window.
 */
function firstVisibleBlock(view: EditorView): Element | null {
  const text = view.dom.getBoundingClientRect();
  const bottom = Math.min(text.bottom, window.innerHeight);
  const left = text.left + Math.min(48, text.width / 2);
  const first = Math.max(text.top, coveredTop(view)) + 2;
  // At most a dozen points, 24 px apart or more: this runs at each scroll.
  const step = Math.max(24, (bottom - first) / 12);
  for (let y = first; y < bottom; y += step) {
    const hit = view.posAtCoords({ left, top: y });
    if (!hit) continue;
    const inside = hit.inside >= 0 ? view.state.doc.nodeAt(hit.inside) : null;
    const block = inside?.isTextblock ? blockAt(view, hit.inside + 1) : blockAt(view, hit.pos);
    if (block && view.dom.contains(block) && block.getBoundingClientRect().bottom > y - 2) return block;
  }
  return null;
}

/** The parts drawn inside the text that are not text: each section's menu and review header. */
const CHROME_SELECTOR = '.essaim-review, .essaim-section__tools';

/** Whether `element` moves with the page when it scrolls: neither it nor a parent fixed or sticky. */
function movesWithPage(element: Element): boolean {
  for (let node: Element | null = element; node && node !== document.body; node = node.parentElement) {
    const { position } = getComputedStyle(node);
    if (position === 'fixed' || position === 'sticky') return false;
  }
  return true;
}

/**
 * When no text is in the window (the page scrolled to what is drawn under or beside the text):
 * the first element met down the middle of the window that moves with the page, as the browser
 * would anchor on; not a section's menu or header, which may be what grows.
 */
function firstVisibleElement(): Element | null {
  const x = window.innerWidth / 2;
  for (let y = 8; y < window.innerHeight; y += 48) {
    const hit = document.elementFromPoint(x, y);
    if (!hit || hit === document.documentElement || hit === document.body) continue;
    if (hit.closest(CHROME_SELECTOR) === null && movesWithPage(hit)) return hit;
  }
  return null;
}

/** Where `element`'s top is in the page's coordinates. */
const pageTop = (element: Element): number => element.getBoundingClientRect().top + window.scrollY;

/** What changed in a state the editor shows, as {@link keepLineInPlace}'s `update` is told. */
export type ViewChange = 'text' | 'selection' | 'other';

/**
 * Keeps the line being typed, or read, where it is in the window when what is above it changes
 * height (issue 16): the typing of the person, a co-writer's paragraphs added or made longer or
 * shorter above, a section's review header or menu that grows (tester BR31), an image that
 * loads, a bar above the text. The browser's own scroll anchoring is turned off for as long as the
 * editor is shown ({@link OWN_ANCHORING_CLASS}): lower in the page, it made up for a header grown
 * above the caret as well, and the line jumped by twice the change (tester BR34).
 *
 * What is kept: the text block of the caret when the editor has the focus and the caret is in the
 * window; otherwise, once the page is scrolled, the first text block in the window (what the
 * browser keeps), or, without text in the window, the first element there that scrolls with it.
 * Its place in the page is noted after each change, scroll and change of focus. Measured in the
 * page's coordinates, so what the person scrolls themselves (wheel, keys, ProseMirror bringing
 * the caret into view) is never undone: only the movement of the block in the page is made up for.
 *
 * When it is made up for, always before the browser paints:
 * - a change of the text (the person's or a co-writer's), at once, in the transaction, when the
 *   plugin views are updated: after ProseMirror has drawn the new text and before it brings the
 *   caret into view. A co-writer's transaction asks for that (y-tiptap, for a caret that was in
 *   view): 30 paragraphs pasted above pushed the caret out of the window, ProseMirror scrolled it
 *   back to the window's bottom, and the whole change was then made up for in the next frame on
 *   top of that scroll, so the line ended that much higher, or where the page's end stopped it
 *   (tester BR37 F1: 51 px on a desktop, 101 px lower in the page, 123 px on a phone). Made up
 *   for first, the caret is back in view and ProseMirror has nothing to scroll;
 * - what is drawn later (a section's header or menu drawn by React, an image that loads, a bar):
 *   by a `ResizeObserver` on the text and the page, which runs after layout and before paint;
 * - and, once a frame after a change or a scroll, from a frame callback, which also notes the
 *   block again after the person's own scrolling.
 *
 * The page cannot always be scrolled as far as the change asks: not above its top, nor below its
 * end (what is added above the line makes the page as much longer, so that is reachable; but a
 * page shorter than the window plus the change, or a change that lengthens the text above the line
 * as much as it shortens the text below, is not). The window then goes as far as it can and the
 * line moves by the rest.
 *
 * Returns what the plugin's view calls after each update and when it is destroyed.
 */
export function keepLineInPlace(view: EditorView): {
  /** Called after each state the view shows, before ProseMirror scrolls the caret into view. */
  update(change: ViewChange): void;
  destroy(): void;
} {
  if (typeof ResizeObserver === 'undefined') return { update: () => undefined, destroy: () => undefined };
  const root = document.documentElement;
  editorsShown += 1;
  root.classList.add(OWN_ANCHORING_CLASS);

  let anchor: Anchor | null = null;
  let frame = 0;

  /** Notes the block to keep in place now, and where it is. */
  const note = (): void => {
    const atTop = window.scrollY <= 0;
    const element = caretBlock(view) ?? (atTop ? null : (firstVisibleBlock(view) ?? firstVisibleElement()));
    anchor = element
      ? { element, top: pageTop(element), editorTop: pageTop(view.dom), insideOnly: atTop }
      : null;
  };

  /**
   * Scrolls the window by as much as the noted block moved in the page, as far as the page goes,
   * and notes its new place (the same block).
   */
  const makeUpFor = (): void => {
    const kept = anchor;
    if (!kept?.element.isConnected || !view.dom.isConnected) return;
    const top = pageTop(kept.element);
    const editorTop = pageTop(view.dom);
    let shift = top - kept.top;
    if (kept.insideOnly) shift -= editorTop - kept.editorTop;
    // Clamped by the browser at the page's top and end: the line then moves by the rest.
    if (Math.abs(shift) >= 0.5) window.scrollBy({ top: shift, behavior: 'instant' });
    anchor = { ...kept, top, editorTop };
  };

  /** Makes up for what moved, then chooses the block to keep again. */
  const keep = (): void => {
    cancelAnimationFrame(frame);
    frame = 0;
    makeUpFor();
    note();
  };

  const later = (): void => {
    if (frame === 0) frame = requestAnimationFrame(keep);
  };

  const resized = new ResizeObserver(keep);
  resized.observe(view.dom);
  resized.observe(document.body);
  // At most once a frame while the person scrolls: noting the first visible block asks the
  // layout for up to a dozen points.
  window.addEventListener('scroll', later, { passive: true });
  view.dom.addEventListener('focus', keep);
  view.dom.addEventListener('blur', keep);
  note();

  return {
    update(change) {
      // The text changed: made up for now, before ProseMirror scrolls the caret into view (which
      // would otherwise count as the person's own scrolling); the block is chosen again next frame
      // (at most once a frame: a reader's asks the layout for up to a dozen points, and a
      // co-writer's transactions may come several a frame), which also makes up for what is drawn
      // after the transaction. The caret moved without the text changing: nothing moved in the
      // page, the new block is noted at once.
      if (change === 'text') {
        makeUpFor();
        later();
      } else if (change === 'selection') keep();
      else later();
    },
    destroy() {
      cancelAnimationFrame(frame);
      resized.disconnect();
      window.removeEventListener('scroll', later);
      view.dom.removeEventListener('focus', keep);
      view.dom.removeEventListener('blur', keep);
      editorsShown -= 1;
      if (editorsShown === 0) root.classList.remove(OWN_ANCHORING_CLASS);
    },
  };
}
