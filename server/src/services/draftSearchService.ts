import { createHash } from 'node:crypto';
import { can, type Actor } from '@essaim/domain';
import { sectionsOf, ydocToNode, type SectionSummary } from '@essaim/editor';
import { parseCommentBody, type DocumentMatchDto } from '@essaim/protocol';
import type { Node as PMNode } from '@tiptap/pm/model';
import * as Y from 'yjs';
import { applyStored, type CollabStore } from '../storage/collabStore.js';
import type { CommentRecord, CommentRepository } from '../storage/commentRepository.js';
import type { AssigneeRecord, DocumentRepository, DocumentSummary } from '../storage/documentRepository.js';
import { Slicer, SLICE_MS, type Pause, type SliceOptions } from './slicer.js';

export type { Pause, SliceOptions };
import type {
  DraftEntryContent,
  DraftHitRow,
  DraftSearchRepository,
} from '../storage/draftSearchRepository.js';
import { targetWithAssignees } from './documentTarget.js';
import { cachedStems, sectionContent, sectionText, stemOf } from './draftText.js';
import { frenchStems } from './frenchText.js';
import { escapeHtml } from './publishedHtml.js';
import { searchExpression } from './publicationService.js';

export { cachedStems, sectionText } from './draftText.js';

/** Matches given for one document (issue 18: « at most 3 »). */
export const MATCHES_PER_DOCUMENT = 3;
/** Entries read from the index for one search, best first: beyond them, weaker matches are left out. */
const MAX_HITS = 20_000;
/** What a search may spend indexing documents never indexed before it searches (ms). */
const SEARCH_CATCH_UP_MS = 250;
/** One slice of the background catch-up (ms), between which the server answers everything else. */
const BACKGROUND_SLICE_MS = 20;
/**
 * The synchronous work a sliced search ({@link DraftSearchService.searchInSlices},
 * {@link DraftSearchService.addSnippetsInSlices}) does before it lets the event loop serve the
 * others (ms): {@link SLICE_MS}.
 */
export const SEARCH_SLICE_MS = SLICE_MS;
/** Bytes of an entry's text decoded and read word by word at a time by a snippet of a long entry. */
export const SNIPPET_PIECE_BYTES = 64 * 1024;
/** Entries up to this many bytes are decoded whole for their snippet (a few µs). */
const SNIPPET_WHOLE_BYTES = 16 * 1024;
/**
 * Characters kept on either side of the first word found in a long entry: its snippet (about 220
 * characters, starting some 70 before that word) is made from them alone, exactly as from the
 * whole text unless a run of whitespace longer than this sits next to the word.
 */
const SNIPPET_MARGIN = 2_000;

/** The index content of every section of a document, by section id, computed off the main thread. */
export interface ComputedSections {
  computed: Readonly<Record<string, DraftEntryContent>>;
}

/** A section of a document as the index keeps it. */
export interface SectionEntry {
  /** The section's id (packages/editor `sectionsOf`: a second copy of an id gets `~n`). */
  sectionId: string;
  /** Content hash of the title and content (`sectionsOf`): an unchanged section is not read again. */
  hash: string;
  title: string;
  /** The section's blocks without its title, one per line; a note's text after its call. */
  text: string;
}

/** The documents one search looks in, already read, and whether archived ones may be found. */
export interface DraftSearchFilters {
  /** Only when the catalogue shows archived documents (« documents archivés »). */
  archived: boolean;
  /**
   * The documents to look in, each with its assignees (the catalogue's filtered list). Each is
   * judged by `can(actor, 'document.read')` again here. Without it, every document of the
   * actor's espaces (all for an administrator) is read.
   */
  candidates?: readonly { record: DocumentSummary; assignees: readonly AssigneeRecord[] }[];
}

/** One place a search found the words: a match as the API gives it, and its index entry. */
export interface DraftMatch extends DocumentMatchDto {
  entryId: number;
}

/** What a search found in one document. */
export interface DraftHit {
  /** bm25 rank of its best entry (negative; lower is better). */
  rank: number;
  /**
   * Its best entries, best first, at most {@link MATCHES_PER_DOCUMENT}; their snippets are ''
   * until {@link DraftSearchService.addSnippets} writes them.
   */
  matches: DraftMatch[];
}

