/**
 * Every access decision of Essaim is taken here, for REST routes and websockets alike.
 *
 * Accounts do not exist yet: every visitor is a `guest` who may create, read and edit documents.
 * When accounts arrive, new actor kinds and roles are added to this table; callers keep calling
 * `can()` and do not change.
 */
export type Actor = { kind: 'guest' };

export type Action = 'document.list' | 'document.create' | 'document.read' | 'document.edit';

/** What an action is about. Documents are named by id; listing and creating have no target. */
export type Target = { type: 'instance' } | { type: 'document'; id: string };

const guestRights: ReadonlySet<Action> = new Set([
  'document.list',
  'document.create',
  'document.read',
  'document.edit',
]);

/** The single decision function: may this actor do this action on this target? */
export function can(actor: Actor, action: Action, _target: Target): boolean {
  switch (actor.kind) {
    case 'guest':
      return guestRights.has(action);
  }
}

/**
 * How a websocket opens a document: `write`, `read` (updates refused by the server) or `none`
 * (connection refused). Derived from `can()` so the two transports never disagree.
 */
export function collabAccess(actor: Actor, documentId: string): 'write' | 'read' | 'none' {
  const target: Target = { type: 'document', id: documentId };
  if (!can(actor, 'document.read', target)) return 'none';
  return can(actor, 'document.edit', target) ? 'write' : 'read';
}
