import {
  ARCHIVED_READ_ONLY_MESSAGE,
  can,
  refusedBecauseArchived,
  type Actor,
  type DocumentAction,
  type Target,
} from './access.js';
import type { DomainErrorKind } from './errors.js';

/**
 * Section-by-section review (issue 12): the pure state machine every review step goes through,
 * and what a section's and a document's review state derive to. No clock, no storage: the caller
 * passes the time, the section's current hash and the document target `can()` needs, and stores
 * the record it gets back (writing the audit log and notifying, which are not decided here).
 *
 * ```
 *   brouillon ──submit──▶ soumise ──approve──▶ approuvee ──lock──▶ approuvee + locked
 *       │                    │                   ▲   │                     │
 *       └──────approve───────┼───────────────────┘   │ request_changes     │ unlock
 *                            └─request_changes─▶ modifications_demandees ◀─┘ (lifts the lock)
 *                                                    │ submit / approve
 * ```
 *
 * An approval records the section's content hash (`sectionHash` of packages/editor). An approved
 * section whose hash has changed since is *stale*: a derived flag, never a state of its own, so an
 * edit needs no transition and an edit elsewhere in the document never makes a section stale.
 */

/** States of one section's review. `approuvee` may also be stale or locked (flags, not states). */
export const sectionReviewStates = ['brouillon', 'soumise', 'approuvee', 'modifications_demandees'] as const;
export type SectionReviewState = (typeof sectionReviewStates)[number];

/** How each section state is called in the interface (the section header's badge). */
export const sectionReviewStateLabels: Record<SectionReviewState, string> = {
  brouillon: 'Brouillon',
  soumise: 'Soumise',
  approuvee: 'Approuvée',
  modifications_demandees: 'Modifications demandées',
};

/** What a person does to a section's review (the `action` of `POST …/sections/:sectionId/review`). */
export const reviewEvents = ['submit', 'approve', 'request_changes', 'lock', 'unlock'] as const;
export type ReviewEvent = (typeof reviewEvents)[number];

/** The French button of each event. */
export const reviewEventLabels: Record<ReviewEvent, string> = {
  submit: 'Soumettre',
  approve: 'Approuver',
  request_changes: 'Demander des modifications',
  lock: 'Verrouiller',
  unlock: 'Déverrouiller',
};

/** The `can()` action each event needs, on the document's target. */
export const reviewEventActions: Record<ReviewEvent, DocumentAction> = {
  submit: 'review.submit',
  approve: 'review.approve',
  request_changes: 'review.requestChanges',
  lock: 'review.lock',
  unlock: 'review.unlock',
};

/** Shown on an approved section edited since its approval. */
export const staleApprovalLabel = 'Modifiée depuis l’approbation';
/** Shown on a locked section, in its header and when the editor refuses a keystroke there. */
export const lockedSectionLabel = 'Verrouillée';

/**
 * The stored review of one section. Times are ISO 8601 strings; people are user ids (the service
 * adds names). Invariant kept by {@link reviewTransition}: `locked` implies `state === 'approuvee'`.
 */
export interface SectionReviewRecord {
  state: SectionReviewState;
  /** While true, the server reverts any change inside the section (issue 12). */
  locked: boolean;
  /**
   * Content hash of the section at its last approval; null if never approved. Kept when the
   * section leaves `approuvee`, so « what changed since the approval » can still be shown.
   */
  approvedHash: string | null;
  /** The version recorded at the last approval (kind `revue`, issue 11), when the caller gave one. */
  approvedVersionId: string | null;
  /** Who took the last decision (approve or request_changes), and when. Kept by submit/lock/unlock. */
  decidedBy: string | null;
  decidedAt: string | null;
  /** Who last submitted the section, and when. */
  submittedBy: string | null;
  submittedAt: string | null;
  /** Who locked it and when; null when not locked. */
  lockedBy: string | null;
  lockedAt: string | null;
  /**
   * Message of the last submit, approve or request_changes (trimmed; null when none was given).
   * For request_changes the service also opens a comment thread with it on the section.
   */
  message: string | null;
}

/** The review of a section nobody has touched yet. */
export const initialSectionReview: SectionReviewRecord = Object.freeze({
  state: 'brouillon',
  locked: false,
  approvedHash: null,
  approvedVersionId: null,
  decidedBy: null,
  decidedAt: null,
  submittedBy: null,
  submittedAt: null,
  lockedBy: null,
  lockedAt: null,
  message: null,
});

