import { useEffect, useId } from 'react';
import { EditorContent, useEditor } from '@tiptap/react';
import { Collaboration } from '@tiptap/extension-collaboration';
import { CollaborationCaret } from '@tiptap/extension-collaboration-caret';
import { schemaExtensions } from '@essaim/editor';
import { FRAGMENT } from '@essaim/protocol';
import { fr } from '@codegouvfr/react-dsfr';
import { renderCaret } from './caret.js';
import { editorMessages as m } from './messages.js';
import { Toolbar } from './Toolbar.js';
import type { CollaborationSession } from './useCollaborationSession.js';

/** How the person appears on carets: the account's name and colour (the server enforces them). */
export interface CaretIdentity {
  name: string;
  color: string;
}

export interface CollaborativeEditorProps {
  session: CollaborationSession;
  identity: CaretIdentity;
  /** No typing, no toolbar: the server grants read access only. */
  readOnly: boolean;
}

/**
 * The rich-text editor bound to the shared Y.Doc. The schema is the one the server reads
 * (`@essaim/editor`), plus the two collaboration extensions that only make sense in a browser.
 */
export function CollaborativeEditor({ session, identity, readOnly }: CollaborativeEditorProps) {
  const { ydoc, provider } = session;
  const toolbarId = useId();
  const hintId = useId();

  const editor = useEditor(
    {
      extensions: [
        ...schemaExtensions(),
        Collaboration.configure({ document: ydoc, field: FRAGMENT }),
        CollaborationCaret.configure({
          provider,
          user: { name: identity.name, color: identity.color },
          render: renderCaret,
        }),
      ],
      // Tiptap's <style> tag would be refused by the CSP: its rules are in app/styles.css.
      injectCSS: false,
      editable: !readOnly,
      editorProps: {
        attributes: {
          role: 'textbox',
          'aria-multiline': 'true',
          'aria-label': m.contentLabel,
          'aria-describedby': hintId,
          class: 'essaim-editor__content',
          spellcheck: 'true',
          lang: 'fr',
        },
        handleKeyDown: (_view, event) => {
          // Alt+F10 reaches the toolbar from the text, as in most word processors.
          if (event.altKey && event.key === 'F10') {
            document.querySelector<HTMLElement>(`[id="${toolbarId}"] button[tabindex="0"]`)?.focus();
            return true;
          }
          return false;
        },
      },
    },
    [ydoc, provider],
  );

  // A renamed account is announced to the others without rebuilding the editor.
  useEffect(() => {
    if (editor && !editor.isDestroyed)
      editor.commands.updateUser({ name: identity.name, color: identity.color });
  }, [editor, identity.name, identity.color]);

  useEffect(() => {
    if (editor && !editor.isDestroyed) editor.setEditable(!readOnly);
  }, [editor, readOnly]);

  if (!editor) return null;
  return (
    <div className="essaim-editor">
      {!readOnly && <Toolbar editor={editor} id={toolbarId} />}
      <EditorContent editor={editor} />
      <p id={hintId} className={fr.cx('fr-text--xs', 'fr-mt-1w', 'fr-mb-0') + ' essaim-muted'}>
        {readOnly ? m.readOnly : m.shortcuts}
      </p>
    </div>
  );
}
