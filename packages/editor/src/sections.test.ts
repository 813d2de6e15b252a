import { ficheTemplate, syntheseTemplate } from '@essaim/domain';
import { FRAGMENT } from '@essaim/protocol';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { schema } from './extensions.js';
import { writeJSONToYdoc, ydocToNode, type DocJSON } from './convert.js';
import { ensureUniqueSectionIds, sectionIdFixes, watchSectionIds } from './sectionIds.js';
import { sectionHash, sectionsOf } from './sections.js';
import { emptySection, templateContent } from './template.js';
import { guardRequiredSections } from './requiredSections.js';

let n = 0;
const nextId = () => `id-${++n}`;

function docFrom(json: DocJSON): Y.Doc {
  const ydoc = new Y.Doc();
  writeJSONToYdoc(ydoc, json);
  return ydoc;
}

const ids = (ydoc: Y.Doc) =>
  ydoc
    .getXmlFragment(FRAGMENT)
    .toArray()
    .map((c) => (c as Y.XmlElement).getAttribute('id'));

/** Two replicas exchanging every update as it happens. */
function pair(): [Y.Doc, Y.Doc] {
  const a = new Y.Doc();
  const b = new Y.Doc();
  a.on('update', (u: Uint8Array, origin: unknown) => origin !== 'remote' && Y.applyUpdate(b, u, 'remote'));
  b.on('update', (u: Uint8Array, origin: unknown) => origin !== 'remote' && Y.applyUpdate(a, u, 'remote'));
  return [a, b];
}

describe('templates as documents', () => {
  it('turns both templates into documents the shared schema accepts', () => {
    for (const template of [ficheTemplate, syntheseTemplate]) {
      const json = templateContent(template, nextId);
      expect(() => schema.nodeFromJSON(json).check()).not.toThrow();
      expect(json.content).toHaveLength(template.sections.length);
    }
    expect(() =>
      schema.nodeFromJSON({ type: 'doc', content: [emptySection('x', 'Ajout')] }).check(),
    ).not.toThrow();
  });

  it('still accepts documents written before sections existed', () => {
    const json = {
      type: 'doc',
      content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Ancien' }] }],
    };
    expect(() => schema.nodeFromJSON(json).check()).not.toThrow();
  });
});

describe('section hashes', () => {
  const base = () => templateContent(ficheTemplate, nextId);

  it('are the same for the same content, whatever the section id', () => {
    const a = sectionsOf(ydocToNode(docFrom(base())));
    const b = sectionsOf(ydocToNode(docFrom(base())));
    expect(a.map((s) => s.hash)).toEqual(b.map((s) => s.hash));
    expect(a.map((s) => s.id)).not.toEqual(b.map((s) => s.id));
  });

  it('change with a mark, a word or the title inside the section, and only there', () => {
    const json = base();
    const before = sectionsOf(ydocToNode(docFrom(json)));
    const section = json.content?.[2] as DocJSON;
    (section.content as DocJSON[])[1] = {
      type: 'paragraph',
      content: [{ type: 'text', text: 'mot', marks: [{ type: 'bold' }] }],
    };
    const after = sectionsOf(ydocToNode(docFrom(json)));
    expect(after[2]?.hash).not.toBe(before[2]?.hash);
    expect(after.filter((_, i) => i !== 2).map((s) => s.hash)).toEqual(
      before.filter((_, i) => i !== 2).map((s) => s.hash),
    );
    (section.content as DocJSON[])[1] = { type: 'paragraph', content: [{ type: 'text', text: 'mot' }] };
    expect(sectionsOf(ydocToNode(docFrom(json)))[2]?.hash).not.toBe(after[2]?.hash);
  });

  it('list a duplicated id once with a suffix, so callers never see two sections with one id', () => {
    const json: DocJSON = { type: 'doc', content: [emptySection('x', 'Un'), emptySection('x', 'Deux')] };
    expect(sectionsOf(ydocToNode(docFrom(json))).map((s) => s.id)).toEqual(['x', 'x~1']);
  });
});

