import { randomUUID } from 'node:crypto';
import { ficheTemplate } from '@essaim/domain';
import { templateContent, writeJSONToYdoc } from '@essaim/editor';
import * as Y from 'yjs';
import { firstParagraphText } from './clients.js';

/**
 * A new fiche as the server makes it (`templateContent` of the fiche template written with
 * `writeJSONToYdoc`: thirteen sections, each a title and an empty paragraph holding an empty
 * Y.XmlText), in a Y.Doc of its own. Section ids are random, as on the server.
 */
export function newFiche(): Y.Doc {
  const doc = new Y.Doc();
  writeJSONToYdoc(doc, templateContent(ficheTemplate, randomUUID));
  return doc;
}

/** {@link newFiche} encoded as one Yjs update (v1): what a server loads for a new document. */
export const newFicheState = (): Uint8Array => Y.encodeStateAsUpdate(newFiche());

/**
 * The text benchmarks type into: the Y.XmlText of the first paragraph of the first section of a
 * document made from a template, where an editor's first keystrokes go. Throws when `doc` has
 * none (not made from a template, or not synced).
 */
export function paragraphText(doc: Y.Doc): Y.XmlText {
  const text = firstParagraphText(doc);
  if (!text) throw new Error('pas de texte dans le premier paragraphe de la première section');
  return text;
}
