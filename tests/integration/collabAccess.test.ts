import { DenialReason, parseServerStateless } from '@essaim/protocol';
import * as encoding from 'lib0/encoding';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createDocument, invite, login, setupInstance, type Session } from '../support/accounts.js';
import {
  connectAs,
  connectClient,
  firstParagraphText,
  isSettled,
  synced,
  type NodeClient,
} from '../support/provider.js';
import { frame, Msg, RawClient } from '../support/rawClient.js';
import { startTestServer, type TestServer } from '../support/server.js';

let server: TestServer;
let animateur: Session;
let espaceId: string;
const clients: NodeClient[] = [];

beforeAll(async () => {
  server = await startTestServer({ env: { COLLAB_RECHECK_SECONDS: '0.2' } });
  ({ admin: animateur, espaceId } = await setupInstance(server.url));
});

afterAll(async () => {
  for (const c of clients) c.destroy();
  await server.stop();
});

function open(session: Session, name: string): NodeClient {
  const client = connectAs(session, server.wsUrl, name);
  clients.push(client);
  return client;
}

/** The text of the first paragraph as the server holds it (undefined while the document is not loaded). */
const serverText = (name: string): string | undefined => {
  const document = server.app.hocuspocus.documents.get(name);
  return document && firstParagraphText(document)?.toString();
};

