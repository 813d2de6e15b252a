import {
  parseThreadsChangedMessage,
  type AuditEntryDto,
  type CommentDto,
  type DocumentListDto,
  type NotificationListDto,
  type ThreadsChangedMessage,
} from '@essaim/protocol';
import { beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createDocument, invite, type Session } from '../support/accounts.js';
import {
  commentOn,
  createThread,
  getThread,
  listThreads,
  replyTo,
  sectionId,
  threadInput,
  writeInSection,
} from '../support/comments.js';
import { useTestInstance } from '../support/instance.js';
import { outsider, syncedOpener } from '../support/sessions.js';
import { isSettled, type NodeClient } from '../support/provider.js';

/**
 * Comment threads through the API (issue 10): membres comment as fully as rapporteurs without
 * the document changing by a single byte, everyone connected hears of each change, bodies are
 * plain text kept verbatim, and parallel requests never make two resolutions or a reply lost in
 * a deleted thread.
 */

const t = useTestInstance();
const SETTLE = { timeout: 10_000 };
let rapporteurLibre: Session;
let membre: Session;
let autreMembre: Session;
let exterieur: Session;

beforeAll(async () => {
  rapporteurLibre = await invite(t.admin, t.espaceId, 'rapporteur', 'Rose Rapporteuse');
  membre = await invite(t.admin, t.espaceId, 'membre', 'Marc Membre');
  autreMembre = await invite(t.admin, t.espaceId, 'membre', 'Mona Membre');
  exterieur = await outsider(t.admin, 'Esther Extérieure');
});

const open = syncedOpener(t, SETTLE.timeout);

/** A document with a sentence written in its second section, and a reader's synced copy. */
async function documentWithText(
  title: string,
): Promise<{ id: string; name: string; section: string; reader: NodeClient }> {
  const doc = await createDocument(t.admin, t.espaceId, title);
  const writer = await open(t.admin, doc.name);
  const section = sectionId(writer.ydoc, 1);
  writeInSection(
    writer.ydoc,
    section,
    'Les familles décident ensemble du plan d’aide, avec le coordinateur.',
  );
  await expect.poll(() => isSettled(writer), SETTLE).toBe(true);
  const reader = await open(membre, doc.name);
  writer.destroy();
  return { ...doc, section, reader };
}

/** Every stateless `threads-changed` message a client receives. */
function messagesOf(client: NodeClient): ThreadsChangedMessage[] {
  const received: ThreadsChangedMessage[] = [];
  client.provider.on('stateless', ({ payload }: { payload: string }) => {
    const message = parseThreadsChangedMessage(payload);
    if (message) received.push(message);
  });
  return received;
}

const live = (name: string): Y.Doc => t.server.app.hocuspocus.documents.get(name) as Y.Doc;
const bytes = (u: Uint8Array): string => Buffer.from(u).toString('base64');

