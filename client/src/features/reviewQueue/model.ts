import type { ReviewEvent } from '@essaim/domain';
import type {
  DocumentDiffDto,
  ReviewedDocumentSectionsDto,
  ReviewedSectionDto,
  ReviewQueueEntryDto,
} from '@essaim/protocol';
import { diffView, type SectionView } from '../history/diffModel.js';

/**
 * The pure part of the « Relecture » dashboard: how the queue's entries are grouped, which buttons
 * an entry shows, where the focus goes after a decision, and what is fetched (in which order) to
 * show what changed in a section since its approval.
 */

/** The three lists of the dashboard, in the server's order (`ReviewQueueDto.entries`). */
export type QueueGroup = 'submitted' | 'stale' | 'changes';
export const queueGroups: readonly QueueGroup[] = ['submitted', 'stale', 'changes'];

/** One entry of the queue, by document and section (a section is at most once in the queue). */
export const entryKey = (entry: Pick<ReviewQueueEntryDto, 'document' | 'section'>): string =>
  `${entry.document.id}/${entry.section.id}`;

/**
 * The list an entry belongs to: `soumise` waits for a decision; an approval gone stale (approved,
 * edited since) waits for a new one; `modifications_demandees` waits for its rapporteurs.
 */
export function groupOf(entry: Pick<ReviewQueueEntryDto, 'state' | 'stale'>): QueueGroup {
  if (entry.state === 'soumise') return 'submitted';
  if (entry.state === 'modifications_demandees') return 'changes';
  return 'stale';
}

/** The entries split into the three lists, each keeping the server's order (oldest first). */
export function groupEntries(
  entries: readonly ReviewQueueEntryDto[],
): Record<QueueGroup, ReviewQueueEntryDto[]> {
  const groups: Record<QueueGroup, ReviewQueueEntryDto[]> = { submitted: [], stale: [], changes: [] };
  for (const entry of entries) groups[groupOf(entry)].push(entry);
  return groups;
}

/**
 * The order of the buttons on the dashboard: the decisions first (it is the animateur's work
 * list), then the writer's step. Which ones appear is the server's `actions`, never decided here.
 */
const BUTTON_ORDER: readonly ReviewEvent[] = ['approve', 'request_changes', 'submit', 'lock', 'unlock'];

/** The buttons of an entry: exactly the server's `actions`, in {@link BUTTON_ORDER}. */
export function shownActions(actions: readonly ReviewEvent[]): ReviewEvent[] {
  return BUTTON_ORDER.filter((event) => actions.includes(event));
}

/**
 * Where the focus goes once the entry `key` has left the list after a decision: the next entry of
 * the same list, else the one before it, else null (the caller then focuses the list's heading
 * or the queue's).
 */
export function focusAfterRemoval(entries: readonly ReviewQueueEntryDto[], key: string): string | null {
  const index = entries.findIndex((e) => entryKey(e) === key);
  if (index < 0) return null;
  const entry = entries[index] as ReviewQueueEntryDto;
  const group = groupOf(entry);
  const same = entries.filter((e) => groupOf(e) === group);
  const at = same.findIndex((e) => entryKey(e) === key);
  const neighbour = same[at + 1] ?? same[at - 1];
  return neighbour ? entryKey(neighbour) : null;
}

/**
 * What the dashboard shows of one document's sections in the queue: the sections as they are now
 * (their `hash`, sent back with an approval, and their `actions`) and, for each approval version
 * of these sections, the comparison of that version with the current text.
 */
export interface DocumentEvidence {
  /** The document's state and progress now (`reviewState`, `review` of `GET …/sections`). */
  document: LiveDocumentReview;
  sections: ReadonlyMap<string, ReviewedSectionDto>;
  /** By the approval's version id (`review.approvedVersionId`). */
  diffs: ReadonlyMap<string, DocumentDiffDto>;
}

