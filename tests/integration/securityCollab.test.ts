import * as encoding from 'lib0/encoding';
import { CloseCode } from '@essaim/protocol';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import {
  Awareness,
  applyAwarenessUpdate,
  encodeAwarenessUpdate,
  removeAwarenessStates,
} from 'y-protocols/awareness';
import * as Y from 'yjs';
import { createDocument, invite, type Session } from '../support/accounts.js';
import { sectionId, writeInSection } from '../support/comments.js';
import { useTestInstance } from '../support/instance.js';
import { connectAs, isSettled, type NodeClient } from '../support/provider.js';
import { Msg, RawClient, frame } from '../support/rawClient.js';

/**
 * Issue 15, the websocket from outside: anonymous sockets are capped per address and closed when
 * they do not authenticate in time; presence (Yjs awareness) cannot be taken over through another
 * connection's client id, and a caret other people's pages cannot read is never relayed.
 */

const t = useTestInstance({
  COLLAB_MAX_UNAUTHENTICATED_PER_ADDRESS: '3',
  COLLAB_AUTH_TIMEOUT_SECONDS: '2',
  // Addresses are told by X-Forwarded-For, as by a reverse proxy on this machine.
  TRUST_PROXY: 'loopback',
});

let membre: Session;

beforeAll(async () => {
  membre = await invite(t.admin, t.espaceId, 'membre', 'Paul Membre');
});

const from = (ip: string) => ({ 'x-forwarded-for': ip });

async function authenticatedAs(session: Session, name: string, headers = {}): Promise<RawClient> {
  const raw = await RawClient.open(t.server.wsUrl, headers);
  raw.authenticate(name, await session.collabToken());
  await expect.poll(() => raw.frames.some((f) => f.type === Msg.Auth && f.authType === 2)).toBe(true);
  return raw;
}

/**
 * A caret whose position carries the number `n` (a readable relative position): the server relays
 * only `user` and `cursor` of a presence state, so tests tell states apart by their caret.
 */
const caretNumbered = (n: number) => ({
  anchor: { item: { client: 1, clock: n } },
  head: { item: { client: 1, clock: n } },
});
/** The number a state's caret carries ({@link caretNumbered}). */
const caretNumber = (state: unknown): number | undefined =>
  (state as { cursor?: { head?: { item?: { clock?: number } } } } | undefined)?.cursor?.head?.item?.clock;

function awarenessUpdate(clientID: number, state: unknown, clock = 1): Uint8Array {
  const doc = new Y.Doc();
  doc.clientID = clientID;
  const awareness = new Awareness(doc);
  for (let i = 1; i < clock; i++) awareness.setLocalState({ i });
  awareness.setLocalState(state as Record<string, unknown>);
  return encodeAwarenessUpdate(awareness, [clientID]);
}

/**
 * Resolves once the server has handled every message `raw` sent before: a sync step 1 is
 * answered in order, after them.
 */
async function handled(raw: RawClient, name: string): Promise<void> {
  const before = raw.frames.filter((f) => f.type === Msg.Sync).length;
  raw.send(
    frame(name, Msg.Sync, (e) => {
      encoding.writeVarUint(e, 0);
      encoding.writeVarUint8Array(e, Y.encodeStateVector(new Y.Doc()));
    }),
  );
  await expect.poll(() => raw.frames.filter((f) => f.type === Msg.Sync).length).toBeGreaterThan(before);
}

/** Every state `observer` has seen for each client id, in order. */
function recordStates(observer: NodeClient): Map<number, unknown[]> {
  const seen = new Map<number, unknown[]>();
  const awareness = observer.provider.awareness as Awareness;
  awareness.on('change', ({ added, updated }: { added: number[]; updated: number[] }) => {
    for (const id of [...added, ...updated]) {
      seen.set(id, [...(seen.get(id) ?? []), structuredClone(awareness.getStates().get(id))]);
    }
  });
  return seen;
}

/** Two people in a fresh document: `alice` (the administrator, animateur) and `bob` (membre). */
async function twoPeople(): Promise<{ name: string; alice: NodeClient; bob: NodeClient }> {
  const { name } = await createDocument(t.admin, t.espaceId);
  const alice = t.track(connectAs(t.admin, t.server.wsUrl, name));
  const bob = t.track(connectAs(membre, t.server.wsUrl, name));
  await expect.poll(() => isSettled(alice) && isSettled(bob)).toBe(true);
  alice.provider.setAwarenessField('user', { name: 'Alice' });
  await expect.poll(() => bob.provider.awareness?.getStates().get(alice.ydoc.clientID)?.user).toBeDefined();
  return { name, alice, bob };
}

