// @vitest-environment jsdom
import type { EditorView } from '@tiptap/pm/view';
import { defaultDeleteFilter, defaultProtectedNodes } from '@tiptap/y-tiptap';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { ydocToJSON, type DocJSON } from './convert.js';
import { decodeForwardEntries, encodeForwardEntries, forwardingsOf } from './sectionForwarding.js';
import { alignEnds, detectTextMoves, followMovedText } from './textMoves.js';
import { undoOnlyOwnChanges } from './undoScope.js';
import {
  editAsTheEditorDoes,
  expectConverged,
  FROM_SERVER,
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

// Issue 8: a rapporteur types offline (or with keystrokes on their way) in a paragraph while a
// co-writer, online, changes that paragraph's block: joins it to the one before, splits it, and
// undoes or redoes that. One's editor is a ProseMirror view bound to its Y.Doc with the client's
// caret helpers; the co-writer's is a plain Y.Doc edited as the editor does; the network is in
// the test's hands (tests/support/yNetwork.ts), so « offline » and the order of arrival are exact.

const document = (...blocks: DocJSON[]): DocJSON => ({
  type: 'doc',
  content: [
    {
      type: 'section',
      attrs: { id: 's1', key: 'origine' },
      content: [{ type: 'sectionTitle', content: [text('Origine')] }, ...blocks],
    },
  ],
});

const paragraphs = firstSectionParagraphs;

const { editorOf } = useCaretEditors();

/** A co-writer's editor without a view: it re-writes its own keystrokes after a move, undoes its own steps. */
function coWriter(client: Client): Y.UndoManager {
  client.doc.on('afterTransaction', (transaction: Y.Transaction) => {
    if (!transaction.local) followMovedText(client.doc, transaction, detectTextMoves(transaction));
  });
  const undo = new Y.UndoManager(client.doc.getXmlFragment('default'), {
    trackedOrigins: new Set([null]),
    captureTimeout: 0,
    deleteFilter: (item) => defaultDeleteFilter(item, defaultProtectedNodes),
  });
  undoOnlyOwnChanges(undo);
  return undo;
}

/** Types at the caret, one keystroke (one ProseMirror transaction) per character. */
function typeAtCaret(view: EditorView, value: string): void {
  for (const char of value) view.dispatch(view.state.tr.insertText(char));
}

const join = (client: Client) =>
  editAsTheEditorDoes(client.doc, (tr) => tr.join(positionAfter(client.doc, 'Premier paragraphe.') + 1));
const split = (client: Client, needle: string) =>
  editAsTheEditorDoes(client.doc, (tr) => tr.split(positionAfter(client.doc, needle)));

/** Delivers an update to the server as it receives one from `client` (its delete set decoded). */
function serverReceives(net: Network, client: Client, update: Uint8Array): void {
  (net as unknown as { receive(c: Client, u: Uint8Array): void }).receive(client, update);
}

/**
 * Back online, the two ways the client's reconnection may go:
 * - `offline-first`: what was typed offline reaches the server first (sendOfflineEditsFirst), then
 *   the sync brings the server's changes and the words it wrote again, in one transaction;
 * - `changes-first`: the server's changes arrive first, then each keystroke reaches the server
 *   and its words written again come back one by one (a connection that queued them).
 */
type Return = 'offline-first' | 'changes-first';

function comeBack(net: Network, client: Client, acknowledged: number, way: Return): void {
  if (way === 'offline-first') {
    const known = Y.decodeStateVector(Y.encodeStateVector(client.doc));
    known.set(client.doc.clientID, acknowledged);
    const offline = Y.encodeStateAsUpdate(client.doc, Y.encodeStateVector(known));
    serverReceives(net, client, offline);
    net.reconnect(client);
  } else {
    Y.applyUpdate(
      client.doc,
      Y.encodeStateAsUpdate(net.server, Y.encodeStateVector(client.doc)),
      FROM_SERVER,
    );
    client.online = true;
    client.inbox.length = 0;
    for (const update of client.outbox.splice(0)) {
      serverReceives(net, client, update);
      net.deliver(client);
    }
  }
  net.settle();
}

/** What the co-writer does while one is away, and the paragraphs expected once « FIN » is typed. */
const changes = {
  join: { act: (b: Client) => join(b), expected: ['Premier paragraphe.Alpha abcdefghij klm FIN beta'] },
  'join undone': {
    act: (b: Client, undo: Y.UndoManager) => {
      join(b);
      undo.undo();
    },
    expected: ['Premier paragraphe.', 'Alpha abcdefghij klm FIN beta'],
  },
  'join undone then redone': {
    act: (b: Client, undo: Y.UndoManager) => {
      join(b);
      undo.undo();
      undo.redo();
    },
    expected: ['Premier paragraphe.Alpha abcdefghij klm FIN beta'],
  },
  'split before the typist': {
    act: (b: Client) => split(b, 'Al'),
    expected: ['Premier paragraphe.', 'Al', 'pha abcdefghij klm FIN beta'],
  },
  'split undone': {
    act: (b: Client, undo: Y.UndoManager) => {
      split(b, 'Al');
      undo.undo();
    },
    expected: ['Premier paragraphe.', 'Alpha abcdefghij klm FIN beta'],
  },
  'join then split in the joined text': {
    act: (b: Client) => {
      join(b);
      split(b, 'Premier paragraphe.Al');
    },
    expected: ['Premier paragraphe.Al', 'pha abcdefghij klm FIN beta'],
  },
} as const;

describe('a co-writer changes the block of the paragraph someone types in offline', () => {
  for (const [name, { act, expected }] of Object.entries(changes))
    for (const way of ['offline-first', 'changes-first'] as const)
      for (const ids of [
        [100, 200],
        [200, 100],
      ] as const)
        it(`${name}: every offline word stays once, in order, and the caret after them (${way}, typist's client id ${ids[0] < ids[1] ? 'lower' : 'higher'})`, () => {
          const net = new Network(
            document(paragraph(text('Premier paragraphe.')), paragraph(text('Alpha beta'))),
          );
          const bruno = net.join(ids[0]);
          const chloe = net.join(ids[1]);
          const view = editorOf(bruno);
          const undo = coWriter(chloe);
          putCaretAfter(view, 'Alpha');
          const acknowledged = Y.getState(bruno.doc.store, bruno.doc.clientID);
          net.offline(bruno);
          typeAtCaret(view, ' abcdefghij');
          act(chloe, undo);
          net.settle();
          typeAtCaret(view, ' klm');
          comeBack(net, bruno, acknowledged, way);
          expect(paragraphs(net.server)).toEqual(expected.map((p) => p.replace(' FIN', '')));
          // The caret stayed with one's words: the next keystrokes follow them.
          typeAtCaret(view, ' FIN');
          net.settle();
          expect(paragraphs(net.server)).toEqual(expected);
          expectConverged(net);
        });
});

describe('the co-writer offline instead', () => {
  for (const [name, { act, expected }] of Object.entries(changes))
    it(`${name} made offline keeps the words typed meanwhile by someone online, and their caret after them`, () => {
      const net = new Network(
        document(paragraph(text('Premier paragraphe.')), paragraph(text('Alpha beta'))),
      );
      const bruno = net.join(100);
      const chloe = net.join(200);
      const view = editorOf(bruno);
      const undo = coWriter(chloe);
      putCaretAfter(view, 'Alpha');
      net.offline(chloe);
      act(chloe, undo);
      typeAtCaret(view, ' abcdefghij');
      net.settle();
      typeAtCaret(view, ' klm');
      net.settle();
      net.reconnect(chloe);
      net.settle();
      expect(paragraphs(net.server)).toEqual(expected.map((p) => p.replace(' FIN', '')));
      typeAtCaret(view, ' FIN');
      net.settle();
      expect(paragraphs(net.server)).toEqual(expected);
      expectConverged(net);
    });
});

describe('the server restarted while the typist is away', () => {
  it('still sends the offline words after the copies a join undone moved, from what it stored', () => {
    const net = new Network(document(paragraph(text('Premier paragraphe.')), paragraph(text('Alpha beta'))));
    const bruno = net.join(100);
    const chloe = net.join(200);
    const undo = coWriter(chloe);
    net.offline(bruno);
    const typed = (bruno.doc.getXmlFragment('default').get(0) as Y.XmlElement).get(2) as Y.XmlElement;
    (typed.get(0) as Y.XmlText).insert('Alpha'.length, ' hors ligne');
    join(chloe);
    net.settle();
    undo.undo();
    net.settle();
    // What the server stores, and the forwardings it keeps beside it (read first, as it does).
    const stored = Y.encodeStateAsUpdate(net.server);
    const kept = [...net.stored.values()].map(({ record, entries }) => ({
      record,
      entries: encodeForwardEntries(entries),
    }));
    const reloaded = new Y.Doc();
    for (const { record, entries } of kept)
      forwardingsOf(reloaded).add(record, decodeForwardEntries(entries), { notify: false });
    Y.applyUpdate(reloaded, stored);
    const restarted = new Network({ type: 'doc' }, reloaded);
    restarted.clients.push(bruno);
    restarted.reconnect(bruno);
    expect(paragraphs(reloaded)).toEqual(['Premier paragraphe.', 'Alpha hors ligne beta']);
    expect(ydocToJSON(bruno.doc)).toEqual(ydocToJSON(reloaded));
  });
});

describe('pairing the characters a move deleted with their copies', () => {
  it('pairs the exact common start and end before passing over one’s own characters', () => {
    // « Alpha beta » and the words typed offline in it, all one's own: only « Alpha » and « beta »
    // have copies, not the « b » and « e » of the offline words.
    const deleted = 'Alpha abcdefghij beta';
    const pairs = alignEnds(
      deleted,
      'Alpha beta',
      [...deleted].map(() => true),
    );
    const sorted = [...pairs].sort((x, y) => x[0] - y[0]);
    expect(sorted.map(([i]) => deleted[i]).join('')).toBe('Alpha beta');
    expect(sorted.every(([i, j]) => (i < 6 ? i === j : i === j + 11))).toBe(true);
  });

  it('still passes over keystrokes on their way at two places', () => {
    const deleted = 'AlXpha beYta';
    const own = [...deleted].map((c) => c === 'X' || c === 'Y');
    const pairs = alignEnds(deleted, 'Alpha beta', own);
    expect(pairs).toHaveLength(10);
    expect(pairs.some(([i]) => own[i])).toBe(false);
  });
});
