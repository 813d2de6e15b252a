import { useRef, useState } from 'react';
import { createPortal } from 'react-dom';
import { createModal } from '@codegouvfr/react-dsfr/Modal';
import { fr } from '@codegouvfr/react-dsfr';
import { formatDate } from '../../shared/dates.js';
import { FormAlert } from '../../shared/FormAlert.js';
import { CompactLoadFailed } from '../../shared/LoadFailed.js';
import { useFocusRequest } from '../../shared/useFocusRequest.js';
import { FormDialog } from '../editor/FormDialog.js';
import { CompareWithPublication, compareModal } from './CompareWithPublication.js';
import { publicationMessages } from './messages.js';
import { publish, setHidden } from './publicationActions.js';
import type { Publications } from './usePublications.js';
import './publication.css';

const m = publicationMessages.bar;
const d = publicationMessages.dialog;

/** « Publier », « Dépublier », « Republier »: one confirmation dialog, its text by the action. */
const actionModal = createModal({ id: 'modale-publication', isOpenedByDefault: false });

type Action = 'publish' | 'unpublish' | 'republish';

/** Where the focus goes after an action: the document's state line, redrawn with the new state. */
export const PUBLICATION_FOCUS_TARGET = '[data-review-bar-status]';

/** Focuses the first element matching `selector` once it is drawn, trying for at most 20 frames. */
function focusWhenDrawn(selector: string, framesLeft = 20): void {
  requestAnimationFrame(() => {
    const element = document.querySelector<HTMLElement>(selector);
    if (element) element.focus();
    else if (framesLeft > 0) focusWhenDrawn(selector, framesLeft - 1);
  });
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * The publication row of the editor's document bar (issue 13). For everyone, once the document
 * is published: which version the portal shows, since when and by whom, with the link to its
 * portal page; when the draft moved on, « Une nouvelle version est en cours de rédaction » and
 * « Comparer avec la publication » (the history's comparison, from the publication's version to
 * the current text). For the animateur (`canPublish`, from `can()` on the server): « Publier »
 * when the document is prête à publier, « Publier la version N+1 » when a new version is ready,
 * « Dépublier » and « Republier », each after a dialog that says what it does; the server's
 * refusals are shown in that dialog, in its French.
 *
 * Focus: the dialog takes it; after an action it goes to the document's state line and the
 * outcome is spoken (`announce`); a cancelled dialog gives it back to its button.
 */
export function PublicationBar({
  documentId,
  publications,
  canPublish,
  announce,
}: {
  documentId: string;
  publications: Publications;
  canPublish: boolean;
  announce: (message: string) => void;
}) {
  // What the dialog asks, fixed when it opens (the numbers change once the action is done).
  const [asked, setAsked] = useState<{ action: Action; number: number; previous: number | null }>({
    action: 'publish',
    number: 1,
    previous: null,
  });
  const { action } = asked;
  const [pending, setPending] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const [compareOpened, setCompareOpened] = useState(0);
  const failureRef = useRef<HTMLDivElement>(null);
  const opener = useRef<HTMLElement | null>(null);
  const focusAfter = useRef<string | null>(null);
  const requestFocus = useFocusRequest();
  const { state, status } = publications;

  if (state.status === 'error')
    return (
      <div className="essaim-publication">
        <CompactLoadFailed
          title={m.loadFailed}
          message={state.message}
          retryLabel={m.retry}
          onRetry={publications.retry}
        />
      </div>
    );
  if (!status) return null;
  const { latest, visible, newVersionInProgress, nextNumber, publishable } = status;
  // Nothing to say to a reader about a document that was never published: its state is in the bar.
  if (!latest && !canPublish) return null;

  const remember = () => {
    opener.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
  };
  const ask = (next: Action) => {
    remember();
    setAsked({
      action: next,
      number: next === 'publish' ? nextNumber : (latest?.number ?? 1),
      previous: latest?.number ?? null,
    });
    setFailure(null);
    actionModal.open();
  };

  const confirm = async () => {
    setPending(true);
    setFailure(null);
    try {
      if (action === 'publish') {
        const publication = await publish(documentId, publications);
        announce(publicationMessages.done.published(publication.number));
      } else {
        const publication = await setHidden(publications, action === 'unpublish');
        announce(
          action === 'unpublish'
            ? publicationMessages.done.unpublished
            : publicationMessages.done.republished(publication.number),
        );
      }
      setPending(false);
      focusAfter.current = PUBLICATION_FOCUS_TARGET;
      actionModal.close();
    } catch (error) {
      setPending(false);
      setFailure(messageOf(error));
      requestFocus(() => failureRef.current);
    }
  };

  const afterDialog = () => {
    const target = focusAfter.current;
    focusAfter.current = null;
    if (target) return focusWhenDrawn(target);
    const back = opener.current;
    opener.current = null;
    if (back?.isConnected) back.focus();
  };

  const button = (
    label: string,
    next: Action,
    priority: 'primary' | 'secondary' | 'tertiary',
    icon: string,
  ) => (
    <button
      type="button"
      className={
        fr.cx(
          'fr-btn',
          'fr-btn--sm',
          priority === 'secondary' && 'fr-btn--secondary',
          priority === 'tertiary' && 'fr-btn--tertiary',
          'fr-btn--icon-left',
        ) + ` ${icon}`
      }
      onClick={() => ask(next)}
    >
      {label}
    </button>
  );

  const dialogTitle =
    action === 'publish'
      ? d.publishTitle(asked.number)
      : action === 'unpublish'
        ? d.unpublishTitle
        : d.republishTitle;
  const confirmLabel = pending
    ? d.pending
    : action === 'publish'
      ? d.publishConfirm(asked.number)
      : action === 'unpublish'
        ? d.unpublishConfirm
        : d.republishConfirm;

  return (
    <div className="essaim-publication" data-testid="publication-bar">
      {latest && (
        <p className="essaim-publication__line">
          <span
            className={
              fr.cx(visible ? 'fr-icon-global-line' : 'fr-icon-eye-off-line') + ' essaim-publication__icon'
            }
            aria-hidden="true"
          />
          <strong>{visible ? m.lineVisible(latest.number) : m.lineHidden(latest.number)}</strong>{' '}
          <span className="essaim-publication__when">
            {m.publishedOn(formatDate(latest.publishedAt), latest.publishedBy?.name ?? null)}
          </span>
          {visible && (
            <>
              {' '}
              <a
                className={fr.cx('fr-link', 'fr-link--sm')}
                href={latest.documentUrl}
                title={m.portalLinkTitle(latest.number)}
              >
                {m.portalLink}
              </a>
            </>
          )}
        </p>
      )}
      {latest && visible && !newVersionInProgress && <p className="essaim-publication__hint">{m.frozen}</p>}
      {latest && !visible && <p className="essaim-publication__hint">{m.unpublishedHint}</p>}
      {latest && newVersionInProgress && (
        <p className="essaim-publication__hint" data-testid="new-version">
          <strong>{m.newVersion}.</strong> {m.newVersionHint(latest.number)}
        </p>
      )}
      {canPublish && !latest && (
        <p className="essaim-publication__hint">{publishable ? m.readyHint : m.notReadyHint}</p>
      )}
      {canPublish && latest && visible && newVersionInProgress && !publishable && (
        <p className="essaim-publication__hint">{m.nextNotReadyHint(nextNumber)}</p>
      )}
      <div className="essaim-publication__actions">
        {latest && newVersionInProgress && latest.versionId && (
          <button
            type="button"
            className={fr.cx(
              'fr-btn',
              'fr-btn--sm',
              'fr-btn--tertiary',
              'fr-btn--icon-left',
              'ri-arrow-left-right-line',
            )}
            title={m.compareTitle(latest.number)}
            onClick={() => {
              remember();
              setCompareOpened((n) => n + 1);
              compareModal.open();
            }}
          >
            {m.compare}
          </button>
        )}
        {canPublish &&
          publishable &&
          button(
            latest ? m.publishNext(nextNumber) : m.publish,
            'publish',
            'primary',
            'fr-icon-upload-2-line',
          )}
        {canPublish &&
          latest &&
          visible &&
          button(m.unpublish, 'unpublish', 'tertiary', 'fr-icon-eye-off-line')}
        {canPublish &&
          latest &&
          !visible &&
          button(m.republish, 'republish', 'secondary', 'fr-icon-global-line')}
      </div>
      {/* The dialogs live at the end of the page, outside the document bar and its region. */}
      {createPortal(
        <>
          {canPublish && (
            <FormDialog
              modal={actionModal}
              formId="formulaire-publication"
              title={dialogTitle}
              submitLabel={confirmLabel}
              cancelLabel={d.cancel}
              pending={pending}
              onSubmit={() => void confirm()}
              onOpen={() => setFailure(null)}
              onClose={afterDialog}
            >
              {failure && (
                <FormAlert focusRef={failureRef} small as="h3" title={d.failedTitle} description={failure} />
              )}
              {action === 'publish' ? (
                <>
                  <p className={fr.cx('fr-mb-1w')}>{d.publishFreeze(asked.number)}</p>
                  <p className={fr.cx('fr-mb-1w')}>
                    <strong>{d.publishNeverChanges}</strong>
                  </p>
                  <p className={fr.cx(asked.previous ? 'fr-mb-1w' : 'fr-mb-0')}>{d.publishPortal}</p>
                  {asked.previous !== null && (
                    <p className={fr.cx('fr-mb-0')}>{d.publishKeeps(asked.previous)}</p>
                  )}
                </>
              ) : (
                <p className={fr.cx('fr-mb-0')}>
                  {action === 'unpublish' ? d.unpublishBody : d.republishBody(asked.number)}
                </p>
              )}
            </FormDialog>
          )}
          {latest?.versionId && (
            <CompareWithPublication
              documentId={documentId}
              number={latest.number}
              versionId={latest.versionId}
              opened={compareOpened}
              onClosed={afterDialog}
            />
          )}
        </>,
        document.body,
      )}
    </div>
  );
}
