import { useEffect, useId, useRef, useState } from 'react';
import { Breadcrumb } from '@codegouvfr/react-dsfr/Breadcrumb';
import { fr } from '@codegouvfr/react-dsfr';
import type { DocumentDto } from '@essaim/protocol';
import { ApiError } from '../../shared/api.js';
import { useDocumentTitle } from '../../shared/useDocumentTitle.js';
import { useFocusOnMount } from '../../shared/useFocusOnMount.js';
import { listDocuments } from '../documents/api.js';
import { AssignmentsSection } from './AssignmentsSection.js';
import { useEspace } from './EspaceLayout.js';
import { InvitationsSection } from './InvitationsSection.js';
import { MembersSection } from './MembersSection.js';
import { espacesMessages as m } from './messages.js';

export type DocumentsState =
  | { status: 'loading' }
  | { status: 'error'; message: string }
  | { status: 'ready'; documents: DocumentDto[] };

/**
 * `/espaces/:id/personnes`: members and their roles, pending invitations and the form to invite,
 * and who writes which document. Managers (animateur, administrator) act; the others read.
 */
export function PeoplePage() {
  const { espace } = useEspace();
  useDocumentTitle(`${m.peopleTitle} — ${espace.name}`);
  const headingRef = useFocusOnMount<HTMLHeadingElement>();
  const [documents, setDocuments] = useState<DocumentsState>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);
  const membersHeadingRef = useRef<HTMLHeadingElement>(null);
  const membersId = useId();

  useEffect(() => {
    const controller = new AbortController();
    listDocuments(espace.id, controller.signal).then(
      (list) =>
        setDocuments({
          status: 'ready',
          documents: [...list].sort((a, b) => a.title.localeCompare(b.title, 'fr')),
        }),
      (error: unknown) => {
        if (controller.signal.aborted) return;
        setDocuments({ status: 'error', message: error instanceof ApiError ? error.message : String(error) });
      },
    );
    return () => controller.abort();
    // Roles change who may be assigned, not the list itself: loaded again only on demand.
  }, [espace.id, attempt]);

  const replaceDocument = (doc: DocumentDto) =>
    setDocuments((state) =>
      state.status === 'ready'
        ? { status: 'ready', documents: state.documents.map((d) => (d.id === doc.id ? doc : d)) }
        : state,
    );

  return (
    <div className={fr.cx('fr-container', 'fr-pt-2w', 'fr-pb-6w')}>
      <Breadcrumb
        className={fr.cx('fr-mb-3w')}
        currentPageLabel={m.peopleTitle}
        segments={[{ label: espace.name, linkProps: { to: `/espaces/${espace.id}` } }]}
      />
      <h1 ref={headingRef} tabIndex={-1}>
        {m.peopleTitle}
      </h1>
      <p className={fr.cx('fr-text--lead', 'fr-mb-6w')}>{m.peopleLead(espace.name)}</p>

      <section aria-labelledby={membersId} className={fr.cx('fr-mb-6w')}>
        <h2 id={membersId} ref={membersHeadingRef} tabIndex={-1}>
          {m.membersTitle}
        </h2>
        <MembersSection
          onMembersChanged={() => setAttempt((n) => n + 1)}
          focusAfterRemoval={() => membersHeadingRef.current?.focus()}
        />
      </section>

      {espace.permissions.manageMembers && <InvitationsSection />}

      <AssignmentsSection
        documents={documents}
        onRetry={() => {
          setDocuments({ status: 'loading' });
          setAttempt((n) => n + 1);
        }}
        onDocumentChanged={replaceDocument}
      />
    </div>
  );
}
