import { createContext, useCallback, useContext, useMemo, useRef, useState, type ReactNode } from 'react';
import type { Editor } from '@tiptap/core';
import { createModal } from '@codegouvfr/react-dsfr/Modal';
import { useIsModalOpen } from '@codegouvfr/react-dsfr/Modal/useIsModalOpen';
import type { DocumentKindName } from '@essaim/domain';
import { ConfirmDialog } from '../../shared/ConfirmDialog.js';
import { sectionsMessages as m } from './messages.js';
import {
  addSectionAfter,
  focusSection,
  focusSectionTitle,
  moveSection,
  removeSection,
  scrollSectionIntoView,
} from './sectionCommands.js';
import { findSection, outlineOf, sectionActions, sectionTitleOf } from './sectionRules.js';

export type SectionAction = 'add' | 'up' | 'down' | 'rename' | 'remove';

export interface SectionActionsApi {
  kind: DocumentKindName;
  editable: boolean;
  run: (id: string, action: SectionAction) => void;
}

const SectionActionsContext = createContext<SectionActionsApi | null>(null);

/** The section actions of the open document, for the section menus (in the editor's node views). */
export function useSectionActions(): SectionActionsApi | null {
  return useContext(SectionActionsContext);
}

const deleteSectionModal = createModal({ id: 'modale-supprimer-section', isOpenedByDefault: false });

/** Focuses the menu button of a section once its node view is (re)drawn. */
function focusMenuButton(id: string, attempts = 10): void {
  requestAnimationFrame(() => {
    const button = document.querySelector<HTMLElement>(
      `[data-section-id="${CSS.escape(id)}"] .essaim-section__menu-button`,
    );
    if (button) button.focus();
    else if (attempts > 0) focusMenuButton(id, attempts - 1);
  });
}

/**
 * Runs the actions of the section menus and asks before a section is removed. `announce` speaks
 * the result to screen readers (a polite live region of the page).
 */
export function SectionActionsProvider({
  editor,
  kind,
  editable,
  announce,
  children,
}: {
  editor: Editor;
  kind: DocumentKindName;
  editable: boolean;
  announce: (message: string) => void;
  children: ReactNode;
}) {
  const [pending, setPending] = useState<{ id: string; title: string } | null>(null);
  // Where the caret goes once the dialog is closed: the neighbour of a removed section.
  const focusAfterRemoval = useRef<string | null>(null);

  useIsModalOpen(deleteSectionModal, {
    onConceal: () => {
      setPending(null);
      const next = focusAfterRemoval.current;
      focusAfterRemoval.current = null;
      if (next && !editor.isDestroyed) focusSection(editor, next);
    },
  });

  const run = useCallback(
    (id: string, action: SectionAction) => {
      if (!editable || editor.isDestroyed) return;
      const found = findSection(editor.state.doc, id);
      if (!found) return;
      const title = sectionTitleOf(found.node) || m.untitled;
      const outline = outlineOf(editor.state.doc, kind);
      const entry = outline.find((e) => e.id === id);
      if (!entry) return;
      const allowed = sectionActions(kind, entry, outline.length);
      switch (action) {
        case 'add':
          if (allowed.canAddAfter && addSectionAfter(editor, id, m.newSectionTitle))
            announce(m.announce.added(m.newSectionTitle));
          return;
        case 'up':
        case 'down': {
          if (!(action === 'up' ? allowed.canMoveUp : allowed.canMoveDown)) return;
          if (moveSection(editor, id, action === 'up' ? -1 : 1)) {
            const position = outlineOf(editor.state.doc, kind).findIndex((e) => e.id === id) + 1;
            announce(m.announce.moved(title, position, outline.length));
            scrollSectionIntoView(editor, id);
            focusMenuButton(id);
          }
          return;
        }
        case 'rename':
          focusSectionTitle(editor, id);
          return;
        case 'remove':
          if (!allowed.canRemove) return;
          setPending({ id, title });
          deleteSectionModal.open();
          return;
      }
    },
    [editor, kind, editable, announce],
  );

  const confirmRemoval = () => {
    if (!pending) return;
    const outline = outlineOf(editor.state.doc, kind);
    const index = outline.findIndex((e) => e.id === pending.id);
    const neighbour = outline[index - 1] ?? outline[index + 1];
    if (removeSection(editor, pending.id)) {
      announce(m.announce.removed(pending.title));
      focusAfterRemoval.current = neighbour?.id ?? null;
    } else {
      announce(m.announce.refused);
    }
  };

  const api = useMemo(() => ({ kind, editable, run }), [kind, editable, run]);

  return (
    <SectionActionsContext.Provider value={api}>
      {children}
      <ConfirmDialog
        modal={deleteSectionModal}
        title={m.confirm.title}
        confirmLabel={m.confirm.confirm}
        onConfirm={confirmRemoval}
      >
        <p>{pending ? m.confirm.body(pending.title) : ''}</p>
      </ConfirmDialog>
    </SectionActionsContext.Provider>
  );
}
