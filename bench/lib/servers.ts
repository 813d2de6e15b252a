import path from 'node:path';
import type { Hocuspocus } from '@hocuspocus/server';
import { createLogger, loadConfig } from '@essaim/server';
import type { CollabContext } from '../../server/src/collab/context.js';
import { MessageGuardExtension } from '../../server/src/collab/MessageGuardExtension.js';
import { createDocument, login, setupInstance, type Session } from '../../tests/support/accounts.js';
import { startTestServer } from '../../tests/support/server.js';
import { startVanillaServer } from '../vanilla.js';
import { newFicheState } from './template.js';

export type Kind = 'essaim' | 'vanilla';
export type FlushDelay = false | number;

/** Either server behind one face, so a benchmark runs the very same load against both. */
export interface BenchServer {
  kind: Kind;
  flushDelay: FlushDelay;
  /** Essaim only: whether updates go through `validateUpdate` (always true outside `updateChecks`). */
  updateChecks: boolean;
  url: string;
  wsUrl: string;
  /**
   * A new fiche: Essaim creates it through its REST API (from the fiche template); vanilla accepts
   * any name and starts each new document from a fiche template of its own.
   */
  newDocument(title?: string): Promise<string>;
  /**
   * A websocket token for the benchmark's clients (Essaim checks accounts; vanilla takes ''),
   * valid a few minutes: fetch one right before each load.
   */
  token(): Promise<string>;
  stop(): Promise<void>;
  /** SQLite file of the Essaim server (null for vanilla, which keeps everything in memory). */
  databaseFile: string | null;
  dataDir: string | null;
}

export const flushEnv = (delay: FlushDelay): string => (delay === false ? 'off' : String(delay));
export const flushLabel = (delay: FlushDelay): string => (delay === false ? 'false' : `${delay} ms`);

/**
 * Turns the update checks of a running Essaim server off, for the reference run of
 * `bench/updateChecks.ts` only: its `MessageGuardExtension` (found by name in the Hocuspocus
 * extension list, which Hocuspocus reads at every hook call) is replaced by one built the same way
 * whose `validate` accepts every update. Everything else the guard does (decoding each sync
 * message, the document size bound, awareness rules) stays. Call it before any client connects.
 * There is no configuration option for this on purpose: users always run with the checks.
 */
export function disableUpdateChecks(hocuspocus: Hocuspocus<CollabContext>, maxDocumentBytes: number): void {
  const extensions = hocuspocus.configuration.extensions;
  const index = extensions.findIndex((e) => e.extensionName === 'message-guard');
  if (index < 0) throw new Error('MessageGuardExtension introuvable dans le serveur');
  extensions[index] = new MessageGuardExtension({
    maxDocumentBytes,
    logger: createLogger('silent'),
    validate: () => ({ ok: true, writers: [], deletes: false, freedChars: 0 }),
  });
}

/**
 * Starts the server a benchmark measures: `essaim` (the real server in this process, port 0, a
 * fresh SQLite file unless `dataDir`) or `vanilla` (bare Hocuspocus). `updateChecks: false` is only
 * for `essaim` (see {@link disableUpdateChecks}).
 */
export async function startBenchServer(
  kind: Kind,
  options: { flushDelay?: FlushDelay; dataDir?: string; updateChecks?: boolean } = {},
): Promise<BenchServer> {
  const flushDelay = options.flushDelay ?? false;
  const updateChecks = options.updateChecks ?? true;
  if (kind === 'vanilla') {
    if (!updateChecks) throw new Error('vanilla ne vérifie aucune mise à jour');
    const server = await startVanillaServer({ flushDelay, initialState: newFicheState });
    let n = 0;
    return {
      kind,
      flushDelay,
      updateChecks,
      url: server.url,
      wsUrl: server.wsUrl,
      newDocument: async () => `bench-${process.pid}-${++n}`,
      token: async () => '',
      stop: () => server.stop(),
      databaseFile: null,
      dataDir: null,
    };
  }
  const env = { FLUSH_DELAY_MS: flushEnv(flushDelay) };
  const server = await startTestServer({
    ...(options.dataDir ? { dataDir: options.dataDir } : {}),
    env,
  });
  if (!updateChecks) {
    const { maxDocumentBytes } = loadConfig({ DATA_DIR: server.dataDir, ...env });
    disableUpdateChecks(server.app.hocuspocus, maxDocumentBytes);
  }
  // The administrator created at first run is animateur of the first espace: it can write.
  let admin: Session;
  let espaceId: string;
  try {
    ({ admin, espaceId } = await setupInstance(server.url));
  } catch {
    admin = await login(server.url, 'admin@hcts.example');
    espaceId =
      ((await (await admin.fetch('/api/espaces')).json()) as { espaces: { id: string }[] }).espaces[0]?.id ??
      '';
  }
  return {
    kind,
    flushDelay,
    updateChecks,
    url: server.url,
    wsUrl: server.wsUrl,
    newDocument: async (title = 'Banc d’essai') => (await createDocument(admin, espaceId, title)).name,
    token: () => admin.collabToken(),
    stop: () => server.stop(),
    databaseFile: path.join(server.dataDir, 'essaim.sqlite'),
    dataDir: server.dataDir,
  };
}
