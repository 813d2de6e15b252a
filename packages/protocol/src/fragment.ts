/** Name of the Yjs XML fragment that holds the editor's content (part of the public contract). */
export const FRAGMENT = 'default';

/**
 * Name of the Y.Map that holds a document's metadata (title, themes, category, territory...),
 * edited live next to the text and mirrored into SQLite columns when the document is stored.
 */
export const META_MAP = 'meta';
