// @vitest-environment jsdom
import { defaultDeleteFilter, defaultProtectedNodes, ySyncPluginKey } from '@tiptap/y-tiptap';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { DocJSON } from './convert.js';
import { undoOnlyOwnChanges } from './undoScope.js';
import { Network, paragraph, section, text } from '../../../tests/support/yNetwork.js';
import {
  firstSectionParagraphs,
  press,
  putCaretAfter,
  useCaretEditors,
} from '../../../tests/support/caretEditors.js';
import {
  CLIENT_ID_ORDERS,
  deliverMerged,
  shrinkOrder,
  typistIdOrder,
} from '../../../tests/support/orders.js';
import { seededRandom } from '../../../tests/support/random.js';

// Issue 8, the browser test « keeps the typist’s words in order, once, when a co-writer joins their
// paragraph, undoes, redoes and undoes again », without a browser: two editors (ProseMirror views
// bound to their Y.Docs with the client's caret helpers), the co-writer's undo as the editor's
// (undoOnlyOwnChanges), and a server that writes late keystrokes again as the real one does
// (tests/support/yNetwork.ts), the network in the test's hands.

const document = (...blocks: DocJSON[]): DocJSON => ({
  type: 'doc',
  content: [section('s1', 'Vigilance', ...blocks)],
});
const paragraphs = firstSectionParagraphs;
const { editorOf, destroyAll } = useCaretEditors();

/** What the typist types after « Alpha », as in the browser test. */
const TYPED = ' abcdefghijklmnopqrstuvwxyz0123456789';

/** The co-writer's keys, each pressed once she sees what the browser test waits for. */

const KEYS: [string, (p: string[]) => boolean][] = [
  ['Backspace', (p) => (p[1] ?? '').includes('Alpha abc')],
  ['Undo', (p) => (p[0] ?? '').includes('Alpha abcdefg')],
  ['Redo', (p) => (p[1] ?? '').includes('Alpha abcdefghijkl')],
  ['Undo', (p) => (p[0] ?? '').includes('Alpha abcdefghijklmnopq')],
];

/**
 * « Premier paragraphe. » and « Alpha beta », the typist's caret after « Alpha », the co-writer's
 * at the start of « Alpha beta »: plays `steps` (`B`: the typist types the next letter; `C`: the
 * co-writer presses the next of the first `keyCount` keys; `>B`, `>C`: the server receives their
 * next update; `<B2`: they receive the server's next 2 updates at once), skipping the steps that
 * cannot be played, or random steps when `random` is given; then delivers everything. `ok` when
 * every copy shows the typist's letters once, in order, in the paragraph the keys left them in.
 */
function run(ids: readonly [number, number], keyCount: number, steps: string[], random?: () => number) {
  const net = new Network(document(paragraph(text('Premier paragraphe.')), paragraph(text('Alpha beta'))));
  const bruno = net.join(ids[0]);
  const chloe = net.join(ids[1]);
  const typist = editorOf(bruno);
  const coWriter = editorOf(chloe);
  const undo = new Y.UndoManager(chloe.doc.getXmlFragment('default'), {
    trackedOrigins: new Set([ySyncPluginKey]),
    captureTimeout: 0,
    deleteFilter: (item) => defaultDeleteFilter(item, defaultProtectedNodes),
  });
  undoOnlyOwnChanges(undo);
  putCaretAfter(typist, 'Alpha');
  putCaretAfter(coWriter, 'Premier paragraphe.', 2);
  const keys = KEYS.slice(0, keyCount);
  const played: string[] = [];
  let typed = 0;
  let key = 0;
  for (let n = 0; ; n++) {
    const options: string[] = [];
    if (typed < TYPED.length) options.push('B');
    const next = keys[key];
    if (next && next[1](paragraphs(chloe.doc))) options.push('C');
    if (bruno.outbox.length > 0) options.push('>B');
    if (chloe.outbox.length > 0) options.push('>C');
    let step: string | undefined;
    if (random) {
      if (bruno.inbox.length > 0) options.push(`<B${1 + Math.floor(random() * bruno.inbox.length)}`);
      if (chloe.inbox.length > 0) options.push(`<C${1 + Math.floor(random() * chloe.inbox.length)}`);
      step = options[Math.floor(random() * options.length)];
      if (step === undefined) break;
    } else {
      step = steps[n];
      if (step === undefined) break;
      if (step.startsWith('<')) {
        const inbox = (step[1] === 'B' ? bruno : chloe).inbox.length;
        if (inbox === 0) continue;
        step = `${step.slice(0, 2)}${Math.min(inbox, Number(step.slice(2)))}`;
      } else if (!options.includes(step)) continue;
    }
    played.push(step);
    if (step === 'B') press(typist, TYPED[typed++] as string);
    else if (step === 'C') {
      const k = keys[key++]?.[0];
      if (k === 'Undo') undo.undo();
      else if (k === 'Redo') undo.redo();
      else press(coWriter, k as string);
    } else if (step === '>B') net.send(bruno, 1);
    else if (step === '>C') net.send(chloe, 1);
    else deliverMerged(step[1] === 'B' ? bruno : chloe, Number(step.slice(2)));
    if (process.env['JOIN_UNDO_TRACE'])
      console.warn(
        step,
        JSON.stringify(paragraphs(net.server)),
        JSON.stringify(paragraphs(bruno.doc)),
        JSON.stringify(paragraphs(chloe.doc)),
      );
  }
  if (process.env['JOIN_UNDO_TRACE'])
    for (let round = 0; round < 10; round++) {
      for (const c of [bruno, chloe]) {
        while (c.outbox.length > 0) {
          net.send(c, 1);
          console.warn(`settle >${c === bruno ? 'B' : 'C'}`, JSON.stringify(paragraphs(net.server)));
        }
      }
      for (const c of [bruno, chloe])
        while (c.inbox.length > 0) {
          deliverMerged(c, 1);
          console.warn(`settle <${c === bruno ? 'B' : 'C'}`, JSON.stringify(paragraphs(c.doc)));
        }
    }
  net.settle();
  const shown = paragraphs(net.server).join('|');
  const typedText = TYPED.slice(0, typed);
  const whole =
    key % 2 === 1
      ? `Premier paragraphe.Alpha${typedText} beta`
      : `Premier paragraphe.|Alpha${typedText} beta`;
  const ok =
    shown === whole && paragraphs(bruno.doc).join('|') === shown && paragraphs(chloe.doc).join('|') === shown;
  destroyAll();
  return { ok, shown, expected: whole, played, key };
}

