import { DenialReason } from '@essaim/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { Awareness, encodeAwarenessUpdate } from 'y-protocols/awareness';
import * as Y from 'yjs';
import { createDocument } from '../support/accounts.js';
import { useTestInstance } from '../support/instance.js';
import { isSettled } from '../support/provider.js';
import { Msg, RawClient } from '../support/rawClient.js';

/**
 * Issue 17, one account against everyone else: an account holds at most
 * `COLLAB_MAX_SOCKETS_PER_ACCOUNT` websockets (refused with a named reason, not silently), and a
 * socket's presence is relayed at most once per document every 50 ms, merged, whatever it sends.
 */

const t = useTestInstance({ COLLAB_MAX_SOCKETS_PER_ACCOUNT: '3' });
const raws: RawClient[] = [];

afterEach(() => {
  for (const raw of raws.splice(0)) raw.close();
});

async function socketOf(name: string): Promise<RawClient> {
  const raw = await RawClient.open(t.server.wsUrl);
  raws.push(raw);
  raw.authenticate(name, await t.admin.collabToken());
  await expect.poll(() => raw.frames.some((f) => f.type === Msg.Auth)).toBe(true);
  return raw;
}

const authOutcome = (raw: RawClient) => raw.frames.find((f) => f.type === Msg.Auth);

describe('sockets of one account', () => {
  it('refuses a fourth socket of one account with « too-many-connections », keeps the three others, and admits one again once a socket closes', async () => {
    const { name } = await createDocument(t.admin, t.espaceId);
    const held = [await socketOf(name), await socketOf(name), await socketOf(name)];
    for (const raw of held) expect(authOutcome(raw)?.authType).toBe(2);

    const fourth = await socketOf(name);
    expect(authOutcome(fourth)).toMatchObject({ authType: 1, text: DenialReason.TooManyConnections });
    for (const raw of held) expect(raw.closeCode).toBeUndefined();

    // A socket counts once, whatever it opens: a second document on a held socket is admitted.
    const other = await createDocument(t.admin, t.espaceId);
    const first = held[0] as RawClient;
    first.authenticate(other.name, await t.admin.collabToken());
    await expect
      .poll(() => first.frames.find((f) => f.type === Msg.Auth && f.documentName === other.name)?.authType)
      .toBe(2);

    first.close();
    await first.closed;
    await expect.poll(async () => authOutcome(await socketOf(name))?.authType).toBe(2);
  });
});

describe('presence of one socket', () => {
  it('relays a caret moved every millisecond at most once per 50 ms, merged, ending on the last caret', async () => {
    const { name } = await createDocument(t.admin, t.espaceId);
    const observer = t.open(name);
    await expect.poll(() => isSettled(observer)).toBe(true);
    const flooder = await socketOf(name);
    expect(authOutcome(flooder)?.authType).toBe(2);

    const doc = new Y.Doc();
    const awareness = new Awareness(doc);
    let relayed = 0;
    observer.provider.awareness?.on(
      'update',
      ({ added, updated }: { added: number[]; updated: number[] }) => {
        if ([...added, ...updated].includes(doc.clientID)) relayed += 1;
      },
    );
    // One move per timer tick (about a millisecond): each one in its own turn of the server's
    // event loop, so Hocuspocus's own per-turn batching of presence cannot merge them.
    const moves = 300;
    for (let i = 0; i < moves; i++) {
      // The server relays only `user` and `cursor`: each move is a caret whose position carries i.
      awareness.setLocalState({
        cursor: { anchor: { item: { client: 1, clock: i } }, head: { item: { client: 1, clock: i } } },
      });
      flooder.sendAwareness(name, encodeAwarenessUpdate(awareness, [doc.clientID]));
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    await expect
      .poll(
        () =>
          (
            observer.provider.awareness?.getStates().get(doc.clientID) as
              { cursor?: { head?: { item?: { clock?: number } } } } | undefined
          )?.cursor?.head?.item?.clock,
      )
      .toBe(moves - 1);
    // At most one relay per 50 ms while the moves lasted: far fewer than the moves sent.
    expect(relayed).toBeLessThan(moves / 5);
    awareness.destroy();
  });
});
