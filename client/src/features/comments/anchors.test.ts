import { describe, expect, it } from 'vitest';
import type { Node as PMNode } from '@tiptap/pm/model';
import { initProseMirrorDoc, updateYFragment } from '@tiptap/y-tiptap';
import * as Y from 'yjs';
import { schema, writeJSONToYdoc, type DocJSON } from '@essaim/editor';
import { FRAGMENT } from '@essaim/protocol';
import {
  decodeAnchor,
  encodeAnchor,
  findQuote,
  normalizeQuote,
  quoteOf,
  rangeOfAnchor,
  textRangeOf,
  type DecodedAnchor,
  type Range,
  type YBinding,
} from './anchors.js';
import { p, rangeOfWords, section } from './testFixtures.js';

/** The value, or a failed test when it is null. */
function must<T>(value: T | null | undefined): T {
  if (value === null || value === undefined) throw new Error('valeur absente');
  return value;
}

/** The anchor of `range` once encoded for the server and decoded back; a failed test when it does not decode. */
function anchorAt(binding: YBinding, range: Range): DecodedAnchor {
  return must(decodeAnchor(encodeAnchor(binding, range)));
}

/** A Y.Doc holding `json`, and what an editor bound to it would see (its document and mapping). */
function bound(json: DocJSON): { ydoc: Y.Doc; view: () => { doc: PMNode; binding: YBinding } } {
  const ydoc = new Y.Doc();
  writeJSONToYdoc(ydoc, json);
  const fragment = ydoc.getXmlFragment(FRAGMENT);
  return {
    ydoc,
    view: () => {
      const { doc, mapping } = initProseMirrorDoc(fragment, schema);
      return { doc, binding: { ydoc, fragment, mapping } };
    },
  };
}

/** Replaces the Y.Doc's content with `json`, as the editor's binding writes a local change. */
function edit(ydoc: Y.Doc, json: DocJSON): void {
  const fragment = ydoc.getXmlFragment(FRAGMENT);
  const { mapping } = initProseMirrorDoc(fragment, schema);
  ydoc.transact(() => {
    updateYFragment(ydoc, fragment, schema.nodeFromJSON(json), { mapping, isOMark: new Map() });
  });
}

/**
 * The fiche the tests start from, with the paragraphs of its first section (« Origine et
 * contexte ») as given; its second section (« Public concerné ») never changes.
 */
const ficheWith = (...paragraphs: string[]): DocJSON => ({
  type: 'doc',
  content: [
    section('s1', 'Origine et contexte', ...paragraphs.map(p)),
    section('s2', 'Public concerné', p('Des adultes suivis en psychiatrie.')),
  ],
});

const families = 'Les familles choisissent leurs invités.';
const fiche = ficheWith('Le conseil départemental a repris le modèle néo-zélandais.', families);

