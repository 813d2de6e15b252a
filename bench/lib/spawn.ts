import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { LoadJob, LoadReply } from './loadgen.js';
import type { ReplayLoadParams, ReplayLoadResult } from './replayLoad.js';
import type { TypingOutcome, TypingRunParams } from './runs.js';
import type { Kind } from './servers.js';
import type { TypingLoadParams, TypingLoadResult } from './typingLoad.js';

const entry = fileURLToPath(new URL('./loadgen.ts', import.meta.url));

/**
 * Runs one load in a fresh child process (same Node flags as this one, so tsx and the
 * `@essaim/source` condition carry over) and resolves with its result. The child is killed after
 * `timeoutMs`.
 */
function runLoad(message: LoadJob, timeoutMs: number): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const child = fork(entry, [], {
      execArgv: process.execArgv,
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    let settled = false;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      finish(new Error(`générateur de charge arrêté après ${timeoutMs} ms (${message.job})`));
    }, timeoutMs);
    const finish = (error: Error | null, result?: unknown): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (error) reject(error);
      else resolve(result);
    };
    child.once('message', (reply: LoadReply) => {
      if (reply.ok) finish(null, reply.result);
      else finish(new Error(`générateur de charge (${message.job}) : ${reply.error}`));
    });
    child.once('exit', (code, signal) =>
      finish(new Error(`générateur de charge terminé sans réponse (${code ?? signal})`)),
    );
    child.once('error', (error) => finish(error));
    child.send(message);
  });
}

export const replayLoad = (params: ReplayLoadParams): Promise<ReplayLoadResult> =>
  runLoad({ job: 'replay', params }, params.timeoutMs + 30_000) as Promise<ReplayLoadResult>;

export const typingLoad = (params: TypingLoadParams): Promise<TypingLoadResult> =>
  runLoad({ job: 'typing', params }, params.seconds * 1000 + 90_000) as Promise<TypingLoadResult>;

/** A whole typing run (server and its load generator) in a fresh process. */
export const typingHost = (kind: Kind, run: TypingRunParams): Promise<TypingOutcome> =>
  runLoad(
    { job: 'typingHost', params: { kind, run } },
    run.seconds * 1000 + 120_000,
  ) as Promise<TypingOutcome>;
