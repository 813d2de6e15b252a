import { defaultDeleteFilter, defaultProtectedNodes } from '@tiptap/y-tiptap';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { FRAGMENT } from '@essaim/protocol';
import { type DocJSON } from './convert.js';
import { detectTextMoves, followMovedText } from './textMoves.js';
import { undoOnlyOwnChanges } from './undoScope.js';
import { Network, paragraph, text, type Client } from '../../../tests/support/yNetwork.js';
import { seededRandom } from '../../../tests/support/random.js';

/**
 * Issue 8, the convergence fuzz's faults made deterministic: three writers on plain Y.Docs whose
 * network is in the test's hands (tests/support/yNetwork.ts: a server document that forwards late
 * edits as the real one does), making the fuzz's edits (words typed at the start or end of a
 * paragraph, paragraphs cut in two and joined as the editor's binding does, undo and redo of the
 * last cut or join) and sending, receiving, going offline and coming back in a seeded order. A run
 * is a list of ops that replays exactly, and shrinks ({@link shrink}) to the few that lose a word.
 * Nobody deletes text, so every word typed (and every word of the starting document) must be in
 * the server's document at the end exactly once ({@link wordCounts}), nothing else may be there
 * (a piece of a word written apart is garbled text), and every replica must equal it.
 */

const TYPING = Symbol('typing');

const start: DocJSON = {
  type: 'doc',
  content: [
    {
      type: 'section',
      attrs: { id: 's1', key: null },
      content: [
        { type: 'sectionTitle', content: [text('Vigilance')] },
        paragraph(text('Alpha beta gamma')),
        paragraph(text('Delta epsilon')),
      ],
    },
  ],
};

interface Writer {
  client: Client;
  undo: Y.UndoManager;
  words: string[];
  lastMove: 'move' | 'undone' | null;
  online: boolean;
}

const plain = (t: Y.XmlText): string =>
  (t.toDelta() as { insert?: unknown }[])
    .map((op) => (typeof op.insert === 'string' ? op.insert : ''))
    .join('');

function textOf(p: Y.XmlElement): Y.XmlText {
  const first = p.get(0);
  if (first instanceof Y.XmlText) return first;
  const t = new Y.XmlText();
  p.insert(0, [t]);
  return t;
}

const sectionOf = (doc: Y.Doc): Y.XmlElement | null => {
  const s = doc.getXmlFragment(FRAGMENT).get(0);
  return s instanceof Y.XmlElement ? s : null;
};
const paragraphsOf = (s: Y.XmlElement): Y.XmlElement[] =>
  s.toArray().filter((n): n is Y.XmlElement => n instanceof Y.XmlElement && n.nodeName === 'paragraph');

export type Op =
  | { w: number; kind: 'undo' | 'redo' | 'deliver' | 'offline' | 'reconnect' }
  | { w: number; kind: 'type'; word: string; p: number; atStart: boolean }
  | { w: number; kind: 'cut'; p: number; at: number }
  | { w: number; kind: 'join'; at: number }
  | { w: number; kind: 'send'; n: number };

interface World {
  net: Network;
  writers: Writer[];
}

export function world(): World {
  const net = new Network(start);
  const writers: Writer[] = [];
  for (let i = 0; i < 3; i++) {
    const client = net.join(100 * (i + 1));
    client.doc.on('afterTransaction', (tr: Y.Transaction) => {
      if (!tr.local) followMovedText(client.doc, tr, detectTextMoves(tr));
    });
    const undo = new Y.UndoManager(client.doc.getXmlFragment(FRAGMENT), {
      trackedOrigins: new Set([null]),
      captureTimeout: 0,
      deleteFilter: i % 2 === 0 ? (item) => defaultDeleteFilter(item, defaultProtectedNodes) : () => true,
    });
    undoOnlyOwnChanges(undo);
    writers.push({ client, undo, words: [], lastMove: null, online: true });
  }
  return { net, writers };
}

/** Applies one op; false when it does not apply to the current state. */
export function apply(wd: World, op: Op): boolean {
  const w = wd.writers[op.w] as Writer;
  const doc = w.client.doc;
  const section = sectionOf(doc);
  if (!section) return false;
  const list = paragraphsOf(section);
  switch (op.kind) {
    case 'undo':
      w.undo.undo();
      return true;
    case 'redo':
      w.undo.redo();
      return true;
    case 'type': {
      const p = list[op.p];
      if (!p) return false;
      doc.transact(() => {
        const t = textOf(p);
        t.insert(op.atStart ? 0 : t.length, ` ${op.word} `);
      }, TYPING);
      w.words.push(op.word);
      return true;
    }
    case 'cut': {
      const p = list[op.p];
      const t = p?.get(0);
      if (!p || !(t instanceof Y.XmlText)) return false;
      const content = plain(t);
      if (op.at <= 0 || op.at >= content.length - 1 || content[op.at] !== ' ') return false;
      w.undo.stopCapturing();
      doc.transact(() => {
        t.delete(op.at, content.length - op.at);
        const next = new Y.XmlElement('paragraph');
        section.insert(section.toArray().indexOf(p) + 1, [next]);
        next.insert(0, [new Y.XmlText(content.slice(op.at))]);
      });
      return true;
    }
    case 'join': {
      const children = section.toArray();
      const [previous, p] = [children[op.at], children[op.at + 1]];
      if (
        !(previous instanceof Y.XmlElement && previous.nodeName === 'paragraph') ||
        !(p instanceof Y.XmlElement && p.nodeName === 'paragraph')
      )
        return false;
      const moved = p
        .toArray()
        .map((c) => (c instanceof Y.XmlText ? plain(c) : ''))
        .join('');
      w.undo.stopCapturing();
      doc.transact(() => {
        section.delete(op.at + 1, 1);
        const t = textOf(previous);
        if (moved) t.insert(t.length, moved);
      });
      return true;
    }
    case 'send':
      if (!w.online) return false;
      wd.net.send(w.client, op.n);
      return true;
    case 'deliver':
      if (!w.online) return false;
      wd.net.deliver(w.client);
      return true;
    case 'offline':
      if (!w.online) return false;
      wd.net.offline(w.client);
      w.online = false;
      return true;
    case 'reconnect':
      if (w.online) return false;
      wd.net.reconnect(w.client);
      w.online = true;
      return true;
  }
}

/**
 * How many times each word of a document occurs, as whole words. Words are typed with a space on
 * each side and cut only at spaces, so a typed word is a whitespace-separated token, except that a
 * join glues the starting document's « Alpha » or « Delta » right after the previous paragraph's
 * last word: tokens are also cut before a capital. A word garbled by a wrong merge (« w2r301r29 »)
 * is no token of its own, so it counts as lost.
 */
export function wordCounts(doc: Y.Doc): Map<string, number> {
  const counts = new Map<string, number>();
  const section = sectionOf(doc);
  if (!section) return counts;
  for (const p of paragraphsOf(section)) {
    const content = p
      .toArray()
      .map((c) => (c instanceof Y.XmlText ? plain(c) : ''))
      .join(' ');
    for (const token of content.split(/\s+|(?=[A-Z])/))
      if (token) counts.set(token, (counts.get(token) ?? 0) + 1);
  }
  return counts;
}

/** The starting document's words: nobody deletes text, so they too must each be there once. */
const STARTING_WORDS = ['Alpha', 'beta', 'gamma', 'Delta', 'epsilon'];

interface Outcome {
  /** Words typed that the server's document does not hold (or holds only garbled). */
  lost: string[];
  /** Words typed once that the server's document holds more than once. */
  duplicated: string[];
  /**
   * Tokens of the server's document that nobody typed: pieces of words written again apart from
   * the rest of them (« w0r94 2r11 w2r11 »), which a check of the typed words alone misses.
   */
  garbled: string[];
  /** Whether some replica differs from the server. */
  diverged: boolean;
  /**
   * Whether the network settled: false when editors kept re-writing their text after each
   * other's (« le réseau ne se stabilise pas », {@link UNSETTLED}); the rest is then read as it
   * stood when the network gave up.
   */
  settled: boolean;
}

/** What the test network throws when updates still flow after its last round. */
const UNSETTLED = 'le réseau ne se stabilise pas';

const isUnsettled = (error: unknown): boolean => error instanceof Error && error.message === UNSETTLED;

function finish(wd: World, settledSoFar = true): Outcome {
  let settled = settledSoFar;
  try {
    for (const w of wd.writers) if (!w.online) wd.net.reconnect(w.client);
    wd.net.settle();
  } catch (error) {
    if (!isUnsettled(error)) throw error;
    settled = false;
  }
  const expected = wd.net.server.getXmlFragment(FRAGMENT).toString();
  const counts = wordCounts(wd.net.server);
  const typed = [...STARTING_WORDS, ...wd.writers.flatMap((w) => w.words)];
  const lost = typed.filter((word) => !counts.has(word));
  const duplicated = typed.filter((word) => (counts.get(word) ?? 0) > 1);
  const known = new Set(typed);
  const garbled = [...counts.keys()].filter((token) => !known.has(token));
  const diverged = wd.net.clients.some((c) => c.doc.getXmlFragment(FRAGMENT).toString() !== expected);
  return { lost, duplicated, garbled, diverged, settled };
}

/** Applies `op`, false also when the network did not settle (a reconnection settles it). */
function applySettling(wd: World, op: Op): { applied: boolean; settled: boolean } {
  try {
    return { applied: apply(wd, op), settled: true };
  } catch (error) {
    if (!isUnsettled(error)) throw error;
    return { applied: true, settled: false };
  }
}

