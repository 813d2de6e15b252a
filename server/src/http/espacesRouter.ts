import { Router } from 'express';
import { createEspaceInput, invitationInput, setRoleInput } from '@essaim/protocol';
import type { Config } from '../config.js';
import type { Services } from '../services/index.js';
import { baseUrlOf, requireAuth } from './session.js';
import { parseBody } from './validate.js';

/** `/api/espaces`: working groups, their members, roles and invitations. */
export function espacesRouter(services: Services, config: Config): Router {
  const router = Router();
  const { espaces } = services;

  router.get('/', (_req, res) => {
    res.json({ espaces: espaces.list(requireAuth(res).actor) });
  });
  router.post('/', (req, res) => {
    const { actor } = requireAuth(res);
    const { name } = parseBody(createEspaceInput, req.body);
    res.status(201).json(espaces.create(actor, name));
  });
  router.get('/:id', (req, res) => {
    res.json(espaces.detail(requireAuth(res).actor, req.params.id));
  });
  router.put('/:id/members/:userId', (req, res) => {
    const { actor } = requireAuth(res);
    const { role } = parseBody(setRoleInput, req.body);
    espaces.setRole(actor, req.params.id, req.params.userId, role);
    res.json(
      espaces.detail(services.actors.forUser(actor.kind === 'user' ? actor.userId : ''), req.params.id),
    );
  });
  router.delete('/:id/members/:userId', (req, res) => {
    espaces.removeMember(requireAuth(res).actor, req.params.id, req.params.userId);
    res.status(204).end();
  });
  router.post('/:id/invitations', async (req, res) => {
    const { actor } = requireAuth(res);
    const input = parseBody(invitationInput, req.body);
    res.status(201).json(await espaces.invite(actor, req.params.id, input, baseUrlOf(req, config)));
  });
  router.delete('/:id/invitations/:invitationId', (req, res) => {
    espaces.revokeInvitation(requireAuth(res).actor, req.params.id, req.params.invitationId);
    res.status(204).end();
  });
  return router;
}