/** What {@link DraftSearchService.rebuild} did. */
export interface RebuildReport {
  documents: number;
  sections: number;
  threads: number;
  ms: number;
}

/**
 * The catalogue's full-text search of drafts and comment threads (issue 18), over the French stems
 * publication search uses (`frenchText.ts`: accents and case folded, Snowball French stems,
 * hyphens split: « aller vers » finds « aller-vers »).
 *
 * The index follows the text off the keystroke path: each time the collaborative server stores a
 * document ({@link indexDocument}, from `IndexingService`), only its changed sections are read
 * again; each change of a thread ({@link threadChanged}, from `CommentEvents`). Documents never
 * indexed (a database from before migration 15, a new document until its first store) are
 * indexed from their stored state before a search (at most {@link SEARCH_CATCH_UP_MS} ms), then in
 * the background by slices; `npm run cli -- search:rebuild` rebuilds everything.
 *
 * A search returns nothing the person may not read: each document is judged by `can(actor,
 * 'document.read')` and archived ones are searched only when asked for.
 */
export class DraftSearchService {
  private catchingUp = false;

  constructor(
    private readonly index: DraftSearchRepository,
    private readonly documents: Pick<DocumentRepository, 'searchSummaries' | 'assigneesOf'>,
    private readonly comments: Pick<CommentRepository, 'findThread' | 'commentsOf' | 'threadsOf'>,
    private readonly store: Pick<CollabStore, 'load' | 'documentIds'>,
    private readonly onError: (error: unknown, context: string) => void = () => undefined,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /**
   * Indexes the sections of a document just stored, in one transaction: sections whose hash did
   * not change are left as they are, removed ones are dropped. `source` is the document as a
   * ProseMirror node (the text of a changed section is read from it), or `{ computed }`: the
   * content of every section by section id, as the indexing worker computed it
   * (`collab/offloadWorker.ts`; then `sections` is required). `sections`: its `sectionsOf`, when
   * already computed. Never throws: a failure is reported and the document is indexed again from
   * its stored state before the next search.
   */
  indexDocument(
    documentId: string,
    source: PMNode | ComputedSections,
    sections?: readonly SectionSummary[],
  ): void {
    try {
      if ('computed' in source) {
        const { computed } = source;
        this.index.saveSections(
          documentId,
          (sections ?? []).map((s) => ({ sectionId: s.id, hash: s.hash })),
          (sectionId) => computed[sectionId] ?? emptyEntry(),
          this.now().toISOString(),
          false,
        );
      } else this.saveSections(documentId, source, false, sections);
    } catch (error) {
      this.onError(error, `draft search: indexing ${documentId}`);
      this.forget(documentId);
    }
  }

  /**
   * Indexes a thread again after a change (a message added, edited or deleted; resolved,
   * reopened or deleted): its messages not deleted, one per line, or nothing for a deleted thread.
   * Never throws (a failure is reported; `search:rebuild` repairs).
   */
  threadChanged(threadId: string | null): void {
    if (!threadId) return;
    try {
      const thread = this.comments.findThread(threadId);
      if (!thread) return;
      const messages = thread.deletedAt ? [] : (this.comments.commentsOf([threadId]).get(threadId) ?? []);
      this.index.saveThread(thread.documentId, threadId, threadEntry(messages));
    } catch (error) {
      this.onError(error, `draft search: indexing thread ${threadId}`);
    }
  }

  /** Removes a document from the index (its rows also go with it if it is ever deleted). */
  removeDocument(documentId: string): void {
    this.index.removeDocument(documentId);
  }

  /**
   * Searches the drafts and threads of the documents in `filters` the actor may read: entries
   * holding every word of `query` (French stems; `"…"` for a phrase), grouped by document with the
   * best rank and up to three matches each (without snippets: {@link addSnippets} writes those
   * of the documents shown). Documents never indexed are indexed first (within a time bound).
   * Never throws for what a person typed: a query that is no valid FTS5 finds nothing.
   */
  search(actor: Actor, query: string, filters: DraftSearchFilters): Map<string, DraftHit> {
    const prepared = this.prepare(actor, query, filters);
    if (!prepared) return new Map();
    let rows;
    try {
      rows = this.index.search(prepared.expression, MAX_HITS);
    } catch (error) {
      // The expression is built from stems only; should SQLite still refuse it, nothing is found.
      this.onError(error, 'draft search: query refused');
      return new Map();
    }
    return groupHits(rows, prepared.allowed);
  }

  /**
   * {@link search}, the same hits, without holding the event loop: the ranking query (bm25, the
   * costly part: it walks every place each word appears, ~2 ms per megabyte of matching text)
   * runs on a read-only connection of its own (`rankedReader`) and its rows are read one at a
   * time, the loop let go every `SEARCH_SLICE_MS` (4 ms); one entry is the smallest unit (the
   * first also counts the words' frequencies over the whole index). Ranking ranges of entries on
   * the main connection instead cost a fixed part per query that grew with the range's place in
   * the index (5–55 ms per entry over 108 MB). A database without a file ranks in one go. Issue 17: over fiches of megabytes, one
   * search held the loop ~450 ms and everybody's typing waited as long. Entries written between
   * two slices are ranked as they are then. The catch-up indexing of documents never indexed
   * stays a single bounded step ({@link SEARCH_CATCH_UP_MS}).
   */
  async searchInSlices(
    actor: Actor,
    query: string,
    filters: DraftSearchFilters,
    slices: SliceOptions = {},
  ): Promise<Map<string, DraftHit>> {
    const prepared = this.prepare(actor, query, filters);
    if (!prepared) return new Map();
    const { expression } = prepared;
    const slicer = new Slicer(slices);
    const rows: DraftHitRow[] = [];
    try {
      const reader = this.index.rankedReader(expression);
      if (reader) {
        // One statement on a connection of its own, read a row at a time: bm25 is computed as
        // each row is read, and the main connection serves everything else in between.
        try {
          for (let row = reader.next(); row; row = reader.next()) {
            rows.push(row);
            await slicer.check();
          }
        } finally {
          reader.close();
        }
      } else rows.push(...this.index.search(expression, MAX_HITS)); // no file (in memory): in one go
    } catch (error) {
      this.onError(error, 'draft search: query refused');
      return new Map();
    }
    // As `ORDER BY rank LIMIT MAX_HITS`; equal ranks by entry.
    rows.sort((a, b) => a.rank - b.rank || a.entryId - b.entryId);
    if (rows.length > MAX_HITS) rows.length = MAX_HITS;
    return groupHits(rows, prepared.allowed);
  }

  /** The expression of `query` and the documents the actor may find (indexed first), or null when nothing can be found. */
  private prepare(
    actor: Actor,
    query: string,
    filters: DraftSearchFilters,
  ): { expression: string; allowed: ReadonlySet<string> } | null {
    const expression = draftSearchExpression(query);
    if (!expression || actor.kind !== 'user') return null;
    const readable = (filters.candidates ?? this.candidatesOf(actor, filters.archived))
      .filter(({ record }) => filters.archived || record.archivedAt === null)
      .filter(({ record, assignees }) => can(actor, 'document.read', targetWithAssignees(record, assignees)))
      .map(({ record }) => record.id);
    if (readable.length === 0) return null;
    this.catchUpBeforeSearch(readable);
    return { expression, allowed: new Set(readable) };
  }

  /**
   * Writes the highlighted snippets of these hits' matches (`DraftHit.matches[].snippet`): about
   * 220 characters of the entry's text around the words of `query`, each form of them in `<mark>`,
   * the rest escaped (see {@link draftSnippet}). One read of the texts for all of them.
   */
  addSnippets(query: string, hits: Iterable<DraftHit>): void {
    const matches = [...hits].flatMap((h) => h.matches);
    if (matches.length === 0) return;
    const texts = this.index.texts(matches.map((m) => m.entryId));
    const queryStems = frenchStems(query).split(' ').filter(Boolean);
    for (const match of matches) {
      // Blocks (a heading, its paragraph) read apart in the one-line snippet.
      const text = (texts.get(match.entryId) ?? '').replace(/\s*\n\s*/g, ' · ');
      match.snippet = draftSnippet(text, queryStems);
    }
  }

  /**
   * {@link addSnippets}, the same snippets, without holding the event loop: entries are read one
   * at a time as bytes; a short one (16 KiB at most) is decoded whole, a long one is decoded and
   * read word by word {@link SNIPPET_PIECE_BYTES} (64 KiB) at a time until the first word of the
   * query, and its snippet is made from {@link SNIPPET_MARGIN} characters on either side of that
   * word ({@link longEntrySnippet}); the loop is let go every `SEARCH_SLICE_MS` (4 ms). Before,
   * the texts of the 100 documents shown were read and scanned whole in one turn (108 MB, ~300 ms
   * over fiches of 1.2 MB).
   */
  async addSnippetsInSlices(
    query: string,
    hits: Iterable<DraftHit>,
    slices: SliceOptions = {},
  ): Promise<void> {
    const matches = [...hits].flatMap((h) => h.matches);
    if (matches.length === 0) return;
    const queryStems = frenchStems(query).split(' ').filter(Boolean);
    const slicer = new Slicer(slices);
    for (const match of matches) {
      const bytes = this.index.textBytes(match.entryId);
      if (!bytes || bytes.length <= SNIPPET_WHOLE_BYTES) {
        const text = bytes ? new TextDecoder().decode(bytes) : '';
        match.snippet = draftSnippet(text.replace(/\s*\n\s*/g, ' · '), queryStems);
      } else match.snippet = await longEntrySnippet(bytes, queryStems, slicer);
      await slicer.check();
    }
  }

  /**
   * Indexes documents never indexed, from their stored state (sections and threads), until none
   * is left or `budgetMs` (ms) is spent. Returns true when none is left.
   */
  catchUp(budgetMs: number): boolean {
    const deadline = performance.now() + budgetMs;
    for (;;) {
      const pending = this.index.unindexedDocuments(20);
      if (pending.length === 0) return true;
      for (const documentId of pending) {
        this.indexStored(documentId, false);
        if (performance.now() >= deadline) return this.index.unindexedDocuments(1).length === 0;
      }
    }
  }

  /**
   * Rebuilds the whole index (`search:rebuild`): empties it, then indexes every stored document
   * (sections and threads) from its stored state, one transaction per document, and merges the
   * index. A server running meanwhile finds fewer documents until the rebuild has reached them.
   */
  rebuild(): RebuildReport {
    const started = performance.now();
    this.index.clear();
    let sections = 0;
    let threads = 0;
    const ids = this.store.documentIds();
    for (const documentId of ids) {
      const done = this.indexStored(documentId, true);
      sections += done.sections;
      threads += done.threads;
    }
    this.index.optimize();
    return { documents: ids.length, sections, threads, ms: Math.round(performance.now() - started) };
  }

  /** Bytes the index takes in the database (null when SQLite cannot say). */
  sizeBytes(): number | null {
    return this.index.sizeBytes();
  }

  /**
   * Indexes what a search may spend on (the documents it looks in first: `readable`), then
   * leaves the rest to background slices.
   */
  private catchUpBeforeSearch(readable: readonly string[]): void {
    const deadline = performance.now() + SEARCH_CATCH_UP_MS;
    for (const documentId of this.index.unindexedAmong(readable)) {
      if (performance.now() >= deadline) break;
      this.indexStored(documentId, false);
    }
    if (this.catchingUp || this.index.unindexedDocuments(1).length === 0) return;
    this.catchingUp = true;
    const slice = (): void => {
      let done = true;
      try {
        done = !this.index.isOpen() || this.catchUp(BACKGROUND_SLICE_MS);
      } catch (error) {
        this.onError(error, 'draft search: background indexing');
      }
      if (done) this.catchingUp = false;
      else setImmediate(slice).unref();
    };
    setImmediate(slice).unref();
  }

  /** Every document of the actor's espaces (of every espace for an administrator), with assignees. */
  private candidatesOf(
    actor: Extract<Actor, { kind: 'user' }>,
    archived: boolean,
  ): { record: DocumentSummary; assignees: readonly AssigneeRecord[] }[] {
    const records = this.documents.searchSummaries({
      espaceIds: actor.isAdmin ? null : [...actor.roles.keys()],
      archived,
    });
    const assignees = this.documents.assigneesOf(records.map((r) => r.id));
    return records.map((record) => ({ record, assignees: assignees.get(record.id) ?? [] }));
  }

  /**
   * Indexes a document from its stored state: its sections (all of them with `force`) and its
   * threads. A document whose state does not load is marked indexed without sections (reported;
   * its next store indexes it), so that it is not tried again at every search.
   */
  private indexStored(documentId: string, force: boolean): { sections: number; threads: number } {
    let sections = 0;
    const ydoc = new Y.Doc();
    try {
      applyStored(ydoc, this.store.load(documentId));
      sections = this.saveSections(documentId, ydocToNode(ydoc), force);
    } catch (error) {
      this.onError(error, `draft search: reading ${documentId}`);
      this.index.saveSections(documentId, [], emptyEntry, this.now().toISOString());
    } finally {
      ydoc.destroy();
    }
    const threads = this.comments.threadsOf(documentId).filter((t) => !t.deletedAt);
    const messages = this.comments.commentsOf(threads.map((t) => t.id));
    for (const thread of threads) {
      this.index.saveThread(documentId, thread.id, threadEntry(messages.get(thread.id) ?? []));
    }
    return { sections, threads: threads.length };
  }

  /** Indexes the sections of `node`; the text of a section is read only when its hash changed. */
  private saveSections(
    documentId: string,
    node: PMNode,
    force: boolean,
    sections: readonly SectionSummary[] = sectionsOf(node),
  ): number {
    const nodes = new Map<string, { summary: SectionSummary; node: PMNode }>();
    let i = 0;
    node.forEach((child) => {
      if (child.type.name !== 'section') return;
      const summary = sections[i++];
      if (summary) nodes.set(summary.id, { summary, node: child });
    });
    return this.index.saveSections(
      documentId,
      sections.map((s) => ({ sectionId: s.id, hash: s.hash })),
      (sectionId) => {
        const found = nodes.get(sectionId);
        return sectionContent(found?.summary.title ?? '', found?.node);
      },
      this.now().toISOString(),
      force,
    );
  }

  /** Forgets that a document is indexed, so that the next search indexes it again from its state. */
  private forget(documentId: string): void {
    try {
      this.index.removeDocument(documentId);
    } catch (error) {
      this.onError(error, `draft search: forgetting ${documentId}`);
    }
  }
}

/**
 * The hits of ranked index rows (best first): those of `allowed` documents, grouped by document
 * with the best rank and at most {@link MATCHES_PER_DOCUMENT} matches, snippets empty.
 */
function groupHits(rows: readonly DraftHitRow[], allowed: ReadonlySet<string>): Map<string, DraftHit> {
  const found = new Map<string, DraftHit>();
  for (const row of rows) {
    if (!allowed.has(row.documentId)) continue;
    const match: DraftMatch = {
      entryId: row.entryId,
      sectionId: row.sectionId,
      sectionTitle: row.sectionId ? row.title : null,
      threadId: row.threadId,
      snippet: '',
    };
    const hit = found.get(row.documentId);
    if (!hit) found.set(row.documentId, { rank: row.rank, matches: [match] });
    else if (hit.matches.length < MATCHES_PER_DOCUMENT) hit.matches.push(match);
  }
  return found;
}

const emptyEntry = (): DraftEntryContent => ({ title: '', text: '', stems: { title: '', body: '' } });

/**
 * The sections of a document as the index keeps them, in order: id and hash as `sectionsOf`
 * gives them, the title, and the plain text of the other blocks (one per line; tables cell by
 * cell; a footnote's text after its call). `summaries`: `sectionsOf(doc)` when the caller has it
 * already (the hashes are the costly part). Pure: reads the node only.
 */
export function sectionEntries(
  doc: PMNode,
  summaries: readonly SectionSummary[] = sectionsOf(doc),
): SectionEntry[] {
  const out: SectionEntry[] = [];
  let i = 0;
  doc.forEach((child) => {
    if (child.type.name !== 'section') return;
    const summary = summaries[i++];
    if (!summary) return;
    out.push({ sectionId: summary.id, hash: summary.hash, title: summary.title, text: sectionText(child) });
  });
  return out;
}

/**
 * What the index keeps of a thread: its messages not deleted, one per line, a mention as
 * `@Name`, with a hash of that text; null when no message is left.
 */
export function threadEntry(
  messages: readonly Pick<CommentRecord, 'body' | 'deletedAt'>[],
): (DraftEntryContent & { hash: string }) | null {
  const text = messages
    .filter((c) => !c.deletedAt)
    .map((c) =>
      parseCommentBody(c.body)
        .map((part) => (part.kind === 'text' ? part.text : `@${part.name}`))
        .join(''),
    )
    .join('\n');
  if (!text.trim()) return null;
  return {
    title: '',
    text,
    hash: createHash('sha256').update(text).digest('hex'),
    stems: { title: '', body: cachedStems(text) },
  };
}

/**
 * The FTS5 expression of a query typed in the catalogue: each word outside double quotes as
 * `searchExpression` makes it (a stem, or the start of one: « conférence familiale » finds
 * « conférences familiales »), each `"…"` as a phrase of exact stems (« "aller vers" » finds
 * « aller-vers », not « aller ensuite vers »); every part must be found in the same section or
 * thread. An unclosed quote reads as words. Only stems (letters and digits) reach the
 * expression, each inside quotes: nothing typed is read as FTS5 syntax (`NEAR(`, `*`, `-`, `:`).
 * Null when the query holds no word.
 */
export function draftSearchExpression(query: string): string | null {
  const parts: string[] = [];
  const pieces = query.split('"');
  // An odd number of quotes leaves the last piece unclosed: it is read as words.
  const closed = pieces.length % 2 === 1 ? pieces.length : pieces.length - 1;
  pieces.forEach((piece, i) => {
    const quoted = i % 2 === 1 && i < closed;
    if (!quoted) {
      const words = searchExpression(piece);
      if (words) parts.push(words);
      return;
    }
    const stems = frenchStems(piece).split(' ').filter(Boolean);
    if (stems.length > 0) parts.push(`"${stems.join(' ').replace(/"/g, '""')}"`);
  });
  return parts.length > 0 ? parts.join(' ') : null;
}

/**
 * The snippet of an entry, exactly as `snippetOf` (publicationService.ts) makes it for a query
 * whose stems are `queryStems`: about `width` characters of `text` around the first word whose
 * stem starts like one of them, each such word in `<mark>`, the rest escaped; the start of the
 * text when none does. Stems come from the cache and only the words up to the end of the
 * snippet are read: a search shows hundreds of snippets (three per document found).
 */
export function draftSnippet(text: string, queryStems: readonly string[], width = 220): string {
  return windowSnippet(text, queryStems, width, false, false);
}

/** Letters and digits make the words of a snippet (as {@link draftSnippet} reads them). */
const SNIPPET_WORD = /[\p{L}\p{N}]/u;

/**
 * Where the first word of `text` whose stem starts like one of `queryStems` starts, reading the
 * words that start in `[from, to)` only (`from` at the start of a word); null when none does.
 */
export function firstSnippetWord(
  text: string,
  queryStems: readonly string[],
  from: number,
  to: number,
): number | null {
  const words = /[\p{L}\p{N}]+/gu;
  words.lastIndex = from;
  for (let w = words.exec(text); w && w.index < to; w = words.exec(text)) {
    const stem = stemOf(w[0].toLowerCase());
    if (queryStems.some((s) => stem.startsWith(s))) return w.index;
  }
  return null;
}

/**
 * The snippet of a long entry (`bytes`: its text in UTF-8), the very one {@link draftSnippet}
 * makes of the whole text with its line breaks read as « · », reading only what it needs: the
 * text is decoded {@link SNIPPET_PIECE_BYTES} at a time and read word by word until the first
 * word of the query (a word cut by a piece's end is read with the next piece), then
 * {@link SNIPPET_MARGIN} characters before and after that word make the snippet; `slicer` may
 * let the event loop run between two pieces. Without such a word (a match in the section's title),
 * the start of the text, as {@link draftSnippet}. At most one piece (and the word it cuts) is
 * decoded and read in one unit of work.
 */
export async function longEntrySnippet(
  bytes: Uint8Array,
  queryStems: readonly string[],
  slicer: { check(): Promise<void> },
  width = 220,
): Promise<string> {
  const decoder = new TextDecoder();
  let offset = 0;
  const next = (): { text: string; last: boolean } => {
    const end = Math.min(bytes.length, offset + SNIPPET_PIECE_BYTES);
    const last = end >= bytes.length;
    const text = decoder.decode(bytes.subarray(offset, end), { stream: !last });
    offset = end;
    return { text, last };
  };
  let head = '';
  /** Up to SNIPPET_MARGIN + 1 characters read before `carry`, and whether any were dropped. */
  let before = '';
  let dropped = false;
  let carry = '';
  for (;;) {
    const piece = next();
    const current = carry + piece.text;
    if (head.length <= SNIPPET_MARGIN) head += piece.text;
    let limit = current.length;
    if (!piece.last) {
      // Up to the last character that is no letter or digit: the word it may cut is read next time.
      while (limit > 0 && SNIPPET_WORD.test(current[limit - 1] ?? '')) limit--;
      if (limit === 0) limit = current.length;
    }
    const at = firstSnippetWord(current, queryStems, 0, limit);
    if (at !== null) {
      let after = current.slice(at);
      let end = piece.last;
      while (!end && after.length <= SNIPPET_MARGIN) {
        await slicer.check();
        const more = next();
        after += more.text;
        end = more.last;
      }
      const full = before + current.slice(0, at);
      let context = full.slice(-(SNIPPET_MARGIN + 1));
      const cut = dropped || context.length < full.length;
      if (cut) {
        // Starts at a word's start: the character before it is kept to tell.
        let i = 1;
        while (
          i < context.length &&
          SNIPPET_WORD.test(context[i - 1] ?? '') &&
          SNIPPET_WORD.test(context[i] ?? '')
        )
          i++;
        context = context.slice(i);
      }
      const tailCut = !end || after.length > SNIPPET_MARGIN;
      const window = context + after.slice(0, SNIPPET_MARGIN);
      return windowSnippet(window.replace(/\s*\n\s*/g, ' · '), queryStems, width, cut, tailCut);
    }
    if (piece.last) {
      const shown = head.slice(0, SNIPPET_MARGIN);
      return windowSnippet(
        shown.replace(/\s*\n\s*/g, ' · '),
        queryStems,
        width,
        false,
        head.length > SNIPPET_MARGIN,
      );
    }
    const read = before + current.slice(0, limit);
    dropped ||= read.length > SNIPPET_MARGIN + 1;
    before = read.slice(-(SNIPPET_MARGIN + 1));
    carry = current.slice(limit);
    await slicer.check();
  }
}

/**
 * {@link draftSnippet} of `text`, a part of an entry's text: `before` and `after` say whether the
 * entry goes on before or after it (shown as « … »; `text` then starts at a word's start).
 */
function windowSnippet(
  text: string,
  queryStems: readonly string[],
  width: number,
  before: boolean,
  after: boolean,
): string {
  const hit = (word: string): boolean => {
    const stem = stemOf(word.toLowerCase());
    return queryStems.some((s) => stem.startsWith(s));
  };
  const words = text.matchAll(/[\p{L}\p{N}]+/gu);
  let first = 0;
  for (const w of words) {
    if (hit(w[0])) {
      first = w.index;
      break;
    }
  }
  let start = Math.max(0, first - Math.floor(width / 3));
  if (start > 0) start = text.indexOf(' ', start) + 1 || start;
  let end = Math.min(text.length, start + width);
  if (end < text.length) end = text.lastIndexOf(' ', end) > start ? text.lastIndexOf(' ', end) : end;
  let out = '';
  let at = start;
  const shown = text.slice(start, end);
  for (const w of shown.matchAll(/[\p{L}\p{N}]+/gu)) {
    const from = start + w.index;
    const to = from + w[0].length;
    // A word cut by the window's start is not one of the text's words.
    if (from === start && start > 0 && /[\p{L}\p{N}]/u.test(text[start - 1] ?? '')) continue;
    if (to === end && end < text.length && /[\p{L}\p{N}]/u.test(text[end] ?? '')) continue;
    if (!hit(w[0])) continue;
    out += escapeHtml(text.slice(at, from)) + `<mark>${escapeHtml(w[0])}</mark>`;
    at = to;
  }
  out += escapeHtml(text.slice(at, end));
  const open = start > 0 || before ? '… ' : '';
  const close = end < text.length || after ? ' …' : '';
  return `${open}${out.replace(/\s+/g, ' ').trim()}${close}`;
}
