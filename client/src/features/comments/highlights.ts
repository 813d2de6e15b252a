import type { Editor } from '@tiptap/core';
import type { Node as PMNode } from '@tiptap/pm/model';
import { Plugin, PluginKey, type EditorState, type Transaction } from '@tiptap/pm/state';
import { Mapping, StepMap } from '@tiptap/pm/transform';
import { Decoration, DecorationSet, type EditorView } from '@tiptap/pm/view';
import { ySyncPluginKey } from '@tiptap/y-tiptap';
import { changedRegion, insideOneTextblock } from './changedRegion.js';
import {
  CssHighlightPainter,
  highlightApiOf,
  type HighlightApi,
  type PaintedThread,
} from './highlightPainter.js';
import {
  findQuote,
  normalizeQuote,
  quoteOf,
  rangeOfAnchor,
  yBindingOf,
  type DecodedAnchor,
  type Range,
} from './anchors.js';

/**
 * Highlights of commented words: nothing is written to the document or the Y.Doc, no mark, no
 * attribute, and no transaction is dispatched for them (a membre's read-only editor stays
 * untouched). The page gives the threads to {@link CommentHighlights} (one per editor: {@link highlightsOf});
 * the words are found from the threads' Yjs relative positions.
 *
 * Painted with the CSS Custom Highlight API when the browser has it (highlightPainter.ts: no span
 * in the editor's DOM, ranges looked up once per animation frame, only for the threads a change
 * touched), else as ProseMirror inline decorations (`.essaim-comment` spans).
 *
 * Cost: the person's own typing maps the highlights through its transaction. A change that comes
 * through Yjs (another person's edit, which y-tiptap applies by replacing the whole document, so
 * its transaction maps nothing) is mapped through the difference of the two documents: only the
 * threads whose words touch the changed region are decoded again. When the threads change, only
 * new or moved anchors are decoded. A thousand threads thus cost nothing per keystroke.
 */

/** A thread as the highlights need it. */
export interface HighlightedThread {
  id: string;
  /** Null for a whole-section or orphaned thread (nothing to highlight). */
  anchor: DecodedAnchor | null;
  /** The words expected under the anchor (the server's current quote, or the original one). */
  expected: string;
  /** Section the thread belongs to, where its words are looked for again if the anchor moved. */
  sectionId: string;
  resolved: boolean;
  /** Drawn in the text (threads hidden by the panel's filter are placed but not drawn). */
  shown: boolean;
}

/** Where a thread's words are now, and in which section. */
export interface ThreadPlacement {
  from: number;
  to: number;
  sectionId: string | null;
}

/**
 * How the highlights are painted: `css`, custom highlights (`CSS.highlights`), or `decorations`,
 * ProseMirror inline decorations, for browsers without the Custom Highlight API.
 */
export type HighlightPaint = 'css' | 'decorations';

/** `css` when this page's browser has the Custom Highlight API, else `decorations`. */
export function defaultPaint(): HighlightPaint {
  return typeof window !== 'undefined' && highlightApiOf(window) ? 'css' : 'decorations';
}

/** What the page does when the person acts in the text. */
export interface HighlightHandlers {
  /** Highlighted words were clicked: open their thread (innermost when threads overlap). */
  open: (threadId: string) => void;
}

interface HighlightState {
  /** The threads' version ({@link CommentHighlights.setThreads}) this state was computed for. */
  version: number;
  doc: PMNode;
  ranges: ReadonlyMap<string, Range>;
  /** The decorations drawn (always empty when painting with custom highlights). */
  set: DecorationSet;
}

export { changedRegion, type ChangedRegion } from './changedRegion.js';

const key = new PluginKey<HighlightState>('essaimCommentHighlights');

const sectionIdOf = (node: PMNode | null | undefined): string | null =>
  node?.type.name === 'section' && typeof node.attrs.id === 'string' ? node.attrs.id : null;

/** The top-level section holding `pos`, with its range. */
function sectionAround(doc: PMNode, pos: number): { id: string | null; range: Range } | null {
  if (doc.childCount === 0) return null;
  const index = doc.resolve(Math.max(0, Math.min(pos, doc.content.size))).index(0);
  const child = doc.maybeChild(Math.min(index, doc.childCount - 1));
  if (!child) return null;
  let start = 0;
  for (let i = 0; i < Math.min(index, doc.childCount - 1); i++) start += doc.child(i).nodeSize;
  return { id: sectionIdOf(child), range: { from: start, to: start + child.nodeSize } };
}

