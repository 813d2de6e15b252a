import type { Db } from './db.js';

/**
 * Who writes under each Yjs client id of a document (`document_clients`). Yjs trusts the client
 * id an update claims; the server ties each id to the first person who wrote under it, so nobody
 * can write under someone else's (which would make the server drop that person's later changes as
 * already known).
 */
export interface ClientRepository {
  /** The client ids of a document and their writers. */
  owners(documentId: string): Map<number, string>;
  /** The writer of one client id of a document, or undefined when nobody claimed it. */
  owner(documentId: string, clientId: number): string | undefined;
  /** Records that `userId` writes under `clientId`; keeps the first writer if one exists. */
  claim(documentId: string, clientId: number, userId: string): void;
}

export function sqliteClientRepository(db: Db): ClientRepository {
  const select = db.prepare<[string], { client_id: number; user_id: string }>(
    'SELECT client_id, user_id FROM document_clients WHERE document_id = ?',
  );
  const selectOne = db.prepare<[string, number], { user_id: string }>(
    'SELECT user_id FROM document_clients WHERE document_id = ? AND client_id = ?',
  );
  const insert = db.prepare<[string, number, string, string]>(
    `INSERT INTO document_clients (document_id, client_id, user_id, claimed_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (document_id, client_id) DO NOTHING`,
  );
  return {
    owners: (documentId) => new Map(select.all(documentId).map((r) => [r.client_id, r.user_id])),
    owner: (documentId, clientId) => selectOne.get(documentId, clientId)?.user_id,
    claim: (documentId, clientId, userId) => {
      insert.run(documentId, clientId, userId, new Date().toISOString());
    },
  };
}
