/**
 * Many documents at once (issue 17): `documents` fiches, `clientsPerDocument` clients each (one
 * writer typing a real editing trace at about 2 updates/s, the others reading), the server alone in
 * one child process and the load generator in another. For each size, the server as users get it
 * (`spread`) and, in the same run, the storage behaviour before issue 17 (`legacy`: every store
 * compacts and indexes in the turn that triggers it, PASSIVE checkpoints only), selected by
 * `ESSAIM_BENCH_LEGACY_STORAGE=1`, a switch only this benchmark sets.
 *
 * Reports writer → reader latency (p50/p95/p99, and the worst second), server CPU per update and
 * per second, the load generator's CPU next to it, RSS, WAL size, time to connect, and memory in
 * the 10 s after the last client leaves. Knobs: BENCH_MANY_DOCS (20,100,200,400),
 * BENCH_MANY_CLIENTS (5), BENCH_MANY_RATE (2 updates/s), BENCH_MANY_SECONDS (60),
 * BENCH_MANY_WARMUP (15), BENCH_MANY_PREFILL (1000 trace transactions), BENCH_MANY_DOC_KB (0: each
 * document filled beforehand to about that many KiB of encoded state, see {@link fillDocuments}),
 * BENCH_MANY_DRAIN_MAX (300: seconds the run waits after the last client left for every document
 * to be unloaded and the background jobs to end), BENCH_MANY_AWARENESS (1),
 * BENCH_MANY_VARIANTS (spread,legacy), BENCH_MANY_REPEAT (1), BENCH_MANY_LIVE_HEAP (0; 1: a full GC
 * with everything loaded, before the clients leave, to measure the live memory per document),
 * BENCH_MANY_SERVER_ENV (settings for both servers, `NAME=value,…`, e.g. `COLLAB_RECHECK_SECONDS=3600`),
 * BENCH_MANY_SERVER_FLAGS (Node flags of the server process, e.g. `--cpu-prof`),
 * BENCH_MANY_LOAD_PROCESSES (2: processes of the load generator, a document's readers never in its
 * writer's process; latencies compare `performance.timeOrigin + performance.now()` across them,
 * see `lib/manyDocumentsLoadSplit.ts`), BENCH_MANY_HEAP_PROFILE (a directory: the server's
 * allocations during the measured window, sampled by V8 with freed objects included, written there
 * as `<variant>-<documents>.heapprofile` and summarised in the result's `server.allocation`).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { FRAGMENT } from '@essaim/protocol';
import * as Y from 'yjs';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { envInt } from './lib/env.js';
import { runManyLoad, type ManyLoadParams, type ManyLoadResult } from './lib/manyDocumentsLoadSplit.js';
import type { QueueStats } from '../server/src/collab/backgroundQueue.js';
import { tailCauses, type TailCauses } from './lib/manyDocumentsTail.js';
import type {
  GcPause,
  GcTally,
  HeapProfileSummary,
  ManyServerParams,
  ManyServerReply,
  ManyServerRequest,
  ServerSample,
} from './lib/manyDocumentsServer.js';
import { waitForQuietMachine, watchPressure, type Disturbance } from './lib/pressure.js';
import { log, machine, type BenchResult, type TargetCheck } from './lib/report.js';
import { readStoredText } from './lib/sqlite.js';
import { login } from '../tests/support/accounts.js';
import { acknowledged, connectClient, waitFor } from './lib/clients.js';
import { requestReply } from './lib/spawn.js';
import { round, type Summary } from './lib/stats.js';
import {
  DURATION_BUCKETS_MS,
  tallyQuantileMs,
  type DurationTally,
} from '../server/src/storage/checkpointer.js';

const serverEntry = fileURLToPath(new URL('./lib/manyDocumentsServer.ts', import.meta.url));

/**
 * `spread`: the server as users get it; `legacy`: the storage before issue 17; `inline`: the users'
 * server with the background jobs' long halves on the event loop instead of the worker thread
 * (`ESSAIM_BENCH_INLINE_JOBS=1`, collab/offload.ts), the same-run reference of the worker;
 * `truncate`: the users' server with the checkpoint rule of 2026-11-29 (TRUNCATE past 32 MiB of
 * WAL file, without the commit gate: `ESSAIM_BENCH_CHECKPOINT=truncate`, storage/checkpointer.ts),
 * the same-run reference of the RESTART rule and the gate; `semi16`: the users' server with Node's
 * default young generation (16 MiB semi-spaces: without the `--max-semi-space-size` of `npm
 * start`, {@link startScriptFlags}), the same-run reference of that flag.
 */
export type Variant = 'spread' | 'legacy' | 'inline' | 'truncate' | 'semi16';

/** The bench-only switch of each reference variant, set in its server process's environment only. */
const VARIANT_ENV: Partial<Record<Variant, Record<string, string>>> = {
  legacy: { ESSAIM_BENCH_LEGACY_STORAGE: '1' },
  inline: { ESSAIM_BENCH_INLINE_JOBS: '1' },
  truncate: { ESSAIM_BENCH_CHECKPOINT: 'truncate' },
};

/**
 * The Node flags `npm start` gives the server: the words between `node` and `server/dist/main.js`
 * in the root package.json's `start` script, so that every variant runs the server as users start
 * it (`--max-semi-space-size=64` since 2026-11-30, issue 17). Throws if the script has another shape.
 */
export function startScriptFlags(): string[] {
  const manifest = JSON.parse(fs.readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    scripts?: { start?: string };
  };
  const match = /\bnode((?:\s+--\S+)*)\s+server\/dist\/main\.js\b/.exec(manifest.scripts?.start ?? '');
  if (!match)
    throw new Error('script « start » de package.json : « node [options] server/dist/main.js » attendu');
  return (match[1] ?? '').trim().split(/\s+/).filter(Boolean);
}

/** Node flags of the server process of `variant` (beyond `BENCH_MANY_SERVER_FLAGS`). */
function variantFlags(variant: Variant): string[] {
  const flags = startScriptFlags();
  return variant === 'semi16' ? flags.filter((flag) => !flag.startsWith('--max-semi-space-size')) : flags;
}

