import { z } from 'zod/mini';
import { THREAD_CHANGES } from './liveMessages.js';
import { invisibleCharactersMessage } from './inputLimits.js';
import { queryInteger } from './inputRules.js';
import { isPlainText, toSingleLineText } from './text.js';

/**
 * Anchored comment threads, mentions and notifications (issue 10). Comments live in SQLite, never
 * in the Y.Doc: a thread is anchored by two Yjs relative positions (base64 of
 * `Y.encodeRelativePosition`) plus the quoted words and some context, which the server uses to
 * re-anchor a thread whose positions no longer cover its words.
 */

/**
 * Longest comment body, in characters (Unicode code points, as zod 4 counts them). A `<textarea
 * maxLength>` counts UTF-16 code units, never fewer, so the form never lets through what the server refuses.
 */
export const COMMENT_BODY_MAX = 10_000;
/** Longest quoted passage of a thread, in characters (Unicode code points, as zod 4 counts them). */
export const THREAD_QUOTE_MAX = 10_000;

/**
 * A comment body: plain text (never HTML), 1 to 10,000 characters, not only spaces. Kept verbatim
 * (no trimming): what is sent is what is shown. Mentions are written as tokens in the text, see
 * {@link MENTION_PATTERN}.
 */
export const commentBody = z.string({ error: 'Le message doit être un texte.' }).check(
  z.maxLength(COMMENT_BODY_MAX, {
    error: 'Le message ne peut pas dépasser 10 000 caractères.',
  }),
  z.refine((s) => s.trim().length > 0, { error: 'Le message est vide.' }),
  z.refine(isPlainText, { error: invisibleCharactersMessage('Le message') }),
);

/** Base64 of `Y.encodeRelativePosition(...)`. */
const encodedPosition = z
  .string({ error: 'La position doit être un texte (base64).' })
  .check(
    z.minLength(1, { error: 'La position est vide.' }),
    z.maxLength(1000, { error: 'La position est trop longue.' }),
    z.regex(/^[A-Za-z0-9+/]+={0,2}$/, { error: 'La position doit être codée en base64.' }),
  );

/** Start and end of the commented words: Yjs relative positions, base64-encoded. */
export const threadAnchor = z.object({ start: encodedPosition, end: encodedPosition });
export type ThreadAnchorDto = z.infer<typeof threadAnchor>;

/**
 * Body of `POST /api/documents/:id/threads`. With `anchor`, `quote` must be exactly the text
 * between the two positions (otherwise 400 `invalid_input`, detail on `quote`). Without `anchor`, the thread is
 * about the whole section and `quote` is ignored (the server quotes the section's title).
 */
export const createThreadInput = z
  .object({
    sectionId: z
      .string({ error: 'La section est obligatoire.' })
      .check(
        z.minLength(1, { error: 'La section est obligatoire.' }),
        z.maxLength(200, { error: 'Identifiant de section trop long.' }),
      ),
    anchor: z.optional(threadAnchor),
    quote: z.optional(
      z.string({ error: 'Le passage cité doit être un texte.' }).check(
        z.maxLength(THREAD_QUOTE_MAX, {
          error: 'Le passage cité ne peut pas dépasser 10 000 caractères.',
        }),
      ),
    ),
    body: commentBody,
  })
  .check(
    z.refine((v) => v.anchor === undefined || (v.quote !== undefined && v.quote.length > 0), {
      error: 'Le passage cité est obligatoire pour commenter une sélection.',
      path: ['quote'],
    }),
  );
export type CreateThreadInput = z.infer<typeof createThreadInput>;

/** Body of `POST /api/threads/:id/comments` (a reply). */
export const addCommentInput = z.object({ body: commentBody });
export type AddCommentInput = z.infer<typeof addCommentInput>;

/** Body of `PATCH /api/comments/:id` (its author only). */
export const editCommentInput = z.object({ body: commentBody });
export type EditCommentInput = z.infer<typeof editCommentInput>;

/** Statuses a thread can have, and the filter of `GET /api/documents/:id/threads`. */
export const threadStatuses = ['open', 'resolved'] as const;
export type ThreadStatus = (typeof threadStatuses)[number];

/** Query of `GET /api/documents/:id/threads`; `status` defaults to `all`. */
export const threadListQuery = z.object({
  status: z._default(
    z.enum(['open', 'resolved', 'all'], { error: 'status vaut open, resolved ou all.' }),
    'all',
  ),
});
export type ThreadListQuery = z.infer<typeof threadListQuery>;

/** A person as shown next to a comment or a notification. */
export interface AuthorDto {
  id: string;
  name: string;
}

