import { TextSelection, type EditorState, type Transaction } from '@tiptap/pm/state';
import { relativePositionToAbsolutePosition, ySyncPluginKey } from '@tiptap/y-tiptap';
import * as Y from 'yjs';
import { itemAt } from './yItems.js';
import { detectTextMoves, FOLLOW_MOVED_TEXT_ORIGIN, followMovedText, type TextMoves } from './textMoves.js';

/** y-tiptap's map from Yjs types to the ProseMirror nodes they render as. */
type ProsemirrorMapping = Parameters<typeof relativePositionToAbsolutePosition>[3];

/** What the editor's Yjs sync plugin holds, as far as this module reads it. */
interface SyncState {
  doc: Y.Doc;
  type: Y.XmlFragment;
  binding: { mapping: ProsemirrorMapping } | null;
}

/** The editor as this module needs it (a ProseMirror view, or a Tiptap editor wrapped). */
export interface CaretHost {
  readonly state: EditorState;
  readonly isDestroyed: boolean;
  dispatch(transaction: Transaction): void;
}

function syncStateOf(view: CaretHost): SyncState | null {
  const state: unknown = ySyncPluginKey.getState(view.state);
  if (typeof state !== 'object' || state === null) return null;
  const { doc, type, binding } = state as Partial<SyncState>;
  return doc instanceof Y.Doc && type instanceof Y.XmlFragment && binding ? { doc, type, binding } : null;
}

/**
 * Keeps a writer's caret after their own keystrokes when the server re-applies them in a moved
 * section (sectionForwarding.ts writes them under the writer's client id minus one).
 *
 * When a section moves while someone types in it, their last keystrokes may still be on their way:
 * the move reaches their editor first, without those characters, and the caret stays just after
 * the last character the server had; the server then re-applies the missing ones there. Like any
 * remote insertion at the caret, they would land after the caret, and the next keystrokes before
 * them (« famill|e » becoming « famills…e »). This moves the caret over them instead, only when it
 * sits exactly where they were inserted and nothing is selected. Returns the function that stops.
 */
export function keepCaretAfterForwardedText(view: CaretHost): () => void {
  const sync = syncStateOf(view);
  if (!sync) return () => undefined;
  const { doc, type } = sync;
  const positionOf = (relative: Y.RelativePosition): number | null => {
    const binding = syncStateOf(view)?.binding;
    return binding ? relativePositionToAbsolutePosition(doc, type, relative, binding.mapping) : null;
  };
  const onTransaction = (transaction: Y.Transaction): void => {
    if (transaction.local || view.isDestroyed) return;
    const forwarder = doc.clientID - 1;
    const before = transaction.beforeState.get(forwarder) ?? 0;
    const after = transaction.afterState.get(forwarder) ?? 0;
    const structs = doc.store.clients.get(forwarder);
    const { selection } = view.state;
    if (after <= before || !structs || !selection.empty) return;
    let caret = selection.from;
    for (let i = Y.findIndexSS(structs, before); i < structs.length; i++) {
      const item = structs[i];
      if (!item || item.id.clock >= after) break;
      if (!(item instanceof Y.Item) || item.deleted || !(item.content instanceof Y.ContentString)) continue;
      const start = positionOf(new Y.RelativePosition(null, null, item.id, 0));
      const last = Y.createID(item.id.client, item.id.clock + item.length - 1);
      const end = positionOf(new Y.RelativePosition(null, null, last, -1));
      if (start === caret && end !== null) caret = end;
    }
    if (caret !== selection.from)
      view.dispatch(
        view.state.tr
          .setSelection(TextSelection.create(view.state.doc, caret))
          .setMeta('addToHistory', false),
      );
  };
  doc.on('afterTransaction', onTransaction);
  return () => doc.off('afterTransaction', onTransaction);
}

/** What y-tiptap keeps of the selection before a transaction (anchor and head, relative). */
interface RelativeSelection {
  anchor: Y.RelativePosition | null;
  head: Y.RelativePosition | null;
}

