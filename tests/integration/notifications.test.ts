import type { NotificationListDto, NotificationPreferencesDto } from '@essaim/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDocument, invite, setupInstance, type Session } from '../support/accounts.js';
import { commentOn, replyTo, sectionId, writeInSection } from '../support/comments.js';
import { connectAs, isSettled, type NodeClient } from '../support/provider.js';
import { startMailingServer, type Mail, type MailingServer, type SmtpSink } from '../support/mail.js';
import type { TestServer } from '../support/server.js';

/**
 * Notifications of comment threads (issue 10): who is told of what, that nobody is told of a
 * document they can no longer read, and the emails (immediate or a daily digest) sent through a
 * real SMTP conversation with a local sink.
 */

const SETTLE = { timeout: 10_000 };

let mailing: MailingServer;
let sink: SmtpSink;
let server: TestServer;
let animateur: Session;
let espaceId: string;
let rapporteur: Session;
let membre: Session;
let autre: Session;
const clients: NodeClient[] = [];

beforeAll(async () => {
  mailing = await startMailingServer();
  ({ server, sink } = mailing);
  ({ admin: animateur, espaceId } = await setupInstance(server.url));
  rapporteur = await invite(animateur, espaceId, 'rapporteur', 'Rachid Rapporteur');
  membre = await invite(animateur, espaceId, 'membre', 'Marc Membre');
  autre = await invite(animateur, espaceId, 'membre', 'Mona Membre');
});

afterAll(async () => {
  for (const c of clients) c.destroy();
  await mailing.stop();
});

/** A document with a sentence, and a synced reader's copy to take anchors from. */
async function documentWithText(title: string): Promise<{ id: string; section: string; reader: NodeClient }> {
  const doc = await createDocument(animateur, espaceId, title);
  const writer = connectAs(animateur, server.wsUrl, doc.name);
  clients.push(writer);
  await expect.poll(() => writer.provider.isSynced, SETTLE).toBe(true);
  const section = sectionId(writer.ydoc, 1);
  writeInSection(writer.ydoc, section, 'Les familles décident ensemble du plan d’aide.');
  await expect.poll(() => isSettled(writer), SETTLE).toBe(true);
  return { id: doc.id, section, reader: writer };
}

async function notificationsOf(session: Session, query = ''): Promise<NotificationListDto> {
  const response = await session.fetch(`/api/notifications${query}`);
  expect(response.status).toBe(200);
  return (await response.json()) as NotificationListDto;
}

async function setEmail(session: Session, email: 'none' | 'immediate' | 'daily'): Promise<void> {
  const response = await session.fetch('/api/notifications/preferences', { method: 'PUT', json: { email } });
  expect(response.status).toBe(200);
}

const mention = (s: Session): string => `@[${s.name}](user:${s.userId})`;

/** A new membre of the espace who asked for no email, so that the mail counts stay other people's. */
async function membreWithoutEmail(name: string): Promise<Session> {
  const session = await invite(animateur, espaceId, 'membre', name);
  await setEmail(session, 'none');
  return session;
}

/** The animateur takes someone out of the espace; their account and session live on. */
async function removeFromEspace(session: Session): Promise<void> {
  const removed = await animateur.fetch(`/api/espaces/${espaceId}/members/${session.userId}`, {
    method: 'DELETE',
  });
  expect(removed.status).toBe(204);
}

