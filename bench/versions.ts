import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { emptyMetadata, type VersionDto } from '@essaim/protocol';
import * as Y from 'yjs';
import { defaultVersionSchedule } from '../server/src/services/versionService.js';
import { mergeRanges } from '../server/src/storage/collabStore.js';
import {
  applyStored,
  openDatabase,
  sqliteCollabStore,
  sqliteDocumentRepository,
} from '../server/src/storage/index.js';
import { sqliteVersionRepository } from '../server/src/storage/versionRepository.js';
import { createDocument, invite, setupInstance, type Session } from '../tests/support/accounts.js';
import { connectAs, isSettled, synced, type NodeClient } from '../tests/support/provider.js';
import { startTestServer, tempDataDir, type TestServer } from '../tests/support/server.js';
import { acknowledged, belowUnsynced, waitFor } from './lib/clients.js';
import { fillFiche } from './lib/commentFixtures.js';
import { profileInProcess, type ProfileSummary } from './lib/cpuProfile.js';
import {
  checkpointAndMeasure,
  documentBytes,
  type DatabaseSize,
  type DocumentBytes,
} from './lib/databaseSize.js';
import { envInt } from './lib/env.js';
import { watchPressure, type Disturbance } from './lib/pressure.js';
import { log, machine, mib, type BenchResult, type TargetCheck } from './lib/report.js';
import { readStoredText } from './lib/sqlite.js';
import { round, seededRandom, summarize, type Summary } from './lib/stats.js';
import { newFiche, paragraphText } from './lib/template.js';
import { applyPatches, loadTrace } from './lib/trace.js';
import { SimulatedClock, TICK_MS, VersionTicker, driveVersionClock } from './lib/versionClock.js';
import { connectInChild, textHash, type ConnectedClient } from './lib/versionsClient.js';
import { editSession } from './lib/versionHistory.js';

/** Issue 11's targets. */
const TARGET_RATIO = 2;
const TARGET_MS = 200;
const TARGET_LOAD_MS = 30;
/** docs/PERFORMANCE.md (c), before versions: the compacted long-history document, connect → synced p50. */
const LOAD_BEFORE_MS = 366;
const LOAD_LOG_BEFORE_MS = 447;
const CHARS_PER_PAGE = 3_000;
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const TRACE = 'seph-blog1';
/** Updates the replay's writer lets wait for their acknowledgement before it pauses (as in `replay`). */
const WINDOW = 1_000;

// ---------------------------------------------------------------------------------------------
// 1. Database size: seph-blog1 replayed with automatic versions on a simulated clock, and without.

interface SizeStage {
  document: DocumentBytes;
  database: DatabaseSize;
}

interface ReplaySize {
  withVersions: boolean;
  transactions: number;
  /** Wall time of the replay (paced: the writer waits for its acknowledgements at each tick). */
  elapsedMs: number;
  /** Simulated time the trace covered, in hours. */
  simulatedHours: number;
  /**
   * Automatic versions the ticks recorded (with versions), or would have recorded (the reference
   * run: predicted from the changes' times), over the replay, before thinning.
   */
  automaticVersions: number;
  /** Of them, those the changes' own times predict (the server notes a change when it arrives). */
  automaticVersionsPredicted: number;
  /** The live state once more, in Yjs's v2 encoding (the versions' encoding), for comparison. */
  liveStateV2Bytes: number;
  /** After the replay, the writer gone and the document compacted on unload. */
  afterReplay: SizeStage;
  /** A week later: one more automatic version recorded (`record`), which thins the others. */
  afterAgeing: SizeStage | null;
  /** The SQLite file after the server stopped (its connection closed: the WAL folded and removed). */
  fileBytesAfterStop: number;
  /** The document read from SQLite equals the trace's end text. */
  storedTextMatches: boolean;
  /** The newest version recorded by the replay holds the trace's end text (with versions only). */
  lastVersionMatches: boolean | null;
}

/**
 * Replays seph-blog1 (137,154 transactions, 90 days of editing) into the first paragraph of a new
 * fiche on a fresh server, through one Node provider in this process, one Yjs transaction per trace
 * transaction. The automatic versions run on the trace's own clock, shifted one day into the future
 * (see {@link SimulatedClock}): the server notes each change at its simulated time, and the ticks of
 * its 30 s timer are called at every 30 s boundary of that time, once every update sent before is
 * acknowledged. With `withVersions: false` the server notes nothing, so it records no version; the
 * pacing is the same.
 */
