// @vitest-environment jsdom
import type { EditorView } from '@tiptap/pm/view';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { FRAGMENT } from '@essaim/protocol';
import { Network, paragraph, section, text } from '../../../tests/support/yNetwork.js';
import { press, putCaretAfter, useCaretEditors } from '../../../tests/support/caretEditors.js';

// The y-tiptap patch (patches/@tiptap+y-tiptap+3.0.9.patch, README « Correctifs de dépendances »):
// the binding turns each change of a paragraph into a Yjs insertion or deletion found by comparing
// the old and the new text. Next to equal letters the comparison is ambiguous; without the caret it
// put the change after the whole run of equal letters, so the characters of the shared text were
// not the ones the person typed (issue 8, tester BR42).

const { editorOf } = useCaretEditors();

/** An editor on a one-paragraph document holding `initial`, and its Yjs text. */
function editorWith(initial: string): { view: EditorView; ytext: Y.XmlText; doc: Y.Doc } {
  const net = new Network({ type: 'doc', content: [section('s1', 'Vigilance', paragraph(text(initial)))] });
  const client = net.join(100);
  const view = editorOf(client);
  const sectionElement = client.doc.getXmlFragment(FRAGMENT).get(0) as Y.XmlElement;
  const block = sectionElement.toArray().find((c) => c instanceof Y.XmlElement && c.nodeName === 'paragraph');
  const ytext = (block as Y.XmlElement).get(0) as Y.XmlText;
  return { view, ytext, doc: client.doc };
}

/** The visible characters of `ytext` with, for each, whether this client wrote it. */
function writers(ytext: Y.XmlText, doc: Y.Doc): string {
  let out = '';
  for (let n = ytext._start; n; n = n.right)
    if (!n.deleted && n.content instanceof Y.ContentString)
      out += n.id.client === doc.clientID ? `[${n.content.str}]` : n.content.str;
  return out;
}

describe('a keystroke next to equal letters', () => {
  it('is written where the caret is: a space typed before a space', () => {
    const { view, ytext, doc } = editorWith('Alpha beta gamma');
    putCaretAfter(view, 'Alpha beta');
    press(view, ' ');
    expect(writers(ytext, doc)).toBe('Alpha beta[ ] gamma');
  });

  it('is written where the caret is: a letter typed at the start of a run of the same letter', () => {
    const { view, ytext, doc } = editorWith('Mille');
    putCaretAfter(view, 'Mi');
    press(view, 'l');
    press(view, 'l');
    expect(writers(ytext, doc)).toBe('Mi[ll]lle');
  });

  it('deletes the letter before the caret, not the last of its run, on Backspace', () => {
    const { view, ytext } = editorWith('balle');
    const before = ytext._start?.id as Y.ID;
    putCaretAfter(view, 'bal');
    press(view, 'Backspace');
    expect(ytext.toString()).toBe('bale');
    // The first « l » (offset 2) is the one deleted: the second (offset 3) stays.
    const deleted: number[] = [];
    for (let n = ytext._start; n; n = n.right)
      if (n.deleted && n.id.client === before.client)
        for (let k = 0; k < n.length; k++) deleted.push(n.id.clock + k - before.clock);
    expect(deleted).toEqual([2]);
  });

  it('leaves a paragraph the caret is not in to the plain comparison', () => {
    const { view, ytext, doc } = editorWith('Alpha beta gamma');
    putCaretAfter(view, 'Vigil');
    view.dispatch(view.state.tr.insertText(' ', 'Vigilance\nAlpha beta'.length + 4));
    expect(ytext.toString()).toBe('Alpha beta  gamma');
    expect(writers(ytext, doc)).toBe('Alpha beta [ ]gamma');
  });
});
