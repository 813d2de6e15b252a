import { describe, expect, it } from 'vitest';
import type { CommentDto } from '@essaim/protocol';
import type { AnswerStore } from '../../shared/savedAnswers.js';
import { isSavedThreads, readSavedThreads, saveThreads } from './savedThreads.js';
import { threadDto } from './testFixtures.js';

/** A document's key-value store as y-indexeddb's `custom` store behaves, in memory. */
function memoryStore(): AnswerStore {
  const entries = new Map<string, unknown>();
  return {
    get: (key) => Promise.resolve(entries.get(key)),
    set: (key, value) => {
      entries.set(key, structuredClone(value));
      return Promise.resolve(value);
    },
  };
}

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
    const store = memoryStore();
    const threads = [threadDto({ comments: [comment()] }), threadDto({ anchor: null, wholeSection: true })];
    await saveThreads(store, 'u1', threads);
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
