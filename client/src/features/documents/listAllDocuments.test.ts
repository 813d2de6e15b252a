import { afterEach, describe, expect, it, vi } from 'vitest';
import type { DocumentDto, DocumentListDto } from '@essaim/protocol';
import { listAllDocuments, listDocuments } from './api.js';

/** A fake `GET /api/documents` over `count` documents, answering by pages as the server does. */
function fakeCatalogue(count: number, moved?: { atOffset: number; id: string }, onAsked?: () => void) {
  const all = Array.from({ length: count }, (_, i) => ({ id: `d${i}`, title: `Fiche ${i}` }) as DocumentDto);
  const asked: URLSearchParams[] = [];
  const fetch = vi.fn((url: string) => {
    const params = new URL(url, 'http://essaim.test').searchParams;
    asked.push(params);
    onAsked?.();
    const limit = Number(params.get('limit') ?? '50');
    const offset = Number(params.get('offset') ?? '0');
    let documents = all.slice(offset, offset + limit);
    // A document of an earlier page slid into this one (changed meanwhile).
    const slid = moved && offset === moved.atOffset ? all.find((d) => d.id === moved.id) : undefined;
    if (slid) documents = [slid, ...documents];
    const body: DocumentListDto = {
      documents,
      total: count,
      nextOffset: offset + limit < count ? offset + limit : null,
    };
    return Promise.resolve(new Response(JSON.stringify(body), { status: 200 }));
  });
  vi.stubGlobal('fetch', fetch);
  return { asked };
}

afterEach(() => vi.unstubAllGlobals());

describe('reading every document of an espace, page after page', () => {
  it('asks one page of 200 for a small espace', async () => {
    const { asked } = fakeCatalogue(120);
    expect(await listDocuments('e')).toHaveLength(120);
    expect(asked.map((p) => p.toString())).toEqual(['sort=title&order=asc&espaceId=e&limit=200']);
  });

  it('asks the pages one after the other until the last, each document once', async () => {
    const { asked } = fakeCatalogue(450, { atOffset: 400, id: 'd3' });
    const documents = await listAllDocuments({ espaceId: 'e', theme: 't' });
    expect(documents.map((d) => d.id)).toEqual(Array.from({ length: 450 }, (_, i) => `d${i}`));
    expect(asked.map((p) => [p.get('offset'), p.get('limit'), p.get('theme')])).toEqual([
      [null, '200', 't'],
      ['200', '200', 't'],
      ['400', '200', 't'],
    ]);
  });

  it('asks no further page once aborted (the person left the page)', async () => {
    const controller = new AbortController();
    const { asked } = fakeCatalogue(1000, undefined, () => controller.abort());
    await expect(listDocuments('e', controller.signal)).rejects.toThrow(/abort/i);
    expect(asked).toHaveLength(1);
  });
});
