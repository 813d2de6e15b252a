import type { PublicationDto, PublishReplyDto } from '@essaim/protocol';
import { apiFetch } from '../../shared/api.js';
import type { Publications } from './usePublications.js';

/*
 * The publication bar's actions (publish, unpublish, republish): only the bar, in the editor's
 * late chunk, takes them, so they stay out of the JavaScript of the page's first drawing.
 */

/**
 * `POST /api/documents/:id/publications`: freezes the document as it stands on the server as
 * publication N. 409 (not prête à publier, archived, this text already published) and 403 (not
 * the animateur), each with a French sentence.
 */
export function publishDocument(documentId: string): Promise<PublicationDto> {
  return apiFetch<PublishReplyDto>(`/documents/${encodeURIComponent(documentId)}/publications`, {
    method: 'POST',
  }).then((body) => body.publication);
}

/**
 * `POST /api/publications/:id/unpublish` (`hidden` true) or `/republish` (false): hides the whole
 * document from the portal, its search and its feed, or shows it again; 409 when already so.
 */
export function setPublicationHidden(publicationId: string, hidden: boolean): Promise<PublicationDto> {
  return apiFetch<{ publication: PublicationDto }>(
    `/publications/${encodeURIComponent(publicationId)}/${hidden ? 'unpublish' : 'republish'}`,
    { method: 'POST' },
  ).then((body) => body.publication);
}

/**
 * The publications after an action of this page: a new publication goes first; unpublishing or
 * republishing applies to the whole document (every publication hidden or shown), as on the server.
 */
export function withAction(
  publications: readonly PublicationDto[],
  action: { kind: 'published'; publication: PublicationDto } | { kind: 'hidden'; hidden: boolean },
): PublicationDto[] {
  if (action.kind === 'published')
    return [action.publication, ...publications.filter((p) => p.id !== action.publication.id)];
  return publications.map((p) => ({ ...p, hidden: action.hidden }));
}

/**
 * Publishes the document as it stands on the server; the page's list as the publication leaves
 * it. Rejects with the server's `ApiError`.
 */
export async function publish(documentId: string, publications: Publications): Promise<PublicationDto> {
  const publication = await publishDocument(documentId);
  publications.acted((list) => withAction(list, { kind: 'published', publication }));
  return publication;
}

/**
 * Unpublishes (`true`) or republishes (`false`) the whole document; the page's list as it leaves
 * it. Rejects with the server's `ApiError`.
 */
export async function setHidden(publications: Publications, hidden: boolean): Promise<PublicationDto> {
  const target = publications.state.status === 'ready' ? publications.state.value[0] : undefined;
  if (!target) throw new Error('Ce document n’a jamais été publié.');
  const publication = await setPublicationHidden(target.id, hidden);
  publications.acted((list) => withAction(list, { kind: 'hidden', hidden: publication.hidden }));
  return publication;
}
