import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { can, categories, DomainError, forbidden, notFound, type Actor } from '@essaim/domain';
import { queryYear, searchText, UNKNOWN_TERRITOIRE_PARAMETER_MESSAGE } from '@essaim/protocol';
import { exportFormats } from '../exports/types.js';
import { isTerritoire } from '../reference/territoires.js';
import { httpStatusOf } from './errors.js';
import type { Services } from '../services/index.js';
import type { NamedExport } from '../services/exportService.js';
import type { Kit, KitFilters, KitStatus } from '../services/kitService.js';
import { actorOf, requireAuth } from './session.js';
import { parseQuery } from './validate.js';

const draftExportQuery = z.object({
  format: z.enum(exportFormats, { error: 'Le format vaut pdf, docx, odt, md ou html.' }),
  version: z
    .string({ error: 'version doit être un identifiant.' })
    .max(100, { error: 'version doit être un identifiant (100 caractères au plus).' })
    .optional(),
});

/**
 * What selects a kit's publications: the portal search's filters (`/pratiques/recherche`), read
 * strictly: a value that is not valid is refused (400) rather than widening the kit.
 */
const kitQuery = z.object({
  theme: z
    .string({ error: 'theme doit être un identifiant de thème.' })
    .max(100, { error: 'theme doit être un identifiant (100 caractères au plus).' })
    .optional(),
  q: z.optional(searchText),
  categorie: z.enum(categories, { error: 'categorie n’est pas une catégorie connue.' }).optional(),
  territoire: z
    .string({ error: 'territoire doit être un code de territoire.' })
    .refine(isTerritoire, { error: UNKNOWN_TERRITOIRE_PARAMETER_MESSAGE })
    .optional(),
  public: z
    .string({ error: 'public doit être un texte.' })
    .max(200, { error: 'public fait au plus 200 caractères.' })
    .optional(),
  annee: z.optional(queryYear),
});

const portalKitQuery = kitQuery.extend({
  espace: z
    .string({ error: 'espace doit être un identifiant.' })
    .max(100, { error: 'espace doit être un identifiant (100 caractères au plus).' })
    .optional(),
});

/** The filters of a kit's query string, only those given. */
function kitFilters(query: z.infer<typeof kitQuery>): Partial<KitFilters> {
  const filters: Partial<KitFilters> = {};
  if (query.q?.trim()) filters.q = query.q.trim();
  if (query.theme) filters.theme = query.theme;
  if (query.categorie) filters.categorie = query.categorie;
  if (query.territoire) filters.territoire = query.territoire;
  if (query.public?.trim()) filters.public = query.public.trim();
  if (query.annee) filters.annee = query.annee;
  return filters;
}

/** The public routes are outside `/api`: no session is read there, the visitor is anonymous. */
const visitor = (res: Response): Actor => (res.locals.actor as Actor | undefined) ?? { kind: 'anonymous' };

/** Sends a kit (a cached file) as a download, with its length: the browser shows the progress. */
function sendKit(res: Response, kit: Kit): void {
  // The cache may delete the file again once it is sent (or the connection is gone).
  res.on('close', kit.release);
  res.attachment(kit.fileName);
  // Revalidated at each download: an unpublished or archived fiche must leave the kit at once.
  res.setHeader('Cache-Control', 'no-cache');
  res.sendFile(kit.path, { headers: { 'Content-Type': 'application/zip' } });
}

/** `200` with a kit's state; `202` when a `POST` leaves it building. */
function sendStatus(req: Request, res: Response, status: KitStatus): void {
  res.setHeader('Cache-Control', 'no-store');
  res.status(req.method === 'POST' && status.state !== 'ready' ? 202 : 200).json(status);
}

/**
 * Sends an export as a download, with a file name people recognise. A publication's says whether
 * it came from the export cache (`X-Export-Cache: hit|miss`). A refusal because too many exports
 * wait is the error handler's `429` with a French message and `Retry-After` (`rate_limited`).
 */