function sectionById(doc: PMNode, id: string): Range | null {
  let found: Range | null = null;
  doc.forEach((child, offset) => {
    if (!found && sectionIdOf(child) === id) found = { from: offset, to: offset + child.nodeSize };
  });
  return found;
}

/**
 * The highlights' store: one per editor ({@link highlightsOf}), fed by the comments hook with
 * {@link setThreads} and {@link setActive}, read by the panel through {@link subscribe} and
 * {@link placements}.
 */
export class CommentHighlights {
  /** How the highlights are painted (fixed for the store's life). */
  readonly paint: HighlightPaint;
  private threads: HighlightedThread[] = [];
  private version = 0;
  private expectedOf = new Map<string, string>();
  private activeId: string | null = null;
  private view: EditorView | null = null;
  /** A state computed outside a transaction (threads changed), for the document it was computed on. */
  private replacement: HighlightState | null = null;
  private listeners = new Set<() => void>();
  private layout: ReadonlyMap<string, ThreadPlacement> = new Map();
  private layoutKey = '';
  private layoutTimer: ReturnType<typeof setTimeout> | null = null;
  private handlers: HighlightHandlers = { open: () => undefined };
  private painter: CssHighlightPainter | null = null;
  private paintFrame: number | null = null;
  /** Whether the last {@link follow} may have changed the threads' order or sections. */
  private followReordered = true;
  /** What the painter last drew: the state, the threads' version and the active thread. */
  private painted: { state: HighlightState; version: number; active: string | null } | null = null;
  private readonly highlightApi: (view: EditorView) => HighlightApi | null;

  /**
   * `paint` defaults to custom highlights when the page's browser has them ({@link defaultPaint});
   * `highlightApi` gives the painter the API of a view's window (a fake one in unit tests).
   */
  constructor({
    paint = defaultPaint(),
    highlightApi = (view: EditorView) => highlightApiOf(view.dom.ownerDocument.defaultView),
  }: { paint?: HighlightPaint; highlightApi?: (view: EditorView) => HighlightApi | null } = {}) {
    this.paint = paint;
    this.highlightApi = highlightApi;
  }

  /** What clicks in the text do (set by the page, which changes them at each render). */
  setHandlers(handlers: HighlightHandlers): void {
    this.handlers = handlers;
  }

  /** @internal Highlighted words were clicked. */
  clicked(threadId: string): void {
    this.handlers.open(threadId);
  }

  /** The threads to place (all of them) and draw (`shown`). Redraws at once. */
  setThreads(threads: HighlightedThread[]): void {
    const before = new Map(this.threads.map((t) => [t.id, t]));
    const expectedBefore = this.expectedOf;
    this.threads = threads;
    this.version++;
    this.expectedOf = new Map(threads.map((t) => [t.id, normalizeQuote(t.expected)]));
    // A thread whose anchor (the same decoded object) and words are unchanged keeps its range.
    this.redraw(
      (t) => before.get(t.id)?.anchor === t.anchor && expectedBefore.get(t.id) === this.expectedOf.get(t.id),
    );
  }

  /** The thread whose words stand out (open in the panel), or null. */
  setActive(threadId: string | null): void {
    if (threadId === this.activeId) return;
    this.activeId = threadId;
    this.redraw(() => true);
  }

  get active(): string | null {
    return this.activeId;
  }

  /**
   * Where each anchored thread's words are (threads whose words are not found are absent), in
   * document order, with their section. Computed again when the order or the sections may have
   * changed, not after typing inside one paragraph: the positions are those of that moment.
   */
  placements(): ReadonlyMap<string, ThreadPlacement> {
    return this.layout;
  }

  /** Called when placements change (order, section, found or not); not on every keystroke. */
  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getPlacements = (): ReadonlyMap<string, ThreadPlacement> => this.layout;

  /** The range of a thread's words in the editor now, or null. */
  rangeOf(threadId: string): Range | null {
    const state = this.view ? this.current(this.view.state) : null;
    return state?.ranges.get(threadId) ?? null;
  }

  /**
   * The innermost drawn thread at `pos` (the most precise one when threads overlap): the words
   * under a click (ProseMirror's `posAtCoords`) or the caret. Threads hidden by the panel's
   * filter are not drawn, so not found.
   */
  threadAt(state: EditorState, pos: number): string | null {
    const { ranges } = this.current(state);
    let best: { id: string; size: number } | null = null;
    for (const thread of this.threads) {
      if (!this.drawn(thread)) continue;
      const range = ranges.get(thread.id);
      if (!range || pos < range.from || pos >= range.to) continue;
      const size = range.to - range.from;
      if (!best || size < best.size) best = { id: thread.id, size };
    }
    return best?.id ?? null;
  }

