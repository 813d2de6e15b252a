import { can, estimatePages, forbidden, notFound, type Actor } from '@essaim/domain';
import { countBlocks, sectionsOf, ydocToNode } from '@essaim/editor';
import {
  META_MAP,
  metadataKeys,
  readMetadata,
  type ActivityDto,
  type DocumentMetadata,
} from '@essaim/protocol';
import type { Node as PMNode } from '@tiptap/pm/model';
import type * as Y from 'yjs';
import type { CollabStore } from '../storage/collabStore.js';
import type { DocumentIndex, DocumentRepository, StoredSection } from '../storage/documentRepository.js';
import type { DraftEntryContent } from '../storage/draftSearchRepository.js';
import type { EspaceRepository } from '../storage/espaceRepository.js';
import type { ComputedSections } from './draftSearchService.js';
import { sectionContents } from './draftText.js';

/** What one person changed in a document since it was last indexed (read from their transactions). */
export interface EditorChanges {
  userId: string;
  /** Sections whose content they edited. */
  sectionIds: Set<string>;
  /** Metadata fields they set. */
  fields: Set<string>;
  /** Whether they added, removed or moved sections (or edited blocks outside any section). */
  structure: boolean;
}

/**
 * The index of a document as it stands: metadata from its `meta` map, sections with their hashes,
 * and the estimated page count. Pure: used at creation and each time the document is stored.
 */
export function indexOf(ydoc: Y.Doc): DocumentIndex {
  return indexOfNode(ydoc, ydocToNode(ydoc));
}

/** {@link indexOf} of a document already read as a ProseMirror node (`node`, from `ydoc`). */
function indexOfNode(ydoc: Y.Doc, node: PMNode): DocumentIndex {
  const meta = ydoc.getMap<unknown>(META_MAP);
  return {
    metadata: readMetadata((key) => meta.get(key)),
    sections: sectionsOf(node),
    pages: estimatePages(node.textContent.length, countBlocks(node)),
  };
}

/**
 * Everything indexing needs from a document's content, computed without the database: its index
 * ({@link indexOf}) and the search content of every section (`draftText.ts`), by section id. What
 * the indexing worker (`collab/offloadWorker.ts`) sends back; plain data (structured-cloneable).
 */
export interface ComputedIndex {
  index: DocumentIndex;
  sections: Record<string, DraftEntryContent>;
}

/** {@link ComputedIndex} of a document: pure, the CPU-heavy part of indexing (a few ms per fiche). */
export function computeIndex(ydoc: Y.Doc): ComputedIndex {
  const node = ydocToNode(ydoc);
  const index = indexOfNode(ydoc, node);
  return { index, sections: sectionContents(node, index.sections) };
}

/** Where the text of each stored document is indexed for the catalogue's full-text search (issue 18). */
export interface DraftTextIndex {
  /**
   * Indexes the changed sections of a stored document (from its node, or from the content the
   * worker computed for every section); never throws.
   */
  indexDocument(
    documentId: string,
    source: PMNode | ComputedSections,
    sections: readonly StoredSection[],
  ): void;
}

/**
 * The mirror of stored documents in their rows (metadata, sections, pages: what the catalogue
 * filters on), the espace's activity feed (who changed which sections and fields, when) and,
 * through {@link DraftTextIndex}, the full-text index of their sections.
 */
export class IndexingService {
  /**
   * @param log where the update log's position is read ({@link position}); without it every index
   *   is written at position 0 (tests of the mirror alone)
   */
  constructor(
    private readonly documents: DocumentRepository,
    private readonly espaces: EspaceRepository,
    private readonly now: () => Date = () => new Date(),
    private readonly drafts: DraftTextIndex | null = null,
    private readonly log: Pick<CollabStore, 'lastSeq'> | null = null,
  ) {}

  /**
   * The update log's position now (`document_updates.seq`, 0 without a log): read in the same turn
   * as the state an index is read from, it is that index's `indexedSeq` (every update of the
   * document up to it is in that state; later ones get higher positions).
   */
  position(): number {
    return this.log?.lastSeq() ?? 0;
  }

