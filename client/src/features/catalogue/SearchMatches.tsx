import { Link } from 'wouter';
import { fr } from '@codegouvfr/react-dsfr';
import type { DocumentDto, DocumentMatchDto } from '@essaim/protocol';
import { parseSnippet } from './highlight.js';
import { catalogueMessages as m } from './messages.js';

/** Where a match leads in the editor: the thread when found in a comment, else the section. */
export function matchHref(documentId: string, match: DocumentMatchDto): string {
  const base = `/documents/${encodeURIComponent(documentId)}`;
  if (match.threadId) return `${base}?thread=${encodeURIComponent(match.threadId)}`;
  return match.sectionId ? `${base}?section=${encodeURIComponent(match.sectionId)}` : base;
}

/** « Trouvé dans la section « Origine » », « Trouvé dans un commentaire ». */
function foundIn(match: DocumentMatchDto): string {
  if (match.threadId) return m.foundInComment;
  return match.sectionTitle ? m.foundInSection(match.sectionTitle) : m.foundInUntitledSection;
}

/**
 * The highlighted snippet of a match: the server's escaped text with `<mark>` around the words it
 * found, rendered as React text and `<mark>` elements (never as HTML).
 */
export function Snippet({ snippet }: { snippet: string }) {
  return (
    <>
      {parseSnippet(snippet).map((part, i) =>
        part.marked ? <mark key={i}>{part.text}</mark> : <span key={i}>{part.text}</span>,
      )}
    </>
  );
}

/**
 * Under a document found by its text (issue 18): each place the words were found, a link that
 * opens the editor on that section (`?section=`) or thread (`?thread=`), named after the place and
 * the document, then the snippet around the words. Nothing when the document has no match.
 */
export function SearchMatches({ doc }: { doc: DocumentDto }) {
  if (!doc.matches || doc.matches.length === 0) return null;
  return (
    <ul className={fr.cx('fr-raw-list') + ' essaim-matches'} aria-label={m.matchesLabel(doc.title)}>
      {doc.matches.map((match) => (
        <li key={match.threadId ?? match.sectionId ?? match.snippet} className="essaim-match">
          <Link to={matchHref(doc.id, match)} className={fr.cx('fr-link', 'fr-text--sm')}>
            {foundIn(match)}
            <span className={fr.cx('fr-sr-only')}>{m.inDocument(doc.title)}</span>
          </Link>
          {match.snippet && (
            <p className={fr.cx('fr-text--sm', 'fr-mb-0') + ' essaim-match__snippet'}>
              <Snippet snippet={match.snippet} />
            </p>
          )}
        </li>
      ))}
    </ul>
  );
}
