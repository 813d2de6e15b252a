import type { CSSProperties } from 'react';
import { Badge } from '@codegouvfr/react-dsfr/Badge';
import type { AlertProps } from '@codegouvfr/react-dsfr/Alert';
import warningIcon from '@codegouvfr/react-dsfr/dsfr/icons/system/fr--warning-fill.svg?inline';
import type { ConnectionState } from './connectionState.js';
import { editorMessages as m } from './messages.js';

type Severity = AlertProps.Severity | 'new';

const severity: Record<ConnectionState, Severity> = {
  connecting: 'new',
  connected: 'info',
  syncing: 'new',
  saved: 'success',
  offline: 'warning',
  unreachable: 'warning',
  refused: 'error',
};

/**
 * The DSFR's warning sign, in the bundle as a `data:` URL (`?inline`), drawn by editor.css in place
 * of the DSFR stylesheet's `url(icons/…)` for « Hors ligne » and « Serveur injoignable ». That one
 * is fetched the first time the badge shows it, which is when the network has gone: without the
 * service worker's copy, those states came without their sign (tester F6). The other states show
 * while the server answers: their icons come from the DSFR's files.
 */
const OFFLINE_ICON = { '--essaim-badge-icon': `url("${warningIcon}")` } as CSSProperties;

const wordsForReaders: Partial<Record<ConnectionState, string>> = m.connectionReadOnly;

/**
 * The connection state as a DSFR badge inside a polite live region (role status). Screen readers
 * read « État de la connexion : » and the whole words, in the visually hidden label; the badge
 * itself is for the eyes (`aria-hidden`): the whole words, or on a phone the short ones
 * (`connectionShort`, editor.css), and the whole words again in its `title` for a pointer. The
 * `title` is on the badge, not on the live region, which it would name (tester F8). A reader
 * (`readOnly`) is not told that « vos modifications sont conservées ».
 */
export function ConnectionBadge({ state, readOnly = false }: { state: ConnectionState; readOnly?: boolean }) {
  const words = (readOnly && wordsForReaders[state]) || m.connection[state];
  return (
    <div role="status" aria-live="polite" aria-atomic="true" className="essaim-connection" data-state={state}>
      <span className="fr-sr-only">
        {m.connectionLabel} {words}
      </span>
      <span className="essaim-connection__badge" title={words} aria-hidden="true">
        <Badge
          as="span"
          severity={severity[state]}
          style={severity[state] === 'warning' ? OFFLINE_ICON : undefined}
        >
          <span className="essaim-connection__words">{words}</span>
          <span className="essaim-connection__short">{m.connectionShort[state]}</span>
        </Badge>
      </span>
    </div>
  );
}
