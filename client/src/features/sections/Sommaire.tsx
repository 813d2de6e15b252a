import { useId } from 'react';
import type { Editor } from '@tiptap/core';
import { useEditorState } from '@tiptap/react';
import { fr } from '@codegouvfr/react-dsfr';
import type { DocumentKindName } from '@essaim/domain';
import { sectionsMessages as m } from './messages.js';
import { focusSection } from './sectionCommands.js';
import { NarrowDisclosure } from './NarrowDisclosure.js';
import { outlineOf, sectionIdAt } from './sectionRules.js';
import './sections.css';

/**
 * The « Sommaire »: the document's sections, live, each a button that brings the section into
 * view and puts the caret in it. Sections still empty are marked « à rédiger »; the section where
 * the caret is carries `aria-current`; `openThreads` (section id → count) shows open comments.
 * On a narrow screen it is folded behind a button that tells the progress.
 */
export function Sommaire({
  editor,
  kind,
  openThreads,
  ready = true,
}: {
  editor: Editor;
  kind: DocumentKindName;
  openThreads?: ReadonlyMap<string, number>;
  /**
   * The document's text is here: until then the outline is the placeholder document's (« 0
   * section rédigée sur 1 » for 370 ms, tester BR43 F5), so nothing is listed nor counted.
   */
  ready?: boolean;
}) {
  const headingId = useId();
  const { outline, current } = useEditorState({
    editor,
    selector: ({ editor: e }) => ({
      outline: outlineOf(e.state.doc, kind),
      current: sectionIdAt(e.state.doc, e.state.selection.from),
    }),
  });
  const written = outline.filter((s) => !s.empty).length;

  // Folded on a phone, so that the text comes first (issue 16), behind its short progress: the
  // whole sentence (« 13 sections rédigées sur 13 ») took two lines on a 360 px phone when the
  // text came, and moved what is below (tester BR43 F5).
  const progress = m.outline.progressShort(written, outline.length);
  return (
    <NarrowDisclosure summary={ready && progress ? `${m.outline.title} · ${progress}` : m.outline.title}>
      <nav className="essaim-sommaire" aria-labelledby={headingId}>
        <h2 id={headingId} className={fr.cx('fr-h6', 'fr-mb-1w')}>
          {m.outline.title}
        </h2>
        {!ready ? null : outline.length === 0 ? (
          <p className={fr.cx('fr-text--sm', 'fr-mb-0')}>{m.outline.none}</p>
        ) : (
          <>
            <p className={fr.cx('fr-text--xs', 'fr-mb-1w') + ' essaim-muted'}>
              {m.outline.progress(written, outline.length)}
              <span aria-hidden="true">
                {' · '}
                <span className="essaim-sommaire__status essaim-sommaire__status--empty" /> {m.outline.empty}
              </span>
            </p>
            <ol className="essaim-sommaire__list" data-testid="sommaire">
              {outline.map((entry) => (
                <li key={`${entry.id}-${entry.index}`} className="essaim-sommaire__item">
                  <button
                    type="button"
                    className="essaim-sommaire__link"
                    aria-current={entry.id === current ? 'location' : undefined}
                    data-empty={entry.empty || undefined}
                    onClick={() => focusSection(editor, entry.id)}
                  >
                    {entry.empty ? (
                      <span
                        className="essaim-sommaire__status essaim-sommaire__status--empty"
                        aria-hidden="true"
                      />
                    ) : (
                      <span
                        className="fr-icon-checkbox-circle-fill fr-icon--sm essaim-sommaire__status essaim-sommaire__status--done"
                        aria-hidden="true"
                      />
                    )}
                    <span className="essaim-sommaire__title">{entry.title || m.untitled}</span>
                    {entry.empty && <span className="fr-sr-only">, {m.outline.emptyLong}</span>}
                    {(openThreads?.get(entry.id) ?? 0) > 0 && (
                      <span className="essaim-sommaire__comments">
                        <span className="fr-sr-only">, </span>
                        <span className="fr-icon-chat-3-line fr-icon--sm" aria-hidden="true" />
                        <span aria-hidden="true">{openThreads?.get(entry.id)}</span>
                        <span className="fr-sr-only">
                          {m.outline.comments(openThreads?.get(entry.id) ?? 0)}
                        </span>
                      </span>
                    )}
                  </button>
                </li>
              ))}
            </ol>
          </>
        )}
      </nav>
    </NarrowDisclosure>
  );
}
