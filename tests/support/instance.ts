import { afterAll, beforeAll } from 'vitest';
import { setupInstance, type Session } from './accounts.js';
import { connectAs, type NodeClient } from './provider.js';
import { startTestServer, type TestServer } from './server.js';

/** A set-up instance shared by the tests of one file: fields are filled before the first test. */
export interface TestInstance {
  server: TestServer;
  /** The first-run administrator, animateur of `espaceId`: allowed to write everywhere there. */
  admin: Session;
  espaceId: string;
  /** A provider for the administrator, destroyed after the file's tests. */
  open(name: string): NodeClient;
  /** Registers a client to destroy after the file's tests. */
  track(client: NodeClient): NodeClient;
}

/**
 * Starts a real server (port 0, temporary DATA_DIR) with a first-run administrator before the
 * file's tests, and stops it, with every tracked client, after them.
 */
export function useTestInstance(env: Record<string, string> = {}): TestInstance {
  const clients: NodeClient[] = [];
  const instance = {
    track(client: NodeClient) {
      clients.push(client);
      return client;
    },
    open(name: string) {
      return instance.track(connectAs(instance.admin, instance.server.wsUrl, name));
    },
  } as TestInstance;
  beforeAll(async () => {
    instance.server = await startTestServer({ env });
    const { admin, espaceId } = await setupInstance(instance.server.url);
    instance.admin = admin;
    instance.espaceId = espaceId;
  });
  afterAll(async () => {
    for (const client of clients) client.destroy();
    await instance.server.stop();
  });
  return instance;
}
