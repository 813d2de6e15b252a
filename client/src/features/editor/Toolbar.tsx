import { useId, useRef, useState, type KeyboardEvent } from 'react';
import type { Editor } from '@tiptap/react';
import { useEditorState } from '@tiptap/react';
import { fr } from '@codegouvfr/react-dsfr';
import { runTableAction } from './lateBehaviour.js';
import { LinkForm } from './LinkForm.js';
import { editorMessages as m } from './messages.js';

interface ToolbarAction {
  key: string;
  label: string;
  /** DSFR icon class, written literally so `only-include-used-icons` keeps it. */
  icon: string;
  /** `aria-keyshortcuts` value and the hint in the tooltip. */
  shortcut?: { aria: string; hint: string };
  /** Toggles say whether they are on (`aria-pressed`); commands that open something say so. */
  kind: 'toggle' | 'command' | 'dialog';
  active?: boolean;
  /** Not possible here (in a section title, for instance): announced, not hidden. */
  unavailable?: boolean;
  /** Starts a new group of buttons (a little space before it). */
  groupStart?: boolean;
  run: () => void;
}

export interface ToolbarDialogs {
  openImage: () => void;
  openFootnote: () => void;
  openDocRef: () => void;
}

/**
 * The formatting toolbar (WAI-ARIA toolbar pattern): one tab stop, arrow keys move between the
 * buttons, each toggle states whether it is on with `aria-pressed`. Alt+F10 in the text comes here.
 * Inside a table, a second group offers the table's rows and columns.
 */
