import { monitorEventLoopDelay } from 'node:perf_hooks';
import * as Y from 'yjs';
import { validateUpdate } from '../server/src/collab/updateValidation.js';
import { envInt } from './lib/env.js';
import { watchPressure, type Disturbance } from './lib/pressure.js';
import { log, machine, type BenchResult, type TargetCheck } from './lib/report.js';
import { replayRun, type ReplayOutcome, type ReplayRunParams } from './lib/runs.js';
import { startBenchServer, type FlushDelay } from './lib/servers.js';
import { typingLoad } from './lib/spawn.js';
import { LOOP_RESOLUTION_MS, lateMs, median, round } from './lib/stats.js';
import { newFicheState, paragraphText } from './lib/template.js';
import { applyPatches, loadTrace, type TraceName } from './lib/trace.js';
import type { TypingLoadParams, TypingLoadResult } from './lib/typingLoad.js';

/** The target (issue 9): with the checks, within 10 % of the same server without them. */
const TARGET_RATIO = 0.9;
const TRACE: TraceName = 'seph-blog1';

/** One update (Yjs v1 encoding) per trace transaction, typed into the first paragraph of `template`. */
function traceUpdates(template: Uint8Array, limit: number): Uint8Array[] {
  const client = new Y.Doc();
  Y.applyUpdate(client, template);
  const text = paragraphText(client);
  const updates: Uint8Array[] = [];
  client.on('update', (update: Uint8Array) => updates.push(update));
  const txns = loadTrace(TRACE).txns;
  for (const txn of limit > 0 ? txns.slice(0, limit) : txns) {
    client.transact(() => applyPatches(text, txn.patches));
  }
  return updates;
}

interface InProcessPass {
  ms: number;
  /** Updates `validateUpdate` refused (each one skipped, as the server would refuse it). */
  refused: number;
  firstRefusal: string | null;
  text: string;
}

/**
 * Applies `updates` in order to a server-side Y.Doc loaded from `template`, as Hocuspocus applies a
 * connection's sync updates, each checked by `validateUpdate` first when `check` is true (what
 * `MessageGuardExtension.beforeHandleMessage` does). Times the whole loop (ms).
 */
function replayInProcess(
  template: Uint8Array,
  updates: readonly Uint8Array[],
  check: boolean,
): InProcessPass {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, template);
  let refused = 0;
  let firstRefusal: string | null = null;
  const started = performance.now();
  if (check) {
    for (const update of updates) {
      const verdict = validateUpdate(doc, update);
      if (verdict.ok) Y.applyUpdate(doc, update);
      else {
        refused++;
        firstRefusal ??= `${verdict.refusal}: ${verdict.detail}`;
      }
    }
  } else {
    for (const update of updates) Y.applyUpdate(doc, update);
  }
  const ms = performance.now() - started;
  return { ms, refused, firstRefusal, text: paragraphText(doc).toString() };
}

type TypingParams = Omit<
  TypingLoadParams,
  'wsUrl' | 'token' | 'hotDocument' | 'coldDocuments' | 'databaseFile'
> & {
  docs: number;
  flushDelay: FlushDelay;
};

interface TypingPair {
  on: TypingLoadResult;
  off: TypingLoadResult;
  /** Event-loop delay of this process, which hosts both servers (ms). */
  serversLoopDelayMs: { p50: number; p99: number; max: number };
  machine: Disturbance;
}

/**
 * The same typing load against two servers at once, in this process: one with the checks, one
 * without ({@link startBenchServer} `updateChecks: false`), each with its own load generator
 * (child process) started together, so whatever else the shared machine does falls on both alike.
 */
