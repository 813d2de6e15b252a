import { Fragment, Slice, type MarkType, type NodeType } from '@tiptap/pm/model';
import { defaultDeleteFilter, defaultProtectedNodes } from '@tiptap/y-tiptap';
import { findWrapping } from '@tiptap/pm/transform';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { ydocToJSON, type DocJSON } from './convert.js';
import { schema } from './extensions.js';
import { detectTextMoves, followMovedText } from './textMoves.js';
import { undoOnlyOwnChanges } from './undoScope.js';
import {
  editAsTheEditorDoes,
  expectConverged,
  Network,
  paragraph,
  positionAfter,
  section,
  text,
  type Client,
} from '../../../tests/support/yNetwork.js';

/** A fiche of one section, « Vigilance » (id `s1`), holding `blocks`. */
const document = (...blocks: DocJSON[]): DocJSON => ({
  type: 'doc',
  content: [section('s1', 'Vigilance', ...blocks)],
});

function setup(content: DocJSON, ids: [number, number] = [200, 100]) {
  const net = new Network(content);
  const a = net.join(ids[0]);
  const b = net.join(ids[1]);
  for (const c of [a, b])
    c.doc.on('afterTransaction', (transaction: Y.Transaction) => {
      if (!transaction.local) followMovedText(c.doc, transaction, detectTextMoves(transaction));
    });
  return { net, a, b };
}

const undoOf = (c: Client): Y.UndoManager => {
  const undo = new Y.UndoManager(c.doc.getXmlFragment('default'), {
    trackedOrigins: new Set([null]),
    captureTimeout: 0,
    deleteFilter: (item) => defaultDeleteFilter(item, defaultProtectedNodes),
  });
  undoOnlyOwnChanges(undo);
  return undo;
};

/** The blocks of the section after its title, each as its text with `*bold*` marks. */
const blocks = (doc: Y.Doc): string[] =>
  (ydocToJSON(doc).content?.[0]?.content ?? []).slice(1).map(function show(b: DocJSON): string {
    if (b.type === 'text')
      return b.marks?.some((m) => m.type === 'bold') ? `*${b.text ?? ''}*` : (b.text ?? '');
    const inner = (b.content ?? []).map(show).join('');
    return b.type === 'paragraph' ? inner : `${b.type}(${inner})`;
  });

const bold = (c: Client, word: string) =>
  editAsTheEditorDoes(c.doc, (tr) => {
    const end = positionAfter(c.doc, word);
    tr.addMark(end - word.length, end, (schema.marks['bold'] as MarkType).create());
  });

const changes = {
  split: {
    start: [paragraph(text('Alpha beta gamma'))],
    change: (b: Client) => editAsTheEditorDoes(b.doc, (tr) => tr.split(positionAfter(b.doc, 'Alpha '))),
    expected: ['Alpha *beta* gamma'],
  },
  join: {
    start: [paragraph(text('Premier.')), paragraph(text('Alpha beta gamma'))],
    change: (b: Client) => editAsTheEditorDoes(b.doc, (tr) => tr.join(positionAfter(b.doc, 'Premier.') + 1)),
    expected: ['Premier.', 'Alpha *beta* gamma'],
  },
  heading: {
    start: [paragraph(text('Premier.')), paragraph(text('Alpha beta gamma'))],
    change: (b: Client) =>
      editAsTheEditorDoes(b.doc, (tr) => {
        const pos = positionAfter(b.doc, 'Alpha');
        tr.setBlockType(pos, pos, schema.nodes['heading'] as NodeType, { level: 3 });
      }),
    expected: ['Premier.', 'Alpha *beta* gamma'],
  },
  list: {
    start: [paragraph(text('Premier.')), paragraph(text('Alpha beta gamma'))],
    change: (b: Client) =>
      editAsTheEditorDoes(b.doc, (tr) => {
        const range = tr.doc.resolve(positionAfter(b.doc, 'Alpha')).blockRange();
        const wrapping = range && findWrapping(range, schema.nodes['bulletList'] as NodeType);
        if (!range || !wrapping) throw new Error('pas de liste');
        tr.wrap(range, wrapping);
      }),
    expected: ['Premier.', 'Alpha *beta* gamma'],
  },
  paste: {
    start: [paragraph(text('Premier.Alpha beta gamma'))],
    change: (b: Client) =>
      editAsTheEditorDoes(b.doc, (tr) => {
        const pasted = Fragment.from(['L1', 'L2'].map((t) => schema.node('paragraph', null, schema.text(t))));
        const pos = positionAfter(b.doc, 'Premier.');
        tr.replace(pos, pos, new Slice(pasted, 1, 1));
      }),
    expected: ['Premier.Alpha *beta* gamma'],
  },
} as const;

/**
 * A co-writer's formatting of words that one's change moved (issue 8, item 4): Yjs's undo of a
 * split, a join, a paste or a change of block deletes the copies the change made and writes back
 * the text as it was, so a mark a co-writer put on the copies since was lost with them. Google
 * Docs' rule: one's undo takes back one's own changes only, and never a format another person
 * applied.
 */
