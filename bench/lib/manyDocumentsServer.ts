/**
 * Child process of `bench/manyDocuments.ts` that hosts the server under test, alone in its
 * process: its CPU time and RSS are the server's only (the load generator runs in another child).
 *
 * Protocol (IPC, one message at a time from the parent):
 * - `{ type: 'start', params }` → starts the real server (`startTestServer`, port 0, a fresh
 *   `DATA_DIR`), makes the instance and `params.documents` fiches through the REST API, starts
 *   sampling itself every `params.sampleMs`, and replies `{ type: 'ready', … }`;
 * - `{ type: 'timeline' }` → replies `{ type: 'timeline', samples }` (every sample so far);
 * - `{ type: 'gc' }` → a full garbage collection (the process runs with `--expose-gc`), then one
 *   sample 1.5 s later: what stays reachable, as opposed to garbage not yet collected;
 * - `{ type: 'window', start, end, heapProfile? }` → the measured window (epoch ms); with
 *   `heapProfile` (a file path), V8's sampling heap profiler runs from `start` to `end`, counting
 *   the objects the garbage collector already freed too (what the window *allocated*, not what it
 *   kept), and writes the profile there (`.heapprofile`, Chrome DevTools) and its summary next to it
 *   (`.json`, {@link HeapProfileSummary}); replies `{ type: 'window' }` at once;
 * - `{ type: 'stop' }` → stops the server (stores every open document) and replies `{ type: 'stopped' }`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Session } from 'node:inspector/promises';
import { constants, monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';
import { createDocument, setupInstance } from '../../tests/support/accounts.js';
import { startTestServer, type TestServer } from '../../tests/support/server.js';
import type { QueueStats } from '../../server/src/collab/backgroundQueue.js';
import { walLockedCheckpoints, type DurationTally } from '../../server/src/storage/checkpointer.js';
import { groupCommitTimes } from '../../server/src/collab/durableUpdates.js';
import type { PersistenceExtension } from '../../server/src/collab/PersistenceExtension.js';

export interface ManyServerParams {
  documents: number;
  /** Environment of the server (exactly as `startTestServer` takes it). */
  env: Record<string, string>;
  sampleMs: number;
}

/** One look at the server process, `Date.now()` stamped (the clock every process here shares). */
export interface ServerSample {
  at: number;
  /** Cumulative CPU time of the process since it started, ms. */
  cpuMs: number;
  rssMiB: number;
  heapUsedMiB: number;
  heapTotalMiB: number;
  externalMiB: number;
  /** `essaim.sqlite-wal` on disk, MiB. */
  walMiB: number;
  databaseMiB: number;
  /** Documents Hocuspocus holds in memory, and websocket + direct connections to them. */
  documents: number;
  connections: number;
  /** Event-loop delay since the previous sample (ms past the monitor's own period): max and p99. */
  loopMaxMs: number;
  loopP99Ms: number;
  /** The background queue of compactions and indexing (null: none, the legacy reference). */
  queue: QueueStats | null;
  /** The update log's group commits so far (a slow one waited for a checkpoint's write lock). */
  commits: { commits: number; longestMs: number; over10ms: number };
  /**
   * Wall time of the group commits that acknowledged updates so far, commit gate included
   * (collab/durableUpdates.ts): how long an acknowledgement waited for its commit.
   */
  groupCommits: DurationTally;
  /** Checkpoints that held SQLite's write lock so far: RESTART and TRUNCATE (storage/checkpointer.ts). */
  lockedCheckpoints: typeof walLockedCheckpoints;
  /**
   * V8's garbage-collection pauses so far (`PerformanceObserver` 'gc' entries): scavenges (minor)
   * and mark-compacts (major: the final atomic pause of an incremental marking), count and total
   * ms; and the longest pause of any kind since the previous sample.
   */
  gc: { minor: GcTally; major: GcTally; maxMsSinceLast: number };
}

export interface GcTally {
  count: number;
  totalMs: number;
  maxMs: number;
}

/**
 * One garbage-collection pause of the server's main thread: epoch ms it started
 * (`performance.timeOrigin + entry.startTime`), its length (ms), and whether it was a scavenge.
 */
export type GcPause = [startedAt: number, durationMs: number, kind: 'minor' | 'major'];

/**
 * What V8's sampling heap profiler saw allocated in the measured window (freed objects included):
 * sampled bytes in all, and the functions that allocated most (self bytes, « function url:line »).
 */
export interface HeapProfileSummary {
  /** Sampled bytes allocated during the window (an estimate: one sample per `intervalBytes` on average). */
  totalBytes: number;
  intervalBytes: number;
  windowMs: number;
  top: { frame: string; bytes: number; share: number }[];
  /** The same bytes by package (`node_modules/<name>`), `server`, `packages/*`, `node:` or `(V8)`. */
  byModule: { module: string; bytes: number; share: number }[];
}

