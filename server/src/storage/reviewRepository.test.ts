import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { initialSectionReview } from '@essaim/domain';
import { describe, expect, it } from 'vitest';
import { migrate, openDatabase } from './db.js';
import { migrations } from './migrations.js';
import { sqliteReviewRepository, type StoredSectionReview } from './reviewRepository.js';

const tempFile = () => path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'essaim-reviews-')), 'essaim.sqlite');

function setup() {
  const db = openDatabase(tempFile(), { synchronous: 'NORMAL' });
  db.prepare(
    "INSERT INTO documents (id, kind, title, created_at, updated_at) VALUES ('d', 'fiche', 't', 'x', 'x')",
  ).run();
  return { db, repo: sqliteReviewRepository(db) };
}

const draft = (revision: number): StoredSectionReview => ({
  ...initialSectionReview,
  documentId: 'd',
  sectionId: 's',
  threadId: null,
  revision,
});

const entry = (action: 'submit' | 'approve', from: 'brouillon' | 'soumise', to: 'soumise' | 'approuvee') => ({
  documentId: 'd',
  sectionId: 's',
  sectionTitle: 'Origine',
  action,
  fromState: from,
  toState: to,
  actorId: null,
  message: null,
  versionId: null,
  sectionHash: 'h',
  at: '2026-11-29T10:00:00.000Z',
});

describe('review repository', () => {
  it('stores a step only over the revision it was computed from, so that of two racing decisions one is refused', () => {
    const { repo } = setup();
    expect(repo.save({ ...draft(0), state: 'soumise' }, entry('submit', 'brouillon', 'soumise'))).toBe(true);
    // A second first step (computed from no row) is refused: the row exists now.
    expect(repo.save({ ...draft(0), state: 'soumise' }, entry('submit', 'brouillon', 'soumise'))).toBe(false);
    expect(repo.save({ ...draft(1), state: 'approuvee' }, entry('approve', 'soumise', 'approuvee'))).toBe(
      true,
    );
    // Computed from revision 1, which is gone: refused, and nothing written in the journal.
    expect(repo.save({ ...draft(1), state: 'approuvee' }, entry('approve', 'soumise', 'approuvee'))).toBe(
      false,
    );
    expect(repo.forDocument('d').get('s')).toMatchObject({ state: 'approuvee', revision: 2 });
    expect(repo.journal('d').map((e) => [e.action, e.fromState, e.toState])).toEqual([
      ['submit', 'brouillon', 'soumise'],
      ['approve', 'soumise', 'approuvee'],
    ]);
  });

  it('lists the documents with a locked section', () => {
    const { repo } = setup();
    repo.save({ ...draft(0), state: 'approuvee', locked: true }, entry('approve', 'brouillon', 'approuvee'));
    expect(repo.documentsWithLocks()).toEqual(['d']);
    expect(repo.forDocuments(['d', 'other']).get('d')?.get('s')?.locked).toBe(true);
  });

  it('keeps every notification of comments when the review migration rebuilds the notifications table', () => {
    const file = tempFile();
    const db = openDatabase(file, {
      synchronous: 'NORMAL',
      migrations: migrations.filter((m) => m.version < 12),
    });
    db.exec(`
      INSERT INTO users (id, email, name, password_hash, created_at) VALUES ('u', 'u@x', 'U', 'h', 'x');
      INSERT INTO documents (id, kind, title, created_at, updated_at) VALUES ('d', 'fiche', 't', 'x', 'x');
      INSERT INTO comment_threads (id, document_id, section_id, quote, created_by, created_at)
        VALUES ('t', 'd', 's', 'q', 'u', 'x');
      INSERT INTO notifications (id, user_id, kind, document_id, thread_id, comment_id, actor_id, created_at, read_at)
        VALUES ('n', 'u', 'mention', 'd', 't', NULL, 'u', '2026-01-01', '2026-01-02');
    `);
    migrate(db, migrations);
    expect(db.prepare('SELECT id, kind, thread_id, read_at, section_id FROM notifications').all()).toEqual([
      { id: 'n', kind: 'mention', thread_id: 't', read_at: '2026-01-02', section_id: null },
    ]);
  });
});
