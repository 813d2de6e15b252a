/**
 * Entry of the child processes of the benchmarks.
 *
 * `replay` and `typing` are load generators: they run the clients (Node providers) of one run while
 * the parent process hosts the server under test. On a 2-core machine this gives the server a core
 * of its own, as it has in production where the clients are browsers elsewhere, and the parent's
 * RSS is the server's alone. Latencies are measured between clients of the generator, on one clock
 * (performance.now()).
 *
 * `typingHost` hosts the server of one typing run in a fresh process (which then starts its own
 * load generator), so that run's RSS does not inherit the heap of earlier runs.
 */
import { runReplayLoad, type ReplayLoadParams } from './replayLoad.js';
import { typingRun, type TypingRunParams } from './runs.js';
import type { Kind } from './servers.js';
import { runTypingLoad, type TypingLoadParams } from './typingLoad.js';

export type LoadJob =
  | { job: 'replay'; params: ReplayLoadParams }
  | { job: 'typing'; params: TypingLoadParams }
  | { job: 'typingHost'; params: { kind: Kind; run: TypingRunParams } };

export type LoadReply = { ok: true; result: unknown } | { ok: false; error: string };

async function run(message: LoadJob): Promise<unknown> {
  switch (message.job) {
    case 'replay':
      return runReplayLoad(message.params);
    case 'typing':
      return runTypingLoad(message.params);
    case 'typingHost':
      return typingRun(message.params.kind, message.params.run);
  }
}

process.once('message', (message: LoadJob) => {
  run(message)
    .then((result): LoadReply => ({ ok: true, result }))
    .catch((error: unknown): LoadReply => ({
      ok: false,
      error: error instanceof Error ? (error.stack ?? error.message) : String(error),
    }))
    .then((reply) => process.send?.(reply, () => process.exit(0)));
});
