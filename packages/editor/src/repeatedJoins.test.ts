// @vitest-environment jsdom
import type { EditorView } from '@tiptap/pm/view';
import { describe, expect, it } from 'vitest';
import { type DocJSON } from './convert.js';
import {
  editAsTheEditorDoes,
  expectConverged,
  followsMovedText,
  Network,
  paragraph,
  positionAfter,
  text,
  type Client,
} from '../../../tests/support/yNetwork.js';
import {
  firstSectionParagraphs,
  putCaretAfter,
  useCaretEditors,
} from '../../../tests/support/caretEditors.js';

// Issue 8: two co-writers join the same paragraph to the one before at the same time (Backspace at
// its start), neither having received the other's join. Yjs has no move: each join appends its own
// copy of the paragraph's text, and the text came out twice. The server keeps the first join's
// copy and takes the later one back (dropRepeatedJoins, sectionForwarding.ts).

const start: DocJSON = {
  type: 'doc',
  content: [
    {
      type: 'section',
      attrs: { id: 's1', key: 'origine' },
      content: [
        { type: 'sectionTitle', content: [text('Origine')] },
        paragraph(text('Premier paragraphe.')),
        paragraph(text('Second paragraphe.')),
      ],
    },
  ],
};

const { editorOf } = useCaretEditors();

/** A co-writer's editor without a view: it re-writes its own keystrokes after a move. */
const coWriter = (client: Client): Client => followsMovedText(client);

/** Backspace at the start of the second paragraph, written back as the editor does. */
const join = (client: Client) =>
  editAsTheEditorDoes(client.doc, (tr) => tr.join(positionAfter(client.doc, 'Premier paragraphe.') + 1));

/** Types `value` just after `needle`, as the editor writes it back. */
const typeAfter = (client: Client, needle: string, value: string) =>
  editAsTheEditorDoes(client.doc, (tr) => {
    const at = positionAfter(client.doc, needle);
    tr.replaceWith(at, at, tr.doc.type.schema.text(value));
  });

/** Types at the caret, one keystroke (one ProseMirror transaction) per character. */
function typeAtCaret(view: EditorView, value: string): void {
  for (const char of value) view.dispatch(view.state.tr.insertText(char));
}

describe('a paragraph two co-writers join to the one before at the same time', () => {
  for (const [first, second] of [
    [100, 200],
    [200, 100],
  ] as const)
    it(`comes out once, with what the later joiner typed at the end where it typed it (client ${first} first, ${second} second)`, () => {
      const net = new Network(start);
      const a = coWriter(net.join(first));
      const b = coWriter(net.join(second));
      join(a);
      join(b);
      // The later joiner goes on typing at the end of the paragraph it joined.
      typeAfter(b, 'Second paragraphe.', ' Fin.');
      net.send(a);
      net.send(b);
      net.settle();
      expectConverged(net);
      expect(firstSectionParagraphs(net.server)).toEqual(['Premier paragraphe.Second paragraphe. Fin.']);
    });

  it('keeps the caret of a joiner typing at the junction, in an editor, where it types', () => {
    const net = new Network(start);
    const a = coWriter(net.join(300));
    const b = net.join(200);
    const view = editorOf(b);
    join(a);
    net.send(a);
    // One joins without having received the co-writer's join, then types at the junction.
    join(b);
    putCaretAfter(view, 'Premier paragraphe.');
    typeAtCaret(view, 'Et');
    net.send(b);
    net.deliver(b);
    net.deliver(a);
    typeAtCaret(view, ' puis');
    net.settle();
    expectConverged(net);
    expect(firstSectionParagraphs(net.server)).toEqual(['Premier paragraphe.Et puisSecond paragraphe.']);
  });

  it('still keeps both copies when the later joiner had typed in the paragraph before joining it', () => {
    const net = new Network(start);
    const a = coWriter(net.join(100));
    const b = coWriter(net.join(200));
    join(a);
    typeAfter(b, 'Second paragraphe.', ' Ajout.');
    join(b);
    net.send(a);
    net.send(b);
    net.settle();
    expectConverged(net);
    // No word lost: the typed word is only in the later copy, which stays whole.
    expect(firstSectionParagraphs(net.server).join('|')).toContain('Second paragraphe. Ajout.');
  });
});
