import type { beforeHandleMessagePayload, Connection } from '@hocuspocus/server';
import { templates } from '@essaim/domain';
import { templateContent, writeJSONToYdoc } from '@essaim/editor';
import { FRAGMENT, UpdateRefusal } from '@essaim/protocol';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { createLogger } from '../logger.js';
import type { CollabContext } from './context.js';
import {
  DocumentLocks,
  MAX_MISSING_REQUESTS,
  MISSING_ANSWER_WAIT_MS,
  MessageGuardExtension,
  type MessageGuardOptions,
} from './MessageGuardExtension.js';
import { MAX_UPDATE_STRUCTS } from './updateValidation.js';

const NAME = 'doc.test';

/** A fiche on the server, a writer's replica, and a guard over them that counts its measures. */
function setup(options: Partial<MessageGuardOptions> = {}, margin = 2_000) {
  const server = new Y.Doc();
  let n = 0;
  writeJSONToYdoc(
    server,
    templateContent(templates.fiche, () => `s-${++n}`),
  );
  const base = Y.encodeStateAsUpdate(server).byteLength;
  let measures = 0;
  const guard = new MessageGuardExtension({
    maxDocumentBytes: base + margin,
    logger: createLogger('silent'),
    measure: (doc) => {
      measures++;
      return Y.encodeStateAsUpdate(doc).byteLength;
    },
    ...options,
  });
  const writer = new Y.Doc();
  Y.applyUpdate(writer, Y.encodeStateAsUpdate(server));
  const text = new Y.XmlText();
  const section = writer.getXmlFragment(FRAGMENT).get(0) as Y.XmlElement;
  (
    section.toArray().find((c) => c instanceof Y.XmlElement && c.nodeName === 'paragraph') as Y.XmlElement
  ).insert(0, [text]);
  Y.applyUpdate(server, Y.encodeStateAsUpdate(writer, Y.encodeStateVector(server)));
  return { server, writer, text, guard, measures: () => measures };
}

/** A sync update message, as a provider sends it. */
function message(update: Uint8Array): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarString(e, NAME);
  encoding.writeVarUint(e, 0);
  encoding.writeVarUint(e, 2);
  encoding.writeVarUint8Array(e, update);
  return encoding.toUint8Array(e);
}

/** Runs the guard on `update` from `userId`, then applies it as Hocuspocus would. */
async function send(
  env: ReturnType<typeof setup>,
  update: Uint8Array,
  context: CollabContext,
): Promise<string | null> {
  const connection = { readOnly: false } as Connection<CollabContext>;
  try {
    await env.guard.beforeHandleMessage({
      update: message(update),
      connection,
      document: env.server,
      documentName: NAME,
      context,
    } as unknown as beforeHandleMessagePayload<CollabContext>);
  } catch (error) {
    return (error as { reason?: string }).reason ?? 'error';
  }
  Y.applyUpdate(env.server, update);
  await env.guard.afterHandleMessage({ context } as never);
  return null;
}

const changeOf = (doc: Y.Doc, change: () => void): Uint8Array => {
  const before = Y.encodeStateVector(doc);
  change();
  return Y.encodeStateAsUpdate(doc, before);
};

const person = (userId: string): CollabContext => ({
  socket: { authenticated: true },
  userId,
  documentId: 'd1',
});

/** Runs the guard on `update` from a read-only connection; resolves with the refusal, if any. */
async function sendReadOnly(env: ReturnType<typeof setup>, update: Uint8Array): Promise<string | null> {
  try {
    await env.guard.beforeHandleMessage({
      update: message(update),
      connection: { readOnly: true } as Connection<CollabContext>,
      document: env.server,
      documentName: NAME,
      context: person('lecteur'),
    } as unknown as beforeHandleMessagePayload<CollabContext>);
  } catch (error) {
    return (error as { reason?: string }).reason ?? 'error';
  }
  return null;
}

