import type { Node as PMNode } from '@tiptap/pm/model';
import { TableMap } from '@tiptap/pm/tables';
import { MarkdownSerializer, MarkdownSerializerState } from 'prosemirror-markdown';
import { exportMessages } from './messages.js';
import { safeHref, sectionTitle, type PreparedDocument } from './prepare.js';

type NodeSerializer = (state: MarkdownSerializerState, node: PMNode, parent: PMNode, index: number) => void;

/** Backticks that open and close inline code holding `text` (CommonMark §6.1). */
function backticks(text: string): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  return '`'.repeat(longest + 1);
}

/** Output written so far, past this many characters, moves out of a serializer's `out`. */
const SPILL_CHARS = 64 * 1024;
/** What a serializer still reads of its own output: the last few characters (blank line, `!`). */
const KEPT_CHARS = 16;

/**
 * A serializer state with what this file uses of its internals (prosemirror-markdown 1.13 marks
 * them `@internal`, unchanged since 1.0): its output `out`, and the constructor `serialize` calls.
 */
type State = MarkdownSerializerState & { out: string };
const State = MarkdownSerializerState as unknown as new (
  nodes: MarkdownSerializer['nodes'],
  marks: MarkdownSerializer['marks'],
  options: MarkdownSerializer['options'],
) => State;

/** The parts of each serializer state's output already moved out of its `out`, in order. */
const spilled = new WeakMap<MarkdownSerializerState, string[]>();

/**
 * Moves the output of `state` but its last characters into {@link spilled} once it is long.
 * prosemirror-markdown appends to one string and reads its last character after each block,
 * which makes V8 flatten the whole string each time: a fiche of megabytes took minutes (the time
 * grew with the square of the length). The serializer only ever reads the end of its output
 * (`atBlank`, `flushClose`, the `!` before a link), which stays in `out`.
 */
function spill(serializerState: MarkdownSerializerState): void {
  const state = serializerState as State;
  if (state.out.length < SPILL_CHARS) return;
  const parts = spilled.get(state) ?? [];
  parts.push(state.out.slice(0, -KEPT_CHARS));
  spilled.set(state, parts);
  state.out = state.out.slice(-KEPT_CHARS);
}

/**
 * `serializer.serialize(node, options)` in time linear in the output: the same state, the same
 * calls, with the output spilled as it grows ({@link spill}).
 */
function serialize(
  serializer: MarkdownSerializer,
  node: PMNode,
  options: { tightLists?: boolean } = {},
): string {
  const state = new State(serializer.nodes, serializer.marks, {
    ...serializer.options,
    ...options,
  });
  state.renderContent(node);
  return [...(spilled.get(state) ?? []), state.out].join('');
}

/**
 * A serializer for the shared schema, built on prosemirror-markdown's: sections as `##` titles,
 * headings 3 and 4 as `###` and `####`, footnotes as `[^n]` with their text at the end, links
 * to other documents as links (or their title), tables as GFM tables, underline as `<u>`.
 */
