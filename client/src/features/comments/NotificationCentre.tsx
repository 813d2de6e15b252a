import { useCallback, useEffect, useId, useRef, useState, useSyncExternalStore } from 'react';
import { Link, useLocation } from 'wouter';
import { fr } from '@codegouvfr/react-dsfr';
import type { EmailPreference, NotificationDto, NotificationPreferencesDto } from '@essaim/protocol';
import { formatDate } from '../../shared/dates.js';
import * as api from './api.js';
import { commentsMessages } from './messages.js';
import './comments.css';

const m = commentsMessages.notifications;

/** How often the unread count is read while the page is visible (no live channel per person). */
const POLL_MS = 30_000;

/** The link a notification leads to: the document, opened on the thread, or on the section. */
export const notificationLink = (n: Pick<NotificationDto, 'document' | 'threadId' | 'section'>): string => {
  const document = `/documents/${encodeURIComponent(n.document.id)}`;
  if (n.threadId) return `${document}?thread=${encodeURIComponent(n.threadId)}`;
  return n.section ? `${document}?section=${encodeURIComponent(n.section.id)}` : document;
};

type ListState =
  | { status: 'idle' }
  | { status: 'loading' }
  | { status: 'error'; message: string }
  | { status: 'ready'; notifications: NotificationDto[] };

/**
 * One store for the page: the header may draw the centre twice (desktop bar and mobile menu),
 * both read the same count and list, and only one timer polls.
 */
const store = {
  unread: 0,
  list: { status: 'idle' } as ListState,
  listeners: new Set<() => void>(),
  users: 0,
  timer: null as ReturnType<typeof setInterval> | null,
  snapshot: { unread: 0, list: { status: 'idle' } as ListState },
  emit() {
    store.snapshot = { unread: store.unread, list: store.list };
    for (const listener of store.listeners) listener();
  },
  setUnread(unread: number) {
    if (unread === store.unread) return;
    store.unread = unread;
    store.emit();
  },
  setList(list: ListState) {
    store.list = list;
    if (list.status === 'ready') store.unread = list.notifications.filter((n) => !n.read).length;
    store.emit();
  },
  async refreshCount() {
    try {
      store.setUnread(await api.unreadCount());
    } catch {
      // Offline or logged out: the badge keeps its last value.
    }
  },
  async refreshList() {
    if (store.list.status !== 'ready') store.setList({ status: 'loading' });
    try {
      const { notifications, unread } = await api.listNotifications();
      store.setList({ status: 'ready', notifications });
      store.setUnread(unread);
    } catch (error) {
      if (store.list.status !== 'ready')
        store.setList({ status: 'error', message: error instanceof Error ? error.message : String(error) });
    }
  },
  async markRead(which: { ids: string[] } | { all: true }) {
    const unread = await api.markRead(which);
    if (store.list.status === 'ready') {
      const ids = 'ids' in which ? new Set(which.ids) : null;
      store.list = {
        status: 'ready',
        notifications: store.list.notifications.map((n) =>
          !ids || ids.has(n.id) ? { ...n, read: true } : n,
        ),
      };
    }
    store.unread = unread;
    store.emit();
  },
  onVisible() {
    if (document.visibilityState === 'visible') void store.refreshCount();
  },
  /** Starts polling with the first centre drawn, stops with the last. */
  use(): () => void {
    store.users += 1;
    if (store.users === 1) {
      void store.refreshCount();
      store.timer = setInterval(() => {
        if (document.visibilityState === 'visible') void store.refreshCount();
      }, POLL_MS);
      window.addEventListener('focus', store.onVisible);
      document.addEventListener('visibilitychange', store.onVisible);
    }
    return () => {
      store.users -= 1;
      if (store.users > 0) return;
      if (store.timer) clearInterval(store.timer);
      store.timer = null;
      window.removeEventListener('focus', store.onVisible);
      document.removeEventListener('visibilitychange', store.onVisible);
      // Another person may log in on this tab.
      store.unread = 0;
      store.list = { status: 'idle' };
      store.snapshot = { unread: 0, list: store.list };
    };
  },
  subscribe(listener: () => void) {
    store.listeners.add(listener);
    return () => store.listeners.delete(listener);
  },
  get: () => store.snapshot,
};

/**
 * The notification centre of the header: a button with the unread count, opening the list
 * (newest first, each a link straight to its thread), « Tout marquer comme lu », and the email
 * preference. The count is read every 30 s while the page is visible and when it comes back.
 */