  /** @internal The plugin's view is attached. */
  attach(view: EditorView): void {
    this.view = view;
    if (this.paint === 'css') {
      const api = this.highlightApi(view);
      this.painter = api ? new CssHighlightPainter(api, { invalidate: () => this.schedulePaint() }) : null;
      this.schedulePaint();
    }
    // Not while ProseMirror is still building the view.
    // Only if the threads changed since the plugin's state was computed (they are decoded once).
    // The plugin may join an editor whose store was fed already (issue 16): the panel then hears
    // where the threads are at once.
    queueMicrotask(() => {
      if (this.view !== view) return;
      const state = this.current(view.state);
      if (state.version !== this.version) this.redraw(() => false);
      else if (this.threads.length > 0) this.placementsChanged(state, 0);
    });
  }

  /** @internal The view drew a new state (or the same one again): custom highlights follow. */
  viewUpdated(view: EditorView): void {
    if (view === this.view && this.painter) this.schedulePaint();
  }

  /** @internal */
  detach(view: EditorView): void {
    if (this.view !== view) return;
    this.view = null;
    if (this.layoutTimer) clearTimeout(this.layoutTimer);
    if (this.paintFrame !== null) cancelAnimationFrame(this.paintFrame);
    this.paintFrame = null;
    this.painter?.destroy();
    this.painter = null;
  }

  /**
   * Paints the custom highlights before the next frame is drawn (once per frame, however many
   * transactions came): the DOM is final by then, and nothing was painted in between.
   */
  private schedulePaint(): void {
    if (this.paintFrame !== null) return;
    this.paintFrame = requestAnimationFrame(() => {
      this.paintFrame = null;
      this.paintNow();
    });
  }

  /**
   * @internal Paints the custom highlights now (the frame's callback; tests call it directly).
   * Returns what the painter did, or null when nothing paints here.
   */
  paintNow(): ReturnType<CssHighlightPainter['sync']> | null {
    const view = this.view;
    if (!view || view.isDestroyed || !this.painter) return null;
    const state = this.current(view.state);
    const last = this.painted;
    const key =
      last && last.state === state && last.version === this.version && last.active === this.activeId
        ? last
        : (this.painted = { state, version: this.version, active: this.activeId });
    if (!this.painter.needsSync(view, key)) return { lookedUp: 0, drawn: this.painter.drawnCount };
    const { ranges } = state;
    const painted: PaintedThread[] = [];
    for (const thread of this.threads) {
      if (!this.drawn(thread)) continue;
      const range = ranges.get(thread.id);
      if (range)
        painted.push({
          id: thread.id,
          range,
          resolved: thread.resolved,
          active: thread.id === this.activeId,
        });
    }
    return this.painter.sync(view, painted, key);
  }

  /** Whether a thread's words are drawn: shown by the panel's filter, or open in the panel. */
  private drawn(thread: HighlightedThread): boolean {
    return thread.shown || thread.id === this.activeId;
  }

  /** @internal What is drawn for `state`: a state computed since its last transaction, or the plugin's. */
  current(state: EditorState): HighlightState {
    const replacement = this.replacement;
    if (replacement && replacement.doc === state.doc) return replacement;
    return (
      key.getState(state) ?? { version: -1, doc: state.doc, ranges: new Map(), set: DecorationSet.empty }
    );
  }

  /**
   * @internal Places every thread in `state` and draws the shown ones: a thread for which `keep`
   * says yes keeps its range in `previous` (when `previous` is of the same document), the others
   * are decoded from their anchors.
   */
  compute(
    state: EditorState,
    previous: HighlightState | null = null,
    keep: (thread: HighlightedThread) => boolean = () => false,
  ): HighlightState {
    const { doc } = state;
    const binding = yBindingOf(state);
    const ranges = new Map<string, Range>();
    const decorations: Decoration[] = [];
    const kept = previous?.doc === doc ? previous.ranges : null;
    if (binding && binding.mapping.size > 0) {
      for (const thread of this.threads) {
        if (!thread.anchor) continue;
        const known = kept && keep(thread) ? kept.get(thread.id) : undefined;
        const range = known ?? this.locate(thread, doc, rangeOfAnchor(binding, doc, thread.anchor));
        if (!range) continue;
        ranges.set(thread.id, range);
        if (this.paint === 'decorations' && this.drawn(thread))
          decorations.push(this.decoration(thread, range));
      }
    }
    const set = decorations.length > 0 ? DecorationSet.create(doc, decorations) : DecorationSet.empty;
    return { version: this.version, doc, ranges, set };
  }