describe('a co-writer bolds words that a change moved, then the change is undone and redone', () => {
  for (const [name, { start, change, expected }] of Object.entries(changes)) {
    it(`keeps the co-writer's bold when the ${name} is undone`, () => {
      const { net, a, b } = setup(document(...start));
      const undo = undoOf(b);
      change(b);
      net.settle();
      bold(a, 'beta');
      net.settle();
      undo.undo();
      net.settle();
      expect(blocks(net.server)).toEqual(expected);
      expectConverged(net);
    });
    it(`keeps the co-writer's bold, put on the words after the ${name} was undone, when it is redone, and after the next undo`, () => {
      const { net, a, b } = setup(document(...start));
      const undo = undoOf(b);
      change(b);
      net.settle();
      const moved = blocks(net.server);
      undo.undo();
      net.settle();
      bold(a, 'beta');
      net.settle();
      undo.redo();
      net.settle();
      expect(blocks(net.server)).toEqual(moved.map((block) => block.replace('beta', '*beta*')));
      undo.undo();
      net.settle();
      expect(blocks(net.server)).toEqual(expected);
      expectConverged(net);
    });
  }
});

const mark = (c: Client, from: string, to: string, name: string, on: boolean) =>
  editAsTheEditorDoes(c.doc, (tr) => {
    const start = positionAfter(c.doc, from) - from.length;
    const end = positionAfter(c.doc, to);
    const type = schema.marks[name] as MarkType;
    if (on) tr.addMark(start, end, type.create());
    else tr.removeMark(start, end, type);
  });

/** The section's blocks after its title, each as its text nodes. */
const show = (doc: Y.Doc): DocJSON[][] =>
  (ydocToJSON(doc).content?.[0]?.content ?? []).slice(1).map((b) => b.content ?? []);

/** A text node as read back (no `marks` key without marks). */
const plainText = (value: string, mark?: string): DocJSON =>
  mark ? { type: 'text', text: value, marks: [{ type: mark }] } : { type: 'text', text: value };

describe('marks the co-writer removed or changed on moved words', () => {
  it('stay as the co-writer left them through the undo and the redo of the split that moved the words', () => {
    const { net, a, b } = setup(document(paragraph(text('Alpha '), text('beta', ['bold']), text(' gamma'))));
    const undo = undoOf(b);
    editAsTheEditorDoes(b.doc, (tr) => tr.split(positionAfter(b.doc, 'Alpha ')));
    net.settle();
    mark(a, 'beta', 'beta', 'bold', false);
    mark(a, 'gamma', 'gamma', 'italic', true);
    net.settle();
    undo.undo();
    net.settle();
    expect(show(net.server)).toEqual([[plainText('Alpha beta '), plainText('gamma', 'italic')]]);
    undo.redo();
    net.settle();
    expect(show(net.server)).toEqual([
      [plainText('Alpha ')],
      [plainText('beta '), plainText('gamma', 'italic')],
    ]);
    expectConverged(net);
  });
});

describe("one's undo of one's own formatting or typing", () => {
  for (const [name, on] of [
    ['italic', true],
    ['bold', true],
    ['bold', false],
  ] as const)
    it(`keeps the co-writer's bold inside a paragraph one ${on ? 'made' : 'removed'} ${name}, once undone`, () => {
      const { net, a, b } = setup(document(paragraph(text('Alpha beta gamma'))));
      const undo = undoOf(b);
      bold(a, 'beta');
      net.settle();
      mark(b, 'Alpha', 'gamma', name, on);
      net.settle();
      undo.undo();
      net.settle();
      expect(blocks(net.server)).toEqual(['Alpha *beta* gamma']);
      expectConverged(net);
    });

  it("keeps the co-writer's bold on one's word and the one before, when one undoes the typing of it", () => {
    const { net, a, b } = setup(document(paragraph(text('Alpha beta gamma'))));
    const undo = undoOf(b);
    editAsTheEditorDoes(b.doc, (tr) => tr.insert(positionAfter(b.doc, 'beta'), schema.text('XYZ')));
    net.settle();
    mark(a, 'betaXYZ', 'betaXYZ', 'bold', true);
    net.settle();
    undo.undo();
    net.settle();
    expect(blocks(net.server)).toEqual(['Alpha *beta* gamma']);
    expectConverged(net);
  });

  for (const [name, { start, change }] of Object.entries(changes))
    it(`takes back one's own ${name} and keeps one's own bold made before it`, () => {
      const { net, a, b } = setup(document(...start));
      const undo = undoOf(a);
      editAsTheEditorDoes(b.doc, (tr) => tr.insert(positionAfter(b.doc, 'gamma'), schema.text(' delta')));
      net.settle();
      bold(a, 'beta');
      net.settle();
      change(a);
      net.settle();
      undo.undo();
      net.settle();
      expect(blocks(net.server).join('|')).toContain('Alpha *beta* gamma delta');
      expectConverged(net);
    });
});
