import { useId, useState, useSyncExternalStore, type ReactNode } from 'react';
import { fr } from '@codegouvfr/react-dsfr';

/**
 * The DSFR's « lg » breakpoint (62em, 992 px at the default text size): from there the editor
 * shows its three columns and the catalogue its filters side by side; below it (phones,
 * portrait tablets), what sits before the content is folded (issue 16).
 */
export const WIDE_SCREEN = '(min-width: 62em)';

const subscribe = (query: string) => (onChange: () => void) => {
  const list = window.matchMedia(query);
  list.addEventListener('change', onChange);
  return () => list.removeEventListener('change', onChange);
};

/** Whether a CSS media query matches now; follows its changes (rotation, resize, text zoom). */
export function useMediaQuery(query: string): boolean {
  return useSyncExternalStore(
    subscribe(query),
    () => window.matchMedia(query).matches,
    () => true,
  );
}

/**
 * On a wide screen, `children` as they are. On a narrow one, a button showing `summary` (what the
 * folded part holds, e.g. « Filtres · 2 filtres actifs ») that unfolds and folds them: a
 * disclosure (WAI-ARIA APG pattern: `aria-expanded`, `aria-controls`), reached and used with Tab,
 * Enter and Space. Folded content stays mounted (its live regions and state are kept), hidden by
 * the `hidden` attribute. `label` names the button for assistive technologies when `summary`
 * alone would not.
 */
export function NarrowDisclosure({
  summary,
  children,
  className,
  query = WIDE_SCREEN,
}: {
  summary: ReactNode;
  children: ReactNode;
  className?: string;
  /** The media query from which `children` are always shown. */
  query?: string;
}) {
  const wide = useMediaQuery(query);
  const [open, setOpen] = useState(false);
  const id = useId();
  if (wide) return <>{children}</>;
  return (
    <div className={'essaim-narrow-disclosure' + (className ? ` ${className}` : '')}>
      <button
        type="button"
        className={fr.cx(
          'fr-btn',
          'fr-btn--tertiary',
          'fr-btn--sm',
          'fr-btn--icon-right',
          open ? 'fr-icon-arrow-up-s-line' : 'fr-icon-arrow-down-s-line',
        )}
        aria-expanded={open}
        aria-controls={id}
        onClick={() => setOpen((was) => !was)}
      >
        {summary}
      </button>
      <div id={id} hidden={!open} className="essaim-narrow-disclosure__content">
        {children}
      </div>
    </div>
  );
}
