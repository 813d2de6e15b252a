import { memo, useDeferredValue, useEffect, useId, useRef, useState, type RefObject } from 'react';
import { SegmentedControl } from '@codegouvfr/react-dsfr/SegmentedControl';
import { fr } from '@codegouvfr/react-dsfr';
import type { CommentDto, ThreadDto } from '@essaim/protocol';
import { CompactLoadFailed } from '../../shared/LoadFailed.js';
import { formatDate } from '../../shared/dates.js';
import { useBrowserOnline } from '../../shared/useBrowserOnline.js';
import { normalizeQuote } from './anchors.js';
import { CommentBody } from './CommentBody.js';
import { CommentForm } from './CommentForm.js';
import { toEditable } from './commentText.js';
import { commentsMessages as m } from './messages.js';
import type { ThreadFilter, ThreadGroup } from './ordering.js';
import type { Comments } from './useComments.js';
import './comments.css';

const QUOTE_SHOWN = 140;
const shorten = (text: string, max = QUOTE_SHOWN) => {
  const flat = normalizeQuote(text);
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
};

/** What a thread is about, in a few words: its quote, or its section. */
function subjectOf(thread: ThreadDto): string {
  return thread.wholeSection
    ? m.thread.wholeSection(thread.sectionTitle ?? thread.quote)
    : `« ${shorten(thread.quote, 60)} »`;
}

const NO_GROUPS: ThreadGroup[] = [];

/**
 * The comments panel beside the text: the document's threads in document order, grouped by
 * section, with the open / resolved / all filter; orphaned threads (« texte d'origine supprimé »)
 * after the others. A thread opens in place with its messages, the reply field and its actions.
 *
 * Drawn again only when `comments` changes (memo). The list of threads is drawn in the background
 * (`useDeferredValue`, interruptible): a thousand threads neither delay the highlights in the text
 * nor the person's typing; the count and the filter are up to date at once.
 */
export const CommentsPanel = memo(function CommentsPanel({
  comments,
  headingLevel = 2,
}: {
  comments: Comments;
  headingLevel?: 2;
}) {
  const headingId = useId();
  const filterName = useId();
  const browserOnline = useBrowserOnline();
  const { state, filter, setFilter, counts, draft } = comments;
  const groups = useDeferredValue(comments.groups, NO_GROUPS);
  const abilities = state.status === 'ready' ? state.abilities : null;
  const draftTitle =
    draft?.kind === 'section'
      ? m.form.newOnSection(draft.title || m.panel.untitledSection)
      : m.form.newOnSelection;
  const Heading = `h${headingLevel}` as const;

  const filterSegment = (value: ThreadFilter) => ({
    label: m.panel.filter[value],
    nativeInputProps: {
      name: filterName,
      value,
      checked: filter === value,
      onChange: () => setFilter(value),
    },
  });

  return (
    <aside className="essaim-comments" aria-labelledby={headingId}>
      <Heading id={headingId} className={fr.cx('fr-h6', 'fr-mb-1v')}>
        {m.panel.title}
      </Heading>
      {state.status === 'ready' && (
        <p className={fr.cx('fr-text--xs', 'fr-mb-1w') + ' essaim-muted'}>
          {m.panel.counts(counts.open, counts.resolved)}
        </p>
      )}
      <SegmentedControl
        small
        legend={m.panel.filterLegend}
        hideLegend
        className={fr.cx('fr-mb-2w')}
        segments={[filterSegment('open'), filterSegment('resolved'), filterSegment('all')]}
      />
      {state.status === 'loading' && <p role="status">{m.panel.loading}</p>}
      {state.status === 'error' && (
        <CompactLoadFailed
          title={m.panel.loadFailed}
          message={state.message}
          retryLabel={m.panel.retry}
          onRetry={comments.retry}
        />
      )}
      {state.status === 'ready' && state.saved ? (
        <p className={fr.cx('fr-text--sm') + ' essaim-comments__saved'} data-comments-saved="">
          {m.panel.saved[browserOnline ? 'unreachable' : 'offline']}
        </p>
      ) : (
        abilities &&
        !abilities.comment &&
        !abilities.resolve && <p className={fr.cx('fr-text--sm')}>{m.panel.archived}</p>
      )}
      {draft && abilities?.comment && (
        <section className="essaim-comments__draft" aria-label={draftTitle}>
          <p className={fr.cx('fr-text--sm', 'fr-mb-1w')}>
            <strong>{draftTitle}</strong>
            {draft.kind === 'selection' && (
              <>
                <br />
                <q className="essaim-thread__quote">{shorten(draft.quote)}</q>
              </>
            )}
          </p>
          <CommentForm
            key={draft.kind === 'selection' ? draft.anchor.start + draft.anchor.end : draft.sectionId}
            label={m.form.bodyLabel}
            submitLabel={m.form.publish}
            people={comments.people}
            onSubmit={comments.create}
            onCancel={comments.cancelDraft}
            autoFocus
          />
        </section>
      )}
      {state.status === 'ready' && !draft && abilities?.comment && (
        <p className={fr.cx('fr-text--xs') + ' essaim-muted'}>{m.panel.howTo}</p>
      )}
      {state.status === 'ready' &&
        (comments.groups.length === 0 ? (
          <p className={fr.cx('fr-text--sm')}>{m.panel.empty[filter]}</p>
        ) : (
          groups.map((group) => <Group key={group.key} group={group} comments={comments} />)
        ))}
    </aside>
  );
});

