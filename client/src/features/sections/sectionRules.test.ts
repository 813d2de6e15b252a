import { describe, expect, it } from 'vitest';
import type { Node as PMNode } from '@tiptap/pm/model';
import { customSectionPrompt, ficheTemplate, syntheseTemplate } from '@essaim/domain';
import { emptySection, schema, templateContent, type DocJSON } from '@essaim/editor';
import {
  findSection,
  isRequiredSection,
  isSectionEmpty,
  outlineOf,
  placeholderAt,
  removedRequiredKeys,
  sectionActions,
  sectionIdAt,
  sectionPrompt,
} from './sectionRules.js';

/** The value, or a failed test when it is missing. */
function must<T>(value: T | null | undefined): T {
  if (value === null || value === undefined) throw new Error('valeur absente');
  return value;
}

let counter = 0;
const newId = () => `s${++counter}`;

function ficheDoc(extra: DocJSON[] = []): PMNode {
  const json = templateContent(ficheTemplate, newId);
  return schema.nodeFromJSON({ ...json, content: [...(json.content ?? []), ...extra] });
}

/** The document with some text in the first paragraph of the section `key`. */
function withText(doc: PMNode, key: string, text: string): PMNode {
  const json = doc.toJSON() as DocJSON;
  const section = json.content?.find((s) => s.attrs?.key === key);
  const paragraph = section?.content?.find((c) => c.type === 'paragraph');
  if (paragraph) paragraph.content = [{ type: 'text', text }];
  return schema.nodeFromJSON(json);
}

/** Position just before the first node of `type` inside the section `key`. */
function posOf(doc: PMNode, key: string, type: string, nth = 0): number {
  let found = -1;
  let seen = 0;
  doc.forEach((section, offset) => {
    if (section.attrs.key !== key) return;
    section.forEach((child, childOffset) => {
      if (found === -1 && child.type.name === type && seen++ === nth) found = offset + 1 + childOffset;
    });
  });
  return found;
}

const words = { sectionTitle: 'Titre de la section' };

describe('required sections and what their menus offer', () => {
  it('reads the required flag from the template, never for added sections', () => {
    expect(isRequiredSection('fiche', 'identification')).toBe(true);
    expect(isRequiredSection('fiche', 'crise-sanitaire')).toBe(false);
    expect(isRequiredSection('fiche', null)).toBe(false);
    expect(isRequiredSection('synthese', 'annexes')).toBe(true);
  });

  it('offers « Supprimer » only for sections that may go, and says why not', () => {
    expect(sectionActions('fiche', { key: 'identification', index: 0 }, 13)).toEqual({
      canAddAfter: true,
      canMoveUp: false,
      canMoveDown: true,
      canRemove: false,
      removeBlocked: 'required',
    });
    expect(sectionActions('fiche', { key: 'regards-croises', index: 12 }, 13)).toMatchObject({
      canMoveUp: true,
      canMoveDown: false,
      canRemove: true,
      removeBlocked: null,
    });
    expect(sectionActions('fiche', { key: null, index: 0 }, 1)).toMatchObject({
      canRemove: false,
      removeBlocked: 'last',
    });
  });

  it('refuses changes that lose a required section, not those that move it or drop an optional one', () => {
    const doc = ficheDoc();
    const json = doc.toJSON() as DocJSON;
    const sections = json.content ?? [];
    const rebuilt = (content: DocJSON[]) => schema.nodeFromJSON({ ...json, content });
    const without = (key: string) => rebuilt(sections.filter((s) => s.attrs?.key !== key));
    expect(removedRequiredKeys('fiche', doc, without('origine'))).toEqual(['origine']);
    expect(removedRequiredKeys('fiche', doc, without('crise-sanitaire'))).toEqual([]);
    // Moved: the same section, elsewhere.
    const [first, second, ...rest] = sections;
    expect(removedRequiredKeys('fiche', doc, rebuilt([must(second), must(first), ...rest]))).toEqual([]);
    // Two sections merged by a deletion across them: the second one's key is gone.
    const merged = { ...must(first), content: [...(must(first).content ?? []), { type: 'paragraph' }] };
    expect(removedRequiredKeys('fiche', doc, rebuilt([merged, ...rest]))).toEqual(['origine']);
  });
});

