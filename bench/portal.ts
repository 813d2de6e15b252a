import http from 'node:http';
import { gunzipSync } from 'node:zlib';
import { categories, structureTypes } from '@essaim/domain';
import { emptyMetadata, type DocumentMetadata } from '@essaim/protocol';
import { territoires } from '../server/src/reference/territoires.js';
import { setupInstance } from '../tests/support/accounts.js';
import { startTestServer } from '../tests/support/server.js';
import { envInt } from './lib/env.js';
import { publishedBases, publishedFicheWriter } from './lib/publishedFiches.js';
import { log, machine, type BenchResult } from './lib/report.js';
import { seededRandom, summarize } from './lib/stats.js';

/** Issue 13: portal page time to first byte and search latency, p95 under 50 ms. */
const TARGET_MS = 50;
/** Issue 13: a fiche page weighs under 100 KB of HTML + CSS, gzipped. */
const TARGET_WEIGHT_KB = 100;

const THEMES = ['conferences-familiales', 'aller-vers', 'pair-aidance', 'coordination', 'pouvoir-d-agir'];

const SEARCHES = [
  'q=conf%C3%A9rence+familiale',
  'q=aller+vers',
  'q=pair-aidance',
  'q=famille',
  'q=coordination+partenaires',
  'q=pouvoir+d%E2%80%99agir&territoire=reg%3A93',
  'q=accompagnement&theme=aller-vers',
  'territoire=reg%3A84&categorie=naissante',
  'q=enfant&annee=2016',
  'q=jeunes+sans+solution',
];

interface Response {
  status: number;
  /** Milliseconds until the status line and headers arrived. */
  ttfbMs: number;
  /** Milliseconds until the whole body arrived. */
  totalMs: number;
  /** Bytes on the wire (gzipped when the server gzips). */
  bytes: number;
  body: Buffer;
}

/** A GET with `Accept-Encoding: gzip`, timed at the first byte and at the end; the body as sent. */
function get(base: string, path: string): Promise<Response> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const request = http.get(`${base}${path}`, { headers: { 'accept-encoding': 'gzip' } }, (res) => {
      const ttfbMs = performance.now() - started;
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const body = Buffer.concat(chunks);
        resolve({
          status: res.statusCode ?? 0,
          ttfbMs,
          totalMs: performance.now() - started,
          bytes: body.length,
          body,
        });
      });
      res.on('error', reject);
    });
    request.on('error', reject);
  });
}

/**
 * The public portal with `PORTAL_FICHES` published fiches (the six demonstration fiches, written
 * from the HCTS sources, each published many times over with its own title, territory, themes,
 * category and year; inserted through the repositories, as the publication service does, for
 * speed). Measured through HTTP on this machine: time to first byte of a fiche page (a random
 * one each time), latency of search pages (words and filters), of the home page and of the map;
 * the weight of a fiche page (HTML + the one stylesheet, gzipped as served). The JSON search
 * (`/api/public/search`) with the same words is the baseline.
 */
