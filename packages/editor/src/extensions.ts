import { getSchema, type AnyExtension } from '@tiptap/core';
import { StarterKit } from '@tiptap/starter-kit';

/**
 * The document schema, shared by the browser editor and the server. The server reads, hashes and
 * renders stored documents with exactly this list: a node the server does not know would be
 * dropped silently, so nothing schema-related may be configured on one side only.
 *
 * Undo/redo is left out because collaborative editing brings its own (Yjs) history.
 */
export function schemaExtensions(): AnyExtension[] {
  return [
    StarterKit.configure({
      undoRedo: false,
      heading: { levels: [2, 3, 4] },
      link: { openOnClick: false, autolink: true, defaultProtocol: 'https' },
    }),
  ];
}

/** The ProseMirror schema built from {@link schemaExtensions}, for code without an editor. */
export const schema = getSchema(schemaExtensions());