async function replayWithClock(withVersions: boolean): Promise<ReplaySize> {
  const server = await startTestServer();
  const file = path.join(server.dataDir, 'essaim.sqlite');
  const versions = server.services.versions;
  const trace = loadTrace(TRACE);
  const first = trace.txns[0];
  if (!first) throw new Error('trace vide');
  const traceStart = Date.parse(first.time);
  const base = Date.now() + DAY;
  const clock = new SimulatedClock(base);
  const putBack = driveVersionClock(versions, clock, withVersions);
  let writer: NodeClient | null = null;
  try {
    const { admin, espaceId } = await setupInstance(server.url);
    const doc = await createDocument(admin, espaceId, `Rejeu ${TRACE}`);
    const client = connectAs(admin, server.wsUrl, doc.name);
    writer = client;
    const text = await synced(client, 20_000);
    const ticker = new VersionTicker(
      versions,
      doc.id,
      base,
      () => acknowledged(client),
      defaultVersionSchedule,
      withVersions,
    );
    const t0 = performance.now();
    for (let i = 0; i < trace.txns.length; i++) {
      const txn = trace.txns[i];
      if (!txn) continue;
      const at = base + Date.parse(txn.time) - traceStart;
      if (ticker.due(at)) await ticker.advanceTo(at);
      clock.now = at;
      ticker.changed(at);
      client.ydoc.transact(() => applyPatches(text, txn.patches));
      if (client.provider.unsyncedChanges >= WINDOW) await belowUnsynced(client, WINDOW / 2);
      else if (i % 100 === 99) await nextTurn();
    }
    await acknowledged(client);
    const end = clock.now;
    // The pause after the last keystroke records the last automatic version.
    await ticker.advanceTo(end + defaultVersionSchedule.pauseMs + TICK_MS);
    const elapsedMs = Math.round(performance.now() - t0);
    if (text.toString() !== trace.endContent) throw new Error('le texte du rédacteur diffère de endContent');

    // The writer leaves: the server compacts the document as it unloads it.
    client.destroy();
    await waitFor(() => !server.app.hocuspocus.documents.has(doc.name), 30_000, 'déchargement du document');
    const db = server.services.db;
    const stage = async (): Promise<SizeStage> => ({
      document: documentBytes(db, doc.id),
      database: await checkpointAndMeasure(db, file),
    });
    const afterReplay = await stage();
    const live = new Y.Doc();
    applyStored(live, server.services.collabStore.load(doc.id));
    const liveStateV2Bytes = Y.encodeStateAsUpdateV2(live).byteLength;
    const storedTextMatches = readStoredText(file, doc.name).text === trace.endContent;

    let lastVersionMatches: boolean | null = null;
    let afterAgeing: SizeStage | null = null;
    if (withVersions) {
      const repository = sqliteVersionRepository(db);
      const latest = repository.latest(doc.id);
      const state = latest ? repository.state(latest.id) : null;
      const copy = new Y.Doc();
      if (state) Y.applyUpdateV2(copy, state);
      lastVersionMatches = state !== null && paragraphText(copy).toString() === trace.endContent;
      // A week goes by; then a change brings one more automatic version, whose `record` thins the
      // others (older than a day: one per hour; older than a week: one per day).
      versions.record(doc.id, 'automatique', null, null, new Date(end + 7 * DAY + HOUR));
      afterAgeing = await stage();
    }
    return {
      withVersions,
      transactions: trace.txns.length,
      elapsedMs,
      simulatedHours: round((end - base) / HOUR, 1),
      automaticVersions: ticker.recorded.length,
      automaticVersionsPredicted: ticker.predictedToo,
      liveStateV2Bytes,
      afterReplay,
      afterAgeing,
      fileBytesAfterStop: await stopAndMeasure(server, file),
      storedTextMatches,
      lastVersionMatches,
    };
  } finally {
    writer?.destroy();
    putBack();
    await server.stop();
  }
}

/** Stops the server (idempotent) and returns the size of its SQLite file, its WAL folded and removed. */
async function stopAndMeasure(server: TestServer, file: string): Promise<number> {
  await server.stop();
  return fs.statSync(file).size;
}

