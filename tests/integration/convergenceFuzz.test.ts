import { templates } from '@essaim/domain';
import { detectTextMoves, followMovedText, undoOnlyOwnChanges } from '@essaim/editor';
import { FRAGMENT } from '@essaim/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultDeleteFilter, defaultProtectedNodes } from '@tiptap/y-tiptap';
import * as Y from 'yjs';
import { createDocument, invite, setupInstance, type Session } from '../support/accounts.js';
import { storedDoc } from '../support/documents.js';
import { connectAs, isSettled, type NodeClient } from '../support/provider.js';
import { seededRandom } from '../support/random.js';
import { startTestServer, tempDataDir, type TestServer } from '../support/server.js';

/**
 * Issue 8: a seeded, bounded convergence fuzz. Several writers apply random edits, Enter splits
 * (new paragraphs, and paragraphs cut in two: text moved by delete and copy, as the editor's binding
 * does), joins (Backspace at the start of a paragraph), undo and redo of cuts and joins, pasted copies of sections, undo, section moves (requested from the server, as the editor does)
 * and disconnections, then everybody reconnects: every replica and SQLite must hold the same
 * document, with unique section ids, each template section at most once, every required section
 * present, and every word any writer typed there exactly once (none lost, none doubled). `FUZZ_SEED` replays a run;
 * `FUZZ_ROUNDS` lengthens it (bench/ runs it longer).
 */

const SEED = Number(process.env.FUZZ_SEED ?? 8_2026);
const ROUNDS = Number(process.env.FUZZ_ROUNDS ?? 60);
const WRITERS = 3;

const random = seededRandom(SEED);
const int = (max: number): number => Math.floor(random() * max);

const sections = (doc: Y.Doc): Y.XmlElement[] =>
  doc
    .getXmlFragment(FRAGMENT)
    .toArray()
    .filter((n): n is Y.XmlElement => n instanceof Y.XmlElement && n.nodeName === 'section');

/** Sections one types in: not pasted copies, which their writer's undo may take away with the words in them. */
const writable = (doc: Y.Doc): Y.XmlElement[] =>
  sections(doc).filter((s) => !String(s.getAttribute('id')).startsWith('colle-'));

const paragraphs = (section: Y.XmlElement): Y.XmlElement[] =>
  section.toArray().filter((n): n is Y.XmlElement => n instanceof Y.XmlElement && n.nodeName === 'paragraph');

/** A writer: a provider, and an undo manager over its own edits (as the editor has). */
interface Writer {
  client: NodeClient;
  undo: Y.UndoManager;
  online: boolean;
  /** Words this writer typed, each unique: nobody deletes text, so they must all survive. */
  words: string[];
  /** Undo only ever takes back a paste, right after it: typed words stay. */
  lastWasPaste: boolean;
  /** The last local step: a cut or a join (may be undone), or its undo (may be redone). */
  lastMove: 'move' | 'undone' | null;
}

const dataDir = tempDataDir('essaim-convergence');
let server: TestServer;
let people: Session[];
let document: { id: string; name: string };
const writers: Writer[] = [];

beforeAll(async () => {
  server = await startTestServer({ dataDir });
  const { admin, espaceId } = await setupInstance(server.url);
  people = [admin];
  for (let i = 1; i < WRITERS; i++)
    people.push(
      await invite(
        admin,
        espaceId,
        'rapporteur',
        ['Chloé Martin', 'Bruno Petit', 'Inès Roux'][i - 1] ?? 'Léa Morel',
      ),
    );
  document = await createDocument(admin, espaceId, 'Coordination pluridisciplinaire');
  for (const person of people.slice(1))
    await admin.fetch(`/api/documents/${document.id}/assignments`, {
      method: 'POST',
      json: { userId: person.userId },
    });
});

afterAll(async () => {
  for (const w of writers) w.client.destroy();
  await server.stop();
});

/**
 * Origin of the writers' typing, which their undo does not track: an undo whose own step has
 * nothing left to do (its copy deleted since by someone else) goes on to the step before, as
 * Yjs's does, and undoing one's own typing is not a lost word.
 */
