import { Router } from 'express';
import {
  activityQuery,
  createEspaceInput,
  createThemeInput,
  invitationInput,
  setRoleInput,
  updateThemeInput,
  type ActivityListDto,
  type ThemeListDto,
} from '@essaim/protocol';
import type { Config } from '../config.js';
import type { Services } from '../services/index.js';
import { baseUrlOf, requireAuth } from './session.js';
import { parseBody, parseQuery } from './validate.js';

/** `/api/espaces`: working groups, their members, roles, invitations, themes and recent activity. */
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
  router.get('/:id/activity', (req, res) => {
    const { actor } = requireAuth(res);
    const { limit } = parseQuery(activityQuery, req.query);
    const body: ActivityListDto = { activity: services.indexing.activity(actor, req.params.id, limit) };
    res.json(body);
  });
  router.get('/:id/themes', (req, res) => {
    const body: ThemeListDto = { themes: services.themes.list(requireAuth(res).actor, req.params.id) };
    res.json(body);
  });
  router.post('/:id/themes', (req, res) => {
    const { actor } = requireAuth(res);
    const { label } = parseBody(createThemeInput, req.body);
    res.status(201).json(services.themes.create(actor, req.params.id, label));
  });
  router.patch('/:id/themes/:themeId', (req, res) => {
    const { actor } = requireAuth(res);
    const change = parseBody(updateThemeInput, req.body);
    res.json(services.themes.update(actor, req.params.id, req.params.themeId, change));
  });
  return router;
}