const TARGET_P99_MS = 25;
const TARGET_WAL_MIB = 64;
const MEMORY_WINDOW_MS = 10_000;
/** The last RSS reading after the departure (+20 s), and the longest wait for the drain (s). */
const LATE_WINDOW_MS = 20_000;
const SAMPLE_MS = 250;

/** What one run (one size, one variant) measured. */
export interface ManyRunOutcome {
  variant: Variant;
  documents: number;
  clients: number;
  connectMs: Summary;
  connectAllMs: number;
  latencyMs: Summary;
  /** The measured window's seconds: worst p99, and how many seconds had a p99 over 25 ms. */
  worstSecondP99Ms: number;
  secondsOverTarget: number;
  seconds: number;
  updates: number;
  updatesPerSecond: number;
  server: {
    /** CPU time during the measured window, per update (µs) and as a share of one core. */
    cpuPerUpdateUs: number;
    cpuPercent: number;
    /** The busiest second of the window, share of one core. */
    cpuPercentWorstSecond: number;
    loopDelayWorstMs: number;
    rssBeforeMiB: number;
    heapUsedBeforeMiB: number;
    rssPeakMiB: number;
    heapUsedPeakMiB: number;
    walPeakMiB: number;
    /** When the WAL was largest, in seconds from the start of the measured window (negative: before). */
    walPeakAtS: number;
    walEndMiB: number;
    databaseEndMiB: number;
    /** Group commits of the update log during the whole run (the store's count). */
    commits: ServerSample['commits'];
    /**
     * Wall time of the group commits that acknowledged updates during the measured window (gate
     * included): count, mean, upper bounds of p50 / p99 / p99.9 (bucket bounds of
     * `DURATION_BUCKETS_MS`), longest over the whole run, and how many took over 1, 5, 10 and 25 ms.
     */
    groupCommitMs: {
      count: number;
      meanMs: number;
      p50AtMostMs: number;
      p99AtMostMs: number;
      p999AtMostMs: number;
      longestMs: number;
      over1: number;
      over5: number;
      over10: number;
      over25: number;
    };
    /**
     * Checkpoints that held SQLite's write lock during the measured window, by mode: done, given up
     * (busy), mean and upper bound of p99 (ms), and the longest of the whole run.
     */
    lockedCheckpoints: Record<'restart' | 'truncate', LockedSummary>;
    /**
     * V8's pauses during the measured window: scavenges and mark-compacts (count, mean and longest
     * ms), and seconds of the window holding a pause over 10 ms.
     */
    gc: {
      minor: { count: number; meanMs: number; maxMs: number };
      major: { count: number; meanMs: number; maxMs: number };
      secondsWithPauseOver10ms: number;
      /**
       * Per 1,000 updates of the window (a figure the machine's load does not change much, unlike
       * the pauses' lengths): scavenges, mark-compacts, and their total pause ms.
       */
      perThousandUpdates: { minor: number; major: number; minorMs: number; majorMs: number };
    };
    /**
     * What the server allocated during the window (`BENCH_MANY_HEAP_PROFILE` only, else null):
     * sampled bytes per update and the functions and modules that allocated most.
     */
    allocation: {
      bytesPerUpdate: number;
      top: HeapProfileSummary['top'];
      byModule: HeapProfileSummary['byModule'];
    } | null;
    /** Background queue (spread only): jobs by kind, and the most jobs waiting at a sample. */
    queue: { kinds: QueueStats['kinds']; mostWaiting: number } | null;
  };
  /**
   * The load generator's processes together: CPU as a share of one core (over 100 % when they use
   * more than one), per update, its worst event-loop delay; and each process's share and delay.
   */
  loadGenerator: {
    cpuPercent: number;
    cpuPerUpdateUs: number;
    loopDelayMs: ManyLoadResult['loopDelayMs'];
    processes: { cpuPercent: number; loopDelayMaxMs: number; clients: number }[];
  };
  /** After the last client left: RSS and heap at +1, +5, +10 and +20 s, documents still loaded, and after a full GC. */
  afterLeave: {
    rssAtLeaveMiB: number;
    rssMiB: { s1: number; s5: number; s10: number; s20: number };
    /**
     * Milliseconds from the last client's departure until no document was loaded any more
     * (`unloadedAllMs`) and until the background jobs were over as well (`backgroundIdleMs`: no
     * document loaded, no job waiting in the queue, none in the worker or between its halves, for
     * every later sample); null: not within BENCH_MANY_DRAIN_MAX.
     */
    unloadedAllMs: number | null;
    backgroundIdleMs: number | null;
    /** Mean and largest encoded state of a document after the fill (KiB; null without BENCH_MANY_DOC_KB). */
    filledStateKiB: { mean: number; max: number } | null;
    heapUsedMiB: { atLeave: number; s10: number };
    documentsAt10s: number;
    connectionsAt10s: number;
    /** Milliseconds until every document was unloaded (null: not within 10 s). */
    documentsUnloadedMs: number | null;
    /** Share of the growth (peak − before) given back by +10 s. */
    rssReturnedShare: number;
    afterFullGc: { rssMiB: number; heapUsedMiB: number; heapTotalMiB: number; externalMiB: number };
    /**
     * Heap after a full GC with every document loaded and every client connected, and what it
     * holds per document (with its clients) beyond the heap before the load: the live memory budget.
     */
    loadedHeapAfterGcMiB: number | null;
    liveKiBPerDocument: number | null;
    /** Every second from 1 s before the last client left: RSS, V8 heap (used / total), external, documents. */
    trace: {
      t: number;
      rss: number;
      heapUsed: number;
      heapTotal: number;
      external: number;
      documents: number;
      wal: number;
    }[];
  };
  /**
   * What the deliveries at or above the p99 overlapped: GC pauses of the reader's and the writer's
   * load-generator processes and of the server (a diagnostic; `latencyMs` is unchanged).
   */
  tailCauses: TailCauses;
  /** Mean characters per document when measuring started (the prefill). */
  meanChars: number;
  converged: boolean;
  storedMatch: number;
  storedMismatch: string[];
  machine: Disturbance;
  timelineEvery: number;
  /** Per second of the measured window: latency p99 and server CPU %. */
  timeline: {
    t: number;
    p99: number;
    count: number;
    serverCpuPercent: number;
    /** The server's longest event-loop delay in that second (ms). */
    loopMaxMs: number;
    /** The server's longest garbage-collection pause in that second (ms). */
    gcMaxMs: number;
    walMiB: number;
  }[];
}