// ---------------------------------------------------------------------------------------------
// 2. A 100-page fiche with a long history: list, open, compare, restore.

type Operation = 'list' | 'open' | 'compareDistant' | 'compareCurrent' | 'restore';

const OPERATION_LABELS: Record<Operation, string> = {
  list: 'lister les versions',
  open: 'ouvrir une version (JSON)',
  compareDistant: 'comparer deux versions éloignées',
  compareCurrent: 'comparer une version avec le texte actuel',
  restore: 'restaurer (une personne connectée)',
};

interface OperationTimes {
  inProcess: Summary;
  /**
   * CPU time of this process during each in-process run (`process.cpuUsage`, user + system, all
   * its threads: garbage collection included), ms: steadier than wall time on a busy machine,
   * where the wall time also counts the moments the process waits for a core. For a restore, the
   * process's CPU while it awaits the change (other work of its event loop included).
   */
  inProcessCpu?: Summary;
  http: Summary;
  /** Size of the HTTP answer's body. */
  bytes: number;
}

interface LongHistory {
  characters: number;
  estimatedPages: number;
  versionsBuilt: number;
  versionsByKind: Record<string, number>;
  /** Sessions of edits between versions: characters typed and removed, updates sent. */
  edits: { inserted: number; deleted: number; transactions: number };
  stateBytes: number;
  versionsBytes: number;
  deletionsBytes: number;
  buildMs: number;
  operations: Record<Operation, OperationTimes>;
  /** Compare of the distant versions: sections changed and parts. */
  compareDistantShape: { sections: number; changed: number; parts: number };
  /** Each restore reached the connected person, whose text then equalled the restored version's. */
  restoresConverged: string;
  /** ms until the connected person held each restore (after the server's answer), p50 / max. */
  restoreSeenMs: Summary;
  profiles: Partial<Record<Operation, ProfileSummary>>;
  machine: Disturbance;
}

/** One HTTP request of `session`: ms from the request to the last byte of the body, and the body. */
async function timeHttp(
  session: Session,
  pathname: string,
  init: RequestInit & { json?: unknown } = {},
): Promise<{ ms: number; bytes: number; body: string }> {
  const t0 = performance.now();
  const response = await session.fetch(pathname, init);
  const body = await response.text();
  const ms = performance.now() - t0;
  if (!response.ok) throw new Error(`${pathname} : ${response.status} ${body}`);
  return { ms, bytes: Buffer.byteLength(body), body };
}

/**
 * Builds the long-history fiche: `pages` pages of prose pasted by the animateur (as
 * `bench/comments.ts` does), then `count - 1` sessions of edits alternately by her and an assigned
 * rapporteure, keystroke by keystroke. One version after each: a named one every fifth (`record`,
 * what « Enregistrer une version » does), otherwise an automatic one (the server's tick, 6
 * simulated minutes after the session, its pause of 5 minutes past). All within 20 simulated
 * hours, so thinning keeps them all.
 */
async function buildLongHistory(
  server: TestServer,
  admin: Session,
  espaceId: string,
  pages: number,
  count: number,
): Promise<{
  id: string;
  name: string;
  characters: number;
  edits: LongHistory['edits'];
  buildMs: number;
}> {
  const t0 = performance.now();
  const versions = server.services.versions;
  const rapporteur = await invite(admin, espaceId, 'rapporteur', 'Rose Rapporteuse');
  const doc = await createDocument(admin, espaceId, 'Fiche à long historique');
  const assigned = await admin.fetch(`/api/documents/${doc.id}/assignments`, {
    method: 'POST',
    json: { userId: rapporteur.userId },
  });
  if (!assigned.ok) throw new Error(`attribution refusée : ${assigned.status}`);
  const clock = new SimulatedClock(Date.now() + DAY);
  const putBack = driveVersionClock(versions, clock, true);
  const writers: { session: Session; client: NodeClient }[] = [];
  try {
    for (const session of [admin, rapporteur]) {
      const client = connectAs(session, server.wsUrl, doc.name);
      writers.push({ session, client });
      await synced(client, 20_000);
    }
    const [first, second] = writers;
    if (!first || !second) throw new Error('rédacteurs manquants');
    const characters = fillFiche(first.client.ydoc, pages * CHARS_PER_PAGE);
    const bothHold = (label: string): Promise<void> =>
      waitFor(
        () =>
          writers.every((w) => isSettled(w.client)) &&
          Buffer.compare(Y.encodeStateVector(first.client.ydoc), Y.encodeStateVector(second.client.ydoc)) ===
            0,
        60_000,
        label,
      );
    await bothHold('écriture de la fiche');
    const random = seededRandom(11);
    const edits = { inserted: 0, deleted: 0, transactions: 0 };
    for (let step = 0; step < count; step++) {
      const writer = step % 2 === 0 ? first : second;
      if (step > 0) {
        const session = editSession(writer.client.ydoc, random, step);
        edits.inserted += session.inserted;
        edits.deleted += session.deleted;
        edits.transactions += session.transactions;
        await bothHold(`session ${step}`);
      }
      clock.now += 6 * MINUTE;
      if (step > 0 && step % 5 === 0) {
        versions.record(
          doc.id,
          'nommee',
          `Version de travail ${step / 5}`,
          writer.session.userId,
          new Date(clock.now),
        );
      } else if (!versions.tick(clock.now).includes(doc.id)) {
        throw new Error(`pas de version automatique après la session ${step}`);
      }
      clock.now += MINUTE;
    }
    return { ...doc, characters, edits, buildMs: Math.round(performance.now() - t0) };
  } finally {
    for (const w of writers) w.client.destroy();
    putBack();
  }
}

