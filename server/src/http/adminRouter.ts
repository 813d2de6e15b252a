import { Router } from 'express';
import { queryInteger } from '@essaim/protocol';
import { z } from 'zod/mini';
import type { Config } from '../config.js';
import type { Services } from '../services/index.js';
import { baseUrlOf, requireAuth } from './session.js';
import { parseQuery } from './validate.js';

/** Query of `GET /api/audit`: `limit` 1 to 500 (100 by default), `before` an entry id. */
const auditQuery = z.object({
  limit: z._default(queryInteger({ name: 'limit', min: 1, max: 500 }), 100),
  before: z.optional(queryInteger({ name: 'before', min: 1, max: Number.MAX_SAFE_INTEGER })),
});

/** `/api/users` and `/api/audit`: instance administration. */
export function adminRouter(services: Services, config: Config): Router {
  const router = Router();
  router.get('/users', (_req, res) => {
    res.json({ users: services.users.list(requireAuth(res).actor) });
  });
  router.post('/users/:id/disable', (req, res) => {
    services.users.setDisabled(requireAuth(res).actor, req.params.id, true);
    res.status(204).end();
  });
  router.post('/users/:id/enable', (req, res) => {
    services.users.setDisabled(requireAuth(res).actor, req.params.id, false);
    res.status(204).end();
  });
  router.post('/users/:id/password-reset', (req, res) => {
    res
      .status(201)
      .json(services.users.resetLink(requireAuth(res).actor, req.params.id, baseUrlOf(req, config)));
  });
  router.get('/audit', (req, res) => {
    const { actor } = requireAuth(res);
    const { limit, before } = parseQuery(auditQuery, req.query);
    res.json({ entries: services.audit.list(actor, limit, before) });
  });
  return router;
}
