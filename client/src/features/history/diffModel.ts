import type {
  DiffListLevelDto,
  DiffPartDto,
  DocumentDiffDto,
  MetadataChangeDto,
  SectionDiffDto,
  VersionAuthorDto,
} from '@essaim/protocol';
/** One list a block is in: bullet or ordered, its item's number, whether the block starts the item. */
export type ListLevel = DiffListLevelDto;

/** A list in the drawing of a section: its items, each with the blocks (and lists) it holds. */
export interface ListNode {
  kind: 'list';
  ordered: boolean;
  items: { number: number; content: FlowNode[] }[];
}

/** What a section draws, in order: blocks (by index in `SectionView.blocks`) and lists of them. */
export type FlowNode = { kind: 'block'; block: number } | ListNode;

/** How many author colours the stylesheet has (`.essaim-history-author--0` … `--7`); more cycle. */
export const AUTHOR_COLOURS = 8;

/** A run of unchanged text in a block. */
export interface EqualRun {
  kind: 'equal';
  text: string;
}

/** A run of inserted or deleted text in a block, with who wrote the change. */
export interface ChangeRun {
  kind: 'insert' | 'delete';
  text: string;
  author: VersionAuthorDto | null;
  /** Index of the author's colour (0 … {@link AUTHOR_COLOURS} − 1), null when the author is unknown. */
  colour: number | null;
  /**
   * The change is a paragraph break (a block split in two, or two blocks joined): `text` is empty
   * and the run is drawn as a mark at the end of the block.
   */
  paragraphBreak: boolean;
}

export type DiffRun = EqualRun | ChangeRun;

/** A compared section ready to draw: its blocks, each a list of runs. */
export interface SectionView {
  id: string;
  title: string;
  status: SectionDiffDto['status'];
  changes: number;
  /** The title line, when the title itself changed (else the heading shows it and it is left out). */
  titleChange: DiffRun[] | null;
  /** The section's blocks, title line excluded. */
  blocks: DiffRun[][];
  /** The blocks in order, those in lists grouped into (nested) lists ({@link listFlow}). */
  flow: FlowNode[];
}

/** One line of the legend: an author and their colour, or « unknown ». */
export interface LegendEntry {
  author: VersionAuthorDto | null;
  colour: number | null;
}

/** What the compare view draws, computed once from the server's answer. */
export interface DiffView {
  /** Changed, added and removed sections, in the server's order. */
  changed: SectionView[];
  unchanged: SectionView[];
  /** Insertions and deletions over all sections (the sections' `changes` summed). */
  changeCount: number;
  /** Every author of a change, in the server's order, then « unknown » when some change has none. */
  legend: LegendEntry[];
  metadata: MetadataChangeDto[];
}

/** Colours by author id, in the order of the diff's `authors` (the legend's order). */
class Colours {
  private readonly byId = new Map<string, number>();
  constructor(authors: readonly VersionAuthorDto[]) {
    for (const author of authors) this.of(author);
  }
  /** The author's colour; an author missing from the diff's list gets the next one. */
  of(author: VersionAuthorDto): number {
    let index = this.byId.get(author.id);
    if (index === undefined) {
      index = this.byId.size;
      this.byId.set(author.id, index);
    }
    return index % AUTHOR_COLOURS;
  }
}

const sameAuthor = (a: VersionAuthorDto | null, b: VersionAuthorDto | null) =>
  (a?.id ?? null) === (b?.id ?? null);

/** Appends a run, merging it into the previous one when they are the same kind and author. */
function pushRun(block: DiffRun[], run: DiffRun): void {
  const last = block.at(-1);
  if (last && last.kind === run.kind) {
    if (last.kind === 'equal') {
      last.text += run.text;
      return;
    }
    const change = run as ChangeRun;
    if (!last.paragraphBreak && !change.paragraphBreak && sameAuthor(last.author, change.author)) {
      last.text += change.text;
      return;
    }
  }
  block.push(run);
}

