import { useEffect, useState, type ReactNode } from 'react';
import { EditorContent, useEditor, type Editor } from '@tiptap/react';
import { fr } from '@codegouvfr/react-dsfr';
import { editorExtensions, type EditorSetup } from './editorExtensions.js';
import { editorMessages as m } from './messages.js';
import './editor.css';

/**
 * The rich-text editor bound to the shared Y.Doc: the schema the server reads (`@essaim/editor`)
 * with the browser's node views, collaboration, carets, prompts and the required-section guard.
 * Built once per session; `readOnly` and the caret's identity follow without rebuilding it. A
 * read-only text is focusable, with a caret and keyboard selection (to comment words), and never
 * changes (readOnly.ts).
 */
export function useCollaborativeEditor(
  setup: EditorSetup,
  { readOnly, toolbarId, hintId }: { readOnly: boolean; toolbarId: string; hintId: string },
): Editor | null {
  const { ydoc, provider, identity } = setup;
  const editor = useEditor(
    {
      extensions: editorExtensions(setup),
      // Tiptap's <style> tag would be refused by the CSP: its rules are in app/styles.css.
      injectCSS: false,
      // Read-only text keeps a caret and stays in the tab order (readOnly.ts): ProseMirror's view
      // is always editable, `editable` below only says whether the person may write.
      enableCoreExtensions: { editable: false },
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
      editor.commands.updateUser({ id: identity.id, name: identity.name, color: identity.color });
  }, [editor, identity.id, identity.name, identity.color]);

  useEffect(() => {
    if (editor && !editor.isDestroyed) editor.setEditable(!readOnly);
  }, [editor, readOnly]);

  return editor;
}

/** The toolbar (for writers), the text, and the hint under it. */
export function CollaborativeEditor({
  editor,
  readOnly,
  waiting = false,
  canComment = false,
  hintId,
  toolbar,
  children,
}: {
  editor: Editor;
  readOnly: boolean;
  /**
   * The document's text is not here yet (see TextArrival): the editor holds the schema's invented
   * empty section, kept out of sight (and out of the accessibility tree) under « Ouverture du
   * document… », in the same place and size so that nothing moves when the text comes.
   */
  waiting?: boolean;
  /** The person may comment (the read-only hint then says how, from the keyboard). */
  canComment?: boolean;
  hintId: string;
  toolbar: ReactNode;
  /** Shown under the text (the « Notes »). */
  children?: ReactNode;
}) {
  return (
    <div className={waiting ? 'essaim-editor essaim-editor--waiting' : 'essaim-editor'} aria-busy={waiting}>
      {!readOnly && toolbar}
      <div className="essaim-editor__body">
        {waiting && <OpeningStatus />}
        <EditorContent editor={editor} />
      </div>
      {children}
      <p id={hintId} className={fr.cx('fr-text--xs', 'fr-mt-1w', 'fr-mb-0') + ' essaim-muted'}>
        {readOnly ? (canComment ? m.readOnlyComment : m.readOnly) : m.shortcuts}
      </p>
    </div>
  );
}

/**
 * How long (ms) « Ouverture du document… » is shown before the page says the document is late and
 * offers to reload: 10 s, twice the editor's budget on the slow line of issue 16 (≤ 5 s).
 */
export const OPENING_PATIENCE_MS = 10_000;

/**
 * « Ouverture du document… » over the editor while its text is on its way; past
 * {@link OPENING_PATIENCE_MS}, why it may be late and « Recharger la page » (a websocket that never
 * synced left the announcement forever, beside « Hors ligne », with nothing to do; tester BR28).
 */
function OpeningStatus() {
  const [late, setLate] = useState(false);
  useEffect(() => {
    const timer = setTimeout(() => setLate(true), OPENING_PATIENCE_MS);
    return () => clearTimeout(timer);
  }, []);
  return (
    <div className="essaim-editor__waiting">
      <p role="status" className="fr-mb-1w">
        {late ? m.openingSlow : m.opening}
      </p>
      {late && (
        <button
          type="button"
          className={fr.cx('fr-btn', 'fr-btn--sm', 'fr-btn--secondary')}
          onClick={() => window.location.reload()}
        >
          {m.openingReload}
        </button>
      )}
    </div>
  );
}
