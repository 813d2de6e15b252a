import type { EspaceRole } from './roles.js';

/**
 * Every access decision of Essaim is taken here, for REST routes and websockets alike: the
 * transports translate `can()`'s answer into a status code or a read-only connection, and never
 * decide by themselves.
 */

/** Who is asking. The public has no account; a user carries their roles, one per espace. */
export type Actor =
  | { kind: 'anonymous' }
  | {
      kind: 'user';
      userId: string;
      /** Instance administrator: creates espaces, manages accounts, reads the audit log. */
      isAdmin: boolean;
      /** Role in each espace the person belongs to, by espace id. */
      roles: ReadonlyMap<string, EspaceRole>;
    };

export type InstanceAction =
  | 'espace.create'
  | 'espace.listAll'
  | 'user.manage'
  | 'audit.read'
  /**
   * Read the public portal (issue 13): published practices, their search, map and feed. Everyone,
   * without an account: what is published is public by the animateur's decision.
   */
  | 'portal.read';
export type EspaceAction =
  | 'espace.read'
  /** Change the role of a member, remove a member, invite people, revoke invitations. */
  | 'espace.manageMembers'
  /**
   * Make an existing account of the instance a member directly, without an invitation it accepts
   * (issue 15: an animateur could enrol any account of the instance). Administrators only; an
   * animateur adds people by invitation.
   */
  | 'espace.addMember'
  | 'espace.manageThemes'
  | 'document.list'
  | 'document.create'
  /**
   * Read the review queue of an espace (issue 12: the « Relecture » dashboard): the animateur's
   * sections awaiting a decision, a rapporteur's sections where changes were requested.
   */
  | 'review.readQueue'
  /** Moderate the reuse signals (« Je m'inspire de cette pratique ») left on the portal (issue 13). */
  | 'portal.moderateSignals';
export type DocumentAction =
  | 'document.read'
  | 'document.edit'
  | 'document.comment'
  | 'document.assign'
  | 'document.archive'
  /** Start a comment thread on words or on a whole section (issue 10). */
  | 'thread.create'
  /** Reply in a thread. */
  | 'comment.create'
  /** Resolve and reopen threads. */
  | 'thread.resolve'
  /** Delete anyone's message or a whole thread (moderation, audited). */
  | 'comment.moderate'
  /** See the review state of each section and of the document (issue 12): whoever reads it. */
  | 'review.read'
  /** Submit sections for approval: those who write the text (assigned rapporteurs, the animateur). */
  | 'review.submit'
  /** Approve a section (also directly from brouillon): the animateur. */
  | 'review.approve'
  /** Ask for changes, with a message: the animateur. */
  | 'review.requestChanges'
  /** Lock an approved section: the server then reverts any change inside it. The animateur. */
  | 'review.lock'
  | 'review.unlock'
  /**
   * Publish a document that is prête à publier, unpublish and republish it (issue 13): the
   * animateur, who approved it.
   */
  | 'publication.publish';
/** What is done to one existing message: its author edits or deletes it; the animateur deletes it too. */
export type CommentAction = 'comment.edit' | 'comment.delete';
export type Action = InstanceAction | EspaceAction | DocumentAction | CommentAction;

/** What an action is about. A document target carries what the rules need to know of it. */
export type Target =
  | { type: 'instance' }
  | { type: 'espace'; espaceId: string }
  | {
      type: 'document';
      espaceId: string;
      documentId: string;
      assignees: readonly string[];
      /** An archived document is read-only: its comment threads too. */
      archived?: boolean;
    }
  | {
      type: 'comment';
      espaceId: string;
      documentId: string;
      assignees: readonly string[];
      archived?: boolean;
      /** Who wrote the message. */
      authorId: string;
    };

type TargetFor<A extends Action> = A extends InstanceAction
  ? { type: 'instance' }
  : A extends EspaceAction
    ? { type: 'espace'; espaceId: string }
    : A extends CommentAction
      ? Extract<Target, { type: 'comment' }>
      : Extract<Target, { type: 'document' }>;

/**
 * Actions that change a document's comment threads or its review: none of them on an archived
 * document (it is read-only; its review states stay readable).
 */
const archivedRefuses: ReadonlySet<Action> = new Set([
  'thread.create',
  'comment.create',
  'thread.resolve',
  'comment.moderate',
  'comment.edit',
  'comment.delete',
  'review.submit',
  'review.approve',
  'review.requestChanges',
  'review.lock',
  'review.unlock',
  'publication.publish',
]);

