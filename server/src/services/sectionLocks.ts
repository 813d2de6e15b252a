import type { DocJSON } from '@essaim/editor';

/** A section the animateur locked (issue 12): its text must stay exactly as approved. */
export interface LockedSection {
  sectionId: string;
  /** The section's title as approved, for the notice (« La section « … » est verrouillée »). */
  title: string;
  /** `sectionHash` of the section as approved (packages/editor). */
  approvedHash: string;
  /** The section node as approved (ProseMirror JSON of the `section` node, attrs included). */
  content: DocJSON;
}

/**
 * What the server's lock guard (`collab/SectionLocksExtension.ts`) needs from the review service,
 * which implements it: the locked sections of each document, news of locks and unlocks, and where
 * to record an attempt to change a locked section (audit log).
 */
export interface SectionLocks {
  /** The locked sections of a document (empty for most documents; cached, cheap to call). */
  locked(documentId: string): readonly LockedSection[];
  /** Calls `listener` after a section of a document is locked or unlocked. Returns the unsubscribe. */
  onChanged(listener: (documentId: string) => void): () => void;
  /**
   * Records that `userId` (null: unknown) changed a locked section and that the change was
   * reverted (audit log `review.locked_change_reverted`).
   */
  attempted(documentId: string, sectionId: string, userId: string | null): void;
  /**
   * The document was unloaded: drop what `locked` cached for it, or the cache grows with every
   * document ever opened (issue 17). A later `locked` reads the locks again. Optional for
   * implementations that cache nothing (test and benchmark doubles).
   */
  forget?(documentId: string): void;
}