/** One message of a thread. A deleted message keeps its place: `deleted: true`, `body: ''`. */
export interface CommentDto {
  id: string;
  threadId: string;
  author: AuthorDto;
  /** Plain text with mention tokens; `''` once deleted. Render as text, never as HTML. */
  body: string;
  /** People mentioned in `body` who could read the document when it was written. */
  mentions: AuthorDto[];
  createdAt: string;
  /** Last edit by the author, or null. */
  editedAt: string | null;
  deleted: boolean;
  /** Deleted by the animateur rather than its author (« message supprimé par la modération »). */
  moderated: boolean;
  /** Whether the caller may edit it (its author, on a document that is not archived). */
  canEdit: boolean;
  /** Whether the caller may delete it (its author, or the animateur: moderation). */
  canDelete: boolean;
}

/**
 * A thread as the API returns it. Lists come in document order: anchored threads by the position
 * of their start; whole-section threads at the start of their section; orphaned threads last
 * (oldest first).
 */
export interface ThreadDto {
  id: string;
  documentId: string;
  /** Section the thread was created in (the section may have been deleted since). */
  sectionId: string;
  /** The section's title now, or null when the section no longer exists. */
  sectionTitle: string | null;
  /**
   * Where the words are now (base64 of `Y.encodeRelativePosition`), to draw highlights with
   * `Y.createAbsolutePositionFromRelativePosition`; null for a whole-section thread and for an
   * orphaned thread.
   */
  anchor: ThreadAnchorDto | null;
  /** The words commented at creation (the section's title for a whole-section thread). */
  quote: string;
  /** The text under the anchor now; null when orphaned. */
  currentQuote: string | null;
  status: ThreadStatus;
  /** True when the commented words were deleted (« texte d’origine supprimé »). */
  orphaned: boolean;
  /** True for a thread about a whole section rather than selected words. */
  wholeSection: boolean;
  createdBy: AuthorDto;
  createdAt: string;
  resolvedBy: AuthorDto | null;
  resolvedAt: string | null;
  /** Every message, oldest first, deleted ones included (as placeholders). */
  comments: CommentDto[];
}

/** Reply of `GET /api/documents/:id/threads`. */
export interface ThreadListDto {
  threads: ThreadDto[];
  /** Threads of the whole document by status, whatever the filter. */
  counts: { open: number; resolved: number };
  /** What the caller may do on this document's threads (from `can()`; false everywhere once archived). */
  abilities: CommentAbilitiesDto;
}

/** What the caller may do with the threads of a document, computed by the server with `can()`. */
export interface CommentAbilitiesDto {
  /** Start threads and reply (membres, rapporteurs, the animateur). */
  comment: boolean;
  /** Resolve and reopen threads (rapporteurs, the animateur). */
  resolve: boolean;
  /** Delete anyone's message or thread (the animateur). */
  moderate: boolean;
}

/** Reply of `POST /api/documents/:id/threads` (201), `GET /api/threads/:id`, resolve and reopen. */
export interface ThreadReplyDto {
  thread: ThreadDto;
}

/** Reply of `POST /api/threads/:id/comments` (201), `PATCH` and `DELETE /api/comments/:id`. */
export interface CommentReplyDto {
  comment: CommentDto;
}

/**
 * Mention token inside a comment body: `@[Prénom Nom](user:<id>)`. The name is what was shown
 * when the mention was typed (`]` and newlines are not allowed in it); the id decides who is
 * notified. A token naming someone who cannot read the document is kept as plain text and
 * notifies nobody.
 */
export const MENTION_PATTERN = /@\[([^\]\n]{1,100})\]\(user:([A-Za-z0-9_-]{1,64})\)/g;

/**
 * Writes the mention token of a person. Brackets and line breaks in the name become spaces, and
 * what a single-line text may not hold (controls, direction and zero-width characters, see
 * `toSingleLineText`) is taken out, so that a name stored before that rule cannot carry them into
 * a comment.
 */
export function mentionToken(person: AuthorDto): string {
  const name = toSingleLineText(person.name.replace(/[[\]]/g, ' ')).slice(0, 100);
  return `@[${name}](user:${person.id})`;
}

/** A piece of a comment body: text, or a mention token. */
export type BodyPart = { kind: 'text'; text: string } | { kind: 'mention'; name: string; userId: string };

/**
 * Splits a body into text and mention tokens, in order, so a client can render mentions without
 * ever building HTML from the body. The concatenation of the parts' texts (`@` + name for a
 * mention) is what a reader sees.
 */
export function parseCommentBody(body: string): BodyPart[] {
  const parts: BodyPart[] = [];
  let last = 0;
  for (const match of body.matchAll(new RegExp(MENTION_PATTERN.source, 'g'))) {
    const at = match.index;
    if (at > last) parts.push({ kind: 'text', text: body.slice(last, at) });
    parts.push({ kind: 'mention', name: match[1] ?? '', userId: match[2] ?? '' });
    last = at + match[0].length;
  }
  if (last < body.length) parts.push({ kind: 'text', text: body.slice(last) });
  return parts;
}

/** The user ids mentioned in a body, each once, in order of appearance. */
export function mentionedUserIds(body: string): string[] {
  const ids: string[] = [];
  for (const part of parseCommentBody(body))
    if (part.kind === 'mention' && !ids.includes(part.userId)) ids.push(part.userId);
  return ids;
}

