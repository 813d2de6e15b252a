import type { ApiErrorDto, DocumentDto, DocumentListDto } from '@essaim/protocol';
import { beforeAll, describe, expect, it } from 'vitest';
import { createDocument, invite, type Session } from '../support/accounts.js';
import { sectionId, writeInSection } from '../support/comments.js';
import { useTestInstance } from '../support/instance.js';
import { isSettled } from '../support/provider.js';
import { syncedOpener } from '../support/sessions.js';

/**
 * The catalogue by pages (issue 17): `GET /api/documents` answers `limit` documents (50 by
 * default, 200 at most) from `offset`, with `total` (documents matching before paging) and
 * `nextOffset`; pages asked one after the other cover every matching document once, in the
 * order of the sort, with the filters and the words of a search; a membre pages through the
 * documents they may read only.
 */

// Over 30 documents by one account: no hourly creation limit here (`0`: none).
const t = useTestInstance({ DOCUMENTS_PER_HOUR_PER_ACCOUNT: '0' });

/** Documents of the test espace; every third has « jardin » in its title, every fifth is a synthèse. */
const COUNT = 130;
const ELSEWHERE = 12;
const isJardin = (i: number) => i % 3 === 0;
const isSynthese = (i: number) => i % 5 === 0;
let membre: Session;
let elsewhereId: string;
/** Ids of the test espace's documents, and of the other espace's. */
const mine = new Set<string>();
const elsewhere = new Set<string>();

beforeAll(async () => {
  // Synthèses first: a synthèse's « Annexes » lists the fiches already written, titles and all,
  // and the words searched below must be in titles only.
  const order = [...Array(COUNT).keys()].sort((a, b) => Number(isSynthese(b)) - Number(isSynthese(a)));
  for (const i of order) {
    const title = `${isJardin(i) ? 'Jardin partagé' : 'Aller-vers'} n° ${String(i % 40).padStart(2, '0')}`;
    // Titles repeat (i % 40): the sort must still put every document in one place.
    mine.add((await createDocument(t.admin, t.espaceId, title, isSynthese(i) ? 'synthese' : 'fiche')).id);
  }
  const created = await t.admin.fetch('/api/espaces', { method: 'POST', json: { name: 'Ailleurs' } });
  elsewhereId = ((await created.json()) as { id: string }).id;
  // The administrator has no role there: a rapporteur of that espace writes its documents.
  const writer = await invite(t.admin, elsewhereId, 'rapporteur', 'Rémi Ailleurs');
  for (let i = 0; i < ELSEWHERE; i++)
    elsewhere.add((await createDocument(writer, elsewhereId, `Jardin d’ailleurs ${i}`)).id);
  membre = await invite(t.admin, t.espaceId, 'membre', 'Marc Membre');
}, 120_000);

/** One page of `GET /api/documents`, expecting 200. */
async function page(session: Session, params: Record<string, string>): Promise<DocumentListDto> {
  const query = new URLSearchParams(params).toString();
  const response = await session.fetch(`/api/documents?${query}`);
  expect(response.status, `${query} → ${response.status}`).toBe(200);
  return (await response.json()) as DocumentListDto;
}

/**
 * Every page of a query, `limit` at a time, from offset 0 to the last: checks each page's size,
 * its next offset and an unchanged total on the way.
 */
async function allPages(
  session: Session,
  params: Record<string, string>,
  limit: number,
): Promise<{ documents: DocumentDto[]; total: number; pages: number }> {
  const documents: DocumentDto[] = [];
  let offset: number | null = 0;
  let total: number | null = null;
  let pages = 0;
  while (offset !== null) {
    const body = await page(session, { ...params, limit: String(limit), offset: String(offset) });
    pages++;
    total ??= body.total;
    expect(body.total).toBe(total);
    expect(body.documents.length).toBeLessThanOrEqual(limit);
    const end: number = offset + body.documents.length;
    expect(body.nextOffset).toBe(end < body.total ? end : null);
    documents.push(...body.documents);
    offset = body.nextOffset;
  }
  return { documents, total: total ?? 0, pages };
}

