import { Router } from 'express';
import { rateLimit, ipKeyGenerator } from 'express-rate-limit';
import { notFound, rateLimited } from '@essaim/domain';
import {
  assignmentInput,
  catalogueQuery,
  createDocumentInput,
  UNKNOWN_TERRITOIRE_PARAMETER_MESSAGE,
  type DocumentListDto,
} from '@essaim/protocol';
import { isTerritoire } from '../reference/territoires.js';
import type { Services } from '../services/index.js';
import type { Config } from '../config.js';
import { authOf, requireAuth } from './session.js';
import { fieldError, parseBody, parseQuery } from './validate.js';

/** The window of the catalogue's request budget ({@link catalogueBudget}). */
const CATALOGUE_WINDOW_MS = 10_000;

/**
 * The catalogue pages one account may ask in 10 s (`CATALOGUE_REQUESTS_PER_10_SECONDS`, 40 by
 * default; anonymous callers, who get an empty list, by address). A person asks one page at a
 * time; reading every document of an espace of 3,000 takes 15 pages of 200. A program looping on
 * the catalogue took everyone's writer → reader p99 to 199 ms (tester BR36, three loops of one
 * membre): beyond the budget, 429 with `Retry-After` and a French message until the window ends.
 * express-rate-limit, in memory: one server; its Redis store when several share the load.
 */
function catalogueBudget(limit: number) {
  return rateLimit({
    windowMs: CATALOGUE_WINDOW_MS,
    limit,
    skip: () => limit === 0,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    // The address is only the anonymous callers' key; the proxy settings are the server's own.
    validate: { xForwardedForHeader: false, trustProxy: false },
    keyGenerator: (req, res) => {
      const auth = authOf(res);
      return auth ? `compte:${auth.user.id}` : `adresse:${ipKeyGenerator(req.ip ?? '')}`;
    },
    handler: (_req, _res, next) =>
      next(
        rateLimited(
          'Trop de demandes de la liste des documents en peu de temps : réessayez dans quelques secondes.',
          CATALOGUE_WINDOW_MS / 1000,
        ),
      ),
  });
}

/** `/api/documents`: the catalogue, creation, reading, archiving, and assigning rapporteurs (sections: reviewRouter). */
export function documentsRouter(
  services: Services,
  config: Pick<Config, 'catalogueRequestsPer10Seconds'>,
): Router {
  const router = Router();
  const { documents, catalogue, espaces } = services;
  router.get('/', catalogueBudget(config.catalogueRequestsPer10Seconds), async (req, res) => {
    const { actor } = requireAuth(res);
    const query = parseQuery(catalogueQuery, req.query);
    if (query.territoire && !isTerritoire(query.territoire))
      throw fieldError('territoire', UNKNOWN_TERRITOIRE_PARAMETER_MESSAGE);
    // As `GET /api/espaces/:id`: an espace that does not exist is 404 for everyone, one that
    // exists is 403 for who is not a member (catalogueService).
    if (query.espaceId && !espaces.exists(query.espaceId))
      throw notFound('Cet espace de travail n’existe pas.');
    // One page (issue 17): `limit` (50 by default, 200 at most) documents from `offset`.
    const body: DocumentListDto = await catalogue.list(actor, query);
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
  router.post('/:id/archive', (req, res) => {
    res.json(documents.archive(requireAuth(res).actor, req.params.id));
  });
  router.post('/:id/restore', (req, res) => {
    res.json(documents.restore(requireAuth(res).actor, req.params.id));
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