async function typingPair(params: TypingParams): Promise<TypingPair> {
  const { docs, flushDelay, ...load } = params;
  const servers = await Promise.all(
    [true, false].map((updateChecks) => startBenchServer('essaim', { flushDelay, updateChecks })),
  );
  try {
    const jobs = await Promise.all(
      servers.map(async (server) => {
        const hotDocument = await server.newDocument('Document très fréquenté');
        const coldDocuments: string[] = [];
        for (let i = 0; i < docs; i++)
          coldDocuments.push(await server.newDocument(`Document calme ${i + 1}`));
        return { server, hotDocument, coldDocuments, token: await server.token() };
      }),
    );
    const pressure = watchPressure();
    const delay = monitorEventLoopDelay({ resolution: LOOP_RESOLUTION_MS });
    delay.enable();
    const [on, off] = await Promise.all(
      jobs.map((job) =>
        typingLoad({
          ...load,
          wsUrl: job.server.wsUrl,
          token: job.token,
          hotDocument: job.hotDocument,
          coldDocuments: job.coldDocuments,
          databaseFile: job.server.databaseFile,
        }),
      ),
    );
    delay.disable();
    if (!on || !off) throw new Error('typing run missing');
    return {
      on,
      off,
      serversLoopDelayMs: {
        p50: lateMs(delay.percentile(50)),
        p99: lateMs(delay.percentile(99)),
        max: lateMs(delay.max),
      },
      machine: pressure.stop(),
    };
  } finally {
    await Promise.all(servers.map((server) => server.stop()));
  }
}

const perEditUs = (r: ReplayOutcome): number => round((r.server.cpuMs * 1000) / r.transactions, 1);

const typingErrors = (r: TypingLoadResult): string[] => [
  ...(r.converged ? [] : ['les éditeurs ne convergent pas vers le même texte']),
  ...(r.storedMatch === false ? ['SQLite diffère du texte des éditeurs'] : []),
];

/**
 * (f) What checking every update (`validateUpdate`, server/src/collab/updateValidation.ts) costs on
 * the keystroke path, each time against the same work without the checks in the same run:
 *
 * - in process: the seph-blog1 trace as one update per transaction applied to a server-side Y.Doc
 *   holding a new fiche, with and without `validateUpdate` before each `Y.applyUpdate` (passes
 *   alternated, median);
 * - end to end, throughput: the same trace replayed against the real server by a writer with two
 *   readers, checks on and off alternated (best run, and server CPU per edit);
 * - end to end, latency: 20 people typing into one fiche (plus other documents typed into lightly)
 *   on two servers at once, one with and one without the checks (median over pairs).
 *
 * The reference server is the real one whose `MessageGuardExtension` is replaced by one whose
 * `validate` accepts everything (bench/lib/servers.ts `disableUpdateChecks`): no option a user
 * could set turns the checks off. In the JSON, `results` is with the checks, `vanilla` the same
 * server without them.
 */
