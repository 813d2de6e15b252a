/**
 * Child process of `bench/versions.ts`: the one person connected to the long-history fiche while
 * versions are listed, compared and restored. It runs in its own process so that integrating a
 * restore (a large update) never runs on the server's event loop, which is what is timed; the
 * parent asks it, between two measures, to wait until it holds a given state.
 *
 * Protocol (IPC, one request at a time, each answered by one {@link ClientReply}):
 * `open` (connects and syncs), `reach` (waits until its Y.Doc covers a state vector, answers with
 * the sha256 of its text), `close` (disconnects and exits).
 */
import { createHash } from 'node:crypto';
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ydocToText } from '@essaim/editor';
import * as Y from 'yjs';
import { connectClient, type NodeClient } from '../../tests/support/provider.js';
import { waitFor } from './clients.js';

export type ClientRequest =
  | { job: 'open'; wsUrl: string; name: string; token: string }
  | { job: 'reach'; stateVector: string; timeoutMs: number }
  | { job: 'close' };

export type ClientReply = { ok: true; textHash?: string; ms?: number } | { ok: false; error: string };

/** sha256 (hex) of a document's plain text (`ydocToText`), to compare two copies cheaply. */
export const textHash = (doc: Y.Doc): string => createHash('sha256').update(ydocToText(doc)).digest('hex');

/** Whether `doc` holds every change `stateVector` (Yjs encoding) names. */
export function covers(doc: Y.Doc, stateVector: Uint8Array): boolean {
  const have = Y.decodeStateVector(Y.encodeStateVector(doc));
  for (const [client, clock] of Y.decodeStateVector(stateVector))
    if ((have.get(client) ?? 0) < clock) return false;
  return true;
}

/** The parent's handle on the child: one request at a time. */
export interface ConnectedClient {
  /** Resolves once the child holds `doc`'s state; returns the sha256 of its text and the ms it waited. */
  reach(doc: Y.Doc, timeoutMs?: number): Promise<{ textHash: string; ms: number }>;
  close(): Promise<void>;
}

/** Forks the child, connects it to `name` with `token`, resolves once it is synced. */
export async function connectInChild(wsUrl: string, name: string, token: string): Promise<ConnectedClient> {
  const child = fork(fileURLToPath(import.meta.url), [], {
    execArgv: process.execArgv,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const ask = (request: ClientRequest): Promise<ClientReply & { ok: true }> =>
    new Promise((resolve, reject) => {
      const onExit = (code: number | null): void => reject(new Error(`client enfant terminé (${code})`));
      child.once('exit', onExit);
      child.once('message', (reply: ClientReply) => {
        child.off('exit', onExit);
        if (reply.ok) resolve(reply);
        else reject(new Error(`client enfant : ${reply.error}`));
      });
      child.send(request);
    });
  await ask({ job: 'open', wsUrl, name, token });
  return {
    reach: async (doc, timeoutMs = 30_000) => {
      const stateVector = Buffer.from(Y.encodeStateVector(doc)).toString('base64');
      const reply = await ask({ job: 'reach', stateVector, timeoutMs });
      return { textHash: reply.textHash ?? '', ms: reply.ms ?? 0 };
    },
    close: async () => {
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.send({ job: 'close' } satisfies ClientRequest);
      await exited;
    },
  };
}

// In the child: serve the parent's requests.
if (process.send && process.argv[1] === fileURLToPath(import.meta.url)) {
  let client: NodeClient | null = null;
  const answer = (reply: ClientReply): void => {
    process.send?.(reply);
  };
  const serve = async (request: ClientRequest): Promise<ClientReply> => {
    switch (request.job) {
      case 'open': {
        const opened = connectClient(request.wsUrl, request.name, { token: request.token });
        client = opened;
        await waitFor(() => opened.provider.isSynced, 30_000, `synchronisation de ${request.name}`);
        return { ok: true };
      }
      case 'reach': {
        const open = client;
        if (!open) throw new Error('aucun document ouvert');
        const wanted = Buffer.from(request.stateVector, 'base64');
        const t0 = performance.now();
        await waitFor(() => covers(open.ydoc, wanted), request.timeoutMs, 'état attendu');
        return { ok: true, ms: performance.now() - t0, textHash: textHash(open.ydoc) };
      }
      case 'close':
        client?.destroy();
        process.exit(0);
    }
  };
  process.on('message', (request: ClientRequest) => {
    serve(request)
      .then(answer)
      .catch((error: unknown) =>
        answer({ ok: false, error: error instanceof Error ? (error.stack ?? error.message) : String(error) }),
      );
  });
}
