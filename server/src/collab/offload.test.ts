import { templates } from '@essaim/domain';
import { templateContent, writeJSONToYdoc } from '@essaim/editor';
import { META_MAP } from '@essaim/protocol';
import { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createLogger } from '../logger.js';
import { computeIndex } from '../services/indexingService.js';
import { foldRows, summarizeLive, type AuthoredRow } from '../storage/collabStore.js';
import { Offload, OffloadUnavailable } from './offload.js';

/** A fiche with text in its first section, a metadata field set, and a deletion. */
function fiche(): Y.Doc {
  const doc = new Y.Doc();
  let n = 0;
  writeJSONToYdoc(
    doc,
    templateContent(templates.fiche, () => `s-${++n}`),
  );
  const first = doc.getXmlFragment('default').get(0) as Y.XmlElement;
  const paragraph = new Y.XmlElement('paragraph');
  paragraph.insert(0, [new Y.XmlText('Les conférences familiales réunissent les proches. Supprimé.')]);
  first.insert(1, [paragraph]);
  (paragraph.get(0) as Y.XmlText).delete(50, 10);
  doc.getMap(META_MAP).set('title', 'Conférences familiales');
  return doc;
}

const pools: Offload[] = [];
function pool(options: { idleMs?: number; retryAfterMs?: number; spawn?: () => Worker } = {}): Offload {
  const offload = new Offload({ logger: createLogger('silent'), ...options });
  pools.push(offload);
  return offload;
}

afterEach(async () => {
  await Promise.all(pools.splice(0).map((p) => p.close()));
});

