// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import type { DocJSON } from './convert.js';
import {
  expectConverged,
  Network,
  paragraph,
  section,
  text,
  type Client,
} from '../../../tests/support/yNetwork.js';
import {
  firstSectionParagraphs,
  press,
  putCaretAfter,
  useCaretEditors,
} from '../../../tests/support/caretEditors.js';
import { deliverMerged } from '../../../tests/support/orders.js';
import { seededRandom } from '../../../tests/support/random.js';

// Issue 8, the browser test « keeps the typist’s words whole when a co-writer presses Enter then
// Backspace where they type », without a browser: two editors (ProseMirror views bound to their
// Y.Docs with the client's caret helpers) and a server that forwards late edits as the real one
// does (tests/support/yNetwork.ts), the network in the test's hands. The server sends what it
// changed in one turn as one update (Hocuspocus merges its broadcast; Yjs puts what the server
// wrote again after a join in the join's own update): `<B2` delivers the next two at once.

const document = (...blocks: DocJSON[]): DocJSON => ({
  type: 'doc',
  content: [section('s1', 'Vigilance', ...blocks)],
});

const paragraphs = firstSectionParagraphs;

const { editorOf, destroyAll } = useCaretEditors();

/** What the browser test types: the typist's word, the co-writer's keys where they type. */
const TYPED = 'aaaaAAAAaaaa1111';
const DEFAULT_TYPED = TYPED;
const CO_WRITER = ['Enter', 'b', 'b', 'b', 'Backspace', 'Backspace', 'Backspace', 'Backspace', 'Z', 'Z'];
const DEFAULT_CO_WRITER = CO_WRITER;

/**
 * « Alpha beta| gamma delta », both carets after « beta »: plays `steps` (`B`: the typist types the
 * next letter of {@link TYPED}; `C`: the co-writer presses the next key of {@link CO_WRITER};
 * `>B`, `>C`: the server receives their next update; `<B2`, `<C1`: they receive the server's
 * next 2, 1 updates at once), then delivers everything. Returns what the typist typed.
 */
function play(
  net: Network,
  steps: readonly string[],
  typedKeys: string = TYPED,
  coWriterKeys: readonly string[] = CO_WRITER,
): string {
  const [bruno, chloe] = net.clients as [Client, Client];
  const views = [editorOf(bruno), editorOf(chloe)] as const;
  for (const view of views) putCaretAfter(view, 'Alpha beta');
  let typed = 0;
  let coWriter = 0;
  for (const step of steps) {
    if (step === 'B') press(views[0], typedKeys[typed++] as string);
    else if (step === 'C') press(views[1], coWriterKeys[coWriter++] as string);
    else if (step === '>B') net.send(bruno, 1);
    else if (step === '>C') net.send(chloe, 1);
    else deliverMerged(step[1] === 'B' ? bruno : chloe, Number(step.slice(2)));
  }
  net.settle();
  return typedKeys.slice(0, typed);
}

describe('a co-writer presses Enter then Backspace where someone types', () => {
  for (const ids of [
    [100, 200],
    [200, 100],
  ] as const)
    it(`the typist's caret waits for the rest of their word written again, not for letters already there (typist's client id ${ids[0] < ids[1] ? 'lower' : 'higher'})`, () => {
      const net = new Network(
        document(paragraph(text('Premier paragraphe.')), paragraph(text('Alpha beta'))),
      );
      const bruno = net.join(ids[0]);
      const chloe = net.join(ids[1]);
      const typist = editorOf(bruno);
      const coWriter = editorOf(chloe);
      putCaretAfter(typist, 'Alpha beta');
      // At the start of « Alpha beta »: just after the end of the paragraph before.
      putCaretAfter(coWriter, 'Premier paragraphe.', 2);
      // The first « A » reaches everyone, the second only the server, the last two are on their way.
      press(typist, 'A');
      net.send(bruno);
      net.deliver(chloe);
      press(typist, 'A');
      net.send(bruno);
      press(typist, 'A');
      press(typist, 'A');
      // The co-writer joins the paragraph to the one before: the server writes the second « A »
      // again in the join's update, then the last two as they arrive, each after the one before.
      press(coWriter, 'Backspace');
      net.send(chloe);
      deliverMerged(bruno);
      net.send(bruno);
      deliverMerged(bruno);
      for (const letter of '1111') press(typist, letter);
      net.settle();
      // The typist's next keystrokes went before the last « A » (« AAA1111A »).
      expect(paragraphs(net.server)).toEqual(['Premier paragraphe.Alpha betaAAAA1111']);
      expectConverged(net);
    });

  // Interleavings found by enumerating the orders of keystrokes and deliveries (below), shrunk.
  const found = {
    // The join and what the server wrote again reach the typist in one update; paired by their
    // letters, the typist's « AAA » in flight took the copy of a neighbour (« AaAAA »).
    'the join and the letters written again come in one update':
      'B B >B >B B <C1 C >C C >C B B <B1 <B1 C >B B >C <B1 C C C >C C >C <B1 >C <B1 >B >C C B <B1 >C >B >B B B <B3 >B <B2 B',
    // The letters written again come in two updates: the second batch was paired with the first
    // (« aaaaAAaAA »).
    'the letters written again come in two updates':
      'B >B <C1 C >C <B1 B B C >C <B1 >B C B C >B <C1 C >C >C C <B1 >C C B >B B <C1 >B <C1 >B >C >C B <B2 <B1 C <B1 >C B >B <B1 <B4 B',
  };
  // Tester BR42: words typed before « ␣gamma » while the co-writer presses Enter then Backspace
  // there. The typist's space, written by the binding after the paragraph's own space, was the
  // one the split moved and the join dropped; the next letter went after the other space
  // (« beta␣␣ugamma »). Shrunk from the random orders below with ENTER_BACKSPACE_TYPED=' un deux
  // trois quatre' and ENTER_BACKSPACE_KEYS=Enter,Backspace (160 garbled runs of 300 before the
  // y-tiptap patch that writes a keystroke where the caret is, 6 after).
  const spaced = {
    "the co-writer splits and joins just before the typist's space and word": {
      steps: 'C B C >C <B1 >C <B1 B',
      typed: ' u',
      keys: ['Enter', 'Backspace'],
    },
  };
  const cases = [
    ...Object.entries(found).map(([name, steps]) => ({ name, steps, typed: TYPED, keys: CO_WRITER })),
    ...Object.entries(spaced).map(([name, c]) => ({ name, ...c })),
  ];
  for (const { name, steps, typed: typedKeys, keys } of cases)
    for (const ids of [
      [100, 200],
      [200, 100],
    ] as const)
      it(`keeps the typist's word whole when ${name} (typist's client id ${ids[0] < ids[1] ? 'lower' : 'higher'})`, () => {
        const net = new Network(document(paragraph(text('Alpha beta gamma delta'))));
        net.join(ids[0]);
        net.join(ids[1]);
        const typed = play(net, steps.split(' '), typedKeys, keys);
        expect(paragraphs(net.server)).toEqual([`Alpha beta${typed} gamma delta`]);
        expectConverged(net);
      });
});

