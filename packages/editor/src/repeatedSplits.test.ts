// @vitest-environment jsdom
import type { EditorView } from '@tiptap/pm/view';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { FRAGMENT } from '@essaim/protocol';
import { type DocJSON } from './convert.js';
import { undoOnlyOwnChanges } from './undoScope.js';
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

// Issue 8: two co-writers split the same paragraph at the same place at the same time (Enter),
// neither having received the other's split. Yjs has no move: each split deletes the paragraph's
// end and writes its own copy of it in a new paragraph, and the end came out twice. The server
// keeps the first split's copy and takes the later one back (dropRepeatedSplits,
// sectionForwarding.ts).

const start: DocJSON = {
  type: 'doc',
  content: [
    {
      type: 'section',
      attrs: { id: 's1', key: 'origine' },
      content: [
        { type: 'sectionTitle', content: [text('Origine')] },
        paragraph(text('Premier paragraphe. Suite du premier.')),
        paragraph(text('Second paragraphe.')),
      ],
    },
  ],
};

const { editorOf } = useCaretEditors();

/** A co-writer's editor without a view: it re-writes its own keystrokes after a move. */
const coWriter = (client: Client): Client => followsMovedText(client);

/** Enter just after « Premier paragraphe. », written back as the editor does. */
const split = (client: Client) =>
  editAsTheEditorDoes(client.doc, (tr) => tr.split(positionAfter(client.doc, 'Premier paragraphe.')));

/** Types `value` just after `needle`, as the editor writes it back. */
const typeAfter = (client: Client, needle: string, value: string) =>
  editAsTheEditorDoes(client.doc, (tr) => {
    const at = positionAfter(client.doc, needle);
    tr.replaceWith(at, at, tr.doc.type.schema.text(value));
  });

/** Types `value` at the start of the paragraph that begins with `needle`. */
const typeBefore = (client: Client, needle: string, value: string) =>
  editAsTheEditorDoes(client.doc, (tr) => {
    const at = positionAfter(client.doc, needle) - needle.length;
    tr.replaceWith(at, at, tr.doc.type.schema.text(value));
  });

/** The writer's undo, as the editor scopes it: its own changes only. */
function undoManager(client: Client): Y.UndoManager {
  const undo = new Y.UndoManager(client.doc.getXmlFragment(FRAGMENT), {
    trackedOrigins: new Set([null]),
    captureTimeout: 0,
  });
  undoOnlyOwnChanges(undo);
  return undo;
}

/** Types at the caret, one keystroke (one ProseMirror transaction) per character. */
function typeAtCaret(view: EditorView, value: string): void {
  for (const char of value) view.dispatch(view.state.tr.insertText(char));
}

const SPLIT = ['Premier paragraphe.', ' Suite du premier.', 'Second paragraphe.'];

