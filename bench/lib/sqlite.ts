import Database from 'better-sqlite3';
import { parseDocumentName } from '@essaim/protocol';
import * as Y from 'yjs';
import { firstParagraphText } from './clients.js';

export interface StoredText {
  /** The text of the document's first paragraph (where the benchmarks type); '' when it has none. */
  text: string;
  /** Whether a compacted state row exists. */
  hasState: boolean;
  /** Log rows not yet folded into the state. */
  logRows: number;
  /** Bytes of state + log. */
  bytes: number;
  /** True when some update could not be integrated for want of an earlier one (a hole in the log). */
  missingUpdates: boolean;
}

/**
 * Reads a document straight from the SQLite file, independently of the server's code: state first,
 * then every log row in `seq` order, applied to a fresh Y.Doc (what the server's `applyStored`
 * amounts to). Opens the file read-only, so it can run while the server is live (WAL).
 */
export function readStoredText(databaseFile: string, documentName: string): StoredText {
  const id = parseDocumentName(documentName);
  if (!id) throw new Error(`nom de document inattendu : ${documentName}`);
  const db = new Database(databaseFile, { readonly: true, fileMustExist: true });
  try {
    const state = db
      .prepare<[string], { state: Buffer }>('SELECT state FROM document_states WHERE document_id = ?')
      .get(id);
    const rows = db
      .prepare<[string], { data: Buffer }>(
        'SELECT data FROM document_updates WHERE document_id = ? ORDER BY seq',
      )
      .all(id);
    const doc = new Y.Doc();
    let bytes = 0;
    doc.transact(() => {
      if (state) {
        Y.applyUpdate(doc, state.state);
        bytes += state.state.byteLength;
      }
      for (const row of rows) {
        Y.applyUpdate(doc, row.data);
        bytes += row.data.byteLength;
      }
    });
    const missingUpdates = doc.store.pendingStructs !== null || doc.store.pendingDs !== null;
    return {
      text: firstParagraphText(doc)?.toString() ?? '',
      hasState: state !== undefined,
      logRows: rows.length,
      bytes,
      missingUpdates,
    };
  } finally {
    db.close();
  }
}
