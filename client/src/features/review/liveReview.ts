import type { Node as PMNode } from '@tiptap/pm/model';
import {
  documentReviewState,
  type DocumentReviewState,
  type DraftReviewState,
  type ReviewEvent,
} from '@essaim/domain';
import { sectionHash } from '@essaim/editor';
import type { AuthorDto, ReviewedDocumentSectionsDto, SectionReviewDto } from '@essaim/protocol';

/**
 * The review of an open document as the editor shows it: the server's answer
 * (`GET /api/documents/:id/sections`) read against the text the person has in front of them. A
 * section's staleness (« Modifiée depuis l'approbation ») and the progress bar follow each
 * keystroke, the person's or a co-writer's, without waiting for the server: the section's hash is
 * computed in the browser with the server's own function (`sectionHash` of packages/editor) and
 * compared with the hash recorded at approval, and the document state is derived with the domain's
 * `documentReviewState`. The steps offered (`actions`) stay the server's: when what the person
 * sees no longer matches what the server said, the page asks the server again
 * ({@link reviewSignature}).
 */

/** One section's review as drawn in its header. */
export interface SectionReviewView {
  id: string;
  title: string;
  required: boolean;
  /** The server's review, as it answered (state, lock, last decision, `actions`). */
  review: SectionReviewDto;
  /** The section's hash in the editor now (the server's when the editor does not hold it). */
  hash: string;
  /** Approved, and the text differs from the approved one now (live). */
  stale: boolean;
  /**
   * The text differs from the one last approved, whatever the state (stale, or resubmitted
   * since): « Voir les modifications depuis l'approbation » can show what changed.
   */
  changedSinceApproval: boolean;
}

/** The review of the whole document, as the progress bar and the section headers show it. */
export interface DocumentReviewView {
  /** Sections in document order (the server's order). */
  sections: SectionReviewView[];
  byId: ReadonlyMap<string, SectionReviewView>;
  state: DocumentReviewState;
  draftState: DraftReviewState;
  newVersionInProgress: boolean;
  /** Sections approved and not stale, of `total`. */
  approved: number;
  total: number;
  /** Ids of the locked sections (the editor refuses changes inside them). */
  lockedIds: string[];
  /** Sections the person may submit now (`submit` among their `actions`). */
  submittable: SectionReviewView[];
}

/**
 * The hash of each section of `doc` (a document of the shared schema), by section id, the first
 * section holding an id winning as in `sectionsOf`. `cache` keeps each section node's hash:
 * ProseMirror keeps the nodes a change did not touch, so a keystroke costs one section's hash.
 */
export function sectionHashesOf(doc: PMNode, cache: WeakMap<PMNode, string>): Map<string, string> {
  const hashes = new Map<string, string>();
  doc.forEach((child) => {
    if (child.type.name !== 'section') return;
    const id = typeof child.attrs.id === 'string' ? child.attrs.id : '';
    if (!id || hashes.has(id)) return;
    let hash = cache.get(child);
    if (hash === undefined) {
      hash = sectionHash(child);
      cache.set(child, hash);
    }
    hashes.set(id, hash);
  });
  return hashes;
}

const isStale = (review: SectionReviewDto, hash: string) =>
  review.state === 'approuvee' && review.approvedHash !== null && review.approvedHash !== hash;

/**
 * The document's review from the server's answer `dto` and the editor's section hashes `live`
 * (null while the editor has none). A section the editor does not hold keeps the server's hash; a
 * section the server did not list yet is left out until the server is asked again.
 */
export function documentReviewView(
  dto: ReviewedDocumentSectionsDto,
  live: ReadonlyMap<string, string> | null,
): DocumentReviewView {
  const sections = dto.sections.map((section): SectionReviewView => {
    const hash = live?.get(section.id) ?? section.hash;
    const { review } = section;
    return {
      id: section.id,
      title: section.title,
      required: section.required,
      review,
      hash,
      stale: isStale(review, hash),
      changedSinceApproval:
        review.approvedHash !== null && review.approvedVersionId !== null && review.approvedHash !== hash,
    };
  });
  const derived = documentReviewState(
    sections.map((s) => ({ review: s.review, hash: s.hash, required: s.required })),
    { published: dto.reviewState === 'publiee', draftMovedSincePublication: dto.review.newVersionInProgress },
  );
  return {
    sections,
    byId: new Map(sections.map((s) => [s.id, s])),
    state: derived.state,
    draftState: derived.draftState,
    newVersionInProgress: derived.newVersionInProgress,
    approved: derived.approved,
    total: derived.total,
    lockedIds: sections.filter((s) => s.review.locked).map((s) => s.id),
    submittable: sections.filter((s) => s.review.actions.includes('submit')),
  };
}

/**
 * What the steps offered depend on, as a string: the sections present and those stale. The
 * server's answer has one ({@link serverSignature}), the text in the editor another; when they
 * differ (a section written after its approval, a section added or removed), the server is asked
 * again, once per new signature, for the `actions` that now apply (« Soumettre » on a stale
 * section, no « Verrouiller » on it).
 */
export function reviewSignature(ids: Iterable<string>, staleIds: Iterable<string>): string {
  return `${[...ids].sort().join(',')}|${[...staleIds].sort().join(',')}`;
}

/** {@link reviewSignature} of the server's answer. */
export function serverSignature(dto: ReviewedDocumentSectionsDto): string {
  return reviewSignature(
    dto.sections.map((s) => s.id),
    dto.sections.filter((s) => s.review.stale).map((s) => s.id),
  );
}

/** {@link reviewSignature} of the text in the editor, read against the server's reviews. */
export function liveSignature(dto: ReviewedDocumentSectionsDto, live: ReadonlyMap<string, string>): string {
  const reviews = new Map(dto.sections.map((s) => [s.id, s.review]));
  const stale: string[] = [];
  for (const [id, hash] of live) {
    const review = reviews.get(id);
    if (review && isStale(review, hash)) stale.push(id);
  }
  return reviewSignature(live.keys(), stale);
}

/** A line of a section header: who did what, when. */
export interface DecisionLine {
  kind: 'submitted' | 'approved' | 'changes_requested' | 'locked';
  by: AuthorDto | null;
  /** ISO 8601. */
  at: string;
}

/**
 * The lines under a section's badges: the step that brought it to its state and who took it
 * (« Soumise par … », « Approuvée par … », « Modifications demandées par … »), then the lock.
 * A draft has none.
 */
export function decisionLines(review: SectionReviewDto): DecisionLine[] {
  const lines: DecisionLine[] = [];
  if (review.state === 'soumise' && review.submittedAt)
    lines.push({ kind: 'submitted', by: review.submittedBy, at: review.submittedAt });
  if (review.state === 'approuvee' && review.decidedAt)
    lines.push({ kind: 'approved', by: review.decidedBy, at: review.decidedAt });
  if (review.state === 'modifications_demandees' && review.decidedAt)
    lines.push({ kind: 'changes_requested', by: review.decidedBy, at: review.decidedAt });
  if (review.locked && review.lockedAt)
    lines.push({ kind: 'locked', by: review.lockedBy, at: review.lockedAt });
  return lines;
}

/** The steps drawn as buttons, in the order they are shown (the server's `actions`, filtered). */
export function offeredSteps(review: SectionReviewDto): ReviewEvent[] {
  const order: ReviewEvent[] = ['submit', 'approve', 'request_changes', 'lock', 'unlock'];
  return order.filter((event) => review.actions.includes(event));
}
