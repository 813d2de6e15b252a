import { useEffect, useId } from 'react';
import type { HocuspocusProvider } from '@hocuspocus/provider';
import { fr } from '@codegouvfr/react-dsfr';
import { presenceMessages as m } from './messages.js';
import { usePresence } from './usePresence.js';
import { keepDistinctColour } from './presenceColour.js';
import { NarrowDisclosure } from '../sections/NarrowDisclosure.js';

/**
 * Who is in the document: a colour swatch (the colour of their caret) and the name, « vous » for
 * yourself. Arrivals and departures are announced politely to screen readers. On a narrow screen
 * the list is folded behind a button that shows how many people are there, in the outline's line,
 * also while alone (`.essaim-doc-side` in styles.css).
 */
export function PresenceList({ provider }: { provider: HocuspocusProvider }) {
  const { participants, announcement } = usePresence(provider, m);
  // This page's colour stays distinct from the others' in the document (issue 16).
  useEffect(
    () => (provider.awareness ? keepDistinctColour(provider.awareness, provider) : undefined),
    [provider],
  );
  const headingId = useId();
  const others = participants.filter((p) => !p.isSelf).length;

  return (
    <section aria-labelledby={headingId} className="essaim-presence">
      {/* Folded on a phone behind « Personnes présentes · 3 personnes », so the text comes first;
          there while alone too, at the right of the outline's line (« 1 »), whose place it keeps. */}
      <NarrowDisclosure
        summary={
          // On a phone, a people icon and their number in the outline's line: someone joining
          // moves nothing (tester M2); the whole words are the button's name (styles.css).
          <>
            <span className="fr-icon-team-line fr-icon--sm" aria-hidden="true" />
            <span aria-hidden="true">{participants.length}</span>
            <span className="fr-sr-only">{`${m.title} · ${m.count(participants.length)}`}</span>
          </>
        }
      >
        <h2 id={headingId} className={fr.cx('fr-h6', 'fr-mb-1w')}>
          {m.title} <span className="essaim-presence__count">{m.count(participants.length)}</span>
        </h2>
        <ul className="essaim-presence__list" data-testid="presence-list">
          {participants.map((p) => (
            <li key={p.key} className="essaim-presence__item">
              <span
                className="essaim-presence__swatch"
                style={{ backgroundColor: p.color }}
                aria-hidden="true"
              />
              <span>
                {p.name}
                {p.isSelf && <span className="essaim-presence__self"> ({m.you})</span>}
              </span>
            </li>
          ))}
        </ul>
        {others === 0 && <p className={fr.cx('fr-text--sm', 'fr-mb-0')}>{m.alone}</p>}
      </NarrowDisclosure>
      <p className="fr-sr-only" aria-live="polite" aria-atomic="true">
        {announcement}
      </p>
    </section>
  );
}
