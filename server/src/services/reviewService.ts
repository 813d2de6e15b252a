import {
  availableReviewEvents,
  can,
  conflict,
  documentReviewState,
  DomainError,
  forbidden,
  initialSectionReview,
  notFound,
  reviewTransition,
  sectionIsStale,
  sectionTemplate,
  templates,
  type Actor,
  type DocumentReview,
  type ReviewEvent,
  type SectionReviewRecord,
} from '@essaim/domain';
import { sectionsOf, ydocToNode, type DocJSON, type SectionSummary } from '@essaim/editor';
import {
  META_MAP,
  metadataKeys,
  readMetadata,
  type AuthorDto,
  type DocumentMetadata,
  type DocumentReviewDto,
  type ReviewChangedMessage,
  type ReviewedDocumentSectionsDto,
  type ReviewedSectionDto,
  type ReviewQueueDocumentDto,
  type ReviewQueueDto,
  type ReviewQueueEntryDto,
  type ReviewQueueQuery,
  type ReviewSectionInput,
  type SectionReviewDto,
} from '@essaim/protocol';
import * as Y from 'yjs';
import type { AccountRepository } from '../storage/accountRepository.js';
import type { CollabStore } from '../storage/collabStore.js';
import type { DocumentRecord, DocumentRepository } from '../storage/documentRepository.js';
import type { EspaceRepository } from '../storage/espaceRepository.js';
import type {
  ReviewJournalEntry,
  ReviewRepository,
  StoredSectionReview,
} from '../storage/reviewRepository.js';
import type { PublicationRecord, PublicationRepository } from '../storage/publicationRepository.js';
import type { VersionRepository } from '../storage/versionRepository.js';
import type { AuditService } from './auditService.js';
import type { IndexingService } from './indexingService.js';
import type { ReviewProgress } from './documentDto.js';
import type { CommentService, RequestContext } from './commentService.js';
import { readableDocument, targetWithAssignees, type DocumentTarget } from './documentTarget.js';
import { noLiveDocuments, readCurrentDocument, type LiveDocuments } from './liveDocuments.js';
import type { NotificationEvent, NotificationService } from './notificationService.js';
import type { LockedSection, SectionLocks } from './sectionLocks.js';
import type { VersionService } from './versionService.js';

const userIdOf = (actor: Actor): string | null => (actor.kind === 'user' ? actor.userId : null);

/** The French title of a review step, for the version recorded with an approval. */
const approvalLabel = (title: string): string => `Approbation : ${title || 'section sans titre'}`;

/** A section with what the review of the whole document needs. */
interface CurrentSection extends SectionSummary {
  required: boolean;
}

/**
 * Section-by-section review (issue 12): submissions, approvals, requests for changes and locks,
 * each judged by the pure state machine of packages/domain (`reviewTransition`, which asks
 * `can()`), stored with its journal entry in one transaction, audited, notified and announced to
 * the document's connections. It also gives the lock guard its locked sections ({@link SectionLocks}).
 *
 * Hashes: a decision is judged on the document as the collaborative server holds it now (the
 * live document, or the stored one when nobody has it open); lists over many documents (review
 * queue, catalogue progress) use the hashes mirrored at the last store (at most 10 s old).
 */
export class ReviewService implements SectionLocks {
  private live: LiveDocuments = noLiveDocuments;
  private readonly lockCache = new Map<string, readonly LockedSection[]>();
  private readonly lockListeners = new Set<(documentId: string) => void>();

