import { Mark, mergeAttributes } from '@tiptap/core';

/**
 * The link mark without its typing and pasting behaviour.
 *
 * `@tiptap/extension-link` imports linkifyjs (≈ 10 KB gzipped) to turn typed and pasted web
 * addresses into links, which the first drawing of a document does not need. The mark written
 * here is the schema part of Tiptap 3.31.3's `Link` configured as the shared schema configures it
 * (`autolink: true`, so the mark is inclusive; `openOnClick: false`; `defaultProtocol: 'https'`):
 * same name, priority, attributes and defaults, HTML parsing and rendering (addresses with a
 * refused scheme such as `javascript:` are neither read nor written), and the `setLink`,
 * `toggleLink` and `unsetLink` commands. Checked against Tiptap's `Link` by `links.test.ts`.
 *
 * The browser adds the automatic links once its chunk has arrived
 * (client/src/features/editor/linkBehaviour.ts).
 */

/** The options the shared schema gives Tiptap's `Link` (read again by the browser's late behaviour). */
export const LINK_OPTIONS = { openOnClick: false, autolink: true, defaultProtocol: 'https' } as const;

/** Schemes a link may use (Tiptap's `isAllowedUri` list; no custom protocol is registered). */
const ALLOWED_PROTOCOLS = ['http', 'https', 'ftp', 'ftps', 'mailto', 'tel', 'callto', 'sms', 'cid', 'xmpp'];

/** Whitespace and control characters ignored when a scheme is checked (from DOMPurify, as Tiptap). */
// eslint-disable-next-line no-control-regex
const UNICODE_WHITESPACE = /[\u0000-\u0020\u00A0\u1680\u180E\u2000-\u2029\u205F\u3000]/g;

const ALLOWED_URI = new RegExp(
  `^(?:(?:${ALLOWED_PROTOCOLS.join('|')}):|[^a-z]|[a-z0-9+.\\-]+(?:[^a-z+.\\-:]|$))`,
  'i',
);

/**
 * Whether `uri` may be a link's address: empty, relative, or with one of the allowed schemes
 * (Tiptap 3.31.3's `isAllowedUri` without custom protocols). `javascript:` and `data:` are not.
 */
export function isAllowedUri(uri: string | undefined | null): boolean {
  return !uri || ALLOWED_URI.test(uri.replace(UNICODE_WHITESPACE, ''));
}

const HTML_ATTRIBUTES = { target: '_blank', rel: 'noopener noreferrer nofollow', class: null };

declare module '@tiptap/core' {
  interface Commands<ReturnType> {
    essaimLink: {
      /** Sets a link on the selection (refused for an address {@link isAllowedUri} refuses). */
      setLink: (attributes: {
        href: string;
        target?: string | null;
        rel?: string | null;
        class?: string | null;
        title?: string | null;
      }) => ReturnType;
      /** Adds or removes a link on the selection. */
      toggleLink: (attributes?: {
        href: string;
        target?: string | null;
        rel?: string | null;
        class?: string | null;
        title?: string | null;
      }) => ReturnType;
      /** Removes the link around the selection. */
      unsetLink: () => ReturnType;
    };
  }
}

/** The `link` mark of the shared schema: Tiptap's `Link` as configured there, minus linkifyjs. */
export const BareLink = Mark.create({
  name: 'link',

  priority: 1000,

  keepOnSplit: false,

  exitable: true,

  inclusive() {
    return LINK_OPTIONS.autolink;
  },

  addAttributes() {
    return {
      href: {
        default: null,
        parseHTML: (element: HTMLElement) => element.getAttribute('href'),
      },
      target: { default: HTML_ATTRIBUTES.target },
      rel: { default: HTML_ATTRIBUTES.rel },
      class: { default: HTML_ATTRIBUTES.class },
      title: { default: null },
    };
  },

  parseHTML() {
    return [
      {
        tag: 'a[href]',
        getAttrs: (dom: HTMLElement) => {
          const href = dom.getAttribute('href');
          // A refused address (javascript:, data:…) is not read as a link.
          return !href || !isAllowedUri(href) ? false : null;
        },
      },
    ];
  },

  renderHTML({ HTMLAttributes }) {
    const href = HTMLAttributes.href as string | undefined;
    // A refused address is written without it.
    if (!isAllowedUri(href))
      return ['a', mergeAttributes(HTML_ATTRIBUTES, { ...HTMLAttributes, href: '' }), 0];
    return ['a', mergeAttributes(HTML_ATTRIBUTES, HTMLAttributes), 0];
  },

  addCommands() {
    return {
      setLink:
        (attributes) =>
        ({ chain }) => {
          if (!isAllowedUri(attributes.href)) return false;
          return chain().setMark(this.name, attributes).setMeta('preventAutolink', true).run();
        },
      toggleLink:
        (attributes) =>
        ({ chain }) => {
          if (attributes?.href && !isAllowedUri(attributes.href)) return false;
          return chain()
            .toggleMark(this.name, attributes, { extendEmptyMarkRange: true })
            .setMeta('preventAutolink', true)
            .run();
        },
      unsetLink:
        () =>
        ({ chain }) =>
          chain().unsetMark(this.name, { extendEmptyMarkRange: true }).setMeta('preventAutolink', true).run(),
    };
  },
});