export type ManyServerRequest =
  | { type: 'start'; params: ManyServerParams }
  | { type: 'timeline' }
  | { type: 'window'; start: number; end: number; heapProfile?: string }
  | { type: 'gc' }
  | { type: 'stop' };

export type ManyServerReply =
  | {
      type: 'ready';
      url: string;
      wsUrl: string;
      token: string;
      documentNames: string[];
      databaseFile: string;
      dataDir: string;
    }
  | { type: 'timeline'; samples: ServerSample[]; gcPauses: GcPause[] }
  | { type: 'window' }
  | { type: 'gc'; sample: ServerSample }
  | { type: 'stopped' }
  | { type: 'error'; error: string };

const MONITOR_RESOLUTION_MS = 5;
const mib = (bytes: number): number => Math.round((bytes / 2 ** 20) * 10) / 10;
const sizeMiB = (file: string): number => (fs.existsSync(file) ? mib(fs.statSync(file).size) : 0);

let server: TestServer | undefined;
const samples: ServerSample[] = [];
let sampler: NodeJS.Timeout | undefined;
const loop = monitorEventLoopDelay({ resolution: MONITOR_RESOLUTION_MS });
const gc = { minor: { count: 0, totalMs: 0, maxMs: 0 }, major: { count: 0, totalMs: 0, maxMs: 0 } };
let gcMaxSinceLast = 0;
const gcPauses: GcPause[] = [];
const gcObserver = new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    const kind = (entry as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind;
    const tally =
      kind === constants.NODE_PERFORMANCE_GC_MINOR
        ? gc.minor
        : kind === constants.NODE_PERFORMANCE_GC_MAJOR
          ? gc.major
          : undefined;
    gcMaxSinceLast = Math.max(gcMaxSinceLast, entry.duration);
    if (!tally) continue;
    gcPauses.push([
      performance.timeOrigin + entry.startTime,
      entry.duration,
      tally === gc.minor ? 'minor' : 'major',
    ]);
    tally.count++;
    tally.totalMs += entry.duration;
    tally.maxMs = Math.max(tally.maxMs, entry.duration);
  }
});

function persistence(): PersistenceExtension | undefined {
  return server?.app.hocuspocus.configuration.extensions.find(
    (e): e is PersistenceExtension => e.extensionName === 'persistence',
  );
}

function sample(): ServerSample {
  const memory = process.memoryUsage();
  const cpu = process.cpuUsage();
  const file = server ? path.join(server.dataDir, 'essaim.sqlite') : '';
  const hocuspocus = server?.app.hocuspocus;
  const late = (ns: number): number => Math.max(0, Math.round((ns / 1e6 - MONITOR_RESOLUTION_MS) * 10) / 10);
  const s: ServerSample = {
    at: Date.now(),
    cpuMs: Math.round((cpu.user + cpu.system) / 1000),
    rssMiB: mib(memory.rss),
    heapUsedMiB: mib(memory.heapUsed),
    heapTotalMiB: mib(memory.heapTotal),
    externalMiB: mib(memory.external),
    walMiB: file ? sizeMiB(`${file}-wal`) : 0,
    databaseMiB: file ? sizeMiB(file) : 0,
    documents: hocuspocus?.getDocumentsCount() ?? 0,
    connections: hocuspocus?.getConnectionsCount() ?? 0,
    loopMaxMs: late(loop.max),
    loopP99Ms: late(loop.percentile(99)),
    queue: persistence()?.queueStats() ?? null,
    commits: server?.services.collabStore.commitStats() ?? { commits: 0, longestMs: 0, over10ms: 0 },
    groupCommits: structuredClone(groupCommitTimes),
    lockedCheckpoints: structuredClone(walLockedCheckpoints),
    gc: {
      minor: { ...gc.minor },
      major: { ...gc.major },
      maxMsSinceLast: Math.round(gcMaxSinceLast * 10) / 10,
    },
  };
  gcMaxSinceLast = 0;
  loop.reset();
  return s;
}

async function start(params: ManyServerParams): Promise<ManyServerReply> {
  server = await startTestServer({ env: params.env });
  const { admin, espaceId } = await setupInstance(server.url);
  const documentNames: string[] = [];
  for (let i = 0; i < params.documents; i += 10) {
    const batch = Array.from({ length: Math.min(10, params.documents - i) }, (_v, k) =>
      createDocument(admin, espaceId, `Fiche ${i + k + 1}`),
    );
    documentNames.push(...(await Promise.all(batch)).map((d) => d.name));
  }
  loop.enable();
  gcObserver.observe({ entryTypes: ['gc'] });
  samples.push(sample());
  sampler = setInterval(() => samples.push(sample()), params.sampleMs);
  return {
    type: 'ready',
    url: server.url,
    wsUrl: server.wsUrl,
    token: await admin.collabToken(),
    documentNames,
    databaseFile: path.join(server.dataDir, 'essaim.sqlite'),
    dataDir: server.dataDir,
  };
}

