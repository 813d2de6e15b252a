import type { SectionSummary } from '@essaim/editor';
import type { Categorie, StructureType } from '@essaim/domain';
import { emptyMetadata, type DocumentKind, type DocumentMetadata } from '@essaim/protocol';
import type { Db } from './db.js';

/** A section as last stored: what reviews will compare against. */
export type StoredSection = SectionSummary;

export interface DocumentRecord {
  id: string;
  /** Null only for documents created before espaces existed (visible to administrators). */
  espaceId: string | null;
  kind: DocumentKind;
  title: string;
  createdAt: string;
  updatedAt: string;
  archivedAt: string | null;
  /** Metadata mirrored from the document's `meta` map when it was last stored. */
  metadata: DocumentMetadata;
  sections: StoredSection[];
  pages: number;
  lastEditorId: string | null;
  lastEditorName: string | null;
  /**
   * The update-log position (`document_updates.seq`) the mirror and the draft search were read
   * at: every update of the document up to it was indexed (0: never, or before migration 17).
   */
  indexedSeq: number;
}

/**
 * A document as the catalogue filters, checks and sorts it: every field stored before the mirrored
 * sections. Reading the sections (about 2.4 KB of JSON a fiche) and the columns stored after them
 * made a catalogue call cost about 150 ms for 3,000 documents, against 19 ms for these (issue 17;
 * SQLite walks a row's overflow pages to reach a column stored after a long value).
 */
export type DocumentSummary = Omit<
  DocumentRecord,
  'sections' | 'pages' | 'lastEditorId' | 'lastEditorName' | 'indexedSeq'
>;

export interface AssigneeRecord {
  userId: string;
  name: string;
}

/** Filters the catalogue applies in SQL; free-text search and sorting happen in the service. */
export interface DocumentFilter {
  /** Null: every espace (administrators). */
  espaceIds: readonly string[] | null;
  archived: boolean;
  kind?: DocumentKind;
  theme?: string;
  categorie?: Categorie;
  structureType?: StructureType;
  /** Exact territory codes, any of which matches. */
  territoires?: readonly string[];
  assignee?: string;
  annee?: number;
}

/** What the indexer writes after a document was stored. */
export interface DocumentIndex {
  metadata: DocumentMetadata;
  sections: StoredSection[];
  pages: number;
}

export type ActivityKind = 'created' | 'edited' | 'archived' | 'restored';

export interface ActivityRecord {
  id: number;
  documentId: string;
  documentTitle: string;
  userId: string | null;
  userName: string | null;
  kind: ActivityKind;
  sections: string[];
  fields: string[];
  at: string;
}

/**
 * Documents, their mirrored metadata, assignments and activity. An interface so a PostgreSQL
 * implementation can take its place when several server instances share one database.
 */
export interface DocumentRepository {
  /** Inserts the document and, in the same transaction, its initial collaborative state. */
  insert(
    record: Omit<DocumentRecord, 'archivedAt' | 'lastEditorId' | 'lastEditorName' | 'indexedSeq'>,
    state: Uint8Array,
  ): void;
  findById(id: string): DocumentRecord | undefined;
  /** Documents matching the filter, most recently changed first. */
  search(filter: DocumentFilter): DocumentRecord[];
  /** {@link search} without the sections and what is stored after them ({@link DocumentSummary}). */
  searchSummaries(filter: DocumentFilter): DocumentSummary[];
  /**
   * At most `limit` of {@link searchSummaries}, in storage order, from past the position `after`
   * (0 for the first chunk), and the position to ask the next chunk from (null after the last):
   * the catalogue reads 3,000 documents in chunks, letting the event loop run between them.
   */
  searchSummaryChunk(
    filter: DocumentFilter,
    after: number,
    limit: number,
  ): { documents: DocumentSummary[]; next: number | null };
  /** The documents of `ids` that exist, in the order of `ids`. */
  findMany(ids: readonly string[]): DocumentRecord[];
  /**
   * Writes the mirrored metadata and sections, read at log position `indexedSeq`
   * ({@link DocumentRecord.indexedSeq}); `changedBy` (when set) becomes the last editor.
   */
  saveIndex(
    id: string,
    index: DocumentIndex,
    changedBy: string | null,
    at: string | null,
    indexedSeq: number,
  ): void;
  /**
   * Documents whose update log or compacted state holds an update past their `indexedSeq` (their
   * index lags their text: the server stopped before indexing them), at most `limit`, `after` an
   * id (ascending ids, to page through them).
   */
  staleIndexes(limit: number, after?: string): string[];
  setArchived(id: string, at: string | null): boolean;
  assignees(documentId: string): AssigneeRecord[];
  /** Assignees of many documents at once, by document id. */
  assigneesOf(documentIds: readonly string[]): Map<string, AssigneeRecord[]>;
  assign(documentId: string, userId: string, by: string | null, at: string): boolean;
  unassign(documentId: string, userId: string): boolean;
  /** Removes a user's assignments in one espace (when they leave it); returns the documents concerned. */
  unassignAllInEspace(espaceId: string, userId: string): string[];
  documentsAssignedTo(userId: string): string[];
  recordActivity(entry: Omit<ActivityRecord, 'id' | 'documentTitle' | 'userName'>): void;
  /**
   * Documents `userId` created at or after `since` (ISO 8601), read from the activity feed's
   * « created » entries (a document's creation is always recorded there, in its transaction).
   */
  countCreatedSince(userId: string, since: string): number;
  /** Latest activity on the live documents of an espace. */
  activityInEspace(espaceId: string, limit: number): ActivityRecord[];
}

