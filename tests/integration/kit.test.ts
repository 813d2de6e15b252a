import type { PublishReplyDto } from '@essaim/protocol';
import { strFromU8, unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { useTestInstance } from '../support/instance.js';
import { publishedFiche } from '../support/publications.js';

/**
 * The « kit d'essaimage » (issue 14): one zip of what is published, each fiche in PDF, DOCX and
 * Markdown, an offline index.html and a pratiques.csv that a spreadsheet opens in French.
 */

const t = useTestInstance({ LOG_LEVEL: 'error' });

const publish = (title: string): Promise<PublishReplyDto> => publishedFiche(t.admin, t.espaceId, title);

async function kit(path: string): Promise<Record<string, Uint8Array>> {
  const response = await fetch(`${t.server.url}${path}`);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toBe('application/zip');
  return unzipSync(new Uint8Array(await response.arrayBuffer()));
}

describe('kit d’essaimage', () => {
  it('holds every published fiche in three formats, an offline index and the metadata table', async () => {
    await publish('Conférences familiales en Ardèche');
    const second = await publish('Pair-aidance en CHRS');
    const files = await kit('/pratiques/kit.zip');
    const names = Object.keys(files).sort();
    expect(names).toEqual([
      'fiches/conferences-familiales-en-ardeche/conferences-familiales-en-ardeche.docx',
      'fiches/conferences-familiales-en-ardeche/conferences-familiales-en-ardeche.md',
      'fiches/conferences-familiales-en-ardeche/conferences-familiales-en-ardeche.pdf',
      'fiches/pair-aidance-en-chrs/pair-aidance-en-chrs.docx',
      'fiches/pair-aidance-en-chrs/pair-aidance-en-chrs.md',
      'fiches/pair-aidance-en-chrs/pair-aidance-en-chrs.pdf',
      'index.html',
      'pratiques.csv',
    ]);
    const csvBytes = files['pratiques.csv'] as Uint8Array;
    // UTF-8 with a byte-order mark, so that a spreadsheet reads the accents.
    expect([...csvBytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const csv = Buffer.from(csvBytes.subarray(3)).toString('utf8');
    expect(csv.startsWith('Titre;Type;Catégorie')).toBe(true);
    expect(csv).toContain('Conférences familiales en Ardèche;Fiche pratique');
    const index = strFromU8(files['index.html'] as Uint8Array);
    expect(index).toContain('href="fiches/pair-aidance-en-chrs/pair-aidance-en-chrs.pdf"');
    expect(index).not.toMatch(/<script|https?:\/\//);
    expect(
      strFromU8(files['fiches/pair-aidance-en-chrs/pair-aidance-en-chrs.md'] as Uint8Array),
    ).not.toContain('Document de travail');
    expect(
      Buffer.from(files['fiches/pair-aidance-en-chrs/pair-aidance-en-chrs.pdf'] as Uint8Array)
        .subarray(0, 5)
        .toString(),
    ).toBe('%PDF-');

    // The same set of publications is served from the cache; unpublishing one makes a new kit.
    const again = await kit('/pratiques/kit.zip');
    expect(Object.keys(again).length).toBe(names.length);
    await t.admin.fetch(`/api/publications/${second.publication.id}/unpublish`, { method: 'POST' });
    expect(Object.keys(await kit('/pratiques/kit.zip'))).toHaveLength(5);
    expect(Object.keys(await kit(`/api/espaces/${t.espaceId}/kit.zip`))).toHaveLength(5);
  });

  it('answers 404 when nothing matches, and for an unknown espace', async () => {
    expect((await fetch(`${t.server.url}/pratiques/kit.zip?theme=aucun-theme`)).status).toBe(404);
    expect((await fetch(`${t.server.url}/api/espaces/inconnu/kit.zip`)).status).toBe(404);
  });
});
