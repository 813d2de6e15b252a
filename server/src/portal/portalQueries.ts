import type { DocumentKindName } from '@essaim/domain';
import type { DocumentMetadata } from '@essaim/protocol';
import type { Db } from '../storage/db.js';

/**
 * A publication as the portal's lists show it: what a card needs, without the frozen content
 * (ProseMirror JSON and HTML are read only for the page of one publication).
 */
export interface PortalEntry {
  id: string;
  documentId: string;
  espaceId: string | null;
  number: number;
  kind: DocumentKindName;
  title: string;
  metadata: DocumentMetadata;
  /** ISO date of this publication. */
  publishedAt: string;
  slug: string;
  /** The first characters of the published plain text (about 1,500), for an excerpt. */
  textStart: string;
}

/** One publication of a document, as its list of versions shows it. */
export interface PortalVersion {
  number: number;
  publishedAt: string;
}

/**
 * The portal's reads of the publications tables (issue 13), lean for pages listing many of them.
 * What the portal shows is exactly: publications not hidden, of documents not archived. Every
 * method is a single prepared statement.
 */
export interface PortalQueries {
  /** The newest visible publication of every document not archived, newest first. */
  visible(): PortalEntry[];
  /**
   * Documents whose indexed publication matches an FTS5 expression (built from stems by
   * `searchExpression`), with their bm25 rank (title ×10, keywords ×5, body ×1; lower is better).
   */
  matching(expression: string): Map<string, number>;
  /** The published plain text of these publications, by publication id. */
  texts(publicationIds: readonly string[]): Map<string, string>;
  /** The visible publications of a document, newest first. */
  versions(documentId: string): PortalVersion[];
  /** Whether the document was archived (its publications then leave the portal). */
  archived(documentId: string): boolean;
  /**
   * The stored file `hash` (sha256 hex) when a visible publication of a document not archived
   * shows it as an image (`<img src="/pratiques/fichiers/<hash>"`) and it was uploaded into that
   * document; undefined otherwise. A link to the address does not count.
   */
  shownFile(hash: string): { mime: string; size: number } | undefined;
  /** The labels of an espace's themes (archived ones included), by theme id. */
  themeLabels(espaceId: string): Map<string, string>;
  /**
   * A short string that changes whenever what {@link visible} returns may change: a publication
   * added, documents hidden or shown again (by count, rowids and hiding dates), documents archived
   * or restored. Reads no large column: about a millisecond for thousands of publications.
   */
  fingerprint(): string;
}

interface EntryRow {
  id: string;
  document_id: string;
  espace_id: string | null;
  number: number;
  kind: DocumentKindName;
  title: string;
  metadata: string;
  published_at: string;
  slug: string;
  text_start: string;
}

/** The portal's queries over the tables of migration 13 (publications, slugs, search index). */
export function sqlitePortalQueries(db: Db): PortalQueries {
  const q = {
    visible: db.prepare<[], EntryRow>(
      `SELECT p.id, p.document_id, d.espace_id, p.number, p.kind, p.title, p.metadata, p.published_at,
              s.slug, substr(p.text, 1, 1500) AS text_start
       FROM publications p
       JOIN documents d ON d.id = p.document_id
       JOIN publication_slugs s ON s.document_id = p.document_id
       WHERE p.hidden_at IS NULL AND d.archived_at IS NULL
         AND p.number = (SELECT MAX(number) FROM publications x WHERE x.document_id = p.document_id)
       ORDER BY p.published_at DESC, p.rowid DESC`,
    ),
    matching: db.prepare<[string], { document_id: string; rank: number }>(
      `SELECT p.document_id, r.rank
       FROM (SELECT rowid, bm25(publication_search, 10.0, 5.0, 1.0) AS rank
             FROM publication_search WHERE publication_search MATCH ?) r
       JOIN publications p ON p.rowid = r.rowid
       WHERE p.hidden_at IS NULL`,
    ),
    texts: db.prepare<[string], { id: string; text: string }>(
      'SELECT id, text FROM publications WHERE id IN (SELECT value FROM json_each(?))',
    ),
    versions: db.prepare<[string], { number: number; published_at: string }>(
      `SELECT number, published_at FROM publications
       WHERE document_id = ? AND hidden_at IS NULL ORDER BY number DESC`,
    ),
    archived: db.prepare<[string], { archived_at: string | null }>(
      'SELECT archived_at FROM documents WHERE id = ?',
    ),
    shownFile: db.prepare<[string, string], { mime: string; size: number }>(
      `SELECT f.mime, f.size FROM files f
       JOIN document_files df ON df.hash = f.hash
       JOIN documents d ON d.id = df.document_id AND d.archived_at IS NULL
       WHERE f.hash = ? AND EXISTS (
         SELECT 1 FROM publications p
         WHERE p.document_id = df.document_id AND p.hidden_at IS NULL AND instr(p.html, ?) > 0)
       LIMIT 1`,
    ),
    fingerprint: db.prepare<[], { f: string }>(
      `SELECT (SELECT count(*) || ':' || ifnull(max(rowid), 0) || ':' || count(hidden_at) || ':' ||
                      ifnull(max(hidden_at), '') || ':' || total(rowid * (hidden_at IS NULL))
               FROM publications) || '|' ||
              (SELECT count(*) || ':' || ifnull(max(archived_at), '') || ':' || total(rowid)
               FROM documents WHERE archived_at IS NOT NULL) AS f`,
    ),
    themes: db.prepare<[string], { id: string; label: string }>(
      'SELECT id, label FROM espace_themes WHERE espace_id = ?',
    ),
  };
  return {
    visible: () =>
      q.visible.all().map((r) => ({
        id: r.id,
        documentId: r.document_id,
        espaceId: r.espace_id,
        number: r.number,
        kind: r.kind,
        title: r.title,
        metadata: JSON.parse(r.metadata) as DocumentMetadata,
        publishedAt: r.published_at,
        slug: r.slug,
        textStart: r.text_start,
      })),
    matching: (expression) => new Map(q.matching.all(expression).map((r) => [r.document_id, r.rank])),
    texts: (ids) => new Map(q.texts.all(JSON.stringify(ids)).map((r) => [r.id, r.text])),
    versions: (documentId) =>
      q.versions.all(documentId).map((r) => ({ number: r.number, publishedAt: r.published_at })),
    archived: (documentId) => Boolean(q.archived.get(documentId)?.archived_at),
    shownFile: (hash) => q.shownFile.get(hash, `<img src="/pratiques/fichiers/${hash}"`),
    themeLabels: (espaceId) => new Map(q.themes.all(espaceId).map((r) => [r.id, r.label])),
    fingerprint: () => q.fingerprint.get()?.f ?? '',
  };
}

/**
 * The visible publications, read again only when {@link PortalQueries.fingerprint} changes: the
 * portal's lists (home, search, map, feed) then cost no read of the publications themselves.
 * A publication never changes once stored, so the fingerprint's events are the only changes.
 */
export class VisiblePublications {
  private key: string | null = null;
  private list: PortalEntry[] = [];

  constructor(private readonly queries: PortalQueries) {}

  /** The newest visible publication of every document not archived, newest first. */
  entries(): readonly PortalEntry[] {
    const key = this.queries.fingerprint();
    if (key !== this.key) {
      this.list = this.queries.visible();
      this.key = key;
    }
    return this.list;
  }
}