interface Row {
  id: string;
  espace_id: string | null;
  kind: DocumentKind;
  title: string;
  created_at: string;
  updated_at: string;
  archived_at: string | null;
  categorie: string | null;
  territoire: string | null;
  structure: string;
  structure_type: string | null;
  public: string;
  annee: number | null;
  contact: string;
  themes: string;
  mots_cles: string;
  sections: string;
  pages: number;
  last_editor_id: string | null;
  last_editor_name: string | null;
  indexed_seq: number;
}

/** The columns of a {@link DocumentSummary}: all stored before `sections` (migrations 1, 3 and 6). */
const SUMMARY_COLUMNS =
  'd.id, d.espace_id, d.kind, d.title, d.created_at, d.updated_at, d.archived_at, d.categorie, d.territoire, ' +
  'd.structure, d.structure_type, d.public, d.annee, d.contact, d.themes, d.mots_cles';

type SummaryRow = Omit<Row, 'sections' | 'pages' | 'last_editor_id' | 'last_editor_name' | 'indexed_seq'>;

const summaryFromRow = (r: SummaryRow): DocumentSummary => ({
  id: r.id,
  espaceId: r.espace_id,
  kind: r.kind,
  title: r.title,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  archivedAt: r.archived_at,
  metadata: {
    ...emptyMetadata(r.title),
    themes: JSON.parse(r.themes) as string[],
    categorie: r.categorie as Categorie | null,
    territoire: r.territoire,
    structure: r.structure,
    structureType: r.structure_type as StructureType | null,
    public: r.public,
    anneeDemarrage: r.annee,
    contact: r.contact,
    motsCles: JSON.parse(r.mots_cles) as string[],
  },
});

const fromRow = (r: Row): DocumentRecord => ({
  ...summaryFromRow(r),
  sections: JSON.parse(r.sections) as StoredSection[],
  pages: r.pages,
  lastEditorId: r.last_editor_id,
  lastEditorName: r.last_editor_name,
  indexedSeq: r.indexed_seq,
});

const SELECT = `SELECT d.*, u.name AS last_editor_name FROM documents d LEFT JOIN users u ON u.id = d.last_editor_id`;

const metadataParams = (m: DocumentMetadata) => ({
  categorie: m.categorie,
  territoire: m.territoire,
  structure: m.structure,
  structureType: m.structureType,
  public: m.public,
  annee: m.anneeDemarrage,
  contact: m.contact,
  themes: JSON.stringify(m.themes),
  motsCles: JSON.stringify(m.motsCles),
});

