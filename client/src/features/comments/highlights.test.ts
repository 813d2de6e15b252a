import { describe, expect, it } from 'vitest';
import { Fragment, Slice, type Node as PMNode } from '@tiptap/pm/model';
import { EditorState, Plugin } from '@tiptap/pm/state';
import type { DecorationSet } from '@tiptap/pm/view';
import { initProseMirrorDoc, updateYFragment, ySyncPluginKey } from '@tiptap/y-tiptap';
import * as Y from 'yjs';
import { schema, writeJSONToYdoc, type DocJSON } from '@essaim/editor';
import { FRAGMENT } from '@essaim/protocol';
import { decodeAnchor, encodeAnchor, type ProsemirrorMapping, type Range } from './anchors.js';
import { CommentHighlights, commentHighlightsPlugin, type HighlightedThread } from './highlights.js';

const p = (text: string): DocJSON => ({ type: 'paragraph', content: text ? [{ type: 'text', text }] : [] });
const section = (id: string, title: string, blocks: DocJSON[]): DocJSON => ({
  type: 'section',
  attrs: { id, key: null },
  content: [{ type: 'sectionTitle', content: [{ type: 'text', text: title }] }, ...blocks],
});

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

function rangeOfWords(doc: PMNode, words: string): Range {
  let found: Range | null = null;
  doc.descendants((node, pos) => {
    if (found || !node.isText || !node.text) return !found;
    const at = node.text.indexOf(words);
    if (at >= 0) found = { from: pos + at, to: pos + at + words.length };
    return false;
  });
  if (!found) throw new Error(`« ${words} » introuvable`);
  return found;
}

const text = 'Le conseil départemental a repris le modèle néo-zélandais.';
const fiche = (first: string): DocJSON => ({
  type: 'doc',
  content: [section('s1', 'Origine', [p(first), p('Les familles choisissent.')])],
});

const thread = (id: string, anchor: HighlightedThread['anchor'], expected: string): HighlightedThread => ({
  id,
  anchor,
  expected,
  sectionId: 's1',
  resolved: false,
  shown: true,
});

describe('highlights of commented words', () => {
  it('are drawn from the threads’ anchors as decorations, without changing the document', () => {
    const store = new CommentHighlights();
    const editor = boundEditor(fiche(text), store);
    store.setThreads([
      thread('t1', editor.anchorOf(editor.state.doc, 'repris le modèle'), 'repris le modèle'),
    ]);
    const state = EditorState.create({ doc: editor.state.doc, plugins: editor.state.plugins });
    expect(editor.highlighted(state)).toEqual(['repris le modèle']);
    expect(state.doc.eq(editor.state.doc)).toBe(true);
  });

  it('follow the person’s own typing by mapping, and someone else’s change by decoding the anchors again', () => {
    const store = new CommentHighlights();
    const editor = boundEditor(fiche(text), store);
    store.setThreads([
      thread('t1', editor.anchorOf(editor.state.doc, 'repris le modèle'), 'repris le modèle'),
    ]);
    let state = EditorState.create({ doc: editor.state.doc, plugins: editor.state.plugins });

    // Typing before the words, then inside them.
    state = state.apply(state.tr.insertText('En 2019, ', rangeOfWords(state.doc, 'Le conseil').from));
    state = state.apply(state.tr.insertText('fidèlement ', rangeOfWords(state.doc, 'le modèle').from));
    expect(editor.highlighted(state)).toEqual(['repris fidèlement le modèle']);

    // Someone else's change arrives through Yjs: y-tiptap replaces the whole document.
    state = state.apply(editor.remote(state, fiche(`Depuis 2018, ${text}`)));
    expect(editor.highlighted(state)).toEqual(['repris le modèle']);
  });

  it('find the words again when the paragraph was split before them (y-prosemirror#204), and drop deleted ones', () => {
    const store = new CommentHighlights();
    const editor = boundEditor(fiche(text), store);
    store.setThreads([
      thread('t1', editor.anchorOf(editor.state.doc, 'repris le modèle'), 'repris le modèle'),
    ]);
    let state = EditorState.create({ doc: editor.state.doc, plugins: editor.state.plugins });
    state = state.apply(
      editor.remote(state, {
        type: 'doc',
        content: [
          section('s1', 'Origine', [
            p('Le conseil départemental a '),
            p('repris le modèle néo-zélandais.'),
            p('Les familles choisissent.'),
          ]),
        ],
      }),
    );
    expect(editor.highlighted(state)).toEqual(['repris le modèle']);
    state = state.apply(editor.remote(state, fiche('Le conseil départemental a néo-zélandais.')));
    expect(editor.highlighted(state)).toEqual([]);
  });

  it('keep both of two overlapping threads, the innermost one answering a click', () => {
    const store = new CommentHighlights();
    const editor = boundEditor(fiche(text), store);
    const { doc } = editor.state;
    store.setThreads([
      thread('outer', editor.anchorOf(doc, 'a repris le modèle néo'), 'a repris le modèle néo'),
      thread('inner', editor.anchorOf(doc, 'le modèle'), 'le modèle'),
    ]);
    const state = EditorState.create({ doc, plugins: editor.state.plugins });
    expect(editor.highlighted(state).sort()).toEqual(['a repris le modèle néo', 'le modèle']);
    expect(store.threadAt(state, rangeOfWords(doc, 'modèle').from)).toBe('inner');
    expect(store.threadAt(state, rangeOfWords(doc, 'repris').from)).toBe('outer');
  });

  it('cost little per keystroke with a thousand threads: typing maps, it does not decode', () => {
    const store = new CommentHighlights();
    const paragraphs = Array.from({ length: 1000 }, (_, i) =>
      p(`Phrase ${i} : les familles choisissent leurs invités.`),
    );
    const editor = boundEditor({ type: 'doc', content: [section('s1', 'Origine', paragraphs)] }, store);
    const { doc } = editor.state;
    const threads: HighlightedThread[] = [];
    doc.descendants((node, pos) => {
      if (!node.isText || !node.text) return true;
      const at = node.text.indexOf('familles');
      if (at >= 0)
        threads.push(
          thread(
            `t${threads.length}`,
            editor.anchorAt({ from: pos + at, to: pos + at + 'familles'.length }),
            'familles',
          ),
        );
      return false;
    });
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