describe('membres comment without writing to the document', () => {
  it('lets a membre create and reply, and a rapporteur resolve, while the server’s document stays byte-for-byte the same', async () => {
    const doc = await documentWithText('Sans toucher au texte');
    const rapporteurReader = await open(rapporteurLibre, doc.name);
    expect(doc.reader.provider.isSynced).toBe(true);
    const vector = bytes(Y.encodeStateVector(live(doc.name)));
    const state = bytes(Y.encodeStateAsUpdate(live(doc.name)));
    const logRows = t.server.services.collabStore.load(doc.id).updates.length;

    const thread = await commentOn(membre, doc, 'familles décident', 'Toutes ?');
    const whole = await createThread(membre, doc.id, {
      sectionId: doc.section,
      body: 'Section trop courte.',
    });
    await replyTo(membre, thread.id, 'Je précise : les familles élargies.');
    await replyTo(rapporteurLibre, thread.id, 'Oui, toutes.');
    const refused = await membre.fetch(`/api/threads/${thread.id}/resolve`, { method: 'POST' });
    expect(refused.status).toBe(403);
    const resolved = await rapporteurLibre.fetch(`/api/threads/${thread.id}/resolve`, { method: 'POST' });
    expect(resolved.status).toBe(200);
    const wholeResolved = await rapporteurLibre.fetch(`/api/threads/${whole.id}/resolve`, { method: 'POST' });
    expect(wholeResolved.status).toBe(200);
    await listThreads(membre, doc.id);

    expect(bytes(Y.encodeStateVector(live(doc.name)))).toBe(vector);
    expect(bytes(Y.encodeStateAsUpdate(live(doc.name)))).toBe(state);
    expect(t.server.services.collabStore.load(doc.id).updates.length).toBe(logRows);
    expect(bytes(Y.encodeStateVector(doc.reader.ydoc))).toBe(vector);
    expect(bytes(Y.encodeStateVector(rapporteurReader.ydoc))).toBe(vector);
  });

  it('tells every connection of the document, read-only ones included, of each change', async () => {
    const doc = await documentWithText('Nouvelles en direct');
    const editor = await open(t.admin, doc.name);
    const toReader = messagesOf(doc.reader);
    const toEditor = messagesOf(editor);
    const elsewhere = await open(t.admin, (await createDocument(t.admin, t.espaceId, 'Autre document')).name);
    const toElsewhere = messagesOf(elsewhere);

    const thread = await commentOn(rapporteurLibre, doc, 'coordinateur', 'Lequel ?');
    const reply = await replyTo(membre, thread.id, 'Celui du département.');
    await membre.fetch(`/api/comments/${reply.id}`, { method: 'PATCH', json: { body: 'Celui de la CAF.' } });
    await t.admin.fetch(`/api/threads/${thread.id}/resolve`, { method: 'POST' });

    const expected = [
      { type: 'threads-changed', threadId: thread.id, change: 'created', openThreads: 1 },
      { type: 'threads-changed', threadId: thread.id, change: 'commented', openThreads: 1 },
      { type: 'threads-changed', threadId: thread.id, change: 'edited', openThreads: 1 },
      { type: 'threads-changed', threadId: thread.id, change: 'resolved', openThreads: 0 },
    ];
    await expect.poll(() => toReader, SETTLE).toEqual(expected);
    await expect.poll(() => toEditor, SETTLE).toEqual(expected);
    expect(toElsewhere).toEqual([]);
  });
});

