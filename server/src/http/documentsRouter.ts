import { Router } from 'express';
import { assignmentInput, createDocumentInput, type DocumentListDto } from '@essaim/protocol';
import type { Services } from '../services/index.js';
import { requireAuth } from './session.js';
import { parseBody } from './validate.js';

/** `/api/documents`: create, list, read, and assign rapporteurs. */
export function documentsRouter(services: Services): Router {
  const router = Router();
  const { documents } = services;
  router.get('/', (req, res) => {
    const espaceId = typeof req.query.espaceId === 'string' ? req.query.espaceId : undefined;
    const body: DocumentListDto = { documents: documents.list(requireAuth(res).actor, espaceId) };
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
