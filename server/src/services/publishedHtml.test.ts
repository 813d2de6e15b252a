import type { DocJSON } from '@essaim/editor';
import { JSDOM } from 'jsdom';
import { describe, expect, it } from 'vitest';
import { publishedHtml, type PublishedLinks } from './publishedHtml.js';

const HASH = 'a'.repeat(64);
const links: PublishedLinks = {
  documentUrl: (id) => (id === 'publiee' ? '/pratiques/conferences-familiales' : null),
  imageUrl: (src) => (src === `/api/files/${HASH}` ? `/pratiques/fichiers/${HASH}` : null),
};

const section = (...content: DocJSON[]): DocJSON => ({
  type: 'doc',
  content: [
    {
      type: 'section',
      attrs: { id: 's1', key: 'description' },
      content: [{ type: 'sectionTitle', content: [{ type: 'text', text: 'Description' }] }, ...content],
    },
  ],
});
const paragraph = (...content: DocJSON[]): DocJSON => ({ type: 'paragraph', content });
const text = (t: string, marks?: DocJSON['marks']): DocJSON => ({
  type: 'text',
  text: t,
  ...(marks ? { marks } : {}),
});
const link = (href: string, extra: Record<string, unknown> = {}) => [
  { type: 'link', attrs: { href, ...extra } },
];

/** Every way a typed text, a link, an image or an attribute could try to reach the portal as script. */
const hostile: [string, DocJSON][] = [
  ['a script tag typed as text', paragraph(text('<script>alert(1)</script><img src=x onerror=alert(2)>'))],
  ['a javascript: link', paragraph(text('clic', link('javascript:alert(1)')))],
  ['a JaVaScRiPt: link with spaces', paragraph(text('clic', link(' JaVaScRiPt:alert(1)')))],
  ['a data: link', paragraph(text('clic', link('data:text/html,<script>alert(1)</script>')))],
  ['a vbscript: link', paragraph(text('clic', link('vbscript:msgbox(1)')))],
  [
    'an event handler on a link',
    paragraph(text('clic', link('https://exemple.fr', { onclick: 'alert(1)' }))),
  ],
  [
    'a style attribute on a link',
    paragraph(text('clic', link('https://exemple.fr', { style: 'x:expression(1)' }))),
  ],
  [
    'an image from another site',
    { type: 'image', attrs: { src: 'https://pisteur.example/p.gif', alt: 'x' } },
  ],
  [
    'an image as a data: URL',
    { type: 'image', attrs: { src: 'data:image/svg+xml,<svg onload=alert(1)>', alt: '' } },
  ],
  ['an SVG image', { type: 'image', attrs: { src: '/api/files/x.svg', alt: '<svg onload=alert(1)>' } }],
  [
    'an image alt with quotes',
    { type: 'image', attrs: { src: `/api/files/${HASH}`, alt: '" onerror="alert(1)' } },
  ],
  [
    'a footnote with markup',
    paragraph(text('Note'), { type: 'footnote', attrs: { text: '<script>alert(1)</script>' } }),
  ],
  [
    'a document link title with markup',
    paragraph({ type: 'docRef', attrs: { documentId: 'x', title: '<b onmouseover=alert(1)>t</b>' } }),
  ],
];

describe('published HTML', () => {
  it.each(hostile)('lets no script, handler, style or foreign resource through: %s', (_name, block) => {
    const { html } = publishedHtml(section(block), links);
    // Parsed as a browser would: what matters is the elements and attributes, not escaped text.
    for (const element of JSDOM.fragment(html).querySelectorAll('*')) {
      expect(['SCRIPT', 'SVG', 'IFRAME', 'OBJECT', 'EMBED', 'STYLE', 'FORM', 'B']).not.toContain(
        element.tagName,
      );
      for (const attribute of element.attributes) {
        expect(attribute.name).not.toMatch(/^on|^style$|^srcset$/i);
        expect(attribute.value.trim()).not.toMatch(/^(javascript|vbscript|data):/i);
      }
      if (element.tagName === 'IMG')
        expect(element.getAttribute('src')).toMatch(/^\/pratiques\/fichiers\/[0-9a-f]{64}$/);
      if (element.tagName === 'A')
        expect(element.getAttribute('href') ?? '#').toMatch(/^(https?:|mailto:|#|\/pratiques\/)/);
    }
  });

  it('keeps the text, headings, lists, links, tables and portal images of a fiche', () => {
    const { html } = publishedHtml(
      section(
        paragraph(text('Une équipe '), text('mobile', [{ type: 'bold' }]), text(' va vers les familles.')),
        { type: 'heading', attrs: { level: 3 }, content: [text('Mise en œuvre')] },
        { type: 'bulletList', content: [{ type: 'listItem', content: [paragraph(text('Visites'))] }] },
        paragraph(text('Voir le site', link('https://exemple.fr/page'))),
        { type: 'image', attrs: { src: `/api/files/${HASH}`, alt: 'Une visite' } },
      ),
      links,
    );
    expect(html).toContain('<h2 class="essaim-section-title">Description</h2>');
    expect(html).toContain('Une équipe <strong>mobile</strong> va vers les familles.');
    expect(html).toContain('<h3>Mise en œuvre</h3>');
    expect(html).toMatch(/<ul><li><p>Visites<\/p><\/li><\/ul>/);
    expect(html).toContain('<a rel="noopener noreferrer" href="https://exemple.fr/page">Voir le site</a>');
    expect(html).toContain(`<img src="/pratiques/fichiers/${HASH}" alt="Une visite" />`);
  });

  it('numbers footnotes in document order, with the notes at the end and links both ways', () => {
    const { html, notes } = publishedHtml(
      section(
        paragraph(text('Un'), { type: 'footnote', attrs: { text: 'Première note' } }),
        paragraph(text('Deux'), { type: 'footnote', attrs: { text: 'Seconde note' } }),
      ),
      links,
    );
    expect(notes).toEqual(['Première note', 'Seconde note']);
    expect(html).toContain('<sup class="essaim-footnote" id="appel-2"><a href="#note-2">2</a></sup>');
    expect(html).toContain('<li id="note-1">Première note <a href="#appel-1">Retour au texte</a></li>');
  });

  it('links another document to its portal page when it is published, and keeps its title as text otherwise', () => {
    const { html } = publishedHtml(
      section(
        paragraph(
          { type: 'docRef', attrs: { documentId: 'publiee', title: 'Conférences familiales' } },
          text(' et '),
          { type: 'docRef', attrs: { documentId: 'brouillon', title: 'Pair-aidance' } },
        ),
      ),
      links,
    );
    expect(html).toContain(
      '<a class="essaim-doc-ref" href="/pratiques/conferences-familiales">Conférences familiales</a> et Pair-aidance',
    );
  });
});