describe('unique section ids', () => {
  it('keep the first id in document order and give copies ids derived from their Yjs item', () => {
    const ydoc = docFrom({
      type: 'doc',
      content: [emptySection('x', 'Un'), emptySection('x', 'Copie'), emptySection('', 'Sans id')],
    });
    const fixes = sectionIdFixes(ydoc.getXmlFragment(FRAGMENT));
    expect(fixes).toHaveLength(2);
    expect(ensureUniqueSectionIds(ydoc)).toBe(true);
    const [first, second, third] = ids(ydoc);
    expect(first).toBe('x');
    expect(second).toMatch(/^s-[0-9a-z]+-[0-9a-z]+$/);
    expect(third).toMatch(/^s-/);
    expect(second).not.toBe(third);
    expect(ensureUniqueSectionIds(ydoc)).toBe(false);
  });

  it('converge when two replicas fix the same duplicate concurrently', () => {
    const source = docFrom({ type: 'doc', content: [emptySection('x', 'Un'), emptySection('x', 'Copie')] });
    const a = new Y.Doc();
    const b = new Y.Doc();
    Y.applyUpdate(a, Y.encodeStateAsUpdate(source));
    Y.applyUpdate(b, Y.encodeStateAsUpdate(source));
    ensureUniqueSectionIds(a);
    ensureUniqueSectionIds(b);
    Y.applyUpdate(a, Y.encodeStateAsUpdate(b));
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    expect(ids(a)).toEqual(ids(b));
    expect(new Set(ids(a)).size).toBe(2);
  });

  it('are fixed right after a paste by a watcher, and not on every keystroke', () => {
    const [a, b] = pair();
    writeJSONToYdoc(a, { type: 'doc', content: [emptySection('x', 'Un')] });
    watchSectionIds(a);
    let transactions = 0;
    a.on('afterTransaction', () => transactions++);
    const copy = new Y.XmlElement('section');
    copy.setAttribute('id', 'x');
    b.getXmlFragment(FRAGMENT).insert(1, [copy]);
    expect(new Set(ids(a)).size).toBe(2);
    expect(ids(b)).toEqual(ids(a));
    transactions = 0;
    const title = (a.getXmlFragment(FRAGMENT).get(0) as Y.XmlElement).get(0) as Y.XmlElement;
    (title.get(0) as Y.XmlText).insert(0, 'x');
    expect(transactions).toBe(1);
  });
});

describe('required sections', () => {
  const required = [{ key: 'public', title: 'Public concerné' }];
  const fiche = (): Y.Doc =>
    docFrom({
      type: 'doc',
      content: [
        { ...emptySection('a', 'Identification'), attrs: { id: 'a', key: 'identification' } },
        { ...emptySection('b', 'Public concerné'), attrs: { id: 'b', key: 'public' } },
        emptySection('c', 'Ajout'),
      ],
    });

  it('come back, with the same id and key, when a person’s change removes one', () => {
    const ydoc = fiche();
    guardRequiredSections(ydoc, required, (tr) => tr.origin === 'personne');
    ydoc.transact(() => ydoc.getXmlFragment(FRAGMENT).delete(1, 1), 'personne');
    const sections = sectionsOf(ydocToNode(ydoc));
    expect(sections.map((s) => [s.id, s.key, s.title])).toEqual([
      ['a', 'identification', 'Identification'],
      ['b', 'public', 'Public concerné'],
      ['c', null, 'Ajout'],
    ]);
  });

  it('may be moved, and optional sections may be removed', () => {
    const ydoc = fiche();
    guardRequiredSections(ydoc, required, () => true);
    const fragment = ydoc.getXmlFragment(FRAGMENT);
    ydoc.transact(() => {
      const moved = (fragment.get(1) as Y.XmlElement).clone();
      fragment.delete(1, 1);
      fragment.insert(2, [moved]);
    });
    ydoc.transact(() => fragment.delete(1, 1));
    expect(sectionsOf(ydocToNode(ydoc)).map((s) => s.key)).toEqual(['identification', 'public']);
  });
});

describe('a section’s hash', () => {
  it('is the SHA-256, in lowercase hexadecimal, of its title and content as JSON, accents and emoji included', async () => {
    const section = schema.nodeFromJSON({
      type: 'section',
      attrs: { id: 'hash-1', key: null },
      content: [
        { type: 'sectionTitle', content: [{ type: 'text', text: 'Origine : « Café » — 🐝' }] },
        { type: 'paragraph', content: [{ type: 'text', text: 'Écrit à Besançon, en 2019.' }] },
      ],
    });
    const content = JSON.stringify((section.toJSON() as { content?: unknown }).content ?? []);
    // The platform's own SHA-256 (Web Crypto, in Node and the browser alike) as the reference.
    const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(content)));
    const hex = Array.from(digest, (byte) => byte.toString(16).padStart(2, '0')).join('');
    expect(sectionHash(section)).toBe(hex);
    expect(sectionHash(section)).toMatch(/^[0-9a-f]{64}$/);
  });
});
