import { fork, type ChildProcess } from 'node:child_process';
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

/**
 * Sends `message` to a forked child and resolves with its next IPC message, for children that
 * answer one request at a time. Rejects, in French and naming `who`, when the reply is an
 * `{ type: 'error', error }` message, when the child exits first, or after `timeoutMs`.
 */
export function requestReply<Reply extends { type: string }>(
  proc: ChildProcess,
  message: { type: string },
  timeoutMs: number,
  who: string,
): Promise<Reply> {
  return new Promise<Reply>((resolve, reject) => {
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`${who} : pas de réponse à « ${message.type} » en ${timeoutMs} ms`));
    }, timeoutMs);
    const onMessage = (reply: Reply): void => {
      cleanup();
      if (reply.type === 'error' && 'error' in reply) reject(new Error(`${who} : ${String(reply.error)}`));
      else resolve(reply);
    };
    const onExit = (code: number | null): void => {
      cleanup();
      reject(new Error(`${who} arrêté (code ${code})`));
    };
    const cleanup = (): void => {
      clearTimeout(timer);
      proc.off('message', onMessage);
      proc.off('exit', onExit);
    };
    proc.on('message', onMessage);
    proc.once('exit', onExit);
    proc.send(message);
  });
}