/**
 * Whether an approved section has changed since its approval: `state` is `approuvee` and its
 * current content hash differs from `approvedHash`. Any other state is never stale (there is no
 * approval in force to be out of date).
 */
export function sectionIsStale(
  review: Pick<SectionReviewRecord, 'state' | 'approvedHash'>,
  currentHash: string,
): boolean {
  return review.state === 'approuvee' && review.approvedHash !== null && review.approvedHash !== currentHash;
}

/** Why a transition is refused. */
export type ReviewRefusalReason =
  /** The person cannot read the document (or has no account). */
  | 'forbidden'
  /** Submitting is for the rapporteurs assigned to the document and the animateur. */
  | 'not_assigned'
  /** Approving, requesting changes, locking and unlocking are the animateur's. */
  | 'animateur_only'
  /** The document is archived: its review no longer changes. */
  | 'archived'
  /** A request for changes says what to change. */
  | 'message_required'
  /** The section changed since the person read it (`seenHash`): read it again before deciding. */
  | 'content_changed'
  | 'already_submitted'
  /** Approved and unchanged since: nothing to submit or approve. */
  | 'already_approved'
  /** Changes are requested on a submitted or approved section, not on a draft. */
  | 'not_submitted'
  | 'changes_already_requested'
  /** Only an approved section can be locked. */
  | 'not_approved'
  /** An approved section edited since cannot be locked before it is approved again. */
  | 'stale'
  | 'already_locked'
  | 'not_locked'
  /** A locked section cannot be submitted: the animateur unlocks it or requests changes. */
  | 'locked';

/**
 * A refused transition: `kind` is the domain error kind to raise (`forbidden` → 403, `conflict` →
 * 409, `invalid_input` → 400; see server/src/http/errors.ts), `message` the French sentence shown
 * as it is: `throw new DomainError(refusal.kind, refusal.message)`.
 */
export interface ReviewRefusal {
  ok: false;
  reason: ReviewRefusalReason;
  kind: Extract<DomainErrorKind, 'forbidden' | 'conflict' | 'invalid_input'>;
  message: string;
}

/** An accepted transition and the record to store. */
export interface ReviewAccepted {
  ok: true;
  review: SectionReviewRecord;
}

export type ReviewTransitionResult = ReviewAccepted | ReviewRefusal;

const refusals: Record<ReviewRefusalReason, { kind: ReviewRefusal['kind']; message: string }> = {
  forbidden: { kind: 'forbidden', message: 'Vous n’avez pas accès à ce document.' },
  not_assigned: {
    kind: 'forbidden',
    message:
      'Seuls les rapporteurs attribués à ce document et l’animateur de l’espace peuvent soumettre ses sections.',
  },
  animateur_only: {
    kind: 'forbidden',
    message:
      'Seul l’animateur de l’espace peut approuver une section, y demander des modifications, la verrouiller ou la déverrouiller.',
  },
  archived: { kind: 'conflict', message: ARCHIVED_READ_ONLY_MESSAGE },
  message_required: {
    kind: 'invalid_input',
    message: 'Expliquez les modifications demandées dans un message.',
  },
  content_changed: {
    kind: 'conflict',
    message: 'La section a été modifiée pendant votre relecture : relisez-la avant de décider.',
  },
  already_submitted: { kind: 'conflict', message: 'Cette section est déjà soumise.' },
  already_approved: {
    kind: 'conflict',
    message: 'Cette section est déjà approuvée et n’a pas été modifiée depuis.',
  },
  not_submitted: {
    kind: 'conflict',
    message: 'Cette section n’a pas été soumise : elle est encore en cours de rédaction.',
  },
  changes_already_requested: {
    kind: 'conflict',
    message: 'Des modifications sont déjà demandées sur cette section.',
  },
  not_approved: { kind: 'conflict', message: 'Seule une section approuvée peut être verrouillée.' },
  stale: {
    kind: 'conflict',
    message:
      'Cette section a été modifiée depuis son approbation : approuvez-la de nouveau avant de la verrouiller.',
  },
  already_locked: { kind: 'conflict', message: 'Cette section est déjà verrouillée.' },
  not_locked: { kind: 'conflict', message: 'Cette section n’est pas verrouillée.' },
  locked: {
    kind: 'conflict',
    message:
      'Cette section est verrouillée : elle ne peut pas être soumise tant qu’elle n’est pas déverrouillée.',
  },
};

const refuse = (reason: ReviewRefusalReason): ReviewRefusal => ({ ok: false, reason, ...refusals[reason] });