/**
 * Cuts a section's parts into blocks: the texts separate blocks with `\n` (contract of
 * `SectionDiffDto.parts`). A `\n` inside an insertion or a deletion is a paragraph break someone
 * made or removed: it ends the block with a {@link ChangeRun} whose `paragraphBreak` is set, so the
 * break is shown as a change too. Adjacent runs of the same kind and author are merged; empty runs
 * are dropped. Always at least one block.
 */
export function blocksOf(
  parts: readonly DiffPartDto[],
  colours: { of(a: VersionAuthorDto): number },
): DiffRun[][] {
  const blocks: DiffRun[][] = [[]];
  for (const part of parts) {
    const pieces = part.text.split('\n');
    pieces.forEach((piece, i) => {
      const block = blocks[blocks.length - 1] as DiffRun[];
      const colour = part.author ? colours.of(part.author) : null;
      if (piece) {
        if (part.kind === 'equal') pushRun(block, { kind: 'equal', text: piece });
        else
          pushRun(block, {
            kind: part.kind,
            text: piece,
            author: part.author,
            colour,
            paragraphBreak: false,
          });
      }
      if (i === pieces.length - 1) return;
      if (part.kind !== 'equal')
        block.push({ kind: part.kind, text: '', author: part.author, colour, paragraphBreak: true });
      blocks.push([]);
    });
  }
  return blocks;
}

/**
 * For each block {@link blocksOf} cuts from `parts` (same count, same order): the side its text is
 * read from and its line there (0: the title line), counting the `\n` of equal and delete parts
 * for `from`, of equal and insert parts for `to`. A block is read from `to` when it has unchanged
 * or inserted text, from `from` when it only has deleted text; an empty block from the side of the
 * line break that opened it.
 */
export function blockLines(parts: readonly DiffPartDto[]): { side: 'from' | 'to'; line: number }[] {
  const blocks = [{ from: 0, to: 0, opened: 'equal' as DiffPartDto['kind'], newText: false, oldText: false }];
  let from = 0;
  let to = 0;
  for (const part of parts) {
    const pieces = part.text.split('\n');
    pieces.forEach((piece, i) => {
      const block = blocks[blocks.length - 1] as (typeof blocks)[number];
      if (piece && part.kind === 'delete') block.oldText = true;
      else if (piece) block.newText = true;
      if (i === pieces.length - 1) return;
      if (part.kind !== 'insert') from++;
      if (part.kind !== 'delete') to++;
      blocks.push({ from, to, opened: part.kind, newText: false, oldText: false });
    });
  }
  return blocks.map((b) => {
    const side = b.newText ? 'to' : b.oldText || b.opened === 'delete' ? 'from' : 'to';
    return { side, line: side === 'to' ? b.to : b.from };
  });
}

/**
 * The lists each block of a section is in (outermost first; empty outside lists), from the
 * section's `lists` and {@link blockLines}.
 */
export function blockListLevels(section: SectionDiffDto): ListLevel[][] {
  const lists = section.lists;
  const lines = blockLines(section.parts);
  if (!lists) return lines.map(() => []);
  const bySide = {
    from: new Map(lists.from.map((l) => [l.line, l.lists])),
    to: new Map(lists.to.map((l) => [l.line, l.lists])),
  };
  return lines.map(({ side, line }) => bySide[side].get(line) ?? []);
}

/**
 * Groups blocks into the lists they are in, nested as in the document: a block whose innermost
 * level starts an item (`first`) opens a new item of the list open at that depth (the same list
 * while its kind is the same), a later block of the item goes into it; a block outside lists
 * closes them all. `levels[i]` are block i's lists (see {@link blockListLevels}).
 */