describe('anonymous websockets', () => {
  it('refuses a fourth unauthenticated socket from one address with HTTP 429, and takes it again once one authenticates', async () => {
    const { name } = await createDocument(t.admin, t.espaceId);
    const ip = '203.0.113.21';
    const sockets = await Promise.all([1, 2, 3].map(() => RawClient.open(t.server.wsUrl, from(ip))));
    await expect(RawClient.open(t.server.wsUrl, from(ip))).rejects.toThrow('HTTP 429');
    // Another address is not concerned.
    const other = await RawClient.open(t.server.wsUrl, from('203.0.113.22'));

    const first = sockets[0] as RawClient;
    first.authenticate(name, await t.admin.collabToken());
    await expect.poll(() => first.frames.some((f) => f.type === Msg.Auth && f.authType === 2)).toBe(true);
    const fourth = await RawClient.open(t.server.wsUrl, from(ip));
    for (const socket of [...sockets, other, fourth]) socket.close();
  });

  it('lets a person whose browser sends its session cookie open her document while anonymous sockets hold every place of her address', async () => {
    const { name } = await createDocument(t.admin, t.espaceId);
    const ip = '203.0.113.31';
    const squatters = await Promise.all([1, 2, 3].map(() => RawClient.open(t.server.wsUrl, from(ip))));
    await expect(RawClient.open(t.server.wsUrl, from(ip))).rejects.toThrow('HTTP 429');
    const browser = await RawClient.open(t.server.wsUrl, { ...from(ip), cookie: membre.cookie });
    browser.authenticate(name);
    await expect.poll(() => browser.frames.some((f) => f.type === Msg.Auth && f.authType === 2)).toBe(true);
    for (const socket of [...squatters, browser]) socket.close();
  });

  it('counts the idle sockets of a session cookie for its account: the fourth is refused, another account at the same address is not', async () => {
    const ip = '203.0.113.41';
    const withCookie = (session: Session) => ({ ...from(ip), cookie: session.cookie });
    const idle = await Promise.all([1, 2, 3].map(() => RawClient.open(t.server.wsUrl, withCookie(membre))));
    await expect(RawClient.open(t.server.wsUrl, withCookie(membre))).rejects.toThrow('HTTP 429');
    const other = await RawClient.open(t.server.wsUrl, withCookie(t.admin));
    // An expired or forged cookie is no account: it counts for the address, with its three places.
    const forgedCookie = { ...from(ip), cookie: 'essaim_session=inconnu' };
    const forged = await Promise.all([1, 2, 3].map(() => RawClient.open(t.server.wsUrl, forgedCookie)));
    await expect(RawClient.open(t.server.wsUrl, forgedCookie)).rejects.toThrow('HTTP 429');
    for (const socket of [...idle, other, ...forged]) socket.close();
  });

  it('closes a socket that authenticates nothing in time, and keeps the one that did', async () => {
    const { name } = await createDocument(t.admin, t.espaceId);
    const idle = await RawClient.open(t.server.wsUrl);
    const working = await authenticatedAs(t.admin, name);
    expect(await idle.closed).toBe(CloseCode.Unauthorized);
    expect(working.closeCode).toBeUndefined();
    working.close();
  });
});

