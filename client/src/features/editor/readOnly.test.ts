// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import { Editor } from '@tiptap/core';
import { TextSelection } from '@tiptap/pm/state';
import { ySyncPluginKey } from '@tiptap/y-tiptap';
import { schemaExtensions } from '@essaim/editor';
import { readOnlyGuard } from './readOnly.js';

const editors: Editor[] = [];
afterEach(() => {
  for (const editor of editors.splice(0)) editor.destroy();
});

/** An editor as the page builds it: the core `editable` extension off, the guard on. */
function editorOf(editable: boolean): Editor {
  const editor = new Editor({
    element: document.body.appendChild(document.createElement('div')),
    extensions: [...schemaExtensions(), readOnlyGuard()],
    enableCoreExtensions: { editable: false },
    injectCSS: false,
    editable,
    content: {
      type: 'doc',
      content: [
        {
          type: 'section',
          attrs: { id: 's1', key: null },
          content: [
            { type: 'sectionTitle', content: [{ type: 'text', text: 'Origine' }] },
            { type: 'paragraph', content: [{ type: 'text', text: 'Les familles choisissent.' }] },
          ],
        },
      ],
    },
  });
  editors.push(editor);
  return editor;
}

describe('a read-only text', () => {
  it('keeps a caret (the view stays editable) and says it is read-only', () => {
    const editor = editorOf(false);
    expect(editor.view.dom.getAttribute('contenteditable')).toBe('true');
    expect(editor.view.dom.getAttribute('aria-readonly')).toBe('true');
    expect(editor.view.dom.getAttribute('inputmode')).toBe('none');
    expect(editor.isEditable).toBe(false);
  });

  it('drops every change of its document made here, and keeps selections and the shared document’s changes', () => {
    const editor = editorOf(false);
    const before = editor.state.doc;
    editor.commands.insertContentAt(12, 'xyz');
    editor.view.dispatch(editor.state.tr.delete(12, 20));
    expect(editor.state.doc).toBe(before);
    editor.view.dispatch(editor.state.tr.setSelection(TextSelection.create(editor.state.doc, 12, 15)));
    expect(editor.state.selection.from).toBe(12);
    expect(editor.state.selection.to).toBe(15);
    // What y-tiptap brings from the Y.Doc (someone else's edit) is shown.
    editor.view.dispatch(
      editor.state.tr.insertText('Ici, ', 12).setMeta(ySyncPluginKey, { isChangeOrigin: true }),
    );
    expect(editor.state.doc.textContent).toContain('Ici, ');
  });

  it('becomes writable again with the rights, and read-only again without them', () => {
    const editor = editorOf(false);
    editor.setEditable(true);
    expect(editor.view.dom.getAttribute('aria-readonly')).toBeNull();
    editor.commands.insertContentAt(12, 'xyz');
    expect(editor.state.doc.textContent).toContain('xyz');
    editor.setEditable(false);
    expect(editor.view.dom.getAttribute('aria-readonly')).toBe('true');
    const before = editor.state.doc;
    editor.commands.insertContentAt(12, 'abc');
    expect(editor.state.doc).toBe(before);
  });
});
