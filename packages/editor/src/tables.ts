import { callOrReturn, getExtensionField, mergeAttributes, Node, type AnyExtension } from '@tiptap/core';
import { TableCell } from '@tiptap/extension-table/cell';
import { TableHeader } from '@tiptap/extension-table/header';
import { TableRow } from '@tiptap/extension-table/row';
import type { DOMOutputSpec, Node as ProseMirrorNode } from '@tiptap/pm/model';
import type { NodeView, ViewMutationRecord } from '@tiptap/pm/view';

/**
 * Tables in the schema without their editing behaviour.
 *
 * `@tiptap/extension-table`'s `Table` node imports prosemirror-tables (cell selection, column
 * resizing, row and column commands: ≈ 15 KB gzipped) for behaviour the first drawing of a
 * document does not need. The node written here is the schema part of Tiptap 3.31.3's `Table`
 * configured with `resizable: false` (same name, content, group, `isolating`, `tableRole`, HTML
 * parsing and rendering, node view), so documents, the server and the browser share the same
 * schema (checked against `TableKit` by `tables.test.ts`). The cell, header and row nodes are
 * Tiptap's own, imported from their subpaths, which do not import prosemirror-tables.
 *
 * The browser adds the behaviour once its chunk has arrived
 * (client/src/features/editor/tableBehaviour.ts: `tableEditing`, the table keys, the commands of
 * the toolbar).
 */

/** Minimum width of a column without a stored width, in CSS pixels (Tiptap's default). */
export const TABLE_CELL_MIN_WIDTH = 25;

interface BareTableOptions {
  HTMLAttributes: Record<string, unknown>;
  cellMinWidth: number;
}

/** `[property, value]` of a `<col>`: its stored width (at least `minWidth`) or `minWidth` as minimum. */
function colStyle(minWidth: number, width: number | undefined): [string, string] {
  if (width) return ['width', `${Math.max(width, minWidth)}px`];
  return ['min-width', `${minWidth}px`];
}

/** Stored width of column `j` of a cell (`colwidth` attribute), or undefined. */
function cellColWidth(cell: ProseMirrorNode, j: number): number | undefined {
  const colwidth = cell.attrs.colwidth as (number | null)[] | null;
  return (colwidth && colwidth[j]) || undefined;
}

/**
 * The `<colgroup>` of a table and its width, as Tiptap's `createColGroup` writes them (one `<col>`
 * per column of the first row; a fixed width when every column has one, a minimum width otherwise).
 */
function createColGroup(
  node: ProseMirrorNode,
  cellMinWidth: number,
): { colgroup: DOMOutputSpec; tableWidth: string; tableMinWidth: string } | null {
  const row = node.firstChild;
  if (!row) return null;
  let totalWidth = 0;
  let fixedWidth = true;
  const cols: DOMOutputSpec[] = [];
  for (let i = 0; i < row.childCount; i += 1) {
    const cell = row.child(i);
    const colspan = cell.attrs.colspan as number;
    for (let j = 0; j < colspan; j += 1) {
      const width = cellColWidth(cell, j);
      totalWidth += width || cellMinWidth;
      if (!width) fixedWidth = false;
      const [property, value] = colStyle(cellMinWidth, width);
      cols.push(['col', { style: `${property}: ${value}` }]);
    }
  }
  return {
    colgroup: ['colgroup', {}, ...cols],
    tableWidth: fixedWidth ? `${totalWidth}px` : '',
    tableMinWidth: fixedWidth ? '' : `${totalWidth}px`,
  };
}

/** Brings the `<col>` elements and the table's width in line with `node` (Tiptap's `updateColumns`). */
function updateColumns(
  node: ProseMirrorNode,
  colgroup: HTMLTableColElement,
  table: HTMLTableElement,
  cellMinWidth: number,
): void {
  let totalWidth = 0;
  let fixedWidth = true;
  let nextDOM = colgroup.firstChild as HTMLTableColElement | null;
  const row = node.firstChild;
  if (row !== null) {
    for (let i = 0; i < row.childCount; i += 1) {
      const cell = row.child(i);
      const colspan = cell.attrs.colspan as number;
      for (let j = 0; j < colspan; j += 1) {
        const width = cellColWidth(cell, j);
        const cssWidth = width ? `${width}px` : '';
        totalWidth += width || cellMinWidth;
        if (!width) fixedWidth = false;
        if (!nextDOM) {
          const col = document.createElement('col');
          const [property, value] = colStyle(cellMinWidth, width);
          col.style.setProperty(property, value);
          colgroup.appendChild(col);
        } else {
          if (nextDOM.style.width !== cssWidth) {
            const [property, value] = colStyle(cellMinWidth, width);
            nextDOM.style.setProperty(property, value);
          }
          nextDOM = nextDOM.nextSibling as HTMLTableColElement | null;
        }
      }
    }
  }
  while (nextDOM) {
    const after = nextDOM.nextSibling as HTMLTableColElement | null;
    nextDOM.remove();
    nextDOM = after;
  }
  const style = node.attrs.style as unknown;
  const hasUserWidth = typeof style === 'string' && /\bwidth\s*:/i.test(style);
  if (fixedWidth && !hasUserWidth) {
    table.style.width = `${totalWidth}px`;
    table.style.minWidth = '';
  } else {
    table.style.width = '';
    table.style.minWidth = `${totalWidth}px`;
  }
}

