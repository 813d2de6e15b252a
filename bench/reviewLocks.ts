import type { afterLoadDocumentPayload, Connection, Hocuspocus } from '@hocuspocus/server';
import { sectionHash, sectionsOf, ydocToJSON, ydocToNode, schema, type DocJSON } from '@essaim/editor';
import { FRAGMENT, parseDocumentName } from '@essaim/protocol';
import { createLogger } from '@essaim/server';
import { applyStored } from '@essaim/server/storage';
import { pathToFileURL } from 'node:url';
import * as Y from 'yjs';
import type { CollabContext } from '../server/src/collab/context.js';
import { SectionLocksExtension } from '../server/src/collab/SectionLocksExtension.js';
import type { LockedSection, SectionLocks } from '../server/src/services/sectionLocks.js';
import { createDocument, setupInstance, type Session } from '../tests/support/accounts.js';
import { startTestServer, type TestServer } from '../tests/support/server.js';
import { envInt } from './lib/env.js';
import { watchPressure, type Disturbance } from './lib/pressure.js';
import { log, machine, printSummary, writeResult, type BenchResult, type TargetCheck } from './lib/report.js';
import { replayLoad } from './lib/spawn.js';
import { median, round } from './lib/stats.js';
import { newFicheState, paragraphText } from './lib/template.js';
import { applyPatches, loadTrace, type TraceName } from './lib/trace.js';
import type { ReplayLoadResult } from './lib/replayLoad.js';

/** Issue 12's target: typing next to locked sections within 10 % of the same document without locks. */
const TARGET_RATIO = 0.9;
const TRACE: TraceName = 'seph-blog1';
const DOCUMENT_ID = '5e0c7a4b-1f2d-4c3e-8a9b-0d1e2f3a4b5c';

type Variant = 'locked' | 'unlocked' | 'noGuard';

/** One update (Yjs v1) per trace transaction, typed into the first paragraph of `template`. */
function traceUpdates(template: Uint8Array, limit: number): Uint8Array[] {
  const client = new Y.Doc();
  Y.applyUpdate(client, template);
  const text = paragraphText(client);
  const updates: Uint8Array[] = [];
  client.on('update', (update: Uint8Array) => updates.push(update));
  const txns = loadTrace(TRACE).txns;
  for (const txn of limit > 0 ? txns.slice(0, limit) : txns)
    client.transact(() => applyPatches(text, txn.patches));
  return updates;
}

/** Every section but the first of `doc`, locked as they stand (what an animateur approved). */
function lockAllButFirst(doc: Y.Doc): LockedSection[] {
  return (ydocToJSON(doc).content ?? []).slice(1).map((section: DocJSON) => ({
    sectionId: section.attrs?.id as string,
    title: '',
    approvedHash: sectionHash(schema.nodeFromJSON(section)),
    content: section,
  }));
}

/** The review service as the guard sees it, with a fixed set of locks. */
function fixedLocks(locked: readonly LockedSection[]): SectionLocks & { attempts: number } {
  return {
    attempts: 0,
    locked: (id) => (id === DOCUMENT_ID ? locked : []),
    onChanged: () => () => undefined,
    attempted() {
      this.attempts++;
    },
  };
}

interface InProcessPass {
  ms: number;
  text: string;
  reverts: number;
  /** Locked sections whose hash is still the approved one at the end. */
  lockedIntact: boolean;
}

/** Updates applied together, per variant in turn, so a busy moment of the machine falls on all three. */
const CHUNK = 250;

/**
 * Applies `updates` to three server-side Y.Docs holding `template`, each update as a connection's
 * (the origin Hocuspocus gives it): one under the lock guard with 12 locked sections, one under the
 * guard with none, one without the guard. The docs advance together, {@link CHUNK} updates at a
 * time, in an order that rotates, and each doc's CPU time (user + system, ms) is summed: on a
 * shared machine, other processes' load then falls on all three alike, and waiting for a core is
 * not counted.
 */
