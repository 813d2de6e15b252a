import http from 'node:http';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { emptyMetadata, type DocumentMetadata } from '@essaim/protocol';
import { setupInstance } from '../tests/support/accounts.js';
import { startTestServer } from '../tests/support/server.js';
import { envInt } from './lib/env.js';
import { publishedBases, publishedFicheWriter } from './lib/publishedFiches.js';
import { log, machine, printSummary, writeResult, type BenchResult } from './lib/report.js';
import { round, summarize } from './lib/stats.js';

/** Issue 14: the kit of 50 fiches in under 30 s. */
const TARGET_MS = 30_000;
const MiB = 2 ** 20;

/**
 * The process's resident memory sampled every 50 ms from a worker thread: the samples go on while
 * the main thread is busy making a PDF (a timer there would wait for it).
 */
function rssSampler(): { peak(): Promise<number>; reset(): void; stop(): Promise<number> } {
  const worker = new Worker(
    `const { parentPort } = require('node:worker_threads');
     let peak = 0;
     const sample = () => { peak = Math.max(peak, process.memoryUsage.rss()); };
     const timer = setInterval(sample, 50);
     parentPort.on('message', (m) => {
       if (m === 'reset') peak = 0;
       if (m === 'peak') { sample(); parentPort.postMessage(peak); }
       if (m === 'stop') { clearInterval(timer); parentPort.close(); }
     });`,
    { eval: true },
  );
  const ask = () =>
    new Promise<number>((resolve) => {
      worker.once('message', (value: number) => resolve(value));
      worker.postMessage('peak');
    });
  return {
    peak: ask,
    reset: () => worker.postMessage('reset'),
    stop: async () => {
      const value = await ask();
      worker.postMessage('stop');
      await worker.terminate();
      return value;
    },
  };
}

/** A GET whose body is counted, not kept: the status, the bytes and the milliseconds. */
function download(url: string): Promise<{ status: number; bytes: number; ms: number; length: number }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    http
      .get(url, (res) => {
        let bytes = 0;
        res.on('data', (chunk: Buffer) => (bytes += chunk.length));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            bytes,
            ms: performance.now() - started,
            length: Number(res.headers['content-length'] ?? -1),
          }),
        );
        res.on('error', reject);
      })
      .on('error', reject);
  });
}

interface KitState {
  state: string;
  done: number;
  total: number;
  size: number | null;
}

async function etat(url: string, method: 'GET' | 'POST'): Promise<{ body: KitState; ms: number }> {
  const started = performance.now();
  const response = await fetch(url, { method });
  const body = (await response.json()) as KitState;
  return { body, ms: performance.now() - started };
}

const gc = (): void => (globalThis as { gc?: () => void }).gc?.();

/** One cold build through `GET …/kit.zip`: wall and CPU time, resident memory before, at peak, after. */
/** What one cold build measured; memory in MiB, times in milliseconds. */
interface ColdBuild {
  wallMs: number;
  cpuMs: number;
  zipBytes: number;
  rssBeforeMiB: number;
  rssPeakMiB: number;
  rssAfterMiB: number;
  peakMinusBeforeMiB: number;
  heapBeforeMiB: number;
  heapAfterMiB: number;
}

async function coldBuild(sampler: ReturnType<typeof rssSampler>, url: string): Promise<ColdBuild> {
  gc();
  const before = process.memoryUsage.rss();
  const heapBefore = process.memoryUsage().heapUsed;
  sampler.reset();
  const cpu = process.cpuUsage();
  const got = await download(url);
  const used = process.cpuUsage(cpu);
  const peak = await sampler.peak();
  gc();
  const after = process.memoryUsage.rss();
  const heapAfter = process.memoryUsage().heapUsed;
  if (got.status !== 200 || got.bytes !== got.length)
    throw new Error(`kit : ${got.status}, ${got.bytes} octets`);
  return {
    wallMs: round(got.ms, 0),
    cpuMs: round((used.user + used.system) / 1000, 0),
    zipBytes: got.bytes,
    rssBeforeMiB: round(before / MiB, 1),
    rssPeakMiB: round(peak / MiB, 1),
    rssAfterMiB: round(after / MiB, 1),
    peakMinusBeforeMiB: round((peak - before) / MiB, 1),
    // After a full collection (with --expose-gc): what the build left behind in the heap.
    heapBeforeMiB: round(heapBefore / MiB, 1),
    heapAfterMiB: round(heapAfter / MiB, 1),
  };
}

/**
 * (issue 14) The kit d'essaimage of `BENCH_KIT_FICHES` (50) published fiches of realistic length
 * (the six demonstration fiches, each section's text repeated `BENCH_KIT_SCALE` (3) times: about
 * 18,000–25,000 characters, 6–8 pages, each), inserted through the repositories as the
 * publication service does. Measured through HTTP in this process (the server's): a warm-up kit
 * of one fiche (fonts and libraries loaded), then cold builds of half the fiches and of all of
 * them (wall time, CPU time, resident memory sampled every 50 ms from a worker: before, peak,
 * after), the same kit again from the cache, and a third cold build started with `POST …/kit/etat`
 * while its state is asked every 100 ms (the progress seen, and how long a state request waits
 * while a PDF is being made). Memory is flat when the peak's growth does not follow the zip's size
 * (the zip goes to disk fiche by fiche): doubling the fiches must not double the growth.
 */