/** Generates and applies `rounds` rounds of random ops; returns the ops applied. */
export function runFuzz(seed: number, rounds: number): Outcome & { ops: Op[]; wd: World } {
  const random = seededRandom(seed);
  const int = (max: number) => Math.floor(random() * max);
  const wd = world();
  const ops: Op[] = [];
  let settled = true;
  for (let round = 0; round < rounds && settled; round++) {
    wd.writers.forEach((w, wi) => {
      const section = sectionOf(w.client.doc);
      if (!section) return;
      const list = paragraphsOf(section);
      const roll = random();
      const lastMove = w.lastMove;
      w.lastMove = null;
      let op: Op;
      if (lastMove === 'move' && roll < 0.4) {
        op = { w: wi, kind: 'undo' };
        w.lastMove = 'undone';
      } else if (lastMove === 'undone' && roll < 0.4) {
        op = { w: wi, kind: 'redo' };
        w.lastMove = 'move';
      } else if (roll < 0.35) {
        const p = int(list.length);
        op = { w: wi, kind: 'type', word: `w${wi}r${round}`, p, atStart: random() < 0.5 };
      } else if (roll < 0.5) {
        const p = int(list.length);
        const t = list[p]?.get(0);
        if (!(t instanceof Y.XmlText)) return;
        const content = plain(t);
        const spaces = [...content.matchAll(/ /g)]
          .map((m) => m.index)
          .filter((i) => i > 0 && i < content.length - 1);
        const at = spaces[int(spaces.length)];
        if (at === undefined) return;
        op = { w: wi, kind: 'cut', p, at };
        w.lastMove = 'move';
      } else if (roll < 0.6) {
        const children = section.toArray();
        op = { w: wi, kind: 'join', at: 1 + int(Math.max(0, children.length - 2)) };
        w.lastMove = 'move';
      } else if (roll < 0.9) {
        if (!w.online) return;
        op = { w: wi, kind: 'send', n: int(3) };
        if (!settled) return;
        if (apply(wd, op)) ops.push(op);
        if (random() < 0.5) op = { w: wi, kind: 'deliver' };
        else return;
      } else op = { w: wi, kind: w.online ? 'offline' : 'reconnect' };
      if (!settled) return;
      const result = applySettling(wd, op);
      settled = result.settled;
      if (result.applied) ops.push(op);
      else if (op.kind === 'join' || op.kind === 'cut') w.lastMove = null;
    });
  }
  return { ...finish(wd, settled), ops, wd };
}

/** Replays `ops` (skipping those that no longer apply); `wd` is the world at the end. */
export function replay(ops: readonly Op[]): Outcome & { wd: World } {
  const wd = world();
  let settled = true;
  for (const op of ops) if (settled) settled = applySettling(wd, op).settled;
  return { ...finish(wd, settled), wd };
}

/**
 * The kind of fault a run shows: a network that never settles (editors re-writing their text
 * after each other's without end), a word lost or garbled (a typed word missing, or a piece of
 * one written apart), or only text doubled (or diverged).
 */
export type Fault = 'unsettled' | 'lost' | 'doubled';

/** The worst fault of a run's outcome, or null when it kept every word once and converged. */
export function faultOf({ lost, duplicated, garbled, diverged, settled }: Outcome): Fault | null {
  if (!settled) return 'unsettled';
  if (lost.length > 0 || garbled.length > 0) return 'lost';
  return duplicated.length > 0 || diverged ? 'doubled' : null;
}

/**
 * Whether replaying `ops` fails with the fault `target`: `unsettled` asks for a network that
 * never settles; `lost` for a lost word; `doubled` for any other fault (a doubling, a divergence
 * or a lost word); a run that throws is no failure here,
 * nor is a run {@link runFuzz} cannot make: a writer undoes only right after its own cut, join or
 * redo took effect, and redoes only right after its own undo. Typing is not in the fuzz's undo
 * scope (the editor's is): a run shrunk to « redo, type, undo » by one writer undoes a move over
 * the word typed since, which the editor would undo first, and loses that word for no fault of
 * the co-writing (issue 8: such shrunk runs hid the real fault of their seed).
 */
const fails = (ops: readonly Op[], target: Fault): boolean => {
  try {
    const wd = world();
    const last = new Map<number, Op['kind']>();
    for (const op of ops) {
      const before = last.get(op.w);
      if (op.kind === 'undo' && before !== 'cut' && before !== 'join' && before !== 'redo') return false;
      if (op.kind === 'redo' && before !== 'undo') return false;
      const { applied, settled } = applySettling(wd, op);
      if (!settled) return target === 'unsettled';
      if (applied) last.set(op.w, op.kind);
    }
    const fault = faultOf(finish(wd));
    if (target === 'unsettled') return fault === 'unsettled';
    return target === 'lost' ? fault === 'lost' : fault !== null && fault !== 'unsettled';
  } catch {
    return false;
  }
};

/** Delta debugging: a smaller list of ops that still fails with the fault `target`. */
export function shrink(ops: Op[], target: Fault): Op[] {
  let current = ops;
  let chunk = Math.max(1, current.length >> 1);
  while (chunk >= 1) {
    let removed = false;
    for (let i = 0; i < current.length;) {
      const candidate = [...current.slice(0, i), ...current.slice(i + chunk)];
      if (fails(candidate, target)) {
        current = candidate;
        removed = true;
      } else i += chunk;
    }
    if (!removed) chunk >>= 1;
  }
  return current;
}

/**
 * Runs that lost a word (the last ones: doubled text), shrunk from seeded runs of {@link runFuzz}
 * (each op as the writer made it; paragraphs counted from 0 in the writer's view). Each failed
 * before its fix.
 */
