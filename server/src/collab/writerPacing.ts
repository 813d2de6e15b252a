/**
 * A budget of Yjs structs per writer (issue 8, found by a fresh tester): one writer's raw client
 * could send updates just under the one-update bound (`MAX_UPDATE_STRUCTS`, 50,000 structs) back
 * to back, each 0.3 to 0.6 s of server time, and keep the process busy for everyone. A token
 * bucket per writer: `capacity` structs at once (one update of an editor's largest size passes at
 * once, whatever came before it a while ago), refilled at `perSecond`. An update beyond the budget
 * is not refused: it waits (its connection's later messages queue behind it, in order, as
 * Hocuspocus processes a connection's messages one at a time) until the budget covers it. What
 * people type costs a handful of structs a second and never waits; a paste of 1 MB of text, about
 * 25,000 structs, passes at once.
 */
export class WriterPacing {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private readonly capacity: number;
  private readonly perSecond: number;
  private readonly now: () => number;

  /**
   * @param options.capacity structs a writer may send at once (≥ 1).
   * @param options.perSecond structs per second the budget refills (≥ 1).
   * @param options.now clock in ms (tests).
   */
  constructor(options: { capacity: number; perSecond: number; now?: () => number }) {
    this.capacity = Math.max(1, options.capacity);
    this.perSecond = Math.max(1, options.perSecond);
    this.now = options.now ?? (() => performance.now());
  }

  /**
   * Takes `structs` from `writer`'s budget (which may go below zero) and returns how long, in ms,
   * the update must wait before it is applied: 0 while the budget covers it, else the time the
   * budget takes to refill up to zero. Budgets back to full are forgotten, so the map holds only
   * writers who sent much recently.
   */
  debit(writer: string, structs: number): number {
    const now = this.now();
    const bucket = this.buckets.get(writer) ?? { tokens: this.capacity, at: now };
    bucket.tokens = Math.min(this.capacity, bucket.tokens + ((now - bucket.at) * this.perSecond) / 1000);
    bucket.at = now;
    bucket.tokens -= structs;
    if (bucket.tokens >= this.capacity) this.buckets.delete(writer);
    else this.buckets.set(writer, bucket);
    if (this.buckets.size > 10_000) this.forgetFull(now);
    return bucket.tokens >= 0 ? 0 : Math.ceil((-bucket.tokens * 1000) / this.perSecond);
  }

  private forgetFull(now: number): void {
    for (const [writer, bucket] of this.buckets)
      if (bucket.tokens + ((now - bucket.at) * this.perSecond) / 1000 >= this.capacity)
        this.buckets.delete(writer);
  }
}
