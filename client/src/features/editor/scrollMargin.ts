import { Extension } from '@tiptap/core';
import { Plugin, PluginKey, TextSelection } from '@tiptap/pm/state';
import type { EditorView } from '@tiptap/pm/view';

/** The id of the editor's text: the target of the skip link « Aller au texte » (app/Layout.tsx). */
export const EDITOR_TEXT_ID = 'texte-du-document';

/** Room kept between the sticky toolbar and the line brought into view, in CSS pixels. */
const GAP_PX = 16;

/** ProseMirror's own margin when nothing covers the text (its default, 5 px). */
const DEFAULT_MARGIN_PX = 5;

/** The toolbar kept at the top of the window while the text scrolls (styles.css, `.essaim-toolbar-wrap`). */
function stickyToolbar(view: EditorView): HTMLElement | null {
  const editor = view.dom.closest('.essaim-editor');
  return editor?.querySelector<HTMLElement>(':scope > .essaim-toolbar-wrap') ?? null;
}

/** The sticky toolbar's height as drawn now (it wraps onto more rows on narrow screens); 0 without one. */
function toolbarHeight(view: EditorView): number {
  return Math.ceil(stickyToolbar(view)?.getBoundingClientRect().height ?? 0);
}

/**
 * The top margin, in CSS pixels, that keeps a line brought into view below the sticky toolbar:
 * the toolbar's height plus a gap; ProseMirror's default margin when there is no toolbar
 * (readers) or it is not displayed.
 */
export function topMarginFor(view: EditorView): number {
  const height = toolbarHeight(view);
  return height > 0 ? height + GAP_PX : DEFAULT_MARGIN_PX;
}

/** How close to the window's top a caret may be before it is scrolled down: under the toolbar is too close. */
function topThresholdFor(view: EditorView): number {
  const height = toolbarHeight(view);
  return height > 0 ? height + GAP_PX / 2 : 0;
}

/**
 * The height, in CSS pixels, of what covers the bottom of the window: the « nouvelle version »
 * notice (app/AppUpdate.tsx, fixed there while it is shown; 0 otherwise). The caret typed under it
 * went on out of sight (tester BR30).
 */
function bottomCover(): number {
  return Math.ceil(document.querySelector('.essaim-app-update')?.getBoundingClientRect().height ?? 0);
}

const key = new PluginKey('essaimScrollMargin');

/** The parts drawn inside the text that are not text: each section's menu and review header. */
const CHROME_SELECTOR = '.essaim-review, .essaim-section__tools';

/**
 * Keeps the line being typed where it is on the screen when a part drawn above it inside the text
 * (a section's review header or menu, {@link CHROME_SELECTOR}) changes height: the window is
 * scrolled by as much, before the browser paints (a `ResizeObserver` runs after layout). Typing in
 * an approved section makes its header grow by « Voir les modifications depuis l’approbation »,
 * « Soumettre » and « Approuver »: the line under the caret went 96 px down and the next click
 * aimed at the text missed (tester BR31). The browser's own scroll anchoring does not help there:
 * at the top of the page it does nothing, and lower it may anchor on the growing header itself.
 * Only while the editor has the focus and its caret is in the window (someone reading elsewhere
 * keeps what they read). Returns the function that stops it.
 */
function anchorCaretLine(view: EditorView): () => void {
  if (typeof ResizeObserver === 'undefined') return () => undefined;
  const heights = new WeakMap<Element, number>();
  const resized = new ResizeObserver((entries) => {
    let caretTop: number | null = null;
    if (view.hasFocus()) {
      try {
        const top = view.coordsAtPos(view.state.selection.head).top;
        if (top >= 0 && top <= window.innerHeight) caretTop = top;
      } catch {
        // A position not drawn yet: nothing to keep in place.
      }
    }
    let shift = 0;
    for (const entry of entries) {
      const rect = entry.target.getBoundingClientRect();
      const before = heights.get(entry.target);
      heights.set(entry.target, rect.height);
      if (before === undefined || caretTop === null || rect.bottom > caretTop + 1) continue;
      shift += rect.height - before;
    }
    if (shift !== 0) window.scrollBy(0, shift);
  });
  const watch = (): void => {
    for (const element of view.dom.querySelectorAll(CHROME_SELECTOR)) resized.observe(element);
  };
  // Headers and menus are drawn by node views, sometimes after the transaction that made them.
  const added = new MutationObserver(watch);
  added.observe(view.dom, { childList: true, subtree: true });
  watch();
  return () => {
    added.disconnect();
    resized.disconnect();
  };
}

