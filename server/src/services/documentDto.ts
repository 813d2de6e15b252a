import { can, collabAccess, type Actor } from '@essaim/domain';
import { documentName, type DocumentDto } from '@essaim/protocol';
import type { AssigneeRecord, DocumentRecord } from '../storage/documentRepository.js';
import type { DocumentTarget } from './documentTarget.js';

/** What the catalogue needs from the comment threads (issue 10), without depending on their service. */
export interface ThreadCounts {
  /** Open threads per document id, for the given documents (one grouped query). */
  openThreads(documentIds: readonly string[]): ReadonlyMap<string, number>;
}

/** No thread counted: for programs that build a document service without comments. */
export const noThreadCounts: ThreadCounts = { openThreads: () => new Map() };

/**
 * A stored document as the API returns it to `actor`: what the caller may do with it comes from
 * `can()` on `target` (an archived document is read-only), `openThreads` from one grouped count.
 */
export function documentDto(
  actor: Actor,
  r: DocumentRecord,
  target: DocumentTarget,
  assignees: AssigneeRecord[],
  openThreads: number,
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
    metadata: { ...r.metadata, title: r.title },
    progress: { sections: r.sections.length, approved: 0 },
    pages: r.pages,
    lastEditor:
      r.lastEditorId && r.lastEditorName ? { userId: r.lastEditorId, name: r.lastEditorName } : null,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
    archivedAt: r.archivedAt,
    openThreads,
  };
}