/** What a transition needs to know besides the current record, the event and who acts. */
export interface ReviewContext {
  /** The document, as `can()` judges it (espace, assignees, archived). */
  target: Extract<Target, { type: 'document' }>;
  /** The section's content hash now (`sectionHash` of packages/editor, as in `GET …/sections`). */
  currentHash: string;
  /** ISO 8601 time of the step, recorded in `decidedAt`, `submittedAt` or `lockedAt`. */
  now: string;
  /** The person's message; trimmed here; required (non-blank) for `request_changes`. */
  message?: string | null;
  /**
   * The hash of the section as the person read it when they chose (optional). When given and
   * different from `currentHash`, the step is refused with `content_changed`: an animateur never
   * approves words they have not seen (someone typed while they were reading).
   */
  seenHash?: string | null;
  /** On approve: the `revue` version recorded for this approval (issue 11), kept in the record. */
  versionId?: string | null;
}

/**
 * The single review step: may `actor` apply `event` to a section whose review is `current`, and
 * what is the section's review afterwards? Pure: the caller stores the returned record, writes
 * the audit log and notifies.
 *
 * Checks, in this order (the first failing one is returned):
 * 1. `can(actor, reviewEventActions[event], target)` → `forbidden` (cannot read the document),
 *    `not_assigned` (submit), `animateur_only` (the other events), `archived`;
 * 2. `request_changes` without a non-blank message → `message_required`;
 * 3. the state table below → a `conflict` reason;
 * 4. `seenHash` given and different from `currentHash` → `content_changed`.
 *
 * | from \ event              | submit            | approve          | request_changes             | lock              | unlock     |
 * |---------------------------|-------------------|------------------|-----------------------------|-------------------|------------|
 * | brouillon                 | soumise           | approuvee        | not_submitted               | not_approved      | not_locked |
 * | soumise                   | already_submitted | approuvee        | modifications_demandees     | not_approved      | not_locked |
 * | approuvee                 | already_approved  | already_approved | modifications_demandees     | approuvee, locked | not_locked |
 * | approuvee, stale          | soumise           | approuvee ¹      | modifications_demandees     | stale             | not_locked |
 * | approuvee, locked         | locked            | already_approved | modifications_demandees ²   | already_locked    | approuvee  |
 * | modifications_demandees   | soumise           | approuvee        | changes_already_requested   | not_approved      | not_locked |
 *
 * ¹ with the new hash as `approvedHash`. ² the lock is lifted.
 *
 * Rules behind the table: the animateur may approve directly from any state, except an approved
 * section unchanged since; a request for changes lifts the lock, because the rapporteur has to be
 * able to make them (the lock is frozen text, the request says it must change); the animateur
 * may submit too, as anyone who writes the document (an espace can have several animateurs);
 * approve records `currentHash` as `approvedHash`.
 */
export function reviewTransition(
  current: SectionReviewRecord,
  event: ReviewEvent,
  actor: Actor,
  context: ReviewContext,
): ReviewTransitionResult {
  const { target, currentHash, now } = context;
  const action = reviewEventActions[event];
  if (actor.kind === 'anonymous') return refuse('forbidden');
  if (!can(actor, action, target)) {
    if (!can(actor, 'review.read', target)) return refuse('forbidden');
    if (refusedBecauseArchived(actor, action, target)) return refuse('archived');
    return refuse(event === 'submit' ? 'not_assigned' : 'animateur_only');
  }
  const message = context.message?.trim() || null;
  if (event === 'request_changes' && message === null) return refuse('message_required');

  const stale = sectionIsStale(current, currentHash);
  const by = actor.userId;
  let next: SectionReviewRecord;
  switch (event) {
    case 'submit':
      if (current.locked) return refuse('locked');
      if (current.state === 'soumise') return refuse('already_submitted');
      if (current.state === 'approuvee' && !stale) return refuse('already_approved');
      next = { ...current, state: 'soumise', submittedBy: by, submittedAt: now, message };
      break;
    case 'approve':
      if (current.state === 'approuvee' && !stale) return refuse('already_approved');
      next = {
        ...current,
        state: 'approuvee',
        approvedHash: currentHash,
        approvedVersionId: context.versionId ?? null,
        decidedBy: by,
        decidedAt: now,
        message,
      };
      break;
    case 'request_changes':
      if (current.state === 'brouillon') return refuse('not_submitted');
      if (current.state === 'modifications_demandees') return refuse('changes_already_requested');
      next = {
        ...current,
        state: 'modifications_demandees',
        locked: false,
        lockedBy: null,
        lockedAt: null,
        decidedBy: by,
        decidedAt: now,
        message,
      };
      break;
    case 'lock':
      if (current.locked) return refuse('already_locked');
      if (current.state !== 'approuvee') return refuse('not_approved');
      if (stale) return refuse('stale');
      next = { ...current, locked: true, lockedBy: by, lockedAt: now };
      break;
    case 'unlock':
      if (!current.locked) return refuse('not_locked');
      next = { ...current, locked: false, lockedBy: null, lockedAt: null };
      break;
  }
  if (context.seenHash != null && context.seenHash !== currentHash) return refuse('content_changed');
  return { ok: true, review: next };
}

