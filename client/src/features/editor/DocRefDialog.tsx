import { useId, useState } from 'react';
import type { Editor } from '@tiptap/core';
import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { createModal } from '@codegouvfr/react-dsfr/Modal';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { fr } from '@codegouvfr/react-dsfr';
import { documentKindLabels } from '@essaim/domain';
import type { DocumentDto } from '@essaim/protocol';
import { insertDocRef } from './docRefs.js';
import { FormDialog } from './FormDialog.js';
import { dialogMessages } from './dialogMessages.js';
import type { Loadable } from '../../shared/useLoad.js';

const m = dialogMessages.docRef;
const SHOWN = 30;

export const docRefModal = createModal({ id: 'modale-lien-fiche', isOpenedByDefault: false });

const fold = (s: string) =>
  s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLocaleLowerCase('fr');

/** The documents matching a filter (every word, accents and case ignored), fiches first. */
export function matchingDocuments<T extends Pick<DocumentDto, 'id' | 'title' | 'kind'>>(
  documents: readonly T[],
  filter: string,
  excludeId: string,
): T[] {
  const words = fold(filter).split(/\s+/).filter(Boolean);
  return documents
    .filter((d) => d.id !== excludeId && words.every((w) => fold(d.title).includes(w)))
    .sort(
      (a, b) =>
        Number(a.kind !== 'fiche') - Number(b.kind !== 'fiche') || a.title.localeCompare(b.title, 'fr'),
    );
}

/**
 * Picks another document of the espace and inserts a link to it at the caret: a filter field and
 * the matching documents, each a button.
 */
export function DocRefDialog({
  editor,
  documentId,
  documents,
  refresh,
  retry,
}: {
  editor: Editor;
  documentId: string;
  /** The espace's live documents, loaded by the page (which also keeps the links' titles). */
  documents: Loadable<DocumentDto[]>;
  /** Reads the list again (each time the dialog opens), keeping what is shown meanwhile. */
  refresh: () => void;
  retry: () => void;
}) {
  const formId = useId();
  const filterId = useId();
  const countId = useId();
  const [filter, setFilter] = useState('');

  const matches = documents.status === 'ready' ? matchingDocuments(documents.value, filter, documentId) : [];

  const choose = (doc: DocumentDto) => {
    docRefModal.close();
    insertDocRef(editor, doc.id, doc.title);
  };

  return (
    <FormDialog
      modal={docRefModal}
      formId={formId}
      title={m.title}
      cancelLabel={m.cancel}
      initialFocusId={filterId}
      onOpen={() => {
        setFilter('');
        refresh();
      }}
      onClose={() => {
        if (!editor.isDestroyed) editor.commands.focus();
      }}
    >
      <Input
        label={m.filterLabel}
        hintText={m.filterHint}
        nativeInputProps={{
          id: filterId,
          type: 'search',
          value: filter,
          autoComplete: 'off',
          'aria-describedby': countId,
          onChange: (event) => setFilter(event.target.value),
          onKeyDown: (event) => {
            // Enter takes the first match.
            if (event.key === 'Enter' && matches[0]) {
              event.preventDefault();
              choose(matches[0]);
            }
          },
        }}
      />
      {documents.status === 'loading' && <p role="status">{m.loading}</p>}
      {documents.status === 'error' && (
        <Alert
          severity="error"
          small
          description={
            <>
              {m.failed} {documents.message}{' '}
              <Button type="button" size="small" priority="tertiary" onClick={retry}>
                {m.retry}
              </Button>
            </>
          }
        />
      )}
      {documents.status === 'ready' && (
        <>
          <p id={countId} role="status" className={fr.cx('fr-text--sm', 'fr-mb-1w')}>
            {documents.value.filter((d) => d.id !== documentId).length === 0
              ? m.none
              : matches.length === 0
                ? m.noMatch
                : m.results(matches.length)}
          </p>
          {matches.length > 0 && (
            <ul className="essaim-docref-list" aria-label={m.listLabel}>
              {matches.slice(0, SHOWN).map((doc) => (
                <li key={doc.id}>
                  <button type="button" className="essaim-docref-list__item" onClick={() => choose(doc)}>
                    <span className="essaim-docref-list__title">
                      <span className="fr-sr-only">{m.insertPrefix}</span>
                      {doc.title}
                    </span>
                    <span className={fr.cx('fr-text--xs', 'fr-mb-0') + ' essaim-muted'}>
                      {documentKindLabels[doc.kind]}
                    </span>
                  </button>
                </li>
              ))}
            </ul>
          )}
          {matches.length > SHOWN && <p className={fr.cx('fr-text--sm')}>{m.more(matches.length - SHOWN)}</p>}
        </>
      )}
    </FormDialog>
  );
}
