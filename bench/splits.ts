/**
 * What the server's « split take-back » costs (issue 8; packages/editor/src/sectionForwarding.ts:
 * `recordSplitCopies` remembers where each paragraph split sent the characters it moved, so that the
 * same split made concurrently by a co-writer can be taken back by `dropRepeatedSplits`). The
 * repository's other benchmarks never split a paragraph (`replay` writes each trace into one
 * paragraph, `editors` never presses Enter), so they never reach that code.
 *
 * One Node provider types words (5 % Backspace), two readers follow. Each update is one transaction,
 * acknowledged by the server and applied by both readers before the next (a person typing). Three
 * workloads, each on a fresh fiche made by the API, the same seeded keystrokes each time:
 *
 * - `typing, no Enter` — the reference;
 * - `Enter every 40 keys` and `Enter every 6 keys` — every so many keys, an Enter in the middle of a
 *   paragraph that has text on both sides (at a space), written as the editor's binding writes a
 *   split: the paragraph's end deleted, a new paragraph after it holding a copy of that end. The
 *   writer then types at the start of the new paragraph.
 *
 * The server is the real one with the settings users get (`startTestServer` with no override:
 * `FLUSH_DELAY_MS` 0, update checks on) in a child process of its own (this file, `splits-server`),
 * so its CPU time is the server's alone; the clients run in this process. Per update, the server's
 * `process.cpuUsage()` (user + system, µs) is read by IPC before the transaction and again once both
 * readers hold it: the sample includes the server's side of one IPC request, the same for every
 * kind. Reported per workload: server CPU µs per update (the whole workload's CPU ÷ updates), the
 * median µs per kind of update (key, Backspace, split), and, round by round, the ratio of each split
 * workload to the no-Enter reference of the same round (median over rounds). The workloads
 * alternate order from one round to the next; a warm-up workload (Enter every 8 keys) runs first.
 * Correctness: after each workload the writer's and both readers' documents must be equal.
 *
 * Memory of the remembered splits (at most 20,000 characters a document, `MAX_SPLIT_COPIES`): the
 * structure is module-private in the server (`splitCopies`, a WeakMap from each Y.Doc to what it
 * remembers: a Map of moved character's key → first copy until H8s, runs since), so the server's
 * process writes a V8 heap snapshot (`v8.writeHeapSnapshot`, which collects garbage first) after
 * each workload, its clients still connected, and reads the structure there: from the module
 * context's `splitCopies` edge to the WeakMap, its value for this document (the key's `name`), and
 * everything that value reaches, each object once, in bytes (V8 self sizes), but not what objects
 * share (hidden classes, prototypes, code) nor the document. Checked against the server's own
 * `remembersSplits(document)`. Then, unmeasured for CPU, the cap: one paragraph of about 2,000
 * characters typed at once and split near its start twelve times over (each split moves almost all
 * of it again: about 24,000 characters moved), and the same reading. `BENCH_SPLITS_KEEP_SNAPSHOT=1`
 * keeps the snapshots (in the temporary folder).
 *
 * Knobs: `BENCH_SPLITS_KEYS` (2000 updates per workload), `BENCH_SPLITS_ROUNDS` (2),
 * `BENCH_SPLITS_WARMUP` (800 updates), `BENCH_SPLITS_CAP` (1: measure the memory at the cap; 0:
 * skip). About 2 minutes on this 2-core machine (more when it is busy). JSON in
 * bench/results/splits.json: `results` holds the two split workloads and `memoryAtCap`, `vanilla`
 * the no-Enter reference of the same run, `ratio` split ÷ reference (`every40.*`, `every6.*`:
 * `serverCpuPerUpdate`, `key`, `backspace`, and `splitOverReferenceKey`, one Enter ÷ one keystroke).
 *
 *   nice npx tsx --conditions=@essaim/source bench/run.ts splits
 */
import { fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import v8 from 'node:v8';
import { fileURLToPath } from 'node:url';
import { remembersSplits } from '@essaim/editor';
import { FRAGMENT } from '@essaim/protocol';
import * as Y from 'yjs';
import { createDocument, setupInstance } from '../tests/support/accounts.js';
import { startTestServer } from '../tests/support/server.js';
import { acknowledged, destroyAll, openClients, waitFor, type NodeClient } from './lib/clients.js';
import { envInt } from './lib/env.js';
import { log, machine, type BenchResult, type TargetCheck } from './lib/report.js';
import { requestReply } from './lib/spawn.js';
import { median, round, seededRandom } from './lib/stats.js';

const SERVER_ROLE = 'splits-server';
/** The server's cap on remembered split characters per document (`MAX_SPLIT_COPIES`). */
const MAX_SPLIT_COPIES = 20_000;
const SEED = 20_261_201;
const BACKSPACE_RATE = 0.05;
const LETTERS = 'abcdefghijklmnopqrstuvwxyzéèà';
const REPLY_MS = 30_000;

// ---------------------------------------------------------------------------------------------
// The server's process

type Request =
  | { type: 'doc'; title: string }
  | { type: 'token' }
  | { type: 'cpu' }
  | { type: 'splitMemory'; name: string }
  | { type: 'loaded'; name: string }
  | { type: 'stop' };

type Reply =
  | { type: 'ready'; wsUrl: string }
  | { type: 'doc'; name: string }
  | { type: 'token'; token: string }
  | { type: 'cpu'; us: number }
  | { type: 'splitMemory'; memory: SplitMemory }
  | { type: 'loaded'; loaded: boolean }
  | { type: 'stopped' }
  | { type: 'error'; error: string };

/** Entry of the child process: the real server with its defaults, answering one request at a time. */
async function serve(): Promise<void> {
  process.on('disconnect', () => process.exit(0));
  const server = await startTestServer();
  const { admin, espaceId } = await setupInstance(server.url);
  const gc = (globalThis as { gc?: () => void }).gc;
  const answer = async (m: Request): Promise<Reply> => {
    switch (m.type) {
      case 'doc':
        return { type: 'doc', name: (await createDocument(admin, espaceId, m.title)).name };
      case 'token':
        return { type: 'token', token: await admin.collabToken() };
      case 'cpu': {
        const c = process.cpuUsage();
        return { type: 'cpu', us: c.user + c.system };
      }
      case 'splitMemory': {
        const live = server.app.hocuspocus.documents.get(m.name);
        const remembers = live ? remembersSplits(live) : false;
        const file = path.join(os.tmpdir(), `essaim-splits-${process.pid}-${Date.now()}.heapsnapshot`);
        try {
          v8.writeHeapSnapshot(file);
          const memory = splitMemoryIn(
            JSON.parse(fs.readFileSync(file, 'utf8')) as HeapSnapshot,
            'splitCopies',
            m.name,
          );
          return { type: 'splitMemory', memory: { ...memory, remembers } };
        } finally {
          if (!process.env.BENCH_SPLITS_KEEP_SNAPSHOT) fs.rmSync(file, { force: true });
          // The parsed snapshot is garbage: collect it now, not during the next workload.
          gc?.();
        }
      }
      case 'loaded':
        return { type: 'loaded', loaded: server.app.hocuspocus.documents.has(m.name) };
      case 'stop':
        await server.stop();
        return { type: 'stopped' };
    }
  };
  process.on('message', (m: Request) => {
    answer(m)
      .catch((error: unknown): Reply => ({ type: 'error', error: String(error) }))
      .then((reply) => {
        process.send?.(reply);
        if (reply.type === 'stopped') setTimeout(() => process.exit(0), 100);
      });
  });
  process.send?.({ type: 'ready', wsUrl: server.wsUrl } satisfies Reply);
}

/** The part of a V8 heap snapshot (`.heapsnapshot` JSON) read here. */
interface HeapSnapshot {
  snapshot: {
    meta: {
      node_fields: string[];
      node_types: [string[], ...unknown[]];
      edge_fields: string[];
      edge_types: [string[], ...unknown[]];
    };
  };
  nodes: number[];
  edges: number[];
  strings: string[];
}

/** What the server remembers of splits (`splitCopies` of sectionForwarding.ts), from a heap snapshot. */
export interface SplitMemory {
  /** Values for this document in the WeakMap (0 or 1). */
  maps: number;
  /** Values for other documents still in the WeakMap (not counted). */
  otherDocuments: number;
  /** Characters remembered (entries of those Maps; null when the memory is not a Map). */
  entries: number | null;
  /** Bytes of everything the WeakMap's values reach (V8 self sizes, each object once). */
  bytes: number;
  /** Whether a value reaches the document (its items would then be counted too: a wrong reading). */
  reachesDocument: boolean;
  /** What the server itself says (`remembersSplits` of the document): a check of the reading. */
  remembers?: boolean;
  /** Whether the module context's variable was found at all (false: the reading is meaningless). */
  found: boolean;
}

/**
 * Reads, in `snap`, the WeakMap held by the module-context variable `variable` and sizes the Maps
 * it holds: see the module's comment.
 */
function splitMemoryIn(snap: HeapSnapshot, variable: string, documentName: string): SplitMemory {
  const meta = snap.snapshot.meta;
  const nf = meta.node_fields.length;
  const ef = meta.edge_fields.length;
  const nType = meta.node_fields.indexOf('type');
  const nName = meta.node_fields.indexOf('name');
  const nSelf = meta.node_fields.indexOf('self_size');
  const nEdges = meta.node_fields.indexOf('edge_count');
  const nId = meta.node_fields.indexOf('id');
  const eType = meta.edge_fields.indexOf('type');
  const eName = meta.edge_fields.indexOf('name_or_index');
  const eTo = meta.edge_fields.indexOf('to_node');
  const nodeTypes = meta.node_types[0];
  const edgeTypes = meta.edge_types[0];
  const { nodes, edges, strings } = snap;
  const count = nodes.length / nf;
  const firstEdge = new Float64Array(count + 1);
  for (let i = 0; i < count; i++)
    firstEdge[i + 1] = (firstEdge[i] as number) + (nodes[i * nf + nEdges] as number) * ef;
  const typeOf = (n: number): string => nodeTypes[nodes[n * nf + nType] as number] ?? '';
  const nameOf = (n: number): string => strings[nodes[n * nf + nName] as number] ?? '';
  const selfOf = (n: number): number => nodes[n * nf + nSelf] as number;
  const edgesOf = (n: number): { type: string; name: string; to: number }[] => {
    const out: { type: string; name: string; to: number }[] = [];
    for (let e = firstEdge[n] as number; e < (firstEdge[n + 1] as number); e += ef) {
      const type = edgeTypes[edges[e + eType] as number] ?? '';
      const raw = edges[e + eName] as number;
      const name = type === 'element' || type === 'hidden' ? String(raw) : (strings[raw] ?? '');
      out.push({ type, name, to: (edges[e + eTo] as number) / nf });
    }
    return out;
  };
  const weakMaps = new Set<number>();
  for (let n = 0; n < count; n++)
    for (const e of edgesOf(n)) if (e.type === 'context' && e.name === variable) weakMaps.add(e.to);
  // The WeakMap's values: its table links each to its key by a « part of key (Document @id) ->
  // value … » edge. Only the value of this document (the key's `name`): another document unloaded
  // but not yet collected may still be in the table.
  const byId = new Map<number, number>();
  for (let n = 0; n < count; n++) byId.set(nodes[n * nf + nId] as number, n);
  const values = new Set<number>();
  let others = 0;
  for (const w of weakMaps)
    for (const t of edgesOf(w))
      if (t.name === 'table')
        for (const v of edgesOf(t.to)) {
          const keyId = /part of key \([^@]*@(\d+)\)/.exec(v.name)?.[1];
          if (keyId === undefined) continue;
          const keyNode = byId.get(Number(keyId));
          const ours =
            keyNode !== undefined &&
            edgesOf(keyNode).some((e) => e.name === 'name' && nameOf(e.to) === documentName);
          if (ours) values.add(v.to);
          else if (keyNode !== undefined && typeOf(keyNode) === 'object') others++;
        }
  const seen = new Set<number>();
  let bytes = 0;
  let mapEntries = 0;
  let allMaps = true;
  let reachesDocument = false;
  // Everything a value reaches, each object once, but not what objects share (their hidden class,
  // prototype, code) nor the document (a value that held Yjs items would count them: flagged).
  const skipEdges = new Set(['map', '__proto__', 'constructor', 'prototype']);
  const skipTypes = new Set(['code', 'closure', 'object shape', 'synthetic']);
  const walk = (root: number): void => {
    const stack = [root];
    while (stack.length > 0) {
      const n = stack.pop() as number;
      if (seen.has(n) || skipTypes.has(typeOf(n))) continue;
      if (
        typeOf(n) === 'object' &&
        ['Doc', 'Document', 'Item', 'YXmlText', 'YXmlElement'].includes(nameOf(n))
      ) {
        reachesDocument = true;
        continue;
      }
      seen.add(n);
      bytes += selfOf(n);
      for (const e of edgesOf(n))
        if (e.type !== 'weak' && e.type !== 'shortcut' && !skipEdges.has(e.name)) stack.push(e.to);
    }
  };
  for (const v of values) {
    // Entries: the keys of a Map (the layout of 2026-12-01 morning); unknown for another layout.
    if (typeOf(v) === 'object' && nameOf(v) === 'Map') {
      for (const t of edgesOf(v))
        if (t.name === 'table')
          for (const e of edgesOf(t.to)) if (typeOf(e.to).endsWith('string')) mapEntries++;
    } else allMaps = false;
    walk(v);
  }
  return {
    maps: values.size,
    otherDocuments: others,
    entries: allMaps ? mapEntries : null,
    bytes,
    found: weakMaps.size > 0,
    reachesDocument,
  };
}

/** The server's process, as seen from the benchmark. */
class ServerChild {
  private constructor(
    private readonly proc: ChildProcess,
    readonly wsUrl: string,
  ) {}

  static async start(): Promise<ServerChild> {
    const proc = fork(fileURLToPath(import.meta.url), [SERVER_ROLE], {
      execArgv: [...process.execArgv, '--expose-gc'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const wsUrl = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('serveur : pas prêt en 60 s')), 60_000);
      proc.once('message', (m: Reply) => {
        clearTimeout(timer);
        if (m.type === 'ready') resolve(m.wsUrl);
        else reject(new Error(`serveur : ${JSON.stringify(m)}`));
      });
      proc.once('exit', (code) => reject(new Error(`serveur arrêté au démarrage (code ${code})`)));
    });
    return new ServerChild(proc, wsUrl);
  }

  private async ask<T extends Reply['type']>(
    request: Request,
    type: T,
    timeoutMs = REPLY_MS,
  ): Promise<Extract<Reply, { type: T }>> {
    const reply = await requestReply<Reply>(this.proc, request, timeoutMs, 'serveur');
    if (reply.type !== type) throw new Error(`serveur : « ${type} » attendu, reçu ${JSON.stringify(reply)}`);
    return reply as Extract<Reply, { type: T }>;
  }

  async newDocument(title: string): Promise<string> {
    return (await this.ask({ type: 'doc', title }, 'doc')).name;
  }
  async token(): Promise<string> {
    return (await this.ask({ type: 'token' }, 'token')).token;
  }
  /** CPU time (user + system) of the server's process since it started, µs. */
  async cpuUs(): Promise<number> {
    return (await this.ask({ type: 'cpu' }, 'cpu')).us;
  }
  /** The server's remembered splits, read in a heap snapshot of its process. */
  async splitMemory(name: string): Promise<SplitMemory> {
    return (await this.ask({ type: 'splitMemory', name }, 'splitMemory', 120_000)).memory;
  }
  async loaded(name: string): Promise<boolean> {
    return (await this.ask({ type: 'loaded', name }, 'loaded')).loaded;
  }
  async stop(): Promise<void> {
    try {
      await this.ask({ type: 'stop' }, 'stopped');
    } finally {
      if (this.proc.exitCode === null) setTimeout(() => this.proc.kill('SIGKILL'), 2_000).unref();
    }
  }
}