export function Toolbar({ editor, id, dialogs }: { editor: Editor; id: string; dialogs: ToolbarDialogs }) {
  const state = useEditorState({
    editor,
    selector: ({ editor: e }) => ({
      editable: e.isEditable,
      inTitle: e.isActive('sectionTitle'),
      inTable: e.isActive('table'),
      paragraph: e.isActive('paragraph') && !e.isActive('bulletList') && !e.isActive('orderedList'),
      heading3: e.isActive('heading', { level: 3 }),
      heading4: e.isActive('heading', { level: 4 }),
      bold: e.isActive('bold'),
      italic: e.isActive('italic'),
      bulletList: e.isActive('bulletList'),
      orderedList: e.isActive('orderedList'),
      blockquote: e.isActive('blockquote'),
      link: e.isActive('link'),
    }),
  });
  const [focusIndex, setFocusIndex] = useState(0);
  const [linkOpen, setLinkOpen] = useState(false);
  const buttons = useRef<(HTMLButtonElement | null)[]>([]);
  const linkFormId = useId();
  const tableGroupId = useId();

  const chain = () => editor.chain().focus();
  // A section title is plain text: no formatting, nothing inserted into it.
  const inText = !state.inTitle;
  const actions: ToolbarAction[] = [
    {
      key: 'paragraph',
      label: m.toolbar.paragraph,
      icon: 'fr-icon-align-left',
      shortcut: { aria: 'Control+Alt+0', hint: 'Ctrl+Alt+0' },
      kind: 'toggle',
      active: state.paragraph,
      unavailable: !inText,
      run: () => chain().setParagraph().run(),
    },
    {
      key: 'heading3',
      label: m.toolbar.heading3,
      icon: 'fr-icon-h-3',
      shortcut: { aria: 'Control+Alt+3', hint: 'Ctrl+Alt+3' },
      kind: 'toggle',
      active: state.heading3,
      unavailable: !inText,
      run: () => chain().toggleHeading({ level: 3 }).run(),
    },
    {
      key: 'heading4',
      label: m.toolbar.heading4,
      icon: 'fr-icon-h-4',
      shortcut: { aria: 'Control+Alt+4', hint: 'Ctrl+Alt+4' },
      kind: 'toggle',
      active: state.heading4,
      unavailable: !inText,
      run: () => chain().toggleHeading({ level: 4 }).run(),
    },
    {
      key: 'bold',
      label: m.toolbar.bold,
      icon: 'fr-icon-bold',
      shortcut: { aria: 'Control+B', hint: 'Ctrl+B' },
      kind: 'toggle',
      active: state.bold,
      unavailable: !inText,
      groupStart: true,
      run: () => chain().toggleBold().run(),
    },
    {
      key: 'italic',
      label: m.toolbar.italic,
      icon: 'fr-icon-italic',
      shortcut: { aria: 'Control+I', hint: 'Ctrl+I' },
      kind: 'toggle',
      active: state.italic,
      unavailable: !inText,
      run: () => chain().toggleItalic().run(),
    },
    {
      key: 'link',
      label: m.toolbar.link,
      icon: 'fr-icon-link',
      kind: 'dialog',
      active: state.link,
      unavailable: !inText,
      run: () => setLinkOpen((open) => !open),
    },
    {
      key: 'bulletList',
      label: m.toolbar.bulletList,
      icon: 'fr-icon-list-unordered',
      shortcut: { aria: 'Control+Shift+8', hint: 'Ctrl+Maj+8' },
      kind: 'toggle',
      active: state.bulletList,
      unavailable: !inText,
      groupStart: true,
      run: () => chain().toggleBulletList().run(),
    },
    {
      key: 'orderedList',
      label: m.toolbar.orderedList,
      icon: 'fr-icon-list-ordered',
      shortcut: { aria: 'Control+Shift+7', hint: 'Ctrl+Maj+7' },
      kind: 'toggle',
      active: state.orderedList,
      unavailable: !inText,
      run: () => chain().toggleOrderedList().run(),
    },
    {
      key: 'blockquote',
      label: m.toolbar.blockquote,
      icon: 'fr-icon-quote-line',
      shortcut: { aria: 'Control+Shift+B', hint: 'Ctrl+Maj+B' },
      kind: 'toggle',
      active: state.blockquote,
      unavailable: !inText,
      run: () => chain().toggleBlockquote().run(),
    },
    {
      key: 'table',
      label: m.toolbar.table,
      icon: 'fr-icon-table-2',
      kind: 'command',
      unavailable: !inText || state.inTable,
      groupStart: true,
      run: () => runTableAction(editor, 'insertTable'),
    },
    {
      key: 'image',
      label: m.toolbar.image,
      icon: 'fr-icon-image-add-line',
      kind: 'dialog',
      unavailable: !inText,
      run: dialogs.openImage,
    },
    {
      key: 'footnote',
      label: m.toolbar.footnote,
      icon: 'fr-icon-superscript',
      kind: 'dialog',
      unavailable: !inText,
      run: dialogs.openFootnote,
    },
    {
      key: 'docRef',
      label: m.toolbar.docRef,
      icon: 'fr-icon-article-line',
      kind: 'dialog',
      unavailable: !inText,
      run: dialogs.openDocRef,
    },
  ];

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const last = actions.length - 1;
    let next: number | null = null;
    if (event.key === 'ArrowRight') next = focusIndex === last ? 0 : focusIndex + 1;
    else if (event.key === 'ArrowLeft') next = focusIndex === 0 ? last : focusIndex - 1;
    else if (event.key === 'Home') next = 0;
    else if (event.key === 'End') next = last;
    else if (event.key === 'Escape') {
      event.preventDefault();
      editor.commands.focus();
      return;
    }
    if (next === null) return;
    event.preventDefault();
    setFocusIndex(next);
    buttons.current[next]?.focus();
  };

  const tableActions = [
    {
      key: 'addRow',
      label: m.table.addRow,
      icon: 'fr-icon-add-line',
      run: () => runTableAction(editor, 'addRowAfter'),
    },
    {
      key: 'removeRow',
      label: m.table.removeRow,
      icon: 'fr-icon-subtract-line',
      run: () => runTableAction(editor, 'deleteRow'),
    },
    {
      key: 'addColumn',
      label: m.table.addColumn,
      icon: 'fr-icon-add-line',
      run: () => runTableAction(editor, 'addColumnAfter'),
    },
    {
      key: 'removeColumn',
      label: m.table.removeColumn,
      icon: 'fr-icon-subtract-line',
      run: () => runTableAction(editor, 'deleteColumn'),
    },
    {
      key: 'removeTable',
      label: m.table.remove,
      icon: 'fr-icon-delete-line',
      run: () => runTableAction(editor, 'deleteTable'),
    },
  ];

  return (
    <div className="essaim-toolbar-wrap">
      <div
        id={id}
        role="toolbar"
        aria-label={m.toolbar.label}
        aria-controls={linkOpen ? linkFormId : undefined}
        className="essaim-toolbar"
        onKeyDown={onKeyDown}
      >
        {actions.map((action, index) => (
          <button
            key={action.key}
            ref={(el) => {
              buttons.current[index] = el;
            }}
            type="button"
            className={
              fr.cx('fr-btn', 'fr-btn--tertiary-no-outline', 'fr-btn--sm') +
              ` ${action.icon} essaim-toolbar__button` +
              (action.groupStart ? ' essaim-toolbar__button--group' : '')
            }
            title={action.shortcut ? `${action.label} (${action.shortcut.hint})` : action.label}
            aria-pressed={action.kind === 'toggle' ? action.active : undefined}
            aria-expanded={action.key === 'link' ? linkOpen : undefined}
            aria-haspopup={action.kind === 'dialog' && action.key !== 'link' ? 'dialog' : undefined}
            aria-keyshortcuts={action.shortcut?.aria}
            aria-disabled={action.unavailable || undefined}
            tabIndex={index === focusIndex ? 0 : -1}
            disabled={!state.editable}
            data-active={action.active || undefined}
            // Keep the selection in the text for mouse users; keyboard users activate with Enter/Space.
            onMouseDown={(event) => event.preventDefault()}
            onFocus={() => setFocusIndex(index)}
            onClick={() => {
              if (!action.unavailable) action.run();
            }}
          >
            {action.label}
          </button>
        ))}
      </div>
      {state.inTable && state.editable && (
        <div role="group" aria-labelledby={tableGroupId} className="essaim-toolbar essaim-toolbar--table">
          <span
            id={tableGroupId}
            className={fr.cx('fr-text--sm', 'fr-mb-0') + ' essaim-toolbar__group-label'}
          >
            {m.table.label}
          </span>
          {tableActions.map((action) => (
            <button
              key={action.key}
              type="button"
              className={
                fr.cx('fr-btn', 'fr-btn--tertiary-no-outline', 'fr-btn--sm', 'fr-btn--icon-left') +
                ` ${action.icon}`
              }
              onMouseDown={(event) => event.preventDefault()}
              onClick={action.run}
            >
              {action.label}
            </button>
          ))}
        </div>
      )}
      {linkOpen && (
        <LinkForm
          id={linkFormId}
          editor={editor}
          onClose={() => {
            setLinkOpen(false);
            editor.commands.focus();
          }}
        />
      )}
    </div>
  );
}
