import { setImmediate as nextTurn } from 'node:timers/promises';
import {
  connectClient,
  firstParagraphText,
  isSettled,
  type NodeClient,
} from '../../tests/support/provider.js';

export { connectClient, firstParagraphText, isSettled, type NodeClient };

/** Polls `condition` (every turn of the event loop, then every ms) until true, or throws after `timeoutMs`. */
export async function waitFor(condition: () => boolean, timeoutMs: number, label: string): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  let turns = 0;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error(`délai dépassé (${timeoutMs} ms) : ${label}`);
    if (++turns < 100) await nextTurn();
    else await new Promise((resolve) => setTimeout(resolve, 1));
  }
}

/** `count` clients of one document, each with its own websocket, resolved once all are synced. */
export async function openClients(
  wsUrl: string,
  name: string,
  count: number,
  token: string,
): Promise<NodeClient[]> {
  const clients = Array.from({ length: count }, () => connectClient(wsUrl, name, { token }));
  await waitFor(() => clients.every(isSettled), 30_000, `synchronisation initiale de ${name}`);
  return clients;
}

/** Resolves when the provider has no unacknowledged update (immediately if none). */
export function acknowledged(client: NodeClient): Promise<number> {
  return belowUnsynced(client, 1);
}

/** Resolves with the time the provider's count of unacknowledged updates drops below `limit`. */
export function belowUnsynced(client: NodeClient, limit: number): Promise<number> {
  const { provider } = client;
  if (provider.unsyncedChanges < limit) return Promise.resolve(performance.now());
  return new Promise((resolve) => {
    const onChange = ({ number }: { number: number }): void => {
      if (number < limit) {
        provider.off('unsyncedChanges', onChange);
        resolve(performance.now());
      }
    };
    provider.on('unsyncedChanges', onChange);
  });
}

/** Resolves with the time the client's text first equals `expected`. */
export function textReaches(client: NodeClient, expected: string): Promise<number> {
  const { text } = client;
  if (text.toString() === expected) return Promise.resolve(performance.now());
  return new Promise((resolve) => {
    const check = (): void => {
      if (text.length === expected.length && text.toString() === expected) {
        text.unobserve(check);
        resolve(performance.now());
      }
    };
    text.observe(check);
  });
}

export function destroyAll(clients: readonly NodeClient[]): void {
  for (const client of clients) client.destroy();
}

/** A promise that rejects after `ms`, for racing a wait that must stay bounded. */
export function timeout(ms: number, label: string): { promise: Promise<never>; cancel(): void } {
  let timer: NodeJS.Timeout | undefined;
  const promise = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`délai dépassé (${ms} ms) : ${label}`)), ms);
  });
  return { promise, cancel: () => clearTimeout(timer) };
}