/**
 * Issue 11's second measure: on the long-history fiche, with one person connected (a provider in
 * a child process), each operation timed `runs` times in process (the service, as the router calls
 * it, without Express and JSON) and through HTTP (loopback, session cookie, body read to the end),
 * alternated, after 2 warm-ups. Restores alternate between the first and the last version built,
 * so each one rewrites what 199 sessions changed; each must reach the connected person. An
 * operation slower than the target at p95 is profiled in process (5 runs).
 */
async function longHistory(
  pages: number,
  count: number,
  runs: number,
  restores: number,
): Promise<LongHistory> {
  const server = await startTestServer();
  let person: ConnectedClient | null = null;
  try {
    const { admin, espaceId } = await setupInstance(server.url);
    log(`versions : fiche de ${pages} pages, ${count} versions…`);
    const built = await buildLongHistory(server, admin, espaceId, pages, count);
    const { id } = built;
    const versions = server.services.versions;
    const actor = server.services.actors.forUser(admin.userId);
    const history = versions.list(actor, id);
    const byNumber = (n: number): VersionDto => {
      const v = history.find((h) => h.number === n);
      if (!v) throw new Error(`version ${n} absente`);
      return v;
    };
    const oldest = byNumber(1);
    const newest = byNumber(count);
    const middle = byNumber(Math.ceil(count / 2));
    const bytesBefore = documentBytes(server.services.db, id);

    person = await connectInChild(server.wsUrl, built.name, await admin.collabToken());
    const live = (): Y.Doc => {
      const doc = server.app.hocuspocus.documents.get(built.name);
      if (!doc) throw new Error('document non chargé');
      return doc;
    };

    const inProcess: Record<Exclude<Operation, 'restore'>, () => unknown> = {
      list: () => versions.list(actor, id),
      open: () => versions.get(actor, id, middle.id, 'json'),
      compareDistant: () => versions.diff(actor, id, oldest.id, newest.id),
      compareCurrent: () => versions.diff(actor, id, oldest.id, 'current'),
    };
    const http: Record<Exclude<Operation, 'restore'>, string> = {
      list: `/api/documents/${id}/versions`,
      open: `/api/documents/${id}/versions/${middle.id}?format=json`,
      compareDistant: `/api/documents/${id}/diff?from=${oldest.id}&to=${newest.id}`,
      compareCurrent: `/api/documents/${id}/diff?from=${oldest.id}&to=current`,
    };
    const watch = watchPressure();
    const operations = {} as Record<Operation, OperationTimes>;
    for (const op of ['list', 'open', 'compareDistant', 'compareCurrent'] as const) {
      const local: number[] = [];
      const cpu: number[] = [];
      const remote: number[] = [];
      let bytes = 0;
      for (let i = -2; i < runs; i++) {
        const c0 = process.cpuUsage();
        const t0 = performance.now();
        inProcess[op]();
        const ms = performance.now() - t0;
        const used = process.cpuUsage(c0);
        const answer = await timeHttp(admin, http[op]);
        if (i < 0) continue;
        local.push(ms);
        cpu.push((used.user + used.system) / 1000);
        remote.push(answer.ms);
        bytes = answer.bytes;
      }
      operations[op] = {
        inProcess: summarize(local),
        inProcessCpu: summarize(cpu),
        http: summarize(remote),
        bytes,
      };
      log(
        `versions ${op}: en processus p50 ${operations[op].inProcess.p50} ms (CPU ${operations[op].inProcessCpu?.p50} ms), HTTP p50 ${operations[op].http.p50} ms`,
      );
    }
    const distant = versions.diff(actor, id, oldest.id, newest.id);
    const compareDistantShape = {
      sections: distant.sections.length,
      changed: distant.sections.filter((s) => s.status !== 'unchanged').length,
      parts: distant.sections.reduce((n, s) => n + s.parts.length, 0),
    };

    // Restores: first and last version in turn, in process and through HTTP in turn.
    const restoreLocal: number[] = [];
    const restoreCpu: number[] = [];
    const restoreRemote: number[] = [];
    const seen: number[] = [];
    let restoreBytes = 0;
    let converged = 0;
    // The text each restore must bring: the restored version's own.
    const repository = sqliteVersionRepository(server.services.db);
    const expectedHash = new Map<string, string>();
    for (const version of [oldest, newest]) {
      const state = repository.state(version.id);
      if (!state) throw new Error(`état de la version ${version.number} absent`);
      const copy = new Y.Doc();
      Y.applyUpdateV2(copy, state);
      expectedHash.set(version.id, textHash(copy));
    }
    // 2 warm-ups, then blocks of two (version 1, version 200), in process and through HTTP in turn:
    // at least `restores` each way.
    const total = 2 + 4 * Math.ceil(restores / 2);
    for (let i = 0; i < total; i++) {
      const target = i % 2 === 0 ? oldest : newest;
      const viaHttp = Math.floor(i / 2) % 2 === 1;
      let ms: number;
      let cpuMs = 0;
      if (viaHttp) {
        const answer = await timeHttp(admin, `/api/documents/${id}/versions/${target.id}/restore`, {
          method: 'POST',
        });
        ms = answer.ms;
        restoreBytes = answer.bytes;
      } else {
        const c0 = process.cpuUsage();
        const t0 = performance.now();
        await versions.restore(actor, id, target.id);
        ms = performance.now() - t0;
        const used = process.cpuUsage(c0);
        cpuMs = (used.user + used.system) / 1000;
      }
      const reached = await person.reach(live());
      if (reached.textHash === expectedHash.get(target.id)) converged++;
      if (i < 2) continue;
      (viaHttp ? restoreRemote : restoreLocal).push(ms);
      if (!viaHttp) restoreCpu.push(cpuMs);
      seen.push(reached.ms);
    }
    operations.restore = {
      inProcess: summarize(restoreLocal),
      inProcessCpu: summarize(restoreCpu),
      http: summarize(restoreRemote),
      bytes: restoreBytes,
    };
    log(
      `versions restore: en processus p50 ${operations.restore.inProcess.p50} ms, HTTP p50 ${operations.restore.http.p50} ms`,
    );
    const disturbance = watch.stop();

    // Profiles of every operation (BENCH_VERSIONS_PROFILE=0: only of those that miss the target at p95).
    const profiles: Partial<Record<Operation, ProfileSummary>> = {};
    const profileAll = envInt('BENCH_VERSIONS_PROFILE', 1) > 0;
    for (const op of Object.keys(operations) as Operation[]) {
      const times = operations[op];
      if (!profileAll && Math.max(times.inProcess.p95, times.http.p95) < TARGET_MS) continue;
      profiles[op] = await profileInProcess(async () => {
        for (let i = 0; i < 5; i++) {
          if (op === 'restore') {
            await versions.restore(actor, id, i % 2 === 0 ? oldest.id : newest.id);
            await person?.reach(live());
          } else {
            inProcess[op]();
          }
        }
      });
    }
    const after = documentBytes(server.services.db, id);
    return {
      characters: built.characters,
      estimatedPages: round(built.characters / CHARS_PER_PAGE, 1),
      versionsBuilt: history.length,
      versionsByKind: bytesBefore.versionsByKind,
      edits: built.edits,
      stateBytes: after.stateBytes,
      versionsBytes: bytesBefore.versionsBytes,
      deletionsBytes: after.deletionsBytes,
      buildMs: built.buildMs,
      operations,
      compareDistantShape,
      restoresConverged: `${converged} / ${total}`,
      restoreSeenMs: summarize(seen),
      profiles,
      machine: disturbance,
    };
  } finally {
    await person?.close();
    await server.stop();
  }
}

