import { Fragment, Slice, type MarkType, type NodeType } from '@tiptap/pm/model';
import { defaultDeleteFilter, defaultProtectedNodes } from '@tiptap/y-tiptap';
import { findWrapping, liftTarget } from '@tiptap/pm/transform';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { ydocToJSON, type DocJSON } from './convert.js';
import { moveSection } from './sectionForwarding.js';
import { schema } from './extensions.js';
import { alignEnds, detectTextMoves, followMovedText } from './textMoves.js';
import { undoOnlyOwnChanges } from './undoScope.js';
import { insertAfterCharacter } from './yItems.js';
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
import { firstSectionParagraphs } from '../../../tests/support/caretEditors.js';

// A co-writer splits, joins or pastes in the text someone else is typing in, on plain Y.Docs
// whose network is in the test's hands: « in flight » and « offline » are exact.

/** A fiche of one section, « Vigilance » (id `s1`), holding `blocks`. */
const document = (...blocks: DocJSON[]): DocJSON => ({
  type: 'doc',
  content: [section('s1', 'Vigilance', ...blocks)],
});

const paragraphs = firstSectionParagraphs;

/** Each editor re-writes its own characters after a remote move, as the editor extension does. */
function followMoves(client: Client): void {
  client.doc.on('afterTransaction', (transaction: Y.Transaction) => {
    if (!transaction.local) followMovedText(client.doc, transaction, detectTextMoves(transaction));
  });
}

/** Types `value` just after `needle`, one keystroke (one editor transaction) per character. */
function typeAfter(client: Client, needle: string, value: string): void {
  let after = needle;
  for (const char of value) {
    editAsTheEditorDoes(client.doc, (tr) => tr.insert(positionAfter(client.doc, after), schema.text(char)));
    after = after.slice(1) + char;
  }
}

const split = (client: Client, needle: string) =>
  editAsTheEditorDoes(client.doc, (tr) => tr.split(positionAfter(client.doc, needle)));

const join = (client: Client, needle: string) =>
  editAsTheEditorDoes(client.doc, (tr) => tr.join(positionAfter(client.doc, needle) + 1));

function setup(content: DocJSON, ids: [number, number] = [200, 100]) {
  const net = new Network(content);
  const a = net.join(ids[0]);
  const b = net.join(ids[1]);
  followMoves(a);
  followMoves(b);
  return { net, a, b };
}