const shrunk: { name: string; ops: Op[]; doubles?: string[] }[] = [
  {
    name: 'a word typed at the start of a paragraph, on its way while an offline co-writer cut that paragraph then joined its start to the one before',
    ops: [
      { w: 1, kind: 'type', word: 'w1r20', p: 1, atStart: true },
      { w: 0, kind: 'offline' },
      { w: 1, kind: 'type', word: 'w1r21', p: 1, atStart: true },
      { w: 1, kind: 'type', word: 'w1r24', p: 1, atStart: true },
      { w: 0, kind: 'reconnect' },
      { w: 1, kind: 'type', word: 'w1r46', p: 1, atStart: true },
      { w: 2, kind: 'offline' },
      { w: 2, kind: 'cut', p: 1, at: 14 },
      { w: 2, kind: 'join', at: 1 },
    ],
  },
  {
    name: 'a word typed in a paragraph an offline co-writer joined, unjoined, then typed in',
    ops: [
      { w: 1, kind: 'offline' },
      { w: 1, kind: 'join', at: 1 },
      { w: 1, kind: 'undo' },
      { w: 2, kind: 'type', word: 'w2r26', p: 1, atStart: true },
      { w: 1, kind: 'type', word: 'w1r30', p: 1, atStart: true },
    ],
  },
  {
    name: 'a word on its way for a paragraph an offline co-writer joined and unjoined, which comes back after a paragraph inserted meanwhile',
    ops: [
      { w: 2, kind: 'cut', p: 0, at: 10 },
      { w: 0, kind: 'join', at: 1 },
      { w: 0, kind: 'undo' },
      { w: 1, kind: 'type', word: 'w1r41', p: 1, atStart: false },
      { w: 2, kind: 'send', n: 2 },
      { w: 0, kind: 'offline' },
    ],
  },
  {
    name: 'a word typed offline at the end of a paragraph before joining the next one to it, which a co-writer cut meanwhile',
    // The join copies the whole paragraph, the cut its end: the join's copy of the end is taken
    // back (dropJoinedSplitEnds).
    ops: [
      { w: 0, kind: 'offline' },
      { w: 0, kind: 'type', word: 'w0r9', p: 1, atStart: true },
      { w: 0, kind: 'reconnect' },
      { w: 1, kind: 'type', word: 'w1r17', p: 0, atStart: false },
      { w: 1, kind: 'offline' },
      { w: 0, kind: 'cut', p: 1, at: 5 },
      { w: 1, kind: 'join', at: 1 },
      { w: 0, kind: 'send', n: 2 },
    ],
  },
  {
    name: 'a word on its way for a paragraph a co-writer joined and unjoined, then cut and typed in offline',
    ops: [
      { w: 1, kind: 'join', at: 1 },
      { w: 1, kind: 'undo' },
      { w: 0, kind: 'type', word: 'w0r2', p: 1, atStart: true },
      { w: 1, kind: 'offline' },
      { w: 1, kind: 'cut', p: 1, at: 5 },
      { w: 1, kind: 'type', word: 'w1r7', p: 1, atStart: false },
    ],
  },
  {
    name: 'a word typed just before a co-writer’s join of its paragraph arrived, the network lost before the word reached the server',
    ops: [
      { w: 0, kind: 'join', at: 1 },
      { w: 0, kind: 'send', n: 1 },
      { w: 1, kind: 'type', word: 'w1r7', p: 1, atStart: false },
      { w: 1, kind: 'deliver' },
      { w: 1, kind: 'offline' },
    ],
  },
  {
    name: 'a co-writer’s word that arrived after one joined its paragraph, one’s join not yet sent when the network was lost',
    ops: [
      { w: 0, kind: 'type', word: 'w0r3', p: 1, atStart: true },
      { w: 2, kind: 'join', at: 1 },
      { w: 0, kind: 'send', n: 1 },
      { w: 2, kind: 'deliver' },
      { w: 2, kind: 'offline' },
    ],
  },
  {
    name: 'a word typed after a joined paragraph, when the join is undone after a split of it was undone',
    ops: [
      { w: 2, kind: 'join', at: 1 },
      { w: 2, kind: 'type', word: 'w2r2', p: 0, atStart: false },
      { w: 2, kind: 'cut', p: 0, at: 10 },
      { w: 2, kind: 'undo' },
      { w: 2, kind: 'undo' },
    ],
  },
  {
    name: 'the second half of a split redone after the split and a join of it were undone',
    ops: [
      { w: 0, kind: 'type', word: 'w0r6', p: 0, atStart: true },
      { w: 0, kind: 'type', word: 'w0r10', p: 0, atStart: true },
      { w: 0, kind: 'cut', p: 0, at: 6 },
      { w: 0, kind: 'join', at: 1 },
      { w: 0, kind: 'undo' },
      { w: 0, kind: 'undo' },
      { w: 0, kind: 'redo' },
    ],
  },
  {
    name: 'the second half of a split, and a word typed in it, when the split is undone after a co-writer joined its first half to the paragraph before',
    ops: [
      { w: 1, kind: 'cut', p: 1, at: 5 },
      { w: 0, kind: 'join', at: 1 },
      { w: 0, kind: 'offline' },
      { w: 1, kind: 'type', word: 'w1r36', p: 2, atStart: true },
      { w: 0, kind: 'reconnect' },
      { w: 1, kind: 'undo' },
    ],
  },
  {
    name: 'a word on its way for a paragraph an offline co-writer joined, unjoined, typed in and split',
    ops: [
      { w: 0, kind: 'join', at: 1 },
      { w: 0, kind: 'undo' },
      { w: 0, kind: 'offline' },
      { w: 0, kind: 'type', word: 'w0r14', p: 1, atStart: false },
      { w: 0, kind: 'cut', p: 1, at: 5 },
      { w: 1, kind: 'type', word: 'w1r20', p: 1, atStart: false },
    ],
  },
  {
    name: 'a word typed offline at the start of a paragraph whose split was undone, then the next paragraph joined to it, the split alone sent',
    ops: [
      { w: 0, kind: 'cut', p: 0, at: 5 },
      { w: 0, kind: 'undo' },
      { w: 0, kind: 'send', n: 1 },
      { w: 0, kind: 'join', at: 1 },
      { w: 0, kind: 'offline' },
      { w: 0, kind: 'type', word: 'w0r42', p: 0, atStart: true },
    ],
  },
  {
    name: 'a word typed offline after joining a paragraph’s start to the one before, its end split off and typed before and after',
    ops: [
      { w: 0, kind: 'cut', p: 1, at: 5 },
      { w: 0, kind: 'type', word: 'w0r4', p: 2, atStart: true },
      { w: 0, kind: 'type', word: 'w0r5', p: 2, atStart: false },
      { w: 0, kind: 'offline' },
      { w: 0, kind: 'join', at: 1 },
      { w: 0, kind: 'type', word: 'w0r56', p: 0, atStart: false },
    ],
  },
  {
    name: 'a word typed at the end of a paragraph a co-writer split then unsplit, the co-writer’s own word there too',
    ops: [
      { w: 2, kind: 'type', word: 'w2r11', p: 0, atStart: false },
      { w: 2, kind: 'cut', p: 0, at: 5 },
      { w: 0, kind: 'type', word: 'w0r94', p: 0, atStart: false },
      { w: 2, kind: 'undo' },
    ],
  },
  {
    name: 'a word typed at the start of a paragraph, split off from its text, while an offline co-writer joined that paragraph and undid the join',
    // The undone join puts « Delta epsilon » back where the split had moved it from (see below).
    doubles: ['Delta', 'epsilon'],
    ops: [
      { w: 1, kind: 'type', word: 'w1r7', p: 1, atStart: true },
      { w: 2, kind: 'offline' },
      { w: 2, kind: 'join', at: 1 },
      { w: 0, kind: 'offline' },
      { w: 1, kind: 'cut', p: 1, at: 5 },
      { w: 2, kind: 'undo' },
    ],
  },
  {
    name: 'a word typed offline at the start of a paragraph split after a co-writer’s word, then joined to the one before',
    ops: [
      { w: 0, kind: 'type', word: 'w0r0', p: 1, atStart: true },
      { w: 0, kind: 'send', n: 1 },
      { w: 1, kind: 'deliver' },
      { w: 1, kind: 'offline' },
      { w: 1, kind: 'cut', p: 1, at: 11 },
      { w: 1, kind: 'type', word: 'w1r12', p: 1, atStart: true },
      { w: 1, kind: 'join', at: 1 },
    ],
  },
  {
    name: 'a word typed offline at the end of a paragraph after undoing a split of the next one, which a co-writer had joined to it whole',
    // The joiner had not seen the split: « epsilon » came back with the undo and with the join,
    // until the join's copy of it was taken back (dropJoinedSplitEnds). Passed before the copies
    // of several deleted runs could share one inserted run (an undone split then a join): then
    // « epsilon » paired its space with the one « w0r38 » begins with.
    ops: [
      { w: 2, kind: 'join', at: 1 },
      { w: 0, kind: 'cut', p: 1, at: 5 },
      { w: 0, kind: 'send', n: 2 },
      { w: 0, kind: 'undo' },
      { w: 0, kind: 'offline' },
      { w: 2, kind: 'send', n: 2 },
      { w: 0, kind: 'type', word: 'w0r38', p: 0, atStart: false },
    ],
  },
  {
    name: 'a word typed offline at the start of the first paragraph, while joining the third to a second a co-writer had joined away',
    ops: [
      { w: 2, kind: 'cut', p: 0, at: 5 },
      { w: 0, kind: 'type', word: 'w0r9', p: 1, atStart: true },
      { w: 1, kind: 'offline' },
      { w: 1, kind: 'reconnect' },
      { w: 0, kind: 'type', word: 'w0r63', p: 0, atStart: true },
      { w: 2, kind: 'join', at: 1 },
      { w: 0, kind: 'join', at: 2 },
      { w: 2, kind: 'send', n: 1 },
      { w: 0, kind: 'offline' },
    ],
  },
  {
    name: 'a word typed offline at the start of the next paragraph, sent with an undone split of a word typed at the end of this one',
    ops: [
      { w: 2, kind: 'type', word: 'w2r0', p: 0, atStart: false },
      { w: 2, kind: 'cut', p: 0, at: 16 },
      { w: 2, kind: 'undo' },
      { w: 2, kind: 'type', word: 'w2r5', p: 0, atStart: true },
      { w: 2, kind: 'send', n: 2 },
      { w: 2, kind: 'type', word: 'w2r15', p: 1, atStart: true },
      { w: 2, kind: 'cut', p: 0, at: 5 },
      { w: 2, kind: 'undo' },
      { w: 2, kind: 'offline' },
    ],
  },
  {
    name: 'a word typed offline at the start of a paragraph, sent with the joins of the two before it to the first, which a co-writer had split off and typed in',
    ops: [
      { w: 2, kind: 'offline' },
      { w: 2, kind: 'cut', p: 0, at: 5 },
      { w: 2, kind: 'cut', p: 1, at: 5 },
      { w: 2, kind: 'reconnect' },
      { w: 0, kind: 'offline' },
      { w: 0, kind: 'type', word: 'w0r13', p: 2, atStart: false },
      { w: 0, kind: 'type', word: 'w0r14', p: 1, atStart: false },
      { w: 0, kind: 'reconnect' },
      { w: 2, kind: 'offline' },
      { w: 2, kind: 'type', word: 'w2r21', p: 3, atStart: true },
      { w: 2, kind: 'join', at: 1 },
      { w: 2, kind: 'join', at: 1 },
    ],
  },
  {
    name: 'a word typed at the end of a paragraph whose join, redone offline by a co-writer, is undone again with a word typed at its start',
    ops: [
      { w: 2, kind: 'type', word: 'w2r15', p: 1, atStart: true },
      { w: 0, kind: 'join', at: 1 },
      { w: 0, kind: 'undo' },
      { w: 1, kind: 'offline' },
      { w: 1, kind: 'reconnect' },
      { w: 0, kind: 'redo' },
      { w: 0, kind: 'offline' },
      { w: 1, kind: 'type', word: 'w1r78', p: 1, atStart: false },
      { w: 0, kind: 'undo' },
      { w: 0, kind: 'type', word: 'w0r85', p: 1, atStart: true },
    ],
  },
  {
    name: 'a word typed offline at the start of a paragraph a co-writer joined to the one before, which another split and unsplit meanwhile',
    ops: [
      { w: 0, kind: 'cut', p: 0, at: 5 },
      { w: 1, kind: 'offline' },
      { w: 0, kind: 'undo' },
      { w: 2, kind: 'type', word: 'w2r15', p: 1, atStart: true },
      { w: 1, kind: 'join', at: 1 },
      { w: 2, kind: 'offline' },
    ],
  },
  {
    name: 'a word typed at the end of a paragraph an offline co-writer joined to one an undone split removed meanwhile, and split the paragraph before in the same run',
    ops: [
      { w: 1, kind: 'cut', p: 0, at: 10 },
      { w: 2, kind: 'offline' },
      { w: 2, kind: 'reconnect' },
      { w: 0, kind: 'offline' },
      { w: 2, kind: 'offline' },
      { w: 2, kind: 'join', at: 2 },
      { w: 2, kind: 'cut', p: 0, at: 5 },
      { w: 1, kind: 'undo' },
      { w: 1, kind: 'type', word: 'w1r97', p: 1, atStart: false },
    ],
  },
  {
    name: 'the words of a paragraph split off and joined to by co-writers, when the split is undone, redone and undone again offline',
    ops: [
      { w: 2, kind: 'type', word: 'w2r0', p: 0, atStart: false },
      { w: 1, kind: 'join', at: 1 },
      { w: 2, kind: 'type', word: 'w2r8', p: 1, atStart: true },
      { w: 2, kind: 'cut', p: 0, at: 10 },
      { w: 0, kind: 'offline' },
      { w: 0, kind: 'reconnect' },
      { w: 2, kind: 'offline' },
      { w: 2, kind: 'type', word: 'w2r78', p: 0, atStart: false },
      { w: 2, kind: 'undo' },
      { w: 2, kind: 'redo' },
      { w: 2, kind: 'undo' },
    ],
  },
  {
    name: 'a word typed at the start of a paragraph a co-writer split just after their own word, unsplit, split again, and unsplit once an offline co-writer’s words typed there arrived',
    ops: [
      { w: 2, kind: 'type', word: 'w2r5', p: 0, atStart: true },
      { w: 2, kind: 'offline' },
      { w: 2, kind: 'reconnect' },
      { w: 1, kind: 'offline' },
      { w: 0, kind: 'type', word: 'w0r18', p: 0, atStart: true },
      { w: 1, kind: 'type', word: 'w1r20', p: 0, atStart: true },
      { w: 1, kind: 'type', word: 'w1r27', p: 0, atStart: true },
      { w: 0, kind: 'cut', p: 0, at: 6 },
      { w: 0, kind: 'undo' },
      { w: 0, kind: 'redo' },
      { w: 1, kind: 'reconnect' },
      { w: 0, kind: 'undo' },
    ],
  },
  {
    name: 'a word typed at the start of a paragraph a co-writer cut off just before the space after which one cut it offline, one’s cut then undone',
    // Both cuts moved « gamma »; the undo puts one's copy back after the co-writer's (see below).
    doubles: ['gamma'],
    ops: [
      { w: 2, kind: 'cut', p: 0, at: 10 },
      { w: 2, kind: 'offline' },
      { w: 1, kind: 'offline' },
      { w: 0, kind: 'type', word: 'w0r4', p: 0, atStart: true },
      { w: 2, kind: 'reconnect' },
      { w: 0, kind: 'type', word: 'w0r9', p: 0, atStart: false },
      { w: 2, kind: 'join', at: 1 },
      { w: 1, kind: 'reconnect' },
      { w: 2, kind: 'cut', p: 0, at: 21 },
      { w: 0, kind: 'cut', p: 0, at: 22 },
      { w: 0, kind: 'offline' },
      { w: 2, kind: 'type', word: 'w2r32', p: 1, atStart: true },
      { w: 1, kind: 'offline' },
      { w: 1, kind: 'reconnect' },
      { w: 0, kind: 'undo' },
    ],
  },
  {
    name: 'a word typed offline after the start of a paragraph split off its end, then joined to the one before, while a co-writer split and unsplit it offline',
    ops: [
      { w: 2, kind: 'type', word: 'w2r7', p: 1, atStart: true },
      { w: 0, kind: 'type', word: 'w0r8', p: 1, atStart: true },
      { w: 2, kind: 'offline' },
      { w: 2, kind: 'reconnect' },
      { w: 0, kind: 'offline' },
      { w: 0, kind: 'cut', p: 1, at: 17 },
      { w: 2, kind: 'offline' },
      { w: 2, kind: 'cut', p: 1, at: 6 },
      { w: 0, kind: 'type', word: 'w0r17', p: 1, atStart: false },
      { w: 2, kind: 'undo' },
      { w: 0, kind: 'join', at: 1 },
    ],
  },
  {
    name: 'a word typed at the start of a paragraph its writer then cut, when a co-writer’s undone cut of the same text comes back from offline after a third co-writer’s late word was written again there',
    // Both the undone join and the split moved « beta gamma » (see `doubling`).
    doubles: ['beta', 'gamma'],
    ops: [
      { w: 1, kind: 'cut', p: 0, at: 5 },
      { w: 1, kind: 'undo' },
      { w: 1, kind: 'offline' },
      { w: 0, kind: 'cut', p: 0, at: 5 },
      { w: 1, kind: 'reconnect' },
      { w: 0, kind: 'undo' },
      { w: 1, kind: 'type', word: 'w1r5', p: 1, atStart: true },
      { w: 0, kind: 'cut', p: 0, at: 16 },
      { w: 1, kind: 'offline' },
      { w: 2, kind: 'join', at: 1 },
      { w: 1, kind: 'reconnect' },
      { w: 0, kind: 'undo' },
      { w: 1, kind: 'type', word: 'w1r14', p: 1, atStart: true },
      { w: 2, kind: 'type', word: 'w2r14', p: 0, atStart: true },
      { w: 1, kind: 'offline' },
      { w: 0, kind: 'offline' },
      { w: 2, kind: 'cut', p: 0, at: 28 },
      { w: 1, kind: 'reconnect' },
    ],
  },
  {
    name: 'a word typed offline at the start of a paragraph, sent in one change with the next paragraph’s end cut off and its start, a co-writer’s word, joined to the one before',
    ops: [
      { w: 2, kind: 'type', word: 'w2r0', p: 1, atStart: false },
      { w: 2, kind: 'type', word: 'w2r1', p: 1, atStart: false },
      { w: 1, kind: 'offline' },
      { w: 2, kind: 'cut', p: 1, at: 19 },
      { w: 1, kind: 'reconnect' },
      { w: 0, kind: 'join', at: 1 },
      { w: 2, kind: 'type', word: 'w2r14', p: 0, atStart: true },
      { w: 0, kind: 'offline' },
      { w: 0, kind: 'type', word: 'w0r17', p: 1, atStart: false },
      { w: 0, kind: 'join', at: 1 },
      { w: 0, kind: 'undo' },
      { w: 0, kind: 'reconnect' },
      { w: 0, kind: 'offline' },
      { w: 0, kind: 'type', word: 'w0r23', p: 0, atStart: true },
      { w: 0, kind: 'cut', p: 1, at: 6 },
      { w: 0, kind: 'cut', p: 0, at: 7 },
      { w: 0, kind: 'join', at: 2 },
    ],
  },
  {
    name: 'a word typed offline at the end of a paragraph its writer had just joined the start of the next one to, cutting off its last word, which begins as the typed word does',
    // Concurrent cuts and joins of the same text (see `doubling`); the join's copy of the cut-off
    // « epsilon » is taken back (dropJoinedSplitEnds), « gamma » still comes out twice.
    doubles: ['gamma'],
    ops: [
      { w: 2, kind: 'join', at: 1 },
      { w: 1, kind: 'cut', p: 0, at: 10 },
      { w: 0, kind: 'cut', p: 1, at: 5 },
      { w: 2, kind: 'cut', p: 0, at: 10 },
      { w: 2, kind: 'undo' },
      { w: 0, kind: 'offline' },
      { w: 0, kind: 'type', word: 'w0r10', p: 2, atStart: false },
      { w: 0, kind: 'reconnect' },
      { w: 0, kind: 'cut', p: 2, at: 8 },
      { w: 0, kind: 'join', at: 2 },
      { w: 0, kind: 'offline' },
      { w: 0, kind: 'type', word: 'w0r29', p: 1, atStart: false },
    ],
  },
  {
    name: 'a co-writer’s word typed at the start of a paragraph that an offline writer joined to the one before, unjoined and cut after its first word',
    ops: [
      { w: 0, kind: 'type', word: 'w0r3', p: 0, atStart: true },
      { w: 0, kind: 'offline' },
      { w: 0, kind: 'type', word: 'w0r5', p: 0, atStart: true },
      { w: 0, kind: 'cut', p: 0, at: 17 },
      { w: 0, kind: 'type', word: 'w0r10', p: 0, atStart: true },
      { w: 0, kind: 'reconnect' },
      { w: 1, kind: 'type', word: 'w1r21', p: 0, atStart: true },
      { w: 2, kind: 'offline' },
      { w: 0, kind: 'undo' },
      { w: 0, kind: 'redo' },
      { w: 2, kind: 'type', word: 'w2r23', p: 0, atStart: true },
      { w: 0, kind: 'offline' },
      { w: 2, kind: 'reconnect' },
      { w: 2, kind: 'cut', p: 0, at: 27 },
      { w: 0, kind: 'reconnect' },
      { w: 0, kind: 'offline' },
      { w: 0, kind: 'join', at: 2 },
      { w: 0, kind: 'undo' },
      { w: 0, kind: 'cut', p: 2, at: 6 },
      { w: 2, kind: 'type', word: 'w2r67', p: 2, atStart: true },
      { w: 0, kind: 'type', word: 'w0r68', p: 3, atStart: true },
    ],
  },
  {
    name: 'a co-writer’s word on its way for the end of a paragraph an offline writer cut, typed in, joined to the one before and joined that one on',
    ops: [
      { w: 0, kind: 'cut', p: 0, at: 10 },
      { w: 1, kind: 'type', word: 'w1r1', p: 1, atStart: true },
      { w: 1, kind: 'type', word: 'w1r2', p: 1, atStart: false },
      { w: 0, kind: 'send', n: 1 },
      { w: 1, kind: 'send', n: 2 },
      { w: 0, kind: 'deliver' },
      { w: 2, kind: 'deliver' },
      { w: 0, kind: 'offline' },
      { w: 0, kind: 'cut', p: 2, at: 11 },
      { w: 0, kind: 'type', word: 'w0r7', p: 2, atStart: false },
      { w: 0, kind: 'join', at: 2 },
      { w: 0, kind: 'join', at: 1 },
      { w: 2, kind: 'type', word: 'w2r1', p: 2, atStart: false },
    ],
  },
  {
    name: 'a word a co-writer typed at the start of a paragraph then cut off from the rest, when an offline writer who had the paragraph whole joins it to the one before',
    // The cut and the join both moved « gamma » (see `doubling`).
    doubles: ['gamma'],
    ops: [
      { w: 0, kind: 'offline' },
      { w: 2, kind: 'cut', p: 0, at: 10 },
      { w: 1, kind: 'cut', p: 1, at: 5 },
      { w: 2, kind: 'offline' },
      { w: 2, kind: 'type', word: 'w2r11', p: 1, atStart: true },
      { w: 2, kind: 'reconnect' },
      { w: 1, kind: 'type', word: 'w1r13', p: 1, atStart: false },
      { w: 1, kind: 'type', word: 'w1r15', p: 3, atStart: true },
      { w: 1, kind: 'join', at: 1 },
      { w: 1, kind: 'cut', p: 0, at: 5 },
      { w: 2, kind: 'cut', p: 1, at: 6 },
      { w: 1, kind: 'send', n: 1 },
      { w: 1, kind: 'offline' },
      { w: 1, kind: 'join', at: 1 },
      { w: 1, kind: 'join', at: 1 },
    ],
  },
  {
    name: 'a word typed offline at the end of one paragraph, sent in one change with a word cut off the start of another and joined to the paragraph before it, both words beginning alike',
    ops: [
      { w: 2, kind: 'type', word: 'w2r5', p: 1, atStart: false },
      { w: 2, kind: 'type', word: 'w2r7', p: 1, atStart: false },
      { w: 2, kind: 'cut', p: 1, at: 13 },
      { w: 2, kind: 'send', n: 3 },
      { w: 2, kind: 'cut', p: 2, at: 5 },
      { w: 2, kind: 'type', word: 'w2r29', p: 0, atStart: false },
      { w: 2, kind: 'offline' },
      { w: 2, kind: 'join', at: 2 },
    ],
  },
  {
    name: 'the text a co-writer joined to the end of a paragraph, when an offline writer who had not seen it cut that paragraph and joined its start to a paragraph joined away meanwhile',
    ops: [
      { w: 0, kind: 'cut', p: 0, at: 5 },
      { w: 0, kind: 'type', word: 'w0r4', p: 1, atStart: true },
      { w: 2, kind: 'offline' },
      { w: 0, kind: 'cut', p: 1, at: 6 },
      { w: 0, kind: 'join', at: 2 },
      { w: 0, kind: 'undo' },
      { w: 2, kind: 'reconnect' },
      { w: 2, kind: 'cut', p: 2, at: 5 },
      { w: 1, kind: 'offline' },
      { w: 0, kind: 'join', at: 1 },
      { w: 1, kind: 'join', at: 3 },
      { w: 2, kind: 'offline' },
      { w: 2, kind: 'join', at: 2 },
    ],
  },
  {
    name: 'a word typed offline at the start of a paragraph a redone cut split off again, when the word its writer had typed there before the undo stayed in the paragraph before',
    ops: [
      { w: 2, kind: 'join', at: 1 },
      { w: 1, kind: 'type', word: 'w1r13', p: 0, atStart: true },
      { w: 2, kind: 'type', word: 'w2r14', p: 0, atStart: true },
      { w: 2, kind: 'offline' },
      { w: 2, kind: 'cut', p: 0, at: 28 },
      { w: 0, kind: 'type', word: 'w0r23', p: 0, atStart: true },
      { w: 2, kind: 'type', word: 'w2r24', p: 1, atStart: true },
      { w: 1, kind: 'type', word: 'w1r33', p: 0, atStart: true },
      { w: 2, kind: 'reconnect' },
      { w: 2, kind: 'undo' },
      { w: 2, kind: 'offline' },
      { w: 2, kind: 'redo' },
      { w: 2, kind: 'type', word: 'w2r61', p: 1, atStart: true },
      { w: 2, kind: 'cut', p: 0, at: 27 },
    ],
  },
  {
    name: 'a word typed offline at the start of a paragraph, when a co-writer’s cut undone after reconnecting takes the space before the cut-off text alone',
    // Concurrent cuts, a join and their undo move the starting text twice (see `doubling`); the
    // repeated cut is taken back (dropRepeatedSplits), « epsilon » still comes out twice.
    doubles: ['epsilon'],
    ops: [
      { w: 1, kind: 'offline' },
      { w: 2, kind: 'join', at: 1 },
      { w: 1, kind: 'reconnect' },
      { w: 1, kind: 'type', word: 'w1r13', p: 0, atStart: true },
      { w: 2, kind: 'type', word: 'w2r14', p: 0, atStart: true },
      { w: 1, kind: 'offline' },
      { w: 0, kind: 'offline' },
      { w: 0, kind: 'reconnect' },
      { w: 0, kind: 'offline' },
      { w: 2, kind: 'cut', p: 0, at: 28 },
      { w: 0, kind: 'type', word: 'w0r23', p: 0, atStart: true },
      { w: 1, kind: 'reconnect' },
      { w: 0, kind: 'cut', p: 0, at: 7 },
      { w: 1, kind: 'offline' },
      { w: 1, kind: 'type', word: 'w1r28', p: 0, atStart: true },
      { w: 0, kind: 'reconnect' },
      { w: 1, kind: 'type', word: 'w1r33', p: 0, atStart: true },
      { w: 1, kind: 'cut', p: 0, at: 27 },
      { w: 1, kind: 'reconnect' },
      { w: 2, kind: 'undo' },
      { w: 1, kind: 'undo' },
      { w: 2, kind: 'offline' },
      { w: 2, kind: 'type', word: 'w2r61', p: 1, atStart: true },
      { w: 2, kind: 'cut', p: 0, at: 27 },
    ],
  },
  {
    // The server keeps the first join's copy and takes the later one back (dropRepeatedJoins).
    name: 'the text of a paragraph two co-writers join to the one before at the same time, once',
    ops: [
      { w: 1, kind: 'join', at: 1 },
      { w: 2, kind: 'join', at: 1 },
    ],
  },
  {
    name: 'a word typed at the end of a paragraph just joined, when a co-writer with a higher client id had joined it first',
    ops: [
      { w: 2, kind: 'join', at: 1 },
      { w: 1, kind: 'join', at: 1 },
      { w: 1, kind: 'type', word: 'w1r2', p: 0, atStart: false },
      { w: 2, kind: 'send', n: 1 },
      { w: 1, kind: 'send', n: 1 },
      { w: 1, kind: 'send', n: 1 },
    ],
  },
  {
    // The server keeps the first split's copy and takes the later one back (dropRepeatedSplits).
    name: 'the end of a paragraph two co-writers cut at the same place at the same time, once',
    ops: [
      { w: 0, kind: 'cut', p: 0, at: 5 },
      { w: 2, kind: 'cut', p: 0, at: 5 },
    ],
  },
  {
    // The server takes back the join's copy of the end the cut had moved (dropJoinedSplitEnds).
    name: 'the end of a paragraph cut by one co-writer and joined to the one before by another who had not seen the cut, once',
    ops: [
      { w: 0, kind: 'cut', p: 1, at: 5 },
      { w: 1, kind: 'join', at: 1 },
    ],
  },
  {
    // The offline join and its undo replace the paragraph in place; the later join's copy is
    // taken back (dropRepeatedJoins), as after a first join.
    name: 'the text of a paragraph joined by one co-writer and joined then unjoined offline by another, once',
    ops: [
      { w: 0, kind: 'join', at: 1 },
      { w: 1, kind: 'offline' },
      { w: 1, kind: 'join', at: 1 },
      { w: 1, kind: 'undo' },
    ],
  },
  {
    // The first cutter joined the paragraph's start away: its forwarding carries the later
    // cutter's deletion to the first copy, and the later copy must then stay.
    name: 'the end of a paragraph two co-writers cut at the same place, one then joining its start to the paragraph before, the other cutting it again offline',
    ops: [
      { w: 0, kind: 'cut', p: 1, at: 5 },
      { w: 2, kind: 'cut', p: 1, at: 5 },
      { w: 2, kind: 'join', at: 1 },
      { w: 0, kind: 'offline' },
      { w: 2, kind: 'offline' },
      { w: 0, kind: 'undo' },
      { w: 0, kind: 'redo' },
      { w: 2, kind: 'reconnect' },
    ],
  },
  {
    // A co-writer's word hung on the old « 3 » of « ␣w2r3 » went after the « 3 » of « ␣w2r30 »,
    // typed in the same change: that run held the cut-off « ␣w2r3 » only inside a word
    // (textMoves.ts, lastWholeIndexOf).
    name: 'a word typed at the end of a paragraph whose end an offline co-writer cut off, who typed a word beginning as that end elsewhere',
    ops: [
      { w: 0, kind: 'offline' },
      { w: 1, kind: 'type', word: 'w1r0', p: 0, atStart: true },
      { w: 2, kind: 'type', word: 'w2r0', p: 1, atStart: true },
      { w: 0, kind: 'reconnect' },
      { w: 2, kind: 'cut', p: 1, at: 11 },
      { w: 2, kind: 'offline' },
      { w: 2, kind: 'type', word: 'w2r3', p: 2, atStart: false },
      { w: 2, kind: 'type', word: 'w2r4', p: 2, atStart: true },
      { w: 2, kind: 'type', word: 'w2r5', p: 2, atStart: false },
      { w: 2, kind: 'cut', p: 0, at: 16 },
      { w: 0, kind: 'offline' },
      { w: 2, kind: 'cut', p: 3, at: 19 },
      { w: 0, kind: 'join', at: 1 },
      { w: 2, kind: 'cut', p: 3, at: 14 },
      { w: 2, kind: 'reconnect' },
      { w: 2, kind: 'offline' },
      { w: 0, kind: 'reconnect' },
      { w: 2, kind: 'type', word: 'w2r18', p: 3, atStart: false },
      { w: 2, kind: 'type', word: 'w2r19', p: 4, atStart: true },
      { w: 2, kind: 'cut', p: 4, at: 6 },
      { w: 0, kind: 'type', word: 'w0r29', p: 3, atStart: false },
      { w: 2, kind: 'type', word: 'w2r30', p: 3, atStart: false },
    ],
  },
  {
    // The same with « ␣w2r36 » typed at a paragraph's start: its common start with « ␣w2r3 » tied
    // with the real copy (textMoves.ts, runsIntoWord).
    name: 'a word typed at the end of a paragraph whose end an offline co-writer cut off, who typed a word beginning as that end at the start of another',
    ops: [
      { w: 0, kind: 'offline' },
      { w: 1, kind: 'type', word: 'w1r0', p: 0, atStart: true },
      { w: 2, kind: 'type', word: 'w2r0', p: 1, atStart: true },
      { w: 0, kind: 'reconnect' },
      { w: 2, kind: 'cut', p: 1, at: 11 },
      { w: 2, kind: 'offline' },
      { w: 2, kind: 'type', word: 'w2r3', p: 2, atStart: false },
      { w: 2, kind: 'type', word: 'w2r4', p: 2, atStart: true },
      { w: 2, kind: 'type', word: 'w2r5', p: 2, atStart: false },
      { w: 2, kind: 'cut', p: 0, at: 16 },
      { w: 0, kind: 'offline' },
      { w: 2, kind: 'cut', p: 3, at: 19 },
      { w: 0, kind: 'join', at: 1 },
      { w: 2, kind: 'cut', p: 3, at: 14 },
      { w: 2, kind: 'reconnect' },
      { w: 2, kind: 'offline' },
      { w: 0, kind: 'reconnect' },
      { w: 2, kind: 'type', word: 'w2r18', p: 3, atStart: false },
      { w: 2, kind: 'type', word: 'w2r19', p: 4, atStart: true },
      { w: 2, kind: 'cut', p: 4, at: 6 },
      { w: 0, kind: 'type', word: 'w0r29', p: 3, atStart: false },
      { w: 2, kind: 'type', word: 'w2r36', p: 3, atStart: true },
    ],
  },
  {
    name: 'the words of three co-writers whose editors re-wrote them after each other’s, each one’s hung on the next one’s copy (the network never settled)',
    // Each editor took a co-writer's re-write of its own keystrokes for a move and re-wrote its
    // own after them in turn, round after round (fuzz seed 311). A re-write is now answered by
    // none (rewriterOf, textMoves.ts).
    ops: [
      { w: 2, kind: 'type', word: 'w2r0', p: 0, atStart: true },
      { w: 0, kind: 'cut', p: 0, at: 5 },
      { w: 2, kind: 'offline' },
      { w: 0, kind: 'undo' },
      { w: 0, kind: 'redo' },
      { w: 1, kind: 'offline' },
      { w: 2, kind: 'type', word: 'w2r7', p: 0, atStart: false },
      { w: 0, kind: 'undo' },
      { w: 0, kind: 'redo' },
      { w: 0, kind: 'type', word: 'w0r11', p: 0, atStart: true },
      { w: 0, kind: 'cut', p: 0, at: 6 },
      { w: 0, kind: 'join', at: 1 },
      { w: 2, kind: 'reconnect' },
      { w: 0, kind: 'type', word: 'w0r19', p: 0, atStart: true },
      { w: 0, kind: 'cut', p: 0, at: 19 },
      { w: 2, kind: 'offline' },
      { w: 0, kind: 'undo' },
      { w: 0, kind: 'redo' },
      { w: 0, kind: 'undo' },
      { w: 0, kind: 'redo' },
      { w: 1, kind: 'reconnect' },
      { w: 2, kind: 'join', at: 1 },
      { w: 1, kind: 'offline' },
      { w: 1, kind: 'cut', p: 0, at: 7 },
      { w: 2, kind: 'reconnect' },
      { w: 2, kind: 'offline' },
      { w: 0, kind: 'type', word: 'w0r81', p: 0, atStart: false },
      { w: 1, kind: 'reconnect' },
      { w: 1, kind: 'join', at: 1 },
    ],
  },
  {
    name: 'a word typed offline at the start of a paragraph then cut off from the rest, when the writer joins the next paragraph, which a co-writer had split and another joined away, to the cut-off part',
    // The server took a join for a repeat of a co-writer's by the one character it could still
    // read of the joined paragraph (the rest, moved by a split, collected): that space matched the
    // space before the word, taken back, and the word came out glued to the next (fuzz seed 4:
    // « w2r19w2r0 »). A later copy is now matched whole (dropRepeatedJoins, sectionForwarding.ts).
    ops: [
      { w: 0, kind: 'offline' },
      { w: 1, kind: 'type', word: 'w1r0', p: 0, atStart: true },
      { w: 2, kind: 'type', word: 'w2r0', p: 1, atStart: true },
      { w: 0, kind: 'reconnect' },
      { w: 2, kind: 'cut', p: 1, at: 11 },
      { w: 0, kind: 'join', at: 1 },
      { w: 1, kind: 'cut', p: 0, at: 16 },
      { w: 2, kind: 'offline' },
      { w: 0, kind: 'offline' },
      { w: 2, kind: 'type', word: 'w2r3', p: 2, atStart: false },
      { w: 0, kind: 'type', word: 'w0r4', p: 0, atStart: true },
      { w: 2, kind: 'type', word: 'w2r4', p: 2, atStart: true },
      { w: 0, kind: 'type', word: 'w0r5', p: 0, atStart: true },
      { w: 2, kind: 'type', word: 'w2r5', p: 2, atStart: false },
      { w: 0, kind: 'reconnect' },
      { w: 1, kind: 'cut', p: 0, at: 12 },
      { w: 2, kind: 'cut', p: 0, at: 16 },
      { w: 0, kind: 'offline' },
      { w: 1, kind: 'undo' },
      { w: 2, kind: 'cut', p: 3, at: 19 },
      { w: 0, kind: 'join', at: 1 },
      { w: 1, kind: 'redo' },
      { w: 1, kind: 'cut', p: 2, at: 6 },
      { w: 2, kind: 'type', word: 'w2r9', p: 2, atStart: false },
      { w: 1, kind: 'undo' },
      { w: 2, kind: 'cut', p: 3, at: 14 },
      { w: 1, kind: 'redo' },
      { w: 1, kind: 'undo' },
      { w: 2, kind: 'reconnect' },
      { w: 1, kind: 'redo' },
      { w: 1, kind: 'cut', p: 0, at: 5 },
      { w: 0, kind: 'undo' },
      { w: 1, kind: 'offline' },
      { w: 2, kind: 'offline' },
      { w: 0, kind: 'type', word: 'w0r17', p: 1, atStart: false },
      { w: 0, kind: 'reconnect' },
      { w: 0, kind: 'type', word: 'w0r19', p: 1, atStart: false },
      { w: 1, kind: 'cut', p: 7, at: 1 },
      { w: 2, kind: 'type', word: 'w2r19', p: 4, atStart: true },
      { w: 0, kind: 'offline' },
      { w: 1, kind: 'join', at: 1 },
      { w: 1, kind: 'join', at: 4 },
      { w: 0, kind: 'cut', p: 1, at: 57 },
      { w: 1, kind: 'reconnect' },
      { w: 0, kind: 'undo' },
      { w: 0, kind: 'redo' },
      { w: 1, kind: 'offline' },
      { w: 0, kind: 'reconnect' },
      { w: 1, kind: 'join', at: 2 },
      { w: 2, kind: 'cut', p: 4, at: 6 },
      { w: 1, kind: 'reconnect' },
      { w: 0, kind: 'join', at: 5 },
      { w: 2, kind: 'join', at: 6 },
      { w: 0, kind: 'send', n: 2 },
    ],
    doubles: ['Delta', 'epsilon', 'w0r4', 'w2r0', 'w2r5'],
  },
  {
    name: 'a word joined to a paragraph before going offline, when its writer joins that paragraph on offline, undoes it, and the paragraph joined in between is sent with the undo',
    // The undo's paragraph, lengthened by a paragraph joined in the same change, was paired with
    // the one the server had by its letters, and « 3␣ » of « ␣w2r3␣ » with the « 3␣ » that ends
    // « ␣w0r33␣ »; the server then took « 3␣ » for a repeat of that join and took it back (fuzz
    // seed 4: « w2r »). A join's first copy must now be one stretch (dropRepeatedJoins).
    ops: [
      { w: 0, kind: 'offline' },
      { w: 1, kind: 'type', word: 'w1r0', p: 0, atStart: true },
      { w: 2, kind: 'type', word: 'w2r0', p: 1, atStart: true },
      { w: 0, kind: 'reconnect' },
      { w: 2, kind: 'cut', p: 1, at: 11 },
      { w: 0, kind: 'join', at: 1 },
      { w: 1, kind: 'cut', p: 0, at: 16 },
      { w: 2, kind: 'offline' },
      { w: 0, kind: 'offline' },
      { w: 2, kind: 'type', word: 'w2r3', p: 2, atStart: false },
      { w: 0, kind: 'type', word: 'w0r4', p: 0, atStart: true },
      { w: 2, kind: 'type', word: 'w2r4', p: 2, atStart: true },
      { w: 0, kind: 'type', word: 'w0r5', p: 0, atStart: true },
      { w: 2, kind: 'type', word: 'w2r5', p: 2, atStart: false },
      { w: 0, kind: 'reconnect' },
      { w: 1, kind: 'cut', p: 0, at: 12 },
      { w: 2, kind: 'cut', p: 0, at: 16 },
      { w: 0, kind: 'offline' },
      { w: 1, kind: 'undo' },
      { w: 2, kind: 'cut', p: 3, at: 19 },
      { w: 0, kind: 'join', at: 1 },
      { w: 1, kind: 'redo' },
      { w: 1, kind: 'cut', p: 2, at: 6 },
      { w: 2, kind: 'type', word: 'w2r9', p: 2, atStart: false },
      { w: 1, kind: 'undo' },
      { w: 2, kind: 'cut', p: 3, at: 14 },
      { w: 1, kind: 'redo' },
      { w: 1, kind: 'undo' },
      { w: 2, kind: 'reconnect' },
      { w: 1, kind: 'redo' },
      { w: 1, kind: 'cut', p: 0, at: 5 },
      { w: 0, kind: 'undo' },
      { w: 1, kind: 'offline' },
      { w: 2, kind: 'offline' },
      { w: 0, kind: 'type', word: 'w0r17', p: 1, atStart: false },
      { w: 0, kind: 'reconnect' },
      { w: 0, kind: 'type', word: 'w0r19', p: 1, atStart: false },
      { w: 1, kind: 'cut', p: 7, at: 1 },
      { w: 0, kind: 'offline' },
      { w: 1, kind: 'join', at: 1 },
      { w: 1, kind: 'join', at: 4 },
      { w: 0, kind: 'cut', p: 1, at: 57 },
      { w: 1, kind: 'reconnect' },
      { w: 0, kind: 'undo' },
      { w: 0, kind: 'redo' },
      { w: 1, kind: 'offline' },
      { w: 0, kind: 'reconnect' },
      { w: 1, kind: 'join', at: 2 },
      { w: 1, kind: 'reconnect' },
      { w: 2, kind: 'join', at: 1 },
      { w: 0, kind: 'type', word: 'w0r33', p: 6, atStart: false },
      { w: 0, kind: 'join', at: 5 },
      { w: 2, kind: 'cut', p: 2, at: 5 },
      { w: 2, kind: 'reconnect' },
      { w: 0, kind: 'join', at: 5 },
      { w: 0, kind: 'join', at: 5 },
      { w: 0, kind: 'send', n: 1 },
      { w: 0, kind: 'offline' },
      { w: 0, kind: 'join', at: 4 },
      { w: 0, kind: 'undo' },
    ],
    doubles: ['Alpha', 'beta', 'Delta', 'epsilon', 'w0r4', 'w1r0', 'w2r0'],
  },
  {
    name: 'a paragraph joined offline after a word, when a co-writer’s join of it then cut just before it arrive in one catch-up with another’s cut copy of a word',
    // The space the paragraph was joined after moved, alone, with the co-writer's joined copy to a
    // new paragraph; the editor paired it with the space that begins another's word received in
    // the same catch-up, and re-wrote its joined text there, glued to that word (fuzz seed 321:
    // « w2r3w1r5 »). A character deleted alone now goes among the copy of the text around it,
    // also when that text was written and moved on in the same change (placeAmong, textMoves.ts).
    ops: [
      { w: 0, kind: 'cut', p: 1, at: 5 },
      { w: 1, kind: 'offline' },
      { w: 0, kind: 'join', at: 1 },
      { w: 1, kind: 'type', word: 'w1r1', p: 0, atStart: true },
      { w: 2, kind: 'type', word: 'w2r2', p: 1, atStart: true },
      { w: 2, kind: 'type', word: 'w2r3', p: 1, atStart: false },
      { w: 0, kind: 'offline' },
      { w: 2, kind: 'type', word: 'w2r4', p: 0, atStart: true },
      { w: 1, kind: 'type', word: 'w1r5', p: 1, atStart: true },
      { w: 2, kind: 'type', word: 'w2r5', p: 0, atStart: false },
      { w: 0, kind: 'type', word: 'w0r7', p: 0, atStart: false },
      { w: 2, kind: 'type', word: 'w2r7', p: 1, atStart: false },
      { w: 0, kind: 'reconnect' },
      { w: 1, kind: 'type', word: 'w1r8', p: 0, atStart: true },
      { w: 1, kind: 'cut', p: 0, at: 5 },
      { w: 2, kind: 'type', word: 'w2r9', p: 0, atStart: true },
      { w: 0, kind: 'cut', p: 1, at: 13 },
      { w: 1, kind: 'reconnect' },
      { w: 2, kind: 'cut', p: 0, at: 10 },
      { w: 2, kind: 'undo' },
      { w: 2, kind: 'redo' },
      { w: 1, kind: 'offline' },
      { w: 0, kind: 'join', at: 1 },
      { w: 2, kind: 'send', n: 1 },
      { w: 1, kind: 'type', word: 'w1r16', p: 0, atStart: true },
      { w: 2, kind: 'offline' },
      { w: 1, kind: 'reconnect' },
      { w: 2, kind: 'type', word: 'w2r24', p: 2, atStart: false },
      { w: 0, kind: 'offline' },
      { w: 2, kind: 'reconnect' },
      { w: 2, kind: 'type', word: 'w2r30', p: 0, atStart: true },
      { w: 1, kind: 'offline' },
      { w: 1, kind: 'cut', p: 0, at: 69 },
      { w: 1, kind: 'reconnect' },
      { w: 2, kind: 'join', at: 2 },
      { w: 2, kind: 'offline' },
      { w: 1, kind: 'type', word: 'w1r41', p: 0, atStart: false },
      { w: 0, kind: 'cut', p: 1, at: 1 },
      { w: 0, kind: 'undo' },
      { w: 1, kind: 'cut', p: 0, at: 75 },
      { w: 0, kind: 'redo' },
      { w: 1, kind: 'join', at: 4 },
      { w: 2, kind: 'reconnect' },
      { w: 2, kind: 'offline' },
      { w: 1, kind: 'join', at: 2 },
      { w: 1, kind: 'cut', p: 1, at: 7 },
      { w: 2, kind: 'join', at: 2 },
    ],
    doubles: ['epsilon', 'w1r5', 'w2r3', 'w2r24'],
  },
  {
    name: 'a word typed offline at the start of a paragraph, sent with a join redone after a co-writer cut the joined text, not taken for the copy of that text by the spaces both begin and end with',
    // The server paired the end of the paragraph the redo deleted (« ␣Delta␣epsilon␣w0r13␣ », not
    // copied: a co-writer had cut it off) with the typed « ␣w0r45␣ » by their first and last
    // spaces, and wrote that text again after the word's first space: « w0r13w0r45 » (fuzz seed
    // 139; with « ␣w » or « ␣w0r » in common, 13 seeds of 400). A common start and end that hold
    // no whole word are chance (alignEnds, textMoves.ts).
    ops: [
      { w: 0, kind: 'cut', p: 0, at: 10 },
      { w: 2, kind: 'cut', p: 0, at: 10 },
      { w: 2, kind: 'undo' },
      { w: 0, kind: 'undo' },
      { w: 2, kind: 'cut', p: 0, at: 5 },
      { w: 0, kind: 'offline' },
      { w: 0, kind: 'type', word: 'w0r13', p: 1, atStart: false },
      { w: 2, kind: 'type', word: 'w2r13', p: 2, atStart: true },
      { w: 0, kind: 'join', at: 1 },
      { w: 0, kind: 'undo' },
      { w: 0, kind: 'reconnect' },
      { w: 1, kind: 'cut', p: 1, at: 6 },
      { w: 2, kind: 'offline' },
      { w: 0, kind: 'join', at: 1 },
      { w: 2, kind: 'reconnect' },
      { w: 0, kind: 'undo' },
      { w: 0, kind: 'redo' },
      { w: 0, kind: 'undo' },
      { w: 0, kind: 'redo' },
      { w: 0, kind: 'send', n: 1 },
      { w: 0, kind: 'offline' },
      { w: 0, kind: 'type', word: 'w0r45', p: 0, atStart: true },
    ],
    doubles: ['gamma', 'Delta', 'epsilon', 'w0r13'],
  },
  {
    name: 'a word typed offline at the start of a paragraph then joined to the one before, not taken for the copy of a co-writer’s word by the « w0r » both begin with',
    // Fuzz seed 375: « ␣w0r2␣ » deleted and paired with the typed « ␣w0r58␣ » by « ␣w0r » and the
    // final space, then written again inside it: « w0r258 ».
    ops: [
      { w: 0, kind: 'type', word: 'w0r0', p: 0, atStart: false },
      { w: 1, kind: 'type', word: 'w1r0', p: 1, atStart: true },
      { w: 0, kind: 'type', word: 'w0r1', p: 0, atStart: true },
      { w: 1, kind: 'offline' },
      { w: 2, kind: 'join', at: 1 },
      { w: 0, kind: 'join', at: 1 },
      { w: 1, kind: 'cut', p: 0, at: 10 },
      { w: 1, kind: 'undo' },
      { w: 2, kind: 'type', word: 'w2r3', p: 0, atStart: false },
      { w: 1, kind: 'redo' },
      { w: 2, kind: 'type', word: 'w2r4', p: 0, atStart: true },
      { w: 0, kind: 'type', word: 'w0r5', p: 0, atStart: true },
      { w: 1, kind: 'cut', p: 2, at: 11 },
      { w: 0, kind: 'cut', p: 0, at: 22 },
      { w: 2, kind: 'type', word: 'w2r6', p: 0, atStart: true },
      { w: 2, kind: 'offline' },
      { w: 0, kind: 'join', at: 1 },
      { w: 1, kind: 'reconnect' },
      { w: 2, kind: 'type', word: 'w2r8', p: 0, atStart: true },
      { w: 1, kind: 'offline' },
      { w: 1, kind: 'type', word: 'w1r10', p: 1, atStart: true },
      { w: 1, kind: 'cut', p: 1, at: 6 },
      { w: 1, kind: 'undo' },
      { w: 2, kind: 'type', word: 'w2r13', p: 0, atStart: false },
      { w: 0, kind: 'cut', p: 0, at: 6 },
      { w: 0, kind: 'join', at: 1 },
      { w: 0, kind: 'offline' },
      { w: 2, kind: 'reconnect' },
      { w: 0, kind: 'cut', p: 0, at: 11 },
      { w: 2, kind: 'join', at: 1 },
      { w: 0, kind: 'type', word: 'w0r20', p: 1, atStart: true },
      { w: 0, kind: 'join', at: 2 },
      { w: 1, kind: 'cut', p: 0, at: 6 },
      { w: 1, kind: 'reconnect' },
      { w: 0, kind: 'reconnect' },
      { w: 1, kind: 'type', word: 'w1r28', p: 3, atStart: true },
      { w: 2, kind: 'offline' },
      { w: 1, kind: 'type', word: 'w1r29', p: 0, atStart: true },
      { w: 1, kind: 'cut', p: 0, at: 19 },
      { w: 1, kind: 'type', word: 'w1r34', p: 0, atStart: true },
      { w: 0, kind: 'cut', p: 1, at: 35 },
      { w: 0, kind: 'undo' },
      { w: 1, kind: 'send', n: 2 },
      { w: 0, kind: 'redo' },
      { w: 1, kind: 'type', word: 'w1r37', p: 2, atStart: true },
      { w: 0, kind: 'undo' },
      { w: 1, kind: 'offline' },
      { w: 2, kind: 'reconnect' },
      { w: 0, kind: 'offline' },
      { w: 1, kind: 'cut', p: 0, at: 19 },
      { w: 1, kind: 'cut', p: 2, at: 48 },
      { w: 1, kind: 'undo' },
      { w: 0, kind: 'type', word: 'w0r46', p: 0, atStart: false },
      { w: 1, kind: 'cut', p: 0, at: 14 },
      { w: 0, kind: 'join', at: 1 },
      { w: 1, kind: 'join', at: 2 },
      { w: 1, kind: 'undo' },
      { w: 0, kind: 'type', word: 'w0r58', p: 0, atStart: true },
      { w: 1, kind: 'cut', p: 4, at: 13 },
      { w: 0, kind: 'join', at: 1 },
      { w: 1, kind: 'reconnect' },
    ],
    doubles: ['Alpha', 'beta', 'gamma', 'Delta', 'epsilon', 'w0r0', 'w0r1', 'w1r0'],
  },
  {
    name: 'a word typed offline at the start of a paragraph then joined to the one before, when a co-writer’s late cut takes back the end of that paragraph',
    // The joined copy « ␣beta␣w1r12␣␣gamma » was paired with the old « ␣beta␣gamma » by its
    // common start « ␣beta␣ »: the space before « gamma » went to the one before « w1r12 », and
    // the co-writer's cut of « ␣gamma », arriving late, took it back with « gamma »: « betaw1r12 »
    // (fuzz seed 313). That space goes with the common end (alignEnds, textMoves.ts).
    ops: [
      { w: 1, kind: 'cut', p: 0, at: 5 },
      { w: 1, kind: 'cut', p: 1, at: 5 },
      { w: 1, kind: 'join', at: 1 },
      { w: 1, kind: 'send', n: 1 },
      { w: 1, kind: 'type', word: 'w1r12', p: 1, atStart: true },
      { w: 0, kind: 'deliver' },
      { w: 1, kind: 'join', at: 1 },
      { w: 1, kind: 'undo' },
      { w: 1, kind: 'redo' },
      { w: 1, kind: 'offline' },
      { w: 0, kind: 'cut', p: 1, at: 5 },
    ],
  },
  {
    name: 'a word typed offline at the end of a paragraph after joining to it the start of the next, whose end, a word, a redone cut had split off',
    // The deleted « ␣beta␣w2r0␣ » was paired with the joined « ␣beta␣w2r35␣ » by its common start
    // « ␣beta␣w2r », which runs on into the typed word by the « ␣w2r » both words begin with, and
    // its final space: over the real copy of its end, « ␣w2r0␣ », split off. The « 0 » left
    // unpaired was written again after « w2r »: « w2r035 » (fuzz seed 293; also 114, 206, 277,
    // 289, 320, 359). That start stops before the word (alignEnds, textMoves.ts).
    ops: [
      { w: 0, kind: 'cut', p: 0, at: 5 },
      { w: 2, kind: 'type', word: 'w2r0', p: 1, atStart: true },
      { w: 0, kind: 'undo' },
      { w: 2, kind: 'join', at: 1 },
      { w: 2, kind: 'undo' },
      { w: 2, kind: 'offline' },
      { w: 0, kind: 'cut', p: 0, at: 10 },
      { w: 1, kind: 'join', at: 1 },
      { w: 2, kind: 'join', at: 1 },
      { w: 0, kind: 'cut', p: 0, at: 5 },
      { w: 0, kind: 'undo' },
      { w: 2, kind: 'reconnect' },
      { w: 2, kind: 'cut', p: 0, at: 5 },
      { w: 2, kind: 'undo' },
      { w: 0, kind: 'offline' },
      { w: 2, kind: 'redo' },
      { w: 2, kind: 'type', word: 'w2r17', p: 0, atStart: true },
      { w: 2, kind: 'cut', p: 0, at: 6 },
      { w: 0, kind: 'reconnect' },
      { w: 2, kind: 'offline' },
      { w: 2, kind: 'cut', p: 2, at: 5 },
      { w: 2, kind: 'undo' },
      { w: 2, kind: 'redo' },
      { w: 2, kind: 'join', at: 2 },
      { w: 2, kind: 'type', word: 'w2r35', p: 1, atStart: false },
    ],
  },
];

