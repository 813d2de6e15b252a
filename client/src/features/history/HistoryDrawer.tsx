import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { VersionDto } from '@essaim/protocol';
import { useLoad } from '../../shared/useLoad.js';
import { listVersions } from './api.js';
import { CompareView } from './CompareView.js';
import { HistoryHeader } from './HistoryHeader.js';
import { VersionList, type ListRequest } from './VersionList.js';
import { VersionView, type RestoreState } from './VersionView.js';

/**
 * The « Historique » panel's content and the « Enregistrer une version » dialog: a chunk of their
 * own, downloaded when the panel is first opened (or its button hovered or focused), not with the
 * editor (issue 16). `HistoryPanel` keeps the button, the restore confirmation and the notices.
 */
export { NameVersionDialog } from './NameVersionDialog.js';

/** What the panel shows: the list, one version, or a comparison. */
export type View = { kind: 'list' } | ListRequest;

/** The panel itself: its title, « Fermer », and the list or the version / comparison asked for. */
export function HistoryDrawer({
  id,
  documentId,
  canWrite,
  refresh,
  view,
  setView,
  restore,
  restoreButtonProps,
  onRestore,
  onClose,
}: {
  id: string;
  documentId: string;
  canWrite: boolean;
  /** Changes when the list must be read again (a version named or restored). */
  refresh: number;
  view: View;
  setView: (view: View) => void;
  restore: RestoreState;
  /** Props of the button that opens the restore confirmation (a DSFR modal kept by the panel). */
  restoreButtonProps: { id: string; 'aria-controls': string; 'data-fr-opened': boolean };
  onRestore: (version: VersionDto) => void;
  onClose: () => void;
}) {
  const headingId = `${id}-title`;
  const headingRef = useRef<HTMLHeadingElement>(null);
  /** The button that opened a version or a comparison: it takes the focus back on « Retour ». */
  const opener = useRef<HTMLElement | null>(null);
  const [now, setNow] = useState(() => new Date());
  const versions = useLoad(
    (signal) =>
      listVersions(documentId, signal).then((list) => {
        setNow(new Date());
        return list;
      }),
    [documentId],
  );
  const { reload } = versions;

  useEffect(() => headingRef.current?.focus(), []);
  // Read again after a change made while open (the first reading, at opening, is already fresh).
  const readAt = useRef(refresh);
  useEffect(() => {
    if (refresh === readAt.current) return;
    readAt.current = refresh;
    reload();
  }, [refresh, reload]);

  const request = (next: ListRequest) => {
    opener.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    setView(next);
  };
  const back = () => {
    setView({ kind: 'list' });
    requestAnimationFrame(() => {
      const target = opener.current;
      if (target?.isConnected) target.focus();
      else headingRef.current?.focus();
    });
  };
  const onKeyDown = (event: KeyboardEvent<HTMLElement>) => {
    if (event.key !== 'Escape' || event.defaultPrevented) return;
    event.preventDefault();
    onClose();
  };

  return (
    <section
      id={id}
      className={'essaim-history' + (view.kind === 'list' ? '' : ' essaim-history--wide')}
      aria-labelledby={headingId}
      onKeyDown={onKeyDown}
    >
      <HistoryHeader headingId={headingId} headingRef={headingRef} onClose={onClose} />
      <div className="essaim-history__body">
        <div hidden={view.kind !== 'list'}>
          <VersionList
            state={versions.state}
            canWrite={canWrite}
            now={now}
            onRetry={versions.retry}
            onRequest={request}
          />
        </div>
        {view.kind === 'version' && (
          <VersionView
            key={view.version.id}
            documentId={documentId}
            version={view.version}
            canWrite={canWrite}
            restore={restore}
            restoreButtonProps={restoreButtonProps}
            onRestore={() => onRestore(view.version)}
            onCompare={() => setView({ kind: 'compare', from: view.version, to: null })}
            onBack={back}
          />
        )}
        {view.kind === 'compare' && (
          <CompareView
            key={`${view.from.id}-${view.to?.id ?? 'current'}`}
            documentId={documentId}
            from={view.from}
            to={view.to}
            onBack={back}
          />
        )}
      </div>
    </section>
  );
}
