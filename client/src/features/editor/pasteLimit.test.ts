import { describe, expect, it } from 'vitest';
import { Fragment, Slice, type Node as PMNode } from '@tiptap/pm/model';
import { updateYFragment } from '@tiptap/y-tiptap';
import * as Y from 'yjs';
import { schema, ydocToNode, writeJSONToYdoc, type DocJSON } from '@essaim/editor';
import { FRAGMENT } from '@essaim/protocol';
import { estimateUpdateBytes, estimateUpdateStructs, pasteRefusal, utf8Length } from './pasteLimit.js';

const p = (text: string, marks?: DocJSON['marks']): DocJSON => ({
  type: 'paragraph',
  content: text ? [{ type: 'text', text, ...(marks ? { marks } : {}) }] : [],
});

/** A one-section document, as a template makes them. */
const base: DocJSON = {
  type: 'doc',
  content: [
    {
      type: 'section',
      attrs: { id: 's-origine', key: 'origine' },
      content: [
        { type: 'sectionTitle', content: [{ type: 'text', text: 'Origine' }] },
        p('Le projet est né en 2019.'),
        p(''),
      ],
    },
  ],
};

/**
 * The real update the editor's binding makes when `blocks` are pasted at the end of the first
 * section (after its empty paragraph), and the pasted content as ProseMirror nodes.
 */
function pasteUpdate(blocks: DocJSON[]): { update: Uint8Array; content: Fragment } {
  const ydoc = new Y.Doc();
  writeJSONToYdoc(ydoc, base);
  const before = ydocToNode(ydoc);
  const content = Fragment.fromArray(blocks.map((b) => schema.nodeFromJSON(b)));
  const section = before.child(0);
  const at = section.nodeSize - 1; // end of the first section's content
  const after = before.replace(at, at, new Slice(content, 0, 0));
  let update: Uint8Array = new Uint8Array();
  ydoc.on('update', (u: Uint8Array) => (update = u));
  ydoc.transact(() => {
    updateYFragment(ydoc, ydoc.getXmlFragment(FRAGMENT), after as PMNode, {
      mapping: new Map(),
      isOMark: new Map(),
    });
  });
  expect(ydocToNode(ydoc).eq(after)).toBe(true);
  return { update, content };
}

const words = (n: number, word = 'pratique') =>
  Array.from({ length: n }, (_, i) => `${word}${i % 10}`).join(' ');

const samples: Record<string, DocJSON[]> = {
  'one long paragraph of plain text': [p(words(20_000))],
  'many short paragraphs with accents': Array.from({ length: 2000 }, (_, i) => p(`Étape n° ${i} : écoute.`)),
  'empty paragraphs': Array.from({ length: 2000 }, () => p('')),
  'text with a mark on every other word': [
    {
      type: 'paragraph',
      content: Array.from({ length: 2000 }, (_, i) =>
        i % 2
          ? { type: 'text', text: `mot${i} `, marks: [{ type: i % 4 === 1 ? 'bold' : 'italic' }] }
          : { type: 'text', text: `mot${i} ` },
      ),
    },
  ],
  'links on every word': [
    {
      type: 'paragraph',
      content: Array.from({ length: 1000 }, (_, i) => ({
        type: 'text',
        text: `lien${i} `,
        marks: [{ type: 'link', attrs: { href: `https://www.exemple.fr/page/${i}` } }],
      })),
    },
  ],
  'emoji and non-Latin text': [p('🐝 Essaim 蜂群 рой '.repeat(3000))],
  'a table of 40 rows': [
    {
      type: 'table',
      content: Array.from({ length: 40 }, (_, r) => ({
        type: 'tableRow',
        content: Array.from({ length: 5 }, (_, c) => ({
          type: r === 0 ? 'tableHeader' : 'tableCell',
          content: [p(`Ligne ${r}, colonne ${c}`)],
        })),
      })),
    },
  ],
  'lists and headings': Array.from({ length: 200 }, (_, i) =>
    i % 2
      ? { type: 'heading', attrs: { level: 3 }, content: [{ type: 'text', text: `Partie ${i}` }] }
      : {
          type: 'bulletList',
          content: [
            { type: 'listItem', content: [p(`premier point ${i}`)] },
            { type: 'listItem', content: [p(`second point ${i}`)] },
          ],
        },
  ),
};

describe('size estimate of a paste', () => {
  for (const [name, blocks] of Object.entries(samples)) {
    it(`is never below the real update, and within 2× of it: ${name}`, () => {
      const { update, content } = pasteUpdate(blocks);
      const estimate = estimateUpdateBytes(content);
      expect(estimate).toBeGreaterThanOrEqual(update.byteLength);
      expect(estimate).toBeLessThan(2 * update.byteLength + 1024);
    });
  }

  for (const [name, blocks] of Object.entries(samples)) {
    it(`never counts fewer Yjs structs than the real update holds: ${name}`, () => {
      const { update, content } = pasteUpdate(blocks);
      expect(estimateUpdateStructs(content)).toBeGreaterThanOrEqual(Y.decodeUpdate(update).structs.length);
    });
  }

  it('counts UTF-8 bytes as the encoder does', () => {
    for (const text of ['abc', 'é', '€', '🐝', 'Étape n° 3 : 蜂 🐝', ''])
      expect(utf8Length(text)).toBe(new TextEncoder().encode(text).byteLength);
  });
});

describe('paste verdict', () => {
  const limits = { messageBytes: 2 * 1024 * 1024, documentBytes: 16 * 1024 * 1024 };

  it('accepts a 1 MB paste (200,000 words) under the default 2 MiB message limit', () => {
    const content = Fragment.from(schema.nodeFromJSON(p(words(200_000, 'mot'))));
    const estimate = estimateUpdateBytes(content);
    expect(estimate).toBeGreaterThan(1_000_000);
    expect(pasteRefusal(estimate, 50_000, limits)).toBeNull();
  });

  it('refuses a 2.3 MB paste, saying the limit it applies', () => {
    const content = Fragment.from(schema.nodeFromJSON(p('x'.repeat(2_300_000))));
    expect(pasteRefusal(estimateUpdateBytes(content), 50_000, limits)).toEqual({
      reason: 'too-large',
      estimate: estimateUpdateBytes(content),
      limit: Math.floor(limits.messageBytes * 0.9),
    });
  });

  it('refuses a paste of more Yjs structs than the server takes in one update, however few its bytes', () => {
    expect(pasteRefusal(100_000, 50_000, limits, 46_000)).toMatchObject({ reason: 'too-large' });
    expect(pasteRefusal(100_000, 50_000, limits, 40_000)).toBeNull();
  });

  it('refuses a paste that would take the document past its own limit', () => {
    expect(pasteRefusal(1_000_000, 15_000_000, limits)).toMatchObject({ reason: 'document-full' });
    expect(pasteRefusal(1_000_000, 10_000_000, limits)).toBeNull();
  });
});
