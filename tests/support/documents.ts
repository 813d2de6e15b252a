import path from 'node:path';
import Database from 'better-sqlite3';
import * as encoding from 'lib0/encoding';
import { FRAGMENT } from '@essaim/protocol';
import * as Y from 'yjs';

/**
 * Reading and writing documents as the editor stores them (sections of the `default` fragment),
 * for tests that play honest writers and hostile ones without a browser.
 */

/** The first paragraph of the first section, where one starts writing a fiche. */
export function firstParagraph(ydoc: Y.Doc): Y.XmlElement {
  const section = ydoc.getXmlFragment(FRAGMENT).get(0) as Y.XmlElement;
  return section
    .toArray()
    .find((c) => c instanceof Y.XmlElement && c.nodeName === 'paragraph') as Y.XmlElement;
}

/** Types `words` at the end of the first paragraph of the first section, as the editor would store them. */
export function typeInFirstParagraph(ydoc: Y.Doc, words: string): void {
  const paragraph = firstParagraph(ydoc);
  ydoc.transact(() => {
    let text = paragraph.get(0);
    if (!(text instanceof Y.XmlText)) {
      text = new Y.XmlText();
      paragraph.insert(0, [text]);
    }
    (text as Y.XmlText).insert((text as Y.XmlText).length, words);
  });
}

/** The first paragraph of the first section as XML text (`<paragraph>…</paragraph>`), '' if none. */
export const firstParagraphText = (ydoc: Y.Doc): string => firstParagraph(ydoc)?.toString() ?? '';

/** A copy of a document that changes without telling anyone (a hostile client's replica). */
export function replicaOf(ydoc: Y.Doc): Y.Doc {
  const copy = new Y.Doc();
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(ydoc));
  return copy;
}

/** The update that `change`, made in one transaction on `doc`, produces. */
export function updateOf(doc: Y.Doc, change: (doc: Y.Doc) => void): Uint8Array {
  const updates: Uint8Array[] = [];
  const collect = (u: Uint8Array) => updates.push(u);
  doc.on('update', collect);
  doc.transact(() => change(doc));
  doc.off('update', collect);
  return updates.length === 0 ? new Uint8Array([0, 0]) : Y.mergeUpdates(updates);
}

/**
 * A document as stored in `DATA_DIR/essaim.sqlite` (state, then log), loaded strictly: throws if
 * any part does not load, or if its encoding would not load again (a poisoned state).
 */
export function storedDoc(dataDir: string, id: string): Y.Doc {
  const db = new Database(path.join(dataDir, 'essaim.sqlite'), { readonly: true });
  try {
    const doc = new Y.Doc();
    const state = db.prepare('SELECT state FROM document_states WHERE document_id = ?').get(id) as
      { state: Buffer } | undefined;
    if (state) Y.applyUpdate(doc, state.state);
    const rows = db
      .prepare('SELECT data FROM document_updates WHERE document_id = ? ORDER BY seq')
      .all(id) as { data: Buffer }[];
    for (const row of rows) Y.applyUpdate(doc, row.data);
    Y.applyUpdate(new Y.Doc(), Y.encodeStateAsUpdate(doc));
    return doc;
  } finally {
    db.close();
  }
}

/** Yjs's variable-length unsigned integer encoding (lib0), for hand-made updates. */
export const varUint = (n: number): number[] => [...encoding.encode((e) => encoding.writeVarUint(e, n))];
