import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { schema, type DocJSON } from '@essaim/editor';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../storage/db.js';
import { sqliteDraftSearchRepository, type DraftEntryContent } from '../storage/draftSearchRepository.js';
import {
  cachedStems,
  draftSearchExpression,
  draftSnippet,
  sectionEntries,
  threadEntry,
} from './draftSearchService.js';
import { frenchStems } from './frenchText.js';
import { snippetOf } from './publicationService.js';

const section = (id: string, title: string, ...paragraphs: DocJSON[]): DocJSON => ({
  type: 'section',
  attrs: { id, key: null },
  content: [{ type: 'sectionTitle', content: [{ type: 'text', text: title }] }, ...paragraphs],
});
const paragraph = (...content: DocJSON[]): DocJSON => ({ type: 'paragraph', content });
const text = (t: string): DocJSON => ({ type: 'text', text: t });

function tempDb() {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'essaim-draft-search-')), 'essaim.sqlite');
  const db = openDatabase(file, { synchronous: 'NORMAL' });
  db.prepare(
    "INSERT INTO documents (id, kind, title, created_at, updated_at) VALUES ('d', 'fiche', 't', 'x', 'x')",
  ).run();
  return db;
}

const entry = (words: string): DraftEntryContent => ({
  title: '',
  text: words,
  stems: { title: '', body: frenchStems(words) },
});

describe('draft search expression', () => {
  it('reads words as prefix stems and double-quoted words as a phrase of exact stems', () => {
    expect(draftSearchExpression('Conférences familiales')).toBe('"conferent"* "familial"*');
    expect(draftSearchExpression('"aller vers" Oise')).toBe('"aller ver" "ois"*');
    expect(draftSearchExpression('"conférences familiales"')).toBe('"conferent familial"');
  });

  it('reads an unclosed quote as words, and an empty phrase as nothing', () => {
    expect(draftSearchExpression('"aller vers')).toBe('"aller"* "ver"*');
    expect(draftSearchExpression('famille ""')).toBe('"famill"*');
    expect(draftSearchExpression('""')).toBeNull();
  });

  it('never lets FTS5 syntax through: operators, stars, colons and minus signs become words or nothing', () => {
    for (const hostile of [
      '"',
      'NEAR(',
      '*',
      '-',
      ':',
      'a:b',
      'x OR y',
      '"x" NOT "y"',
      '^t',
      '{title}: x',
      "l'",
    ]) {
      const expression = draftSearchExpression(hostile);
      // Only quoted runs of letters and digits, each maybe followed by a star.
      if (expression !== null) expect(expression).toMatch(/^("[\p{L}\p{N} ]+"\*? ?)+$/u);
    }
    expect(draftSearchExpression('NEAR(')).toBe('"near"*');
    expect(draftSearchExpression('* - :')).toBeNull();
  });
});

describe('stems and snippets computed fast', () => {
  const texts = [
    'Les conférences familiales réunissent les familles élargies autour de l’enfant.',
    `${'Avant. '.repeat(60)}Les <familles> élargies se réunissent ; une famille décide & agit.${' Après.'.repeat(80)}`,
    'Aller-vers les allocataires : la dématérialisation des démarches a éloigné les familles isolées.',
    'Rien à voir ici.',
    `${'mot '.repeat(100)}famille${'x'.repeat(300)} fin`,
  ];

  it('keeps the same stems as frenchStems, word after word', () => {
    for (const text of texts) expect(cachedStems(text)).toBe(frenchStems(text));
  });

  it('makes the very snippet the publication search makes, escaped, every form of the words marked', () => {
    for (const text of texts)
      for (const query of ['famille', 'conférence familiale', 'aller vers', 'démarches isolées', 'licorne']) {
        const stems = frenchStems(query).split(' ').filter(Boolean);
        expect(draftSnippet(text, stems), `${query} in ${text.slice(0, 30)}`).toBe(snippetOf(text, query));
      }
  });
});

