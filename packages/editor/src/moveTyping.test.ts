// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import type * as Y from 'yjs';
import { ydocToJSON, type DocJSON } from './convert.js';
import { moveSection } from './sectionForwarding.js';
import { Network, paragraph, section, text } from '../../../tests/support/yNetwork.js';
import { press, putCaretAfter, useCaretEditors } from '../../../tests/support/caretEditors.js';
import {
  CLIENT_ID_ORDERS,
  deliverMerged,
  shrinkOrder,
  typistIdOrder,
} from '../../../tests/support/orders.js';
import { seededRandom } from '../../../tests/support/random.js';

// Issue 8, the tester's « a section moved while someone types in the middle of a paragraph »,
// without a browser: the typist's editor (a ProseMirror view bound to its Y.Doc with the client's
// caret helpers) types after « base06 » while the server moves the section three times
// (moveSection, as the « Monter » / « Descendre » request does) and writes late keystrokes again
// (tests/support/yNetwork.ts), the network in the test's hands.

/** The paragraph typed into, and what the typist types after its « base06 ». */
const BASE = Array.from({ length: 12 }, (_, i) => `base${String(i + 1).padStart(2, '0')}`).join(' ');
const TYPED = Array.from({ length: 8 }, (_, i) => ` A${String(i + 1).padStart(2, '0')}`).join('');
/** Two sections: « Vigilance » (`s1`, the paragraph) and « Leviers » (`s2`), which it moves around. */
const document = (): DocJSON => ({
  type: 'doc',
  content: [
    section('s1', 'Vigilance', paragraph(text(BASE))),
    section('s2', 'Leviers', paragraph(text('Autre.'))),
  ],
});
const { editorOf, destroyAll } = useCaretEditors();
/** The paragraphs of section `s1`, joined by « | ». */
const textOfS1 = (doc: Y.Doc): string => {
  const s = (ydocToJSON(doc).content ?? []).find((x) => x.attrs?.['id'] === 's1');
  return (s?.content ?? [])
    .filter((b) => b.type === 'paragraph')
    .map((b) => (b.content ?? []).map((t) => t.text ?? '').join(''))
    .join('|');
};

/**
 * Plays `steps` (`B`: the typist types the next letter; `M`: the server moves `s1` after `s2`, or
 * back to the top, three times at most, once two letters are typed; `>B`: the server receives the
 * typist's next update; `<B2`: the typist receives the server's next 2 at once), skipping the steps
 * that cannot be played, or random steps when `random` is given; then delivers everything. `ok`
 * when the server and the typist show the typed letters once, in order, where they were typed.
 */
function run(ids: readonly [number, number], steps: string[], random?: () => number) {
  const net = new Network(document());
  const bruno = net.join(ids[0]);
  net.join(ids[1]);
  const typist = editorOf(bruno);
  putCaretAfter(typist, 'base06');
  const played: string[] = [];
  let typed = 0;
  let moves = 0;
  for (let n = 0; ; n++) {
    const options: string[] = [];
    if (typed < TYPED.length) options.push('B');
    if (moves < 3 && typed >= 2) options.push('M');
    if (bruno.outbox.length > 0) options.push('>B');
    let step: string | undefined;
    if (random) {
      if (bruno.inbox.length > 0) options.push(`<B${1 + Math.floor(random() * bruno.inbox.length)}`);
      step = options[Math.floor(random() * options.length)];
      if (step === undefined) break;
    } else {
      step = steps[n];
      if (step === undefined) break;
      if (step.startsWith('<')) {
        if (bruno.inbox.length === 0) continue;
        step = `<B${Math.min(bruno.inbox.length, Number(step.slice(2)))}`;
      } else if (!options.includes(step)) continue;
    }
    played.push(step);
    if (step === 'B') press(typist, TYPED[typed++] as string);
    else if (step === 'M') {
      moveSection(net.server, 's1', moves % 2 === 0 ? 's2' : null, 'move');
      moves++;
    } else if (step === '>B') net.send(bruno, 1);
    else deliverMerged(bruno, Number(step.slice(2)));
    if (process.env['MOVE_TRACE'])
      console.warn(step, JSON.stringify(textOfS1(net.server)), JSON.stringify(textOfS1(bruno.doc)));
  }
  net.settle();
  const shown = textOfS1(net.server);
  const want = BASE.replace('base06', `base06${TYPED.slice(0, typed)}`);
  const ok = shown === want && textOfS1(bruno.doc) === shown;
  destroyAll();
  return { ok, shown, expected: want, played };
}

/** The shortest order found by removing steps one by one while the run still fails. */
const shrink = (ids: readonly [number, number], steps: string[]): string[] =>
  shrinkOrder(steps, (candidate) => {
    const r = run(ids, candidate);
    return { failed: !r.ok, played: r.played };
  });

