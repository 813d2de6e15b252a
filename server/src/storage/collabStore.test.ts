import { emptyMetadata } from '@essaim/protocol';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { foldRows, sqliteCollabStore, type CollabStore } from './collabStore.js';
import { openDatabase } from './db.js';
import { sqliteDocumentRepository } from './documentRepository.js';
import { emptyFicheRecord } from '../../../tests/support/records.js';

const DOC = '00000000-0000-4000-8000-000000000001';

/** A store over a fresh database holding the document {@link DOC}. */
function freshStore(): CollabStore {
  const db = openDatabase(':memory:', { synchronous: 'NORMAL' });
  sqliteDocumentRepository(db).insert(emptyFicheRecord(DOC), Y.encodeStateAsUpdate(new Y.Doc()));
  return sqliteCollabStore(db);
}

/**
 * A store with a document edited by two people: each row of the log is one update, written for
 * its author (`alice` types then deletes, `bob` deletes in the middle, the system writes too).
 */
function editedStore(): { store: CollabStore; doc: Y.Doc; as: (who: string | null) => void } {
  const store = freshStore();
  const doc = new Y.Doc();
  // The same client id in every copy: two stores edited alike hold the same ranges.
  doc.clientID = 4242;
  let author: string | null = null;
  doc.on('update', (update: Uint8Array) => store.append(DOC, update, author));
  const text = doc.getText('t');
  author = 'alice';
  text.insert(0, 'Les conférences familiales réunissent les proches.');
  text.delete(4, 12);
  author = 'bob';
  text.insert(0, 'Titre : ');
  text.delete(2, 3);
  author = null;
  text.insert(text.length, ' Fin.');
  author = 'alice';
  text.delete(text.length - 5, 5);
  text.delete(0, 1);
  store.commit();
  return {
    store,
    doc,
    as: (who) => {
      author = who;
    },
  };
}

describe('collabStore compaction folding', () => {
  it('folds the same deletions by author from rows decoded elsewhere as from rows decoded in the write', () => {
    const here = editedStore();
    const there = editedStore();
    const upTo = here.store.lastSeq();
    here.store.compact(DOC, Y.encodeStateAsUpdate(here.doc), upTo);
    const rows = there.store.rowsToFold(DOC, there.store.lastSeq());
    // Only authored rows, undecoded: the system's row is not folded.
    expect(rows.map((r) => r.authorId)).toEqual(['alice', 'alice', 'bob', 'bob', 'alice', 'alice']);
    const folded = foldRows(rows);
    expect(Object.keys(folded.byAuthor).sort()).toEqual(['alice', 'bob']);
    there.store.compact(DOC, Y.encodeStateAsUpdate(there.doc), there.store.lastSeq(), folded);
    expect(there.store.deletions(DOC)).toEqual(here.store.deletions(DOC));
    expect(there.store.pendingUpdates(DOC)).toBe(0);
  });

  it('merges the folded deletions with those earlier compactions stored', () => {
    const { store, doc, as } = editedStore();
    store.compact(DOC, Y.encodeStateAsUpdate(doc), store.lastSeq());
    const before = store.deletions(DOC);
    as('bob');
    doc.getText('t').delete(0, 2);
    as('carol');
    doc.getText('t').delete(0, 1);
    const upTo = store.lastSeq();
    const expected = store.deletions(DOC);
    store.compact(DOC, Y.encodeStateAsUpdate(doc), upTo, foldRows(store.rowsToFold(DOC, upTo)));
    expect(store.deletions(DOC)).toEqual(expected);
    expect(store.deletions(DOC).get('alice')).toEqual(before.get('alice'));
    expect(store.deletions(DOC).get('carol')).toBeDefined();
  });

  it('keeps the rows logged after the rows were read, and folds them at the next compaction', () => {
    const { store, doc, as } = editedStore();
    const upTo = store.lastSeq();
    const state = Y.encodeStateAsUpdate(doc);
    const folded = foldRows(store.rowsToFold(DOC, upTo));
    // Logged while the worker decodes: after `upTo`, so neither folded nor deleted now.
    as('dave');
    doc.getText('t').delete(0, 3);
    store.compact(DOC, state, upTo, folded);
    expect(store.pendingUpdates(DOC)).toBe(1);
    expect(store.deletions(DOC).get('dave')).toBeDefined();
    const next = store.lastSeq();
    store.compact(DOC, Y.encodeStateAsUpdate(doc), next, foldRows(store.rowsToFold(DOC, next)));
    expect(store.pendingUpdates(DOC)).toBe(0);
    expect(store.deletions(DOC).get('dave')).toBeDefined();
  });

  it('decodes the rows itself when the folded deletions no longer cover every row it removes', () => {
    const here = editedStore();
    const there = editedStore();
    here.store.compact(DOC, Y.encodeStateAsUpdate(here.doc), here.store.lastSeq());
    const upTo = there.store.lastSeq();
    // Folded from fewer rows than the log now holds up to `upTo` (as if rows had changed meanwhile).
    const stale = foldRows(there.store.rowsToFold(DOC, upTo).slice(0, 2));
    there.store.compact(DOC, Y.encodeStateAsUpdate(there.doc), upTo, stale);
    expect(there.store.deletions(DOC)).toEqual(here.store.deletions(DOC));
  });

  it('skips a row it cannot decode instead of failing the fold', () => {
    const folded = foldRows([
      { authorId: 'alice', data: new Uint8Array([255, 1, 2]) },
      { authorId: 'bob', data: Y.encodeStateAsUpdate(new Y.Doc()) },
    ]);
    expect(folded).toEqual({ rows: 2, byAuthor: {} });
  });
});

