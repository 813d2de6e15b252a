import { Extension, type AnyExtension } from '@tiptap/core';

/**
 * Redo keys that never turn into undo. prosemirror-keymap, when a shifted letter's binding returns
 * false, tries the same letter without Shift: with Caps Lock on, Ctrl+Shift+Z arrives as `z` with
 * Shift, and when there is nothing to redo the Collaboration extension's `Mod-z` (undo) ran in its
 * place, taking one's last words out of the shared document (issue 8). Bound before the
 * Collaboration keymap (priority 1000), Ctrl+Shift+Z and Ctrl+Y redo when they can and are
 * consumed either way; Ctrl+Z (Caps Lock or not) still undoes.
 */
export function undoRedoKeys(): AnyExtension {
  return Extension.create({
    name: 'essaimUndoRedoKeys',
    priority: 1001,
    addKeyboardShortcuts() {
      const redo = (): boolean => {
        this.editor.commands.redo();
        return true;
      };
      return { 'Shift-Mod-z': redo, 'Mod-y': redo };
    },
  });
}
