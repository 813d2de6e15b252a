import { joinBackward, splitBlock } from '@tiptap/pm/commands';
import { EditorState, TextSelection } from '@tiptap/pm/state';
import { EditorView } from '@tiptap/pm/view';
import { ySyncPlugin } from '@tiptap/y-tiptap';
import { afterEach } from 'vitest';
import type * as Y from 'yjs';
import { ydocToJSON } from '../../packages/editor/src/convert.js';
import { schema } from '../../packages/editor/src/extensions.js';
import {
  followMovedTextInEditor,
  keepCaretAfterForwardedText,
} from '../../packages/editor/src/forwardedCaret.js';
import { FRAGMENT } from '@essaim/protocol';
import type { Client } from './yNetwork.js';

/**
 * Editors with carets for the co-writing tests of `packages/editor` that run in jsdom (issue 8):
 * ProseMirror views bound to a test network's Y.Docs (`yNetwork.ts`), or to a real provider's, with
 * the caret helpers the client wires (`keepCaretAfterForwardedText`, `followMovedTextInEditor`).
 */

/** The texts of the paragraphs of the document's first section, in order. */
export const firstSectionParagraphs = (doc: Y.Doc): string[] =>
  (ydocToJSON(doc).content?.[0]?.content ?? [])
    .filter((b) => b.type === 'paragraph')
    .map((b) => (b.content ?? []).map((t) => t.text ?? '').join(''));

/**
 * For a test file: `editorOf(client)` makes a person's editor (a view on the client's Y.Doc with
 * the client's caret helpers); `destroyAll()` destroys every view made so far, which happens after
 * each test too.
 */
export function useCaretEditors(): {
  editorOf: (client: Pick<Client, 'doc'>) => EditorView;
  destroyAll: () => void;
} {
  const views: EditorView[] = [];
  const destroyAll = (): void => {
    for (const view of views.splice(0)) view.destroy();
  };
  afterEach(destroyAll);
  const editorOf = (client: Pick<Client, 'doc'>): EditorView => {
    const place = window.document.body.appendChild(window.document.createElement('div'));
    const view = new EditorView(place, {
      state: EditorState.create({ schema, plugins: [ySyncPlugin(client.doc.getXmlFragment(FRAGMENT))] }),
    });
    const host = {
      get state() {
        return view.state;
      },
      get isDestroyed() {
        return view.isDestroyed;
      },
      dispatch: (tr: Parameters<EditorView['dispatch']>[0]) => view.dispatch(tr),
    };
    keepCaretAfterForwardedText(host);
    followMovedTextInEditor(host);
    views.push(view);
    return view;
  };
  return { editorOf, destroyAll };
}

/** Puts the caret just after the first `needle` of the text, or `shift` positions further. */
export function putCaretAfter(view: EditorView, needle: string, shift = 0): void {
  let found = -1;
  view.state.doc.descendants((node, pos) => {
    if (found < 0 && node.isText && node.text?.includes(needle))
      found = pos + node.text.indexOf(needle) + needle.length;
  });
  view.dispatch(view.state.tr.setSelection(TextSelection.create(view.state.doc, found + shift)));
}

/** One key as the editor handles it: Enter splits, Backspace deletes a letter or joins, any other types it. */
export function press(view: EditorView, key: string): void {
  if (key === 'Enter') splitBlock(view.state, view.dispatch);
  else if (key === 'Backspace') {
    const { $from, empty } = view.state.selection;
    if (empty && $from.parentOffset > 0) view.dispatch(view.state.tr.delete($from.pos - 1, $from.pos));
    else joinBackward(view.state, view.dispatch);
  } else view.dispatch(view.state.tr.insertText(key));
}