describe('text moved by a co-writer while someone types in it', () => {
  it('keystrokes in flight in the part a split moves follow it into the new paragraph', () => {
    const { net, a, b } = setup(document(paragraph(text('Alpha beta gamma'))));
    typeAfter(a, 'gam', 'XY');
    split(b, 'Alpha ');
    net.send(b);
    net.deliver(a);
    net.settle();
    expect(paragraphs(net.server)).toEqual(['Alpha ', 'beta gamXYma']);
    expectConverged(net);
  });

  it('keystrokes typed offline in a split paragraph follow the moved text once back online', () => {
    const { net, a, b } = setup(document(paragraph(text('Alpha beta gamma'))));
    net.offline(a);
    typeAfter(a, 'beta', ' et encore');
    split(b, 'Alpha');
    join(b, 'Alpha');
    split(b, 'Alpha ');
    net.settle();
    net.reconnect(a);
    net.settle();
    expect(paragraphs(net.server)).toEqual(['Alpha ', 'beta et encore gamma']);
    expectConverged(net);
  });

  it('keystrokes in flight after the place of a multi-paragraph paste follow the pasted text', () => {
    const { net, a, b } = setup(document(paragraph(text('Lorem ipsum dolor'))));
    typeAfter(a, 'dol', 'XY');
    const pasted = Fragment.from(
      ['L1', 'L2', 'L3'].map((t) => schema.node('paragraph', null, schema.text(t))),
    );
    editAsTheEditorDoes(b.doc, (tr) => {
      const at = positionAfter(b.doc, 'Lorem ');
      tr.replace(at, at, new Slice(pasted, 1, 1));
    });
    net.send(b);
    net.deliver(a);
    net.settle();
    expect(paragraphs(net.server)).toEqual(['Lorem L1', 'L2', 'L3ipsum dolXYor']);
    expectConverged(net);
  });

  for (const [label, ids] of [
    ['lower', [100, 200]],
    ['higher', [200, 100]],
  ] as const)
    it(`a join appended where someone types leaves their word whole (their client id ${label})`, () => {
      const { net, a, b } = setup(document(paragraph(text('Alpha beta')), paragraph(text(' gamma'))), [
        ...ids,
      ]);
      typeAfter(a, 'beta', 'XYZ');
      join(b, 'beta');
      net.send(b);
      net.deliver(a);
      net.settle();
      expect(paragraphs(net.server)).toEqual(['Alpha betaXYZ gamma']);
      expectConverged(net);
    });

  it('keystrokes in flight in a paragraph joined to the previous one follow it', () => {
    const { net, a, b } = setup(document(paragraph(text('Alpha')), paragraph(text('beta gamma'))));
    typeAfter(a, 'gam', 'XY');
    join(b, 'Alpha');
    net.send(b);
    net.deliver(a);
    net.settle();
    expect(paragraphs(net.server)).toEqual(['Alphabeta gamXYma']);
    expectConverged(net);
  });

  it('an Enter then a Backspace at the place where someone types keeps their words in order', () => {
    for (const ids of [
      [100, 200],
      [200, 100],
    ] as const) {
      const { net, a, b } = setup(document(paragraph(text('Alpha beta gamma delta'))), [...ids]);
      typeAfter(a, 'beta', 'AA');
      split(b, 'Alpha beta');
      net.send(b);
      net.deliver(a);
      typeAfter(a, 'betaAA', 'BB');
      join(b, 'Alpha beta');
      typeAfter(a, 'betaAABB', 'CC');
      net.send(b);
      net.deliver(a);
      net.settle();
      expect(paragraphs(net.server)).toEqual(['Alpha betaAABBCC gamma delta']);
      expectConverged(net);
    }
  });

  it('a join by someone who had received one’s re-written keystrokes copies them once', () => {
    const { net, a, b } = setup(document(paragraph(text('Alpha beta gamma'))));
    typeAfter(a, 'gam', 'XY');
    split(b, 'Alpha ');
    net.send(b);
    net.deliver(a);
    // A's keystrokes, then their re-writing after the copy, reach B before B joins back.
    net.send(a);
    net.deliver(b);
    expect(paragraphs(b.doc)).toEqual(['Alpha ', 'beta gamXYma']);
    join(b, 'Alpha ');
    typeAfter(a, 'gamXY', 'Z');
    net.send(b);
    net.deliver(a);
    net.settle();
    expect(paragraphs(net.server)).toEqual(['Alpha beta gamXYZma']);
    expectConverged(net);
  });

  it('of keystrokes merged into one Yjs item, a join copies those it had and one’s editor the rest', () => {
    const { net, a, b } = setup(document(paragraph(text('Alpha')), paragraph(text('beta gamma'))));
    typeAfter(a, 'gam', 'XYZ');
    // Only the first keystroke reaches B before B joins the paragraphs.
    net.send(a, 1);
    net.deliver(b);
    expect(paragraphs(b.doc)).toEqual(['Alpha', 'beta gamXma']);
    join(b, 'Alpha');
    net.send(b);
    net.deliver(a);
    net.settle();
    expect(paragraphs(net.server)).toEqual(['Alphabeta gamXYZma']);
    expectConverged(net);
  });

  it('words the server had but the writer of a join had not are written again in the joined paragraph', () => {
    const { net, a, b } = setup(document(paragraph(text('Alpha')), paragraph(text('beta gamma'))));
    typeAfter(a, 'gamma', ' delta');
    net.send(a); // The server has it; B has not received it yet.
    join(b, 'Alpha');
    net.send(b);
    net.settle();
    expect(paragraphs(net.server)).toEqual(['Alphabeta gamma delta']);
    expectConverged(net);
  });

  it('words typed in a paragraph a co-writer removed while it was empty for them are kept at the end of the one before', () => {
    const { net, a, b } = setup(document(paragraph(text('Alpha')), paragraph()));
    editAsTheEditorDoes(a.doc, (tr) => tr.insert(positionAfter(a.doc, 'Alpha') + 2, schema.text('Nouveau')));
    expect(paragraphs(a.doc)).toEqual(['Alpha', 'Nouveau']);
    net.send(a);
    // B removes the empty paragraph (Backspace) before receiving A's word.
    editAsTheEditorDoes(b.doc, (tr) => {
      const end = positionAfter(b.doc, 'Alpha');
      tr.delete(end, end + 2);
    });
    expect(paragraphs(b.doc)).toEqual(['Alpha']);
    net.send(b);
    net.settle();
    expect(paragraphs(net.server).join('|')).toContain('Nouveau');
    expectConverged(net);
  });

  it('words typed in a paragraph a co-writer removed while it was empty for them, still on their way, are kept too', () => {
    const { net, a, b } = setup(document(paragraph(text('Alpha')), paragraph()));
    editAsTheEditorDoes(a.doc, (tr) => tr.insert(positionAfter(a.doc, 'Alpha') + 2, schema.text('Nouveau')));
    editAsTheEditorDoes(b.doc, (tr) => {
      const end = positionAfter(b.doc, 'Alpha');
      tr.delete(end, end + 2);
    });
    net.send(b);
    net.send(a);
    net.settle();
    expect(paragraphs(net.server).join('|')).toContain('Nouveau');
    expectConverged(net);
  });

  it('keystrokes in flight in a paragraph made a list item, and back, follow it', () => {
    const { net, a, b } = setup(document(paragraph(text('Alpha')), paragraph(text('beta gamma'))));
    typeAfter(a, 'gam', 'XY');
    editAsTheEditorDoes(b.doc, (tr) => {
      const $at = tr.doc.resolve(positionAfter(b.doc, 'beta'));
      const range = $at.blockRange();
      const list = schema.nodes['bulletList'];
      const wrapping = range && list && findWrapping(range, list);
      if (!range || !wrapping) throw new Error('pas de liste possible');
      tr.wrap(range, wrapping);
    });
    net.send(b);
    net.deliver(a);
    net.settle();
    expect(JSON.stringify(ydocToJSON(net.server))).toContain('"bulletList"');
    expect(JSON.stringify(ydocToJSON(net.server))).toContain('beta gamXYma');
    expectConverged(net);

    typeAfter(a, 'gamXY', 'Z');
    editAsTheEditorDoes(b.doc, (tr) => {
      const $at = tr.doc.resolve(positionAfter(b.doc, 'beta'));
      const range = $at.blockRange();
      const target = range && liftTarget(range);
      if (!range || target === null || target === undefined) throw new Error('pas de sortie de liste');
      tr.lift(range, target);
    });
    net.send(b);
    net.deliver(a);
    net.settle();
    expect(JSON.stringify(ydocToJSON(net.server))).toContain('beta gamXYZma');
    expectConverged(net);
  });

  it('keystrokes typed in a joined paragraph follow it back when its writer undoes the join', () => {
    const { net, a, b } = setup(document(paragraph(text('Premier.')), paragraph(text('Alpha beta'))));
    const undo = new Y.UndoManager(b.doc.getXmlFragment('default'), { trackedOrigins: new Set([null]) });
    join(b, 'Premier.');
    net.settle();
    expect(paragraphs(net.server)).toEqual(['Premier.Alpha beta']);
    typeAfter(a, 'Alpha', 'XY');
    net.settle();
    undo.undo();
    net.settle();
    expect(paragraphs(net.server)).toEqual(['Premier.', 'AlphaXY beta']);
    expectConverged(net);
  });

  // Each step of the co-writer's undo and redo comes while two more letters are typed in the text
  // it moves: arrived before the step (« received ») or still on their way (« in flight »).
  const undoChains = [
    { move: 'join', start: [paragraph(text('Premier.')), paragraph(text('Alpha beta'))], at: 'Premier.' },
    { move: 'split', start: [paragraph(text('Premier.Alpha beta'))], at: 'Premier.' },
    { move: 'heading', start: [paragraph(text('Premier.')), paragraph(text('Alpha beta'))], at: 'Alpha' },
    { move: 'list', start: [paragraph(text('Premier.')), paragraph(text('Alpha beta'))], at: 'Alpha' },
    { move: 'paste', start: [paragraph(text('Premier.Alpha beta'))], at: 'Premier.' },
  ] as const;
  /** The co-writer's change of block: a join, a split, a heading, a list, a paste of two paragraphs. */
  const blockChange = (b: Client, move: (typeof undoChains)[number]['move'], at: string): void => {
    if (move === 'join') return join(b, at);
    if (move === 'split') return split(b, at);
    editAsTheEditorDoes(b.doc, (tr) => {
      if (move === 'paste') {
        const pasted = Fragment.from(['L1', 'L2'].map((t) => schema.node('paragraph', null, schema.text(t))));
        const pos = positionAfter(b.doc, at);
        tr.replace(pos, pos, new Slice(pasted, 1, 1));
        return;
      }
      const pos = positionAfter(b.doc, at);
      if (move === 'heading') {
        const heading = schema.nodes['heading'];
        if (!heading) throw new Error('pas de titre');
        tr.setBlockType(pos, pos, heading, { level: 3 });
        return;
      }
      const range = tr.doc.resolve(pos).blockRange();
      const list = schema.nodes['bulletList'];
      const wrapping = range && list && findWrapping(range, list);
      if (!range || !wrapping) throw new Error('pas de liste possible');
      tr.wrap(range, wrapping);
    });
  };
  for (const { move, start, at } of undoChains)
    for (const inFlight of [false, true])
      it(`keystrokes typed in text moved by a ${move} stay in order, once, through undo, redo, undo, redo, undo (${inFlight ? 'in flight' : 'received'})`, () => {
        const { net, a, b } = setup(document(...start));
        // As the editor's: a paragraph or a text that still holds something is never deleted.
        const undo = new Y.UndoManager(b.doc.getXmlFragment('default'), {
          trackedOrigins: new Set([null]),
          captureTimeout: 0,
          deleteFilter: (item) => defaultDeleteFilter(item, defaultProtectedNodes),
        });
        undoOnlyOwnChanges(undo);
        blockChange(b, move, at);
        net.settle();
        const steps = [
          () => undo.undo(),
          () => undo.redo(),
          () => undo.undo(),
          () => undo.redo(),
          () => undo.undo(),
        ];
        let typed = '';
        steps.forEach((step, i) => {
          const letters = 'ABCDEFGHIJ'.slice(2 * i, 2 * i + 2);
          typeAfter(a, `Alpha${typed}`, letters);
          typed += letters;
          if (!inFlight) net.settle();
          step();
          net.settle();
        });
        // Back to the state before the move, with every letter after « Alpha », in order, and no
        // paragraph left behind emptied of the text that went back.
        expect(paragraphs(net.server)).toEqual(
          move === 'split' || move === 'paste'
            ? [`Premier.Alpha${typed} beta`]
            : ['Premier.', `Alpha${typed} beta`],
        );
        expectConverged(net);
      });

  it('keystrokes in flight follow a paragraph joined by a selection typed over, when both paragraphs end alike', () => {
    // The binding keeps the first paragraph's final « . » and inserts the rest before it: that
    // « . » stands for the second paragraph's.
    const { net, a, b } = setup(
      document(paragraph(text('Premier paragraphe.')), paragraph(text('Alpha beta gamma delta.'))),
    );
    typeAfter(a, 'gamma', 'XY');
    editAsTheEditorDoes(b.doc, (tr) =>
      tr.replaceWith(positionAfter(b.doc, 'Premier '), positionAfter(b.doc, 'Alpha '), schema.text('Q')),
    );
    const moves: number[] = [];
    a.doc.on('afterTransaction', (transaction: Y.Transaction) => {
      if (!transaction.local) moves.push(detectTextMoves(transaction).size);
    });
    net.send(b);
    net.deliver(a);
    expect(moves[0]).toBe('beta gamma delta.'.length);
    net.settle();
    expect(paragraphs(net.server)).toEqual(['Premier Qbeta gammaXY delta.']);
    expectConverged(net);
  });

  it('leaves a section moved by the server to the server: keystrokes in flight arrive once', () => {
    const content = document(paragraph(text('Alpha beta')));
    content.content?.push({
      type: 'section',
      attrs: { id: 's2', key: null },
      content: [{ type: 'sectionTitle', content: [text('Conditions')] }, paragraph(text('Autre'))],
    });
    const { net, a } = setup(content);
    typeAfter(a, 'Alpha', ' premier');
    expect(moveSection(net.server, 's1', 's2', 'déplacement')).toBe('moved');
    net.settle();
    expect(paragraphs(net.server)).toEqual(['Autre']);
    expect(ydocToJSON(net.server).content?.[1]?.content?.[1]?.content?.[0]?.text).toBe('Alpha premier beta');
    expectConverged(net);
  });

  it('words a program wrote at the start of a paragraph an offline co-writer joined then unjoined stay whole, framed by spaces like its text', () => {
    // The server pairs the paragraph the undo re-created with the deleted one: « mot » and the
    // paragraph's text both begin with a space, and only the characters the co-writer never had
    // are written again (not « mot » plus the paragraph's own first space).
    const { net, a, b } = setup(document(paragraph(text('Premier.')), paragraph(text(' suite '))));
    const undo = new Y.UndoManager(b.doc.getXmlFragment('default'), {
      trackedOrigins: new Set([null]),
      captureTimeout: 0,
      deleteFilter: (item) => defaultDeleteFilter(item, defaultProtectedNodes),
    });
    undoOnlyOwnChanges(undo);
    net.offline(b);
    join(b, 'Premier.');
    undo.undo();
    // Written at the very start of the text, as a program writing through Yjs does.
    const second = (a.doc.getXmlFragment('default').get(0) as Y.XmlElement).get(2) as Y.XmlElement;
    (second.get(0) as Y.XmlText).insert(0, ' mot ');
    net.settle();
    net.reconnect(b);
    net.settle();
    expect(paragraphs(net.server)).toEqual(['Premier.', ' mot  suite ']);
    expectConverged(net);
  });

  it('two editors whose characters hang on each other’s re-written ones settle instead of re-writing them after each other forever', () => {
    const { net, a, b } = setup(document(paragraph(text('Alpha'))));
    const textOf = (client: Client) =>
      ((client.doc.getXmlFragment('default').get(0) as Y.XmlElement).get(1) as Y.XmlElement).get(
        0,
      ) as Y.XmlText;
    typeAfter(b, 'Alpha', 'QQ');
    net.settle();
    typeAfter(a, 'AlphaQQ', ' ');
    net.settle();
    // B re-writes its « QQ » just after A's space, as an editor following a move does: A's space
    // hangs on the deleted « QQ », whose copy now hangs on A's space.
    const space = Y.createID(a.doc.clientID, Y.getState(a.doc.store, a.doc.clientID) - 1);
    b.doc.transact(() => {
      const t = textOf(b);
      t.delete(5, 2);
      insertAfterCharacter(t, space, 'QQ');
    });
    net.settle();
    expect(paragraphs(net.server)).toEqual(['Alpha QQ']);
    expectConverged(net);
  });

  it('a co-writer’s formatted words typed in a heading keep their marks when the heading is undone and redone', () => {
    const { net, a, b } = setup(document(paragraph(text('Premier.')), paragraph(text('Alpha beta'))));
    const undo = new Y.UndoManager(b.doc.getXmlFragment('default'), {
      trackedOrigins: new Set([null]),
      captureTimeout: 0,
      deleteFilter: (item) => defaultDeleteFilter(item, defaultProtectedNodes),
    });
    undoOnlyOwnChanges(undo);
    editAsTheEditorDoes(b.doc, (tr) => {
      const pos = positionAfter(b.doc, 'Alpha');
      tr.setBlockType(pos, pos, schema.nodes['heading'] as NodeType, { level: 3 });
    });
    net.settle();
    const bold = schema.marks['bold'] as MarkType;
    editAsTheEditorDoes(a.doc, (tr) =>
      tr.insert(positionAfter(a.doc, 'Alpha'), schema.text('GRAS', [bold.create()])),
    );
    net.settle();
    undo.undo();
    net.settle();
    const block = () => ydocToJSON(net.server).content?.[0]?.content?.[2];
    expect(block()?.type).toBe('paragraph');
    expect(block()?.content).toEqual([
      { type: 'text', text: 'Alpha' },
      { type: 'text', text: 'GRAS', marks: [{ type: 'bold' }] },
      { type: 'text', text: ' beta' },
    ]);
    undo.redo();
    net.settle();
    expect(block()?.type).toBe('heading');
    expect(block()?.content?.[1]).toEqual({ type: 'text', text: 'GRAS', marks: [{ type: 'bold' }] });
    expectConverged(net);
  });

  it('finds nothing to move in a keystroke or a Backspace', () => {
    const doc = new Y.Doc();
    const sizes: number[] = [];
    doc.on('afterTransaction', (tr: Y.Transaction) => sizes.push(detectTextMoves(tr).size));
    const typed = new Y.XmlText('abc');
    doc.getXmlFragment('default').insert(0, [typed]);
    typed.insert(3, 'd');
    typed.delete(0, 1);
    expect(sizes.length).toBeGreaterThan(0);
    expect(sizes.every((size) => size === 0)).toBe(true);
  });
});

