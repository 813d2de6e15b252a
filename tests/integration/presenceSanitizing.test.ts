import { PRESENCE_PALETTE } from '@essaim/domain';
import * as encoding from 'lib0/encoding';
import { beforeAll, describe, expect, it } from 'vitest';
import { Awareness, encodeAwarenessUpdate } from 'y-protocols/awareness';
import * as Y from 'yjs';
import { createDocument, invite, type Session } from '../support/accounts.js';
import { useTestInstance } from '../support/instance.js';
import { connectAs, isSettled, type NodeClient } from '../support/provider.js';
import { Msg, RawClient, frame } from '../support/rawClient.js';
import { colorFor } from '../../server/src/services/crypto.js';

/**
 * Issue 17, a tester's finding: a presence (Yjs awareness) state without `user` was relayed as the
 * client sent it (any JSON under its client id), and one with `user` kept the extra fields and,
 * through the Authentication extension, whatever else it carried. The server now relays only the
 * shape the pages read: `user` (the connection's account, a palette colour, `colourSettled`) and
 * `cursor`; everything else is dropped (server/src/collab/AwarenessBindingExtension.ts).
 */

const t = useTestInstance();
let mallory: Session;

beforeAll(async () => {
  mallory = await invite(t.admin, t.espaceId, 'membre', 'Mallory Membre');
});

/** An awareness update announcing `state` under `clientID`, at clock `clock`. */
function awarenessUpdate(clientID: number, state: Record<string, unknown>, clock = 1): Uint8Array {
  const doc = new Y.Doc();
  doc.clientID = clientID;
  const awareness = new Awareness(doc);
  for (let i = 1; i < clock; i++) awareness.setLocalState({ i });
  awareness.setLocalState(state);
  const update = encodeAwarenessUpdate(awareness, [clientID]);
  awareness.destroy();
  return update;
}

/** An awareness update removing `clientID`'s state (a `null` state at clock `clock`). */
function awarenessRemoval(clientID: number, clock: number): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, 1);
  encoding.writeVarUint(encoder, clientID);
  encoding.writeVarUint(encoder, clock);
  encoding.writeVarString(encoder, 'null');
  return encoding.toUint8Array(encoder);
}

async function authenticatedAs(session: Session, name: string): Promise<RawClient> {
  const raw = await RawClient.open(t.server.wsUrl);
  raw.authenticate(name, await session.collabToken());
  await expect.poll(() => raw.frames.some((f) => f.type === Msg.Auth && f.authType === 2)).toBe(true);
  // The first sync, as a provider starts it (the server answers with the document).
  raw.send(
    frame(name, Msg.Sync, (e) => {
      encoding.writeVarUint(e, 0);
      encoding.writeVarUint8Array(e, Y.encodeStateVector(new Y.Doc()));
    }),
  );
  return raw;
}

/** A person's page in a fresh document, and the id of Mallory's account. */
async function observedDocument(): Promise<{ name: string; observer: NodeClient; malloryId: string }> {
  const { name } = await createDocument(t.admin, t.espaceId);
  const observer = t.track(connectAs(t.admin, t.server.wsUrl, name));
  await expect.poll(() => isSettled(observer)).toBe(true);
  return { name, observer, malloryId: mallory.userId };
}

const stateSeenBy = (observer: NodeClient, clientId: number): unknown =>
  observer.provider.awareness?.getStates().get(clientId);

