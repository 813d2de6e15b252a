import { TextSelection, type EditorState, type Transaction } from '@tiptap/pm/state';
import { relativePositionToAbsolutePosition, ySyncPluginKey } from '@tiptap/y-tiptap';
import * as Y from 'yjs';
import { isRecordedRewrite, ownCopiedIn } from './copiedClocks.js';
import { forwarderOf, isOwnOrForwarded, itemAt, textsWrittenIn } from './yItems.js';
import {
  alignEnds,
  detectTextMoves,
  FOLLOW_MOVED_TEXT_ORIGIN,
  followMovedText,
  type TextMoves,
} from './textMoves.js';

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
 * sits exactly where they were inserted and nothing is selected. When the caret waits for the very
 * character it followed ({@link followMovedTextInEditor} knows it: see {@link Orphan}), this leaves
 * the caret to it: the end of what was written again may lie past that character. Returns the
 * function that stops.
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
    // The caret waits for its own character written again: followMovedTextInEditor puts it there.
    if (orphanOf(view, doc)) return;
    const forwarder = forwarderOf(doc.clientID);
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
 * The caret's own character gone with its paragraph, waiting for the server to write it again.
 *
 * When a co-writer joins (or moves, or replaces) the paragraph one typed in while one's last
 * keystrokes were on their way or typed offline, their change reaches one's editor first and
 * deletes those keystrokes with the paragraph: the server writes them again after the copy of the
 * text before them (sectionForwarding.ts, under one's client id minus one), in one or several
 * updates that come after. Until they come, the caret waits after the copy of the nearest
 * character before them ({@link Orphan.placed}); as they come, it goes after the copy of the
 * character it followed. Putting it at the end of what was written again is not enough: the
 * editor's binding may have put some of one's keystrokes after the caret (typing « ␣klm » after
 * « j␣ » leaves the first space after « klm »), and the caret would end one character too far.
 */
interface Orphan {
  /** One's own characters deleted with the caret's one and not copied, in their order. */
  ids: Y.ID[];
  str: string;
  /** Index in `ids` of the character just before the caret. */
  at: number;
  /** The character the caret was put after meanwhile: the orphan holds while the caret is there. */
  placed: Y.ID;
}

const orphans = new WeakMap<Y.Doc, Orphan>();

/** The orphan of `doc` if the caret (before the current transaction) is still where it was put. */
function orphanOf(view: CaretHost, doc: Y.Doc): Orphan | null {
  const orphan = orphans.get(doc);
  if (!orphan) return null;
  const selection = selectionBefore(view);
  const at = (relative: Y.RelativePosition | null) =>
    relative?.item !== null &&
    relative?.item !== undefined &&
    relative.assoc < 0 &&
    Y.compareIDs(relative.item, orphan.placed);
  if (selection && at(selection.anchor) && at(selection.head)) return orphan;
  orphans.delete(doc);
  return null;
}

/**
 * The run of one's own characters, around `id` (one's own, deleted by `transaction` without a copy
 * in `moves`), that `transaction` deleted without copying them, in their order: broken by any
 * other character that was there before. Null when `id` is not such a character.
 *
 * The characters of one's own that the server wrote again in `transaction` itself (one's
 * keystrokes it had and the co-writer had not: the join's update brings them) belong to the run
 * too, with their copies: the server writes the rest just after them, and {@link followWrittenAgain}
 * pairs the whole stretch it wrote with the whole run. Left out, they made the run shorter than that
 * stretch, and the repeated letters of a typed word paired by their ends (the run's « AA » with the
 * first two of « AAA »): the caret went one character short of its word (issue 8, browser « Enter
 * then Backspace »: « …aaaa1111A », the typist's next keystrokes before their last letter).
 */
function orphanRun(
  doc: Y.Doc,
  transaction: Y.Transaction,
  moves: TextMoves,
  id: Y.ID,
): Pick<Orphan, 'ids' | 'str' | 'at'> | null {
  const deletedNow = (n: Y.Item) =>
    n.id.clock < (transaction.beforeState.get(n.id.client) ?? 0) &&
    n.deleted &&
    Y.isDeleted(transaction.deleteSet, n.id);
  const item = itemAt(doc, id);
  if (!item || !isOwnOrForwarded(doc, id) || !deletedNow(item) || !(item.parent instanceof Y.XmlText))
    return null;
  const forwarder = forwarderOf(doc.clientID);
  const writtenNow = (copy: Y.ID | null): boolean =>
    copy !== null && copy.client === forwarder && copy.clock >= (transaction.beforeState.get(forwarder) ?? 0);
  let run: Pick<Orphan, 'ids' | 'str' | 'at'> = { ids: [], str: '', at: -1 };
  for (let n = item.parent._start; n; n = n.right) {
    const { content } = n;
    if (content instanceof Y.ContentFormat) continue;
    const there =
      n.id.clock < (transaction.beforeState.get(n.id.client) ?? 0) && (!n.deleted || deletedNow(n));
    if (!there) continue;
    for (let k = 0; k < n.length; k++) {
      const char = Y.createID(n.id.client, n.id.clock + k);
      const copy = moves.follow(char);
      const orphaned =
        content instanceof Y.ContentString &&
        isOwnOrForwarded(doc, char) &&
        deletedNow(n) &&
        (!copy || writtenNow(copy));
      if (!orphaned) {
        if (run.at >= 0) return run;
        run = { ids: [], str: '', at: -1 };
        continue;
      }
      if (Y.compareIDs(char, id)) run.at = run.ids.length;
      run.ids.push(char);
      run.str += (content as Y.ContentString).str[k] as string;
    }
  }
  return run.at >= 0 ? run : null;
}

/**
 * Pairs the orphan's characters with the characters the server wrote again for them in
 * `transaction` (one's client id minus one), recorded in `moves` for the caret: the run of such
 * characters that holds new ones and has the most in common with the orphan at either end.
 */
function followWrittenAgain(doc: Y.Doc, transaction: Y.Transaction, orphan: Orphan, moves: TextMoves): void {
  const forwarder = forwarderOf(doc.clientID);
  const before = transaction.beforeState.get(forwarder) ?? 0;
  const after = transaction.afterState.get(forwarder) ?? 0;
  if (after <= before) return;
  const texts = textsWrittenIn(doc, forwarder, before, after);
  let best: { ids: Y.ID[]; pairs: [number, number][] } | null = null;
  for (const text of texts) {
    let run: { ids: Y.ID[]; str: string; fresh: boolean } = { ids: [], str: '', fresh: false };
    const consider = () => {
      if (!run.fresh) return;
      const pairs: [number, number][] =
        run.str === orphan.str ? run.ids.map((_, k) => [k, k]) : alignEnds(orphan.str, run.str, []);
      if (pairs.length > (best?.pairs.length ?? 0)) best = { ids: run.ids, pairs };
    };
    for (let n = text._start; n; n = n.right) {
      const { content } = n;
      if (n.deleted || content instanceof Y.ContentFormat || !n.countable) continue;
      if (n.id.client !== forwarder || !(content instanceof Y.ContentString)) {
        consider();
        run = { ids: [], str: '', fresh: false };
        continue;
      }
      for (let k = 0; k < n.length; k++) run.ids.push(Y.createID(n.id.client, n.id.clock + k));
      run.str += content.str;
      if (n.id.clock + n.length > before) run.fresh = true;
    }
    consider();
  }
  const found = best as { ids: Y.ID[]; pairs: [number, number][] } | null;
  for (const [i, j] of found?.pairs ?? []) moves.setForCaret(orphan.ids[i] as Y.ID, found?.ids[j] as Y.ID);
}

/**
 * The character the caret now goes after, for a caret that was after `id` before `transaction`
 * (or waiting for its orphan, see {@link Orphan}): the copy of its character; failing that, the
 * copy of the nearest character before it (see {@link movedAnchor}), and then, if its character
 * is one of one's own that the server will write again, the caret waits for it there. Null when
 * nothing before the caret moved. Updates the document's orphan.
 */
function caretCharacter(
  doc: Y.Doc,
  transaction: Y.Transaction,
  moves: TextMoves,
  id: Y.ID,
  orphan: Orphan | null,
): Y.ID | null {
  if (orphan) {
    const exact = moves.follow(orphan.ids[orphan.at] as Y.ID);
    if (exact) {
      orphans.delete(doc);
      return exact;
    }
    // What the last move's copy holds of it (written again after that move in the same update,
    // later characters of it go after).
    const recorded = lastCopied(doc, transaction, orphan);
    if (recorded?.index === orphan.at) {
      orphans.delete(doc);
      return recorded.last;
    }
    // Part of it written again: the caret waits after the last of that part before it.
    for (let k = orphan.at - 1; k >= 0; k--) {
      if (recorded && k <= recorded.index)
        return (orphan.placed = pastEarlierRewrites(doc, transaction, recorded.last));
      const copy = moves.follow(orphan.ids[k] as Y.ID);
      if (copy) return (orphan.placed = copy);
    }
    // Nothing of it yet, but the place where it waits moved (the join undone), or the server
    // wrote one's earlier keystrokes there (the caret waits after them).
    const moved = movedAnchor(doc, moves, orphan.placed) ?? orphan.placed;
    const placed = pastEarlierRewrites(doc, transaction, moved);
    if (Y.compareIDs(placed, orphan.placed)) return null;
    return (orphan.placed = placed);
  }
  const direct = moves.follow(id);
  if (direct) return direct;
  const moved = movedAnchor(doc, moves, id);
  if (!moved) return null;
  const run = orphanRun(doc, transaction, moves, id);
  if (!run) return moved;
  const placed = pastEarlierRewrites(doc, transaction, moved);
  orphans.set(doc, { ...run, placed });
  return placed;
}

/**
 * What a record of a move in `transaction` (copiedClocks.ts) says of the orphan: the index of the
 * last of its characters the server had received when it copied the section, at or before the
 * caret's one, and the character of the copy it became (the caret goes after it). Null when no
 * record says so. The server may have written that keystroke again between two moves that came
 * together: found by letters, its copy was taken for another character (« base060␣A »).
 */
function lastCopied(
  doc: Y.Doc,
  transaction: Y.Transaction,
  orphan: Orphan,
): { index: number; last: Y.ID } | null {
  for (const { clock, last } of ownCopiedIn(transaction)) {
    if (!last) continue;
    const index = orphan.ids.findIndex((id) => id.client === doc.clientID && id.clock === clock - 1);
    const item = itemAt(doc, last);
    if (index >= 0 && index <= orphan.at && item && !item.deleted) return { index, last };
  }
  return null;
}

/**
 * The last of the characters just after `at` that the server wrote again for one's keystrokes
 * (one's client id minus one, or their copies in a section it moved since, which the record of a
 * move in `transaction` names), `at` itself when none. The server received them before the
 * keystrokes the caret waits for, and writes these after them (sectionForwarding.ts
 * `writersEarlierText`): the caret waits there too. Waiting before them, it let one's next
 * keystrokes in front of one's own earlier word (« base061␣A0 », issue 8, a section moved twice
 * while someone types).
 */
function pastEarlierRewrites(doc: Y.Doc, transaction: Y.Transaction, at: Y.ID): Y.ID {
  const forwarder = forwarderOf(doc.clientID);
  // Copies of them made by a move of the same update: its record names them (copiedClocks.ts).
  const recorded = ownCopiedIn(transaction);
  const start = itemAt(doc, at);
  if (!start) return at;
  let last = at;
  for (let n: Y.Item | null = start, k = at.clock - start.id.clock + 1; n; n = n.right, k = 0) {
    if (n.deleted || n.content instanceof Y.ContentFormat) continue;
    if (!(n.content instanceof Y.ContentString)) return last;
    for (; k < n.length; k++) {
      const id = Y.createID(n.id.client, n.id.clock + k);
      if (id.client !== forwarder && !recorded.some((writer) => isRecordedRewrite(writer, id))) return last;
      last = id;
    }
  }
  return last;
}

/**
 * Keeps this editor's text and caret with the text they were in when a co-writer moves it by
 * splitting, joining or pasting (see textMoves.ts): after each remote transaction that moves
 * characters, one's own characters anchored on moved ones are re-written after their copies, and
 * the caret (or the selection's ends) placed after a moved character goes after its copy, where
 * y-tiptap would leave it at the old place. A caret after one of one's own characters that the
 * change deleted without a copy (typed offline or on its way in a paragraph a co-writer joined)
 * waits after the copy of the text before it, then goes after that character once the server has
 * written it again, in whatever updates that comes (see {@link Orphan}). Returns the function
 * that stops.
 */
export function followMovedTextInEditor(view: CaretHost): () => void {
  const sync = syncStateOf(view);
  if (!sync) return () => undefined;
  const { doc, type } = sync;
  /** The characters the selection's ends go after (null: that end stays). */
  interface Target {
    anchor: Y.ID | null;
    head: Y.ID | null;
  }
  let pending: Target | null = null;

  /**
   * Where the selection goes, read while the transaction's deleted characters are still readable
   * (Yjs collects them once it ends, before the re-writing transaction is rendered).
   */
  const targetOf = (
    transaction: Y.Transaction,
    moves: TextMoves,
    selection: RelativeSelection,
    orphan: Orphan | null,
  ): Target => {
    const { anchor, head } = selection;
    if (anchor?.item && head?.item && anchor.assoc === head.assoc && Y.compareIDs(anchor.item, head.item)) {
      const caret = caretCharacter(doc, transaction, moves, anchor.item, orphan);
      return { anchor: caret, head: caret };
    }
    orphans.delete(doc);
    return {
      anchor: anchor?.item ? movedAnchor(doc, moves, anchor.item) : null,
      head: head?.item ? movedAnchor(doc, moves, head.item) : null,
    };
  };

  const place = (target: Target): void => {
    const binding = syncStateOf(view)?.binding;
    if (!binding || view.isDestroyed) return;
    const positionAfter = (id: Y.ID | null): number | null =>
      id
        ? relativePositionToAbsolutePosition(
            doc,
            type,
            new Y.RelativePosition(null, null, id, -1),
            binding.mapping,
          )
        : null;
    const anchor = positionAfter(target.anchor);
    const head = positionAfter(target.head);
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
      if (pending) place(pending);
      pending = null;
      return;
    }
    if (transaction.local) return;
    const moves = detectTextMoves(transaction);
    const orphan = orphanOf(view, doc);
    if (orphan) followWrittenAgain(doc, transaction, orphan, moves);
    const selection = selectionBefore(view);
    const relocated = followMovedText(doc, transaction, moves) > 0;
    // A caret waiting for its character (orphan) may have to pass one's earlier keystrokes that
    // the server wrote again where it waits, in a change that moves nothing.
    if (!selection || (!relocated && !moves.any && !orphan)) return;
    const target = targetOf(transaction, moves, selection, orphan);
    // Re-writing one's own characters is a transaction of its own, rendered by y-tiptap after
    // this one: the caret is placed once it is.
    if (relocated) pending = target;
    else place(target);
  };
  doc.on('afterTransaction', onTransaction);
  return () => doc.off('afterTransaction', onTransaction);
}
