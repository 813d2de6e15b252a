import type { Node as PMNode } from '@tiptap/pm/model';
import type { EditorView } from '@tiptap/pm/view';
import type { Range } from './anchors.js';
import { changedRegion, insideOneTextblock, widenToTextblocks, type ChangedRegion } from './changedRegion.js';

/**
 * Commented words painted with the CSS Custom Highlight API (`CSS.highlights`, `::highlight()`:
 * Chromium 105+, Safari 17.2+, Firefox 140+) instead of ProseMirror decorations: the editor's DOM
 * gets no span, so the text is laid out exactly as without threads (a thousand decoration spans
 * cost one more layout of a 100-page text at opening, and a longer DOM walk at each React commit
 * while typing: docs/PERFORMANCE.md, section h). Nothing is written to the document.
 *
 * Each thread's words become one `StaticRange` over the editor's DOM, found with `view.domAtPos`.
 * Static ranges cost nothing when the DOM changes (a live `Range` is updated by the browser at
 * every mutation), so they are checked instead: a MutationObserver notes the nodes ProseMirror
 * changed or removed since the last paint (text typed, a paragraph drawn again, another person's
 * caret splitting a text node), and a range is kept while neither of its end nodes is among them
 * and its words were not in a textblock the document's change touched; only the other ones are
 * looked up again. A keystroke thus looks up the threads of its own paragraph, and a frame where
 * nothing changed costs nothing.
 *
 * Only the words near the screen are registered: those between one screen's worth of text above
 * the visible part of the editor and one below ({@link screenRange}), plus the active thread's.
 * Chromium rebuilds its highlight markers for every registered range at each frame whose DOM
 * changed (measured: 1,000 registered ranges made typing frames several ms longer, and the first
 * painting of a 100-page fiche 120 ms later than its text), so the others are registered as the
 * page scrolls (a scroll listener asks for a sync, which runs before the scrolled frame is drawn).
 *
 * The four highlights are registered under {@link HIGHLIGHT_NAMES} (one editor per page: a second
 * painter takes the names over).
 */

/** The names of the highlights in `CSS.highlights`, styled by `::highlight(name)` in comments.css. */
export const HIGHLIGHT_NAMES = {
  /** Open threads' words. */
  open: 'essaim-comment',
  /** Resolved threads' words (shown when the panel's filter shows resolved threads). */
  resolved: 'essaim-comment-resolved',
  /** Words under two threads or more, drawn darker. */
  overlap: 'essaim-comment-overlap',
  /** The words of the thread open in the panel (or of the thread being written). */
  active: 'essaim-comment-active',
} as const;

type Layer = 'open' | 'resolved' | 'active';

/** One thread as the painter draws it. */
export interface PaintedThread {
  id: string;
  /** The thread's words in the view's current document. */
  range: Range;
  resolved: boolean;
  active: boolean;
}

/** How much a {@link CssHighlightPainter.sync} did (for tests and measures). */
export interface PaintStats {
  /** Threads whose DOM range was looked up (`view.domAtPos`) in this sync. */
  lookedUp: number;
  /** Threads drawn after it. */
  drawn: number;
}

interface Entry {
  /** The document range the DOM range was made for. */
  from: number;
  to: number;
  range: AbstractRange;
  layer: Layer;
}

/** What a browser offers for custom highlights (`window.CSS.highlights` and `window.Highlight`). */
export interface HighlightApi {
  registry: HighlightRegistry;
  create: () => Highlight;
  staticRange: (init: StaticRangeInit) => AbstractRange;
}

/** The Custom Highlight API of `view`'s window, or null when the browser has none. */
export function highlightApiOf(win: (Window & typeof globalThis) | null | undefined): HighlightApi | null {
  if (!win) return null;
  const css = (win as { CSS?: { highlights?: HighlightRegistry } }).CSS;
  const HighlightClass = (win as { Highlight?: typeof Highlight }).Highlight;
  const StaticRangeClass = (win as { StaticRange?: typeof StaticRange }).StaticRange;
  if (!css?.highlights || typeof HighlightClass !== 'function' || typeof StaticRangeClass !== 'function')
    return null;
  return {
    registry: css.highlights,
    create: () => new HighlightClass(),
    staticRange: (init) => new StaticRangeClass(init),
  };
}

