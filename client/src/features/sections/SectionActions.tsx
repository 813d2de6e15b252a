import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
  type ReactNode,
} from 'react';
import type { Editor } from '@tiptap/core';
import type { Transaction } from '@tiptap/pm/state';
import { createModal } from '@codegouvfr/react-dsfr/Modal';
import { useIsModalOpen } from '@codegouvfr/react-dsfr/Modal/useIsModalOpen';
import type { DocumentKindName } from '@essaim/domain';
import {
  followMovedTextInEditor,
  keepCaretAfterForwardedText,
  undoOnlyOwnChangesInEditor,
} from '@essaim/editor';
import { ConfirmDialog } from '../../shared/ConfirmDialog.js';
import { sectionsMessages as m } from './messages.js';
import {
  addSectionAfter,
  focusSection,
  focusSectionTitle,
  moveTarget,
  removeSection,
  scrollSectionIntoView,
} from './sectionCommands.js';
import { canRequestMoves, collaborationProviderOf, requestSectionMove } from './sectionMoves.js';
import { findSection, outlineOf, sectionActions, sectionTitleOf } from './sectionRules.js';

export type SectionAction = 'add' | 'up' | 'down' | 'rename' | 'remove' | 'comment';

export interface SectionActionsApi {
  kind: DocumentKindName;
  editable: boolean;
  run: (id: string, action: SectionAction) => void;
  /** Whether « Monter » / « Descendre » can be asked now (the server performs moves). */
  canMove: () => boolean;
  /** Whether the person may comment a whole section (membres too, on a read-only text). */
  canComment: boolean;
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
  onComment,
  children,
}: {
  editor: Editor;
  kind: DocumentKindName;
  editable: boolean;
  announce: (message: string) => void;
  /** « Commenter la section » (absent when the person may not comment). */
  onComment?: (sectionId: string, title: string) => void;
  children: ReactNode;
}) {
  const [pending, setPending] = useState<{ id: string; title: string } | null>(null);

  // Keystrokes in flight when someone moved the section come back re-applied by the server:
  // the caret goes over them, so the next ones follow them. Text someone splits, joins or pastes
  // into while one types in it takes one's keystrokes and caret along (textMoves.ts); an undo or
  // a redo takes back only what it changed, not the co-writers' words typed into it (undoScope.ts).
  useEffect(() => {
    const host = {
      get state() {
        return editor.state;
      },
      get isDestroyed() {
        return editor.isDestroyed;
      },
      dispatch: (transaction: Transaction) => editor.view.dispatch(transaction),
    };
    const stops = [
      keepCaretAfterForwardedText(host),
      followMovedTextInEditor(host),
      undoOnlyOwnChangesInEditor(host),
    ];
    return () => stops.forEach((stop) => stop());
  }, [editor]);
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

  /** The moves asked from this editor, one after the other. */
  const moves = useRef<Promise<void>>(Promise.resolve());

  const run = useCallback(
    (id: string, action: SectionAction) => {
      if (editor.isDestroyed) return;
      const found = findSection(editor.state.doc, id);
      if (!found) return;
      if (action === 'comment') return onComment?.(id, sectionTitleOf(found.node));
      if (!editable) return;
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
          // One move at a time: a second « Monter » pressed before the first one's answer is
          // asked once the first section has arrived, from where it is then (asked at once, it
          // would target the place the section is leaving, and move nothing).
          moves.current = moves.current.then(async () => {
            if (editor.isDestroyed || !findSection(editor.state.doc, id)) return;
            const outlineNow = outlineOf(editor.state.doc, kind);
            const entryNow = outlineNow.find((e) => e.id === id);
            const allowedNow = entryNow && sectionActions(kind, entryNow, outlineNow.length);
            if (!allowedNow || !(action === 'up' ? allowedNow.canMoveUp : allowedNow.canMoveDown)) return;
            const provider = collaborationProviderOf(editor);
            if (!canRequestMoves(provider)) {
              announce(m.announce.moveOffline);
              return;
            }
            const after = moveTarget(editor.state.doc, id, action === 'up' ? -1 : 1);
            if (after === undefined) return;
            const outcome = await requestSectionMove(provider, id, after);
            if (editor.isDestroyed) return;
            if (outcome !== 'moved' && outcome !== 'unchanged') {
              announce(m.announce.moveFailed[outcome]);
              return;
            }
            // The moved section arrived before the answer (the server sends it first).
            const now = outlineOf(editor.state.doc, kind);
            announce(m.announce.moved(title, now.findIndex((e) => e.id === id) + 1, now.length));
            scrollSectionIntoView(editor, id);
            focusMenuButton(id);
          });
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
    [editor, kind, editable, announce, onComment],
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

  const canMove = useCallback(() => canRequestMoves(collaborationProviderOf(editor)), [editor]);
  const canComment = onComment !== undefined;
  const api = useMemo(
    () => ({ kind, editable, run, canMove, canComment }),
    [kind, editable, run, canMove, canComment],
  );

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
