import type * as Y from 'yjs';

/**
 * Whether the open document's text is here, so that the person may write into it: once the
 * server's copy arrived (the provider's first sync), or as soon as the Y.Doc holds a text that
 * came from somewhere else than this editor: the local IndexedDB copy (an offline reload) or the
 * previous generation of the session. Latched: once here, the text stays writable offline.
 *
 * Why (tester BR26, 2026-11-30): a browser without a local copy drew the schema's empty section
 * (« Titre de la section ») and let the person type into it before the first sync; Yjs then
 * merged that invented section with the real ones, and the words landed in a section title, in
 * the middle of a word, or in a new « Section sans titre ». Until the text is here the editor is
 * mounted (so that its view is the page's from the start: a view attached later lost mouse
 * selections) but read-only and out of sight, under « Ouverture du document… ».
 */
export class TextArrival {
  private arrived: boolean;
  private readonly listeners = new Set<() => void>();

  /** @param fragment the document's shared text (`FRAGMENT` of the Y.Doc), read, never written */
  constructor(private readonly fragment: Y.XmlFragment) {
    this.arrived = fragment.length > 0;
  }

  /** Whether the text is here (for `useSyncExternalStore`). */
  readonly get = (): boolean => this.arrived;

  /** Calls `listener` once when the text arrives; returns the way to stop listening. */
  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** After a change that did not come from this editor (the local copy): the text is here if not empty. */
  check(): void {
    if (this.fragment.length > 0) this.settle();
  }

  /** The server's copy is here (first sync), even an empty one. */
  settle(): void {
    if (this.arrived) return;
    this.arrived = true;
    for (const listener of [...this.listeners]) listener();
  }
}