/**
 * The part of the document near the screen, in document positions: from one screen's worth of
 * text above the top of the editor's visible part to one below its bottom (at least
 * {@link MIN_MARGIN} positions each way). Null when it cannot be told (no layout: then everything
 * is drawn); an empty range when the editor is out of view.
 */
export function screenRange(view: EditorView): Range | null {
  const dom = view.dom as HTMLElement;
  const win = dom.ownerDocument.defaultView;
  if (!win) return null;
  const box = dom.getBoundingClientRect();
  if (box.height <= 0 || box.width <= 0) return null;
  const top = Math.max(box.top, 0);
  const bottom = Math.min(box.bottom, win.innerHeight);
  if (bottom <= top) return { from: 0, to: 0 };
  const left = box.left + Math.min(box.width / 2, 48);
  try {
    const first = view.posAtCoords({ left, top: top + 1 });
    const last = view.posAtCoords({ left, top: bottom - 1 });
    if (!first || !last) return null;
    const margin = Math.max(last.pos - first.pos, MIN_MARGIN);
    return { from: first.pos - margin, to: last.pos + margin };
  } catch {
    return null;
  }
}

/** How many touched nodes are remembered between two syncs before every range is looked up again. */
const MAX_TOUCHED = 20_000;

/** The least text drawn beyond each edge of the screen (positions, about a page of text). */
const MIN_MARGIN = 3000;

/** The layer a thread is drawn in. */
const layerOf = (thread: PaintedThread): Layer =>
  thread.active ? 'active' : thread.resolved ? 'resolved' : 'open';

/**
 * Keeps the page's custom highlights in line with the threads' ranges in one editor view. Call
 * {@link sync} after the view's DOM changed (once per animation frame is enough: nothing is painted
 * in between), and {@link destroy} with the view.
 */
export class CssHighlightPainter {
  private readonly layers: Record<Layer | 'overlap', Highlight>;
  private entries = new Map<string, Entry>();
  /** The document the entries' ranges are positions of. */
  private doc: PMNode | null = null;
  private overlaps: AbstractRange[] = [];
  /** Watches the editor's DOM: nodes changed or removed since the last sync are in `touched`. */
  private observer: MutationObserver | null = null;
  private observed: Node | null = null;
  private touched = new Set<Node>();
  /**
   * More nodes were touched than worth remembering (a tab in the background gets no animation
   * frame, hence no sync, for as long as it stays there): every range is looked up again.
   */
  private touchedAll = false;
  /** What the last sync drew: when the caller's `key` is the same and nothing was touched, skip. */
  private lastKey: unknown = undefined;
  /** The page scrolled (or was resized) since the last sync: what is near the screen changed. */
  private scrolled = false;
  /** The part of the document near the screen at the last sync (undefined: not asked yet). */
  private near: Range | null | undefined = undefined;
  private readonly visibleRange: (view: EditorView) => Range | null;
  private readonly invalidate: () => void;
  private unlisten: () => void = () => undefined;

  /**
   * `invalidate` asks for a sync soon (the page scrolled); `visibleRange` says which part of the
   * document to draw ({@link screenRange}; null: all of it).
   */
  constructor(
    private readonly api: HighlightApi,
    {
      invalidate = () => undefined,
      visibleRange = screenRange,
    }: { invalidate?: () => void; visibleRange?: (view: EditorView) => Range | null } = {},
  ) {
    this.invalidate = invalidate;
    this.visibleRange = visibleRange;
    const make = (priority: number): Highlight => {
      const highlight = api.create();
      highlight.priority = priority;
      return highlight;
    };
    this.layers = { open: make(0), resolved: make(0), overlap: make(1), active: make(2) };
    for (const layer of ['open', 'resolved', 'overlap', 'active'] as const)
      api.registry.set(HIGHLIGHT_NAMES[layer], this.layers[layer]);
  }

