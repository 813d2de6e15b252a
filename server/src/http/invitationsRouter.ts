import { Router } from 'express';
import { acceptInvitationInput } from '@essaim/protocol';
import type { Config } from '../config.js';
import type { Services } from '../services/index.js';
import { authOf, originOf, setSessionCookie } from './session.js';
import { parseBody } from './validate.js';

/** `/api/invitations/:token`: what a link offers, and accepting it (public: the token is the key). */
export function invitationsRouter(services: Services, config: Config): Router {
  const router = Router();
  router.get('/:token', (req, res) => {
    res.json(services.espaces.invitationInfo(req.params.token));
  });
  router.post('/:token/accept', async (req, res) => {
    const current = authOf(res);
    const info = services.espaces.invitationInfo(req.params.token);
    const input = info.accountExists ? null : parseBody(acceptInvitationInput, req.body);
    const { sessionToken, user, espaceId } = await services.espaces.accept(
      req.params.token,
      input,
      current ? { userId: current.user.id, email: current.user.email } : null,
      originOf(req),
    );
    if (sessionToken) setSessionCookie(res, sessionToken, config);
    res.json({ user, espaceId });
  });
  return router;
}
