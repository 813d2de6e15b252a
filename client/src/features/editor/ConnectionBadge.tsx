import { Badge } from '@codegouvfr/react-dsfr/Badge';
import type { AlertProps } from '@codegouvfr/react-dsfr/Alert';
import type { ConnectionState } from './connectionState.js';
import { editorMessages as m } from './messages.js';

const severity: Record<ConnectionState, AlertProps.Severity | 'new'> = {
  connected: 'info',
  saved: 'success',
  syncing: 'new',
  offline: 'warning',
  refused: 'error',
};

/**
 * The connection state as a DSFR badge inside a polite live region (role status). Screen readers
 * read « État de la connexion : » and the whole words, in the visually hidden label; the badge's
 * words are for the eyes (`aria-hidden`): the whole ones, or on a phone the short ones
 * (`connectionShort`, editor.css).
 */
export function ConnectionBadge({ state }: { state: ConnectionState }) {
  return (
    <div
      role="status"
      aria-live="polite"
      aria-atomic="true"
      className="essaim-connection"
      data-state={state}
      // Its whole words where a narrow line cuts the badge short (editor.css).
      title={m.connection[state]}
    >
      <span className="fr-sr-only">
        {m.connectionLabel} {m.connection[state]}
      </span>
      <Badge as="span" severity={severity[state]}>
        <span className="essaim-connection__words" aria-hidden="true">
          {m.connection[state]}
        </span>
        <span className="essaim-connection__short" aria-hidden="true">
          {m.connectionShort[state]}
        </span>
      </Badge>
    </div>
  );
}
