import { getSchema, textblockTypeInputRule, type AnyExtension } from '@tiptap/core';
import { Heading } from '@tiptap/extension-heading';
import { Image } from '@tiptap/extension-image';
import { Blockquote } from '@tiptap/extension-blockquote';
import { Bold } from '@tiptap/extension-bold';
import { Code } from '@tiptap/extension-code';
import { CodeBlock } from '@tiptap/extension-code-block';
import { HardBreak } from '@tiptap/extension-hard-break';
import { HorizontalRule } from '@tiptap/extension-horizontal-rule';
import { Italic } from '@tiptap/extension-italic';
import { BulletList, ListItem, ListKeymap, OrderedList } from '@tiptap/extension-list';
import { Paragraph } from '@tiptap/extension-paragraph';
import { Strike } from '@tiptap/extension-strike';
import { Text } from '@tiptap/extension-text';
import { Underline } from '@tiptap/extension-underline';
import { Dropcursor, Gapcursor, TrailingNode } from '@tiptap/extensions';
import { DocumentReference, Footnote, Section, SectionedDocument, SectionTitle } from './nodes.js';
import { BareLink } from './links.js';
import { tableNodes } from './tables.js';

/**
 * Heading levels written inside a section. Level 2 is the section title (a node of its own, in the
 * sommaire and the section menu), so a heading inside a section is level 3 or 4.
 */
export const SECTION_HEADING_LEVELS = [3, 4] as const;

/**
 * The level a pasted or dropped HTML heading takes inside a section: Word's « Titre 1 » and
 * « Titre 2 » (h1, h2) become level 3, its deeper titles (h5, h6) level 4, never a paragraph.
 * A section title copied from the editor (`h2[data-section-title]`) is read by `SectionTitle`,
 * whose rule has a higher priority.
 */
export const PASTED_HEADING_LEVELS: Readonly<Record<string, 3 | 4>> = {
  h1: 3,
  h2: 3,
  h3: 3,
  h4: 4,
  h5: 4,
  h6: 4,
};

/**
 * Tiptap's heading limited to {@link SECTION_HEADING_LEVELS}. Stored headings of another level
 * (level 2 typed before this rule) stay valid nodes, untouched in the document, and are shown as
 * level 3 (Tiptap renders a level outside `levels` as the first level). Typing "## " or "### "
 * makes a level-3 heading and "#### " a level-4 one; Ctrl+Alt+2 (Word's « Titre 2 ») and
 * Ctrl+Alt+3 give level 3, Ctrl+Alt+4 level 4.
 */
const SectionHeading = Heading.extend({
  parseHTML() {
    return Object.entries(PASTED_HEADING_LEVELS).map(([tag, level]) => ({ tag, attrs: { level } }));
  },
  addInputRules() {
    return [
      textblockTypeInputRule({ find: /^#{2,3}\s$/, type: this.type, getAttributes: { level: 3 } }),
      textblockTypeInputRule({ find: /^#{4}\s$/, type: this.type, getAttributes: { level: 4 } }),
    ];
  },
  addKeyboardShortcuts() {
    return {
      'Mod-Alt-2': () => this.editor.commands.toggleHeading({ level: 3 }),
      'Mod-Alt-3': () => this.editor.commands.toggleHeading({ level: 3 }),
      'Mod-Alt-4': () => this.editor.commands.toggleHeading({ level: 4 }),
    };
  },
}).configure({ levels: [...SECTION_HEADING_LEVELS] });

/**
 * The document schema, shared by the browser editor and the server. The server reads, hashes and
 * renders stored documents with exactly this list: a node the server does not know would be
 * dropped silently, so nothing schema-related may be configured on one side only.
 *
 * Undo/redo is left out because collaborative editing brings its own (Yjs) history.
 */
export function schemaExtensions(): AnyExtension[] {
  return [
    // Tiptap's StarterKit, in its order, without its document (ours is sectioned), its heading
    // (SectionHeading), its undo/redo (Yjs brings its own) and its link: StarterKit imports
    // `@tiptap/extension-link` and linkifyjs even when the link is left out, so the kit is listed
    // here. The link mark is `BareLink` (links.ts); typed and pasted addresses become links in
    // the browser once that behaviour's chunk has arrived.
    Bold,
    Blockquote,
    BulletList,
    Code,
    CodeBlock,
    Dropcursor,
    Gapcursor,
    HardBreak,
    HorizontalRule,
    Italic,
    ListItem,
    ListKeymap,
    BareLink,
    OrderedList,
    Paragraph,
    Strike,
    Text,
    Underline,
    TrailingNode,
    SectionHeading,
    SectionedDocument,
    Section,
    SectionTitle,
    Footnote,
    DocumentReference,
    // Column widths would be inline styles, which the CSP forbids: tables size themselves (not
    // resizable). The nodes only: their editing behaviour (prosemirror-tables) is added by the
    // browser after the first drawing (tables.ts).
    ...tableNodes(),
    // Only images uploaded to the server (no data: URLs, which would bloat the document).
    Image.configure({ inline: false, allowBase64: false }),
  ];
}

/** The ProseMirror schema built from {@link schemaExtensions}, for code without an editor. */
export const schema = getSchema(schemaExtensions());
