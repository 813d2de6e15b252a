import { useId, useState } from 'react';
import { Link } from 'wouter';
import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { fr } from '@codegouvfr/react-dsfr';
import type { DocumentDto, MemberDto } from '@essaim/protocol';
import { StatusMessage } from '../../shared/StatusMessage.js';
import { useFocusRequest } from '../../shared/useFocusRequest.js';
import { assignDocument, unassignDocument } from '../documents/api.js';
import { useEspace } from './EspaceLayout.js';
import { espacesMessages as m } from './messages.js';
import { LoadFailed } from '../../shared/LoadFailed.js';
import type { Loadable } from '../../shared/useLoad.js';
import { roleLabel } from './roles.js';
import { DataTable } from '../../shared/DataTable.js';

/** Who may be given a document to write: rapporteurs and animateurs of the espace, accounts active. */
function assignable(members: MemberDto[], doc: DocumentDto): MemberDto[] {
  const assigned = new Set(doc.assignees.map((a) => a.userId));
  return members
    .filter(
      (p) => (p.role === 'rapporteur' || p.role === 'animateur') && !p.disabled && !assigned.has(p.userId),
    )
    .sort((a, b) => a.name.localeCompare(b.name, 'fr'));
}

/** Each document of the espace and its assigned rapporteurs; managers assign and unassign. */
export function AssignmentsSection({
  documents,
  onRetry,
  onDocumentChanged,
}: {
  documents: Loadable<DocumentDto[]>;
  onRetry: () => void;
  onDocumentChanged: (doc: DocumentDto) => void;
}) {
  const { espace } = useEspace();
  const manage = espace.permissions.assign;
  const headingId = useId();
  const [choice, setChoice] = useState<Record<string, string>>({});
  const [pendingDoc, setPendingDoc] = useState<string | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const requestFocus = useFocusRequest();

  const run = async (doc: DocumentDto, action: () => Promise<DocumentDto>, done: string, focusId: string) => {
    setPendingDoc(doc.id);
    setStatus(null);
    setError(null);
    try {
      onDocumentChanged(await action());
      setStatus(done);
      setChoice((c) => ({ ...c, [doc.id]: '' }));
      // The button pressed may be gone (unassigned person, last person assigned): stay in the row.
      requestFocus(() => document.getElementById(focusId) ?? document.getElementById(`document-${doc.id}`));
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    } finally {
      setPendingDoc(null);
    }
  };

  return (
    <section aria-labelledby={headingId}>
      <h2 id={headingId}>{m.assignmentsTitle}</h2>
      <p>{m.assignmentsLead}</p>
      <StatusMessage message={status} />
      {error && (
        <Alert
          className={fr.cx('fr-mb-2w')}
          severity="error"
          as="h3"
          title={m.assignErrorTitle}
          description={error}
        />
      )}
      {documents.status === 'loading' && (
        <p role="status" className="essaim-muted">
          {m.documentsLoading}
        </p>
      )}
      {documents.status === 'error' && (
        <LoadFailed title={m.errorTitle} message={documents.message} retryLabel={m.retry} onRetry={onRetry} />
      )}
      {documents.status === 'ready' && documents.value.length === 0 && <p>{m.assignmentsEmpty}</p>}
      {documents.status === 'ready' && documents.value.length > 0 && (
        <DataTable
          caption={m.assignmentsCaption}
          headers={[m.colDocument, m.colAssignees, ...(manage ? [m.colAssign] : [])]}
          className="essaim-assignments"
        >
          {documents.value.map((doc) => {
            const candidates = assignable(espace.members, doc);
            const selectId = `attribuer-${doc.id}`;
            const selected = choice[doc.id] ?? '';
            const busy = pendingDoc === doc.id;
            return (
              <tr key={doc.id}>
                <th scope="row">
                  <Link id={`document-${doc.id}`} to={`/documents/${doc.id}`}>
                    {doc.title}
                  </Link>
                </th>
                <td>
                  {doc.assignees.length === 0 ? (
                    <span className="essaim-muted">{m.noAssignee}</span>
                  ) : (
                    <ul className="essaim-assignees">
                      {doc.assignees.map((a) => (
                        <li key={a.userId}>
                          <span>{a.name}</span>
                          {manage && (
                            <Button
                              type="button"
                              size="small"
                              priority="tertiary no outline"
                              iconId="fr-icon-close-line"
                              disabled={busy}
                              onClick={() =>
                                void run(
                                  doc,
                                  () => unassignDocument(doc.id, a.userId),
                                  m.unassigned(a.name, doc.title),
                                  selectId,
                                )
                              }
                              nativeButtonProps={{
                                'aria-label': m.unassignLabel(a.name, doc.title),
                              }}
                            >
                              {m.unassign}
                            </Button>
                          )}
                        </li>
                      ))}
                    </ul>
                  )}
                </td>
                {manage && (
                  <td>
                    {candidates.length === 0 ? (
                      <span className="essaim-muted">{m.nobodyToAssign}</span>
                    ) : (
                      <div className="essaim-assign">
                        <label className="fr-sr-only" htmlFor={selectId}>
                          {m.assignSelectLabel(doc.title)}
                        </label>
                        <select
                          id={selectId}
                          className={fr.cx('fr-select')}
                          value={selected}
                          disabled={busy}
                          onChange={(event) => setChoice((c) => ({ ...c, [doc.id]: event.target.value }))}
                        >
                          <option value="">{m.assignPlaceholder}</option>
                          {candidates.map((p) => (
                            <option key={p.userId} value={p.userId}>
                              {p.name} ({roleLabel[p.role]})
                            </option>
                          ))}
                        </select>
                        <Button
                          type="button"
                          size="small"
                          iconId="fr-icon-user-add-line"
                          disabled={busy || !selected}
                          onClick={() => {
                            const person = candidates.find((p) => p.userId === selected);
                            if (!person) return;
                            void run(
                              doc,
                              () => assignDocument(doc.id, person.userId),
                              m.assigned(person.name, doc.title),
                              selectId,
                            );
                          }}
                          nativeButtonProps={{ 'aria-label': m.assignSubmitLabel(doc.title) }}
                        >
                          {m.assignSubmit}
                        </Button>
                      </div>
                    )}
                  </td>
                )}
              </tr>
            );
          })}
        </DataTable>
      )}
    </section>
  );
}
