import { useEffect, useState } from 'react';
import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { fr } from '@codegouvfr/react-dsfr';
import type { CollabLimitsDto } from '@essaim/protocol';
import { editorMessages as m } from './messages.js';
import { setPastePolicy, type PasteRefusal } from './pasteLimit.js';
import { useUpdateRefusal, type CollaborationSession } from './useCollaborationSession.js';
import './saveAlerts.css';

function pasteMessage(refusal: PasteRefusal): string {
  return refusal.reason === 'too-large'
    ? m.pasteRefused['too-large'](m.size(refusal.estimate), m.size(refusal.limit))
    : m.pasteRefused['document-full'](m.size(refusal.limit));
}

/**
 * What the page says when a change cannot be saved, kept in view at the bottom of the window:
 * - a change the server refused (too large, invalid): what happened, what to do (undo it), and
 *   « Se reconnecter »; it stays until the person reconnects;
 * - a paste refused before it was applied (over the server's `limits`, from `/api/auth/me`).
 * Both are also spoken through `announce` (the page's polite live region): the focus stays in the
 * text, where Ctrl+Z undoes.
 */
export function SaveAlerts({
  session,
  limits,
  announce,
}: {
  session: CollaborationSession;
  limits: CollabLimitsDto;
  announce: (message: string) => void;
}) {
  const refusal = useUpdateRefusal(session);
  // `key` makes a second identical refusal a new alert (shown and spoken again).
  const [paste, setPaste] = useState<{ message: string; key: number } | null>(null);

  useEffect(
    () =>
      setPastePolicy(session.ydoc, {
        limits,
        refused: (refused) => {
          const message = pasteMessage(refused);
          setPaste((previous) => ({ message, key: (previous?.key ?? 0) + 1 }));
          announce(message);
        },
      }),
    [session.ydoc, limits, announce],
  );

  useEffect(() => {
    if (refusal)
      announce(`${m.updateRefused[refusal.kind].title}. ${m.updateRefused[refusal.kind].description}`);
  }, [refusal, announce]);

  if (!refusal && !paste) return null;
  return (
    <div className="essaim-save-alerts">
      {refusal && (
        <div className="essaim-save-alert" data-testid="update-refused">
          <Alert
            severity="error"
            as="h2"
            title={m.updateRefused[refusal.kind].title}
            description={
              refusal.count > 1
                ? `${m.updateRefused[refusal.kind].description} ${m.updateRefused.again}`
                : m.updateRefused[refusal.kind].description
            }
          />
          <Button
            className={fr.cx('fr-mt-2w')}
            size="small"
            iconId="fr-icon-refresh-line"
            onClick={session.refusals.reconnect}
          >
            {m.updateRefused.reconnect}
          </Button>
        </div>
      )}
      {paste && (
        <div className="essaim-save-alert" data-testid="paste-refused">
          <Alert
            key={paste.key}
            severity="warning"
            small
            description={paste.message}
            closable
            onClose={() => setPaste(null)}
          />
        </div>
      )}
    </div>
  );
}
