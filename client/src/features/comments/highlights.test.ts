import { describe, expect, it } from 'vitest';
import { Fragment, Slice, type Node as PMNode } from '@tiptap/pm/model';
import { EditorState, Plugin } from '@tiptap/pm/state';
import type { DecorationSet, EditorView } from '@tiptap/pm/view';
import { initProseMirrorDoc, updateYFragment, ySyncPluginKey } from '@tiptap/y-tiptap';
import * as Y from 'yjs';
import { schema, writeJSONToYdoc, type DocJSON } from '@essaim/editor';
import { FRAGMENT } from '@essaim/protocol';
import { decodeAnchor, encodeAnchor, type ProsemirrorMapping, type Range } from './anchors.js';
import {
  changedRegion,
  CommentHighlights,
  commentHighlightsPlugin,
  type HighlightedThread,
} from './highlights.js';
import { p, rangeOfWords, section } from './testFixtures.js';

/**
 * An editor state bound to a Y.Doc as y-tiptap binds it (its sync plugin's state: the Y.Doc, the
 * fragment, the mapping), with the highlights plugin. `remote(json)` applies someone else's change
 * through Yjs and returns the transaction y-tiptap would dispatch (the whole document replaced).
 */
function boundEditor(json: DocJSON, store: CommentHighlights) {
  const ydoc = new Y.Doc();
  writeJSONToYdoc(ydoc, json);
  const fragment = ydoc.getXmlFragment(FRAGMENT);
  const binding: { mapping: ProsemirrorMapping } = { mapping: new Map() };
  const read = (): PMNode => {
    const { doc, mapping } = initProseMirrorDoc(fragment, schema);
    binding.mapping = mapping;
    return doc;
  };
  const sync = new Plugin({
    key: ySyncPluginKey,
    state: { init: () => ({ doc: ydoc, type: fragment, binding }), apply: (_tr, value: unknown) => value },
  });
  const anchorAt = (range: Range) => {
    const anchor = decodeAnchor(encodeAnchor({ ydoc, fragment, mapping: binding.mapping }, range));
    if (!anchor) throw new Error('ancre illisible');
    return anchor;
  };
  const plugin = commentHighlightsPlugin(store);
  const state = EditorState.create({ doc: read(), plugins: [sync, plugin] });
  return {
    ydoc,
    state,
    anchorOf: (doc: PMNode, words: string) => anchorAt(rangeOfWords(doc, words)),
    anchorAt,
    remote: (current: EditorState, next: DocJSON) => {
      const { mapping } = initProseMirrorDoc(fragment, schema);
      ydoc.transact(() =>
        updateYFragment(ydoc, fragment, schema.nodeFromJSON(next), { mapping, isOMark: new Map() }),
      );
      const doc = read();
      return current.tr
        .replace(0, current.doc.content.size, new Slice(Fragment.from(doc.content), 0, 0))
        .setMeta(ySyncPluginKey, { isChangeOrigin: true });
    },
    highlighted: (s: EditorState): string[] => {
      const set = plugin.props.decorations?.call(plugin, s) as DecorationSet;
      return set.find().map((d) => s.doc.textBetween(d.from, d.to, '\n'));
    },
  };
}

const text = 'Le conseil départemental a repris le modèle néo-zélandais.';
/** A fiche of one section, « Origine » (s1), with one paragraph for each of `paragraphs`. */
const origine = (...paragraphs: string[]): DocJSON => ({
  type: 'doc',
  content: [section('s1', 'Origine', ...paragraphs.map(p))],
});
/** The fiche most tests start from: `first`, then a paragraph about the families. */
const fiche = (first: string): DocJSON => origine(first, 'Les familles choisissent.');

const thread = (id: string, anchor: HighlightedThread['anchor'], expected: string): HighlightedThread => ({
  id,
  anchor,
  expected,
  sectionId: 's1',
  resolved: false,
  shown: true,
});

/**
 * An editor over `json` whose store holds one thread for each `[id, words]` pair, on the first
 * occurrence of those words, and the editor's first state with the highlights drawn.
 */
