import type { Node as PMNode } from '@tiptap/pm/model';

/**
 * Tables and images in a node: they take room on a page without adding characters (the page
 * estimate, `estimatePages` in packages/domain). In a module of its own, apart from the sections'
 * hashes: the pages that count blocks (the length gauge) then do not bring SHA-256 with them.
 */
export function countBlocks(node: PMNode): number {
  let n = 0;
  node.descendants((child) => {
    if (child.type.name === 'table' || child.type.name === 'image') n++;
    return child.type.name !== 'table';
  });
  return n;
}
