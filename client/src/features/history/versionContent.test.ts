// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import type { DocJSON } from '@essaim/editor';
import { notesOf, readVersion, renderVersion } from './versionContent.js';

const text = (value: string, marks?: DocJSON['marks']): DocJSON => ({ type: 'text', text: value, marks });
const paragraph = (...content: DocJSON[]): DocJSON => ({ type: 'paragraph', content });
const section = (id: string, title: string, ...blocks: DocJSON[]): DocJSON => ({
  type: 'section',
  attrs: { id, key: null },
  content: [{ type: 'sectionTitle', content: [text(title)] }, ...blocks],
});
const footnote = (note: string): DocJSON => ({ type: 'footnote', attrs: { text: note } });

const version: DocJSON = {
  type: 'doc',
  content: [
    section(
      's1',
      'Origine et contexte',
      paragraph(text('Le modèle néo-zélandais'), footnote('Loi de 1989.'), text(' a été repris.')),
      { type: 'heading', attrs: { level: 3 }, content: [text('Étapes')] },
      paragraph(
        text('Voir '),
        text('le site', [{ type: 'link', attrs: { href: 'javascript:alert(1)' } }]),
        footnote('Consulté en 2025.'),
      ),
    ),
    section(
      's2',
      'Résultats',
      {
        type: 'table',
        content: [
          {
            type: 'tableRow',
            content: [
              { type: 'tableCell', attrs: { colwidth: [200] }, content: [paragraph(text('Familles'))] },
            ],
          },
        ],
      },
      paragraph(text('<img src=x onerror=alert(1)>')),
    ),
  ],
};

const rendered = () => {
  const host = document.createElement('div');
  host.append(renderVersion(readVersion(version), document, (n) => `note ${n}`));
  return host;
};

describe('drawing a stored version read-only', () => {
  it('draws sections with their titles one heading level under the panel, and inner headings below them', () => {
    const host = rendered();
    expect(
      [...host.querySelectorAll('section[data-section-id]')].map((s) => s.getAttribute('data-section-id')),
    ).toEqual(['s1', 's2']);
    expect([...host.querySelectorAll('h4.essaim-section-title')].map((h) => h.textContent)).toEqual([
      'Origine et contexte',
      'Résultats',
    ]);
    expect(host.querySelector('h5')?.textContent).toBe('Étapes');
    expect(host.querySelector('h2, h3')).toBeNull();
  });

  it('numbers the note calls in document order, with words for screen readers', () => {
    const calls = [...rendered().querySelectorAll('sup.essaim-history-note-call')];
    expect(calls.map((c) => c.textContent)).toEqual(['note 1 1', 'note 2 2']);
    expect(calls[0]?.querySelector('[aria-hidden="true"]')?.textContent).toBe('1');
  });

  it('lists the notes’ texts in the same order', () => {
    expect(notesOf(readVersion(version))).toEqual(['Loi de 1989.', 'Consulté en 2025.']);
  });

  it('draws tables without column widths (no inline style for the CSP to refuse)', () => {
    const host = rendered();
    expect(host.querySelector('.tableWrapper > table td')?.textContent).toBe('Familles');
    expect(host.querySelector('[style]')).toBeNull();
    expect(host.querySelector('colgroup')).toBeNull();
  });

  it('keeps hostile text as text and drops a script link’s address', () => {
    const host = rendered();
    expect(host.querySelector('img')).toBeNull();
    expect(host.textContent).toContain('<img src=x onerror=alert(1)>');
    expect(host.querySelector('a')?.getAttribute('href') ?? '').not.toMatch(/javascript/i);
  });

  it('refuses JSON that does not fit the shared schema', () => {
    expect(() => readVersion({ type: 'doc', content: [{ type: 'script', text: 'x' }] })).toThrow();
    expect(() =>
      readVersion({ type: 'doc', content: [{ type: 'section', content: [paragraph(text('x'))] }] }),
    ).toThrow();
  });
});
