/**
 * Benchmarks of the Essaim server against a vanilla Hocuspocus, on this machine.
 *
 *   npm run bench                     all of them (builds first; the server's compiled dist runs)
 *   npx tsx bench/run.ts replay       one of them: replay | editors | load | flush | sections | updateChecks | fuzz | splits
 *   npx tsx --conditions=@essaim/source bench/run.ts flush   the TypeScript sources, no build needed
 *
 * Results go to bench/results/<name>.json; docs/PERFORMANCE.md explains them.
 */
import { envInt } from './lib/env.js';
import { cpuPressureAvg10, waitForQuietMachine } from './lib/pressure.js';
import { log, printSummary, writeResult, type BenchResult } from './lib/report.js';

const BENCHES: Record<string, () => Promise<{ run(): Promise<BenchResult> }>> = {
  replay: () => import('./replay.js'),
  editors: () => import('./editors.js'),
  load: () => import('./load.js'),
  flush: () => import('./flush.js'),
  hurriedWriter: () => import('./hurriedWriter.js'),
  sections: () => import('./sections.js'),
  updateChecks: () => import('./updateChecks.js'),
  fuzz: () => import('./fuzz.js'),
  comments: () => import('./comments.js'),
  versions: () => import('./versions.js'),
  review: () => import('./review.js'),
  exports: () => import('./exports.js'),
  kit: () => import('./kit.js'),
  reviewLocks: () => import('./reviewLocks.js'),
  portal: () => import('./portal.js'),
  manyDocuments: () => import('./manyDocuments.js'),
  bundle: () => import('./bundle.js'),
  firstVisit: () => import('./firstVisit.js'),
  draftSearch: () => import('./draftSearch.js'),
  catalogue: () => import('./catalogue.js'),
  splits: () => import('./splits.js'),
  sectionMoves: () => import('./sectionMoves.js'),
};

async function main(): Promise<number> {
  const asked = process.argv.slice(2).filter((a) => !a.startsWith('-'));
  const unknown = asked.filter((name) => !(name in BENCHES));
  if (unknown.length > 0) {
    console.error(`benchmark inconnu : ${unknown.join(', ')} (connus : ${Object.keys(BENCHES).join(', ')})`);
    return 2;
  }
  const names = asked.length > 0 ? asked : Object.keys(BENCHES);
  let failures = 0;
  const results: BenchResult[] = [];
  for (const name of names) {
    const load = BENCHES[name];
    if (!load) continue;
    // The machine is shared: give other people's builds a moment to finish before measuring.
    const before = cpuPressureAvg10();
    const quiet = await waitForQuietMachine(envInt('BENCH_QUIET_WAIT', 30));
    const started = performance.now();
    log(`${name}… (pression CPU sur 10 s : ${quiet ?? 'inconnue'} %)`);
    try {
      const result = await (await load()).run();
      result.notes.push(`durée du benchmark : ${Math.round((performance.now() - started) / 1000)} s`);
      result.notes.push(
        `pression CPU de la machine (moyenne 10 s) avant le démarrage : ${quiet ?? 'inconnue'} %` +
          (before !== quiet ? ` (après attente ; ${before} % d’abord)` : ''),
      );
      printSummary(result, writeResult(result));
      results.push(result);
    } catch (error) {
      failures++;
      console.error(`[bench] ${name} a échoué :`, error);
    }
  }
  const missed = results.flatMap((r) => r.targets.filter((t) => !t.met).map((t) => `${r.name}: ${t.name}`));
  const wrong = results.flatMap((r) =>
    r.targets.filter((t) => t.correctness && !t.met).map((t) => `${r.name}: ${t.name}`),
  );
  process.stdout.write(`\n${results.length} benchmark(s), ${missed.length} cible(s) manquée(s)\n`);
  for (const w of wrong) console.error(`[bench] ÉCHEC de cohérence : ${w}`);
  // A missed performance target is a result; a wrong text is a failure.
  return failures > 0 || wrong.length > 0 ? 1 : 0;
}

process.exitCode = await main();
// Sockets of stopped servers or clients may keep handles briefly; the results are written.
process.exit();
