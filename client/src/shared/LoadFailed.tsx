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
