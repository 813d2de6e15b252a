/**
 * Micro-measure of the main-thread halves of a compaction and an indexing (issue 17), on one fiche
 * in a fresh database file: the fiche's first section receives `BENCH_MICRO_PREFILL` (1000) trace
 * transactions (one compacted state), then `BENCH_MICRO_UPDATES` (200, the default
 * `COMPACT_AFTER_UPDATES`) more, each one log row written for one person; then, `BENCH_MICRO_REPEAT`
 * (30) times each, the CPU time (process.cpuUsage, µs: the whole process, so V8's helper threads
 * too) and wall time (mean, median, max; ms) of: the compaction's write
 * decoding the rows itself (before), reading the rows, folding them (the worker's part), the write
 * given the folded deletions (after); and the indexing's write of a computed index with one
 * changed section (and its parts), with nothing changed, and of a fiche never indexed. Run: `npx tsx --conditions=@essaim/source bench/lib/manyDocumentsMicro.ts`.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { templates } from '@essaim/domain';
import { templateContent, writeJSONToYdoc } from '@essaim/editor';
import * as Y from 'yjs';
import { createLogger } from '../../server/src/logger.js';
import { buildServices } from '../../server/src/services/index.js';
import { computeIndex } from '../../server/src/services/indexingService.js';
import { foldRows, sqliteCollabStore } from '../../server/src/storage/collabStore.js';
import { openDatabase } from '../../server/src/storage/db.js';
import { sqliteDocumentRepository } from '../../server/src/storage/documentRepository.js';
import { envInt } from './env.js';
import { applyPatches, loadTrace } from './trace.js';
import { emptyFicheRecord } from '../../tests/support/records.js';

const PREFILL = envInt('BENCH_MICRO_PREFILL', 1000);
const UPDATES = envInt('BENCH_MICRO_UPDATES', 200);
const REPEAT = envInt('BENCH_MICRO_REPEAT', 30);
const trace = loadTrace('seph-blog1').txns;

/** CPU (µs) and wall (ms) of `work`. */
function timed(work: () => void): { cpuUs: number; ms: number } {
  const cpu = process.cpuUsage();
  const t = performance.now();
  work();
  const ms = performance.now() - t;
  const used = process.cpuUsage(cpu);
  return { cpuUs: used.user + used.system, ms };
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'essaim-micro-'));
const db = openDatabase(path.join(dir, 'micro.db'), { synchronous: 'NORMAL' });
const services = buildServices(db, {
  logger: createLogger('silent'),
  filesDir: path.join(dir, 'files'),
  kitCacheDir: path.join(dir, 'kits'),
});
const repo = sqliteDocumentRepository(db);
const AUTHOR = '00000000-0000-4000-8000-0000000000aa';
db.prepare(
  `INSERT INTO users (id, email, name, password_hash, created_at) VALUES (?, 'micro@exemple.fr', 'Micro', 'x', ?)`,
).run(AUTHOR, new Date().toISOString());
const store = sqliteCollabStore(db);

/** A fiche whose first section's paragraph got the trace's first `PREFILL` transactions. */
function prefilled(id: string): { doc: Y.Doc; text: Y.XmlText } {
  const doc = new Y.Doc();
  let n = 0;
  writeJSONToYdoc(
    doc,
    templateContent(templates.fiche, () => `s-${++n}`),
  );
  const first = doc.getXmlFragment('default').get(0) as Y.XmlElement;
  const paragraph = new Y.XmlElement('paragraph');
  const text = new Y.XmlText();
  paragraph.insert(0, [text]);
  first.insert(1, [paragraph]);
  doc.transact(() => {
    for (let k = 0; k < PREFILL; k++) applyPatches(text, trace[k]?.patches ?? []);
  });
  const index = computeIndex(doc).index;
  repo.insert({ ...emptyFicheRecord(id), ...index }, Y.encodeStateAsUpdate(doc));
  return { doc, text };
}

/** Logs `UPDATES` more trace transactions as rows written for `author`, from trace position `from`. */
function edit(id: string, doc: Y.Doc, text: Y.XmlText, from: number): void {
  const log = (update: Uint8Array): void => store.append(id, update, AUTHOR);
  doc.on('update', log);
  for (let k = 0; k < UPDATES; k++) applyPatches(text, trace[from + k]?.patches ?? []);
  doc.off('update', log);
  store.commit();
}

