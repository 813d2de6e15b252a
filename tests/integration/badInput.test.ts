import net from 'node:net';
import { once } from 'node:events';
import { CloseCode, DenialReason, MESSAGE_TOO_BIG } from '@essaim/protocol';
import * as encoding from 'lib0/encoding';
import { describe, expect, it } from 'vitest';
import { Awareness, encodeAwarenessUpdate } from 'y-protocols/awareness';
import * as Y from 'yjs';
import { createDocument } from '../support/accounts.js';
import { useTestInstance } from '../support/instance.js';
import { isSettled, synced } from '../support/provider.js';
import { Msg, RawClient, frame } from '../support/rawClient.js';

const t = useTestInstance();

async function authenticated(name: string): Promise<RawClient> {
  const raw = await RawClient.open(t.server.wsUrl);
  raw.authenticate(name, await t.admin.collabToken());
  await expect.poll(() => raw.frames.some((f) => f.type === Msg.Auth && f.authType === 2)).toBe(true);
  return raw;
}

function awarenessUpdate(clientID: number, state: Record<string, unknown>): Uint8Array {
  const doc = new Y.Doc();
  doc.clientID = clientID;
  const awareness = new Awareness(doc);
  awareness.setLocalState(state);
  return encodeAwarenessUpdate(awareness, [clientID]);
}

describe('websocket input the server must refuse', () => {
  it.each([
    ['a well-formed name of a document that does not exist', 'doc.00000000-0000-4000-8000-000000000000'],
    ['a name outside the doc.<id> scheme', 'fiche-pratique'],
    ['a path trick', 'doc.../../essaim.sqlite'],
  ])('refuses %s with a named reason', async (_label, name) => {
    const client = t.open(name);
    const reasons: string[] = [];
    client.provider.on('authenticationFailed', ({ reason }: { reason: string }) => reasons.push(reason));
    await expect.poll(() => reasons).toEqual([DenialReason.DocumentNotFound]);
    expect(client.provider.isSynced).toBe(false);
  });

  it('closes only the connection that sent a malformed binary message, and keeps serving everyone else', async () => {
    const { name } = await createDocument(t.admin, t.espaceId);
    const alice = t.open(name);
    const bob = t.open(name);
    await expect.poll(() => isSettled(alice) && isSettled(bob)).toBe(true);
    await synced(alice);
    await synced(bob);

    const garbage = await RawClient.open(t.server.wsUrl);
    garbage.send(new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]));
    await garbage.closed;

    const broken = await authenticated(name);
    // A sync "update" message whose payload is not a Yjs update.
    broken.send(
      frame(name, Msg.Sync, (e) => {
        encoding.writeVarUint(e, 2); // a Yjs update…
        encoding.writeVarUint8Array(e, new Uint8Array([0xde, 0xad, 0xbe, 0xef, 0x00])); // …that is not one
      }),
    );
    await expect.poll(() => broken.frames.some((f) => f.type === Msg.Close)).toBe(true);

    alice.text.insert(0, 'toujours là');
    await expect.poll(() => bob.text.toString()).toBe('toujours là');
    broken.close();
  });

  it('closes a socket that sends a frame larger than the configured maximum, with code 1009', async () => {
    const { name } = await createDocument(t.admin, t.espaceId);
    const raw = await authenticated(name);
    raw.send(new Uint8Array(2 * 1024 * 1024 + 1));
    expect(await raw.closed).toBe(MESSAGE_TOO_BIG);
  });

  it('applies a much smaller limit before the socket has authenticated', async () => {
    const raw = await RawClient.open(t.server.wsUrl);
    raw.send(new Uint8Array(100 * 1024));
    expect(await raw.closed).toBe(CloseCode.TooLarge);
  });

  it('refuses an upgrade from a foreign browser origin', async () => {
    await expect(
      RawClient.open(t.server.wsUrl, { origin: 'https://site-malveillant.example' }),
    ).rejects.toThrow('HTTP 403');
    const ok = await RawClient.open(t.server.wsUrl, { origin: t.server.url });
    ok.close();
  });

  it('refuses awareness that speaks for another client, so nobody can impersonate a caret', async () => {
    const { name } = await createDocument(t.admin, t.espaceId);
    const bob = t.open(name);
    await expect.poll(() => isSettled(bob)).toBe(true);

    const raw = await authenticated(name);
    raw.sendAwareness(name, awarenessUpdate(111, { user: { name: 'Moi' } }));
    await expect.poll(() => bob.provider.awareness?.getStates().has(111)).toBe(true);

    raw.sendAwareness(name, awarenessUpdate(222, { user: { name: 'Quelqu’un d’autre' } }));
    await expect.poll(() => raw.frames.some((f) => f.type === Msg.Close)).toBe(true);
    expect(bob.provider.awareness?.getStates().has(222)).toBe(false);
    raw.close();
  });

  it('refuses an oversized awareness state', async () => {
    const { name } = await createDocument(t.admin, t.espaceId);
    const raw = await authenticated(name);
    raw.sendAwareness(name, awarenessUpdate(333, { user: { name: 'x'.repeat(10_000) } }));
    await expect.poll(() => raw.frames.some((f) => f.type === Msg.Close)).toBe(true);
    raw.close();
  });
});

