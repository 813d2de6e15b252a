import { randomUUID } from 'node:crypto';
import { can, forbidden, notFound, type Actor } from '@essaim/domain';
import { documentName, type CreateDocumentInput, type DocumentDto } from '@essaim/protocol';
import type { DocumentRecord, DocumentRepository } from '../storage/documentRepository.js';

export const toDocumentDto = (r: DocumentRecord): DocumentDto => ({
  id: r.id,
  name: documentName(r.id),
  title: r.title,
  kind: r.kind,
  createdAt: r.createdAt,
  updatedAt: r.updatedAt,
});

/** Use cases on documents: every one checks access with `can()` before touching storage. */
export class DocumentService {
  constructor(
    private readonly documents: DocumentRepository,
    private readonly now: () => Date = () => new Date(),
  ) {}

  create(actor: Actor, input: CreateDocumentInput): DocumentDto {
    if (!can(actor, 'document.create', { type: 'instance' })) throw forbidden();
    const at = this.now().toISOString();
    const record = { id: randomUUID(), kind: input.kind, title: input.title, createdAt: at, updatedAt: at };
    this.documents.insert(record);
    return toDocumentDto({ ...record, archivedAt: null });
  }

  list(actor: Actor): DocumentDto[] {
    if (!can(actor, 'document.list', { type: 'instance' })) throw forbidden();
    return this.documents.listActive().map(toDocumentDto);
  }

  get(actor: Actor, id: string): DocumentDto {
    const record = this.documents.findById(id);
    if (!record || record.archivedAt) throw notFound('Ce document n’existe pas.');
    if (!can(actor, 'document.read', { type: 'document', id })) throw forbidden();
    return toDocumentDto(record);
  }

  /** Whether a collaborative connection may open this document at all (it exists and is live). */
  exists(id: string): boolean {
    const record = this.documents.findById(id);
    return record !== undefined && record.archivedAt === null;
  }

  /** Records that a document's content changed (for "most recent first" lists). */
  markChanged(id: string): void {
    this.documents.touch(id, this.now().toISOString());
  }
}
