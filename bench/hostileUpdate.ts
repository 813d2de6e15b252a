import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { FRAGMENT } from '@essaim/protocol';
import * as Y from 'yjs';
import { MAX_UPDATE_STRUCTS, scanUpdate, validateUpdate } from '../server/src/collab/updateValidation.js';
import { createDocument, setupInstance } from '../tests/support/accounts.js';
import { Msg, RawClient } from '../tests/support/rawClient.js';
import { repoRoot, tempDataDir } from '../tests/support/server.js';
import { destroyAll, openClients, waitFor, type NodeClient } from './lib/clients.js';
import { envInt } from './lib/env.js';
import { log, machine, printSummary, writeResult, type BenchResult, type TargetCheck } from './lib/report.js';
import { median, round } from './lib/stats.js';
import { newFicheState } from './lib/template.js';

/**
 * What one hostile update costs everybody else (issue 8): a writer's raw client (no editor) sends
 * one update of many structs; how long does another person's keystroke take to reach a third
 * person meanwhile, against the same keystroke alone?
 *
 *   npx tsx --conditions=@essaim/source bench/hostileUpdate.ts
 *   BENCH_HOSTILE_PROFILE=/tmp/profile npx tsx --conditions=@essaim/source bench/hostileUpdate.ts
 *
 * The server runs as a child process from the TypeScript sources, so its time is its own (the
 * clients run here); with `BENCH_HOSTILE_PROFILE` it writes a V8 CPU profile there (open it in
 * Chrome's DevTools, or sum it by function). Shapes: the tester's update (180,000 characters typed
 * each before the previous one: one struct each, 1.96 MB), and the largest updates the server
 * takes ({@link MAX_UPDATE_STRUCTS} structs): the same typing, and a paste of short paragraphs.
 * Also times, in this process, reading each update's outline, checking it and applying it.
 */

interface Shape {
  name: string;
  structs: number;
  /** Times it is sent (each time under a new client id), each after a keystroke alone. */
  rounds: number;
  /** Writes the hostile change into `doc` (a replica of the document). */
  write(doc: Y.Doc, structs: number): void;
}

function paragraphOf(doc: Y.Doc, section: number): Y.XmlElement {
  const element = doc.getXmlFragment(FRAGMENT).get(section) as Y.XmlElement;
  return element
    .toArray()
    .find((c): c is Y.XmlElement => c instanceof Y.XmlElement && c.nodeName === 'paragraph') as Y.XmlElement;
}

/** Characters typed each before the previous one, in the second section: one struct each. */
function typedBackwards(doc: Y.Doc, structs: number): void {
  const text = new Y.XmlText();
  paragraphOf(doc, 1).insert(0, [text]);
  for (let i = 1; i < structs; i++) text.insert(0, 'x');
}

/** Paragraphs of one word pasted into the second section: three structs each. */
function pastedParagraphs(doc: Y.Doc, structs: number): void {
  const section = doc.getXmlFragment(FRAGMENT).get(1) as Y.XmlElement;
  const paragraphs = Array.from({ length: Math.floor(structs / 3) }, (_, i) => {
    const paragraph = new Y.XmlElement('paragraph');
    const text = new Y.XmlText();
    paragraph.insert(0, [text]);
    text.insert(0, `mot${i}`);
    return paragraph;
  });
  section.insert(section.length, paragraphs);
}

const SHAPES: Shape[] = [
  { name: 'testeur-180000', structs: 180_000, rounds: 5, write: typedBackwards },
  { name: 'frappe-limite', structs: MAX_UPDATE_STRUCTS, rounds: 1, write: typedBackwards },
  { name: 'collage-limite', structs: MAX_UPDATE_STRUCTS - 2, rounds: 1, write: pastedParagraphs },
];

function hostileUpdate(state: Uint8Array, shape: Shape, clientID: number): Uint8Array {
  const replica = new Y.Doc();
  replica.clientID = clientID;
  Y.applyUpdate(replica, state);
  const updates: Uint8Array[] = [];
  replica.on('update', (u: Uint8Array) => updates.push(u));
  replica.transact(() => shape.write(replica, shape.structs));
  return Y.mergeUpdates(updates);
}

