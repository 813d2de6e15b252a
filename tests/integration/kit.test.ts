import fs from 'node:fs';
import path from 'node:path';
import type { PublishReplyDto } from '@essaim/protocol';
import { strFromU8, unzipSync } from 'fflate';
import { describe, expect, it, vi } from 'vitest';
import { useTestInstance } from '../support/instance.js';
import { publishedFiche } from '../support/publications.js';

/**
 * The « kit d'essaimage » (issue 14): one zip of what is published (or of a search's results),
 * each fiche in PDF, DOCX and Markdown, an offline index.html and a pratiques.csv that a
 * spreadsheet opens in French; its build observable (`…/kit/etat`), shared, queued and bounded.
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

/** A kit's state as `GET|POST …/kit/etat` answers it. */
interface KitState {
  state: 'ready' | 'building' | 'absent';
  done: number;
  total: number;
  size: number | null;
  error?: string;
}

async function etat(
  address: string,
  method: 'GET' | 'POST' = 'GET',
): Promise<{ status: number; body: KitState }> {
  const response = await fetch(`${t.server.url}${address}`, { method });
  return { status: response.status, body: (await response.json()) as KitState };
}

/** The kits in the server's cache folder. */
const cachedKits = (): string[] =>
  fs.readdirSync(path.join(t.server.dataDir, 'cache', 'kits')).filter((name) => name.endsWith('.zip'));

/**
 * Words chosen so that every non-empty subset of four fiches is what one word finds: fiche `i`'s
 * title holds the word of every subset that contains `i` (15 subsets, 15 words of distinct stems).
 */
const WORDS = [
  'ouistiti',
  'zèbre',
  'girafe',
  'hibou',
  'koala',
  'lama',
  'manchot',
  'narval',
  'ocelot',
  'panda',
  'quokka',
  'renard',
  'suricate',
  'tapir',
  'urubu',
];
const subsetOf = (word: number): number[] => [0, 1, 2, 3].filter((i) => ((word + 1) >> i) & 1);