// ---------------------------------------------------------------------------------------------
// 3. The load of a long-history document, again.

interface LoadAgain {
  /** bench/load.ts run as it is: connect → synced, p50, per case (ms). */
  connectToSyncedP50: Record<string, number>;
  /** The same, vanilla Hocuspocus with the document already in memory (the sync alone). */
  vanillaConnectToSyncedP50: Record<string, number>;
  serverSideP50: Record<string, number>;
  /** Compaction on load of state + log rows, with the log's authors (as written now) and without. */
  compactOnLoad: { authored: Summary; anonymous: Summary; rows: number; deletionsBytes: number };
  loadBenchNotes: string[];
}

/**
 * The one step of opening a document that versions changed: a document loaded with more than 500
 * log rows is compacted at once, and a compaction now folds what each author deleted into
 * `document_deletions` (decoding every row). Timed in process on seph-blog1: the state before its
 * last `rows` transactions plus those transactions as log rows, written by one account (its
 * earlier deletions already folded, as after months of editing) or by nobody.
 */
function compactOnLoad(rows: number, iterations: number): LoadAgain['compactOnLoad'] {
  const trace = loadTrace(TRACE);
  const doc = newFiche();
  const text = paragraphText(doc);
  const tailStart = trace.txns.length - rows;
  const earlier: ReturnType<typeof deletedRanges>[] = [];
  const tail: Uint8Array[] = [];
  let base: Uint8Array | null = null;
  let index = 0;
  doc.on('update', (update: Uint8Array) => {
    if (index >= tailStart) tail.push(update);
    else earlier.push(deletedRanges(update));
  });
  for (const txn of trace.txns) {
    if (index === tailStart) base = Y.encodeStateAsUpdate(doc);
    doc.transact(() => applyPatches(text, txn.patches));
    index++;
  }
  if (!base) throw new Error('état de base manquant');
  const folded = JSON.stringify(mergeRanges(earlier.filter((r) => Object.keys(r).length > 0)));
  const dataDir = tempDataDir('essaim-bench-versions-load');
  const db = openDatabase(path.join(dataDir, 'essaim.sqlite'), { synchronous: 'NORMAL' });
  try {
    const repo = sqliteDocumentRepository(db);
    const store = sqliteCollabStore(db);
    const times: Record<'authored' | 'anonymous', number[]> = { authored: [], anonymous: [] };
    const now = new Date().toISOString();
    for (let i = 0; i <= iterations; i++) {
      for (const kind of i % 2 === 0
        ? (['authored', 'anonymous'] as const)
        : (['anonymous', 'authored'] as const)) {
        const id = randomUUID();
        const author = kind === 'authored' ? 'auteur-de-mesure' : null;
        repo.insert(
          {
            id,
            espaceId: null,
            kind: 'fiche',
            title: `Compactage ${kind} ${i}`,
            createdAt: now,
            updatedAt: now,
            metadata: emptyMetadata(),
            sections: [],
            pages: 0,
          },
          base,
        );
        if (author)
          db.prepare('INSERT INTO document_deletions (document_id, user_id, ranges) VALUES (?, ?, ?)').run(
            id,
            author,
            folded,
          );
        for (const update of tail) store.append(id, update, author);
        store.commit();
        // What PersistenceExtension.onLoadDocument does with more than 500 rows.
        const loaded = new Y.Doc();
        applyStored(loaded, store.load(id));
        const state = Y.encodeStateAsUpdate(loaded);
        const t0 = performance.now();
        store.compact(id, state, store.lastSeq());
        if (i > 0) times[kind].push(performance.now() - t0);
      }
    }
    const deletions = db
      .prepare<[], { b: number | null }>('SELECT MAX(LENGTH(ranges)) AS b FROM document_deletions')
      .get();
    return {
      authored: summarize(times.authored),
      anonymous: summarize(times.anonymous),
      rows,
      deletionsBytes: deletions?.b ?? 0,
    };
  } finally {
    db.close();
  }
}

