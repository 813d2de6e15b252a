import type * as Y from 'yjs';
import { computeIndex, type ComputedIndex } from '../services/indexingService.js';
import {
  foldRows,
  proveAgainst,
  type AuthoredRow,
  type FoldedDeletions,
  type LiveSummary,
} from '../storage/collabStore.js';

/**
 * Departures (issue 17: « memory of unloaded documents released promptly »). When the last person
 * leaves a document, what its compaction and its indexing need is taken from the live Y.Doc in one
 * queued turn (the encoded state, the live summary, the log rows the compaction folds, the
 * indexing's list of who changed what), and Hocuspocus unloads the Y.Doc at once: the two jobs
 * then work from those bytes, the worker decoding the state once for both (`runDeparture`). A
 * 287 KiB state waits in about 0.57 MiB (heap and buffers) where its live Y.Doc held 4.0 MiB of
 * heap (measured after full collections, 20 documents, the benchmark's filled shape).
 *
 * `PersistenceExtension` takes the departure and drives it; `IndexingExtension` registers here as
 * the {@link DepartureIndexer}, so that the same turn takes its input and the worker's answer
 * reaches its write. Both find the same {@link Departures} through the worker pool they share
 * ({@link departuresFor}).
 */

/** What the worker (or the main thread, without one) answers for a departure: never throws. */
export interface DepartureResult {
  /** What the folded log rows deleted, per author (absent when the proof failed or without rows). */
  folded?: FoldedDeletions;
  /** Why the state could not be proven: the compaction must not write it. */
  proofError?: string;
  /** The document's index, read from the same decoding (when asked). */
  computed?: ComputedIndex;
  /** Why the index could not be read (when asked). */
  indexError?: string;
}

/**
 * Proves `state` against `live` and, with `index`, reads the document's index from the same
 * decoded copy ({@link proveAgainst}'s `read`); then folds `rows` if the proof held. Pure and
 * synchronous: what the worker runs for a departure, and the main thread when there is no worker.
 * Errors are answered, not thrown: a failed proof still gives the index when the state decodes.
 */
export function runDeparture(
  state: Uint8Array,
  live: LiveSummary,
  rows: readonly AuthoredRow[] | undefined,
  index: boolean,
): DepartureResult {
  const result: DepartureResult = {};
  const read = index
    ? (copy: Y.Doc): void => {
        try {
          result.computed = computeIndex(copy);
        } catch (error) {
          result.indexError = messageOf(error);
        }
      }
    : undefined;
  try {
    proveAgainst(state, live, read);
  } catch (error) {
    result.proofError = messageOf(error);
  }
  if (index && !result.computed && !result.indexError) {
    // The state did not even decode: there is nothing to read the index from.
    result.indexError = result.proofError ?? 'state not read';
  }
  if (!result.proofError && rows) result.folded = foldRows(rows);
  return result;
}

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/**
 * The indexing side of one departure, given by {@link DepartureIndexer.departing}: exactly one of
 * `write` (with the index the worker read) or `fail` ends it; later calls do nothing.
 */
export interface DepartureIndexing {
  /** Writes the index (in the background queue); resolves once written or given up (never rejects). */
  write(computed: ComputedIndex): Promise<void>;
  /** The index could not be read (or the server is stopping): nothing is written. */
  fail(error: unknown): void;
}

/** Who indexes departing documents (`IndexingExtension`). */
export interface DepartureIndexer {
  /**
   * Called in the departure's queued turn, with the document still loaded: takes what the indexing
   * of `documentName` needs besides the state (who changed what) and returns its handle, or null
   * when no indexing is due. `fromStore`: the departure is the store of the last person's leaving
   * (the indexer leaves every store with nobody connected to departures); otherwise it comes from
   * an unload, and an indexing is due only if something changed since the last one.
   */
  departing(documentName: string, document: Y.Doc, fromStore: boolean): DepartureIndexing | null;
  /** Whether `documentName` has changes not indexed yet (an unload then takes a departure for them). */
  pending(documentName: string): boolean;
}