describe('what a comment may say', () => {
  it('stores and returns XSS payloads verbatim, as text', async () => {
    const doc = await documentWithText('Charges hostiles');
    // The token names someone outside the espace: not a mention, so it stays as written.
    const payload =
      '<img src=x onerror="alert(1)"><script>alert(2)</script> [lien](javascript:alert(3)) &lt;b&gt; ' +
      '@[<svg onload=alert(4)>](user:' +
      exterieur.userId +
      ') fin';
    const thread = await commentOn(membre, doc, 'plan d’aide', payload);
    expect(thread.comments[0]?.body).toBe(payload);
    expect(thread.comments[0]?.mentions).toEqual([]);
    const again = await getThread(membre, thread.id);
    expect(again.comments[0]?.body).toBe(payload);
    const raw = await (await membre.fetch(`/api/threads/${thread.id}`)).text();
    expect(raw).toContain(JSON.stringify(payload).slice(1, -1));
  });

  it('refuses 10,001 characters with a French message, accepts 10,000, and refuses a blank message', async () => {
    const doc = await documentWithText('Longueurs');
    const input = threadInput(doc.reader.ydoc, doc.section, 'familles', 'x');
    const tooLong = await membre.fetch(`/api/documents/${doc.id}/threads`, {
      method: 'POST',
      json: { ...input, body: 'a'.repeat(10_001) },
    });
    expect(tooLong.status).toBe(400);
    const error = (await tooLong.json()) as { error: string; message: string; details: { path: string }[] };
    expect(error.error).toBe('invalid_input');
    expect(error.message).toContain('Le message ne peut pas dépasser 10 000 caractères.');
    expect(error.details[0]?.path).toBe('body');
    const thread = await createThread(membre, doc.id, { ...input, body: 'a'.repeat(10_000) });
    expect(thread.comments[0]?.body).toHaveLength(10_000);
    const reply = await membre.fetch(`/api/threads/${thread.id}/comments`, {
      method: 'POST',
      json: { body: 'é'.repeat(10_001) },
    });
    expect(reply.status).toBe(400);
    const blank = await membre.fetch(`/api/threads/${thread.id}/comments`, {
      method: 'POST',
      json: { body: ' \n\t ' },
    });
    expect(blank.status).toBe(400);
    expect(((await blank.json()) as { message: string }).message).toContain('Le message est vide.');
  });

  it('counts only mentions of people who can read the document', async () => {
    const doc = await documentWithText('Mentions');
    const body = `@[Mona](user:${autreMembre.userId}) @[Esther](user:${exterieur.userId}) @[Personne](user:inconnu-123)`;
    const thread = await commentOn(membre, doc, 'familles', body);
    expect(thread.comments[0]?.mentions).toEqual([{ id: autreMembre.userId, name: 'Mona Membre' }]);
    expect(thread.comments[0]?.body).toBe(
      `@[Mona Membre](user:${autreMembre.userId}) @[Esther](user:${exterieur.userId}) @[Personne](user:inconnu-123)`,
    );
  });

  it('names a mentioned person after their account, whatever label the token carries', async () => {
    const doc = await documentWithText('Mentions usurpées');
    const spoof = (id: string) => `@[L’administrateur vous demande votre mot de passe](user:${id})`;
    const thread = await commentOn(membre, doc, 'familles', `${spoof(autreMembre.userId)} répondez vite`);
    const mentioned = { id: autreMembre.userId, name: 'Mona Membre' };
    expect(thread.comments[0]?.mentions).toEqual([mentioned]);
    expect(thread.comments[0]?.body).toBe(`@[Mona Membre](user:${autreMembre.userId}) répondez vite`);

    // The same in a reply and in an edit, and in what the person mentioned is notified of.
    const reply = await replyTo(
      membre,
      thread.id,
      `Encore ${spoof(autreMembre.userId)} et ${spoof(rapporteurLibre.userId)}`,
    );
    expect(reply.mentions).toEqual([mentioned, { id: rapporteurLibre.userId, name: 'Rose Rapporteuse' }]);
    expect(reply.body).not.toContain('mot de passe');
    const edited = await membre.fetch(`/api/comments/${reply.id}`, {
      method: 'PATCH',
      json: { body: `Enfin ${spoof(autreMembre.userId)}` },
    });
    expect(edited.status).toBe(200);
    const { comment } = (await edited.json()) as { comment: CommentDto };
    expect(comment).toMatchObject({
      body: `Enfin @[Mona Membre](user:${autreMembre.userId})`,
      mentions: [mentioned],
    });
    const inbox = (await (await autreMembre.fetch('/api/notifications')).json()) as NotificationListDto;
    const excerpts = inbox.notifications.filter((n) => n.threadId === thread.id).map((n) => n.excerpt);
    expect(excerpts).toContain('@Mona Membre répondez vite');
    expect(excerpts.join(' ')).not.toContain('mot de passe');
    expect((await getThread(membre, thread.id)).comments.map((c) => c.mentions)).toEqual([
      [mentioned],
      [mentioned],
    ]);
  });
});