/** Checkpoints of one mode (RESTART or TRUNCATE) in the measured window. */
export interface LockedSummary {
  done: number;
  busy: number;
  meanMs: number;
  p99AtMostMs: number;
  longestMs: number;
}

/** `b − a`, bucket by bucket (the window between two samples); the longest is `b`'s. */
function tallyBetween(a: DurationTally, b: DurationTally): DurationTally {
  return {
    count: b.count - a.count,
    totalMs: b.totalMs - a.totalMs,
    longestMs: b.longestMs,
    buckets: b.buckets.map((n, i) => n - (a.buckets[i] ?? 0)),
  };
}

/** How many durations of `tally` are above `ms` (a bound of `DURATION_BUCKETS_MS`). */
function tallyOver(tally: DurationTally, ms: number): number {
  const from = DURATION_BUCKETS_MS.findIndex((b) => b === ms) + 1;
  return tally.buckets.slice(from).reduce((a, b) => a + b, 0);
}

function groupCommitSummary(a: ServerSample, b: ServerSample): ManyRunOutcome['server']['groupCommitMs'] {
  const t = tallyBetween(a.groupCommits, b.groupCommits);
  return {
    count: t.count,
    meanMs: round(t.totalMs / Math.max(1, t.count), 3),
    p50AtMostMs: tallyQuantileMs(t, 0.5),
    p99AtMostMs: tallyQuantileMs(t, 0.99),
    p999AtMostMs: tallyQuantileMs(t, 0.999),
    longestMs: round(t.longestMs, 1),
    over1: tallyOver(t, 1),
    over5: tallyOver(t, 5),
    over10: tallyOver(t, 10),
    over25: tallyOver(t, 25),
  };
}

function lockedSummary(a: ServerSample, b: ServerSample, mode: 'restart' | 'truncate'): LockedSummary {
  const t = tallyBetween(a.lockedCheckpoints[mode], b.lockedCheckpoints[mode]);
  return {
    done: t.count,
    busy: b.lockedCheckpoints[mode].busy - a.lockedCheckpoints[mode].busy,
    meanMs: round(t.totalMs / Math.max(1, t.count), 2),
    p99AtMostMs: tallyQuantileMs(t, 0.99),
    longestMs: round(t.longestMs, 1),
  };
}

/** A child process with one request in flight at a time. */
function child(
  entry: string,
  execArgv: string[],
  env: NodeJS.ProcessEnv,
): {
  process: ChildProcess;
  request(message: ManyServerRequest, timeoutMs: number): Promise<ManyServerReply>;
} {
  const proc = fork(entry, [], { execArgv, env, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return {
    process: proc,
    request: (message, timeoutMs) => requestReply<ManyServerReply>(proc, message, timeoutMs, 'serveur'),
  };
}

/** Extra server settings from `BENCH_MANY_SERVER_ENV` (`NAME=value,NAME=value`), for both variants. */
function serverEnv(): Record<string, string> {
  const entries = (process.env.BENCH_MANY_SERVER_ENV ?? '')
    .split(',')
    .map((pair) => pair.trim())
    .filter((pair) => pair.includes('='))
    .map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)] as const);
  return Object.fromEntries(entries);
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

/** The first sample at or after `at` (the last one if none). */
function sampleAt(samples: ServerSample[], at: number): ServerSample {
  return samples.find((s) => s.at >= at) ?? (samples[samples.length - 1] as ServerSample);
}

