import { useId, useRef, useState, type KeyboardEvent } from 'react';
import type { Editor } from '@tiptap/react';
import { useEditorState } from '@tiptap/react';
import { fr } from '@codegouvfr/react-dsfr';
import { LinkForm } from './LinkForm.js';
import { editorMessages as m } from './messages.js';

interface ToolbarAction {
  key: string;
  label: string;
  /** DSFR icon class, written literally so `only-include-used-icons` keeps it. */
  icon: string;
  /** `aria-keyshortcuts` value and the hint in the tooltip. */
  shortcut?: { aria: string; hint: string };
  active: boolean;
  run: () => void;
}

/**
 * The formatting toolbar (WAI-ARIA toolbar pattern): one tab stop, arrow keys move between the
 * buttons, each toggle states whether it is on with `aria-pressed`. Alt+F10 in the text comes here.
 */
export function Toolbar({ editor, id }: { editor: Editor; id: string }) {
  const state = useEditorState({
    editor,
    selector: ({ editor: e }) => ({
      editable: e.isEditable,
      bold: e.isActive('bold'),
      italic: e.isActive('italic'),
      heading2: e.isActive('heading', { level: 2 }),
      heading3: e.isActive('heading', { level: 3 }),
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

  const chain = () => editor.chain().focus();
  const actions: ToolbarAction[] = [
    {
      key: 'bold',
      label: m.toolbar.bold,
      icon: 'fr-icon-bold',
      shortcut: { aria: 'Control+B', hint: 'Ctrl+B' },
      active: state.bold,
      run: () => chain().toggleBold().run(),
    },
    {
      key: 'italic',
      label: m.toolbar.italic,
      icon: 'fr-icon-italic',
      shortcut: { aria: 'Control+I', hint: 'Ctrl+I' },
      active: state.italic,
      run: () => chain().toggleItalic().run(),
    },
    {
      key: 'heading2',
      label: m.toolbar.heading2,
      icon: 'fr-icon-h-2',
      shortcut: { aria: 'Control+Alt+2', hint: 'Ctrl+Alt+2' },
      active: state.heading2,
      run: () => chain().toggleHeading({ level: 2 }).run(),
    },
    {
      key: 'heading3',
      label: m.toolbar.heading3,
      icon: 'fr-icon-h-3',
      shortcut: { aria: 'Control+Alt+3', hint: 'Ctrl+Alt+3' },
      active: state.heading3,
      run: () => chain().toggleHeading({ level: 3 }).run(),
    },
    {
      key: 'bulletList',
      label: m.toolbar.bulletList,
      icon: 'fr-icon-list-unordered',
      shortcut: { aria: 'Control+Shift+8', hint: 'Ctrl+Maj+8' },
      active: state.bulletList,
      run: () => chain().toggleBulletList().run(),
    },
    {
      key: 'orderedList',
      label: m.toolbar.orderedList,
      icon: 'fr-icon-list-ordered',
      shortcut: { aria: 'Control+Shift+7', hint: 'Ctrl+Maj+7' },
      active: state.orderedList,
      run: () => chain().toggleOrderedList().run(),
    },
    {
      key: 'blockquote',
      label: m.toolbar.blockquote,
      icon: 'fr-icon-quote-line',
      shortcut: { aria: 'Control+Shift+B', hint: 'Ctrl+Maj+B' },
      active: state.blockquote,
      run: () => chain().toggleBlockquote().run(),
    },
    {
      key: 'link',
      label: m.toolbar.link,
      icon: 'fr-icon-link',
      active: state.link,
      run: () => setLinkOpen((open) => !open),
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
              ` ${action.icon} essaim-toolbar__button`
            }
            title={action.shortcut ? `${action.label} (${action.shortcut.hint})` : action.label}
            aria-pressed={action.key === 'link' ? undefined : action.active}
            aria-expanded={action.key === 'link' ? linkOpen : undefined}
            aria-keyshortcuts={action.shortcut?.aria}
            tabIndex={index === focusIndex ? 0 : -1}
            disabled={!state.editable}
            data-active={action.active || undefined}
            // Keep the selection in the text for mouse users; keyboard users activate with Enter/Space.
            onMouseDown={(event) => event.preventDefault()}
            onFocus={() => setFocusIndex(index)}
            onClick={action.run}
          >
            {action.label}
          </button>
        ))}
      </div>
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
