import { Router } from 'express';
import {
  diffQuery,
  nameVersionInput,
  versionFormat,
  type DocumentDiffDto,
  type VersionDto,
} from '@essaim/protocol';
import { z } from 'zod';
import type { Services } from '../services/index.js';
import { requireAuth } from './session.js';
import { parseBody, parseQuery } from './validate.js';

/**
 * Version history (issue 11): `GET|POST /api/documents/:id/versions`,
 * `GET /api/documents/:id/versions/:versionId?format=json|text`,
 * `GET /api/documents/:id/diff?from=&to=`, `POST /api/documents/:id/versions/:versionId/restore`.
 * Who may do what is decided by the version service with `can()`; this router only parses and
 * answers (contract in the README).
 */
export function versionsRouter(services: Services): Router {
  const router = Router();
  const { versions } = services;
  router.get('/documents/:id/versions', (req, res) => {
    const body: { versions: VersionDto[] } = {
      versions: versions.list(requireAuth(res).actor, req.params.id),
    };
    res.json(body);
  });
  router.post('/documents/:id/versions', async (req, res) => {
    const { actor } = requireAuth(res);
    const { label } = parseBody(nameVersionInput, req.body);
    const body: { version: VersionDto } = { version: await versions.name(actor, req.params.id, label) };
    res.status(201).json(body);
  });
  router.get('/documents/:id/versions/:versionId', (req, res) => {
    const { format } = parseQuery(z.object({ format: versionFormat }), req.query);
    res.json(versions.get(requireAuth(res).actor, req.params.id, req.params.versionId, format));
  });
  router.post('/documents/:id/versions/:versionId/restore', async (req, res) => {
    const { actor } = requireAuth(res);
    const body: { version: VersionDto } = {
      version: await versions.restore(actor, req.params.id, req.params.versionId),
    };
    res.json(body);
  });
  router.get('/documents/:id/diff', (req, res) => {
    const { from, to } = parseQuery(diffQuery, req.query);
    const body: DocumentDiffDto = versions.diff(requireAuth(res).actor, req.params.id, from, to);
    res.json(body);
  });
  return router;
}
