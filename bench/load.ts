import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { documentName, emptyMetadata } from '@essaim/protocol';
import * as Y from 'yjs';
import {
  applyStored,
  openDatabase,
  sqliteCollabStore,
  sqliteDocumentRepository,
} from '../server/src/storage/index.js';
import { tempDataDir } from '../tests/support/server.js';
import { connectClient, type NodeClient } from './lib/clients.js';
import { envInt } from './lib/env.js';
import { watchPressure } from './lib/pressure.js';
import { log, machine, type BenchResult, type TargetCheck } from './lib/report.js';
import { startBenchServer } from './lib/servers.js';
import { round, summarize, type Summary } from './lib/stats.js';
import { newFiche, paragraphText } from './lib/template.js';
import { applyPatches, loadTrace, type TraceName } from './lib/trace.js';
import { startVanillaServer } from './vanilla.js';

const TARGET_MS = 30;
const CHARS_PER_PAGE = 3_000;

/** 5 × seph-blog1 then friendsforever: about 305,000 characters (≈ 100 pages), 712,000 transactions. */
const PLAN: TraceName[] = [
  'seph-blog1',
  'seph-blog1',
  'seph-blog1',
  'seph-blog1',
  'seph-blog1',
  'friendsforever_flat',
];

interface BigDocument {
  /** Everything, as one compacted state. */
  finalState: Uint8Array;
  /** The state before the last `logLength` transactions… */
  baseState: Uint8Array;
  /** …and those transactions, one update each, as the server's log holds them. */
  tail: Uint8Array[];
  text: string;
  transactions: number;
  buildMs: number;
}

/**
 * Types the big document for real, in the first paragraph of a new fiche (where an editor types):
 * every trace transaction is one Yjs transaction, each trace by another author (client id),
 * appended after the previous one, so the document carries the whole history (deletions,
 * re-insertions, items split by later edits) that ~712,000 keystrokes leave.
 */
function buildBigDocument(logLength: number): BigDocument {
  const started = performance.now();
  const doc = newFiche();
  const text = paragraphText(doc);
  const total = PLAN.reduce((n, name) => n + loadTrace(name).txns.length, 0);
  const tailStart = total - logLength;
  const tail: Uint8Array[] = [];
  let baseState: Uint8Array | null = null;
  let index = 0;
  doc.on('update', (update: Uint8Array) => {
    if (index >= tailStart) tail.push(update);
  });
  PLAN.forEach((name, author) => {
    doc.clientID = 1_000 + author;
    const offset = text.length;
    for (const txn of loadTrace(name).txns) {
      if (index === tailStart) baseState = Y.encodeStateAsUpdate(doc);
      doc.transact(() => applyPatches(text, txn.patches, offset));
      index++;
    }
  });
  if (!baseState) throw new Error('base state missing');
  return {
    finalState: Y.encodeStateAsUpdate(doc),
    baseState,
    tail,
    text: text.toString(),
    transactions: total,
    buildMs: Math.round(performance.now() - started),
  };
}

type CaseName = 'compacted' | 'stateAndLog' | 'appendOnly';

interface Case {
  name: CaseName;
  /** Whether the 30 ms target applies (the long-history document) or the case is a reference. */
  target: boolean;
  label: string;
  state: Uint8Array;
  log: Uint8Array[];
}

/** The same text typed once from start to end, 50 characters per transaction: no editing history. */
function appendOnlyState(text: string): Uint8Array {
  const doc = newFiche();
  const ytext = paragraphText(doc);
  for (let i = 0; i < text.length; i += 50) ytext.insert(i, text.slice(i, i + 50));
  return Y.encodeStateAsUpdate(doc);
}

/** Number of structs (items, GC ranges) a state decodes into: what applyUpdate has to integrate. */
function structCount(state: Uint8Array): number {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, state);
  let n = 0;
  for (const structs of doc.store.clients.values()) n += structs.length;
  return n;
}

function whenSynced(client: NodeClient): Promise<number> {
  if (client.provider.isSynced) return Promise.resolve(performance.now());
  return new Promise((resolve) => {
    const onSynced = (): void => {
      client.provider.off('synced', onSynced);
      resolve(performance.now());
    };
    client.provider.on('synced', onSynced);
  });
}

/** Connects a fresh client (empty Y.Doc, new socket) and times connect → synced. */
async function timeClientLoad(
  wsUrl: string,
  name: string,
  expectedChars: number,
  token: string,
): Promise<number> {
  const t0 = performance.now();
  const client = connectClient(wsUrl, name, { token });
  try {
    const t1 = await Promise.race([
      whenSynced(client),
      new Promise<never>((_r, reject) =>
        setTimeout(() => reject(new Error(`chargement de ${name} > 20 s`)), 20_000),
      ),
    ]);
    if (client.text.length !== expectedChars) {
      throw new Error(`${name}: ${client.text.length} caractères chargés au lieu de ${expectedChars}`);
    }
    return t1 - t0;
  } finally {
    client.destroy();
  }
}

