import { fr } from '@codegouvfr/react-dsfr';

/**
 * A whole page that is on its way (its code, its espace, its document): the message, announced
 * politely, in a block at least as tall as the window (`.essaim-page-loading`), so that the footer
 * is not drawn in sight under a short page and pushed out a moment later when the page comes: it
 * was 0.07 of the 0.19 layout shift measured while a fiche opened (2026-11-30, `/tmp/s30/cls`).
 */
export function PageLoading({ message }: { message: string }) {
  return (
    <div className={fr.cx('fr-container', 'fr-py-6w') + ' essaim-page-loading'}>
      <p role="status">{message}</p>
    </div>
  );
}