// ---------------------------------------------------------------------------------------------
// The writer

const section0 = (ydoc: Y.Doc): Y.XmlElement => {
  const section = ydoc
    .getXmlFragment(FRAGMENT)
    .toArray()
    .find((c): c is Y.XmlElement => c instanceof Y.XmlElement && c.nodeName === 'section');
  if (!section) throw new Error('pas de section dans le document');
  return section;
};

const paragraphs = (ydoc: Y.Doc): Y.XmlElement[] =>
  section0(ydoc)
    .toArray()
    .filter((c): c is Y.XmlElement => c instanceof Y.XmlElement && c.nodeName === 'paragraph');

const textOf = (p: Y.XmlElement): Y.XmlText => {
  const t = p.get(0);
  if (t instanceof Y.XmlText) return t;
  throw new Error('paragraphe sans texte');
};

const fragmentJSON = (client: NodeClient): string =>
  JSON.stringify(client.ydoc.getXmlFragment(FRAGMENT).toJSON());

type Kind = 'key' | 'backspace' | 'split';

/** A word of 3 to 8 letters drawn with `random`. */
const word = (random: () => number): string =>
  Array.from(
    { length: 3 + Math.floor(random() * 6) },
    () => LETTERS[Math.floor(random() * LETTERS.length)] as string,
  ).join('');