/** Reading the outline, checking and applying each shape against a new fiche, in this process (ms). */
function inProcess(shape: Shape): Record<string, number | string> {
  const state = newFicheState();
  const update = hostileUpdate(state, shape, 0xf000_0001);
  const doc = new Y.Doc();
  Y.applyUpdate(doc, state);
  const time = (work: () => unknown): number => {
    const started = performance.now();
    work();
    return round(performance.now() - started, 1);
  };
  let verdict = '';
  const scanMs = time(() => scanUpdate(update));
  const validateMs = time(() => {
    const v = validateUpdate(doc, update);
    verdict = v.ok ? 'acceptée' : `${v.refusal} (${v.detail})`;
  });
  const applyMs = verdict === 'acceptée' ? time(() => Y.applyUpdate(doc, update)) : 0;
  const uncheckedScanMs = time(() => scanUpdate(update, { structs: Infinity, clients: Infinity }));
  return { bytes: update.byteLength, verdict, scanMs, uncheckedScanMs, validateMs, applyMs };
}

async function startServer(profileDir: string | undefined): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      '--conditions=@essaim/source',
      ...(profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []),
      path.join(repoRoot, 'server/src/main.ts'),
    ],
    {
      cwd: repoRoot,
      env: {
        ...process.env,
        PORT: '0',
        HOST: '127.0.0.1',
        DATA_DIR: tempDataDir('essaim-bench-hostile'),
        LOG_LEVEL: 'info',
        SERVE_CLIENT: 'false',
        DEMO: 'false',
      },
      stdio: ['ignore', 'pipe', 'ignore'],
    },
  );
  const url = await new Promise<string>((resolve, reject) => {
    let buffer = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const match = /"url":"(http:\/\/[^"]+)"/.exec(buffer);
      if (match?.[1]) resolve(match[1]);
    });
    child.once('exit', (code) => reject(new Error(`le serveur s’est arrêté (code ${code})`)));
  });
  return { child, url };
}

interface ShapeOutcome {
  bytes: number;
  /** The raw client's answer: the close reason, or `acceptée`. */
  answer: string;
  /** Send to answer (ms; median of rounds). */
  answerMs: number;
  /** The keystroke sent right after the hostile update, to the third client (ms; median of rounds). */
  keystrokeMs: number;
  /** That keystroke's time over the same keystroke's just before, alone (median of rounds). */
  keystrokeRatio: number;
  /** Slowest keystroke in the `watchSeconds` after it (stores and compactions included), ms. */
  slowestAfterMs: number;
}

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

/**
 * Inclusive time (ms) of the server's own functions and of Yjs's entry points in the largest V8
 * CPU profile of `dir` (the server's main thread): where a hostile update's time goes, by caller.
 */