export async function run(): Promise<BenchResult> {
  const fiches = envInt('BENCH_KIT_FICHES', 50);
  const scale = envInt('BENCH_KIT_SCALE', 3);
  const server = await startTestServer();
  const sampler = rssSampler();
  try {
    const { admin, espaceId } = await setupInstance(server.url);
    const insert = publishedFicheWriter(server.services.db, espaceId, admin.userId);
    const bases = publishedBases(scale);
    const characters = bases.map((b) => b.text.length);
    log(
      `kit : ${fiches} fiches publiées (${Math.min(...characters)}–${Math.max(...characters)} caractères)…`,
    );
    server.services.db.transaction(() => {
      for (let i = 0; i < fiches; i++) {
        const base = bases[i % bases.length];
        if (!base) continue;
        const title = `${base.fiche.title.split(' — ')[0]} (${i + 1})`;
        // Every other fiche in the theme « moitie »: the half-size kit.
        const metadata: DocumentMetadata = {
          ...emptyMetadata(title),
          ...base.fiche.metadata,
          themes: [...base.fiche.themes, ...(i % 2 === 0 ? ['moitie'] : [])],
          // The warm-up kit: one fiche found by this word.
          motsCles: i === 0 ? ['echauffement'] : (base.fiche.metadata.motsCles ?? []),
        };
        const at = new Date(Date.UTC(2026, 0, 1) + i * 3_600_000).toISOString();
        insert({ title, metadata, base, at, pages: 7 });
      }
    })();
    const url = server.url;

    log('kit : échauffement (une fiche)…');
    const warmup = await coldBuild(sampler, `${url}/pratiques/kit.zip?q=echauffement`);
    log(`kit : ${Math.ceil(fiches / 2)} fiches, à froid…`);
    const half = await coldBuild(sampler, `${url}/pratiques/kit.zip?theme=moitie`);
    log(`kit : ${fiches} fiches, à froid…`);
    const all = await coldBuild(sampler, `${url}/pratiques/kit.zip`);
    const cachedRuns: number[] = [];
    for (let i = 0; i < 5; i++) cachedRuns.push((await download(`${url}/pratiques/kit.zip`)).ms);
    const cached = summarize(cachedRuns);

    // A third cold build (the espace's kit: another title, the same fiches), started by POST and
    // followed as the catalogue's button follows it.
    log(`kit : ${fiches} fiches, lancé par POST et suivi…`);
    const address = `${url}/api/espaces/${espaceId}/kit/etat`;
    const started = performance.now();
    const start = await etat(address, 'POST');
    const seen: number[] = [start.body.done];
    const waits: number[] = [];
    let state = start.body;
    let firstProgressMs: number | null = null;
    while (state.state === 'building') {
      await new Promise((resolve) => setTimeout(resolve, 100));
      const answer = await etat(address, 'GET');
      waits.push(answer.ms);
      state = answer.body;
      if (state.done > 0 && firstProgressMs === null) firstProgressMs = performance.now() - started;
      if (state.done !== seen.at(-1)) seen.push(state.done);
    }
    const polledMs = round(performance.now() - started, 0);
    const statusWait = summarize(waits);
    const growthRatio = round(all.peakMinusBeforeMiB / Math.max(half.peakMinusBeforeMiB, 1), 2);
    const flat = all.peakMinusBeforeMiB <= 1.5 * half.peakMinusBeforeMiB + 16;
    const wallMs = all.wallMs;
    return {
      name: 'kit',
      date: new Date().toISOString(),
      machine: machine(),
      params: { fiches, scale, charactersPerFiche: `${Math.min(...characters)}–${Math.max(...characters)}` },
      results: {
        warmup,
        half: { fiches: Math.ceil(fiches / 2), ...half },
        all: { fiches, ...all },
        cachedMs: cached,
        followed: {
          wallMs: polledMs,
          firstProgressMs: firstProgressMs === null ? null : round(firstProgressMs, 0),
          progressSeen: seen,
          finalState: state,
          statusRequestMs: statusWait,
        },
      },
      vanilla: {},
      ratio: { peakGrowthAllOverHalf: growthRatio },
      targets: [
        {
          name: `kit de ${fiches} fiches, à froid (GET /pratiques/kit.zip, processus chaud)`,
          target: `< ${TARGET_MS} ms`,
          actual: `${wallMs} ms (CPU ${all.cpuMs} ms)`,
          met: wallMs < TARGET_MS,
        },
        {
          name: `mémoire plate : croissance du pic à ${fiches} fiches ≤ 1,5 × celle à ${Math.ceil(fiches / 2)} + 16 Mio`,
          target: 'oui',
          actual: `${all.peakMinusBeforeMiB} Mio contre ${half.peakMinusBeforeMiB} Mio (zip ${round(all.zipBytes / MiB, 1)} Mio contre ${round(half.zipBytes / MiB, 1)} Mio)`,
          met: flat,
        },
        {
          name: 'le kit en cache (deuxième demande), médiane de 5',
          target: '< 1000 ms',
          actual: `${cached.p50} ms`,
          met: cached.p50 < 1000,
        },
        {
          name: 'le suivi par /kit/etat voit la progression et finit prêt',
          target: 'ready, progression vue',
          actual: `${state.state}, ${seen.length} valeurs de done`,
          met: state.state === 'ready' && seen.length > 2,
          correctness: true,
        },
      ],
      notes: [
        'mesuré dans le processus du serveur (startTestServer) ; le client HTTP compte les octets sans les garder',
        'RSS échantillonnée toutes les 50 ms par un worker (les échantillons continuent pendant un PDF)',
        'statusRequestMs : attente d’une requête GET …/kit/etat pendant la construction (la boucle du serveur est prise par la fabrication des PDF)',
        'le premier kit (échauffement) charge les polices et les bibliothèques ; les kits mesurés viennent après',
      ],
    };
  } finally {
    await sampler.stop();
    await server.stop();
  }
}

// `npx tsx --conditions=@essaim/source --expose-gc bench/kit.ts` runs it alone (bench/run.ts too).
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const result = await run();
  printSummary(result, writeResult(result));
  process.exit();
}
