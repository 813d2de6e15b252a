const dateTimeFormat = new Intl.DateTimeFormat('fr-FR', { dateStyle: 'long', timeStyle: 'short' });
const dayFormat = new Intl.DateTimeFormat('fr-FR', { dateStyle: 'long' });
const shortFormat = new Intl.DateTimeFormat('fr-FR', { dateStyle: 'short', timeStyle: 'medium' });

function format(iso: string, formatter: Intl.DateTimeFormat): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : formatter.format(date);
}

/** « 22 novembre 2025 à 08:03 », or the raw text when the date cannot be read. */
export const formatDate = (iso: string): string => format(iso, dateTimeFormat);

/** « 22 novembre 2025 ». */
export const formatDay = (iso: string): string => format(iso, dayFormat);

/** « 22/11/2025 08:03:12 », for the audit log where seconds matter. */
export const formatTimestamp = (iso: string): string => format(iso, shortFormat);
