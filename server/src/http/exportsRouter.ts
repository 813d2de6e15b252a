import { Router, type Response } from 'express';
import { z } from 'zod';
import { can, forbidden, notFound } from '@essaim/domain';
import { exportFormats } from '../exports/types.js';
import type { Services } from '../services/index.js';
import type { NamedExport } from '../services/exportService.js';
import type { Kit } from '../services/kitService.js';
import { actorOf, requireAuth } from './session.js';
import { parseQuery } from './validate.js';

const draftExportQuery = z.object({
  format: z.enum(exportFormats, { error: 'Le format vaut pdf, docx, odt, md ou html.' }),
  version: z.string({ error: 'version doit être un identifiant.' }).min(1).max(100).optional(),
});

const kitQuery = z.object({
  theme: z.string({ error: 'theme doit être un identifiant de thème.' }).min(1).max(100).optional(),
});

/** Sends a kit (a cached file) as a download, with its length: the browser shows the progress. */
function sendKit(res: Response, kit: Kit): void {
  res.attachment(kit.fileName);
  res.setHeader('Cache-Control', 'public, max-age=300');
  res.sendFile(kit.path, { headers: { 'Content-Type': 'application/zip' } });
}

/** Sends an export as a download, with a file name people recognise. */
function send(res: Response, result: NamedExport): void {
  res.type(result.contentType);
  res.attachment(result.fileName);
  res.setHeader('Cache-Control', 'private, no-store');
  res.send(result.body);
}

/**
 * Downloads (issue 14): `GET /api/documents/:id/export?format=&version=` (a draft or a version, for
 * readers of the document) and `GET /pratiques/<slug>/v/<N>/export.<ext>` (a publication, for
 * anyone).
 */
export function exportsApiRouter(services: Services): Router {
  const router = Router();
  router.get('/espaces/:id/kit.zip', async (req, res) => {
    const { theme } = parseQuery(kitQuery, req.query);
    sendKit(res, await services.kit.kit(actorOf(res), req.params.id, theme));
  });
  router.get('/documents/:id/export', async (req, res) => {
    const { format, version } = parseQuery(draftExportQuery, req.query);
    send(res, await services.exports.draft(requireAuth(res).actor, req.params.id, format, version));
  });
  return router;
}

/**
 * The public downloads: `GET /pratiques/kit.zip[?espace=&theme=]` (the kit d'essaimage of what is
 * published) and `GET /pratiques/<slug>/v/<N>/export.<ext>` (a visible publication, as published).
 */
export function publicationExports(services: Services): Router {
  const router = Router();
  router.get('/pratiques/kit.zip', async (req, res) => {
    const { espace, theme } = parseQuery(
      kitQuery.extend({ espace: z.string().min(1).max(100).optional() }),
      req.query,
    );
    sendKit(res, await services.kit.kit(actorOf(res), espace ?? null, theme));
  });
  router.get('/pratiques/:slug/v/:number/export.:ext', async (req, res) => {
    if (!can(actorOf(res), 'portal.read', { type: 'instance' })) throw forbidden('Portail fermé.');
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
