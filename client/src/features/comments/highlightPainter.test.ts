// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import { EditorState, Plugin, PluginKey, TextSelection, type Transaction } from '@tiptap/pm/state';
import { Decoration, DecorationSet, EditorView } from '@tiptap/pm/view';
import { schema, type DocJSON } from '@essaim/editor';
import type { Range as DocRange } from './anchors.js';
import {
  CssHighlightPainter,
  HIGHLIGHT_NAMES,
  type HighlightApi,
  type PaintedThread,
} from './highlightPainter.js';
import { p, rangeOfWords, section } from './testFixtures.js';

/**
 * The painter against a real ProseMirror view in jsdom, with a stand-in for the browser's
 * `CSS.highlights` (a map of sets, as the API's maplike and setlike are) and jsdom's StaticRange.
 */

class FakeHighlight extends Set<AbstractRange> {
  priority = 0;
}

function fakeApi(): HighlightApi & { registry: Map<string, FakeHighlight> } {
  const registry = new Map<string, FakeHighlight>();
  return {
    registry: registry as unknown as HighlightRegistry & Map<string, FakeHighlight>,
    create: () => new FakeHighlight() as unknown as Highlight,
    staticRange: (init) => new StaticRange(init),
  };
}

/** A widget placed by a transaction's meta (like another person's caret): it splits a text node. */
const caretKey = new PluginKey<number | null>('fakeCaret');
const fakeCaret = new Plugin<number | null>({
  key: caretKey,
  state: {
    init: () => null,
    apply: (tr, value) => (tr.getMeta(caretKey) as number | null | undefined) ?? value,
  },
  props: {
    decorations: (state) => {
      const at = caretKey.getState(state);
      if (at === null || at === undefined) return DecorationSet.empty;
      const widget = document.createElement('span');
      widget.textContent = 'Bruno';
      return DecorationSet.create(state.doc, [Decoration.widget(at, widget)]);
    },
  },
});

const views: EditorView[] = [];
afterEach(() => {
  for (const view of views.splice(0)) view.destroy();
});

function viewOf(json: DocJSON): EditorView {
  const state = EditorState.create({ doc: schema.nodeFromJSON(json), plugins: [fakeCaret] });
  const view = new EditorView(document.body.appendChild(document.createElement('div')), { state });
  views.push(view);
  return view;
}

const fiche = (): DocJSON => ({
  type: 'doc',
  content: [
    section(
      's1',
      'Origine',
      p('Le conseil départemental a repris le modèle néo-zélandais en 2019.'),
      p('Les familles choisissent elles-mêmes leurs invités.'),
    ),
  ],
});

/** The text each static range of a highlight covers, in the page's DOM. */
function textsOf(api: ReturnType<typeof fakeApi>, name: string): string[] {
  return [...(api.registry.get(name) ?? [])].map((painted) => {
    const range = document.createRange();
    range.setStart(painted.startContainer, painted.startOffset);
    range.setEnd(painted.endContainer, painted.endOffset);
    return range.toString();
  });
}

const thread = (id: string, range: DocRange, extra: Partial<PaintedThread> = {}): PaintedThread => ({
  id,
  range,
  resolved: false,
  active: false,
  ...extra,
});

/** Threads on `words`, placed in the view's current document. */
function threadsOn(view: EditorView, spec: [id: string, words: string, extra?: Partial<PaintedThread>][]) {
  return spec.map(([id, words, extra]) => thread(id, rangeOfWords(view.state.doc, words), extra));
}

function apply(view: EditorView, tr: Transaction): void {
  view.dispatch(tr);
}

