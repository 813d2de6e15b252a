import type { DocumentKindName } from '@essaim/domain';
import type { DocumentMetadata } from '@essaim/protocol';
import type { Db } from './db.js';

/** Publication N of a document, frozen (issue 13). */
export interface PublicationRecord {
  id: string;
  documentId: string;
  espaceId: string | null;
  number: number;
  versionId: string | null;
  kind: DocumentKindName;
  title: string;
  metadata: DocumentMetadata;
  /** ProseMirror JSON of the document as published. */
  content: unknown;
  /** Sanitized HTML of the body (notes included). */
  html: string;
  /** Plain text, for search snippets and the feed. */
  text: string;
  /** Section id → content hash at publication. */
  sectionHashes: Record<string, string>;
  /**
   * Theme id → its label when published (a frozen page keeps it); empty for publications from
   * before migration 16.
   */
  themeLabels: Record<string, string>;
  publishedBy: string | null;
  publishedByName: string | null;
  publishedAt: string;
  hiddenAt: string | null;
  slug: string;
}

export type NewPublication = Omit<
  PublicationRecord,
  'espaceId' | 'number' | 'publishedByName' | 'hiddenAt' | 'slug' | 'themeLabels'
> & { themeLabels?: Record<string, string> };

/** What the search index keeps of a publication: stems of its title, keywords and body. */
export interface PublicationStems {
  title: string;
  keywords: string;
  body: string;
}

/** One search hit: the publication and its bm25 rank (lower is better). */
export interface PublicationHit {
  publication: PublicationRecord;
  rank: number;
}

/**
 * Publications, the slugs of published documents and the full-text index of what is shown (the
 * newest visible publication of each document).
 */
export interface PublicationRepository {
  /**
   * Stores publication N+1 of a document (N: its highest number so far) with its slug (created at
   * the first publication: `slugFor` gets the slugs already taken and returns a free one), shows
   * the document again if it was unpublished, and makes the new publication the one the index
   * holds for the document, in one transaction.
   */
  insert(
    publication: NewPublication,
    stems: PublicationStems,
    slugFor: (taken: (slug: string) => boolean) => string,
  ): PublicationRecord;
  /** A document's publications, newest first (hidden ones included). */
  forDocument(documentId: string): PublicationRecord[];
  findById(id: string): PublicationRecord | undefined;
  /** The visible publication `number` of the document at `slug`, or its newest visible one. */
  findBySlug(slug: string, number?: number): PublicationRecord | undefined;
  /** The slug of a document that was ever published, or undefined. */
  slugOf(documentId: string): string | undefined;
  /**
   * Hides (or shows again) every publication of a document, in one transaction with the index:
   * hidden, the document leaves search and feed; shown again, its newest publication is back.
   * Returns false when nothing changed.
   */
  setHidden(
    documentId: string,
    hidden: { at: string; by: string | null } | null,
    stems: PublicationStems | null,
  ): boolean;
  /** The newest visible publication of each document, newest first, optionally of one espace. */
  listVisible(options: { espaceId?: string; limit?: number }): PublicationRecord[];
  /**
   * Full-text search (FTS5 `MATCH` on stems, bm25 with title ×10 and keywords ×5 over the body),
   * best first. `query` is an FTS5 expression built by the caller from stems.
   */
  search(query: string, limit: number): PublicationHit[];
  /**
   * The uploaded files every publication shows, hidden ones included (they can be republished):
   * the sha256 of each `/pratiques/fichiers/<sha256>` in their HTML. Never swept as orphans.
   */
  fileHashes(): Set<string>;
  /** Newest publication per document for these documents (visible or not), by document id. */
  latestOf(documentIds: readonly string[]): Map<string, PublicationRecord>;
  /**
   * Replaces what the index holds for a document with `stems` for its newest publication, in one
   * transaction; nothing when the document is unpublished (hidden). After the stemming changed.
   */
  reindex(documentId: string, stems: PublicationStems): void;
}

interface Row {
  id: string;
  document_id: string;
  espace_id: string | null;
  number: number;
  version_id: string | null;
  kind: DocumentKindName;
  title: string;
  metadata: string;
  content: string;
  html: string;
  text: string;
  section_hashes: string;
  theme_labels: string;
  published_by: string | null;
  published_by_name: string | null;
  published_at: string;
  hidden_at: string | null;
  slug: string;
  rowid: number;
}

