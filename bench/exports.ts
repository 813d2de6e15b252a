import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { bigFixtureContent, fixtureInput } from '../server/src/exports/fixture.js';
import {
  exportDocument,
  exportFormats,
  type ExportFormat,
  type ExportInput,
} from '../server/src/exports/index.js';
import type { ExportJob } from '../server/src/exports/job.js';
import { ExportPool, type Answerer } from '../server/src/exports/pool.js';
import { sectionsOf } from '@essaim/editor';
import { schema } from '@essaim/editor';
import { envInt } from './lib/env.js';
import { log, machine, type BenchResult } from './lib/report.js';
import { median, round } from './lib/stats.js';

/**
 * (issue 14) Export time of a 100-page fiche in each format, on the server, from its ProseMirror
 * JSON: the shared fixture (every node and mark) followed by sections of prose, lists, a table
 * and a footnote each until the text reaches 100 pages (3,000 characters a page). The first
 * export of each format is timed apart (fonts read, libraries loaded); the median of the next
 * runs is the figure. Target: under 2 s each.
 */
export async function run(): Promise<BenchResult> {
  const pages = envInt('BENCH_EXPORTS_PAGES', 100);
  const runs = envInt('BENCH_EXPORTS_RUNS', 5);
  const content = bigFixtureContent(pages);
  const doc = schema.nodeFromJSON(content);
  const characters = doc.textContent.length;
  const input = fixtureInput({ draft: true, content });
  const results: Record<string, unknown> = {};
  const medians: Partial<Record<ExportFormat, number>> = {};
  for (const format of exportFormats) {
    log(`${format} : fiche de ${pages} pages…`);
    let start = performance.now();
    const first = await exportDocument(input, format);
    const firstMs = round(performance.now() - start, 0);
    const samples: number[] = [];
    const cpu: number[] = [];
    for (let i = 0; i < runs; i++) {
      const cpuBefore = process.cpuUsage();
      start = performance.now();
      await exportDocument(input, format);
      samples.push(performance.now() - start);
      const used = process.cpuUsage(cpuBefore);
      cpu.push((used.user + used.system) / 1000);
    }
    const ms = round(median(samples), 0);
    const cpuMs = round(median(cpu), 0);
    medians[format] = ms;
    const size = Buffer.isBuffer(first.body) ? first.body.length : null;
    results[format] = {
      medianMs: ms,
      cpuMs,
      firstMs,
      bytes: size,
      heapUsedMiB: round(process.memoryUsage().heapUsed / 2 ** 20, 0),
    };
  }
  const loop = await eventLoopDelays(input, Math.min(runs, 3));
  results.eventLoop = loop;
  return {
    name: 'exports',
    date: new Date().toISOString(),
    machine: machine(),
    params: { pages, runs, characters, sections: sectionsOf(doc).length },
    results,
    vanilla: {},
    ratio: {},
    targets: [
      ...exportFormats.map((format) => ({
        name: `export ${format.toUpperCase()} d’une fiche de ${pages} pages`,
        target: '< 2000 ms',
        actual: `${medians[format] ?? '?'} ms`,
        met: (medians[format] ?? Infinity) < 2000,
      })),
      ...(['pdf', 'md'] as const).map((format) => ({
        name: `attente maximale de la boucle d’événements pendant un export ${format.toUpperCase()} de ${pages} pages (worker)`,
        target: '< 500 ms',
        actual: `${loop[format].worker.maxMs} ms (sur la boucle : ${loop[format].inProcess.maxMs} ms)`,
        met: loop[format].worker.maxMs < 500,
      })),
    ],
    notes: [
      'médiane des exports après le premier (le premier charge les polices et les bibliothèques : firstMs)',
      'cpuMs : temps processeur (utilisateur + système) du processus pendant un export, médiane ; sur une machine chargée par d’autres, il approche mieux que medianMs la durée sur une machine libre',
      'PDF : pdfmake sur pdfkit, Marianne embarquée ; DOCX : docx ; ODT : XML écrit ici, zip fflate',
      'eventLoop : attente maximale et p99 de la boucle d’événements (perf_hooks.monitorEventLoopDelay, résolution 10 ms) pendant un export, fait sur la boucle (inProcess, comme avant les workers) puis par un worker d’export (worker, comme le serveur les fait) ; médiane de quelques exports après un premier qui charge le worker',
    ],
  };
}

/** The longest and p99 wait of the event loop during `work`, in ms, and how long `work` took. */
async function loopDelayDuring(
  work: () => Promise<unknown>,
): Promise<{ maxMs: number; p99Ms: number; wallMs: number }> {
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  // Its timer must be running before the work starts, or a block at once goes unseen.
  await new Promise((resolve) => setTimeout(resolve, 30));
  const started = performance.now();
  await work();
  const wallMs = performance.now() - started;
  // The loop's late tick is recorded when its timer runs: after the work, not during it.
  await new Promise((resolve) => setTimeout(resolve, 30));
  delay.disable();
  return { maxMs: delay.max / 1e6, p99Ms: delay.percentile(99) / 1e6, wallMs };
}

/**
 * (issue 13, the tester's fault) What an export costs the event loop, the server's one thread for
 * every request and websocket: the same PDF and Markdown exports of the long fiche made on the
 * loop (as before the export workers) and by an export worker (as the server makes them now).
 * Medians over `runs` exports, after one that starts the worker and loads its libraries.
 */
async function eventLoopDelays(
  input: ExportInput,
  runs: number,
): Promise<
  Record<'pdf' | 'md', Record<'inProcess' | 'worker', { maxMs: number; p99Ms: number; wallMs: number }>>
> {
  const pool = new ExportPool({ workers: 1 });
  const answer: Answerer = async (question) =>
    question.kind === 'image'
      ? input.images(question.src)
      : question.documentIds.map((id): [string, string | null] => [id, input.links(id)]);
  const job = (format: ExportFormat): ExportJob => ({
    format,
    source: { kind: 'json', content: input.content },
    title: input.title,
    kind: input.kind,
    metadata: input.metadata,
    draft: input.draft ? { date: input.draft.date.toISOString() } : null,
    publication: null,
    themeLabels: [],
  });
  const medianOf = (samples: { maxMs: number; p99Ms: number; wallMs: number }[]) => ({
    maxMs: round(median(samples.map((s) => s.maxMs)), 0),
    p99Ms: round(median(samples.map((s) => s.p99Ms)), 0),
    wallMs: round(median(samples.map((s) => s.wallMs)), 0),
  });
  const out = {} as Record<'pdf' | 'md', Record<'inProcess' | 'worker', ReturnType<typeof medianOf>>>;
  try {
    for (const format of ['pdf', 'md'] as const) {
      log(`${format} : attente de la boucle d’événements, sur la boucle puis dans un worker…`);
      await pool.run(job(format), answer);
      const inProcess = [];
      const worker = [];
      for (let i = 0; i < runs; i++) {
        inProcess.push(await loopDelayDuring(() => exportDocument(input, format)));
        worker.push(await loopDelayDuring(() => pool.run(job(format), answer)));
      }
      out[format] = { inProcess: medianOf(inProcess), worker: medianOf(worker) };
    }
  } finally {
    await pool.close();
  }
  return out;
}
