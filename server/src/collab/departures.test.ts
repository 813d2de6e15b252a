import { templates } from '@essaim/domain';
import { templateContent, writeJSONToYdoc } from '@essaim/editor';
import { META_MAP } from '@essaim/protocol';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { computeIndex } from '../services/indexingService.js';
import { foldRows, summarizeLive, type AuthoredRow } from '../storage/collabStore.js';
import { departureBytes, departuresFor, Departures, runDeparture } from './departures.js';

/** A fiche with text in its first section, its title set, and words deleted. */
function fiche(): { doc: Y.Doc; rows: AuthoredRow[] } {
  const doc = new Y.Doc();
  const rows: AuthoredRow[] = [];
  doc.on('update', (data: Uint8Array) => rows.push({ authorId: 'alice', data }));
  let n = 0;
  writeJSONToYdoc(
    doc,
    templateContent(templates.fiche, () => `s-${++n}`),
  );
  const first = doc.getXmlFragment('default').get(0) as Y.XmlElement;
  const paragraph = new Y.XmlElement('paragraph');
  paragraph.insert(0, [new Y.XmlText('Les maraudes de nuit partent de la gare. Supprimé.')]);
  first.insert(1, [paragraph]);
  (paragraph.get(0) as Y.XmlText).delete(40, 10);
  doc.getMap(META_MAP).set('title', 'Maraudes');
  return { doc, rows };
}

describe('departures', () => {
  it('reads from the proof’s decoding the same index as a fresh document, and folds the rows', () => {
    const { doc, rows } = fiche();
    const state = Y.encodeStateAsUpdate(doc);
    const result = runDeparture(state, summarizeLive(doc), rows, true);
    expect(result.proofError).toBeUndefined();
    expect(result.indexError).toBeUndefined();
    const fresh = new Y.Doc();
    Y.applyUpdate(fresh, state);
    expect(result.computed).toEqual(computeIndex(fresh));
    expect(result.computed?.sections['s-1']?.text).toBe('Les maraudes de nuit partent de la gare.');
    expect(result.folded).toEqual(foldRows(rows));
  });

  it('lets departures in while the bytes waiting are under the budget, the next ones in order as bytes are given back', async () => {
    const departures = new Departures(1000);
    const releaseA = departures.hold(600);
    await departures.admit();
    const releaseB = departures.hold(600);
    expect(departures.waiting).toEqual({ bytes: 1200, documents: 2 });
    const admitted: string[] = [];
    const c = departures.admit().then(() => admitted.push('c'));
    const d = departures.admit().then(() => admitted.push('d'));
    expect(departures.admitting).toBe(2);
    releaseA();
    releaseA();
    await c;
    // Under the budget again: every departure waiting goes, in order.
    await d;
    expect(admitted).toEqual(['c', 'd']);
    releaseB();
    expect(departures.waiting).toEqual({ bytes: 0, documents: 0 });
    // Closing lets the waiting ones go (they then meet the closed queue).
    departures.hold(5000);
    const e = departures.admit();
    departures.close();
    await e;
  });

  it('counts a departure’s state, log rows and deletions in its bytes', () => {
    const { doc, rows } = fiche();
    const state = Y.encodeStateAsUpdate(doc);
    const live = summarizeLive(doc);
    const bytes = departureBytes(state, live, rows);
    expect(bytes).toBeGreaterThan(state.byteLength + rows.reduce((a, r) => a + r.data.byteLength, 0));
  });

  it('gives both extensions the same departures through the worker pool they share', () => {
    const pool = {};
    expect(departuresFor(pool)).toBe(departuresFor(pool));
    expect(departuresFor({})).not.toBe(departuresFor(pool));
  });
});
