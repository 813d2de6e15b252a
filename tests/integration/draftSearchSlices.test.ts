import type { DocumentListDto } from '@essaim/protocol';
import { describe, expect, it } from 'vitest';
import type { DraftHit, DraftSearchService } from '../../server/src/services/draftSearchService.js';
import { cachedStems } from '../../server/src/services/draftSearchService.js';
import type { DraftSearchRepository } from '../../server/src/storage/draftSearchRepository.js';
import { createDocument } from '../support/accounts.js';
import { useTestInstance } from '../support/instance.js';

/**
 * Issue 17: a search of drafts over large fiches held the event loop ~450 ms in one turn (the
 * ranking of every entry, then the texts of the hundred documents shown read and scanned whole),
 * and every person typing in any document waited as long. The search now ranks a few entries,
 * and reads one piece of a text, at a time, letting the loop run in between: here the texts it
 * reads are seen to be read in several turns of the event loop (counted by a `setImmediate`
 * chain), and the answer is the one the single-turn search gives.
 */

const t = useTestInstance();
/** Fiches of half a megabyte: ranking them takes tens of ms, more than one slice on any machine. */
const DOCUMENTS = 24;

/**
 * About `chars` characters of French text, lines apart, the query's words in every line (each
 * place a word appears is work for the ranking) after some 180,000 characters without them (read
 * word by word for the snippet).
 */
function longText(chars: number, seed: number): string {
  const lines: string[] = [];
  let length = 0;
  for (let i = 0; length < chars; i++) {
    const line =
      i < 2_000 + seed
        ? `Le groupe ${(i * 7 + seed) % 53} prépare la rencontre suivante avec les habitants du quartier.`
        : `La conférence familiale ${i} réunit la famille, une conférence pour la famille.`;
    lines.push(line);
    length += line.length + 1;
  }
  return lines.join('\n');
}

describe('a draft search over large fiches shares the event loop', () => {
  it('ranks the entries and reads their texts over several turns, and answers as the one-turn search', async () => {
    const search = t.server.services.draftSearch as DraftSearchService;
    const index = (search as unknown as { index: DraftSearchRepository }).index;
    const ids: string[] = [];
    for (let d = 0; d < DOCUMENTS; d++) {
      const { id } = await createDocument(t.admin, t.espaceId, `Fiche lourde ${d + 1}`);
      const text = longText(500_000, d);
      search.indexDocument(
        id,
        {
          computed: {
            s1: { title: 'Déroulé', text, stems: { title: cachedStems('Déroulé'), body: cachedStems(text) } },
          },
        },
        [{ id: 's1', key: null, title: 'Déroulé', hash: `h${d}`, characters: text.length }],
      );
      ids.push(id);
    }

    // The turn of the event loop each call to the index comes in.
    let turn = 0;
    let counting = true;
    const tick = (): void => {
      turn++;
      if (counting) setImmediate(tick);
    };
    setImmediate(tick);
    const rankTurns = new Set<number>();
    const readTurns = new Set<number>();
    const rankedReader = index.rankedReader.bind(index);
    const textBytes = index.textBytes.bind(index);
    index.rankedReader = (expression) => {
      const reader = rankedReader(expression);
      return (
        reader && {
          next: () => {
            rankTurns.add(turn);
            return reader.next();
          },
          close: () => reader.close(),
        }
      );
    };
    index.textBytes = (entryId) => {
      readTurns.add(turn);
      return textBytes(entryId);
    };
    let documents: DocumentListDto['documents'];
    try {
      const query = new URLSearchParams({ espaceId: t.espaceId, q: 'conférence familiale' });
      const response = await t.admin.fetch(`/api/documents?${query.toString()}`);
      expect(response.status).toBe(200);
      documents = ((await response.json()) as DocumentListDto).documents;
    } finally {
      counting = false;
      index.rankedReader = rankedReader;
      index.textBytes = textBytes;
    }

    // Ranked apart from the answer (how many turns the ranking takes depends on the machine's
    // speed: `draftSearchService.test.ts` checks its slices), texts read over several turns.
    expect(rankTurns.size, 'tours de classement').toBeGreaterThan(0);
    expect(readTurns.size, 'tours de lecture des textes').toBeGreaterThan(1);
    expect(Math.max(...readTurns)).toBeGreaterThan(Math.min(...rankTurns));
    // The same answer as the search done in one turn: documents, best first, and snippets.
    const actor = t.server.services.actors.forUser(t.admin.userId);
    const once = search.search(actor, 'conférence familiale', { archived: false });
    search.addSnippets('conférence familiale', once.values());
    const expected = [...once]
      .sort(([, a], [, b]) => a.rank - b.rank)
      .map(([id, hit]: [string, DraftHit]) => [id, hit.matches.map((m) => m.snippet)]);
    expect(documents.map((d) => [d.id, (d.matches ?? []).map((m) => m.snippet)])).toEqual(expected);
    expect(documents.map((d) => d.id).sort()).toEqual([...ids].sort());
    expect(documents.every((d) => d.matches?.[0]?.snippet.includes('<mark>'))).toBe(true);
  }, 120_000);
});
