import { useId, useMemo, useState, type FormEvent } from 'react';
import { fr } from '@codegouvfr/react-dsfr';
import type { VersionDto } from '@essaim/protocol';
import { CompactLoadFailed } from '../../shared/LoadFailed.js';
import type { Loadable } from '../../shared/useLoad.js';
import { CURRENT } from './api.js';
import { dayAndTimeOf, groupByDay } from './days.js';
import { historyMessages as m } from './messages.js';
import { nameVersionModal } from './NameVersionDialog.js';
import { KindBadge, VersionFacts } from './VersionMeta.js';

/** What the list asks the panel to show. */
export type ListRequest =
  { kind: 'version'; version: VersionDto } | { kind: 'compare'; from: VersionDto; to: VersionDto | null };

/**
 * The versions, newest first, grouped by day (« Aujourd’hui », « Hier », then dates), each with its
 * kind, label, time and authors, and « Voir » / « Comparer au texte actuel »; above them
 * « Enregistrer une version » (writers) and a form comparing any two versions or one with the
 * current text.
 */
export function VersionList({
  state,
  canWrite,
  now,
  onRetry,
  onRequest,
}: {
  state: Loadable<VersionDto[]>;
  canWrite: boolean;
  /** The moment « Aujourd’hui » and « Hier » are computed from (when the list was loaded). */
  now: Date;
  onRetry: () => void;
  onRequest: (request: ListRequest) => void;
}) {
  const versions = state.status === 'ready' ? state.value : null;
  const groups = useMemo(() => (versions ? groupByDay(versions, now) : []), [versions, now]);

  return (
    <>
      {versions && (
        <p className={fr.cx('fr-text--sm', 'fr-mb-2w') + ' essaim-muted'}>{m.panel.count(versions.length)}</p>
      )}
      {canWrite && (
        <button
          type="button"
          {...nameVersionModal.buttonProps}
          className={fr.cx('fr-btn', 'fr-btn--sm', 'fr-btn--icon-left', 'fr-icon-save-line', 'fr-mb-2w')}
        >
          {m.name.open}
        </button>
      )}
      {state.status === 'loading' && <p role="status">{m.panel.loading}</p>}
      {state.status === 'error' && (
        <CompactLoadFailed
          title={m.panel.loadFailed}
          message={state.message}
          retryLabel={m.panel.retry}
          onRetry={onRetry}
        />
      )}
      {versions && versions.length === 0 && <p className={fr.cx('fr-text--sm')}>{m.panel.empty}</p>}
      {versions && versions.length > 0 && <CompareForm versions={versions} onCompare={onRequest} />}
      {groups.map((group, index) => (
        <DayGroupList
          key={`${group.key}-${index}`}
          title={group.title}
          versions={group.items}
          onRequest={onRequest}
        />
      ))}
    </>
  );
}

function DayGroupList({
  title,
  versions,
  onRequest,
}: {
  title: string;
  versions: VersionDto[];
  onRequest: (request: ListRequest) => void;
}) {
  const headingId = useId();
  return (
    <section className="essaim-history__day" aria-labelledby={headingId}>
      <h3 id={headingId} className={fr.cx('fr-text--md', 'fr-mb-1w') + ' essaim-history__day-title'}>
        {title}
      </h3>
      <ol className="essaim-history__versions">
        {versions.map((version) => (
          <li key={version.id} className="essaim-history__version" data-version-id={version.id}>
            <p className={fr.cx('fr-text--sm', 'fr-mb-0') + ' essaim-history__version-title'}>
              <strong>{m.version.title(version.number)}</strong> <KindBadge kind={version.kind} />
            </p>
            <VersionFacts version={version} />
            <div className="essaim-history__actions">
              <button
                type="button"
                className={fr.cx(
                  'fr-btn',
                  'fr-btn--sm',
                  'fr-btn--tertiary',
                  'fr-btn--icon-left',
                  'fr-icon-eye-line',
                )}
                onClick={() => onRequest({ kind: 'version', version })}
              >
                {/* One span: a flex button would trim the spaces around the hidden words. */}
                <span>
                  {m.version.open}
                  <span className="fr-sr-only">{m.version.which(version.number)}</span>
                </span>
              </button>
              <button
                type="button"
                className={fr.cx('fr-btn', 'fr-btn--sm', 'fr-btn--tertiary-no-outline')}
                onClick={() => onRequest({ kind: 'compare', from: version, to: null })}
              >
                <span>
                  {m.version.compareStart}
                  <span className="fr-sr-only">{m.version.which(version.number)}</span>
                  {m.version.compareEnd}
                </span>
              </button>
            </div>
          </li>
        ))}
      </ol>
    </section>
  );
}

