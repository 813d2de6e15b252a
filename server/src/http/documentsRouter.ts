import { Router } from 'express';
import { createDocumentInput, type DocumentListDto } from '@essaim/protocol';
import type { DocumentService } from '../services/documentService.js';
import { actorOf } from './actor.js';
import { parseBody } from './validate.js';

/** `/api/documents`: create and list documents (the contract outside tools rely on). */
export function documentsRouter(documents: DocumentService): Router {
  const router = Router();
  router.get('/', (_req, res) => {
    const body: DocumentListDto = { documents: documents.list(actorOf(res)) };
    res.json(body);
  });
  router.post('/', (req, res) => {
    const input = parseBody(createDocumentInput, req.body);
    res.status(201).json(documents.create(actorOf(res), input));
  });
  router.get('/:id', (req, res) => {
    res.json(documents.get(actorOf(res), req.params.id));
  });
  return router;
}