/**
 * Random orders of the browser test's keystrokes and deliveries, for `ENTER_BACKSPACE_SEEDS` seeds
 * (not part of `npm test`: some orders still fail, see issue 8). A run fails when the typist's word
 * is cut by anything but the co-writer's « ZZ » (« garbled »), or cut by « ZZ » (« ZZ inside »).
 */
describe.skipIf(!process.env['ENTER_BACKSPACE_SEEDS'])('random orders (ENTER_BACKSPACE_SEEDS)', () => {
  it('keep the typist’s word whole', () => {
    const seeds = Number(process.env['ENTER_BACKSPACE_SEEDS']);
    const TYPED = process.env['ENTER_BACKSPACE_TYPED'] ?? DEFAULT_TYPED;
    const CO_WRITER = process.env['ENTER_BACKSPACE_KEYS']?.split(',') ?? DEFAULT_CO_WRITER;
    const first = Number(process.env['ENTER_BACKSPACE_FIRST'] ?? 1);
    const garbled: string[] = [];
    const inside: string[] = [];
    for (let seed = first; seed < first + seeds; seed++)
      for (const ids of [
        [100, 200],
        [200, 100],
      ] as const) {
        const random = seededRandom(seed);
        const net = new Network(document(paragraph(text('Alpha beta gamma delta'))));
        const bruno = net.join(ids[0]);
        const chloe = net.join(ids[1]);
        const steps: string[] = [];
        // The steps are chosen as the run goes: the co-writer starts once the typist's first letter
        // has reached her, as in the browser test.
        const typist = editorOf(bruno);
        const coWriter = editorOf(chloe);
        putCaretAfter(typist, 'Alpha beta');
        putCaretAfter(coWriter, 'Alpha beta');
        let typed = 0;
        let keys = 0;
        for (;;) {
          const options: string[] = [];
          if (typed < TYPED.length) options.push('B');
          if (
            keys < CO_WRITER.length &&
            (keys > 0 || paragraphs(chloe.doc).join('').includes(TYPED.slice(0, 2)))
          )
            options.push('C');
          if (bruno.outbox.length > 0) options.push('>B');
          if (chloe.outbox.length > 0) options.push('>C');
          if (bruno.inbox.length > 0) options.push(`<B${1 + Math.floor(random() * bruno.inbox.length)}`);
          if (chloe.inbox.length > 0) options.push(`<C${1 + Math.floor(random() * chloe.inbox.length)}`);
          const step = options[Math.floor(random() * options.length)];
          if (step === undefined) break;
          steps.push(step);
          if (step === 'B') press(typist, TYPED[typed++] as string);
          else if (step === 'C') press(coWriter, CO_WRITER[keys++] as string);
          else if (step === '>B') net.send(bruno, 1);
          else if (step === '>C') net.send(chloe, 1);
          else deliverMerged(step[1] === 'B' ? bruno : chloe, Number(step.slice(2)));
          if (process.env['ENTER_BACKSPACE_TRACE'] === String(seed))
            console.warn(
              step,
              JSON.stringify(paragraphs(net.server)),
              JSON.stringify(paragraphs(bruno.doc)),
              JSON.stringify(paragraphs(chloe.doc)),
            );
        }
        net.settle();
        const [shown, ...rest] = paragraphs(net.server);
        const whole = `Alpha beta${TYPED} gamma delta`;
        const label = `${seed} (${ids.join(',')}): ${[shown, ...rest].join('|')} ${steps.join(' ')}`;
        if (rest.length > 0 || shown?.replace('ZZ', '') !== whole) garbled.push(label);
        else if (!shown.startsWith(`Alpha beta${TYPED}`) && !shown.startsWith(`Alpha betaZZ${TYPED}`))
          inside.push(label);
        destroyAll();
      }
    console.warn(
      `${seeds} seeds × 2 client id orders: ${garbled.length} garbled, ${inside.length} with « ZZ » inside the word\n` +
        [...garbled, ...inside].join('\n'),
    );
    expect(garbled).toEqual([]);
    expect(inside).toEqual([]);
  });
});