const SELECT = `SELECT p.rowid, p.*, d.espace_id, u.name AS published_by_name, s.slug
  FROM publications p
  JOIN documents d ON d.id = p.document_id
  JOIN publication_slugs s ON s.document_id = p.document_id
  LEFT JOIN users u ON u.id = p.published_by`;

const fromRow = (r: Row): PublicationRecord => ({
  id: r.id,
  documentId: r.document_id,
  espaceId: r.espace_id,
  number: r.number,
  versionId: r.version_id,
  kind: r.kind,
  title: r.title,
  metadata: JSON.parse(r.metadata) as DocumentMetadata,
  content: JSON.parse(r.content) as unknown,
  html: r.html,
  text: r.text,
  sectionHashes: JSON.parse(r.section_hashes) as Record<string, string>,
  themeLabels: JSON.parse(r.theme_labels) as Record<string, string>,
  publishedBy: r.published_by,
  publishedByName: r.published_by_name,
  publishedAt: r.published_at,
  hiddenAt: r.hidden_at,
  slug: r.slug,
});

export function sqlitePublicationRepository(db: Db): PublicationRepository {
  const q = {
    slugOf: db.prepare<[string], { slug: string }>(
      'SELECT slug FROM publication_slugs WHERE document_id = ?',
    ),
    slugTaken: db.prepare<[string], { n: number }>('SELECT 1 AS n FROM publication_slugs WHERE slug = ?'),
    insertSlug: db.prepare<[string, string]>(
      'INSERT INTO publication_slugs (document_id, slug) VALUES (?, ?)',
    ),
    nextNumber: db.prepare<[string], { n: number }>(
      'SELECT COALESCE(MAX(number), 0) + 1 AS n FROM publications WHERE document_id = ?',
    ),
    insert: db.prepare(
      `INSERT INTO publications (id, document_id, number, version_id, kind, title, metadata, content,
         html, text, section_hashes, theme_labels, published_by, published_at)
       VALUES (@id, @documentId, @number, @versionId, @kind, @title, @metadata, @content, @html,
         @text, @sectionHashes, @themeLabels, @publishedBy, @publishedAt)`,
    ),
    forDocument: db.prepare<[string], Row>(`${SELECT} WHERE p.document_id = ? ORDER BY p.number DESC`),
    byId: db.prepare<[string], Row>(`${SELECT} WHERE p.id = ?`),
    bySlug: db.prepare<[string], Row>(
      `${SELECT} WHERE s.slug = ? AND p.hidden_at IS NULL ORDER BY p.number DESC LIMIT 1`,
    ),
    bySlugNumber: db.prepare<[string, number], Row>(
      `${SELECT} WHERE s.slug = ? AND p.number = ? AND p.hidden_at IS NULL`,
    ),
    rowids: db.prepare<[string], { rowid: number }>('SELECT rowid FROM publications WHERE document_id = ?'),
    isHidden: db.prepare<[string], { hidden: number }>(
      'SELECT count(*) AS hidden FROM publications WHERE document_id = ? AND hidden_at IS NOT NULL',
    ),
    unindex: db.prepare<[number]>('DELETE FROM publication_search WHERE rowid = ?'),
    index: db.prepare<[number, string, string, string]>(
      'INSERT INTO publication_search (rowid, title, keywords, body) VALUES (?, ?, ?, ?)',
    ),
    hide: db.prepare<[string, string | null, string]>(
      'UPDATE publications SET hidden_at = ?, hidden_by = ? WHERE document_id = ? AND hidden_at IS NULL',
    ),
    show: db.prepare<[string]>(
      'UPDATE publications SET hidden_at = NULL, hidden_by = NULL WHERE document_id = ? AND hidden_at IS NOT NULL',
    ),
    newestRowid: db.prepare<[string], { rowid: number }>(
      'SELECT rowid FROM publications WHERE document_id = ? ORDER BY number DESC LIMIT 1',
    ),
    visible: db.prepare<{ espaceId: string | null; limit: number }, Row>(
      `${SELECT} WHERE p.hidden_at IS NULL AND (@espaceId IS NULL OR d.espace_id = @espaceId)
         AND p.number = (SELECT MAX(number) FROM publications x WHERE x.document_id = p.document_id)
       ORDER BY p.published_at DESC, p.rowid DESC LIMIT @limit`,
    ),
    search: db.prepare<[string, number], Row & { rank: number }>(
      `SELECT r.rank, p.rowid, p.*, d.espace_id, u.name AS published_by_name, s.slug
       FROM (SELECT rowid, bm25(publication_search, 10.0, 5.0, 1.0) AS rank
             FROM publication_search WHERE publication_search MATCH ? ORDER BY rank LIMIT ?) r
       JOIN publications p ON p.rowid = r.rowid
       JOIN documents d ON d.id = p.document_id
       JOIN publication_slugs s ON s.document_id = p.document_id
       LEFT JOIN users u ON u.id = p.published_by
       WHERE p.hidden_at IS NULL AND d.archived_at IS NULL
       ORDER BY r.rank`,
    ),
    html: db.prepare<[], { html: string }>('SELECT html FROM publications'),
    latest: db.prepare<[string], Row>(
      `${SELECT} WHERE p.document_id IN (SELECT value FROM json_each(?))
         AND p.number = (SELECT MAX(number) FROM publications x WHERE x.document_id = p.document_id)`,
    ),
  };

  const unindexDocument = (documentId: string): void => {
    for (const { rowid } of q.rowids.all(documentId)) q.unindex.run(rowid);
  };

  const insert = db.transaction(
    (p: NewPublication, stems: PublicationStems, slugFor: (taken: (slug: string) => boolean) => string) => {
      if (!q.slugOf.get(p.documentId))
        q.insertSlug.run(
          p.documentId,
          slugFor((slug) => Boolean(q.slugTaken.get(slug))),
        );
      const number = q.nextNumber.get(p.documentId)?.n ?? 1;
      const { lastInsertRowid } = q.insert.run({
        ...p,
        number,
        metadata: JSON.stringify(p.metadata),
        content: JSON.stringify(p.content),
        sectionHashes: JSON.stringify(p.sectionHashes),
        themeLabels: JSON.stringify(p.themeLabels ?? {}),
      });
      unindexDocument(p.documentId);
      // Publishing again is the animateur's decision to show the document: an unpublished one
      // comes back with its earlier publications.
      q.show.run(p.documentId);
      q.index.run(Number(lastInsertRowid), stems.title, stems.keywords, stems.body);
      return fromRow(q.byId.get(p.id) as Row);
    },
  );

  // BEGIN IMMEDIATE, as every write transaction here: see versionRepository.ts `insert`.
  const reindex = db.transaction((documentId: string, stems: PublicationStems) => {
    unindexDocument(documentId);
    const newest = q.newestRowid.get(documentId);
    const hidden = q.isHidden.get(documentId)?.hidden ?? 0;
    if (newest && !hidden) q.index.run(newest.rowid, stems.title, stems.keywords, stems.body);
  });
  const setHidden = db.transaction(
    (
      documentId: string,
      hidden: { at: string; by: string | null } | null,
      stems: PublicationStems | null,
    ) => {
      const changed = hidden ? q.hide.run(hidden.at, hidden.by, documentId) : q.show.run(documentId);
      if (changed.changes === 0) return false;
      unindexDocument(documentId);
      const newest = q.newestRowid.get(documentId);
      if (!hidden && newest && stems) q.index.run(newest.rowid, stems.title, stems.keywords, stems.body);
      return true;
    },
  );

  return {
    insert: (publication, stems, slugFor) => insert.immediate(publication, stems, slugFor),
    forDocument: (documentId) => q.forDocument.all(documentId).map(fromRow),
    findById: (id) => {
      const row = q.byId.get(id);
      return row ? fromRow(row) : undefined;
    },
    findBySlug: (slug, number) => {
      const row = number === undefined ? q.bySlug.get(slug) : q.bySlugNumber.get(slug, number);
      return row ? fromRow(row) : undefined;
    },
    slugOf: (documentId) => q.slugOf.get(documentId)?.slug,
    setHidden: (documentId, hidden, stems) => setHidden.immediate(documentId, hidden, stems),
    listVisible: ({ espaceId, limit = 1000 }) =>
      q.visible.all({ espaceId: espaceId ?? null, limit }).map(fromRow),
    search: (query, limit) =>
      q.search.all(query, limit).map((r) => ({ publication: fromRow(r), rank: r.rank })),
    fileHashes: () => {
      const hashes = new Set<string>();
      for (const { html } of q.html.iterate())
        for (const match of html.matchAll(/\/pratiques\/fichiers\/([0-9a-f]{64})/g))
          hashes.add(match[1] ?? '');
      return hashes;
    },
    reindex: (documentId, stems) => reindex.immediate(documentId, stems),
    latestOf: (documentIds) =>
      new Map(q.latest.all(JSON.stringify(documentIds)).map((r) => [r.document_id, fromRow(r)])),
  };
}