/** A document's review as the collaborative server holds it now. */
export type LiveDocumentReview = Pick<ReviewedDocumentSectionsDto, 'reviewState' | 'review'>;

/** The two reads {@link loadEvidence} makes (the API calls, or fakes in tests). */
export interface EvidenceSource {
  sections(documentId: string, signal?: AbortSignal): Promise<ReviewedDocumentSectionsDto>;
  compare(documentId: string, versionId: string, signal?: AbortSignal): Promise<DocumentDiffDto>;
}

/**
 * Reads a document's sections, THEN the comparisons since the approvals of `sectionIds`. The
 * order is the safety of one-click approval: the hash sent back is read before the text shown,
 * so if someone types in between, what is shown is newer than the hash and the server refuses
 * the approval (409, « relisez-la ») instead of approving words nobody saw. The approval versions
 * are those of the sections just read (fresher than the queue's, stored up to 10 s before).
 */
export async function loadEvidence(
  source: EvidenceSource,
  documentId: string,
  sectionIds: readonly string[],
  signal?: AbortSignal,
): Promise<DocumentEvidence> {
  const read = await source.sections(documentId, signal);
  const sections = new Map(read.sections.map((s) => [s.id, s]));
  const versions = new Set<string>();
  for (const id of sectionIds) {
    const version = sections.get(id)?.review.approvedVersionId;
    if (version) versions.add(version);
  }
  const diffs = new Map<string, DocumentDiffDto>();
  await Promise.all(
    [...versions].map(async (version) =>
      diffs.set(version, await source.compare(documentId, version, signal)),
    ),
  );
  return { document: { reviewState: read.reviewState, review: read.review }, sections, diffs };
}

/**
 * A queue entry as its section stands now (`GET …/sections`, read after the queue), or null when
 * nothing waits on it any more (a draft, or approved and unchanged since). Why: the queue judges
 * staleness on the hashes stored at the last save (a few seconds behind the text), so a section
 * approved right after its last keystroke comes back from it « modifiée depuis l’approbation »
 * for a while; the section read now is the truth. Without a fresh read, the entry as it is.
 */
export function withLiveReview(
  entry: ReviewQueueEntryDto,
  section: ReviewedSectionDto | undefined,
): ReviewQueueEntryDto | null {
  if (!section) return entry;
  const r = section.review;
  if (r.state === 'brouillon' || (r.state === 'approuvee' && !r.stale)) return null;
  return {
    ...entry,
    section: { ...entry.section, title: section.title },
    state: r.state,
    stale: r.stale,
    submittedAt: r.submittedAt,
    submittedBy: r.submittedBy,
    decidedAt: r.decidedAt,
    decidedBy: r.decidedBy,
    message: r.message,
    approvedVersionId: r.approvedVersionId,
    actions: r.actions,
  };
}

/** What the dashboard says about a section's text since its approval. */
export type SectionChanges =
  | { kind: 'first-submission' }
  | { kind: 'unchanged' }
  | { kind: 'removed' }
  | { kind: 'changed'; view: SectionView };

/**
 * The section's part of the comparison since its last approval: « première soumission » when it
 * was never approved, else its changes (drawn by the history's model, title line set apart), or
 * none; `removed` when the section is no longer in the document. `untitled` names a section
 * without a title.
 */
export function sectionChanges(
  evidence: DocumentEvidence,
  sectionId: string,
  untitled: string,
): SectionChanges {
  const section = evidence.sections.get(sectionId);
  if (!section) return { kind: 'removed' };
  const version = section.review.approvedVersionId;
  if (!version) return { kind: 'first-submission' };
  const diff = evidence.diffs.get(version);
  if (!diff) return { kind: 'first-submission' };
  const view = diffView(diff, untitled);
  const changed = view.changed.find((s) => s.id === sectionId);
  if (changed) return changed.status === 'removed' ? { kind: 'removed' } : { kind: 'changed', view: changed };
  return { kind: 'unchanged' };
}