/**
 * Tiptap's `TableView` (the node view of a table that is not resizable): a `div.tableWrapper`
 * holding the table, whose `<colgroup>` follows the columns as they are added or removed.
 */
class TableView implements NodeView {
  dom: HTMLDivElement;
  contentDOM: HTMLTableSectionElement;
  private readonly table: HTMLTableElement;
  private readonly colgroup: HTMLTableColElement;

  constructor(
    private node: ProseMirrorNode,
    private readonly cellMinWidth: number,
    HTMLAttributes: Record<string, unknown>,
  ) {
    this.dom = document.createElement('div');
    this.dom.className = 'tableWrapper';
    this.table = this.dom.appendChild(document.createElement('table'));
    for (const [key, value] of Object.entries(HTMLAttributes)) {
      if (value === undefined || value === null) continue;
      if (key === 'style') this.table.style.cssText = String(value);
      else this.table.setAttribute(key, String(value));
    }
    if (node.attrs.style) this.table.style.cssText = String(node.attrs.style);
    this.colgroup = this.table.appendChild(document.createElement('colgroup'));
    updateColumns(node, this.colgroup, this.table, cellMinWidth);
    this.contentDOM = this.table.appendChild(document.createElement('tbody'));
  }

  update(node: ProseMirrorNode): boolean {
    if (node.type !== this.node.type) return false;
    this.node = node;
    updateColumns(node, this.colgroup, this.table, this.cellMinWidth);
    return true;
  }

  ignoreMutation(mutation: ViewMutationRecord): boolean {
    if (mutation.type === 'selection') return false;
    const target = mutation.target;
    return this.dom.contains(target) && !this.contentDOM.contains(target);
  }
}

/**
 * The `table` node of Tiptap's `Table` (resizable: false), without prosemirror-tables. Its
 * `extendNodeSchema` gives every node its `tableRole` (read by prosemirror-tables once loaded).
 */
export const BareTable = Node.create<BareTableOptions>({
  name: 'table',

  addOptions() {
    return { HTMLAttributes: {}, cellMinWidth: TABLE_CELL_MIN_WIDTH };
  },

  content: 'tableRow+',

  tableRole: 'table',

  isolating: true,

  group: 'block',

  parseHTML() {
    return [{ tag: 'table' }];
  },

  renderHTML({ node, HTMLAttributes }) {
    const cols = createColGroup(node, this.options.cellMinWidth);
    const userStyle = HTMLAttributes.style as string | undefined;
    const style = userStyle
      ? userStyle
      : cols?.tableWidth
        ? `width: ${cols.tableWidth}`
        : `min-width: ${cols?.tableMinWidth}`;
    return [
      'table',
      mergeAttributes(this.options.HTMLAttributes, HTMLAttributes, { style }),
      cols?.colgroup,
      ['tbody', 0],
    ] as DOMOutputSpec;
  },

  addNodeView() {
    return ({ node, HTMLAttributes }) =>
      new TableView(
        node,
        this.options.cellMinWidth,
        mergeAttributes(this.options.HTMLAttributes, HTMLAttributes),
      );
  },

  extendNodeSchema(extension) {
    const context = { name: extension.name, options: extension.options, storage: extension.storage };
    return { tableRole: callOrReturn(getExtensionField(extension, 'tableRole', context)) };
  },
});

/**
 * The four table nodes of the shared schema (table, row, cell, header cell), with no editing
 * behaviour: what `TableKit.configure({ table: { resizable: false } })` puts in a schema.
 */
export function tableNodes(): AnyExtension[] {
  return [BareTable, TableCell, TableHeader, TableRow];
}
