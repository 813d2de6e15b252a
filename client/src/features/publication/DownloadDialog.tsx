import { useId, useRef, useState } from 'react';
import { createModal } from '@codegouvfr/react-dsfr/Modal';
import { useIsModalOpen } from '@codegouvfr/react-dsfr/Modal/useIsModalOpen';
import { fr } from '@codegouvfr/react-dsfr';
import type { PublicationDto } from '@essaim/protocol';
import { formatDate } from '../../shared/dates.js';
import { FormAlert } from '../../shared/FormAlert.js';
import type { Loadable } from '../../shared/useLoad.js';
import { useFocusRequest } from '../../shared/useFocusRequest.js';
import { downloadDraft, publicationExportUrl, saveFile } from './api.js';
import { exportFormats, type ExportFormat } from './formats.js';
import { publicationMessages } from './messages.js';
import './publication.css';

const m = publicationMessages.download;

/** « Télécharger »: opened by its button (`downloadModal.buttonProps`: DSFR gives the focus back to it). */
export const downloadModal = createModal({ id: 'modale-telecharger', isOpenedByDefault: false });

type DraftState =
  | { status: 'idle' }
  | { status: 'pending'; format: ExportFormat }
  | { status: 'saved'; fileName: string }
  | { status: 'failed'; message: string };

/** The « Télécharger » button of the editor's header, for everyone who reads the document. */
export function DownloadButton() {
  return (
    <button
      type="button"
      className={fr.cx(
        'fr-btn',
        'fr-btn--sm',
        'fr-btn--secondary',
        'fr-btn--icon-left',
        'fr-icon-download-line',
      )}
      title={m.buttonTitle}
      {...downloadModal.buttonProps}
    >
      <span className="essaim-status-button__label">{m.button}</span>
    </button>
  );
}

/**
 * « Télécharger le document » (issue 14), a DSFR dialog in two parts:
 * - the working document, as it stands on the server, in PDF, Word (DOCX), OpenDocument (ODT),
 *   Markdown or HTML (`GET /api/documents/:id/export?format=`, each page marked « Document de
 *   travail — non publié »): the file is fetched, then saved under the server's name; while it is
 *   made, « Préparation du fichier PDF… » is spoken; a refusal is shown in the server's French;
 * - each visible publication, as published, by its public links (`/pratiques/<slug>/v/<N>/export.<ext>`),
 *   which anyone may follow and share.
 *
 * Every button and link names what it downloads for screen readers (« Télécharger le document de
 * travail en PDF »), the format's visible name included.
 */
export function DownloadDialog({
  documentId,
  publications,
}: {
  documentId: string;
  publications: Loadable<PublicationDto[]>;
}) {
  const draftHeadingId = useId();
  const publishedHeadingId = useId();
  const [draft, setDraft] = useState<DraftState>({ status: 'idle' });
  const controller = useRef<AbortController | null>(null);
  const failureRef = useRef<HTMLDivElement>(null);
  const requestFocus = useFocusRequest();

  useIsModalOpen(downloadModal, {
    onDisclose: () => setDraft({ status: 'idle' }),
    onConceal: () => {
      controller.current?.abort();
      controller.current = null;
    },
  });

  const download = async (format: ExportFormat) => {
    controller.current?.abort();
    const current = new AbortController();
    controller.current = current;
    setDraft({ status: 'pending', format });
    try {
      const file = await downloadDraft(documentId, format, current.signal);
      if (current.signal.aborted) return;
      saveFile(file);
      setDraft({ status: 'saved', fileName: file.fileName });
    } catch (error) {
      if (current.signal.aborted) return;
      setDraft({ status: 'failed', message: error instanceof Error ? error.message : String(error) });
      requestFocus(() => failureRef.current);
    }
  };

  const list = publications.status === 'ready' ? publications.value : [];
  const visible = list.filter((p) => !p.hidden);

  return (
    <downloadModal.Component
      title={m.title}
      titleAs="h2"
      size="large"
      buttons={[{ children: m.close, priority: 'secondary', doClosesModal: true }]}
    >
      <section aria-labelledby={draftHeadingId}>
        <h3 id={draftHeadingId} className={fr.cx('fr-h6', 'fr-mb-1w')}>
          {m.draftTitle}
        </h3>
        <p className={fr.cx('fr-text--sm', 'fr-mb-2w')}>{m.draftHint}</p>
        <ul className="essaim-download__formats">
          {exportFormats.map((format) => (
            <li key={format}>
              <button
                type="button"
                className={fr.cx(
                  'fr-btn',
                  'fr-btn--secondary',
                  'fr-btn--sm',
                  'fr-btn--icon-left',
                  'fr-icon-download-line',
                )}
                disabled={draft.status === 'pending'}
                onClick={() => void download(format)}
              >
                <span className="fr-sr-only">{m.draftPrefix}</span>
                {m.formats[format]}
              </button>
              <span className="essaim-download__hint">{m.formatHints[format]}</span>
            </li>
          ))}
        </ul>
        <div role="status" aria-live="polite" className="essaim-download__status">
          {draft.status === 'pending' && m.preparing(m.formats[draft.format])}
          {draft.status === 'saved' && m.saved(draft.fileName)}
        </div>
        {draft.status === 'failed' && (
          <FormAlert
            focusRef={failureRef}
            small
            as="h3"
            title={m.failedTitle}
            description={draft.message}
            className="fr-mt-1w"
          />
        )}
      </section>
      <section aria-labelledby={publishedHeadingId} className={fr.cx('fr-mt-4w')}>
        <h3 id={publishedHeadingId} className={fr.cx('fr-h6', 'fr-mb-1w')}>
          {m.publicationsTitle}
        </h3>
        {publications.status === 'loading' ? (
          <p role="status" className={fr.cx('fr-text--sm', 'fr-mb-0')}>
            {m.loadingPublications}
          </p>
        ) : publications.status === 'error' ? (
          <p className={fr.cx('fr-text--sm', 'fr-mb-0')}>{publications.message}</p>
        ) : list.length === 0 ? (
          <p className={fr.cx('fr-text--sm', 'fr-mb-0')}>{m.none}</p>
        ) : visible.length === 0 ? (
          <p className={fr.cx('fr-text--sm', 'fr-mb-0')}>{m.hidden}</p>
        ) : (
          <>
            <p className={fr.cx('fr-text--sm', 'fr-mb-2w')}>{m.publicationsHint}</p>
            <ul className="essaim-download__publications">
              {visible.map((publication) => (
                <li key={publication.id}>
                  <p className={fr.cx('fr-text--sm', 'fr-mb-1v')}>
                    <strong>{m.publication(publication.number, formatDate(publication.publishedAt))}</strong>
                  </p>
                  <ul className="essaim-download__links">
                    {exportFormats.map((format) => (
                      <li key={format}>
                        <a
                          className={fr.cx(
                            'fr-link',
                            'fr-link--sm',
                            'fr-icon-download-line',
                            'fr-link--icon-left',
                          )}
                          href={publicationExportUrl(publication, format)}
                          download
                        >
                          <span className="fr-sr-only">{m.publicationPrefix(publication.number)}</span>
                          {m.formats[format]}
                        </a>
                      </li>
                    ))}
                  </ul>
                </li>
              ))}
            </ul>
          </>
        )}
      </section>
    </downloadModal.Component>
  );
}
