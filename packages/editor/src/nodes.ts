import { mergeAttributes, Node } from '@tiptap/core';
import { Document } from '@tiptap/extension-document';

/**
 * A document holds sections and, for documents written before sections existed, plain blocks.
 * Sections only live at the top level, so their ids and order are easy to read on the server.
 */
export const SectionedDocument = Document.extend({ content: '(section | block)+' });

/**
 * A section of a fiche or of the synthesis: a title, then blocks. `id` is stable for the life of
 * the section (reviews and comments will point to it) and kept unique by {@link ensureUniqueSectionIds};
 * `key` names the template section it was made from, null for sections rapporteurs added.
 * Whether a section is required is read from the template by key, never stored where an editor
 * could change it.
 */
export const Section = Node.create({
  name: 'section',
  group: 'section',
  content: 'sectionTitle block+',
  defining: true,
  isolating: true,
  addAttributes() {
    return {
      id: {
        default: null,
        parseHTML: (element) => element.getAttribute('data-section-id'),
        renderHTML: (attributes) => ({ 'data-section-id': attributes.id as string | null }),
      },
      key: {
        default: null,
        parseHTML: (element) => element.getAttribute('data-section-key'),
        renderHTML: (attributes) => (attributes.key ? { 'data-section-key': attributes.key as string } : {}),
      },
    };
  },
  parseHTML() {
    return [{ tag: 'section[data-section-id]' }];
  },
  renderHTML({ HTMLAttributes }) {
    return ['section', mergeAttributes(HTMLAttributes, { class: 'essaim-section' }), 0];
  },
});

/** The title of a section: plain text, shown as a level-2 heading (documents have one h1, their title). */
export const SectionTitle = Node.create({
  name: 'sectionTitle',
  content: 'text*',
  marks: '',
  defining: true,
  parseHTML() {
    return [{ tag: 'h2[data-section-title]', priority: 60 }];
  },
  renderHTML({ HTMLAttributes }) {
    return [
      'h2',
      mergeAttributes(HTMLAttributes, { 'data-section-title': '', class: 'essaim-section-title' }),
      0,
    ];
  },
});

/**
 * A footnote: an inline atom holding its own text. Numbers are not stored; they follow document
 * order when the document is shown or exported, so notes can be moved without renumbering.
 */
export const Footnote = Node.create({
  name: 'footnote',
  group: 'inline',
  inline: true,
  atom: true,
  selectable: true,
  addAttributes() {
    return {
      text: {
        default: '',
        parseHTML: (element) => element.getAttribute('data-footnote') ?? '',
        renderHTML: (attributes) => ({ 'data-footnote': attributes.text as string }),
      },
    };
  },
  parseHTML() {
    return [{ tag: 'sup[data-footnote]' }];
  },
  renderHTML({ HTMLAttributes }) {
    return ['sup', mergeAttributes(HTMLAttributes, { class: 'essaim-footnote' })];
  },
  renderText({ node }) {
    return ` [note : ${String(node.attrs.text)}]`;
  },
});

/**
 * A link to another document of the espace, by id. The title is kept as it was when the link was
 * made so the link still reads well where the other document cannot be fetched; the editor shows
 * the live title.
 */
export const DocumentReference = Node.create({
  name: 'docRef',
  group: 'inline',
  inline: true,
  atom: true,
  selectable: true,
  addAttributes() {
    return {
      documentId: {
        default: null,
        parseHTML: (element) => element.getAttribute('data-doc-ref'),
        renderHTML: (attributes) => ({ 'data-doc-ref': attributes.documentId as string | null }),
      },
      title: {
        default: '',
        parseHTML: (element) => element.textContent ?? '',
        renderHTML: () => ({}),
      },
    };
  },
  parseHTML() {
    return [{ tag: 'a[data-doc-ref]' }];
  },
  renderHTML({ node, HTMLAttributes }) {
    return [
      'a',
      mergeAttributes(HTMLAttributes, {
        href: `/documents/${String(node.attrs.documentId)}`,
        class: 'essaim-doc-ref',
      }),
      String(node.attrs.title),
    ];
  },
  renderText({ node }) {
    return String(node.attrs.title);
  },
});
