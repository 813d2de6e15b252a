import { sectionTemplate, templates, type Actor } from '@essaim/domain';
import { sectionsOf, ydocToNode } from '@essaim/editor';
import type { DocumentSectionsDto } from '@essaim/protocol';
import * as Y from 'yjs';
import { applyStored, type CollabStore } from '../storage/collabStore.js';
import type { DocumentRepository } from '../storage/documentRepository.js';
import { readableDocument } from './documentTarget.js';

/** The sections of documents as stored: what the section list, and the review built on it, read. */
export class SectionService {
  constructor(
    private readonly documents: DocumentRepository,
    private readonly store: CollabStore,
  ) {}

  /** The sections of the stored document, with their hashes, and required sections missing. */
  sections(actor: Actor, id: string): DocumentSectionsDto {
    const { record } = readableDocument(this.documents, actor, id, { archived: true });
    const ydoc = new Y.Doc();
    try {
      applyStored(ydoc, this.store.load(id));
      const sections = sectionsOf(ydocToNode(ydoc));
      const template = templates[record.kind];
      const present = new Set(sections.map((s) => s.key));
      return {
        sections: sections.map((s) => ({
          id: s.id,
          key: s.key,
          title: s.title,
          hash: s.hash,
          characters: s.characters,
          required: sectionTemplate(record.kind, s.key)?.required ?? false,
        })),
        missingRequired: template.sections
          .filter((t) => t.required && !present.has(t.key))
          .map((t) => t.title),
      };
    } finally {
      ydoc.destroy();
    }
  }
}