/** The writer's update acknowledged by the server and applied by both readers. */
async function delivered(clients: readonly NodeClient[]): Promise<void> {
  const [writer, ...readers] = clients;
  if (!writer) return;
  await acknowledged(writer);
  const id = writer.ydoc.clientID;
  const want = Y.getState(writer.ydoc.store, id);
  await waitFor(
    () => readers.every((r) => Y.getState(r.ydoc.store, id) >= want),
    REPLY_MS,
    'mise à jour reçue par les lecteurs',
  );
}

interface Workload {
  label: string;
  /** Every so many keys, an Enter in the middle of a paragraph (0: never). */
  enterEvery: number;
}

interface WorkloadOutcome {
  label: string;
  enterEvery: number;
  updates: number;
  splits: number;
  backspaces: number;
  paragraphs: number;
  /** Server CPU of the whole workload ÷ updates, µs. */
  serverCpuUsPerUpdate: number;
  /** Median server CPU of one update of each kind, µs (null: none of that kind). */
  medianUs: Record<Kind, number | null>;
  count: Record<Kind, number>;
  wallMsPerUpdate: number;
  converged: boolean;
  /** Characters the splits moved (each remembered once by the server), capped at its 20,000. */
  rememberedCharsUpperBound: number;
  /** What the server remembers of this document's splits at the end of the workload. */
  splitMemory: SplitMemory;
}

