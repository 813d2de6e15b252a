import type { EditorState } from '@tiptap/pm/state';
import { yUndoPluginKey } from '@tiptap/y-tiptap';
import * as Y from 'yjs';

/**
 * An undo or a redo takes back only what it changed.
 *
 * Yjs's `UndoManager` records, for each step, the items a transaction inserted and the items it
 * deleted. When an undo or a redo deletes a paragraph (undoing a split, redoing a join), the
 * characters co-writers typed into that paragraph since are deleted with it: they are not the
 * step's, but Yjs records them in the new step's deletions all the same, and the next undo or redo
 * writes them back as copies, while the server has already written them again where the text went
 * (`forwardJoinedBlocks`, sectionForwarding.ts): a co-writer's words then stand twice (issue 8:
 * a join undone, redone and undone while someone types in it).
 *
 * {@link undoOnlyOwnChanges} trims the deletions recorded by an undo or a redo to the items the
 * popped step had inserted, so the next one restores the step's own text and nothing else.
 */

type DeleteSet = ReturnType<typeof Y.createDeleteSet>;

interface Range {
  clock: number;
  len: number;
}

/** The ranges of `a` also in `b`, per client (both as Yjs delete sets: client → ranges). */
function intersect(a: DeleteSet, b: DeleteSet): DeleteSet {
  const out = Y.createDeleteSet();
  for (const [client, ranges] of a.clients) {
    const others = [...(b.clients.get(client) ?? [])].sort((x, y) => x.clock - y.clock);
    const kept: Range[] = [];
    for (const r of ranges)
      for (const o of others) {
        const start = Math.max(r.clock, o.clock);
        const end = Math.min(r.clock + r.len, o.clock + o.len);
        if (end > start) kept.push({ clock: start, len: end - start });
      }
    if (kept.length > 0) out.clients.set(client, kept.sort((x, y) => x.clock - y.clock) as never);
  }
  return out;
}

/** What {@link undoOnlyOwnChanges} needs of Yjs's UndoManager. */
type StackItemAdded = { stackItem: { deletions: DeleteSet } };

/**
 * Makes `undoManager` (the editor's, from y-tiptap's undo plugin, or any Yjs UndoManager) record
 * for an undo or a redo only the deletions of items the popped step had inserted (see the module's
 * comment). A new step's own deletions (a keystroke, a join) are left as Yjs records them.
 * Returns the function that stops.
 */
export function undoOnlyOwnChanges(undoManager: Y.UndoManager): () => void {
  const onAdded = ({ stackItem }: StackItemAdded): void => {
    const popped = undoManager.currStackItem;
    if (!(undoManager.undoing || undoManager.redoing) || !popped) return;
    // A new object: the recorded set is the transaction's own, from which the update is encoded.
    stackItem.deletions = intersect(stackItem.deletions, popped.insertions);
  };
  undoManager.on('stack-item-added', onAdded);
  return () => undoManager.off('stack-item-added', onAdded);
}

/**
 * {@link undoOnlyOwnChanges} on the UndoManager of a Tiptap editor's Collaboration extension
 * (y-tiptap's undo plugin). Returns the function that stops; a no-op without the plugin.
 */
export function undoOnlyOwnChangesInEditor(view: { readonly state: EditorState }): () => void {
  const state: unknown = yUndoPluginKey.getState(view.state);
  const undoManager =
    typeof state === 'object' && state !== null ? (state as { undoManager?: unknown }).undoManager : null;
  return undoManager instanceof Y.UndoManager ? undoOnlyOwnChanges(undoManager) : () => undefined;
}
