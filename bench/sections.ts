import { randomUUID } from 'node:crypto';
import { ficheTemplate } from '@essaim/domain';
import { FRAGMENT } from '@essaim/protocol';
import { templateContent, watchSectionIds, writeJSONToYdoc, ydocToText, type DocJSON } from '@essaim/editor';
import { indexOf } from '@essaim/server';
import * as Y from 'yjs';
import { envInt } from './lib/env.js';
import { log, machine, type BenchResult } from './lib/report.js';
import { median, round } from './lib/stats.js';
import { applyPatches, loadTrace } from './lib/trace.js';

/** A fiche whose sections hold `pages` pages of real text (the end of the seph-blog1 trace, repeated). */
function bigFiche(pages: number): Y.Doc {
  const source = loadTrace('seph-blog1')
    .endContent.split(/\n+/)
    .filter((p) => p.trim().length > 0);
  const json = templateContent(ficheTemplate, randomUUID);
  const sections = json.content as DocJSON[];
  let characters = 0;
  for (let i = 0; characters < pages * 3000; i++) {
    const text = source[i % source.length] as string;
    (sections[i % sections.length]?.content as DocJSON[]).push({
      type: 'paragraph',
      content: [{ type: 'text', text }],
    });
    characters += text.length;
  }
  const ydoc = new Y.Doc();
  writeJSONToYdoc(ydoc, json);
  return ydoc;
}

function timeMs(runs: number, f: () => void): number {
  for (let i = 0; i < 3; i++) f();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    f();
    samples.push(performance.now() - start);
  }
  return round(median(samples), 2);
}

/** Replays the whole seph-blog1 trace into one paragraph of a section, with or without the id watcher. */
function replayMs(watch: boolean): { ms: number; text: string } {
  const trace = loadTrace('seph-blog1');
  const ydoc = bigFiche(5);
  if (watch) watchSectionIds(ydoc);
  const section = ydoc.getXmlFragment(FRAGMENT).get(2) as Y.XmlElement;
  const paragraph = new Y.XmlElement('paragraph');
  const text = new Y.XmlText(trace.startContent);
  paragraph.insert(0, [text]);
  section.insert(1, [paragraph]);
  const start = performance.now();
  for (const txn of trace.txns) ydoc.transact(() => applyPatches(text, txn.patches));
  return { ms: performance.now() - start, text: text.toString() };
}

/**
 * (e) The cost of sections on the server. Indexing (metadata, section hashes, page estimate) runs
 * at each debounced store, next to the compaction that encodes the whole document: it is compared
 * with that encoding. The section-id watcher runs on every change: the real seph-blog1 trace is
 * replayed into a section with and without it.
 */
export async function run(): Promise<BenchResult> {
  const pages = envInt('BENCH_SECTIONS_PAGES', 100);
  const runs = envInt('BENCH_SECTIONS_RUNS', 15);
  log(`fiche de ${pages} pages…`);
  const ydoc = bigFiche(pages);
  const characters = ydocToText(ydoc).length;
  const index = indexOf(ydoc);
  const indexMs = timeMs(runs, () => indexOf(ydoc));
  const encodeMs = timeMs(runs, () => Y.encodeStateAsUpdate(ydoc));

  log('rejeu de seph-blog1 dans une section, avec et sans surveillance des identifiants…');
  const replays = { with: [] as number[], without: [] as number[] };
  let same = true;
  for (let i = 0; i < 5; i++) {
    const a = replayMs(false);
    const b = replayMs(true);
    replays.without.push(a.ms);
    replays.with.push(b.ms);
    same &&= a.text === loadTrace('seph-blog1').endContent && b.text === a.text;
  }
  const withMs = round(median(replays.with), 1);
  const withoutMs = round(median(replays.without), 1);
  const txns = loadTrace('seph-blog1').txns.length;
  return {
    name: 'sections',
    date: new Date().toISOString(),
    machine: machine(),
    params: { pages, runs, trace: 'seph-blog1', replays: 5 },
    results: {
      characters,
      sections: index.sections.length,
      estimatedPages: index.pages,
      indexMs,
      replayWithWatcherMs: withMs,
      perEditWithWatcherUs: round((withMs * 1000) / txns, 2),
    },
    vanilla: { encodeStateMs: encodeMs, replayWithoutWatcherMs: withoutMs },
    ratio: { indexVsEncode: round(indexMs / encodeMs, 2), watcherOverhead: round(withMs / withoutMs, 2) },
    targets: [
      {
        name: 'indexation d’une fiche de 100 pages au stockage',
        target: '< 50 ms',
        actual: `${indexMs} ms`,
        met: indexMs < 50,
      },
      {
        name: 'surcoût de la surveillance des identifiants par frappe',
        target: '< 10 %',
        actual: `${round((withMs / withoutMs - 1) * 100, 1)} %`,
        met: withMs / withoutMs < 1.1,
      },
      {
        name: 'texte rejoué identique à endContent',
        target: 'identique',
        actual: same ? 'identique' : 'différent',
        met: same,
        correctness: true,
      },
    ],
    notes: [`${txns} transactions rejouées par essai`],
  };
}