/**
 * Bytes of departed documents waiting for their jobs (states, log rows, summaries: see
 * {@link departureBytes}) may reach this before the next departure waits, its document staying
 * loaded. Default 256 MiB: the 400 documents of about 262 KiB of issue 17's measurement wait in
 * about 230 MiB (measured: 0.57 MiB each, heap and buffers, for a 287 KiB state whose Y.Doc held
 * 4.0 MiB of heap loaded; README, « Exploitation »), so a whole wave of departures of that size
 * unloads at once, and the bytes waiting never exceed 256 MiB plus one document however many leave.
 */
export const DEFAULT_DEPARTURE_BUDGET_BYTES = 256 * 2 ** 20;

/**
 * What departures share: the indexer (registered by `IndexingExtension`) and the budget of bytes
 * waiting for the worker. Bytes are counted once a departure is taken and given back when its
 * jobs end; {@link admit} lets a new departure be taken only while the bytes waiting are under the
 * budget (so they exceed it by at most one document's).
 */
export class Departures {
  indexer: DepartureIndexer | undefined;
  private bytes = 0;
  private count = 0;
  private readonly waiters: (() => void)[] = [];
  private readonly drainWaiters: (() => void)[] = [];

  /** @param budgetBytes see {@link DEFAULT_DEPARTURE_BUDGET_BYTES} */
  constructor(readonly budgetBytes: number = DEFAULT_DEPARTURE_BUDGET_BYTES) {}

  /** Bytes and documents taken and not finished now. */
  get waiting(): { bytes: number; documents: number } {
    return { bytes: this.bytes, documents: this.count };
  }

  /** Departures waiting for room in the budget (their documents are still loaded). */
  get admitting(): number {
    return this.waiters.length;
  }

  /** Resolves once the bytes waiting are under the budget, in the order asked. */
  admit(): Promise<void> {
    if (this.bytes < this.budgetBytes && this.waiters.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /**
   * Resolves once no departure is waiting for its jobs (at once when none is): their bytes are
   * garbage then, which `MemoryReleaseExtension` waits for before collecting.
   */
  drained(): Promise<void> {
    if (this.count === 0) return Promise.resolve();
    return new Promise((resolve) => this.drainWaiters.push(resolve));
  }

  /** Counts `bytes` of one departure as waiting; the function returned gives them back (idempotent). */
  hold(bytes: number): () => void {
    this.bytes += bytes;
    this.count++;
    let held = true;
    return () => {
      if (!held) return;
      held = false;
      this.bytes -= bytes;
      this.count--;
      this.wake();
      if (this.count === 0) for (const resolve of this.drainWaiters.splice(0)) resolve();
    };
  }

  /** Lets every departure waiting for room go (the server is stopping: they fail on the closed queue). */
  close(): void {
    for (const resolve of this.waiters.splice(0)) resolve();
  }

  private wake(): void {
    while (this.waiters.length > 0 && this.bytes < this.budgetBytes) this.waiters.shift()?.();
  }
}

/**
 * The memory a departure holds while it waits (bytes, an estimate): its state, its log rows (64
 * bytes of object each beyond their data) and its live summary, whose deletions are plain arrays
 * (80 bytes a range and 64 a client: measured with V8's heap after a full collection on documents
 * of 47 to 287 KiB whose every fifth word had a character deleted, 0.3 MiB of heap for the
 * deletions of the largest).
 */
export function departureBytes(state: Uint8Array, live: LiveSummary, rows: readonly AuthoredRow[]): number {
  let bytes = state.byteLength + live.stateVector.byteLength;
  for (const row of rows) bytes += row.data.byteLength + 64;
  for (const [, ranges] of live.deleteSet) bytes += 64 + ranges.length * 80;
  return bytes;
}

const shared = new WeakMap<object, Departures>();

/**
 * The {@link Departures} of `owner` (the worker pool both extensions are given): made at the first
 * call, the same afterwards, so that `PersistenceExtension` and `IndexingExtension` meet there
 * without another parameter in `createCollabServer`.
 */
export function departuresFor(owner: object): Departures {
  let departures = shared.get(owner);
  if (!departures) shared.set(owner, (departures = new Departures()));
  return departures;
}