const ids = (documents: DocumentDto[]) => documents.map((d) => d.id);

describe('the catalogue by pages', () => {
  it('answers the first 50 documents with the total and the offset of the next page', async () => {
    const first = await page(t.admin, { espaceId: t.espaceId });
    expect(first.documents).toHaveLength(50);
    expect(first.total).toBe(COUNT);
    expect(first.nextOffset).toBe(50);
    // A page carries the whole document as before: access, progress, publication, threads.
    expect(first.documents[0]).toMatchObject({
      access: 'write',
      progress: { sections: expect.any(Number) as number, approved: 0 },
      openThreads: 0,
      publication: null,
    });
  });

  it.each([
    ['most recently changed first', {}],
    ['by title', { sort: 'title' }],
    ['by title, Z to A', { sort: 'title', order: 'desc' }],
    ['by kind', { sort: 'kind' }],
    ['by creation, oldest first', { sort: 'created', order: 'asc' }],
    ['by review progress', { sort: 'progress' }],
  ])(
    'covers every document exactly once, %s, in the order of one single answer',
    async (_label, sort: Record<string, string>) => {
      const params = { espaceId: t.espaceId, ...sort };
      const whole = await page(t.admin, { ...params, limit: '200' });
      expect(whole.total).toBe(COUNT);
      expect(whole.nextOffset).toBeNull();
      const paged = await allPages(t.admin, params, 17);
      expect(paged.pages).toBe(Math.ceil(COUNT / 17));
      expect(paged.total).toBe(COUNT);
      expect(ids(paged.documents)).toEqual(ids(whole.documents));
      expect(new Set(ids(paged.documents))).toEqual(mine);
    },
  );

  it('answers an empty page without a next offset past the last document', async () => {
    const past = await page(t.admin, { espaceId: t.espaceId, offset: String(COUNT), limit: '10' });
    expect(past).toEqual({ documents: [], total: COUNT, nextOffset: null });
    const last = await page(t.admin, { espaceId: t.espaceId, offset: String(COUNT - 3), limit: '10' });
    expect(last.documents).toHaveLength(3);
    expect(last.nextOffset).toBeNull();
  });

  it('pages the filtered documents only, with their total', async () => {
    const syntheses = [...Array(COUNT).keys()].filter(isSynthese).length;
    const paged = await allPages(t.admin, { espaceId: t.espaceId, kind: 'synthese', sort: 'title' }, 9);
    expect(paged.total).toBe(syntheses);
    expect(paged.documents).toHaveLength(syntheses);
    expect(paged.documents.every((d) => d.kind === 'synthese')).toBe(true);
    expect(new Set(ids(paged.documents)).size).toBe(syntheses);
  });

  it.each([
    ['best match first', {}],
    ['by title', { sort: 'title' }],
  ])('pages the documents found by words, %s, each once', async (_label, sort: Record<string, string>) => {
    const jardins = [...Array(COUNT).keys()].filter(isJardin).length;
    const params = { espaceId: t.espaceId, q: 'jardin partage', ...sort };
    const whole = await page(t.admin, { ...params, limit: '200' });
    expect(whole.total).toBe(jardins);
    const paged = await allPages(t.admin, params, 8);
    expect(paged.total).toBe(jardins);
    expect(ids(paged.documents)).toEqual(ids(whole.documents));
    expect(new Set(ids(paged.documents)).size).toBe(jardins);
    expect(paged.documents.every((d) => d.title.startsWith('Jardin partagé'))).toBe(true);
    // The words with the kind: both narrow, before the pages.
    const both = await allPages(t.admin, { ...params, kind: 'synthese' }, 5);
    expect(both.total).toBe([...Array(COUNT).keys()].filter((i) => isJardin(i) && isSynthese(i)).length);
  });

  it.each([
    ['201', 'limit', 'limit vaut entre 1 et 200.'],
    ['0', 'limit', 'limit vaut entre 1 et 200.'],
    ['-5', 'limit', 'limit doit être un nombre entier écrit en chiffres (0 à 9).'],
  ])('refuses limit=%s with a French message', async (value, path, message) => {
    const response = await t.admin.fetch(`/api/documents?espaceId=${t.espaceId}&${path}=${value}`);
    expect(response.status).toBe(400);
    const body = (await response.json()) as ApiErrorDto;
    expect(body.message).toBe(`Requête invalide : ${message}`);
    expect(body.details).toEqual([{ path, message }]);
  });

  it('refuses an offset that is not a whole number, in French', async () => {
    for (const offset of ['-1', '2.5', 'deux']) {
      const response = await t.admin.fetch(`/api/documents?espaceId=${t.espaceId}&offset=${offset}`);
      expect(response.status, offset).toBe(400);
      expect(((await response.json()) as ApiErrorDto).details).toEqual([
        { path: 'offset', message: 'offset doit être un nombre entier écrit en chiffres (0 à 9).' },
      ]);
    }
  });

  it('lets a membre page only through the documents they may read', async () => {
    // Without an espace: the membre's espaces only; the administrator's, all of them.
    const seen = await allPages(membre, {}, 40);
    expect(seen.total).toBe(COUNT);
    expect(new Set(ids(seen.documents))).toEqual(mine);
    expect(seen.documents.every((d) => d.access === 'read' && d.espaceId === t.espaceId)).toBe(true);
    const everything = await allPages(t.admin, {}, 40);
    expect(everything.total).toBe(COUNT + ELSEWHERE);
    expect(new Set(ids(everything.documents))).toEqual(new Set([...mine, ...elsewhere]));
    // Words found in the other espace's titles stay out of the membre's pages and total.
    const found = await allPages(membre, { q: 'jardin' }, 6);
    expect(found.total).toBe([...Array(COUNT).keys()].filter(isJardin).length);
    expect(found.documents.some((d) => elsewhere.has(d.id))).toBe(false);
    const refused = await membre.fetch(`/api/documents?espaceId=${elsewhereId}&limit=10`);
    expect(refused.status).toBe(403);
  });
});