describe('what the index keeps of a document', () => {
  it('gives each section its id, hash, title and the text of its blocks, a footnote after its call', () => {
    const doc = schema.nodeFromJSON({
      type: 'doc',
      content: [
        section('s1', 'Origine', paragraph(text('Des familles élargies.')), paragraph(text('Un accueil.'))),
        section(
          's2',
          'Public concerné',
          paragraph(text('Les jeunes'), { type: 'footnote', attrs: { text: 'de 16 à 25 ans' } }, text('.')),
        ),
      ],
    });
    const entries = sectionEntries(doc);
    expect(entries.map((e) => [e.sectionId, e.title, e.text])).toEqual([
      ['s1', 'Origine', 'Des familles élargies.\nUn accueil.'],
      ['s2', 'Public concerné', 'Les jeunes (de 16 à 25 ans).'],
    ]);
    expect(entries[0]?.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(entries[0]?.hash).not.toBe(entries[1]?.hash);
  });

  it('keeps a thread as its messages not deleted, a mention as @Name, and nothing when none is left', () => {
    const kept = threadEntry([
      { body: 'Voir avec @[Rose Martin](user:u1) pour la dématérialisation.', deletedAt: null },
      { body: 'Message retiré', deletedAt: '2026-01-01T00:00:00.000Z' },
      { body: 'Accord.', deletedAt: null },
    ]);
    expect(kept?.text).toBe('Voir avec @Rose Martin pour la dématérialisation.\nAccord.');
    expect(kept?.stems.body).toContain('dematerialis');
    expect(threadEntry([{ body: 'Parti', deletedAt: '2026-01-01T00:00:00.000Z' }])).toBeNull();
  });
});

describe('draft search repository', () => {
  it('writes again only the sections whose hash changed, drops removed ones, and finds by stems', () => {
    const db = tempDb();
    const repo = sqliteDraftSearchRepository(db);
    const read: string[] = [];
    const content = (words: Record<string, string>) => (id: string) => {
      read.push(id);
      return entry(words[id] ?? '');
    };
    const first = { a: 'Les conférences familiales réunissent.', b: 'Aller-vers les allocataires.' };
    repo.saveSections(
      'd',
      [
        { sectionId: 'a', hash: '1' },
        { sectionId: 'b', hash: '1' },
      ],
      content(first),
      'x',
    );
    expect(read).toEqual(['a', 'b']);
    read.length = 0;
    // b changed, a did not, c is new.
    repo.saveSections(
      'd',
      [
        { sectionId: 'a', hash: '1' },
        { sectionId: 'b', hash: '2' },
        { sectionId: 'c', hash: '1' },
      ],
      content({ ...first, b: 'Une maraude de nuit.', c: 'Pair-aidance.' }),
      'x',
    );
    expect(read).toEqual(['b', 'c']);
    const found = (expression: string) => repo.search(expression, 10).map((h) => h.sectionId);
    expect(found('"conferent"* "familial"*')).toEqual(['a']);
    expect(found('"aller ver"')).toEqual([]);
    expect(found('"maraud"*')).toEqual(['b']);
    const [b] = repo.search('"maraud"*', 10);
    expect(repo.texts([b?.entryId ?? 0]).get(b?.entryId ?? 0)).toBe('Une maraude de nuit.');
    // c removed: its row leaves the full-text index too.
    repo.saveSections('d', [{ sectionId: 'a', hash: '1' }], content(first), 'x');
    expect(found('"pair"*')).toEqual([]);
    expect(repo.unindexedDocuments(10)).toEqual([]);
    // A deleted document takes its entries and its mark with it.
    repo.saveThread('d', 't', null);
    db.prepare("DELETE FROM documents WHERE id = 'd'").run();
    expect(found('"conferent"*')).toEqual([]);
    expect(db.prepare('SELECT COUNT(*) AS n FROM draft_search_entries').get()).toEqual({ n: 0 });
    expect(db.prepare('SELECT COUNT(*) AS n FROM draft_search_texts').get()).toEqual({ n: 0 });
    db.close();
  });
});
