import { Router } from 'express';
import { can, forbidden } from '@essaim/domain';
import {
  publicSearchQuery,
  type PublicationListDto,
  type PublicSearchDto,
  type PublishReplyDto,
} from '@essaim/protocol';
import type { Services } from '../services/index.js';
import { portalUrl } from '../services/publicationService.js';
import { actorOf, requireAuth } from './session.js';
import { parseQuery } from './validate.js';

/**
 * Publication (issue 13): publish a document, list its publications, unpublish and republish; and
 * the public search of what is published (`/api/public/search`, no session needed).
 */
export function publicationsRouter(services: Services): Router {
  const router = Router();
  const { publications } = services;
  router.post('/documents/:id/publications', (req, res) => {
    const publication = publications.publish(requireAuth(res).actor, req.params.id);
    const body: PublishReplyDto = { number: publication.number, url: publication.url, publication };
    res.status(201).json(body);
  });
  router.get('/documents/:id/publications', (req, res) => {
    const body: PublicationListDto = {
      publications: publications.list(requireAuth(res).actor, req.params.id),
    };
    res.json(body);
  });
  router.post('/publications/:id/unpublish', (req, res) => {
    res.json({ publication: publications.setHidden(requireAuth(res).actor, req.params.id, true) });
  });
  router.post('/publications/:id/republish', (req, res) => {
    res.json({ publication: publications.setHidden(requireAuth(res).actor, req.params.id, false) });
  });
  router.get('/public/search', (req, res) => {
    if (!can(actorOf(res), 'portal.read', { type: 'instance' })) throw forbidden('Portail fermé.');
    const { q, limit } = parseQuery(publicSearchQuery, req.query);
    const body: PublicSearchDto = {
      results: publications.search(q, limit).map(({ publication, snippet }) => ({
        title: publication.title,
        url: portalUrl(publication.slug),
        snippet,
      })),
    };
    res.json(body);
  });
  return router;
}