// Last: it adds documents to the test espace.
describe('the catalogue by pages, searching the text of the sections', () => {
  it('ranks the documents found by their text across pages, each page with its snippets', async () => {
    const open = syncedOpener(t);
    // « serpolet » once, twice, three times in a section: three ranks (bm25).
    const written: string[] = [];
    for (const times of [1, 2, 3]) {
      const doc = await createDocument(t.admin, t.espaceId, `Fiche sans le mot n° ${times}`);
      const writer = await open(t.admin, doc.name);
      writeInSection(
        writer.ydoc,
        sectionId(writer.ydoc, 1),
        `${Array(times).fill('Le serpolet pousse au potager.').join(' ')} Un texte autour.`,
      );
      await expect.poll(() => isSettled(writer)).toBe(true);
      written.push(doc.id);
    }
    const params = { espaceId: t.espaceId, q: 'serpolet' };
    // Indexed when stored (at most 10 s after the last change).
    await expect.poll(async () => (await page(t.admin, params)).total, { timeout: 30_000 }).toBe(3);
    const whole = await page(t.admin, params);
    const paged = await allPages(t.admin, params, 1);
    expect(paged.pages).toBe(3);
    expect(ids(paged.documents)).toEqual(ids(whole.documents));
    expect(new Set(ids(paged.documents))).toEqual(new Set(written));
    // Every page's document says where the word is, with the text around it.
    for (const doc of paged.documents)
      expect(doc.matches?.[0]?.snippet, doc.title).toContain('<mark>serpolet</mark>');
  });
});
