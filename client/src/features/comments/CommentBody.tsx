import { shownParts } from './commentText.js';

/**
 * A comment's body as React text nodes: line breaks kept (CSS), http(s) addresses as links opening
 * in a new tab without access to this page, mentions as « @Nom ». Never HTML from the body.
 */
export function CommentBody({ body }: { body: string }) {
  return (
    <p className="essaim-comment-body">
      {shownParts(body).map((part, index) =>
        part.kind === 'text' ? (
          part.text
        ) : part.kind === 'link' ? (
          <a key={index} href={part.href} target="_blank" rel="noopener noreferrer">
            {part.text}
          </a>
        ) : (
          <span key={index} className="essaim-mention">
            @{part.name}
          </span>
        ),
      )}
    </p>
  );
}
