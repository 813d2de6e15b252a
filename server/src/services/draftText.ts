import type { SectionSummary } from '@essaim/editor';
import type { Node as PMNode } from '@tiptap/pm/model';
import type { DraftEntryContent } from '../storage/draftSearchRepository.js';
import { frenchStem, frenchWords } from './frenchText.js';

/**
 * The text the draft search keeps of a document's sections, and its French stems: pure functions
 * of a ProseMirror node, shared by the server (`draftSearchService.ts`) and the indexing worker
 * (`collab/offloadWorker.ts`), which must not load the search service's other dependencies
 * (publication rendering, sanitizing).
 */

/** Text of inline leaves: line breaks, the note of a footnote (after its call), a link to a document. */
function leafText(leaf: PMNode): string {
  switch (leaf.type.name) {
    case 'hardBreak':
      return '\n';
    case 'footnote':
      return ` (${String(leaf.attrs.text)})`;
    case 'docRef':
      return String(leaf.attrs.title);
    default:
      return '';
  }
}

/** The plain text of a section node without its title: one block per line (tables cell by cell). */
export function sectionText(section: PMNode): string {
  const blocks: string[] = [];
  section.forEach((block) => {
    if (block.type.name === 'sectionTitle') return;
    const text = block.isLeaf ? '' : block.textBetween(0, block.content.size, '\n', leafText);
    if (text.trim()) blocks.push(text);
  });
  return blocks.join('\n');
}

/** Words whose stem is kept (a group's texts share most of their vocabulary); emptied when full. */
const STEM_CACHE_WORDS = 100_000;
const stemCache = new Map<string, string>();

/** {@link frenchStem} of a word in lower case (as `frenchWords` gives it), remembered. */
export function stemOf(word: string): string {
  let stem = stemCache.get(word);
  if (stem === undefined) {
    if (stemCache.size >= STEM_CACHE_WORDS) stemCache.clear();
    stem = frenchStem(word);
    stemCache.set(word, stem);
  }
  return stem;
}

/**
 * `frenchStems(text)` (the stems the index keeps, frenchText.ts), each word's stem remembered:
 * the same string, several times faster on a group's texts, whose words come back.
 */
export function cachedStems(text: string): string {
  return frenchWords(text).map(stemOf).join(' ');
}

/** What the index keeps of a section: its title, its text ({@link sectionText}) and their stems. */
export function sectionContent(title: string, section: PMNode | undefined): DraftEntryContent {
  const text = section ? sectionText(section) : '';
  return { title, text, stems: { title: cachedStems(title), body: cachedStems(text) } };
}

/**
 * The index content of every section of `doc`, by section id (`summaries`: `sectionsOf(doc)`, in
 * document order): what the indexing worker computes for all sections, the main thread then writing
 * only those whose hash changed.
 */
export function sectionContents(
  doc: PMNode,
  summaries: readonly SectionSummary[],
): Record<string, DraftEntryContent> {
  const out: Record<string, DraftEntryContent> = {};
  let i = 0;
  doc.forEach((child) => {
    if (child.type.name !== 'section') return;
    const summary = summaries[i++];
    if (summary) out[summary.id] = sectionContent(summary.title, child);
  });
  return out;
}
