import { useEffect, useId, useRef, useState, type FormEvent, type RefObject } from 'react';
import { Link } from 'wouter';
import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Badge } from '@codegouvfr/react-dsfr/Badge';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { fr, type FrIconClassName } from '@codegouvfr/react-dsfr';
import {
  reviewEventLabels,
  sectionReviewStateLabels,
  staleApprovalLabel,
  type ReviewEvent,
} from '@essaim/domain';
import {
  REVIEW_MESSAGE_MAX,
  reviewSectionInput,
  type ReviewedSectionDto,
  type ReviewQueueEntryDto,
  type ReviewSectionInput,
} from '@essaim/protocol';
import { ApiError } from '../../shared/api.js';
import { formatDate } from '../../shared/dates.js';
import type { Loadable } from '../../shared/useLoad.js';
import { useFocusRequest } from '../../shared/useFocusRequest.js';
import { reviewQueueMessages as m } from './messages.js';
import { entryKey, sectionChanges, shownActions, type DocumentEvidence } from './model.js';
import { SectionChangesView } from './SectionChanges.js';

/** The id of an entry's heading, where the focus goes after a decision on the entry before it. */
export const entryHeadingId = (key: string): string => `relecture-${key.replace(/[^A-Za-z0-9_-]/g, '-')}`;

const icons: Record<ReviewEvent, FrIconClassName> = {
  approve: 'fr-icon-check-line',
  request_changes: 'fr-icon-chat-3-line',
  submit: 'fr-icon-send-plane-line',
  lock: 'fr-icon-lock-line',
  unlock: 'fr-icon-lock-unlock-line',
};

/** Sends one review step; rejects with an `ApiError` carrying the server's French reason. */
export type Decide = (entry: ReviewQueueEntryDto, input: ReviewSectionInput) => Promise<void>;

/**
 * One section of the queue: where it is (section, document), who did what when, the message of
 * the submission or of the request, what changed since its last approval, and the buttons of the
 * steps the caller may take (the server's `actions`, read with the text shown). « Approuver »
 * sends the hash of the text shown, so a section changed meanwhile is refused, not approved;
 * « Demander des modifications » opens a form whose message is required.
 */
