import { describe, expect, it } from 'vitest';
import { schema } from '@essaim/editor';
import { documentLength, documentPages, formatPages, pageStatus } from './length.js';

const paragraph = (text: string) => ({ type: 'paragraph', content: [{ type: 'text', text }] });
const cell = (type: 'tableCell' | 'tableHeader', text: string) => ({ type, content: [paragraph(text)] });

describe('length of a fiche', () => {
  it('counts characters, tables and images', () => {
    const doc = schema.nodeFromJSON({
      type: 'doc',
      content: [
        {
          type: 'section',
          attrs: { id: 'a', key: 'identification' },
          content: [
            { type: 'sectionTitle', content: [{ type: 'text', text: 'Identification' }] },
            paragraph('x'.repeat(9000 - 'Identification'.length - 4)),
            {
              type: 'table',
              content: [
                { type: 'tableRow', content: [cell('tableHeader', 'ab'), cell('tableHeader', 'cd')] },
              ],
            },
            { type: 'image', attrs: { src: '/api/files/abc', alt: 'Schéma' } },
          ],
        },
      ],
    });
    expect(documentLength(doc)).toEqual({ characters: 9000, blocks: 2 });
    // 9 000 characters = 3 pages, two blocks = 2/3 of a page.
    expect(documentPages(doc)).toBe(3.7);
  });

  it('says whether the estimate is short of, within or beyond 4 to 5 pages', () => {
    expect(pageStatus(3.9)).toBe('short');
    expect(pageStatus(4)).toBe('target');
    expect(pageStatus(5)).toBe('target');
    expect(pageStatus(5.1)).toBe('long');
  });

  it('writes page counts the French way', () => {
    expect(formatPages(3.4)).toBe('≈ 3,4 pages');
    expect(formatPages(4)).toBe('≈ 4 pages');
    expect(formatPages(0.6)).toBe('≈ 0,6 page');
  });
});
