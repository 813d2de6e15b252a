import { envInt } from './lib/env.js';
import { log, machine, type BenchResult, type TargetCheck } from './lib/report.js';
import { replayRun, type ReplayOutcome, type ReplayRunParams } from './lib/runs.js';
import type { FlushDelay, Kind } from './lib/servers.js';
import { median, round } from './lib/stats.js';
import { loadTrace, type TraceName } from './lib/trace.js';

/** One server setting measured: a server kind and its `flushDelay`. */
interface Setting {
  label: string;
  kind: Kind;
  flushDelay: FlushDelay;
  /** `ESSAIM_BENCH_INBOUND_PER_TURN` for this server ('0': no pacing, as before issue 16). */
  inboundPerTurn?: string;
}

const SETTINGS: Setting[] = (process.env.BENCH_HURRY_SETTINGS ?? 'default,vanilla,previous0,off')
  .split(',')
  .map((name): Setting => {
    if (name === 'default') return { label: 'essaim défaut', kind: 'essaim', flushDelay: 0 };
    if (name === 'vanilla') return { label: 'vanilla false', kind: 'vanilla', flushDelay: false };
    if (name === 'previous0')
      return { label: 'essaim 0 avant', kind: 'essaim', flushDelay: 0, inboundPerTurn: '0' };
    if (name === 'off')
      return { label: 'essaim off avant', kind: 'essaim', flushDelay: false, inboundPerTurn: '0' };
    const k = /^k(\d+)$/.exec(name);
    if (k?.[1])
      return { label: `essaim 0, ${k[1]}/tour`, kind: 'essaim', flushDelay: 0, inboundPerTurn: k[1] };
    throw new Error(`réglage inconnu : ${name}`);
  });

/**
 * Runs `work` (which starts an Essaim server in this process) with `ESSAIM_BENCH_INBOUND_PER_TURN`
 * set to `inboundPerTurn` (absent: the default pacing; '0': none, as before issue 16), then puts
 * the environment back. The transport reads it once, when the server starts.
 */
export async function withInboundPerTurn<T>(
  inboundPerTurn: string | undefined,
  work: () => Promise<T>,
): Promise<T> {
  const before = process.env.ESSAIM_BENCH_INBOUND_PER_TURN;
  if (inboundPerTurn === undefined) delete process.env.ESSAIM_BENCH_INBOUND_PER_TURN;
  else process.env.ESSAIM_BENCH_INBOUND_PER_TURN = inboundPerTurn;
  try {
    return await work();
  } finally {
    if (before === undefined) delete process.env.ESSAIM_BENCH_INBOUND_PER_TURN;
    else process.env.ESSAIM_BENCH_INBOUND_PER_TURN = before;
  }
}

const runSetting = (s: Setting, params: Omit<ReplayRunParams, 'flushDelay'>): Promise<ReplayOutcome> =>
  withInboundPerTurn(s.inboundPerTurn, () => replayRun(s.kind, { ...params, flushDelay: s.flushDelay }));

/**
 * A writer in a hurry (issue 16): one Node provider replays seph-blog1 (137,154 transactions, one
 * update each) as fast as it can, with no bound on its unacknowledged updates, yielding to the
 * event loop every 2,000 transactions; two readers wait for the final text. Essaim's default,
 * vanilla Hocuspocus (`flushDelay: false`), and Essaim's two settings before issue 16 (`0` and
 * `off`, no inbound pacing) run in the same process one after the other, in alternating order,
 * `BENCH_HURRY_ROUNDS` rounds (3); medians are compared. Knobs: `BENCH_HURRY_TXNS` (0: the whole
 * trace), `BENCH_HURRY_SETTINGS` (`default,vanilla,previous0,off`; `k<N>`: `0` with N messages per
 * turn).
 */
