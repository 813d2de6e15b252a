import { envInt } from './lib/env.js';
import { log, machine, type BenchResult, type TargetCheck } from './lib/report.js';
import type { TypingOutcome, TypingRunParams } from './lib/runs.js';
import type { Kind } from './lib/servers.js';
import { typingHost } from './lib/spawn.js';
import { round } from './lib/stats.js';

const TARGET_P99_MS = 25;

/**
 * (b) People typing: N editors in one document while M other documents are open and typed into
 * lightly. Edit-to-other-editor latency, updates per second, and the server's memory.
 */
export async function run(): Promise<BenchResult> {
  const params: TypingRunParams = {
    editors: envInt('BENCH_EDITORS', 20),
    docs: envInt('BENCH_DOCS', 50),
    seconds: envInt('BENCH_SECONDS', 20),
    warmupSeconds: 3,
    minCharsPerSecond: 5,
    maxCharsPerSecond: 10,
    coldCharsPerSecond: 0.2,
    deleteRatio: 0.1,
    awareness: true,
    seed: 20_240_611,
    flushDelay: false,
  };
  const outcomes: Partial<Record<Kind, TypingOutcome>> = {};
  for (const kind of ['essaim', 'vanilla'] as const) {
    const outcome = await typingHost(kind, params);
    log(
      `editors ${kind}: p50 ${outcome.latencyMs.p50} ms, p99 ${outcome.latencyMs.p99} ms, ` +
        `${outcome.updatesPerSecond} mises à jour/s, RSS +${outcome.server.rssDeltaMiB} Mio, ` +
        `boucle du serveur bloquée jusqu’à ${outcome.server.loopDelayMs.max} ms (pression E/S ${outcome.server.machine.ioSomePercent} %)`,
    );
    outcomes[kind] = outcome;
  }
  const e = outcomes.essaim;
  const v = outcomes.vanilla;
  if (!e || !v) throw new Error('run missing');

  const ratio = {
    'latency.p50': round(e.latencyMs.p50 / v.latencyMs.p50),
    'latency.p95': round(e.latencyMs.p95 / v.latencyMs.p95),
    'latency.p99': round(e.latencyMs.p99 / v.latencyMs.p99),
    serverCpu: round(e.server.cpuMs / v.server.cpuMs),
    rssDelta: round(e.server.rssDeltaMiB / v.server.rssDeltaMiB),
  };
  const targets: TargetCheck[] = [
    {
      name: `latence rédacteur → autre rédacteur p99 (${params.editors} rédacteurs)`,
      target: `<= ${TARGET_P99_MS} ms`,
      actual: `${e.latencyMs.p99} ms (vanilla ${v.latencyMs.p99} ms)`,
      met: e.latencyMs.p99 <= TARGET_P99_MS,
    },
    {
      name: 'convergence des éditeurs et texte SQLite identique',
      target: 'toujours',
      actual: e.errors.length === 0 && v.errors.length === 0 ? 'oui' : [...e.errors, ...v.errors].join('; '),
      met: e.errors.length === 0 && v.errors.length === 0,
      correctness: true,
    },
  ];
  const notes = [
    'Chaque cible tourne dans un processus neuf qui héberge le serveur ; les clients sont dans un processus enfant. ' +
      'server.rssDeltaMiB = RSS de pointe du processus serveur pendant la mesure moins son RSS juste avant le démarrage du serveur ' +
      '(modules déjà chargés) : documents Yjs, connexions, caches SQLite et tas V8 pas encore collecté.',
  ];
  for (const o of [e, v]) {
    if (o.loadGeneratorLoopDelayMs.p99 > 20) {
      notes.push(
        `${o.kind}: la boucle du générateur de charge a pris jusqu’à ${o.loadGeneratorLoopDelayMs.p99} ms (p99) de retard : une partie de la latence mesurée est côté clients.`,
      );
    }
  }
  return {
    name: 'editors',
    date: new Date().toISOString(),
    machine: machine(),
    params: { ...params },
    results: { ...e },
    vanilla: { ...v },
    ratio,
    targets,
    notes,
  };
}