export function QueueEntry({
  entry,
  evidence,
  onDecide,
  onRetryEvidence,
}: {
  entry: ReviewQueueEntryDto;
  /** The document's sections and comparisons, once read (undefined: not asked yet). */
  evidence: Loadable<DocumentEvidence> | undefined;
  onDecide: Decide;
  onRetryEvidence: () => void;
}) {
  const key = entryKey(entry);
  const headingId = entryHeadingId(key);
  const changesId = useId();
  const title = entry.section.title.trim() || m.untitledSection;
  const ready = evidence?.status === 'ready' ? evidence.value : null;
  const section: ReviewedSectionDto | null = ready?.sections.get(entry.section.id) ?? null;
  const actions = section ? shownActions(section.review.actions) : [];
  const [pending, setPending] = useState<ReviewEvent | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [requestOpen, setRequestOpen] = useState(false);
  const requestToggle = useRef<HTMLButtonElement>(null);
  const alertRef = useRef<HTMLDivElement>(null);
  const requestFocus = useFocusRequest();

  const send = async (input: ReviewSectionInput): Promise<void> => {
    setPending(input.action);
    setFailure(null);
    try {
      await onDecide(entry, input);
    } finally {
      setPending(null);
    }
  };

  const oneClick = async (event: ReviewEvent) => {
    try {
      // The hash of the text shown: the server refuses an approval of words changed since.
      await send({ action: event, ...(event === 'approve' && section ? { hash: section.hash } : {}) });
    } catch (error) {
      setFailure(error instanceof Error ? error.message : String(error));
      requestFocus(() => alertRef.current);
    }
  };

  const buttonFor = (event: ReviewEvent) => {
    const priority = event === 'approve' ? 'primary' : 'secondary';
    if (event === 'request_changes') {
      return (
        <Button
          ref={requestToggle}
          iconId={icons[event]}
          size="small"
          priority={priority}
          disabled={pending !== null}
          nativeButtonProps={{
            'aria-describedby': headingId,
            'aria-expanded': requestOpen,
            'aria-controls': requestOpen ? `${headingId}-demande` : undefined,
          }}
          onClick={() => setRequestOpen((open) => !open)}
        >
          {reviewEventLabels[event]}
        </Button>
      );
    }
    return (
      <Button
        iconId={icons[event]}
        size="small"
        priority={priority}
        disabled={pending !== null}
        nativeButtonProps={{ 'aria-describedby': headingId }}
        onClick={() => void oneClick(event)}
      >
        {pending === event ? m.sending : reviewEventLabels[event]}
      </Button>
    );
  };

  return (
    <article className="essaim-queue-entry" aria-labelledby={headingId} data-entry={key}>
      <div className="essaim-queue-entry__head">
        <h4 id={headingId} tabIndex={-1} className={fr.cx('fr-h6', 'fr-mb-0')}>
          {title}
        </h4>
        <StateBadge entry={entry} />
      </div>
      <p className={fr.cx('fr-text--sm', 'fr-mb-1v')}>
        {m.inDocument}
        <Link to={`/documents/${entry.document.id}`}>{entry.document.title}</Link>
      </p>
      <p className={fr.cx('fr-text--sm', 'fr-mb-1w') + ' essaim-muted'}>
        <Who entry={entry} />
      </p>
      {entry.message && (
        <figure className={fr.cx('fr-mb-2w') + ' essaim-queue-entry__message'}>
          <figcaption className={fr.cx('fr-text--xs', 'fr-mb-1v')}>
            {entry.state === 'soumise'
              ? m.submitMessage
              : entry.state === 'modifications_demandees'
                ? m.requestMessage
                : m.approvalMessage}
          </figcaption>
          <blockquote className={fr.cx('fr-mb-0')}>
            <p className={fr.cx('fr-mb-0')}>{entry.message}</p>
          </blockquote>
        </figure>
      )}

      {evidence === undefined || evidence.status === 'loading' ? (
        <p className={fr.cx('fr-text--sm')}>{m.changesLoading}</p>
      ) : evidence.status === 'error' ? (
        <div role="alert" className={fr.cx('fr-mb-2w')}>
          <p className={fr.cx('fr-error-text', 'fr-mt-0')}>{m.changesFailed}</p>
          <p className={fr.cx('fr-text--sm')}>{evidence.message}</p>
          <Button size="small" priority="secondary" iconId="fr-icon-refresh-line" onClick={onRetryEvidence}>
            {m.retry}
          </Button>
        </div>
      ) : (
        <SectionChangesView
          changes={sectionChanges(evidence.value, entry.section.id, m.untitledSection)}
          headingId={changesId}
          submitted={entry.state === 'soumise'}
        />
      )}

      <div className="essaim-queue-entry__actions">
        {actions.length > 0 && (
          <ul
            className={fr.cx(
              'fr-btns-group',
              'fr-btns-group--inline',
              'fr-btns-group--sm',
              'fr-btns-group--icon-left',
            )}
            aria-label={m.actionsLabel(title)}
          >
            {actions.map((event) => (
              <li key={event}>{buttonFor(event)}</li>
            ))}
          </ul>
        )}
        <Link
          className={fr.cx('fr-link', 'fr-icon-file-text-line', 'fr-link--icon-left')}
          to={`/documents/${entry.document.id}?section=${encodeURIComponent(entry.section.id)}`}
          aria-label={m.openSectionLabel(title, entry.document.title)}
        >
          {m.openSection}
        </Link>
      </div>

      {requestOpen && (
        <RequestForm
          id={`${headingId}-demande`}
          pending={pending === 'request_changes'}
          onSend={(message) => send({ action: 'request_changes', message })}
          onCancel={() => {
            setRequestOpen(false);
            requestFocus(() => requestToggle.current);
          }}
        />
      )}

      {failure && <FailureAlert focusRef={alertRef} message={failure} />}
    </article>
  );
}

const stateBadge = {
  soumise: 'info',
  modifications_demandees: 'warning',
  brouillon: undefined,
  approuvee: 'success',
} as const;

/** The section's state as a DSFR badge; a stale approval says « Modifiée depuis l’approbation ». */
function StateBadge({ entry }: { entry: ReviewQueueEntryDto }) {
  if (entry.stale)
    return (
      <Badge as="span" small noIcon severity="warning">
        {staleApprovalLabel}
      </Badge>
    );
  return (
    <Badge as="span" small noIcon severity={stateBadge[entry.state]}>
      {sectionReviewStateLabels[entry.state]}
    </Badge>
  );
}