describe('presence', () => {
  it('refuses a membre who announces another person’s client id, and leaves that person’s entry as it was', async () => {
    const { name, alice, bob } = await twoPeople();
    const raw = await authenticatedAs(membre, name);
    raw.sendAwareness(
      name,
      awarenessUpdate(alice.ydoc.clientID, { user: { name: 'Pirate' }, pirate: true }, 50),
    );
    await expect.poll(() => raw.closeReason(name)).toBe('awareness-foreign-client');
    const state = bob.provider.awareness?.getStates().get(alice.ydoc.clientID) as { user: { name: string } };
    expect(state.user.name).toBe('Administratrice');
    expect(state).not.toHaveProperty('pirate');
    raw.close();
  });

  it('keeps a co-writer connected when their provider forwards the removal of a state it saw expire, and the expired person stays present for the others', async () => {
    const { name, alice, bob } = await twoPeople();
    const carol = t.track(connectAs(t.admin, t.server.wsUrl, name));
    await expect
      .poll(() => carol.provider.awareness?.getStates().get(alice.ydoc.clientID)?.user)
      .toBeDefined();
    let closes = 0;
    carol.provider.on('close', () => (closes += 1));
    // Carol's Awareness has not seen Alice renew her state for 30 s (a background tab): it removes
    // it with the origin y-protocols uses, and her provider sends « Alice: null » to the server.
    removeAwarenessStates(carol.provider.awareness as Awareness, [alice.ydoc.clientID], 'timeout');
    // Carol is not cut off: her next keystroke reaches Bob, and her own presence still works.
    carol.provider.setAwarenessField('caret', null);
    writeInSection(carol.ydoc, sectionId(carol.ydoc, 0), 'après expiration');
    await expect.poll(() => bob.ydoc.getXmlFragment('default').toString()).toContain('après expiration');
    await expect.poll(() => bob.provider.awareness?.getStates().has(carol.ydoc.clientID)).toBe(true);
    expect(closes).toBe(0);
    // Alice is still present for Bob: a removal is never relayed.
    expect(bob.provider.awareness?.getStates().get(alice.ydoc.clientID)?.user).toBeDefined();
  });

  it('still refuses one connection announcing two people’s states in one message', async () => {
    const { name, alice } = await twoPeople();
    const raw = await authenticatedAs(membre, name);
    const doc = new Y.Doc();
    const awareness = new Awareness(doc);
    awareness.setLocalState({ user: { name: 'Moi' } });
    const other = new Awareness(new Y.Doc());
    other.doc.clientID = alice.ydoc.clientID + 1;
    other.setLocalState({ user: { name: 'Un autre' } });
    applyAwarenessUpdate(awareness, encodeAwarenessUpdate(other, [other.clientID]), 'test');
    raw.sendAwareness(name, encodeAwarenessUpdate(awareness, [doc.clientID, other.clientID]));
    await expect.poll(() => raw.closeReason(name)).toBe('awareness-one-client-per-connection');
    raw.close();
  });

  it('closes a hostile connection without writing an error and its stack to the server’s console (a refusal, logged once as a warning)', async () => {
    const { name } = await twoPeople();
    const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      const raw = await authenticatedAs(membre, name);
      const mine = new Awareness(new Y.Doc());
      mine.setLocalState({ user: { name: 'Moi' } });
      const other = new Awareness(new Y.Doc());
      other.setLocalState({ user: { name: 'Un autre' } });
      applyAwarenessUpdate(mine, encodeAwarenessUpdate(other, [other.clientID]), 'test');
      raw.sendAwareness(name, encodeAwarenessUpdate(mine, [mine.clientID, other.clientID]));
      await expect.poll(() => raw.closeReason(name)).toBe('awareness-one-client-per-connection');
      raw.close();
      // A presence state that is not JSON: refused by the guard, not thrown by Hocuspocus's reader.
      const second = await authenticatedAs(membre, name);
      const notJson = encoding.createEncoder();
      encoding.writeVarUint(notJson, 1);
      encoding.writeVarUint(notJson, 4242);
      encoding.writeVarUint(notJson, 1);
      encoding.writeVarString(notJson, '{pas du json');
      second.sendAwareness(name, encoding.toUint8Array(notJson));
      await expect.poll(() => second.closeReason(name)).toBe('malformed-awareness');
      second.close();
      expect(errors.mock.calls.map((call) => String(call[0]))).toEqual([]);
    } finally {
      errors.mockRestore();
    }
  });

  it('closes a socket whose frame has a name that does not decode, a message type no provider sends or a message cut short, with a warning, and writes neither these nor refused authentications to the server’s error console', async () => {
    const { name } = await twoPeople();
    const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      // Before authentication: a name announced 2^28 bytes long in a 5-byte frame.
      const anonymous = await RawClient.open(t.server.wsUrl, from('10.9.0.1'));
      anonymous.send(new Uint8Array([0xff, 0xff, 0xff, 0xff, 0x01]));
      expect(await anonymous.closed).toBe(CloseCode.BadMessage);
      // Authenticated: type 99 (Hocuspocus's types stop at 10, and 8–10 go to providers only).
      const raw = await authenticatedAs(membre, name, from('10.9.0.2'));
      raw.send(frame(name, 99, () => undefined));
      expect(await raw.closed).toBe(CloseCode.BadMessage);
      // A name with no type after it.
      const bare = await authenticatedAs(membre, name, from('10.9.0.3'));
      const nameOnly = encoding.createEncoder();
      encoding.writeVarString(nameOnly, name);
      bare.send(encoding.toUint8Array(nameOnly));
      expect(await bare.closed).toBe(CloseCode.BadMessage);
      // Messages cut short or of a kind no provider sends (tester BR43): an authentication with
      // no token, before and after authenticating; a sync message of step 7.
      const cutAuth = await RawClient.open(t.server.wsUrl, from('10.9.0.4'));
      cutAuth.send(frame(name, Msg.Auth, () => undefined));
      expect(await cutAuth.closed).toBe(CloseCode.BadMessage);
      const cutAfter = await authenticatedAs(membre, name, from('10.9.0.5'));
      cutAfter.send(frame(name, Msg.Auth, () => undefined));
      expect(await cutAfter.closed).toBe(CloseCode.BadMessage);
      const step7 = await authenticatedAs(membre, name, from('10.9.0.6'));
      step7.send(frame(name, Msg.Sync, (e) => encoding.writeVarUint(e, 7)));
      expect(await step7.closed).toBe(CloseCode.BadMessage);
      // Refusals of authentication are answers, not faults: a bad token, an unknown document.
      const badToken = await RawClient.open(t.server.wsUrl, from('10.9.0.7'));
      badToken.authenticate(name, 'pas-un-jeton');
      await expect.poll(() => badToken.frames.some((f) => f.type === Msg.Auth)).toBe(true);
      badToken.authenticate('doc.00000000-0000-4000-8000-000000000000', await membre.collabToken());
      await expect.poll(() => badToken.frames.filter((f) => f.type === Msg.Auth).length).toBe(2);
      badToken.close();
      expect(errors.mock.calls.map((call) => String(call[0]))).toEqual([]);
    } finally {
      errors.mockRestore();
    }
  });

  it('drops a second connection’s announcement of a client id another open connection holds, even from the same account', async () => {
    const { name, alice, bob } = await twoPeople();
    const seen = recordStates(bob);
    const raw = await authenticatedAs(t.admin, name);
    raw.sendAwareness(
      name,
      awarenessUpdate(alice.ydoc.clientID, { user: { name: 'Copie' }, cursor: caretNumbered(4242) }, 50),
    );
    await handled(raw, name);
    // Anything relayed from the copy would reach Bob before this later change of Alice's.
    alice.provider.setAwarenessField('cursor', caretNumbered(1));
    await expect
      .poll(() => caretNumber(bob.provider.awareness?.getStates().get(alice.ydoc.clientID)))
      .toBe(1);
    expect(seen.get(alice.ydoc.clientID)?.some((s) => caretNumber(s) === 4242)).toBe(false);
    expect(raw.closeCode).toBeUndefined();
    raw.close();
  });

  it('relays a malformed caret as no caret, and does not relay a state that is not an object', async () => {
    const { name, alice, bob } = await twoPeople();
    const seen = recordStates(bob);
    const caretRaw = await authenticatedAs(membre, name);
    caretRaw.sendAwareness(
      name,
      awarenessUpdate(4242, { user: { name: 'x' }, cursor: { anchor: null, head: 5 } }),
    );
    await expect
      .poll(() => bob.provider.awareness?.getStates().get(4242))
      .toEqual({ user: expect.objectContaining({ name: 'Paul Membre' }), cursor: null });

    const valid = {
      anchor: Y.relativePositionToJSON(
        Y.createRelativePositionFromTypeIndex(alice.ydoc.getXmlFragment('default'), 0),
      ),
      head: Y.relativePositionToJSON(
        Y.createRelativePositionFromTypeIndex(alice.ydoc.getXmlFragment('default'), 0),
      ),
    };
    caretRaw.sendAwareness(name, awarenessUpdate(4242, { user: { name: 'x' }, cursor: valid }, 2));
    await expect
      .poll(() => (bob.provider.awareness?.getStates().get(4242) as { cursor: unknown }).cursor)
      .toEqual(JSON.parse(JSON.stringify(valid)));

    const textRaw = await authenticatedAs(membre, name);
    textRaw.sendAwareness(name, awarenessUpdate(4343, 'pas un objet'));
    await handled(textRaw, name);
    alice.provider.setAwarenessField('cursor', caretNumbered(2));
    await expect
      .poll(() => caretNumber(bob.provider.awareness?.getStates().get(alice.ydoc.clientID)))
      .toBe(2);
    expect(seen.has(4343)).toBe(false);
    caretRaw.close();
    textRaw.close();
  });
});