describe('custom highlights of commented words', () => {
  it('paint each thread’s words as a range of the page, registered under the highlight names, with no element added', () => {
    const view = viewOf(fiche());
    const html = view.dom.innerHTML;
    const api = fakeApi();
    const painter = new CssHighlightPainter(api);
    const stats = painter.sync(
      view,
      threadsOn(view, [
        ['a', 'repris le modèle'],
        ['b', 'leurs invités', { resolved: true }],
        ['c', 'Les familles', { active: true }],
      ]),
    );
    expect(stats).toEqual({ lookedUp: 3, drawn: 3 });
    expect(textsOf(api, HIGHLIGHT_NAMES.open)).toEqual(['repris le modèle']);
    expect(textsOf(api, HIGHLIGHT_NAMES.resolved)).toEqual(['leurs invités']);
    expect(textsOf(api, HIGHLIGHT_NAMES.active)).toEqual(['Les familles']);
    expect(api.registry.get(HIGHLIGHT_NAMES.active)?.priority).toBeGreaterThan(
      api.registry.get(HIGHLIGHT_NAMES.open)?.priority ?? 0,
    );
    expect(view.dom.innerHTML).toBe(html);
  });

  it('look up again only the threads of the paragraph a keystroke changed, the others shifted as they are', () => {
    const view = viewOf(fiche());
    const api = fakeApi();
    const painter = new CssHighlightPainter(api);
    painter.sync(
      view,
      threadsOn(view, [
        ['first', 'repris le modèle'],
        ['second', 'leurs invités'],
      ]),
    );
    // Typed at the start of the first paragraph: both threads move in the document.
    const at = rangeOfWords(view.state.doc, 'Le conseil').from;
    apply(view, view.state.tr.insertText('Depuis 2017, ', at));
    const stats = painter.sync(
      view,
      threadsOn(view, [
        ['first', 'repris le modèle'],
        ['second', 'leurs invités'],
      ]),
    );
    expect(stats.lookedUp).toBe(1);
    expect(textsOf(api, HIGHLIGHT_NAMES.open).sort()).toEqual(['leurs invités', 'repris le modèle']);
  });

  it('look up again a thread whose text node another person’s caret split, without any change of the document', () => {
    const view = viewOf(fiche());
    const api = fakeApi();
    const painter = new CssHighlightPainter(api);
    const threads = threadsOn(view, [['t', 'le modèle néo-zélandais']]);
    painter.sync(view, threads);
    apply(view, view.state.tr.setMeta(caretKey, rangeOfWords(view.state.doc, 'Le conseil').from + 3));
    expect(painter.sync(view, threads).lookedUp).toBe(1);
    expect(textsOf(api, HIGHLIGHT_NAMES.open)).toEqual(['le modèle néo-zélandais']);
    // Nothing moved since: nothing is looked up.
    expect(painter.sync(view, threads).lookedUp).toBe(0);
  });

  it('draw the words of two overlapping threads in the overlap layer, and follow the active thread without looking it up', () => {
    const view = viewOf(fiche());
    const api = fakeApi();
    const painter = new CssHighlightPainter(api);
    const spec: [string, string][] = [
      ['outer', 'a repris le modèle néo'],
      ['inner', 'le modèle'],
    ];
    painter.sync(view, threadsOn(view, spec));
    expect(textsOf(api, HIGHLIGHT_NAMES.overlap)).toEqual(['le modèle']);
    const stats = painter.sync(
      view,
      threadsOn(view, spec).map((t) => ({ ...t, active: t.id === 'inner' })),
    );
    expect(stats.lookedUp).toBe(0);
    expect(textsOf(api, HIGHLIGHT_NAMES.active)).toEqual(['le modèle']);
    expect(textsOf(api, HIGHLIGHT_NAMES.open)).toEqual(['a repris le modèle néo']);
    expect(textsOf(api, HIGHLIGHT_NAMES.overlap)).toEqual(['le modèle']);
    // Threads that only touch do not overlap.
    painter.sync(
      view,
      threadsOn(view, [
        ['left', 'repris le'],
        ['right', ' modèle'],
      ]),
    );
    expect(textsOf(api, HIGHLIGHT_NAMES.overlap)).toEqual([]);
  });

  it('drop the threads no longer drawn, and leave the page’s registry as it found it when destroyed', () => {
    const view = viewOf(fiche());
    const api = fakeApi();
    const painter = new CssHighlightPainter(api);
    painter.sync(
      view,
      threadsOn(view, [
        ['a', 'repris le modèle'],
        ['b', 'leurs invités'],
      ]),
    );
    expect(painter.sync(view, threadsOn(view, [['b', 'leurs invités']]))).toEqual({ lookedUp: 0, drawn: 1 });
    expect(textsOf(api, HIGHLIGHT_NAMES.open)).toEqual(['leurs invités']);
    painter.destroy();
    expect([...api.registry.keys()]).toEqual([]);
  });

  it('have nothing to do in a frame where neither the threads, the document nor the DOM changed', () => {
    const view = viewOf(fiche());
    const painter = new CssHighlightPainter(fakeApi());
    const threads = threadsOn(view, [['t', 'leurs invités']]);
    const key = {};
    painter.sync(view, threads, key);
    expect(painter.needsSync(view, key)).toBe(false);
    // A selection moved: same document, same DOM.
    apply(view, view.state.tr.setSelection(TextSelection.create(view.state.doc, 3)));
    expect(painter.needsSync(view, key)).toBe(false);
    apply(view, view.state.tr.insertText('x', rangeOfWords(view.state.doc, 'Le conseil').from));
    expect(painter.needsSync(view, key)).toBe(true);
    expect(painter.needsSync(view, {})).toBe(true);
  });

  it('draw only the words near the screen, and the others once the page scrolled to them', () => {
    const view = viewOf(fiche());
    const api = fakeApi();
    let near: DocRange = rangeOfWords(view.state.doc, 'Le conseil départemental a repris le modèle');
    let asked = 0;
    const painter = new CssHighlightPainter(api, {
      visibleRange: () => near,
      invalidate: () => asked++,
    });
    const spec: [string, string, Partial<PaintedThread>?][] = [
      ['first', 'repris le modèle'],
      ['far', 'leurs invités'],
      ['open', 'Les familles', { active: true }],
    ];
    const key = {};
    expect(painter.sync(view, threadsOn(view, spec), key).drawn).toBe(2);
    expect(textsOf(api, HIGHLIGHT_NAMES.open)).toEqual(['repris le modèle']);
    // The thread open in the panel is drawn wherever it is.
    expect(textsOf(api, HIGHLIGHT_NAMES.active)).toEqual(['Les familles']);
    near = rangeOfWords(view.state.doc, 'leurs invités');
    window.dispatchEvent(new Event('scroll'));
    expect(asked).toBe(1);
    expect(painter.needsSync(view, key)).toBe(true);
    painter.sync(view, threadsOn(view, spec), key);
    expect(textsOf(api, HIGHLIGHT_NAMES.open)).toEqual(['leurs invités']);
    painter.destroy();
    window.dispatchEvent(new Event('scroll'));
    expect(asked).toBe(1);
  });

  it('ask the page’s layout what is near the screen only after a scroll or a change of structure, not at each keystroke', () => {
    const view = viewOf(fiche());
    let asked = 0;
    const painter = new CssHighlightPainter(fakeApi(), {
      visibleRange: () => {
        asked++;
        return { from: 0, to: view.state.doc.content.size };
      },
    });
    const threads = () => threadsOn(view, [['t', 'leurs invités']]);
    painter.sync(view, threads());
    expect(asked).toBe(1);
    apply(view, view.state.tr.insertText('Depuis 2017, ', rangeOfWords(view.state.doc, 'Le conseil').from));
    painter.sync(view, threads());
    expect(asked).toBe(1);
    window.dispatchEvent(new Event('scroll'));
    painter.sync(view, threads());
    expect(asked).toBe(2);
    apply(view, view.state.tr.split(rangeOfWords(view.state.doc, 'a repris').from));
    painter.sync(view, threads());
    expect(asked).toBe(3);
    painter.destroy();
  });

  it('follow words that a change moved to another paragraph (a split before them)', () => {
    const view = viewOf(fiche());
    const api = fakeApi();
    const painter = new CssHighlightPainter(api);
    painter.sync(view, threadsOn(view, [['t', 'repris le modèle']]));
    apply(view, view.state.tr.split(rangeOfWords(view.state.doc, 'a repris').from));
    const stats = painter.sync(view, threadsOn(view, [['t', 'repris le modèle']]));
    expect(stats.lookedUp).toBe(1);
    expect(textsOf(api, HIGHLIGHT_NAMES.open)).toEqual(['repris le modèle']);
  });
});
