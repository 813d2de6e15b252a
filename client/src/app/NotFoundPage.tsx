import { ErrorPage } from '../shared/ErrorPage.js';
import { appMessages as m } from './messages.js';

export function NotFoundPage() {
  return (
    <ErrorPage title={m.notFoundTitle} code={m.notFoundCode} lead={m.notFoundLead} homeLabel={m.backHome} />
  );
}
