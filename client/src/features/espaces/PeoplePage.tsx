import { useId, useRef } from 'react';
import { Breadcrumb } from '@codegouvfr/react-dsfr/Breadcrumb';
import { fr } from '@codegouvfr/react-dsfr';
import type { DocumentDto } from '@essaim/protocol';
import { useDocumentTitle } from '../../shared/useDocumentTitle.js';
import { useFocusOnMount } from '../../shared/useFocusOnMount.js';
import { listDocuments } from '../documents/api.js';
import { AssignmentsSection } from './AssignmentsSection.js';
import { useLoad } from '../../shared/useLoad.js';
import { useEspace } from './EspaceLayout.js';
import { InvitationsSection } from './InvitationsSection.js';
import { MembersSection } from './MembersSection.js';
import { espacesMessages as m } from './messages.js';

/**
 * `/espaces/:id/personnes`: members and their roles, pending invitations and the form to invite,
 * and who writes which document. Managers (animateur, administrator) act; the others read.
 */
export function PeoplePage() {
  const { espace } = useEspace();
  useDocumentTitle(`${m.peopleTitle} — ${espace.name}`);
  const headingRef = useFocusOnMount<HTMLHeadingElement>();
  // Roles change who may be assigned, not the list itself: loaded again only on demand.
  const {
    state: documents,
    reload,
    retry,
    update,
  } = useLoad(
    (signal) =>
      listDocuments(espace.id, signal).then((list) =>
        [...list].sort((a, b) => a.title.localeCompare(b.title, 'fr')),
      ),
    [espace.id],
  );
  const membersHeadingRef = useRef<HTMLHeadingElement>(null);
  const membersId = useId();

  const replaceDocument = (doc: DocumentDto) =>
    update((list) => list.map((d) => (d.id === doc.id ? doc : d)));

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
          documents={documents}
          onMembersChanged={reload}
          focusAfterRemoval={() => membersHeadingRef.current?.focus()}
        />
      </section>

      {espace.permissions.manageMembers && <InvitationsSection />}

      <AssignmentsSection documents={documents} onRetry={retry} onDocumentChanged={replaceDocument} />
    </div>
  );
}
