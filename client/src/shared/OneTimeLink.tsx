import { useEffect, useState, type ReactNode } from 'react';
import { fr } from '@codegouvfr/react-dsfr';
import { ApiError } from './api.js';
import { ErrorPage } from './ErrorPage.js';

type LinkState<T> =
  | { status: 'checking' }
  | { status: 'valid'; value: T }
  | { status: 'invalid'; httpStatus: number; message: string };

/** The words of one kind of link (invitation, password reset), from its feature's messages. */
export interface OneTimeLinkMessages {
  checking: string;
  goneTitle: string;
  notFoundTitle: string;
  errorTitle: string;
  code410: string;
  code404: string;
  retry: string;
  /** Shown under the server's explanation when the link is used, expired or unknown. */
  askAgain: string;
  homeLabel: string;
  homeTo?: string;
}

/**
 * A page behind a one-time link (`/invitation/:token`, `/reinitialisation/:token`): checks the link
 * with the server, shows a French page for a used/expired (410) or unknown (404) link, offers a
 * retry for other failures, and renders `children` with what the server said of a valid link.
 */
export function OneTimeLink<T>({
  token,
  check,
  messages: m,
  children,
}: {
  token: string;
  check: (token: string, signal: AbortSignal) => Promise<T>;
  messages: OneTimeLinkMessages;
  children: (value: T) => ReactNode;
}) {
  const [link, setLink] = useState<LinkState<T>>({ status: 'checking' });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    const controller = new AbortController();
    check(token, controller.signal).then(
      (value) => setLink({ status: 'valid', value }),
      (error: unknown) => {
        if (controller.signal.aborted) return;
        setLink({
          status: 'invalid',
          httpStatus: error instanceof ApiError ? error.status : 0,
          message: error instanceof Error ? error.message : String(error),
        });
      },
    );
    return () => controller.abort();
  }, [token, attempt, check]);

  if (link.status === 'checking') {
    return (
      <div className={fr.cx('fr-container', 'fr-py-6w')}>
        <p role="status">{m.checking}</p>
      </div>
    );
  }
  if (link.status === 'invalid') {
    const gone = link.httpStatus === 410;
    const missing = link.httpStatus === 404;
    return (
      <ErrorPage
        title={gone ? m.goneTitle : missing ? m.notFoundTitle : m.errorTitle}
        code={gone ? m.code410 : missing ? m.code404 : undefined}
        lead={link.message}
        onRetry={gone || missing ? undefined : () => setAttempt((n) => n + 1)}
        retryLabel={m.retry}
        homeLabel={m.homeLabel}
        {...(m.homeTo ? { homeTo: m.homeTo } : {})}
      >
        {(gone || missing) && <p>{m.askAgain}</p>}
      </ErrorPage>
    );
  }
  return <>{children(link.value)}</>;
}
