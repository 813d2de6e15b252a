import { describe, expect, it } from 'vitest';
import { can, collabAccess, type Action, type Actor, type CommentAction } from './access.js';
import type { EspaceRole } from './roles.js';

const E = 'espace-1';
const OTHER = 'espace-2';
const ME = 'user-me';

const user = (roles: [string, EspaceRole][], isAdmin = false): Actor => ({
  kind: 'user',
  userId: ME,
  isAdmin,
  roles: new Map(roles),
});

const actors: Record<string, Actor> = {
  anonyme: { kind: 'anonymous' },
  administrateur: user([], true),
  animateur: user([[E, 'animateur']]),
  'rapporteur assigné': user([[E, 'rapporteur']]),
  'rapporteur non assigné': user([[E, 'rapporteur']]),
  membre: user([[E, 'membre']]),
  'membre d’un autre espace': user([[OTHER, 'animateur']]),
};

const assignedDoc = { type: 'document', espaceId: E, documentId: 'd', assignees: [ME] } as const;
const unassignedDoc = {
  type: 'document',
  espaceId: E,
  documentId: 'd',
  assignees: ['someone-else'],
} as const;
const docFor = (who: string) => (who === 'rapporteur non assigné' ? unassignedDoc : assignedDoc);

// Expected answers, one column per actor above, in the same order.
const matrix: [Exclude<Action, CommentAction>, boolean[]][] = [
  //                          anon  admin  anim   rapA   rapN   memb   other
  ['espace.create', /*    */ [false, true, false, false, false, false, false]],
  ['espace.listAll', /*   */ [false, true, false, false, false, false, false]],
  ['user.manage', /*      */ [false, true, false, false, false, false, false]],
  ['audit.read', /*       */ [false, true, false, false, false, false, false]],
  ['espace.read', /*      */ [false, true, true, true, true, true, false]],
  ['espace.manageMembers', [false, true, true, false, false, false, false]],
  // An animateur adds people by invitation; only an administrator enrols an account directly.
  ['espace.addMember', /* */ [false, true, false, false, false, false, false]],
  ['espace.manageThemes', [false, false, true, false, false, false, false]],
  ['document.list', /*    */ [false, true, true, true, true, true, false]],
  ['document.create', /*  */ [false, false, true, true, true, false, false]],
  ['document.read', /*    */ [false, true, true, true, true, true, false]],
  ['document.edit', /*    */ [false, false, true, true, false, false, false]],
  ['document.comment', /* */ [false, false, true, true, true, true, false]],
  ['document.assign', /*  */ [false, false, true, false, false, false, false]],
  ['document.archive', /* */ [false, false, true, false, false, false, false]],
  ['thread.create', /*    */ [false, false, true, true, true, true, false]],
  ['comment.create', /*   */ [false, false, true, true, true, true, false]],
  ['thread.resolve', /*   */ [false, false, true, true, true, false, false]],
  ['comment.moderate', /* */ [false, false, true, false, false, false, false]],
  // Reviews (issue 12): a membre reads review states but never decides; an administrator helps
  // (reads states and queues) without deciding; submitting belongs to those who write the text.
  ['review.read', /*      */ [false, true, true, true, true, true, false]],
  ['review.readQueue', /* */ [false, true, true, true, true, false, false]],
  ['review.submit', /*    */ [false, false, true, true, false, false, false]],
  ['review.approve', /*   */ [false, false, true, false, false, false, false]],
  ['review.requestChanges', [false, false, true, false, false, false, false]],
  ['review.lock', /*      */ [false, false, true, false, false, false, false]],
  ['review.unlock', /*    */ [false, false, true, false, false, false, false]],
  // Publication (issue 13): the animateur publishes and moderates; the portal is public.
  ['publication.publish', [false, false, true, false, false, false, false]],
  ['portal.moderateSignals', [false, false, true, false, false, false, false]],
  ['portal.read', /*      */ [true, true, true, true, true, true, true]],
];

const instanceActions: readonly Action[] = [
  'espace.create',
  'espace.listAll',
  'user.manage',
  'audit.read',
  'portal.read',
];
const espaceActions: readonly Action[] = [
  'espace.read',
  'espace.manageMembers',
  'espace.addMember',
  'espace.manageThemes',
  'document.list',
  'document.create',
  'review.readQueue',
  'portal.moderateSignals',
];