function withThreads(json: DocJSON, threads: [id: string, words: string][]) {
  const store = new CommentHighlights();
  const editor = boundEditor(json, store);
  const { doc } = editor.state;
  const given = threads.map(([id, words]) => thread(id, editor.anchorOf(doc, words), words));
  store.setThreads(given);
  const state = EditorState.create({ doc, plugins: editor.state.plugins });
  return { store, editor, state, threads: given };
}

/** One thread on each text node's first `words`, with the ids t0, t1, … in the document's order. */
function threadsOnEach(editor: ReturnType<typeof boundEditor>, words: string): HighlightedThread[] {
  const threads: HighlightedThread[] = [];
  editor.state.doc.descendants((node, pos) => {
    if (!node.isText || !node.text) return true;
    const at = node.text.indexOf(words);
    if (at >= 0) {
      const anchor = editor.anchorAt({ from: pos + at, to: pos + at + words.length });
      threads.push(thread(`t${threads.length}`, anchor, words));
    }
    return false;
  });
  return threads;
}

/** Two threads, one on words inside the other's. */
const overlapping: [id: string, words: string][] = [
  ['outer', 'a repris le modèle néo'],
  ['inner', 'le modèle'],
];

describe('highlights of commented words', () => {
  it('are drawn from the threads’ anchors as decorations, without changing the document', () => {
    const { editor, state } = withThreads(fiche(text), [['t1', 'repris le modèle']]);
    expect(editor.highlighted(state)).toEqual(['repris le modèle']);
    expect(state.doc.eq(editor.state.doc)).toBe(true);
  });

  it('follow the person’s own typing by mapping, and someone else’s change by decoding the anchors again', () => {
    const { editor, state: first } = withThreads(fiche(text), [['t1', 'repris le modèle']]);
    let state = first;

    // Typing before the words, then inside them.
    state = state.apply(state.tr.insertText('En 2019, ', rangeOfWords(state.doc, 'Le conseil').from));
    state = state.apply(state.tr.insertText('fidèlement ', rangeOfWords(state.doc, 'le modèle').from));
    expect(editor.highlighted(state)).toEqual(['repris fidèlement le modèle']);

    // Someone else's change arrives through Yjs: y-tiptap replaces the whole document.
    state = state.apply(editor.remote(state, fiche(`Depuis 2018, ${text}`)));
    expect(editor.highlighted(state)).toEqual(['repris le modèle']);
  });

  it('find the words again when the paragraph was split before them (y-prosemirror#204), and drop deleted ones', () => {
    const { editor, state: first } = withThreads(fiche(text), [['t1', 'repris le modèle']]);
    let state = first;
    state = state.apply(
      editor.remote(
        state,
        origine(
          'Le conseil départemental a ',
          'repris le modèle néo-zélandais.',
          'Les familles choisissent.',
        ),
      ),
    );
    expect(editor.highlighted(state)).toEqual(['repris le modèle']);
    state = state.apply(editor.remote(state, fiche('Le conseil départemental a néo-zélandais.')));
    expect(editor.highlighted(state)).toEqual([]);
  });

  it('keep both of two overlapping threads, the innermost one answering a click', () => {
    const { store, editor, state } = withThreads(fiche(text), overlapping);
    const { doc } = state;
    expect(editor.highlighted(state).sort()).toEqual(['a repris le modèle néo', 'le modèle']);
    expect(store.threadAt(state, rangeOfWords(doc, 'modèle').from)).toBe('inner');
    expect(store.threadAt(state, rangeOfWords(doc, 'repris').from)).toBe('outer');
  });

  it('cost little per keystroke with a thousand threads: typing maps, it does not decode', () => {
    const store = new CommentHighlights();
    const paragraphs = Array.from(
      { length: 1000 },
      (_, i) => `Phrase ${i} : les familles choisissent leurs invités.`,
    );
    const editor = boundEditor(origine(...paragraphs), store);
    const { doc } = editor.state;
    const threads = threadsOnEach(editor, 'familles');
    expect(threads).toHaveLength(1000);
    const drawStart = performance.now();
    store.setThreads(threads);
    let state = EditorState.create({ doc, plugins: editor.state.plugins });
    const drawMs = performance.now() - drawStart;
    expect(editor.highlighted(state)).toHaveLength(1000);

    const typingStart = performance.now();
    const at = rangeOfWords(state.doc, 'Phrase 500').from;
    for (let i = 0; i < 200; i++) state = state.apply(state.tr.insertText('x', at + i));
    const perKeystrokeMs = (performance.now() - typingStart) / 200;
    expect(editor.highlighted(state)).toHaveLength(1000);
    // Generous bounds (a slow machine); measured here: about 0.2 ms a keystroke, 35 ms to draw.
    expect(perKeystrokeMs).toBeLessThan(5);
    expect(drawMs).toBeLessThan(500);
  });
});

