import { useEffect, useId, useMemo, useRef, type ReactNode } from 'react';
import { fr } from '@codegouvfr/react-dsfr';
import type { VersionDto } from '@essaim/protocol';
import { CompactLoadFailed } from '../../shared/LoadFailed.js';
import { useLoad } from '../../shared/useLoad.js';
import { getVersion } from './api.js';
import { historyMessages as m } from './messages.js';
import { notesOf, readVersion, renderVersion } from './versionContent.js';
import { KindBadge, VersionFacts } from './VersionMeta.js';
import './history.css';

/** The restore of the version on screen: being done, or refused with the server's reason. */
export type RestoreState = { status: 'idle' } | { status: 'pending' } | { status: 'failed'; message: string };

/**
 * One version, read-only, in the editor's layout (sections, titles, headings, notes), with
 * « Comparer au texte actuel » and, for writers, « Restaurer cette version » (which opens the
 * confirmation dialog through `restoreButtonProps`). Its heading takes the focus when it opens.
 */
export function VersionView({
  documentId,
  version,
  canWrite,
  restore,
  restoreButtonProps,
  onRestore,
  onCompare,
  onBack,
}: {
  documentId: string;
  version: VersionDto;
  canWrite: boolean;
  restore: RestoreState;
  /** The DSFR modal's control props (`aria-controls`…), so DSFR opens it and gives the focus back. */
  restoreButtonProps: Record<string, unknown>;
  onRestore: () => void;
  onCompare: () => void;
  onBack: () => void;
}) {
  const loaded = useLoad((signal) => getVersion(documentId, version.id, signal), [documentId, version.id]);

  return (
    <HistorySubview title={m.version.viewTitle(version.number)} headingSpacing="fr-mb-1v" onBack={onBack}>
      <p className={fr.cx('fr-mb-1v')}>
        <KindBadge kind={version.kind} />
      </p>
      <VersionFacts version={version} withDay />
      <div className={'essaim-history__actions ' + fr.cx('fr-mt-2w')}>
        <button
          type="button"
          className={fr.cx(
            'fr-btn',
            'fr-btn--sm',
            'fr-btn--secondary',
            'fr-btn--icon-left',
            'fr-icon-arrow-left-right-line',
          )}
          onClick={onCompare}
        >
          {m.version.compareCurrent}
        </button>
        {canWrite && (
          <button
            type="button"
            {...restoreButtonProps}
            className={fr.cx('fr-btn', 'fr-btn--sm', 'fr-btn--icon-left', 'fr-icon-refresh-line')}
            disabled={restore.status === 'pending'}
            onClick={onRestore}
          >
            {m.version.restore}
          </button>
        )}
      </div>
      {restore.status === 'pending' && (
        <p role="status" className={fr.cx('fr-text--sm', 'fr-mt-1w')}>
          {m.restore.pending}
        </p>
      )}
      {restore.status === 'failed' && (
        <div role="alert" className={fr.cx('fr-mt-1w')}>
          <p className={fr.cx('fr-error-text', 'fr-mt-0')}>{m.restore.failed}</p>
          <p className={fr.cx('fr-text--sm')}>{restore.message}</p>
        </div>
      )}
      {loaded.state.status === 'loading' && (
        <p role="status" className={fr.cx('fr-mt-2w')}>
          {m.version.loading}
        </p>
      )}
      {loaded.state.status === 'error' && (
        <CompactLoadFailed
          title={m.version.loadFailed}
          message={loaded.state.message}
          retryLabel={m.panel.retry}
          onRetry={loaded.retry}
          className={fr.cx('fr-mt-2w')}
        />
      )}
      {loaded.state.status === 'ready' && (
        <VersionText number={version.number} content={loaded.state.value.content} />
      )}
    </HistorySubview>
  );
}

/**
 * The frame of a view the history panel opens over its list (a version, a comparison): a section
 * named by its heading `title`, « Retour à la liste des versions » (`onBack`), then the heading,
 * which takes the focus when the view opens so that screen readers tell the change; `children`
 * follow. `headingSpacing`: the DSFR margin under the heading.
 */
export function HistorySubview({
  title,
  headingSpacing,
  onBack,
  children,
}: {
  title: ReactNode;
  headingSpacing: 'fr-mb-1v' | 'fr-mb-1w';
  onBack: () => void;
  children: ReactNode;
}) {
  const headingRef = useRef<HTMLHeadingElement>(null);
  const headingId = useId();

  useEffect(() => headingRef.current?.focus(), []);

  return (
    <section className="essaim-history__view" aria-labelledby={headingId}>
      <button
        type="button"
        className={fr.cx(
          'fr-btn',
          'fr-btn--sm',
          'fr-btn--tertiary-no-outline',
          'fr-btn--icon-left',
          'fr-icon-arrow-left-line',
        )}
        onClick={onBack}
      >
        {m.panel.back}
      </button>
      <h3
        id={headingId}
        ref={headingRef}
        tabIndex={-1}
        className={fr.cx('fr-h5', 'fr-mt-1w', headingSpacing)}
      >
        {title}
      </h3>
      {children}
    </section>
  );
}

/** The version's text drawn with the shared schema, then its notes; or why it cannot be shown. */
function VersionText({ number, content }: { number: number; content: Parameters<typeof readVersion>[0] }) {
  const textRef = useRef<HTMLDivElement>(null);
  const notesHeadingId = useId();
  const doc = useMemo(() => {
    try {
      return readVersion(content);
    } catch {
      return null;
    }
  }, [content]);
  const notes = useMemo(() => (doc ? notesOf(doc) : []), [doc]);

  useEffect(() => {
    const target = textRef.current;
    if (!target || !doc) return;
    target.replaceChildren(renderVersion(doc, document, m.version.noteCall));
  }, [doc]);

  if (!doc) {
    return (
      <p className={fr.cx('fr-error-text', 'fr-mt-2w')} role="alert">
        {m.version.unreadable}
      </p>
    );
  }
  return (
    <div className={'essaim-editor essaim-history__document ' + fr.cx('fr-mt-2w')}>
      <article
        ref={textRef}
        className="essaim-editor__content essaim-history__content"
        aria-label={m.version.contentLabel(number)}
        lang="fr"
      />
      {notes.length > 0 && (
        <section className="essaim-notes" aria-labelledby={notesHeadingId}>
          <h4 id={notesHeadingId} className={fr.cx('fr-h6', 'fr-mb-2w')}>
            {m.version.notesTitle}
          </h4>
          <ol className="essaim-notes__list">
            {notes.map((note, index) => (
              <li key={index}>
                <span className="essaim-notes__text">{note}</span>
              </li>
            ))}
          </ol>
        </section>
      )}
    </div>
  );
}
