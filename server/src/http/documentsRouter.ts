import { Router } from 'express';
import { notFound } from '@essaim/domain';
import {
  assignmentInput,
  catalogueQuery,
  createDocumentInput,
  UNKNOWN_TERRITOIRE_PARAMETER_MESSAGE,
  type DocumentListDto,
} from '@essaim/protocol';
import { isTerritoire } from '../reference/territoires.js';
import type { Services } from '../services/index.js';
import { requireAuth } from './session.js';
import { fieldError, parseBody, parseQuery } from './validate.js';

/** `/api/documents`: the catalogue, creation, reading, archiving, and assigning rapporteurs (sections: reviewRouter). */
export function documentsRouter(services: Services): Router {
  const router = Router();
  const { documents, catalogue, espaces } = services;
  router.get('/', async (req, res) => {
    const { actor } = requireAuth(res);
    const query = parseQuery(catalogueQuery, req.query);
    if (query.territoire && !isTerritoire(query.territoire))
      throw fieldError('territoire', UNKNOWN_TERRITOIRE_PARAMETER_MESSAGE);
    // As `GET /api/espaces/:id`: an espace that does not exist is 404 for everyone, one that
    // exists is 403 for who is not a member (catalogueService).
    if (query.espaceId && !espaces.exists(query.espaceId))
      throw notFound('Cet espace de travail n’existe pas.');
    // One page (issue 17): `limit` (50 by default, 200 at most) documents from `offset`.
    const body: DocumentListDto = await catalogue.list(actor, query);
    res.json(body);
  });
  router.post('/', (req, res) => {
    const { actor } = requireAuth(res);
    const input = parseBody(createDocumentInput, req.body);
    res.status(201).json(documents.create(actor, input));
  });
  router.get('/:id', (req, res) => {
    res.json(documents.get(requireAuth(res).actor, req.params.id));
  });
  router.post('/:id/archive', (req, res) => {
    res.json(documents.archive(requireAuth(res).actor, req.params.id));
  });
  router.post('/:id/restore', (req, res) => {
    res.json(documents.restore(requireAuth(res).actor, req.params.id));
  });
  router.post('/:id/assignments', (req, res) => {
    const { actor } = requireAuth(res);
    const { userId } = parseBody(assignmentInput, req.body);
    res.json(documents.assign(actor, req.params.id, userId));
  });
  router.delete('/:id/assignments/:userId', (req, res) => {
    res.json(documents.unassign(requireAuth(res).actor, req.params.id, req.params.userId));
  });
  return router;
}
