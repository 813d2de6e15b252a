import {
  META_MAP,
  type DocumentMetadata,
  type PublishReplyDto,
  type ReviewedDocumentSectionsDto,
} from '@essaim/protocol';
import { expect, vi } from 'vitest';
import { createDocument, type Session } from './accounts.js';
import { sectionId, writeInSection } from './comments.js';
import { connectAs, isSettled } from './provider.js';

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

/** A practice to publish: its title, metadata and the words of its first sections, in order. */
export interface Practice {
  title: string;
  meta: Partial<DocumentMetadata>;
  sections: string[];
}

/**
 * Publishes a practice as `animateur` would: a new fiche of `espaceId` whose sections and metadata
 * are written live through a Node provider on `wsUrl` (as the editor writes them), every section
 * approved, then publication 1. Throws when a step is refused.
 */
export async function publishPractice(
  animateur: Session,
  wsUrl: string,
  espaceId: string,
  practice: Practice,
): Promise<PublishReplyDto> {
  const doc = await createDocument(animateur, espaceId, practice.title);
  const writer = connectAs(animateur, wsUrl, doc.name);
  try {
    await vi.waitFor(() => expect(writer.provider.isSynced).toBe(true), { timeout: 10_000 });
    practice.sections.forEach((words, i) => writeInSection(writer.ydoc, sectionId(writer.ydoc, i), words));
    writer.ydoc.transact(() => {
      const meta = writer.ydoc.getMap<unknown>(META_MAP);
      for (const [key, value] of Object.entries(practice.meta)) meta.set(key, value);
    });
    await vi.waitFor(() => expect(isSettled(writer)).toBe(true), { timeout: 10_000 });
  } finally {
    writer.destroy();
  }
  return publishDocument(animateur, doc.id);
}

/**
 * Sends a reuse signal (« Je m'inspire de cette pratique ») for the publication `slug` to the
 * public route, as a visitor from `address` (read from X-Forwarded-For: the server under test
 * must run with `TRUST_PROXY=loopback`).
 */
export function postSignal(
  serverUrl: string,
  slug: string,
  body: Record<string, string>,
  address = '203.0.113.7',
): Promise<Response> {
  return fetch(`${serverUrl}/api/public/publications/${slug}/signals`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': address },
    body: JSON.stringify(body),
  });
}

/** A valid reuse signal: a CCAS of the Nord. */
export const LILLE_SIGNAL = {
  territoire: 'dep:59',
  structureType: 'ccas',
  structure: 'CCAS de Lille',
  message: 'On essaie.',
} as const;
