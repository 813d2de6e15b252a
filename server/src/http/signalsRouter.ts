import express, { Router } from 'express';
import { DomainError } from '@essaim/domain';
import { reuseSignalInput, reuseSignalListQuery, type ReuseSignalListDto } from '@essaim/protocol';
import type { Services } from '../services/index.js';
import { requireAuth } from './session.js';
import { parseBody, parseQuery } from './validate.js';

/**
 * Reuse signals (issue 13), API side: a program leaves one (`POST /api/public/publications/:slug/
 * signals`, JSON, no session), the animateur lists and moderates them.
 */
export function signalsRouter(services: Services): Router {
  const router = Router();
  const { signals } = services;
  router.post('/public/publications/:slug/signals', (req, res) => {
    const input = parseBody(reuseSignalInput, req.body);
    // A filled honeypot is thanked like anyone: nothing tells a robot it was seen.
    signals.submit(req.params.slug, input, req.ip ?? null);
    res.status(201).json({ received: true });
  });
  router.get('/espaces/:id/signals', (req, res) => {
    const { status } = parseQuery(reuseSignalListQuery, req.query);
    const body: ReuseSignalListDto = { signals: signals.list(requireAuth(res).actor, req.params.id, status) };
    res.json(body);
  });
  router.post('/signals/:id/approve', (req, res) => {
    res.json({ signal: signals.moderate(requireAuth(res).actor, req.params.id, true) });
  });
  router.post('/signals/:id/reject', (req, res) => {
    res.json({ signal: signals.moderate(requireAuth(res).actor, req.params.id, false) });
  });
  return router;
}

/**
 * The portal's « Je m'inspire de cette pratique » form (`POST /pratiques/:slug/inspiration`,
 * urlencoded, works without JavaScript): answers with a redirection to the fiche, whose page says
 * how it went (`?signal=merci|invalide|limite#inspiration`). Unknown or unpublished slug: 404.
 */
export function inspirationForm(services: Services): Router {
  const router = Router();
  router.post(
    '/pratiques/:slug/inspiration',
    // Room for a message of 1,000 characters of any script, percent-encoded (up to 12 bytes each).
    express.urlencoded({ extended: false, limit: '32kb' }),
    (req, res, next) => {
      const back = (outcome: string) =>
        res.redirect(303, `/pratiques/${encodeURIComponent(req.params.slug)}?signal=${outcome}#inspiration`);
      const parsed = reuseSignalInput.safeParse(req.body);
      if (!parsed.success) {
        back('invalide');
        return;
      }
      try {
        services.signals.submit(req.params.slug, parsed.data, req.ip ?? null);
        back('merci');
      } catch (error) {
        if (error instanceof DomainError && error.kind === 'rate_limited') back('limite');
        else if (error instanceof DomainError && error.kind === 'invalid_input') back('invalide');
        // An unknown or unpublished practice: the portal's French « page introuvable ».
        else if (error instanceof DomainError && error.kind === 'not_found') next();
        else throw error;
      }
    },
  );
  return router;
}
