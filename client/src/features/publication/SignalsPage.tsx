import { useCallback, useId, useRef, useState } from 'react';
import { Link } from 'wouter';
import { SegmentedControl } from '@codegouvfr/react-dsfr/SegmentedControl';
import { fr } from '@codegouvfr/react-dsfr';
import { structureTypeLabels, type StructureType } from '@essaim/domain';
import type { EspaceDetailDto, ReuseSignalDto, ReuseSignalStatus } from '@essaim/protocol';
import { ApiError } from '../../shared/api.js';
import { formatDate } from '../../shared/dates.js';
import { ErrorPage } from '../../shared/ErrorPage.js';
import { FormAlert } from '../../shared/FormAlert.js';
import { LoadFailed } from '../../shared/LoadFailed.js';
import { StatusMessage } from '../../shared/StatusMessage.js';
import { useDocumentTitle } from '../../shared/useDocumentTitle.js';
import { useFocusOnMount } from '../../shared/useFocusOnMount.js';
import { useFocusRequest } from '../../shared/useFocusRequest.js';
import { useLoad } from '../../shared/useLoad.js';
import { useEspace } from '../espaces/EspaceLayout.js';
import { listSignals, moderateSignal } from './api.js';
import { publicationMessages } from './messages.js';
import { mailtoOf, nextAfterRemoval, readSignalStatus, STATUS_PARAM } from './signals.js';
import './publication.css';
import { useSearchParams } from '../../shared/useSearchParams.js';

const m = publicationMessages.signals;

/** The name of a structure type (`association`…), or the value itself when unknown. */
const structureTypeLabel = (value: string) =>
  (structureTypeLabels as Record<string, string>)[value as StructureType] ?? value;

const headingIdOf = (signalId: string) => `signalement-${signalId}`;

/**
 * `/espaces/:id/signalements`: « Signalements de reprise » (issue 13), the animateur's moderation
 * of what visitors of the portal said with « Je m'inspire de cette pratique ». The signals waiting
 * for a decision, newest first, each with its practice (a link to the document), territory,
 * structure, message, contact email and date, and « Approuver » / « Refuser »; the approved and
 * refused ones behind the same filter (`?statut=en_attente|approuve|refuse`, in the address).
 * Those the server does not let moderate (`permissions.moderateSignals`) are told the page is
 * not theirs.
 */
export function SignalsPage() {
  const { espace } = useEspace();
  if (!espace.permissions.moderateSignals) {
    return (
      <ErrorPage
        title={m.forbiddenTitle}
        code={m.forbiddenCode}
        lead={m.forbiddenLead}
        homeLabel={m.home}
        homeTo={`/espaces/${espace.id}`}
      />
    );
  }
  return <SignalsView espace={espace} />;
}