/** Counts the threads a store places again from their anchors (its private `locate`). */
function countLocates(store: CommentHighlights): { ids: () => string[] } {
  const spied = store as unknown as { locate: (thread: HighlightedThread, ...rest: unknown[]) => unknown };
  const original = spied.locate.bind(store);
  const ids: string[] = [];
  spied.locate = (thread, ...rest) => {
    ids.push(thread.id);
    return original(thread, ...rest);
  };
  return { ids: () => ids.splice(0) };
}

describe('highlights after someone else’s change (the whole document replaced by y-tiptap)', () => {
  const second = 'Les familles choisissent leurs invités.';
  function setup() {
    const { store, editor, state } = withThreads(origine(text, second), [
      ['words', 'repris le modèle'],
      ['familles', 'familles'],
    ]);
    return { store, editor, state, locates: countLocates(store) };
  }

  it('shift the words after an edit before them, without decoding any anchor again', () => {
    const { editor, state, locates } = setup();
    const next = state.apply(editor.remote(state, origine(`Depuis 2018, ${text}`, second)));
    expect(editor.highlighted(next).sort()).toEqual(['familles', 'repris le modèle']);
    expect(locates.ids()).toEqual([]);
  });

  it('keep the words before an edit after them, without decoding any anchor again', () => {
    const { editor, state, locates } = setup();
    const next = state.apply(editor.remote(state, origine(text, `${second} Elles décident.`)));
    expect(editor.highlighted(next).sort()).toEqual(['familles', 'repris le modèle']);
    expect(locates.ids()).toEqual([]);
  });

  it('decode again only the thread whose words were edited inside, which then covers the new word', () => {
    const { editor, state, locates } = setup();
    const edited = text.replace('repris le', 'repris fidèlement le');
    const next = state.apply(editor.remote(state, origine(edited, second)));
    expect(editor.highlighted(next).sort()).toEqual(['familles', 'repris fidèlement le modèle']);
    expect(locates.ids()).toEqual(['words']);
  });

  it('decode again a thread whose words were typed right after (the diff cannot tell the side)', () => {
    const { editor, state, locates } = setup();
    // « modèle » then « e »: an insertion next to an equal character, against the words' end.
    const next = state.apply(editor.remote(state, origine(text.replace('le modèle', 'le modèlee'), second)));
    expect(editor.highlighted(next).sort()).toEqual(['familles', 'repris le modèle']);
    expect(locates.ids()).toEqual(['words']);
  });

  it('drop a thread whose words were deleted, the others staying on theirs', () => {
    const { editor, state, locates } = setup();
    const next = state.apply(
      editor.remote(state, origine('Le conseil départemental a néo-zélandais.', second)),
    );
    expect(editor.highlighted(next)).toEqual(['familles']);
    expect(locates.ids()).toEqual(['words']);
    // The dropped thread is tried again at the next change: its words came back (undo).
    const back = next.apply(editor.remote(next, origine(text, second)));
    expect(editor.highlighted(back).sort()).toEqual(['familles', 'repris le modèle']);
  });

  it('keep two overlapping threads right when the inner words are edited, and shift both after an edit before', () => {
    const { store, editor, state: first } = withThreads(fiche(text), overlapping);
    let state = first;
    const locates = countLocates(store);
    state = state.apply(editor.remote(state, fiche(`En 2019, ${text}`)));
    expect(editor.highlighted(state).sort()).toEqual(['a repris le modèle néo', 'le modèle']);
    expect(locates.ids()).toEqual([]);
    state = state.apply(
      editor.remote(state, fiche(`En 2019, ${text.replace('le modèle', 'le beau modèle')}`)),
    );
    expect(editor.highlighted(state).sort()).toEqual(['a repris le beau modèle néo', 'le beau modèle']);
    expect(locates.ids().sort()).toEqual(['inner', 'outer']);
    expect(store.threadAt(state, rangeOfWords(state.doc, 'beau').from)).toBe('inner');
  });

  it('place threads given before the text arrived once it arrives', () => {
    const store = new CommentHighlights();
    const source = boundEditor(fiche(text), new CommentHighlights());
    const anchor = source.anchorOf(source.state.doc, 'repris le modèle');
    // The same Y.Doc, seen by an editor that has not received the text yet.
    const editor = boundEditor(origine(''), store);
    Y.applyUpdate(editor.ydoc, Y.encodeStateAsUpdate(source.ydoc));
    store.setThreads([thread('t1', anchor, 'repris le modèle')]);
    let state = EditorState.create({ doc: editor.state.doc, plugins: editor.state.plugins });
    expect(editor.highlighted(state)).toEqual([]);
    state = state.apply(editor.remote(state, fiche(text)));
    expect(editor.highlighted(state)).toEqual(['repris le modèle']);
  });

  it('decode only the new thread when one is added to a thousand', () => {
    const { store, editor, state, threads } = withThreads(origine(text, second), [
      ['words', 'repris le modèle'],
    ]);
    const { doc } = state;
    const locates = countLocates(store);
    // The plugin's state is computed when the view attaches; here, the store is given a view.
    store.attach({ state, isDestroyed: false, updateState: () => undefined } as unknown as EditorView);
    store.setThreads([...threads, thread('familles', editor.anchorOf(doc, 'familles'), 'familles')]);
    expect(locates.ids()).toEqual(['familles']);
    expect(editor.highlighted(state).sort()).toEqual(['familles', 'repris le modèle']);
  });
});