/** The shortest order found by removing steps one by one while the run still fails. */
const shrink = (ids: readonly [number, number], keyCount: number, steps: string[]): string[] =>
  shrinkOrder(steps, (candidate) => {
    const r = run(ids, keyCount, candidate);
    return { failed: !r.ok && r.key === keyCount, played: r.played };
  });

/**
 * Random orders for `JOIN_UNDO_SEEDS` seeds (`JOIN_UNDO_KEYS`: how many of the co-writer's keys,
 * 4 by default; `JOIN_UNDO_SHRINK=1` shrinks each failure). Not part of `npm test`: some orders
 * still fail (issue 8).
 */
describe.skipIf(!process.env['JOIN_UNDO_SEEDS'])('random orders (JOIN_UNDO_SEEDS)', () => {
  it('keep the typist’s words in order, once', () => {
    const seeds = Number(process.env['JOIN_UNDO_SEEDS']);
    const first = Number(process.env['JOIN_UNDO_FIRST'] ?? 1);
    const keyCount = Number(process.env['JOIN_UNDO_KEYS'] ?? 4);
    const bad: string[] = [];
    for (let seed = first; seed < first + seeds; seed++)
      for (const ids of CLIENT_ID_ORDERS) {
        const r = run(ids, keyCount, [], seededRandom(seed));
        if (r.ok) continue;
        const label = `${seed} (${ids.join(',')}) keys ${r.key}: ${r.shown}`;
        if (process.env['JOIN_UNDO_SHRINK'] && r.key === keyCount) {
          const small = shrink(ids, keyCount, r.played);
          bad.push(`${label} shrunk: ${run(ids, keyCount, small).shown} ${small.join(' ')}`);
        } else bad.push(`${label} ${r.played.join(' ')}`);
      }
    console.warn(`${seeds} seeds × 2: ${bad.length} bad\n${bad.join('\n')}`);
    expect(bad).toEqual([]);
  });
});

describe('a co-writer joins the paragraph someone types in, then undoes the join', () => {
  // Interleavings of the random orders below, shrunk (issue 8; the browser test « …joins their
  // paragraph, undoes, redoes and undoes again » failed in CI of stop 34 with « abcdefhij…g »).
  const found = {
    // The typist's letters in flight were written again by the server after the join; the undo
    // carried them back; the typist's next letter, typed before they came back, went before them.
    'the undo carries back letters the server wrote again, and the typist typed on before seeing them':
      'B B B B >B >B B B <C1 <C1 >B <C1 B >B <C1 C B >C <B1 >B B <C1 >B >B <C3 >B <C3 C',
    // The server wrote a late letter again after one the typist had meanwhile re-written after the
    // undo: it stayed behind in the first paragraph.
    'the server writes a late letter after one the typist already re-wrote after the undo':
      'B B B >B >B >B B B <C2 B >B B B B <C1 >B B >B >B <C4 >B <C1 C >C C >B >C',
    // The server's re-write of a late letter comes in one update with the undo that carries the
    // one before it (Hocuspocus sends a turn's changes as one): the typist's next letter, typed
    // before either, went between them (« abcdefhg »).
    'a late letter written again comes with the undo that carries the one before it':
      'B B B B B B B B >B >B <C2 >B <C1 >B >B >B <C3 C >C <B1 B >B <B1 >B <C3 C >C <B2',
    // The server wrote a late letter after its re-write of the one before, past the joined text
    // the undo had just deleted: the typist's editor followed that text's end (« beta|i »).
    'the server writes a late letter past the text the undo took back':
      'B B B B B B B B >B >B B >B >B B >B >B <C1 >B >B <C2 <C5 C >C C <B1 >B <B1 >C >B <B2',
    // The same, with a letter the typist typed meanwhile after the first re-write (« hji »).
    'the server writes a late letter after its re-write of the one before, the typist having typed on':
      'B B B B B B B B >B >B B >B >B B >B >B <C1 >B >B <C2 <C5 C >C C <B1 >B <B1 B >C >B <B2',
  };
  for (const [name, steps] of Object.entries(found))
    for (const ids of CLIENT_ID_ORDERS)
      it(`keeps the typist's letters in order when ${name} (typist's client id ${typistIdOrder(ids)})`, () => {
        const result = run(ids, 2, steps.split(' '));
        expect(result.shown).toBe(result.expected);
        expect(result.ok).toBe(true);
      });
});

/** One order, `JOIN_UNDO_STEPS` (with `JOIN_UNDO_TRACE=1`: every copy after each step), to study a failure. */
describe.skipIf(!process.env['JOIN_UNDO_STEPS'])('one order (JOIN_UNDO_STEPS)', () => {
  it('plays it', () => {
    const r = run([100, 200], 2, (process.env['JOIN_UNDO_STEPS'] ?? '').split(' '));
    console.warn(r.shown, r.played.join(' '));
  });
});
