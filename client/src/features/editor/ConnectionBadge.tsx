import type { CSSProperties } from 'react';
import { Badge } from '@codegouvfr/react-dsfr/Badge';
import type { AlertProps } from '@codegouvfr/react-dsfr/Alert';
import infoIcon from '@codegouvfr/react-dsfr/dsfr/icons/system/fr--info-fill.svg?inline';
import successIcon from '@codegouvfr/react-dsfr/dsfr/icons/system/fr--success-fill.svg?inline';
import warningIcon from '@codegouvfr/react-dsfr/dsfr/icons/system/fr--warning-fill.svg?inline';
import errorIcon from '@codegouvfr/react-dsfr/dsfr/icons/system/fr--error-fill.svg?inline';
import newIcon from '@codegouvfr/react-dsfr/dsfr/icons/weather/flashlight-fill.svg?inline';
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
 * The DSFR's icon of each badge severity, in the bundle as a `data:` URL (`?inline`), drawn by
 * editor.css in place of the DSFR stylesheet's `url(icons/…)`. That one is fetched the first time
 * the badge shows it, which is when the network has gone: without the service worker's copy,
 * « Hors ligne » came without its warning sign (tester F6).
 */
const icon: Record<Severity, string> = {
  info: infoIcon,
  success: successIcon,
  warning: warningIcon,
  error: errorIcon,
  new: newIcon,
};

/**
 * The connection state as a DSFR badge inside a polite live region (role status). Screen readers
 * read « État de la connexion : » and the whole words, in the visually hidden label; the badge
 * itself is for the eyes (`aria-hidden`): the whole words, or on a phone the short ones
 * (`connectionShort`, editor.css), and the whole words again in its `title` for a pointer. The
 * `title` is on the badge, not on the live region, which it would name (tester F8).
 */
export function ConnectionBadge({ state }: { state: ConnectionState }) {
  const style = { '--essaim-badge-icon': `url("${icon[severity[state]]}")` } as CSSProperties;
  return (
    <div role="status" aria-live="polite" aria-atomic="true" className="essaim-connection" data-state={state}>
      <span className="fr-sr-only">
        {m.connectionLabel} {m.connection[state]}
      </span>
      <span className="essaim-connection__badge" title={m.connection[state]} aria-hidden="true">
        <Badge as="span" severity={severity[state]} style={style}>
          <span className="essaim-connection__words">{m.connection[state]}</span>
          <span className="essaim-connection__short">{m.connectionShort[state]}</span>
        </Badge>
      </span>
    </div>
  );
}