/** One workload on a fresh document: see the module's comment. */
async function runWorkload(server: ServerChild, w: Workload, keys: number): Promise<WorkloadOutcome> {
  const name = await server.newDocument(`Scissions : ${w.label}`);
  const token = await server.token();
  const clients = await openClients(server.wsUrl, name, 3, token);
  const writer = clients[0] as NodeClient;
  const doc = writer.ydoc;
  const random = seededRandom(SEED);
  const samples: Record<Kind, number[]> = { key: [], backspace: [], split: [] };
  let para = 0;
  let caret = 0;
  let pending = '';
  let splits = 0;
  let moved = 0;
  let backspaces = 0;
  const cpu0 = await server.cpuUs();
  const t0 = performance.now();
  for (let k = 0; k < keys; k++) {
    const ps = paragraphs(doc);
    if (w.enterEvery > 0 && k > 0 && k % w.enterEvery === 0) {
      // Enter in the middle of a paragraph with text on both sides, at a space.
      const candidates = ps
        .map((p, i) => ({ p, i, s: textOf(p).toString() }))
        .filter(({ s }) => s.length >= 12 && s.indexOf(' ', 4) > 0 && s.indexOf(' ', 4) < s.length - 3);
      const pick = candidates[Math.floor(random() * candidates.length)];
      if (pick) {
        const spaces: number[] = [];
        for (let j = 4; j < pick.s.length - 3; j++) if (pick.s[j] === ' ') spaces.push(j);
        const at = spaces[Math.floor(random() * spaces.length)] as number;
        const c0 = await server.cpuUs();
        doc.transact(() => {
          // As the binding writes a split: the end deleted, a new paragraph after holding a copy.
          const text = textOf(pick.p);
          const end = text.toString().slice(at);
          text.delete(at, text.length - at);
          const section = section0(doc);
          const next = new Y.XmlElement('paragraph');
          section.insert(section.toArray().indexOf(pick.p) + 1, [next]);
          next.insert(0, [new Y.XmlText(end)]);
          moved += end.length;
        });
        splits++;
        para = pick.i + 1;
        caret = 0;
        await delivered(clients);
        samples.split.push((await server.cpuUs()) - c0);
        continue;
      }
    }
    const text = textOf(ps[Math.min(para, ps.length - 1)] as Y.XmlElement);
    caret = Math.min(caret, text.length);
    const c0 = await server.cpuUs();
    let kind: Kind = 'key';
    if (caret > 0 && random() < BACKSPACE_RATE) {
      kind = 'backspace';
      const at = caret - 1;
      doc.transact(() => text.delete(at, 1));
      caret--;
      backspaces++;
    } else {
      if (pending.length === 0) pending = `${word(random)} `;
      const ch = pending[0] as string;
      pending = pending.slice(1);
      const at = caret;
      doc.transact(() => text.insert(at, ch));
      caret++;
    }
    await delivered(clients);
    samples[kind].push((await server.cpuUs()) - c0);
  }
  const t1 = performance.now();
  const cpu1 = await server.cpuUs();
  const { converged, memory: splitMemory } = await closeDocument(server, name, writer, clients);

  const medianOf = (xs: number[]): number | null => (xs.length === 0 ? null : round(median(xs), 1));
  return {
    label: w.label,
    enterEvery: w.enterEvery,
    updates: keys,
    splits,
    backspaces,
    paragraphs: paragraphs(doc).length,
    serverCpuUsPerUpdate: round((cpu1 - cpu0) / keys, 1),
    medianUs: {
      key: medianOf(samples.key),
      backspace: medianOf(samples.backspace),
      split: medianOf(samples.split),
    },
    count: { key: samples.key.length, backspace: samples.backspace.length, split: samples.split.length },
    wallMsPerUpdate: round((t1 - t0) / keys, 3),
    converged,
    rememberedCharsUpperBound: Math.min(moved, MAX_SPLIT_COPIES),
    splitMemory,
  };
}

