import type { Node as PMNode } from '@tiptap/pm/model';
import { estimatePages, FICHE_PAGE_TARGET } from '@essaim/domain';
import { countBlocks } from '@essaim/editor';
import { memoByObject } from '../../shared/memoByObject.js';

/** The length of a document as the page estimate counts it. */
export function documentLength(doc: PMNode): { characters: number; blocks: number } {
  return { characters: doc.textContent.length, blocks: countBlocks(doc) };
}

export type PageStatus = 'short' | 'target' | 'long';

/** Where an estimate stands against the fiche's target of 4 to 5 pages. */
export function pageStatus(
  pages: number,
  target: { min: number; max: number } = FICHE_PAGE_TARGET,
): PageStatus {
  if (pages < target.min) return 'short';
  if (pages > target.max) return 'long';
  return 'target';
}

/**
 * Estimated pages of a document (one decimal), counted as the server does: characters of text,
 * titles included, and tables and images, which take room without adding characters. Remembered
 * per document: caret moves do not walk it again.
 */
export const documentPages = memoByObject((doc: PMNode): number => {
  const { characters, blocks } = documentLength(doc);
  return estimatePages(characters, blocks);
});

/**
 * « ≈ 3,4 pages », « ≈ 0,6 page »: the domain's one wording of an estimate, the catalogue's too
 * (issue 16: the gauge said « ≈ 0,2 pages » where the catalogue said « ≈ 0,6 page »).
 */
export { formatPageEstimate as formatPages } from '@essaim/domain';
