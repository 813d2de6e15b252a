import { writeJSONToYdoc, type DocJSON } from '@essaim/editor';
import { FRAGMENT } from '@essaim/protocol';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  encodeRange,
  findQuote,
  locate,
  quoteMatches,
  readDocumentText,
  resolvePosition,
  textBetween,
} from './commentAnchors.js';

const paragraph = (text: string): DocJSON => ({ type: 'paragraph', content: [{ type: 'text', text }] });
const section = (id: string, title: string, ...blocks: DocJSON[]): DocJSON => ({
  type: 'section',
  attrs: { id, key: null },
  content: [{ type: 'sectionTitle', content: [{ type: 'text', text: title }] }, ...blocks],
});

function documentOf(...sections: DocJSON[]): Y.Doc {
  const ydoc = new Y.Doc();
  writeJSONToYdoc(ydoc, { type: 'doc', content: sections });
  return ydoc;
}

/** The Y.XmlText of the n-th paragraph of a section. */
function paragraphText(ydoc: Y.Doc, sectionIndex: number, paragraphIndex: number): Y.XmlText {
  const s = ydoc.getXmlFragment(FRAGMENT).get(sectionIndex) as Y.XmlElement;
  const p = s.toArray().filter((c) => c instanceof Y.XmlElement && c.nodeName === 'paragraph')[
    paragraphIndex
  ] as Y.XmlElement;
  return p.get(0) as Y.XmlText;
}

describe('reading a document’s text for anchors', () => {
  it('reads blocks in order, one line each, with the span of every section', () => {
    const ydoc = documentOf(
      section('a', 'Origine', paragraph('Un début.'), paragraph('Une suite.')),
      section('b', 'Public', paragraph('Les familles.')),
    );
    const doc = readDocumentText(ydoc);
    expect(doc.text).toBe('Origine\nUn début.\nUne suite.\nPublic\nLes familles.');
    expect(doc.sections.map((s) => [s.id, s.title, doc.text.slice(s.start, s.end)])).toEqual([
      ['a', 'Origine', 'Origine\nUn début.\nUne suite.'],
      ['b', 'Public', 'Public\nLes familles.'],
    ]);
  });

  it('never writes to the document it reads', () => {
    const ydoc = documentOf(section('a', 'Origine', paragraph('Un début.')));
    const before = Y.encodeStateAsUpdate(ydoc);
    let updates = 0;
    ydoc.on('update', () => updates++);
    const doc = readDocumentText(ydoc);
    const range = encodeRange(doc, doc.text.indexOf('début'), doc.text.indexOf('début') + 5);
    locate(doc, {
      sectionId: 'a',
      start: range?.start ?? null,
      end: range?.end ?? null,
      quote: 'début',
      prefix: '',
      suffix: '',
    });
    expect(updates).toBe(0);
    expect(Y.encodeStateAsUpdate(ydoc)).toEqual(before);
  });
});

describe('positions made by the server', () => {
  it('keeps a range that ends at the end of a paragraph inside that paragraph (y-prosemirror#194)', () => {
    const ydoc = documentOf(section('a', 'Titre', paragraph('Fin du paragraphe'), paragraph('Suivant')));
    const doc = readDocumentText(ydoc);
    const end = doc.text.indexOf('\nSuivant');
    const range = encodeRange(doc, doc.text.indexOf('paragraphe'), end);
    if (!range) throw new Error('pas de positions');
    // Someone types at the start of the next paragraph: the range does not grow into it.
    paragraphText(ydoc, 0, 1).insert(0, 'Nouveau ');
    const now = readDocumentText(ydoc);
    const s = resolvePosition(now, range.start);
    const e = resolvePosition(now, range.end);
    expect(textBetween(now, s?.offset ?? 0, e?.offset ?? 0)).toBe('paragraphe');
  });

  it('keeps words typed right before the range out of it, and words typed at its end out too', () => {
    const ydoc = documentOf(section('a', 'Titre', paragraph('avant mots après')));
    const doc = readDocumentText(ydoc);
    const at = doc.text.indexOf('mots');
    const range = encodeRange(doc, at, at + 4);
    if (!range) throw new Error('pas de positions');
    const text = paragraphText(ydoc, 0, 0);
    text.insert('avant '.length, 'XX');
    text.insert('avant XXmots'.length, 'YY');
    const now = readDocumentText(ydoc);
    const s = resolvePosition(now, range.start);
    const e = resolvePosition(now, range.end);
    expect(now.text.slice(s?.offset, e?.offset)).toBe('mots');
  });
});

describe('finding a quote again', () => {
  it('prefers the occurrence whose context matches, inside the thread’s section first', () => {
    const ydoc = documentOf(
      section('a', 'A', paragraph('Le plan est signé par la famille. Le plan est revu chaque mois.')),
      section('b', 'B', paragraph('Le plan est revu chaque mois.')),
    );
    const doc = readDocumentText(ydoc);
    const inA = doc.sections[0] as { start: number; end: number };
    const found = findQuote(doc, 'Le plan', { prefix: 'signé par la famille.', suffix: 'est revu' }, inA);
    expect(found?.start).toBe(doc.text.indexOf('Le plan est revu'));
    const inB = doc.sections[1] as { start: number; end: number };
    expect(findQuote(doc, 'Le plan', { prefix: '', suffix: '' }, inB)?.start).toBe(
      doc.text.lastIndexOf('Le plan'),
    );
  });

  it('does not pick a short quote elsewhere in the document by chance', () => {
    const ydoc = documentOf(
      section('a', 'A', paragraph('rien ici')),
      section('b', 'B', paragraph('le plan')),
    );
    const doc = readDocumentText(ydoc);
    const inA = doc.sections[0] as { start: number; end: number };
    expect(findQuote(doc, 'plan', { prefix: 'un tout autre contexte', suffix: 'ailleurs' }, inA)).toBeNull();
    expect(findQuote(doc, 'plan', { prefix: 'le ', suffix: '' }, inA)).toBeNull();
    // Enough matching context (here the end of the previous section) makes it the same place.
    expect(findQuote(doc, 'plan', { prefix: 'rien ici B le ', suffix: '' }, inA)).not.toBeNull();
  });

  it('matches a quote across blocks and white space differences', () => {
    const ydoc = documentOf(section('a', 'A', paragraph('fin de ligne'), paragraph('début suivant')));
    const doc = readDocumentText(ydoc);
    const start = doc.text.indexOf('ligne');
    const end = doc.text.indexOf('début') + 'début'.length;
    expect(quoteMatches(doc, start, end, 'ligne début')).toBe(true);
    expect(quoteMatches(doc, start, end, 'ligne\n\ndébut')).toBe(true);
    expect(quoteMatches(doc, start, end, 'ligne fin')).toBe(false);
    expect(findQuote(doc, 'ligne début', { prefix: '', suffix: '' }, doc.sections[0])).toEqual({
      start,
      end,
    });
  });
});