/**
 * « Comparer deux versions »: « De » a version, « À » another one or the current text. Two
 * versions given newest first are swapped, so a comparison always reads from older to newer.
 */
function CompareForm({
  versions,
  onCompare,
}: {
  versions: VersionDto[];
  onCompare: (request: ListRequest) => void;
}) {
  const fromId = useId();
  const toId = useId();
  const errorId = useId();
  const [from, setFrom] = useState<string>(versions[0]?.id ?? '');
  const [to, setTo] = useState<string>(CURRENT);
  const [error, setError] = useState<string | null>(null);
  const byId = useMemo(() => new Map(versions.map((v) => [v.id, v])), [versions]);
  // A version that has disappeared (thinned) falls back on the newest one.
  const fromValue = byId.has(from) ? from : (versions[0]?.id ?? '');
  const toValue = to === CURRENT || byId.has(to) ? to : CURRENT;

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const older = byId.get(fromValue);
    if (!older) return;
    if (toValue === fromValue) {
      setError(m.compare.same);
      document.getElementById(toId)?.focus();
      return;
    }
    setError(null);
    const newer = toValue === CURRENT ? null : (byId.get(toValue) ?? null);
    if (newer && newer.number < older.number) onCompare({ kind: 'compare', from: newer, to: older });
    else onCompare({ kind: 'compare', from: older, to: newer });
  };

  const option = (v: VersionDto) => (
    <option key={v.id} value={v.id}>
      {m.compare.option(v.number, v.label, dayAndTimeOf(v.createdAt))}
    </option>
  );

  return (
    <form className="essaim-history__compare" onSubmit={submit} noValidate>
      <fieldset className={fr.cx('fr-fieldset', 'fr-mb-0')}>
        <legend className={fr.cx('fr-fieldset__legend', 'fr-text--md', 'fr-mb-1w')}>
          {m.compare.formTitle}
        </legend>
        <div className={fr.cx('fr-select-group', 'fr-mb-1w')}>
          <label className={fr.cx('fr-label')} htmlFor={fromId}>
            {m.compare.from}
          </label>
          <select
            id={fromId}
            className={fr.cx('fr-select')}
            value={fromValue}
            onChange={(event) => {
              setFrom(event.target.value);
              setError(null);
            }}
          >
            {versions.map(option)}
          </select>
        </div>
        <div className={fr.cx('fr-select-group', error ? 'fr-select-group--error' : undefined, 'fr-mb-1w')}>
          <label className={fr.cx('fr-label')} htmlFor={toId}>
            {m.compare.to}
          </label>
          <select
            id={toId}
            className={fr.cx('fr-select')}
            value={toValue}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? errorId : undefined}
            onChange={(event) => {
              setTo(event.target.value);
              setError(null);
            }}
          >
            <option value={CURRENT}>{m.compare.current}</option>
            {versions.map(option)}
          </select>
          {error && (
            <p id={errorId} className={fr.cx('fr-error-text')}>
              {error}
            </p>
          )}
        </div>
        <button type="submit" className={fr.cx('fr-btn', 'fr-btn--secondary', 'fr-btn--sm')}>
          {m.compare.submit}
        </button>
      </fieldset>
    </form>
  );
}