  /**
   * @internal A transaction. The person's own change is mapped through `tr.mapping`. A change that
   * came through Yjs (y-tiptap replaces the whole document, so `tr.mapping` maps nothing) is
   * mapped through the difference of the two documents ({@link changedRegion}): highlights away
   * from it are kept or shifted, and only the threads whose words touch it, or were not found
   * before, are decoded again ({@link follow}).
   */
  apply(
    tr: Transaction,
    value: HighlightState,
    oldState: EditorState,
    newState: EditorState,
  ): HighlightState {
    // `value` unless the threads changed since `oldState` (then the state computed for them).
    const base = this.current(oldState);
    if (!tr.docChanged) return base.doc === newState.doc ? base : { ...base, doc: newState.doc };
    if (tr.getMeta(ySyncPluginKey) !== undefined) {
      const next = this.follow(base, newState);
      if (next !== base && this.followReordered) this.placementsChanged(next, 0);
      return next;
    }
    const ranges = new Map<string, Range>();
    for (const [id, range] of base.ranges) {
      const from = tr.mapping.map(range.from, 1);
      const to = tr.mapping.map(range.to, -1);
      if (from < to) ranges.set(id, { from, to });
    }
    const set = base.set === DecorationSet.empty ? base.set : base.set.map(tr.mapping, tr.doc);
    const next = { version: base.version, doc: newState.doc, ranges, set };
    // Typing inside one paragraph keeps the threads' order and sections: the panel needs nothing.
    const region = changedRegion(oldState.doc, newState.doc);
    if (
      ranges.size !== base.ranges.size ||
      !region ||
      !insideOneTextblock(oldState.doc, newState.doc, region)
    )
      this.placementsChanged(next, 250);
    return next;
  }

  /**
   * @internal The highlights of `base` (drawn on `base.doc`) on `state.doc`, after a change that
   * came through Yjs. Ranges entirely before the changed region are kept, ranges entirely after it
   * shifted by its change of length; threads whose range touches it (ends included: the diff of an
   * insertion next to equal characters is ambiguous), and anchored threads not placed before, are
   * decoded again. Everything is decoded when most threads need it. Returns `base` itself when
   * the two documents are equal.
   */
  follow(base: HighlightState, state: EditorState): HighlightState {
    const { doc } = state;
    const region = changedRegion(base.doc, doc);
    this.followReordered = true;
    if (!region) return base.doc === doc ? base : { ...base, doc };
    if (base.version !== this.version) return this.compute(state);
    const binding = yBindingOf(state);
    const redo = new Set<string>();
    for (const thread of this.threads) {
      if (!thread.anchor) continue;
      const range = base.ranges.get(thread.id);
      if (!range || (range.to >= region.from && range.from <= region.toOld)) redo.add(thread.id);
    }
    if (!binding || binding.mapping.size === 0 || redo.size * 2 > this.threads.length)
      return this.compute(state);
    // Nothing decoded again and the change inside one paragraph: order and sections are the same.
    this.followReordered = redo.size > 0 || !insideOneTextblock(base.doc, doc, region);
    const shift = region.toNew - region.toOld;
    const ranges = new Map<string, Range>();
    for (const [id, range] of base.ranges) {
      if (redo.has(id)) continue;
      ranges.set(id, range.from > region.toOld ? { from: range.from + shift, to: range.to + shift } : range);
    }
    const mapping = new Mapping([
      new StepMap([region.from, region.toOld - region.from, region.toNew - region.from]),
    ]);
    let set = base.set === DecorationSet.empty ? base.set : base.set.map(mapping, doc);
    if (redo.size > 0) {
      if (set !== DecorationSet.empty)
        set = set.remove(
          set.find(undefined, undefined, (spec: { threadId?: unknown }) => redo.has(String(spec.threadId))),
        );
      const added: Decoration[] = [];
      for (const thread of this.threads) {
        if (!thread.anchor || !redo.has(thread.id)) continue;
        const range = this.locate(thread, doc, rangeOfAnchor(binding, doc, thread.anchor));
        if (!range) continue;
        ranges.set(thread.id, range);
        if (this.paint === 'decorations' && this.drawn(thread)) added.push(this.decoration(thread, range));
      }
      if (added.length > 0) set = set.add(doc, added);
    }
    return { version: base.version, doc, ranges, set };
  }

