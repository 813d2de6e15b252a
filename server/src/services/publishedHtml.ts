import { schemaExtensions, type DocJSON } from '@essaim/editor';
import { renderToHTMLString } from '@tiptap/static-renderer/pm/html-string';
import sanitizeHtml from 'sanitize-html';

/** Where a published page's links and images lead, decided by the portal. */
export interface PublishedLinks {
  /** The portal address of another document if it is published, or null (its title stays as text). */
  documentUrl(documentId: string): string | null;
  /** The public address of an uploaded image (`/api/files/<sha256>`), or null (the image is left out). */
  imageUrl(src: string): string | null;
}

/** Published HTML: the body, its footnotes (numbered in document order), and its plain text. */
export interface PublishedHtml {
  html: string;
  /** Footnote texts, note 1 first (they are also at the end of `html`). */
  notes: string[];
}

/** Text made safe inside HTML text and double- or single-quoted attributes. */
export const escapeHtml = (text: string): string =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

/**
 * The allowlist every published page goes through (sanitize-html): the tags and attributes the
 * shared schema renders, links to http(s), mailto, tel and the page’s own anchors, images only from the
 * portal's own file address. No style, no event handler, no SVG, no script, no frame, no form: a
 * rapporteur cannot make the portal run script or load a resource from elsewhere (issue 13).
 */
export const PUBLISHED_HTML_POLICY: sanitizeHtml.IOptions = {
  allowedTags: [
    'section',
    'h2',
    'h3',
    'h4',
    'p',
    'br',
    'hr',
    'strong',
    'em',
    's',
    'u',
    'code',
    'pre',
    'blockquote',
    'ul',
    'ol',
    'li',
    'a',
    'img',
    'table',
    'colgroup',
    'col',
    'thead',
    'tbody',
    'tr',
    'th',
    'td',
    'sup',
  ],
  allowedAttributes: {
    section: ['id', 'data-section-key'],
    h2: ['id'],
    a: ['href', 'id', 'rel'],
    img: ['src', 'alt'],
    sup: ['id'],
    li: ['id'],
    ol: ['start'],
    th: ['colspan', 'rowspan'],
    td: ['colspan', 'rowspan'],
    col: ['span'],
  },
  allowedClasses: {
    section: ['essaim-section', 'essaim-notes'],
    h2: ['essaim-section-title'],
    sup: ['essaim-footnote'],
    a: ['essaim-doc-ref'],
  },
  allowedSchemes: ['http', 'https', 'mailto', 'tel'],
  allowedSchemesByTag: { img: [] },
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
  // Images: only the portal's own file addresses (no scheme, no other host).
  exclusiveFilter: (frame) =>
    frame.tag === 'img' && !/^\/pratiques\/fichiers\/[0-9a-f]{64}$/.test(frame.attribs.src ?? ''),
  transformTags: {
    a: (tagName, attribs) => ({
      tagName,
      attribs: /^https?:/i.test(attribs.href ?? '') ? { ...attribs, rel: 'noopener noreferrer' } : attribs,
    }),
  },
};

/**
 * The HTML of a published document, rendered on the server from its ProseMirror JSON with the
 * shared schema (Tiptap's static renderer, no DOM), then sanitized ({@link PUBLISHED_HTML_POLICY}).
 * Links to other documents lead to their portal page when they are published, otherwise they
 * read as their title; footnotes become numbered calls with the notes in a last section; images
 * keep only portal addresses. Pure: same content and links, same bytes.
 */
export function publishedHtml(content: DocJSON, links: PublishedLinks): PublishedHtml {
  const notes: string[] = [];
  const body = renderToHTMLString({
    extensions: schemaExtensions(),
    content,
    options: {
      nodeMapping: {
        section: ({ node, children }) => {
          const key =
            typeof node.attrs.key === 'string' ? ` data-section-key="${escapeHtml(node.attrs.key)}"` : '';
          const id = typeof node.attrs.id === 'string' ? ` id="section-${escapeHtml(node.attrs.id)}"` : '';
          return `<section class="essaim-section"${id}${key}>${join(children)}</section>`;
        },
        sectionTitle: ({ children }) => `<h2 class="essaim-section-title">${join(children)}</h2>`,
        footnote: ({ node }) => {
          notes.push(String(node.attrs.text ?? ''));
          const n = notes.length;
          return `<sup class="essaim-footnote" id="appel-${n}"><a href="#note-${n}">${n}</a></sup>`;
        },
        docRef: ({ node }) => {
          const title = escapeHtml(String(node.attrs.title ?? ''));
          const url =
            typeof node.attrs.documentId === 'string' ? links.documentUrl(node.attrs.documentId) : null;
          return url ? `<a class="essaim-doc-ref" href="${escapeHtml(url)}">${title}</a>` : title;
        },
        image: ({ node }) => {
          const src = links.imageUrl(String(node.attrs.src ?? ''));
          return src
            ? `<img src="${escapeHtml(src)}" alt="${escapeHtml(String(node.attrs.alt ?? ''))}">`
            : '';
        },
      },
    },
  });
  const notesHtml =
    notes.length === 0
      ? ''
      : `<section class="essaim-notes"><h2>Notes</h2><ol>${notes
          .map(
            (text, i) =>
              `<li id="note-${i + 1}">${escapeHtml(text)} <a href="#appel-${i + 1}">Retour au texte</a></li>`,
          )
          .join('')}</ol></section>`;
  return { html: sanitizeHtml(body + notesHtml, PUBLISHED_HTML_POLICY), notes };
}

function join(children: string | string[] | undefined): string {
  return Array.isArray(children) ? children.join('') : (children ?? '');
}
