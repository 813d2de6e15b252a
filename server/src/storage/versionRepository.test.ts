import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { openDatabase } from './db.js';
import { MAX_DELTA_DEPTH, sqliteVersionRepository } from './versionRepository.js';

/** A database with one document, and a Y.Doc whose successive states are recorded as versions. */
function setup() {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'essaim-versions-')), 'essaim.sqlite');
  const db = openDatabase(file, { synchronous: 'NORMAL' });
  db.prepare(
    "INSERT INTO documents (id, kind, title, created_at, updated_at) VALUES ('d', 'fiche', 't', 'x', 'x')",
  ).run();
  const repo = sqliteVersionRepository(db);
  const doc = new Y.Doc();
  const text = doc.getText('t');
  let n = 0;
  const record = () => {
    n++;
    const state = Y.encodeStateAsUpdateV2(doc);
    repo.insert({
      id: `v${n}`,
      documentId: 'd',
      kind: 'automatique',
      label: null,
      state,
      authorIds: [],
      createdBy: null,
      createdAt: new Date(Date.UTC(2026, 0, 1, 0, n)).toISOString(),
    });
    return { id: `v${n}`, text: text.toString() };
  };
  /** The text a stored version holds. */
  const textOf = (id: string) => {
    const copy = new Y.Doc();
    Y.applyUpdateV2(copy, repo.state(id) as Uint8Array);
    return copy.getText('t').toString();
  };
  return { db, repo, text, record, textOf };
}

describe('version states stored as diffs', () => {
  it('gives back every version exactly, across full states, however many versions', () => {
    const { text, record, textOf } = setup();
    const versions = [];
    for (let i = 0; i < MAX_DELTA_DEPTH * 2 + 5; i++) {
      text.insert(text.length, `mot${i} `);
      if (i % 3 === 0) text.delete(0, 2);
      versions.push(record());
    }
    for (const v of versions) expect(textOf(v.id)).toBe(v.text);
  });

  it('keeps what a removed version added for the versions after it, whether it was stored in full or as a diff', () => {
    const { repo, text, record, textOf, db } = setup();
    const versions = [];
    for (let i = 0; i < 30; i++) {
      text.insert(text.length, `mot${i} `);
      versions.push(record());
    }
    // The first (full), some in the middle (diffs), and consecutive ones.
    const removed = ['v1', 'v5', 'v6', 'v7', 'v22'];
    expect(repo.remove(removed)).toBe(removed.length);
    for (const v of versions.filter((v) => !removed.includes(v.id))) expect(textOf(v.id)).toBe(v.text);
    expect(repo.state('v5')).toBeNull();
    const orphans = db
      .prepare(
        'SELECT COUNT(*) AS n FROM document_version_states WHERE base IS NOT NULL AND base NOT IN (SELECT id FROM document_versions)',
      )
      .get() as { n: number };
    expect(orphans.n).toBe(0);
  });

  it('stores a version that adds little in much less than a full state', () => {
    const { text, record, db } = setup();
    text.insert(0, 'x'.repeat(50_000));
    record();
    text.insert(0, 'petit ajout ');
    record();
    const sizes = db
      .prepare('SELECT version_id, length(state) AS size FROM document_version_states ORDER BY version_id')
      .all() as { version_id: string; size: number }[];
    expect(sizes[1]?.size).toBeLessThan((sizes[0]?.size ?? 0) / 10);
  });
});