/** One size, one variant: a fresh server process and a fresh load generator. */
export async function manyRun(
  variant: Variant,
  documents: number,
  load: Omit<ManyLoadParams, 'wsUrl' | 'token' | 'documents'>,
  liveHeap = false,
): Promise<ManyRunOutcome> {
  // The reference's switch is read from the server process's own environment (storage/benchLegacy.ts).
  const {
    ESSAIM_BENCH_LEGACY_STORAGE: _ignored,
    ESSAIM_BENCH_INLINE_JOBS: _inline,
    ESSAIM_BENCH_CHECKPOINT: _checkpoint,
    ...inherited
  } = process.env;
  const server = child(
    serverEntry,
    [
      ...process.execArgv,
      '--expose-gc',
      ...(process.env.BENCH_MANY_SERVER_FLAGS ?? '').split(' ').filter(Boolean),
      ...variantFlags(variant),
    ],
    { ...inherited, ...VARIANT_ENV[variant] },
  );
  const pressure = watchPressure();
  try {
    const params: ManyServerParams = {
      documents,
      sampleMs: SAMPLE_MS,
      env: {
        // Every client of the benchmark comes from 127.0.0.1; in production they come from many addresses.
        COLLAB_MAX_UNAUTHENTICATED_PER_ADDRESS: '100000',
        // One account plays every writer and reader (2,000 sockets at 400 × 5).
        COLLAB_MAX_SOCKETS_PER_ACCOUNT: '0',
        ...serverEnv(),
      },
    };
    const docKiB = envInt('BENCH_MANY_DOC_KB', 0);
    if (docKiB > 0 && !('WRITER_STRUCTS_PER_SECOND' in params.env)) {
      // One account fills every document: its budget of structs per second (writerPacing.ts)
      // would make the fill last minutes. The writers' 2 updates/s never reach it.
      params.env.WRITER_STRUCTS_PER_SECOND = '0';
    }
    const ready = await server.request({ type: 'start', params }, 300_000);
    if (ready.type !== 'ready') throw new Error(`réponse inattendue : ${ready.type}`);
    let filled: { mean: number; max: number } | null = null;
    let token = ready.token;
    if (docKiB > 0) {
      // The fill and its drain outlast a collab token (5 min): the admin's session gives new ones.
      const admin = await login(ready.url, 'admin@hcts.example');
      filled = await fillDocuments(ready.wsUrl, () => admin.collabToken(), ready.documentNames, docKiB);
      // The fill's departures are compacted and indexed before the load begins.
      await drained(server.request, Date.now(), envInt('BENCH_MANY_DRAIN_MAX', 300) * 1000);
      log(`manyDocuments : documents remplis à ${filled.mean} Kio en moyenne (max ${filled.max})`);
      token = await admin.collabToken();
    }
    let loaded: ServerSample | undefined;
    const profileDir = process.env.BENCH_MANY_HEAP_PROFILE;
    const profileFile = profileDir
      ? path.resolve(profileDir, `${variant}-${documents}.heapprofile`)
      : undefined;
    if (profileFile) fs.mkdirSync(path.dirname(profileFile), { recursive: true });
    const result = await runManyLoad(
      { ...load, wsUrl: ready.wsUrl, token, documents: ready.documentNames },
      (load.warmupSeconds + load.seconds) * 1000 + 600_000,
      async () => {
        // A collection here would change what V8 does after the departure: only on demand.
        if (!liveHeap) return;
        // What stays reachable with every document loaded and every client connected.
        const reply = await server.request({ type: 'gc' }, 60_000);
        if (reply.type === 'gc') loaded = reply.sample;
        await sleep(3000);
      },
      async (start, end) => {
        await server.request({ type: 'window', start, end, heapProfile: profileFile }, 30_000);
      },
    );
    await sleep(result.leftAt + LATE_WINDOW_MS + 2 * SAMPLE_MS - Date.now());
    // Then until every document is unloaded and the background jobs are over (or the limit).
    await drained(server.request, result.leftAt, envInt('BENCH_MANY_DRAIN_MAX', 300) * 1000);
    const timeline = await server.request({ type: 'timeline' }, 30_000);
    if (timeline.type !== 'timeline') throw new Error('pas de chronologie');
    const gc = await server.request({ type: 'gc' }, 30_000);
    if (gc.type !== 'gc') throw new Error('pas de mesure après GC');
    await server.request({ type: 'stop' }, 120_000);
    const disturbance = pressure.stop();

    let storedMatch = 0;
    const storedMismatch: string[] = [];
    for (const name of ready.documentNames) {
      const stored = readStoredText(ready.databaseFile, name);
      if (stored.text === result.texts[name] && !stored.missingUpdates) storedMatch++;
      else if (storedMismatch.length < 10) storedMismatch.push(name);
    }
    fs.rmSync(ready.dataDir, { recursive: true, force: true });
    const profileSummary = profileFile?.replace(/\.heapprofile$/, '.json');
    const allocation =
      profileSummary && fs.existsSync(profileSummary)
        ? (JSON.parse(fs.readFileSync(profileSummary, 'utf8')) as HeapProfileSummary)
        : null;
    return summarise(
      variant,
      documents,
      load.clientsPerDocument,
      result,
      timeline.samples,
      gc.sample,
      loaded,
      {
        storedMatch,
        storedMismatch,
        disturbance,
        gcPauses: timeline.gcPauses,
        allocation,
        filled,
      },
    );
  } finally {
    if (server.process.exitCode === null) server.process.kill('SIGKILL');
  }
}

/** Whether the server held no document and no background job at this sample. */
const idle = (s: ServerSample): boolean =>
  s.documents === 0 && (s.queue?.waiting ?? 0) === 0 && (s.queue?.inFlight ?? 0) === 0;

/**
 * When the server went idle for good after `from` (epoch ms): the first sample after the last
 * sample that was not {@link idle}; null if the last sample is not idle (still draining).
 */
function idleSince(samples: ServerSample[], from: number): number | null {
  const after = samples.filter((s) => s.at >= from);
  const last = after[after.length - 1];
  if (!last || !idle(last)) return null;
  let i = after.length - 1;
  while (i > 0 && idle(after[i - 1] as ServerSample)) i--;
  return (after[i] as ServerSample).at;
}

/**
 * Polls the server's samples every second until it is idle ({@link idleSince}) since `from`, or
 * `maxMs` after `from`. Never throws for a server still draining: the report says so (null).
 */
async function drained(
  request: (message: ManyServerRequest, timeoutMs: number) => Promise<ManyServerReply>,
  from: number,
  maxMs: number,
): Promise<void> {
  while (Date.now() < from + maxMs) {
    const reply = await request({ type: 'timeline' }, 30_000);
    if (reply.type === 'timeline' && idleSince(reply.samples, from) !== null) return;
    await sleep(1000);
  }
}

/**
 * Fills each document to about `kib` KiB of encoded state before the load (`BENCH_MANY_DOC_KB`),
 * through a client of its own, 8 documents at a time: a paragraph appended to the last section,
 * words typed each before the previous one (so that each stays an item of its own, as text typed
 * over months does) with a character deleted every fifth word (a deletion inside a word splits
 * it). The first document is filled in transactions of 2,000 words until its encoded state
 * reaches `kib`; the others get as many words in one transaction. Resolves with the mean and
 * largest state reached (KiB). The documents are unloaded (and compacted) when their filler
 * leaves: the load then opens stored documents of that size, as people do.
 */
async function fillDocuments(
  wsUrl: string,
  token: () => Promise<string>,
  names: readonly string[],
  kib: number,
): Promise<{ mean: number; max: number }> {
  const sizes: number[] = [];
  const fill = async (name: string, wordsWanted: number | null): Promise<number> => {
    const client = connectClient(wsUrl, name, { token });
    try {
      await waitFor(() => client.provider.isSynced, 120_000, `remplissage de ${name}`);
      const { ydoc } = client;
      const sections = ydoc
        .getXmlFragment(FRAGMENT)
        .toArray()
        .filter((n): n is Y.XmlElement => n instanceof Y.XmlElement && n.nodeName === 'section');
      const section = sections[sections.length - 1];
      if (!section) throw new Error(`pas de section dans ${name}`);
      const paragraph = new Y.XmlElement('paragraph');
      const text = new Y.XmlText();
      paragraph.insert(0, [text]);
      section.insert(section.length, [paragraph]);
      let words = 0;
      let size = Y.encodeStateAsUpdate(ydoc).byteLength;
      while (wordsWanted === null ? size < kib * 1024 : words < wordsWanted) {
        const batch = wordsWanted === null ? 2000 : wordsWanted;
        ydoc.transact(() => {
          for (let k = 0; k < batch; k++, words++) {
            text.insert(0, `mot${words % 997} `);
            if (words % 5 === 4 && text.length > 8) text.delete(2, 1);
          }
        });
        size = Y.encodeStateAsUpdate(ydoc).byteLength;
        await acknowledged(client);
      }
      sizes.push(size / 1024);
      return words;
    } finally {
      client.destroy();
    }
  };
  const words = await fill(names[0] as string, null);
  let next = 1;
  const filler = async (): Promise<void> => {
    while (next < names.length) await fill(names[next++] as string, words);
  };
  await Promise.all(Array.from({ length: 8 }, filler));
  return {
    mean: round(sizes.reduce((a, b) => a + b, 0) / Math.max(1, sizes.length), 0),
    max: round(Math.max(0, ...sizes), 0),
  };
}

