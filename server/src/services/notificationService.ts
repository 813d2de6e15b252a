import { randomUUID } from 'node:crypto';
import { can, type Actor } from '@essaim/domain';
import {
  parseCommentBody,
  type EmailPreference,
  type MarkNotificationsReadInput,
  type NotificationDto,
  type NotificationListDto,
  type NotificationListQuery,
  type NotificationPreferencesDto,
  type UnreadCountDto,
} from '@essaim/protocol';
import type { Logger } from '../logger.js';
import type { AccountRepository } from '../storage/accountRepository.js';
import type { DocumentRepository } from '../storage/documentRepository.js';
import type {
  NewNotification,
  NotificationRecord,
  NotificationRepository,
} from '../storage/notificationRepository.js';
import type { Actors } from './actors.js';
import type { Mailer } from './mailer.js';
import { storedDocumentTarget } from './documentTarget.js';

/**
 * What a person is notified of: who did what in which thread. The stored notification is this
 * with an id and a time ({@link NewNotification}).
 */
export type NotificationEvent = Omit<NewNotification, 'id' | 'createdAt'>;

/** Preference of people who never chose: one email per notification (when SMTP is set). */
export const DEFAULT_EMAIL_PREFERENCE: EmailPreference = 'immediate';
/** A daily digest goes out at most once in this many milliseconds per person. */
export const DIGEST_PERIOD_MS = 24 * 60 * 60 * 1000;
/** How often the digest timer looks for digests due. */
export const DIGEST_CHECK_MS = 15 * 60 * 1000;
/** Length of the comment excerpt in notifications and emails, in characters. */
const EXCERPT_CHARS = 200;

/** A comment body as a person reads it: mention tokens shown as « @Nom ». Plain text. */
export function bodyAsText(body: string): string {
  return parseCommentBody(body)
    .map((p) => (p.kind === 'text' ? p.text : `@${p.name}`))
    .join('');
}

function excerptOf(record: NotificationRecord): string {
  const text = (
    record.commentBody !== null
      ? bodyAsText(record.commentBody)
      : (record.message ?? record.threadQuote ?? record.section?.title ?? '')
  )
    .replace(/\s+/g, ' ')
    .trim();
  return text.length > EXCERPT_CHARS ? `${text.slice(0, EXCERPT_CHARS - 1)}…` : text;
}

/** One line saying what happened, in French, for emails. */
function sentence(record: NotificationRecord): string {
  const who = record.actor.name;
  const where = `« ${record.documentTitle} »`;
  switch (record.kind) {
    case 'mention':
      return `${who} vous a mentionné·e dans un commentaire sur ${where}`;
    case 'reply':
      return `${who} a répondu dans un fil de discussion de ${where} auquel vous participez`;
    case 'resolved':
      return `${who} a résolu votre fil de discussion sur ${where}`;
    case 'review_submitted':
      return `${who} a soumis la section « ${record.section?.title ?? ''} » de ${where} à votre relecture`;
    case 'review_approved':
      return `${who} a approuvé la section « ${record.section?.title ?? ''} » de ${where}`;
    case 'review_changes_requested':
      return `${who} demande des modifications dans la section « ${record.section?.title ?? ''} » de ${where}`;
  }
}

/**
 * A text line from anything user-written: emails are plain text (never HTML), so nothing needs
 * escaping except line breaks, which could forge lines in the message; control characters go too.
 */
function oneLine(text: string): string {
  let out = '';
  for (const c of text) {
    const code = c.charCodeAt(0);
    out += code < 0x20 || code === 0x7f ? ' ' : c;
  }
  return out.replace(/ {2,}/g, ' ');
}

/**
 * In-app notifications (mention, reply in a thread one takes part in, resolution of one's
 * thread; review decisions on sections) and their emails: immediate or a daily digest, each person's choice, only when SMTP is
 * configured. A notification is shown, counted and emailed only while its person can still read
 * its document (checked with `can()` each time, never stored).
 */
export class NotificationService {
  /** Base URL last seen in a request, for links in digests sent by the timer. */
  private baseUrl: string | null = null;

