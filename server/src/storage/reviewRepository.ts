import type { ReviewEvent, SectionReviewRecord, SectionReviewState } from '@essaim/domain';
import type { Db } from './db.js';

/** The stored review of one section, with where it lives and its revision (0: never stored). */
export interface StoredSectionReview extends SectionReviewRecord {
  documentId: string;
  sectionId: string;
  /** The thread the last request for changes opened on the section, or null. */
  threadId: string | null;
  /** Bumped at each stored step; 0 for a section never reviewed (no row). */
  revision: number;
}

/** One line of the « journal de relecture »: a decision as it was taken, never changed. */
export interface ReviewJournalEntry {
  id: number;
  documentId: string;
  sectionId: string;
  /** The section's title when the decision was taken. */
  sectionTitle: string;
  action: ReviewEvent;
  fromState: SectionReviewState;
  toState: SectionReviewState;
  actor: { id: string; name: string } | null;
  message: string | null;
  /** The `revue` version recorded with an approval, when it still exists. */
  versionId: string | null;
  /** The section's content hash when the decision was taken. */
  sectionHash: string | null;
  at: string;
}

export type NewReviewJournalEntry = Omit<ReviewJournalEntry, 'id' | 'actor'> & { actorId: string | null };

/**
 * Section reviews (issue 12) and the journal of every decision. A section without a row is a
 * brouillon ({@link StoredSectionReview.revision} 0).
 */
export interface ReviewRepository {
  /** The reviews of a document's sections that were ever reviewed, by section id. */
  forDocument(documentId: string): Map<string, StoredSectionReview>;
  /** {@link forDocument} for many documents at once (one query), by document id. */
  forDocuments(documentIds: readonly string[]): Map<string, Map<string, StoredSectionReview>>;
  /**
   * Stores a section's new review and its journal entry in one transaction, only if the stored
   * review still has `review.revision` (0: no row yet). Returns false, storing nothing, when
   * another step was stored meanwhile (two decisions racing: the caller answers 409).
   */
  save(review: StoredSectionReview, entry: NewReviewJournalEntry): boolean;
  /** Sets the thread opened by a request for changes. */
  setThread(documentId: string, sectionId: string, threadId: string): void;
  /** A document's journal, oldest first. */
  journal(documentId: string): ReviewJournalEntry[];
  /** Documents with at least one locked section, for the lock guard after a restart. */
  documentsWithLocks(): string[];
}

interface ReviewRow {
  document_id: string;
  section_id: string;
  state: SectionReviewState;
  locked: number;
  locked_by: string | null;
  locked_at: string | null;
  approved_hash: string | null;
  approved_version_id: string | null;
  decided_by: string | null;
  decided_at: string | null;
  message: string | null;
  thread_id: string | null;
  submitted_by: string | null;
  submitted_at: string | null;
  revision: number;
}

const fromRow = (r: ReviewRow): StoredSectionReview => ({
  documentId: r.document_id,
  sectionId: r.section_id,
  state: r.state,
  locked: r.locked === 1,
  lockedBy: r.locked_by,
  lockedAt: r.locked_at,
  approvedHash: r.approved_hash,
  approvedVersionId: r.approved_version_id,
  decidedBy: r.decided_by,
  decidedAt: r.decided_at,
  message: r.message,
  threadId: r.thread_id,
  submittedBy: r.submitted_by,
  submittedAt: r.submitted_at,
  revision: r.revision,
});