/** GC pauses of one kind between two samples (`longest`: per-sample maxima, when known). */
function gcInWindow(
  from: GcTally,
  to: GcTally,
  longest: number[],
): { count: number; meanMs: number; maxMs: number } {
  const count = to.count - from.count;
  return {
    count,
    meanMs: count > 0 ? round((to.totalMs - from.totalMs) / count, 1) : 0,
    // The cumulative maximum is exact when it grew during the window.
    maxMs: round(to.maxMs > from.maxMs ? to.maxMs : Math.max(0, ...longest), 1),
  };
}

function summarise(
  variant: Variant,
  documents: number,
  clientsPerDocument: number,
  r: ManyLoadResult,
  samples: ServerSample[],
  afterGc: ServerSample,
  loaded: ServerSample | undefined,
  extra: {
    storedMatch: number;
    storedMismatch: string[];
    disturbance: Disturbance;
    gcPauses: GcPause[];
    allocation: HeapProfileSummary | null;
    filled: { mean: number; max: number } | null;
  },
): ManyRunOutcome {
  const before = samples[0] as ServerSample;
  const start = sampleAt(samples, r.measureStart);
  const end = sampleAt(samples, r.measureEnd);
  const windowSeconds = Math.max(0.001, (end.at - start.at) / 1000);
  const serverCpu = end.cpuMs - start.cpuMs;
  const during = samples.filter((s) => s.at <= r.leftAt);
  const inWindow = samples.filter((s) => s.at >= start.at && s.at <= end.at);
  const perThousand = (n: number): number => round((n * 1000) / Math.max(1, r.updates), 2);
  // Per second of the window: server CPU from the samples, latency from the load generator.
  const timeline: ManyRunOutcome['timeline'] = [];
  for (let t = Math.floor(start.at / 1000) * 1000; t < end.at; t += 1000) {
    const a = sampleAt(samples, t);
    const b = sampleAt(samples, t + 1000);
    const second = r.perSecond.find((s) => s.at === t);
    timeline.push({
      t: round((t - r.measureStart) / 1000, 0),
      p99: second?.p99 ?? 0,
      count: second?.count ?? 0,
      serverCpuPercent: b.at > a.at ? round(((b.cpuMs - a.cpuMs) / (b.at - a.at)) * 100, 0) : 0,
      loopMaxMs: Math.max(0, ...samples.filter((s) => s.at > t && s.at <= t + 1000).map((s) => s.loopMaxMs)),
      gcMaxMs: Math.max(
        0,
        ...samples.filter((s) => s.at > t && s.at <= t + 1000).map((s) => s.gc.maxMsSinceLast),
      ),
      walMiB: b.walMiB,
    });
  }
  const atLeave = sampleAt(samples, r.leftAt);
  const last = samples[samples.length - 1] as ServerSample;
  const after = (ms: number): ServerSample => sampleAt(samples, r.leftAt + ms);
  const unloaded = samples.find((s) => s.at >= r.leftAt && s.documents === 0);
  const peak = Math.max(...during.map((s) => s.rssMiB));
  const s10 = after(MEMORY_WINDOW_MS);
  const inMeasure = r.perSecond.filter((s) => s.at >= r.measureStart - 1000 && s.at <= r.measureEnd);
  return {
    variant,
    documents,
    clients: documents * clientsPerDocument,
    connectMs: r.connectMs,
    connectAllMs: r.connectAllMs,
    latencyMs: r.latencyMs,
    worstSecondP99Ms: Math.max(0, ...inMeasure.map((s) => s.p99)),
    secondsOverTarget: inMeasure.filter((s) => s.p99 > TARGET_P99_MS).length,
    seconds: inMeasure.length,
    updates: r.updates,
    updatesPerSecond: r.updatesPerSecond,
    server: {
      cpuPerUpdateUs: r.updates > 0 ? round((serverCpu * 1000) / r.updates, 1) : 0,
      cpuPercent: round((serverCpu / 1000 / windowSeconds) * 100, 1),
      cpuPercentWorstSecond: Math.max(0, ...timeline.map((s) => s.serverCpuPercent)),
      loopDelayWorstMs: Math.max(0, ...inWindow.map((s) => s.loopMaxMs)),
      rssBeforeMiB: before.rssMiB,
      heapUsedBeforeMiB: before.heapUsedMiB,
      rssPeakMiB: peak,
      heapUsedPeakMiB: Math.max(...during.map((s) => s.heapUsedMiB)),
      walPeakMiB: Math.max(...samples.map((s) => s.walMiB)),
      walPeakAtS: round(
        (samples.reduce((a, b) => (b.walMiB > a.walMiB ? b : a), before).at - r.measureStart) / 1000,
        1,
      ),
      walEndMiB: (samples[samples.length - 1] as ServerSample).walMiB,
      databaseEndMiB: (samples[samples.length - 1] as ServerSample).databaseMiB,
      commits: { ...last.commits, longestMs: round(last.commits.longestMs, 1) },
      groupCommitMs: groupCommitSummary(start, end),
      lockedCheckpoints: {
        restart: lockedSummary(start, end, 'restart'),
        truncate: lockedSummary(start, end, 'truncate'),
      },
      gc: {
        minor: gcInWindow(
          start.gc.minor,
          end.gc.minor,
          inWindow.map((s) => s.gc.maxMsSinceLast),
        ),
        major: gcInWindow(start.gc.major, end.gc.major, []),
        secondsWithPauseOver10ms: timeline.filter((s) => s.gcMaxMs > 10).length,
        perThousandUpdates: {
          minor: perThousand(end.gc.minor.count - start.gc.minor.count),
          major: perThousand(end.gc.major.count - start.gc.major.count),
          minorMs: perThousand(end.gc.minor.totalMs - start.gc.minor.totalMs),
          majorMs: perThousand(end.gc.major.totalMs - start.gc.major.totalMs),
        },
      },
      allocation: extra.allocation
        ? {
            bytesPerUpdate: Math.round(extra.allocation.totalBytes / Math.max(1, r.updates)),
            top: extra.allocation.top,
            byModule: extra.allocation.byModule,
          }
        : null,
      queue: last.queue
        ? { kinds: last.queue.kinds, mostWaiting: Math.max(...samples.map((s) => s.queue?.waiting ?? 0)) }
        : null,
    },
    loadGenerator: {
      cpuPercent: round((r.cpuMs / 1000 / windowSeconds) * 100, 1),
      cpuPerUpdateUs: r.updates > 0 ? round((r.cpuMs * 1000) / r.updates, 1) : 0,
      loopDelayMs: r.loopDelayMs,
      processes: r.processes.map((proc) => ({
        cpuPercent: round((proc.cpuMs / 1000 / windowSeconds) * 100, 1),
        loopDelayMaxMs: proc.loopDelayMs.max,
        clients: proc.clients,
      })),
    },
    afterLeave: {
      rssAtLeaveMiB: atLeave.rssMiB,
      rssMiB: {
        s1: after(1000).rssMiB,
        s5: after(5000).rssMiB,
        s10: s10.rssMiB,
        s20: after(LATE_WINDOW_MS).rssMiB,
      },
      unloadedAllMs: unloaded ? Math.round(unloaded.at - r.leftAt) : null,
      backgroundIdleMs: ((at) => (at === null ? null : Math.round(at - r.leftAt)))(
        idleSince(samples, r.leftAt),
      ),
      filledStateKiB: extra.filled,
      heapUsedMiB: { atLeave: atLeave.heapUsedMiB, s10: s10.heapUsedMiB },
      documentsAt10s: s10.documents,
      connectionsAt10s: s10.connections,
      documentsUnloadedMs:
        unloaded && unloaded.at <= r.leftAt + MEMORY_WINDOW_MS ? unloaded.at - r.leftAt : null,
      rssReturnedShare: peak > before.rssMiB ? round((peak - s10.rssMiB) / (peak - before.rssMiB), 2) : 1,
      loadedHeapAfterGcMiB: loaded?.heapUsedMiB ?? null,
      liveKiBPerDocument: loaded
        ? round(((loaded.heapUsedMiB - afterGc.heapUsedMiB) * 1024) / documents, 0)
        : null,
      afterFullGc: {
        rssMiB: afterGc.rssMiB,
        heapUsedMiB: afterGc.heapUsedMiB,
        heapTotalMiB: afterGc.heapTotalMiB,
        externalMiB: afterGc.externalMiB,
      },
      trace: samples
        .filter((s, i) => s.at >= r.leftAt - 1000 && i % Math.round(1000 / SAMPLE_MS) === 0)
        .map((s) => ({
          t: round((s.at - r.leftAt) / 1000, 1),
          rss: s.rssMiB,
          heapUsed: s.heapUsedMiB,
          heapTotal: s.heapTotalMiB,
          external: s.externalMiB,
          documents: s.documents,
          wal: s.walMiB,
        })),
    },
    tailCauses: tailCauses(
      r.deliveryTimes,
      r.gcPauses,
      extra.gcPauses.map(([at, ms]): [number, number] => [at, ms]).sort((a, b) => a[0] - b[0]),
    ),
    meanChars: r.meanCharsAtStart,
    converged: r.converged,
    storedMatch: extra.storedMatch,
    storedMismatch: extra.storedMismatch,
    machine: extra.disturbance,
    timelineEvery: 1000,
    timeline,
  };
}