async function replayInProcess(
  template: Uint8Array,
  updates: readonly Uint8Array[],
): Promise<Record<Variant, InProcessPass>> {
  const connection = {
    context: { userId: 'redactrice' },
    sendStateless: () => undefined,
  } as unknown as Connection<CollabContext>;
  const origin = { source: 'connection', connection };
  const variants: Variant[] = ['locked', 'unlocked', 'noGuard'];
  const runs = await Promise.all(
    variants.map(async (variant) => {
      const doc = new Y.Doc();
      Y.applyUpdate(doc, template);
      const locked = variant === 'locked' ? lockAllButFirst(doc) : [];
      const locks = fixedLocks(locked);
      if (variant !== 'noGuard') {
        const guard = new SectionLocksExtension(locks, createLogger('silent'));
        await guard.afterLoadDocument({
          documentName: `doc.${DOCUMENT_ID}`,
          document: doc,
        } as unknown as afterLoadDocumentPayload<CollabContext>);
      }
      return { variant, doc, locked, locks, ms: 0 };
    }),
  );
  for (let start = 0, turn = 0; start < updates.length; start += CHUNK, turn++) {
    const end = Math.min(start + CHUNK, updates.length);
    for (let k = 0; k < runs.length; k++) {
      const run = runs[(turn + k) % runs.length] as (typeof runs)[number];
      const started = process.cpuUsage();
      for (let i = start; i < end; i++) Y.applyUpdate(run.doc, updates[i] as Uint8Array, origin);
      const used = process.cpuUsage(started);
      run.ms += (used.user + used.system) / 1000;
    }
  }
  const out = {} as Record<Variant, InProcessPass>;
  for (const run of runs) {
    const hashes = new Map(sectionsOf(ydocToNode(run.doc)).map((s) => [s.id, s.hash]));
    out[run.variant] = {
      ms: run.ms,
      text: paragraphText(run.doc).toString(),
      reverts: run.locks.attempts,
      lockedIntact: run.locked.every((l) => hashes.get(l.sectionId) === l.approvedHash),
    };
  }
  return out;
}

/** What one reverted keystroke costs: `count` one-character inserts into a locked section, each reverted. */
async function revertCost(
  template: Uint8Array,
  count: number,
): Promise<{ perRevertUs: number; reverts: number }> {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, template);
  const locks = fixedLocks(lockAllButFirst(doc));
  const guard = new SectionLocksExtension(locks, createLogger('silent'));
  await guard.afterLoadDocument({
    documentName: `doc.${DOCUMENT_ID}`,
    document: doc,
  } as unknown as afterLoadDocumentPayload<CollabContext>);
  const client = new Y.Doc();
  Y.applyUpdate(client, Y.encodeStateAsUpdate(doc));
  const connection = {
    context: { userId: 'pirate' },
    sendStateless: () => undefined,
  } as unknown as Connection<CollabContext>;
  const origin = { source: 'connection', connection };
  let pending: Uint8Array | null = null;
  client.on('update', (u: Uint8Array, from: unknown) => {
    if (from !== 'wire') pending = u;
  });
  doc.on('update', (u: Uint8Array) => Y.applyUpdate(client, u, 'wire'));
  let ms = 0;
  for (let i = 0; i < count; i++) {
    const section = client.getXmlFragment(FRAGMENT).get(5) as Y.XmlElement;
    const paragraph = section
      .toArray()
      .find((c) => c instanceof Y.XmlElement && c.nodeName === 'paragraph') as Y.XmlElement;
    (paragraph.get(0) as Y.XmlText).insert(0, 'x');
    const update = pending as Uint8Array | null;
    if (!update) throw new Error('pas de mise à jour');
    const started = performance.now();
    Y.applyUpdate(doc, update, origin);
    ms += performance.now() - started;
  }
  return { perRevertUs: round((ms * 1000) / count, 1), reverts: locks.attempts };
}

/** Adds the lock guard to a server whose collaborative server does not list it yet (before it is wired). */
function ensureGuard(server: TestServer): boolean {
  const hocuspocus: Hocuspocus<CollabContext> = server.app.hocuspocus;
  const extensions = hocuspocus.configuration.extensions;
  if (extensions.some((e) => e.extensionName === 'section-locks')) return true;
  extensions.push(new SectionLocksExtension(server.services.reviews, createLogger('silent')));
  extensions.sort((a, b) => (b.priority ?? 100) - (a.priority ?? 100));
  return false;
}

