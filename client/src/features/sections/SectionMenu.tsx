import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import type { Editor } from '@tiptap/core';
import { fr } from '@codegouvfr/react-dsfr';
import { sectionsMessages as m } from './messages.js';
import type { SectionAction, SectionActionsApi } from './SectionActions.js';
import { outlineOf, sectionActions, type SectionActionsState } from './sectionRules.js';

interface Item {
  action: SectionAction;
  label: string;
  icon: string;
  disabled: boolean;
  hint?: string;
}

/** The menu's items; `canMove` is false while the server cannot be asked to move a section. */
function itemsFor(state: SectionActionsState, canMove: boolean): Item[] {
  const items: Item[] = [];
  if (state.canAddAfter)
    items.push({ action: 'add', label: m.menu.addAfter, icon: 'fr-icon-add-line', disabled: false });
  const offline = canMove ? undefined : m.menu.moveOfflineHint;
  items.push(
    {
      action: 'up',
      label: m.menu.moveUp,
      icon: 'fr-icon-arrow-up-line',
      disabled: !state.canMoveUp || !canMove,
      hint: state.canMoveUp ? offline : undefined,
    },
    {
      action: 'down',
      label: m.menu.moveDown,
      icon: 'fr-icon-arrow-down-line',
      disabled: !state.canMoveDown || !canMove,
      hint: state.canMoveDown ? offline : undefined,
    },
    { action: 'rename', label: m.menu.rename, icon: 'fr-icon-edit-line', disabled: false },
    {
      action: 'remove',
      label: m.menu.remove,
      icon: 'fr-icon-delete-line',
      disabled: !state.canRemove,
      hint:
        state.removeBlocked === 'required'
          ? m.menu.requiredHint
          : state.removeBlocked === 'last'
            ? m.menu.lastHint
            : undefined,
    },
  );
  return items;
}

/**
 * The menu of one section (WAI-ARIA menu button): the button opens a list of actions, arrow keys
 * move between them, Escape closes and gives focus back to the button. Unavailable actions stay
 * in the list, disabled, with the reason next to them.
 */
export function SectionMenu({
  editor,
  sectionId,
  title,
  api,
  tabbable,
}: {
  editor: Editor;
  sectionId: string;
  title: string;
  api: SectionActionsApi;
  tabbable: boolean;
}) {
  const [items, setItems] = useState<Item[] | null>(null);
  const [active, setActive] = useState(0);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const rootRef = useRef<HTMLDivElement>(null);
  const itemRefs = useRef<(HTMLButtonElement | null)[]>([]);
  const menuId = useId();
  const hintId = useId();
  const open = items !== null;
  const name = title || m.untitled;

  const openMenu = (focus: 'first' | 'last') => {
    const outline = outlineOf(editor.state.doc, api.kind);
    const entry = outline.find((e) => e.id === sectionId);
    if (!entry) return;
    // « Commenter la section » last: writers find their usual actions where they were.
    const next = [
      ...(api.editable ? itemsFor(sectionActions(api.kind, entry, outline.length), api.canMove()) : []),
      ...(api.canComment
        ? [
            {
              action: 'comment' as const,
              label: m.menu.comment,
              icon: 'fr-icon-chat-3-line',
              disabled: false,
            },
          ]
        : []),
    ];
    setItems(next);
    setActive(focus === 'first' ? 0 : next.length - 1);
  };

  const close = (refocus: boolean) => {
    setItems(null);
    if (refocus) buttonRef.current?.focus();
  };

  useEffect(() => {
    if (open) itemRefs.current[active]?.focus();
  }, [open, active]);

  // A click elsewhere closes the menu.
  useEffect(() => {
    if (!open) return;
    const onPointerDown = (event: PointerEvent) => {
      if (!rootRef.current?.contains(event.target as Node)) setItems(null);
    };
    document.addEventListener('pointerdown', onPointerDown);
    return () => document.removeEventListener('pointerdown', onPointerDown);
  }, [open]);

  const choose = (item: Item) => {
    if (item.disabled) return;
    setItems(null);
    // Actions that move the focus (rename, add, remove dialog) take it from here.
    if (item.action === 'up' || item.action === 'down') buttonRef.current?.focus();
    api.run(sectionId, item.action);
  };

  const onButtonKeyDown = (event: KeyboardEvent<HTMLButtonElement>) => {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      openMenu(event.key === 'ArrowDown' ? 'first' : 'last');
    }
  };

  const onMenuKeyDown = (event: KeyboardEvent<HTMLUListElement>) => {
    if (!items) return;
    const last = items.length - 1;
    let next: number | null = null;
    if (event.key === 'ArrowDown') next = active === last ? 0 : active + 1;
    else if (event.key === 'ArrowUp') next = active === 0 ? last : active - 1;
    else if (event.key === 'Home') next = 0;
    else if (event.key === 'End') next = last;
    else if (event.key === 'Escape') {
      event.preventDefault();
      close(true);
      return;
    } else if (event.key === 'Tab') {
      close(false);
      return;
    }
    if (next === null) return;
    event.preventDefault();
    setActive(next);
  };

  // Each reason once (« Monter » and « Descendre » share the one about the connection).
  const hints = [...new Set(items?.filter((i) => i.disabled && i.hint).map((i) => i.hint) ?? [])];

  return (
    <div className="essaim-section__menu" ref={rootRef}>
      <button
        ref={buttonRef}
        type="button"
        className={
          fr.cx('fr-btn', 'fr-btn--tertiary-no-outline', 'fr-btn--sm') +
          ' fr-icon-more-fill essaim-section__menu-button'
        }
        // Named by aria-label, with no text: the document's text (a textbox) stays its own.
        title={m.menu.button(name)}
        aria-label={m.menu.button(name)}
        aria-haspopup="menu"
        aria-expanded={open}
        tabIndex={tabbable || open ? 0 : -1}
        aria-controls={open ? menuId : undefined}
        onClick={() => (open ? close(false) : openMenu('first'))}
        onKeyDown={onButtonKeyDown}
      />
      {items && (
        <div className="essaim-section__menu-popup">
          <ul id={menuId} role="menu" aria-label={m.menu.label(name)} onKeyDown={onMenuKeyDown}>
            {items.map((item, index) => (
              <li key={item.action} role="none">
                <button
                  ref={(el) => {
                    itemRefs.current[index] = el;
                  }}
                  type="button"
                  role="menuitem"
                  tabIndex={index === active ? 0 : -1}
                  aria-disabled={item.disabled || undefined}
                  aria-describedby={item.disabled && item.hint ? hintId : undefined}
                  className={`essaim-section__menu-item ${item.icon}`}
                  onClick={() => choose(item)}
                  onFocus={() => setActive(index)}
                >
                  {item.label}
                </button>
              </li>
            ))}
          </ul>
          {hints.length > 0 && (
            <p id={hintId} className={fr.cx('fr-text--xs', 'fr-mb-0') + ' essaim-section__menu-hint'}>
              {hints.join(' ')}
            </p>
          )}
        </div>
      )}
    </div>
  );
}