function serializer(prepared: PreparedDocument, notes: string[]): MarkdownSerializer {
  const cellText = (cell: PMNode): string =>
    serialize(md, cell, { tightLists: true }).trim().replace(/\|/g, '\\|').replace(/\n+/g, '<br>');
  const nodes: Record<string, NodeSerializer> = {
    section(state, node) {
      state.write(`## ${state.esc(sectionTitle(node))}`);
      state.closeBlock(node);
      node.forEach((child, _offset, index) => {
        if (child.type.name !== 'sectionTitle') state.render(child, node, index);
      });
    },
    sectionTitle() {
      // Written by `section`.
    },
    paragraph(state, node) {
      state.renderInline(node);
      state.closeBlock(node);
    },
    heading(state, node) {
      state.write(`${node.attrs.level === 4 ? '####' : '###'} `);
      state.renderInline(node, false);
      state.closeBlock(node);
    },
    blockquote(state, node) {
      state.wrapBlock('> ', null, node, () => state.renderContent(node));
    },
    codeBlock(state, node) {
      const runs = node.textContent.match(/`{3,}/g) ?? [];
      const fence = '`'.repeat(Math.max(3, ...runs.map((r) => r.length + 1)));
      state.write(`${fence}${typeof node.attrs.language === 'string' ? node.attrs.language : ''}\n`);
      state.text(node.textContent, false);
      state.ensureNewLine();
      state.write(fence);
      state.closeBlock(node);
    },
    horizontalRule(state, node) {
      state.write('---');
      state.closeBlock(node);
    },
    bulletList(state, node) {
      state.renderList(node, '  ', () => '- ');
    },
    orderedList(state, node) {
      const start = Math.max(1, Number(node.attrs.start ?? 1) || 1);
      const width = String(start + node.childCount - 1).length;
      state.renderList(node, ' '.repeat(width + 2), (i) => `${String(start + i).padStart(width)}. `);
    },
    listItem(state, node) {
      state.renderContent(node);
    },
    image(state, node) {
      const alt = String(node.attrs.alt ?? '').trim();
      const src = String(node.attrs.src ?? '');
      if (prepared.images.get(src))
        state.write(`![${state.esc(alt)}](${src.replace(/[()\s]/g, (c) => encodeURIComponent(c))})`);
      else state.write(`*${state.esc(exportMessages.missingImage(alt))}*`);
      state.closeBlock(node);
    },
    hardBreak(state, node, parent, index) {
      for (let i = index + 1; i < parent.childCount; i++) {
        if (parent.child(i).type !== node.type) {
          state.write('\\\n');
          return;
        }
      }
    },
    text(state, node) {
      state.text(node.text ?? '');
    },
    footnote(state, node) {
      notes.push(String(node.attrs.text ?? ''));
      state.write(`[^${notes.length}]`);
    },
    docRef(state, node) {
      const title = String(node.attrs.title ?? '');
      const id = node.attrs.documentId;
      const url = typeof id === 'string' ? safeHref(prepared.input.links(id)) : null;
      state.write(
        url
          ? `[${state.esc(title)}](${url.replace(/[()\s]/g, (c) => encodeURIComponent(c))})`
          : state.esc(title),
      );
    },
    table(state, node) {
      const map = TableMap.get(node);
      const grid: string[][] = [];
      for (let row = 0; row < map.height; row++) {
        const cells: string[] = [];
        for (let col = 0; col < map.width; col++) {
          const offset = map.map[row * map.width + col] ?? 0;
          const origin = map.findCell(offset);
          const cell = node.nodeAt(offset);
          // A merged cell's text is written once, in its top-left place; GFM has no spans.
          cells.push(cell && origin.left === col && origin.top === row ? cellText(cell) : '');
        }
        grid.push(cells);
      }
      const line = (cells: string[]) => `| ${cells.map((c) => c || ' ').join(' | ')} |`;
      const [header = [], ...rows] = grid;
      state.write([line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n'));
      state.closeBlock(node);
    },
  };
  // Every block written lets the output spill (a block ends where the serializer reads back).
  const spilling = Object.fromEntries(
    Object.entries(nodes).map(([name, write]): [string, NodeSerializer] => [
      name,
      (state, node, parent, index) => {
        write(state, node, parent, index);
        if (node.isBlock) spill(state);
      },
    ]),
  );
  const md: MarkdownSerializer = new MarkdownSerializer(
    spilling,
    {
      bold: { open: '**', close: '**', mixable: true, expelEnclosingWhitespace: true },
      italic: { open: '*', close: '*', mixable: true, expelEnclosingWhitespace: true },
      underline: { open: '<u>', close: '</u>', mixable: true, expelEnclosingWhitespace: true },
      strike: { open: '~~', close: '~~', mixable: true, expelEnclosingWhitespace: true },
      code: {
        open: (_state, _mark, parent, index) => backticks(parent.child(index).text ?? ''),
        close: (_state, _mark, parent, index) => backticks(parent.child(index - 1).text ?? ''),
        escape: false,
      },
      // An unsafe target (`javascript:`…) keeps its text in brackets, with an empty target.
      link: {
        open: () => '[',
        close: (_state, mark) =>
          `](${(safeHref(mark.attrs.href) ?? '').replace(/[()\s"]/g, (c) => encodeURIComponent(c))})`,
        mixable: true,
      },
    },
    // `<` and `>` too, so text that looks like HTML stays text.
    { hardBreakNodeName: 'hardBreak', strict: false, escapeExtraCharacters: /[<>]/g },
  );
  return md;
}

/**
 * The document as Markdown (CommonMark with GFM tables, strikethrough and footnotes): the title,
 * the draft or publication notice and the metadata first, then the sections. Tables keep their
 * grid (a merged cell's text is in its first place, GFM having no spans); a missing image reads
 * as its alternative text; images keep their `src` (the server's file address).
 */
export function documentToMarkdown(prepared: PreparedDocument): string {
  const notes: string[] = [];
  const md = serializer(prepared, notes);
  const esc = (text: string) => text.replace(/([\\`*_[\]<>#|~])/g, '\\$1');
  const head: string[] = [`# ${esc(prepared.title)}`, `*${esc(prepared.kindLabel)}*`];
  if (prepared.draftNotice) head.push(`> **${esc(prepared.draftNotice)}**`);
  if (prepared.publicationNotice) head.push(esc(prepared.publicationNotice));
  if (prepared.metadata.length > 0) {
    head.push(prepared.metadata.map((row) => `- **${esc(row.label)}** : ${esc(row.value)}`).join('\n'));
  }
  const body = serialize(md, prepared.doc, { tightLists: true }).trim();
  const footnotes = notes.map((text, i) => `[^${i + 1}]: ${esc(text)}`).join('\n');
  return `${[...head, body, ...(footnotes ? [footnotes] : [])].join('\n\n')}\n`;
}
