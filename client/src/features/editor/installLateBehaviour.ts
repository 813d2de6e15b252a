import type { Editor } from '@tiptap/core';
import { yUndoPluginKey } from '@tiptap/y-tiptap';
import * as Y from 'yjs';
import { commentHighlightsPlugin, highlightsOf } from '../comments/highlights.js';
import { linkPlugins } from './linkBehaviour.js';
import { tablePlugins } from './tableBehaviour.js';

const installed = new WeakSet<Editor>();

/** The listeners of an undo manager, by event: lib0's `Observable#_observers`. */
type Listeners = Map<string, Set<(...args: unknown[]) => void>>;

function listenersOf(undoManager: Y.UndoManager): Listeners {
  return (undoManager as unknown as { _observers: Listeners })._observers;
}

/** The Yjs undo manager of the editor's Collaboration extension, if any. */
function undoManagerOf(editor: Editor): Y.UndoManager | null {
  const state: unknown = yUndoPluginKey.getState(editor.state);
  const undoManager =
    typeof state === 'object' && state !== null ? (state as { undoManager?: unknown }).undoManager : null;
  return undoManager instanceof Y.UndoManager ? undoManager : null;
}

/**
 * Adds the late behaviour's plugins (tables: `tableBehaviour.ts`; links: `linkBehaviour.ts`; the
 * comments' highlights, drawing what their store holds: `comments/highlights.ts`) to
 * `editor`, after all of its own, in one state reconfiguration (`editor.registerPlugin`); a
 * second call for the same editor, or a call for a destroyed editor, does nothing.
 *
 * A new plugin makes ProseMirror destroy and re-create every plugin view. y-tiptap's undo plugin
 * view then adds its listeners to the Yjs undo manager again (Tiptap's Collaboration extension
 * keeps the manager and its listeners across the re-creation), after the ones added since the
 * editor was created, among them `undoOnlyOwnChangesInEditor`'s (packages/editor/src/undoScope.ts),
 * which files the undoer's selection with each step: the second copy of y-tiptap's listener would
 * overwrite it. The listeners the re-creation added are removed, so the manager keeps exactly the
 * listeners, in the order, it had before.
 */
export function installLateBehaviour(editor: Editor): void {
  if (installed.has(editor) || editor.isDestroyed) return;
  installed.add(editor);
  const [first, ...rest] = [
    ...tablePlugins(editor),
    ...linkPlugins(editor),
    commentHighlightsPlugin(highlightsOf(editor)),
  ];
  if (!first) return;
  const undoManager = undoManagerOf(editor);
  const before = new Map(
    [...(undoManager ? listenersOf(undoManager) : new Map<string, Set<() => void>>())].map(
      ([event, listeners]) => [event, new Set(listeners)] as const,
    ),
  );
  editor.registerPlugin(first, (plugin, plugins) => [...plugins, plugin, ...rest]);
  if (!undoManager) return;
  for (const [event, listeners] of listenersOf(undoManager))
    for (const listener of [...listeners])
      if (!before.get(event)?.has(listener)) undoManager.off(event as 'stack-item-added', listener);
}
