import { expect } from 'vitest';
import { invite, type Session } from './accounts.js';
import type { TestInstance } from './instance.js';
import { connectAs, type NodeClient } from './provider.js';

/**
 * `open(session, name)` for the tests of one file: connects `session` to the document named
 * `name` on `t`'s server (a provider destroyed after the file's tests) and resolves once the
 * provider is synced; fails the test if it is not within `timeoutMs` (ms).
 */
export function syncedOpener(
  t: TestInstance,
  timeoutMs = 10_000,
): (session: Session, name: string) => Promise<NodeClient> {
  return async (session, name) => {
    const client = t.track(connectAs(session, t.server.wsUrl, name));
    await expect.poll(() => client.provider.isSynced, { timeout: timeoutMs }).toBe(true);
    return client;
  };
}

/**
 * Someone from outside `manager`'s espace: `manager` (an administrator) creates another espace,
 * « Ailleurs », and invites `name` there as its animateur, who accepts. Throws if either is refused.
 */
export async function outsider(manager: Session, name: string): Promise<Session> {
  const created = await manager.fetch('/api/espaces', { method: 'POST', json: { name: 'Ailleurs' } });
  if (created.status !== 201) throw new Error(`espace refusé : ${created.status} ${await created.text()}`);
  const other = ((await created.json()) as { id: string }).id;
  return invite(manager, other, 'animateur', name);
}