const cases = matrix.flatMap(([action, expected]) =>
  Object.keys(actors).map((who, i) => ({ action, who, expected: expected[i] as boolean })),
);

describe('can(): the authorization table', () => {
  it.each(cases)('$who → $action : $expected', ({ action, who, expected }) => {
    const actor = actors[who] as Actor;
    const target = instanceActions.includes(action)
      ? { type: 'instance' as const }
      : espaceActions.includes(action)
        ? { type: 'espace' as const, espaceId: E }
        : docFor(who);
    expect(can(actor, action, target as never)).toBe(expected);
  });
});

describe('collabAccess(): what a websocket gets', () => {
  it.each([
    ['animateur', 'write'],
    ['rapporteur assigné', 'write'],
    ['rapporteur non assigné', 'read'],
    ['membre', 'read'],
    ['administrateur', 'read'],
    ['membre d’un autre espace', 'none'],
    ['anonyme', 'none'],
  ])('%s opens a document in %s mode', (who, expected) => {
    expect(collabAccess(actors[who] as Actor, docFor(who))).toBe(expected);
  });
});

describe('can(): messages of a thread', () => {
  const comment = (authorId: string, archived = false) =>
    ({ type: 'comment', espaceId: E, documentId: 'd', assignees: [ME], authorId, archived }) as const;

  it.each([
    ['animateur', true, true],
    ['rapporteur assigné', true, true],
    ['membre', true, true],
    ['administrateur', false, false],
    ['membre d’un autre espace', false, false],
    ['anonyme', false, false],
  ])('%s edits (%s) and deletes (%s) their own message', (who, edit, remove) => {
    const actor = actors[who] as Actor;
    expect(can(actor, 'comment.edit', comment(ME))).toBe(edit);
    expect(can(actor, 'comment.delete', comment(ME))).toBe(remove);
  });

  it.each([
    ['animateur', false, true],
    ['rapporteur assigné', false, false],
    ['membre', false, false],
    ['administrateur', false, false],
  ])(
    '%s edits (%s) and deletes (%s) someone else’s message: only the animateur moderates',
    (who, edit, remove) => {
      const actor = actors[who] as Actor;
      expect(can(actor, 'comment.edit', comment('someone-else'))).toBe(edit);
      expect(can(actor, 'comment.delete', comment('someone-else'))).toBe(remove);
    },
  );

  it('leaves the threads of an archived document read-only for everybody, the animateur included', () => {
    const animateur = actors.animateur as Actor;
    const archivedDoc = { ...assignedDoc, archived: true };
    expect(can(animateur, 'document.read', archivedDoc)).toBe(true);
    for (const action of ['thread.create', 'comment.create', 'thread.resolve', 'comment.moderate'] as const)
      expect(can(animateur, action, archivedDoc)).toBe(false);
    expect(can(animateur, 'comment.edit', comment(ME, true))).toBe(false);
    expect(can(animateur, 'comment.delete', comment('someone-else', true))).toBe(false);
  });

  it('stops a former member from editing the messages they wrote', () => {
    const former = actors['membre d’un autre espace'] as Actor;
    expect(can(former, 'comment.edit', comment(ME))).toBe(false);
    expect(can(former, 'comment.delete', comment(ME))).toBe(false);
  });
});

describe('can(): reviews of an archived document', () => {
  const archivedDoc = { ...assignedDoc, archived: true };

  it('keeps review states readable but refuses every review decision, the animateur’s included', () => {
    const animateur = actors.animateur as Actor;
    expect(can(animateur, 'review.read', archivedDoc)).toBe(true);
    for (const action of [
      'review.submit',
      'review.approve',
      'review.requestChanges',
      'review.lock',
      'review.unlock',
    ] as const)
      expect(can(animateur, action, archivedDoc)).toBe(false);
  });

  it('refuses a submission by the assigned rapporteur once the document is archived', () => {
    expect(can(actors['rapporteur assigné'] as Actor, 'review.submit', archivedDoc)).toBe(false);
  });

  it('lets an administrator who is also animateur of the espace decide through that role', () => {
    const both = user([[E, 'animateur']], true);
    expect(can(both, 'review.approve', assignedDoc)).toBe(true);
    expect(can(actors.administrateur as Actor, 'review.approve', assignedDoc)).toBe(false);
  });
});
