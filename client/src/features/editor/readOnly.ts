import { Extension, type AnyExtension } from '@tiptap/core';
import { Plugin, PluginKey, type Transaction } from '@tiptap/pm/state';
import { ySyncPluginKey } from '@tiptap/y-tiptap';

const readOnlyKey = new PluginKey('essaimReadOnly');

/**
 * Whether a transaction may change the document of a read-only editor: only the changes y-tiptap
 * brings from the shared document (other people's edits, the first drawing), which carry its
 * sync plugin's meta.
 */
export function allowedWhileReadOnly(tr: Transaction): boolean {
  return !tr.docChanged || tr.getMeta(ySyncPluginKey) !== undefined;
}

/**
 * A read-only text that is still focusable and caret-navigable, as a `<textarea readonly>` is: a
 * membre selects words with the keyboard (arrows, Shift+arrows, Ctrl+Shift+arrows) to comment them.
 *
 * ProseMirror's `editable: false` removes the caret and takes the text out of the tab order, so
 * the view stays editable (Tiptap's core `editable` extension is turned off by the editor, see
 * CollaborativeEditor.tsx) and this extension makes it read-only while Tiptap's `editable` option
 * is false (`editor.setEditable`, `editor.isEditable` keep their meaning for the rest of the page):
 * - every transaction that would change the document is dropped ({@link allowedWhileReadOnly}),
 *   the appended ones included: nothing reaches y-tiptap, so nothing is written to the Y.Doc;
 * - typing, deleting, pasting and dropping are refused before the browser changes the DOM
 *   (`beforeinput` cancelled; IME compositions, which cannot be cancelled, are drawn back by
 *   ProseMirror when their transaction is dropped); cutting copies, its deletion is dropped;
 * - undo and redo, which act on the Y.Doc directly, are consumed;
 * - the element says `aria-readonly="true"`, and asks for no on-screen keyboard (`inputmode`) and
 *   no spelling marks.
 */
export function readOnlyGuard(): AnyExtension {
  return Extension.create({
    name: 'essaimReadOnly',
    // Before the Collaboration keymap (undo, redo) and the redo keys (1001).
    priority: 1002,

    addKeyboardShortcuts() {
      const consumed = (): boolean => !this.editor.options.editable;
      return { 'Mod-z': consumed, 'Shift-Mod-z': consumed, 'Mod-y': consumed };
    },

    addProseMirrorPlugins() {
      const editor = this.editor;
      const readOnly = (): boolean => !editor.options.editable;
      return [
        new Plugin({
          key: readOnlyKey,
          filterTransaction: (tr) => !readOnly() || allowedWhileReadOnly(tr),
          props: {
            attributes: (): Record<string, string> =>
              readOnly() ? { 'aria-readonly': 'true', inputmode: 'none', spellcheck: 'false' } : {},
            handleDOMEvents: {
              beforeinput: (_view, event) => {
                if (!readOnly()) return false;
                if (event.cancelable) event.preventDefault();
                return true;
              },
            },
            handlePaste: () => readOnly(),
            handleDrop: () => readOnly(),
          },
        }),
      ];
    },
  });
}
