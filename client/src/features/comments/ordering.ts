import type { ThreadDto, ThreadStatus } from '@essaim/protocol';
import type { ThreadPlacement } from './highlights.js';

/** What the panel shows: open threads, resolved ones, or all. */
export type ThreadFilter = ThreadStatus | 'all';

/** Threads of one section in the panel, or the group of threads whose words were deleted. */
export interface ThreadGroup {
  key: string;
  /** The section's id, or null for the orphaned group. */
  sectionId: string | null;
  /** The section's title now, or null (untitled section, or the special groups). */
  title: string | null;
  kind: 'section' | 'deleted-section' | 'orphaned';
  threads: ThreadDto[];
}

/** A section of the document as the panel groups by it. */
export interface SectionEntry {
  id: string;
  title: string;
}

export const matchesFilter = (thread: ThreadDto, filter: ThreadFilter): boolean =>
  filter === 'all' || thread.status === filter;

const byCreation = (a: ThreadDto, b: ThreadDto) => a.createdAt.localeCompare(b.createdAt);

/**
 * The threads in document order, grouped by section: sections in the order of the document; in
 * each, whole-section threads first, then threads by where their words are now (`placements`,
 * live from the editor), then threads whose words are not found here yet (in the server's order).
 * Threads of a section that no longer exists come next (« Section supprimée »), and orphaned
 * threads (« texte d'origine supprimé ») last, oldest first. Nothing is dropped.
 */
export function groupThreads(
  threads: readonly ThreadDto[],
  placements: ReadonlyMap<string, ThreadPlacement>,
  sections: readonly SectionEntry[],
): ThreadGroup[] {
  const known = new Map(sections.map((s, index) => [s.id, index]));
  const bySection = new Map<string, { thread: ThreadDto; rank: number; order: number }[]>();
  const deletedSections = new Map<string, ThreadDto[]>();
  const orphaned: ThreadDto[] = [];
  threads.forEach((thread, order) => {
    if (thread.orphaned) return orphaned.push(thread);
    const placement = placements.get(thread.id);
    const sectionId = placement?.sectionId ?? thread.sectionId;
    if (!known.has(sectionId)) {
      const list = deletedSections.get(sectionId) ?? [];
      list.push(thread);
      deletedSections.set(sectionId, list);
      return;
    }
    // Whole-section threads at the top, placed threads by position, the rest after them.
    const rank = thread.wholeSection ? -1 : placement ? placement.from : Number.MAX_SAFE_INTEGER;
    const list = bySection.get(sectionId) ?? [];
    list.push({ thread, rank, order });
    bySection.set(sectionId, list);
  });

  const groups: ThreadGroup[] = [];
  for (const section of sections) {
    const list = bySection.get(section.id);
    if (!list) continue;
    list.sort((a, b) => a.rank - b.rank || a.order - b.order);
    groups.push({
      key: `section:${section.id}`,
      sectionId: section.id,
      title: section.title || null,
      kind: 'section',
      threads: list.map((entry) => entry.thread),
    });
  }
  for (const [sectionId, list] of deletedSections) {
    groups.push({
      key: `deleted:${sectionId}`,
      sectionId,
      title: list.find((t) => t.sectionTitle)?.sectionTitle ?? null,
      kind: 'deleted-section',
      threads: list,
    });
  }
  if (orphaned.length > 0) {
    groups.push({
      key: 'orphaned',
      sectionId: null,
      title: null,
      kind: 'orphaned',
      threads: [...orphaned].sort(byCreation),
    });
  }
  return groups;
}

/** Open threads per section id (the « Sommaire » shows them), orphaned ones left out. */
export function openCountsBySection(
  threads: readonly ThreadDto[],
  placements: ReadonlyMap<string, ThreadPlacement>,
): Map<string, number> {
  const counts = new Map<string, number>();
  for (const thread of threads) {
    if (thread.status !== 'open' || thread.orphaned) continue;
    const sectionId = placements.get(thread.id)?.sectionId ?? thread.sectionId;
    counts.set(sectionId, (counts.get(sectionId) ?? 0) + 1);
  }
  return counts;
}