/**
 * Runs that still double text, shrunk from the random runs once doubled words were checked: two
 * people moving the same text at the same time each make their own copy of it (Yjs has no move;
 * see textMoves.ts), and both copies stay. Each is a known fault, tested as one (`it.fails`):
 * when a fix makes it pass, move it to {@link shrunk}.
 */
const doubling: { name: string; ops: Op[] }[] = [];

describe('words typed while co-writers cut, join and undo, online and offline', () => {
  for (const { name, ops, doubles } of shrunk)
    it(`keeps ${name}`, () => {
      const { lost, duplicated, garbled, diverged, settled } = replay(ops);
      expect({ lost, duplicated, garbled, diverged, settled }).toEqual({
        lost: [],
        duplicated: doubles ?? [],
        garbled: [],
        diverged: false,
        settled: true,
      });
    });
  for (const { name, ops } of doubling) {
    it(`loses no word of ${name}`, () => {
      const { lost, diverged } = replay(ops);
      expect({ lost, diverged }).toEqual({ lost: [], diverged: false });
    });
    // Known fault (issue 8): the text comes out twice.
    it.fails(`keeps once the text of ${name}`, () => {
      expect(replay(ops).duplicated).toEqual([]);
    });
  }
});

/**
 * The random runs themselves, to find the next faults: `CO_WRITING_FUZZ_SEEDS=100` (and
 * `CO_WRITING_FUZZ_ROUNDS`, 100 by default; `CO_WRITING_FUZZ_FIRST`, the first seed, 1 by
 * default) runs seeds 1…100, counts apart the seeds whose network never settles, those that lose
 * a word and those that only double text (or diverge), and prints each failing seed with its run
 * shrunk to a few ops. `CO_WRITING_FUZZ_SHRINK=lost` shrinks (and prints) only the seeds that lose
 * a word, to the ops that lose one (a doubling does not count while shrinking);
 * `CO_WRITING_FUZZ_SHRINK=doubled` only those that just double; `unsettled` only those whose
 * network never settles, to the ops that keep it busy; `none` shrinks nothing. Not part
 * of `npm test`: many seeds still fail (see the module's comment).
 */