describe('what a websocket may do, decided by the same rules as the API', () => {
  it('refuses a membre’s updates: the stored document and the other clients stay unchanged', async () => {
    const membre = await invite(animateur, espaceId, 'membre', 'Marc Membre');
    const { name } = await createDocument(animateur, espaceId);
    const writer = open(animateur, name);
    (await synced(writer)).insert(0, 'Texte validé.');
    await expect.poll(() => isSettled(writer)).toBe(true);

    const reader = open(membre, name);
    await expect.poll(() => reader.provider.authorizedScope).toBe('readonly');
    await synced(reader);
    await expect.poll(() => reader.text.toString()).toBe('Texte validé.');

    // Through the provider: the local edit is never acknowledged.
    reader.text.insert(0, 'Modification interdite. ');
    await expect.poll(() => reader.provider.hasUnsyncedChanges).toBe(true);

    // And raw: a hand-made update frame on an authenticated read-only connection.
    const raw = await RawClient.open(server.wsUrl);
    raw.authenticate(name, await membre.collabToken());
    await expect.poll(() => raw.frames.some((f) => f.type === Msg.Auth && f.text === 'readonly')).toBe(true);
    const forged = new Y.Doc();
    Y.applyUpdate(forged, Y.encodeStateAsUpdate(writer.ydoc));
    const forgedText = firstParagraphText(forged);
    if (!forgedText) throw new Error('le document falsifié devrait avoir le paragraphe du modèle');
    forgedText.insert(0, 'Falsifié ! ');
    const update = Y.encodeStateAsUpdate(forged, Y.encodeStateVector(writer.ydoc));
    raw.send(
      frame(name, Msg.Sync, (e) => {
        encoding.writeVarUint(e, 2);
        encoding.writeVarUint8Array(e, update);
      }),
    );
    await expect.poll(() => raw.frames.some((f) => f.type === Msg.SyncStatus)).toBe(true);

    expect(serverText(name)).toBe('Texte validé.');
    expect(writer.text.toString()).toBe('Texte validé.');
    const late = open(animateur, name);
    await expect.poll(() => isSettled(late)).toBe(true);
    expect(late.text.toString()).toBe('Texte validé.');
    raw.close();
  });

  it('takes write access from a rapporteur within a second of being unassigned, while connected', async () => {
    const rapporteur = await invite(animateur, espaceId, 'rapporteur', 'Rachid Rapporteur');
    const { id, name } = await createDocument(animateur, espaceId);
    await animateur.fetch(`/api/documents/${id}/assignments`, {
      method: 'POST',
      json: { userId: rapporteur.userId },
    });
    const client = open(rapporteur, name);
    await expect.poll(() => client.provider.authorizedScope).toBe('read-write');
    (await synced(client)).insert(0, 'Avant. ');
    await expect.poll(() => serverText(name)).toBe('Avant. ');

    const told: string[] = [];
    client.provider.on('stateless', ({ payload }: { payload: string }) => {
      const message = parseServerStateless(payload);
      if (message) told.push(message.access);
    });
    const started = Date.now();
    const response = await animateur.fetch(`/api/documents/${id}/assignments/${rapporteur.userId}`, {
      method: 'DELETE',
    });
    expect(response.status).toBe(200);
    await expect.poll(() => told, { timeout: 1000, interval: 20 }).toEqual(['read']);
    expect(Date.now() - started).toBeLessThan(1000);

    client.text.insert(client.text.length, 'Après.');
    await expect.poll(() => client.provider.hasUnsyncedChanges).toBe(true);
    expect(serverText(name)).toBe('Avant. ');

    // Assigned again: writing works at once, on the same connection.
    await animateur.fetch(`/api/documents/${id}/assignments`, {
      method: 'POST',
      json: { userId: rapporteur.userId },
    });
    await expect.poll(() => told).toEqual(['read', 'write']);
    client.text.insert(0, '!');
    await expect.poll(() => serverText(name)?.startsWith('!')).toBe(true);
  });

  it('closes the connections of a person removed from the espace', async () => {
    const rapporteur = await invite(animateur, espaceId, 'rapporteur', 'Rose Retirée');
    const { name } = await createDocument(rapporteur, espaceId);
    const client = open(rapporteur, name);
    await expect.poll(() => isSettled(client)).toBe(true);
    const closed: string[] = [];
    client.provider.on('close', ({ event }: { event: { reason: string } }) => closed.push(event.reason));
    await animateur.fetch(`/api/espaces/${espaceId}/members/${rapporteur.userId}`, { method: 'DELETE' });
    await expect.poll(() => closed).toContain(DenialReason.Forbidden);
    expect(server.app.hocuspocus.documents.get(name)?.getConnectionsCount() ?? 0).toBe(1 - 1);
  });

  it('refuses a logged-out session on REST and on websockets, and closes its open connections', async () => {
    const membre = await invite(animateur, espaceId, 'membre', 'Louise Logout');
    const { name } = await createDocument(animateur, espaceId);
    const token = await membre.collabToken();
    const client = open(membre, name);
    await expect.poll(() => isSettled(client)).toBe(true);
    const closed: string[] = [];
    client.provider.on('close', ({ event }: { event: { reason: string } }) => closed.push(event.reason));

    expect((await membre.fetch('/api/auth/logout', { method: 'POST' })).status).toBe(204);
    expect((await membre.fetch('/api/espaces')).status).toBe(401);
    await expect.poll(() => closed).toContain(DenialReason.Unauthorized);

    const reasons: string[] = [];
    const again = connectClient(server.wsUrl, name, { token });
    clients.push(again);
    again.provider.on('authenticationFailed', ({ reason }: { reason: string }) => reasons.push(reason));
    await expect.poll(() => reasons[0]).toBe(DenialReason.Unauthorized);
  });

  it('refuses a disabled account everywhere at once', async () => {
    const rapporteur = await invite(animateur, espaceId, 'rapporteur', 'Denis Désactivé');
    const { name } = await createDocument(rapporteur, espaceId);
    const client = open(rapporteur, name);
    await expect.poll(() => isSettled(client)).toBe(true);
    const closed: string[] = [];
    client.provider.on('close', ({ event }: { event: { reason: string } }) => closed.push(event.reason));
    expect(
      (await animateur.fetch(`/api/users/${rapporteur.userId}/disable`, { method: 'POST' })).status,
    ).toBe(204);
    await expect.poll(() => closed.length).toBeGreaterThan(0);
    expect((await rapporteur.fetch('/api/espaces')).status).toBe(401);
    const relog = await fetch(`${server.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: server.url },
      body: JSON.stringify({ email: rapporteur.email, password: 'mot-de-passe-de-test-1' }),
    });
    expect(relog.status).toBe(401);
    expect(((await relog.json()) as { message: string }).message).toContain('désactivé');
  });
});

describe('session expiry', () => {
  it('refuses an expired session on REST and closes its websocket', async () => {
    const short = await startTestServer({ env: { SESSION_TTL_SECONDS: '1', COLLAB_RECHECK_SECONDS: '0.2' } });
    try {
      const { admin, espaceId: espace } = await setupInstance(short.url);
      const { name } = await createDocument(admin, espace);
      const client = connectAs(admin, short.wsUrl, name);
      clients.push(client);
      await expect.poll(() => isSettled(client)).toBe(true);
      const closed: string[] = [];
      client.provider.on('close', ({ event }: { event: { reason: string } }) => closed.push(event.reason));

      await expect.poll(() => admin.fetch('/api/espaces').then((r) => r.status), { timeout: 5000 }).toBe(401);
      await expect.poll(() => closed, { timeout: 5000 }).toContain(DenialReason.Unauthorized);
      const me = (await (await admin.fetch('/api/auth/me')).json()) as { user: unknown };
      expect(me.user).toBeNull();
      // Logging in again works.
      const fresh = await login(short.url, admin.email);
      expect((await fresh.fetch('/api/espaces')).status).toBe(200);
    } finally {
      await short.stop();
    }
  });
});