  /**
   * Draws `threads` (their ranges in `view.state.doc`) and nothing else. Ranges still valid in the
   * DOM are kept (see the file's comment); the others are looked up. `key` (optional) stands for
   * `threads`: when it is the one of the last sync, the document is the same and the DOM did not
   * change, nothing is done.
   */
  sync(view: EditorView, threads: readonly PaintedThread[], key?: unknown): PaintStats {
    if (!this.needsSync(view, key)) return { lookedUp: 0, drawn: this.drawnCount };
    const { doc } = view.state;
    const previous = this.doc;
    this.lastKey = key;
    this.doc = doc;
    const region = previous && previous !== doc && threads.length > 0 ? changedRegion(previous, doc) : null;
    const near = threads.length > 0 ? this.nearScreen(view, previous, region) : null;
    const touched = region ? widenToTextblocks(doc, region.from, region.toNew) : null;
    const shift = region ? region.toNew - region.toOld : 0;
    let changed = false;
    let lookedUp = 0;
    const seen = new Set<string>();
    for (const thread of threads) {
      const { from, to } = thread.range;
      if (near && !thread.active && (to < near.from || from > near.to)) continue;
      seen.add(thread.id);
      const entry = this.entries.get(thread.id);
      const layer = layerOf(thread);
      if (entry && this.stillDrawn(entry, from, to, region, touched, shift)) {
        entry.from = from;
        entry.to = to;
        if (entry.layer !== layer) {
          this.layers[entry.layer].delete(entry.range);
          this.layers[layer].add(entry.range);
          entry.layer = layer;
          changed = true;
        }
        continue;
      }
      if (entry) this.layers[entry.layer].delete(entry.range);
      lookedUp++;
      changed = true;
      const made = this.rangeOf(view, from, to);
      if (!made) {
        this.entries.delete(thread.id);
        continue;
      }
      const next: Entry = { from, to, ...made, layer };
      this.entries.set(thread.id, next);
      this.layers[layer].add(next.range);
    }
    for (const [id, entry] of this.entries) {
      if (seen.has(id)) continue;
      this.layers[entry.layer].delete(entry.range);
      this.entries.delete(id);
      changed = true;
    }
    if (changed) this.drawOverlaps();
    this.touched.clear();
    this.touchedAll = false;
    return { lookedUp, drawn: this.entries.size };
  }

  /**
   * The part of the document near the screen ({@link screenRange}), asked of the page's layout
   * only when the page scrolled or was resized, at the first sync, or after a change of the
   * document's structure: typing inside a paragraph only shifts the last answer (hit-testing a
   * 100-page text at every keystroke would cost more than the highlights).
   */
  private nearScreen(view: EditorView, previous: PMNode | null, region: ChangedRegion | null): Range | null {
    const known = this.near;
    const shiftOnly =
      !!previous &&
      (previous === view.state.doc || !region || insideOneTextblock(previous, view.state.doc, region));
    if (this.scrolled || known === undefined || !shiftOnly) {
      this.scrolled = false;
      this.near = this.visibleRange(view);
      return this.near;
    }
    if (!known || !region) return known;
    const shift = region.toNew - region.toOld;
    const map = (pos: number): number => (pos > region.toOld ? pos + shift : pos);
    this.near = { from: map(known.from), to: map(known.to) };
    return this.near;
  }

  /** How many threads are drawn now. */
  get drawnCount(): number {
    return this.entries.size;
  }

  /**
   * Whether a {@link sync} with `key` would have anything to do: false when `key` is the last
   * sync's, the view shows the same document, and its DOM did not change since.
   */
  needsSync(view: EditorView, key?: unknown): boolean {
    this.watch(view.dom);
    this.collect();
    return (
      key === undefined ||
      key !== this.lastKey ||
      this.doc !== view.state.doc ||
      this.touched.size > 0 ||
      this.touchedAll ||
      this.scrolled
    );
  }

  /** Starts watching `dom` (the view's editable element) for changes, once. */
  private watch(dom: Node): void {
    if (this.observed === dom) return;
    this.observer?.disconnect();
    const MutationObserverClass = dom.ownerDocument?.defaultView?.MutationObserver;
    if (!MutationObserverClass) return;
    this.observer = new MutationObserverClass((records) => this.note(records));
    this.observer.observe(dom, { childList: true, characterData: true, subtree: true });
    this.observed = dom;
    this.unlisten();
    const win = dom.ownerDocument?.defaultView;
    if (win) {
      const moved = () => {
        this.scrolled = true;
        this.invalidate();
      };
      // Any scrolling box (capture), and the window's size.
      win.addEventListener('scroll', moved, { capture: true, passive: true });
      win.addEventListener('resize', moved, { passive: true });
      this.unlisten = () => {
        win.removeEventListener('scroll', moved, { capture: true });
        win.removeEventListener('resize', moved);
      };
    }
    // Ranges made before are of a DOM this painter did not watch: all looked up again.
    this.entries.forEach((entry) => this.touched.add(entry.range.startContainer));
  }