describe('a paragraph two co-writers split at the same place at the same time', () => {
  for (const [first, second] of [
    [100, 200],
    [200, 100],
  ] as const)
    it(`comes out split once, both online (client ${first} first, ${second} second)`, () => {
      const net = new Network(start);
      const a = coWriter(net.join(first));
      const b = coWriter(net.join(second));
      split(a);
      split(b);
      net.send(a);
      net.send(b);
      net.settle();
      expectConverged(net);
      expect(firstSectionParagraphs(net.server)).toEqual(SPLIT);
    });

  it('comes out split once when the later one split it offline', () => {
    const net = new Network(start);
    const a = coWriter(net.join(100));
    const b = coWriter(net.join(200));
    net.offline(b);
    split(b);
    split(a);
    net.send(a);
    net.reconnect(b);
    net.settle();
    expectConverged(net);
    expect(firstSectionParagraphs(net.server)).toEqual(SPLIT);
  });

  it('keeps both copies, and every word, when the later one typed into the end before its split was sent', () => {
    const net = new Network(start);
    const a = coWriter(net.join(100));
    const b = coWriter(net.join(200));
    net.offline(b);
    typeAfter(b, 'Suite du premier.', ' Ajout.');
    split(b);
    split(a);
    net.send(a);
    net.reconnect(b);
    net.settle();
    expectConverged(net);
    const all = firstSectionParagraphs(net.server).join('|');
    // No word lost: the typed word is only in the later copy, which stays whole.
    expect(all).toContain(' Suite du premier. Ajout.');
    expect(all.split('Ajout').length).toBe(2);
  });

  for (const received of [false, true])
    it(`carries the undo of the later split to the copy kept: the paragraph comes back whole, once (take-back ${received ? '' : 'not '}received before the undo)`, () => {
      const net = new Network(start);
      const a = coWriter(net.join(100));
      const b = coWriter(net.join(200));
      const undo = undoManager(b);
      split(a);
      net.send(a);
      split(b);
      net.send(b);
      if (received) net.deliver(b);
      undo.undo();
      net.settle();
      expectConverged(net);
      expect(firstSectionParagraphs(net.server)).toEqual([
        'Premier paragraphe. Suite du premier.',
        'Second paragraphe.',
      ]);
    });

  it('puts what the later writer typed after its split, still on its way, next to the copy kept', () => {
    const net = new Network(start);
    const a = coWriter(net.join(100));
    const b = coWriter(net.join(200));
    split(a);
    split(b);
    // After Enter the caret is at the start of the new paragraph; the later writer types there.
    typeBefore(b, ' Suite du premier.', 'Et');
    net.send(a);
    net.send(b, 1);
    net.send(b);
    net.settle();
    expectConverged(net);
    expect(firstSectionParagraphs(net.server)).toEqual([
      'Premier paragraphe.',
      'Et Suite du premier.',
      'Second paragraphe.',
    ]);
  });

  it('keeps the caret of the later writer, in an editor, with the copy kept', () => {
    const net = new Network(start);
    const a = coWriter(net.join(300));
    const b = net.join(200);
    const view = editorOf(b);
    split(a);
    net.send(a);
    putCaretAfter(view, 'Premier paragraphe.');
    view.dispatch(view.state.tr.split(view.state.selection.from));
    typeAtCaret(view, 'Et');
    net.send(b);
    net.deliver(b);
    net.deliver(a);
    typeAtCaret(view, ' puis');
    net.settle();
    expectConverged(net);
    expect(firstSectionParagraphs(net.server)).toEqual([
      'Premier paragraphe.',
      'Et puis Suite du premier.',
      'Second paragraphe.',
    ]);
  });
});

/** Backspace at the start of the second paragraph, written back as the editor does. */
const joinSecond = (client: Client) =>
  editAsTheEditorDoes(client.doc, (tr) => tr.join(positionAfter(client.doc, 'Suite du premier.') + 1));

/** Enter just after « Second », written back as the editor does. */
const splitSecond = (client: Client) =>
  editAsTheEditorDoes(client.doc, (tr) => tr.split(positionAfter(client.doc, 'Second')));

describe('a paragraph cut by one co-writer and joined to the one before by another who had not seen the cut', () => {
  for (const [cutter, joiner] of [
    [100, 200],
    [200, 100],
  ] as const)
    it(`keeps the end the cut moved once, in its own paragraph (cutter ${cutter}, joiner ${joiner})`, () => {
      const net = new Network(start);
      const a = coWriter(net.join(cutter));
      const b = coWriter(net.join(joiner));
      splitSecond(a);
      joinSecond(b);
      net.send(a);
      net.send(b);
      net.settle();
      expectConverged(net);
      expect(firstSectionParagraphs(net.server)).toEqual([
        'Premier paragraphe. Suite du premier.Second',
        ' paragraphe.',
      ]);
    });

  it('puts what the joiner typed after the joined text, still on its way, after the end the cut moved', () => {
    const net = new Network(start);
    const a = coWriter(net.join(100));
    const b = coWriter(net.join(200));
    splitSecond(a);
    joinSecond(b);
    typeAfter(b, 'Second paragraphe.', ' Fin.');
    net.send(a);
    net.send(b, 1);
    net.send(b);
    net.settle();
    expectConverged(net);
    expect(firstSectionParagraphs(net.server)).toEqual([
      'Premier paragraphe. Suite du premier.Second',
      ' paragraphe. Fin.',
    ]);
  });

  it('keeps both copies, and every word, when the joiner typed at the end of the paragraph before joining it', () => {
    const net = new Network(start);
    const a = coWriter(net.join(100));
    const b = coWriter(net.join(200));
    net.offline(b);
    typeAfter(b, 'Second paragraphe.', ' Ajout.');
    joinSecond(b);
    splitSecond(a);
    net.send(a);
    net.reconnect(b);
    net.settle();
    expectConverged(net);
    const all = firstSectionParagraphs(net.server).join('|');
    expect(all.split('Ajout').length).toBe(2);
    expect(all).toContain('Second');
  });
});
