import { schema } from '@essaim/editor';
import {
  FRAGMENT,
  type CommentReplyDto,
  type ThreadDto,
  type ThreadListDto,
  type ThreadReplyDto,
} from '@essaim/protocol';
import type { Node as PMNode } from '@tiptap/pm/model';
import { Transform } from '@tiptap/pm/transform';
import {
  absolutePositionToRelativePosition,
  initProseMirrorDoc,
  relativePositionToAbsolutePosition,
  updateYFragment,
} from '@tiptap/y-tiptap';
import * as Y from 'yjs';
import type { Session } from './accounts.js';

/**
 * Comment threads as a client makes them (issue 10): anchors taken from ProseMirror positions
 * through y-tiptap's mapping, exactly as the editor does, and edits written back by y-tiptap
 * (a split with Enter deletes and re-inserts the text after the caret).
 */

const toBase64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64');
const fromBase64 = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, 'base64'));

/** The top-level sections of a document. */
export const sectionsOf = (ydoc: Y.Doc): Y.XmlElement[] =>
  ydoc
    .getXmlFragment(FRAGMENT)
    .toArray()
    .filter((c): c is Y.XmlElement => c instanceof Y.XmlElement && c.nodeName === 'section');

/** The id of the n-th section (0-based). */
export function sectionId(ydoc: Y.Doc, index: number): string {
  const id = sectionsOf(ydoc)[index]?.getAttribute('id');
  if (typeof id !== 'string') throw new Error(`pas de section n° ${index}`);
  return id;
}

/** Sets the text of the first paragraph of a section (one transaction), as typing it would. */
export function writeInSection(ydoc: Y.Doc, id: string, words: string): Y.XmlText {
  const section = sectionsOf(ydoc).find((s) => s.getAttribute('id') === id);
  const paragraph = section
    ?.toArray()
    .find((c): c is Y.XmlElement => c instanceof Y.XmlElement && c.nodeName === 'paragraph');
  if (!paragraph) throw new Error(`pas de paragraphe dans la section ${id}`);
  let text = paragraph.get(0);
  ydoc.transact(() => {
    if (!(text instanceof Y.XmlText)) {
      text = new Y.XmlText();
      paragraph.insert(0, [text]);
    }
    const t = text as Y.XmlText;
    if (t.length > 0) t.delete(0, t.length);
    t.insert(0, words);
  });
  return text as Y.XmlText;
}

/** The text run holding `words` (the first one that does). */
export function textHolding(ydoc: Y.Doc, words: string): { text: Y.XmlText; index: number } {
  const visit = (parent: Y.XmlFragment | Y.XmlElement): { text: Y.XmlText; index: number } | null => {
    for (const child of parent.toArray()) {
      if (child instanceof Y.XmlText) {
        const index = child.toString().indexOf(words);
        if (index >= 0 && !child.toString().includes('<')) return { text: child, index };
      } else if (child instanceof Y.XmlElement) {
        const found = visit(child);
        if (found) return found;
      }
    }
    return null;
  };
  const found = visit(ydoc.getXmlFragment(FRAGMENT));
  if (!found) throw new Error(`« ${words} » introuvable`);
  return found;
}

/** The ProseMirror view of a client's document with y-tiptap's mapping (the editor's binding). */
function binding(ydoc: Y.Doc): { doc: PMNode; mapping: Map<Y.AbstractType<unknown>, PMNode> } {
  const { doc, mapping } = initProseMirrorDoc(ydoc.getXmlFragment(FRAGMENT), schema) as {
    doc: PMNode;
    mapping: Map<Y.AbstractType<unknown>, PMNode>;
  };
  return { doc, mapping };
}

/** ProseMirror range of the `occurrence`-th appearance of `words` in a text node. */
function rangeOf(doc: PMNode, words: string, occurrence = 0): { from: number; to: number } {
  let seen = 0;
  let found: { from: number; to: number } | null = null;
  doc.descendants((node, pos) => {
    if (found) return false;
    if (node.isText && node.text) {
      let at = node.text.indexOf(words);
      while (at >= 0 && !found) {
        if (seen === occurrence) found = { from: pos + at, to: pos + at + words.length };
        seen++;
        at = node.text.indexOf(words, at + 1);
      }
    }
    return true;
  });
  if (!found) throw new Error(`« ${words} » introuvable dans le document`);
  return found;
}

/** The body of `POST /api/documents/:id/threads` for `words`, as the editor builds it. */
export function threadInput(
  ydoc: Y.Doc,
  section: string,
  words: string,
  body: string,
  occurrence = 0,
): { sectionId: string; anchor: { start: string; end: string }; quote: string; body: string } {
  const { doc, mapping } = binding(ydoc);
  const { from, to } = rangeOf(doc, words, occurrence);
  const fragment = ydoc.getXmlFragment(FRAGMENT);
  const rel = (pos: number) =>
    toBase64(Y.encodeRelativePosition(absolutePositionToRelativePosition(pos, fragment, mapping)));
  return {
    sectionId: section,
    anchor: { start: rel(from), end: rel(to) },
    quote: doc.textBetween(from, to, '\n'),
    body,
  };
}

