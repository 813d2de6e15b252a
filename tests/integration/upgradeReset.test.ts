import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { spawnServer, tempDataDir, type ChildServer } from '../support/server.js';

/**
 * Issue 17, found under 2,000 connections: a client that resets its TCP connection while the
 * server refuses its websocket upgrade killed the whole server (`read ECONNRESET`, an unhandled
 * 'error' event). Node removes the HTTP server's error listener from a socket before it emits
 * 'upgrade' (Node's `http` documentation, event 'upgrade'), so every upgraded socket needs one of
 * ours from the first moment. The server runs in its own process so that a crash shows as an exit.
 */

const children: ChildServer[] = [];

afterEach(() => {
  for (const child of children.splice(0)) child.process.kill('SIGKILL');
});

/**
 * Sends a websocket upgrade request for `path` on a raw TCP connection and resets the connection
 * (RST, not FIN) as soon as the server's answer starts. Resolves with the answer's status line.
 */
function upgradeThenReset(url: string, path: string, headers: Record<string, string> = {}): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = net.connect(Number(port), hostname, () => {
      const extra = Object.entries(headers)
        .map(([name, value]) => `${name}: ${value}\r\n`)
        .join('');
      socket.write(
        `GET ${path} HTTP/1.1\r\nHost: ${hostname}:${port}\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n` +
          `Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n${extra}\r\n`,
      );
    });
    socket.once('data', (chunk: Buffer) => {
      socket.resetAndDestroy();
      resolve(chunk.toString('latin1').split('\r\n')[0] ?? '');
    });
    // A server that died answers the next connection with a refusal or a reset.
    socket.on('error', (error: NodeJS.ErrnoException) => resolve(`erreur ${error.code ?? error.message}`));
  });
}

async function isAlive(server: ChildServer): Promise<boolean> {
  try {
    return (await fetch(`${server.url}/api/health`)).ok;
  } catch {
    return false;
  }
}

describe('a client that resets its connection during a websocket upgrade', () => {
  it('leaves the server running when it resets right after a refused upgrade, many times over', async () => {
    const server = await spawnServer(tempDataDir('essaim-upgrade-reset'), {
      COLLAB_MAX_UNAUTHENTICATED_PER_ADDRESS: '1',
    });
    children.push(server);
    let exitCode: number | null | undefined;
    void server.exited.then((code) => (exitCode = code));

    const statuses: string[] = [];
    for (let round = 0; round < 20; round++) {
      // A path the server does not serve (404), a foreign origin (403), and a good one that may
      // be refused for having too many unauthenticated sockets (429) or taken (101).
      statuses.push(await upgradeThenReset(server.url, '/pas-ici'));
      statuses.push(await upgradeThenReset(server.url, '/collab', { Origin: 'https://ailleurs.example' }));
      statuses.push(await upgradeThenReset(server.url, '/collab'));
    }
    expect(statuses.filter((s) => s.includes(' 404 ')).length).toBe(20);
    expect(statuses.filter((s) => s.includes(' 403 ')).length).toBe(20);

    await expect.poll(() => isAlive(server)).toBe(true);
    expect(exitCode).toBeUndefined();
    expect(await isAlive(server)).toBe(true);
  });
});