function SignalsView({ espace }: { espace: EspaceDetailDto }) {
  useDocumentTitle(m.documentTitle(espace.name));
  const headingRef = useFocusOnMount<HTMLHeadingElement>();
  const listHeadingRef = useRef<HTMLHeadingElement>(null);
  const listHeadingId = useId();
  const filterName = useId();
  const requestFocus = useFocusRequest();
  const [params, setParams] = useSearchParams();
  const status = readSignalStatus(params);
  const setStatus = useCallback(
    (next: ReuseSignalStatus) =>
      setParams(
        (current) => {
          const out = new URLSearchParams(current);
          if (next === 'en_attente') out.delete(STATUS_PARAM);
          else out.set(STATUS_PARAM, next);
          return out;
        },
        { replace: true },
      ),
    [setParams],
  );

  const signals = useLoad(
    (signal) => listSignals(espace.id, status, signal).then((list) => ({ status, list })),
    [espace.id, status],
  );
  const ready = signals.state.status === 'ready' ? signals.state.value : null;
  const shown = ready && ready.status === status ? ready.list : null;

  const [pending, setPending] = useState<ReadonlyMap<string, boolean>>(new Map());
  const [errors, setErrors] = useState<ReadonlyMap<string, string>>(new Map());
  const [outcome, setOutcome] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const noticeRef = useRef<HTMLDivElement>(null);

  const decide = async (target: ReuseSignalDto, approve: boolean) => {
    setOutcome(null);
    setNotice(null);
    setPending((p) => new Map(p).set(target.id, approve));
    setErrors((e) => {
      const next = new Map(e);
      next.delete(target.id);
      return next;
    });
    const remove = () => {
      const next = shown ? nextAfterRemoval(shown, target.id) : null;
      signals.update((current) => ({ ...current, list: current.list.filter((s) => s.id !== target.id) }));
      return next;
    };
    try {
      await moderateSignal(target.id, approve);
      const next = remove();
      setOutcome(approve ? m.approved(target.document.title) : m.rejected(target.document.title));
      requestFocus(
        () => (next ? document.getElementById(headingIdOf(next)) : null) ?? listHeadingRef.current,
      );
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (error instanceof ApiError && (error.status === 409 || error.status === 404)) {
        // Someone decided first: the signal is no longer waiting; the reason outlives its card.
        remove();
        setNotice(message);
        requestFocus(() => noticeRef.current);
      } else {
        setErrors((e) => new Map(e).set(target.id, message));
      }
    } finally {
      setPending((p) => {
        const next = new Map(p);
        next.delete(target.id);
        return next;
      });
    }
  };

  return (
    <div className={fr.cx('fr-container', 'fr-pt-2w', 'fr-pb-6w')}>
      <h1 ref={headingRef} tabIndex={-1} className={fr.cx('fr-mb-1w')}>
        {m.title}
      </h1>
      <p className={fr.cx('fr-text--sm', 'fr-mb-1w') + ' essaim-muted'}>{espace.name}</p>
      <p className={fr.cx('fr-text--lead', 'fr-mb-3w')}>{m.lead}</p>

      <SegmentedControl
        legend={m.filterLegend}
        className={fr.cx('fr-mb-3w')}
        segments={[
          segment('en_attente', status, filterName, setStatus),
          segment('approuve', status, filterName, setStatus),
          segment('refuse', status, filterName, setStatus),
        ]}
      />

      <section aria-labelledby={listHeadingId}>
        <div className="essaim-signals__head">
          <h2 id={listHeadingId} ref={listHeadingRef} tabIndex={-1} className={fr.cx('fr-h4', 'fr-mb-0')}>
            {m.listLabel(m.statuses[status])}
          </h2>
          <p role="status" className={fr.cx('fr-mb-0') + ' essaim-muted'}>
            {signals.state.status === 'loading' || (ready && !shown)
              ? m.loading
              : shown
                ? m.count(shown.length, status)
                : null}
          </p>
        </div>
        <StatusMessage message={outcome} className={fr.cx('fr-mt-2w')} />
        {notice && (
          <FormAlert
            focusRef={noticeRef}
            severity="warning"
            small
            as="h3"
            title={m.noticeTitle}
            description={notice}
            className={fr.cx('fr-mt-2w', 'fr-mb-2w')}
          />
        )}
        {signals.state.status === 'error' && (
          <LoadFailed
            as="h3"
            title={m.loadFailed}
            message={signals.state.message}
            retryLabel={m.retry}
            onRetry={signals.retry}
          />
        )}
        {shown && shown.length > 0 && (
          <ul className="essaim-signals">
            {shown.map((s) => (
              <li key={s.id}>
                <SignalCard
                  signal={s}
                  pending={pending.get(s.id) ?? null}
                  error={errors.get(s.id) ?? null}
                  onDecide={(approve) => void decide(s, approve)}
                />
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}

function segment(
  value: ReuseSignalStatus,
  current: ReuseSignalStatus,
  name: string,
  onChange: (value: ReuseSignalStatus) => void,
) {
  return {
    label: m.statuses[value],
    nativeInputProps: { name, value, checked: current === value, onChange: () => onChange(value) },
  };
}

/** One signal: who, where, about which practice, what they said, and the animateur's decision. */
function SignalCard({
  signal,
  pending,
  error,
  onDecide,
}: {
  signal: ReuseSignalDto;
  /** The decision under way (true: approving), or null. */
  pending: boolean | null;
  error: string | null;
  onDecide: (approve: boolean) => void;
}) {
  const kind = structureTypeLabel(signal.structureType);
  const who = signal.structure || kind;
  const headingId = headingIdOf(signal.id);
  return (
    <article className="essaim-signal" aria-labelledby={headingId}>
      <h3 id={headingId} tabIndex={-1} className={fr.cx('fr-h6', 'fr-mb-1w')}>
        {m.entryTitle(who, signal.territoireLabel || signal.territoire)}
      </h3>
      <dl className="essaim-signal__fields">
        <div>
          <dt>{m.practice}</dt>
          <dd>
            <Link to={`/documents/${encodeURIComponent(signal.document.id)}`}>{signal.document.title}</Link>
          </dd>
        </div>
        <div>
          <dt>{m.territory}</dt>
          <dd>{signal.territoireLabel || signal.territoire}</dd>
        </div>
        <div>
          <dt>{m.structure}</dt>
          <dd>{signal.structure ? `${signal.structure} (${kind})` : `${kind} (${m.noStructureName})`}</dd>
        </div>
        <div>
          <dt>{m.email}</dt>
          <dd>{signal.email ? <a href={mailtoOf(signal.email)}>{signal.email}</a> : m.noEmail}</dd>
        </div>
        <div>
          <dt>{m.received}</dt>
          <dd>
            <time dateTime={signal.createdAt}>{formatDate(signal.createdAt)}</time>
          </dd>
        </div>
        {signal.moderatedAt && (
          <div>
            <dt>{m.moderated}</dt>
            <dd>
              <time dateTime={signal.moderatedAt}>{formatDate(signal.moderatedAt)}</time>
            </dd>
          </div>
        )}
        <div className="essaim-signal__message">
          <dt>{m.message}</dt>
          <dd>{signal.message || m.noMessage}</dd>
        </div>
      </dl>
      {signal.status === 'en_attente' && (
        <div className="essaim-signal__actions">
          <button
            type="button"
            className={fr.cx('fr-btn', 'fr-btn--sm', 'fr-btn--icon-left', 'fr-icon-check-line')}
            title={m.approveTitle(who, signal.document.title)}
            disabled={pending !== null}
            onClick={() => onDecide(true)}
          >
            {pending === true ? m.pending : m.approve}
          </button>
          <button
            type="button"
            className={fr.cx(
              'fr-btn',
              'fr-btn--sm',
              'fr-btn--secondary',
              'fr-btn--icon-left',
              'fr-icon-close-line',
            )}
            title={m.rejectTitle(who, signal.document.title)}
            disabled={pending !== null}
            onClick={() => onDecide(false)}
          >
            {pending === false ? m.pending : m.reject}
          </button>
        </div>
      )}
      {error && (
        <p role="alert" className={fr.cx('fr-error-text', 'fr-mt-1w')}>
          {m.failed}
          {error}
        </p>
      )}
    </article>
  );
}