/**
 * The events `actor` may apply to this section now, in {@link reviewEvents} order: the buttons to
 * show (« Soumettre », « Approuver »…). `request_changes` is listed when only its message is
 * missing (the form asks for it).
 */
export function availableReviewEvents(
  current: SectionReviewRecord,
  actor: Actor,
  context: Pick<ReviewContext, 'target' | 'currentHash'>,
): ReviewEvent[] {
  const probe: ReviewContext = { ...context, now: '', message: 'message' };
  return reviewEvents.filter((event) => reviewTransition(current, event, actor, probe).ok);
}

/** States of a whole document, derived from its sections and its publication. */
export const documentReviewStates = ['en_redaction', 'en_relecture', 'prete_a_publier', 'publiee'] as const;
export type DocumentReviewState = (typeof documentReviewStates)[number];
/** The state of the draft alone, publication aside. */
export type DraftReviewState = Exclude<DocumentReviewState, 'publiee'>;

/** How each document state is called in the interface (catalogue, dashboard, editor). */
export const documentReviewStateLabels: Record<DocumentReviewState, string> = {
  en_redaction: 'En rédaction',
  en_relecture: 'En relecture',
  prete_a_publier: 'Prête à publier',
  publiee: 'Publiée',
};

/** Shown on a published document whose draft has moved on since. */
export const newVersionInProgressLabel = 'Une nouvelle version est en cours';

/** What {@link documentReviewState} needs of each section of the document. */
export interface SectionForDocumentReview {
  review: Pick<SectionReviewRecord, 'state' | 'approvedHash'>;
  /** The section's content hash now. */
  hash: string;
  /** Whether the template requires the section (`SectionTemplate.required`). */
  required: boolean;
}

/** Where a document's review stands. */
export interface DocumentReview {
  /** `publiee` whenever a publication exists; otherwise the same as `draftState`. */
  state: DocumentReviewState;
  /** The draft's own state, publication aside (what a new publication would start from). */
  draftState: DraftReviewState;
  /** Published, and the draft has moved since (« Une nouvelle version est en cours »). */
  newVersionInProgress: boolean;
  /** Sections approved and not stale (the progress bar: « 9 / 13 sections approuvées »). */
  approved: number;
  /** Every section of the document, required or not. */
  total: number;
}

/**
 * A document's review state, from its sections (in any order) and its publication (the
 * publication issue supplies both flags; pass `false` for both before publications exist).
 *
 * - `prete_a_publier`: every required section is approved and not stale (issue 12). A document
 *   without any required section (not made from a template) needs every section approved. A
 *   document without sections is `en_redaction`.
 * - `en_relecture`: not ready, and at least one section is `soumise` (waiting for the animateur).
 * - `en_redaction`: otherwise: the next step is the writers' (drafts, requested changes, stale
 *   approvals to resubmit).
 * - `publiee`: a publication exists; `newVersionInProgress` when the draft moved after it, and
 *   `draftState` then says whether the new version is ready.
 */
export function documentReviewState(
  sections: readonly SectionForDocumentReview[],
  publication: { published: boolean; draftMovedSincePublication: boolean },
): DocumentReview {
  const isApproved = (s: SectionForDocumentReview) =>
    s.review.state === 'approuvee' && !sectionIsStale(s.review, s.hash);
  const required = sections.filter((s) => s.required);
  const gate = required.length > 0 ? required : sections;
  const draftState: DraftReviewState =
    gate.length > 0 && gate.every(isApproved)
      ? 'prete_a_publier'
      : sections.some((s) => s.review.state === 'soumise')
        ? 'en_relecture'
        : 'en_redaction';
  return {
    state: publication.published ? 'publiee' : draftState,
    draftState,
    newVersionInProgress: publication.published && publication.draftMovedSincePublication,
    approved: sections.filter(isApproved).length,
    total: sections.length,
  };
}
