import type { Editor } from '@tiptap/core';
import type { Node as PMNode } from '@tiptap/pm/model';
import { Selection, TextSelection, type Transaction } from '@tiptap/pm/state';
import { emptySection } from '@essaim/editor';
import { findSection, isSectionEmpty } from './sectionRules.js';

/**
 * Section operations as ProseMirror transactions. Each one goes through the editor's dispatch, so
 * the required-section guard sees it, and Yjs carries it to the other people. Moves are the
 * exception: the server performs them (sectionMoves.ts).
 */

function sectionsWithPositions(doc: PMNode): { id: string; pos: number; node: PMNode }[] {
  const out: { id: string; pos: number; node: PMNode }[] = [];
  doc.forEach((child, offset) => {
    if (child.type.name === 'section')
      out.push({ id: String(child.attrs.id ?? ''), pos: offset, node: child });
  });
  return out;
}

/**
 * Scrolls a section's heading to the top of the window, below the sticky toolbar: the top margin
 * is the one ProseMirror uses for the caret (`scrollMargin` prop, the toolbar's measured height:
 * editor/scrollMargin.ts), else the stylesheet's `scroll-margin-top` (sections.css).
 */
export function scrollSectionIntoView(editor: Editor, id: string): void {
  const found = findSection(editor.state.doc, id);
  if (!found) return;
  const dom = editor.view.nodeDOM(found.pos);
  if (dom instanceof HTMLElement) {
    const margin = editor.view.someProp('scrollMargin');
    const top = typeof margin === 'number' ? margin : margin?.top;
    if (top !== undefined) dom.style.scrollMarginTop = `${top}px`;
    const smooth = !window.matchMedia('(prefers-reduced-motion: reduce)').matches;
    dom.scrollIntoView({ block: 'start', behavior: smooth ? 'smooth' : 'auto' });
  }
}

function selectTitle(tr: Transaction, sectionPos: number, whole: boolean): Transaction {
  const title = tr.doc.nodeAt(sectionPos)?.firstChild;
  const start = sectionPos + 2;
  const end = start + (title?.content.size ?? 0);
  return tr.setSelection(TextSelection.create(tr.doc, whole ? start : end, end));
}

/**
 * Adds an empty section after the section `id` and selects its title, so typing names it.
 * Returns the new section's id.
 */
export function addSectionAfter(editor: Editor, id: string, title: string): string | null {
  const { state } = editor;
  const found = findSection(state.doc, id);
  if (!found) return null;
  const newId = crypto.randomUUID();
  const node = state.schema.nodeFromJSON(emptySection(newId, title));
  const at = found.pos + found.node.nodeSize;
  const tr = selectTitle(state.tr.insert(at, node), at, true);
  editor.view.dispatch(tr);
  editor.view.focus();
  scrollSectionIntoView(editor, newId);
  return newId;
}

/**
 * Where « Monter » (`-1`) or « Descendre » (`1`) puts the section `id`, as the person sees the
 * document: the id of the section it should follow (`null`: first), or `undefined` when it cannot
 * move that way. The server performs the move (see sectionMoves.ts); two people asking the same
 * thing from the same view make one move.
 */
export function moveTarget(doc: PMNode, id: string, direction: -1 | 1): string | null | undefined {
  const ids = sectionsWithPositions(doc).map((s) => s.id);
  const index = ids.indexOf(id);
  if (index < 0) return undefined;
  if (direction === -1) return index === 0 ? undefined : (ids[index - 2] ?? null);
  return ids[index + 1];
}

/** Removes the section `id`. Returns false when nothing changed (refused by the guard). */
export function removeSection(editor: Editor, id: string): boolean {
  const { state } = editor;
  const found = findSection(state.doc, id);
  if (!found || state.doc.childCount <= 1) return false;
  const before = state.doc;
  editor.view.dispatch(state.tr.delete(found.pos, found.pos + found.node.nodeSize));
  return editor.state.doc !== before;
}

/** Puts the caret in a section's title (the whole title selected, to rename it by typing). */
export function focusSectionTitle(editor: Editor, id: string): void {
  const found = findSection(editor.state.doc, id);
  if (!found) return;
  editor.view.dispatch(selectTitle(editor.state.tr, found.pos, true));
  editor.view.focus();
  scrollSectionIntoView(editor, id);
}

/**
 * Brings a section into view and, when the document is editable, puts the caret at the start of
 * its text (after the title), where one writes.
 */
export function focusSection(editor: Editor, id: string): void {
  const found = findSection(editor.state.doc, id);
  if (!found) return;
  if (editor.isEditable) {
    // An empty section is written in its first empty paragraph (where the prompt shows, after the
    // template's subheading if any); otherwise the caret goes to the start of its text.
    const { node, pos } = found;
    let target = pos + 1 + (node.firstChild?.nodeSize ?? 0);
    if (isSectionEmpty(node)) {
      let first: number | null = null;
      node.forEach((child, offset) => {
        if (first === null && child.type.name === 'paragraph') first = pos + 1 + offset;
      });
      target = first ?? target;
    }
    const $body = editor.state.doc.resolve(Math.min(target, editor.state.doc.content.size));
    const selection = Selection.findFrom($body, 1, true) ?? Selection.near($body);
    editor.view.dispatch(editor.state.tr.setSelection(selection));
    editor.view.focus();
  }
  scrollSectionIntoView(editor, id);
}

/**
 * Brings a section into view and puts the caret at the start of its text, read-only or not (a
 * read-only text keeps a caret, readOnly.ts): the target of a link to one section
 * (`/documents/:id?section=<id>`, from a notification). Returns false when the document has no
 * such section (yet: the caller may try again once the text has arrived).
 */
export function revealSection(editor: Editor, id: string): boolean {
  const found = findSection(editor.state.doc, id);
  if (!found) return false;
  const { node, pos } = found;
  const $body = editor.state.doc.resolve(
    Math.min(pos + 1 + (node.firstChild?.nodeSize ?? 0), editor.state.doc.content.size),
  );
  const selection = Selection.findFrom($body, 1, true) ?? Selection.near($body);
  editor.view.dispatch(editor.state.tr.setSelection(selection));
  editor.view.focus();
  scrollSectionIntoView(editor, id);
  return true;
}

/**
 * Enter in a section title never splits it (a section has one title): the caret goes to the text
 * below, into the first paragraph when it is empty, or into a new paragraph.
 */
export function leaveSectionTitle(editor: Editor): boolean {
  const { state } = editor;
  const { $from, empty } = state.selection;
  if (!empty || $from.parent.type.name !== 'sectionTitle' || $from.depth !== 2) return false;
  const after = $from.after();
  const next = state.doc.nodeAt(after);
  const tr = state.tr;
  if (next?.type.name === 'paragraph' && next.childCount === 0) {
    tr.setSelection(TextSelection.create(tr.doc, after + 1));
  } else {
    const paragraph = state.schema.nodes.paragraph;
    if (!paragraph) return false;
    tr.insert(after, paragraph.create()).setSelection(TextSelection.create(tr.doc, after + 1));
  }
  editor.view.dispatch(tr.scrollIntoView());
  return true;
}