type Sample = { cpuUs: number; ms: number };
const samples: Record<string, Sample[]> = {};
const add = (kind: string, s: Sample): void => void (samples[kind] ??= []).push(s);

const doc0 = prefilled('00000000-0000-4000-8000-000000000001');
// Index once so that the search index holds every section (the later ones see one change).
services.indexing.indexComputed('00000000-0000-4000-8000-000000000001', computeIndex(doc0.doc), [], 0);
for (let r = 0; r < REPEAT; r++) {
  const id = '00000000-0000-4000-8000-000000000001';
  const { doc, text } = doc0;
  // Before: the write decodes the rows itself.
  edit(id, doc, text, PREFILL + 2 * r * UPDATES);
  let upTo = store.lastSeq();
  let state = Y.encodeStateAsUpdate(doc);
  add(
    'compaction:write (décode les lignes, avant)',
    timed(() => store.compact(id, state, upTo)),
  );
  // After: rows read on the main thread, folded in the worker, the write given the result.
  edit(id, doc, text, PREFILL + (2 * r + 1) * UPDATES);
  upTo = store.lastSeq();
  state = Y.encodeStateAsUpdate(doc);
  let rows = store.rowsToFold(id, upTo);
  add(
    'lecture des lignes (job compaction, après)',
    timed(() => (rows = store.rowsToFold(id, upTo))),
  );
  let folded = foldRows(rows);
  add(
    'foldRows (worker, après)',
    timed(() => (folded = foldRows(rows))),
  );
  add(
    'compaction:write (plié reçu, après)',
    timed(() => store.compact(id, state, upTo, folded)),
  );
  // Indexing: one section changed since the last one.
  const computed = computeIndex(doc);
  const editors = [
    { userId: AUTHOR, sectionIds: new Set(['s-1']), fields: new Set<string>(), structure: false },
  ];
  add(
    'indexing:write (indexComputed, 1 section changée)',
    timed(() => services.indexing.indexComputed(id, computed, editors, 0)),
  );
  // Its parts: the search index of one changed section, and the reading of the document's row.
  const changed = computeIndex(doc);
  const s1 = changed.index.sections.find((s) => s.id === 's-1');
  if (s1) s1.hash = `${s1.hash}-${r}`;
  add(
    'indexing:write, dont index de recherche (1 section)',
    timed(() =>
      services.draftSearch.indexDocument(id, { computed: changed.sections }, changed.index.sections),
    ),
  );
  add(
    'indexing:write, dont lecture de la fiche (findById)',
    timed(() => repo.findById(id)),
  );
  add(
    'indexing:write (rien de changé)',
    timed(() => services.indexing.indexComputed(id, computed, [], 0)),
  );
  // A fiche never indexed (a first store): every section is written.
  const fresh = `00000000-0000-4000-8000-${String(100 + r).padStart(12, '0')}`;
  const other = prefilled(fresh);
  const all = computeIndex(other.doc);
  add(
    'indexing:write (première indexation, toutes les sections)',
    timed(() => services.indexing.indexComputed(fresh, all, [], 0)),
  );
}

const out: Record<string, Record<string, number>> = {};
for (const [kind, list] of Object.entries(samples)) {
  const cpu = list.map((s) => s.cpuUs);
  const wall = list.map((s) => s.ms);
  out[kind] = {
    n: list.length,
    cpuMeanUs: Math.round(cpu.reduce((a, b) => a + b, 0) / list.length),
    cpuMaxUs: Math.max(...cpu),
    wallMeanMs: Math.round((wall.reduce((a, b) => a + b, 0) / list.length) * 100) / 100,
    wallMedianMs: Math.round((wall.sort((a, b) => a - b)[Math.floor(list.length / 2)] ?? 0) * 1000) / 1000,
    wallMaxMs: Math.round(Math.max(...wall) * 100) / 100,
  };
}
process.stdout.write(
  `${JSON.stringify({ prefill: PREFILL, updates: UPDATES, repeat: REPEAT, out }, null, 2)}\n`,
);
db.close();
fs.rmSync(dir, { recursive: true, force: true });
