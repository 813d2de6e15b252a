import { z } from 'zod/mini';
import {
  documentReviewStates,
  reviewEvents,
  type DocumentKindName,
  type DocumentReviewState,
  type DraftReviewState,
  type ReviewEvent,
  type SectionReviewState,
} from '@essaim/domain';
import type { DocumentSectionsDto, SectionDto } from './catalogue.js';
import { COMMENT_BODY_MAX, type AuthorDto } from './comments.js';
import { invisibleCharactersMessage } from './inputLimits.js';
import { isPlainText } from './text.js';

/**
 * Section-by-section review (issue 12): the shapes of the review routes and of the review
 * stateless messages. The states, events, labels and rules live in packages/domain
 * (`reviewTransition`, `documentReviewState`); this file is the public contract documented in
 * the README.
 */

/**
 * Longest review message, in characters (Unicode code points, as zod 4 counts them), after trimming. The same bound as a
 * comment body, because a request for changes becomes a comment thread on the section.
 */
export const REVIEW_MESSAGE_MAX = COMMENT_BODY_MAX;

/** Longest section hash a client may send back (`hash` of `SectionDto`). */
const HASH_MAX = 200;

/** The review of one section, as `GET /api/documents/:id/sections` gives it under `review`. */
export interface SectionReviewDto {
  state: SectionReviewState;
  /** Approved, and edited since the approval (« Modifiée depuis l’approbation »). */
  stale: boolean;
  /** Locked by the animateur: the server reverts any change inside it. Only on an approved section. */
  locked: boolean;
  /** Section hash at the last approval; null if never approved. Kept after the section leaves `approuvee`. */
  approvedHash: string | null;
  /** The `revue` version recorded at the last approval: `GET …/diff?from=<it>&to=current` shows what changed since. */
  approvedVersionId: string | null;
  /** Who took the last decision (approve or request changes), and when (ISO 8601). */
  decidedBy: AuthorDto | null;
  decidedAt: string | null;
  /** Who last submitted the section, and when. */
  submittedBy: AuthorDto | null;
  submittedAt: string | null;
  lockedBy: AuthorDto | null;
  lockedAt: string | null;
  /** Message of the last submit, approval or request for changes; null when none. */
  message: string | null;
  /** What the caller may do now (`availableReviewEvents`, through `can()`): the buttons to show. */
  actions: ReviewEvent[];
}

/** A section of `GET /api/documents/:id/sections`, with its review. */
export interface ReviewedSectionDto extends SectionDto {
  review: SectionReviewDto;
}

/** Where a document's review stands besides `reviewState` (from `documentReviewState`). */
export interface DocumentReviewDto {
  /** The draft's own state, publication aside: equal to `reviewState` unless it is `publiee`. */
  draftState: DraftReviewState;
  /** Published, and the draft moved since (« Une nouvelle version est en cours »). */
  newVersionInProgress: boolean;
  /** Sections approved and not stale, of `total` (« 9 / 13 sections approuvées »). */
  approved: number;
  total: number;
}

/** `GET /api/documents/:id/sections` once reviews exist: every section carries its review. */
export interface ReviewedDocumentSectionsDto extends DocumentSectionsDto {
  sections: ReviewedSectionDto[];
  /** `en_redaction`, `en_relecture`, `prete_a_publier` or `publiee`. */
  reviewState: DocumentReviewState;
  review: DocumentReviewDto;
}

/**
 * Body of `POST /api/documents/:id/sections/:sectionId/review`.
 *
 * - `action`: the review event.
 * - `message`: optional, trimmed, at most {@link REVIEW_MESSAGE_MAX} characters; required for
 *   `request_changes`. Refused here (400, detail on `message`) so a form gets its field error; the
 *   domain refuses it too (`message_required`) for callers that do not go through this schema.
 * - `hash`: optional, the section hash the person saw when they chose (`hash` of the section in
 *   `GET …/sections`). When it no longer matches, 409: someone changed the section meanwhile,
 *   and an animateur never approves words they have not read.
 *
 * Answer: `200` {@link SectionReviewReplyDto}; a refusal of `can()` is `403`, of the state
 * machine `409`, each with a French `message`.
 */
export const reviewSectionInput = z
  .object({
    action: z.enum(reviewEvents, {
      error: 'L’action vaut submit, approve, request_changes, lock ou unlock.',
    }),
    message: z.nullish(
      z
        .string({ error: 'Le message doit être un texte.' })
        .check(
          z.trim(),
          z.maxLength(REVIEW_MESSAGE_MAX, { error: 'Le message ne peut pas dépasser 10 000 caractères.' }),
          z.refine(isPlainText, { error: invisibleCharactersMessage('Le message') }),
        ),
    ),
    hash: z.optional(
      z
        .string({ error: 'L’empreinte de la section doit être un texte.' })
        .check(
          z.minLength(1, { error: 'L’empreinte de la section est vide.' }),
          z.maxLength(HASH_MAX, { error: 'L’empreinte de la section est trop longue.' }),
        ),
    ),
  })
  .check(
    z.refine((v) => v.action !== 'request_changes' || (v.message ?? '').length > 0, {
      error: 'Expliquez les modifications demandées dans un message.',
      path: ['message'],
    }),
  );
export type ReviewSectionInput = z.infer<typeof reviewSectionInput>;