describe('MessageGuardExtension', () => {
  it('refuses, and reports, an update of more structs than an editor sends, from a writer or a reader', async () => {
    const refused: string[] = [];
    const env = setup({ onRefused: (_doc, userId, refusal) => refused.push(`${userId}: ${refusal}`) });
    const huge = changeOf(env.writer, () => {
      for (let i = 0; i <= MAX_UPDATE_STRUCTS; i++) env.text.insert(0, 'x');
    });
    const before = Y.encodeStateAsUpdate(env.server);
    expect(await send(env, huge, person('u1'))).toBe(UpdateRefusal.UpdateTooLarge);
    expect(await sendReadOnly(env, huge)).toBe(UpdateRefusal.UpdateTooLarge);
    expect(Y.encodeStateAsUpdate(env.server)).toEqual(before);
    expect(refused).toEqual([
      `u1: ${UpdateRefusal.UpdateTooLarge}`,
      `lecteur: ${UpdateRefusal.UpdateTooLarge}`,
    ]);
    // A reader's ordinary update passes the guard (Hocuspocus refuses it later); garbage does not.
    const reader = new Y.Doc();
    Y.applyUpdate(reader, Y.encodeStateAsUpdate(env.server));
    const small = changeOf(reader, () => reader.getMap('meta').set('title', 'Pair-aidance'));
    expect(await sendReadOnly(env, small)).toBeNull();
    expect(await sendReadOnly(env, new Uint8Array([1, 1, 0xff]))).toBe(UpdateRefusal.Malformed);
  });

  it('lets a writer add and delete near the size limit without measuring the document again and again', async () => {
    // Each cycle adds about 30 bytes of structure the bound keeps: 40 cycles stay under the limit.
    const env = setup({}, 4_000);
    const me = person('u1');
    const outcomes: (string | null)[] = [];
    for (let i = 0; i < 40; i++) {
      outcomes.push(
        await send(
          env,
          changeOf(env.writer, () => env.text.insert(0, 'x'.repeat(800))),
          me,
        ),
      );
      outcomes.push(
        await send(
          env,
          changeOf(env.writer, () => env.text.delete(0, 800)),
          me,
        ),
      );
    }
    expect(outcomes.filter((o) => o !== null)).toEqual([]);
    // The first measure, and none since: deletions lower the bound by the text they remove.
    expect(env.measures()).toBe(1);
  });

  it('refuses growth past the limit, lets anyone delete, then lets writing go on', async () => {
    const env = setup();
    const me = person('u1');
    expect(
      await send(
        env,
        changeOf(env.writer, () => env.text.insert(0, 'x'.repeat(1_500))),
        me,
      ),
    ).toBeNull();
    const replica = new Y.Doc();
    Y.applyUpdate(replica, Y.encodeStateAsUpdate(env.writer));
    expect(
      await send(
        env,
        changeOf(env.writer, () => env.text.insert(0, 'y'.repeat(1_500))),
        me,
      ),
    ).toBe(UpdateRefusal.DocumentTooLarge);
    // The refused text stays on the writer's side only; start again from what the server has.
    const back = new Y.Doc();
    Y.applyUpdate(back, Y.encodeStateAsUpdate(env.server));
    const text = (
      (back.getXmlFragment(FRAGMENT).get(0) as Y.XmlElement)
        .toArray()
        .find((c) => c instanceof Y.XmlElement && c.nodeName === 'paragraph') as Y.XmlElement
    ).get(0) as Y.XmlText;
    expect(
      await send(
        env,
        changeOf(back, () => text.delete(0, 1_500)),
        person('u2'),
      ),
    ).toBeNull();
    expect(
      await send(
        env,
        changeOf(back, () => text.insert(0, 'De nouveau.')),
        person('u2'),
      ),
    ).toBeNull();
  });

  it('refuses writing under a client id a service claimed for someone else after the guard read the claims', async () => {
    const claims = new Map<number, string>();
    const env = setup({
      clients: {
        owners: () => new Map(claims),
        owner: (_doc, client) => claims.get(client),
        claim: (_doc, client, user) => void claims.set(client, user),
      },
    });
    // The guard reads the claims at the first update of the document.
    const other = new Y.Doc();
    Y.applyUpdate(other, Y.encodeStateAsUpdate(env.server));
    expect(
      await send(
        env,
        changeOf(env.writer, () => env.text.insert(0, 'a')),
        person('u1'),
      ),
    ).toBeNull();
    // A restore claims a fresh client id for u2, outside the guard (server/src/services/versionService.ts).
    claims.set(other.clientID, 'u2');
    const text = (other.getXmlFragment(FRAGMENT).get(0) as Y.XmlElement)
      .toArray()
      .find((c): c is Y.XmlElement => c instanceof Y.XmlElement && c.nodeName === 'paragraph');
    const forged = changeOf(other, () => text?.insert(0, [new Y.XmlText('usurpé')]));
    expect(await send(env, forged, person('u3'))).toBe(UpdateRefusal.Invalid);
  });

  it('refuses writing under the server’s own client id, which writes the system’s repairs', async () => {
    const env = setup({
      clients: { owners: () => new Map(), owner: () => undefined, claim: () => undefined },
    });
    const spoof = new Y.Doc();
    Y.applyUpdate(spoof, Y.encodeStateAsUpdate(env.server));
    // Set after loading: Yjs itself changes a client id it sees in the updates it applies.
    spoof.clientID = env.server.clientID;
    const text = (spoof.getXmlFragment(FRAGMENT).get(0) as Y.XmlElement)
      .toArray()
      .find((c): c is Y.XmlElement => c instanceof Y.XmlElement && c.nodeName === 'paragraph');
    expect(
      await send(
        env,
        changeOf(spoof, () => text?.insert(0, [new Y.XmlText('x')])),
        person('u1'),
      ),
    ).toBe(UpdateRefusal.Invalid);
  });

  it('ties a client id to its first writer: another person cannot write under it', async () => {
    const env = setup({
      clients: { owners: () => new Map(), owner: () => undefined, claim: () => undefined },
    });
    expect(
      await send(
        env,
        changeOf(env.writer, () => env.text.insert(0, 'a')),
        person('u1'),
      ),
    ).toBeNull();
    expect(
      await send(
        env,
        changeOf(env.writer, () => env.text.insert(0, 'b')),
        person('u2'),
      ),
    ).toBe(UpdateRefusal.Invalid);
  });

  it('lets one holder at a time through a document lock, in arrival order', async () => {
    const locks = new DocumentLocks();
    const doc = new Y.Doc();
    const order: string[] = [];
    const first = await locks.acquire(doc);
    const second = locks.acquire(doc).then((release) => {
      order.push('second');
      release();
    });
    const third = locks.acquire(doc).then((release) => {
      order.push('third');
      release();
    });
    order.push('first');
    first();
    await Promise.all([second, third]);
    expect(order).toEqual(['first', 'second', 'third']);
  });

  describe('an update that builds on its writer’s own updates the server never received (issue 17)', () => {
    /** A sync message (`step`: 1 for a SyncStep2, 2 for an update), as a provider sends it. */
    const syncMessage = (step: number, update: Uint8Array): Uint8Array => {
      const e = encoding.createEncoder();
      encoding.writeVarString(e, NAME);
      encoding.writeVarUint(e, 0);
      encoding.writeVarUint(e, step);
      encoding.writeVarUint8Array(e, update);
      return encoding.toUint8Array(e);
    };

    /**
     * Hocuspocus's handling of one message on one connection: the guard, then (unless it refused)
     * the message as the guard left it: a sync update or step 2 is applied; anything else (the
     * presence query a dropped update becomes) changes nothing.
     */
    async function deliver(
      env: ReturnType<typeof setup>,
      connection: Connection<CollabContext>,
      frame: Uint8Array,
      context: CollabContext,
    ): Promise<{ refused: string | null; applied: boolean }> {
      try {
        await env.guard.beforeHandleMessage({
          update: frame,
          connection,
          document: env.server,
          documentName: NAME,
          context,
        } as unknown as beforeHandleMessagePayload<CollabContext>);
      } catch (error) {
        return { refused: (error as { reason?: string }).reason ?? 'error', applied: false };
      }
      const decoder = decoding.createDecoder(frame);
      decoding.readVarString(decoder);
      const applied = decoding.readVarUint(decoder) === 0;
      if (applied) {
        decoding.readVarUint(decoder);
        Y.applyUpdate(env.server, decoding.readVarUint8Array(decoder));
      }
      await env.guard.afterHandleMessage({ context } as never);
      return { refused: null, applied };
    }

    /** A connection that keeps what the server sends it. */
    const connectionFor = () => {
      const sent: Uint8Array[] = [];
      const connection = {
        readOnly: false,
        send: (frame: Uint8Array) => void sent.push(frame),
      } as unknown as Connection<CollabContext>;
      return { connection, sent };
    };

    /** The state vector of a SyncStep1 the server sent. */
    const stateVectorOf = (frame: Uint8Array): Uint8Array => {
      const decoder = decoding.createDecoder(frame);
      expect(decoding.readVarString(decoder)).toBe(NAME);
      expect(decoding.readVarUint(decoder)).toBe(0); // sync
      expect(decoding.readVarUint(decoder)).toBe(0); // step 1
      return decoding.readVarUint8Array(decoder);
    };

    /** A guard with a claims table, a writer u1 whose client id is claimed, and its second update lost. */
    async function lostUpdate(onRefused?: MessageGuardOptions['onRefused']) {
      const claims = new Map<number, string>();
      const env = setup({
        clients: {
          owners: () => new Map(claims),
          owner: (_doc, client) => claims.get(client),
          claim: (_doc, client, user) => void claims.set(client, user),
        },
        ...(onRefused ? { onRefused } : {}),
      });
      const { connection, sent } = connectionFor();
      const first = changeOf(env.writer, () => env.text.insert(0, 'avant '));
      expect((await deliver(env, connection, syncMessage(2, first), person('u1'))).refused).toBeNull();
      // Sent, never received: lost with the restart.
      changeOf(env.writer, () => env.text.insert(env.text.length, 'perdu '));
      return { env, connection, sent, claims };
    }

    it('drops it, asks the writer for what the server lacks, and takes the answer, nothing refused', async () => {
      const { env, connection, sent } = await lostUpdate();
      const next = changeOf(env.writer, () => env.text.insert(env.text.length, 'après'));
      const delivered = await deliver(env, connection, syncMessage(2, next), person('u1'));
      expect(delivered).toEqual({ refused: null, applied: false });
      expect(env.server.getXmlFragment(FRAGMENT).toString()).not.toContain('après');
      expect(sent).toHaveLength(1);
      // The provider answers a SyncStep1 with a SyncStep2 of what that state vector lacks.
      const answer = Y.encodeStateAsUpdate(env.writer, stateVectorOf(sent[0] ?? new Uint8Array()));
      expect(await deliver(env, connection, syncMessage(1, answer), person('u1'))).toEqual({
        refused: null,
        applied: true,
      });
      expect(env.text.toString()).toBe('avant perdu après');
      expect(env.server.getXmlFragment(FRAGMENT).toString()).toBe(
        env.writer.getXmlFragment(FRAGMENT).toString(),
      );
    });

    it('refuses it as before when the missing content was written under another person’s client id', async () => {
      const refused: string[] = [];
      const { env, sent } = await lostUpdate((_doc, userId) => void refused.push(userId ?? ''));
      const next = changeOf(env.writer, () => env.text.insert(env.text.length, 'usurpé'));
      const other = connectionFor();
      expect(await deliver(env, other.connection, syncMessage(2, next), person('u2'))).toEqual({
        refused: UpdateRefusal.Invalid,
        applied: false,
      });
      expect(sent).toHaveLength(0);
      expect(other.sent).toHaveLength(0);
      expect(refused).toEqual(['u2']);
    });

    it('refuses it when the missing content was written under a client id nobody owns', async () => {
      const { env, connection, sent } = await lostUpdate();
      const stranger = new Y.Doc();
      Y.applyUpdate(stranger, Y.encodeStateAsUpdate(env.server));
      const text = (stranger.getXmlFragment(FRAGMENT).get(0) as Y.XmlElement)
        .toArray()
        .find((c): c is Y.XmlElement => c instanceof Y.XmlElement && c.nodeName === 'paragraph');
      const inner = new Y.XmlText();
      changeOf(stranger, () => text?.insert(0, [inner]));
      const gapped = changeOf(stranger, () => inner.insert(0, 'x'));
      expect((await deliver(env, connection, syncMessage(2, gapped), person('u1'))).refused).toBe(
        UpdateRefusal.Invalid,
      );
      expect(sent).toHaveLength(0);
    });

    it('asks once for a burst of updates that all build on the lost one, and the answer brings them all', async () => {
      const refused: string[] = [];
      const { env, connection, sent } = await lostUpdate((_doc, userId) => void refused.push(userId ?? ''));
      // What a provider queued during the restart arrives in one burst, each update with the gap.
      for (let i = 0; i < MAX_MISSING_REQUESTS * 2; i++) {
        const next = changeOf(env.writer, () => env.text.insert(env.text.length, `${i} `));
        expect(await deliver(env, connection, syncMessage(2, next), person('u1'))).toEqual({
          refused: null,
          applied: false,
        });
      }
      expect(sent).toHaveLength(1);
      expect(refused).toEqual([]);
      const answer = Y.encodeStateAsUpdate(env.writer, stateVectorOf(sent[0] ?? new Uint8Array()));
      expect((await deliver(env, connection, syncMessage(1, answer), person('u1'))).applied).toBe(true);
      expect(env.server.getXmlFragment(FRAGMENT).toString()).toBe(
        env.writer.getXmlFragment(FRAGMENT).toString(),
      );
    });

    it('asks at most MAX_MISSING_REQUESTS times in its window, answered or not, then refuses and reports as before', async () => {
      const refused: string[] = [];
      const { env, connection, sent } = await lostUpdate((_doc, userId) => void refused.push(userId ?? ''));
      const empty = Y.encodeStateAsUpdate(new Y.Doc());
      for (let i = 0; i < MAX_MISSING_REQUESTS; i++) {
        const next = changeOf(env.writer, () => env.text.insert(env.text.length, `${i} `));
        expect((await deliver(env, connection, syncMessage(2, next), person('u1'))).refused).toBeNull();
        // An answer that brings nothing: the next gapped update is asked for again.
        expect((await deliver(env, connection, syncMessage(1, empty), person('u1'))).refused).toBeNull();
      }
      expect(sent).toHaveLength(MAX_MISSING_REQUESTS);
      expect(refused).toEqual([]);
      const more = changeOf(env.writer, () => env.text.insert(env.text.length, 'encore'));
      expect((await deliver(env, connection, syncMessage(2, more), person('u1'))).refused).toBe(
        UpdateRefusal.Invalid,
      );
      expect(refused).toEqual(['u1']);
    });

    it('asks again a writer whose ask went unanswered for MISSING_ANSWER_WAIT_MS', async () => {
      const { env, connection, sent } = await lostUpdate();
      let now = Date.now();
      const clock = vi.spyOn(Date, 'now').mockImplementation(() => now);
      try {
        const first = changeOf(env.writer, () => env.text.insert(env.text.length, 'un '));
        await deliver(env, connection, syncMessage(2, first), person('u1'));
        now += MISSING_ANSWER_WAIT_MS - 1;
        const second = changeOf(env.writer, () => env.text.insert(env.text.length, 'deux '));
        await deliver(env, connection, syncMessage(2, second), person('u1'));
        expect(sent).toHaveLength(1);
        now += 1;
        const third = changeOf(env.writer, () => env.text.insert(env.text.length, 'trois'));
        expect((await deliver(env, connection, syncMessage(2, third), person('u1'))).refused).toBeNull();
        expect(sent).toHaveLength(2);
      } finally {
        clock.mockRestore();
      }
    });
  });
});