export async function run(): Promise<BenchResult> {
  const trace: TraceName = 'seph-blog1';
  const rounds = Math.max(1, envInt('BENCH_HURRY_ROUNDS', 3));
  const limit = envInt('BENCH_HURRY_TXNS', 0);
  loadTrace(trace);
  const base = {
    trace,
    readers: 2,
    // No bound: the writer never waits for its acknowledgements (a JSON-safe "infinity": the load
    // generator receives its parameters over IPC).
    window: Number.MAX_SAFE_INTEGER,
    yieldEvery: 2_000,
    timeoutMs: 180_000,
    ...(limit > 0 ? { limit } : {}),
  };
  // Warm-up: the servers run in this process; let V8 compile their code first.
  for (const s of SETTINGS) await runSetting(s, { ...base, limit: 5_000 });

  const runs = new Map<string, ReplayOutcome[]>();
  for (let i = 0; i < rounds; i++) {
    const order = i % 2 === 0 ? SETTINGS : [...SETTINGS].reverse();
    for (const s of order) {
      const o = await runSetting(s, base);
      runs.set(s.label, [...(runs.get(s.label) ?? []), o]);
      log(
        `hurriedWriter ${s.label}: ${o.editsPerSecond} éditions/s, ${o.updatesPerReader} messages par lecteur, ` +
          `serveur ${perEdit(o)} µs CPU/édition, pression CPU ${o.server.machine.cpuSomePercent} %` +
          (o.errors.length ? ` ERREURS: ${o.errors.join('; ')}` : ''),
      );
    }
  }

  const summaries = new Map<string, Summary>();
  for (const [label, list] of runs) summaries.set(label, summarizeRuns(list));
  const results: Record<string, unknown> = {};
  const vanilla: Record<string, unknown> = {};
  for (const s of SETTINGS) (s.kind === 'vanilla' ? vanilla : results)[s.label] = summaries.get(s.label);

  const ratio: Record<string, number> = {};
  const targets: TargetCheck[] = [];
  const mine = summaries.get('essaim défaut');
  const yardstick = summaries.get('vanilla false');
  if (mine && yardstick) {
    ratio['défaut.editsPerSecond'] = round(mine.medianEditsPerSecond / yardstick.medianEditsPerSecond);
    ratio['défaut.serverCpuPerEdit'] = round(
      mine.medianServerCpuPerEditUs / yardstick.medianServerCpuPerEditUs,
    );
    // Round by round: each Essaim run against the vanilla run of the same round.
    const pairs = (runs.get('essaim défaut') ?? []).map((e, i) => {
      const v = runs.get('vanilla false')?.[i];
      return v ? round(e.editsPerSecond / v.editsPerSecond) : Number.NaN;
    });
    targets.push({
      name: 'rédacteur pressé : débit essaim (défaut) / vanilla (flushDelay false), médianes',
      target: '>= 0.85',
      actual: `${ratio['défaut.editsPerSecond']} (par manche : ${pairs.join(' / ')})`,
      met: (ratio['défaut.editsPerSecond'] ?? 0) >= 0.85,
    });
  }
  for (const s of SETTINGS) {
    const other = summaries.get(s.label);
    if (!mine || !other || s.label === 'essaim défaut') continue;
    ratio[`défaut/${s.label}.editsPerSecond`] = round(mine.medianEditsPerSecond / other.medianEditsPerSecond);
  }
  const references = SETTINGS.filter((s) => s.kind === 'essaim' && s.label !== 'essaim défaut');
  const bestReference = references
    .map((s) => ({ label: s.label, eps: summaries.get(s.label)?.medianEditsPerSecond ?? 0 }))
    .sort((a, b) => b.eps - a.eps)[0];
  if (mine && bestReference) {
    targets.push({
      name: `rédacteur pressé : défaut au moins égal au meilleur réglage fixe d’avant (${bestReference.label})`,
      target: '>= 0.95 (bruit de la machine partagée)',
      actual: `${round(mine.medianEditsPerSecond / bestReference.eps)} (${mine.medianEditsPerSecond} contre ${bestReference.eps} éditions/s)`,
      met: mine.medianEditsPerSecond / bestReference.eps >= 0.95,
    });
  }
  const all = [...runs.values()].flat();
  const exact = all.every((o) => o.errors.length === 0);
  targets.push({
    name: 'texte final = endContent sur chaque client et dans SQLite (pendant le service et après arrêt)',
    target: 'toujours',
    actual: exact ? `oui (${all.length} rejeux)` : 'NON',
    met: exact,
    correctness: true,
  });
  const notes = all.flatMap((o) => o.errors.map((e) => `${o.kind} ${String(o.flushDelay)}: ${e}`));
  notes.push(
    'Le serveur tourne dans ce processus, les 3 clients dans un processus enfant. serverCpuPerEditUs est le coût du serveur seul ; le débit de bout en bout est borné par le plus lent des deux processus.',
  );
  return {
    name: 'hurriedWriter',
    date: new Date().toISOString(),
    machine: machine(),
    params: { ...base, window: 'aucune borne', rounds, settings: SETTINGS },
    results,
    vanilla,
    ratio,
    targets,
    notes,
  };
}

interface Summary {
  medianEditsPerSecond: number;
  allRunsEditsPerSecond: number[];
  medianServerCpuPerEditUs: number;
  serverCpuPerEditUs: number[];
  /** Broadcast messages each reader applied: the coalescing at work. */
  updatesPerReader: number[];
  serverLoopDelayMaxMs: number[];
  cpuPressurePercent: (number | null)[];
}

const perEdit = (o: ReplayOutcome): number => round((o.server.cpuMs * 1000) / o.transactions, 1);

function summarizeRuns(list: ReplayOutcome[]): Summary {
  return {
    medianEditsPerSecond: median(list.map((o) => o.editsPerSecond)),
    allRunsEditsPerSecond: list.map((o) => o.editsPerSecond),
    medianServerCpuPerEditUs: round(median(list.map(perEdit)), 1),
    serverCpuPerEditUs: list.map(perEdit),
    updatesPerReader: list.map((o) => o.updatesPerReader),
    serverLoopDelayMaxMs: list.map((o) => o.server.loopDelayMs.max),
    cpuPressurePercent: list.map((o) => o.server.machine.cpuSomePercent),
  };
}