describe('who is notified of what', () => {
  it('notifies a mention, a reply to the thread’s participants and a resolution to its author, never the person who acted', async () => {
    for (const s of [animateur, rapporteur, membre, autre]) await setEmail(s, 'none');
    const doc = await documentWithText('Qui est prévenu');
    const before = await Promise.all([animateur, rapporteur, membre, autre].map((s) => notificationsOf(s)));

    const thread = await commentOn(
      membre,
      doc,
      'familles',
      `Qu’en pense ${mention(rapporteur)} ? ${mention(membre)}`,
    );
    await replyTo(rapporteur, thread.id, `Oui. ${mention(animateur)}`);
    await replyTo(autre, thread.id, 'Moi aussi.');
    expect((await rapporteur.fetch(`/api/threads/${thread.id}/resolve`, { method: 'POST' })).status).toBe(
      200,
    );

    const after = await Promise.all([animateur, rapporteur, membre, autre].map((s) => notificationsOf(s)));
    const fresh = after.map((list, i) =>
      list.notifications
        .slice(0, list.notifications.length - (before[i] as NotificationListDto).notifications.length)
        .map((n) => [n.kind, n.actor.name])
        .reverse(),
    );
    expect(fresh).toEqual([
      // animateur: mentioned by the rapporteur, then (mentioned: taking part) told of Mona's reply.
      [
        ['mention', 'Rachid Rapporteur'],
        ['reply', 'Mona Membre'],
      ],
      // rapporteur: mentioned at creation, told of Mona's reply; not of their own resolution.
      [
        ['mention', 'Marc Membre'],
        ['reply', 'Mona Membre'],
      ],
      // membre: replies in their thread, and its resolution; never their own mention of themselves.
      [
        ['reply', 'Rachid Rapporteur'],
        ['reply', 'Mona Membre'],
        ['resolved', 'Rachid Rapporteur'],
      ],
      // Mona took part only at the end: nothing after her own reply.
      [],
    ]);
    const latest = after[2]?.notifications[0];
    expect(latest).toMatchObject({
      kind: 'resolved',
      document: { id: doc.id, title: 'Qui est prévenu' },
      threadId: thread.id,
      commentId: null,
      read: false,
    });
    const reply = after[2]?.notifications.find(
      (n) => n.actor.name === 'Rachid Rapporteur' && n.kind === 'reply',
    );
    expect(reply?.excerpt).toBe('Oui. @Administratrice');
  });

  it('marks notifications read one by one or all at once, and ignores the ids of someone else’s', async () => {
    const doc = await documentWithText('Lu, non lu');
    const thread = await commentOn(rapporteur, doc, 'plan', 'Début.');
    for (let i = 0; i < 3; i++) await replyTo(membre, thread.id, `${mention(autre)} message ${i}`);
    const mine = await notificationsOf(rapporteur, '?unread=true');
    expect(mine.unread).toBeGreaterThanOrEqual(3);
    const monas = await notificationsOf(autre, '?unread=true');
    const first = mine.notifications[0]?.id as string;

    const marked = await rapporteur.fetch('/api/notifications/read', {
      method: 'POST',
      json: { ids: [first, ...monas.notifications.map((n) => n.id)] },
    });
    expect(marked.status).toBe(200);
    expect(((await marked.json()) as { unread: number }).unread).toBe(mine.unread - 1);
    expect((await notificationsOf(autre, '?unread=true')).unread).toBe(monas.unread);
    const count = await rapporteur.fetch('/api/notifications/unread-count');
    expect(await count.json()).toEqual({ unread: mine.unread - 1 });

    const all = await rapporteur.fetch('/api/notifications/read', { method: 'POST', json: { all: true } });
    expect(await all.json()).toEqual({ unread: 0 });
    expect((await notificationsOf(rapporteur, '?unread=true')).notifications).toEqual([]);
    expect((await rapporteur.fetch('/api/notifications/read', { method: 'POST', json: {} })).status).toBe(
      400,
    );
  });

  it('drops the notification of a message deleted since', async () => {
    const doc = await documentWithText('Message retiré');
    const thread = await commentOn(rapporteur, doc, 'plan', 'Début.');
    const reply = await replyTo(membre, thread.id, `${mention(autre)} oups`);
    expect((await notificationsOf(autre)).notifications.some((n) => n.commentId === reply.id)).toBe(true);
    expect((await membre.fetch(`/api/comments/${reply.id}`, { method: 'DELETE' })).status).toBe(200);
    expect((await notificationsOf(autre)).notifications.some((n) => n.commentId === reply.id)).toBe(false);
  });

  it('never shows a notification for a document the person can no longer read', async () => {
    const partant = await membreWithoutEmail('Paul Partant');
    const doc = await documentWithText('Accès perdu');
    const thread = await commentOn(rapporteur, doc, 'familles', mention(partant));
    expect((await notificationsOf(partant)).notifications.map((n) => n.threadId)).toEqual([thread.id]);
    expect((await notificationsOf(partant)).unread).toBe(1);

    await removeFromEspace(partant);
    // Their session lives on (an account may belong to other espaces): the document is just gone.
    expect(await notificationsOf(partant)).toEqual({ notifications: [], unread: 0 });
    expect(await (await partant.fetch('/api/notifications/unread-count')).json()).toEqual({ unread: 0 });
    expect((await partant.fetch(`/api/threads/${thread.id}`)).status).toBe(404);
  });

  it('does not notify someone who cannot read the document at that moment, even once they are added back', async () => {
    const absent = await membreWithoutEmail('Alice Absente');
    const doc = await documentWithText('Absence');
    // Alice opens a thread and replies in another: she is author of one and participant of both.
    const hers = await commentOn(absent, doc, 'familles', 'Le mien.');
    const other = await commentOn(rapporteur, doc, 'plan', 'Début.');
    await replyTo(absent, other.id, 'Je suis là.');
    const before = (await notificationsOf(absent)).notifications.map((n) => n.id);

    await removeFromEspace(absent);
    // While she is out: a reply in both threads, a mention, and her thread resolved.
    await replyTo(rapporteur, other.id, 'Réponse pendant son absence.');
    await replyTo(membre, hers.id, `${mention(absent)} pendant son absence.`);
    expect((await rapporteur.fetch(`/api/threads/${hers.id}/resolve`, { method: 'POST' })).status).toBe(200);
    // Someone still in the espace is notified as usual.
    await replyTo(rapporteur, hers.id, 'Résolu, merci.');
    expect(
      (await notificationsOf(membre)).notifications.some((n) => n.threadId === hers.id && n.kind === 'reply'),
    ).toBe(true);

    const back = await animateur.fetch(`/api/espaces/${espaceId}/members/${absent.userId}`, {
      method: 'PUT',
      json: { role: 'membre' },
    });
    expect(back.status).toBe(200);
    expect((await absent.fetch(`/api/threads/${hers.id}`)).status).toBe(200);
    const after = await notificationsOf(absent);
    expect(after.notifications.map((n) => n.id)).toEqual(before);
    expect(after.unread).toBe(before.length);

    // Back in the espace, she is notified again.
    await replyTo(rapporteur, other.id, 'Bon retour.');
    await expect
      .poll(async () => (await notificationsOf(absent)).notifications.map((n) => [n.kind, n.excerpt]))
      .toContainEqual(['reply', 'Bon retour.']);
  });
});

