import { useEffect, useMemo, useState } from 'react';
import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { fr } from '@codegouvfr/react-dsfr';
import type { AuditEntryDto } from '@essaim/protocol';
import { formatTimestamp } from '../../shared/dates.js';
import { useFocusRequest } from '../../shared/useFocusRequest.js';
import { listEspaces } from '../espaces/api.js';
import { listAllDocuments } from '../documents/api.js';
import { listAudit, listUsers } from './api.js';
import { auditActionLabel, auditDetails, auditTarget, type AuditNames } from './audit.js';
import { adminMessages as m } from './messages.js';
import { LoadFailed } from '../../shared/LoadFailed.js';
import { DataTable } from '../../shared/DataTable.js';

const PAGE = 50;

type State =
  | { status: 'loading' }
  | { status: 'error'; message: string }
  | { status: 'ready'; entries: AuditEntryDto[]; more: boolean };

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

async function loadNames(signal: AbortSignal): Promise<AuditNames> {
  // Names only make the log easier to read: a failure leaves identifiers, not an error.
  const [users, espaces, documents] = await Promise.all([
    listUsers(signal).catch(() => []),
    listEspaces(signal).catch(() => []),
    // Every document, page after page (issue 17), to name the log's targets.
    listAllDocuments({}, signal).catch(() => []),
  ]);
  return {
    users: new Map(users.map((u) => [u.id, u.name])),
    espaces: new Map(espaces.map((e) => [e.id, e.name])),
    documents: new Map(documents.map((d) => [d.id, d.title])),
  };
}

/** The audit log, most recent first, fifty entries at a time (« Plus anciens »). */
export function AuditLog() {
  const [state, setState] = useState<State>({ status: 'loading' });
  const [names, setNames] = useState<AuditNames>({
    users: new Map(),
    espaces: new Map(),
    documents: new Map(),
  });
  const [attempt, setAttempt] = useState(0);
  const [loadingOlder, setLoadingOlder] = useState(false);
  const [olderError, setOlderError] = useState<string | null>(null);
  const [announcement, setAnnouncement] = useState('');
  const requestFocus = useFocusRequest();

  useEffect(() => {
    const controller = new AbortController();
    Promise.all([listAudit(PAGE, undefined, controller.signal), loadNames(controller.signal)]).then(
      ([entries, found]) => {
        setNames(found);
        setState({ status: 'ready', entries, more: entries.length === PAGE });
      },
      (error: unknown) => {
        if (!controller.signal.aborted) setState({ status: 'error', message: messageOf(error) });
      },
    );
    return () => controller.abort();
  }, [attempt]);

  const rows = useMemo(
    () =>
      state.status === 'ready'
        ? state.entries.map((entry) => ({
            entry,
            action: auditActionLabel(entry.action),
            target: auditTarget(entry, names),
            details: auditDetails(entry.details, names),
          }))
        : [],
    [state, names],
  );

  const loadOlder = async () => {
    if (state.status !== 'ready' || loadingOlder) return;
    const last = state.entries[state.entries.length - 1];
    if (!last) return;
    setLoadingOlder(true);
    setOlderError(null);
    try {
      const older = await listAudit(PAGE, last.id);
      setState({ status: 'ready', entries: [...state.entries, ...older], more: older.length === PAGE });
      setAnnouncement(
        older.length === PAGE ? m.olderLoaded(older.length) : `${m.olderLoaded(older.length)} ${m.endOfLog}`,
      );
      // Keyboard users continue reading where the new entries start.
      const first = older[0];
      if (first) requestFocus(() => document.getElementById(`audit-${first.id}`));
    } catch (error) {
      setOlderError(messageOf(error));
    } finally {
      setLoadingOlder(false);
    }
  };

  if (state.status === 'loading') {
    return (
      <p role="status" className="essaim-muted">
        {m.auditLoading}
      </p>
    );
  }
  if (state.status === 'error') {
    return (
      <LoadFailed
        title={m.loadErrorTitle}
        message={state.message}
        retryLabel={m.retry}
        onRetry={() => {
          setState({ status: 'loading' });
          setAttempt((n) => n + 1);
        }}
      />
    );
  }
  if (rows.length === 0) return <p>{m.auditEmpty}</p>;

  return (
    <>
      <DataTable
        caption={m.auditCaption}
        headers={[m.colDate, m.colActor, m.colAction, m.colTarget, m.colDetails, m.colIp]}
        className="essaim-audit"
        scroll
        showCaption
      >
        {rows.map(({ entry, action, target, details }) => (
          <tr key={entry.id}>
            <th scope="row" id={`audit-${entry.id}`} tabIndex={-1}>
              <time dateTime={entry.at}>{formatTimestamp(entry.at)}</time>
            </th>
            <td>{entry.actor ? (entry.actor.name ?? m.unknownPerson) : m.nobody}</td>
            <td>{action}</td>
            <td>{target}</td>
            <td>{details}</td>
            <td>{entry.ip ?? ''}</td>
          </tr>
        ))}
      </DataTable>
      {olderError && (
        <Alert
          className={fr.cx('fr-mb-2w')}
          severity="error"
          as="h3"
          title={m.loadErrorTitle}
          description={olderError}
        />
      )}
      {state.more && (
        <Button
          type="button"
          priority="secondary"
          iconId="fr-icon-arrow-down-line"
          disabled={loadingOlder}
          onClick={() => void loadOlder()}
        >
          {loadingOlder ? m.loadingOlder : m.older}
        </Button>
      )}
      <p className="fr-sr-only" role="status">
        {announcement}
      </p>
    </>
  );
}
