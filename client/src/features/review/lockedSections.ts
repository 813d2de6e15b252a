import { Extension, type AnyExtension, type Editor } from '@tiptap/core';
import { isChangeOrigin } from '@tiptap/extension-collaboration';
import type { Node as PMNode } from '@tiptap/pm/model';
import { Plugin, PluginKey, type EditorState, type Transaction } from '@tiptap/pm/state';

/** The ids of the locked sections, as the page last set them (plugin state). */
const lockedKey = new PluginKey<ReadonlySet<string>>('essaimLockedSections');

const NONE: ReadonlySet<string> = new Set();

/** The first section of `doc` holding `id`, with its position. */
function sectionById(doc: PMNode, id: string): { node: PMNode; pos: number } | null {
  let found: { node: PMNode; pos: number } | null = null;
  doc.forEach((child, pos) => {
    if (!found && child.type.name === 'section' && child.attrs.id === id) found = { node: child, pos };
  });
  return found;
}

/**
 * The first locked section a change from `before` to `after` alters (its title, text, marks or
 * attributes), or removes; null when every locked section is the same node in both. Sections
 * are compared as nodes (`Node.eq`, which returns at once for a node the change did not touch),
 * so a change of marks, invisible to a step map, is seen too.
 */
export function alteredLockedSection(
  before: PMNode,
  after: PMNode,
  locked: ReadonlySet<string>,
): string | null {
  for (const id of locked) {
    const old = sectionById(before, id);
    if (!old) continue;
    const now = sectionById(after, id);
    if (!now || !old.node.eq(now.node)) return id;
  }
  return null;
}

/** The first locked section the selection `from`–`to` of `doc` touches (a caret inside it included). */
export function lockedSectionAt(
  doc: PMNode,
  from: number,
  to: number,
  locked: ReadonlySet<string>,
): string | null {
  let hit: string | null = null;
  doc.forEach((child, pos) => {
    if (hit || child.type.name !== 'section' || !locked.has(String(child.attrs.id))) return;
    if (from < pos + child.nodeSize && to > pos) hit = String(child.attrs.id);
  });
  return hit;
}

/** The locked sections the page set on this editor state. */
export function lockedSectionsOf(state: EditorState): ReadonlySet<string> {
  return lockedKey.getState(state) ?? NONE;
}

/**
 * Tells the editor which sections are locked (from the review the server sent). A transaction
 * without any change to the text: nothing is written to the shared document.
 */
export function setLockedSections(editor: Editor, ids: readonly string[]): void {
  if (editor.isDestroyed) return;
  const current = lockedSectionsOf(editor.state);
  if (current.size === ids.length && ids.every((id) => current.has(id))) return;
  editor.view.dispatch(editor.state.tr.setMeta(lockedKey, new Set(ids)).setMeta('addToHistory', false));
}

/**
 * Locked sections (issue 12) are not editable in this editor; the others stay so. The server keeps
 * a locked section unchanged anyway (it reverts any change inside one, from any client); this
 * guard spares the person keystrokes that would vanish:
 * - every local transaction that alters or removes a locked section is dropped (changes coming
 *   from the shared document, other people's and the server's, are never filtered: refusing them
 *   would put this editor out of step);
 * - typing, pasting and dropping with the selection in a locked section are refused before the
 *   browser changes the page (`beforeinput` cancelled);
 * each refusal calls `onRefused` with the section's id (the page says why, once in a while).
 */
export function lockedSectionsGuard(onRefused: (sectionId: string) => void): AnyExtension {
  return Extension.create({
    name: 'essaimLockedSections',
    addProseMirrorPlugins() {
      const refuseAt = (state: EditorState): boolean => {
        const locked = lockedSectionsOf(state);
        if (locked.size === 0) return false;
        const { from, to } = state.selection;
        const id = lockedSectionAt(state.doc, from, to, locked);
        if (id) onRefused(id);
        return id !== null;
      };
      return [
        new Plugin<ReadonlySet<string>>({
          key: lockedKey,
          state: {
            init: () => NONE,
            apply: (tr: Transaction, value) =>
              (tr.getMeta(lockedKey) as ReadonlySet<string> | undefined) ?? value,
          },
          filterTransaction: (tr, state) => {
            if (!tr.docChanged || isChangeOrigin(tr)) return true;
            const locked = lockedSectionsOf(state);
            if (locked.size === 0) return true;
            const id = alteredLockedSection(state.doc, tr.doc, locked);
            if (id) onRefused(id);
            return id === null;
          },
          props: {
            handleDOMEvents: {
              beforeinput: (view, event) => {
                if (!refuseAt(view.state)) return false;
                if (event.cancelable) event.preventDefault();
                return true;
              },
            },
            handlePaste: (view) => refuseAt(view.state),
          },
        }),
      ];
    },
  });
}
