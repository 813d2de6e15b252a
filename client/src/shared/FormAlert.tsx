import type { Ref } from 'react';
import { Alert } from '@codegouvfr/react-dsfr/Alert';

export interface FormAlertProps {
  title: string;
  description: string;
  /** Focused after a refused submission, so keyboard and screen reader users land on the problem. */
  focusRef?: Ref<HTMLDivElement>;
  severity?: 'error' | 'success' | 'info' | 'warning';
  /** Heading level of the alert's title: `h2` directly under the page title, `h3` inside a section. */
  as?: 'h2' | 'h3';
  className?: string;
  /** The compact DSFR alert, for tight places such as a dialog. */
  small?: boolean;
}

/** A DSFR alert above a form (its failure or its outcome), reachable by focus. */
export function FormAlert({
  title,
  description,
  focusRef,
  severity = 'error',
  as = 'h2',
  className,
  small = false,
}: FormAlertProps) {
  return (
    <div ref={focusRef} tabIndex={-1} className={className ?? 'fr-mb-3w'}>
      {/* No live role: the focus moves here, which reads it once (a role would read it twice). */}
      <Alert
        severity={severity}
        small={small}
        as={as}
        title={title}
        description={description}
        role={undefined}
      />
    </div>
  );
}