/**
 * (c) Opening a ~100-page document with a long history: from SQLite (compacted state alone, or
 * state + 5,000 log rows), measured at the client (connect → synced) and inside the server
 * (store.load + applyStored, the path of PersistenceExtension.onLoadDocument).
 */
export async function run(): Promise<BenchResult> {
  const iterations = Math.max(1, envInt('BENCH_LOAD_ITER', 8));
  const logLength = envInt('BENCH_LOAD_LOG', 5_000);
  log(`load: construction du grand document (${PLAN.join(' + ')})…`);
  const big = buildBigDocument(logLength);
  const chars = big.text.length;
  const cases: Case[] = [
    {
      name: 'compacted',
      target: true,
      label: 'historique long, état compacté',
      state: big.finalState,
      log: [],
    },
    {
      name: 'stateAndLog',
      target: true,
      label: `historique long, état + ${big.tail.length} mises à jour`,
      state: big.baseState,
      log: big.tail,
    },
    {
      name: 'appendOnly',
      target: false,
      label: 'même texte sans historique (référence)',
      state: appendOnlyState(big.text),
      log: [],
    },
  ];
  const logBytes = big.tail.reduce((n, u) => n + u.byteLength, 0);
  log(
    `load: ${chars} caractères (${round(chars / CHARS_PER_PAGE, 1)} pages), ${big.transactions} transactions, ` +
      `état ${round(big.finalState.byteLength / 1024, 1)} Kio, construit en ${big.buildMs} ms`,
  );

  // One SQLite file holding, per case, documents for the direct measurement and for the clients
  // (+1 warm-up each): a document's first load with > 500 log rows compacts it, so none is reused.
  const dataDir = tempDataDir('essaim-bench-load');
  const databaseFile = path.join(dataDir, 'essaim.sqlite');
  const db = openDatabase(databaseFile, { synchronous: 'NORMAL' });
  const repo = sqliteDocumentRepository(db);
  const store = sqliteCollabStore(db);
  const ids: Record<CaseName, { direct: string[]; client: string[] }> = {
    compacted: { direct: [], client: [] },
    stateAndLog: { direct: [], client: [] },
    appendOnly: { direct: [], client: [] },
  };
  const now = new Date().toISOString();
  for (const c of cases) {
    for (const use of ['direct', 'client'] as const) {
      for (let i = 0; i <= iterations; i++) {
        const id = randomUUID();
        repo.insert(
          {
            id,
            espaceId: null,
            kind: 'fiche',
            title: `Grand document ${c.name} ${i}`,
            createdAt: now,
            updatedAt: now,
            metadata: emptyMetadata(),
            sections: [],
            pages: 0,
          },
          c.state,
        );
        db.transaction(() => {
          for (const update of c.log) store.append(id, update);
        })();
        ids[c.name][use].push(id);
      }
    }
  }

  // Server side, the functions PersistenceExtension.onLoadDocument calls, on this process.
  const direct: Record<string, unknown> = {};
  for (const c of cases) {
    const load: number[] = [];
    const apply: number[] = [];
    const compact: number[] = [];
    ids[c.name].direct.forEach((id, i) => {
      const t0 = performance.now();
      const stored = store.load(id);
      const t1 = performance.now();
      const doc = new Y.Doc();
      applyStored(doc, stored);
      const t3 = performance.now();
      if (paragraphText(doc).length !== chars) throw new Error(`chargement direct incomplet (${c.name})`);
      // What onLoadDocument does next when the log is longer than 500 rows.
      let t4 = t3;
      if (stored.updates.length > 500) {
        store.compact(id, Y.encodeStateAsUpdate(doc), store.lastSeq());
        t4 = performance.now();
      }
      if (i === 0) return; // warm-up
      load.push(t1 - t0);
      apply.push(t3 - t1);
      compact.push(t4 - t3);
    });
    const total = load.map((l, i) => l + (apply[i] ?? 0));
    // Alternatives, for the record: the log applied row by row in one transaction instead of
    // Y.mergeUpdates, and the compacted state in Yjs's v2 update format.
    const alternative: Record<string, Summary> = {};
    if (c.log.length > 0) {
      const stored = store.load(ids[c.name].direct[0] ?? '');
      const times: number[] = [];
      for (let i = 0; i <= iterations; i++) {
        const t0 = performance.now();
        const doc = new Y.Doc();
        doc.transact(() => {
          if (stored.state) Y.applyUpdate(doc, stored.state);
          for (const update of stored.updates) Y.applyUpdate(doc, update);
        });
        if (i > 0) times.push(performance.now() - t0);
        if (paragraphText(doc).length !== chars) throw new Error('application séquentielle incomplète');
      }
      alternative.stateThenLogInOneTransactionMs = summarize(times);
    } else {
      const source = new Y.Doc();
      Y.applyUpdate(source, c.state);
      const v2 = Y.encodeStateAsUpdateV2(source);
      const times: number[] = [];
      for (let i = 0; i <= iterations; i++) {
        const t0 = performance.now();
        Y.applyUpdateV2(new Y.Doc(), v2);
        if (i > 0) times.push(performance.now() - t0);
      }
      alternative.applyUpdateV2Ms = summarize(times);
      alternative.v2Bytes = { ...summarize([v2.byteLength], 0) };
    }
    direct[c.name] = {
      label: c.label,
      stateBytes: c.state.byteLength,
      structs: structCount(c.state),
      logRows: c.log.length,
      storeLoadMs: summarize(load),
      applyStoredMs: summarize(apply),
      loadApplyMs: summarize(total),
      compactOnLoadMs: c.log.length > 500 ? summarize(compact) : null,
      alternative,
    };
  }
  db.close();

  // Through the server: a client connects to a document nobody has open, until synced.
  const pressure = watchPressure();
  const essaim = await startBenchServer('essaim', { dataDir });
  const clientEssaim: Record<string, Summary> = {};
  try {
    for (const c of cases) {
      const times: number[] = [];
      for (const [i, id] of ids[c.name].client.entries()) {
        const ms = await timeClientLoad(essaim.wsUrl, documentName(id), chars, await essaim.token());
        if (i > 0) times.push(ms);
      }
      clientEssaim[c.name] = summarize(times);
      log(`load essaim ${c.name}: connexion → synchronisé p50 ${clientEssaim[c.name]?.p50} ms`);
    }
  } finally {
    await essaim.stop();
  }

  // Vanilla keeps documents in memory only: the same content, already loaded (a server-side
  // connection holds it), so what remains is the sync itself. The difference is the cost of storage.
  const vanilla = await startVanillaServer();
  const clientVanilla: Record<string, Summary> = {};
  try {
    for (const c of cases) {
      const times: number[] = [];
      for (let i = 0; i <= iterations; i++) {
        const name = `big-${c.name}-${i}`;
        const holder = await vanilla.hocuspocus.openDirectConnection(name, {});
        await holder.transact((doc) => {
          Y.applyUpdate(doc, c.state);
          for (const update of c.log) Y.applyUpdate(doc, update);
        });
        const ms = await timeClientLoad(vanilla.wsUrl, name, chars, '');
        if (i > 0) times.push(ms);
        await holder.disconnect();
      }
      clientVanilla[c.name] = summarize(times);
      log(`load vanilla ${c.name}: connexion → synchronisé p50 ${clientVanilla[c.name]?.p50} ms`);
    }
  } finally {
    await vanilla.stop();
  }
  const disturbance = pressure.stop();

  const ratio: Record<string, number> = {};
  const targets: TargetCheck[] = [];
  for (const c of cases) {
    const e = clientEssaim[c.name];
    const v = clientVanilla[c.name];
    if (!e || !v) continue;
    ratio[`${c.name}.connectToSynced.p50`] = round(e.p50 / v.p50);
    if (!c.target) continue;
    targets.push({
      name: `document de ${Math.round(chars / CHARS_PER_PAGE)} pages (${c.label}) : connexion → synchronisé, p50`,
      target: `<= ${TARGET_MS} ms`,
      actual: `${e.p50} ms (max ${e.max} ms ; vanilla déjà en mémoire ${v.p50} ms)`,
      met: e.p50 <= TARGET_MS,
    });
  }
  return {
    name: 'load',
    date: new Date().toISOString(),
    machine: machine(),
    params: {
      iterations,
      logLength,
      plan: PLAN,
      chars,
      pages: round(chars / CHARS_PER_PAGE, 1),
      transactions: big.transactions,
      finalStateBytes: big.finalState.byteLength,
      baseStateBytes: big.baseState.byteLength,
      logBytes,
    },
    results: { connectToSyncedMs: clientEssaim, serverSide: direct, machineDuringClientLoads: disturbance },
    vanilla: { connectToSyncedMs: clientVanilla, note: 'document déjà en mémoire, sans stockage' },
    ratio,
    targets,
    notes: [
      'Tout le texte est dans le premier paragraphe d’une fiche (modèle à 13 sections) : un document réel, en plusieurs paragraphes avec des marques, a davantage de structures pour le même texte.',
      'Une première ouverture par cas sert de mise en route et n’est pas comptée.',
    ],
  };
}