function deletedRanges(update: Uint8Array): Record<string, [number, number][]> {
  const out: Record<string, [number, number][]> = {};
  for (const [client, items] of Y.decodeUpdate(update).ds.clients)
    out[String(client)] = items.map((d) => [d.clock, d.len]);
  return out;
}

async function loadAgain(): Promise<LoadAgain> {
  const load = await import('./load.js');
  const result = await load.run();
  const client = result.results.connectToSyncedMs as Record<string, Summary>;
  const direct = result.results.serverSide as Record<string, { loadApplyMs: Summary }>;
  const vanilla = result.vanilla.connectToSyncedMs as Record<string, Summary>;
  return {
    connectToSyncedP50: Object.fromEntries(Object.entries(client).map(([k, v]) => [k, v.p50])),
    vanillaConnectToSyncedP50: Object.fromEntries(Object.entries(vanilla).map(([k, v]) => [k, v.p50])),
    serverSideP50: Object.fromEntries(Object.entries(direct).map(([k, v]) => [k, v.loadApplyMs.p50])),
    compactOnLoad: compactOnLoad(envInt('BENCH_LOAD_LOG', 5_000), Math.max(1, envInt('BENCH_LOAD_ITER', 8))),
    loadBenchNotes: result.notes,
  };
}

// ---------------------------------------------------------------------------------------------