async function review(
  admin: Session,
  documentId: string,
  sectionId: string,
  action: 'approve' | 'lock',
): Promise<void> {
  const response = await admin.fetch(`/api/documents/${documentId}/sections/${sectionId}/review`, {
    method: 'POST',
    json: { action },
  });
  if (response.status !== 200)
    throw new Error(`${action} refusé : ${response.status} ${await response.text()}`);
}

interface ReplaySide {
  editsPerSecond: number;
  transactions: number;
  errors: string[];
}

interface EndToEndPair {
  locked: ReplaySide;
  unlocked: ReplaySide;
  /** CPU time of this process (the server) per edit of both replays (µs). */
  serverCpuPerEditUs: number;
  cpuPressurePercent: number | null;
  /** Whether the guard was in the server's extension list already (wired) or added by the bench. */
  guardWired: boolean;
}

/** Checks one replay's texts (clients, SQLite) and, for the locked fiche, its locked sections as stored. */
function sideOf(
  result: ReplayLoadResult,
  stored: Y.Doc,
  locked: readonly { id: string; hash: string }[],
): ReplaySide {
  const errors: string[] = [];
  if (!result.clientsMatch) errors.push('le texte d’un client diffère du texte attendu');
  if (result.storedLive && (result.storedLive.text !== result.expected || result.storedLive.missingUpdates))
    errors.push('SQLite diffère du texte attendu');
  if (locked.length > 0) {
    const now = new Map(sectionsOf(ydocToNode(stored)).map((s) => [s.id, s.hash]));
    const changed = locked.filter((s) => now.get(s.id) !== s.hash).length;
    if (changed > 0) errors.push(`${changed} section(s) verrouillée(s) changée(s) dans SQLite`);
  }
  return { editsPerSecond: result.editsPerSecond, transactions: result.transactions, errors };
}

/**
 * One fresh server in this process (`flushDelay` 0) and two new fiches, the 12 last sections of
 * one approved and locked; then the trace replayed into the first section of each at the same
 * time, by two load generators (child processes; one writer and two readers each, as `replay`).
 * Both fiches share the server's event loop and the machine's load at every moment: their
 * throughputs compare the work the server does for each, whatever else the shared machine does.
 */
async function endToEndPair(limit: number): Promise<EndToEndPair> {
  const server = await startTestServer({ env: { FLUSH_DELAY_MS: '0' } });
  try {
    const guardWired = ensureGuard(server);
    const { admin, espaceId } = await setupInstance(server.url);
    const names = [
      (await createDocument(admin, espaceId, `Rejeu ${TRACE}, sections verrouillées`)).name,
      (await createDocument(admin, espaceId, `Rejeu ${TRACE}, sans verrou`)).name,
    ] as const;
    const lockedId = parseDocumentName(names[0]) as string;
    const listed = (await (await admin.fetch(`/api/documents/${lockedId}/sections`)).json()) as {
      sections: { id: string; hash: string }[];
    };
    const locked = listed.sections.slice(1);
    for (const s of locked) {
      await review(admin, lockedId, s.id, 'approve');
      await review(admin, lockedId, s.id, 'lock');
    }
    const token = await admin.collabToken();
    const pressure = watchPressure();
    const cpu = process.cpuUsage();
    let results: ReplayLoadResult[];
    let cpuMs: number;
    let machineLoad: Disturbance;
    try {
      results = await Promise.all(
        names.map((documentName) =>
          replayLoad({
            wsUrl: server.wsUrl,
            token,
            documentName,
            databaseFile: `${server.dataDir}/essaim.sqlite`,
            trace: TRACE,
            ...(limit > 0 ? { limit } : {}),
            readers: 2,
            window: 1_000,
            yieldEvery: 100,
            timeoutMs: 300_000,
          }),
        ),
      );
    } finally {
      const used = process.cpuUsage(cpu);
      cpuMs = (used.user + used.system) / 1000;
      machineLoad = pressure.stop();
    }
    const [onLocked, onUnlocked] = results as [ReplayLoadResult, ReplayLoadResult];
    const stored = (name: string): Y.Doc => {
      const doc = new Y.Doc();
      applyStored(doc, server.services.collabStore.load(parseDocumentName(name) as string));
      return doc;
    };
    return {
      locked: sideOf(onLocked, stored(names[0]), locked),
      unlocked: sideOf(onUnlocked, stored(names[1]), []),
      serverCpuPerEditUs: round((cpuMs * 1000) / (onLocked.transactions + onUnlocked.transactions), 1),
      cpuPressurePercent: machineLoad.cpuSomePercent,
      guardWired,
    };
  } finally {
    await server.stop();
  }
}

