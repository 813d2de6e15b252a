import { can, collabAccess, type Actor, type DocumentReview } from '@essaim/domain';
import { documentName, type DocumentDto } from '@essaim/protocol';
import type { AssigneeRecord, DocumentRecord } from '../storage/documentRepository.js';
import type { DocumentTarget } from './documentTarget.js';

/** What the catalogue needs from the comment threads (issue 10), without depending on their service. */
export interface ThreadCounts {
  /** Open threads per document id, for the given documents (one grouped query). */
  openThreads(documentIds: readonly string[]): ReadonlyMap<string, number>;
}

/** What the document DTO needs from the reviews (issue 12), without depending on their service. */
export interface ReviewProgress {
  /** Each document's review, from its sections as last stored (one query for all). */
  progressOf(records: readonly DocumentRecord[]): ReadonlyMap<string, DocumentReview>;
}

/** A document's newest publication while on the portal, and its approved reuse signals. */
export interface PublishedSummary {
  number: number;
  slug: string;
  reuses: number;
}

/** What the document DTO needs from the publications (issue 13), without depending on their service. */
export interface PublicationSummaries {
  /** For these documents, those on the portal (one query each for publications and signals). */
  summariesOf(documentIds: readonly string[]): ReadonlyMap<string, PublishedSummary>;
}

/**
 * A stored document as the API returns it to `actor`: what the caller may do with it comes from
 * `can()` on `target` (an archived document is read-only), `openThreads` from one grouped count,
 * `review` from {@link ReviewProgress} (undefined: nothing reviewed, en rédaction), `published`
 * from {@link PublicationSummaries} (undefined: not on the portal).
 */
export function documentDto(
  actor: Actor,
  r: DocumentRecord,
  target: DocumentTarget,
  assignees: AssigneeRecord[],
  openThreads: number,
  review: DocumentReview | undefined,
  published: PublishedSummary | undefined,
): DocumentDto {
  return {
    id: r.id,
    name: documentName(r.id),
    espaceId: r.espaceId,
    title: r.title,
    kind: r.kind,
    assignees,
    access: !r.archivedAt && collabAccess(actor, target) === 'write' ? 'write' : 'read',
    canArchive: can(actor, 'document.archive', target),
    canPublish: can(actor, 'publication.publish', target),
    metadata: { ...r.metadata, title: r.title },
    progress: { sections: r.sections.length, approved: review?.approved ?? 0 },
    reviewState: review?.state ?? 'en_redaction',
    pages: r.pages,
    lastEditor:
      r.lastEditorId && r.lastEditorName ? { userId: r.lastEditorId, name: r.lastEditorName } : null,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
    archivedAt: r.archivedAt,
    openThreads,
    publication:
      published && !r.archivedAt
        ? {
            number: published.number,
            url: `/pratiques/${published.slug}`,
            newVersionInProgress: review?.newVersionInProgress ?? false,
            reuses: published.reuses,
          }
        : null,
  };
}
