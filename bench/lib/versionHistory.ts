import { FRAGMENT } from '@essaim/protocol';
import * as Y from 'yjs';

/**
 * Edits for the long-history fiche of `bench/versions.ts`: between two versions, one person
 * rewrites a little of the text, as a working session would (a sentence added here, a few words
 * removed there), straight in the paragraphs' Y.XmlTexts (what an editor's typing produces).
 */

const SENTENCES = [
  'Les familles choisissent elles-mêmes leurs invités et le lieu de la réunion.',
  'Le coordinateur prépare la rencontre sans prendre part à la décision.',
  'Un temps privé permet à la famille d’élaborer son propre plan.',
  'Les professionnels présentent la situation puis quittent la salle.',
  'Le plan est relu avec le service référent dans les quinze jours.',
  'Les enfants sont associés selon leur âge et leur souhait.',
];

/** The Y.XmlText of every paragraph of `ydoc`'s sections (titles left out), in document order. */
export function paragraphTexts(ydoc: Y.Doc): Y.XmlText[] {
  const texts: Y.XmlText[] = [];
  for (const section of ydoc.getXmlFragment(FRAGMENT).toArray()) {
    if (!(section instanceof Y.XmlElement) || section.nodeName !== 'section') continue;
    for (const block of section.toArray()) {
      if (!(block instanceof Y.XmlElement) || block.nodeName !== 'paragraph') continue;
      const text = block.get(0);
      if (text instanceof Y.XmlText) texts.push(text);
    }
  }
  return texts;
}

/** What one {@link editSession} did: characters typed and removed, and updates sent. */
export interface EditSession {
  inserted: number;
  deleted: number;
  transactions: number;
}

/**
 * One working session of one person in `ydoc`, keystroke by keystroke (one Yjs transaction, hence
 * one update on the wire, per character, as an editor sends them): a sentence (about 70
 * characters, tagged with `step`) typed at a word boundary of a paragraph drawn with `random`, then
 * a run of about `deleteChars` characters, whole words, removed with Backspace from another
 * paragraph long enough to lose it. Throws when the document has no paragraph text (not synced, or
 * not made from a template).
 */
export function editSession(ydoc: Y.Doc, random: () => number, step: number, deleteChars = 40): EditSession {
  const texts = paragraphTexts(ydoc);
  if (texts.length === 0) throw new Error('aucun paragraphe à modifier');
  const pick = (): Y.XmlText => texts[Math.floor(random() * texts.length)] as Y.XmlText;
  const sentence = ` ${SENTENCES[step % SENTENCES.length]} (modification ${step})`;
  const into = pick();
  const content = into.toString();
  const found = content.indexOf(' ', Math.floor(random() * content.length));
  const at = found < 0 ? content.length : found;
  let transactions = 0;
  for (let i = 0; i < sentence.length; i++) {
    ydoc.transact(() => into.insert(at + i, sentence.charAt(i)));
    transactions++;
  }
  let deleted = 0;
  for (let tries = 0; tries < 10 && deleted === 0; tries++) {
    const from = pick();
    const text = from.toString();
    if (from === into || text.length < deleteChars * 4) continue;
    const start = text.indexOf(' ', Math.floor(random() * (text.length - deleteChars * 2)));
    const end = start < 0 ? -1 : text.indexOf(' ', start + deleteChars);
    if (start < 0 || end < 0) continue;
    // Backspace from the end of the run to its start.
    for (let caret = end; caret > start; caret--) {
      ydoc.transact(() => from.delete(caret - 1, 1));
      transactions++;
    }
    deleted = end - start;
  }
  return { inserted: sentence.length, deleted, transactions };
}
