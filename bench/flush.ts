import { envInt } from './lib/env.js';
import { log, machine, type BenchResult, type TargetCheck } from './lib/report.js';
import {
  replayRun,
  typingRun,
  type ReplayOutcome,
  type TypingOutcome,
  type TypingRunParams,
} from './lib/runs.js';
import { withInboundPerTurn } from './hurriedWriter.js';
import type { FlushDelay, Kind } from './lib/servers.js';
import { round } from './lib/stats.js';

/**
 * The settings compared. `0` is the default: Hocuspocus merges each turn's updates, and the
 * transport hands a socket's backlog to it at most `INBOUND_MESSAGES_PER_TURN` messages per turn
 * (issue 16). `0 avant` is the same `0` without that pacing, as before issue 16, for reference.
 */
const SETTINGS: { flushDelay: FlushDelay; label: string; inboundPerTurn?: string }[] = [
  { flushDelay: false, label: 'false' },
  { flushDelay: 0, label: '0 ms' },
  { flushDelay: 0, label: '0 ms avant', inboundPerTurn: '0' },
  { flushDelay: 10, label: '10 ms' },
  { flushDelay: 50, label: '50 ms' },
];

interface SettingResult {
  flushDelay: string;
  replay: {
    editsPerSecond: number;
    allRunsEditsPerSecond: number[];
    /** Broadcast messages each reader received: the coalescing at work. */
    updatesPerReader: number;
    serverCpuPerEditUs: number;
    loopDelayP99Ms: number;
    cpuPressurePercent: number | null;
    ok: boolean;
  };
  typing: {
    latencyMs: TypingOutcome['latencyMs'];
    deliveriesPerSecond: number;
    serverCpuMs: number;
    /** Longest the server's event loop was blocked: a stall shows in p99 for every setting alike. */
    serverLoopDelayMaxMs: number;
    loadGeneratorLoopDelayP99Ms: number;
    cpuPressurePercent: number | null;
    ok: boolean;
  };
}

/**
 * (d) Hocuspocus's `flushDelay` chosen by measurement: the same busy-document loads with
 * broadcasts sent at once (`false`), coalesced per event-loop turn (`0`, the default, with the
 * transport's inbound pacing; `0 avant` without it) or per 10 / 50 ms window.
 * Two loads: a replay (1 writer, 4 readers: throughput) and 20 people typing (latency).
 */
export async function run(): Promise<BenchResult> {
  const replayTxns = envInt('BENCH_FLUSH_TXNS', 10_000);
  const replay = {
    trace: 'friendsforever_flat' as const,
    limit: replayTxns,
    readers: 4,
    window: 1_000,
    yieldEvery: 100,
    timeoutMs: 30_000,
  };
  const typing: Omit<TypingRunParams, 'flushDelay'> = {
    editors: envInt('BENCH_EDITORS', 20),
    docs: 0,
    seconds: envInt('BENCH_FLUSH_SECONDS', 5),
    warmupSeconds: 2,
    minCharsPerSecond: 5,
    maxCharsPerSecond: 10,
    coldCharsPerSecond: 0,
    deleteRatio: 0.1,
    awareness: true,
    seed: 7,
  };
  for (const kind of ['essaim', 'vanilla'] as const) {
    await replayRun(kind, { ...replay, limit: 3_000, flushDelay: false });
  }

  const repeats = Math.max(1, envInt('BENCH_REPEAT', 2));
  const table: Record<Kind, SettingResult[]> = { essaim: [], vanilla: [] };
  for (const { flushDelay, label, inboundPerTurn } of SETTINGS) {
    // Vanilla has no transport of Essaim's: its `0 ms avant` would repeat its `0 ms`.
    const kinds = inboundPerTurn === undefined ? (['essaim', 'vanilla'] as const) : (['essaim'] as const);
    for (const kind of kinds) {
      // The replay is short and noisy on a shared machine: best of `repeats`.
      const replays: ReplayOutcome[] = [];
      const t = await withInboundPerTurn(inboundPerTurn, async () => {
        for (let i = 0; i < repeats; i++) replays.push(await replayRun(kind, { ...replay, flushDelay }));
        return typingRun(kind, { ...typing, flushDelay });
      });
      const r = settingResult(label, replays, t);
      log(
        `flush ${label} ${kind}: rejeu ${r.replay.allRunsEditsPerSecond.join(' / ')} éditions/s ` +
          `(${r.replay.updatesPerReader} messages par lecteur), frappe p50 ${t.latencyMs.p50} ms p99 ${t.latencyMs.p99} ms ` +
          `(boucle du serveur bloquée jusqu’à ${t.server.loopDelayMs.max} ms)`,
      );
      table[kind].push(r);
    }
  }

  const ratio: Record<string, number> = {};
  table.essaim.forEach((e) => {
    const v = table.vanilla.find((x) => x.flushDelay === e.flushDelay);
    if (!v) return;
    ratio[`${e.flushDelay}.replay.editsPerSecond`] = round(e.replay.editsPerSecond / v.replay.editsPerSecond);
    ratio[`${e.flushDelay}.typing.p99`] = round(e.typing.latencyMs.p99 / v.typing.latencyMs.p99);
  });
  const byThroughput = [...table.essaim].sort((a, b) => b.replay.editsPerSecond - a.replay.editsPerSecond);
  const byLatency = [...table.essaim].sort((a, b) => a.typing.latencyMs.p99 - b.typing.latencyMs.p99);
  const allOk = [...table.essaim, ...table.vanilla].every((s) => s.replay.ok && s.typing.ok);
  const targets: TargetCheck[] = [
    {
      name: 'mêmes textes partout (clients, SQLite) pour chaque réglage',
      target: 'toujours',
      actual: allOk ? 'oui' : 'NON',
      met: allOk,
      correctness: true,
    },
  ];
  return {
    name: 'flush',
    date: new Date().toISOString(),
    machine: machine(),
    params: { settings: SETTINGS.map((x) => x.label), replay, typing },
    results: {
      settings: table.essaim,
      bestThroughput: byThroughput[0]?.flushDelay,
      bestTypingP99: byLatency[0]?.flushDelay,
    },
    vanilla: { settings: table.vanilla },
    ratio,
    targets,
    notes: [],
  };
}

function settingResult(label: string, replays: ReplayOutcome[], t: TypingOutcome): SettingResult {
  const r = [...replays].sort((a, b) => b.editsPerSecond - a.editsPerSecond)[0];
  if (!r) throw new Error('no replay');
  return {
    flushDelay: label,
    replay: {
      editsPerSecond: r.editsPerSecond,
      allRunsEditsPerSecond: replays.map((x) => x.editsPerSecond),
      updatesPerReader: r.updatesPerReader,
      serverCpuPerEditUs: round((r.server.cpuMs * 1000) / r.transactions, 1),
      loopDelayP99Ms: r.server.loopDelayMs.p99,
      cpuPressurePercent: r.server.machine.cpuSomePercent,
      ok: replays.every((x) => x.errors.length === 0),
    },
    typing: {
      latencyMs: t.latencyMs,
      deliveriesPerSecond: t.deliveriesPerSecond,
      serverCpuMs: t.server.cpuMs,
      serverLoopDelayMaxMs: t.server.loopDelayMs.max,
      loadGeneratorLoopDelayP99Ms: t.loadGeneratorLoopDelayMs.p99,
      cpuPressurePercent: t.server.machine.cpuSomePercent,
      ok: t.errors.length === 0,
    },
  };
}
