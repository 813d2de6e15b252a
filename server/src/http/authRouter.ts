import { Router } from 'express';
import { forgotPasswordInput, loginInput, newPasswordInput, setupInput, type MeDto } from '@essaim/protocol';
import type { Config } from '../config.js';
import { demoAccounts } from '../demo/seedDemo.js';
import type { Services } from '../services/index.js';
import { authOf, clearSessionCookie, originOf, requireAuth, setSessionCookie } from './session.js';
import { parseBody } from './validate.js';

/** `/api/auth`: first-run setup, login, logout, who am I, websocket tokens, password resets. */
export function authRouter(services: Services, config: Config, demo: () => boolean): Router {
  const router = Router();
  const { auth } = services;

  router.get('/me', (_req, res) => {
    const current = authOf(res);
    const body: MeDto = {
      user: current ? auth.me(current.user) : null,
      setupNeeded: auth.setupNeeded(),
      demo: demo(),
      demoAccounts: demo() ? [...demoAccounts] : [],
      collabLimits: { messageBytes: config.maxMessageBytes, documentBytes: config.maxDocumentBytes },
    };
    res.json(body);
  });

  router.post('/setup', async (req, res) => {
    const input = parseBody(setupInput, req.body);
    const { token, user } = await auth.setup(input, originOf(req));
    setSessionCookie(res, token, config);
    res.status(201).json({ user });
  });

  router.post('/login', async (req, res) => {
    const input = parseBody(loginInput, req.body);
    const { token, user } = await auth.login(input, originOf(req));
    setSessionCookie(res, token, config);
    res.json({ user });
  });

  router.post('/logout', (req, res) => {
    const current = authOf(res);
    if (current) auth.logout(current, originOf(req));
    clearSessionCookie(res, config);
    res.status(204).end();
  });

  router.post('/collab-token', (_req, res) => {
    res.json(auth.collabToken(requireAuth(res)));
  });

  router.post('/forgot', (req, res) => {
    const { email } = parseBody(forgotPasswordInput, req.body);
    // Answers at once, the same way for every address; the email is prepared afterwards, with a
    // link built from PUBLIC_URL only (never from this request's Host).
    auth.requestPasswordReset(email, originOf(req), config.publicUrl);
    res.status(202).json({
      message: auth.mailEnabled
        ? 'Si un compte existe pour cette adresse, un lien pour choisir un nouveau mot de passe vient d’y être envoyé.'
        : 'L’envoi de courriels n’est pas configuré : demandez à l’administrateur un lien de réinitialisation.',
      emailEnabled: auth.mailEnabled,
    });
  });

  router.get('/password-resets/:token', (req, res) => {
    res.json(auth.checkReset(req.params.token));
  });

  router.post('/password-resets/:token', async (req, res) => {
    const { password } = parseBody(newPasswordInput, req.body);
    await auth.useReset(req.params.token, password, originOf(req));
    res.status(204).end();
  });

  return router;
}