/** Part 1 of {@link run}: the replays with and without versions, and their targets (pushed to `targets`). */
async function replayParts(targets: TargetCheck[]): Promise<{
  withVersions: ReplaySize;
  without: ReplaySize;
  ratio: BenchResult['ratio'];
}> {
  log(`versions : rejeu de ${TRACE} avec versions automatiques (horloge simulée)…`);
  const withVersions = await replayWithClock(true);
  log(`versions : rejeu de ${TRACE} sans versions…`);
  const without = await replayWithClock(false);
  const aged = withVersions.afterAgeing ?? withVersions.afterReplay;
  const ratioAged = round(aged.document.versionsBytes / aged.document.stateBytes);
  const ratioReplay = round(
    withVersions.afterReplay.document.versionsBytes / withVersions.afterReplay.document.stateBytes,
  );
  const growth = aged.database.fileBytes - without.afterReplay.database.fileBytes;
  targets.push({
    name: `${TRACE} (90 jours simulés) : versions / état vivant, après une semaine de vieillissement`,
    target: `<= ${TARGET_RATIO}`,
    actual:
      `${ratioAged} (${aged.document.versions} versions, ${kib(aged.document.versionsBytes)} Kio ; état ` +
      `${kib(aged.document.stateBytes)} Kio ; avant vieillissement ${ratioReplay}, ${withVersions.afterReplay.document.versions} versions)`,
    met: ratioAged <= TARGET_RATIO,
  });
  targets.push({
    name: `${TRACE} : fichier SQLite avec / sans versions (après checkpoint)`,
    target: '(mesure)',
    actual:
      `${mib(aged.database.fileBytes)} / ${mib(without.afterReplay.database.fileBytes)} Mio (+${kib(growth)} Kio) ; ` +
      `pages utilisées ${mib(aged.database.usedBytes)} / ${mib(without.afterReplay.database.usedBytes)} Mio`,
    met: true,
  });
  const replayExact =
    withVersions.storedTextMatches && without.storedTextMatches && withVersions.lastVersionMatches === true;
  targets.push({
    name: 'texte final = endContent dans SQLite (avec et sans versions) et dans la dernière version',
    target: 'toujours',
    actual: replayExact ? 'oui' : 'NON',
    met: replayExact,
    correctness: true,
  });

  return {
    withVersions,
    without,
    ratio: {
      versionsOverLiveState: ratioAged,
      versionsOverLiveStateBeforeAgeing: ratioReplay,
      fileWithOverWithout: round(aged.database.fileBytes / without.afterReplay.database.fileBytes),
    },
  };
}