export function NotificationCentre() {
  const { unread, list } = useSyncExternalStore(store.subscribe, store.get);
  const [open, setOpen] = useState(false);
  const panelId = useId();
  const headingId = useId();
  const root = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  const [, navigate] = useLocation();

  useEffect(() => store.use(), []);

  useEffect(() => {
    if (!open) return;
    void store.refreshList();
    heading.current?.focus();
    const onPointerDown = (event: PointerEvent) => {
      if (!root.current?.contains(event.target as Node)) setOpen(false);
    };
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key !== 'Escape') return;
      setOpen(false);
      button.current?.focus();
    };
    document.addEventListener('pointerdown', onPointerDown);
    document.addEventListener('keydown', onKeyDown);
    return () => {
      document.removeEventListener('pointerdown', onPointerDown);
      document.removeEventListener('keydown', onKeyDown);
    };
  }, [open]);

  const follow = useCallback(
    (notification: NotificationDto) => {
      setOpen(false);
      if (!notification.read) void store.markRead({ ids: [notification.id] }).catch(() => undefined);
      void navigate(notificationLink(notification));
    },
    [navigate],
  );

  return (
    <div className="essaim-notifications" ref={root}>
      <button
        ref={button}
        type="button"
        className={fr.cx('fr-btn', 'fr-icon-notification-3-line')}
        aria-expanded={open}
        aria-controls={open ? panelId : undefined}
        onClick={() => setOpen((v) => !v)}
      >
        {m.button}
        {unread > 0 && (
          <span className="essaim-notifications__count" aria-hidden="true">
            {unread > 99 ? '99+' : unread}
          </span>
        )}
        <span className="fr-sr-only">, {m.unread(unread)}</span>
      </button>
      {open && (
        <div id={panelId} className="essaim-notifications__panel" role="region" aria-labelledby={headingId}>
          <h2 id={headingId} ref={heading} tabIndex={-1} className={fr.cx('fr-h6', 'fr-mb-1w')}>
            {m.title}
          </h2>
          {list.status === 'loading' || list.status === 'idle' ? (
            <p role="status">{m.loading}</p>
          ) : list.status === 'error' ? (
            <p className={fr.cx('fr-error-text')} role="alert">
              {m.loadFailed} {list.message}
            </p>
          ) : list.notifications.length === 0 ? (
            <p className={fr.cx('fr-text--sm')}>{m.empty}</p>
          ) : (
            <>
              {unread > 0 && (
                <button
                  type="button"
                  className={fr.cx('fr-btn', 'fr-btn--tertiary', 'fr-btn--sm', 'fr-mb-1w')}
                  onClick={() => void store.markRead({ all: true }).catch(() => undefined)}
                >
                  {m.markAllRead}
                </button>
              )}
              <ul className="essaim-notifications__list">
                {list.notifications.map((notification) => (
                  <NotificationItem key={notification.id} notification={notification} onFollow={follow} />
                ))}
              </ul>
            </>
          )}
          <EmailPreference />
        </div>
      )}
    </div>
  );
}

function NotificationItem({
  notification,
  onFollow,
}: {
  notification: NotificationDto;
  onFollow: (notification: NotificationDto) => void;
}) {
  const { kind, actor, document: doc, excerpt, createdAt, read } = notification;
  return (
    <li className={'essaim-notifications__item' + (read ? '' : ' essaim-notifications__item--unread')}>
      <Link
        to={notificationLink(notification)}
        className={fr.cx('fr-link') + ' essaim-notifications__link'}
        onClick={(event) => {
          event.preventDefault();
          onFollow(notification);
        }}
      >
        {!read && <span className="fr-sr-only">{m.unreadMark} : </span>}
        {m.kind[kind](actor.name, notification.section?.title ?? '')} {m.inDocument(doc.title)}
      </Link>
      <span className="essaim-notifications__excerpt">{excerpt}</span>
      <span className="essaim-notifications__excerpt">
        <time dateTime={createdAt}>{formatDate(createdAt)}</time>
      </span>
      {!read && (
        <button
          type="button"
          className={fr.cx('fr-btn', 'fr-btn--tertiary-no-outline', 'fr-btn--sm')}
          onClick={() => void store.markRead({ ids: [notification.id] }).catch(() => undefined)}
        >
          {m.markRead}
        </button>
      )}
    </li>
  );
}

/** The email preference: never, at each notification, or one digest a day. */
function EmailPreference() {
  const [prefs, setPrefs] = useState<NotificationPreferencesDto | null>(null);
  const [status, setStatus] = useState<string>('');
  const [error, setError] = useState<string | null>(null);
  const name = useId();
  const legendId = useId();

  useEffect(() => {
    const controller = new AbortController();
    api.getPreferences(controller.signal).then(
      (loaded) => {
        if (!controller.signal.aborted && loaded) setPrefs(loaded);
      },
      (failure: unknown) => {
        if (!controller.signal.aborted)
          setError(failure instanceof Error ? failure.message : String(failure));
      },
    );
    return () => controller.abort();
  }, []);

  const choose = async (email: EmailPreference) => {
    setError(null);
    setStatus('');
    try {
      setPrefs(await api.setEmailPreference(email));
      setStatus(m.emailSaved);
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    }
  };

  if (!prefs) return error ? <p className={fr.cx('fr-error-text')}>{error}</p> : null;
  const options: EmailPreference[] = ['none', 'immediate', 'daily'];
  return (
    <fieldset className={fr.cx('fr-fieldset', 'fr-mb-0')} aria-labelledby={legendId}>
      <legend id={legendId} className={fr.cx('fr-fieldset__legend', 'fr-text--sm', 'fr-mb-1w')}>
        {m.emailLegend}
        {!prefs.emailAvailable && <span className={fr.cx('fr-hint-text')}>{m.emailUnavailable}</span>}
      </legend>
      {options.map((option) => (
        <div key={option} className={fr.cx('fr-fieldset__element', 'fr-mb-1v')}>
          <div className={fr.cx('fr-radio-group', 'fr-radio-group--sm')}>
            <input
              type="radio"
              id={`${name}-${option}`}
              name={name}
              value={option}
              checked={prefs.email === option}
              onChange={() => void choose(option)}
            />
            <label className={fr.cx('fr-label')} htmlFor={`${name}-${option}`}>
              {m.email[option]}
            </label>
          </div>
        </div>
      ))}
      <p className="fr-sr-only" role="status">
        {status}
      </p>
      {error && <p className={fr.cx('fr-error-text')}>{error}</p>}
    </fieldset>
  );
}