const listFromEnv = (name: string, fallback: string): string[] =>
  (process.env[name] ?? fallback)
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);

const queueLine = (o: ManyRunOutcome): string =>
  o.server.queue
    ? Object.entries(o.server.queue.kinds)
        .map(
          ([k, v]) =>
            `${k} ${v.jobs} × ${round(v.totalMs / Math.max(1, v.jobs), 1)} ms (max ${round(v.longestMs, 1)}` +
            `${v.over10ms === undefined ? '' : `, > 10 ms ${v.over10ms}`})`,
        )
        .join(', ') + `, ${o.server.queue.mostWaiting} en attente au plus`
    : 'aucune';

const lockedLine = (mode: string, l: LockedSummary): string =>
  `${l.done} ${mode} (${l.busy} abandonnés, moyenne ${l.meanMs} ms, p99 ≤ ${l.p99AtMostMs} ms, max ${l.longestMs} ms)`;

const line = (o: ManyRunOutcome): string =>
  `${o.variant} ${o.documents} docs × ${o.clients / o.documents} : p50/p95/p99 ${o.latencyMs.p50}/${o.latencyMs.p95}/${o.latencyMs.p99} ms ` +
  `(pire seconde ${o.worstSecondP99Ms} ms, ${o.secondsOverTarget}/${o.seconds} s > ${TARGET_P99_MS} ms), ` +
  `CPU serveur ${o.server.cpuPerUpdateUs} µs/màj ${o.server.cpuPercent} % (pire seconde ${o.server.cpuPercentWorstSecond} %), ` +
  `générateur ${o.loadGenerator.cpuPercent} % (${o.loadGenerator.processes.map((p) => `${p.cpuPercent} %, boucle max ${p.loopDelayMaxMs} ms`).join(' ; ')}), file ${queueLine(o)}, RSS ${o.server.rssBeforeMiB}→${o.server.rssPeakMiB} Mio, ` +
  `après départ ${o.afterLeave.rssAtLeaveMiB}/${o.afterLeave.rssMiB.s1}/${o.afterLeave.rssMiB.s5}/${o.afterLeave.rssMiB.s10}/${o.afterLeave.rssMiB.s20} Mio ` +
  `(à +0/1/5/10/20 s ; documents déchargés en ${o.afterLeave.unloadedAllMs ?? '—'} ms, tâches de fond finies en ${o.afterLeave.backgroundIdleMs ?? '—'} ms` +
  `${o.afterLeave.filledStateKiB ? `, états de ${o.afterLeave.filledStateKiB.mean} Kio en moyenne, ${o.afterLeave.filledStateKiB.max} au plus` : ''}) ` +
  `(GC ${o.afterLeave.afterFullGc.rssMiB}), WAL max ${o.server.walPeakMiB} Mio à ${o.server.walPeakAtS} s ` +
  `(fenêtre : ${lockedLine('RESTART', o.server.lockedCheckpoints.restart)}, ${lockedLine('TRUNCATE', o.server.lockedCheckpoints.truncate)} ; ` +
  `commits groupés ${o.server.groupCommitMs.count}, moyenne ${o.server.groupCommitMs.meanMs} ms, p50/p99/p99,9 ≤ ${o.server.groupCommitMs.p50AtMostMs}/${o.server.groupCommitMs.p99AtMostMs}/${o.server.groupCommitMs.p999AtMostMs} ms, ` +
  `> 1/5/10/25 ms ${o.server.groupCommitMs.over1}/${o.server.groupCommitMs.over5}/${o.server.groupCommitMs.over10}/${o.server.groupCommitMs.over25}, max (toute la passe) ${o.server.groupCommitMs.longestMs} ms), connexion ${o.connectAllMs} ms, ` +
  `GC mineurs ${o.server.gc.minor.count} × ${o.server.gc.minor.meanMs} ms (max ${o.server.gc.minor.maxMs}), majeurs ${o.server.gc.major.count} (max ${o.server.gc.major.maxMs}), ` +
  `${o.server.gc.secondsWithPauseOver10ms} s avec une pause > 10 ms, pour 1 000 màj ${o.server.gc.perThousandUpdates.minor} mineurs (${o.server.gc.perThousandUpdates.minorMs} ms) et ${o.server.gc.perThousandUpdates.major} majeurs (${o.server.gc.perThousandUpdates.majorMs} ms), ` +
  `${o.server.allocation ? `${o.server.allocation.bytesPerUpdate} octets alloués par màj, ` : ''}` +
  `queue ≥ p99 (${o.tailCauses.tail}) : GC lecteur ${o.tailCauses.withReaderGc}, rédacteur ${o.tailCauses.withWriterGc}, serveur ${o.tailCauses.withServerGc}, aucun ${o.tailCauses.withNoGc} ; p99 sans les GC du générateur ${o.tailCauses.p99WithoutGeneratorGcMs} ms, ` +
  `boucle serveur max ${o.server.loopDelayWorstMs} ms, ` +
  `SQLite ${o.storedMatch}/${o.documents}, pression CPU ${o.machine.cpuSomePercent} %`;