export function listFlow(levels: readonly ListLevel[][]): FlowNode[] {
  const root: FlowNode[] = [];
  const open: ListNode[] = [];
  const contentAt = (depth: number): FlowNode[] =>
    depth === 0 ? root : ((open[depth - 1] as ListNode).items.at(-1) as ListNode['items'][number]).content;
  levels.forEach((path, block) => {
    let depth = 0;
    while (
      depth < open.length &&
      depth < path.length &&
      (open[depth] as ListNode).ordered === (path[depth] as ListLevel).ordered &&
      !(path[depth] as ListLevel).first
    )
      depth++;
    const level = path[depth];
    const list = open[depth];
    if (level && list && list.ordered === level.ordered) {
      // A new item of the list open at this depth.
      open.length = depth + 1;
      list.items.push({ number: level.number, content: [] });
      depth++;
    } else open.length = depth;
    for (; depth < path.length; depth++) {
      const { ordered, number } = path[depth] as ListLevel;
      const node: ListNode = { kind: 'list', ordered, items: [{ number, content: [] }] };
      contentAt(depth).push(node);
      open.push(node);
    }
    contentAt(path.length).push({ kind: 'block', block });
  });
  return root;
}

const isChange = (run: DiffRun): run is ChangeRun => run.kind !== 'equal';

/** The text of a block on one side: the older (equal + deleted) or the newer (equal + inserted). */
const sideText = (block: DiffRun[], side: 'old' | 'new') =>
  block
    .filter((run) => run.kind === 'equal' || run.kind === (side === 'old' ? 'delete' : 'insert'))
    .map((run) => run.text)
    .join('');

/**
 * Takes the title line out of a section's blocks. The compare engine writes a section's title as
 * its first line (packages/editor/src/versionDiff.ts), so a renamed section shows as a change; the
 * line is recognised by its text (the newer title, or the older one for a removed section), so a
 * section compared without its title keeps all its blocks. An unchanged title line is dropped (the
 * heading shows it); a changed one is returned apart.
 */
export function splitTitleLine(
  blocks: DiffRun[][],
  title: string,
): { titleChange: DiffRun[] | null; blocks: DiffRun[][] } {
  const first = blocks[0];
  const wanted = title.trim();
  if (!first || blocks.length < 2) return { titleChange: null, blocks };
  const matches = sideText(first, 'new').trim() === wanted || sideText(first, 'old').trim() === wanted;
  if (!matches) return { titleChange: null, blocks };
  // The break after the title belongs to the section's first block, not to the title.
  const line = first.filter((run) => !(isChange(run) && run.paragraphBreak));
  const changed = line.some(isChange);
  return { titleChange: changed ? line : null, blocks: blocks.slice(1) };
}

/**
 * The compare view's model from `GET /api/documents/:id/diff`: sections with changes first (in
 * the server's order), then the unchanged ones; each section's title line set apart
 * ({@link splitTitleLine}) and its text cut into blocks of runs with
 * one colour per author (the order of `diff.authors`, cycling after {@link AUTHOR_COLOURS}); the
 * legend; the count of changes. Pure: the same answer always gives the same model.
 */
export function diffView(diff: DocumentDiffDto, untitled: string): DiffView {
  const colours = new Colours(diff.authors);
  const changed: SectionView[] = [];
  const unchanged: SectionView[] = [];
  let unknownAuthor = false;
  for (const section of diff.sections) {
    const all = blocksOf(section.parts, colours);
    if (all.some((block) => block.some((run) => isChange(run) && run.author === null))) unknownAuthor = true;
    const { titleChange, blocks } = splitTitleLine(all, section.title);
    const levels = blockListLevels(section);
    const view: SectionView = {
      id: section.id,
      title: section.title.trim() || untitled,
      status: section.status,
      changes: section.changes,
      titleChange,
      blocks,
      flow: listFlow(blocks.length === all.length ? levels : levels.slice(1)),
    };
    if (section.status === 'unchanged') unchanged.push(view);
    else changed.push(view);
  }
  const legend: LegendEntry[] = diff.authors.map((author) => ({ author, colour: colours.of(author) }));
  // Authors met in the parts but missing from `authors` are still told apart in the legend.
  for (const section of diff.sections)
    for (const part of section.parts)
      if (part.kind !== 'equal' && part.author && !legend.some((e) => e.author?.id === part.author?.id))
        legend.push({ author: part.author, colour: colours.of(part.author) });
  if (unknownAuthor) legend.push({ author: null, colour: null });
  return {
    changed,
    unchanged,
    changeCount: changed.reduce((sum, s) => sum + s.changes, 0),
    legend,
    metadata: diff.metadata,
  };
}
