import { useId } from 'react';
import type { Editor } from '@tiptap/core';
import { useEditorState } from '@tiptap/react';
import { fr } from '@codegouvfr/react-dsfr';
import { footnotesOf } from './footnotes.js';
import { editorMessages } from './messages.js';

const m = editorMessages.footnote;

/** The id of a note's entry in the « Notes » list (1-based), to bring it into view. */
export const noteEntryId = (listId: string, n: number): string => `${listId}-${n}`;

/**
 * « Notes »: the document's footnotes in order, numbered as their calls in the text (both follow
 * document order). Writers open a note from here to change it.
 */
export function NotesList({
  editor,
  listId,
  readOnly,
  onEdit,
}: {
  editor: Editor;
  listId: string;
  readOnly: boolean;
  onEdit: (pos: number, text: string) => void;
}) {
  const headingId = useId();
  const notes = useEditorState({ editor, selector: ({ editor: e }) => footnotesOf(e.state.doc) });
  if (notes.length === 0) return null;
  return (
    <section className="essaim-notes" aria-labelledby={headingId}>
      <h2 id={headingId} className={fr.cx('fr-h5', 'fr-mb-2w')}>
        {m.notesTitle}
      </h2>
      <ol className="essaim-notes__list" data-testid="notes">
        {notes.map((note, index) => (
          <li key={`${note.pos}-${index}`} id={noteEntryId(listId, index + 1)} tabIndex={-1}>
            <div className="essaim-notes__entry">
              <span className="essaim-notes__text">{note.text}</span>
              {!readOnly && (
                <button
                  type="button"
                  className={
                    fr.cx('fr-btn', 'fr-btn--tertiary-no-outline', 'fr-btn--sm') + ' fr-icon-edit-line'
                  }
                  title={m.edit(index + 1)}
                  onClick={() => onEdit(note.pos, note.text)}
                >
                  {m.edit(index + 1)}
                </button>
              )}
            </div>
          </li>
        ))}
      </ol>
    </section>
  );
}
