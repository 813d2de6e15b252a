import { getSchema, type AnyExtension } from '@tiptap/core';
import { Image } from '@tiptap/extension-image';
import { TableKit } from '@tiptap/extension-table';
import { StarterKit } from '@tiptap/starter-kit';
import { DocumentReference, Footnote, Section, SectionedDocument, SectionTitle } from './nodes.js';

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
      document: false,
      undoRedo: false,
      heading: { levels: [2, 3, 4] },
      link: { openOnClick: false, autolink: true, defaultProtocol: 'https' },
    }),
    SectionedDocument,
    Section,
    SectionTitle,
    Footnote,
    DocumentReference,
    // Column widths would be inline styles, which the CSP forbids: tables size themselves.
    TableKit.configure({ table: { resizable: false } }),
    // Only images uploaded to the server (no data: URLs, which would bloat the document).
    Image.configure({ inline: false, allowBase64: false }),
  ];
}

/** The ProseMirror schema built from {@link schemaExtensions}, for code without an editor. */
export const schema = getSchema(schemaExtensions());