export function sqliteDocumentRepository(db: Db): DocumentRepository {
  const q = {
    insert: db.prepare(
      `INSERT INTO documents (id, espace_id, kind, title, created_at, updated_at, categorie, territoire, structure,
         structure_type, public, annee, contact, themes, mots_cles, sections, pages)
       VALUES (@id, @espaceId, @kind, @title, @createdAt, @updatedAt, @categorie, @territoire, @structure,
         @structureType, @public, @annee, @contact, @themes, @motsCles, @sections, @pages)`,
    ),
    insertState: db.prepare<[string, Uint8Array, string]>(
      'INSERT INTO document_states (document_id, state, updated_at) VALUES (?, ?, ?)',
    ),
    byId: db.prepare<[string], Row>(`${SELECT} WHERE d.id = ?`),
    many: db.prepare<[string], Row>(`${SELECT} WHERE d.id IN (SELECT value FROM json_each(?))`),
    saveIndex: db.prepare(
      `UPDATE documents SET title = CASE WHEN @title = '' THEN title ELSE @title END, categorie = @categorie,
         territoire = @territoire, structure = @structure, structure_type = @structureType, public = @public,
         annee = @annee, contact = @contact, themes = @themes, mots_cles = @motsCles, sections = @sections,
         pages = @pages, last_editor_id = COALESCE(@changedBy, last_editor_id), updated_at = COALESCE(@at, updated_at),
         indexed_seq = MAX(indexed_seq, @indexedSeq)
       WHERE id = @id`,
    ),
    stale: db.prepare<[string, number], { id: string }>(
      `SELECT d.id FROM documents d
       WHERE d.id > ? AND d.indexed_seq < MAX(
         COALESCE((SELECT MAX(u.seq) FROM document_updates u WHERE u.document_id = d.id), 0),
         COALESCE((SELECT s.last_seq FROM document_states s WHERE s.document_id = d.id), 0))
       ORDER BY d.id LIMIT ?`,
    ),
    setArchived: db.prepare<[string | null, string]>('UPDATE documents SET archived_at = ? WHERE id = ?'),
    assignees: db.prepare<[string], { document_id: string; user_id: string; name: string }>(
      `SELECT a.document_id, a.user_id, u.name FROM assignments a JOIN users u ON u.id = a.user_id
       WHERE a.document_id IN (SELECT value FROM json_each(?)) ORDER BY u.name COLLATE NOCASE`,
    ),
    assign: db.prepare<[string, string, string | null, string]>(
      `INSERT OR IGNORE INTO assignments (document_id, user_id, assigned_by, assigned_at) VALUES (?, ?, ?, ?)`,
    ),
    unassign: db.prepare<[string, string]>('DELETE FROM assignments WHERE document_id = ? AND user_id = ?'),
    assignedInEspace: db.prepare<[string, string], { document_id: string }>(
      `SELECT a.document_id FROM assignments a JOIN documents d ON d.id = a.document_id
       WHERE d.espace_id = ? AND a.user_id = ?`,
    ),
    assignedTo: db.prepare<[string], { document_id: string }>(
      'SELECT document_id FROM assignments WHERE user_id = ?',
    ),
    countCreatedSince: db.prepare<[string, string], { n: number }>(
      `SELECT count(*) AS n FROM document_activity WHERE at >= ? AND kind = 'created' AND user_id = ?`,
    ),
    recordActivity: db.prepare(
      `INSERT INTO document_activity (document_id, user_id, kind, sections, fields, at)
       VALUES (@documentId, @userId, @kind, @sections, @fields, @at)`,
    ),
    activity: db.prepare<
      [string, number],
      {
        id: number;
        document_id: string;
        title: string;
        user_id: string | null;
        name: string | null;
        kind: ActivityKind;
        sections: string;
        fields: string;
        at: string;
      }
    >(
      `SELECT a.id, a.document_id, d.title, a.user_id, u.name, a.kind, a.sections, a.fields, a.at
       FROM document_activity a JOIN documents d ON d.id = a.document_id LEFT JOIN users u ON u.id = a.user_id
       WHERE d.espace_id = ? AND (d.archived_at IS NULL OR a.kind = 'archived')
       ORDER BY a.at DESC, a.id DESC LIMIT ?`,
    ),
  };
  const assigneesOf = (ids: readonly string[]): Map<string, AssigneeRecord[]> => {
    const map = new Map<string, AssigneeRecord[]>(ids.map((id) => [id, []]));
    for (const r of q.assignees.all(JSON.stringify(ids))) {
      map.get(r.document_id)?.push({ userId: r.user_id, name: r.name });
    }
    return map;
  };
  const unassignAll = db.transaction((espaceId: string, userId: string) => {
    const ids = q.assignedInEspace.all(espaceId, userId).map((r) => r.document_id);
    for (const id of ids) q.unassign.run(id, userId);
    return ids;
  });
  const insert = db.transaction(
    (
      r: Omit<DocumentRecord, 'archivedAt' | 'lastEditorId' | 'lastEditorName' | 'indexedSeq'>,
      state: Uint8Array,
    ) => {
      q.insert.run({
        id: r.id,
        espaceId: r.espaceId,
        kind: r.kind,
        title: r.title,
        createdAt: r.createdAt,
        updatedAt: r.updatedAt,
        ...metadataParams(r.metadata),
        sections: JSON.stringify(r.sections),
        pages: r.pages,
      });
      q.insertState.run(r.id, state, r.createdAt);
    },
  );
  /** The WHERE clause of a filter and its parameters. */
  const filterClause = (f: DocumentFilter): { where: string; params: Record<string, string | number> } => {
    const where: string[] = [f.archived ? 'd.archived_at IS NOT NULL' : 'd.archived_at IS NULL'];
    const params: Record<string, string | number> = {};
    const add = (clause: string, name: string, value: string | number | undefined) => {
      if (value === undefined) return;
      where.push(clause);
      params[name] = value;
    };
    add(
      'd.espace_id IN (SELECT value FROM json_each(@espaceIds))',
      'espaceIds',
      f.espaceIds === null ? undefined : JSON.stringify(f.espaceIds),
    );
    add('d.kind = @kind', 'kind', f.kind);
    add('EXISTS (SELECT 1 FROM json_each(d.themes) WHERE value = @theme)', 'theme', f.theme);
    add('d.categorie = @categorie', 'categorie', f.categorie);
    add('d.structure_type = @structureType', 'structureType', f.structureType);
    add(
      'd.territoire IN (SELECT value FROM json_each(@territoires))',
      'territoires',
      f.territoires && JSON.stringify(f.territoires),
    );
    add(
      'EXISTS (SELECT 1 FROM assignments a WHERE a.document_id = d.id AND a.user_id = @assignee)',
      'assignee',
      f.assignee,
    );
    add('d.annee = @annee', 'annee', f.annee);
    return { where: where.join(' AND '), params };
  };
  const search = (f: DocumentFilter): DocumentRecord[] => {
    const { where, params } = filterClause(f);
    const sql = `${SELECT} WHERE ${where} ORDER BY d.updated_at DESC, d.title`;
    return db.prepare<[Record<string, string | number>], Row>(sql).all(params).map(fromRow);
  };
  const searchSummaries = (f: DocumentFilter): DocumentSummary[] => {
    const { where, params } = filterClause(f);
    const sql = `SELECT ${SUMMARY_COLUMNS} FROM documents d WHERE ${where} ORDER BY d.updated_at DESC, d.title`;
    return db.prepare<[Record<string, string | number>], SummaryRow>(sql).all(params).map(summaryFromRow);
  };
  const searchSummaryChunk = (
    f: DocumentFilter,
    after: number,
    limit: number,
  ): { documents: DocumentSummary[]; next: number | null } => {
    const { where, params } = filterClause(f);
    const sql = `SELECT d.rowid AS position, ${SUMMARY_COLUMNS} FROM documents d
      WHERE ${where} AND d.rowid > @after ORDER BY d.rowid LIMIT @limit`;
    const rows = db
      .prepare<[Record<string, string | number>], SummaryRow & { position: number }>(sql)
      .all({ ...params, after, limit });
    const last = rows[rows.length - 1];
    return {
      documents: rows.map(summaryFromRow),
      next: rows.length === limit && last ? last.position : null,
    };
  };
  const findMany = (ids: readonly string[]): DocumentRecord[] => {
    if (ids.length === 0) return [];
    const rows = q.many.all(JSON.stringify(ids));
    const byId = new Map(rows.map((r) => [r.id, fromRow(r)]));
    return ids.flatMap((id) => byId.get(id) ?? []);
  };
  return {
    insert: (r, state) => insert.immediate(r, state),
    findById: (id) => {
      const row = q.byId.get(id);
      return row && fromRow(row);
    },
    search,
    searchSummaries,
    searchSummaryChunk,
    findMany,
    saveIndex: (id, index, changedBy, at, indexedSeq) =>
      void q.saveIndex.run({
        indexedSeq,
        id,
        title: index.metadata.title,
        ...metadataParams(index.metadata),
        sections: JSON.stringify(index.sections),
        pages: index.pages,
        changedBy,
        at,
      }),
    staleIndexes: (limit, after = '') => q.stale.all(after, limit).map((r) => r.id),
    setArchived: (id, at) => q.setArchived.run(at, id).changes > 0,
    assignees: (documentId) => assigneesOf([documentId]).get(documentId) ?? [],
    assigneesOf,
    assign: (documentId, userId, by, at) => q.assign.run(documentId, userId, by, at).changes > 0,
    unassign: (documentId, userId) => q.unassign.run(documentId, userId).changes > 0,
    unassignAllInEspace: (espaceId, userId) => unassignAll.immediate(espaceId, userId),
    documentsAssignedTo: (userId) => q.assignedTo.all(userId).map((r) => r.document_id),
    countCreatedSince: (userId, since) => q.countCreatedSince.get(since, userId)?.n ?? 0,
    recordActivity: (e) =>
      void q.recordActivity.run({
        documentId: e.documentId,
        userId: e.userId,
        kind: e.kind,
        sections: JSON.stringify(e.sections),
        fields: JSON.stringify(e.fields),
        at: e.at,
      }),
    activityInEspace: (espaceId, limit) =>
      q.activity.all(espaceId, limit).map((r) => ({
        id: r.id,
        documentId: r.document_id,
        documentTitle: r.title,
        userId: r.user_id,
        userName: r.name,
        kind: r.kind,
        sections: JSON.parse(r.sections) as string[],
        fields: JSON.parse(r.fields) as string[],
        at: r.at,
      })),
  };
}
