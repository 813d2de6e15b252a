import type { ReactNode } from 'react';
import { fr } from '@codegouvfr/react-dsfr';

/**
 * A DSFR table: its four wrappers, a caption (for screen readers), column headers and the rows
 * given as children. With `showCaption`, the caption's words are also shown above the table, in a
 * paragraph of their own (hidden from screen readers, who have the caption): the DSFR's shown
 * caption is placed by its script, which comes after the first drawing, and the table then moved
 * down 44 px under the person's eyes (the login page's demo accounts on a phone: a layout shift
 * of 0.24, tester BR41 F4).
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
    fr.cx('fr-table--no-caption'),
  ];
  return (
    <>
      {showCaption && (
        <p className="essaim-table-caption" aria-hidden="true">
          {caption}
        </p>
      )}
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
    </>
  );
}
