import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { ydocToJSON, ydocToText, writeJSONToYdoc, type DocJSON } from './convert.js';

const sample: DocJSON = {
  type: 'doc',
  content: [
    { type: 'heading', attrs: { level: 2 }, content: [{ type: 'text', text: 'Conférences familiales' }] },
    {
      type: 'paragraph',
      content: [
        { type: 'text', text: 'La famille élargie ' },
        { type: 'text', marks: [{ type: 'bold' }], text: 'décide' },
        { type: 'text', text: ' du plan.' },
      ],
    },
  ],
};

describe('server-side reading of a document, without a DOM', () => {
  it('turns a Y.Doc written from JSON back into the same JSON', () => {
    const ydoc = new Y.Doc();
    writeJSONToYdoc(ydoc, sample);
    const json = ydocToJSON(ydoc);
    expect(json.content?.[0]).toMatchObject(sample.content?.[0] ?? {});
    expect(json.content?.[1]?.content?.[1]).toMatchObject({ text: 'décide', marks: [{ type: 'bold' }] });
  });

  it('extracts plain text with blocks separated by a blank line', () => {
    const ydoc = new Y.Doc();
    writeJSONToYdoc(ydoc, sample);
    expect(ydocToText(ydoc)).toBe('Conférences familiales\n\nLa famille élargie décide du plan.');
  });

  it('refuses JSON with a node the shared schema does not know', () => {
    const ydoc = new Y.Doc();
    expect(() => writeJSONToYdoc(ydoc, { type: 'doc', content: [{ type: 'iframe' }] })).toThrow();
  });

  it('reads an empty document as one empty paragraph-free doc', () => {
    expect(ydocToText(new Y.Doc())).toBe('');
  });
});

describe('plain text of documents with notes and links', () => {
  it('keeps the text of footnotes and the titles of linked documents', () => {
    const ydoc = new Y.Doc();
    writeJSONToYdoc(ydoc, {
      type: 'doc',
      content: [
        {
          type: 'paragraph',
          content: [
            { type: 'text', text: 'Voir' },
            { type: 'footnote', attrs: { text: 'Rapport HCTS' } },
            { type: 'hardBreak' },
            { type: 'docRef', attrs: { documentId: 'abc', title: 'Conférences familiales en Ardèche' } },
          ],
        },
      ],
    });
    expect(ydocToText(ydoc)).toBe('Voir (note : Rapport HCTS)\nConférences familiales en Ardèche');
  });
});