describe('a co-writer moves the section while someone types in the middle of a paragraph', () => {
  // Orders of the random runs below, shrunk (tester of stop 35: « A02␣␣A03 … A20base07 »).
  const found = {
    // The typist typed on after the move, before their letters in flight came back: the server
    // wrote those after the letter typed on (« base060␣A »).
    'the typist types on after the move, before their letters in flight come back': 'B B M <B1 B M',
    // After the second move, the typist's caret went past the space that followed it: their own
    // space in flight was paired with it (« A02␣␣Abase07 »).
    'the section moves twice while letters are on their way': 'B B M B B >B <B2 B M B B B B <B1 B',
    // The move came with the server's re-writes of the letters that reached it late; the typist's
    // space still on its way was paired with the space after the words (« A01␣␣Abase07 »).
    'the move comes with the letters that reached the server late, a space still on its way':
      'B >B B >B B B M B >B >B <B3 B',
    // The move came alone: its copy lacked the typist's space still on its way, which the editor
    // paired by its letter with the space after the words; the server records which of the
    // typist's letters it copied (copiedClocks.ts) (« A01␣␣Abase07 »).
    'the move comes alone, a space still on its way': 'B >B B >B B B B >B >B M <B1 B',
    // The typist's first letters, on their way at the first move, were written again by the server
    // and moved by the second in the same update: the caret waited before them (« base060␣A »).
    'the move comes alone, then the next one with the letter written again meanwhile': 'B B M <B1 >B M <B2 B',
    // Two moves in one update: the second copy holds the typist's space as a copy of a copy; the
    // record of the second move must still name the typist, whose own characters are all gone
    // from the section it copied (a record of its live writers only gave « base060␣A »).
    'two moves come in one update, a letter still on its way': 'B >B B M M <B2 B',
    // The letters on their way came back alone after a second move: the caret, waiting for the
    // letter typed after the first move, stayed before them (« base060␣A01␣A »).
    'the letters on their way come back alone after a second move': 'B B B B B M M <B1 B <B1 >B <B1 B',
    // Letters written again by the server between two moves that reach the typist together: the
    // record of the last move says where the typist's last letter it had stands in its copy;
    // paired by letters, it was taken for the space after it (« base06␣0A », « base060␣A »).
    'two moves come together, the letters written again between them': 'B B M >B M >B M <B2 <B3 B',
    'the move comes alone, then two more with a letter written again between them': 'B B M <B1 M >B M <B3 B',
    // A letter typed after the first move, waiting for the typist's letters still on their way:
    // the record of the last move names the copies of the server's re-writes, which it goes after
    // as the server will write it (« base061␣A0 », « base060␣A01␣A »).
    'a letter is typed between two moves, the letters before it still on their way':
      'B B M <B1 M B >B M <B3 B',
    'letters are typed between moves, the ones before them written again between moves':
      'B B M <B1 B M >B B >B >B M B >B B <B6 B',
  };
  for (const [name, steps] of Object.entries(found))
    for (const ids of CLIENT_ID_ORDERS)
      it(`keeps the typist's words whole when ${name} (typist's client id ${typistIdOrder(ids)})`, () => {
        const result = run(ids, steps.split(' '));
        expect(result.shown).toBe(result.expected);
        expect(result.ok).toBe(true);
      });
});

/**
 * Random orders for `MOVE_SEEDS` seeds, each failure shrunk. Not part of `npm test`: some orders
 * still fail (issue 8).
 */
describe.skipIf(!process.env['MOVE_SEEDS'])('random orders (MOVE_SEEDS)', () => {
  it('keep the typist’s words whole', () => {
    const bad: string[] = [];
    for (let seed = 1; seed <= Number(process.env['MOVE_SEEDS']); seed++)
      for (const ids of CLIENT_ID_ORDERS) {
        const r = run(ids, [], seededRandom(seed));
        if (r.ok) continue;
        const small = shrink(ids, r.played);
        bad.push(`${seed} (${ids.join(',')}): ${r.shown} shrunk ${run(ids, small).shown} ${small.join(' ')}`);
      }
    console.warn(`${bad.length} bad\n${bad.join('\n')}`);
    expect(bad).toEqual([]);
  });
});
/** One order, `MOVE_STEPS` (with `MOVE_TRACE=1`: both copies after each step), to study a failure. */
describe.skipIf(!process.env['MOVE_STEPS'])('one order (MOVE_STEPS)', () => {
  it('plays it', () => {
    const r = run([100, 200], (process.env['MOVE_STEPS'] ?? '').split(' '));
    console.warn(r.shown, r.played.join(' '));
  });
});
