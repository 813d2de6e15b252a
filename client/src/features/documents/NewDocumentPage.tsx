import { Breadcrumb } from '@codegouvfr/react-dsfr/Breadcrumb';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { fr } from '@codegouvfr/react-dsfr';
import { useDocumentTitle } from '../../shared/useDocumentTitle.js';
import { useFocusOnMount } from '../../shared/useFocusOnMount.js';
import { useEspace } from '../espaces/EspaceLayout.js';
import { useThemes } from '../themes/useThemes.js';
import { CreateDocumentForm } from './CreateDocumentForm.js';
import { documentsMessages as m } from './messages.js';

/** `/espaces/:id/nouveau-document`: starts a fiche or a synthèse, then opens it in the editor. */
export function NewDocumentPage() {
  const { espace } = useEspace();
  useDocumentTitle(`${m.pageTitle} — ${espace.name}`);
  const headingRef = useFocusOnMount<HTMLHeadingElement>();
  const { state: themes } = useThemes(espace.id);
  const catalogue = `/espaces/${espace.id}`;
  const allowed = espace.permissions.createDocument;

  return (
    <div className={fr.cx('fr-container', 'fr-pt-2w', 'fr-pb-6w')}>
      <Breadcrumb
        className={fr.cx('fr-mb-3w')}
        currentPageLabel={m.pageTitle}
        segments={[{ label: espace.name, linkProps: { to: catalogue } }]}
      />
      <div className={fr.cx('fr-grid-row')}>
        <div className={fr.cx('fr-col-12', 'fr-col-md-10', 'fr-col-lg-8')}>
          <h1 ref={headingRef} tabIndex={-1}>
            {allowed ? m.pageTitle : m.notAllowedTitle}
          </h1>
          {allowed ? (
            <>
              <p className={fr.cx('fr-text--lead')}>
                {m.lead}
                {espace.role === 'rapporteur' && <> {m.leadRapporteur}</>}
              </p>
              <CreateDocumentForm espaceId={espace.id} themes={themes} cancelTo={catalogue} />
            </>
          ) : (
            <>
              <p className={fr.cx('fr-text--lead')}>{m.notAllowed}</p>
              <Button linkProps={{ to: catalogue }}>{m.backToCatalogue}</Button>
            </>
          )}
        </div>
      </div>
    </div>
  );
}