export function sqliteReviewRepository(db: Db): ReviewRepository {
  const q = {
    forDocument: db.prepare<[string], ReviewRow>('SELECT * FROM section_reviews WHERE document_id = ?'),
    forDocuments: db.prepare<[string], ReviewRow>(
      'SELECT * FROM section_reviews WHERE document_id IN (SELECT value FROM json_each(?))',
    ),
    insert: db.prepare(
      `INSERT INTO section_reviews (document_id, section_id, state, locked, locked_by, locked_at,
         approved_hash, approved_version_id, decided_by, decided_at, message, thread_id,
         submitted_by, submitted_at, revision)
       VALUES (@documentId, @sectionId, @state, @locked, @lockedBy, @lockedAt, @approvedHash,
         @approvedVersionId, @decidedBy, @decidedAt, @message, @threadId, @submittedBy,
         @submittedAt, 1)
       ON CONFLICT (document_id, section_id) DO NOTHING`,
    ),
    update: db.prepare(
      `UPDATE section_reviews SET state = @state, locked = @locked, locked_by = @lockedBy,
         locked_at = @lockedAt, approved_hash = @approvedHash,
         approved_version_id = @approvedVersionId, decided_by = @decidedBy,
         decided_at = @decidedAt, message = @message, thread_id = @threadId,
         submitted_by = @submittedBy, submitted_at = @submittedAt, revision = revision + 1
       WHERE document_id = @documentId AND section_id = @sectionId AND revision = @revision`,
    ),
    setThread: db.prepare<[string, string, string]>(
      'UPDATE section_reviews SET thread_id = ? WHERE document_id = ? AND section_id = ?',
    ),
    journal: db.prepare(
      `INSERT INTO review_events (document_id, section_id, section_title, action, from_state,
         to_state, actor_id, message, version_id, section_hash, at)
       VALUES (@documentId, @sectionId, @sectionTitle, @action, @fromState, @toState, @actorId,
         @message, @versionId, @sectionHash, @at)`,
    ),
    readJournal: db.prepare<
      [string],
      {
        id: number;
        document_id: string;
        section_id: string;
        section_title: string;
        action: ReviewEvent;
        from_state: SectionReviewState;
        to_state: SectionReviewState;
        actor_id: string | null;
        actor_name: string | null;
        message: string | null;
        version_id: string | null;
        section_hash: string | null;
        at: string;
      }
    >(
      `SELECT e.*, u.name AS actor_name FROM review_events e LEFT JOIN users u ON u.id = e.actor_id
       WHERE e.document_id = ? ORDER BY e.id`,
    ),
    withLocks: db.prepare<[], { document_id: string }>(
      'SELECT DISTINCT document_id FROM section_reviews WHERE locked = 1',
    ),
  };
  const save = db.transaction((review: StoredSectionReview, entry: NewReviewJournalEntry): boolean => {
    const row = { ...review, locked: review.locked ? 1 : 0 };
    const written = review.revision === 0 ? q.insert.run(row) : q.update.run(row);
    if (written.changes !== 1) return false;
    q.journal.run(entry);
    return true;
  });
  return {
    forDocument: (documentId) =>
      new Map(q.forDocument.all(documentId).map((r) => [r.section_id, fromRow(r)])),
    forDocuments: (documentIds) => {
      const byDocument = new Map<string, Map<string, StoredSectionReview>>();
      for (const row of q.forDocuments.all(JSON.stringify(documentIds))) {
        const reviews = byDocument.get(row.document_id) ?? new Map<string, StoredSectionReview>();
        reviews.set(row.section_id, fromRow(row));
        byDocument.set(row.document_id, reviews);
      }
      return byDocument;
    },
    save: (review, entry) => save.immediate(review, entry),
    setThread: (documentId, sectionId, threadId) => {
      q.setThread.run(threadId, documentId, sectionId);
    },
    journal: (documentId) =>
      q.readJournal.all(documentId).map((r) => ({
        id: r.id,
        documentId: r.document_id,
        sectionId: r.section_id,
        sectionTitle: r.section_title,
        action: r.action,
        fromState: r.from_state,
        toState: r.to_state,
        actor: r.actor_id ? { id: r.actor_id, name: r.actor_name ?? 'Personne inconnue' } : null,
        message: r.message,
        versionId: r.version_id,
        sectionHash: r.section_hash,
        at: r.at,
      })),
    documentsWithLocks: () => q.withLocks.all().map((r) => r.document_id),
  };
}
