import { describe, expect, it } from 'vitest';
import type { DocumentDto, DocumentListDto } from '@essaim/protocol';
import { catalogueMessages as m } from './messages.js';
import { appendPage, firstPage, pageQuery, remainingCount, withoutDocument } from './paging.js';

/** A document as the catalogue lists it; only the id and title matter here. */
const doc = (id: string): DocumentDto => ({ id, title: `Fiche ${id}` }) as DocumentDto;
const page = (ids: string[], total: number, nextOffset: number | null): DocumentListDto => ({
  documents: ids.map(doc),
  total,
  nextOffset,
});
const ids = (documents: DocumentDto[]) => documents.map((d) => d.id);

describe('the catalogue’s pages', () => {
  it('keeps the first page with the total and where the next one starts', () => {
    const shown = firstPage('espaceId=e', page(['a', 'b'], 5, 2));
    expect(shown).toMatchObject({ query: 'espaceId=e', total: 5, nextOffset: 2, pages: 1 });
    expect(remainingCount(shown)).toBe(3);
  });

  it('appends the next page after those shown and says which document is new first', () => {
    const shown = firstPage('q', page(['a', 'b'], 4, 2));
    const { pages, firstNewId } = appendPage(shown, page(['c', 'd'], 4, null));
    expect(ids(pages.documents)).toEqual(['a', 'b', 'c', 'd']);
    expect(pages).toMatchObject({ total: 4, nextOffset: null, pages: 2 });
    expect(firstNewId).toBe('c');
    expect(remainingCount(pages)).toBe(0);
  });

  it('does not show twice a document that moved to the next page, and keeps it where it was', () => {
    const shown = firstPage('q', page(['a', 'b', 'c'], 6, 3));
    // « b » was changed meanwhile: under « Dernière modification » it slid into the next page.
    const { pages, firstNewId } = appendPage(shown, page(['b', 'd', 'e'], 6, 6));
    expect(ids(pages.documents)).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(firstNewId).toBe('d');
  });

  it('says no document is new when the next page only repeats documents shown', () => {
    const shown = firstPage('q', page(['a', 'b'], 3, 2));
    const { pages, firstNewId } = appendPage(shown, page(['b'], 3, null));
    expect(ids(pages.documents)).toEqual(['a', 'b']);
    expect(firstNewId).toBeNull();
  });

  it('takes an archived document out of the count and starts the next page one earlier', () => {
    const shown = firstPage('q', page(['a', 'b', 'c'], 10, 3));
    expect(withoutDocument(shown, 'b')).toMatchObject({ total: 9, nextOffset: 2 });
    expect(ids(withoutDocument(shown, 'b').documents)).toEqual(['a', 'c']);
    expect(withoutDocument(shown, 'z')).toBe(shown);
    expect(withoutDocument(firstPage('q', page(['a'], 1, null)), 'a')).toMatchObject({
      total: 0,
      nextOffset: null,
    });
  });

  it('asks for a later page with its offset, and the first one as the filters say', () => {
    expect(pageQuery('espaceId=e&sort=title', 0)).toBe('espaceId=e&sort=title');
    expect(pageQuery('espaceId=e&sort=title', 50)).toBe('espaceId=e&sort=title&offset=50');
  });
});

describe('the words of the catalogue’s pages', () => {
  // Digit groups are joined by a narrow no-break space (U+202F), as French typography wants.
  it('says how many documents were found, French digit groups included', () => {
    expect(m.resultCount(3468, false)).toBe('3\u202f468 documents');
    expect(m.resultCount(1, false)).toBe('1 document');
    expect(m.resultCount(1200, true)).toBe('1\u202f200 documents archivés');
  });

  it('says how many remain on the button and how many came after it', () => {
    expect(`${m.showMore} (${m.remaining(3418)})`).toBe('Afficher plus de documents (3\u202f418 restants)');
    expect(m.remaining(1)).toBe('1 restant');
    expect(m.shownOf(50, 3468)).toBe('50 affichés sur 3\u202f468');
    expect(m.moreLoaded(50, 100, 3468)).toBe('50 documents de plus : 100 affichés sur 3\u202f468.');
    expect(m.moreLoaded(1, 51, 51)).toBe('1 document de plus : 51 affichés sur 51.');
  });
});
