import type { Session as InspectorSession } from 'node:inspector';
import { createRequire } from 'node:module';
import v8 from 'node:v8';
import vm from 'node:vm';
import type { afterLoadDocumentPayload, afterUnloadDocumentPayload, Extension } from '@hocuspocus/server';
import type { Logger } from '../logger.js';
import type { Departures } from './departures.js';

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
 * The collection is V8's memory-reducing one, asked through an in-process inspector session
 * (`HeapProfiler.collectGarbage`, `node:inspector`: no port is opened): besides collecting, it
 * shrinks the young generation back to its minimum. A plain full collection (`gc()`) left the
 * young generation committed at its peak: with `--max-semi-space-size=64` (`npm start`), 128 MiB
 * more (tester BR33: 297 MiB at +100 s after everyone left, 155 MiB after a memory-reducing
 * collection; here, on 450 MiB of garbage: 201 MiB after `gc()` twice, 66 MiB after it). Where
 * the inspector is missing, the full collection is reached the way test runners reach it
 * (`--expose-gc` set at run time, then `gc` read from a fresh context, without exposing it
 * globally); where neither is possible the extension does nothing.
 */
export class MemoryReleaseExtension implements Extension {
  extensionName = 'memory-release';

  private peak = 0;
  private timer: NodeJS.Timeout | undefined;
  private lastCollection = Number.NEGATIVE_INFINITY;
  /** Counts loads: a collection waiting for the departures is dropped if someone came back meanwhile. */
  private loads = 0;
  /** Full collections run so far (for tests and diagnostics). */
  collections = 0;

  /**
   * @param options.collect the full collection (default: V8's, see the class comment)
   * @param options.settleMs quiet time after the last unload before collecting (default 1 s)
   * @param options.minIntervalMs least time between two collections (default 10 s)
   * @param options.share collect once loaded documents are at most this share of the peak (default 0.1)
   * @param options.departures the departures whose jobs (compaction, indexing) still hold the
   *   bytes of unloaded documents: a collection that ran while some were held is followed by
   *   another once none is left (at least `minIntervalMs` later). Issue 17: with 400 documents of
   *   240 KiB the memory came back 13 s after everybody left, not 10; the first collection frees
   *   the loaded Y.Docs (about 4 MiB of heap each), the second the departures' bytes (0.57 MiB)
   */
  constructor(
    private readonly logger: Logger,
    private readonly options: {
      collect?: (() => void | Promise<void>) | null;
      settleMs?: number;
      minIntervalMs?: number;
      share?: number;
      departures?: Pick<Departures, 'waiting' | 'drained'>;
    } = {},
  ) {}

  async afterLoadDocument({ instance }: afterLoadDocumentPayload): Promise<void> {
    // Hocuspocus lists the document once this hook has run: count it.
    this.peak = Math.max(this.peak, instance.getDocumentsCount() + 1);
    this.loads++;
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
    const peak = this.peak;
    this.lastCollection = started;
    this.collections++;
    this.peak = loaded;
    // What the departures' jobs still hold is garbage once they end: one more collection then.
    const departures = this.options.departures;
    if (departures && departures.waiting.documents > 0) {
      const loads = this.loads;
      void departures.drained().then(() => {
        if (this.loads === loads && this.timer === undefined) this.schedule(0, count);
      });
    }
    void Promise.resolve(collect()).then(
      () =>
        this.logger.debug(
          { peak, loaded, ms: Math.round(performance.now() - started) },
          'memory of unloaded documents released',
        ),
      (error: unknown) => this.logger.warn({ err: error }, 'memory release failed'),
    );
  }
}

let collector: (() => void | Promise<void>) | null | undefined;

/**
 * V8's memory-reducing collection (see the class comment), else its full collection, else null
 * where neither can be reached (then nothing is forced). Resolves once the collection is done.
 */
function fullCollection(): (() => void | Promise<void>) | null {
  if (collector !== undefined) return collector;
  if (inspectorSession()) {
    collector = memoryReducingCollection;
    return collector;
  }
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

/**
 * One memory-reducing collection through a short in-process inspector session: connected, asked
 * (`HeapProfiler.collectGarbage`), and disconnected in a later turn (disconnecting inside the
 * answer's callback left the process hanging, Node 20). Rejects if the inspector refuses.
 */
export function memoryReducingCollection(): Promise<void> {
  const Session = inspectorSession();
  if (!Session) return Promise.reject(new Error('node:inspector is not available'));
  return new Promise((resolve, reject) => {
    const session = new Session();
    session.connect();
    session.post('HeapProfiler.collectGarbage', (error) => {
      setImmediate(() => session.disconnect());
      if (error) reject(error);
      else resolve();
    });
  });
}

/** `node:inspector`'s Session, or null in a Node built without the inspector (requiring it throws there). */
function inspectorSession(): typeof InspectorSession | null {
  try {
    return (createRequire(import.meta.url)('node:inspector') as { Session: typeof InspectorSession }).Session;
  } catch {
    return null;
  }
}