describe('pairing a deleted run with an inserted one (alignEnds)', () => {
  it('pairs a run found whole at the end of a longer stretch as that end, not by a space both begin with', () => {
    // Two paragraphs joined to the one before in one change: one stretch of copies, the second
    // paragraph's text at its end (issue 8, fuzz).
    const a = ' gamma w0r13 ';
    const b = ' beta w0r14  gamma w0r13 ';
    expect(alignEnds(a, b, [])).toEqual(Array.from(a, (_, i) => [i, b.length - a.length + i]));
  });

  it('pairs a run the stretch begins with as its start', () => {
    const a = ' beta w0r14 ';
    expect(alignEnds(a, `${a} gamma w0r13 `, [])).toEqual(Array.from(a, (_, i) => [i, i]));
  });

  it('pairs only the common end when the common start is a space and a letter both words begin with', () => {
    // « w2r15 » was kept in the paragraph before when a join was undone; the re-created paragraph
    // begins with the undoer's own word (issue 8, fuzz): « w » is no copy of « w2r15 ».
    const a = ' w2r15 Delta epsilon';
    const b = ' w0r85 Delta epsilon';
    const end = '5 Delta epsilon'.length; // both words end with « 5 »
    expect(alignEnds(a, b, []).sort(([x], [y]) => x - y)).toEqual(
      Array.from({ length: end }, (_, j) => [a.length - end + j, b.length - end + j]),
    );
  });

  it('keeps a common start of three characters or more with the common end', () => {
    const pairs = alignEnds('Delta w0r1 epsilon', 'Delta epsilon', []);
    expect(pairs.filter(([f]) => f < 5)).toHaveLength(5);
  });

  it('pairs a run copied in two pieces around the copy of another run, not by the letters two words begin with', () => {
    // An undone split and a join in one change: « w2r8 » (from another paragraph) copied between
    // « epsilon » and « w2r0 » (issue 8, fuzz): « w2r » is no copy of the start of « w2r0 ».
    const a = ' gammaDelta epsilon w2r0 ';
    const b = ' gammaDelta epsilon w2r8  w2r0  w2r78 ';
    const head = ' gammaDelta epsilon'.length;
    expect(alignEnds(a, b, []).sort(([x], [y]) => x - y)).toEqual(
      Array.from(a, (_, f) => [f, f < head ? f : b.indexOf(' w2r0 ') + f - head]),
    );
  });

  it('pairs a run copied in two pieces, its end that of the stretch, not by the letters two words end with', () => {
    const a = ' w1r3 Delta epsilon';
    const b = 'Alpha w1r3  w0r3 Delta epsilon';
    const head = ' w1r3 '.length;
    expect(alignEnds(a, b, []).sort(([x], [y]) => x - y)).toEqual(
      Array.from(a, (_, f) => [f, f < head ? b.indexOf(' w1r3 ') + f : b.length - a.length + f]),
    );
  });

  it('pairs a shorter run found whole in the middle of the deleted one there, not by the spaces and letter words begin with', () => {
    // An undone split writes the text again in runs cut by the text that stayed (issue 8, fuzz).
    const a = '  w1r20  w2r5 Alpha beta gamma';
    const b = '  w2r5 ';
    expect(alignEnds(a, b, [])).toEqual(Array.from(b, (_, j) => [a.indexOf(b) + j, j]));
  });

  it('pairs nothing of a run whose only common start and end with a typed word are the « ␣w » and the space all words have', () => {
    // The run's writer had not copied it (a co-writer cut it off): taken for a copy, the rest of
    // it was written again inside the word, after its « ␣w » (issue 8, fuzz: « w1r260r45 »).
    expect(alignEnds(' w1r31  w1r16  gamma w1r19  w1r26 ', ' w0r45 ', [])).toEqual([]);
    expect(alignEnds(' Delta epsilon w0r13 ', ' w0r45 ', [])).toEqual([]);
    // Nor by the « ␣w2r » all of one writer's words begin with: it holds no whole word.
    expect(alignEnds(' w2r44  w1r23 ', ' w2r81 ', [])).toEqual([]);
  });

  it('still pairs a whole word of the run, or a long stretch of it, found inside a run it shares only chance ends with', () => {
    const a = ' w2r3  w2r4  w2r14 ';
    expect(alignEnds(a, ' w2r4', [])).toEqual(Array.from(' w2r4', (_, j) => [a.indexOf(' w2r4 ') + j, j]));
    const run = ' w2r1  w2r13  w2r11  w2r9  w2r0 Delta epsilon w2r2  w2r31  w2r34  w2r42 ';
    const copy = ' w0r60  w2r11  w2r9  w2r0 Delta epsilon w2r2  w2r31  w2r34 ';
    // Its words with one space on each side: the space before is the end of « ␣w2r13␣ ».
    const middle = ' w2r11  w2r9  w2r0 Delta epsilon w2r2  w2r31  w2r34 ';
    expect(alignEnds(run, copy, [])).toEqual(
      Array.from(middle, (_, k) => [run.indexOf(middle) + k, copy.indexOf(middle) + k]),
    );
  });

  it('stops a common start before a word that goes on differently in the copy, and pairs the rest on its own', () => {
    // « ␣beta␣w2r0␣ » joined as « ␣beta␣w2r35␣ » after its end was split off: the « ␣w2r » both
    // words begin with is chance, and the rest, left to the split-off copy, was written again
    // inside the typed word (issue 8, fuzz: « w2r035 »).
    expect(alignEnds(' beta w2r0 ', ' beta w2r35 ', [])).toEqual(Array.from(' beta', (_, f) => [f, f]));
    // Unchanged when the rest holds a copy too: its common end (« ␣Delta␣epsilon ») is no chance.
    const a = ' beta w2r0 Delta epsilon';
    const b = ' beta w2r35 Delta epsilon';
    expect(alignEnds(a, b, []).sort(([x], [y]) => x - y)).toEqual(
      Array.from(a, (_, f): [number, number] => [f, f < ' beta w2r'.length ? f : f + 1]).filter(
        ([f]) => f !== ' beta w2r'.length,
      ),
    );
  });

  it('pairs the space between two words with the second when the copy has other text between them', () => {
    // « ␣gamma » joined after a word typed in the same change: its space is the one before
    // « gamma », not the one before « w1r12 » (issue 8, fuzz: « betaw1r12 »).
    const a = ' beta gamma';
    const b = ' beta w1r12  gamma';
    expect(alignEnds(a, b, []).sort(([x], [y]) => x - y)).toEqual(
      Array.from(a, (_, f) => [f, f < ' beta'.length ? f : b.indexOf(' gamma') + f - ' beta'.length]),
    );
  });

  it('pairs a run found whole inside a stretch at its last occurrence', () => {
    expect(alignEnds('w2r0', 'w2r5 Alpha w2r0 beta', [])).toEqual([
      [0, 11],
      [1, 12],
      [2, 13],
      [3, 14],
    ]);
  });
});