function send(res: Response, result: NamedExport): void {
  res.type(result.contentType);
  res.attachment(result.fileName);
  res.setHeader('Cache-Control', 'private, no-store');
  if (result.cached !== undefined) res.setHeader('X-Export-Cache', result.cached ? 'hit' : 'miss');
  // Not `res.send`: it would hash the whole file (megabytes) on the event loop for an ETag that a
  // `no-store` download never uses.
  res.setHeader('Content-Length', String(result.body.length));
  res.end(result.body);
}

/**
 * Downloads (issue 14): `GET /api/documents/:id/export?format=&version=` (a draft or a version, for
 * readers of the document); the kit d'essaimage of an espace, `GET /api/espaces/:id/kit.zip` (waits
 * for the build, then sends the zip with its length) and `GET|POST /api/espaces/:id/kit/etat` (its
 * state; `POST` starts its build without waiting: `202`, or `200` when ready), each with the portal
 * search's filters (`?q=&theme=&categorie=&territoire=&public=&annee=`).
 */
export function exportsApiRouter(services: Services): Router {
  const router = Router();
  router.get('/espaces/:id/kit.zip', async (req, res) => {
    const filters = kitFilters(parseQuery(kitQuery, req.query));
    sendKit(res, await services.kit.kit(actorOf(res), req.params.id, filters));
  });
  router.get('/espaces/:id/kit/etat', async (req, res) => {
    const filters = kitFilters(parseQuery(kitQuery, req.query));
    sendStatus(req, res, await services.kit.status(actorOf(res), req.params.id, filters));
  });
  router.post('/espaces/:id/kit/etat', async (req, res) => {
    const filters = kitFilters(parseQuery(kitQuery, req.query));
    sendStatus(req, res, await services.kit.start(actorOf(res), req.params.id, filters));
  });
  router.get('/documents/:id/export', async (req, res) => {
    const { format, version } = parseQuery(draftExportQuery, req.query);
    send(res, await services.exports.draft(requireAuth(res).actor, req.params.id, format, version));
  });
  return router;
}

/**
 * The public downloads: `GET /pratiques/kit.zip[?espace=&q=&theme=…]` (the kit d'essaimage of what
 * is published, or of a search's results), `GET|POST /pratiques/kit/etat[?espace=&q=&theme=…]` (its
 * state; `POST` starts its build) and `GET /pratiques/<slug>/v/<N>/export.<ext>` (a visible
 * publication, as published).
 */
export function publicationExports(services: Services): Router {
  const router = Router();
  router.get('/pratiques/kit.zip', async (req, res) => {
    const { espace, ...query } = parseQuery(portalKitQuery, req.query);
    sendKit(res, await services.kit.kit(visitor(res), espace ?? null, kitFilters(query)));
  });
  // A JSON route outside `/api`: its refusals are JSON too (`{ error, message }`), as the API's.
  router.all('/pratiques/kit/etat', async (req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'POST') return next();
    try {
      const { espace, ...query } = parseQuery(portalKitQuery, req.query);
      const kit = services.kit;
      const ask = req.method === 'POST' ? kit.start.bind(kit) : kit.status.bind(kit);
      sendStatus(req, res, await ask(visitor(res), espace ?? null, kitFilters(query)));
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      if (error.retryAfterSeconds !== undefined)
        res.setHeader('Retry-After', String(error.retryAfterSeconds));
      res.status(httpStatusOf[error.kind]).json({ error: error.kind, message: error.message });
    }
  });
  router.get('/pratiques/:slug/v/:number/export.:ext', async (req, res) => {
    if (!can(visitor(res), 'portal.read', { type: 'instance' })) throw forbidden('Portail fermé.');
    const format = exportFormats.find((f) => f === req.params.ext);
    const number = Number(req.params.number);
    const publication = Number.isInteger(number)
      ? services.publications.visible(req.params.slug, number)
      : undefined;
    if (!format || !publication) throw notFound('Cette publication n’existe pas.');
    const result = await services.exports.publication(publication, format);
    send(res, result);
  });
  return router;
}
