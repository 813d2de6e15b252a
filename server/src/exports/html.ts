import { createHash } from 'node:crypto';
import type { DocJSON } from '@essaim/editor';
import { escapeHtml, publishedHtml } from '../services/publishedHtml.js';
import { exportMessages } from './messages.js';
import type { LoadedImage } from './images.js';
import type { PreparedDocument } from './prepare.js';

/** Inline CSS of the standalone page: DSFR colours, readable measure, print with the draft mark on every page. */
const STYLE = `
:root { color-scheme: light; }
body { font-family: Marianne, Arial, sans-serif; line-height: 1.5; color: #161616; max-width: 48rem; margin: 0 auto; padding: 2rem 1rem; }
h1 { font-size: 2rem; margin: 0.25rem 0 1rem; }
h2 { color: #000091; margin-top: 2rem; }
p, li, td, th, blockquote { unicode-bidi: plaintext; text-align: start; }
a { color: #000091; }
.kind { color: #000091; font-weight: 700; margin: 0; }
.draft-mark { background: #ffe9e9; color: #ce0500; font-weight: 700; padding: 0.5rem 1rem; border-left: 4px solid #ce0500; }
.notice { color: #3a3a3a; }
dl.metadata { display: grid; grid-template-columns: max-content 1fr; gap: 0.25rem 1rem; border-top: 1px solid #ddd; padding-top: 0.75rem; }
dl.metadata dt { font-weight: 700; color: #3a3a3a; }
dl.metadata dd { margin: 0; }
nav.contents { border: 1px solid #ddd; padding: 0.5rem 1.5rem; margin: 1.5rem 0; }
table { border-collapse: collapse; width: 100%; margin: 1rem 0; }
th, td { border: 1px solid #929292; padding: 0.25rem 0.5rem; vertical-align: top; overflow-wrap: anywhere; }
th { background: #eee; }
p { overflow-wrap: anywhere; }
blockquote { border-left: 3px solid #000091; margin: 1rem 0; padding-left: 1rem; font-style: italic; }
pre { background: #f2f2f2; padding: 0.75rem; overflow-x: auto; white-space: pre-wrap; }
img { max-width: 100%; height: auto; display: block; margin: 1rem auto 0.25rem; }
.essaim-footnote a { text-decoration: none; }
.essaim-notes { font-size: 0.9rem; border-top: 1px solid #ddd; margin-top: 2rem; }
footer { color: #666; font-size: 0.8rem; margin-top: 3rem; }
@media print {
  body { max-width: none; padding: 0; }
  .draft-mark { position: fixed; top: 0; left: 0; right: 0; text-align: center; font-size: 0.75rem; padding: 0.1rem; }
  body.draft { padding-top: 2rem; }
  a { color: inherit; }
}
`;

/**
 * The content as published HTML expects it: a section with an empty title gets « Section sans
 * titre » (as in every other format), and an image that could not be loaded becomes a paragraph
 * with its alternative text.
 */
function withFallbacks(node: DocJSON, images: Map<string, LoadedImage | null>): DocJSON {
  if (node.type === 'image' && !images.get(String(node.attrs?.src ?? ''))) {
    const alt = String(node.attrs?.alt ?? '').trim();
    return {
      type: 'paragraph',
      content: [{ type: 'text', text: exportMessages.missingImage(alt), marks: [{ type: 'italic' }] }],
    };
  }
  if (node.type === 'sectionTitle' && !(node.content ?? []).some((t) => (t.text ?? '').trim() !== '')) {
    return { type: 'sectionTitle', content: [{ type: 'text', text: exportMessages.untitledSection }] };
  }
  return node.content
    ? { ...node, content: node.content.map((child) => withFallbacks(child, images)) }
    : node;
}

/**
 * The document as one standalone HTML page (UTF-8, inline CSS, images inlined as data URLs, no
 * script, nothing loaded from elsewhere): title, kind, draft or publication notice, metadata, a
 * « Sommaire » linking to each section, then the body rendered and sanitized exactly as the
 * portal renders a publication (`publishedHtml`), footnotes numbered with their notes at the end.
 * A draft's mark also repeats at the top of every printed page.
 */
export function documentToHtml(prepared: PreparedDocument): string {
  // Images go through the sanitizer as portal file addresses, then become data URLs of the bytes
  // read here (only PNG, JPEG, GIF or WebP, by their signature).
  const placeholders = new Map<string, LoadedImage>();
  for (const [src, image] of prepared.images) {
    if (image) placeholders.set(createHash('sha256').update(src).digest('hex'), image);
  }
  const { html } = publishedHtml(withFallbacks(prepared.input.content, prepared.images), {
    documentUrl: prepared.input.links,
    imageUrl: (src) =>
      prepared.images.get(src)
        ? `/pratiques/fichiers/${createHash('sha256').update(src).digest('hex')}`
        : null,
  });
  // The portal's sanitizer drops `start` from <ol>: put each numbered list's start back, in
  // document order (the notes' list, last, starts at 1).
  const starts: number[] = [];
  prepared.doc.descendants((node) => {
    if (node.type.name === 'orderedList') starts.push(Math.max(1, Number(node.attrs.start ?? 1) || 1));
  });
  let list = 0;
  const numbered = html.replace(/<ol>/g, () => {
    const start = starts[list++] ?? 1;
    return start === 1 ? '<ol>' : `<ol start="${start}">`;
  });
  const body = numbered.replace(/src="\/pratiques\/fichiers\/([0-9a-f]{64})"/g, (whole, hash: string) => {
    const image = placeholders.get(hash);
    return image ? `src="data:${image.mime};base64,${image.data.toString('base64')}"` : whole;
  });
  const sections: { id: string; title: string }[] = [];
  for (const match of body.matchAll(
    /<section class="essaim-section" id="([^"]*)"[^>]*><h2 class="essaim-section-title">(.*?)<\/h2>/g,
  )) {
    sections.push({ id: match[1] ?? '', title: match[2] ?? '' });
  }
  const metadata =
    prepared.metadata.length === 0
      ? ''
      : `<dl class="metadata" aria-label="${escapeHtml(exportMessages.metadataCaption)}">${prepared.metadata
          .map((row) => `<dt>${escapeHtml(row.label)}</dt><dd>${escapeHtml(row.value)}</dd>`)
          .join('')}</dl>`;
  const contents =
    sections.length === 0
      ? ''
      : `<nav class="contents" aria-labelledby="sommaire"><h2 id="sommaire">${exportMessages.contents}</h2><ol>${sections
          .map((s) => `<li><a href="#${s.id}">${s.title}</a></li>`)
          .join('')}</ol></nav>`;
  const draft = prepared.draftNotice
    ? `<p class="draft-mark" role="note">${escapeHtml(prepared.draftNotice)}</p>`
    : '';
  const publication = prepared.publicationNotice
    ? `<p class="notice">${escapeHtml(prepared.publicationNotice)}</p>`
    : '';
  return (
    `<!doctype html>\n<html lang="fr"><head><meta charset="utf-8">` +
    `<meta name="viewport" content="width=device-width, initial-scale=1">` +
    `<meta name="generator" content="Essaim"><title>${escapeHtml(prepared.title)}</title><style>${STYLE}</style></head>` +
    `<body${draft ? ' class="draft"' : ''}>${draft}<header><p class="kind">${escapeHtml(prepared.kindLabel)}</p>` +
    `<h1>${escapeHtml(prepared.title)}</h1>${publication}${metadata}</header>${contents}` +
    `<main>${body}</main><footer>${escapeHtml(exportMessages.producedBy)}</footer></body></html>\n`
  );
}
