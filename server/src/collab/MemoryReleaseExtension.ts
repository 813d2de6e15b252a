import v8 from 'node:v8';
import vm from 'node:vm';
import type { afterLoadDocumentPayload, afterUnloadDocumentPayload, Extension } from '@hocuspocus/server';
import type { Logger } from '../logger.js';

/**
 * Gives the memory of unloaded documents back to the system soon after people leave (issue 17).
 *
 * Once Hocuspocus has unloaded a document nothing of ours refers to it any more (the integration
 * test `manyDocuments.test.ts` checks the server's own maps), but V8 collects the garbage only when
 * something allocates: a server that everybody just left allocates almost nothing, so its heap
 * stayed at its peak for about a minute (issue 17: 331 MiB, then 130–141 MiB). When a wave of
 * departures leaves at most a tenth of the documents that were loaded at the peak (and a second
 * has passed without any document being loaded again), this extension runs one full collection;
 * V8 then hands the freed pages back within about a second. The collection stops the event loop
 * for the time it takes to mark what is still live, which is then small (few documents left), and
 * it runs at most once every `minIntervalMs`. Partial departures are left to V8.
 *
 * The collector is reached the way test runners reach it (`--expose-gc` set at run time, then `gc`
 * read from a fresh context, without exposing it globally); where that is not possible the
 * extension does nothing.
 */
export class MemoryReleaseExtension implements Extension {
  extensionName = 'memory-release';

  private peak = 0;
  private timer: NodeJS.Timeout | undefined;
  private lastCollection = Number.NEGATIVE_INFINITY;
  /** Full collections run so far (for tests and diagnostics). */
  collections = 0;

  /**
   * @param options.collect the full collection (default: V8's, see the class comment)
   * @param options.settleMs quiet time after the last unload before collecting (default 1 s)
   * @param options.minIntervalMs least time between two collections (default 10 s)
   * @param options.share collect once loaded documents are at most this share of the peak (default 0.1)
   */
  constructor(
    private readonly logger: Logger,
    private readonly options: {
      collect?: (() => void) | null;
      settleMs?: number;
      minIntervalMs?: number;
      share?: number;
    } = {},
  ) {}

  async afterLoadDocument({ instance }: afterLoadDocumentPayload): Promise<void> {
    // Hocuspocus lists the document once this hook has run: count it.
    this.peak = Math.max(this.peak, instance.getDocumentsCount() + 1);
    // Someone is back: their document's memory is needed again.
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  async afterUnloadDocument({ instance }: afterUnloadDocumentPayload): Promise<void> {
    const loaded = instance.getDocumentsCount();
    if (loaded > Math.floor(this.peak * (this.options.share ?? 0.1))) return;
    this.schedule(this.options.settleMs ?? 1000, () => instance.getDocumentsCount());
  }

  private schedule(delayMs: number, loaded: () => number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.release(loaded), delayMs);
    this.timer.unref();
  }

  async onDestroy(): Promise<void> {
    clearTimeout(this.timer);
  }

  private release(count: () => number): void {
    this.timer = undefined;
    const wait = this.lastCollection + (this.options.minIntervalMs ?? 10_000) - performance.now();
    if (wait > 0) return this.schedule(wait, count);
    const loaded = count();
    const collect = this.options.collect === undefined ? fullCollection() : this.options.collect;
    if (!collect) return;
    const started = performance.now();
    collect();
    this.lastCollection = performance.now();
    this.collections++;
    this.logger.debug(
      { peak: this.peak, loaded, ms: Math.round(this.lastCollection - started) },
      'memory of unloaded documents released',
    );
    this.peak = loaded;
  }
}

let collector: (() => void) | null | undefined;

/** V8's full collection, or null where it cannot be reached (then nothing is forced). */
function fullCollection(): (() => void) | null {
  if (collector !== undefined) return collector;
  try {
    const exposed = (globalThis as { gc?: unknown }).gc;
    let gc: unknown = exposed;
    if (typeof gc !== 'function') {
      v8.setFlagsFromString('--expose-gc');
      gc = vm.runInNewContext('gc');
      v8.setFlagsFromString('--no-expose-gc');
    }
    if (typeof gc === 'function') {
      const full = gc as () => void;
      // The second pass finds the heap already small and lets V8 shrink its spaces to it.
      collector = () => {
        full();
        full();
      };
    } else collector = null;
  } catch {
    collector = null;
  }
  return collector;
}