  constructor(
    private readonly reviews: ReviewRepository,
    private readonly documents: DocumentRepository,
    private readonly espaces: EspaceRepository,
    private readonly accounts: AccountRepository,
    private readonly store: CollabStore,
    private readonly versionStates: Pick<VersionRepository, 'state'>,
    private readonly publications: Pick<PublicationRepository, 'latestOf'>,
    private readonly versions: Pick<VersionService, 'record'>,
    private readonly comments: Pick<CommentService, 'create'>,
    private readonly notifications: Pick<NotificationService, 'notify'>,
    private readonly audit: AuditService,
    /** The catalogue's mirror of stored documents, refreshed when a decision reads newer hashes. */
    private readonly indexing: Pick<IndexingService, 'indexStored'>,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Wires the collaborative server (set once it exists; the command line has none). */
  useLiveDocuments(live: LiveDocuments): void {
    this.live = live;
  }

  /**
   * `GET /api/documents/:id/sections`: the sections of the document as it stands, each with its
   * review and the steps the caller may take, and the document's review state.
   * @throws DomainError `not_found` / `forbidden` as {@link readableDocument}.
   */
  sections(actor: Actor, documentId: string): ReviewedDocumentSectionsDto {
    const { record, target } = readableDocument(this.documents, actor, documentId, { archived: true });
    const sections = this.currentSections(record);
    const reviews = this.reviews.forDocument(documentId);
    const names = this.namesOf([...reviews.values()]);
    const review = documentReviewOf(
      sections,
      reviews,
      this.latestPublication(documentId),
      this.currentMetadata(documentId),
    );
    const present = new Set(sections.map((s) => s.key));
    return {
      sections: sections.map((s) => this.sectionDto(actor, target, s, reviews.get(s.id), names)),
      missingRequired: templates[record.kind].sections
        .filter((t) => t.required && !present.has(t.key))
        .map((t) => t.title),
      reviewState: review.state,
      review: reviewDto(review),
    };
  }

  /**
   * `POST /api/documents/:id/sections/:sectionId/review`: one review step. An approval records a
   * `revue` version first; a request for changes opens a comment thread on the section with its
   * message. Each step is written with its journal entry in one transaction, audited
   * (`review.<action>`), notified (submission: the espace's animateurs; approval and request: the
   * rapporteurs assigned) and announced to the document's connections (`review-changed`).
   * @throws DomainError `not_found` (document or section), `forbidden` (403: `can()` refuses),
   *   `conflict` (409: the state machine refuses, or another decision was taken meanwhile),
   *   `invalid_input` (400: a request without a message).
   */
  decide(
    actor: Actor,
    documentId: string,
    sectionId: string,
    input: ReviewSectionInput,
    context: RequestContext = {},
  ): { section: ReviewedSectionDto } {
    const { record, target } = readableDocument(this.documents, actor, documentId, { archived: true });
    const sections = this.currentSections(record);
    const section = sections.find((s) => s.id === sectionId);
    if (!section) throw notFound('Cette section n’existe pas (ou plus) dans le document.');
    const stored = this.reviews.forDocument(documentId).get(sectionId);
    const current: SectionReviewRecord = stored ?? initialSectionReview;
    const at = this.now().toISOString();
    const step = {
      target,
      currentHash: section.hash,
      now: at,
      message: input.message ?? null,
      seenHash: input.hash ?? null,
    };
    let result = reviewTransition(current, input.action, actor, step);
    if (!result.ok) throw new DomainError(result.kind, result.message);
    let versionId: string | null = null;
    if (input.action === 'approve') {
      versionId = this.versions.record(documentId, 'revue', approvalLabel(section.title), userIdOf(actor)).id;
      result = reviewTransition(current, input.action, actor, { ...step, versionId });
      if (!result.ok) throw new DomainError(result.kind, result.message);
    }
    const next: StoredSectionReview = {
      ...result.review,
      documentId,
      sectionId,
      threadId: stored?.threadId ?? null,
      revision: stored?.revision ?? 0,
    };
    const saved = this.reviews.save(next, {
      documentId,
      sectionId,
      sectionTitle: section.title,
      action: input.action,
      fromState: current.state,
      toState: next.state,
      actorId: userIdOf(actor),
      message: next.message,
      versionId,
      sectionHash: section.hash,
      at,
    });
    if (!saved)
      throw conflict('Une autre décision vient d’être prise sur cette section : rechargez la page.');
    let threadId: string | null = null;
    let commentId: string | null = null;
    if (input.action === 'request_changes' && next.message) {
      const thread = this.comments.create(actor, documentId, { sectionId, body: next.message }, context);
      threadId = thread.id;
      commentId = thread.comments[0]?.id ?? null;
      this.reviews.setThread(documentId, sectionId, thread.id);
    }
    this.audit.record({
      actorId: userIdOf(actor),
      action: `review.${input.action}`,
      target: { type: 'document', id: documentId },
      details: { sectionId, from: current.state, to: next.state, versionId, message: next.message },
    });
    this.notify(actor, record, section, input.action, next.message, { threadId, commentId }, context);
    // The queue and the catalogue read section hashes from the last store (up to 10 s old): a
    // decision taken on newer hashes refreshes them, or a fresh approval would read as stale.
    const live = this.live.get(documentId);
    if (live) this.indexing.indexStored(documentId, live, []);
    this.lockCache.delete(documentId);
    if (input.action === 'lock' || current.locked !== next.locked)
      for (const listener of this.lockListeners) listener(documentId);
    const reviews = this.reviews.forDocument(documentId);
    const message: ReviewChangedMessage = {
      type: 'review-changed',
      sectionId,
      event: input.action,
      reviewState: documentReviewOf(
        sections,
        reviews,
        this.latestPublication(documentId),
        this.currentMetadata(documentId),
      ).state,
    };
    this.live.broadcast(documentId, message);
    const names = this.namesOf([...reviews.values()]);
    return { section: this.sectionDto(actor, target, section, reviews.get(sectionId), names) };
  }

  /**
   * `GET /api/espaces/:id/review-queue`: what waits for a decision in an espace (see
   * `ReviewQueueDto` for the order and who sees what), and each readable document's progress.
   * Hashes are those of the last store. @throws DomainError `not_found` (espace), `forbidden`.
   */
  queue(actor: Actor, espaceId: string, query: ReviewQueueQuery): ReviewQueueDto {
    if (!this.espaces.findById(espaceId)) throw notFound('Cet espace de travail n’existe pas.');
    if (!can(actor, 'review.readQueue', { type: 'espace', espaceId }))
      throw forbidden('Vous ne pouvez pas voir la relecture de cet espace de travail.');
    const records = this.documents
      .search({ espaceIds: [espaceId], archived: false })
      .filter((r) => !query.documentId || r.id === query.documentId)
      .filter((r) => !query.theme || r.metadata.themes.includes(query.theme));
    const assignees = this.documents.assigneesOf(records.map((r) => r.id));
    const readable = records
      .map((r) => ({ record: r, target: targetWithAssignees(r, assignees.get(r.id) ?? []) }))
      .filter(({ target }) => can(actor, 'review.read', target));
    const reviews = this.reviews.forDocuments(readable.map((r) => r.record.id));
    const latest = this.publications.latestOf(readable.map((r) => r.record.id));
    const names = this.namesOf([...reviews.values()].flatMap((m) => [...m.values()]));
    // The animateur (and the administrator, who oversees) sees what waits for a decision; a
    // rapporteur, what waits for her in the documents assigned to her.
    const overseer = can(actor, 'espace.listAll', { type: 'instance' });
    const waiting: { rank: number; at: string; entry: ReviewQueueEntryDto }[] = [];
    const documents: ReviewQueueDocumentDto[] = [];
    for (const { record, target } of readable) {
      const byId = reviews.get(record.id) ?? new Map<string, StoredSectionReview>();
      const sections = record.sections.map((s) => ({
        ...s,
        required: sectionTemplate(record.kind, s.key)?.required ?? false,
      }));
      const review = documentReviewOf(sections, byId, latest.get(record.id), record.metadata);
      documents.push({
        id: record.id,
        title: record.title,
        kind: record.kind,
        themes: record.metadata.themes,
        reviewState: review.state,
        review: reviewDto(review),
      });
      const decides = overseer || can(actor, 'review.approve', target);
      const mine = target.assignees.includes(userIdOf(actor) ?? '');
      for (const s of sections) {
        const r = byId.get(s.id);
        if (!r) continue;
        const stale = sectionIsStale(r, s.hash);
        const rank = r.state === 'soumise' ? 0 : stale ? 1 : r.state === 'modifications_demandees' ? 2 : -1;
        if (rank < 0) continue;
        if (!decides && (rank === 0 || !mine)) continue;
        waiting.push({
          rank,
          at: (rank === 0 ? r.submittedAt : r.decidedAt) ?? '',
          entry: {
            document: { id: record.id, title: record.title },
            section: { id: s.id, key: s.key, title: s.title },
            state: r.state,
            stale,
            submittedAt: r.submittedAt,
            submittedBy: author(r.submittedBy, names),
            decidedAt: r.decidedAt,
            decidedBy: author(r.decidedBy, names),
            message: r.message,
            approvedVersionId: r.approvedVersionId,
            actions: availableReviewEvents(r, actor, { target, currentHash: s.hash }),
          },
        });
      }
    }
    waiting.sort((a, b) => a.rank - b.rank || a.at.localeCompare(b.at));
    return { entries: waiting.map((w) => w.entry), documents };
  }

  /**
   * The « journal de relecture » of a document: every decision, oldest first.
   * @throws DomainError as {@link readableDocument}.
   */
  journal(actor: Actor, documentId: string): ReviewJournalEntry[] {
    const { target } = readableDocument(this.documents, actor, documentId, { archived: true });
    if (!can(actor, 'review.read', target))
      throw forbidden('Vous ne pouvez pas voir la relecture de ce document.');
    return this.reviews.journal(documentId);
  }

  /** Each document's review, from its sections as last stored ({@link reviewProgress}). */
  progressOf(records: readonly DocumentRecord[]): ReadonlyMap<string, DocumentReview> {
    return reviewProgress(this.reviews, this.publications).progressOf(records);
  }

  /**
   * A stored document's sections as the collaborative server holds them now, and its review:
   * what publishing checks (issue 13). No access check: the caller has made it.
   */
  currentReview(record: DocumentRecord): { sections: SectionSummary[]; review: DocumentReview } {
    const sections = this.currentSections(record);
    const review = documentReviewOf(
      sections,
      this.reviews.forDocument(record.id),
      this.latestPublication(record.id),
      this.currentMetadata(record.id),
    );
    return { sections, review };
  }

  /** The document's metadata as the server holds them now (its `meta` map). */
  private currentMetadata(documentId: string): DocumentMetadata {
    return readCurrentDocument(this.live, this.store, documentId, (doc) => {
      const meta = doc.getMap<unknown>(META_MAP);
      return readMetadata((key) => meta.get(key));
    });
  }

  private latestPublication(documentId: string): PublicationOf {
    return this.publications.latestOf([documentId]).get(documentId);
  }

  // SectionLocks, for the lock guard (collab/SectionLocksExtension.ts).

  locked(documentId: string): readonly LockedSection[] {
    let locked = this.lockCache.get(documentId);
    if (locked) return locked;
    const reviews = [...this.reviews.forDocument(documentId).values()].filter((r) => r.locked);
    locked = reviews.length === 0 ? [] : this.lockedContent(reviews);
    this.lockCache.set(documentId, locked);
    return locked;
  }

  forget(documentId: string): void {
    this.lockCache.delete(documentId);
  }

  onChanged(listener: (documentId: string) => void): () => void {
    this.lockListeners.add(listener);
    return () => this.lockListeners.delete(listener);
  }

  attempted(documentId: string, sectionId: string, userId: string | null): void {
    // A hostile client can try a thousand times: one row per person, section and 10 minutes.
    this.audit.recordRepeated(
      {
        actorId: userId,
        action: 'review.locked_change_reverted',
        target: { type: 'document', id: documentId },
        details: { sectionId },
      },
      `review.locked_change_reverted|${documentId}|${sectionId}|${userId ?? ''}`,
    );
  }

  /** The approved text of locked sections: from the approval's `revue` version. */
  private lockedContent(reviews: readonly StoredSectionReview[]): LockedSection[] {
    const out: LockedSection[] = [];
    for (const r of reviews) {
      const state = r.approvedVersionId ? this.versionStates.state(r.approvedVersionId) : null;
      if (!state || !r.approvedHash) continue;
      const doc = new Y.Doc();
      try {
        Y.applyUpdateV2(doc, state);
        const node = ydocToNode(doc);
        node.forEach((child) => {
          if (child.type.name !== 'section' || child.attrs.id !== r.sectionId) return;
          out.push({
            sectionId: r.sectionId,
            title: String(child.attrs.title ?? child.firstChild?.textContent ?? ''),
            approvedHash: r.approvedHash ?? '',
            content: child.toJSON() as DocJSON,
          });
        });
      } finally {
        doc.destroy();
      }
    }
    return out;
  }

  /** The sections of the document as the collaborative server holds it now. */
  private currentSections(record: DocumentRecord): CurrentSection[] {
    const read = (doc: Y.Doc): CurrentSection[] =>
      sectionsOf(ydocToNode(doc)).map((s) => ({
        ...s,
        required: sectionTemplate(record.kind, s.key)?.required ?? false,
      }));
    return readCurrentDocument(this.live, this.store, record.id, read);
  }

  private sectionDto(
    actor: Actor,
    target: DocumentTarget,
    section: CurrentSection,
    stored: SectionReviewRecord | undefined,
    names: ReadonlyMap<string, string>,
  ): ReviewedSectionDto {
    const r = stored ?? initialSectionReview;
    const review: SectionReviewDto = {
      state: r.state,
      stale: sectionIsStale(r, section.hash),
      locked: r.locked,
      approvedHash: r.approvedHash,
      approvedVersionId: r.approvedVersionId,
      decidedBy: author(r.decidedBy, names),
      decidedAt: r.decidedAt,
      submittedBy: author(r.submittedBy, names),
      submittedAt: r.submittedAt,
      lockedBy: author(r.lockedBy, names),
      lockedAt: r.lockedAt,
      message: r.message,
      actions: availableReviewEvents(r, actor, { target, currentHash: section.hash }),
    };
    return {
      id: section.id,
      key: section.key,
      title: section.title,
      hash: section.hash,
      characters: section.characters,
      required: section.required,
      review,
    };
  }

  private notify(
    actor: Actor,
    record: DocumentRecord,
    section: CurrentSection,
    event: ReviewEvent,
    message: string | null,
    thread: { threadId: string | null; commentId: string | null },
    context: RequestContext,
  ): void {
    const actorId = userIdOf(actor);
    if (!actorId) return;
    const kind =
      event === 'submit'
        ? 'review_submitted'
        : event === 'approve'
          ? 'review_approved'
          : event === 'request_changes'
            ? 'review_changes_requested'
            : null;
    if (!kind) return;
    const to =
      kind === 'review_submitted'
        ? this.espaces
            .members(record.espaceId ?? '')
            .filter((m) => m.role === 'animateur' && !m.disabled)
            .map((m) => m.userId)
        : this.documents.assignees(record.id).map((a) => a.userId);
    const events: NotificationEvent[] = to.map((userId) => ({
      userId,
      kind,
      documentId: record.id,
      threadId: thread.threadId,
      commentId: thread.commentId,
      section: { id: section.id, title: section.title, message },
      actorId,
    }));
    this.notifications.notify(events, context.baseUrl);
  }

  private namesOf(reviews: readonly SectionReviewRecord[]): Map<string, string> {
    const names = new Map<string, string>();
    for (const r of reviews)
      for (const id of [r.decidedBy, r.submittedBy, r.lockedBy])
        if (id && !names.has(id)) names.set(id, this.accounts.findUserById(id)?.name ?? 'Personne inconnue');
    return names;
  }
}

function author(id: string | null, names: ReadonlyMap<string, string>): AuthorDto | null {
  return id ? { id, name: names.get(id) ?? 'Personne inconnue' } : null;
}

function reviewDto(review: DocumentReview): DocumentReviewDto {
  return {
    draftState: review.draftState,
    newVersionInProgress: review.newVersionInProgress,
    approved: review.approved,
    total: review.total,
  };
}

/**
 * Each document's review (progress and state) from the section hashes of its last store (at
 * most 10 s old) and the stored reviews, one query for all the documents: what the catalogue and
 * the document DTO show.
 */
export function reviewProgress(
  reviews: Pick<ReviewRepository, 'forDocuments'>,
  publications: Pick<PublicationRepository, 'latestOf'>,
): ReviewProgress {
  return {
    progressOf(records) {
      const ids = records.map((r) => r.id);
      const byDocument = reviews.forDocuments(ids);
      const latest = publications.latestOf(ids);
      const out = new Map<string, DocumentReview>();
      for (const record of records) {
        const sections = record.sections.map((s) => ({
          ...s,
          required: sectionTemplate(record.kind, s.key)?.required ?? false,
        }));
        out.set(
          record.id,
          documentReviewOf(
            sections,
            byDocument.get(record.id) ?? new Map(),
            latest.get(record.id),
            record.metadata,
          ),
        );
      }
      return out;
    },
  };
}

/** What the review needs to know of a document's publication (issue 13). */
export type PublicationOf = Pick<PublicationRecord, 'sectionHashes' | 'hiddenAt' | 'metadata'> | undefined;

/**
 * A document's review from its sections (current hashes), their stored reviews and its newest
 * publication: published while a visible publication exists; the draft moved on when the set of
 * sections or one of their hashes differs from the publication's, or when its `metadata` (title,
 * contact, territory… as the document holds them now) differ from the published ones.
 */
export function documentReviewOf(
  sections: readonly (Pick<SectionSummary, 'id' | 'hash'> & { required: boolean })[],
  reviews: ReadonlyMap<string, SectionReviewRecord>,
  publication: PublicationOf,
  metadata?: DocumentMetadata,
): DocumentReview {
  const published = publication !== undefined && publication.hiddenAt === null;
  const moved = published && !isPublishedText(publication, sections, metadata);
  return documentReviewState(
    sections.map((s) => ({
      review: reviews.get(s.id) ?? initialSectionReview,
      hash: s.hash,
      required: s.required,
    })),
    { published, draftMovedSincePublication: moved },
  );
}

/**
 * Whether the document's sections (their set and hashes) and, when given, its `metadata` are
 * exactly those `publication` froze: publishing them again would make a copy of it.
 */
export function isPublishedText(
  publication: Pick<PublicationRecord, 'sectionHashes' | 'metadata'>,
  sections: readonly Pick<SectionSummary, 'id' | 'hash'>[],
  metadata?: DocumentMetadata,
): boolean {
  const hashes = publication.sectionHashes;
  return (
    sections.length === Object.keys(hashes).length &&
    sections.every((s) => hashes[s.id] === s.hash) &&
    (metadata === undefined || sameMetadata(publication.metadata, metadata))
  );
}

/** Whether two documents' metadata are the same, field by field (`metadataKeys` order). */
function sameMetadata(a: DocumentMetadata, b: DocumentMetadata): boolean {
  return metadataKeys.every((key) => JSON.stringify(a[key]) === JSON.stringify(b[key]));
}
