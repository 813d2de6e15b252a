import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { fr } from '@codegouvfr/react-dsfr';

/** A list or page that could not be loaded: the server's French reason and a way to try again. */
export function LoadFailed({
  title,
  message,
  retryLabel,
  onRetry,
  as = 'h3',
}: {
  title: string;
  message: string;
  retryLabel: string;
  onRetry: () => void;
  /** Heading level of the alert's title, to keep the page's heading order. */
  as?: 'h2' | 'h3';
}) {
  return (
    <>
      <Alert severity="error" as={as} title={title} description={message} role="alert" />
      <Button
        className={fr.cx('fr-mt-2w')}
        priority="secondary"
        iconId="fr-icon-refresh-line"
        onClick={onRetry}
      >
        {retryLabel}
      </Button>
    </>
  );
}

/**
 * {@link LoadFailed} for a narrow side panel (comments, history): the same reason and retry, as a
 * line of error text and a small button instead of a full-width alert.
 */
export function CompactLoadFailed({
  title,
  message,
  retryLabel,
  onRetry,
  className,
}: {
  title: string;
  message: string;
  retryLabel: string;
  onRetry: () => void;
  className?: string;
}) {
  return (
    <div role="alert" className={className}>
      <p className={fr.cx('fr-error-text', 'fr-mt-0')}>{title}</p>
      <p className={fr.cx('fr-text--sm')}>{message}</p>
      <button type="button" className={fr.cx('fr-btn', 'fr-btn--secondary', 'fr-btn--sm')} onClick={onRetry}>
        {retryLabel}
      </button>
    </div>
  );
}