describe('presence states relayed by the server', () => {
  it('gives a state without `user` the account’s name, id and a palette colour, and drops everything else', async () => {
    const { name, observer, malloryId } = await observedDocument();
    const raw = await authenticatedAs(mallory, name);
    raw.sendAwareness(
      name,
      awarenessUpdate(5151, { name: 'Administratrice', role: 'admin', html: '<img src=x onerror=alert(1)>' }),
    );
    await expect
      .poll(() => stateSeenBy(observer, 5151))
      .toEqual({
        user: {
          id: malloryId,
          name: 'Mallory Membre',
          color: expect.toSatisfy((c: string) => (PRESENCE_PALETTE as readonly string[]).includes(c)),
          colourSettled: false,
        },
      });
    raw.close();
  });

  it('replaces a colour outside the palette by a palette colour nobody in the document holds, and keeps a palette colour the page chose', async () => {
    const { name, observer } = await observedDocument();
    // The observer's page holds, settled, the very colour Mallory's account would be given.
    const taken = colorFor(mallory.userId);
    observer.provider.setAwarenessField('user', { name: 'x', color: taken, colourSettled: true });
    await expect
      .poll(() =>
        [...(t.server.app.hocuspocus.documents.get(name)?.awareness.getStates().values() ?? [])].some(
          (state) => (state as { user?: { color?: string } }).user?.color === taken,
        ),
      )
      .toBe(true);
    const raw = await authenticatedAs(mallory, name);
    raw.sendAwareness(
      name,
      awarenessUpdate(5252, { user: { name: 'x', color: '#ffffff', colourSettled: true } }),
    );
    const colourOf = () =>
      (stateSeenBy(observer, 5252) as { user?: { color?: string } } | undefined)?.user?.color;
    await expect.poll(colourOf).toSatisfy((c: unknown) => typeof c === 'string' && c !== '#ffffff');
    expect(PRESENCE_PALETTE).toContain(colourOf());
    expect(colourOf()).not.toBe(taken);

    // A palette colour the page negotiated is the page's to keep (even one someone else holds:
    // the pages' own rule settles the conflict).
    raw.sendAwareness(name, awarenessUpdate(5252, { user: { name: 'x', color: taken } }, 2));
    await expect.poll(colourOf).toBe(taken);
    raw.close();
  });

  it('keeps a settled colour when the page cycles through others, also across a removal of its presence (tester BR29)', async () => {
    const { name, observer } = await observedDocument();
    const observerColour = () =>
      (observer.provider.awareness?.getLocalState() as { user?: { color?: string } } | null)?.user?.color;
    const raw = await authenticatedAs(mallory, name);
    const mine = PRESENCE_PALETTE.find((c) => c !== observerColour() && c !== colorFor(mallory.userId));
    raw.sendAwareness(name, awarenessUpdate(5454, { user: { name: 'x', color: mine, colourSettled: true } }));
    const colourOf = () =>
      (stateSeenBy(observer, 5454) as { user?: { color?: string } } | undefined)?.user?.color;
    await expect.poll(colourOf).toBe(mine);
    let clock = 2;
    for (const wanted of PRESENCE_PALETTE) {
      raw.sendAwareness(
        name,
        awarenessUpdate(5454, { user: { name: 'x', color: wanted, colourSettled: true } }, clock++),
      );
    }
    // Removed, then back with another colour, still « settled ».
    raw.sendAwareness(name, awarenessRemoval(5454, clock++));
    await expect.poll(() => stateSeenBy(observer, 5454), { timeout: 5_000 }).toBeUndefined();
    const other = PRESENCE_PALETTE.find((c) => c !== mine);
    raw.sendAwareness(
      name,
      awarenessUpdate(5454, { user: { name: 'x', color: other, colourSettled: true } }, clock),
    );
    await expect.poll(() => stateSeenBy(observer, 5454)).toBeDefined();
    expect(colourOf()).toBe(mine);
    raw.close();
  });

  it('relays at once the removal of a person’s presence by their own connection, and no one else’s (tester BR29)', async () => {
    const { name, observer } = await observedDocument();
    const raw = await authenticatedAs(mallory, name);
    raw.sendAwareness(name, awarenessUpdate(5353, { user: { name: 'x' } }));
    await expect.poll(() => stateSeenBy(observer, 5353)).toBeDefined();
    // Another connection cannot remove it.
    const other = await authenticatedAs(t.admin, name);
    other.sendAwareness(name, awarenessRemoval(5353, 2));
    // Its own connection can: the others see it gone long before Yjs's 30 s timeout.
    raw.sendAwareness(name, awarenessRemoval(5353, 3));
    await expect.poll(() => stateSeenBy(observer, 5353), { timeout: 5_000 }).toBeUndefined();
    other.close();
    raw.close();
  });

  it('relays a state with `user` and a caret with the account’s identity, the caret’s position fields only, and no extra field', async () => {
    const { name, observer, malloryId } = await observedDocument();
    const raw = await authenticatedAs(mallory, name);
    const position = Y.relativePositionToJSON(
      Y.createRelativePositionFromTypeIndex(observer.ydoc.getXmlFragment('default'), 0),
    ) as Record<string, unknown>;
    raw.sendAwareness(
      name,
      awarenessUpdate(5353, {
        user: {
          name: 'Administratrice',
          id: 'quelqu-un-d-autre',
          color: PRESENCE_PALETTE[1],
          colourSettled: true,
          avatar: 'x'.repeat(2000),
        },
        cursor: { anchor: { ...position, extra: 'x'.repeat(500) }, head: position, note: 'caché' },
        pirate: { nested: [1, 2, 3] },
      }),
    );
    await expect
      .poll(() => stateSeenBy(observer, 5353))
      .toEqual({
        user: { id: malloryId, name: 'Mallory Membre', color: PRESENCE_PALETTE[1], colourSettled: true },
        cursor: { anchor: position, head: position },
      });
    raw.close();
  });
});