/**
 * What changed, in the live message sent to every connection of a document (read-only ones
 * included) after any change to its threads:
 * - `created`, `commented`, `edited`, `deleted` (a message), `resolved`, `reopened`,
 *   `thread-deleted`: refetch `GET /api/threads/:threadId` (404 for `thread-deleted`: drop it);
 * - `anchors`: the server re-anchored or orphaned threads; `threadId` is null: refetch the list.
 */
export type ThreadChange =
  'created' | 'commented' | 'edited' | 'deleted' | 'resolved' | 'reopened' | 'thread-deleted' | 'anchors';

/** Hocuspocus stateless message (JSON string) broadcast by the server to a document's connections. */
export interface ThreadsChangedMessage {
  type: 'threads-changed';
  /** The thread that changed, or null when several may have (refetch the list). */
  threadId: string | null;
  change: ThreadChange;
  /** Open threads of the document after the change (for the catalogue card and counters). */
  openThreads: number;
}

const threadsChanged = z.object({
  type: z.literal('threads-changed'),
  threadId: z.nullable(z.string().check(z.maxLength(200))),
  change: z.enum(THREAD_CHANGES),
  openThreads: z.number().check(z.int(), z.gte(0)),
});

/** Reads a stateless payload as a `threads-changed` message; `null` for any other payload. */
export function parseThreadsChangedMessage(payload: string): ThreadsChangedMessage | null {
  let json: unknown;
  try {
    json = JSON.parse(payload) as unknown;
  } catch {
    return null;
  }
  const parsed = threadsChanged.safeParse(json);
  return parsed.success ? parsed.data : null;
}

/**
 * Why a person is notified: a comment (mention, reply, resolution of one's thread) or a review
 * decision on a section (submitted: to the animateurs; approved or changes requested: to the
 * rapporteurs assigned, issue 12).
 */
export const notificationKinds = [
  'mention',
  'reply',
  'resolved',
  'review_submitted',
  'review_approved',
  'review_changes_requested',
] as const;
export type NotificationKind = (typeof notificationKinds)[number];

/** One notification of the caller. Only those whose document the caller can still read are listed. */
export interface NotificationDto {
  id: string;
  kind: NotificationKind;
  document: { id: string; title: string };
  /** The thread it is about, or null (a submission or an approval has none). */
  threadId: string | null;
  /** The comment that caused it (mention, reply, request for changes), or null (resolution). */
  commentId: string | null;
  /** The section a review decision is about (its title when the decision was taken), or null. */
  section: { id: string; title: string } | null;
  /** Who caused it. */
  actor: AuthorDto;
  /**
   * Start of the comment (plain text, mention tokens shown as `@Name`), or the decision's
   * message, or the thread's quote, or the section's title.
   */
  excerpt: string;
  createdAt: string;
  read: boolean;
}

/** Query of `GET /api/notifications`. */
export const notificationListQuery = z.object({
  unread: z.optional(z.enum(['true', 'false'], { error: 'unread vaut true ou false.' })),
  limit: z._default(queryInteger({ name: 'limit', min: 1, max: 200 }), 50),
});
export type NotificationListQuery = z.infer<typeof notificationListQuery>;

/** Reply of `GET /api/notifications`: newest first, and the caller's unread count. */
export interface NotificationListDto {
  notifications: NotificationDto[];
  unread: number;
}

/** Body of `POST /api/notifications/read`: some notifications, or all of the caller's. */
export const markNotificationsReadInput = z.union(
  [
    z.object({
      ids: z
        .array(
          z
            .string({ error: 'Une notification est désignée par son identifiant.' })
            .check(z.maxLength(100, { error: 'Identifiant de notification trop long.' })),
          { error: 'Les notifications lues forment une liste.' },
        )
        .check(
          z.minLength(1, { error: 'Indiquez au moins une notification.' }),
          z.maxLength(500, { error: 'Cinq cents notifications au plus à la fois.' }),
        ),
    }),
    z.object({ all: z.literal(true) }),
  ],
  { error: 'Indiquez les notifications lues ({"ids": [...]}) ou {"all": true}.' },
);
export type MarkNotificationsReadInput = z.infer<typeof markNotificationsReadInput>;

/** Reply of `POST /api/notifications/read` and `GET /api/notifications/unread-count`. */
export interface UnreadCountDto {
  unread: number;
}

/** Emails about notifications: none, one per notification, or one daily digest. */
export const emailPreferences = ['none', 'immediate', 'daily'] as const;
export type EmailPreference = (typeof emailPreferences)[number];

export const notificationPreferencesInput = z.object({
  email: z.enum(emailPreferences, {
    error: 'La préférence de courriel vaut « none », « immediate » ou « daily ».',
  }),
});

/** `GET|PUT /api/notifications/preferences`. */
export interface NotificationPreferencesDto {
  email: EmailPreference;
  /** False when the instance sends no email (no `SMTP_URL`): the choice is kept but unused. */
  emailAvailable: boolean;
}
