import type { ReactNode } from 'react';
import { fr } from '@codegouvfr/react-dsfr';

/**
 * A DSFR table: its four wrappers, a caption (kept for screen readers, shown only when
 * `showCaption`), column headers and the rows given as children.
 */
export function DataTable({
  caption,
  headers,
  className,
  scroll = false,
  showCaption = false,
  children,
}: {
  caption: string;
  headers: ReactNode[];
  className?: string;
  /** Let a wide table scroll horizontally instead of wrapping. */
  scroll?: boolean;
  showCaption?: boolean;
  children: ReactNode;
}) {
  const classes = [
    fr.cx('fr-table'),
    scroll ? '' : fr.cx('fr-table--no-scroll'),
    showCaption ? '' : fr.cx('fr-table--no-caption'),
  ];
  return (
    <div className={classes.filter(Boolean).join(' ')}>
      <div className="fr-table__wrapper">
        <div className="fr-table__container">
          <div className="fr-table__content">
            <table className={className}>
              <caption>{caption}</caption>
              <thead>
                <tr>
                  {headers.map((header, i) => (
                    <th scope="col" key={i}>
                      {header}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>{children}</tbody>
            </table>
          </div>
        </div>
      </div>
    </div>
  );
}