describe('emails', () => {
  it('sends one French plain-text email per notification by default, with the words verbatim and a link to the thread', async () => {
    await setEmail(autre, 'immediate');
    expect(await (await autre.fetch('/api/notifications/preferences')).json()).toEqual({
      email: 'immediate',
      emailAvailable: true,
    } satisfies NotificationPreferencesDto);
    const doc = await documentWithText('Courriel immédiat');
    const sent = sink.mails.length;
    const payload = `<script>alert("x")</script> ${mention(autre)} lisez ceci`;
    const thread = await commentOn(membre, doc, 'familles', payload);
    await expect.poll(() => sink.mails.length, SETTLE).toBe(sent + 1);
    const mail = sink.mails[sent] as Mail;
    expect(mail.to).toEqual([autre.email]);
    expect(mail.text).toContain('Content-Type: text/plain');
    expect(mail.text).not.toContain('text/html');
    expect(mail.text).toContain(
      'Marc Membre vous a mentionné·e dans un commentaire sur « Courriel immédiat »',
    );
    expect(mail.text).toContain('« <script>alert("x")</script> @Mona Membre lisez ceci »');
    expect(mail.text).toContain(`${server.url}/documents/${doc.id}?thread=${thread.id}`);
  });

  it('gathers notifications into one daily digest, sent once a day by the digest run', async () => {
    await setEmail(autre, 'daily');
    const doc = await documentWithText('Récapitulatif');
    const sent = sink.mails.length;
    const thread = await commentOn(membre, doc, 'familles', `${mention(autre)} un`);
    await replyTo(rapporteur, thread.id, `${mention(autre)} deux`);
    const notifications = server.services.notifications;
    const later = new Date(Date.now() + 60_000);
    expect(await notifications.sendDigests(later)).toBe(1);
    expect(sink.mails.length).toBe(sent + 1);
    const digest = sink.mails[sent] as Mail;
    expect(digest.to).toEqual([autre.email]);
    expect(digest.text).toContain('2 nouvelles notifications');
    expect(digest.text).toContain('« @Mona Membre un »');
    expect(digest.text).toContain('« @Mona Membre deux »');

    await replyTo(membre, thread.id, `${mention(autre)} trois`);
    expect(await notifications.sendDigests(new Date(later.getTime() + 60 * 60_000))).toBe(0);
    expect(await notifications.sendDigests(new Date(later.getTime() + 25 * 60 * 60_000))).toBe(1);
    expect((sink.mails[sent + 1] as Mail).text).toContain('« @Mona Membre trois »');
  });

  it('sends nothing to someone who chose no email', async () => {
    await setEmail(autre, 'none');
    const doc = await documentWithText('Aucun courriel');
    const sent = sink.mails.length;
    const thread = await commentOn(membre, doc, 'familles', `${mention(autre)} ?`);
    expect(await server.services.notifications.sendDigests(new Date(Date.now() + 48 * 60 * 60_000))).toBe(0);
    expect(sink.mails.length).toBe(sent);
    expect((await notificationsOf(autre)).notifications[0]?.threadId).toBe(thread.id);
    expect(
      (await autre.fetch('/api/notifications/preferences', { method: 'PUT', json: { email: 'weekly' } }))
        .status,
    ).toBe(400);
  });
});