/** Answer of `POST /api/documents/:id/sections/:sectionId/review`: the section after the step. */
export interface SectionReviewReplyDto {
  section: ReviewedSectionDto;
}

/** Query of `GET /api/espaces/:id/review-queue`: narrow to one document or one theme of the espace. */
export const reviewQueueQuery = z.object({
  documentId: z.optional(
    z
      .string({ error: 'documentId doit être un identifiant.' })
      .check(z.maxLength(100, { error: 'documentId doit être un identifiant (100 caractères au plus).' })),
  ),
  theme: z.optional(
    z
      .string({ error: 'theme doit être un identifiant de thème.' })
      .check(z.maxLength(100, { error: 'theme doit être un identifiant (100 caractères au plus).' })),
  ),
});
export type ReviewQueueQuery = z.infer<typeof reviewQueueQuery>;

/**
 * One line of the « journal de relecture », `GET /api/documents/:id/review-journal` → `{entries}`,
 * oldest first: a decision as it was taken, never changed.
 */
export interface ReviewJournalEntryDto {
  id: number;
  documentId: string;
  sectionId: string;
  /** The section's title when the decision was taken. */
  sectionTitle: string;
  action: ReviewEvent;
  fromState: SectionReviewState;
  toState: SectionReviewState;
  /** Null for a system step, or when the account no longer exists. */
  actor: AuthorDto | null;
  message: string | null;
  /** The `revue` version recorded with an approval, when it still exists. */
  versionId: string | null;
  /** The section's content hash when the decision was taken. */
  sectionHash: string | null;
  /** ISO 8601. */
  at: string;
}

/** A document as the review queue shows it: its progress bar and its state. */
export interface ReviewQueueDocumentDto {
  id: string;
  title: string;
  kind: DocumentKindName;
  /** Theme ids of the document (the dashboard filters by theme). */
  themes: string[];
  reviewState: DocumentReviewState;
  review: DocumentReviewDto;
}

/** One section waiting for someone in the review queue. */
export interface ReviewQueueEntryDto {
  document: { id: string; title: string };
  section: { id: string; key: string | null; title: string };
  state: SectionReviewState;
  /** An approval out of date: the section was edited after it was approved. */
  stale: boolean;
  submittedAt: string | null;
  submittedBy: AuthorDto | null;
  decidedAt: string | null;
  decidedBy: AuthorDto | null;
  /** The submission's message (`soumise`) or the request (`modifications_demandees`); null when none. */
  message: string | null;
  /** The version of the last approval, to show the diff since (null if never approved). */
  approvedVersionId: string | null;
  /** What the caller may do on this section right now (one-click decisions). */
  actions: ReviewEvent[];
}

/**
 * Answer of `GET /api/espaces/:id/review-queue` (`review.readQueue`: the animateur, rapporteurs
 * and the administrator).
 *
 * `entries`, for the animateur and the administrator: every section `soumise`, oldest submission
 * first; then approvals gone stale, oldest decision first; then sections with changes requested,
 * oldest decision first. For a rapporteur: the sections of the documents assigned to them with
 * changes requested or a stale approval, in the same order. Archived documents are left out.
 *
 * `documents`: the espace's active documents the caller reads (after the filters), with their
 * progress, in catalogue order.
 */
export interface ReviewQueueDto {
  entries: ReviewQueueEntryDto[];
  documents: ReviewQueueDocumentDto[];
}

/**
 * Stateless message (JSON string) sent by the server to the connection whose change inside a
 * locked section it has just reverted: `{"type": "section-locked", "sectionId", "title"}`. The
 * editor shows {@link sectionLockedNotice}. The rest of the same update is kept.
 */
export interface SectionLockedMessage {
  type: 'section-locked';
  sectionId: string;
  /** The section's title, for the notice (may be empty). */
  title: string;
}

/**
 * Stateless message broadcast to every connection of a document (read-only ones included) after
 * a review step: refetch `GET /api/documents/:id/sections` for the badges and the progress bar.
 */
export interface ReviewChangedMessage {
  type: 'review-changed';
  sectionId: string;
  event: ReviewEvent;
  /** The document's state after the step. */
  reviewState: DocumentReviewState;
}

/** The French notice of a change reverted inside a locked section (defined without zod, issue 16). */
export { sectionLockedNotice } from './liveMessages.js';

const sectionId = z.string().check(z.minLength(1), z.maxLength(200));

const sectionLocked = z.object({
  type: z.literal('section-locked'),
  sectionId,
  title: z.string().check(z.maxLength(1000)),
});

const reviewChanged = z.object({
  type: z.literal('review-changed'),
  sectionId,
  event: z.enum(reviewEvents),
  reviewState: z.enum(documentReviewStates),
});

function parseJson(payload: string): unknown {
  try {
    return JSON.parse(payload) as unknown;
  } catch {
    return undefined;
  }
}

/** Reads a stateless payload as a `section-locked` message; `null` for any other or malformed payload. */
export function parseSectionLockedMessage(payload: string): SectionLockedMessage | null {
  const parsed = sectionLocked.safeParse(parseJson(payload));
  return parsed.success ? parsed.data : null;
}

/** Reads a stateless payload as a `review-changed` message; `null` for any other or malformed payload. */
export function parseReviewChangedMessage(payload: string): ReviewChangedMessage | null {
  const parsed = reviewChanged.safeParse(parseJson(payload));
  return parsed.success ? parsed.data : null;
}