describe('prompts of empty sections', () => {
  it('shows the template prompt in the first empty paragraph of an empty section', () => {
    const doc = ficheDoc();
    const prompt = must(ficheTemplate.sections[0]).prompt;
    expect(placeholderAt(doc, posOf(doc, 'identification', 'paragraph'), 'fiche', words)).toBe(prompt);
    expect(sectionPrompt('fiche', 'identification')).toBe(prompt);
  });

  it('shows it under the first subheading of sections that start with subheadings', () => {
    const doc = ficheDoc();
    const evaluation = must(ficheTemplate.sections.find((s) => s.key === 'evaluation'));
    expect(placeholderAt(doc, posOf(doc, 'evaluation', 'paragraph', 0), 'fiche', words)).toBe(
      evaluation.prompt,
    );
    expect(placeholderAt(doc, posOf(doc, 'evaluation', 'paragraph', 1), 'fiche', words)).toBe('');
    expect(placeholderAt(doc, posOf(doc, 'evaluation', 'heading', 0), 'fiche', words)).toBe('');
  });

  it('hides the prompt as soon as something is written in the section', () => {
    const doc = withText(ficheDoc(), 'identification', 'Des conférences familiales.');
    const section = must(findSection(doc, doc.child(0).attrs.id as string)).node;
    expect(isSectionEmpty(section)).toBe(false);
    expect(placeholderAt(doc, posOf(doc, 'identification', 'paragraph'), 'fiche', words)).toBe('');
  });

  it('uses the generic prompt for added sections and a hint in an empty title', () => {
    const added = emptySection('ajoutee', '');
    added.content = [{ type: 'sectionTitle' }, { type: 'paragraph' }];
    const doc = ficheDoc([added]);
    const last = doc.child(doc.childCount - 1);
    const lastPos = doc.content.size - last.nodeSize;
    expect(placeholderAt(doc, lastPos + 1, 'fiche', words)).toBe('Titre de la section');
    expect(placeholderAt(doc, lastPos + 1 + last.child(0).nodeSize, 'fiche', words)).toBe(
      customSectionPrompt,
    );
  });

  it('never prompts outside sections or for nested paragraphs', () => {
    const doc = schema.nodeFromJSON({ type: 'doc', content: [{ type: 'paragraph' }] });
    expect(placeholderAt(doc, 0, 'fiche', words)).toBe('');
  });
});

describe('the outline', () => {
  it('lists the sections in order, with their titles, the empty ones and the required ones', () => {
    const doc = withText(ficheDoc(), 'origine', 'Un besoin repéré en 2018.');
    const outline = outlineOf(doc, 'fiche');
    expect(outline).toHaveLength(13);
    expect(outline.map((e) => e.title)).toEqual(ficheTemplate.sections.map((s) => s.title));
    expect(outline.filter((e) => !e.empty).map((e) => e.key)).toEqual(['origine']);
    expect(outline.filter((e) => !e.required).map((e) => e.key)).toEqual([
      'crise-sanitaire',
      'regards-croises',
    ]);
    expect(outline[4]?.index).toBe(4);
  });

  it('finds the section around a position', () => {
    const doc = schema.nodeFromJSON(templateContent(syntheseTemplate, newId));
    const second = doc.child(1);
    expect(sectionIdAt(doc, doc.child(0).nodeSize + 3)).toBe(second.attrs.id);
    expect(findSection(doc, String(second.attrs.id))?.index).toBe(1);
    expect(findSection(doc, 'inconnue')).toBeNull();
  });
});