/**
 * (k) What the lock guard (`server/src/collab/SectionLocksExtension.ts`) costs on the keystroke
 * path: the seph-blog1 trace typed into the first section of a fiche whose 12 other sections are
 * locked, against the same fiche without locks (issue 12: within 10 %).
 *
 * - In process: one update per trace transaction applied to server-side Y.Docs as a connection's
 *   update, under the guard with 12 locks, under the guard with none, and without the guard, the
 *   three advancing together; CPU time, median of the passes. Plus the cost of one reverted
 *   keystroke.
 * - End to end: the same trace replayed at the same time into both fiches of one real server
 *   (one with 12 locked sections, one without); the ratio of their edits/s, median over pairs.
 */
export async function run(): Promise<BenchResult> {
  const limit = envInt('BENCH_LOCKS_TXNS', 0);
  const passes = Math.max(1, envInt('BENCH_LOCKS_PASSES', 5));
  const repeats = Math.max(1, envInt('BENCH_LOCKS_REPEAT', 5));
  const template = newFicheState();
  const updates = traceUpdates(template, limit);
  log(`reviewLocks: ${updates.length} mises à jour (${TRACE}), ${passes} passes…`);
  const expected = (await replayInProcess(template, updates)).noGuard.text; // also warms the guard's code
  const traceMatches = limit > 0 || expected === loadTrace(TRACE).endContent;
  const passesOf: Record<Variant, InProcessPass[]> = { locked: [], unlocked: [], noGuard: [] };
  for (let i = 0; i < passes; i++) {
    const pass = await replayInProcess(template, updates);
    for (const variant of ['locked', 'unlocked', 'noGuard'] as const) passesOf[variant].push(pass[variant]);
  }
  const msOf = (v: Variant): number => median(passesOf[v].map((p) => p.ms));
  const opsPerSecond = (ms: number): number => Math.round((updates.length / ms) * 1000);
  const all = [...passesOf.locked, ...passesOf.unlocked, ...passesOf.noGuard];
  const inProcessCorrect =
    traceMatches && all.every((p) => p.text === expected && p.reverts === 0 && p.lockedIntact);
  const revert = await revertCost(template, 2_000);
  log(
    `reviewLocks en processus : ${opsPerSecond(msOf('locked'))} mises à jour/s avec 12 verrous, ` +
      `${opsPerSecond(msOf('unlocked'))} sans verrou, ${opsPerSecond(msOf('noGuard'))} sans garde ; ` +
      `une frappe annulée ${revert.perRevertUs} µs`,
  );

  await endToEndPair(3_000); // warm-up
  const pairs: EndToEndPair[] = [];
  for (let i = 0; i < repeats; i++) {
    const pair = await endToEndPair(limit);
    const errors = [...pair.locked.errors, ...pair.unlocked.errors];
    log(
      `reviewLocks rejeu simultané : ${pair.locked.editsPerSecond} éditions/s avec 12 sections verrouillées, ` +
        `${pair.unlocked.editsPerSecond} sans verrou ; serveur ${pair.serverCpuPerEditUs} µs CPU/édition, ` +
        `pression CPU ${pair.cpuPressurePercent} %` +
        (errors.length ? ` ERREURS: ${errors.join('; ')}` : ''),
    );
    pairs.push(pair);
  }
  const pairRatios = pairs.map((p) => round(p.locked.editsPerSecond / p.unlocked.editsPerSecond));
  const side = (variant: 'locked' | 'unlocked') => {
    const ms = msOf(variant);
    const replays = pairs.map((p) => p[variant]);
    return {
      inProcess: {
        updates: updates.length,
        medianCpuMs: round(ms, 1),
        allPassesCpuMs: passesOf[variant].map((p) => round(p.ms, 1)),
        opsPerSecond: opsPerSecond(ms),
        perUpdateUs: round((ms * 1000) / updates.length, 2),
      },
      replay: {
        medianEditsPerSecond: median(replays.map((r) => r.editsPerSecond)),
        allRunsEditsPerSecond: replays.map((r) => r.editsPerSecond),
      },
    };
  };
  const locked = side('locked');
  const unlocked = side('unlocked');
  const ratio = {
    'inProcess.opsPerSecond': round(locked.inProcess.opsPerSecond / unlocked.inProcess.opsPerSecond),
    'inProcess.guardWithoutLocks/noGuard': round(msOf('noGuard') / msOf('unlocked')),
    'replay.editsPerSecond': round(median(pairRatios)),
  };
  const errors = pairs.flatMap((p) => [
    ...p.locked.errors.map((e) => `rejeu verrouillé : ${e}`),
    ...p.unlocked.errors.map((e) => `rejeu sans verrou : ${e}`),
  ]);
  const correct = inProcessCorrect && errors.length === 0 && revert.reverts === 2_000;
  const wired = pairs.every((p) => p.guardWired);
  const targets: TargetCheck[] = [
    {
      name: `en processus : mises à jour/s (temps CPU), 12 sections verrouillées / aucune (médiane de ${passes})`,
      target: `>= ${TARGET_RATIO}`,
      actual: `${ratio['inProcess.opsPerSecond']} (${locked.inProcess.opsPerSecond} / ${unlocked.inProcess.opsPerSecond})`,
      met: ratio['inProcess.opsPerSecond'] >= TARGET_RATIO,
    },
    {
      name: `rejeu ${TRACE} simultané dans deux fiches d’un serveur : débit avec 12 sections verrouillées / sans verrou (médiane de ${repeats} paires)`,
      target: `>= ${TARGET_RATIO}`,
      actual: `${ratio['replay.editsPerSecond']} (paires : ${pairRatios.join(', ')})`,
      met: ratio['replay.editsPerSecond'] >= TARGET_RATIO,
    },
    {
      name: 'aucune frappe de la section libre annulée ; sections verrouillées intactes ; mêmes textes partout (clients, SQLite)',
      target: 'toujours',
      actual: correct
        ? 'oui'
        : `NON : ${[inProcessCorrect ? '' : 'en processus', ...errors].filter(Boolean).join('; ')}`,
      met: correct,
      correctness: true,
    },
  ];
  return {
    name: 'reviewLocks',
    date: new Date().toISOString(),
    machine: machine(),
    params: { trace: TRACE, limit, passes, repeats, lockedSections: 12, flushDelay: 0, readers: 2 },
    results: { ...locked, revert, guardWired: wired },
    vanilla: {
      ...unlocked,
      noGuardInProcess: {
        medianCpuMs: round(msOf('noGuard'), 1),
        opsPerSecond: opsPerSecond(msOf('noGuard')),
      },
    },
    ratio,
    targets,
    notes: [
      '« vanilla » désigne ici le même serveur Essaim et une fiche sans section verrouillée (la garde est chargée mais n’a rien à garder), pas Hocuspocus nu.',
      `En processus : ${updates.length} mises à jour, médiane de ${passes} passes ; dans chaque passe les trois documents avancent ensemble, ${CHUNK} mises à jour chacun à tour de rôle, temps CPU ; une frappe annulée dans une section verrouillée coûte ${revert.perRevertUs} µs (lecture de la section, empreinte, restauration, avis, audit factice).`,
      'De bout en bout : les deux fiches sont rejouées en même temps sur le même serveur (même boucle, même charge de la machine), le rapport est pris dans chaque paire.',
      ...pairs.map(
        (p, i) =>
          `paire ${i + 1} : serveur ${p.serverCpuPerEditUs} µs CPU par édition (les deux rejeux), pression CPU ${p.cpuPressurePercent} %`,
      ),
      wired
        ? 'La garde était câblée dans createCollabServer.'
        : 'La garde n’était pas encore câblée dans createCollabServer : le banc l’a ajoutée à la liste d’extensions du serveur démarré.',
    ],
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const result = await run();
  printSummary(result, writeResult(result));
  process.exit();
}