function groupTitle(group: ThreadGroup): string {
  if (group.kind === 'orphaned') return m.panel.orphanedGroup;
  if (group.kind === 'deleted-section')
    return group.title ? `${m.panel.unknownSection} : ${group.title}` : m.panel.unknownSection;
  return group.title ?? m.panel.untitledSection;
}

function Group({ group, comments }: { group: ThreadGroup; comments: Comments }) {
  const id = useId();
  return (
    <section className="essaim-comments__group" aria-labelledby={id}>
      <h3 id={id} className={fr.cx('fr-text--sm', 'fr-mb-1v') + ' essaim-comments__group-title'}>
        {groupTitle(group)}
      </h3>
      <ol className="essaim-comments__list">
        {group.threads.map((thread) => (
          <ThreadItem key={thread.id} thread={thread} comments={comments} />
        ))}
      </ol>
    </section>
  );
}

function ThreadItem({ thread, comments }: { thread: ThreadDto; comments: Comments }) {
  const open = comments.activeId === thread.id;
  const detailsId = useId();
  const headingRef = useRef<HTMLHeadingElement>(null);
  const itemRef = useRef<HTMLLIElement>(null);
  const first = thread.comments[0];
  const replies = Math.max(0, thread.comments.length - 1);
  const request = comments.focusRequest;

  // Opened from a link or the panel: focus its heading; opened from the text: bring it into view.
  useEffect(() => {
    if (!open) return;
    if (request?.threadId === thread.id) headingRef.current?.focus({ preventScroll: false });
    else itemRef.current?.scrollIntoView({ block: 'nearest' });
  }, [open, request, thread.id]);

  return (
    <li
      ref={itemRef}
      className={
        'essaim-thread' +
        (open ? ' essaim-thread--open' : '') +
        (thread.status === 'resolved' ? ' essaim-thread--resolved' : '')
      }
      data-thread-id={thread.id}
    >
      <button
        type="button"
        className="essaim-thread__summary"
        aria-expanded={open}
        aria-controls={open ? detailsId : undefined}
        onClick={() => (open ? comments.closeThread() : comments.openThread(thread.id, 'panel'))}
      >
        <span className="essaim-thread__subject">{subjectOf(thread)}</span>
        <span className="essaim-thread__meta">
          {first ? first.author.name : thread.createdBy.name} · {formatDate(thread.createdAt)} ·{' '}
          {m.thread.replies(replies)}
        </span>
        {(thread.status === 'resolved' || thread.orphaned) && (
          <span className="essaim-thread__flags">
            {thread.status === 'resolved' && (
              <span className={fr.cx('fr-badge', 'fr-badge--sm', 'fr-badge--success', 'fr-badge--no-icon')}>
                {m.thread.resolvedBadge}
              </span>
            )}
            {thread.orphaned && (
              <span className={fr.cx('fr-badge', 'fr-badge--sm', 'fr-badge--warning', 'fr-badge--no-icon')}>
                {m.thread.orphaned}
              </span>
            )}
          </span>
        )}
      </button>
      {open && <ThreadDetails id={detailsId} thread={thread} comments={comments} headingRef={headingRef} />}
    </li>
  );
}