  constructor(
    private readonly notifications: NotificationRepository,
    private readonly accounts: AccountRepository,
    private readonly documents: DocumentRepository,
    private readonly actors: Actors,
    private readonly mailer: Mailer,
    private readonly logger: Logger,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /**
   * Records notifications (never to their own actor; one per person and comment; only for people
   * who can read the document at this moment, judged by `can()` as at read time: someone removed
   * from the espace is not notified, and adding them back later does not bring up what happened
   * meanwhile) and sends the immediate emails. `baseUrl` is the public address for links. Email
   * failures are logged only.
   */
  notify(events: readonly NotificationEvent[], baseUrl?: string): void {
    if (baseUrl) this.baseUrl = baseUrl;
    const at = this.now().toISOString();
    const seen = new Set<string>();
    const readers = new Map<string, (documentId: string) => boolean>();
    const canRead = (e: NotificationEvent): boolean => {
      let readable = readers.get(e.userId);
      if (!readable) readers.set(e.userId, (readable = this.documentReadable(this.actors.forUser(e.userId))));
      return readable(e.documentId);
    };
    const rows = events
      .filter((e) => e.userId !== e.actorId)
      .filter(canRead)
      .filter((e) => {
        const key = `${e.userId}|${e.kind}|${e.threadId ?? ''}|${e.commentId ?? ''}|${e.section?.id ?? ''}`;
        if (seen.has(key)) return false;
        seen.add(key);
        return true;
      })
      .map((e) => ({ ...e, id: randomUUID(), createdAt: at }));
    this.notifications.insert(rows);
    if (!this.mailer.enabled) return;
    for (const userId of new Set(rows.map((r) => r.userId))) {
      const choice = this.preferenceOf(userId);
      if (choice === 'immediate') void this.sendImmediate(userId);
      else if (choice === 'none')
        this.notifications.markEmailed(
          rows.filter((r) => r.userId === userId).map((r) => r.id),
          at,
        );
    }
  }

  /** The caller's notifications, newest first, only for documents they can read now. */
  list(actor: Actor, query: NotificationListQuery): NotificationListDto {
    if (actor.kind !== 'user') return { notifications: [], unread: 0 };
    const readable = this.readableCheck(actor);
    const records = this.notifications
      .listForUser(actor.userId, { unreadOnly: query.unread === 'true', limit: query.limit * 4 })
      .filter(readable)
      .slice(0, query.limit);
    return { notifications: records.map(dto), unread: this.unreadCount(actor).unread };
  }

  /** How many of the caller's notifications are unread, for documents they can read now. */
  unreadCount(actor: Actor): UnreadCountDto {
    if (actor.kind !== 'user') return { unread: 0 };
    const readable = this.documentReadable(actor);
    let unread = 0;
    for (const [documentId, n] of this.notifications.unreadByDocument(actor.userId))
      if (readable(documentId)) unread += n;
    return { unread };
  }

  /** Marks the caller's notifications read (someone else's ids are ignored). */
  markRead(actor: Actor, input: MarkNotificationsReadInput): UnreadCountDto {
    if (actor.kind !== 'user') return { unread: 0 };
    const at = this.now().toISOString();
    if ('all' in input) this.notifications.markAllRead(actor.userId, at);
    else this.notifications.markRead(actor.userId, input.ids, at);
    return this.unreadCount(actor);
  }

  preferences(actor: Actor): NotificationPreferencesDto {
    if (actor.kind !== 'user')
      return { email: DEFAULT_EMAIL_PREFERENCE, emailAvailable: this.mailer.enabled };
    return { email: this.preferenceOf(actor.userId), emailAvailable: this.mailer.enabled };
  }

  setPreferences(actor: Actor, email: EmailPreference): NotificationPreferencesDto {
    if (actor.kind === 'user') this.notifications.setPreference(actor.userId, email);
    return this.preferences(actor);
  }

  /**
   * Sends the daily digests that are due at `at`: to each person who chose `daily`, whose last
   * digest is at least {@link DIGEST_PERIOD_MS} old, one email listing their unread notifications
   * not emailed yet (for documents they can still read). Returns how many digests were sent.
   * Notifications of people who want no email, or already read, are marked done without email.
   */
  async sendDigests(at: Date = this.now()): Promise<number> {
    if (!this.mailer.enabled) return 0;
    const byUser = new Map<string, NotificationRecord[]>();
    for (const record of this.notifications.pendingEmails()) {
      const list = byUser.get(record.userId) ?? [];
      list.push(record);
      byUser.set(record.userId, list);
    }
    let sent = 0;
    for (const [userId, records] of byUser) {
      const preference = this.notifications.preference(userId);
      const choice = preference?.email ?? DEFAULT_EMAIL_PREFERENCE;
      if (choice === 'immediate') continue;
      if (choice === 'none') {
        this.notifications.markEmailed(
          records.map((r) => r.id),
          at.toISOString(),
        );
        continue;
      }
      const last = preference?.lastDigestAt ? Date.parse(preference.lastDigestAt) : 0;
      if (at.getTime() - last < DIGEST_PERIOD_MS) continue;
      const user = this.accounts.findUserById(userId);
      if (!user || user.disabledAt) continue;
      const actor = this.actors.fromRecord(user);
      const readable = this.readableCheck(actor);
      const due = records.filter((r) => r.readAt === null && readable(r));
      this.notifications.markEmailed(
        records.map((r) => r.id),
        at.toISOString(),
      );
      if (due.length === 0) continue;
      this.notifications.setLastDigest(userId, at.toISOString());
      await this.mailer.send({
        to: user.email,
        subject:
          due.length === 1
            ? '[Essaim] Une nouvelle notification'
            : `[Essaim] ${due.length} nouvelles notifications`,
        text: [
          'Bonjour,',
          '',
          'Voici ce qui s’est passé dans les documents que vous suivez sur Essaim :',
          '',
          ...due.flatMap((r) => [
            `- ${oneLine(sentence(r))} :`,
            `  « ${oneLine(excerptOf(r))} »`,
            this.linkLine(r),
            '',
          ]),
          this.footer(),
        ].join('\n'),
      });
      sent++;
    }
    return sent;
  }

  /** Starts the digest timer; the returned function stops it (called at shutdown). */
  startDigests(intervalMs: number = DIGEST_CHECK_MS): () => void {
    if (!this.mailer.enabled) return () => {};
    const timer = setInterval(() => {
      this.sendDigests().catch((error: unknown) =>
        this.logger.error({ err: error }, 'notification digests could not be sent'),
      );
    }, intervalMs);
    timer.unref();
    return () => clearInterval(timer);
  }

  private async sendImmediate(userId: string): Promise<void> {
    const user = this.accounts.findUserById(userId);
    if (!user || user.disabledAt) return;
    const records = this.notifications.pendingEmails(userId);
    const at = this.now().toISOString();
    this.notifications.markEmailed(
      records.map((r) => r.id),
      at,
    );
    const readable = this.readableCheck(this.actors.fromRecord(user));
    for (const r of records.filter((r) => r.readAt === null && readable(r))) {
      await this.mailer.send({
        to: user.email,
        subject: `[Essaim] ${oneLine(sentence(r))}`.slice(0, 250),
        text: [
          'Bonjour,',
          '',
          `${oneLine(sentence(r))} :`,
          '',
          `« ${oneLine(excerptOf(r))} »`,
          '',
          this.linkLine(r),
          '',
          this.footer(),
        ].join('\n'),
      });
    }
  }

  private linkLine(r: NotificationRecord): string {
    if (!this.baseUrl) return '  Ouvrez le document dans Essaim pour voir le fil.';
    const document = `${this.baseUrl}/documents/${r.documentId}`;
    if (r.threadId) return `  Ouvrir le fil : ${document}?thread=${r.threadId}`;
    return `  Ouvrir la section : ${document}${r.section ? `?section=${r.section.id}` : ''}`;
  }

  private footer(): string {
    return [
      '—',
      'Essaim vous écrit parce que vous participez à ces échanges. Vous pouvez choisir de recevoir',
      'un courriel par notification, un récapitulatif quotidien ou aucun courriel, dans Essaim.',
    ].join('\n');
  }

  private preferenceOf(userId: string): EmailPreference {
    return this.notifications.preference(userId)?.email ?? DEFAULT_EMAIL_PREFERENCE;
  }

  /** Whether the actor may read a notification's document, checked now (one lookup per document). */
  private readableCheck(actor: Actor): (r: NotificationRecord) => boolean {
    const readable = this.documentReadable(actor);
    return (r) => readable(r.documentId);
  }

  private documentReadable(actor: Actor): (documentId: string) => boolean {
    const cache = new Map<string, boolean>();
    return (documentId) => {
      let ok = cache.get(documentId);
      if (ok === undefined) {
        const target = storedDocumentTarget(this.documents, documentId);
        ok = target !== null && can(actor, 'document.read', target);
        cache.set(documentId, ok);
      }
      return ok;
    };
  }
}

function dto(r: NotificationRecord): NotificationDto {
  return {
    id: r.id,
    kind: r.kind,
    document: { id: r.documentId, title: r.documentTitle },
    threadId: r.threadId,
    commentId: r.commentId,
    section: r.section,
    actor: r.actor,
    excerpt: excerptOf(r),
    createdAt: r.createdAt,
    read: r.readAt !== null,
  };
}