describe('stale indexes (issue 17: the index of a document edited just before a crash)', () => {
  const OTHER = '00000000-0000-4000-8000-000000000002';
  const index = { metadata: emptyMetadata('Fiche'), sections: [], pages: 0 };

  function twoDocuments() {
    const db = openDatabase(':memory:', { synchronous: 'NORMAL' });
    const documents = sqliteDocumentRepository(db);
    for (const id of [DOC, OTHER]) documents.insert(emptyFicheRecord(id), Y.encodeStateAsUpdate(new Y.Doc()));
    const store = sqliteCollabStore(db);
    const doc = new Y.Doc();
    const write = (id: string, text: string) => {
      const before = Y.encodeStateVector(doc);
      doc.getText('t').insert(0, text);
      store.append(id, Y.encodeStateAsUpdate(doc, before));
      store.commit();
    };
    /** Writes an index of `id` read now (at the log's last position). */
    const indexNow = (id: string) => documents.saveIndex(id, index, null, null, store.lastSeq());
    return { documents, store, doc, write, indexNow };
  }

  it('says nothing is stale for documents never edited after their creation', () => {
    const { documents } = twoDocuments();
    expect(documents.staleIndexes(10)).toEqual([]);
  });

  it('finds a document whose log goes past its index, until an index read at its last update is written', () => {
    const { documents, write, indexNow } = twoDocuments();
    write(DOC, 'a');
    expect(documents.staleIndexes(10)).toEqual([DOC]);
    indexNow(DOC);
    expect(documents.staleIndexes(10)).toEqual([]);
    write(DOC, 'b');
    expect(documents.staleIndexes(10)).toEqual([DOC]);
  });

  it('still finds it once its log is compacted into the state, the index being older than the rows folded', () => {
    const { documents, store, doc, write, indexNow } = twoDocuments();
    write(DOC, 'a');
    indexNow(DOC);
    write(DOC, 'b');
    store.compact(DOC, Y.encodeStateAsUpdate(doc), store.lastSeq());
    expect(store.pendingUpdates(DOC)).toBe(0);
    expect(documents.staleIndexes(10)).toEqual([DOC]);
  });

  it('does not call stale a document compacted at a later log position only because others were edited', () => {
    const { documents, store, doc, write, indexNow } = twoDocuments();
    write(DOC, 'a');
    indexNow(DOC);
    write(OTHER, 'b');
    indexNow(OTHER);
    // The compaction folds up to the newest position (the other document's row).
    store.compact(DOC, Y.encodeStateAsUpdate(doc), store.lastSeq());
    expect(documents.staleIndexes(10)).toEqual([]);
  });

  it('never moves an index position back', () => {
    const { documents, store, write, indexNow } = twoDocuments();
    write(DOC, 'a');
    write(DOC, 'b');
    indexNow(DOC);
    documents.saveIndex(DOC, index, null, null, 1);
    expect(documents.findById(DOC)?.indexedSeq).toBe(store.lastSeq());
    expect(documents.staleIndexes(10)).toEqual([]);
  });

  it('pages through stale documents in id order', () => {
    const { documents, write } = twoDocuments();
    write(OTHER, 'b');
    write(DOC, 'a');
    expect(documents.staleIndexes(1)).toEqual([DOC]);
    expect(documents.staleIndexes(1, DOC)).toEqual([OTHER]);
    expect(documents.staleIndexes(1, OTHER)).toEqual([]);
  });
});