function ThreadDetails({
  id,
  thread,
  comments,
  headingRef,
}: {
  id: string;
  thread: ThreadDto;
  comments: Comments;
  headingRef: RefObject<HTMLHeadingElement | null>;
}) {
  const abilities = comments.state.status === 'ready' ? comments.state.abilities : null;
  const [statusError, setStatusError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const changed =
    !thread.orphaned &&
    !thread.wholeSection &&
    thread.currentQuote !== null &&
    normalizeQuote(thread.currentQuote) !== normalizeQuote(thread.quote);

  // An open thread can be resolved, a resolved one reopened: one button, its words and icon following.
  const statusAction = thread.status === 'open' ? 'resolve' : 'reopen';
  const changeStatus = async (action: 'resolve' | 'reopen') => {
    setPending(true);
    setStatusError(null);
    try {
      await comments.setStatus(thread, action);
    } catch (error) {
      setStatusError(error instanceof Error ? error.message : m.errors.failed);
    } finally {
      setPending(false);
    }
  };

  return (
    <div id={id} className="essaim-thread__details">
      <h4
        ref={headingRef}
        tabIndex={-1}
        className={fr.cx('fr-text--sm', 'fr-mb-1w') + ' essaim-thread__heading'}
      >
        {thread.wholeSection
          ? m.thread.wholeSection(thread.sectionTitle ?? thread.quote)
          : m.thread.heading(shorten(thread.quote))}
      </h4>
      {!thread.wholeSection && (
        <blockquote className="essaim-thread__quote-block">
          <p className={fr.cx('fr-text--sm', 'fr-mb-0')}>{shorten(thread.quote, 600)}</p>
        </blockquote>
      )}
      {changed && thread.currentQuote && (
        <p className={fr.cx('fr-text--xs', 'fr-mb-1w') + ' essaim-muted'}>
          {m.thread.textChanged(shorten(thread.currentQuote))}
        </p>
      )}
      {thread.status === 'resolved' && thread.resolvedBy && thread.resolvedAt && (
        <p className={fr.cx('fr-text--xs', 'fr-mb-1w')}>
          {m.thread.resolvedBy(thread.resolvedBy.name, formatDate(thread.resolvedAt))}
        </p>
      )}
      <div className="essaim-thread__actions">
        {!thread.orphaned && (
          <button
            type="button"
            className={fr.cx(
              'fr-btn',
              'fr-btn--sm',
              'fr-btn--tertiary',
              'fr-btn--icon-left',
              'fr-icon-search-line',
            )}
            onClick={() => comments.focusWords(thread.id)}
          >
            {m.thread.goToText}
          </button>
        )}
        {abilities?.resolve && (
          <button
            type="button"
            className={fr.cx(
              'fr-btn',
              'fr-btn--sm',
              'fr-btn--secondary',
              'fr-btn--icon-left',
              statusAction === 'resolve' ? 'fr-icon-check-line' : 'fr-icon-refresh-line',
            )}
            disabled={pending}
            onClick={() => void changeStatus(statusAction)}
          >
            {m.thread[statusAction]}
          </button>
        )}
      </div>
      {statusError && (
        <p className={fr.cx('fr-error-text')} role="alert">
          {statusError}
        </p>
      )}
      <ol className="essaim-thread__messages">
        {thread.comments.map((comment) => (
          <Message key={comment.id} comment={comment} comments={comments} />
        ))}
      </ol>
      {abilities?.comment && (
        <CommentForm
          label={m.thread.replyLabel}
          submitLabel={m.thread.reply}
          people={comments.people}
          onSubmit={(body) => comments.reply(thread.id, body)}
          compact
        />
      )}
    </div>
  );
}

function Message({ comment, comments }: { comment: CommentDto; comments: Comments }) {
  const [editing, setEditing] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const editButton = useRef<HTMLButtonElement>(null);

  const remove = async () => {
    setError(null);
    try {
      await comments.remove(comment);
      setConfirming(false);
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : m.errors.failed);
    }
  };

  return (
    <li className="essaim-message">
      <p className={fr.cx('fr-text--xs', 'fr-mb-1v') + ' essaim-message__meta'}>
        <strong>{comment.author.name}</strong> ·{' '}
        <time dateTime={comment.createdAt}>{formatDate(comment.createdAt)}</time>
        {comment.editedAt && !comment.deleted && <> · {m.thread.edited}</>}
      </p>
      {comment.deleted ? (
        <p className={fr.cx('fr-text--sm', 'fr-mb-0') + ' essaim-message__deleted'}>
          {comment.moderated ? m.thread.moderated : m.thread.deleted}
        </p>
      ) : editing ? (
        <CommentForm
          label={m.thread.editLabel}
          submitLabel={m.thread.save}
          people={comments.people}
          initial={toEditable(comment.body, comment.mentions)}
          onSubmit={async (body) => {
            await comments.edit(comment, body);
            setEditing(false);
            requestAnimationFrame(() => editButton.current?.focus());
          }}
          onCancel={() => {
            setEditing(false);
            requestAnimationFrame(() => editButton.current?.focus());
          }}
          autoFocus
          compact
        />
      ) : (
        <CommentBody body={comment.body} mentions={comment.mentions} />
      )}
      {!comment.deleted && !editing && (comment.canEdit || comment.canDelete) && (
        <div className="essaim-message__actions">
          {comment.canEdit && (
            <button
              ref={editButton}
              type="button"
              className={fr.cx('fr-btn', 'fr-btn--tertiary-no-outline', 'fr-btn--sm')}
              onClick={() => setEditing(true)}
            >
              {m.thread.edit}
            </button>
          )}
          {comment.canDelete &&
            (confirming ? (
              <>
                <button
                  type="button"
                  className={fr.cx('fr-btn', 'fr-btn--secondary', 'fr-btn--sm')}
                  onClick={() => void remove()}
                  autoFocus
                >
                  {m.thread.confirmDelete}
                </button>
                <button
                  type="button"
                  className={fr.cx('fr-btn', 'fr-btn--tertiary-no-outline', 'fr-btn--sm')}
                  onClick={() => setConfirming(false)}
                >
                  {m.thread.cancel}
                </button>
              </>
            ) : (
              <button
                type="button"
                className={fr.cx('fr-btn', 'fr-btn--tertiary-no-outline', 'fr-btn--sm')}
                onClick={() => setConfirming(true)}
              >
                {m.thread.delete}
              </button>
            ))}
        </div>
      )}
      {error && (
        <p className={fr.cx('fr-error-text')} role="alert">
          {error}
        </p>
      )}
    </li>
  );
}