describe('messages and threads over their life', () => {
  it('lets authors edit and delete their own messages, which keep their place, and the animateur moderate with an audit entry', async () => {
    const doc = await documentWithText('Cycle de vie');
    const thread = await commentOn(membre, doc, 'familles', 'Premier.');
    const second = await replyTo(rapporteurLibre, thread.id, 'Deuxième.');
    const third = await replyTo(membre, thread.id, 'Troisième.');

    expect(
      (await membre.fetch(`/api/comments/${second.id}`, { method: 'PATCH', json: { body: 'Non.' } })).status,
    ).toBe(403);
    expect((await membre.fetch(`/api/comments/${second.id}`, { method: 'DELETE' })).status).toBe(403);
    const edited = await membre.fetch(`/api/comments/${third.id}`, {
      method: 'PATCH',
      json: { body: 'Troisième, corrigé.' },
    });
    expect(edited.status).toBe(200);
    expect(((await edited.json()) as { comment: CommentDto }).comment).toMatchObject({
      body: 'Troisième, corrigé.',
      canEdit: true,
    });
    expect((await membre.fetch(`/api/comments/${third.id}`, { method: 'DELETE' })).status).toBe(200);
    expect((await membre.fetch(`/api/comments/${third.id}`, { method: 'DELETE' })).status).toBe(409);
    expect(
      (await membre.fetch(`/api/comments/${third.id}`, { method: 'PATCH', json: { body: 'x' } })).status,
    ).toBe(409);
    const moderated = await t.admin.fetch(`/api/comments/${second.id}`, { method: 'DELETE' });
    expect(moderated.status).toBe(200);

    const after = await getThread(membre, thread.id);
    expect(after.comments.map((c) => [c.body, c.deleted, c.moderated])).toEqual([
      ['Premier.', false, false],
      ['', true, true],
      ['', true, false],
    ]);
    expect(after.comments[0]).toMatchObject({ canEdit: true, canDelete: true });
    const audit = (await (await t.admin.fetch('/api/audit')).json()) as { entries: AuditEntryDto[] };
    expect(
      audit.entries.find((e) => e.action === 'comment.moderate' && e.targetId === second.id),
    ).toBeDefined();
    expect(
      audit.entries.find((e) => e.action === 'comment.moderate' && e.targetId === third.id),
    ).toBeUndefined();
  });

  it('filters threads by status and finds a resolved thread again, reopened by a rapporteur', async () => {
    const doc = await documentWithText('Filtres');
    const a = await commentOn(membre, doc, 'familles', 'A');
    const b = await commentOn(membre, doc, 'coordinateur', 'B');
    expect((await rapporteurLibre.fetch(`/api/threads/${a.id}/resolve`, { method: 'POST' })).status).toBe(
      200,
    );
    expect((await listThreads(membre, doc.id, 'open')).threads.map((x) => x.id)).toEqual([b.id]);
    const resolved = await listThreads(membre, doc.id, 'resolved');
    expect(resolved.threads.map((x) => [x.id, x.resolvedBy?.name])).toEqual([[a.id, 'Rose Rapporteuse']]);
    expect(resolved.abilities).toEqual({ comment: true, resolve: false, moderate: false });
    expect((await rapporteurLibre.fetch(`/api/threads/${a.id}/reopen`, { method: 'POST' })).status).toBe(200);
    expect((await rapporteurLibre.fetch(`/api/threads/${a.id}/reopen`, { method: 'POST' })).status).toBe(409);
    expect((await listThreads(membre, doc.id, 'open')).threads.map((x) => x.id)).toEqual([a.id, b.id]);
  });

  it('shows the open-thread count on catalogue cards', async () => {
    const doc = await documentWithText('Compteur du catalogue');
    await commentOn(membre, doc, 'familles', 'Un.');
    const two = await commentOn(membre, doc, 'coordinateur', 'Deux.');
    await rapporteurLibre.fetch(`/api/threads/${two.id}/resolve`, { method: 'POST' });
    const { documents } = (await (
      await membre.fetch(`/api/documents?espaceId=${t.espaceId}`)
    ).json()) as DocumentListDto;
    expect(documents.find((d) => d.id === doc.id)?.openThreads).toBe(1);
    expect(documents.find((d) => d.title === 'Filtres')?.openThreads).toBeTypeOf('number');
    const single = (await (await membre.fetch(`/api/documents/${doc.id}`)).json()) as { openThreads: number };
    expect(single.openThreads).toBe(1);
  });

  it('keeps the threads of an archived document readable and read-only', async () => {
    const doc = await documentWithText('Archivé');
    const thread = await commentOn(membre, doc, 'familles', 'Avant.');
    doc.reader.destroy();
    expect((await t.admin.fetch(`/api/documents/${doc.id}/archive`, { method: 'POST' })).status).toBe(200);
    const list = await listThreads(membre, doc.id);
    expect(list.threads.map((x) => x.id)).toEqual([thread.id]);
    expect(list.abilities).toEqual({ comment: false, resolve: false, moderate: false });
    expect(list.threads[0]?.comments[0]).toMatchObject({ canEdit: false, canDelete: false });
    const attempts = await Promise.all([
      membre.fetch(`/api/documents/${doc.id}/threads`, {
        method: 'POST',
        json: { sectionId: doc.section, body: 'x' },
      }),
      membre.fetch(`/api/threads/${thread.id}/comments`, { method: 'POST', json: { body: 'x' } }),
      membre.fetch(`/api/comments/${thread.comments[0]?.id}`, { method: 'PATCH', json: { body: 'x' } }),
      t.admin.fetch(`/api/threads/${thread.id}/resolve`, { method: 'POST' }),
      t.admin.fetch(`/api/comments/${thread.comments[0]?.id}`, { method: 'DELETE' }),
    ]);
    expect(attempts.map((r) => r.status)).toEqual([409, 409, 409, 409, 409]);
    expect(((await attempts[0]?.json()) as { message: string }).message).toBe(
      'Ce document est archivé : il est en lecture seule. Restaurez-le pour pouvoir le modifier.',
    );
  });

  it('hides every thread from people outside the espace (404) and from anonymous callers (401)', async () => {
    const doc = await documentWithText('Confidentiel');
    const thread = await commentOn(membre, doc, 'familles', 'Secret.');
    const paths: [string, string, unknown][] = [
      ['GET', `/api/documents/${doc.id}/threads`, undefined],
      ['POST', `/api/documents/${doc.id}/threads`, { sectionId: doc.section, body: 'x' }],
      ['GET', `/api/threads/${thread.id}`, undefined],
      ['POST', `/api/threads/${thread.id}/comments`, { body: 'x' }],
      ['POST', `/api/threads/${thread.id}/resolve`, undefined],
      ['PATCH', `/api/comments/${thread.comments[0]?.id}`, { body: 'x' }],
      ['DELETE', `/api/comments/${thread.comments[0]?.id}`, undefined],
      ['DELETE', `/api/threads/${thread.id}`, undefined],
    ];
    for (const [method, path, json] of paths) {
      const outsider = await exterieur.fetch(path, { method, ...(json ? { json } : {}) });
      expect(outsider.status, `${method} ${path}`).toBe(404);
      const anonymous = await fetch(`${t.server.url}${path}`, {
        method,
        headers: { 'content-type': 'application/json', origin: t.server.url },
        ...(json ? { body: JSON.stringify(json) } : {}),
      });
      expect(anonymous.status, `${method} ${path}`).toBe(401);
    }
    const unknown = await membre.fetch('/api/threads/00000000-0000-4000-8000-000000000000');
    expect(unknown.status).toBe(404);
  });
});