const seeds = Number(process.env.CO_WRITING_FUZZ_SEEDS ?? 0);
const shrinkTarget = process.env.CO_WRITING_FUZZ_SHRINK ?? 'all';
describe.skipIf(seeds === 0)('random runs (CO_WRITING_FUZZ_SEEDS)', () => {
  it('lose no word, duplicate none and converge', { timeout: 3_600_000 }, () => {
    const rounds = Number(process.env.CO_WRITING_FUZZ_ROUNDS ?? 100);
    const first = Number(process.env.CO_WRITING_FUZZ_FIRST ?? 1);
    const failing: string[] = [];
    const tally = {
      unsettled: [] as number[],
      lost: [] as number[],
      doubled: [] as number[],
      threw: [] as number[],
      wordsLost: 0,
      wordsDoubled: 0,
      anyDoubled: 0,
      garbled: 0,
      onlyGarbled: 0,
    };
    for (let seed = first; seed < first + seeds; seed++) {
      let run: ReturnType<typeof runFuzz>;
      try {
        run = runFuzz(seed, rounds);
      } catch (error) {
        tally.threw.push(seed);
        failing.push(`seed ${seed}: threw ${String(error)}`);
        console.warn(failing[failing.length - 1]);
        continue;
      }
      const { lost, duplicated, garbled, diverged, ops } = run;
      const fault = faultOf(run);
      if (fault === null) continue;
      tally[fault].push(seed);
      if (fault === 'unsettled') {
        // Its words are read mid-exchange: they are not counted with the others'.
        failing.push(`seed ${seed} (unsettled): the network never settles`);
        const shrunkOps =
          shrinkTarget === 'all' || shrinkTarget === fault ? JSON.stringify(shrink(ops, fault)) : '';
        console.warn(failing[failing.length - 1], shrunkOps);
        continue;
      }
      tally.wordsLost += lost.length;
      tally.garbled += garbled.length;
      if (lost.length === 0 && garbled.length > 0) tally.onlyGarbled++;
      tally.wordsDoubled += duplicated.length;
      if (duplicated.length > 0) tally.anyDoubled++;
      failing.push(
        `seed ${seed} (${fault}): lost ${lost.join(', ')}; garbled ${garbled.join(', ')}; twice ${duplicated.join(', ')}${diverged ? '; diverged' : ''}`,
      );
      const shrunkOps =
        shrinkTarget === 'all' || shrinkTarget === fault ? JSON.stringify(shrink(ops, fault)) : '';
      console.warn(failing[failing.length - 1], shrunkOps);
    }
    console.warn(
      `${seeds} seeds from ${first}, ${rounds} rounds: ${tally.unsettled.length} never settle (${tally.unsettled.join(' ')}); ${tally.lost.length} lose or garble a word (${tally.wordsLost} words lost; ${tally.garbled} pieces of words, the only fault of ${tally.onlyGarbled} seeds: ${tally.lost.join(' ')}); ` +
        `${tally.doubled.length} only double text or diverge (${tally.doubled.join(' ')}); ` +
        `${tally.anyDoubled} double some text, ${tally.wordsDoubled} doubled words in all; ${tally.threw.length} threw (${tally.threw.join(' ')})`,
    );
    expect(failing).toEqual([]);
  });
});
