import { describe, expect, it } from 'vitest';
import {
  parseReviewChangedMessage,
  parseSectionLockedMessage,
  REVIEW_MESSAGE_MAX,
  reviewQueueQuery,
  reviewSectionInput,
  sectionLockedNotice,
} from './review.js';

/** The French message of each refused field, by path. */
function fieldErrors(body: unknown): Record<string, string> {
  const result = reviewSectionInput.safeParse(body);
  if (result.success) return {};
  return Object.fromEntries(result.error.issues.map((issue) => [issue.path.join('.'), issue.message]));
}

describe('the body of POST …/sections/:sectionId/review', () => {
  it.each(['submit', 'approve', 'lock', 'unlock'] as const)('accepts %s without a message', (action) => {
    expect(reviewSectionInput.parse({ action })).toEqual({ action });
  });

  it('trims the message and keeps the hash the person saw', () => {
    expect(
      reviewSectionInput.parse({ action: 'request_changes', message: '  Citez vos sources.\n', hash: 'abc' }),
    ).toEqual({ action: 'request_changes', message: 'Citez vos sources.', hash: 'abc' });
  });

  it('accepts a null message, as a form without one may send', () => {
    expect(reviewSectionInput.parse({ action: 'submit', message: null })).toEqual({
      action: 'submit',
      message: null,
    });
  });

  it.each([undefined, null, '', '   \n '])(
    'refuses a request for changes whose message is %j, on the message field, in French',
    (message) => {
      expect(fieldErrors({ action: 'request_changes', message })).toEqual({
        message: 'Expliquez les modifications demandées dans un message.',
      });
    },
  );

  it('bounds the message after trimming it', () => {
    const longest = 'a'.repeat(REVIEW_MESSAGE_MAX);
    expect(reviewSectionInput.safeParse({ action: 'approve', message: ` ${longest} ` }).success).toBe(true);
    expect(fieldErrors({ action: 'approve', message: `${longest}a` })).toEqual({
      message: 'Le message ne peut pas dépasser 10 000 caractères.',
    });
  });

  it.each([
    [{ action: 'publish' }, 'action', 'L’action vaut submit, approve, request_changes, lock ou unlock.'],
    [{}, 'action', 'L’action vaut submit, approve, request_changes, lock ou unlock.'],
    [{ action: 'approve', message: 42 }, 'message', 'Le message doit être un texte.'],
    [{ action: 'approve', hash: '' }, 'hash', 'L’empreinte de la section est vide.'],
    [{ action: 'approve', hash: 'h'.repeat(201) }, 'hash', 'L’empreinte de la section est trop longue.'],
  ])('refuses %j with a French message on %s', (body, path, message) => {
    expect(fieldErrors(body)[path]).toBe(message);
  });

  it('ignores fields it does not know, so a client cannot smuggle a state in', () => {
    expect(reviewSectionInput.parse({ action: 'submit', state: 'approuvee', locked: false })).toEqual({
      action: 'submit',
    });
  });
});

describe('the query of GET /api/espaces/:id/review-queue', () => {
  it('narrows to a document or a theme, both optional', () => {
    expect(reviewQueueQuery.parse({})).toEqual({});
    expect(reviewQueueQuery.parse({ documentId: 'd1', theme: 't1' })).toEqual({
      documentId: 'd1',
      theme: 't1',
    });
    expect(reviewQueueQuery.safeParse({ documentId: ['d1', 'd2'] }).success).toBe(false);
  });
});

describe('the « section verrouillée » stateless message', () => {
  it('reads a well-formed message', () => {
    const payload = JSON.stringify({ type: 'section-locked', sectionId: 's-1', title: 'Origine' });
    expect(parseSectionLockedMessage(payload)).toEqual({
      type: 'section-locked',
      sectionId: 's-1',
      title: 'Origine',
    });
  });

  it.each([
    ['not JSON', '{'],
    ['another message', JSON.stringify({ type: 'threads-changed', threadId: null, change: 'anchors' })],
    ['a message without its section', JSON.stringify({ type: 'section-locked', title: 'Origine' })],
    [
      'a section id too long',
      JSON.stringify({ type: 'section-locked', sectionId: 's'.repeat(201), title: '' }),
    ],
  ])('ignores %s', (_label, payload) => {
    expect(parseSectionLockedMessage(payload)).toBeNull();
  });

  it('tells the author in French which section is locked and that the change was undone', () => {
    expect(sectionLockedNotice(' Origine de la pratique ')).toBe(
      'La section « Origine de la pratique » est verrouillée : votre modification a été annulée.',
    );
    expect(sectionLockedNotice('')).toBe('Section verrouillée : votre modification a été annulée.');
  });
});

describe('the review-changed stateless message', () => {
  it('reads a well-formed message and ignores one with an unknown event or state', () => {
    const message = {
      type: 'review-changed',
      sectionId: 's-1',
      event: 'approve',
      reviewState: 'prete_a_publier',
    };
    expect(parseReviewChangedMessage(JSON.stringify(message))).toEqual(message);
    expect(parseReviewChangedMessage(JSON.stringify({ ...message, event: 'publish' }))).toBeNull();
    expect(parseReviewChangedMessage(JSON.stringify({ ...message, reviewState: 'validee' }))).toBeNull();
  });
});