// Each test starts a worker thread (about a second under tsx on a loaded machine).
describe('Offload', { timeout: 30_000 }, () => {
  it('starts its worker at the first job only, and proves there a state encoded from the live document', async () => {
    const offload = pool();
    expect(offload.running).toBe(false);
    const doc = fiche();
    await offload.prove(Y.encodeStateAsUpdate(doc), summarizeLive(doc));
    expect(offload.running).toBe(true);
    expect(offload.started).toBe(1);
    expect(offload.stats().prove.jobs).toBe(1);
  });

  it('rejects with the reason a state that lacks what the live document holds, and stays usable', async () => {
    const offload = pool();
    const doc = fiche();
    const before = Y.encodeStateAsUpdate(doc);
    doc.getMap(META_MAP).set('title', 'Autre titre');
    await expect(offload.prove(before, summarizeLive(doc))).rejects.toThrow(
      'compacted state differs from the live document',
    );
    await expect(offload.prove(new Uint8Array([1, 2, 3]), summarizeLive(doc))).rejects.toThrow(
      /compacted state would not load/,
    );
    await offload.prove(Y.encodeStateAsUpdate(doc), summarizeLive(doc));
    expect(offload.started).toBe(1);
  });

  it('folds in the worker the same deletions by author as the main thread, with the proof', async () => {
    const offload = pool();
    const doc = fiche();
    const rows: AuthoredRow[] = [];
    let authorId = 'alice';
    doc.on('update', (data: Uint8Array) => rows.push({ authorId, data }));
    const text = (doc.getXmlFragment('default').get(0) as Y.XmlElement).get(1) as Y.XmlElement;
    (text.get(0) as Y.XmlText).delete(0, 4);
    authorId = 'bob';
    (text.get(0) as Y.XmlText).delete(10, 6);
    doc.getMap(META_MAP).set('title', 'Autre');
    rows.push({ authorId: 'carol', data: new Uint8Array([9, 9, 9]) });
    const folded = await offload.prove(Y.encodeStateAsUpdate(doc), summarizeLive(doc), rows);
    expect(folded).toEqual(foldRows(rows));
    expect(folded?.rows).toBe(4);
    expect(Object.keys(folded?.byAuthor ?? {}).sort()).toEqual(['alice', 'bob']);
    // Without rows, the proof alone.
    expect(await offload.prove(Y.encodeStateAsUpdate(doc), summarizeLive(doc))).toBeUndefined();
  });

  it('computes in the worker the same index and section texts as the main thread', async () => {
    const offload = pool();
    const doc = fiche();
    const computed = await offload.index(Y.encodeStateAsUpdate(doc));
    expect(computed).toEqual(computeIndex(doc));
    expect(computed.index.metadata.title).toBe('Conférences familiales');
    expect(computed.sections['s-1']?.text).toBe('Les conférences familiales réunissent les proches.');
    expect(computed.sections['s-1']?.stems.body).toContain('conferent');
  });

  it('answers jobs sent together, each with its own result', async () => {
    const offload = pool();
    const docs = [fiche(), fiche(), fiche()];
    docs[1]?.getMap(META_MAP).set('title', 'Deuxième');
    const results = await Promise.all(docs.map((d) => offload.index(Y.encodeStateAsUpdate(d))));
    expect(results.map((r) => r.index.metadata.title)).toEqual([
      'Conférences familiales',
      'Deuxième',
      'Conférences familiales',
    ]);
    expect(offload.inFlight).toBe(0);
  });

  it('runs at most two pipelines at once, the others waiting their turn in order before encoding anything', async () => {
    const offload = pool();
    const releases: (() => void)[] = [];
    const started: number[] = [];
    const done = Array.from({ length: 5 }, (_v, i) =>
      offload.pipeline(async () => {
        started.push(i);
        await new Promise<void>((resolve) => releases.push(resolve));
        return i;
      }),
    );
    await expect.poll(() => started).toEqual([0, 1]);
    expect(offload.waitingForPipeline).toBe(3);
    releases[1]?.();
    await expect.poll(() => started).toEqual([0, 1, 2]);
    releases[0]?.();
    releases[2]?.();
    await expect.poll(() => started).toEqual([0, 1, 2, 3, 4]);
    for (const release of releases) release();
    expect(await Promise.all(done)).toEqual([0, 1, 2, 3, 4]);
    // A failed pipeline gives its place back.
    await expect(offload.pipeline(() => Promise.reject(new Error('échec')))).rejects.toThrow('échec');
    expect(await offload.pipeline(async () => 'encore')).toBe('encore');
    expect(offload.waitingForPipeline).toBe(0);
  });

  it('proves a departing document and reads its index from one decoding, as the two separate jobs do', async () => {
    const offload = pool();
    const doc = fiche();
    const rows: AuthoredRow[] = [];
    doc.on('update', (data: Uint8Array) => rows.push({ authorId: 'alice', data }));
    const text = (doc.getXmlFragment('default').get(0) as Y.XmlElement).get(1) as Y.XmlElement;
    (text.get(0) as Y.XmlText).delete(0, 4);
    const state = Y.encodeStateAsUpdate(doc);
    const answer = await offload.departure(state, summarizeLive(doc), rows, true);
    expect(answer.proofError).toBeUndefined();
    expect(answer.computed).toEqual(await offload.index(state));
    expect(answer.computed).toEqual(computeIndex(doc));
    expect(answer.folded).toEqual(foldRows(rows));
    expect(offload.stats().departure.jobs).toBe(1);
    // Without the index, the proof alone.
    const proofOnly = await offload.departure(state, summarizeLive(doc), undefined, false);
    expect(proofOnly).toEqual({});
  });

  it('answers a departure whose proof fails with its reason, and still reads the index of the state', async () => {
    const offload = pool();
    const doc = fiche();
    const before = Y.encodeStateAsUpdate(doc);
    doc.getMap(META_MAP).set('title', 'Autre titre');
    const answer = await offload.departure(before, summarizeLive(doc), [], true);
    expect(answer.proofError).toBe('compacted state differs from the live document');
    expect(answer.folded).toBeUndefined();
    expect(answer.computed?.index.metadata.title).toBe('Conférences familiales');
    const unreadable = await offload.departure(new Uint8Array([1, 2, 3]), summarizeLive(doc), [], true);
    expect(unreadable.proofError).toMatch(/compacted state would not load/);
    expect(unreadable.computed).toBeUndefined();
    expect(unreadable.indexError).toBe(unreadable.proofError);
  });

  it('moves the pipelines of a document someone loads again to the front of the line', async () => {
    const offload = pool();
    const releases: (() => void)[] = [];
    const started: string[] = [];
    const names = ['a', 'b', 'c', 'd', 'e'];
    const done = names.map((name) =>
      offload.pipeline(async () => {
        started.push(name);
        await new Promise<void>((resolve) => releases.push(resolve));
      }, `doc.${name}`),
    );
    await expect.poll(() => started).toEqual(['a', 'b']);
    expect(offload.hurry('doc.e')).toBe(1);
    expect(offload.hurry('doc.a')).toBe(0);
    releases[0]?.();
    await expect.poll(() => started).toEqual(['a', 'b', 'e']);
    for (let i = 1; i < 5; i++) {
      releases[i]?.();
      await expect.poll(() => started.length).toBeGreaterThanOrEqual(Math.min(5, i + 3));
    }
    await Promise.all(done);
    expect(started).toEqual(['a', 'b', 'e', 'c', 'd']);
  });

  it('holds its requests until every hold is released, then sends them in order', async () => {
    const offload = pool();
    const doc = fiche();
    const first = offload.hold();
    const second = offload.hold();
    const answered: string[] = [];
    const jobs = ['un', 'deux'].map((title) => {
      const copy = fiche();
      copy.getMap(META_MAP).set('title', title);
      return offload.index(Y.encodeStateAsUpdate(copy)).then((c) => answered.push(c.index.metadata.title));
    });
    await offload.pipeline(async () => undefined);
    expect(offload.running).toBe(false);
    first();
    first();
    expect(offload.inFlight).toBe(0);
    second();
    await Promise.all(jobs);
    expect(answered).toEqual(['un', 'deux']);
    await offload.prove(Y.encodeStateAsUpdate(doc), summarizeLive(doc));
  });

  it('stops its worker after a pause without jobs and starts a new one at the next job', async () => {
    const offload = pool({ idleMs: 20 });
    const doc = fiche();
    await offload.prove(Y.encodeStateAsUpdate(doc), summarizeLive(doc));
    await expect.poll(() => offload.running).toBe(false);
    await offload.prove(Y.encodeStateAsUpdate(doc), summarizeLive(doc));
    expect(offload.started).toBe(2);
  });

  it('once closed, rejects the jobs in flight and the later ones as unavailable, and runs no worker', async () => {
    const offload = pool();
    const doc = fiche();
    const inFlight = expect(offload.index(Y.encodeStateAsUpdate(doc))).rejects.toBeInstanceOf(
      OffloadUnavailable,
    );
    await offload.close();
    await inFlight;
    await expect(offload.index(Y.encodeStateAsUpdate(doc))).rejects.toBeInstanceOf(OffloadUnavailable);
    expect(offload.running).toBe(false);
    await offload.close();
  });

  it('rejects as unavailable the jobs of a worker that fails, then every job at once until it may try again', async () => {
    let spawned = 0;
    const offload = pool({
      retryAfterMs: 60_000,
      spawn: () => {
        spawned++;
        return new Worker('throw new Error("module introuvable")', { eval: true });
      },
    });
    const doc = fiche();
    await expect(offload.index(Y.encodeStateAsUpdate(doc))).rejects.toBeInstanceOf(OffloadUnavailable);
    await expect(offload.prove(Y.encodeStateAsUpdate(doc), summarizeLive(doc))).rejects.toBeInstanceOf(
      OffloadUnavailable,
    );
    expect(spawned).toBe(1);
    expect(offload.running).toBe(false);
  });
});