const TYPING = Symbol('typing');

/** Types a unique word at a random place of a random paragraph (creating its text if needed). */
function type(writer: Writer, round: number): void {
  const doc = writer.client.ydoc;
  const section = writable(doc)[int(writable(doc).length)];
  const paragraph = section && paragraphs(section)[int(paragraphs(section).length)];
  if (!paragraph) return;
  const word = `w${writers.indexOf(writer)}r${round}`;
  doc.transact(() => {
    const t = textOf(paragraph);
    // At a word boundary, so words stay readable: the start or the end.
    t.insert(random() < 0.5 ? 0 : t.length, ` ${word} `);
  }, TYPING);
  writer.words.push(word);
}

/** Enter at the end of a paragraph: a new paragraph after it, with a word in it. */
function split(writer: Writer, round: number): void {
  const doc = writer.client.ydoc;
  const section = writable(doc)[int(writable(doc).length)];
  const list = section ? paragraphs(section) : [];
  const paragraph = list[int(list.length)];
  if (!section || !paragraph) return;
  const word = `s${writers.indexOf(writer)}r${round}`;
  doc.transact(() => {
    const next = new Y.XmlElement('paragraph');
    section.insert(section.toArray().indexOf(paragraph) + 1, [next]);
    next.insert(0, [new Y.XmlText(` ${word} `)]);
  }, TYPING);
  writer.words.push(word);
}

/** The characters of a text, without formatting (`toString` writes marks as tags). */
const plain = (text: Y.XmlText): string =>
  (text.toDelta() as { insert?: unknown }[])
    .map((op) => (typeof op.insert === 'string' ? op.insert : ''))
    .join('');

/**
 * How many times each of `words` occurs in the sections one types in (pasted copies left out), as
 * a whole word: not preceded by a letter or digit, not followed by a digit. Words are typed with a
 * space on each side and cut only at spaces, but a join may glue the next paragraph's text (a
 * template's « Décrire… ») right after a word, hence no condition on the letter after. A word
 * garbled by a wrong merge (« w2r301r29 ») does not count, so it is reported lost.
 */
function typedWordCounts(doc: Y.Doc, words: readonly string[]): Map<string, number> {
  const texts: string[] = [];
  const visit = (node: Y.XmlElement | Y.XmlText | Y.XmlHook): void => {
    if (node instanceof Y.XmlText) texts.push(plain(node));
    else if (node instanceof Y.XmlElement) for (const child of node.toArray()) visit(child);
  };
  for (const section of writable(doc)) visit(section);
  const counts = new Map<string, number>();
  for (const word of words) {
    const whole = new RegExp(`(?<![\\p{L}\\p{N}])${word}(?!\\p{N})`, 'gu');
    const n = texts.reduce((sum, t) => sum + (t.match(whole)?.length ?? 0), 0);
    if (n > 0) counts.set(word, n);
  }
  return counts;
}

/** The text of a paragraph (created empty if it has none). */
function textOf(paragraph: Y.XmlElement): Y.XmlText {
  const first = paragraph.get(0);
  if (first instanceof Y.XmlText) return first;
  const text = new Y.XmlText();
  paragraph.insert(0, [text]);
  return text;
}

/**
 * Enter between two words: the paragraph's end is deleted and a copy of it put in a new paragraph
 * after it, as the editor's Yjs binding does. Words others type in that end meanwhile follow it
 * (each editor re-writes its own, see textMoves.ts).
 */
function cut(writer: Writer): boolean {
  const doc = writer.client.ydoc;
  const section = writable(doc)[int(writable(doc).length)];
  const list = section ? paragraphs(section) : [];
  const paragraph = list[int(list.length)];
  const text = paragraph?.get(0);
  if (!section || !paragraph || !(text instanceof Y.XmlText)) return false;
  const content = plain(text);
  const spaces = [...content.matchAll(/ /g)]
    .map((m) => m.index)
    .filter((i) => i > 0 && i < content.length - 1);
  const at = spaces[int(spaces.length)];
  if (at === undefined) return false;
  doc.transact(() => {
    text.delete(at, content.length - at);
    const next = new Y.XmlElement('paragraph');
    section.insert(section.toArray().indexOf(paragraph) + 1, [next]);
    next.insert(0, [new Y.XmlText(content.slice(at))]);
  });
  return true;
}