/**
 * Where the skip link « Aller au texte » leads: the caret at the start of the first text block
 * that is not a title (the first section's first paragraph), focused and scrolled into view. The
 * browser's own jump to the fragment focused the editor with the caret where ProseMirror starts
 * it, in the first section's title, so the first letters typed went into « Identification »
 * (tester BR31).
 */
function putCaretAtText(view: EditorView): void {
  let target: number | null = null;
  view.state.doc.descendants((node, pos) => {
    if (target !== null) return false;
    if (node.isTextblock && node.type.name !== 'sectionTitle') {
      target = pos + 1;
      return false;
    }
    return true;
  });
  const { tr } = view.state;
  if (target !== null) tr.setSelection(TextSelection.create(view.state.doc, target));
  view.dispatch(tr.scrollIntoView());
  view.focus();
}

/**
 * Where the text sits in the page (issue 16):
 * - ProseMirror scrolls the caret into view when it is under the sticky toolbar, and puts it
 *   below it: `scrollThreshold` and `scrollMargin` props (read by prosemirror-view's
 *   `scrollRectIntoView` through `view.someProp`) equal to the toolbar's height, measured each
 *   time it scrolls, plus a gap; so a line reached by typing, the arrows or « Ajouter une
 *   section après » (sections/sectionCommands.ts reads the same margin) is never hidden under it;
 * - the text carries the id {@link EDITOR_TEXT_ID}, the target of the skip link « Aller au texte ».
 */
export const TextViewport = Extension.create({
  name: 'essaimTextViewport',
  addProseMirrorPlugins() {
    let current: EditorView | null = null;
    const plugin = new Plugin({
      key,
      props: { attributes: { id: EDITOR_TEXT_ID } },
      view(view) {
        current = view;
        const skipLinkFollowed = (event: MouseEvent): void => {
          const target = event.target instanceof Element ? event.target.closest('a') : null;
          if (target?.getAttribute('href') !== `#${EDITOR_TEXT_ID}`) return;
          event.preventDefault();
          putCaretAtText(view);
        };
        document.addEventListener('click', skipLinkFollowed);
        const stopAnchoring = anchorCaretLine(view);
        return {
          destroy() {
            current = null;
            document.removeEventListener('click', skipLinkFollowed);
            stopAnchoring();
          },
        };
      },
    });
    // Getters, so each scroll measures the toolbar as it is drawn at that moment: the Plugin
    // constructor copies the `props` given to it, and ProseMirror reads them at each scroll.
    // The threshold makes a caret under the toolbar count as out of view (ProseMirror scrolls
    // only a caret closer to the edge than `scrollThreshold`, default 0), the margin is where it
    // then puts it.
    // The bottom likewise keeps the caret above the « nouvelle version » notice when it is shown.
    const sides = (top: number, bottom: number, others: number) => ({
      top,
      right: others,
      bottom,
      left: others,
    });
    Object.defineProperty(plugin.props, 'scrollThreshold', {
      enumerable: true,
      get: () => {
        const cover = bottomCover();
        return sides(current ? topThresholdFor(current) : 0, cover > 0 ? cover + GAP_PX / 2 : 0, 0);
      },
    });
    Object.defineProperty(plugin.props, 'scrollMargin', {
      enumerable: true,
      get: () => {
        const cover = bottomCover();
        return sides(
          current ? topMarginFor(current) : DEFAULT_MARGIN_PX,
          cover > 0 ? cover + GAP_PX : DEFAULT_MARGIN_PX,
          DEFAULT_MARGIN_PX,
        );
      },
    });
    return [plugin];
  },
});
