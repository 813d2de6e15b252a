import { useId } from 'react';
import type { Editor } from '@tiptap/core';
import { useEditorState } from '@tiptap/react';
import { Badge } from '@codegouvfr/react-dsfr/Badge';
import { fr } from '@codegouvfr/react-dsfr';
import { FICHE_PAGE_TARGET } from '@essaim/domain';
import { documentPages, formatPages, pageStatus, type PageStatus } from './length.js';
import { editorMessages } from './messages.js';
import { NarrowDisclosure } from '../sections/NarrowDisclosure.js';

const m = editorMessages.gauge;
const METER_MAX = 8;

const severity: Record<PageStatus, 'warning' | 'success' | 'info'> = {
  short: 'info',
  target: 'success',
  long: 'warning',
};

/**
 * « ≈ 3,4 pages · objectif : 4 à 5 pages »: the fiche's estimated printed length, live, against
 * its target, as a `<meter>` and in words (the catalogue's wording: `formatPageEstimate` of
 * @essaim/domain). Folded on a narrow screen behind a button that tells the estimate.
 */
export function LengthGauge({
  editor,
  ready = true,
}: {
  editor: Editor;
  /**
   * The document's text is here: until then its figures are those of the placeholder document
   * (« ≈ 0 page, trop court » for 370 ms, tester BR43 F5), so the folded line says « Longueur » only.
   */
  ready?: boolean;
}) {
  const headingId = useId();
  const meterId = useId();
  const helpId = useId();
  const pages = useEditorState({ editor, selector: ({ editor: e }) => documentPages(e.state.doc) });
  const status = pageStatus(pages);
  const { min, max } = FICHE_PAGE_TARGET;
  const label = `${formatPages(pages)} · ${m.target(min, max)}`;

  // Folded on a phone behind « Longueur · ≈ 0,6 page, trop court », so the text comes first.
  return (
    <NarrowDisclosure summary={ready ? `${m.title} · ${formatPages(pages)}, ${m.status[status]}` : m.title}>
      <section className="essaim-gauge" aria-labelledby={headingId}>
        <h2 id={headingId} className={fr.cx('fr-h6', 'fr-mb-1w')}>
          {m.title}
        </h2>
        <p className={fr.cx('fr-text--sm', 'fr-mb-1w')} data-testid="length-estimate">
          <label htmlFor={meterId}>{label}</label>
        </p>
        <meter
          id={meterId}
          className="essaim-gauge__meter"
          min={0}
          max={METER_MAX}
          low={min}
          high={max}
          optimum={(min + max) / 2}
          value={Math.min(pages, METER_MAX)}
          aria-describedby={helpId}
        >
          {label}
        </meter>
        <p className={fr.cx('fr-mb-1w', 'fr-mt-1w')} role="status" aria-live="polite">
          <Badge as="span" small severity={severity[status]}>
            {m.status[status]}
          </Badge>
        </p>
        <p id={helpId} className={fr.cx('fr-text--xs', 'fr-mb-0') + ' essaim-muted'}>
          {m.help}
        </p>
      </section>
    </NarrowDisclosure>
  );
}