describe('requests racing each other', () => {
  it('makes one resolution out of two resolves sent at once, and one notification', async () => {
    const doc = await documentWithText('Deux résolutions');
    const thread = await commentOn(membre, doc, 'familles', 'À trancher.');
    const before = (await (await membre.fetch('/api/notifications')).json()) as { notifications: unknown[] };
    const answers = await Promise.all([
      rapporteurLibre.fetch(`/api/threads/${thread.id}/resolve`, { method: 'POST' }),
      t.admin.fetch(`/api/threads/${thread.id}/resolve`, { method: 'POST' }),
    ]);
    expect(answers.map((r) => r.status).sort()).toEqual([200, 409]);
    const after = (await (await membre.fetch('/api/notifications')).json()) as {
      notifications: { kind: string; threadId: string }[];
    };
    expect(after.notifications.length - before.notifications.length).toBe(1);
    expect(after.notifications[0]).toMatchObject({ kind: 'resolved', threadId: thread.id });
  });

  it('never leaves a reply in a thread deleted at the same moment, and keeps parallel replies in order', async () => {
    const doc = await documentWithText('Réponse et suppression');
    const thread = await commentOn(membre, doc, 'familles', 'Sujet.');
    const replies = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        membre.fetch(`/api/threads/${thread.id}/comments`, {
          method: 'POST',
          json: { body: `Réponse ${i}` },
        }),
      ),
    );
    expect(replies.map((r) => r.status)).toEqual(Array.from({ length: 8 }, () => 201));
    expect((await getThread(membre, thread.id)).comments).toHaveLength(9);

    const [reply, removal] = await Promise.all([
      membre.fetch(`/api/threads/${thread.id}/comments`, { method: 'POST', json: { body: 'Trop tard ?' } }),
      t.admin.fetch(`/api/threads/${thread.id}`, { method: 'DELETE' }),
    ]);
    expect(removal.status).toBe(204);
    expect([201, 404]).toContain(reply.status);
    expect((await membre.fetch(`/api/threads/${thread.id}`)).status).toBe(404);
    expect(
      (await membre.fetch(`/api/threads/${thread.id}/comments`, { method: 'POST', json: { body: 'x' } }))
        .status,
    ).toBe(404);
    expect((await listThreads(membre, doc.id)).threads).toEqual([]);
    const audit = (await (await t.admin.fetch('/api/audit')).json()) as { entries: AuditEntryDto[] };
    expect(
      audit.entries.find((e) => e.action === 'thread.moderate' && e.targetId === thread.id),
    ).toBeDefined();
  });
});

describe('a document without threads', () => {
  it('answers an empty list with the caller’s abilities', async () => {
    const doc = await createDocument(t.admin, t.espaceId, 'Vide');
    expect(await listThreads(t.admin, doc.id)).toEqual({
      threads: [],
      counts: { open: 0, resolved: 0 },
      abilities: { comment: true, resolve: true, moderate: true },
    });
  });
});