interface ProfileNode {
  callFrame: { functionName: string; url: string; lineNumber: number };
  selfSize: number;
  children: ProfileNode[];
}

const HEAP_SAMPLING_INTERVAL_BYTES = 16_384;
/** The repository's root as a `file:` URL, cut from the profile's frames. */
const REPOSITORY_URL = new URL('../../', import.meta.url).href;

/** The module a profile frame belongs to, for {@link HeapProfileSummary.byModule}. */
function moduleOf(url: string): string {
  if (url === '') return '(V8)';
  if (url.startsWith('node:')) return 'node:';
  const inModules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (inModules) return inModules[1] as string;
  const ours = /\/(server|packages\/[^/]+|bench|tests)\//.exec(url);
  return ours ? (ours[1] as string) : url;
}

/** Samples the heap's allocations (freed objects included) from `start` to `end` and writes them to `file`. */
function profileWindow(start: number, end: number, file: string): void {
  const session = new Session();
  session.connect();
  setTimeout(
    () => {
      void (async () => {
        await session.post('HeapProfiler.enable');
        await session.post('HeapProfiler.startSampling', {
          samplingInterval: HEAP_SAMPLING_INTERVAL_BYTES,
          includeObjectsCollectedByMajorGC: true,
          includeObjectsCollectedByMinorGC: true,
        });
        const startedAt = Date.now();
        await new Promise((resolve) => setTimeout(resolve, Math.max(0, end - Date.now())));
        const { profile } = (await session.post('HeapProfiler.stopSampling')) as unknown as {
          profile: { head: ProfileNode };
        };
        session.disconnect();
        fs.writeFileSync(file, JSON.stringify(profile));
        const frames = new Map<string, number>();
        const modules = new Map<string, number>();
        let total = 0;
        const walk = (node: ProfileNode): void => {
          const { functionName, url, lineNumber } = node.callFrame;
          const frame = `${functionName || '(anonymous)'} ${url.replace(REPOSITORY_URL, '')}:${lineNumber + 1}`;
          frames.set(frame, (frames.get(frame) ?? 0) + node.selfSize);
          const module = moduleOf(url);
          modules.set(module, (modules.get(module) ?? 0) + node.selfSize);
          total += node.selfSize;
          for (const child of node.children) walk(child);
        };
        walk(profile.head);
        const share = (bytes: number): number => Math.round((bytes / Math.max(1, total)) * 1000) / 1000;
        const summary: HeapProfileSummary = {
          totalBytes: total,
          intervalBytes: HEAP_SAMPLING_INTERVAL_BYTES,
          windowMs: Date.now() - startedAt,
          top: [...frames]
            .sort((a, b) => b[1] - a[1])
            .slice(0, 40)
            .map(([frame, bytes]) => ({ frame, bytes, share: share(bytes) })),
          byModule: [...modules]
            .sort((a, b) => b[1] - a[1])
            .map(([module, bytes]) => ({ module, bytes, share: share(bytes) })),
        };
        fs.writeFileSync(file.replace(/(\.heapprofile)?$/, '.json'), JSON.stringify(summary, null, 2));
      })().catch((error: unknown) => console.error('profil du tas :', error));
    },
    Math.max(0, start - Date.now()),
  );
}

async function handle(request: ManyServerRequest): Promise<ManyServerReply> {
  switch (request.type) {
    case 'start':
      return start(request.params);
    case 'timeline':
      return { type: 'timeline', samples: samples.slice(), gcPauses: gcPauses.slice() };
    case 'window':
      // For `--trace-gc` logs, whose times are ms since the process started (within a few ms).
      console.error(
        `manyDocumentsServer ${process.pid}: fenêtre mesurée ${Math.round(request.start - performance.timeOrigin)}–` +
          `${Math.round(request.end - performance.timeOrigin)} ms depuis le démarrage du processus`,
      );
      if (request.heapProfile) profileWindow(request.start, request.end, request.heapProfile);
      return { type: 'window' };
    case 'gc': {
      const gc = (globalThis as { gc?: () => void }).gc;
      if (!gc) throw new Error('lancer le processus avec --expose-gc');
      gc();
      // V8 hands the freed pages back to the system in the background, within about a second.
      await new Promise((resolve) => setTimeout(resolve, 1500));
      return { type: 'gc', sample: sample() };
    }
    case 'stop':
      clearInterval(sampler);
      loop.disable();
      gcObserver.disconnect();
      await server?.stop();
      return { type: 'stopped' };
  }
}

process.on('message', (request: ManyServerRequest) => {
  handle(request)
    .catch((error: unknown): ManyServerReply => ({
      type: 'error',
      error: error instanceof Error ? (error.stack ?? error.message) : String(error),
    }))
    .then((reply) => {
      process.send?.(reply, () => {
        if (reply.type === 'stopped') process.exit(0);
      });
    });
});
