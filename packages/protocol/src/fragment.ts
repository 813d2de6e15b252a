/** Name of the Yjs XML fragment that holds the editor's content (part of the public contract). */
export const FRAGMENT = 'default';
