import { describe, expect, it } from 'vitest';
import type { CommentDto } from '@essaim/protocol';
import { saveAnswer } from '../../shared/savedAnswers.js';
import { isSavedThreads, readSavedThreads, SAVED_THREADS } from './savedThreads.js';
import { threadDto } from './testFixtures.js';
import { memoryAnswerStore } from '../../shared/memoryAnswerStore.js';

const comment = (over: Partial<CommentDto> = {}): CommentDto => ({
  id: 'c1',
  threadId: 't1',
  author: { id: 'u1', name: 'Paul' },
  body: 'Quelle année ?',
  mentions: [],
  createdAt: '2026-12-01T10:00:00.000Z',
  editedAt: null,
  deleted: false,
  moderated: false,
  canEdit: true,
  canDelete: true,
  ...over,
});

describe('the comment threads saved with a document’s local copy', () => {
  it('gives back the threads saved for an account, with no message to edit or delete offline', async () => {
    const store = memoryAnswerStore();
    const threads = [threadDto({ comments: [comment()] }), threadDto({ anchor: null, wholeSection: true })];
    await saveAnswer(store, SAVED_THREADS, 'u1', threads);
    const read = await readSavedThreads(store, 'u1');
    expect(read?.map((t) => t.id)).toEqual(threads.map((t) => t.id));
    expect(read?.[0]?.comments[0]).toMatchObject({
      body: 'Quelle année ?',
      canEdit: false,
      canDelete: false,
    });
    expect(await readSavedThreads(store, 'u2')).toBeNull();
  });

  it('refuses a saved value that does not read as threads (an older build’s, or damaged)', () => {
    expect(isSavedThreads([threadDto()])).toBe(true);
    expect(isSavedThreads({ threads: [] })).toBe(false);
    expect(isSavedThreads([{ ...threadDto(), status: 'archived' }])).toBe(false);
    expect(isSavedThreads([{ ...threadDto(), anchor: { start: 1, end: 2 } }])).toBe(false);
    expect(
      isSavedThreads([threadDto({ comments: [{ ...comment(), author: null } as unknown as CommentDto] })]),
    ).toBe(false);
  });
});