/** What each role may do in its espace. Document editing is further limited to assignees. */
const espaceRights: Record<EspaceRole, ReadonlySet<EspaceAction | DocumentAction>> = {
  animateur: new Set([
    'espace.read',
    'espace.manageMembers',
    'espace.manageThemes',
    'document.list',
    'document.create',
    'document.read',
    'document.edit',
    'document.comment',
    'document.assign',
    'document.archive',
    'thread.create',
    'comment.create',
    'thread.resolve',
    'comment.moderate',
    'review.read',
    'review.readQueue',
    'review.submit',
    'review.approve',
    'review.requestChanges',
    'review.lock',
    'review.unlock',
    'publication.publish',
    'portal.moderateSignals',
  ]),
  rapporteur: new Set([
    'espace.read',
    'document.list',
    'document.create',
    'document.read',
    'document.edit',
    'document.comment',
    'thread.create',
    'comment.create',
    'thread.resolve',
    'review.read',
    'review.readQueue',
    // Assigned rapporteurs only, like `document.edit` (see `can()`).
    'review.submit',
  ]),
  // Membres comment as fully as rapporteurs (issue 10), on their read-only connection.
  membre: new Set([
    'espace.read',
    'document.list',
    'document.read',
    'document.comment',
    'thread.create',
    'comment.create',
    // Membres see where the review stands, never decide; the queue is a work list they have no part in.
    'review.read',
  ]),
};

/**
 * Administrators run the instance; they see espaces to help (review states and queues included),
 * but write no text and take no review decision without a role in the espace.
 */
const adminRights: ReadonlySet<Action> = new Set([
  'espace.create',
  'espace.listAll',
  'user.manage',
  'audit.read',
  'espace.read',
  'espace.manageMembers',
  'espace.addMember',
  'document.list',
  'document.read',
  'review.read',
  'review.readQueue',
]);

/**
 * The one French message of every change refused because its document is archived (HTTP 409,
 * `conflict`): versions, images, assignments, reviews, publication, restoring a version.
 */
export const ARCHIVED_READ_ONLY_MESSAGE =
  'Ce document est archivé : il est en lecture seule. Restaurez-le pour pouvoir le modifier.';

/**
 * Whether `action` is refused to `actor` on a document target only because the document is
 * archived: `can()` would allow it on the same document not archived. Such a refusal is a
 * `conflict` (409, {@link ARCHIVED_READ_ONLY_MESSAGE}), not a `forbidden`: the request is right,
 * the document's state is not. False for a document that is not archived.
 */
export function refusedBecauseArchived(
  actor: Actor,
  action: DocumentAction,
  target: Extract<Target, { type: 'document' }>,
): boolean {
  return Boolean(target.archived) && can(actor, action, { ...target, archived: false });
}

/**
 * The single decision function: may this actor do this action on this target?
 *
 * Comments (issue 10): membres, rapporteurs and the animateur start threads and reply;
 * rapporteurs and the animateur resolve and reopen; the animateur moderates. A message is edited
 * by its author only, and deleted by its author or the animateur, as long as they still may
 * comment on the document. Nothing changes the threads of an archived document.
 *
 * Reviews (issue 12): whoever reads a document reads its review states; those who write its text
 * (assigned rapporteurs, the animateur) submit sections; only the animateur approves, requests
 * changes, locks and unlocks; the animateur, rapporteurs and the administrator read an espace's
 * review queue. Nothing changes the review of an archived document.
 *
 * Publication (issue 13): the animateur publishes, unpublishes and republishes, and moderates the
 * reuse signals; the portal is read by everyone, without an account.
 */
export function can<A extends Action>(actor: Actor, action: A, target: TargetFor<A>): boolean {
  if (action === 'portal.read') return true;
  if (actor.kind === 'anonymous') return false;
  if (
    target.type !== 'instance' &&
    target.type !== 'espace' &&
    target.archived &&
    archivedRefuses.has(action)
  )
    return false;
  if (target.type === 'comment') {
    const onDocument = { ...target, type: 'document' as const };
    const own = target.authorId === actor.userId && can(actor, 'comment.create', onDocument);
    if (action === 'comment.edit') return own;
    if (action === 'comment.delete') return own || can(actor, 'comment.moderate', onDocument);
    return false;
  }
  if (actor.isAdmin && adminRights.has(action)) return true;
  if (target.type === 'instance') return false;
  const role = actor.roles.get(target.espaceId);
  if (!role || !espaceRights[role].has(action as EspaceAction | DocumentAction)) return false;
  // A rapporteur edits, and submits for review, only the documents they are assigned to.
  if (
    (action === 'document.edit' || action === 'review.submit') &&
    role === 'rapporteur' &&
    target.type === 'document'
  ) {
    return target.assignees.includes(actor.userId);
  }
  return true;
}

/**
 * How a websocket opens a document: `write`, `read` (the server refuses its updates) or `none`
 * (refused). Derived from `can()` so the two transports never disagree.
 */
export function collabAccess(
  actor: Actor,
  target: Extract<Target, { type: 'document' }>,
): 'write' | 'read' | 'none' {
  if (!can(actor, 'document.read', target)) return 'none';
  return can(actor, 'document.edit', target) ? 'write' : 'read';
}