  /** Takes the records the observer has not delivered yet. */
  private collect(): void {
    if (this.observer) this.note(this.observer.takeRecords());
  }

  /** The nodes `records` changed or took out of the page (with everything inside them). */
  private note(records: MutationRecord[]): void {
    if (this.touchedAll) return;
    if (this.touched.size > MAX_TOUCHED) {
      this.touchedAll = true;
      this.touched.clear();
      return;
    }
    for (const record of records) {
      this.touched.add(record.target);
      record.removedNodes.forEach((node) => {
        this.touched.add(node);
        if (!node.hasChildNodes()) return;
        const walker = (node.ownerDocument ?? document).createTreeWalker(node);
        for (let inner = walker.nextNode(); inner; inner = walker.nextNode()) this.touched.add(inner);
      });
    }
  }

  /** Removes the highlights from the page (only those this painter registered). */
  destroy(): void {
    this.unlisten();
    this.unlisten = () => undefined;
    this.observer?.disconnect();
    this.observer = null;
    this.observed = null;
    this.touched.clear();
    this.touchedAll = false;
    for (const layer of ['open', 'resolved', 'overlap', 'active'] as const) {
      const name = HIGHLIGHT_NAMES[layer];
      if (this.api.registry.get(name) === this.layers[layer]) this.api.registry.delete(name);
      this.layers[layer].clear();
    }
    this.entries.clear();
    this.overlaps = [];
    this.doc = null;
    this.near = undefined;
  }

  /**
   * Whether `entry`'s DOM range still covers the thread's words, now at `[from, to)`: neither of
   * its end nodes was changed or removed since the last sync, its words lie outside the textblocks
   * the document's change touched, and it moved exactly as the change shifted what follows it.
   */
  private stillDrawn(
    entry: Entry,
    from: number,
    to: number,
    region: { from: number; toOld: number } | null,
    touched: { from: number; to: number } | null,
    shift: number,
  ): boolean {
    const { startContainer, endContainer } = entry.range;
    if (this.touchedAll || this.touched.has(startContainer) || this.touched.has(endContainer)) return false;
    if (!region || !touched) return entry.from === from && entry.to === to;
    if (to >= touched.from && from <= touched.to) return false;
    if (entry.to <= region.from) return entry.from === from && entry.to === to;
    if (entry.from >= region.toOld) return entry.from + shift === from && entry.to + shift === to;
    return false;
  }

  /** A static range over the DOM of `[from, to)`, or null when the view cannot map it. */
  private rangeOf(view: EditorView, from: number, to: number): Pick<Entry, 'range'> | null {
    try {
      const start = view.domAtPos(from, 1);
      const end = view.domAtPos(to, -1);
      const range = this.api.staticRange({
        startContainer: start.node,
        startOffset: start.offset,
        endContainer: end.node,
        endOffset: end.offset,
      });
      return { range };
    } catch {
      return null;
    }
  }

  /** The words under two drawn threads or more, as ranges of the overlap layer. */
  private drawOverlaps(): void {
    const overlap = this.layers.overlap;
    for (const range of this.overlaps) overlap.delete(range);
    this.overlaps = [];
    const sorted = [...this.entries.values()].sort((a, b) => a.from - b.from);
    let reach = -1;
    let any = false;
    for (const entry of sorted) {
      if (entry.from < reach) any = true;
      reach = Math.max(reach, entry.to);
    }
    if (!any) return;
    interface Edge {
      pos: number;
      delta: 1 | -1;
      node: Node;
      offset: number;
    }
    const edges: Edge[] = [];
    for (const { from, to, range } of sorted) {
      edges.push({ pos: from, delta: 1, node: range.startContainer, offset: range.startOffset });
      edges.push({ pos: to, delta: -1, node: range.endContainer, offset: range.endOffset });
    }
    // Ends before starts at the same place: words that only touch do not overlap.
    edges.sort((a, b) => a.pos - b.pos || a.delta - b.delta);
    let depth = 0;
    let open: Edge | null = null;
    for (const edge of edges) {
      const before = depth;
      depth += edge.delta;
      if (before < 2 && depth >= 2) open = edge;
      else if (before >= 2 && depth < 2 && open && open.pos < edge.pos) {
        const range = this.api.staticRange({
          startContainer: open.node,
          startOffset: open.offset,
          endContainer: edge.node,
          endOffset: edge.offset,
        });
        this.overlaps.push(range);
        overlap.add(range);
        open = null;
      }
    }
  }
}