describe('anchors of commented words', () => {
  it('come back as the same words after a round trip through relative positions', () => {
    const { view } = bound(fiche);
    const { doc, binding } = view();
    const range = rangeOfWords(doc, 'repris le modèle');
    const anchor = decodeAnchor(encodeAnchor(binding, range));
    expect(anchor).not.toBeNull();
    const back = rangeOfAnchor(binding, doc, must(anchor));
    expect(back).toEqual(range);
    expect(quoteOf(doc, must(back))).toBe('repris le modèle');
  });

  it('keep the last word of a paragraph when the range ends at the end of the node (y-prosemirror#194)', () => {
    const { view } = bound(fiche);
    const { doc, binding } = view();
    const range = rangeOfWords(doc, 'modèle néo-zélandais.');
    // The selection ends at the end of the paragraph's text: exactly where the trap is.
    expect(doc.resolve(range.to).parentOffset).toBe(doc.resolve(range.to).parent.content.size);
    const back = rangeOfAnchor(binding, doc, anchorAt(binding, range));
    expect(quoteOf(doc, must(back))).toBe('modèle néo-zélandais.');
  });

  it('never start or end between blocks: a selection running into the next paragraph is shrunk to its text', () => {
    const { view } = bound(fiche);
    const { doc, binding } = view();
    const words = rangeOfWords(doc, 'néo-zélandais.');
    const next = rangeOfWords(doc, 'Les familles');
    // From inside the first paragraph to the very start of the next one (a mouse selection does this).
    const shrunk = textRangeOf(doc, words.from, next.from);
    expect(shrunk).toEqual(words);
    const back = rangeOfAnchor(binding, doc, anchorAt(binding, must(shrunk)));
    expect(back).toEqual(words);
  });

  it('quote several paragraphs with a line break between them and survive the round trip', () => {
    const { view } = bound(fiche);
    const { doc, binding } = view();
    const range = { from: rangeOfWords(doc, 'néo-zélandais').from, to: rangeOfWords(doc, 'Les familles').to };
    expect(quoteOf(doc, range)).toBe('néo-zélandais.\nLes familles');
    const back = rangeOfAnchor(binding, doc, anchorAt(binding, range));
    expect(back).toEqual(range);
  });

  it('hold no range when the selection is only spaces or crosses no text', () => {
    const { view } = bound({ type: 'doc', content: [section('s1', 'Titre', p('   '), p(''))] });
    const { doc } = view();
    const afterTitle = rangeOfWords(doc, 'Titre').to;
    expect(textRangeOf(doc, afterTitle, doc.content.size)).toBeNull();
  });

  it('follow the words when text is typed before and inside them by someone else', () => {
    const { ydoc, view } = bound(fiche);
    const before = view();
    const anchor = anchorAt(before.binding, rangeOfWords(before.doc, 'repris le modèle'));
    // Typed right before the words, then inside them, then before the paragraph: one change each.
    edit(ydoc, ficheWith('Le conseil départemental a déjà repris le modèle néo-zélandais.', families));
    edit(
      ydoc,
      ficheWith('Le conseil départemental a déjà repris fidèlement le modèle néo-zélandais.', families),
    );
    edit(
      ydoc,
      ficheWith(
        'En 2019, le conseil départemental a déjà repris fidèlement le modèle néo-zélandais.',
        families,
      ),
    );
    const after = view();
    const range = rangeOfAnchor(after.binding, after.doc, anchor);
    expect(quoteOf(after.doc, must(range))).toBe('repris fidèlement le modèle');
  });

  it('collapse when Enter splits the paragraph right before the words, which are then found again by their quote (y-prosemirror#204)', () => {
    const { ydoc, view } = bound(fiche);
    const before = view();
    const words = rangeOfWords(before.doc, 'repris le modèle');
    const anchor = anchorAt(before.binding, words);
    edit(ydoc, ficheWith('Le conseil départemental a ', 'repris le modèle néo-zélandais.', families));
    const after = view();
    const decoded = rangeOfAnchor(after.binding, after.doc, anchor);
    // The known trap: the positions stayed in the first paragraph and no longer cover the words.
    expect(decoded === null || quoteOf(after.doc, decoded) !== 'repris le modèle').toBe(true);
    const near = decoded?.from ?? words.from;
    const found = findQuote(after.doc, 'repris le modèle', { from: 0, to: after.doc.content.size }, near);
    expect(found && quoteOf(after.doc, found)).toBe('repris le modèle');
  });

  it('collapse when the words are deleted', () => {
    const { ydoc, view } = bound(fiche);
    const before = view();
    const anchor = anchorAt(before.binding, rangeOfWords(before.doc, 'repris le modèle'));
    edit(ydoc, ficheWith('Le conseil départemental a néo-zélandais.', families));
    const after = view();
    expect(rangeOfAnchor(after.binding, after.doc, anchor)).toBeNull();
  });

  it('are unknown, not wrong, in a copy of the document that has not received the words yet', () => {
    const { view } = bound(fiche);
    const { doc, binding } = view();
    const anchor = anchorAt(binding, rangeOfWords(doc, 'repris le modèle'));
    const other = bound(fiche).view();
    expect(rangeOfAnchor(other.binding, other.doc, anchor)).toBeNull();
  });
});

describe('quotes', () => {
  it('compare with runs of spaces and line breaks collapsed, as the server does', () => {
    expect(normalizeQuote('  néo-zélandais.\nLes   familles ')).toBe('néo-zélandais. Les familles');
  });

  it('are found again nearest to where they were, when they occur twice', () => {
    const { view } = bound({
      type: 'doc',
      content: [section('s1', 'Titre', p('les familles'), p('autre'), p('les familles'))],
    });
    const { doc } = view();
    const last = doc.content.size - 2;
    const found = findQuote(doc, 'les familles', { from: 0, to: doc.content.size }, last);
    expect(must(found).from).toBeGreaterThan(rangeOfWords(doc, 'autre').to);
  });

  it('are not decoded from text that is not base64', () => {
    expect(decodeAnchor({ start: '%%%', end: 'AA==' })).toBeNull();
  });
});
