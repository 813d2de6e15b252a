/** Lets the event loop run (the next turn, `setImmediate`); tests give their own. */
export type Pause = () => Promise<void>;

/**
 * The synchronous work a sliced request does before it lets the event loop serve the others (ms):
 * a search over fiches of megabytes held the loop ~450 ms in one turn, and a catalogue of 3,000
 * documents 30–45 ms a page, during which nobody's keystrokes were relayed (issue 17).
 */
export const SLICE_MS = 4;

/** How a sliced request shares the event loop: its pause, and the work done between two (ms). */
export interface SliceOptions {
  pause?: Pause;
  /** Default {@link SLICE_MS}; 0 pauses after every unit of work (tests). */
  budgetMs?: number;
}

const nextTurn: Pause = () => new Promise((resolve) => setImmediate(resolve));

/** Counts the time spent since the last pause and pauses once `budgetMs` is spent. */
export class Slicer {
  private started = performance.now();
  private readonly pause: Pause;
  private readonly budgetMs: number;

  constructor(options: SliceOptions = {}) {
    this.pause = options.pause ?? nextTurn;
    this.budgetMs = options.budgetMs ?? SLICE_MS;
  }

  /** Time spent since the last pause (ms). */
  spent(): number {
    return performance.now() - this.started;
  }

  /** Resolves at once while the budget lasts; otherwise in a later turn of the event loop. */
  async check(): Promise<void> {
    if (this.spent() < this.budgetMs) return;
    await this.pause();
    this.started = performance.now();
  }
}