/**
 * Issue 11's measures of version history, with the defaults users get (a version after 5 minutes
 * of pause, at least every 30 minutes of activity; thinning by age): (1) what versions add to the
 * database over seph-blog1's 90 days of editing, against the same replay without versions in the
 * same run; (2) list, open, compare and restore on a 100-page fiche with 200 versions, in process
 * and through HTTP; (3) bench/load.ts again, and the compaction on load that versions changed.
 * Knobs: BENCH_VERSIONS_PAGES (100), BENCH_VERSIONS_COUNT (200), BENCH_VERSIONS_RUNS (20),
 * BENCH_VERSIONS_RESTORES (10 per way), BENCH_VERSIONS_LOAD (1; 0 skips part 3, which runs first:
 * it is the most sensitive to the process's heap), BENCH_VERSIONS_REPLAY (1; 0 skips part 1, for
 * measuring part 2 alone), BENCH_VERSIONS_PROFILE (1; 0 profiles only the operations that miss
 * their target).
 */
export async function run(): Promise<BenchResult> {
  const pages = envInt('BENCH_VERSIONS_PAGES', 100);
  const count = Math.max(2, envInt('BENCH_VERSIONS_COUNT', 200));
  const runs = Math.max(1, envInt('BENCH_VERSIONS_RUNS', 20));
  const restores = Math.max(1, envInt('BENCH_VERSIONS_RESTORES', 10));
  const withLoad = envInt('BENCH_VERSIONS_LOAD', 1) > 0;
  const notes: string[] = [];
  const targets: TargetCheck[] = [];

  let load: LoadAgain | null = null;
  if (withLoad) {
    log('versions : chargement d’un document à long historique (bench/load.ts)…');
    load = await loadAgain();
    const compacted = load.connectToSyncedP50.compacted ?? Number.NaN;
    targets.push({
      name: 'document de 102 pages à long historique, compacté : connexion → synchronisé, p50 (rappel de (c))',
      target: `<= ${TARGET_LOAD_MS} ms`,
      actual: `${compacted} ms (avant les versions : ${LOAD_BEFORE_MS} ms ; état + journal ${load.connectToSyncedP50.stateAndLog} ms, avant ${LOAD_LOG_BEFORE_MS} ms)`,
      met: compacted <= TARGET_LOAD_MS,
    });
  }

  const withReplay = envInt('BENCH_VERSIONS_REPLAY', 1) > 0;
  const replay = withReplay ? await replayParts(targets) : null;

  const history = await longHistory(pages, count, runs, restores);
  for (const op of Object.keys(OPERATION_LABELS) as Operation[]) {
    const t = history.operations[op];
    targets.push({
      name: `fiche de ${history.estimatedPages} pages, ${history.versionsBuilt} versions : ${OPERATION_LABELS[op]}, HTTP p50`,
      target: `< ${TARGET_MS} ms`,
      actual:
        `${t.http.p50} ms (p95 ${t.http.p95} ; en processus p50 ${t.inProcess.p50}, p95 ${t.inProcess.p95}` +
        (t.inProcessCpu ? ` ; temps CPU p50 ${t.inProcessCpu.p50}, p95 ${t.inProcessCpu.p95})` : ')'),
      met: t.http.p50 < TARGET_MS,
    });
  }
  const [restored, attempted] = history.restoresConverged.split(' / ');
  targets.push({
    name: 'chaque restauration arrive chez la personne connectée, dont le texte est alors celui de la version',
    target: 'toujours',
    actual: history.restoresConverged,
    met: restored === attempted,
    correctness: true,
  });

  notes.push(
    'vanilla = le même rejeu sans versions (le serveur ne note aucune modification), dans la même exécution.',
    'Horloge simulée : celle de la trace, décalée d’un jour dans le futur ; le minuteur réel du serveur ne voit donc aucune pause.',
    `Le vieillissement ajoute une version automatique (celle dont l’enregistrement éclaircit les autres) : elle est comptée.`,
  );
  return {
    name: 'versions',
    date: new Date().toISOString(),
    machine: machine(),
    params: {
      trace: TRACE,
      schedule: defaultVersionSchedule,
      pages,
      versions: count,
      runs,
      restoresPerWay: restores,
      tickMs: TICK_MS,
    },
    results: {
      ...(replay ? { replay: replay.withVersions } : {}),
      longHistory: history,
      ...(load ? { load } : {}),
    },
    vanilla: replay ? { replay: replay.without } : {},
    ratio: replay?.ratio ?? {},
    targets,
    notes,
  };
}

const kib = (bytes: number): number => Math.round(bytes / 1024);
