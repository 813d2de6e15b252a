import { rateLimited } from '@essaim/domain';

/** What the hashing queue lets through at once, and how much may wait. */
export interface HashingLimits {
  /** Password hashes computed at the same time (each holds a libuv thread and 32 MiB). */
  concurrency: number;
  /** Requests waiting for a turn; one more is refused at once. */
  maxWaiting: number;
  /** Requests of one client address, running or waiting; one more is refused at once. */
  maxPerAddress: number;
}

/**
 * Two hashes at a time leave two of libuv's four default threads to file reads (static files,
 * images), so a flood of logins cannot stall the site. Four places per address: an office behind
 * one address logs in at 9 am, and a double click on « Accepter » is not refused.
 */
export const defaultHashingLimits: HashingLimits = { concurrency: 2, maxWaiting: 16, maxPerAddress: 4 };

/** French refusal when the queue is full: nothing was checked, trying again shortly is fine. */
export const BUSY_MESSAGE =
  'Le serveur traite déjà de nombreuses connexions. Réessayez dans quelques secondes.';
const BUSY_RETRY_SECONDS = 2;

/** The 429 of a full queue. */
export const busy = () => rateLimited(BUSY_MESSAGE, BUSY_RETRY_SECONDS);

/**
 * A small semaphore in front of password hashing (scrypt: memory-hard, about 60 ms and 32 MiB
 * each, run on libuv's thread pool, which file reads share). Issue 15 measured 200 parallel
 * anonymous logins taking a legitimate login and static files from 0.17 s to 17 s: every one of
 * them hashed at once. Here at most `concurrency` hashes run, at most `maxWaiting` requests wait
 * (in arrival order), and one address holds at most `maxPerAddress` places; any request beyond
 * is refused at once with a 429 (`rate_limited`, French message, `Retry-After`), so the refusal
 * costs nothing and the event loop and the thread pool stay free for everyone else.
 *
 * Single process: the queue lives in memory. Attempt counting (who may try at all) is separate
 * and shared through SQLite (`AccountRepository.reserveAttempts`).
 */
export class HashingQueue {
  private running = 0;
  /** Requests waiting for a place, in arrival order, with their address (null: the server's own). */
  private readonly waiting: { address: string | null; start: () => void }[] = [];
  /** Places (running or waiting) each address holds. */
  private readonly perAddress = new Map<string, number>();
  /** Hashes running for each address. */
  private readonly runningFor = new Map<string | null, number>();

  constructor(private readonly limits: HashingLimits = defaultHashingLimits) {}

  /**
   * Runs `work` (one password hash or check) when a place is free, for a request from `address`.
   * Refused synchronously, before anything is queued, with a `rate_limited` DomainError when the
   * queue or the address's share is full. The place is given back when `work` settles.
   * `address` null is the server's own work (demonstration accounts, command line): it waits for
   * its turn like the others but is never refused. A freed place goes to the waiting request
   * whose address has the fewest hashes running (arrival order among equals): a flood from one
   * address does not make others wait behind all of its requests.
   */
  async run<T>(address: string | null, work: () => Promise<T>): Promise<T> {
    if (address !== null && this.isFull(address)) throw busy();
    if (address !== null) this.perAddress.set(address, (this.perAddress.get(address) ?? 0) + 1);
    if (this.running >= this.limits.concurrency) {
      await new Promise<void>((resolve) => this.waiting.push({ address, start: resolve }));
    } else this.running += 1;
    this.runningFor.set(address, (this.runningFor.get(address) ?? 0) + 1);
    try {
      return await work();
    } finally {
      this.release(address);
    }
  }

  private release(address: string | null): void {
    const running = (this.runningFor.get(address) ?? 1) - 1;
    if (running > 0) this.runningFor.set(address, running);
    else this.runningFor.delete(address);
    if (address !== null) {
      const left = (this.perAddress.get(address) ?? 1) - 1;
      if (left > 0) this.perAddress.set(address, left);
      else this.perAddress.delete(address);
    }
    let chosen = -1;
    let fewest = Infinity;
    this.waiting.forEach((entry, index) => {
      const hashes = this.runningFor.get(entry.address) ?? 0;
      if (hashes < fewest) {
        fewest = hashes;
        chosen = index;
      }
    });
    // The place passes to the chosen request as it is: `running` does not change.
    if (chosen >= 0) this.waiting.splice(chosen, 1)[0]?.start();
    else this.running -= 1;
  }

  /**
   * Would a request from `address` be refused now? Lets a caller refuse before doing anything
   * else (counting the attempt): {@link run} called in the same turn gives the same answer.
   */
  isFull(address: string): boolean {
    const held = this.perAddress.get(address) ?? 0;
    const mustWait = this.running >= this.limits.concurrency;
    return held >= this.limits.maxPerAddress || (mustWait && this.waiting.length >= this.limits.maxWaiting);
  }

  /** Hashes running and requests waiting now (for tests and logs). */
  get load(): { running: number; waiting: number } {
    return { running: this.running, waiting: this.waiting.length };
  }
}