/** « Soumise par Thomas Girard le 3 mars 2026 à 10:12 », or who requested or approved. */
function Who({ entry }: { entry: ReviewQueueEntryDto }) {
  if (entry.state === 'soumise') {
    if (!entry.submittedAt) return null;
    const when = formatDate(entry.submittedAt);
    return <>{entry.submittedBy ? m.submittedBy(entry.submittedBy.name, when) : m.submittedAt(when)}</>;
  }
  if (!entry.decidedAt) return null;
  const when = formatDate(entry.decidedAt);
  if (entry.state === 'modifications_demandees')
    return <>{entry.decidedBy ? m.requestedBy(entry.decidedBy.name, when) : m.requestedAt(when)}</>;
  return <>{entry.decidedBy ? m.approvedBy(entry.decidedBy.name, when) : m.approvedAt(when)}</>;
}

/**
 * The request for changes: a required message (the same rule as the server's, from
 * `reviewSectionInput`), said next to the field with the focus on it when missing or refused.
 */
function RequestForm({
  id,
  pending,
  onSend,
  onCancel,
}: {
  id: string;
  pending: boolean;
  onSend: (message: string) => Promise<void>;
  onCancel: () => void;
}) {
  const [message, setMessage] = useState('');
  const [fieldError, setFieldError] = useState<string | null>(null);
  const [general, setGeneral] = useState<string | null>(null);
  const field = useRef<HTMLTextAreaElement>(null);
  const alertRef = useRef<HTMLDivElement>(null);
  const requestFocus = useFocusRequest();
  // Opened: the person writes at once.
  useEffect(() => field.current?.focus(), []);

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setGeneral(null);
    const checked = reviewSectionInput.safeParse({ action: 'request_changes', message });
    if (!checked.success) {
      setFieldError(checked.error.issues[0]?.message ?? m.requestHint);
      requestFocus(() => field.current);
      return;
    }
    setFieldError(null);
    try {
      await onSend(checked.data.message ?? '');
    } catch (error) {
      const detail =
        error instanceof ApiError
          ? error.body.details?.find((d) => d.path === 'message')?.message
          : undefined;
      if (detail) {
        setFieldError(detail);
        requestFocus(() => field.current);
      } else {
        setGeneral(error instanceof Error ? error.message : String(error));
        requestFocus(() => alertRef.current);
      }
    }
  };

  return (
    <form id={id} className="essaim-queue-entry__request" onSubmit={(e) => void submit(e)} noValidate>
      <Input
        textArea
        label={m.requestField}
        hintText={m.requestHint}
        state={fieldError ? 'error' : 'default'}
        stateRelatedMessage={fieldError ?? undefined}
        nativeTextAreaProps={{
          ref: field,
          name: 'message',
          rows: 3,
          value: message,
          maxLength: REVIEW_MESSAGE_MAX,
          required: true,
          'aria-invalid': fieldError ? true : undefined,
          onChange: (e) => setMessage(e.target.value),
          onKeyDown: (e) => {
            if (e.key === 'Escape') onCancel();
          },
        }}
      />
      {general && <FailureAlert focusRef={alertRef} message={general} />}
      <ul
        className={fr.cx(
          'fr-btns-group',
          'fr-btns-group--inline',
          'fr-btns-group--sm',
          'fr-btns-group--icon-left',
        )}
      >
        <li>
          <Button type="submit" size="small" iconId="fr-icon-send-plane-line" disabled={pending}>
            {pending ? m.sending : m.requestSend}
          </Button>
        </li>
        <li>
          <Button type="button" size="small" priority="tertiary" onClick={onCancel}>
            {m.requestCancel}
          </Button>
        </li>
      </ul>
    </form>
  );
}

/**
 * A refused decision: the server's French reason as it is (« La section a été modifiée pendant
 * votre relecture : relisez-la avant de décider. »). The focus moves here, which reads it once.
 */
function FailureAlert({
  focusRef,
  message,
}: {
  focusRef: RefObject<HTMLDivElement | null>;
  message: string;
}) {
  return (
    <div ref={focusRef} tabIndex={-1} className={fr.cx('fr-my-2w')}>
      <Alert
        small
        severity="error"
        role={undefined}
        description={
          <>
            <strong>{m.decisionFailedTitle}.</strong> {message}
          </>
        }
      />
    </div>
  );
}
