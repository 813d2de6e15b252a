import type { VersionSchedule, VersionService } from '../../server/src/services/versionService.js';

/** Period of the server's automatic-versions timer (`app.ts`: `startSchedule(30_000)`), in ms. */
export const TICK_MS = 30_000;

/**
 * A wall clock for the automatic versions that the benchmark moves by hand (epoch ms), so that
 * hours or months of editing (a trace's timestamps) are replayed in seconds. Keep it ahead of the
 * real time: the server's own 30 s timer calls `tick()` with the real time, which then sees every
 * simulated change in its future and records nothing.
 */
export class SimulatedClock {
  constructor(public now: number) {}
}

/**
 * Makes the server's `VersionService` note each accepted change at the simulated time instead of
 * the real one (bench only). The collaborative server calls `services.versions.noteChange(documentId,
 * authorId)` for every update it appends (`createCollabServer.ts`, `onAppended`); this replaces the
 * instance's method by one that passes `clock.now` as its time, or, with `enabled: false` (the
 * reference replay without versions), by one that notes nothing, so no automatic version can ever
 * be recorded. Returns the function that puts the original method back.
 */
export function driveVersionClock(
  versions: VersionService,
  clock: SimulatedClock,
  enabled: boolean,
): () => void {
  const original = versions.noteChange;
  versions.noteChange = enabled
    ? (documentId, authorId) => original.call(versions, documentId, authorId, clock.now)
    : () => undefined;
  return () => {
    versions.noteChange = original;
  };
}

/**
 * Calls `versions.tick(t)` at every {@link TICK_MS} boundary of simulated time, as the server's
 * timer does in real time. Before the first tick of an advance, waits for `settle` (the writer's
 * updates all acknowledged, hence noted: the server appends and notes an update before its
 * acknowledgement leaves), so a version never misses a change sent before its time. While nothing
 * was sent since the last version of `documentId`, boundaries are skipped: a tick then records
 * nothing (long pauses in a trace last up to weeks).
 *
 * With `enabled: false` (the reference run, whose server notes nothing) no tick is called, but the
 * ticker predicts from the changes' times when the server would have recorded a version, with
 * `schedule`, and waits for `settle` at the same moments, so both runs are paced alike.
 */
export class VersionTicker {
  /** The next boundary of simulated time at which the server's timer would fire. */
  private next: number;
  /** Changes were sent since the last version of the document (recorded or predicted). */
  private dirty = false;
  private first = 0;
  private last = 0;
  /** Automatic versions recorded by the ticks (or predicted, when disabled), at their simulated time. */
  readonly recorded: number[] = [];
  /** Of them, those the prediction from the changes' times also gives (all of them when disabled). */
  predictedToo = 0;

  constructor(
    private readonly versions: VersionService,
    private readonly documentId: string,
    start: number,
    private readonly settle: () => Promise<unknown>,
    private readonly schedule: VersionSchedule,
    private readonly enabled: boolean,
  ) {
    this.next = Math.floor(start / TICK_MS) * TICK_MS + TICK_MS;
  }

  /** The writer is about to send a change at simulated time `at` (epoch ms). */
  changed(at: number): void {
    if (!this.dirty) this.first = at;
    this.last = at;
    this.dirty = true;
  }

  /** Whether simulated time `to` has reached the next boundary (then call {@link advanceTo}). */
  due(to: number): boolean {
    return to >= this.next;
  }

  /** Ticks at every boundary up to `to` (included). Returns the number of versions recorded. */
  async advanceTo(to: number): Promise<number> {
    let settled = false;
    let count = 0;
    while (this.next <= to) {
      if (!this.dirty) {
        this.next = Math.floor(to / TICK_MS) * TICK_MS + TICK_MS;
        break;
      }
      if (!settled) {
        await this.settle();
        settled = true;
      }
      const predicted =
        this.next - this.last >= this.schedule.pauseMs ||
        this.next - this.first >= this.schedule.maxIntervalMs;
      const recorded = this.enabled ? this.versions.tick(this.next).includes(this.documentId) : predicted;
      if (recorded) {
        this.dirty = false;
        this.recorded.push(this.next);
        if (predicted) this.predictedToo++;
        count++;
      }
      this.next += TICK_MS;
    }
    return count;
  }
}
