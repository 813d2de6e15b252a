import { Alert } from '@codegouvfr/react-dsfr/Alert';

/**
 * The outcome of an action, visible next to where it was made and announced politely to screen
 * readers (the live region exists before the message, so it is read when it appears).
 */
export function StatusMessage({ message, className }: { message: string | null; className?: string }) {
  return (
    <div role="status" aria-live="polite" className={className}>
      {/* No role of its own: the surrounding region already announces it, once. */}
      {message && (
        <Alert small severity="success" description={message} className="fr-mb-2w" role={undefined} />
      )}
    </div>
  );
}
