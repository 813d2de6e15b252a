import { useCallback, useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import type { HocuspocusProvider } from '@hocuspocus/provider';
import { createModal } from '@codegouvfr/react-dsfr/Modal';
import { useIsModalOpen } from '@codegouvfr/react-dsfr/Modal/useIsModalOpen';
import { fr } from '@codegouvfr/react-dsfr';
import type { VersionAuthorDto, VersionDto } from '@essaim/protocol';
import { ConfirmDialog } from '../../shared/ConfirmDialog.js';
import { useLoad } from '../../shared/useLoad.js';
import { listVersions, restoreVersion } from './api.js';
import { CompareView } from './CompareView.js';
import { dayAndTimeOf } from './days.js';
import { historyMessages as m } from './messages.js';
import { NameVersionDialog } from './NameVersionDialog.js';
import { useVersionRestored } from './useVersionRestored.js';
import { VersionList, type ListRequest } from './VersionList.js';
import { VersionView, type RestoreState } from './VersionView.js';

/** « Restaurer cette version ? »: opened by the version view's button (`restoreModal.buttonProps`). */
const restoreModal = createModal({ id: 'modale-version-restaurer', isOpenedByDefault: false });

type View = { kind: 'list' } | ListRequest;

/** A notice shown to everyone after a restore; `key` (the new version's id) avoids showing one twice. */
interface Notice {
  key: string;
  text: string;
}

/**
 * « Historique » (issue 11): a button for the editor's header and the side panel it opens. The
 * panel lists the document's versions by day, opens one read-only, compares two (or one with the
 * current text) and, for writers (assigned rapporteurs and the animateur: `canWrite`, the live
 * write access of the editor), names a version and restores one after a DSFR confirmation.
 *
 * Also, panel open or not: « Chloé a restauré la version 4 », in a polite live region, whenever
 * the server says a version of this document was restored (stateless `version-restored`).
 *
 * Focus: opening the panel moves the focus to its title; Escape or « Fermer » closes it and gives
 * the focus back to the « Historique » button; leaving a version or a comparison goes back to the
 * button that opened it.
 */
export function HistoryPanel({
  documentId,
  provider,
  canWrite,
  me,
}: {
  documentId: string;
  provider: HocuspocusProvider;
  canWrite: boolean;
  me: VersionAuthorDto;
}) {
  const panelId = useId();
  const [open, setOpen] = useState(false);
  const toggleRef = useRef<HTMLButtonElement>(null);
  const [refresh, setRefresh] = useState(0);
  const [view, setView] = useState<View>({ kind: 'list' });
  const [notice, setNotice] = useState<Notice | null>(null);
  const [noticeText, setNoticeText] = useState('');
  const [announcement, setAnnouncement] = useState('');
  const [restoreTarget, setRestoreTarget] = useState<VersionDto | null>(null);
  const [restore, setRestore] = useState<RestoreState>({ status: 'idle' });

  // A live region reads a change of its text: the same sentence twice is cleared first.
  const say = useCallback((set: (text: string) => void, text: string) => {
    set('');
    requestAnimationFrame(() => set(text));
  }, []);

  // The restorer hears of their restore twice (the broadcast, the answer to their request): once shown.
  const shownKey = useRef<string | null>(null);
  const showNotice = useCallback(
    (next: Notice) => {
      if (shownKey.current === next.key) return;
      shownKey.current = next.key;
      setNotice(next);
      say(setNoticeText, next.text);
    },
    [say],
  );

  useVersionRestored(provider, (message) => {
    const n = message.restoredNumber;
    showNotice({
      key: message.version.id,
      text: message.by.id === me.id ? m.notice.restoredByMe(n) : m.notice.restored(message.by.name, n),
    });
    setRefresh((r) => r + 1);
  });

  // The confirmation closed (cancelled, or confirmed and the restore under way): back to its button.
  // A successful restore then moves the focus to the panel's title.
  useIsModalOpen(restoreModal, {
    onConceal: () => document.getElementById(restoreModal.buttonProps.id)?.focus(),
  });

  const close = useCallback(() => {
    setOpen(false);
    setView({ kind: 'list' });
    setRestore({ status: 'idle' });
    requestAnimationFrame(() => toggleRef.current?.focus());
  }, []);

  const confirmRestore = async () => {
    const target = restoreTarget;
    if (!target) return;
    setRestore({ status: 'pending' });
    try {
      const after = await restoreVersion(documentId, target.id);
      setRestore({ status: 'idle' });
      showNotice({ key: after.id, text: m.notice.restoredByMe(target.number) });
      setView({ kind: 'list' });
      setRefresh((r) => r + 1);
      requestAnimationFrame(() => document.getElementById(`${panelId}-title`)?.focus());
    } catch (error) {
      setRestore({ status: 'failed', message: error instanceof Error ? error.message : String(error) });
    }
  };

  return (
    <div className="essaim-history-bar">
      <button
        ref={toggleRef}
        type="button"
        className={fr.cx('fr-btn', 'fr-btn--sm', 'fr-btn--secondary', 'fr-btn--icon-left', 'ri-history-line')}
        aria-expanded={open}
        aria-controls={open ? panelId : undefined}
        title={m.toggleTitle}
        onClick={() => (open ? close() : setOpen(true))}
      >
        {m.toggle}
      </button>
      {open && (
        <HistoryDrawer
          id={panelId}
          documentId={documentId}
          canWrite={canWrite}
          refresh={refresh}
          view={view}
          setView={setView}
          restore={restore}
          onRestore={(version) => {
            setRestoreTarget(version);
            setRestore({ status: 'idle' });
          }}
          onClose={close}
        />
      )}
      {/* A div: the editor's own polite region is the page's only `p.fr-sr-only[role=status]`. */}
      <div className="fr-sr-only" role="status" aria-live="polite" aria-atomic="true">
        {announcement}
      </div>
      <div className={'essaim-history-notice' + (notice ? ' essaim-history-notice--shown' : '')}>
        <div className={notice ? fr.cx('fr-alert', 'fr-alert--info', 'fr-alert--sm') : undefined}>
          <p role="status" aria-live="polite" aria-atomic="true" data-testid="history-notice">
            {noticeText}
          </p>
          {notice && (
            <button
              type="button"
              className={fr.cx('fr-btn--close', 'fr-btn')}
              title={m.notice.close}
              onClick={() => {
                setNotice(null);
                setNoticeText('');
                toggleRef.current?.focus();
              }}
            >
              {m.notice.close}
            </button>
          )}
        </div>
      </div>
      {canWrite && (
        <>
          <NameVersionDialog
            documentId={documentId}
            onSaved={(version) => {
              say(setAnnouncement, m.name.saved(version.number));
              setRefresh((r) => r + 1);
            }}
          />
          <ConfirmDialog
            modal={restoreModal}
            title={restoreTarget ? m.restore.title(restoreTarget.number) : m.restore.confirm}
            confirmLabel={m.restore.confirm}
            onConfirm={() => void confirmRestore()}
          >
            {restoreTarget && (
              <>
                <p>{m.restore.body(restoreTarget.number, dayAndTimeOf(restoreTarget.createdAt))}</p>
                <p className={fr.cx('fr-mb-0')}>
                  <strong>{m.restore.keeps}</strong>
                </p>
              </>
            )}
          </ConfirmDialog>
        </>
      )}
    </div>
  );
}

/** The panel itself: its title, « Fermer », and the list or the version / comparison asked for. */
function HistoryDrawer({
  id,
  documentId,
  canWrite,
  refresh,
  view,
  setView,
  restore,
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
      <div className="essaim-history__header">
        <h2 id={headingId} ref={headingRef} tabIndex={-1} className={fr.cx('fr-h4', 'fr-mb-0')}>
          {m.panel.title}
        </h2>
        <button
          type="button"
          className={fr.cx('fr-btn--close', 'fr-btn')}
          title={m.panel.close}
          onClick={onClose}
        >
          {m.panel.close}
        </button>
      </div>
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
            restoreButtonProps={restoreModal.buttonProps}
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
