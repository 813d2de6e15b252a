import type { Node as PMNode } from '@tiptap/pm/model';
import { customSectionPrompt, sectionTemplate, templates, type DocumentKindName } from '@essaim/domain';
import { memoByObject } from '../../shared/memoByObject.js';

/**
 * Pure rules about the sections of a document: which ones the template requires, what prompt an
 * empty one shows, what the outline lists. No editor, no DOM: unit-tested on plain ProseMirror
 * documents built from the shared schema.
 */

/** A section as the outline (« Sommaire ») and the section menus see it. */
export interface OutlineEntry {
  id: string;
  key: string | null;
  title: string;
  /** Nothing written yet: only the title and the template's subheadings. */
  empty: boolean;
  /** A template section that cannot be removed. */
  required: boolean;
  /** Position among the document's sections, from 0. */
  index: number;
}

/** Whether the template of `kind` requires the section made from `key` (never for added sections). */
export function isRequiredSection(kind: DocumentKindName, key: string | null): boolean {
  return sectionTemplate(kind, key)?.required ?? false;
}

/** Whether people may add their own sections to a document of this kind. */
export function allowsCustomSections(kind: DocumentKindName): boolean {
  return templates[kind].allowCustomSections;
}

/** The writing prompt an empty section shows: its template's, or the generic one for added sections. */
export function sectionPrompt(kind: DocumentKindName, key: string | null): string {
  return sectionTemplate(kind, key)?.prompt ?? customSectionPrompt;
}

/**
 * Whether nothing has been written in a section: every block after the title is an empty paragraph
 * or a heading (templates start some sections with subheadings, which are not writing).
 */
export function isSectionEmpty(section: PMNode): boolean {
  let empty = true;
  section.forEach((child, _offset, index) => {
    if (!empty || index === 0) return;
    if (child.type.name === 'heading') return;
    if (child.type.name === 'paragraph' && child.childCount === 0) return;
    empty = false;
  });
  return empty;
}

const idOf = (section: PMNode): string => (typeof section.attrs.id === 'string' ? section.attrs.id : '');
const keyOf = (section: PMNode): string | null =>
  typeof section.attrs.key === 'string' && section.attrs.key !== '' ? section.attrs.key : null;

/** The title text of a section (its first child). */
export function sectionTitleOf(section: PMNode): string {
  const first = section.firstChild;
  return first?.type.name === 'sectionTitle' ? first.textContent.trim() : '';
}

/** The sections of a document, in order, for the outline. */
export function outlineOf(doc: PMNode, kind: DocumentKindName): OutlineEntry[] {
  return outlines[kind](doc);
}

function computeOutline(doc: PMNode, kind: DocumentKindName): OutlineEntry[] {
  const entries: OutlineEntry[] = [];
  doc.forEach((child) => {
    if (child.type.name !== 'section') return;
    const key = keyOf(child);
    entries.push({
      id: idOf(child),
      key,
      title: sectionTitleOf(child),
      empty: isSectionEmpty(child),
      required: isRequiredSection(kind, key),
      index: entries.length,
    });
  });
  return entries;
}

/** One cache per kind: every section menu and the « Sommaire » read the outline on each change. */
const outlines: Record<DocumentKindName, (doc: PMNode) => OutlineEntry[]> = {
  fiche: memoByObject((doc: PMNode) => computeOutline(doc, 'fiche')),
  synthese: memoByObject((doc: PMNode) => computeOutline(doc, 'synthese')),
};

/** Where a section is: its node and its position before it, or null when no section has this id. */
export function findSection(doc: PMNode, id: string): { node: PMNode; pos: number; index: number } | null {
  let found: { node: PMNode; pos: number; index: number } | null = null;
  doc.forEach((child, offset, index) => {
    if (!found && child.type.name === 'section' && idOf(child) === id)
      found = { node: child, pos: offset, index };
  });
  return found;
}

/** The id of the section holding a position, or null outside any section. */
export function sectionIdAt(doc: PMNode, pos: number): string | null {
  const $pos = doc.resolve(Math.max(0, Math.min(pos, doc.content.size)));
  if ($pos.depth < 1) return null;
  const top = $pos.node(1);
  return top.type.name === 'section' ? idOf(top) : null;
}

/**
 * Template keys of required sections that `before` has and `after` lost. A transaction that
 * produces any is refused: a required section cannot disappear, neither from its menu nor by
 * selecting it and pressing Delete. Moving a section (removed and inserted again) keeps its key.
 */
export function removedRequiredKeys(kind: DocumentKindName, before: PMNode, after: PMNode): string[] {
  const keysIn = (doc: PMNode) => {
    const keys = new Set<string>();
    doc.forEach((child) => {
      const key = child.type.name === 'section' ? keyOf(child) : null;
      if (key && isRequiredSection(kind, key)) keys.add(key);
    });
    return keys;
  };
  const kept = keysIn(after);
  return [...keysIn(before)].filter((key) => !kept.has(key));
}

/**
 * The placeholder of the textblock at `pos` (the position just before it): the section's prompt
 * in the first empty paragraph of an empty section, a hint in an empty section title, nothing
 * elsewhere (an empty string shows nothing).
 */
export function placeholderAt(
  doc: PMNode,
  pos: number,
  kind: DocumentKindName,
  words: { sectionTitle: string },
): string {
  if (pos < 0 || pos > doc.content.size) return '';
  const $pos = doc.resolve(pos);
  const node = $pos.nodeAfter;
  const section = $pos.parent;
  if (!node || section.type.name !== 'section' || $pos.depth !== 1) return '';
  if (node.type.name === 'sectionTitle') return node.childCount === 0 ? words.sectionTitle : '';
  if (node.type.name !== 'paragraph' || node.childCount !== 0 || !isSectionEmpty(section)) return '';
  // Only the first empty paragraph of the section carries the prompt.
  let first = -1;
  section.forEach((child, _offset, index) => {
    if (first === -1 && child.type.name === 'paragraph' && child.childCount === 0) first = index;
  });
  return $pos.index() === first ? sectionPrompt(kind, keyOf(section)) : '';
}

/** Which actions a section's menu offers, and why « Supprimer » is not one of them. */
export interface SectionActionsState {
  canAddAfter: boolean;
  canMoveUp: boolean;
  canMoveDown: boolean;
  canRemove: boolean;
  /** Why the section cannot be removed, or null when it can. */
  removeBlocked: 'required' | 'last' | null;
}

export function sectionActions(
  kind: DocumentKindName,
  entry: Pick<OutlineEntry, 'key' | 'index'>,
  sectionCount: number,
): SectionActionsState {
  const required = isRequiredSection(kind, entry.key);
  const removeBlocked = required ? 'required' : sectionCount <= 1 ? 'last' : null;
  return {
    canAddAfter: allowsCustomSections(kind),
    canMoveUp: entry.index > 0,
    canMoveDown: entry.index < sectionCount - 1,
    canRemove: removeBlocked === null,
    removeBlocked,
  };
}