describe('kit d’essaimage of a search, its progress and its bounds', () => {
  const titles = [0, 1, 2, 3].map(
    (i) => `Ménagerie ${i + 1} : ${WORDS.filter((_, w) => subsetOf(w).includes(i)).join(' ')}`,
  );
  const slugs: string[] = [];

  it('holds only a search’s results, on the portal’s route and the espace’s, with the search’s semantics', async () => {
    for (const title of titles)
      slugs.push((await publish(title)).publication.documentUrl.split('/').pop() ?? '');
    // « Zèbres » finds « zèbre » (stems, accents and case folded): fiche 2 only (word 1 = subset {1}).
    const zebre = await kit('/pratiques/kit.zip?q=Z%C3%88BRES');
    expect(Object.keys(zebre).filter((n) => n.endsWith('.md'))).toEqual([
      `fiches/${slugs[1]}/${slugs[1]}.md`,
    ]);
    // Every word must be found: « ouistiti girafe » is fiche 1 (word 0 = {0}; word 2 = {0, 1}).
    const both = await kit(`/api/espaces/${t.espaceId}/kit.zip?q=ouistiti+girafe`);
    expect(Object.keys(both).filter((n) => n.endsWith('.pdf'))).toEqual([
      `fiches/${slugs[0]}/${slugs[0]}.pdf`,
    ]);
    const csv = Buffer.from((both['pratiques.csv'] as Uint8Array).subarray(3)).toString('utf8');
    expect(csv.split('\r\n').filter(Boolean)).toHaveLength(2);
    expect(csv).toContain(`${titles[0]};Fiche pratique`);
    // The file name says it is a search; words that find nothing, or no word at all, are a 404.
    const response = await fetch(`${t.server.url}/pratiques/kit.zip?q=narval`);
    expect(response.headers.get('content-disposition')).toContain('kit-essaimage-recherche.zip');
    await response.arrayBuffer();
    expect((await fetch(`${t.server.url}/pratiques/kit.zip?q=licorne`)).status).toBe(404);
    expect((await fetch(`${t.server.url}/pratiques/kit.zip?q=%3F%21`)).status).toBe(404);
    // Every filter of the portal's search page is accepted (its links carry them all).
    const narrowed = await fetch(
      `${t.server.url}/pratiques/kit.zip?q=ouistiti&theme=aller-vers&categorie=naissante&territoire=reg%3A84&public=enfants&annee=2016`,
    );
    expect(narrowed.status).toBe(404);
    expect(await narrowed.text()).toBe('Aucune pratique publiée ne correspond.');
    // The search's other filters are read strictly: a wrong one is refused in French, not ignored.
    const wrong = await fetch(`${t.server.url}/api/espaces/${t.espaceId}/kit.zip?categorie=inconnue`);
    expect(wrong.status).toBe(400);
    expect(((await wrong.json()) as { message: string }).message).toContain('categorie');
    expect((await fetch(`${t.server.url}/pratiques/kit.zip?territoire=dep%3A999`)).status).toBe(400);
    expect((await fetch(`${t.server.url}/pratiques/kit.zip?q=${'a'.repeat(201)}`)).status).toBe(400);
  });

  it('shows a build’s progress, fiche by fiche, then the size of the zip it sends', async () => {
    const address = `/api/espaces/${t.espaceId}/kit/etat?q=manchot`;
    // Word 6 is subset {0, 1, 2}: three fiches, not built yet.
    expect(await etat(address)).toEqual({
      status: 200,
      body: { state: 'absent', done: 0, total: 3, size: null },
    });
    const started = await etat(address, 'POST');
    expect(started.status).toBe(202);
    expect(started.body).toMatchObject({ state: 'building', total: 3, size: null });
    const seen: KitState[] = [];
    await vi.waitFor(
      async () => {
        const { body } = await etat(address);
        seen.push(body);
        expect(body.state).toBe('ready');
      },
      { timeout: 30_000, interval: 20 },
    );
    const dones = seen.map((s) => s.done);
    expect(dones).toEqual([...dones].sort((a, b) => a - b));
    expect(seen.every((s) => s.total === 3)).toBe(true);
    const ready = seen.at(-1) as KitState;
    expect(ready).toEqual({ state: 'ready', done: 3, total: 3, size: expect.any(Number) as number });
    // Ready: a POST answers 200 at once; the zip is sent with that length.
    expect(await etat(address, 'POST')).toEqual({ status: 200, body: ready });
    const zip = await fetch(`${t.server.url}/api/espaces/${t.espaceId}/kit.zip?q=manchot`);
    expect(zip.headers.get('content-length')).toBe(String(ready.size));
    expect((await zip.arrayBuffer()).byteLength).toBe(ready.size);
    // The portal's state route answers the same way for the same search.
    expect((await etat(`/pratiques/kit/etat?espace=${t.espaceId}&q=manchot`)).body.total).toBe(3);
  });

  it('lets anyone read and start a kit, as the kit routes do, and refuses a cross-site start', async () => {
    // The publications are public: no session is needed, on the API's route as on the portal's.
    expect((await etat(`/api/espaces/${t.espaceId}/kit/etat?q=ocelot`)).status).toBe(200);
    expect((await etat(`/api/espaces/${t.espaceId}/kit/etat?q=ocelot`, 'POST')).status).toBe(202);
    expect((await etat('/api/espaces/inconnu/kit/etat')).status).toBe(404);
    expect((await etat('/pratiques/kit/etat?espace=inconnu', 'POST')).status).toBe(404);
    expect((await etat('/pratiques/kit/etat?q=licorne', 'POST')).status).toBe(404);
    // A logged-in person's browser sent here by another site: refused (CSRF), nothing started.
    const crossSite = await fetch(`${t.server.url}/api/espaces/${t.espaceId}/kit/etat?q=panda`, {
      method: 'POST',
      headers: { cookie: t.admin.cookie, origin: 'https://ailleurs.example' },
    });
    expect(crossSite.status).toBe(403);
    expect((await etat(`/api/espaces/${t.espaceId}/kit/etat?q=panda`)).body.state).toBe('absent');
    // An archived document leaves the kit as it leaves the portal.
    const archived = await publish('Ménagerie archivée : ornithorynque');
    expect((await etat('/pratiques/kit/etat?q=ornithorynque')).body.total).toBe(1);
    const archive = await t.admin.fetch(`/api/documents/${archived.publication.documentId}/archive`, {
      method: 'POST',
    });
    expect(archive.status).toBeLessThan(300);
    expect((await etat('/pratiques/kit/etat?q=ornithorynque')).status).toBe(404);
  });

  it('shares one build between two simultaneous starts of the same kit', async () => {
    // The kit the test before started (« ocelot ») is built in the background: on a slow machine it
    // may still be running, and its exports must not be counted here.
    await vi.waitFor(
      async () =>
        expect((await etat(`/api/espaces/${t.espaceId}/kit/etat?q=ocelot`)).body.state).not.toBe('building'),
      { timeout: 30_000, interval: 100 },
    );
    const exportsCalled = vi.spyOn(t.server.services.exports, 'publication');
    try {
      const before = cachedKits().length;
      const address = `/pratiques/kit/etat?espace=${t.espaceId}&q=quokka`;
      // Word 10 is subset {0, 1, 3}. Two people start it at the same moment, with other words for
      // the same set (« Quokkas », « QUOKKA ») : one build.
      const [a, b] = await Promise.all([
        etat(address, 'POST'),
        etat(`/pratiques/kit/etat?espace=${t.espaceId}&q=Quokkas`, 'POST'),
      ]);
      expect([a.status, b.status]).toEqual([202, 202]);
      const [one, two] = await Promise.all([
        kit(`/pratiques/kit.zip?espace=${t.espaceId}&q=QUOKKA`),
        kit(`/api/espaces/${t.espaceId}/kit.zip?q=quokka`),
      ]);
      expect(Object.keys(one)).toEqual(Object.keys(two));
      expect(Object.keys(one)).toHaveLength(3 * 3 + 2);
      expect(exportsCalled).toHaveBeenCalledTimes(3 * 3);
      expect(cachedKits()).toHaveLength(before + 1);
    } finally {
      exportsCalled.mockRestore();
    }
  });

  it('bounds a hostile flood of distinct searches: one build at a time, a short queue, then 429', async () => {
    const exports = t.server.services.exports;
    const original = exports.publication.bind(exports);
    let running = 0;
    let mostAtOnce = 0;
    // Counts the exports under way at each moment: one build at a time makes them one at a time.
    const exportsCalled = vi.spyOn(exports, 'publication').mockImplementation(async (...args) => {
      mostAtOnce = Math.max(mostAtOnce, ++running);
      try {
        return await original(...args);
      } finally {
        running--;
      }
    });
    try {
      // 15 words × 2 scopes = 30 kits (a few of the espace's were built above), each asked under
      // four spellings at once, and 20 searches that find nothing.
      const addresses = WORDS.flatMap((word) =>
        [word, word.toUpperCase(), `${word.slice(0, 1).toUpperCase()}${word.slice(1)}`, ` ${word} `].flatMap(
          (q, i) => [
            `/pratiques/kit/etat?q=${encodeURIComponent(q)}`,
            `/api/espaces/${t.espaceId}/kit/etat?q=${encodeURIComponent(q)}${i > 1 ? '&theme=' : ''}`,
          ],
        ),
      );
      for (let i = 0; i < 20; i++) addresses.push(`/pratiques/kit/etat?q=licorne${i}`);
      const answers = await Promise.all(addresses.map((a) => etat(a, 'POST')));
      const statuses = answers.map((a) => a.status);
      expect(statuses.every((s) => [200, 202, 404, 429].includes(s))).toBe(true);
      expect(statuses.filter((s) => s === 404)).toHaveLength(20);
      // More than one running and eight waiting: refused, in French, with a time to come back.
      const refused = answers.filter((a) => a.status === 429);
      expect(refused.length).toBeGreaterThan(0);
      expect((refused[0]?.body as unknown as { message: string }).message).toMatch(/Réessayez/);
      // What was accepted is built, one kit after another.
      await vi.waitFor(
        async () => {
          const states = await Promise.all(addresses.map((a) => etat(a)));
          expect(states.some((s) => s.body.state === 'building')).toBe(false);
        },
        { timeout: 60_000, interval: 200 },
      );
      expect(mostAtOnce).toBe(1);
      // Never more than 4 fiches × 3 formats per kit accepted (one build per set of publications).
      expect(exportsCalled.mock.calls.length).toBeLessThanOrEqual(
        answers.filter((a) => a.status === 202).length * 4 * 3,
      );
      // The server still serves a kit afterwards.
      expect(Object.keys(await kit('/pratiques/kit.zip?q=urubu')).length).toBe(4 * 3 + 2);
    } finally {
      exportsCalled.mockRestore();
    }
  });
});
