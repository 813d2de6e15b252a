import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { FRAGMENT } from '@essaim/protocol';
import { type DocJSON } from './convert.js';
import { rewriterOf } from './textMoves.js';
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

// Issue 8: an editor re-writes its own keystrokes after the copy of the text they were typed in
// when a co-writer moves that text (followMovedText, textMoves.ts). Such a re-write is itself
// a deletion and a copy of text: taken for a move, it made the co-writers whose text stood after
// those keystrokes re-write theirs in turn, and two or three editors went on re-writing their
// text after each other's, round after round (fuzz seeds 257 and 311: a network that never
// settles, a document that grows). A co-writer's re-write of its own keystrokes moves no one
// else's.

const start: DocJSON = {
  type: 'doc',
  content: [
    {
      type: 'section',
      attrs: { id: 's1', key: 'origine' },
      content: [
        { type: 'sectionTitle', content: [text('Origine')] },
        paragraph(text('Premier paragraphe. Suite du premier.')),
      ],
    },
  ],
};

/**
 * A co-writer's editor without a view: it re-writes its own keystrokes after a move. `seen`
 * gets, for each remote transaction, whose re-write it is (null: none).
 */
const coWriter = (client: Client, seen: (number | null)[] = []): Client =>
  followsMovedText(client, (transaction) => seen.push(rewriterOf(client.doc, transaction)));

/** Types `value` just after `needle`, as the editor writes it back. */
const typeAfter = (client: Client, needle: string, value: string) =>
  editAsTheEditorDoes(client.doc, (tr) => {
    const at = positionAfter(client.doc, needle);
    tr.replaceWith(at, at, tr.doc.type.schema.text(value));
  });

/** Enter just after `needle`, as the editor writes it back. */
const splitAfter = (client: Client, needle: string) =>
  editAsTheEditorDoes(client.doc, (tr) => tr.split(positionAfter(client.doc, needle)));

/** The texts of the section's paragraphs. */
function paragraphs(doc: Y.Doc): string[] {
  const section = doc.getXmlFragment(FRAGMENT).get(0) as Y.XmlElement;
  return section
    .toArray()
    .filter((n): n is Y.XmlElement => n instanceof Y.XmlElement && n.nodeName === 'paragraph')
    .map((p) =>
      p
        .toArray()
        .map((t) => (t instanceof Y.XmlText ? t.toString() : ''))
        .join(''),
    );
}

/** How many times `word` is in the document. */
const countOf = (doc: Y.Doc, word: string) => paragraphs(doc).join('\n').split(word).length - 1;

describe('a co-writer’s re-write of its own keystrokes', () => {
  it('moves none of the text one typed after those keystrokes, and one writes nothing in answer', () => {
    const net = new Network(start);
    const a = coWriter(net.join(100));
    const seenByB: (number | null)[] = [];
    const b = coWriter(net.join(200), seenByB);
    const c = coWriter(net.join(300));
    // A types at the end of the paragraph; B receives it and types after it.
    typeAfter(a, 'Suite du premier.', ' wA');
    net.send(a);
    net.deliver(b);
    typeAfter(b, ' wA', ' wB');
    net.send(b);
    // C, who has neither word, splits the paragraph: its end moves to a new paragraph.
    splitAfter(c, 'Premier paragraphe.');
    net.send(c);
    // A's editor re-writes « wA » after the end's copy, and sends that re-write.
    net.deliver(a);
    expect(paragraphs(a.doc)).toEqual(['Premier paragraphe. wB', ' Suite du premier. wA']);
    net.send(a);
    // B receives the split (nothing of B's moved), then A's re-write: B's « wB », typed after
    // « wA », stays; B writes nothing, so A has nothing to answer either.
    net.deliver(b);
    expect(seenByB.slice(-2)).toEqual([null, 100]);
    expect(b.outbox).toEqual([]);
    net.settle();
    expectConverged(net);
    for (const word of ['wA', 'wB', 'Premier', 'Suite']) expect(countOf(net.server, word)).toBe(1);
    expect(paragraphs(net.server)).toEqual(['Premier paragraphe. wB', ' Suite du premier. wA']);
  });

  it('is told apart from a split of the co-writer’s own text, which one’s keystrokes on their way still follow', () => {
    const net = new Network(start);
    const a = coWriter(net.join(100));
    const seenByB: (number | null)[] = [];
    const b = coWriter(net.join(200), seenByB);
    typeAfter(a, 'Suite du premier.', ' wA wA2');
    net.send(a);
    net.deliver(b);
    // B types after A's words; A, who has not received it, splits its own text before « wA2 ».
    typeAfter(b, ' wA wA2', ' wB');
    splitAfter(a, ' wA');
    net.send(a);
    net.deliver(b);
    // The split deletes A's characters and writes them again under A's id, as a re-write does,
    // but it makes a paragraph: it is a move, and B's « wB » follows « wA2 » to the new one.
    expect(seenByB.at(-1)).toBeNull();
    expect(paragraphs(b.doc)).toEqual(['Premier paragraphe. Suite du premier. wA', ' wA2 wB']);
    net.settle();
    expectConverged(net);
    expect(paragraphs(net.server)).toEqual(['Premier paragraphe. Suite du premier. wA', ' wA2 wB']);
  });
});
