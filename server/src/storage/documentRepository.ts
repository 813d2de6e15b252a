import type { DocumentKind } from '@essaim/protocol';
import type { Db } from './db.js';

export interface DocumentRecord {
  id: string;
  /** Null only for documents created before espaces existed (visible to administrators). */
  espaceId: string | null;
  kind: DocumentKind;
  title: string;
  createdAt: string;
  updatedAt: string;
  archivedAt: string | null;
}

export interface AssigneeRecord {
  userId: string;
  name: string;
}

/**
 * Document metadata and assignments. An interface so a PostgreSQL implementation can take its
 * place when several server instances share one database.
 */
export interface DocumentRepository {
  insert(record: Omit<DocumentRecord, 'archivedAt'>): void;
  findById(id: string): DocumentRecord | undefined;
  /** Documents not archived, most recently changed first; all espaces when `espaceIds` is null. */
  listActive(espaceIds: readonly string[] | null): DocumentRecord[];
  touch(id: string, at: string): void;
  assignees(documentId: string): AssigneeRecord[];
  /** Assignees of many documents at once, by document id. */
  assigneesOf(documentIds: readonly string[]): Map<string, AssigneeRecord[]>;
  assign(documentId: string, userId: string, by: string | null, at: string): boolean;
  unassign(documentId: string, userId: string): boolean;
  /** Removes a user's assignments in one espace (when they leave it); returns the documents concerned. */
  unassignAllInEspace(espaceId: string, userId: string): string[];
  documentsAssignedTo(userId: string): string[];
}

interface Row {
  id: string;
  espace_id: string | null;
  kind: DocumentKind;
  title: string;
  created_at: string;
  updated_at: string;
  archived_at: string | null;
}

const fromRow = (r: Row): DocumentRecord => ({
  id: r.id,
  espaceId: r.espace_id,
  kind: r.kind,
  title: r.title,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  archivedAt: r.archived_at,
});

export function sqliteDocumentRepository(db: Db): DocumentRepository {
  const q = {
    insert: db.prepare(
      `INSERT INTO documents (id, espace_id, kind, title, created_at, updated_at)
       VALUES (@id, @espaceId, @kind, @title, @createdAt, @updatedAt)`,
    ),
    byId: db.prepare<[string], Row>('SELECT * FROM documents WHERE id = ?'),
    all: db.prepare<[], Row>(
      'SELECT * FROM documents WHERE archived_at IS NULL ORDER BY updated_at DESC, title',
    ),
    inEspaces: db.prepare<[string], Row>(
      `SELECT * FROM documents WHERE archived_at IS NULL AND espace_id IN (SELECT value FROM json_each(?))
       ORDER BY updated_at DESC, title`,
    ),
    touch: db.prepare<[string, string]>('UPDATE documents SET updated_at = ? WHERE id = ?'),
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
  return {
    insert: (r) => void q.insert.run(r),
    findById: (id) => {
      const row = q.byId.get(id);
      return row && fromRow(row);
    },
    listActive: (espaceIds) =>
      (espaceIds === null ? q.all.all() : q.inEspaces.all(JSON.stringify(espaceIds))).map(fromRow),
    touch: (id, at) => void q.touch.run(at, id),
    assignees: (documentId) => assigneesOf([documentId]).get(documentId) ?? [],
    assigneesOf,
    assign: (documentId, userId, by, at) => q.assign.run(documentId, userId, by, at).changes > 0,
    unassign: (documentId, userId) => q.unassign.run(documentId, userId).changes > 0,
    unassignAllInEspace: (espaceId, userId) => unassignAll.immediate(espaceId, userId),
    documentsAssignedTo: (userId) => q.assignedTo.all(userId).map((r) => r.document_id),
  };
}