describe('/api bodies', () => {
  const post = (body: string) =>
    t.admin.fetch('/api/documents', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
  const count = async () =>
    ((await (await t.admin.fetch('/api/documents')).json()) as { documents: unknown[] }).documents.length;

  it('answers 400 with the French reason for each invalid field', async () => {
    const response = await post(JSON.stringify({ title: '   ', kind: 'roman', espaceId: t.espaceId }));
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: string; message: string; details: { path: string }[] };
    expect(body.error).toBe('invalid_input');
    expect(body.message).toContain('Le titre est obligatoire.');
    expect(body.details.map((d) => d.path).sort()).toEqual(['kind', 'title']);
  });

  it('answers 400 for a body that is not JSON', async () => {
    const response = await post('{"title": ');
    expect(response.status).toBe(400);
    expect(((await response.json()) as { message: string }).message).toBe(
      'Le corps de la requête n’est pas du JSON valide.',
    );
  });

  it('answers 413 for an oversized body and stores nothing', async () => {
    const before = await count();
    const response = await post(
      JSON.stringify({ title: 'x'.repeat(300_000), kind: 'fiche', espaceId: t.espaceId }),
    );
    expect(response.status).toBe(413);
    expect(await count()).toBe(before);
  });

  it('answers 404 in JSON for an unknown API path', async () => {
    const response = await fetch(`${t.server.url}/api/inexistant`);
    expect(response.status).toBe(404);
    expect(((await response.json()) as { error: string }).error).toBe('not_found');
  });

  it('creates a document and lists it with its collaborative name', async () => {
    const created = await createDocument(t.admin, t.espaceId, 'Pair-aidance en santé mentale', 'fiche');
    expect(created.name).toBe(`doc.${created.id}`);
    const list = (await (await t.admin.fetch('/api/documents')).json()) as { documents: { id: string }[] };
    expect(list.documents.map((d) => d.id)).toContain(created.id);
    const health = await fetch(`${t.server.url}/api/health`);
    expect(await health.json()).toEqual({ status: 'ok' });
  });
});

/** Sends `request` as raw bytes on a new TCP connection and resolves with all the server wrote. */
async function rawHttp(request: string): Promise<string> {
  const { port } = new URL(t.server.url);
  const socket = net.connect(Number(port), '127.0.0.1');
  const chunks: Buffer[] = [];
  socket.on('data', (chunk: Buffer) => chunks.push(chunk));
  socket.write(request);
  await once(socket, 'close');
  return Buffer.concat(chunks).toString('utf8');
}

describe('requests the HTTP parser refuses before any route', () => {
  it('answers 431 with a French sentence for an address longer than the header limit, and keeps serving', async () => {
    const answer = await rawHttp(`GET /api/documents?q=${'a'.repeat(20_000)} HTTP/1.1\r\nHost: x\r\n\r\n`);
    expect(answer).toMatch(/^HTTP\/1\.1 431 /);
    expect(answer).toContain('Content-Type: text/plain; charset=utf-8');
    expect(answer.endsWith('Adresse ou en-têtes de la requête trop longs.')).toBe(true);
    const health = await fetch(`${t.server.url}/api/health`);
    expect(health.status).toBe(200);
  });

  it('answers 400 with a French sentence for a body whose chunk size is not one', async () => {
    const answer = await rawHttp(
      'POST /api/documents HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n',
    );
    expect(answer).toMatch(/^HTTP\/1\.1 400 /);
    expect(answer.endsWith('Requête HTTP mal formée.')).toBe(true);
  });

  it('answers 400 with a French sentence for bytes that are not HTTP', async () => {
    const answer = await rawHttp('NOT HTTP AT ALL\r\n\r\n');
    expect(answer).toMatch(/^HTTP\/1\.1 400 /);
    expect(answer.endsWith('Requête HTTP mal formée.')).toBe(true);
  });
});
