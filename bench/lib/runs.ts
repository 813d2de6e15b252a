import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { ReplayLoadParams, ReplayLoadResult } from './replayLoad.js';
import { watchPressure, type Disturbance } from './pressure.js';
import { mib } from './report.js';
import { startBenchServer, type FlushDelay, type Kind } from './servers.js';
import { replayLoad, typingLoad } from './spawn.js';
import { readStoredText, type StoredText } from './sqlite.js';
import { LOOP_RESOLUTION_MS, lateMs } from './stats.js';
import type { TypingLoadParams, TypingLoadResult } from './typingLoad.js';

/** What the server process did during a run: its memory and how late its event loop ran. */
export interface ServerSide {
  rssBeforeMiB: number;
  rssPeakMiB: number;
  rssDeltaMiB: number;
  heapUsedBeforeMiB: number;
  heapUsedPeakMiB: number;
  /** CPU time (user + system) the server process used during the run, in ms. */
  cpuMs: number;
  /** Event-loop delay of the server process: how long a ready socket could wait to be read. */
  loopDelayMs: { p50: number; p99: number; max: number };
  /** What the rest of the (shared) machine was doing meanwhile. */
  machine: Disturbance;
}

function monitorServer(): { stop(): ServerSide } {
  const before = process.memoryUsage();
  const cpuBefore = process.cpuUsage();
  let rssPeak = before.rss;
  let heapPeak = before.heapUsed;
  const sample = (): void => {
    const now = process.memoryUsage();
    rssPeak = Math.max(rssPeak, now.rss);
    heapPeak = Math.max(heapPeak, now.heapUsed);
  };
  const timer = setInterval(sample, 200);
  const delay = monitorEventLoopDelay({ resolution: LOOP_RESOLUTION_MS });
  delay.enable();
  const pressure = watchPressure();
  return {
    stop() {
      sample();
      clearInterval(timer);
      delay.disable();
      const cpu = process.cpuUsage(cpuBefore);
      return {
        rssBeforeMiB: mib(before.rss),
        rssPeakMiB: mib(rssPeak),
        rssDeltaMiB: mib(rssPeak - before.rss),
        heapUsedBeforeMiB: mib(before.heapUsed),
        heapUsedPeakMiB: mib(heapPeak),
        cpuMs: Math.round((cpu.user + cpu.system) / 1000),
        loopDelayMs: {
          p50: lateMs(delay.percentile(50)),
          p99: lateMs(delay.percentile(99)),
          max: lateMs(delay.max),
        },
        machine: pressure.stop(),
      };
    },
  };
}

export interface StoredCheck {
  match: boolean;
  chars: number;
  hasState: boolean;
  logRows: number;
  bytes: number;
  missingUpdates: boolean;
}

const checkStored = (stored: StoredText, expected: string): StoredCheck => ({
  match: stored.text === expected && !stored.missingUpdates,
  chars: stored.text.length,
  hasState: stored.hasState,
  logRows: stored.logRows,
  bytes: stored.bytes,
  missingUpdates: stored.missingUpdates,
});

export type ReplayRunParams = Omit<ReplayLoadParams, 'wsUrl' | 'token' | 'documentName' | 'databaseFile'> & {
  flushDelay: FlushDelay;
  /** Essaim only; false turns `validateUpdate` off (bench/updateChecks.ts's reference). Default true. */
  updateChecks?: boolean;
};

export interface ReplayOutcome extends Omit<ReplayLoadResult, 'expected' | 'storedLive'> {
  kind: Kind;
  flushDelay: FlushDelay;
  updateChecks: boolean;
  trace: string;
  finalChars: number;
  /** SQLite read while the server still ran, right after the last acknowledgement. */
  storedLive: StoredCheck | null;
  /** SQLite read after the server stopped. */
  storedAfterStop: StoredCheck | null;
  server: ServerSide;
  errors: string[];
}

/** A fresh server (this process), one document, the replay's clients in a child process. */
export async function replayRun(kind: Kind, params: ReplayRunParams): Promise<ReplayOutcome> {
  const { flushDelay, updateChecks = true, ...load } = params;
  const server = await startBenchServer(kind, { flushDelay, updateChecks });
  let result: ReplayLoadResult;
  let side: ServerSide;
  let documentName: string;
  try {
    documentName = await server.newDocument(`Rejeu ${params.trace}`);
    const monitor = monitorServer();
    try {
      result = await replayLoad({
        ...load,
        wsUrl: server.wsUrl,
        token: await server.token(),
        documentName,
        databaseFile: server.databaseFile,
      });
    } finally {
      side = monitor.stop();
    }
  } finally {
    await server.stop();
  }
  const { expected, storedLive, ...rest } = result;
  const errors: string[] = [];
  if (!rest.clientsMatch) errors.push('le texte d’un client diffère du texte final attendu');
  const live = storedLive ? checkStored(storedLive, expected) : null;
  if (live && !live.match)
    errors.push('SQLite (pendant le service, après le dernier accusé) diffère du texte final');
  const after = server.databaseFile
    ? checkStored(readStoredText(server.databaseFile, documentName), expected)
    : null;
  if (after && !after.match) errors.push('SQLite (après arrêt) diffère du texte final');
  return {
    kind,
    flushDelay,
    updateChecks,
    trace: params.trace,
    ...rest,
    finalChars: expected.length,
    storedLive: live,
    storedAfterStop: after,
    server: side,
    errors,
  };
}

export type TypingRunParams = Omit<
  TypingLoadParams,
  'wsUrl' | 'token' | 'hotDocument' | 'coldDocuments' | 'databaseFile'
> & {
  flushDelay: FlushDelay;
  docs: number;
};

export interface TypingOutcome extends TypingLoadResult {
  kind: Kind;
  flushDelay: FlushDelay;
  server: ServerSide;
  errors: string[];
}

/** A fresh server (this process), a busy document and `docs` others, the editors in a child process. */
export async function typingRun(kind: Kind, params: TypingRunParams): Promise<TypingOutcome> {
  const { flushDelay, docs, ...load } = params;
  const server = await startBenchServer(kind, { flushDelay });
  try {
    const hotDocument = await server.newDocument('Document très fréquenté');
    const coldDocuments: string[] = [];
    for (let i = 0; i < docs; i++) coldDocuments.push(await server.newDocument(`Document calme ${i + 1}`));
    const monitor = monitorServer();
    let result: TypingLoadResult;
    let side: ServerSide;
    try {
      result = await typingLoad({
        ...load,
        wsUrl: server.wsUrl,
        token: await server.token(),
        hotDocument,
        coldDocuments,
        databaseFile: server.databaseFile,
      });
    } finally {
      side = monitor.stop();
    }
    const errors: string[] = [];
    if (!result.converged) errors.push('les éditeurs ne convergent pas vers le même texte');
    if (result.storedMatch === false) errors.push('SQLite diffère du texte des éditeurs');
    return { kind, flushDelay, ...result, server: side, errors };
  } finally {
    await server.stop();
  }
}
