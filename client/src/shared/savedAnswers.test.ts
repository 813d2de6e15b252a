import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ReviewedDocumentSectionsDto } from '@essaim/protocol';
import { isPublicationList, readSavedPublications } from '../features/publication/savedPublications.js';
import { isReviewedSectionsAnswer, readSavedReview } from '../features/review/savedReview.js';
import { readSavedAnswer } from './readSavedAnswer.js';
import { SAVED_ANSWER_FORMAT, saveAnswer, savedAnswerKey, type AnswerStore } from './savedAnswers.js';
import { memoryAnswerStore } from './memoryAnswerStore.js';

const review = (state: string) => ({
  state,
  stale: false,
  locked: false,
  approvedHash: 'h1',
  approvedVersionId: 'v1',
  decidedBy: { id: 'anim', name: 'Anna' },
  decidedAt: '2026-12-01T10:00:00.000Z',
  submittedBy: null,
  submittedAt: null,
  lockedBy: null,
  lockedAt: null,
  message: null,
  actions: [],
});

const answer = {
  sections: [
    {
      id: 's1',
      key: 'origine',
      title: 'Origine et contexte',
      hash: 'h1',
      characters: 40,
      required: true,
      review: review('approuvee'),
    },
  ],
  missingRequired: [],
  reviewState: 'en_redaction',
  review: { draftState: 'en_redaction', newVersionInProgress: false, approved: 1, total: 13 },
} as unknown as ReviewedDocumentSectionsDto;

const publication = {
  id: 'p1',
  documentId: 'd1',
  number: 1,
  url: '/pratiques/conferences/v/1',
  documentUrl: '/pratiques/conferences',
  versionId: null,
  title: 'Conférences familiales',
  publishedAt: '2026-12-01T10:00:00.000Z',
  publishedBy: null,
  hidden: false,
};

afterEach(() => {
  vi.useRealTimers();
});

describe('answers saved with a document’s local copy', () => {
  it('gives back the last answer saved for the account it was answered to', async () => {
    const store = memoryAnswerStore();
    await saveAnswer(store, 'sections', 'bruno', answer);
    expect(await readSavedReview(store, 'bruno')).toEqual(answer);
    await saveAnswer(store, 'publications', 'bruno', [publication]);
    expect(await readSavedPublications(store, 'bruno')).toEqual([publication]);
  });

  it('never gives one account’s saved answer to another account', async () => {
    const store = memoryAnswerStore();
    await saveAnswer(store, 'sections', 'bruno', answer);
    expect(savedAnswerKey('sections', 'bruno')).not.toBe(savedAnswerKey('sections', 'chloe'));
    expect(await readSavedReview(store, 'chloe')).toBeNull();
    // Even copied under the other account's key, an entry answered to Bruno is not Chloé's.
    store.entries.set(
      savedAnswerKey('sections', 'chloe'),
      store.entries.get(savedAnswerKey('sections', 'bruno')),
    );
    expect(await readSavedReview(store, 'chloe')).toBeNull();
  });

  it('ignores entries of another format, damaged or of an older shape, without failing', async () => {
    const store = memoryAnswerStore();
    const key = savedAnswerKey('sections', 'bruno');
    for (const entry of [
      answer,
      'texte',
      42,
      null,
      { format: SAVED_ANSWER_FORMAT + 1, user: 'bruno', value: answer },
      { format: SAVED_ANSWER_FORMAT, user: 'bruno' },
      { format: SAVED_ANSWER_FORMAT, user: 'bruno', value: { ...answer, sections: 'aucune' } },
      { format: SAVED_ANSWER_FORMAT, user: 'bruno', value: { ...answer, reviewState: 'inconnu' } },
      {
        format: SAVED_ANSWER_FORMAT,
        user: 'bruno',
        value: { ...answer, sections: [{ ...answer.sections[0], review: { state: 'approuvee' } }] },
      },
    ]) {
      store.entries.set(key, entry);
      expect(await readSavedReview(store, 'bruno')).toBeNull();
    }
    store.entries.set(savedAnswerKey('publications', 'bruno'), {
      format: SAVED_ANSWER_FORMAT,
      user: 'bruno',
      value: [{ ...publication, number: '1' }],
    });
    expect(await readSavedPublications(store, 'bruno')).toBeNull();
  });

  it('goes on without a saved answer when the local database fails or does not answer', async () => {
    const failing: AnswerStore = {
      get: () => Promise.reject(new Error('QuotaExceededError')),
      set: () => Promise.reject(new Error('QuotaExceededError')),
    };
    await expect(saveAnswer(failing, 'sections', 'bruno', answer)).resolves.toBeUndefined();
    expect(await readSavedReview(failing, 'bruno')).toBeNull();

    vi.useFakeTimers();
    const silent: AnswerStore = { get: () => new Promise(() => undefined), set: () => Promise.resolve() };
    const read = readSavedAnswer(silent, 'sections', 'bruno', isReviewedSectionsAnswer);
    await vi.advanceTimersByTimeAsync(2000);
    expect(await read).toBeNull();
  });

  it('reads an answer’s shape as this client draws it', () => {
    expect(isReviewedSectionsAnswer(answer)).toBe(true);
    expect(isReviewedSectionsAnswer({ ...answer, review: null })).toBe(false);
    expect(isPublicationList([])).toBe(true);
    expect(isPublicationList([publication])).toBe(true);
    expect(isPublicationList([{ ...publication, hidden: 'non' }])).toBe(false);
    expect(isPublicationList({ publications: [publication] })).toBe(false);
  });
});