export async function run(): Promise<BenchResult> {
  const fiches = envInt('PORTAL_FICHES', 1000);
  const rounds = envInt('PORTAL_ROUNDS', 200);
  const server = await startTestServer();
  try {
    const { admin, espaceId } = await setupInstance(server.url);
    log(`portal: ${fiches} fiches publiées…`);
    const insert = publishedFicheWriter(server.services.db, espaceId, admin.userId);
    const random = seededRandom(13);
    const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
    const { departements, regions } = territoires();
    // The six fiches' content, HTML, text and body stems, computed once.
    const bases = publishedBases();
    const slugs: string[] = [];
    const started = performance.now();
    const insertAll = server.services.db.transaction(() => {
      for (let i = 0; i < fiches; i++) {
        const base = bases[i % bases.length];
        if (!base) continue;
        const dep = pick(departements);
        const territoire = random() < 0.1 ? `reg:${pick(regions).code}` : `dep:${dep.code}`;
        const title = `${base.fiche.title.split(' — ')[0]} — ${dep.nom} (${i + 1})`;
        const metadata: DocumentMetadata = {
          ...emptyMetadata(title),
          ...base.fiche.metadata,
          themes: [...new Set([...base.fiche.themes, pick(THEMES)])],
          categorie: pick(categories),
          territoire,
          structureType: pick(structureTypes),
          anneeDemarrage: 2010 + Math.floor(random() * 16),
        };
        const at = new Date(Date.UTC(2026, 0, 1) + i * 3_600_000).toISOString();
        slugs.push(insert({ title, metadata, base, at, pages: 5 }));
      }
    });
    insertAll();
    const insertMs = Math.round(performance.now() - started);
    const url = server.url;

    // Warm the statement caches, the JIT and the stylesheet.
    for (let i = 0; i < 20; i++) {
      await get(url, `/pratiques/${pick(slugs)}`);
      await get(url, `/pratiques/recherche?${pick(SEARCHES)}`);
    }
    const fichePage: Response[] = [];
    for (let i = 0; i < rounds; i++) fichePage.push(await get(url, `/pratiques/${pick(slugs)}`));
    const searchPage: Response[] = [];
    for (let i = 0; i < rounds; i++)
      searchPage.push(await get(url, `/pratiques/recherche?${SEARCHES[i % SEARCHES.length]}`));
    const apiSearch: Response[] = [];
    for (let i = 0; i < rounds; i++) {
      const words = new URLSearchParams(SEARCHES[i % SEARCHES.length]).get('q') ?? 'famille';
      apiSearch.push(await get(url, `/api/public/search?q=${encodeURIComponent(words)}`));
    }
    const home: Response[] = [];
    const map: Response[] = [];
    for (let i = 0; i < Math.min(rounds, 50); i++) {
      home.push(await get(url, '/pratiques/'));
      map.push(await get(url, '/pratiques/carte'));
    }
    const bad = [...fichePage, ...searchPage, ...home, ...map].filter((r) => r.status !== 200).length;

    // Weight of a fiche page: its HTML and its stylesheet, as sent gzipped.
    const sample = await get(url, `/pratiques/${slugs[0]}`);
    const html = gunzipSync(sample.body).toString();
    const css = await get(url, /<link rel="stylesheet" href="([^"]+)">/.exec(html)?.[1] ?? '');
    const weightKB = Math.round(((sample.bytes + css.bytes) / 1000) * 10) / 10;
    const ttfb = summarize(fichePage.map((r) => r.ttfbMs));
    const fichePageTotal = summarize(fichePage.map((r) => r.totalMs));
    const search = summarize(searchPage.map((r) => r.totalMs));
    const api = summarize(apiSearch.map((r) => r.totalMs));
    const homeSummary = summarize(home.map((r) => r.totalMs));
    const mapSummary = summarize(map.map((r) => r.totalMs));
    return {
      name: 'portal',
      date: new Date().toISOString(),
      machine: machine(),
      params: { fiches, rounds, searches: SEARCHES },
      results: {
        fichePageTtfbMs: ttfb,
        fichePageMs: fichePageTotal,
        searchPageMs: search,
        homePageMs: homeSummary,
        mapPageMs: mapSummary,
        fichePage: {
          htmlGzipBytes: sample.bytes,
          htmlBytes: Buffer.byteLength(html),
          cssGzipBytes: css.bytes,
        },
        insertMs,
        non200: bad,
      },
      vanilla: { apiPublicSearchMs: api },
      ratio: { searchPageOverApiSearch: Math.round((search.p50 / api.p50) * 100) / 100 },
      targets: [
        {
          name: `fiche, temps jusqu’au premier octet, ${fiches} fiches publiées (p95, HTTP)`,
          target: `< ${TARGET_MS} ms`,
          actual: `${ttfb.p95} ms`,
          met: ttfb.p95 < TARGET_MS,
        },
        {
          name: `page de recherche (mots et filtres), ${fiches} fiches publiées (p95, HTTP, page entière)`,
          target: `< ${TARGET_MS} ms`,
          actual: `${search.p95} ms`,
          met: search.p95 < TARGET_MS,
        },
        {
          name: 'poids d’une fiche : HTML + CSS compressés (gzip), sans JavaScript',
          target: `< ${TARGET_WEIGHT_KB} Ko`,
          actual: `${weightKB} Ko`,
          met: weightKB < TARGET_WEIGHT_KB,
        },
        {
          name: 'toutes les pages mesurées répondent 200',
          target: '0 autre statut',
          actual: `${bad}`,
          met: bad === 0,
          correctness: true,
        },
      ],
      notes: [
        `${fiches} fiches insérées par les dépôts en ${insertMs} ms`,
        `accueil : p95 ${homeSummary.p95} ms ; carte : p95 ${mapSummary.p95} ms ; recherche JSON : p95 ${api.p95} ms`,
        `fiche : ${sample.bytes} octets de HTML compressé (${Buffer.byteLength(html)} décompressé), feuille de style ${css.bytes} octets compressée (mise en cache un an) ; les polices Marianne (woff2) s’y ajoutent à la première visite`,
      ],
    };
  } finally {
    await server.stop();
  }
}
