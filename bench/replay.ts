import { envInt } from './lib/env.js';
import { machine, log, type BenchResult, type TargetCheck } from './lib/report.js';
import { replayRun, type ReplayOutcome, type ReplayRunParams } from './lib/runs.js';
import type { Kind } from './lib/servers.js';
import { round } from './lib/stats.js';
import { TRACES, loadTrace, type TraceName } from './lib/trace.js';

const TARGET_EDITS_PER_SECOND = 20_000;
const TARGET_RATIO = 0.85;

/**
 * (a) Real editing traces replayed through the server: one writer, two readers, every update
 * acknowledged and durable, the end text checked on every client and in SQLite.
 */
export async function run(): Promise<BenchResult> {
  const repeats = Math.max(1, envInt('BENCH_REPEAT', 2));
  const base = { readers: 2, window: 1_000, yieldEvery: 100, timeoutMs: 60_000, flushDelay: false as const };
  const params = { ...base, repeats, traces: TRACES, order: 'alternating essaim/vanilla, best run reported' };

  // Warm-up: the server lives in this process, so let its code get compiled before measuring.
  for (const kind of ['essaim', 'vanilla'] as const) {
    await replayRun(kind, { ...base, trace: 'friendsforever_flat', limit: 5_000 });
  }

  const runs: ReplayOutcome[] = [];
  for (const trace of TRACES) {
    loadTrace(trace);
    for (let i = 0; i < repeats; i++) {
      const order: Kind[] = i % 2 === 0 ? ['essaim', 'vanilla'] : ['vanilla', 'essaim'];
      for (const kind of order) {
        const outcome = await replayRun(kind, { ...base, trace } satisfies ReplayRunParams);
        log(
          `replay ${trace} ${kind}: ${outcome.editsPerSecond} éditions/s, serveur ${perEdit(outcome)} µs CPU/édition, ` +
            `boucle bloquée jusqu’à ${outcome.server.loopDelayMs.max} ms, pression CPU ${outcome.server.machine.cpuSomePercent} % E/S ${outcome.server.machine.ioSomePercent} %` +
            (outcome.errors.length ? ` ERREURS: ${outcome.errors.join('; ')}` : ''),
        );
        runs.push(outcome);
      }
    }
  }

  const results: Record<string, unknown> = {};
  const vanilla: Record<string, unknown> = {};
  const ratio: Record<string, number> = {};
  const targets: TargetCheck[] = [];
  const notes: string[] = [];
  for (const trace of TRACES) {
    const e = best(runs, trace, 'essaim');
    const v = best(runs, trace, 'vanilla');
    results[trace] = summary(e, runs, trace, 'essaim');
    vanilla[trace] = summary(v, runs, trace, 'vanilla');
    ratio[`${trace}.editsPerSecond`] = round(e.editsPerSecond / v.editsPerSecond);
    ratio[`${trace}.serverCpuPerEdit`] = round(perEdit(e) / perEdit(v));
    targets.push({
      name: `${trace}: éditions/s de bout en bout, chacune durable`,
      target: `>= ${TARGET_EDITS_PER_SECOND}`,
      actual: `${e.editsPerSecond} (vanilla ${v.editsPerSecond}; capacité CPU du serveur ≈ ${capacity(e)})`,
      met: e.editsPerSecond >= TARGET_EDITS_PER_SECOND,
    });
    targets.push({
      name: `${trace}: débit essaim/vanilla`,
      target: `>= ${TARGET_RATIO}`,
      actual: String(ratio[`${trace}.editsPerSecond`]),
      met: (ratio[`${trace}.editsPerSecond`] ?? 0) >= TARGET_RATIO,
    });
  }
  const essaimRuns = runs.filter((r) => r.kind === 'essaim');
  const exact = essaimRuns.every((r) => r.errors.length === 0) && runs.every((r) => r.clientsMatch);
  targets.push({
    name: 'texte final = endContent sur chaque client et dans SQLite (pendant le service et après arrêt)',
    target: 'toujours',
    actual: exact ? `oui (${runs.length} rejeux)` : 'NON',
    met: exact,
    correctness: true,
  });
  for (const r of runs) for (const error of r.errors) notes.push(`${r.kind} ${r.trace}: ${error}`);
  notes.push(
    'Le serveur tourne dans ce processus, les 3 clients dans un processus enfant : sur 2 cœurs, le débit de bout en bout est borné par le plus lent des deux. serverCpuPerEditUs mesure le coût du serveur seul.',
  );
  return {
    name: 'replay',
    date: new Date().toISOString(),
    machine: machine(),
    params,
    results,
    vanilla,
    ratio,
    targets,
    notes,
  };
}

const perEdit = (r: ReplayOutcome): number => round((r.server.cpuMs * 1000) / r.transactions, 1);
const capacity = (r: ReplayOutcome): number => Math.round(1e6 / perEdit(r));

function best(runs: ReplayOutcome[], trace: TraceName, kind: Kind): ReplayOutcome {
  const mine = runs.filter((r) => r.trace === trace && r.kind === kind);
  const top = mine.sort((a, b) => b.editsPerSecond - a.editsPerSecond)[0];
  if (!top) throw new Error(`aucun rejeu ${kind} ${trace}`);
  return top;
}

function summary(
  top: ReplayOutcome,
  runs: ReplayOutcome[],
  trace: TraceName,
  kind: Kind,
): Record<string, unknown> {
  const mine = runs.filter((r) => r.trace === trace && r.kind === kind);
  return {
    editsPerSecond: top.editsPerSecond,
    allRunsEditsPerSecond: mine.map((r) => r.editsPerSecond),
    serverCpuPerEditUs: perEdit(top),
    serverCpuCapacityEditsPerSecond: capacity(top),
    best: top,
  };
}
