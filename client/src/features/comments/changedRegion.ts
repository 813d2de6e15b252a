import type { Node as PMNode } from '@tiptap/pm/model';

/** Where two documents differ: `[from, toOld)` of the old one became `[from, toNew)` of the new one. */
export interface ChangedRegion {
  from: number;
  toOld: number;
  toNew: number;
}

/** The last pair compared by {@link changedRegion}, and its answer. */
let last: { before: PMNode; after: PMNode; region: ChangedRegion | null } | null = null;

/**
 * The smallest region outside which `before` and `after` are equal (the same common prefix and
 * suffix ProseMirror's view finds), or null when they are equal. Positions are document positions;
 * when the prefix and the suffix overlap (an insertion or a deletion next to equal characters) the
 * region starts at the end of the prefix. Cost: proportional to the compared text, nodes shared by
 * both documents skipped.
 */
export function changedRegion(before: PMNode, after: PMNode): ChangedRegion | null {
  if (before === after) return null;
  // The highlights and their painter ask for the same pair after each change: compared once.
  if (last && last.before === before && last.after === after) return last.region;
  const from = before.content.findDiffStart(after.content);
  let region: ChangedRegion | null = null;
  if (from !== null) {
    const end = before.content.findDiffEnd(after.content) ?? {
      a: before.content.size,
      b: after.content.size,
    };
    const overlap = Math.max(0, from - Math.min(end.a, end.b));
    region = { from, toOld: end.a + overlap, toNew: end.b + overlap };
  }
  last = { before, after, region };
  return region;
}

/**
 * Whether the change `region` (from `before` to `after`) lies inside one textblock of both
 * documents: text typed or deleted within a paragraph, which moves no block.
 */
export function insideOneTextblock(before: PMNode, after: PMNode, region: ChangedRegion): boolean {
  const inside = (doc: PMNode, from: number, to: number): boolean => {
    if (from < 0 || to > doc.content.size) return false;
    const $from = doc.resolve(from);
    return $from.parent.isTextblock && $from.sameParent(doc.resolve(to));
  };
  return inside(before, region.from, region.toOld) && inside(after, region.from, region.toNew);
}

/**
 * `[from, to]` widened to the whole textblocks its ends fall in (positions of `doc`): ProseMirror
 * draws a changed textblock's inline content again, so everything drawn inside it may have moved
 * in the page's DOM, not only the changed characters.
 */
export function widenToTextblocks(doc: PMNode, from: number, to: number): { from: number; to: number } {
  const size = doc.content.size;
  const $from = doc.resolve(Math.max(0, Math.min(from, size)));
  const $to = doc.resolve(Math.max(0, Math.min(to, size)));
  return {
    from: $from.parent.isTextblock ? $from.start() : $from.pos,
    to: $to.parent.isTextblock ? $to.end() : $to.pos,
  };
}
