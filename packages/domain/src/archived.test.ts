import { describe, expect, it } from 'vitest';
import {
  ARCHIVED_READ_ONLY_MESSAGE,
  refusedBecauseArchived,
  type Actor,
  type DocumentAction,
} from './access.js';
import { reviewTransition, initialSectionReview } from './review.js';

const E = 'espace-1';
const animateur: Actor = { kind: 'user', userId: 'a', isAdmin: false, roles: new Map([[E, 'animateur']]) };
const membre: Actor = { kind: 'user', userId: 'm', isAdmin: false, roles: new Map([[E, 'membre']]) };
const doc = (archived: boolean) =>
  ({ type: 'document', espaceId: E, documentId: 'd', assignees: [], archived }) as const;

describe('changes refused because the document is archived', () => {
  const changes: DocumentAction[] = [
    'document.edit',
    'document.assign',
    'review.lock',
    'publication.publish',
  ];

  it.each(changes)(
    'says %s is refused only because of the archive to whoever could make it otherwise',
    (action) => {
      expect(refusedBecauseArchived(animateur, action, doc(true))).toBe(true);
      expect(refusedBecauseArchived(animateur, action, doc(false))).toBe(false);
      expect(refusedBecauseArchived(membre, action, doc(true))).toBe(false);
    },
  );

  it('gives the review the same message as every other change', () => {
    const result = reviewTransition(initialSectionReview, 'lock', animateur, {
      target: doc(true),
      currentHash: 'h',
      now: '2026-11-30T00:00:00.000Z',
      message: null,
      seenHash: null,
    });
    expect(result).toMatchObject({ ok: false, kind: 'conflict', message: ARCHIVED_READ_ONLY_MESSAGE });
  });
});
