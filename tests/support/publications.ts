import type { PublishReplyDto, ReviewedDocumentSectionsDto } from '@essaim/protocol';
import { createDocument, type Session } from './accounts.js';

/**
 * Has `animateur` approve every section of a document that is not approved and up to date, through
 * the review route (issue 12). Throws on a refused step.
 */
export async function approveAll(animateur: Session, documentId: string): Promise<void> {
  const response = await animateur.fetch(`/api/documents/${documentId}/sections`);
  const { sections } = (await response.json()) as ReviewedDocumentSectionsDto;
  for (const s of sections) {
    if (s.review.state === 'approuvee' && !s.review.stale) continue;
    const step = await animateur.fetch(`/api/documents/${documentId}/sections/${s.id}/review`, {
      method: 'POST',
      json: { action: 'approve' },
    });
    if (step.status !== 200) throw new Error(`approbation refusée : ${step.status} ${await step.text()}`);
  }
}

/** Approves every section of a document, then publishes it (issue 13). Throws when refused. */
export async function publishDocument(animateur: Session, documentId: string): Promise<PublishReplyDto> {
  await approveAll(animateur, documentId);
  const response = await animateur.fetch(`/api/documents/${documentId}/publications`, { method: 'POST' });
  if (response.status !== 201)
    throw new Error(`publication refusée : ${response.status} ${await response.text()}`);
  return (await response.json()) as PublishReplyDto;
}

/** A new fiche of `espaceId` made by `animateur`, approved and published. */
export async function publishedFiche(
  animateur: Session,
  espaceId: string,
  title: string,
): Promise<PublishReplyDto> {
  const doc = await createDocument(animateur, espaceId, title);
  return publishDocument(animateur, doc.id);
}
