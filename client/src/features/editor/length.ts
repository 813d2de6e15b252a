import type { Node as PMNode } from '@tiptap/pm/model';
import { estimatePages, FICHE_PAGE_TARGET } from '@essaim/domain';

/**
 * The length of a document as the page estimate counts it: characters of text (titles included,
 * as in `sectionsOf` on the server) and the tables and images, which take room on a page without
 * adding characters.
 */
export function documentLength(doc: PMNode): { characters: number; blocks: number } {
  let blocks = 0;
  doc.descendants((node) => {
    if (node.type.name === 'table' || node.type.name === 'image') blocks++;
    return node.type.name !== 'table';
  });
  return { characters: doc.textContent.length, blocks };
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

/** Estimated pages of a document (one decimal). */
export function documentPages(doc: PMNode): number {
  const { characters, blocks } = documentLength(doc);
  return estimatePages(characters, blocks);
}

const decimal = new Intl.NumberFormat('fr-FR', { minimumFractionDigits: 1, maximumFractionDigits: 1 });

/** « 3,4 »: a page count as French readers write it. */
export const formatPages = (pages: number): string => decimal.format(pages);
