import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createLogger, loadConfig, startServer, type RunningServer } from '@essaim/server';

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

/** A fresh, empty DATA_DIR under the system temp folder. */
export function tempDataDir(label = 'essaim-test'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `${label}-`));
}

export interface TestServer extends RunningServer {
  dataDir: string;
  wsUrl: string;
}

/**
 * A real server, in this process, on a free port with its own SQLite file. `env` overrides the
 * configuration exactly as the environment would.
 */
export async function startTestServer(
  options: { dataDir?: string; env?: Record<string, string> } = {},
): Promise<TestServer> {
  const dataDir = options.dataDir ?? tempDataDir();
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    SERVE_CLIENT: 'false',
    DEMO: 'false',
    // Tests and benchmarks play many people with one account (2,000 sockets at 400 × 5): no limit
    // of sockets per account, except where a test sets one (accountSockets.test.ts).
    COLLAB_MAX_SOCKETS_PER_ACCOUNT: '0',
    // Nor of documents created per hour (benchmarks create 400 with one account), except where a
    // test sets one (documentLimits.test.ts).
    DOCUMENTS_PER_HOUR_PER_ACCOUNT: '0',
    // Nor of catalogue pages (benchmarks page through thousands), except where a test sets one.
    CATALOGUE_REQUESTS_PER_10_SECONDS: '0',
    ...options.env,
  });
  const server = await startServer(config, createLogger(config.logLevel), (error) => {
    throw error;
  });
  return { ...server, dataDir, wsUrl: `${server.url.replace('http', 'ws')}/collab` };
}

export interface ChildServer {
  process: ChildProcess;
  url: string;
  wsUrl: string;
  /** Resolves with the exit code once the process has ended. */
  exited: Promise<number | null>;
}

/**
 * The built server (`server/dist/main.js`) as a separate process, so a test can SIGKILL it.
 * Resolves once it logs the address it listens on.
 */
export async function spawnServer(dataDir: string, env: Record<string, string> = {}): Promise<ChildServer> {
  const main = path.join(repoRoot, 'server/dist/main.js');
  if (!fs.existsSync(main))
    throw new Error('server/dist/main.js manque : lancez « npm run build » avant les tests.');
  const child = spawn(process.execPath, [main], {
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'info',
      SERVE_CLIENT: 'false',
      DEMO: 'false',
      COLLAB_MAX_SOCKETS_PER_ACCOUNT: '0',
      DOCUMENTS_PER_HOUR_PER_ACCOUNT: '0',
      CATALOGUE_REQUESTS_PER_10_SECONDS: '0',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    let buffer = '';
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout?.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      for (const line of buffer.split('\n')) {
        const match = /"url":"(http:\/\/[^"]+)"/.exec(line);
        if (match?.[1]) resolve(match[1]);
      }
    });
    child.once('exit', (code) => reject(new Error(`le serveur s'est arrêté (code ${code}) : ${stderr}`)));
  });
  return { process: child, url, wsUrl: `${url.replace('http', 'ws')}/collab`, exited };
}