describe('the changed region of two documents', () => {
  const docOf = (json: DocJSON): PMNode => schema.nodeFromJSON(json);

  it('is null for equal documents, and the replaced span otherwise', () => {
    const a = docOf(origine('abc', 'def'));
    expect(changedRegion(a, docOf(origine('abc', 'def')))).toBeNull();
    const region = changedRegion(a, docOf(origine('abXc', 'def')));
    expect(region).not.toBeNull();
    expect(region && region.toNew - region.toOld).toBe(1);
    expect(region && region.from).toBe(rangeOfWords(a, 'c').from);
  });

  it('never ends before it starts when the insertion sits next to equal characters', () => {
    const a = docOf(origine('aXb', 'def'));
    const region = changedRegion(a, docOf(origine('aXXb', 'def')));
    expect(region).not.toBeNull();
    if (!region) return;
    expect(region.toOld).toBeGreaterThanOrEqual(region.from);
    expect(region.toNew - region.toOld).toBe(1);
    const deleted = changedRegion(docOf(origine('aXXb', 'def')), a);
    expect(deleted && deleted.toOld - deleted.toNew).toBe(1);
    expect(deleted && deleted.toNew).toBeGreaterThanOrEqual(deleted?.from ?? 0);
  });
});

describe('a thousand threads while someone else types', () => {
  it('decode no anchor for a keystroke away from every thread, and at most the one it touches', () => {
    const store = new CommentHighlights();
    const texts = Array.from({ length: 1000 }, (_, i) => `Phrase ${i} : les familles choisissent.`);
    const editor = boundEditor(origine(...texts), store);
    const { doc } = editor.state;
    store.setThreads(threadsOnEach(editor, 'familles'));
    let state = EditorState.create({ doc, plugins: editor.state.plugins });
    const locates = countLocates(store);
    let typed = texts;
    for (const word of ['x', 'y', 'z']) {
      typed = typed.map((t, i) => (i === 500 ? `${t}${word}` : t));
      state = state.apply(editor.remote(state, origine(...typed)));
    }
    expect(locates.ids()).toEqual([]);
    typed = typed.map((t, i) => (i === 500 ? t.replace('familles', 'famillesw') : t));
    state = state.apply(editor.remote(state, origine(...typed)));
    expect(locates.ids()).toEqual(['t500']);
    expect(editor.highlighted(state)).toHaveLength(1000);
  });
});