function serverProfile(dir: string, top = 25): { function: string; ms: number }[] {
  const files = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.cpuprofile'))
    .map((f) => path.join(dir, f))
    .sort((a, b) => fs.statSync(b).size - fs.statSync(a).size);
  if (!files[0]) return [];
  const profile = JSON.parse(fs.readFileSync(files[0], 'utf8')) as {
    nodes: ProfileNode[];
    samples: number[];
    timeDeltas: number[];
  };
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const wanted = /server\/src\/|packages\/|yjs\.mjs/;
  const yjsEntry = /^(applyUpdate|decodeUpdate|encodeStateAsUpdate|transact)$/;
  const inclusive = new Map<string, number>();
  profile.samples.forEach((sample, i) => {
    const ms = (profile.timeDeltas[i] ?? 0) / 1000;
    const seen = new Set<string>();
    for (let id: number | undefined = sample; id !== undefined; id = parent.get(id)) {
      const frame = byId.get(id)?.callFrame;
      if (!frame || !wanted.test(frame.url)) continue;
      if (frame.url.includes('yjs') && !yjsEntry.test(frame.functionName)) continue;
      const file = frame.url
        .replace(/^.*\/(server\/src|packages)\//, '$1/')
        .replace(/^.*\/node_modules\//, '');
      const key = `${frame.functionName || '(anonyme)'} ${file}`;
      if (seen.has(key)) continue;
      seen.add(key);
      inclusive.set(key, (inclusive.get(key) ?? 0) + ms);
    }
  });
  return [...inclusive]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([fn, ms]) => ({ function: fn, ms: round(ms, 0) }));
}

export async function run(): Promise<BenchResult> {
  const watchSeconds = envInt('BENCH_HOSTILE_WATCH_SECONDS', 12);
  const profileDir = process.env.BENCH_HOSTILE_PROFILE;
  const { child, url } = await startServer(profileDir);
  const wsUrl = `${url.replace('http', 'ws')}/collab`;
  const outcomes: Record<string, ShapeOutcome> = {};
  let alone: number[] = [];
  try {
    const { admin, espaceId } = await setupInstance(url);
    let clientID = 0xf000_0000;
    for (const shape of SHAPES) {
      const { name } = await createDocument(admin, espaceId, `Banc ${shape.name}`);
      const token = await admin.collabToken();
      const [writer, reader] = (await openClients(wsUrl, name, 2, token)) as [NodeClient, NodeClient];
      const text = (doc: Y.Doc): Y.XmlText => paragraphOf(doc, 0).get(0) as Y.XmlText;
      let n = 0;
      const keystroke = async (): Promise<number> => {
        const marker = `[${++n}]`;
        const started = performance.now();
        text(writer.ydoc).insert(0, marker);
        await waitFor(() => text(reader.ydoc).toString().startsWith(marker), 60_000, 'frappe');
        return performance.now() - started;
      };
      for (let i = 0; i < 20; i++) alone.push(await keystroke());
      const rounds: {
        bytes: number;
        answer: string;
        answerMs: number;
        keystrokeMs: number;
        ratio: number;
      }[] = [];
      for (let r = 0; r < shape.rounds; r++) {
        const update = hostileUpdate(Y.encodeStateAsUpdate(writer.ydoc), shape, ++clientID);
        const raw = await RawClient.open(wsUrl);
        raw.authenticate(name, token);
        await waitFor(() => raw.frames.some((f) => f.type === Msg.Auth && f.authType === 2), 10_000, 'auth');
        log(`hostileUpdate: ${shape.name}, ${update.byteLength} octets…`);
        const reference = await keystroke();
        const sent = performance.now();
        raw.sendUpdate(name, update);
        const keystrokeMs = await keystroke();
        await waitFor(
          () => raw.closeReason(name) !== undefined || raw.frames.some((f) => f.type === Msg.SyncStatus),
          60_000,
          'réponse à la mise à jour',
        );
        rounds.push({
          bytes: update.byteLength,
          answer: raw.closeReason(name) ?? 'acceptée',
          answerMs: performance.now() - sent,
          keystrokeMs,
          ratio: keystrokeMs / Math.max(reference, 0.1),
        });
        raw.close();
      }
      let slowestAfterMs = 0;
      const until = performance.now() + watchSeconds * 1000;
      while (performance.now() < until) {
        slowestAfterMs = Math.max(slowestAfterMs, await keystroke());
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      const last = rounds[rounds.length - 1];
      outcomes[shape.name] = {
        bytes: last?.bytes ?? 0,
        answer: [...new Set(rounds.map((r) => r.answer))].join(', '),
        answerMs: round(median(rounds.map((r) => r.answerMs)), 1),
        keystrokeMs: round(median(rounds.map((r) => r.keystrokeMs)), 1),
        keystrokeRatio: round(median(rounds.map((r) => r.ratio)), 1),
        slowestAfterMs: round(slowestAfterMs, 1),
      };
      destroyAll([writer, reader]);
    }
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
  }
  alone = alone.sort((a, b) => a - b);
  const aloneMs = round(median(alone), 1);
  const tester = outcomes['testeur-180000'];
  const ratio = tester?.keystrokeRatio ?? Infinity;
  const targets: TargetCheck[] = [
    {
      name: 'frappe pendant la mise à jour du testeur / frappe seule juste avant (médiane de 5)',
      target: '< 25',
      actual: String(ratio),
      met: ratio < 25,
    },
    {
      name: 'mise à jour du testeur refusée',
      target: 'invalid-update',
      actual: tester?.answer ?? 'absente',
      met: tester?.answer === 'invalid-update',
      correctness: true,
    },
  ];
  return {
    name: 'hostileUpdate',
    date: new Date().toISOString(),
    machine: machine(),
    params: { maxUpdateStructs: MAX_UPDATE_STRUCTS, watchSeconds, shapes: SHAPES.map((s) => s.name) },
    results: {
      keystrokeAloneMs: { median: aloneMs, max: round(alone[alone.length - 1] ?? 0, 1) },
      server: outcomes,
      inProcess: Object.fromEntries(SHAPES.map((s) => [s.name, inProcess(s)])),
      ...(profileDir ? { serverProfileInclusiveMs: serverProfile(profileDir) } : {}),
    },
    vanilla: {},
    ratio: {},
    targets,
    notes: profileDir ? [`profil CPU du serveur : ${profileDir}`] : [],
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const result = await run();
  printSummary(result, writeResult(result));
  process.stdout.write(`${JSON.stringify(result.results, null, 2)}\n`);
  process.exit(0);
}
