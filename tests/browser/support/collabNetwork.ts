import type { Page } from 'playwright-core';

/** Delays every message from the collaborative server to `page` by `ms` (order kept). */
export async function delayServerMessages(page: Page, ms: number): Promise<void> {
  await page.routeWebSocket(/\/collab$/, (ws) => {
    const server = ws.connectToServer();
    server.onMessage((message) => {
      setTimeout(() => ws.send(message), ms);
    });
    ws.onMessage((message) => server.send(message));
  });
}

/**
 * Holds every message from the collaborative server to `page` until the returned function is
 * called, then delivers them in order (and the later ones at once).
 */
export async function holdServerMessages(page: Page): Promise<() => void> {
  const held: (string | Buffer)[] = [];
  let deliver: ((message: string | Buffer) => void) | null = null;
  let releasedAll = false;
  await page.routeWebSocket(/\/collab$/, (ws) => {
    const server = ws.connectToServer();
    deliver = (message) => ws.send(message);
    server.onMessage((message) => {
      if (releasedAll) ws.send(message);
      else held.push(message);
    });
    ws.onMessage((message) => server.send(message));
  });
  return () => {
    releasedAll = true;
    for (const message of held.splice(0)) deliver?.(message);
  };
}