export async function run(): Promise<BenchResult> {
  const limit = envInt('BENCH_CHECKS_TXNS', 0);
  const passes = Math.max(1, envInt('BENCH_CHECKS_PASSES', 5));
  const repeats = Math.max(1, envInt('BENCH_CHECKS_REPEAT', 3));
  const typing: TypingParams = {
    editors: envInt('BENCH_EDITORS', 20),
    docs: envInt('BENCH_DOCS', 10),
    seconds: envInt('BENCH_CHECKS_SECONDS', 10),
    warmupSeconds: 3,
    minCharsPerSecond: 5,
    maxCharsPerSecond: 10,
    coldCharsPerSecond: 0.2,
    deleteRatio: 0.1,
    awareness: true,
    seed: 20_261_129,
    flushDelay: 0,
  };
  const replay: ReplayRunParams = {
    trace: TRACE,
    ...(limit > 0 ? { limit } : {}),
    readers: 2,
    window: 1_000,
    yieldEvery: 100,
    timeoutMs: 120_000,
    flushDelay: 0,
  };

  // In process.
  const template = newFicheState();
  const updates = traceUpdates(template, limit);
  const expected = replayInProcess(template, updates, false).text;
  const traceMatches = limit > 0 || expected === loadTrace(TRACE).endContent;
  log(`updateChecks: ${updates.length} mises à jour (${TRACE}), ${passes} passes de chaque sorte…`);
  replayInProcess(template, updates, true); // warm-up of the checks' code
  const checked: InProcessPass[] = [];
  const unchecked: InProcessPass[] = [];
  for (let i = 0; i < passes; i++) {
    // Alternated, so a slower moment of the shared machine does not fall on one side only.
    if (i % 2 === 0) {
      checked.push(replayInProcess(template, updates, true));
      unchecked.push(replayInProcess(template, updates, false));
    } else {
      unchecked.push(replayInProcess(template, updates, false));
      checked.push(replayInProcess(template, updates, true));
    }
  }
  const checkedMs = median(checked.map((p) => p.ms));
  const uncheckedMs = median(unchecked.map((p) => p.ms));
  const opsPerSecond = (ms: number): number => Math.round((updates.length / ms) * 1000);
  const refused = checked.reduce((n, p) => n + p.refused, 0);
  const inProcessSame = [...checked, ...unchecked].every((p) => p.text === expected);
  log(
    `updateChecks en processus : ${opsPerSecond(checkedMs)} mises à jour/s vérifiées, ` +
      `${opsPerSecond(uncheckedMs)} sans vérification (${refused} refusées)`,
  );

  // End to end, throughput: one server at a time, checks on and off alternated.
  for (const updateChecks of [true, false]) {
    await replayRun('essaim', { ...replay, limit: 3_000, updateChecks });
  }
  const replays: ReplayOutcome[] = [];
  for (let i = 0; i < repeats; i++) {
    for (const updateChecks of i % 2 === 0 ? [true, false] : [false, true]) {
      const r = await replayRun('essaim', { ...replay, updateChecks });
      log(
        `updateChecks rejeu ${updateChecks ? 'avec' : 'sans'} vérification : ${r.editsPerSecond} éditions/s, ` +
          `serveur ${perEditUs(r)} µs CPU/édition, pression CPU ${r.server.machine.cpuSomePercent} %` +
          (r.errors.length ? ` ERREURS: ${r.errors.join('; ')}` : ''),
      );
      replays.push(r);
    }
  }

  // End to end, latency: both servers at once.
  const pairs: TypingPair[] = [];
  for (let i = 0; i < repeats; i++) {
    const pair = await typingPair(typing);
    log(
      `updateChecks frappe simultanée : avec vérification p50 ${pair.on.latencyMs.p50} ms p99 ${pair.on.latencyMs.p99} ms, ` +
        `sans p50 ${pair.off.latencyMs.p50} ms p99 ${pair.off.latencyMs.p99} ms, pression CPU ${pair.machine.cpuSomePercent} %`,
    );
    pairs.push(pair);
  }

  const side = (updateChecks: boolean) => {
    const mine = replays.filter((r) => r.updateChecks === updateChecks);
    const best = [...mine].sort((a, b) => b.editsPerSecond - a.editsPerSecond)[0];
    if (!best) throw new Error('run missing');
    const typed = pairs.map((p) => (updateChecks ? p.on : p.off));
    const ms = updateChecks ? checkedMs : uncheckedMs;
    return {
      inProcess: {
        updates: updates.length,
        medianMs: round(ms, 1),
        allPassesMs: (updateChecks ? checked : unchecked).map((p) => round(p.ms, 1)),
        opsPerSecond: opsPerSecond(ms),
        perUpdateUs: round((ms * 1000) / updates.length, 2),
      },
      replay: {
        editsPerSecond: best.editsPerSecond,
        allRunsEditsPerSecond: mine.map((r) => r.editsPerSecond),
        serverCpuPerEditUs: median(mine.map(perEditUs)),
        allRunsServerCpuPerEditUs: mine.map(perEditUs),
        allRunsCpuPressurePercent: mine.map((r) => r.server.machine.cpuSomePercent),
        best,
      },
      typing: {
        medianP50Ms: round(median(typed.map((t) => t.latencyMs.p50))),
        medianP95Ms: round(median(typed.map((t) => t.latencyMs.p95))),
        medianP99Ms: round(median(typed.map((t) => t.latencyMs.p99))),
        runs: typed,
      },
    };
  };
  const on = side(true);
  const off = side(false);
  // Per pair (same moment), then the median over pairs: the machine's noise cancels within a pair.
  const pairRatio = (key: 'p50' | 'p95' | 'p99'): number =>
    round(median(pairs.map((p) => p.on.latencyMs[key] / p.off.latencyMs[key])));
  const ratio = {
    'inProcess.opsPerSecond': round(on.inProcess.opsPerSecond / off.inProcess.opsPerSecond),
    'replay.editsPerSecond': round(on.replay.editsPerSecond / off.replay.editsPerSecond),
    'replay.serverCpuPerEdit': round(on.replay.serverCpuPerEditUs / off.replay.serverCpuPerEditUs),
    'typing.p50': pairRatio('p50'),
    'typing.p95': pairRatio('p95'),
    'typing.p99': pairRatio('p99'),
  };
  const errors = [
    ...replays.flatMap((r) => r.errors.map((e) => `rejeu ${r.updateChecks ? 'avec' : 'sans'} : ${e}`)),
    ...pairs.flatMap((p) => [
      ...typingErrors(p.on).map((e) => `frappe avec : ${e}`),
      ...typingErrors(p.off).map((e) => `frappe sans : ${e}`),
    ]),
  ];
  const checkUs = round(((checkedMs - uncheckedMs) * 1000) / updates.length, 2);
  const firstRefusal = checked.find((p) => p.firstRefusal)?.firstRefusal;
  const correct = refused === 0 && inProcessSame && traceMatches && errors.length === 0;
  const wrong = [
    refused > 0 ? `${refused} mises à jour refusées (${firstRefusal})` : '',
    inProcessSame && traceMatches ? '' : 'texte final différent',
    ...errors,
  ].filter(Boolean);
  const latencyLimit = round(1 / TARGET_RATIO);
  const targets: TargetCheck[] = [
    {
      name: `rejeu ${TRACE} de bout en bout : débit avec / sans vérification (meilleur de ${repeats})`,
      target: `>= ${TARGET_RATIO}`,
      actual: `${ratio['replay.editsPerSecond']} (${on.replay.editsPerSecond} / ${off.replay.editsPerSecond} éditions/s)`,
      met: ratio['replay.editsPerSecond'] >= TARGET_RATIO,
    },
    {
      name: `${typing.editors} rédacteurs, deux serveurs à la fois : latence p50 et p99 avec / sans vérification (médiane de ${repeats} paires)`,
      target: `<= ${latencyLimit}`,
      actual: `p50 ${ratio['typing.p50']}, p99 ${ratio['typing.p99']} (p99 ${on.typing.medianP99Ms} / ${off.typing.medianP99Ms} ms)`,
      met: ratio['typing.p50'] <= latencyLimit && ratio['typing.p99'] <= latencyLimit,
    },
    {
      name: 'aucune mise à jour d’un vrai éditeur refusée ; mêmes textes partout (clients, SQLite) avec et sans vérification',
      target: 'toujours',
      actual: correct ? 'oui' : `NON : ${wrong.join('; ')}`,
      met: correct,
      correctness: true,
    },
  ];
  return {
    name: 'updateChecks',
    date: new Date().toISOString(),
    machine: machine(),
    params: {
      trace: TRACE,
      limit,
      passes,
      repeats,
      replay,
      typing,
      reference:
        'même serveur, MessageGuardExtension avec validate: () => ({ ok: true, writers: [], deletes: false, freedChars: 0 })',
    },
    results: { ...on, checkCostPerUpdateUs: checkUs },
    vanilla: off,
    ratio,
    targets,
    notes: [
      '« vanilla » désigne ici le même serveur Essaim sans vérification des mises à jour (validate remplacé dans le banc seulement), pas Hocuspocus nu.',
      `En processus : ${updates.length} mises à jour, médiane de ${passes} passes alternées ; vérifier coûte ${checkUs} µs par mise à jour.`,
      'Rejeu : un serveur à la fois dans ce processus, clients dans un processus enfant ; le débit de bout en bout est borné par le plus lent des deux (voir replay). Frappe : les deux serveurs dans ce processus en même temps, un générateur de charge chacun.',
      ...pairs.map(
        (p, i) =>
          `paire ${i + 1} : boucle des serveurs p99 ${p.serversLoopDelayMs.p99} ms (max ${p.serversLoopDelayMs.max} ms), pression CPU ${p.machine.cpuSomePercent} %`,
      ),
    ],
  };
}
