import { Router } from 'express';
import type { Config } from '../config.js';
import type { Services } from '../services/index.js';
import { baseUrlOf, requireAuth } from './session.js';

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
    const limit = Number(req.query.limit ?? 100);
    const before = req.query.before === undefined ? undefined : Number(req.query.before);
    res.json({
      entries: services.audit.list(requireAuth(res).actor, Number.isFinite(limit) ? limit : 100, before),
    });
  });
  return router;
}
