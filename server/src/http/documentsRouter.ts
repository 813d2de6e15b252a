import { Router } from 'express';
import { assignmentInput, catalogueQuery, createDocumentInput, type DocumentListDto } from '@essaim/protocol';
import type { Services } from '../services/index.js';
import { requireAuth } from './session.js';
import { parseBody, parseQuery } from './validate.js';

/** `/api/documents`: the catalogue, creation, reading, archiving, and assigning rapporteurs (sections: reviewRouter). */
export function documentsRouter(services: Services): Router {
  const router = Router();
  const { documents, catalogue } = services;
  router.get('/', (req, res) => {
    const { actor } = requireAuth(res);
    const query = parseQuery(catalogueQuery, req.query);
    const body: DocumentListDto = { documents: catalogue.list(actor, query) };
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