/** The words a client highlights for a thread: its anchor resolved in the client's document. */
export function highlighted(ydoc: Y.Doc, thread: ThreadDto): string | null {
  if (!thread.anchor) return null;
  const { doc, mapping } = binding(ydoc);
  const fragment = ydoc.getXmlFragment(FRAGMENT);
  const abs = (b64: string) =>
    relativePositionToAbsolutePosition(ydoc, fragment, Y.decodeRelativePosition(fromBase64(b64)), mapping);
  const from = abs(thread.anchor.start);
  const to = abs(thread.anchor.end);
  if (from === null || to === null || from >= to) return null;
  return doc.textBetween(from, to, '\n');
}

/** Presses Enter right before `words` (the editor splits the paragraph; y-tiptap writes it back). */
export function splitBefore(ydoc: Y.Doc, words: string): void {
  const { doc, mapping } = binding(ydoc);
  const { from } = rangeOf(doc, words);
  const tr = new Transform(doc).split(from);
  ydoc.transact(() => {
    updateYFragment(ydoc, ydoc.getXmlFragment(FRAGMENT), tr.doc, { mapping, isOMark: new Map() });
  });
}

/**
 * Presses Backspace at the start of the paragraph holding `words`: the editor joins it to the
 * textblock before it, and y-tiptap writes that back by deleting the paragraph's element and
 * appending a copy of its text to the previous one (new Yjs items for every character).
 */
export function joinBackward(ydoc: Y.Doc, words: string): void {
  const { doc, mapping } = binding(ydoc);
  const { from } = rangeOf(doc, words);
  const tr = new Transform(doc).join(doc.resolve(from).before());
  ydoc.transact(() => {
    updateYFragment(ydoc, ydoc.getXmlFragment(FRAGMENT), tr.doc, { mapping, isOMark: new Map() });
  });
}

/** Deletes `words` with the editor (a ProseMirror change written back by y-tiptap). */
export function deleteWords(ydoc: Y.Doc, words: string): void {
  const { doc, mapping } = binding(ydoc);
  const { from, to } = rangeOf(doc, words);
  const tr = new Transform(doc).delete(from, to);
  ydoc.transact(() => {
    updateYFragment(ydoc, ydoc.getXmlFragment(FRAGMENT), tr.doc, { mapping, isOMark: new Map() });
  });
}

/** `GET /api/documents/:id/threads`, failing on anything but 200. */
export async function listThreads(
  session: Session,
  documentId: string,
  status: 'open' | 'resolved' | 'all' = 'all',
): Promise<ThreadListDto> {
  const response = await session.fetch(`/api/documents/${documentId}/threads?status=${status}`);
  if (response.status !== 200) throw new Error(`liste refusée : ${response.status} ${await response.text()}`);
  return (await response.json()) as ThreadListDto;
}

/** `POST /api/documents/:id/threads`, failing on anything but 201. */
export async function createThread(session: Session, documentId: string, input: unknown): Promise<ThreadDto> {
  const response = await session.fetch(`/api/documents/${documentId}/threads`, {
    method: 'POST',
    json: input,
  });
  if (response.status !== 201) throw new Error(`fil refusé : ${response.status} ${await response.text()}`);
  return ((await response.json()) as ThreadReplyDto).thread;
}

/** A document the tests comment on: its id, the section holding its words, a synced client's copy. */
export interface CommentedDocument {
  id: string;
  section: string;
  reader: { ydoc: Y.Doc };
}

/**
 * Opens a thread on `words` (their `occurrence`-th appearance) in `doc.section` with the message
 * `body`, anchored from the reader's copy as the editor does ({@link threadInput}, then
 * {@link createThread}: fails on anything but 201).
 */
export function commentOn(
  session: Session,
  doc: CommentedDocument,
  words: string,
  body: string,
  occurrence = 0,
): Promise<ThreadDto> {
  return createThread(session, doc.id, threadInput(doc.reader.ydoc, doc.section, words, body, occurrence));
}

/** `POST /api/threads/:id/comments`, failing on anything but 201. */
export async function replyTo(
  session: Session,
  threadId: string,
  body: string,
): Promise<CommentReplyDto['comment']> {
  const response = await session.fetch(`/api/threads/${threadId}/comments`, {
    method: 'POST',
    json: { body },
  });
  if (response.status !== 201)
    throw new Error(`réponse refusée : ${response.status} ${await response.text()}`);
  return ((await response.json()) as CommentReplyDto).comment;
}

/** `GET /api/threads/:id`, failing on anything but 200. */
export async function getThread(session: Session, threadId: string): Promise<ThreadDto> {
  const response = await session.fetch(`/api/threads/${threadId}`);
  if (response.status !== 200) throw new Error(`fil illisible : ${response.status} ${await response.text()}`);
  return ((await response.json()) as ThreadReplyDto).thread;
}