/** Backspace at the start of a paragraph: it is deleted and its text copied at the end of the previous one. */
function join(writer: Writer): boolean {
  const doc = writer.client.ydoc;
  const section = writable(doc)[int(writable(doc).length)];
  const children = section ? section.toArray() : [];
  const at = 1 + int(Math.max(0, children.length - 2));
  const [previous, paragraph] = [children[at], children[at + 1]];
  if (
    !section ||
    !(previous instanceof Y.XmlElement && previous.nodeName === 'paragraph') ||
    !(paragraph instanceof Y.XmlElement && paragraph.nodeName === 'paragraph')
  )
    return false;
  // All its text: two people starting to type in one empty paragraph at once give it two texts.
  const moved = paragraph
    .toArray()
    .map((child) => (child instanceof Y.XmlText ? plain(child) : ''))
    .join('');
  doc.transact(() => {
    section.delete(at + 1, 1);
    const text = textOf(previous);
    if (moved) text.insert(text.length, moved);
  });
  return true;
}

let pastes = 0;

/**
 * Pastes a copy of a section at another place, as a section a rapporteur adds (fresh id, no
 * template key), so that at the end a derived id (`s-…`, given by the server to a second copy of
 * an id) can only come from a move that duplicated a section.
 */
function pasteCopy(writer: Writer): void {
  const doc = writer.client.ydoc;
  const all = sections(doc);
  const source = all[int(all.length)];
  if (!source) return;
  doc.transact(() => {
    const copy = source.clone();
    copy.setAttribute('id', `colle-${++pastes}`);
    copy.removeAttribute('key');
    doc.getXmlFragment(FRAGMENT).insert(int(doc.getXmlFragment(FRAGMENT).length + 1), [copy]);
  });
}

/** Asks the server to move a random section one place up or down, as « Monter » / « Descendre » do. */
function move(writer: Writer, round: number): void {
  const ids = sections(writer.client.ydoc).map((s) => String(s.getAttribute('id')));
  const from = int(ids.length);
  const to = Math.max(0, Math.min(ids.length - 1, from + (random() < 0.5 ? -1 : 1)));
  const sectionId = ids[from];
  if (sectionId === undefined || to === from) return;
  const without = ids.filter((id) => id !== sectionId);
  const afterSectionId = to === 0 ? null : (without[to - 1] ?? null);
  writer.client.provider.sendStateless(
    JSON.stringify({ type: 'section-move', requestId: `r${round}`, sectionId, afterSectionId }),
  );
}

