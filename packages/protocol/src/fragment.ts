/** Name of the Yjs XML fragment that holds the editor's content (part of the public contract). */
export const FRAGMENT = 'default';

/**
 * Name of the Y.Map that holds a document's metadata (title, themes, category, territory...),
 * edited live next to the text and mirrored into SQLite columns when the document is stored.
 */
export const META_MAP = 'meta';

/**
 * Name of the Y.Map where the server records, with each section move, which of every writer's
 * items it had when it copied the section (packages/editor `copiedClocks.ts`). Written by the
 * server only: an update of a client that writes or deletes in it is refused.
 */
export const SECTION_MOVES_MAP = 'sectionMoves';
