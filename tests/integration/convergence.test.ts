import { ydocToText } from '@essaim/editor';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createDocument } from '../support/accounts.js';
import { useTestInstance } from '../support/instance.js';
import { isSettled, synced } from '../support/provider.js';

const t = useTestInstance();
const open = (name: string) => t.open(name);

/** A paragraph in the editor's fragment, shaped as Tiptap stores it. */
/** The text of the first paragraph of the first section (a new fiche's « Identification »). */
function paragraphText(ydoc: Y.Doc): Y.XmlText {
  const section = ydoc.getXmlFragment('default').get(0) as Y.XmlElement;
  const paragraph = section.get(1) as Y.XmlElement;
  const existing = paragraph.get(0);
  if (existing instanceof Y.XmlText) return existing;
  const text = new Y.XmlText();
  paragraph.insert(0, [text]);
  return text;
}

describe('two people editing one document', () => {
  it('see each other’s edits in both directions', async () => {
    const { name } = await createDocument(t.admin, t.espaceId);
    const alice = open(name);
    const bob = open(name);
    await expect.poll(() => isSettled(alice) && isSettled(bob)).toBe(true);
    await synced(alice);
    await synced(bob);

    alice.text.insert(0, 'Bonjour');
    await expect.poll(() => bob.text.toString()).toBe('Bonjour');
    bob.text.insert(7, ' Bob');
    await expect.poll(() => alice.text.toString()).toBe('Bonjour Bob');
  });

  it('converge when both type in the same paragraph at the same moment', async () => {
    const { name } = await createDocument(t.admin, t.espaceId);
    const alice = open(name);
    const bob = open(name);
    await expect.poll(() => isSettled(alice) && isSettled(bob)).toBe(true);

    paragraphText(alice.ydoc).insert(0, 'Les conférences familiales.');
    const firstParagraph = (ydoc: Y.Doc) =>
      ((ydoc.getXmlFragment('default').get(0) as Y.XmlElement).get(1) as Y.XmlElement).toString();
    await expect
      .poll(() => firstParagraph(bob.ydoc))
      .toBe('<paragraph>Les conférences familiales.</paragraph>');

    // Both insert at the same offsets before either sees the other's change.
    for (let i = 0; i < 50; i++) {
      paragraphText(alice.ydoc).insert(4, `a${i} `);
      paragraphText(bob.ydoc).insert(4, `b${i} `);
    }
    await expect.poll(() => isSettled(alice) && isSettled(bob)).toBe(true);
    await expect.poll(() => ydocToText(alice.ydoc)).toBe(ydocToText(bob.ydoc));

    const text = paragraphText(alice.ydoc).toString();
    for (let i = 0; i < 50; i++) {
      expect(text).toContain(`a${i} `);
      expect(text).toContain(`b${i} `);
    }
    expect(text.startsWith('Les ')).toBe(true);
    expect(text.endsWith('conférences familiales.')).toBe(true);

    // The server's own copy (what it will store) is the same document.
    const serverDoc = t.server.app.hocuspocus.documents.get(name);
    expect(serverDoc && ydocToText(serverDoc)).toBe(ydocToText(alice.ydoc));
  });
});
