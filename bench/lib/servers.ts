import path from 'node:path';
import { createDocument, login, setupInstance, type Session } from '../../tests/support/accounts.js';
import { startTestServer } from '../../tests/support/server.js';
import { startVanillaServer } from '../vanilla.js';

export type Kind = 'essaim' | 'vanilla';
export type FlushDelay = false | number;

/** Either server behind one face, so a benchmark runs the very same load against both. */
export interface BenchServer {
  kind: Kind;
  flushDelay: FlushDelay;
  url: string;
  wsUrl: string;
  /** Essaim creates documents through its REST API; vanilla accepts any name. */
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

export async function startBenchServer(
  kind: Kind,
  options: { flushDelay?: FlushDelay; dataDir?: string } = {},
): Promise<BenchServer> {
  const flushDelay = options.flushDelay ?? false;
  if (kind === 'vanilla') {
    const server = await startVanillaServer({ flushDelay });
    let n = 0;
    return {
      kind,
      flushDelay,
      url: server.url,
      wsUrl: server.wsUrl,
      newDocument: async () => `bench-${process.pid}-${++n}`,
      token: async () => '',
      stop: () => server.stop(),
      databaseFile: null,
      dataDir: null,
    };
  }
  const server = await startTestServer({
    ...(options.dataDir ? { dataDir: options.dataDir } : {}),
    env: { FLUSH_DELAY_MS: flushEnv(flushDelay) },
  });
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
    url: server.url,
    wsUrl: server.wsUrl,
    newDocument: async (title = 'Banc d’essai') => (await createDocument(admin, espaceId, title)).name,
    token: () => admin.collabToken(),
    stop: () => server.stop(),
    databaseFile: path.join(server.dataDir, 'essaim.sqlite'),
    dataDir: server.dataDir,
  };
}
