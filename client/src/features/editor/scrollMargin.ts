import { Extension } from '@tiptap/core';
import { Plugin, PluginKey, TextSelection } from '@tiptap/pm/state';
import type { EditorView } from '@tiptap/pm/view';
import { keepLineInPlace } from './caretLine.js';

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
  return Math.ceil(
    document.querySelector('.essaim-app-update > .fr-notice')?.getBoundingClientRect().height ?? 0,
  );
}

const key = new PluginKey('essaimScrollMargin');

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
 * - the text carries the id {@link EDITOR_TEXT_ID}, the target of the skip link « Aller au texte »;
 * - the line being typed or read stays where it is in the window when what is above it changes
 *   height, the browser's own scroll anchoring off ({@link keepLineInPlace}, caretLine.ts).
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
        const line = keepLineInPlace(view);
        return {
          update(updated, previous) {
            const { state } = updated;
            if (state.doc !== previous.doc) line.update('text');
            else line.update(state.selection.eq(previous.selection) ? 'other' : 'selection');
          },
          destroy() {
            current = null;
            document.removeEventListener('click', skipLinkFollowed);
            line.destroy();
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