function selectionBefore(view: CaretHost): RelativeSelection | null {
  const binding: unknown = syncStateOf(view)?.binding;
  if (typeof binding !== 'object' || binding === null || !('beforeTransactionSelection' in binding))
    return null;
  const selection = binding.beforeTransactionSelection;
  if (typeof selection !== 'object' || selection === null) return null;
  const { anchor, head } = selection as Partial<RelativeSelection>;
  return anchor instanceof Y.RelativePosition && head instanceof Y.RelativePosition ? { anchor, head } : null;
}

/**
 * Where the character before the caret went: its copy, or, for a character that was deleted and
 * not copied (one's own keystrokes in a paragraph a co-writer joined without having them; the
 * server writes them again after the copy of the character before them), the copy of the nearest
 * character before it that has one. Null when nothing before it moved.
 */
function movedAnchor(doc: Y.Doc, moves: TextMoves, id: Y.ID): Y.ID | null {
  const direct = moves.follow(id);
  if (direct) return direct;
  const item = itemAt(doc, id);
  if (!item?.deleted) return null;
  for (
    let n: Y.Item | null = item, last = id.clock - item.id.clock;
    n;
    n = n.left, last = (n?.length ?? 1) - 1
  ) {
    if (!(n.content instanceof Y.ContentString)) continue;
    for (let k = last; k >= 0; k--) {
      const copy = moves.follow(Y.createID(n.id.client, n.id.clock + k));
      if (copy) return copy;
    }
  }
  return null;
}

/**
 * Keeps this editor's text and caret with the text they were in when a co-writer moves it by
 * splitting, joining or pasting (see textMoves.ts): after each remote transaction that moves
 * characters, one's own characters anchored on moved ones are re-written after their copies, and
 * the caret (or the selection's ends) placed after a moved character goes after its copy, where
 * y-tiptap would leave it at the old place. Returns the function that stops.
 */
export function followMovedTextInEditor(view: CaretHost): () => void {
  const sync = syncStateOf(view);
  if (!sync) return () => undefined;
  const { doc, type } = sync;
  let pending: { moves: TextMoves; selection: RelativeSelection } | null = null;

  const place = (moves: TextMoves, selection: RelativeSelection): void => {
    const binding = syncStateOf(view)?.binding;
    if (!binding || view.isDestroyed) return;
    const follow = (relative: Y.RelativePosition | null): number | null => {
      const moved = relative?.item ? movedAnchor(doc, moves, relative.item) : null;
      return moved
        ? relativePositionToAbsolutePosition(
            doc,
            type,
            new Y.RelativePosition(null, null, moved, -1),
            binding.mapping,
          )
        : null;
    };
    const anchor = follow(selection.anchor);
    const head = follow(selection.head);
    if (anchor === null && head === null) return;
    const current = view.state.selection;
    const size = view.state.doc.content.size;
    const clamp = (pos: number) => Math.max(0, Math.min(size, pos));
    view.dispatch(
      view.state.tr
        .setSelection(
          TextSelection.create(view.state.doc, clamp(anchor ?? current.anchor), clamp(head ?? current.head)),
        )
        .setMeta('addToHistory', false),
    );
  };

  const onTransaction = (transaction: Y.Transaction): void => {
    if (view.isDestroyed) return;
    if (transaction.origin === FOLLOW_MOVED_TEXT_ORIGIN) {
      if (pending) place(pending.moves, pending.selection);
      pending = null;
      return;
    }
    if (transaction.local) return;
    const moves = detectTextMoves(transaction);
    const selection = selectionBefore(view);
    // Re-writing one's own characters is a transaction of its own, rendered by y-tiptap after
    // this one: the caret is placed once it is.
    if (followMovedText(doc, transaction, moves) > 0) {
      if (selection) pending = { moves, selection };
    } else if (selection && moves.any) place(moves, selection);
  };
  doc.on('afterTransaction', onTransaction);
  return () => doc.off('afterTransaction', onTransaction);
}
