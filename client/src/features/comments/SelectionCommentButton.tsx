import { useLayoutEffect, useRef } from 'react';
import type { Editor } from '@tiptap/core';
import { useEditorState } from '@tiptap/react';
import { fr } from '@codegouvfr/react-dsfr';
import { commentsMessages as m } from './messages.js';
import type { Comments } from './useComments.js';

const NO_SELECTION = { to: 0, hasText: false };

/**
 * « Commenter », next to the selected words (for writers and for membres, whose text is read-only).
 * A mouse-down on it keeps the selection; Ctrl+Alt+M does the same from the keyboard.
 */
export function SelectionCommentButton({ editor, comments }: { editor: Editor; comments: Comments }) {
  // The same object while there is no selection: moving the caret (typing) draws nothing again,
  // and causes no React commit.
  const selection = useEditorState({
    editor,
    selector: ({ editor: e }) => {
      const { from, to, empty } = e.state.selection;
      if (empty) return NO_SELECTION;
      const hasText = e.state.doc.textBetween(from, to, ' ').trim().length > 0;
      return hasText ? { to, hasText } : NO_SELECTION;
    },
  });
  const button = useRef<HTMLButtonElement>(null);
  const shown = comments.canComment && selection.hasText && comments.draft === null;

  // Placed under the end of the selection, relative to the button's positioned ancestor.
  useLayoutEffect(() => {
    const element = button.current;
    if (!shown || !element) return;
    const measure = () => {
      const parent = element.offsetParent;
      if (!parent || editor.isDestroyed) return;
      const end = editor.view.coordsAtPos(selection.to);
      const box = parent.getBoundingClientRect();
      element.style.top = `${end.bottom - box.top + 6}px`;
      element.style.left = `${Math.max(0, end.left - box.left - 16)}px`;
      element.style.visibility = 'visible';
    };
    measure();
    window.addEventListener('resize', measure);
    return () => window.removeEventListener('resize', measure);
  }, [shown, selection.to, editor]);

  if (!shown) return null;
  return (
    <button
      ref={button}
      type="button"
      className={
        fr.cx('fr-btn', 'fr-btn--sm', 'fr-btn--icon-left', 'fr-icon-chat-3-line') +
        ' essaim-selection-comment'
      }
      title={m.selectionButtonTitle}
      aria-keyshortcuts="Control+Alt+M"
      onMouseDown={(event) => event.preventDefault()}
      onClick={() => comments.startOnSelection()}
    >
      {m.selectionButton}
    </button>
  );
}
