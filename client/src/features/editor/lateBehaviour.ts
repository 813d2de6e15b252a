import { Extension, type Editor } from '@tiptap/core';

/*
 * Behaviour of the text that its first drawing does not need, loaded right after it (issue 16:
 * the editor route's JavaScript before its first drawing, ≤ 300 KB gzipped): the editing of
 * tables (prosemirror-tables, `tableBehaviour.ts`) and the addresses typed or pasted that become
 * links (linkifyjs, `linkBehaviour.ts`). It travels in the chunk of the panels
 * (`panels.lazy.ts`, one request), which the page imports as it draws the editor.
 *
 * Its plugins join the editor with `editor.registerPlugin` once the chunk is here: the editor is
 * not rebuilt, so the caret, the undo history and the y-tiptap binding stay (Tiptap's
 * Collaboration extension keeps the Yjs undo manager across the plugin views' re-creation that
 * a new plugin causes). Until then a table is shown and its cells can be typed in, links are
 * shown and made with the toolbar; a toolbar table command asked for before the chunk has
 * arrived runs as soon as it is here.
 */

/** The commands of the toolbar about tables. */
export type TableAction =
  'insertTable' | 'addRowAfter' | 'deleteRow' | 'addColumnAfter' | 'deleteColumn' | 'deleteTable';

/** The chunk holding the late behaviour (the panels' chunk: one import, whoever asks first). */
const loadBehaviour = () => import('./panels.lazy.js');

/**
 * Runs a table command of the toolbar on `editor` as soon as the behaviour's chunk is here (at
 * once when it already is). Nothing happens if the editor was destroyed meanwhile.
 */
export function runTableAction(editor: Editor, action: TableAction): void {
  void loadBehaviour().then((behaviour) => {
    if (!editor.isDestroyed) behaviour.runTableAction(editor, action);
  });
}

/**
 * Starts loading the late behaviour when the editor is created and registers its plugins on the
 * editor when it arrives (unless the editor was destroyed meanwhile). A chunk that cannot be
 * fetched (offline, new deployment) leaves tables without their editing keys and addresses unlinked until a reload; the page's
 * `ChunkErrorBoundary` reports the same chunk's failure for the panels.
 */
export const LateBehaviour = Extension.create({
  name: 'essaimLateBehaviour',
  onCreate() {
    const editor = this.editor;
    loadBehaviour().then(
      (behaviour) => {
        if (!editor.isDestroyed) behaviour.installLateBehaviour(editor);
      },
      () => undefined,
    );
  },
});
