// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import { Editor } from '@tiptap/core';
import { TextSelection } from '@tiptap/pm/state';
import { ySyncPluginKey } from '@tiptap/y-tiptap';
import { schemaExtensions } from '@essaim/editor';
import { findSection } from '../sections/sectionRules.js';
import {
  lockedSectionAt,
  lockedSectionsGuard,
  lockedSectionsOf,
  setLockedSections,
} from './lockedSections.js';

const editors: Editor[] = [];
afterEach(() => {
  for (const editor of editors.splice(0)) editor.destroy();
});

const section = (id: string, title: string, text: string) => ({
  type: 'section',
  attrs: { id, key: null },
  content: [
    { type: 'sectionTitle', content: [{ type: 'text', text: title }] },
    { type: 'paragraph', content: [{ type: 'text', text }] },
  ],
});

/** An editor with two sections, `a` and `b`, and the guard; `refusals` records its refusals. */
function editorWithGuard(): { editor: Editor; refusals: string[] } {
  const refusals: string[] = [];
  const editor = new Editor({
    element: document.body.appendChild(document.createElement('div')),
    extensions: [...schemaExtensions(), lockedSectionsGuard((id) => refusals.push(id))],
    injectCSS: false,
    content: {
      type: 'doc',
      content: [section('a', 'Origine', 'Texte approuvé.'), section('b', 'Étapes', 'Brouillon.')],
    },
  });
  editors.push(editor);
  return { editor, refusals };
}

/** Section `id` of the editor's document, with its position. */
function sectionIn(editor: Editor, id: string): NonNullable<ReturnType<typeof findSection>> {
  const found = findSection(editor.state.doc, id);
  if (!found) throw new Error(`no section ${id}`);
  return found;
}

/** Position of the start of the paragraph text of section `id`. */
function textStart(editor: Editor, id: string): number {
  const found = sectionIn(editor, id);
  return found.pos + 1 + (found.node.firstChild?.nodeSize ?? 0) + 1;
}

describe('locked sections in the editor', () => {
  it('refuses typing, deleting and marking inside a locked section, and says which one', () => {
    const { editor, refusals } = editorWithGuard();
    setLockedSections(editor, ['a']);
    const before = editor.state.doc;
    const at = textStart(editor, 'a');
    editor.commands.insertContentAt(at, 'xyz');
    editor.view.dispatch(editor.state.tr.delete(at, at + 5));
    const bold = editor.schema.marks.bold;
    if (bold) editor.view.dispatch(editor.state.tr.addMark(at, at + 5, bold.create()));
    // The title is part of the section.
    editor.view.dispatch(editor.state.tr.insertText('Nouvelle ', sectionIn(editor, 'a').pos + 2));
    expect(editor.state.doc).toBe(before);
    expect(refusals).toEqual(['a', 'a', 'a', 'a']);
  });

  it('refuses removing a locked section, even within a selection over several sections', () => {
    const { editor } = editorWithGuard();
    setLockedSections(editor, ['b']);
    const before = editor.state.doc;
    const b = sectionIn(editor, 'b');
    editor.view.dispatch(editor.state.tr.delete(b.pos, b.pos + b.node.nodeSize));
    editor.view.dispatch(editor.state.tr.delete(textStart(editor, 'a'), textStart(editor, 'b') + 3));
    expect(editor.state.doc).toBe(before);
  });

  it('keeps the other sections editable, and the shared document’s changes inside the locked one', () => {
    const { editor, refusals } = editorWithGuard();
    setLockedSections(editor, ['a']);
    editor.commands.insertContentAt(textStart(editor, 'b'), 'Puis ');
    expect(findSection(editor.state.doc, 'b')?.node.textContent).toContain('Puis Brouillon.');
    // The server's revert, or anyone's change, comes through y-tiptap: never filtered.
    editor.view.dispatch(
      editor.state.tr
        .insertText('Ici, ', textStart(editor, 'a'))
        .setMeta(ySyncPluginKey, { isChangeOrigin: true }),
    );
    expect(findSection(editor.state.doc, 'a')?.node.textContent).toContain('Ici, Texte approuvé.');
    expect(refusals).toEqual([]);
  });

  it('becomes editable again once unlocked, and setting the same locks again changes nothing', () => {
    const { editor } = editorWithGuard();
    setLockedSections(editor, ['a']);
    const state = editor.state;
    setLockedSections(editor, ['a']);
    expect(editor.state).toBe(state);
    setLockedSections(editor, []);
    expect(lockedSectionsOf(editor.state).size).toBe(0);
    editor.commands.insertContentAt(textStart(editor, 'a'), 'Désormais ');
    expect(findSection(editor.state.doc, 'a')?.node.textContent).toContain('Désormais Texte approuvé.');
  });

  it('finds the locked section a selection or a caret touches, not one that only borders it', () => {
    const { editor } = editorWithGuard();
    const doc = editor.state.doc;
    const locked = new Set(['b']);
    const b = sectionIn(editor, 'b');
    expect(lockedSectionAt(doc, textStart(editor, 'b'), textStart(editor, 'b'), locked)).toBe('b');
    expect(lockedSectionAt(doc, textStart(editor, 'a'), textStart(editor, 'a') + 2, locked)).toBeNull();
    expect(lockedSectionAt(doc, b.pos, b.pos, locked)).toBeNull();
    expect(lockedSectionAt(doc, textStart(editor, 'a'), textStart(editor, 'b'), locked)).toBe('b');
    editor.view.dispatch(editor.state.tr.setSelection(TextSelection.create(doc, textStart(editor, 'b'))));
    expect(editor.state.selection.from).toBe(textStart(editor, 'b'));
  });
});
