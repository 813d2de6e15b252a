import { performance } from 'node:perf_hooks';
import { bigFixtureContent, fixtureInput } from '../server/src/exports/fixture.js';
import { exportDocument, exportFormats, type ExportFormat } from '../server/src/exports/index.js';
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
  return {
    name: 'exports',
    date: new Date().toISOString(),
    machine: machine(),
    params: { pages, runs, characters, sections: sectionsOf(doc).length },
    results,
    vanilla: {},
    ratio: {},
    targets: exportFormats.map((format) => ({
      name: `export ${format.toUpperCase()} d’une fiche de ${pages} pages`,
      target: '< 2000 ms',
      actual: `${medians[format] ?? '?'} ms`,
      met: (medians[format] ?? Infinity) < 2000,
    })),
    notes: [
      'médiane des exports après le premier (le premier charge les polices et les bibliothèques : firstMs)',
      'cpuMs : temps processeur (utilisateur + système) du processus pendant un export, médiane ; sur une machine chargée par d’autres, il approche mieux que medianMs la durée sur une machine libre',
      'PDF : pdfmake sur pdfkit, Marianne embarquée ; DOCX : docx ; ODT : XML écrit ici, zip fflate',
    ],
  };
}