describe(`convergence fuzz (seed ${SEED}, ${WRITERS} writers, ${ROUNDS} rounds)`, () => {
  it('ends with every replica and SQLite equal, ids unique, no section twice, required sections present, no word lost or doubled', async () => {
    for (const person of people) {
      const client = connectAs(person, server.wsUrl, document.name);
      // What each editor does after a remote change that moved text (textMoves.ts).
      client.ydoc.on('afterTransaction', (transaction: Y.Transaction) => {
        if (!transaction.local) followMovedText(client.ydoc, transaction, detectTextMoves(transaction));
      });
      const undo = new Y.UndoManager(client.ydoc.getXmlFragment(FRAGMENT), {
        trackedOrigins: new Set([null]),
        captureTimeout: 0,
        // Every other writer undoes as the editor does (y-tiptap's undo plugin: a paragraph or a
        // text that still holds something is never deleted, only its characters), the others as
        // a program with Yjs's plain UndoManager.
        deleteFilter:
          writers.length % 2 === 1 ? (item) => defaultDeleteFilter(item, defaultProtectedNodes) : () => true,
      });
      undoOnlyOwnChanges(undo);
      writers.push({ client, undo, online: true, words: [], lastWasPaste: false, lastMove: null });
    }
    await expect.poll(() => writers.every((w) => isSettled(w.client)), { timeout: 10_000 }).toBe(true);
    for (let round = 0; round < ROUNDS; round++) {
      for (const writer of writers) {
        const roll = random();
        const afterPaste = writer.lastWasPaste;
        writer.lastWasPaste = false;
        const lastMove = writer.lastMove;
        writer.lastMove = null;
        if (afterPaste && roll < 0.5) writer.undo.undo();
        else if (lastMove === 'move' && roll < 0.4) {
          writer.undo.undo();
          writer.lastMove = 'undone';
        } else if (lastMove === 'undone' && roll < 0.4) {
          writer.undo.redo();
          writer.lastMove = 'move';
        } else if (roll < 0.34) type(writer, round);
        else if (roll < 0.42) split(writer, round);
        else if (roll < 0.49) {
          writer.undo.stopCapturing();
          if (cut(writer)) writer.lastMove = 'move';
        } else if (roll < 0.55) {
          writer.undo.stopCapturing();
          if (join(writer)) writer.lastMove = 'move';
        } else if (roll < 0.62) {
          writer.undo.stopCapturing();
          pasteCopy(writer);
          writer.lastWasPaste = true;
        } else if (roll < 0.75 && writer.online) move(writer, round);
        else if (roll < 0.85) {
          const socket = writer.client.socket;
          if (writer.online) {
            socket.disconnect();
            await expect.poll(() => socket.status).toBe('disconnected');
          } else await socket.connect();
          writer.online = !writer.online;
        }
      }
      // Let the server answer now and then, so moves interleave with typing in flight.
      if (round % 5 === 4)
        await expect
          .poll(
            () =>
              writers
                .filter((w) => w.online)
                .map(
                  (w) =>
                    `${w.client.socket.status} synced=${w.client.provider.isSynced} unsynced=${w.client.provider.unsyncedChanges}`,
                ),
            { timeout: 10_000 },
          )
          .toEqual(writers.filter((w) => w.online).map(() => 'connected synced=true unsynced=0'));
    }
    for (const w of writers) if (!w.online) await w.client.socket.connect();
    await expect.poll(() => writers.every((w) => isSettled(w.client)), { timeout: 20_000 }).toBe(true);

    // Every replica holds the same document as the server.
    const live = server.app.hocuspocus.documents.get(document.name);
    if (!live) throw new Error('le document devrait être ouvert');
    const expected = live.getXmlFragment(FRAGMENT).toString();
    await expect
      .poll(() => writers.map((w) => w.client.ydoc.getXmlFragment(FRAGMENT).toString()), { timeout: 20_000 })
      .toEqual(writers.map(() => expected));

    // Section ids are unique, no section was duplicated (no derived id, each template key at
    // most once), every required section is there.
    const ids = sections(live).map((s) => String(s.getAttribute('id')));
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.filter((id) => id.startsWith('s-'))).toEqual([]);
    const keys = sections(live)
      .map((s) => s.getAttribute('key'))
      .filter((k): k is string => typeof k === 'string');
    expect(new Set(keys).size).toBe(keys.length);
    for (const section of templates.fiche.sections.filter((t) => t.required))
      expect(keys).toContain(section.key);

    // No word lost, none doubled: nobody deletes text, so every word typed is there, once, outside
    // the pasted copies (which repeat what they copied).
    const typed = writers.flatMap((w) => w.words);
    const counts = typedWordCounts(live, typed);
    expect({
      lost: typed.filter((word) => !counts.has(word)),
      twice: typed.filter((word) => (counts.get(word) ?? 0) > 1),
    }).toEqual({ lost: [], twice: [] });

    // SQLite holds the same document once everybody leaves.
    for (const w of writers) w.client.destroy();
    await expect.poll(() => server.app.hocuspocus.getDocumentsCount(), { timeout: 20_000 }).toBe(0);
    expect(storedDoc(dataDir, document.id).getXmlFragment(FRAGMENT).toString()).toBe(expected);
  });
});