/**
 * The end of a workload's document: whether every client's text came to the writer's (10 s at
 * most), the server's remembered splits for it, then the clients closed and the document unloaded
 * (its remembered splits with it) before the next one opens.
 */
async function closeDocument(
  server: ServerChild,
  name: string,
  writer: NodeClient,
  clients: NodeClient[],
): Promise<{ converged: boolean; memory: Awaited<ReturnType<ServerChild['splitMemory']>> }> {
  const want = fragmentJSON(writer);
  let converged = true;
  try {
    await waitFor(() => clients.every((c) => fragmentJSON(c) === want), 10_000, 'convergence des lecteurs');
  } catch {
    converged = false;
  }
  const memory = await server.splitMemory(name);
  destroyAll(clients);
  await waitForAsync(async () => !(await server.loaded(name)), 30_000, `déchargement de ${name}`);
  return { converged, memory };
}

/** {@link waitFor} for a condition that must ask the server (polled every 20 ms). */
async function waitForAsync(
  condition: () => Promise<boolean>,
  timeoutMs: number,
  label: string,
): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!(await condition())) {
    if (performance.now() > deadline) throw new Error(`délai dépassé (${timeoutMs} ms) : ${label}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Characters remembered at the cap: counted in the Map, or the characters moved, capped. */
const capChars = (cap: CapOutcome): number => cap.memory.entries ?? Math.min(cap.moved, MAX_SPLIT_COPIES);

interface CapOutcome {
  paragraphChars: number;
  splits: number;
  /** Characters the splits moved (the server keeps at most 20,000). */
  moved: number;
  /** Server CPU of each of those splits (µs), for the record (long paragraphs, not a workload). */
  splitUs: number[];
  converged: boolean;
  memory: SplitMemory;
}

/**
 * The remembered splits at their cap: one paragraph of about 2,000 characters typed at once, then
 * split near its start, and the new paragraph again, twelve times (each split moves almost all of
 * it again, as new characters: about 24,000 moved).
 */
async function fillToCap(server: ServerChild): Promise<CapOutcome> {
  const name = await server.newDocument('Scissions : plafond');
  const clients = await openClients(server.wsUrl, name, 3, await server.token());
  const writer = clients[0] as NodeClient;
  const doc = writer.ydoc;
  const random = seededRandom(SEED + 1);
  const words: string[] = [];
  let length = 0;
  while (length < 2_000) {
    const w = word(random);
    words.push(w);
    length += w.length + 1;
  }
  const paragraph = words.join(' ');
  doc.transact(() => textOf(paragraphs(doc)[0] as Y.XmlElement).insert(0, paragraph));
  await delivered(clients);
  let moved = 0;
  const splitUs: number[] = [];
  for (let i = 0; i < 12; i++) {
    const ps = paragraphs(doc);
    const p = ps[ps.length - 1] as Y.XmlElement;
    const s = textOf(p).toString();
    const at = s.indexOf(' ', 4);
    if (at < 0 || at >= s.length - 3) break;
    const c0 = await server.cpuUs();
    doc.transact(() => {
      const text = textOf(p);
      const end = text.toString().slice(at);
      text.delete(at, text.length - at);
      const section = section0(doc);
      const next = new Y.XmlElement('paragraph');
      section.insert(section.toArray().indexOf(p) + 1, [next]);
      next.insert(0, [new Y.XmlText(end)]);
      moved += end.length;
    });
    await delivered(clients);
    splitUs.push((await server.cpuUs()) - c0);
  }
  const { converged, memory } = await closeDocument(server, name, writer, clients);
  return { paragraphChars: paragraph.length, splits: splitUs.length, moved, splitUs, converged, memory };
}

// ---------------------------------------------------------------------------------------------
// The benchmark

const REFERENCE: Workload = { label: 'typing, no Enter', enterEvery: 0 };
const SPLITTING: Workload[] = [
  { label: 'Enter mid-paragraph every 40 keys', enterEvery: 40 },
  { label: 'Enter mid-paragraph every 6 keys', enterEvery: 6 },
];

interface Summary {
  label: string;
  enterEvery: number;
  /** Medians over the rounds. */
  serverCpuUsPerUpdate: number;
  medianUs: Record<Kind, number | null>;
  splits: number;
  rememberedCharsUpperBound: number;
  /** Characters the server remembered, and the bytes of that memory (read in its heap). */
  rememberedChars: number;
  splitMemoryBytes: number;
  bytesPerRememberedChar: number | null;
  rounds: WorkloadOutcome[];
}

function summarize(w: Workload, runs: WorkloadOutcome[]): Summary {
  const of = (f: (o: WorkloadOutcome) => number | null): number | null => {
    const xs = runs.map(f).filter((x): x is number => x !== null);
    return xs.length === 0 ? null : round(median(xs), 1);
  };
  // Counted in the Map, or (another layout) the characters the splits moved, capped.
  const remembered = of((o) => o.splitMemory.entries ?? o.rememberedCharsUpperBound) ?? 0;
  const bytes = of((o) => o.splitMemory.bytes) ?? 0;
  return {
    label: w.label,
    enterEvery: w.enterEvery,
    serverCpuUsPerUpdate: of((o) => o.serverCpuUsPerUpdate) ?? Number.NaN,
    medianUs: {
      key: of((o) => o.medianUs.key),
      backspace: of((o) => o.medianUs.backspace),
      split: of((o) => o.medianUs.split),
    },
    splits: of((o) => o.splits) ?? 0,
    rememberedCharsUpperBound: of((o) => o.rememberedCharsUpperBound) ?? 0,
    rememberedChars: remembered,
    splitMemoryBytes: bytes,
    bytesPerRememberedChar: remembered > 0 ? round(bytes / remembered, 1) : null,
    rounds: runs,
  };
}

export async function run(): Promise<BenchResult> {
  const keys = Math.max(1, envInt('BENCH_SPLITS_KEYS', 2_000));
  const rounds = Math.max(1, envInt('BENCH_SPLITS_ROUNDS', 2));
  const warmup = envInt('BENCH_SPLITS_WARMUP', 800);
  const measureCap = envInt('BENCH_SPLITS_CAP', 1) > 0;
  const server = await ServerChild.start();
  const runs = new Map<string, WorkloadOutcome[]>();
  let cap: CapOutcome | null = null;
  try {
    if (warmup > 0)
      await runWorkload(server, { label: 'warm-up, Enter every 8 keys', enterEvery: 8 }, warmup);
    const all = [REFERENCE, ...SPLITTING];
    for (let r = 0; r < rounds; r++) {
      // Alternated, so a slower moment of the shared machine does not always fall on the same one.
      for (const w of r % 2 === 0 ? all : [...all].reverse()) {
        const o = await runWorkload(server, w, keys);
        runs.set(w.label, [...(runs.get(w.label) ?? []), o]);
        log(
          `splits manche ${r + 1} ${w.label} : ${o.serverCpuUsPerUpdate} µs CPU serveur/mise à jour, ` +
            `médianes frappe ${o.medianUs.key} / retour arrière ${o.medianUs.backspace} / Entrée ${o.medianUs.split} µs, ` +
            `${o.splits} scissions, ${o.splitMemory.entries} caractères retenus en ${round(o.splitMemory.bytes / 1024, 1)} Kio` +
            (o.converged ? '' : ' ERREUR : les répliques divergent'),
        );
      }
    }
    if (measureCap) {
      cap = await fillToCap(server);
      log(
        `splits plafond : ${cap.moved} caractères déplacés en ${cap.splits} scissions, ` +
          `${cap.memory.entries} retenus en ${round(cap.memory.bytes / 1024, 1)} Kio`,
      );
    }
  } finally {
    await server.stop();
  }

  const reference = summarize(REFERENCE, runs.get(REFERENCE.label) ?? []);
  const results: Record<string, unknown> = {};
  const ratio: Record<string, number> = {};
  // Round by round: each split workload against the reference of the same round, then the median.
  const perRound = (w: Workload, f: (o: WorkloadOutcome) => number | null): number => {
    const refs = runs.get(REFERENCE.label) ?? [];
    const xs = (runs.get(w.label) ?? []).flatMap((o, i) => {
      const a = f(o);
      const ref = refs[i];
      const b = ref ? f(ref) : null;
      return a !== null && b !== null && b > 0 ? [a / b] : [];
    });
    return xs.length === 0 ? Number.NaN : round(median(xs), 2);
  };
  for (const w of SPLITTING) {
    const s = summarize(w, runs.get(w.label) ?? []);
    results[w.label] = s;
    ratio[`every${w.enterEvery}.serverCpuPerUpdate`] = perRound(w, (o) => o.serverCpuUsPerUpdate);
    ratio[`every${w.enterEvery}.key`] = perRound(w, (o) => o.medianUs.key);
    ratio[`every${w.enterEvery}.backspace`] = perRound(w, (o) => o.medianUs.backspace);
    // One Enter against one keystroke of the reference, round by round.
    const refs = runs.get(REFERENCE.label) ?? [];
    const splitOverKey = (runs.get(w.label) ?? []).flatMap((o, i) => {
      const k = refs[i]?.medianUs.key;
      return o.medianUs.split !== null && k ? [o.medianUs.split / k] : [];
    });
    ratio[`every${w.enterEvery}.splitOverReferenceKey`] =
      splitOverKey.length === 0 ? Number.NaN : round(median(splitOverKey), 2);
  }

  const outcomes = [...runs.values()].flat();
  const diverged = [
    ...outcomes.filter((o) => !o.converged).map((o) => o.label),
    ...(cap && !cap.converged ? ['plafond'] : []),
  ];
  const readings = [...outcomes.map((o) => o.splitMemory), ...(cap ? [cap.memory] : [])];
  const found = readings.every((m) => m.found && !m.reachesDocument);
  // A workload that split paragraphs must leave something remembered (else the reading missed it).
  const missing = outcomes.filter(
    (o) => o.splits > 0 && (o.splitMemory.maps === 0) !== (o.splitMemory.remembers === false),
  ).length;
  const targets: TargetCheck[] = [
    {
      name: 'le rédacteur et ses deux lecteurs finissent avec le même document',
      target: 'toujours',
      actual:
        diverged.length === 0
          ? `oui (${outcomes.length + (cap ? 1 : 0)} documents)`
          : `NON : ${diverged.join(', ')}`,
      met: diverged.length === 0,
      correctness: true,
    },
  ];
  return {
    name: 'splits',
    date: new Date().toISOString(),
    machine: machine(),
    params: {
      keys,
      rounds,
      warmup,
      seed: SEED,
      backspaceRate: BACKSPACE_RATE,
      readers: 2,
      server: 'startTestServer sans réglage (FLUSH_DELAY_MS 0, vérifications actives), processus enfant',
      workloads: [REFERENCE, ...SPLITTING],
    },
    results: {
      ...results,
      memoryAtCap: cap
        ? {
            ...cap,
            bytesPerRememberedChar: capChars(cap) > 0 ? round(cap.memory.bytes / capChars(cap), 1) : null,
          }
        : null,
    },
    vanilla: { [REFERENCE.label]: reference },
    ratio,
    targets,
    notes: [
      '« vanilla » désigne ici la frappe sans Entrée sur le même serveur dans la même exécution (la référence), pas Hocuspocus nu.',
      'CPU du serveur seul (processus enfant) ; chaque échantillon par mise à jour inclut le traitement d’une requête IPC par le serveur.',
      'Mémoire des scissions retenues : lue dans un instantané du tas du serveur (v8.writeHeapSnapshot) : la valeur de la WeakMap splitCopies (module sectionForwarding) pour ce document et tout ce qu’elle atteint, chaque objet une fois (tailles propres V8), vérifiée avec remembersSplits du serveur.' +
        (found
          ? ''
          : ' ATTENTION : variable splitCopies introuvable dans l’instantané, ou ses valeurs atteignent le document : mesure fausse.') +
        (missing > 0
          ? ` ATTENTION : ${missing} document(s) scindé(s) où la lecture de splitCopies et remembersSplits du serveur ne s’accordent pas : mémoire non mesurée.`
          : ''),
      `Référence par manche (médianes) : ${reference.rounds.map((o) => `${o.serverCpuUsPerUpdate} µs/mise à jour, frappe ${o.medianUs.key} µs`).join(' ; ')}.`,
    ],
  };
}

if (process.argv[2] === SERVER_ROLE) await serve();