export async function run(): Promise<BenchResult> {
  const sizes = listFromEnv('BENCH_MANY_DOCS', '20,100,200,400').map(Number);
  const variants = listFromEnv('BENCH_MANY_VARIANTS', 'spread,legacy') as Variant[];
  for (const v of variants)
    if (!['spread', 'legacy', 'inline', 'truncate', 'semi16'].includes(v))
      throw new Error(`variante inconnue : ${v}`);
  const repeat = Math.max(1, envInt('BENCH_MANY_REPEAT', 1));
  const load = {
    clientsPerDocument: envInt('BENCH_MANY_CLIENTS', 5),
    updatesPerSecond: envInt('BENCH_MANY_RATE', 2),
    prefillTxns: envInt('BENCH_MANY_PREFILL', 1000),
    warmupSeconds: envInt('BENCH_MANY_WARMUP', 15),
    seconds: envInt('BENCH_MANY_SECONDS', 60),
    awareness: envInt('BENCH_MANY_AWARENESS', 1) === 1,
    connectConcurrency: 50,
    seed: 17,
    processes: envInt('BENCH_MANY_LOAD_PROCESSES', 2),
  };
  const outcomes: ManyRunOutcome[] = [];
  /** Runs that did not finish (a saturated machine: acknowledgements or connections timed out). */
  const failed: { variant: Variant; documents: number; pressure: number | null; error: string }[] = [];
  for (const documents of sizes) {
    for (let r = 0; r < repeat; r++) {
      // Alternate the order so neither variant always meets the machine first.
      const order = r % 2 === 0 ? variants : [...variants].reverse();
      for (const variant of order) {
        // Shared machine: give other people's builds a moment before each run, as run.ts does.
        const quiet = await waitForQuietMachine(envInt('BENCH_QUIET_WAIT', 30));
        log(
          `manyDocuments : ${variant}, ${documents} documents (passe ${r + 1}/${repeat}, pression CPU ${quiet ?? '?'} %)…`,
        );
        try {
          const outcome = await manyRun(variant, documents, load, envInt('BENCH_MANY_LIVE_HEAP', 0) === 1);
          log(line(outcome));
          outcomes.push(outcome);
        } catch (error) {
          // One run failing (a saturated machine) does not lose the others: it is reported below.
          const message = error instanceof Error ? error.message : String(error);
          log(`manyDocuments : ${variant}, ${documents} documents n’a pas abouti : ${message}`);
          failed.push({ variant, documents, pressure: quiet, error: message });
        }
      }
    }
  }
  const largest = Math.max(...sizes);
  const of = (variant: Variant, documents: number): ManyRunOutcome[] =>
    outcomes.filter((o) => o.variant === variant && o.documents === documents);
  const spreadLargest = of('spread', largest);
  const worst = <T>(list: ManyRunOutcome[], f: (o: ManyRunOutcome) => T): T[] => list.map(f);
  const targets: TargetCheck[] = [];
  if (spreadLargest.length > 0) {
    const p99s = worst(spreadLargest, (o) => o.latencyMs.p99);
    const wals = worst(spreadLargest, (o) => o.server.walPeakMiB);
    const docs10 = worst(spreadLargest, (o) => o.afterLeave.documentsAt10s);
    const returned = worst(spreadLargest, (o) => o.afterLeave.rssReturnedShare);
    targets.push(
      {
        name: `latence rédacteur → lecteur p99 à ${largest} documents × ${load.clientsPerDocument}`,
        target: `<= ${TARGET_P99_MS} ms`,
        actual: `${p99s.join(' / ')} ms`,
        met: p99s.every((v) => v <= TARGET_P99_MS),
      },
      {
        name: `WAL au plus haut à ${largest} documents`,
        target: `<= ${TARGET_WAL_MIB} Mio`,
        actual: `${wals.join(' / ')} Mio`,
        met: wals.every((v) => v <= TARGET_WAL_MIB),
      },
      {
        name: 'mémoire rendue 10 s après le départ du dernier client (documents déchargés ; part de la croissance RSS rendue)',
        target: '0 document ; >= 0,75',
        actual: `${docs10.join(' / ')} document(s) ; ${returned.join(' / ')}`,
        met: docs10.every((v) => v === 0) && returned.every((v) => v >= 0.75),
      },
    );
  }
  const wrong = outcomes.filter((o) => !o.converged || o.storedMatch !== o.documents);
  targets.push({
    name: 'lecteurs identiques au rédacteur et texte SQLite identique, chaque document',
    target: 'toujours',
    actual:
      wrong.length === 0
        ? 'oui'
        : wrong.map((o) => `${o.variant}/${o.documents} : ${o.storedMatch}/${o.documents}`).join('; '),
    met: wrong.length === 0,
    correctness: true,
  });
  if (failed.length > 0)
    targets.push({
      name: 'toutes les mesures ont abouti',
      target: 'toutes',
      actual: failed.map((f) => `${f.variant}/${f.documents} : ${f.error}`).join('; '),
      met: false,
    });
  const ratio: Record<string, number> = {};
  for (const documents of sizes) {
    const s = of('spread', documents)[0];
    const l = of('legacy', documents)[0];
    if (!s || !l) continue;
    ratio[`p99.${documents}`] = round(s.latencyMs.p99 / l.latencyMs.p99);
    ratio[`cpuPerUpdate.${documents}`] = round(s.server.cpuPerUpdateUs / l.server.cpuPerUpdateUs);
    ratio[`walPeak.${documents}`] = round(s.server.walPeakMiB / Math.max(0.1, l.server.walPeakMiB));
  }
  for (const documents of sizes) {
    const s = of('spread', documents)[0];
    const i = of('inline', documents)[0];
    if (!s || !i) continue;
    ratio[`p99.worker/inline.${documents}`] = round(s.latencyMs.p99 / i.latencyMs.p99);
    ratio[`cpuPerUpdate.worker/inline.${documents}`] = round(
      s.server.cpuPerUpdateUs / i.server.cpuPerUpdateUs,
    );
  }
  for (const documents of sizes) {
    const s = of('spread', documents)[0];
    const t = of('truncate', documents)[0];
    if (!s || !t) continue;
    ratio[`p99.restart/truncate.${documents}`] = round(s.latencyMs.p99 / t.latencyMs.p99);
    ratio[`groupCommitOver5ms.restart/truncate.${documents}`] = round(
      s.server.groupCommitMs.over5 / Math.max(1, t.server.groupCommitMs.over5),
    );
  }
  for (const documents of sizes) {
    const s = of('spread', documents)[0];
    const y = of('semi16', documents)[0];
    if (!s || !y) continue;
    ratio[`p99.spread/semi16.${documents}`] = round(s.latencyMs.p99 / y.latencyMs.p99);
    ratio[`scavengesPer1000.spread/semi16.${documents}`] = round(
      s.server.gc.perThousandUpdates.minor / Math.max(0.01, y.server.gc.perThousandUpdates.minor),
    );
    ratio[`scavengeMsPer1000.spread/semi16.${documents}`] = round(
      s.server.gc.perThousandUpdates.minorMs / Math.max(0.01, y.server.gc.perThousandUpdates.minorMs),
    );
    ratio[`rssPeak.spread/semi16.${documents}`] = round(s.server.rssPeakMiB / y.server.rssPeakMiB);
  }
  return {
    name: 'manyDocuments',
    date: new Date().toISOString(),
    machine: machine(),
    params: { sizes, variants, repeat, ...load, serverEnv: serverEnv() },
    results: { runs: outcomes.filter((o) => o.variant === 'spread'), failed },
    vanilla: {
      note: 'référence : le même serveur avec le stockage d’avant (legacy)',
      runs: outcomes.filter((o) => o.variant === 'legacy'),
    },
    ...(variants.includes('inline')
      ? {
          inline: {
            note: 'référence : le serveur des utilisateurs, les longues moitiés des tâches de fond sur la boucle (ESSAIM_BENCH_INLINE_JOBS=1)',
            runs: outcomes.filter((o) => o.variant === 'inline'),
          },
        }
      : {}),
    ...(variants.includes('truncate')
      ? {
          truncate: {
            note: 'référence : le serveur des utilisateurs avec la règle de points de contrôle du 2026-11-29 (TRUNCATE au-delà de 32 Mio de fichier WAL, sans la porte des commits ; ESSAIM_BENCH_CHECKPOINT=truncate)',
            runs: outcomes.filter((o) => o.variant === 'truncate'),
          },
        }
      : {}),
    ...(variants.includes('semi16')
      ? {
          semi16: {
            note: 'référence : le serveur des utilisateurs avec la jeune génération par défaut de Node (semi-espaces de 16 Mio, sans le --max-semi-space-size de npm start)',
            runs: outcomes.filter((o) => o.variant === 'semi16'),
          },
        }
      : {}),
    ratio,
    targets,
    notes: [
      'Serveur et générateur de charge dans des processus enfants (le générateur en BENCH_MANY_LOAD_PROCESSES processus, 2 par défaut : les lecteurs d’un document jamais dans le processus de son rédacteur) ; latence = réception du lecteur − frappe du rédacteur, chacune en performance.timeOrigin + performance.now() de son processus.',
      '« legacy » = ESSAIM_BENCH_LEGACY_STORAGE=1 : compaction et indexation dans le tour qui les déclenche, points de contrôle PASSIVE seulement (le comportement d’avant l’issue 17).',
      'rssReturnedShare = (RSS au plus haut − RSS à +10 s) / (RSS au plus haut − RSS avant la charge).',
    ],
  };
}
