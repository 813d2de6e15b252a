import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { schema, type DocJSON } from '@essaim/editor';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../storage/db.js';
import { sqliteDraftSearchRepository, type DraftEntryContent } from '../storage/draftSearchRepository.js';
import type { Actor } from '@essaim/domain';
import { emptyMetadata } from '@essaim/protocol';
import type { DocumentRecord } from '../storage/documentRepository.js';
import {
  cachedStems,
  draftSearchExpression,
  draftSnippet,
  DraftSearchService,
  longEntrySnippet,
  sectionEntries,
  SNIPPET_PIECE_BYTES,
  threadEntry,
  type DraftHit,
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

describe('a search over long fiches shares the event loop (issue 17)', () => {
  const E = 'e';
  const actor: Actor = { kind: 'user', userId: 'u', isAdmin: false, roles: new Map([[E, 'membre']]) };
  const record = (id: string): DocumentRecord => ({
    id,
    espaceId: E,
    kind: 'fiche',
    title: id,
    createdAt: 'x',
    updatedAt: 'x',
    archivedAt: null,
    metadata: emptyMetadata(),
    sections: [],
    pages: 1,
    lastEditorId: null,
    lastEditorName: null,
    indexedSeq: 0,
  });
  const filler = (n: number, seed: number) =>
    Array.from({ length: n }, (_, i) => `mot${(i * 7 + seed) % 97} ligne\n`).join(' ');
  /** Documents d0…d{n-1}, each with sections whose texts are `texts(document)`, indexed. */
  function indexed(n: number, texts: (doc: number) => string[]) {
    const db = tempDb();
    const repo = sqliteDraftSearchRepository(db);
    const records: DocumentRecord[] = [];
    for (let d = 0; d < n; d++) {
      const id = `d${d}`;
      db.prepare(
        "INSERT OR IGNORE INTO documents (id, kind, title, created_at, updated_at) VALUES (?, 'fiche', ?, 'x', 'x')",
      ).run(id, id);
      const sections = texts(d);
      repo.saveSections(
        id,
        sections.map((_, i) => ({ sectionId: `s${i}`, hash: '1' })),
        (sectionId) => entry(sections[Number(sectionId.slice(1))] ?? ''),
        'x',
      );
      records.push(record(id));
    }
    const service = new DraftSearchService(
      repo,
      { searchSummaries: () => [], assigneesOf: () => new Map() },
      { findThread: () => undefined, commentsOf: () => new Map(), threadsOf: () => [] },
      { load: () => undefined as never, documentIds: () => [] },
    );
    const candidates = records.map((r) => ({ record: r, assignees: [] }));
    return { db, repo, service, candidates };
  }
  const strip = (hits: Map<string, DraftHit>) =>
    [...hits].map(([id, h]) => [id, h.rank, h.matches.map((m) => [m.entryId, m.sectionId, m.snippet])]);

  it('finds the same documents, ranks and matches as the one-query search, reading one ranked entry per turn when given no time', async () => {
    const { db, repo, service, candidates } = indexed(12, (d) => [
      `${filler(40 + d * 30, d)} conférence familiale ${d % 3 === 0 ? 'aller-vers' : ''}`,
      d % 2 === 0 ? 'Une conférence de quartier, familiale aussi.' : 'rien à voir',
      filler(10, d),
    ]);
    // Each ranked entry read, and the pauses counted when it was read.
    const ranked: number[] = [];
    let pauses = 0;
    const rankedReader = repo.rankedReader.bind(repo);
    repo.rankedReader = (expression) => {
      const reader = rankedReader(expression);
      if (!reader) throw new Error('la base de test a un fichier');
      return {
        next: () => {
          const row = reader.next();
          if (row) ranked.push(pauses);
          return row;
        },
        close: () => reader.close(),
      };
    };
    for (const q of ['conférence familiale', '"aller vers"', 'familiale', 'mot3', 'introuvable']) {
      const once = service.search(actor, q, { archived: false, candidates });
      pauses = 0;
      const sliced = await service.searchInSlices(
        actor,
        q,
        { archived: false, candidates },
        { budgetMs: 0, pause: async () => void pauses++ },
      );
      expect(strip(sliced), q).toEqual(strip(once));
      // With no time to spend, a pause comes between any two entries read.
      expect(ranked, q).toEqual(ranked.map((_, i) => (ranked[0] ?? 0) + i));
      if (q === 'conférence familiale') {
        expect(once.size).toBe(12);
        expect(ranked.length).toBeGreaterThanOrEqual(12);
      }
      ranked.length = 0;
    }
    // Documents the person may not read are left out as before.
    const some = await service.searchInSlices(actor, 'familiale', {
      archived: false,
      candidates: candidates.slice(0, 3),
    });
    expect([...some.keys()].sort()).toEqual(['d0', 'd1', 'd2']);
    db.close();
  });

  it('writes the very snippets addSnippets writes, for short and long sections, the words early, late or only in the title', async () => {
    const long = (at: 'start' | 'middle' | 'end' | 'none', seed: number) => {
      const body = filler(30_000, seed);
      const words = 'la Conférence familiale\n réunit les « pairs-aidants »';
      const cut = Math.floor(body.length / 2);
      if (at === 'start') return `${words} ${body}`;
      if (at === 'middle') return `${body.slice(0, cut)} ${words} ${body.slice(cut)}`;
      if (at === 'end') return `${body} ${words}`;
      return body;
    };
    const { db, service, candidates } = indexed(5, (d) => [
      [
        'court : la conférence familiale réunit',
        long('start', d),
        long('middle', d),
        long('end', d),
        `é${long('none', d)}`,
      ][d] ?? '',
    ]);
    for (const q of ['conférence familiale', 'pairs aidants', 'mot5', 'réunir']) {
      const once = service.search(actor, q, { archived: false, candidates });
      const sliced = service.search(actor, q, { archived: false, candidates });
      service.addSnippets(q, once.values());
      await service.addSnippetsInSlices(q, sliced.values(), { budgetMs: 0, pause: async () => undefined });
      expect(strip(sliced), q).toEqual(strip(once));
      expect(
        [...once.values()].some((h) => h.matches.some((m) => m.snippet.includes('<mark>'))),
        q,
      ).toBe(true);
    }
    // A title-only match: the start of the text, as before.
    const [first] = service
      .search(actor, 'mot5', { archived: false, candidates: candidates.slice(4) })
      .values();
    const entryId = first?.matches[0]?.entryId ?? 0;
    const titleOnly = {
      rank: -1,
      matches: [{ entryId, sectionId: 's0', sectionTitle: 'x', threadId: null, snippet: '' }],
    };
    const copy = structuredClone(titleOnly);
    service.addSnippets('introuvable', [titleOnly]);
    await service.addSnippetsInSlices('introuvable', [copy]);
    expect(copy.matches[0]?.snippet).toBe(titleOnly.matches[0]?.snippet);
    db.close();
  });

  it('decodes and reads one piece of a long section per unit of work, not the whole of it', async () => {
    const body = Array.from({ length: 200_000 }, (_, i) => `mot${i % 89}`).join(' ');
    const text = `${body} conférence familiale`;
    const bytes = new TextEncoder().encode(text);
    const stems = frenchStems('conférence').split(' ');
    let units = 0;
    const snippet = await longEntrySnippet(bytes, stems, { check: async () => void units++ });
    expect(snippet).toBe(draftSnippet(text, stems));
    // Every piece read is followed by a check: as many as pieces, so no unit read much more than one.
    expect(units).toBeGreaterThanOrEqual(Math.floor(bytes.length / SNIPPET_PIECE_BYTES));
    // A word found in the first piece: the rest of the text is never decoded.
    let early = 0;
    const first = await longEntrySnippet(new TextEncoder().encode(`conférence ${body}`), stems, {
      check: async () => void early++,
    });
    expect(first).toBe(draftSnippet(`conférence ${body}`, stems));
    expect(early).toBe(0);
  });
});
