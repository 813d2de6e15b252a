import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { ficheTemplate, syntheseTemplate } from '@essaim/domain';
import { FRAGMENT } from '@essaim/protocol';
import { ydocToJSON, writeJSONToYdoc } from './convert.js';
import { emptyTextblocksWithoutText, fillEmptyTextblocks } from './emptyTextblocks.js';
import { guardRequiredSections } from './requiredSections.js';
import { emptySection, templateContent } from './template.js';

function element(
  name: string,
  children: (Y.XmlElement | Y.XmlText)[] = [],
  attrs: Record<string, string> = {},
) {
  const el = new Y.XmlElement(name);
  for (const [key, value] of Object.entries(attrs)) el.setAttribute(key, value);
  el.insert(0, children);
  return el;
}

/**
 * A document as stored before the y-tiptap patch: empty paragraphs (and an empty heading) have no
 * child, in a section, a table cell and a list item; one paragraph has text.
 */
function legacyDocument(): Y.Doc {
  const ydoc = new Y.Doc();
  ydoc
    .getXmlFragment(FRAGMENT)
    .insert(0, [
      element(
        'section',
        [
          element('sectionTitle', [new Y.XmlText('Origine et contexte')]),
          element('paragraph'),
          element('heading', [], { level: '3' }),
          element('table', [element('tableRow', [element('tableCell', [element('paragraph')])])]),
          element('bulletList', [element('listItem', [element('paragraph')])]),
          element('paragraph', [new Y.XmlText('Déjà écrit.')]),
        ],
        { id: 's1', key: 'origine' },
      ),
    ]);
  return ydoc;
}

/** The paragraph where both people type, in a replica of `ydoc`. */
const firstParagraph = (ydoc: Y.Doc): Y.XmlElement =>
  (ydoc.getXmlFragment(FRAGMENT).get(0) as Y.XmlElement).get(1) as Y.XmlElement;

function replicaOf(ydoc: Y.Doc): Y.Doc {
  const replica = new Y.Doc();
  Y.applyUpdate(replica, Y.encodeStateAsUpdate(ydoc));
  return replica;
}

function exchange(a: Y.Doc, b: Y.Doc): void {
  const fromA = Y.encodeStateAsUpdate(a, Y.encodeStateVector(b));
  const fromB = Y.encodeStateAsUpdate(b, Y.encodeStateVector(a));
  Y.applyUpdate(b, fromA);
  Y.applyUpdate(a, fromB);
}

/** Types into the paragraph as y-tiptap does: into its Y.XmlText, made first if it has none. */
function typeInto(paragraph: Y.XmlElement, text: string): void {
  let ytext = paragraph.get(0);
  if (!(ytext instanceof Y.XmlText)) {
    ytext = new Y.XmlText();
    paragraph.insert(0, [ytext]);
  }
  (ytext as Y.XmlText).insert(0, text);
}

describe('empty textblocks of stored documents', () => {
  it('finds every textblock without a child: in sections, table cells and list items', () => {
    const found = emptyTextblocksWithoutText(legacyDocument().getXmlFragment(FRAGMENT));
    expect(found.map((block) => block.nodeName)).toEqual(['paragraph', 'heading', 'paragraph', 'paragraph']);
  });

  it('gives each an empty text in one transaction with the given origin, and the document reads the same', () => {
    const ydoc = legacyDocument();
    const before = ydocToJSON(ydoc);
    const origins: unknown[] = [];
    ydoc.on('afterTransaction', (transaction: Y.Transaction) => origins.push(transaction.origin));

    expect(fillEmptyTextblocks(ydoc.getXmlFragment(FRAGMENT), 'essaim:textes-vides')).toBe(4);

    expect(origins).toEqual(['essaim:textes-vides']);
    expect(ydocToJSON(ydoc)).toEqual(before);
    expect(emptyTextblocksWithoutText(ydoc.getXmlFragment(FRAGMENT))).toEqual([]);
    const paragraph = firstParagraph(ydoc);
    expect(paragraph.length).toBe(1);
    expect(paragraph.get(0)).toBeInstanceOf(Y.XmlText);
    expect((paragraph.get(0) as Y.XmlText).toString()).toBe('');
  });

  it('changes nothing, and sends no update, on a document that has no such block', () => {
    const ydoc = legacyDocument();
    fillEmptyTextblocks(ydoc.getXmlFragment(FRAGMENT), 'essaim:textes-vides');
    let updates = 0;
    ydoc.on('update', () => updates++);
    expect(fillEmptyTextblocks(ydoc.getXmlFragment(FRAGMENT), 'essaim:textes-vides')).toBe(0);
    expect(updates).toBe(0);
  });

  it('lets two people’s first keystrokes in the same empty paragraph meet in one text, each whole', () => {
    const ydoc = legacyDocument();
    fillEmptyTextblocks(ydoc.getXmlFragment(FRAGMENT), null);
    const [a, b] = [replicaOf(ydoc), replicaOf(ydoc)];
    typeInto(firstParagraph(a), '0123456789');
    typeInto(firstParagraph(b), 'ABCDEFGHIJ');
    exchange(a, b);
    for (const replica of [a, b]) {
      const paragraph = firstParagraph(replica);
      expect(paragraph.length).toBe(1);
      expect(['0123456789ABCDEFGHIJ', 'ABCDEFGHIJ0123456789']).toContain(paragraph.get(0).toString());
    }
  });

  it('without it, the same keystrokes leave two texts in the paragraph (what y-tiptap then garbles)', () => {
    const ydoc = legacyDocument();
    const [a, b] = [replicaOf(ydoc), replicaOf(ydoc)];
    typeInto(firstParagraph(a), '0123456789');
    typeInto(firstParagraph(b), 'ABCDEFGHIJ');
    exchange(a, b);
    expect(firstParagraph(a).length).toBe(2);
  });
});

describe('empty textblocks the server creates', () => {
  it('hold an empty text in documents made from the fiche and synthesis templates', () => {
    let n = 0;
    for (const template of [ficheTemplate, syntheseTemplate]) {
      const ydoc = new Y.Doc();
      writeJSONToYdoc(
        ydoc,
        templateContent(template, () => `s${++n}`),
      );
      expect(emptyTextblocksWithoutText(ydoc.getXmlFragment(FRAGMENT))).toEqual([]);
      expect(firstParagraph(ydoc).get(0)).toBeInstanceOf(Y.XmlText);
    }
  });

  it('hold an empty text in a section a rapporteur adds', () => {
    const ydoc = new Y.Doc();
    writeJSONToYdoc(ydoc, { type: 'doc', content: [emptySection('s1', 'Nouvelle section')] });
    expect(emptyTextblocksWithoutText(ydoc.getXmlFragment(FRAGMENT))).toEqual([]);
  });

  it('hold an empty text in a required section put back after a deletion', () => {
    const ydoc = new Y.Doc();
    writeJSONToYdoc(ydoc, {
      type: 'doc',
      content: [{ ...emptySection('s1', 'Public concerné'), attrs: { id: 's1', key: 'public' } }],
    });
    guardRequiredSections(ydoc, [{ key: 'public', title: 'Public concerné' }], () => true);
    ydoc.transact(() => ydoc.getXmlFragment(FRAGMENT).delete(0, 1), 'personne');
    expect(ydoc.getXmlFragment(FRAGMENT).length).toBe(1);
    expect(emptyTextblocksWithoutText(ydoc.getXmlFragment(FRAGMENT))).toEqual([]);
  });
});
