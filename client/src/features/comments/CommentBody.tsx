import type { AuthorDto } from '@essaim/protocol';
import { shownParts } from './commentText.js';

/**
 * A comment's body as React text nodes: line breaks kept (CSS), http(s) addresses as links opening
 * in a new tab without access to this page, mentions of the people in `mentions` as « @Nom » with
 * their account's name (see `shownParts`). Never HTML from the body.
 */
export function CommentBody({ body, mentions }: { body: string; mentions: readonly AuthorDto[] }) {
  return (
    <p className="essaim-comment-body">
      {shownParts(body, mentions).map((part, index) =>
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
