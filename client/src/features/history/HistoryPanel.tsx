import { useCallback, useEffect, useId, useRef, useState } from 'react';
import type { HocuspocusProvider } from '@hocuspocus/provider';
import { createModal } from '@codegouvfr/react-dsfr/Modal';
import { useIsModalOpen } from '@codegouvfr/react-dsfr/Modal/useIsModalOpen';
import { fr } from '@codegouvfr/react-dsfr';
import type { VersionAuthorDto, VersionDto } from '@essaim/protocol';
import { ConfirmDialog } from '../../shared/ConfirmDialog.js';
import { CompactLoadFailed } from '../../shared/LoadFailed.js';
import { restoreVersion } from './api.js';
import { dayAndTimeOf } from './days.js';
import type * as DrawerExports from './HistoryDrawer.js';
import type { View } from './HistoryDrawer.js';
import { HistoryHeader } from './HistoryHeader.js';
import { historyMessages as m } from './messages.js';
import { useVersionRestored } from './useVersionRestored.js';
import type { RestoreState } from './VersionView.js';

type DrawerModule = typeof DrawerExports;

let drawerModule: DrawerModule | null = null;
let drawerLoading: Promise<DrawerModule> | null = null;

/**
 * The panel's content and the naming dialog (issue 16): not in the editor's first download, but
 * fetched as soon as the editor is drawn, so the panel also opens offline. A failed download (the
 * network was already cut) is tried again at the next call.
 */
function importDrawer(): Promise<DrawerModule> {
  return import('./HistoryDrawer.js');
}

function loadDrawer(): Promise<DrawerModule> {
  // The import in a function of its own, so the retry below also follows a failed stylesheet
  // (see Layout.tsx: Vite's preload helper wraps what is chained to an `import()`).
  drawerLoading ??= importDrawer().then(
    (module) => (drawerModule = module),
    (error: unknown) => {
      drawerLoading = null;
      throw error;
    },
  );
  return drawerLoading;
}

/** The drawer's module once downloaded; `failed` when its download failed, `retry` to try again. */
function useDrawerModule(): { module: DrawerModule | null; failed: boolean; retry: () => void } {
  const [module, setModule] = useState(drawerModule);
  const [failed, setFailed] = useState(false);
  const retry = useCallback(() => {
    setFailed(false);
    loadDrawer().then(setModule, () => setFailed(true));
  }, []);
  useEffect(() => {
    if (drawerModule) return;
    loadDrawer().then(setModule, () => setFailed(true));
  }, []);
  return { module, failed, retry };
}

/** « Restaurer cette version ? »: opened by the version view's button (`restoreModal.buttonProps`). */
const restoreModal = createModal({ id: 'modale-version-restaurer', isOpenedByDefault: false });

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
  const drawer = useDrawerModule();
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
        <span className="essaim-status-button__label">{m.toggle}</span>
      </button>
      {open && drawer.module && (
        <drawer.module.HistoryDrawer
          id={panelId}
          documentId={documentId}
          canWrite={canWrite}
          refresh={refresh}
          view={view}
          setView={setView}
          restore={restore}
          restoreButtonProps={restoreModal.buttonProps}
          onRestore={(version) => {
            setRestoreTarget(version);
            setRestore({ status: 'idle' });
          }}
          onClose={close}
        />
      )}
      {open && !drawer.module && (
        <DrawerPending id={panelId} failed={drawer.failed} onRetry={drawer.retry} onClose={close} />
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
          {drawer.module && (
            <drawer.module.NameVersionDialog
              documentId={documentId}
              onSaved={(version) => {
                say(setAnnouncement, m.name.saved(version.number));
                setRefresh((r) => r + 1);
              }}
            />
          )}
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

/**
 * The panel while its code is still downloading, or could not be (offline before it arrived):
 * the same title and « Fermer » as the panel, then « Chargement… » or the failure and « Réessayer ».
 */
function DrawerPending({
  id,
  failed,
  onRetry,
  onClose,
}: {
  id: string;
  failed: boolean;
  onRetry: () => void;
  onClose: () => void;
}) {
  const headingId = `${id}-title`;
  const headingRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => headingRef.current?.focus(), []);
  return (
    <section id={id} className="essaim-history" aria-labelledby={headingId}>
      <HistoryHeader headingId={headingId} headingRef={headingRef} onClose={onClose} />
      <div className="essaim-history__body">
        {failed ? (
          <CompactLoadFailed
            title={m.panel.loadFailed}
            message={m.panel.codeFailed}
            retryLabel={m.panel.retry}
            onRetry={onRetry}
          />
        ) : (
          <p role="status">{m.panel.loading}</p>
        )}
      </div>
    </section>
  );
}
