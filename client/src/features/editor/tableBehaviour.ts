import { findParentNodeClosestToPos, type CommandProps, type Editor } from '@tiptap/core';
import type { Node as ProseMirrorNode, NodeType, Schema } from '@tiptap/pm/model';
import { keymap } from '@tiptap/pm/keymap';
import { TextSelection, type Command, type Plugin, type Transaction } from '@tiptap/pm/state';
import {
  addColumnAfter,
  addRowAfter,
  CellSelection,
  deleteColumn,
  deleteRow,
  deleteTable,
  goToNextCell,
  tableEditing,
} from '@tiptap/pm/tables';
import type { TableAction } from './lateBehaviour.js';

/*
 * The editing behaviour of tables, loaded after the first drawing (chunk `panels.lazy.ts`): the
 * schema's table nodes (packages/editor/src/tables.ts) have none, so prosemirror-tables is not
 * in the editor's first JavaScript. What Tiptap 3.31.3's `Table` extension (resizable: false)
 * adds, rewritten on prosemirror-tables' commands: the `tableEditing` plugin (cell selection,
 * arrow keys between cells, pasting cells, normalising tables changed by two people), its keys
 * (Tab / Shift+Tab between cells, Tab in the last cell adds a row, Backspace / Delete on every
 * cell removes the table) and the commands of the toolbar's « Tableau » group.
 */

/** The table, row, cell and header cell node types of `schema`. */
function tableTypes(schema: Schema): { table: NodeType; row: NodeType; cell: NodeType; header: NodeType } {
  const { table, tableRow, tableCell, tableHeader } = schema.nodes;
  if (!table || !tableRow || !tableCell || !tableHeader) throw new Error('schéma sans tableaux');
  return { table, row: tableRow, cell: tableCell, header: tableHeader };
}

/** A `rows` × `cols` table of empty cells, the first row of header cells (Tiptap's `createTable`). */
export function createTable(schema: Schema, rows: number, cols: number): ProseMirrorNode {
  const types = tableTypes(schema);
  const row = (type: NodeType) =>
    types.row.createChecked(
      null,
      Array.from({ length: cols }, () => type.createAndFill()).filter((cell) => cell !== null),
    );
  return types.table.createChecked(
    null,
    Array.from({ length: rows }, (_, index) => row(index === 0 ? types.header : types.cell)),
  );
}

/** Inserts a 3 × 3 table with a header row in place of the selection, the caret in its first cell. */
const insertTable: Command = (state, dispatch) => {
  if (dispatch) {
    const tr = state.tr;
    const offset = tr.selection.from + 1;
    tr.replaceSelectionWith(createTable(state.schema, 3, 3))
      .scrollIntoView()
      .setSelection(TextSelection.near(tr.doc.resolve(offset)));
    dispatch(tr);
  }
  return true;
};

/**
 * prosemirror-tables leaves the caret where it was after a row or column is removed, which can be
 * below the table: it is put back at the end of the table (Tiptap's `keepCursorInTable`).
 */
function keepingCaretInTable(command: Command): Command {
  return (state, dispatch, view) => {
    const table = findParentNodeClosestToPos(state.selection.$from, (node) => node.type.name === 'table');
    return command(
      state,
      dispatch &&
        ((tr: Transaction) => {
          if (table) {
            const tablePos = tr.mapping.map(table.pos);
            const still = findParentNodeClosestToPos(
              tr.selection.$from,
              (node) => node.type.name === 'table',
            );
            const node = tr.doc.nodeAt(tablePos);
            if (still?.pos !== tablePos && node)
              tr.setSelection(TextSelection.near(tr.doc.resolve(tablePos + node.nodeSize - 1), -1));
          }
          dispatch(tr);
        }),
      view,
    );
  };
}

const commands: Record<TableAction, Command> = {
  insertTable,
  addRowAfter,
  deleteRow: keepingCaretInTable(deleteRow),
  addColumnAfter,
  deleteColumn: keepingCaretInTable(deleteColumn),
  deleteTable,
};

/**
 * Runs a command of the toolbar's table group on `editor`, then gives the text the focus back.
 * Returns false when it cannot apply (the selection is not in a table, for instance).
 */
export function runTableAction(editor: Editor, action: TableAction): boolean {
  return editor.chain().focus().command(step(commands[action])).run();
}

/** Backspace / Delete with every cell of a table selected removes the table. */
const deleteTableWhenAllCellsSelected: Command = (state, dispatch) => {
  const { selection } = state;
  if (!(selection instanceof CellSelection)) return false;
  const first = selection.ranges[0];
  if (!first) return false;
  const table = findParentNodeClosestToPos(first.$from, (node) => node.type.name === 'table');
  let cells = 0;
  table?.node.descendants((node) => {
    if (node.type.name === 'table') return false;
    if (node.type.name === 'tableCell' || node.type.name === 'tableHeader') cells += 1;
    return true;
  });
  if (cells !== selection.ranges.length) return false;
  return deleteTable(state, dispatch);
};

/** A ProseMirror command as a step of a Tiptap chain (its `state.tr` is the chain's transaction). */
function step(command: Command) {
  return ({ state, dispatch, view }: CommandProps) => command(state, dispatch, view);
}

/**
 * The ProseMirror plugins of tables: `tableEditing` (as Tiptap configures it: a table is never
 * selected as a node) and the table keys. They come last in the editor's plugins, after every
 * extension's keys and paste handlers.
 */
export function tablePlugins(editor: Editor): Plugin[] {
  // Tab: the next cell; in the last cell, a new row and its first cell, in one transaction.
  const nextCellOrNewRow = (): boolean =>
    editor.commands.command(step(goToNextCell(1))) ||
    (editor.can().command(step(addRowAfter)) &&
      editor
        .chain()
        .command(step(addRowAfter))
        .command(step(goToNextCell(1)))
        .run());
  return [
    tableEditing({ allowTableNodeSelection: false }),
    keymap({
      Tab: nextCellOrNewRow,
      'Shift-Tab': goToNextCell(-1),
      Backspace: deleteTableWhenAllCellsSelected,
      'Mod-Backspace': deleteTableWhenAllCellsSelected,
      Delete: deleteTableWhenAllCellsSelected,
      'Mod-Delete': deleteTableWhenAllCellsSelected,
    }),
  ];
}