  /**
   * Mirrors a stored document into its row (metadata, sections, pages), indexes its text for the
   * catalogue's search and records who changed which sections and fields. Called by the
   * collaborative server each time it stores a document (debounced, never on a keystroke);
   * `editors` say what each person touched since the previous call, most recent last.
   * `indexedSeq`: the log position `ydoc` holds every update up to (default: now, for a live
   * document); an index read at an older position than the one written is not written.
   */
  indexStored(
    id: string,
    ydoc: Y.Doc,
    editors: readonly EditorChanges[],
    indexedSeq: number = this.position(),
  ): void {
    if (!this.documents.findById(id)) return;
    const node = ydocToNode(ydoc);
    const index = indexOfNode(ydoc, node);
    // The full text, section by section (only sections whose hash changed are read again).
    this.save(id, index, node, editors, indexedSeq);
  }

  /**
   * {@link indexStored} of what the indexing worker computed from the document's state (the
   * database part only: reads, comparisons and writes, about a millisecond): the collaborative
   * server's path, so that no long job runs on its event loop (issue 17). `indexedSeq`: the
   * {@link position} read in the turn the state was encoded.
   */
  indexComputed(
    id: string,
    computed: ComputedIndex,
    editors: readonly EditorChanges[],
    indexedSeq: number,
  ): void {
    this.save(id, computed.index, { computed: computed.sections }, editors, indexedSeq);
  }

  /** Documents whose index lags their stored text (`DocumentRepository.staleIndexes`). */
  staleIndexes(limit: number, after?: string): string[] {
    return this.documents.staleIndexes(limit, after);
  }

  private save(
    id: string,
    index: DocumentIndex,
    text: PMNode | ComputedSections,
    editors: readonly EditorChanges[],
    indexedSeq: number,
  ): void {
    const record = this.documents.findById(id);
    if (!record) return;
    // A reading older than the index written (the start-up catch-up's stored copy, overtaken by
    // the live document's indexing) would put older text back.
    if (indexedSeq < record.indexedSeq) return;
    this.drafts?.indexDocument(id, text, index.sections);
    const changes = sectionChanges(record.sections, index.sections);
    const before: DocumentMetadata = { ...record.metadata, title: record.title };
    const changedFields = metadataKeys.filter(
      (k) =>
        JSON.stringify(before[k]) !== JSON.stringify(index.metadata[k]) &&
        !(k === 'title' && !index.metadata.title),
    );
    const changed =
      editors.length > 0 ||
      changedFields.length > 0 ||
      JSON.stringify(record.sections) !== JSON.stringify(index.sections) ||
      record.pages !== index.pages;
    const at = changed ? this.now().toISOString() : null;
    this.documents.saveIndex(id, index, editors.at(-1)?.userId ?? null, at, indexedSeq);
    if (!at) return;
    for (const editor of editors) {
      // Each person is credited with what they touched and what really changed.
      const sections = changes
        .filter((s) => editor.sectionIds.has(s.id) || (editor.structure && s.structural))
        .map((s) => s.title);
      const fields = changedFields.filter((f) => editor.fields.has(f));
      if (sections.length === 0 && fields.length === 0) continue;
      this.documents.recordActivity({
        documentId: id,
        userId: editor.userId,
        kind: 'edited',
        sections,
        fields,
        at,
      });
    }
  }

  /** Who changed what, when, in an espace. */
  activity(actor: Actor, espaceId: string, limit = 30): ActivityDto[] {
    if (!this.espaces.findById(espaceId)) throw notFound('Cet espace de travail n’existe pas.');
    if (!can(actor, 'document.list', { type: 'espace', espaceId }))
      throw forbidden('Vous n’êtes pas membre de cet espace de travail.');
    return this.documents.activityInEspace(espaceId, Math.min(Math.max(limit, 1), 100));
  }
}

/**
 * Sections whose content changed, in document order, then those removed; `structural` marks the
 * sections added or removed (credited to whoever changed the document's structure).
 */
function sectionChanges(
  before: readonly StoredSection[],
  after: readonly StoredSection[],
): { id: string; title: string; structural: boolean }[] {
  const old = new Map(before.map((s) => [s.id, s.hash]));
  const now = new Set(after.map((s) => s.id));
  return [
    ...after
      .filter((s) => old.get(s.id) !== s.hash)
      .map((s) => ({ id: s.id, title: s.title, structural: !old.has(s.id) })),
    ...before.filter((s) => !now.has(s.id)).map((s) => ({ id: s.id, title: s.title, structural: true })),
  ];
}