  /**
   * The words of `thread` in `doc`: the decoded range when it holds the expected words; else those
   * words found again near it in the same section (a paragraph split moved them, y-prosemirror#204);
   * else the decoded range as it is (the words were edited); else nothing (collapsed).
   */
  private locate(thread: HighlightedThread, doc: PMNode, decoded: Range | null): Range | null {
    const expected = this.expectedOf.get(thread.id) ?? '';
    if (decoded && normalizeQuote(quoteOf(doc, decoded)) === expected) return decoded;
    const near = decoded?.from ?? null;
    const around =
      near !== null ? sectionAround(doc, near)?.range : (sectionById(doc, thread.sectionId) ?? undefined);
    if (around && expected) {
      const found = findQuote(doc, expected, around, near ?? around.from);
      if (found) return found;
    }
    return decoded;
  }

  private decoration(thread: HighlightedThread, range: Range): Decoration {
    let className = 'essaim-comment';
    if (thread.resolved) className += ' essaim-comment--resolved';
    if (thread.id === this.activeId) className += ' essaim-comment--active';
    return Decoration.inline(range.from, range.to, { class: className }, { threadId: thread.id });
  }

  /**
   * Computes the highlights for the view's state and draws them, without a transaction; threads
   * for which `keep` says yes keep their current range (see {@link compute}).
   */
  private redraw(keep: (thread: HighlightedThread) => boolean): void {
    const view = this.view;
    if (!view || view.isDestroyed) return;
    const next = this.compute(view.state, this.current(view.state), keep);
    this.replacement = next;
    // Same state: ProseMirror only asks the plugins for their decorations again and redraws.
    view.updateState(view.state);
    this.placementsChanged(next, 0);
  }

  /** Tells the panel when the order or sections of the threads changed (`delay` ms later at most). */
  private placementsChanged(state: HighlightState, delay: number): void {
    if (this.layoutTimer) clearTimeout(this.layoutTimer);
    this.layoutTimer = setTimeout(() => {
      this.layoutTimer = null;
      const view = this.view;
      const latest = view ? this.current(view.state) : state;
      const layout = new Map<string, ThreadPlacement>();
      const entries = [...latest.ranges].sort((a, b) => a[1].from - b[1].from || a[1].to - b[1].to);
      let signature = '';
      for (const [id, range] of entries) {
        const sectionId = sectionAround(latest.doc, range.from)?.id ?? null;
        layout.set(id, { ...range, sectionId });
        signature += `${id}:${sectionId ?? ''};`;
      }
      this.layout = layout;
      if (signature === this.layoutKey) return;
      this.layoutKey = signature;
      for (const listener of this.listeners) listener();
    }, delay);
  }
}

/** The ProseMirror plugin drawing the highlights of `store` (exported for unit tests). */
export function commentHighlightsPlugin(store: CommentHighlights): Plugin<HighlightState> {
  return new Plugin<HighlightState>({
    key,
    state: {
      init: (_config, state) => store.compute(state),
      apply: (tr, value, oldState, newState) => store.apply(tr, value, oldState, newState),
    },
    props: {
      decorations: (state) => store.current(state).set,
      handleClick: (view, pos) => {
        // A click, not the end of a selection made by dragging.
        if (!view.state.selection.empty) return false;
        const id = store.threadAt(view.state, pos);
        if (id) store.clicked(id);
        // The caret is still placed where the person clicked.
        return false;
      },
    },
    view: (view) => {
      store.attach(view);
      return { update: (updated) => store.viewUpdated(updated), destroy: () => store.detach(view) };
    },
  });
}

const stores = new WeakMap<Editor, CommentHighlights>();

/**
 * The highlights' store of `editor`, created at the first call. Its plugin
 * ({@link commentHighlightsPlugin}) joins the editor after the first drawing, with the late
 * behaviour (editor/installLateBehaviour.ts, issue 16): the comments hook may feed the store
 * before or after that; the plugin draws what the store holds when it arrives.
 */
export function highlightsOf(editor: Editor): CommentHighlights {
  let store = stores.get(editor);
  if (!store) {
    store = new CommentHighlights();
    stores.set(editor, store);
  }
  return store;
}
